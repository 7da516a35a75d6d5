// SPDX-License-Identifier: GPL-2.0
/*
 * What a namespace owner can make the kernel allocate is bounded:
 * - counts: datapaths per namespace (module parameter max_datapaths) and
 *   attached ports per datapath (max_ports) are refused past the limit
 *   with -ENOSPC and a message naming the parameter;
 * - memory: a loop creating datapaths and flows from inside a cgroup with
 *   a small memory.max is stopped by that cgroup with a clean -ENOMEM
 *   (nobody OOM-killed), memory.current rose by what was created, the
 *   host outside still creates datapaths and flows, and the namespace's
 *   death gives the memory back.
 *
 * Each test runs in its own network namespace (unshare in the setup).
 * vsw-timeout: 400
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"

#define PARAMS		"/sys/module/vswitch/parameters/"
#define CGROOT		"/sys/fs/cgroup"
#define CG		CGROOT "/vsw-memcg-test"
/* What the cgroup may charge on top of the child's own setup (its network
 * namespace, socket and locked pages, several MB more on the debug kernel
 * with KASAN and lockdep): memory.max is set to memory.current plus this
 * once the child is ready to fill.
 */
#define CG_MAX		(8 << 20)
#define MAX_LOOP_DPS	200		/* the cgroup must stop us before */
#define FLOWS_PER_DP	16
/* Less than one datapath with its flows charges (its local netdev about
 * 35 kB, its microflow cache 4096 entries of 8 bytes per CPU, its flows),
 * more than the netdev alone, which the kernel charges by itself: with
 * vswitch's own allocations uncharged the loop measured 35 kB each.
 */
#define DP_MIN_CHARGE	(48 << 10)
#define RETURN_SLACK	(1 << 20)	/* left charged after the netns dies */

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -errno;
}

static int write_u(const char *path, unsigned long v)
{
	char s[32];

	snprintf(s, sizeof(s), "%lu", v);
	return write_str(path, s);
}

/* The number in @path after "@key " (or the first number, @key NULL). */
static long long read_num(const char *path, const char *key)
{
	char line[256], k[64];
	long long v = -1, x;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!key) {
			v = atoll(line);
			break;
		}
		if (sscanf(line, "%63s %lld", k, &x) == 2 && !strcmp(k, key)) {
			v = x;
			break;
		}
	}
	fclose(f);
	return v;
}

/* ---- count limits ---- */

FIXTURE(limits) {
	struct vsw_nl h;
	long long old_dps, old_ports;
};

FIXTURE_SETUP(limits)
{
	self->old_dps = read_num(PARAMS "max_datapaths", NULL);
	self->old_ports = read_num(PARAMS "max_ports", NULL);
	ASSERT_EQ(256, self->old_dps) TH_LOG("default max_datapaths");
	ASSERT_EQ(16384, self->old_ports) TH_LOG("default max_ports");
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h)) TH_LOG("vswitch family not found");
}

FIXTURE_TEARDOWN(limits)
{
	if (self->old_dps >= 0)
		write_u(PARAMS "max_datapaths", self->old_dps);
	if (self->old_ports >= 0)
		write_u(PARAMS "max_ports", self->old_ports);
	vsw_nl_close(&self->h);
}

