// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failures: every generic netlink command and the upcall path
 * run again and again with the 1st, 2nd, 3rd, ... fallible allocation of
 * the calling thread failing (failslab and fail_page_alloc driven by
 * /proc/thread-self/fail-nth, the kernel's per-task fault injection),
 * until a run reaches no n-th allocation. Each failing run must end in a
 * clean negative errno (-ENOMEM, or -ENOBUFS from netlink itself), and
 * leave the object either fully built or not at all; at the end the
 * datapath still forwards. Whatever a failure path leaked is reported by
 * kmemleak at the end of the debug tier (scripts/run-tests --debug).
 *
 * Only the debug kernel (make check-debug) has fault injection: on any
 * other kernel every test SKIPs and says why.
 *
 * Probability stays 0, so nothing but the armed thread ever fails; GFP_KERNEL
 * allocations are made fallible (ignore-gfp-wait=N) for the tests' duration.
 * The upcall path is driven through a tap: a write() to a tap runs the
 * receive path, our rx_handler and the upcall in the writer's context.
 *
 * vsw-timeout: 900
 *
 *   test netns: pa0 -1-[ br-fi ]-2- pa1, tap vfi-tap as port 3
 *               pb0/pb1 (the veths' peers) send and receive test frames
 */
#include <fcntl.h>
#include <sched.h>
#include <poll.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"
#include "vsw_frames.h"

#define DP "br-fi"
#define DP2 "br-fi2"
#define TAP "vfi-tap"
#define MAX_NTH 3000		/* allocation points tried per command */
#define N_DUMP_FLOWS 120	/* a flow dump of several messages */

#define FAILSLAB "/sys/kernel/debug/failslab/"
#define FAILPAGE "/sys/kernel/debug/fail_page_alloc/"
#define FAIL_NTH "/proc/thread-self/fail-nth"

/* The knobs set while the tests run, and what they were before. */
static struct knob {
	const char *path, *value;
	char saved[32];
} knobs[] = {
	{ FAILSLAB "ignore-gfp-wait", "N" },
	{ FAILSLAB "verbose", "0" },
	{ FAILPAGE "ignore-gfp-wait", "N" },
	{ FAILPAGE "min-order", "0" },
	{ FAILPAGE "verbose", "0" },
};

static int write_file(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, v, strlen(v)) == (ssize_t)strlen(v) ? 0 : -errno;
	close(fd);
	return ret;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

FIXTURE(fault) {
	const char *unsupported;	/* why this kernel cannot run the test */
	int nth;			/* /proc/thread-self/fail-nth */
	int tx, rx;			/* AF_PACKET on pb0 and pb1 */
	int tap;
	struct vsw_nl h;
	struct vsw_nl up;		/* the datapath's upcall socket */
	int expect;			/* objects a dump must list */
};

#define REQUIRE_FAULT_INJECTION() do { \
	if (self->unsupported) \
		SKIP(return, "%s", self->unsupported); \
} while (0)

/* --- arming one thread's n-th allocation ------------------------------- */

static int arm(int fd, unsigned int n)
{
	char b[16];
	int l = snprintf(b, sizeof(b), "%u", n);

	return pwrite(fd, b, l, 0) == l ? 0 : -errno;
}

/* Disarms; returns 1 if the armed failure happened, 0 if the run never
 * reached its n-th allocation, -errno if fail-nth cannot be read. */
static int disarm(int fd)
{
	char b[16] = "";
	int left;

	if (pread(fd, b, sizeof(b) - 1, 0) < 0)
		return -errno;
	left = atoi(b);
	if (left && pwrite(fd, "0", 1, 0) != 1)
		return -errno;
	return left == 0;
}

/* --- the setup ----------------------------------------------------------- */

static int tap_open(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A netlink handle whose replies cannot block a test forever. */
static int nl_open(struct vsw_nl *h)
{
	struct timeval tv = { .tv_sec = 10 };
	int ret = vsw_nl_open(h);

	if (!ret)
		setsockopt(vsw_nl_fd(h), SOL_SOCKET, SO_RCVTIMEO,
			   &tv, sizeof(tv));
	return ret;
}

static const char *knobs_set(void)
{
	unsigned int i;

	if (access(FAIL_NTH, W_OK) || access(FAILSLAB "ignore-gfp-wait", W_OK) ||
	    access(FAILPAGE "ignore-gfp-wait", W_OK))
		return "this kernel has no failslab/fail_page_alloc with fail-nth "
		       "(CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, "
		       "CONFIG_FAULT_INJECTION_DEBUG_FS): make check-debug runs it";
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		if (read_file(knobs[i].path, knobs[i].saved, sizeof(knobs[i].saved)) ||
		    write_file(knobs[i].path, knobs[i].value))
			return "cannot set the fault injection knobs in debugfs";
	}
	return NULL;
}

static void knobs_restore(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (knobs[i].saved[0])
			write_file(knobs[i].path, knobs[i].saved);
}

FIXTURE_SETUP(fault)
{
	self->nth = self->tx = self->rx = self->tap = -1;
	self->unsupported = knobs_set();
	if (self->unsupported)
		return;
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->nth = open(FAIL_NTH, O_RDWR);
	ASSERT_LE(0, self->nth);
	ASSERT_EQ(0, nl_open(&self->h));
	ASSERT_EQ(0, nl_open(&self->up));
	ASSERT_EQ(0, vsw_sh("ip link set lo up && sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1"));
	ASSERT_EQ(0, vsw_sh("ip link add pa0 type veth peer name pb0 && ip link add pa1 type veth peer name pb1"
			    " && for d in pa0 pb0 pa1 pb1; do ip link set $d up || exit 1; done"));
	self->tap = tap_open(TAP);
	ASSERT_LE(0, self->tap);
	ASSERT_EQ(0, vsw_sh("ip link set " TAP " up"));
	self->tx = vf_packet_sock(NULL, "pb0", 2);
	self->rx = vf_packet_sock(NULL, "pb1", 2);
	ASSERT_LE(0, self->tx);
	ASSERT_LE(0, self->rx);
}

FIXTURE_TEARDOWN(fault)
{
	if (self->unsupported)
		return;
	if (self->nth >= 0)
		disarm(self->nth);
	knobs_restore();
	vsw_dp_del(&self->h, DP);
	vsw_dp_del(&self->h, DP2);
	vsw_nl_close(&self->up);
	vsw_nl_close(&self->h);
}

/* The datapath of most tests: DP with pa0 as 1, pa1 as 2, the tap as 3. */
static int make_dp(FIXTURE_DATA(fault) *self)
{
	int ret = vsw_dp_add(&self->h, DP);

	if (!ret)
		ret = vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&self->up));
	if (!ret && vsw_port_add(&self->h, DP, "pa0", 1) != 1)
		ret = -EIO;
	if (!ret && vsw_port_add(&self->h, DP, "pa1", 2) != 2)
		ret = -EIO;
	if (!ret && vsw_port_add(&self->h, DP, TAP, 3) != 3)
		ret = -EIO;
	return ret;
}

