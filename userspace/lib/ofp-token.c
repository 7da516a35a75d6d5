// SPDX-License-Identifier: GPL-2.0
/* Key/value splitting and port parsing for the ovs-ofctl syntax. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ofp-token.h"

static char *skip_delims(char *p)
{
	while (*p == ',' || isspace((unsigned char)*p))
		p++;
	return p;
}

/* Advances over a value: up to a comma or space at depth 0. */
static char *value_end(char *p)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		else if (!depth && (*p == ',' || isspace((unsigned char)*p)))
			break;
	}
	return p;
}

bool ofp_next_token(char **pos, char **key, char **value)
{
	char *p = skip_delims(*pos), *end;
	size_t klen;

	if (!*p)
		return false;
	*key = p;
	klen = strcspn(p, "=:(, \t\r\n");
	p += klen;
	if (*p == '=' || *p == ':') {
		*p++ = '\0';
		*value = p;
		end = value_end(p);
	} else if (*p == '(') {
		int depth = 1;

		*p++ = '\0';
		*value = p;
		for (end = p; *end && depth; end++) {
			if (*end == '(')
				depth++;
			else if (*end == ')')
				depth--;
		}
		if (!depth)
			end[-1] = '\0';	/* the closing parenthesis */
	} else {
		/* A bare key: its value is the empty string at the cut. */
		*value = p;
		if (*p)
			*p++ = '\0';
		*pos = p;
		return true;
	}
	if (*end)
		*end++ = '\0';
	*pos = end;
	return true;
}

static const struct {
	const char *name;
	uint32_t port;
} reserved_ports[] = {
	{ "IN_PORT", 0xfff8 },
	{ "TABLE", 0xfff9 },
	{ "NORMAL", 0xfffa },
	{ "FLOOD", 0xfffb },
	{ "ALL", 0xfffc },
	{ "CONTROLLER", 0xfffd },
	{ "LOCAL", 0xfffe },
	{ "NONE", 0xffff },
	{ "ANY", 0xffff },
};

int ofp_parse_port(const char *name, const char *s, ofp_port_lookup_fn lookup,
		   void *aux, uint32_t *port, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;
	unsigned i;

	if (isdigit((unsigned char)*s)) {
		errno = 0;
		v = strtoull(s, &end, 0);
		if (errno || *end || v > 0xffff) {
			snprintf(err, errlen, "invalid port number in '%s=%s'",
				 name, s);
			return -1;
		}
		*port = (uint32_t)v;
		return 0;
	}
	for (i = 0; i < sizeof(reserved_ports) / sizeof(reserved_ports[0]); i++) {
		if (!strcasecmp(s, reserved_ports[i].name)) {
			*port = reserved_ports[i].port;
			return 0;
		}
	}
	if (lookup && *s && !lookup(aux, s, port))
		return 0;
	snprintf(err, errlen, "unknown port '%s' in '%s=%s'", s, name, s);
	return -1;
}
