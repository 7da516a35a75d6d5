// SPDX-License-Identifier: GPL-2.0
/*
 * vswitchd's control socket against hostile clients: non-root peers are
 * refused (by the socket's mode, and by the daemon's own check when a
 * non-root process gets past the mode); clients that connect and stall,
 * send half a header, promise more than they send or send garbage do not
 * hold up `vswitchctl show` or flow setup (a ping that needs upcalls), get
 * an error naming what was wrong, and are dropped at their deadline.
 *
 *   ns vswc-a  vma 198.51.100.1 -- ca -1-[ csbr ]-2- cb -- vmb 198.51.100.2  ns vswc-b
 *   (private netns of the test; vswitchd started by the fixture)
 *
 * vsw-timeout: 240
 */
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"
#include "ctl-proto.h"

#define N_STALL		12
#define DEADLINE_S	10	/* ctl-server.c: CTL_DEADLINE_MS */
/* A command served while others stall must not wait for their deadline;
 * generous for an emulated guest (show alone takes ~1 s under TCG). */
#define PROMPT_S	(DEADLINE_S - 2)

static const char *prog(const char *env, const char *dflt)
{
	const char *p = getenv(env);

	return p && *p ? p : dflt;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(ctl) {
	char dir[64], sock[96];
	int stall[N_STALL];
};

static int ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 20 };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* vswitchctl ARGS against the fixture's daemon, its output in dir/out;
 * returns the exit status and how long it took in @secs. */
static int vsctl(FIXTURE_DATA(ctl) *self, double *secs, const char *pre,
		 const char *args)
{
	double t = now();
	int ret = vsw_sh("%s env VSWITCH_SOCKET=%s timeout 30 %s %s > %s/out 2>&1",
			 pre, self->sock, prog("VSCTL", "build/vswitchctl"), args,
			 self->dir);

	if (secs)
		*secs = now() - t;
	return ret;
}

static bool out_has(FIXTURE_DATA(ctl) *self, const char *what)
{
	return !vsw_sh("grep -q '%s' %s/out", what, self->dir);
}

FIXTURE_SETUP(ctl)
{
	int i;

	for (i = 0; i < N_STALL; i++)
		self->stall[i] = -1;
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_sh("ip link set lo up"));
	snprintf(self->dir, sizeof(self->dir), "/tmp/vsw-ctl.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));	/* the socket's mode decides */
	snprintf(self->sock, sizeof(self->sock), "%s/sock", self->dir);
	ASSERT_EQ(0, vsw_sh("%s --socket %s --state-dir %s/state --pidfile %s/pid"
			    " --detach --log-level debug 2>> %s/log",
			    prog("VSWD", "build/vswitchd"), self->sock, self->dir,
			    self->dir, self->dir));
}

FIXTURE_TEARDOWN(ctl)
{
	int i;

	for (i = 0; i < N_STALL; i++)
		if (self->stall[i] >= 0)
			close(self->stall[i]);
	vsw_sh("ip netns del vswc-a 2>/dev/null; ip netns del vswc-b 2>/dev/null");
	vsw_sh("kill $(cat %s/pid) 2>/dev/null; sleep 0.3; rm -rf %s",
	       self->dir, self->dir);
}

/* Connections that stall in every way a request can: nothing sent, half
 * a header, a header promising more than follows. */
static void open_stalled(FIXTURE_DATA(ctl) *self,
			 struct __test_metadata *_metadata)
{
	uint32_t hdr[2] = { VSW_CTL_MAGIC, 100 };
	int i;

	for (i = 0; i < N_STALL; i++) {
		self->stall[i] = ctl_connect(self->sock);
		ASSERT_GE(self->stall[i], 0);
		if (i % 3 == 1)
			ASSERT_EQ(4, write(self->stall[i], hdr, 4));
		if (i % 3 == 2) {
			ASSERT_EQ(8, write(self->stall[i], hdr, 8));
			ASSERT_EQ(5, write(self->stall[i], "show", 5));
		}
	}
}

TEST_F(ctl, non_root_cannot_connect)
{
	ASSERT_EQ(0, vsctl(self, NULL, "", "show"));
	EXPECT_NE(0, vsctl(self, NULL, "setpriv --reuid=65534 --regid=65534 --clear-groups",
			   "show"));
	EXPECT_TRUE(out_has(self, "ermission denied")) {
		vsw_sh("cat %s/out >&2", self->dir);
	}
}

/* A non-root process that gets past the socket's mode (CAP_DAC_OVERRIDE)
 * is still refused: the daemon checks its peer's uid. */
TEST_F(ctl, non_root_peer_refused_by_daemon)
{
	EXPECT_NE(0, vsctl(self, NULL, "setpriv --reuid=65534 --regid=65534 --clear-groups"
			   " --inh-caps=+dac_override --ambient-caps=+dac_override",
			   "add-br evil"));
	EXPECT_TRUE(out_has(self, "root only")) {
		vsw_sh("cat %s/out >&2", self->dir);
	}
	ASSERT_EQ(0, vsctl(self, NULL, "", "list-br"));
	EXPECT_FALSE(out_has(self, "evil"));
}