/* --- the driver ------------------------------------------------------------ */

/* One command under test. */
struct fi_cmd {
	const char *name;
	/* Runs the command on @h (a fresh socket): 0 or -errno. */
	int (*run)(FIXTURE_DATA(fault) *self, struct vsw_nl *h);
	/* 1: its effect is complete, 0: absent, -1: anything in between.
	 * NULL for a command without lasting effect. */
	int (*state)(FIXTURE_DATA(fault) *self);
	/* Back to the state before run, once run took effect. */
	int (*undo)(FIXTURE_DATA(fault) *self);
};

/* What an allocation failure may answer: -ENOMEM, or -ENOBUFS from netlink.
 * One exception, the core's and not ours: 6.1's register_netdevice()
 * answers -EINVAL when allocating the device's name node fails, and DP_NEW
 * passes on what registering its local port's device answered.
 */
static bool clean_error(int ret, const char *msg)
{
	if (ret == 0 || ret == -ENOMEM || ret == -ENOBUFS)
		return true;
	return ret == -EINVAL && msg &&
	       strstr(msg, "cannot register the local port device");
}

/* Runs @c with its 1st, 2nd, ... allocation failing until a run reaches
 * no failure point; checks each run's errno and what it left behind. */
static void drive(struct __test_metadata *_metadata, FIXTURE_DATA(fault) *self,
		  const struct fi_cmd *c)
{
	struct vsw_nl *h = malloc(sizeof(*h));
	int n, ret, fired = 1, st, failed = 0;

	ASSERT_NE(NULL, h);
	for (n = 1; n <= MAX_NTH && fired; n++) {
		ASSERT_EQ(0, nl_open(h));
		ASSERT_EQ(0, arm(self->nth, n));
		ret = c->run(self, h);
		fired = disarm(self->nth);
		ASSERT_LE(0, fired);
		st = c->state ? c->state(self) : !ret;
		ASSERT_TRUE(clean_error(ret, h->msg))
			TH_LOG("%s with allocation %d failing: %s (%s)", c->name, n,
			       strerror(-ret), h->msg);
		vsw_nl_close(h);
		ASSERT_TRUE(fired || ret == 0)
			TH_LOG("%s failed (%s) without an injected failure", c->name,
			       strerror(-ret));
		ASSERT_NE(-1, st)
			TH_LOG("%s with allocation %d failing (%s): left half-built",
			       c->name, n, strerror(-ret));
		ASSERT_TRUE(ret || st == 1)
			TH_LOG("%s with allocation %d failing: succeeded without effect",
			       c->name, n);
		/* netlink's -ENOBUFS may be a lost reply after the work */
		ASSERT_TRUE(ret != -ENOMEM || st == 0)
			TH_LOG("%s with allocation %d failing: -ENOMEM, yet it took effect",
			       c->name, n);
		failed += fired;
		if (c->undo && st == 1 && c->state)
			ASSERT_EQ(0, c->undo(self)) TH_LOG("undoing %s", c->name);
	}
	free(h);
	ASSERT_EQ(0, fired) TH_LOG("%s: still failing after %d allocations", c->name, MAX_NTH);
	TH_LOG("%s: %d allocation points failed cleanly", c->name, failed);
}

