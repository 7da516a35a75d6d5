// SPDX-License-Identifier: GPL-2.0
/*
 * fail_mode on a real daemon in config-only mode (the host has no
 * module): trace shows which rule decides. A controller target on a
 * local TCP port that is bound but not listening refuses every connect:
 * with standalone the bridge falls back to NORMAL after three inactivity
 * probes (100 ms here), with secure the bridge's own rules keep deciding;
 * a controller that answers HELLO ends the fallback, and losing it again
 * brings the fallback back. Every wait polls with a deadline.
 *
 * vsw-timeout: 180
 * vsw-sanitizers: tsan (the decision on the main thread, the revalidator
 * marking megaflows)
 */
#include <arpa/inet.h>
#include <libgen.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "daemon_helpers.h"
#include "ulib_helpers.h"
#include "ofp-msg.h"

#define DEADLINE_MS	20000

FIXTURE(fo) {
	char dir[300];
	char bin[256];
	char out[65536];
	int ctl_fd;			/* the "controller": bound, maybe listening */
	int port;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* vswitchctl @args into self->out; its exit status. */
static int ctl(FIXTURE_DATA(fo) *self, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int ctl(FIXTURE_DATA(fo) *self, const char *fmt, ...)
{
	char args[1024], path[400];
	va_list ap;
	FILE *f;
	size_t n = 0;
	int rc;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	rc = sh("VSWITCH_SOCKET='%s/sock' '%s/vswitchctl' %s >'%s/out' 2>&1",
		self->dir, self->bin, args, self->dir);
	snprintf(path, sizeof(path), "%s/out", self->dir);
	f = fopen(path, "r");
	if (f) {
		n = fread(self->out, 1, sizeof(self->out) - 1, f);
		fclose(f);
	}
	self->out[n] = '\0';
	return rc;
}

/* Polls until `vswitchctl @args` prints @want (or, with @absent, stops
 * printing it); the milliseconds it took, or -1 past the deadline. */
static long long wait_for(FIXTURE_DATA(fo) *self, const char *args,
			  const char *want, bool absent)
{
	long long start = now_ms();

	while (now_ms() - start < DEADLINE_MS) {
		if (!ctl(self, "%s", args) && !strstr(self->out, want) == absent)
			return now_ms() - start;
		usleep(20000);
	}
	return -1;
}

static bool log_has(FIXTURE_DATA(fo) *self, const char *what)
{
	return !sh("grep -q -- '%s' '%s/log'", what, self->dir);
}

FIXTURE_SETUP(fo)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	ASSERT_EQ(0, test_bindir(self->bin, sizeof(self->bin)));
	ASSERT_EQ(0, test_scratch(self->bin, "fo", self->dir, sizeof(self->dir)));
	/* bound, not listening: connects to it are refused */
	self->ctl_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, self->ctl_fd);
	ASSERT_EQ(0, bind(self->ctl_fd, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_EQ(0, getsockname(self->ctl_fd, (struct sockaddr *)&sa, &sl));
	self->port = ntohs(sa.sin_port);
	/* in the foreground, so that its log is kept */
	ASSERT_EQ(0, sh("'%s/vswitchd' --state-dir '%s/st' --socket '%s/sock' "
			"--pidfile '%s/pid' --log-level info 2>'%s/log' &",
			self->bin, self->dir, self->dir, self->dir, self->dir));
	for (int i = 0; i < 1000 && sh("test -s '%s/pid'", self->dir); i++)
		usleep(10000);
	ASSERT_EQ(0, ctl(self, "add-br br0")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctl(self, "add-port br0 p1"));
	ASSERT_EQ(0, ctl(self, "add-port br0 p2"));
	/* the bridge's own verdict: IP is dropped, the rest missed */
	ASSERT_EQ(0, ctl(self, "del-flows br0"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 priority=5,ip,actions=drop"));
}

FIXTURE_TEARDOWN(fo)
{
	close(self->ctl_fd);
	sh("kill $(cat '%s/pid') 2>/dev/null; for i in $(seq 100); do "
	   "test -e '%s/pid' || break; sleep 0.05; done; rm -rf '%s'",
	   self->dir, self->dir, self->dir);
}

#define TRACE_IP "trace br0 in_port=1,ip,dl_dst=02:00:00:00:00:02"
#define FAIL_OPEN "fail-open (hidden rule"

/* 0, or the exit status of the vswitchctl that failed */
static int under_controller(FIXTURE_DATA(fo) *self, const char *br)
{
	return ctl(self, "set %s inactivity-probe=100ms", br) ||
	       ctl(self, "set-controller %s tcp:127.0.0.1:%d", br, self->port);
}

TEST_F(fo, standalone_falls_back_to_normal_without_its_controller)
{
	long long start, ms;

	ASSERT_EQ(0, ctl(self, TRACE_IP));
	EXPECT_NE(NULL, strstr(self->out, "Datapath actions: drop"));
	ASSERT_EQ(0, ctl(self, "set br0 inactivity-probe=100ms"));
	start = now_ms();
	ASSERT_EQ(0, ctl(self, "set-controller br0 tcp:127.0.0.1:%d", self->port));
	ms = wait_for(self, TRACE_IP, FAIL_OPEN, false);
	ASSERT_LE(0, ms) TH_LOG("never failed open: %s", self->out);
	/* not before three probes of 100 ms from set-controller */
	EXPECT_LE(300, now_ms() - start);
	EXPECT_NE(NULL, strstr(self->out, "priority 15790320\n    NORMAL"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "Datapath actions: 2"));
	/* hidden from the rules' views, visible in show */
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_EQ(NULL, strstr(self->out, "NORMAL")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "priority=5,ip actions=drop"));
	ASSERT_EQ(0, ctl(self, "show br0"));
	EXPECT_NE(NULL, strstr(self->out, "    fail_mode: standalone (default)\n"
			       "    fail_open: active")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctl(self, "--json show br0"));
	EXPECT_NE(NULL, strstr(self->out, "\"fail_mode\":null,\"fail_open\":true"))
		TH_LOG("%s", self->out);
	EXPECT_TRUE(log_has(self, "br0: no controller connected for"));
	/* without targets there is nothing to fail over from */
	ASSERT_EQ(0, ctl(self, "del-controller br0"));
	ASSERT_LE(0, wait_for(self, TRACE_IP, FAIL_OPEN, true));
	EXPECT_NE(NULL, strstr(self->out, "Datapath actions: drop"));
	EXPECT_TRUE(log_has(self, "br0: no controller targets: no longer failing open"));
}

TEST_F(fo, secure_keeps_the_tables_verdict)
{
	ASSERT_EQ(0, ctl(self, "set-fail-mode br0 secure"));
	/* br1, standalone, shows when the probes have run out for br0 too */
	ASSERT_EQ(0, ctl(self, "add-br br1"));
	ASSERT_EQ(0, ctl(self, "del-flows br1"));
	ASSERT_EQ(0, under_controller(self, "br0"));
	ASSERT_EQ(0, under_controller(self, "br1"));
	ASSERT_LE(0, wait_for(self, "trace br1 in_port=LOCAL,ip", FAIL_OPEN, false));
	ASSERT_EQ(0, ctl(self, TRACE_IP));
	EXPECT_EQ(NULL, strstr(self->out, FAIL_OPEN)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, " 0. ip, priority 5\n"));
	EXPECT_NE(NULL, strstr(self->out, "Datapath actions: drop"));
	ASSERT_EQ(0, ctl(self, "trace br0 in_port=1,arp"));
	EXPECT_NE(NULL, strstr(self->out, " 0. No match.")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctl(self, "show br0"));
	EXPECT_NE(NULL, strstr(self->out, "    fail_mode: secure\n"));
	EXPECT_EQ(NULL, strstr(self->out, "fail_open"));
	/* standalone again: the probes ran out long ago */
	ASSERT_EQ(0, ctl(self, "set-fail-mode br0 standalone"));
	ASSERT_LE(0, wait_for(self, TRACE_IP, FAIL_OPEN, false));
	/* and secure ends it at once */
	ASSERT_EQ(0, ctl(self, "set-fail-mode br0 secure"));
	ASSERT_EQ(0, ctl(self, TRACE_IP));
	EXPECT_EQ(NULL, strstr(self->out, FAIL_OPEN)) TH_LOG("%s", self->out);
	EXPECT_TRUE(log_has(self, "br0: fail mode secure: no longer failing open"));
}

/* Accepts the daemon's connection and completes HELLO; the fd or -1. */
static int accept_controller(FIXTURE_DATA(fo) *self)
{
	struct pollfd p = { .fd = self->ctl_fd, .events = POLLIN };
	uint8_t buf[4096];
	struct ofpbuf b;
	ssize_t n;
	int fd;

	if (poll(&p, 1, DEADLINE_MS) != 1)
		return -1;
	fd = accept4(self->ctl_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	p.fd = fd;
	/* the daemon's HELLO (one 8-byte header and its bitmap element) */
	if (poll(&p, 1, DEADLINE_MS) != 1 || (n = recv(fd, buf, sizeof(buf), 0)) < 8 ||
	    buf[1] != OFPT13_HELLO) {
		close(fd);
		return -1;
	}
	ofpbuf_init(&b);
	ofp13_encode_hello(&b, 1);
	n = send(fd, b.data, b.size, MSG_NOSIGNAL);
	ofpbuf_free(&b);
	return fd;
}

TEST_F(fo, a_controller_that_connects_ends_the_fallback)
{
	int fd;

	ASSERT_EQ(0, under_controller(self, "br0"));
	ASSERT_LE(0, wait_for(self, TRACE_IP, FAIL_OPEN, false));
	/* slow probes while connected: the test answers no echo */
	ASSERT_EQ(0, ctl(self, "set br0 inactivity-probe=60s"));
	ASSERT_EQ(0, listen(self->ctl_fd, 4));
	fd = accept_controller(self);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, wait_for(self, TRACE_IP, FAIL_OPEN, true)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "Datapath actions: drop"));
	ASSERT_EQ(0, ctl(self, "show br0"));
	EXPECT_NE(NULL, strstr(self->out, ": connected\n")) TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "fail_open"));
	EXPECT_TRUE(log_has(self, "br0: controller connected: no longer failing open"));
	/* it goes away (and refuses): three short probes later, NORMAL again */
	ASSERT_EQ(0, ctl(self, "set br0 inactivity-probe=100ms"));
	close(fd);
	close(self->ctl_fd);
	self->ctl_fd = -1;
	ASSERT_LE(0, wait_for(self, TRACE_IP, FAIL_OPEN, false));
}

TEST_F(fo, passive_targets_alone_never_fail_open)
{
	ASSERT_EQ(0, ctl(self, "set br0 inactivity-probe=100ms"));
	ASSERT_EQ(0, ctl(self, "set-controller br0 punix:%s/ctl.sock", self->dir));
	/* br1 with an active target shows when the time has passed */
	ASSERT_EQ(0, ctl(self, "add-br br1"));
	ASSERT_EQ(0, under_controller(self, "br1"));
	ASSERT_LE(0, wait_for(self, "trace br1 in_port=LOCAL,ip", FAIL_OPEN, false));
	/* br1's grace began after br0's: br0's has run out too */
	ASSERT_EQ(0, ctl(self, TRACE_IP));
	EXPECT_EQ(NULL, strstr(self->out, FAIL_OPEN)) TH_LOG("%s", self->out);
}

TEST_HARNESS_MAIN
