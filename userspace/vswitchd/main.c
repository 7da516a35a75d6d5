// SPDX-License-Identifier: GPL-2.0
/*
 * vswitchd: wires the pieces together. Startup order: options, logging,
 * detach, kernel socket (or config-only mode), state load, link monitor,
 * datapaths up, revalidator, control socket, then the main loop. On
 * SIGTERM/SIGINT the daemon stops its threads and leaves every kernel
 * datapath (and its flows) forwarding: only del-br deletes one.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge.h"
#include "commands.h"
#include "ctl-proto.h"
#include "ctl-server.h"
#include "datapath.h"
#include "dpif.h"
#include "linkmon.h"
#include "log.h"
#include "ofconn.h"
#include "persist.h"
#include "revalidator.h"
#include "state.h"
#include "util.h"
#include "vswitchd.h"

struct options {
	const char *state_dir, *socket, *pidfile, *rundir;
	bool detach, syslog, discard_corrupt;
	int log_level;
	unsigned int handlers;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: vswitchd [OPTIONS]\n"
"  --state-dir DIR        persistent state (default /var/lib/vswitch)\n"
"  --socket PATH          control socket (default %s)\n"
"  --detach               run in the background\n"
"  --pidfile FILE         write the daemon's pid to FILE\n"
"  --syslog               log to syslog instead of stderr\n"
"  --log-level LEVEL      err, warn, info (default) or debug\n"
"  --handler-threads N    default upcall handler threads per bridge\n"
"  --rundir DIR           OpenFlow management sockets BR.mgmt (default:\n"
"                         the control socket's directory)\n"
"  --discard-corrupt-state  move an unreadable state file aside and\n"
"                         start empty (default: refuse to start)\n"
"  -h, --help\n", VSW_CTL_SOCKET_DEFAULT);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "state-dir", required_argument, NULL, 's' },
		{ "socket", required_argument, NULL, 'S' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "detach", no_argument, NULL, 'd' },
		{ "syslog", no_argument, NULL, 'l' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "handler-threads", required_argument, NULL, 'H' },
		{ "discard-corrupt-state", no_argument, NULL, 'D' },
		{ "rundir", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->state_dir = optarg; break;
		case 'S': o->socket = optarg; break;
		case 'p': o->pidfile = optarg; break;
		case 'R': o->rundir = optarg; break;
		case 'd': o->detach = true; break;
		case 'l': o->syslog = true; break;
		case 'D': o->discard_corrupt = true; break;
		case 'L':
			o->log_level = vlog_parse_level(optarg);
			if (o->log_level < 0) {
				fprintf(stderr, "vswitchd: invalid --log-level '%s': "
					"want err, warn, info or debug\n", optarg);
				return -1;
			}
			break;
		case 'H':
			o->handlers = strtoul(optarg, &end, 10);
			if (*end || !*optarg || o->handlers < 1 || o->handlers > 64) {
				fprintf(stderr, "vswitchd: invalid --handler-threads "
					"'%s': want 1..64\n", optarg);
				return -1;
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vswitchd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	char c = sig;

	/* a full pipe means a signal is pending anyway */
	(void)!write(sig_pipe[1], &c, 1);
	errno = saved;
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK)) {
		perror("vswitchd: pipe");
		exit(1);
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
}

/* Forks; the parent exits once the child reports readiness on a pipe. */
static int detach(void)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(p[1]);
		exit(read(p[0], &c, 1) == 1 && c == 'R' ? 0 : 1);
	}
	close(p[0]);
	setsid();
	(void)!chdir("/");
	return p[1];
}

static void detach_done(int fd)
{
	int devnull = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	if (write(fd, "R", 1) != 1)
		log_warn("could not signal readiness to the parent");
	close(fd);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		close(devnull);
	}
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -1;
	fprintf(f, "%d\n", (int)getpid());
	return fclose(f);
}

static void open_kernel(void)
{
	char err[256];
	int ret = dpif_open(&vswd.dpif, err, sizeof(err));

	vswd.dp_available = !ret;
	if (ret)
		log_warn("config-only mode: %s; bridges, ports and rules are kept "
			 "but nothing reaches a kernel datapath", err);
}

static int load_state(const struct options *o)
{
	char err[1024], aside[4200];

	if (!state_load(err, sizeof(err)))
		return 0;
	log_err("state: %s", err);
	if (!o->discard_corrupt) {
		log_err("refusing to start over a corrupt state file; fix it, or "
			"run with --discard-corrupt-state to move it aside");
		return -1;
	}
	if (persist_set_aside(vswd.state_dir, STATE_FILE, aside, sizeof(aside),
			      err, sizeof(err))) {
		log_err("%s", err);
		return -1;
	}
	log_warn("state: moved the corrupt file to %s; starting empty", aside);
	state_corrupt = 0;
	return 0;
}