/* --- datapaths --------------------------------------------------------------- */

struct dp_info {
	int count;
	uint32_t ifindex, n_pids;
};

static int dp_info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_DP_ATTR_MAX + 1];
	struct dp_info *d = data;

	vsw_nl_parse(nlh, tb, VSW_DP_ATTR_MAX);
	d->count++;
	if (tb[VSW_DP_ATTR_IFINDEX])
		d->ifindex = mnl_attr_get_u32(tb[VSW_DP_ATTR_IFINDEX]);
	if (tb[VSW_DP_ATTR_UPCALL_PIDS])
		d->n_pids = mnl_attr_get_payload_len(tb[VSW_DP_ATTR_UPCALL_PIDS]) / 4;
	return MNL_CB_OK;
}

static int dp_get(struct vsw_nl *h, const char *name, struct dp_info *d)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_DP_GET, name ? 0 : NLM_F_DUMP);

	memset(d, 0, sizeof(*d));
	if (name)
		mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, name);
	return vsw_nl_talk(h, nlh, dp_info_cb, d);
}

/* DP2: the datapath and its local port netdev exist together or not at all. */
static int dp2_state(FIXTURE_DATA(fault) *self)
{
	struct dp_info d;
	int dp = dp_get(&self->h, DP2, &d) == 0, dev = if_nametoindex(DP2) != 0;

	return dp == dev ? dp : -1;
}