/* Creates datapath @name in a new namespace (a child's); 0 or -errno. */
static int dp_add_elsewhere(const char *name)
{
	struct vsw_nl *h;
	int status, ret;
	pid_t pid = fork();

	if (pid == 0) {
		h = calloc(1, sizeof(*h));
		if (!h || unshare(CLONE_NEWNET) || vsw_nl_open(h))
			_exit(255);
		ret = vsw_dp_add(h, name);
		_exit(ret < 0 ? -ret : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

static int port_del(struct vsw_nl *h, const char *dp, uint32_t port_no)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_DEL, 0);

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, dp);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

TEST_F(limits, datapaths_per_namespace)
{
	char name[IFNAMSIZ];
	int i;

	ASSERT_EQ(0, write_u(PARAMS "max_datapaths", 3));
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "br-l%d", i);
		ASSERT_EQ(0, vsw_dp_add(&self->h, name)) TH_LOG("%s", self->h.msg);
	}
	EXPECT_EQ(-ENOSPC, vsw_dp_add(&self->h, "br-l3"));
	EXPECT_NE(NULL, strstr(self->h.msg, "max_datapaths")) TH_LOG("%s", self->h.msg);
	EXPECT_NE(0, vsw_sh("ip link show br-l3 >/dev/null 2>&1"));

	/* the limit is per namespace: another one still has room */
	EXPECT_EQ(0, dp_add_elsewhere("br-other"));

	/* a deleted datapath frees its place */
	ASSERT_EQ(0, vsw_dp_del(&self->h, "br-l0"));
	EXPECT_EQ(0, vsw_dp_add(&self->h, "br-l3")) TH_LOG("%s", self->h.msg);

	/* lowering removes nothing, refuses more */
	ASSERT_EQ(0, write_u(PARAMS "max_datapaths", 1));
	EXPECT_EQ(0, vsw_sh("ip link show br-l1 >/dev/null"));
	EXPECT_EQ(-ENOSPC, vsw_dp_add(&self->h, "br-l4"));
	ASSERT_EQ(0, write_u(PARAMS "max_datapaths", 256));
	EXPECT_EQ(0, vsw_dp_add(&self->h, "br-l4")) TH_LOG("%s", self->h.msg);
}

TEST_F(limits, ports_per_datapath)
{
	int i;

	ASSERT_EQ(0, vsw_dp_add(&self->h, "br-p")) TH_LOG("%s", self->h.msg);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, vsw_sh("ip link add pa%d type veth peer name pb%d",
				    i, i));
	/* the local port is not counted */
	ASSERT_EQ(0, write_u(PARAMS "max_ports", 2));
	EXPECT_EQ(1, vsw_port_add(&self->h, "br-p", "pa0", 0)) TH_LOG("%s", self->h.msg);
	EXPECT_EQ(2, vsw_port_add(&self->h, "br-p", "pa1", 0)) TH_LOG("%s", self->h.msg);
	EXPECT_EQ(-ENOSPC, vsw_port_add(&self->h, "br-p", "pa2", 0));
	EXPECT_NE(NULL, strstr(self->h.msg, "max_ports")) TH_LOG("%s", self->h.msg);
	/* a port number given explicitly is refused the same way */
	EXPECT_EQ(-ENOSPC, vsw_port_add(&self->h, "br-p", "pa2", 7));

	/* the refused device stays usable, a detached port frees its place */
	ASSERT_EQ(0, port_del(&self->h, "br-p", 1));
	EXPECT_EQ(1, vsw_port_add(&self->h, "br-p", "pa2", 0)) TH_LOG("%s", self->h.msg);
}

/* ---- memory cgroup ---- */

static struct vsw_nl fill_nl;	/* static: faulted in before the loop */

struct fill_result {
	int n_dps, n_flows, err;
	char msg[256];
};

static int flow_add(struct vsw_nl *h, const char *dp, uint32_t dst)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_NEW, 0);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, dp);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, VSW_PORT_LOCAL);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(0x0800));
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IPV4_DST, htonl(dst));
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, 0xffff);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IPV4_DST, 0xffffffff);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	mnl_attr_nest_end(nlh, n);	/* drop */
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

/* One datapath with FLOWS_PER_DP flows; 0 or the first error. */
static int fill_one(struct vsw_nl *h, int i, struct fill_result *r)
{
	char name[IFNAMSIZ];
	int j, ret;

	snprintf(name, sizeof(name), "br-m%d", i);
	ret = vsw_dp_add(h, name);
	if (ret)
		return ret;
	r->n_dps++;
	for (j = 0; j < FLOWS_PER_DP; j++) {
		/* 198.51.100.0/24 and up, one /24 per datapath */
		ret = flow_add(h, name, 0xc6336400u + (i << 8) + j);
		if (ret)
			return ret;
		r->n_flows++;
	}
	return 0;
}

/*
 * The child: joins the cgroup, makes itself unkillable by the OOM killer
 * (so an exhausted charge can only fail the allocation), sets up a new
 * namespace, says it is ready (a byte on @res_fd) and waits for a byte on
 * @go_fd, by which time the cgroup's limit is set; then creates datapaths
 * and flows until an error, reports, and waits for @go_fd to close before
 * exiting (its exit kills the namespace). Its own pages are locked in
 * first, so that only kernel allocations grow the cgroup.
 */
