// SPDX-License-Identifier: GPL-2.0
/*
 * vswitchctl: the operator's CLI. The table of commands is shared with
 * the daemon (lib/ctl-commands.h); each command is checked here for its
 * arguments and sent to vswitchd over the control socket
 * (lib/ctl-proto.h), which checks it again, does the work and returns the
 * output or a one-line error. Exit 0 on success, 1 on any error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl-commands.h"
#include "ctl-proto.h"

static const char *prog = "vswitchctl";

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [--socket PATH] [--json] COMMAND [ARGS]\n\n"
		"Commands:\n", prog);
	for (i = 0; i < ctl_n_commands; i++)
		fprintf(f, "  %s %s\n      %s\n", ctl_commands[i].name,
			ctl_commands[i].args, ctl_commands[i].help);
	fprintf(f, "\nOptions:\n"
		"  --socket PATH  control socket (default $VSWITCH_SOCKET or %s)\n"
		"  --json         JSON output for listings\n"
		"  -h, --help     this help; COMMAND --help for one command\n",
		VSW_CTL_SOCKET_DEFAULT);
}

static void command_help(const struct ctl_command *c)
{
	printf("Usage: %s %s %s\n\n%s", prog, c->name, c->args, c->details);
	if (c->flags & CTL_F_LISTING)
		printf("\n--json prints the same as JSON.\n");
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
	if (rep.status && rep.status != VSW_CTL_STATUS_DIFFER) {
		fprintf(stderr, "%s: %s\n", prog, rep.text);
		ctl_reply_free(&rep);
		return 1;
	}
	fwrite(rep.text, 1, rep.len, stdout);
	ret = rep.status == VSW_CTL_STATUS_DIFFER ? 2 : 0;
	ctl_reply_free(&rep);
	return fflush(stdout) ? 1 : ret;
}

struct args {
	const char *socket;
	bool json, strict, help;
	int n, n_ct_next;
	char *pos[16];
	char ct_next[CTL_MAX_CT_NEXT][80];	/* "--ct-next=FLAGS", as sent */
};

/* --ct-next FLAGS or --ct-next=FLAGS at argv[*i]: 1 taken, 0 not that
 * option, -1 error. */
static int parse_ct_next(int argc, char **argv, int *i, struct args *a)
{
	const char *s = argv[*i], *v;

	if (!strcmp(s, "--ct-next")) {
		if (++*i == argc) {
			fprintf(stderr, "%s: --ct-next needs flags (e.g. trk,est)\n",
				prog);
			return -1;
		}
		v = argv[*i];
	} else if (!strncmp(s, "--ct-next=", 10)) {
		v = s + 10;
	} else {
		return 0;
	}
	if (a->n_ct_next == CTL_MAX_CT_NEXT) {
		fprintf(stderr, "%s: at most %d --ct-next\n", prog,
			CTL_MAX_CT_NEXT);
		return -1;
	}
	if ((size_t)snprintf(a->ct_next[a->n_ct_next], sizeof(a->ct_next[0]),
			     "--ct-next=%s", v) >= sizeof(a->ct_next[0])) {
		fprintf(stderr, "%s: --ct-next '%s': too long\n", prog, v);
		return -1;
	}
	a->n_ct_next++;
	return 1;
}

/* Options may come anywhere; everything else is positional. */
static int parse_args(int argc, char **argv, struct args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *s = argv[i];
		int r = parse_ct_next(argc, argv, &i, a);

		if (r < 0)
			return -1;
		if (r)
			continue;
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

static int check_command(const struct ctl_command *c, const struct args *a)
{
	char err[256];

	unsigned opts = (a->json ? CTL_F_LISTING : 0) |
			(a->strict ? CTL_F_STRICT : 0) |
			(a->n_ct_next ? CTL_F_CT_NEXT : 0);

	if (!ctl_command_check(c, a->n - 1, opts, err, sizeof(err)))
		return 0;
	fprintf(stderr, "%s: %s\n", prog, err);
	if (a->n - 1 < c->min_args || a->n - 1 > c->max_args)
		fprintf(stderr, "Usage: %s %s %s\n", prog, c->name, c->args);
	return -1;
}

int main(int argc, char **argv)
{
	struct args a = { .socket = getenv("VSWITCH_SOCKET") };
	const struct ctl_command *c;
	char *req[2 + 16 + CTL_MAX_CT_NEXT], *file = NULL;
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
	c = ctl_command_find(a.pos[0]);
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
	for (i = 0; i < a.n_ct_next; i++)
		req[n++] = a.ct_next[i];
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