static int dp2_new(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_DP_NEW, 0);
	uint32_t pid = vsw_nl_portid(&self->up);

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, DP2);
	mnl_attr_put(nlh, VSW_DP_ATTR_UPCALL_PIDS, sizeof(pid), &pid);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static int dp2_del(FIXTURE_DATA(fault) *self)
{
	return vsw_dp_del(&self->h, DP2);
}

static int dp2_del_on(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	return vsw_dp_del(h, DP2);
}

/* DP2 back, with a port and a flow for DP_DEL to take down. */
static int dp2_rebuild(FIXTURE_DATA(fault) *self)
{
	struct nlmsghdr *nlh;
	struct nlattr *n;
	int ret = dp2_new(self, &self->h);

	if (ret || vsw_port_add(&self->h, DP2, "pc0", 5) != 5)
		return ret ? ret : -EIO;
	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP2);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 5);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	mnl_attr_nest_end(nlh, n);
	return vsw_nl_talk(&self->h, nlh, NULL, NULL);
}

/* DP_DEL's effect is the opposite of DP_NEW's. */
static int dp2_gone(FIXTURE_DATA(fault) *self)
{
	int st = dp2_state(self);

	return st < 0 ? st : !st;
}

static int dp_set_two_pids(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_DP_SET, 0);
	/* two sockets (no packet flows in this test) */
	uint32_t pids[2] = { vsw_nl_portid(&self->up), vsw_nl_portid(&self->h) };

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, DP);
	mnl_attr_put(nlh, VSW_DP_ATTR_UPCALL_PIDS, sizeof(pids), pids);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static int dp_pids_state(FIXTURE_DATA(fault) *self)
{
	struct dp_info d;

	if (dp_get(&self->h, DP, &d))
		return -1;
	return d.n_pids == 2 ? 1 : d.n_pids == 1 ? 0 : -1;
}

static int dp_one_pid(FIXTURE_DATA(fault) *self)
{
	return vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&self->up));
}

/* A dump is complete or an error. */
static int dp_dump(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	struct dp_info d;
	int ret = dp_get(h, NULL, &d);

	return ret ? ret : d.count == self->expect ? 0 : -EIO;
}

/* Each case runs its commands once per allocation point: on the debug
 * kernel under emulation that is minutes, not the harness's default 30 s.
 */
TEST_F_TIMEOUT(fault, datapath_commands, 600)
{
	static const struct fi_cmd cmds[] = {
		{ "DP_NEW", dp2_new, dp2_state, dp2_del },
		{ "DP_SET upcall pids", dp_set_two_pids, dp_pids_state, dp_one_pid },
		{ "DP_GET dump", dp_dump, NULL, NULL },
		{ "DP_DEL", dp2_del_on, dp2_gone, dp2_rebuild },
	};
	unsigned int i;

	REQUIRE_FAULT_INJECTION();
	ASSERT_EQ(0, make_dp(self)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, vsw_sh("ip link add pc0 type veth peer name pd0"));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (cmds[i].run == dp_dump || cmds[i].run == dp2_del_on)
			ASSERT_EQ(0, dp2_state(self) ? 0 : dp2_rebuild(self));
		self->expect = 2;
		drive(_metadata, self, &cmds[i]);
	}
}

/* --- ports ------------------------------------------------------------------ */

static int port_exists(FIXTURE_DATA(fault) *self, uint32_t port_no)
{
	struct vsw_stats_req r;

	return vsw_port_stats(&self->h, DP, port_no, &r) == 0;
}

static int port7_add(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	int ret = vsw_port_add(h, DP, "pc0", 7);

	return ret < 0 ? ret : ret == 7 ? 0 : -EIO;
}

static int port7_state(FIXTURE_DATA(fault) *self)
{
	return port_exists(self, 7);
}

