// SPDX-License-Identifier: GPL-2.0
/*
 * vswitchctl against a real vswitchd started in a private temporary
 * directory (state dir, control socket, pidfile). On the host the module
 * is not loaded, so the daemon runs in config-only mode: bridges, ports,
 * rules, settings, trace and persistence all work end to end.
 *
 * vsw-timeout: 120
 * vsw-sanitizers: tsan (the daemon's control server and revalidator threads)
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "daemon_helpers.h"

#define P 512

static char bindir[256];

struct run {
	int rc;
	char out[65536];
	char err[4096];
};

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

FIXTURE(daemon) {
	char dir[300];
	char sock[400];
	char state[400];
	char pidfile[400];
	struct run r;
};

/* Starts vswitchd detached; returns its exit status. */
static int start_daemon(FIXTURE_DATA(daemon) *self, const char *extra)
{
	char cmd[16384];

	snprintf(cmd, sizeof(cmd), "'%s/vswitchd' --state-dir '%s' --socket '%s' "
		 "--pidfile '%s' --detach --log-level warn %s 2>'%s/daemon.err'",
		 bindir, self->state, self->sock, self->pidfile, extra ? extra : "",
		 self->dir);
	return WEXITSTATUS(system(cmd));
}

static pid_t daemon_pid(FIXTURE_DATA(daemon) *self)
{
	char buf[32];

	slurp(self->pidfile, buf, sizeof(buf));
	return atoi(buf);
}

static void stop_daemon(FIXTURE_DATA(daemon) *self, int sig)
{
	pid_t pid = daemon_pid(self);
	int i;

	if (pid <= 0)
		return;
	kill(pid, sig);
	for (i = 0; i < 200 && !kill(pid, 0); i++)
		usleep(10000);
	unlink(self->pidfile);
}

/* Runs vswitchctl with @args (a shell fragment) into self->r. */
static int ctl(FIXTURE_DATA(daemon) *self, const char *fmt, ...)
{
	char args[8192], cmd[16384], path[P];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "VSWITCH_SOCKET='%s' '%s/vswitchctl' %s "
		 ">'%s/out' 2>'%s/err'", self->sock, bindir, args, self->dir,
		 self->dir);
	self->r.rc = WEXITSTATUS(system(cmd));
	snprintf(path, sizeof(path), "%s/out", self->dir);
	slurp(path, self->r.out, sizeof(self->r.out));
	snprintf(path, sizeof(path), "%s/err", self->dir);
	slurp(path, self->r.err, sizeof(self->r.err));
	return self->r.rc;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

FIXTURE_SETUP(daemon)
{
	ASSERT_EQ(0, test_bindir(bindir, sizeof(bindir)));
	ASSERT_EQ(0, test_scratch(bindir, "ctl", self->dir, sizeof(self->dir)));
	snprintf(self->sock, sizeof(self->sock), "%s/sock", self->dir);
	snprintf(self->state, sizeof(self->state), "%s/state", self->dir);
	snprintf(self->pidfile, sizeof(self->pidfile), "%s/pid", self->dir);
	ASSERT_EQ(0, start_daemon(self, NULL));
}

FIXTURE_TEARDOWN(daemon)
{
	char cmd[P];

	stop_daemon(self, SIGTERM);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	ASSERT_EQ(0, system(cmd));
}

TEST_F(daemon, add_br_lists_it_with_the_default_rule)
{
	ASSERT_EQ(0, ctl(self, "add-br br0")) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, ctl(self, "list-br"));
	EXPECT_STREQ("br0\n", self->r.out);
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_EQ(1, count_lines(self->r.out));
	EXPECT_NE(NULL, strstr(self->r.out, "table=0, n_packets=0, n_bytes=0, "
			       "priority=0 actions=NORMAL")) TH_LOG("%s", self->r.out);
	ASSERT_EQ(0, ctl(self, "del-br br0"));
	ASSERT_EQ(0, ctl(self, "list-br"));
	EXPECT_STREQ("", self->r.out);
}