static void bridges_up(void)
{
	struct bridge *br;
	char err[512];

	for (br = vswd.bridges; br; br = br->next)
		if (dp_bridge_up(br, err, sizeof(err)))
			log_err("%s: datapath: %s", br->name, err);
}

static void main_loop(void)
{
	struct pollfd pfd[4] = {
		{ .fd = sig_pipe[0], .events = POLLIN },
		{ .fd = ctl_server_fd(), .events = POLLIN },
		{ .fd = linkmon_fd(), .events = POLLIN },
		{ .fd = ofmgr_fd(), .events = POLLIN },
	};

	while (!vswd.stopping) {
		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents) {
			log_info("signal received; exiting (datapaths keep forwarding)");
			vswd.stopping = true;
		}
		if (pfd[2].revents)
			linkmon_run();
		if (pfd[1].revents)
			ctl_server_run();
		if (pfd[3].revents)
			ofmgr_run();
	}
}

static void shutdown_all(void)
{
	struct bridge *br;

	reval_stop();
	vswd_lock();
	for (br = vswd.bridges; br; br = br->next)
		dp_bridge_down(br, false);
	while (vswd.bridges)
		bridge_destroy(vswd.bridges);
	vswd_unlock();
	linkmon_close();
	dpif_close(vswd.dpif);
}

/* The control socket's directory: where the management sockets go by
 * default (/run/vswitch), as Open vSwitch keeps both in its rundir. */
static const char *socket_dir(const char *sock)
{
	static char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", sock);
	slash = strrchr(dir, '/');
	if (!slash)
		return ".";
	if (slash == dir)
		slash++;
	*slash = '\0';
	return dir;
}

/* --detach changes to "/": make operator paths absolute first. */
static const char *absolute(const char *path)
{
	static char bufs[3][PATH_MAX];
	static int next;
	char cwd[PATH_MAX / 2];
	char *b = bufs[next++ % 3];

	if (!path || path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return path;
	snprintf(b, PATH_MAX, "%s/%.*s", cwd, PATH_MAX / 2 - 2, path);
	return b;
}

int main(int argc, char **argv)
{
	struct options o = { "/var/lib/vswitch", NULL, NULL, NULL,
			     false, false, false, LOG_INFO, 0 };
	char err[512];
	int ready_fd = -1, ret = 1;

	if (parse_options(argc, argv, &o))
		return 1;
	if (!o.socket)
		o.socket = getenv("VSWITCH_SOCKET") ? getenv("VSWITCH_SOCKET")
						    : VSW_CTL_SOCKET_DEFAULT;
	o.socket = absolute(o.socket);
	o.pidfile = absolute(o.pidfile);
	o.rundir = o.rundir ? absolute(o.rundir) : socket_dir(o.socket);
	if (o.state_dir[0] != '/' || strlen(o.state_dir) >= sizeof(vswd.state_dir)) {
		fprintf(stderr, "vswitchd: --state-dir must be an absolute path\n");
		return 1;
	}
	snprintf(vswd.state_dir, sizeof(vswd.state_dir), "%s", o.state_dir);
	vswd.default_handlers = o.handlers;
	vlog_init(o.syslog, o.log_level);
	if (cmd_verify_table(err, sizeof(err))) {
		log_err("BUG: %s", err);
		return 1;
	}
	if (o.detach && (ready_fd = detach()) < 0) {
		perror("vswitchd: detach");
		return 1;
	}
	setup_signals();
	open_kernel();
	if (linkmon_open(err, sizeof(err)))
		log_warn("link monitor: %s; ports attach only at start", err);
	vswd_lock();
	if (load_state(&o)) {
		vswd_unlock();
		goto out;
	}
	bridges_up();
	vswd_unlock();
	if (reval_start()) {
		log_err("cannot start the revalidator");
		goto out;
	}
	if (ctl_server_open(o.socket, err, sizeof(err))) {
		log_err("%s", err);
		goto out;
	}
	if (ofmgr_open(o.rundir, err, sizeof(err))) {
		log_err("%s", err);
		goto out_close_ctl;
	}
	if (o.pidfile && write_pidfile(o.pidfile)) {
		log_err("pidfile %s: %s", o.pidfile, strerror(errno));
		goto out_close_ctl;
	}
	log_info("ready on %s (state in %s)", o.socket, vswd.state_dir);
	detach_done(ready_fd);
	ready_fd = -1;
	main_loop();
	ret = 0;
	if (o.pidfile)
		unlink(o.pidfile);
out_close_ctl:
	ofmgr_close();
	ctl_server_close();
out:
	shutdown_all();
	return ret;
}