static int port7_del_on(struct vsw_nl *h)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_DEL, 0);

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, 7);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static int port7_del(FIXTURE_DATA(fault) *self)
{
	return port7_del_on(&self->h);
}

static int port7_del_run(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	return port7_del_on(h);
}

static int port7_gone(FIXTURE_DATA(fault) *self)
{
	return !port_exists(self, 7);
}

static int port7_readd(FIXTURE_DATA(fault) *self)
{
	return port7_add(self, &self->h);
}

static int port_set_rate(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_SET, 0);

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, 1);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_UPCALL_RATE, 12345);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return MNL_CB_OK;
}

static int port_count(struct vsw_nl *h, int *count)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_GET, NLM_F_DUMP);

	*count = 0;
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	return vsw_nl_talk(h, nlh, count_cb, count);
}

/* Every port, as a dump without failures listed them, or an error. */
static int port_dump(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	int count, ret = port_count(h, &count);

	return ret ? ret : count == self->expect ? 0 : -EIO;
}

TEST_F_TIMEOUT(fault, port_commands, 600)
{
	static const struct fi_cmd cmds[] = {
		{ "PORT_NEW", port7_add, port7_state, port7_del },
		{ "PORT_SET", port_set_rate, NULL, NULL },
		{ "PORT_GET dump", port_dump, NULL, NULL },
		{ "PORT_DEL", port7_del_run, port7_gone, port7_readd },
	};
	unsigned int i;

	REQUIRE_FAULT_INJECTION();
	ASSERT_EQ(0, make_dp(self)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, vsw_sh("ip link add pc0 type veth peer name pd0"));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (i == 2)	/* the dump and PORT_DEL want port 7 */
			ASSERT_EQ(0, port7_readd(self));
		ASSERT_EQ(0, port_count(&self->h, &self->expect));
		drive(_metadata, self, &cmds[i]);
	}
}

/* --- flows and packets -------------------------------------------------------- */

/* in_port 1, VF_ETH_TEST, eth_src 02:00:00:00:@hi:@lo -> output @out. */
static struct nlmsghdr *flow_req(struct vsw_nl *h, uint8_t cmd, uint16_t flags,
				 uint8_t hi, uint8_t lo, uint32_t out)
{
	static const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t src[6] = { 2, 0, 0, 0, hi, lo };
	struct nlmsghdr *nlh = vsw_nl_req(h, cmd, flags);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 1);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(VF_ETH_TEST));
	mnl_attr_put(nlh, VSW_KEY_ATTR_ETH_SRC, 6, src);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, 0xffff);
	mnl_attr_put(nlh, VSW_KEY_ATTR_ETH_SRC, 6, ones);
	mnl_attr_nest_end(nlh, n);
	if (cmd == VSW_CMD_FLOW_NEW) {
		n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
		mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, out);
		mnl_attr_nest_end(nlh, n);
	}
	return nlh;
}

#define TAG "vswfault"

static void make_frame(uint8_t *f, uint8_t hi, uint8_t lo, uint32_t seq)
{
	vf_test_frame(f, hi, lo, TAG, seq);
}

static int flow_count(struct vsw_nl *h, int *count)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_GET, NLM_F_DUMP);

	*count = 0;
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	return vsw_nl_talk(h, nlh, count_cb, count);
}

/* The number of flows, as the state of a command that adds the first. */
static int one_flow_state(FIXTURE_DATA(fault) *self)
{
	int n;

	if (flow_count(&self->h, &n))
		return -1;
	return n == 1 ? 1 : n == 0 ? 0 : -1;
}

static int no_flow_state(FIXTURE_DATA(fault) *self)
{
	int st = one_flow_state(self);

	return st < 0 ? st : !st;
}

static int flush_on(struct vsw_nl *h)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_FLUSH, 0);

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static int flush(FIXTURE_DATA(fault) *self)
{
	return flush_on(&self->h);
}