TEST_F(daemon, errors_exit_1_and_name_the_culprit)
{
	ASSERT_EQ(0, ctl(self, "add-br br0"));
	EXPECT_EQ(1, ctl(self, "add-br br0"));
	EXPECT_STREQ("vswitchctl: bridge 'br0' already exists\n", self->r.err);
	EXPECT_EQ(1, ctl(self, "del-br nosuch"));
	EXPECT_STREQ("vswitchctl: no bridge named 'nosuch'\n", self->r.err);
	EXPECT_EQ(1, ctl(self, "add-flow nosuch actions=drop"));
	EXPECT_STREQ("vswitchctl: no bridge named 'nosuch'\n", self->r.err);
	EXPECT_EQ(1, ctl(self, "add-flow br0 'ip,nw_srcc=1.2.3.4,actions=drop'"));
	EXPECT_NE(NULL, strstr(self->r.err, "nw_srcc")) TH_LOG("%s", self->r.err);
	EXPECT_EQ(1, ctl(self, "add-flow br0 'ip,nw_src=10.0.0.0/33,actions=drop'"));
	EXPECT_NE(NULL, strstr(self->r.err, "nw_src=10.0.0.0/33"));
	EXPECT_EQ(1, ctl(self, "add-flow br0 'in_port=vm9,actions=drop'"));
	EXPECT_NE(NULL, strstr(self->r.err, "vm9"));
	EXPECT_EQ(1, ctl(self, "add-flow br0 'actions=frobnicate'"));
	EXPECT_NE(NULL, strstr(self->r.err, "frobnicate"));
	EXPECT_EQ(1, ctl(self, "add-port br0 eth0 tag=4095"));
	EXPECT_STREQ("vswitchctl: invalid tag '4095': want a VLAN 1..4094\n",
		     self->r.err);
	EXPECT_EQ(1, ctl(self, "add-port br0 eth0 tag=5 trunks=6"));
	EXPECT_STREQ("vswitchctl: tag= and trunks= exclude each other\n",
		     self->r.err);
	EXPECT_EQ(1, ctl(self, "add-port br0 eth0 color=red"));
	EXPECT_NE(NULL, strstr(self->r.err, "unknown port option 'color=red'"));
	EXPECT_EQ(1, ctl(self, "set br0 flow-limit=0"));
	EXPECT_NE(NULL, strstr(self->r.err, "invalid value '0' for flow-limit"));
	EXPECT_EQ(1, ctl(self, "set br0 idle-timeout=5min"));
	EXPECT_NE(NULL, strstr(self->r.err, "invalid value '5min' for idle-timeout"));
	EXPECT_EQ(1, ctl(self, "set br0 colour=1"));
	EXPECT_NE(NULL, strstr(self->r.err, "unknown setting 'colour'"));
	EXPECT_EQ(1, ctl(self, "set br0 inactivity-probe=50ms"));
	EXPECT_NE(NULL, strstr(self->r.err, "invalid value '50ms' for "
			       "inactivity-probe")) TH_LOG("%s", self->r.err);
	EXPECT_EQ(1, ctl(self, "set-fail-mode br0 open"));
	EXPECT_STREQ("vswitchctl: invalid fail mode 'open': want secure or "
		     "standalone\n", self->r.err);
	EXPECT_EQ(1, ctl(self, "set-fail-mode nosuch secure"));
	EXPECT_STREQ("vswitchctl: no bridge named 'nosuch'\n", self->r.err);
	EXPECT_EQ(1, ctl(self, "set-fail-mode br0"));
	EXPECT_NE(NULL, strstr(self->r.err, "wrong number of arguments"));
	EXPECT_EQ(1, ctl(self, "frobnicate"));
	EXPECT_NE(NULL, strstr(self->r.err, "unknown command 'frobnicate'"));
	EXPECT_EQ(1, ctl(self, "list-br extra"));
	EXPECT_EQ(1, ctl(self, "--json add-br br1"));
	EXPECT_NE(NULL, strstr(self->r.err, "--json applies only to listings"));
	/* nothing of the above changed anything */
	ASSERT_EQ(0, ctl(self, "get-fail-mode br0"));
	EXPECT_STREQ("", self->r.out);
	ASSERT_EQ(0, ctl(self, "list-ports br0"));
	EXPECT_STREQ("", self->r.out);
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_EQ(1, count_lines(self->r.out));
	ASSERT_EQ(0, ctl(self, "list-br"));
	EXPECT_STREQ("br0\n", self->r.out);
}

TEST_F(daemon, add_flows_is_all_or_nothing_with_the_line_number)
{
	char path[P];
	FILE *f;

	ASSERT_EQ(0, ctl(self, "add-br br0"));
	snprintf(path, sizeof(path), "%s/flows", self->dir);
	f = fopen(path, "w");
	fputs("# ACL\n\npriority=10,ip,actions=drop\n"
	      "priority=20,tcp,tp_dst=99999,actions=drop\n", f);
	fclose(f);
	EXPECT_EQ(1, ctl(self, "add-flows br0 '%s'", path));
	EXPECT_NE(NULL, strstr(self->r.err, "line 4: ")) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_EQ(1, count_lines(self->r.out));

	f = fopen(path, "w");
	fputs("# ACL\n\npriority=10,ip,actions=drop\n"
	      "  # indented comment\npriority=20,tcp,tp_dst=80,actions=NORMAL\n", f);
	fclose(f);
	ASSERT_EQ(0, ctl(self, "add-flows br0 - < '%s'", path))
		TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_EQ(3, count_lines(self->r.out));
	EXPECT_NE(NULL, strstr(self->r.out, "priority=20,tcp,tp_dst=80 actions=NORMAL"))
		TH_LOG("%s", self->r.out);
	EXPECT_EQ(1, ctl(self, "add-flows br0 '%s/none'", self->dir));
	EXPECT_NE(NULL, strstr(self->r.err, "No such file"));
}

/* The duration dump-flows prints for the rule whose line has @what. */
static double duration_of(const char *dump, const char *what)
{
	const char *l = strstr(dump, what), *d;

	while (l && l > dump && l[-1] != '\n')
		l--;
	d = l ? strstr(l, "duration=") : NULL;
	return d ? atof(d + 9) : -1;
}

/* replace-flows changes only what differs, keeping a changed rule's age
 * (and counters); diff-flows says what it would change, exit status 2;
 * mod-flows changes actions only. */