TEST_F_TIMEOUT(ctl, stalled_clients_do_not_block_others, 60)
{
	double secs;

	open_stalled(self, _metadata);
	ASSERT_EQ(0, vsctl(self, &secs, "", "add-br csbr"));
	EXPECT_LT(secs, PROMPT_S);
	ASSERT_EQ(0, vsctl(self, &secs, "", "show"));
	EXPECT_LT(secs, PROMPT_S);
	EXPECT_TRUE(out_has(self, "csbr"));
	TH_LOG("show took %.2fs with %d stalled clients", secs, N_STALL);
}

static void expect_error_reply(struct __test_metadata *_metadata, int fd,
			       const char *what)
{
	struct ctl_reply rep;

	ASSERT_EQ(0, ctl_recv_reply(fd, &rep));
	EXPECT_NE(0, rep.status);
	EXPECT_NE(NULL, strstr(rep.text, what)) TH_LOG("reply: %s", rep.text);
	ctl_reply_free(&rep);
}

TEST_F(ctl, garbage_gets_an_error_naming_it)
{
	uint32_t huge[2] = { VSW_CTL_MAGIC, 0xffffffff };
	uint32_t unterminated[2] = { VSW_CTL_MAGIC, 4 };
	uint32_t empty[2] = { VSW_CTL_MAGIC, 0 };
	char junk[64];
	int fd, i;

	open_stalled(self, _metadata);
	for (i = 0; i < (int)sizeof(junk); i++)
		junk[i] = 0x80 + i;
	fd = ctl_connect(self->sock);
	ASSERT_EQ((ssize_t)sizeof(junk), write(fd, junk, sizeof(junk)));
	expect_error_reply(_metadata, fd, "bad request magic");
	close(fd);

	fd = ctl_connect(self->sock);
	ASSERT_EQ(8, write(fd, huge, 8));
	expect_error_reply(_metadata, fd, "too large");
	close(fd);

	fd = ctl_connect(self->sock);
	ASSERT_EQ(8, write(fd, empty, 8));
	expect_error_reply(_metadata, fd, "empty request");
	close(fd);

	fd = ctl_connect(self->sock);
	ASSERT_EQ(8, write(fd, unterminated, 8));
	ASSERT_EQ(4, write(fd, "show", 4));
	expect_error_reply(_metadata, fd, "not terminated");
	close(fd);

	ASSERT_EQ(0, vsctl(self, NULL, "", "show"));
}

/* A ping between two VMs needs upcalls (the first packets miss): the
 * handlers work while control clients stall. */
TEST_F_TIMEOUT(ctl, flow_setup_while_clients_stall, 90)
{
	double secs;

	ASSERT_EQ(0, vsw_sh("ip netns del vswc-a 2>/dev/null; ip netns del vswc-b 2>/dev/null;"
			    " ip netns add vswc-a && ip netns add vswc-b"
			    " && ip link add ca type veth peer name vma netns vswc-a"
			    " && ip link add cb type veth peer name vmb netns vswc-b"
			    " && ip link set ca up && ip link set cb up"
			    " && ip -n vswc-a link set vma up && ip -n vswc-b link set vmb up"
			    " && ip -n vswc-a addr add 198.51.100.1/24 dev vma"
			    " && ip -n vswc-b addr add 198.51.100.2/24 dev vmb"));
	ASSERT_EQ(0, vsctl(self, NULL, "", "add-br csbr"));
	ASSERT_EQ(0, vsctl(self, NULL, "", "add-port csbr ca ofport=1"));
	ASSERT_EQ(0, vsctl(self, NULL, "", "add-port csbr cb ofport=2"));
	open_stalled(self, _metadata);
	secs = now();
	ASSERT_EQ(0, vsw_sh("ip netns exec vswc-a ping -c 3 -i 0.2 -W 3 198.51.100.2 > /dev/null"));
	secs = now() - secs;
	EXPECT_LT(secs, PROMPT_S);
	ASSERT_EQ(0, vsctl(self, NULL, "", "dump-flows csbr"));
	ASSERT_EQ(0, vsctl(self, NULL, "", "dp-stats csbr"));
	vsctl(self, NULL, "", "del-br csbr");
}

TEST_F_TIMEOUT(ctl, stalled_clients_dropped_at_deadline, 60)
{
	double t = now();
	char c;
	int i;

	open_stalled(self, _metadata);
	for (i = 0; i < N_STALL; i++) {
		/* SO_RCVTIMEO is 20 s: EOF must come before */
		ssize_t n = read(self->stall[i], &c, 1);

		if (n > 0) {	/* an error reply first is fine; then EOF */
			while ((n = read(self->stall[i], &c, 1)) > 0)
				;
		}
		EXPECT_EQ(0, n) TH_LOG("client %d: %s", i, n < 0 ? strerror(errno) : "data");
	}
	t = now() - t;
	EXPECT_GE(t, DEADLINE_S - 1);
	EXPECT_LT(t, DEADLINE_S + 8);
	TH_LOG("stalled clients dropped after %.1fs", t);
	ASSERT_EQ(0, vsctl(self, NULL, "", "show"));
}

VSW_HARNESS_MAIN