static void fill_child(int res_fd, int go_fd)
{
	struct fill_result r = {};
	char stack[64 << 10];
	int i;

	memset(stack, 1, sizeof(stack));
	if (write_u(CG "/cgroup.procs", getpid()) ||
	    write_str("/proc/self/oom_score_adj", "-1000") ||
	    unshare(CLONE_NEWNET) || vsw_nl_open(&fill_nl) ||
	    mlockall(MCL_CURRENT))
		_exit(2);
	if (write(res_fd, "r", 1) != 1 || read(go_fd, stack, 1) != 1)
		_exit(5);
	for (i = 0; i < MAX_LOOP_DPS && !r.err; i++)
		r.err = fill_one(&fill_nl, i, &r);
	snprintf(r.msg, sizeof(r.msg), "%s", fill_nl.msg);
	if (write(res_fd, &r, sizeof(r)) != sizeof(r))
		_exit(3);
	if (read(go_fd, stack, 1) < 0)
		_exit(4);
	_exit(0);
}

FIXTURE(memcg) {
	struct vsw_nl h;
};

FIXTURE_SETUP(memcg)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h)) TH_LOG("vswitch family not found");
	ASSERT_EQ(0, access(CGROOT "/cgroup.controllers", F_OK))
		TH_LOG("cgroup2 not mounted at " CGROOT);
	ASSERT_EQ(0, write_str(CGROOT "/cgroup.subtree_control", "+memory"));
	rmdir(CG);
	ASSERT_EQ(0, mkdir(CG, 0755));
}

FIXTURE_TEARDOWN(memcg)
{
	rmdir(CG);
	vsw_nl_close(&self->h);
}

/* memory.current of the cgroup once it is at most @limit, or the last
 * value read after @secs seconds (namespaces die in a workqueue and free
 * after RCU grace periods).
 */
static long long wait_current_below(long long limit, int secs)
{
	long long cur = read_num(CG "/memory.current", NULL);
	int i;

	for (i = 0; i < secs * 10 && cur > limit; i++) {
		usleep(100000);
		cur = read_num(CG "/memory.current", NULL);
	}
	return cur;
}

TEST_F_TIMEOUT(memcg, loop_stopped_by_cgroup_and_memory_returned, 300)
{
	long long empty, base, peak, after;
	int res[2], go[2], status;
	struct fill_result r;
	char ready;
	pid_t pid;

	empty = read_num(CG "/memory.current", NULL);
	ASSERT_LE(0, empty);
	ASSERT_EQ(0, pipe(res));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(res[0]);
		close(go[1]);
		fill_child(res[1], go[0]);
	}
	close(res[1]);
	close(go[0]);
	ASSERT_EQ(1, read(res[0], &ready, 1)) TH_LOG("the child's setup failed");
	base = read_num(CG "/memory.current", NULL);
	ASSERT_EQ(0, write_u(CG "/memory.max", base + CG_MAX));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(sizeof(r), read(res[0], &r, sizeof(r)))
		TH_LOG("the child died before reporting");
	peak = read_num(CG "/memory.current", NULL);
	TH_LOG("%d datapaths, %d flows, then %d (%s); memory.current %lld -> %lld",
	       r.n_dps, r.n_flows, r.err, r.msg, base, peak);

	/* stopped by the cgroup, cleanly, well before the loop's end */
	EXPECT_EQ(-ENOMEM, r.err);
	EXPECT_LT(r.n_dps, MAX_LOOP_DPS);
	EXPECT_LT(0, r.n_dps);
	EXPECT_EQ(0, read_num(CG "/memory.events", "oom_kill"));
	/* what was created was charged */
	EXPECT_LE((long long)r.n_dps * DP_MIN_CHARGE, peak - base);

	/* the host outside the cgroup is unaffected meanwhile */
	EXPECT_EQ(0, vsw_dp_add(&self->h, "br-host")) TH_LOG("%s", self->h.msg);
	EXPECT_EQ(0, flow_add(&self->h, "br-host", 0xcb007101u)) TH_LOG("%s", self->h.msg);

	/* the namespace dies with the child and gives the memory back */
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child status 0x%x", status);
	after = wait_current_below(empty + RETURN_SLACK, 120);
	EXPECT_LE(after, empty + RETURN_SLACK)
		TH_LOG("memory.current %lld after the namespace died", after);
	close(res[0]);
}

VSW_HARNESS_MAIN