TEST_F(daemon, replace_diff_and_mod_flows)
{
	double old_age;
	char path[P];
	FILE *f;

	ASSERT_EQ(0, ctl(self, "add-br br0"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-a"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-b"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'priority=10,ip,actions=drop'"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'table=1,priority=5,tcp,tp_dst=80,actions=output:1'"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'cookie=0x5,arp,actions=NORMAL'"));
	snprintf(path, sizeof(path), "%s/want", self->dir);
	f = fopen(path, "w");
	fputs("priority=0,actions=NORMAL\npriority=10,ip,actions=drop\n"
	      "table=1,priority=5,tcp,tp_dst=80,actions=output:2\n"
	      "udp,actions=drop\n", f);
	fclose(f);

	EXPECT_EQ(2, ctl(self, "diff-flows br0 '%s'", path)) TH_LOG("%s", self->r.err);
	EXPECT_STREQ("-table=0,priority=32768,cookie=0x5,arp,actions=NORMAL\n"
		     "-table=1,priority=5,tcp,tp_dst=80,actions=output:1\n"
		     "+table=1,priority=5,tcp,tp_dst=80,actions=output:2\n"
		     "+table=0,priority=32768,udp,actions=drop\n", self->r.out);
	sleep(1);
	ASSERT_EQ(0, ctl(self, "replace-flows br0 '%s'", path)) TH_LOG("%s", self->r.err);
	EXPECT_EQ(0, ctl(self, "diff-flows br0 - < '%s'", path));
	EXPECT_STREQ("", self->r.out);
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_EQ(4, count_lines(self->r.out)) TH_LOG("%s", self->r.out);
	/* untouched and changed rules are as old as before; the new one is
	 * at least the 1 s slept younger, however slow the host */
	old_age = duration_of(self->r.out, "priority=10,ip actions=drop");
	EXPECT_LE(1.0, old_age);
	EXPECT_LE(1.0, duration_of(self->r.out, "tp_dst=80 actions=output:2"));
	EXPECT_GT(old_age - 0.9, duration_of(self->r.out, "udp actions=drop"));
	EXPECT_EQ(NULL, strstr(self->r.out, "arp"));

	ASSERT_EQ(0, ctl(self, "mod-flows br0 'table=1,actions=output:vm-a'"));
	ASSERT_EQ(0, ctl(self, "mod-flows br0 --strict 'priority=10,ip,actions=NORMAL'"));
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_NE(NULL, strstr(self->r.out, "tp_dst=80 actions=output:1"));
	EXPECT_NE(NULL, strstr(self->r.out, "priority=10,ip actions=NORMAL"));
	EXPECT_LE(1.0, duration_of(self->r.out, "tp_dst=80 actions=output:1"));
	EXPECT_EQ(1, ctl(self, "mod-flows br0 'idle_timeout=5,udp,actions=drop'"));
	EXPECT_NE(NULL, strstr(self->r.err, "mod-flows changes actions only"));
	/* a bad line changes nothing */
	f = fopen(path, "a");
	fputs("priority=1,tcp,tp_dst=99999,actions=drop\n", f);
	fclose(f);
	EXPECT_EQ(1, ctl(self, "replace-flows br0 '%s'", path));
	EXPECT_NE(NULL, strstr(self->r.err, "line 5: ")) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_NE(NULL, strstr(self->r.out, "priority=10,ip actions=NORMAL"));
}

TEST_F(daemon, del_flows_filter_and_strict)
{
	ASSERT_EQ(0, ctl(self, "add-br br0"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'priority=10,ip,nw_src=10.0.0.1,actions=drop'"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'priority=20,ip,nw_src=10.0.0.1,actions=drop'"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'priority=30,ip,nw_src=10.0.0.2,actions=drop'"));
	ASSERT_EQ(0, ctl(self, "del-flows br0 --strict 'priority=10,ip,nw_src=10.0.0.1'"));
	ASSERT_EQ(0, ctl(self, "dump-flows br0 ip"));
	EXPECT_EQ(2, count_lines(self->r.out)) TH_LOG("%s", self->r.out);
	EXPECT_EQ(NULL, strstr(self->r.out, "priority=10,"));
	ASSERT_EQ(0, ctl(self, "del-flows br0 ip"));
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_EQ(1, count_lines(self->r.out)) TH_LOG("%s", self->r.out);
	ASSERT_EQ(0, ctl(self, "del-flows br0"));
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_STREQ("", self->r.out);
	EXPECT_EQ(1, ctl(self, "del-flows br0 --strict"));
	EXPECT_EQ(1, ctl(self, "dump-flows br0 --strict"));
}

TEST_F(daemon, ports_show_numbers_vlans_and_absent_interfaces)
{
	ASSERT_EQ(0, ctl(self, "add-br br0"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-a tag=10"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-b ofport=7 trunks=30,20"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-c"));
	EXPECT_EQ(1, ctl(self, "add-port br0 vm-d ofport=7"));
	EXPECT_STREQ("vswitchctl: ofport 7 already used by 'vm-b'\n", self->r.err);
	EXPECT_EQ(1, ctl(self, "add-port br0 vm-a"));
	EXPECT_NE(NULL, strstr(self->r.err, "port 'vm-a' already exists"));
	ASSERT_EQ(0, ctl(self, "show"));
	EXPECT_NE(NULL, strstr(self->r.out, "    Port vm-a\n        ofport: 1, "
			       "interface: absent, vlan: access tag=10\n"))
		TH_LOG("%s", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, "ofport: 7, interface: absent, vlan: "
			       "trunks=20,30"));
	EXPECT_NE(NULL, strstr(self->r.out, "ofport: 2, interface: absent, vlan: "
			       "trunk (all VLANs)"));
	ASSERT_EQ(0, ctl(self, "list-ports br0"));
	EXPECT_STREQ("vm-a\nvm-b\nvm-c\n", self->r.out);
	/* port names in flows resolve to the port numbers */
	ASSERT_EQ(0, ctl(self, "add-flow br0 'in_port=vm-b,actions=output:vm-a'"));
	ASSERT_EQ(0, ctl(self, "dump-flows br0 in_port=7"));
	EXPECT_NE(NULL, strstr(self->r.out, "in_port=7 actions=output:1"))
		TH_LOG("%s", self->r.out);
	ASSERT_EQ(0, ctl(self, "del-port br0 vm-b"));
	EXPECT_EQ(1, ctl(self, "del-port br0 vm-b"));
	EXPECT_STREQ("vswitchctl: bridge 'br0' has no port 'vm-b'\n", self->r.err);
}

TEST_F(daemon, json_listings)
{
	ASSERT_EQ(0, ctl(self, "add-br br0"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-a tag=10"));
	ASSERT_EQ(0, ctl(self, "--json list-br"));
	EXPECT_STREQ("[\"br0\"]\n", self->r.out);
	ASSERT_EQ(0, ctl(self, "list-ports br0 --json"));
	EXPECT_STREQ("[\"vm-a\"]\n", self->r.out);
	ASSERT_EQ(0, ctl(self, "--json show"));
	EXPECT_NE(NULL, strstr(self->r.out, "{\"name\":\"vm-a\",\"ofport\":1,"
			       "\"attached\":false,\"vlan_mode\":\"access\",\"tag\":10}"))
		TH_LOG("%s", self->r.out);
	ASSERT_EQ(0, ctl(self, "--json dump-flows br0"));
	EXPECT_NE(NULL, strstr(self->r.out, "\"priority\":0,\"n_packets\":0"));
	EXPECT_NE(NULL, strstr(self->r.out, "\"actions\":\"NORMAL\""));
	ASSERT_EQ(0, ctl(self, "--json fdb-show br0"));
	EXPECT_STREQ("[]\n", self->r.out);
	ASSERT_EQ(0, ctl(self, "--json dp-stats br0"));
	EXPECT_NE(NULL, strstr(self->r.out, "\"daemon\":{"));
}

TEST_F(daemon, state_survives_sigkill_and_restart)
{
	char before[65536], path[P], st[8192];

	ASSERT_EQ(0, ctl(self, "add-br br0"));
	ASSERT_EQ(0, ctl(self, "add-br br1"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-a tag=10"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-b ofport=9 trunks=5,6"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'table=3,priority=77,cookie=0x42,tcp,"
			 "nw_dst=192.0.2.0/24,tp_dst=22,actions=output:vm-b'"));
	ASSERT_EQ(0, ctl(self, "set br0 idle-timeout=3s flow-limit=5000"));
	ASSERT_EQ(0, ctl(self, "set br1 inactivity-probe=0"));
	ASSERT_EQ(0, ctl(self, "set br0 inactivity-probe=2s"));
	ASSERT_EQ(0, ctl(self, "set-fail-mode br0 secure"));
	ASSERT_EQ(0, ctl(self, "set-fail-mode br1 standalone"));
	ASSERT_EQ(0, ctl(self, "get-fail-mode br1"));
	EXPECT_STREQ("standalone\n", self->r.out);
	ASSERT_EQ(0, ctl(self, "del-fail-mode br1"));
	ASSERT_EQ(0, ctl(self, "get-fail-mode br1"));
	EXPECT_STREQ("", self->r.out);	/* unset prints nothing, as ovs-vsctl */
	ASSERT_EQ(0, ctl(self, "show"));
	snprintf(before, sizeof(before), "%s", self->r.out);
	EXPECT_NE(NULL, strstr(before, "Bridge br0\n    datapath: config-only "
			       "(vswitch module not loaded)\n    fail_mode: secure\n"))
		TH_LOG("%s", before);
	stop_daemon(self, SIGKILL);
	ASSERT_EQ(0, start_daemon(self, NULL));
	ASSERT_EQ(0, ctl(self, "show"));
	EXPECT_STREQ(before, self->r.out);
	ASSERT_EQ(0, ctl(self, "dump-flows br0 table=3"));
	EXPECT_NE(NULL, strstr(self->r.out, "cookie=0x42, "));
	EXPECT_NE(NULL, strstr(self->r.out, "table=3, "));
	EXPECT_NE(NULL, strstr(self->r.out, "priority=77,tcp,nw_dst=192.0.2.0/24,"
			       "tp_dst=22 actions=output:9")) TH_LOG("%s", self->r.out);
	ASSERT_EQ(0, ctl(self, "list-br"));
	EXPECT_STREQ("br0\nbr1\n", self->r.out);
	ASSERT_EQ(0, ctl(self, "get-fail-mode br0"));
	EXPECT_STREQ("secure\n", self->r.out);
	ASSERT_EQ(0, ctl(self, "get-fail-mode br1"));
	EXPECT_STREQ("", self->r.out);
	/* the settings came back too */
	snprintf(path, sizeof(path), "%s/state.conf", self->state);
	slurp(path, st, sizeof(st));
	EXPECT_NE(NULL, strstr(st, "bridge br0 flow-limit=5000 "
			       "idle-timeout=3000ms")) TH_LOG("%s", st);
	EXPECT_NE(NULL, strstr(st, " inactivity-probe=2000ms\n")) TH_LOG("%s", st);
	EXPECT_NE(NULL, strstr(st, " inactivity-probe=0ms\n")) TH_LOG("%s", st);
	EXPECT_NE(NULL, strstr(st, "\nfail-mode br0 secure\n")) TH_LOG("%s", st);
	EXPECT_EQ(NULL, strstr(st, "fail-mode br1"));
	/* and what it read it writes again the same */
	ASSERT_EQ(0, ctl(self, "set br1 upcall-burst=2000"));
	slurp(path, before, sizeof(before));
	EXPECT_STREQ(st, before);
}

TEST_F(daemon, corrupt_state_is_reported_and_kept)
{
	char path[P], err[4096], after[8192];
	FILE *f;

	ASSERT_EQ(0, ctl(self, "add-br br0"));
	stop_daemon(self, SIGTERM);
	snprintf(path, sizeof(path), "%s/state.conf", self->state);
	f = fopen(path, "a");
	fputs("fail-mode br0 secure\n", f);	/* fine */
	fputs("port br0 eth0 tag=banana\n", f);
	fclose(f);
	EXPECT_EQ(1, start_daemon(self, NULL));
	snprintf(path, sizeof(path), "%s/daemon.err", self->dir);
	slurp(path, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/state.conf", self->state);
	EXPECT_NE(NULL, strstr(err, "state.conf:6: invalid tag 'banana'"))
		TH_LOG("%s", err);
	slurp(path, after, sizeof(after));
	EXPECT_NE(NULL, strstr(after, "tag=banana"));	/* not overwritten */
	/* the operator may move it aside and start empty */
	ASSERT_EQ(0, start_daemon(self, "--discard-corrupt-state"));
	ASSERT_EQ(0, ctl(self, "list-br"));
	EXPECT_STREQ("", self->r.out);
	/* a fail-mode record is checked as the command checks its word */
	ASSERT_EQ(0, ctl(self, "add-br br0"));
	stop_daemon(self, SIGTERM);
	snprintf(path, sizeof(path), "%s/state.conf", self->state);
	f = fopen(path, "a");
	fputs("fail-mode br0 banana\n", f);
	fclose(f);
	EXPECT_EQ(1, start_daemon(self, NULL));
	snprintf(path, sizeof(path), "%s/daemon.err", self->dir);
	slurp(path, err, sizeof(err));
	EXPECT_NE(NULL, strstr(err, ": invalid fail mode 'banana': want secure "
			       "or standalone")) TH_LOG("%s", err);
}

/* Drops dump-flows' duration= fields (clocks differ between bridges). */
static void strip_durations(char *s)
{
	char *d;

	while ((d = strstr(s, "duration="))) {
		char *end = strstr(d, "s, ");

		if (!end)
			return;
		memmove(d, end + 3, strlen(end + 3) + 1);
	}
}

/* Issue 12: whatever the daemon writes it reads back. An ICMPv6 ND rule
 * (printed "icmp6,icmp_type=135") and rules whose printed form once did
 * not parse survive a restart, and dump-flows output feeds add-flows. */
TEST_F(daemon, rules_it_printed_load_after_restart_and_feed_add_flows)
{
	static const char *const rules[] = {
		"priority=10,icmp6,icmpv6_type=135,actions=drop",
		"priority=11,icmp6,icmpv6_type=136,nd_target=2001:db8::1,actions=NORMAL",
		"priority=20,tcp,tcp_flags=syn|ack,actions=drop",
		"priority=21,tcp,tcp_flags=0x800/0x800,actions=drop",
		"priority=30,ip,nw_proto=2,actions=drop",
		"cookie=0x77,idle_timeout=50,priority=40,vlan_tci=0x1005/0x0fff,actions=drop",
		"priority=50,reg0=0x5,xreg7=0x1/0x1,metadata=0x1/0xff,actions="
		"load:0x1->NXM_NX_REG1[3],move:NXM_NX_REG1[]->NXM_NX_REG2[],"
		"set_field:0x5/0x5->reg4,write_metadata:0x5/0xff,goto_table:1",
		"priority=51,ip,actions=set_field:0x2a->reg13,ct(table=2,zone=NXM_NX_REG13[0..15])",
	};
	static char dump0[sizeof(((struct run *)0)->out)];
	static char dump1[sizeof(dump0)];
	char path[P];
	FILE *f;

	ASSERT_EQ(0, ctl(self, "add-br br0"));
	ASSERT_EQ(0, ctl(self, "add-br br1"));
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		ASSERT_EQ(0, ctl(self, "add-flow br0 '%s'", rules[i])) {
			TH_LOG("%s: %s", rules[i], self->r.err);
		}
	}
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	EXPECT_NE(NULL, strstr(self->r.out, "priority=10,icmp6,icmp_type=135 "
			       "actions=drop")) TH_LOG("%s", self->r.out);
	snprintf(dump0, sizeof(dump0), "%s", self->r.out);
	snprintf(path, sizeof(path), "%s/dump", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs(dump0, f);
	fclose(f);
	ASSERT_EQ(0, ctl(self, "add-flows br1 '%s'", path)) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, ctl(self, "dump-flows br1"));
	snprintf(dump1, sizeof(dump1), "%s", self->r.out);
	strip_durations(dump0);
	strip_durations(dump1);
	EXPECT_STREQ(dump0, dump1);
	stop_daemon(self, SIGTERM);
	ASSERT_EQ(0, start_daemon(self, NULL)) {
		snprintf(path, sizeof(path), "%s/daemon.err", self->dir);
		slurp(path, dump1, sizeof(dump1));
		TH_LOG("%s", dump1);
	}
	ASSERT_EQ(0, ctl(self, "dump-flows br0"));
	strip_durations(self->r.out);
	EXPECT_STREQ(dump0, self->r.out);
	ASSERT_EQ(0, ctl(self, "dump-flows br1"));
	strip_durations(self->r.out);
	EXPECT_STREQ(dump0, self->r.out);
}

TEST_F(daemon, control_socket_is_private)
{
	struct stat st;

	ASSERT_EQ(0, stat(self->sock, &st));
	EXPECT_TRUE(S_ISSOCK(st.st_mode));
	EXPECT_EQ(0600u, st.st_mode & 0777);
	/* a second daemon on the same socket refuses to start */
	EXPECT_EQ(1, start_daemon(self, NULL));
}

TEST_F(daemon, trace_works_on_a_port_whose_interface_is_absent)
{
	ASSERT_EQ(0, ctl(self, "add-br br0"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-a"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-b"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'priority=5,in_port=vm-a,ip,actions=output:vm-b'"));
	ASSERT_EQ(0, ctl(self, "trace br0 in_port=vm-a,ip,nw_src=10.0.0.1"))
		TH_LOG("%s", self->r.err);
	EXPECT_NE(NULL, strstr(self->r.out, "Datapath actions: 2"))
		TH_LOG("%s", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, "Megaflow: "));
	/* trace learned nothing */
	ASSERT_EQ(0, ctl(self, "fdb-show br0"));
	EXPECT_EQ(1, count_lines(self->r.out));
	EXPECT_EQ(1, ctl(self, "trace br0 ip"));
}

/* --ct-next crosses client and daemon, in order, each form; a bad one
 * or one on another command is refused naming it. */
TEST_F(daemon, trace_ct_next_gives_each_recirculation_its_state)
{
	ASSERT_EQ(0, ctl(self, "add-br br0"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-a"));
	ASSERT_EQ(0, ctl(self, "add-port br0 vm-b"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'ip,ct_state=-trk,actions=ct(zone=3,table=1)'"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'table=1,ip,ct_state=+trk+est,actions=output:vm-b'"));
	ASSERT_EQ(0, ctl(self, "add-flow br0 'table=1,priority=1,ip,actions=drop'"));
	ASSERT_EQ(0, ctl(self, "trace br0 in_port=vm-a,ip --ct-next trk,est"))
		TH_LOG("%s", self->r.err);
	EXPECT_NE(NULL, strstr(self->r.out, "resume conntrack with ct_state=est|trk"))
		TH_LOG("%s", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, "Datapath actions: 2\n"));
	ASSERT_EQ(0, ctl(self, "trace --ct-next=trk,new br0 in_port=vm-a,ip"));
	EXPECT_NE(NULL, strstr(self->r.out, "Datapath actions: drop\n"))
		TH_LOG("%s", self->r.out);
	EXPECT_EQ(1, ctl(self, "trace br0 in_port=vm-a,ip --ct-next est"));
	EXPECT_NE(NULL, strstr(self->r.err, "--ct-next 'est' is a state no packet "
			       "can have: no trk"))
		TH_LOG("%s", self->r.err);
	EXPECT_EQ(1, ctl(self, "dump-flows br0 --ct-next trk"));
	EXPECT_NE(NULL, strstr(self->r.err, "dump-flows: --ct-next applies only "
			       "to trace"))
		TH_LOG("%s", self->r.err);
	EXPECT_EQ(1, ctl(self, "trace br0 in_port=vm-a,ip --ct-next"));
	EXPECT_NE(NULL, strstr(self->r.err, "--ct-next needs flags"));
}

/* br-int and br-ex joined by patch-ex <-> patch-int, NORMAL on both */
static void patch_pair(FIXTURE_DATA(daemon) *self,
		       struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, ctl(self, "add-br br-int"));
	ASSERT_EQ(0, ctl(self, "add-br br-ex"));
	ASSERT_EQ(0, ctl(self, "add-port br-int vm-a ofport=1"));
	ASSERT_EQ(0, ctl(self, "add-port br-ex vm-b ofport=7"));
	ASSERT_EQ(0, ctl(self, "add-port br-int patch-ex type=patch "
			 "options:peer=patch-int")) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, ctl(self, "add-port br-ex patch-int ofport=9 "
			 "options:peer=patch-ex type=patch"));
}

TEST_F(daemon, patch_port_options_are_checked_and_named)
{
	static const struct {
		const char *args, *err;
	} bad[] = {
		{ "p1 type=patch", "patch port p1 needs options:peer=NAME" },
		{ "p1 type=patch options:peer=p1", "p1 cannot be its own peer" },
		{ "p1 options:peer=p2", "options:peer is for patch ports: give "
		  "type=patch" },
		{ "p1 type=patch options:peer=p2 options:key=5",
		  "takes only options:peer, not 'options:key=5'" },
		{ "p1 options:remote_ip=192.0.2.1 type=patch options:peer=p2",
		  "not 'options:remote_ip=192.0.2.1'" },
		{ "p1 type=patch type=vxlan options:peer=p2", "type= given twice" },
		{ "p1 type=patch options:peer=", "invalid options:peer ''" },
		{ "p1 type=patches options:peer=p2", "unknown port type 'patches'" },
	};

	ASSERT_EQ(0, ctl(self, "add-br br0"));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(1, ctl(self, "add-port br0 %s", bad[i].args));
		EXPECT_NE(NULL, strstr(self->r.err, bad[i].err))
			TH_LOG("%s: %s", bad[i].args, self->r.err);
	}
	ASSERT_EQ(0, ctl(self, "show br0"));
	EXPECT_EQ(NULL, strstr(self->r.out, "p1")) TH_LOG("%s", self->r.out);
}

TEST_F(daemon, patch_show_names_an_incomplete_peer)
{
	ASSERT_EQ(0, ctl(self, "add-br br-int"));
	ASSERT_EQ(0, ctl(self, "add-br br-ex"));
	ASSERT_EQ(0, ctl(self, "add-port br-int patch-ex type=patch "
			 "options:peer=patch-int"));
	ASSERT_EQ(0, ctl(self, "show br-int"));
	EXPECT_NE(NULL, strstr(self->r.out, "    Port patch-ex\n        ofport: 1, "
			       "interface: none (patch), vlan: trunk (all VLANs)\n"
			       "        patch: peer=patch-int, error: \"peer "
			       "'patch-int' does not exist\"\n")) TH_LOG("%s", self->r.out);
	ASSERT_EQ(0, ctl(self, "add-port br-ex patch-int"));
	ASSERT_EQ(0, ctl(self, "show br-int"));
	EXPECT_NE(NULL, strstr(self->r.out, "error: \"peer 'patch-int' is not "
			       "a patch port\"")) TH_LOG("%s", self->r.out);
	ASSERT_EQ(0, ctl(self, "del-port br-ex patch-int"));
	ASSERT_EQ(0, ctl(self, "add-port br-ex patch-int type=patch "
			 "options:peer=other"));
	ASSERT_EQ(0, ctl(self, "show --json br-int"));
	EXPECT_NE(NULL, strstr(self->r.out, "\"type\":\"patch\",\"peer\":"
			       "\"patch-int\",\"error\":\"peer 'patch-int' has peer "
			       "'other', not 'patch-ex'\"")) TH_LOG("%s", self->r.out);
	/* and nothing crosses an incomplete patch */
	ASSERT_EQ(0, ctl(self, "trace br-int in_port=patch-ex"));
	ASSERT_EQ(0, ctl(self, "add-port br-int vm-a"));
	ASSERT_EQ(0, ctl(self, "trace br-int in_port=vm-a"));
	EXPECT_NE(NULL, strstr(self->r.out, ">> patch port patch-ex: peer "
			       "'patch-int' has peer 'other', not 'patch-ex'; "
			       "dropped")) TH_LOG("%s", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, "Datapath actions: drop"));
}

TEST_F(daemon, patch_trace_crosses_into_the_peer_bridge)
{
	patch_pair(self, _metadata);
	ASSERT_EQ(0, ctl(self, "show br-ex"));
	EXPECT_NE(NULL, strstr(self->r.out, "        patch: peer=patch-ex "
			       "(bridge br-int)\n")) TH_LOG("%s", self->r.out);
	if (!strstr(self->r.out, "config-only"))
		SKIP(return, "the vswitch module is loaded here");
	ASSERT_EQ(0, ctl(self, "add-flow br-ex 'priority=5,in_port=patch-int,"
			 "tcp,actions=output:vm-b'"));
	ASSERT_EQ(0, ctl(self, "trace br-int in_port=vm-a,tcp,"
			 "dl_dst=02:00:00:00:00:02"));
	EXPECT_NE(NULL, strstr(self->r.out, "bridge(\"br-int\")"));
	EXPECT_NE(NULL, strstr(self->r.out, "-> patch port patch-ex to "
			       "bridge(\"br-ex\"), in_port=9\n"))
		TH_LOG("%s", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, "Note: in bridge br-ex, traced as if "
			       "attached (no interface yet): vm-b\n"));
	EXPECT_NE(NULL, strstr(self->r.out, "Datapath actions: 7\n"));
	EXPECT_NE(NULL, strstr(self->r.out, "Megaflow: recirc_id=0,eth,tcp,"
			       "in_port=1,")) TH_LOG("%s", self->r.out);
	/* a loop through the patch ends at the depth limit */
	ASSERT_EQ(0, ctl(self, "add-flow br-ex 'priority=9,in_port=patch-int,"
			 "actions=IN_PORT'"));
	ASSERT_EQ(0, ctl(self, "add-flow br-int 'priority=9,in_port=patch-ex,"
			 "actions=IN_PORT'"));
	ASSERT_EQ(0, ctl(self, "trace br-int in_port=vm-a"));
	EXPECT_NE(NULL, strstr(self->r.out, ">>>> over max translation depth 64"))
		TH_LOG("%s", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, "Datapath actions: drop\n"));
	/* removing one end stops the crossing, re-adding restores it */
	ASSERT_EQ(0, ctl(self, "del-flows br-int in_port=patch-ex"));
	ASSERT_EQ(0, ctl(self, "del-port br-ex patch-int"));
	ASSERT_EQ(0, ctl(self, "trace br-int in_port=vm-a,tcp"));
	EXPECT_NE(NULL, strstr(self->r.out, "peer 'patch-int' does not exist; "
			       "dropped")) TH_LOG("%s", self->r.out);
	ASSERT_EQ(0, ctl(self, "add-port br-ex patch-int ofport=9 type=patch "
			 "options:peer=patch-ex"));
	ASSERT_EQ(0, ctl(self, "trace br-int in_port=vm-a,tcp"));
	EXPECT_NE(NULL, strstr(self->r.out, "-> patch port patch-ex to "
			       "bridge(\"br-ex\"), in_port=9\n"))
		TH_LOG("%s", self->r.out);
}

TEST_F(daemon, patch_ports_survive_restart_and_save_the_same)
{
	char before[65536], path[P], st[8192], again[8192];

	patch_pair(self, _metadata);
	ASSERT_EQ(0, ctl(self, "add-port br-ex dangling tag=5 type=patch "
			 "options:peer=nowhere"));
	ASSERT_EQ(0, ctl(self, "show"));
	snprintf(before, sizeof(before), "%s", self->r.out);
	stop_daemon(self, SIGKILL);
	ASSERT_EQ(0, start_daemon(self, NULL));
	ASSERT_EQ(0, ctl(self, "show"));
	EXPECT_STREQ(before, self->r.out);
	snprintf(path, sizeof(path), "%s/state.conf", self->state);
	slurp(path, st, sizeof(st));
	EXPECT_NE(NULL, strstr(st, "port br-ex patch-int ofport=9 type=patch "
			       "options:peer=patch-ex\n")) TH_LOG("%s", st);
	EXPECT_NE(NULL, strstr(st, "port br-ex dangling ofport=1 tag=5 "
			       "type=patch options:peer=nowhere\n")) TH_LOG("%s", st);
	/* what it read it writes again the same */
	ASSERT_EQ(0, ctl(self, "set br-ex upcall-burst=2000"));
	slurp(path, again, sizeof(again));
	EXPECT_STREQ(st, again);
}

/* Groups: add-groups all or nothing, dump-groups output read back by
 * add-groups, a chain saved in an order that loads, the rules forwarding
 * to a group deleted with it, errors that name the group and the code. */
TEST_F(daemon, groups_roundtrip_restart_and_errors)
{
	static char dump0[sizeof(((struct run *)0)->out)];
	char path[P];
	FILE *f;

	ASSERT_EQ(0, ctl(self, "add-br br0"));
	ASSERT_EQ(0, ctl(self, "add-br br1"));
	for (int b = 0; b < 2; b++) {
		ASSERT_EQ(0, ctl(self, "add-port br%d p%da ofport=1", b, b));
		ASSERT_EQ(0, ctl(self, "add-port br%d p%db ofport=2", b, b));
	}
	snprintf(path, sizeof(path), "%s/groups", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("# a chain: 1 -> 5\n"
	      "group_id=5,type=select,bucket=weight:2,actions=output:1,"
	      "bucket=weight:1,actions=output:2\n\n"
	      "group_id=1,type=all,bucket=actions=group:5,bucket=actions=LOCAL\n"
	      "group_id=7,type=fast_failover,bucket=watch_port:1,actions=output:1,"
	      "bucket=watch_port:2,actions=output:2\n", f);
	fclose(f);
	ASSERT_EQ(0, ctl(self, "add-groups br0 '%s'", path)) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, ctl(self, "add-flow br0 'in_port=1,actions=group:1'"));
	ASSERT_EQ(0, ctl(self, "dump-groups br0"));
	EXPECT_EQ(3, count_lines(self->r.out));
	EXPECT_NE(NULL, strstr(self->r.out, " group_id=1,type=all,bucket="
			       "actions=group:5,bucket=actions=LOCAL\n"));
	snprintf(dump0, sizeof(dump0), "%s", self->r.out);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs(dump0, f);
	fclose(f);
	ASSERT_EQ(1, ctl(self, "add-groups br1 '%s'", path));	/* 1 before 5 */
	EXPECT_NE(NULL, strstr(self->r.err, "line 1: group 1: bucket 1: group 5 "
			       "does not exist (OFPBAC_BAD_OUT_GROUP)")) TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, ctl(self, "dump-groups br1"));
	EXPECT_STREQ("", self->r.out);		/* all or nothing */
	ASSERT_EQ(0, ctl(self, "add-group br1 'group_id=5,type=all'"));
	ASSERT_EQ(1, ctl(self, "add-groups br1 '%s'", path));
	EXPECT_NE(NULL, strstr(self->r.err, "line 2: group 5: already exists "
			       "(mod-group replaces it) (OFPGMFC_GROUP_EXISTS)"))
		TH_LOG("%s", self->r.err);
	ASSERT_EQ(0, ctl(self, "dump-groups br1"));
	EXPECT_EQ(1, count_lines(self->r.out));	/* group 1 undone */
	/* errors naming what is wrong */
	EXPECT_EQ(1, ctl(self, "add-flow br0 'in_port=2,actions=group:9'"));
	EXPECT_NE(NULL, strstr(self->r.err, "group 9 does not exist"));
	EXPECT_EQ(1, ctl(self, "add-group br0 'group_id=3'"));
	EXPECT_NE(NULL, strstr(self->r.err, "type= is required"));
	EXPECT_EQ(1, ctl(self, "mod-group br0 'group_id=3,type=all'"));
	EXPECT_NE(NULL, strstr(self->r.err, "OFPGMFC_UNKNOWN_GROUP"));
	EXPECT_EQ(1, ctl(self, "add-group br0 'group_id=3,type=fast_failover,"
			 "bucket=watch_port:9,output:1'"));
	EXPECT_NE(NULL, strstr(self->r.err, "watch_port 9 is no port of the bridge"));
	EXPECT_EQ(1, ctl(self, "del-groups br0 group_id=5"));
	EXPECT_NE(NULL, strstr(self->r.err, "group 1 forwards to it"));
	EXPECT_EQ(1, ctl(self, "mod-group br0 'group_id=5,type=all,bucket=group:1'"));
	EXPECT_NE(NULL, strstr(self->r.err, "OFPGMFC_LOOP"));
	/* the state file loads the chain back */
	stop_daemon(self, SIGKILL);
	ASSERT_EQ(0, start_daemon(self, NULL));
	ASSERT_EQ(0, ctl(self, "dump-groups br0"));
	EXPECT_STREQ(dump0, self->r.out);
	ASSERT_EQ(0, ctl(self, "dump-flows br0 out_group=1"));
	EXPECT_NE(NULL, strstr(self->r.out, "in_port=1 actions=group:1"));
	ASSERT_EQ(0, ctl(self, "dump-group-stats br0 1"));
	EXPECT_NE(NULL, strstr(self->r.out, " group_id=1,duration="));
	EXPECT_NE(NULL, strstr(self->r.out, ",ref_count=1,packet_count=0,"));
	/* deleting group 1 takes its rule */
	ASSERT_EQ(0, ctl(self, "del-groups br0 group_id=1"));
	ASSERT_EQ(0, ctl(self, "dump-flows br0 out_group=1"));
	EXPECT_STREQ("", self->r.out);
	ASSERT_EQ(0, ctl(self, "del-groups br0"));
	ASSERT_EQ(0, ctl(self, "dump-groups br0 --json"));
	EXPECT_STREQ("[]\n", self->r.out);
}

TEST_F(daemon, kernel_views_explain_config_only_mode)
{
	ASSERT_EQ(0, ctl(self, "add-br br0"));
	ASSERT_EQ(0, ctl(self, "show"));
	if (!strstr(self->r.out, "config-only"))
		SKIP(return, "the vswitch module is loaded here");
	EXPECT_EQ(1, ctl(self, "dump-dp-flows br0"));
	EXPECT_NE(NULL, strstr(self->r.err, "config-only mode"));
	ASSERT_EQ(0, ctl(self, "dp-stats br0"));
	EXPECT_NE(NULL, strstr(self->r.out, "datapath: none (config-only mode)"));
}

TEST_F(daemon, help_and_usage)
{
	ASSERT_EQ(0, ctl(self, "help"));
	EXPECT_NE(NULL, strstr(self->r.out, "dump-dp-flows"));
	ASSERT_EQ(0, ctl(self, "set --help"));
	EXPECT_NE(NULL, strstr(self->r.out, "idle-timeout"));
	EXPECT_EQ(1, ctl(self, ""));
	EXPECT_NE(NULL, strstr(self->r.err, "Usage:"));
}

TEST_HARNESS_MAIN