static int flow_new(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	return vsw_nl_talk(h, flow_req(h, VSW_CMD_FLOW_NEW, 0, 0, 1, 2), NULL, NULL);
}

static int flow_readd(FIXTURE_DATA(fault) *self)
{
	return flow_new(self, &self->h);
}

/* FLOW_NEW with the missed packet, echoing the flow back. */
static int flow_new_packet(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	struct nlmsghdr *nlh = flow_req(h, VSW_CMD_FLOW_NEW, NLM_F_ECHO, 0, 1, 2);
	uint8_t f[VF_TEST_LEN];

	make_frame(f, 0, 1, 1);
	mnl_attr_put(nlh, VSW_FLOW_ATTR_PACKET, VF_TEST_LEN, f);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static int flow_del(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	return vsw_nl_talk(h, flow_req(h, VSW_CMD_FLOW_DEL, 0, 0, 1, 0), NULL, NULL);
}

static int flow_flush_run(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	return flush_on(h);
}

static int add_many(FIXTURE_DATA(fault) *self)
{
	int j, ret = flush(self);

	for (j = 0; !ret && j < N_DUMP_FLOWS; j++)
		ret = vsw_nl_talk(&self->h, flow_req(&self->h, VSW_CMD_FLOW_NEW, 0,
						     1 + j / 256, j % 256, 2), NULL, NULL);
	return ret;
}

/* FLOW_FLUSH empties the table or leaves all N_DUMP_FLOWS flows. */
static int flushed_state(FIXTURE_DATA(fault) *self)
{
	int n;

	if (flow_count(&self->h, &n))
		return -1;
	return n == 0 ? 1 : n == N_DUMP_FLOWS ? 0 : -1;
}

static int flow_dump(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	int n, ret = flow_count(h, &n);

	return ret ? ret : n == N_DUMP_FLOWS ? 0 : -EIO;
}

static int packet_execute(FIXTURE_DATA(fault) *self, struct vsw_nl *h)
{
	uint8_t f[VF_TEST_LEN];

	make_frame(f, 0, 1, 2);
	return vsw_packet_out(h, DP, 1, f, VF_TEST_LEN, 2);
}

/* Waits for the test frame @seq on @fd; 1 if it came. */
static int recv_frame(int fd, uint32_t seq)
{
	return vf_recv_test_frame(fd, TAG, seq);
}

/* After everything: a fresh flow 1 -> 2 still carries frames. The
 * frames of earlier runs are read first: they may have filled the
 * receiving socket. */
static void forwards(struct __test_metadata *_metadata, FIXTURE_DATA(fault) *self)
{
	uint8_t f[VF_TEST_LEN], junk[2048];

	while (recv(self->rx, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	ASSERT_EQ(0, flush(self));
	ASSERT_EQ(0, flow_readd(self)) TH_LOG("%s", self->h.msg);
	make_frame(f, 0, 1, 4242);
	ASSERT_EQ(VF_TEST_LEN, send(self->tx, f, VF_TEST_LEN, 0));
	EXPECT_EQ(1, recv_frame(self->rx, 4242)) TH_LOG("the datapath no longer forwards");
}

TEST_F_TIMEOUT(fault, flow_and_packet_commands, 600)
{
	static const struct fi_cmd cmds[] = {
		{ "FLOW_NEW", flow_new, one_flow_state, flush },
		{ "FLOW_NEW with PACKET, echoed", flow_new_packet, one_flow_state, flush },
		{ "PACKET_EXECUTE", packet_execute, NULL, NULL },
		{ "FLOW_DEL", flow_del, no_flow_state, flow_readd },
		{ "FLOW_GET dump", flow_dump, NULL, NULL },
		{ "FLOW_FLUSH", flow_flush_run, flushed_state, add_many },
	};
	unsigned int i;

	REQUIRE_FAULT_INJECTION();
	ASSERT_EQ(0, make_dp(self)) TH_LOG("%s", self->h.msg);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (cmds[i].run == flow_del)
			ASSERT_EQ(0, flow_readd(self));
		if (cmds[i].run == flow_dump)
			ASSERT_EQ(0, add_many(self)) TH_LOG("%s", self->h.msg);
		drive(_metadata, self, &cmds[i]);
	}
	forwards(_metadata, self);
}

/* --- the upcall path ------------------------------------------------------------- */

struct lost_sent {
	uint64_t sent, lost, rx;
};

static int port3_counts(FIXTURE_DATA(fault) *self, struct lost_sent *c)
{
	struct vsw_stats_req r;
	int ret = vsw_port_stats(&self->h, DP, 3, &r);

	c->sent = r.v[VSW_PORT_STATS_ATTR_UPCALL_SENT];
	c->lost = r.v[VSW_PORT_STATS_ATTR_UPCALL_LOST];
	c->rx = r.v[VSW_PORT_STATS_ATTR_RX_PACKETS];
	return ret;
}

/* Upcalls waiting on the upcall socket, read without blocking. */
static int upcalls_queued(FIXTURE_DATA(fault) *self)
{
	struct pollfd p = { .fd = vsw_nl_fd(&self->up), .events = POLLIN };
	int n = 0;

	while (poll(&p, 1, 200) == 1) {
		int len = recv(p.fd, self->up.buf, sizeof(self->up.buf), MSG_DONTWAIT);

		if (len <= 0)
			break;
		mnl_cb_run(self->up.buf, len, 0, 0, count_cb, &n);
	}
	return n;
}

/* A frame written to the tap (port 3) misses and is queued to userspace
 * in the writer's context: with each allocation failing in turn, the
 * write fails cleanly, or the frame arrives and its upcall is either
 * delivered or counted lost, never both, never neither. */
TEST_F_TIMEOUT(fault, upcall_of_a_missed_frame, 600)
{
	struct lost_sent a, b;
	uint8_t f[VF_TEST_LEN];
	int n, fired = 1, delivered, failed = 0;
	ssize_t w;

	REQUIRE_FAULT_INJECTION();
	ASSERT_EQ(0, make_dp(self)) TH_LOG("%s", self->h.msg);
	for (n = 1; n <= MAX_NTH && fired; n++) {
		make_frame(f, 0x33, n & 0xff, n);
		ASSERT_EQ(0, port3_counts(self, &a));
		ASSERT_EQ(0, arm(self->nth, n));
		w = write(self->tap, f, VF_TEST_LEN);
		fired = disarm(self->nth);
		ASSERT_LE(0, fired);
		delivered = upcalls_queued(self);
		ASSERT_EQ(0, port3_counts(self, &b));
		if (w < 0) {
			ASSERT_TRUE(errno == ENOMEM || errno == ENOBUFS)
				TH_LOG("tap write with allocation %d failing: %s", n, strerror(errno));
			ASSERT_EQ(0, delivered);
			continue;
		}
		ASSERT_EQ(VF_TEST_LEN, w);
		if (b.rx == a.rx) {	/* dropped before the datapath saw it */
			ASSERT_EQ(0, delivered);
			ASSERT_TRUE(fired);
			continue;
		}
		ASSERT_EQ(1, delivered + (b.lost - a.lost))
			TH_LOG("allocation %d failing: %d upcall(s) delivered, %llu counted lost",
			       n, delivered, (unsigned long long)(b.lost - a.lost));
		ASSERT_EQ(delivered, b.sent - a.sent);
		failed += !delivered;
		ASSERT_TRUE(fired || delivered) TH_LOG("upcall lost without an injected failure");
	}
	ASSERT_EQ(0, fired);
	TH_LOG("upcall: %d failing allocation points lost the upcall, counted", failed);
	forwards(_metadata, self);
}

VSW_HARNESS_MAIN
