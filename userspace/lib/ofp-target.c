// SPDX-License-Identifier: GPL-2.0
/* OpenFlow connection targets (ofp-target.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-target.h"
#include "ofp13.h"

static int parse_port(const char *s, const char *target, uint16_t *port,
		      char *err, size_t errlen)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > 65535 || (s[0] < '0' || s[0] > '9')) {
		snprintf(err, errlen, "invalid port '%s' in '%s' (0..65535)", s,
			 target);
		return -1;
	}
	*port = (uint16_t)v;
	return 0;
}

static int parse_ip(const char *s, const char *target, struct in_addr *a,
		    char *err, size_t errlen)
{
	if (inet_pton(AF_INET, s, a) != 1) {
		snprintf(err, errlen, "invalid IPv4 address '%s' in '%s'", s,
			 target);
		return -1;
	}
	return 0;
}

/* tcp:IP[:PORT] */
static int parse_tcp(const char *rest, const char *s, struct ofp_target *t,
		     char *err, size_t errlen)
{
	char buf[64], *colon;
	uint16_t port = OFP13_TCP_PORT;

	if (strlen(rest) >= sizeof(buf) || !*rest) {
		snprintf(err, errlen, "'%s' needs an IPv4 address: tcp:IP[:PORT]", s);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", rest);
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		if (parse_port(colon + 1, s, &port, err, errlen))
			return -1;
	}
	if (parse_ip(buf, s, &t->in.sin_addr, err, errlen))
		return -1;
	t->in.sin_port = htons(port);
	return 0;
}

/* ptcp:[PORT][:IP] */
static int parse_ptcp(const char *rest, const char *s, struct ofp_target *t,
		      char *err, size_t errlen)
{
	char buf[64], *colon;
	uint16_t port = OFP13_TCP_PORT;

	if (strlen(rest) >= sizeof(buf)) {
		snprintf(err, errlen, "'%s' is too long", s);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", rest);
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		if (parse_ip(colon + 1, s, &t->in.sin_addr, err, errlen))
			return -1;
	}
	if (*buf && parse_port(buf, s, &port, err, errlen))
		return -1;
	t->in.sin_port = htons(port);
	return 0;
}

static int parse_path(const char *rest, const char *s, struct ofp_target *t,
		      char *err, size_t errlen)
{
	if (!*rest || strlen(rest) >= sizeof(t->path)) {
		snprintf(err, errlen, "'%s' needs a socket path of 1..%zu bytes",
			 s, sizeof(t->path) - 1);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s", rest);
	return 0;
}

int ofp_target_parse(const char *s, struct ofp_target *t, char *err,
		     size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->in.sin_family = AF_INET;
	if (!strncmp(s, "tcp:", 4)) {
		t->kind = OFPT_TCP;
		return parse_tcp(s + 4, s, t, err, errlen);
	}
	if (!strncmp(s, "ptcp:", 5)) {
		t->kind = OFPT_PTCP;
		t->passive = true;
		return parse_ptcp(s + 5, s, t, err, errlen);
	}
	if (!strncmp(s, "unix:", 5)) {
		t->kind = OFPT_UNIX;
		return parse_path(s + 5, s, t, err, errlen);
	}
	if (!strncmp(s, "punix:", 6)) {
		t->kind = OFPT_PUNIX;
		t->passive = true;
		return parse_path(s + 6, s, t, err, errlen);
	}
	snprintf(err, errlen, "unknown connection target '%s' (want tcp:IP[:PORT], "
		 "ptcp:[PORT][:IP], unix:PATH or punix:PATH)", s);
	return -1;
}
