// SPDX-License-Identifier: GPL-2.0
/*
 * vswitchctl: the operator's CLI. A table of commands; each is checked
 * here for its argument count and sent to vswitchd over the control
 * socket (lib/ctl-proto.h), which does the work and returns the output or
 * a one-line error. Exit 0 on success, 1 on any error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl-proto.h"

struct command {
	const char *name;
	int min_args, max_args;
	const char *args;		/* usage synopsis */
	const char *help;		/* one line */
	const char *details;		/* for COMMAND --help */
	bool listing;			/* accepts --json */
	int file_arg;			/* index of a FILE argument, or 0 */
};

static const struct command commands[] = {
	{ "add-br", 1, 1, "BR", "create a bridge and its kernel datapath",
	  "Creates bridge BR, its kernel datapath (local port netdev BR) and\n"
	  "the default rule table=0,priority=0,actions=NORMAL.\n" },
	{ "del-br", 1, 1, "BR", "delete a bridge and its kernel datapath",
	  "Deletes bridge BR with its ports, rules and kernel datapath.\n" },
	{ "list-br", 0, 0, "", "list bridges", "Prints one bridge name per line.\n",
	  true },
	{ "add-port", 2, 5, "BR IFACE [ofport=N] [tag=VID | trunks=VID,...]",
	  "add a port to a bridge",
	  "Adds interface IFACE to BR as OpenFlow port N (default: the lowest\n"
	  "free number). tag=VID makes it an access port of VLAN VID; trunks=\n"
	  "a trunk carrying only those VLANs; neither, a trunk of all VLANs.\n"
	  "IFACE need not exist yet: it is attached when it appears.\n" },
	{ "del-port", 2, 2, "BR IFACE", "remove a port from a bridge",
	  "Detaches and forgets IFACE.\n" },
	{ "list-ports", 1, 1, "BR", "list the ports of a bridge",
	  "Prints one port name per line, sorted.\n", true },
	{ "show", 0, 1, "[BR]", "show bridges, ports, port numbers and state",
	  "For each bridge: its datapath state and its ports with OpenFlow\n"
	  "port number, interface state and VLAN mode.\n", true },
	{ "add-flow", 2, 2, "BR FLOW", "add a rule (ovs-ofctl syntax)",
	  "FLOW is [table=T,][priority=P,][cookie=C,][idle_timeout=S,]\n"
	  "[hard_timeout=S,]MATCH,actions=ACTIONS as in ovs-ofctl add-flow.\n" },
	{ "add-flows", 2, 2, "BR FILE", "add the rules in FILE ('-' = stdin)",
	  "One FLOW per line; blank lines and lines starting with # are\n"
	  "skipped. All or nothing: an error names its line and adds none.\n",
	  false, 2 },
	{ "del-flows", 1, 2, "BR [FLOW] [--strict]", "delete rules",
	  "Without FLOW deletes every rule. With FLOW deletes the rules it\n"
	  "matches (ovs-ofctl semantics); --strict needs the same match and\n"
	  "priority.\n" },
	{ "dump-flows", 1, 2, "BR [FLOW]", "print rules with their counters",
	  "Prints each rule as ovs-ofctl dump-flows does: cookie, duration,\n"
	  "table, n_packets, n_bytes, priority, match, actions.\n", true },
	{ "dump-dp-flows", 1, 1, "BR", "print the kernel's megaflows",
	  "Prints each megaflow in the kernel as ovs-dpctl dump-flows does:\n"
	  "match with masks, packets, bytes, used, actions.\n", true },
	{ "dp-stats", 1, 1, "BR", "print datapath and daemon counters",
	  "Lookups (microflow hits, megaflow hits, misses, lost), flows, masks,\n"
	  "masks probed per packet, per-port upcall counters, and the daemon's\n"
	  "upcall, install, revalidation and CPU counters.\n", true },
	{ "trace", 2, 2, "BR FLOW", "show how a packet would be handled",
	  "FLOW describes a packet (in_port required; missing fields are 0).\n"
	  "Prints the rules matched table by table, Datapath actions and\n"
	  "Megaflow, as Open vSwitch's ofproto/trace. Learns and installs\n"
	  "nothing.\n" },
	{ "fdb-show", 1, 1, "BR", "print learned MAC addresses",
	  "Prints port, VLAN, MAC and age (seconds) of each learned address.\n",
	  true },
	{ "set", 2, 8, "BR KEY=VALUE...", "change bridge settings",
	  "Keys: flow-limit=N (megaflows), idle-timeout=T (megaflow idle\n"
	  "timeout: 500ms, 10s; a bare number is milliseconds), microflow-size=N\n"
	  "(entries per CPU, 0 or a power of two), upcall-rate=N (per port and\n"
	  "second, 0 = unlimited), upcall-burst=N, handler-threads=N.\n" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *prog = "vswitchctl";

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [--socket PATH] [--json] COMMAND [ARGS]\n\n"
		"Commands:\n", prog);
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %s %s\n      %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fprintf(f, "\nOptions:\n"
		"  --socket PATH  control socket (default $VSWITCH_SOCKET or %s)\n"
		"  --json         JSON output for listings\n"
		"  -h, --help     this help; COMMAND --help for one command\n",
		VSW_CTL_SOCKET_DEFAULT);
}

