// SPDX-License-Identifier: GPL-2.0
/*
 * ovs-unixctl: many `ovs-appctl ofproto/trace` calls over one connection.
 * Spawning ovs-appctl per packet costs tens of milliseconds (far more on
 * a busy host); this speaks Open vSwitch's unixctl protocol (JSON-RPC
 * over a Unix stream socket) directly.
 *
 *   ovs-unixctl SOCKET BRIDGE [-generate] < PACKETS
 *
 * For each input line (a packet in ofproto/trace syntax) sends
 * {"method":"ofproto/trace","params":[BRIDGE,LINE(,"-generate")],"id":N}
 * and prints the reply's text (the result, or "error: " and the error)
 * followed by a line "@@END@@". Exits 1 if the socket fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void put_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* Reads one complete JSON object from @f into a malloc'd buffer. */
static char *read_object(FILE *f)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int depth = 0, in_str = 0, esc = 0, c, started = 0;

	while (buf && (c = fgetc(f)) != EOF) {
		if (len + 2 > cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		if (!started && c != '{')
			continue;
		started = 1;
		buf[len++] = c;
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{') {
			depth++;
		} else if (c == '}' && --depth == 0) {
			buf[len] = '\0';
			return buf;
		}
	}
	free(buf);
	return NULL;
}

/* Prints the JSON string starting at @p (just after its opening quote). */
static void print_json_string(const char *p)
{
	for (; *p && *p != '"'; p++) {
		if (*p != '\\') {
			putchar(*p);
			continue;
		}
		switch (*++p) {
		case 'n': putchar('\n'); break;
		case 't': putchar('\t'); break;
		case 'r': break;
		case 'u': {
			unsigned int u = 0;

			if (sscanf(p + 1, "%4x", &u) == 1)
				putchar(u < 0x80 ? (int)u : '?');
			p += 4;
			break;
		}
		case '\0': return;
		default: putchar(*p); break;
		}
	}
}

/* Prints member @key of @obj when it is a string; returns 1 if it was. */
static int print_member(const char *obj, const char *key, const char *prefix)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(obj, pat);
	if (!p)
		return 0;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p != '"')
		return 0;
	fputs(prefix, stdout);
	print_json_string(p + 1);
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *line = NULL, *reply;
	size_t cap = 0;
	ssize_t n;
	FILE *in, *out;
	int fd, id = 0, generate;

	generate = argc == 4 && !strcmp(argv[3], "-generate");
	if (argc != 3 && !generate) {
		fprintf(stderr, "usage: ovs-unixctl SOCKET BRIDGE [-generate] < PACKETS\n");
		return 1;
	}
	if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "ovs-unixctl: socket path too long: %s\n", argv[1]);
		return 1;
	}
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "ovs-unixctl: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	in = fdopen(fd, "r");
	out = fdopen(dup(fd), "w");
	if (!in || !out) {
		fprintf(stderr, "ovs-unixctl: fdopen: %s\n", strerror(errno));
		return 1;
	}
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		fprintf(out, "{\"method\":\"ofproto/trace\",\"params\":[");
		put_json_string(out, argv[2]);
		fputc(',', out);
		put_json_string(out, line);
		if (generate)
			fprintf(out, ",\"-generate\"");
		fprintf(out, "],\"id\":%d}", id++);
		fflush(out);
		reply = read_object(in);
		if (!reply) {
			fprintf(stderr, "ovs-unixctl: connection closed\n");
			return 1;
		}
		if (!print_member(reply, "result", "") &&
		    !print_member(reply, "error", "error: "))
			printf("error: unexpected reply %s\n", reply);
		printf("\n@@END@@\n");
		free(reply);
	}
	free(line);
	return 0;
}