static void command_help(const struct command *c)
{
	printf("Usage: %s %s %s\n\n%s", prog, c->name, c->args, c->details);
	if (c->listing)
		printf("\n--json prints the same as JSON.\n");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Reads all of @path ('-' = stdin) into a NUL-terminated string. */
static char *read_file(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb) {
				fprintf(stderr, "%s: out of memory\n", prog);
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	if (ferror(f) || strlen(buf) != len) {
		fprintf(stderr, "%s: %s: %s\n", prog, path,
			ferror(f) ? "read error" : "contains a NUL byte");
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

static int connect_daemon(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "%s: socket path '%s' is too long\n", prog, path);
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "%s: cannot reach vswitchd at %s: %s\n", prog, path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int transact(const char *path, int argc, char **argv)
{
	struct ctl_reply rep;
	int fd = connect_daemon(path), ret;

	if (fd < 0)
		return 1;
	ret = ctl_send_request(fd, argc, argv);
	if (!ret)
		ret = ctl_recv_reply(fd, &rep);
	close(fd);
	if (ret) {
		fprintf(stderr, "%s: talking to vswitchd: %s\n", prog,
			strerror(-ret));
		return 1;
	}
	if (rep.status) {
		fprintf(stderr, "%s: %s\n", prog, rep.text);
		ctl_reply_free(&rep);
		return 1;
	}
	fwrite(rep.text, 1, rep.len, stdout);
	ctl_reply_free(&rep);
	return fflush(stdout) ? 1 : 0;
}

struct args {
	const char *socket;
	bool json, strict, help;
	int n;
	char *pos[16];
};

/* Options may come anywhere; everything else is positional. */
static int parse_args(int argc, char **argv, struct args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (!strcmp(s, "--json")) {
			a->json = true;
		} else if (!strcmp(s, "--strict")) {
			a->strict = true;
		} else if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			a->help = true;
		} else if (!strcmp(s, "--socket")) {
			if (++i == argc) {
				fprintf(stderr, "%s: --socket needs a path\n", prog);
				return -1;
			}
			a->socket = argv[i];
		} else if (!strncmp(s, "--socket=", 9)) {
			a->socket = s + 9;
		} else if (s[0] == '-' && s[1] && strcmp(s, "-")) {
			fprintf(stderr, "%s: unknown option '%s'\n", prog, s);
			return -1;
		} else if (a->n == 16) {
			fprintf(stderr, "%s: too many arguments\n", prog);
			return -1;
		} else {
			a->pos[a->n++] = argv[i];
		}
	}
	return 0;
}

static int check_command(const struct command *c, const struct args *a)
{
	if (a->n - 1 < c->min_args || a->n - 1 > c->max_args) {
		fprintf(stderr, "%s: %s: wrong number of arguments\n"
			"Usage: %s %s %s\n", prog, c->name, prog, c->name, c->args);
		return -1;
	}
	if (a->json && !c->listing) {
		fprintf(stderr, "%s: %s: --json applies only to listings\n", prog,
			c->name);
		return -1;
	}
	if (a->strict && strcmp(c->name, "del-flows")) {
		fprintf(stderr, "%s: %s: --strict applies only to del-flows\n",
			prog, c->name);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct args a = { .socket = getenv("VSWITCH_SOCKET") };
	const struct command *c;
	char *req[20], *file = NULL;
	int n = 0, i, ret;

	if (parse_args(argc, argv, &a))
		return 1;
	if (!a.n) {
		usage(a.help ? stdout : stderr);
		return a.help ? 0 : 1;
	}
	if (!strcmp(a.pos[0], "help")) {
		usage(stdout);
		return 0;
	}
	c = find_command(a.pos[0]);
	if (!c) {
		fprintf(stderr, "%s: unknown command '%s' (try '%s help')\n", prog,
			a.pos[0], prog);
		return 1;
	}
	if (a.help) {
		command_help(c);
		return 0;
	}
	if (check_command(c, &a))
		return 1;
	if (a.json)
		req[n++] = "--json";
	if (a.strict)
		req[n++] = "--strict";
	for (i = 0; i < a.n; i++)
		req[n++] = a.pos[i];
	if (c->file_arg) {
		file = read_file(a.pos[c->file_arg]);
		if (!file)
			return 1;
		req[n - a.n + c->file_arg] = file;
	}
	ret = transact(a.socket && *a.socket ? a.socket : VSW_CTL_SOCKET_DEFAULT,
		       n, req);
	free(file);
	return ret;
}
