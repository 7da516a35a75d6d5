// SPDX-License-Identifier: GPL-2.0
/*
 * The nat argument of ct(...) in ovs-ofctl syntax:
 *   nat
 *   nat(src=ADDR[-ADDR][:PORT[-PORT]][,persistent][,hash|,random])
 *   nat(dst=...)
 * An IPv6 address is written in brackets when ports follow
 * ("[2001:db8::1]-[2001:db8::9]:80"), and may be without them otherwise.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-ct-nat.h"
#include "ofp-token.h"

struct nat_err {
	char *buf;
	size_t len;
	const char *arg;		/* the whole nat(...) argument */
};

static int nerr(struct nat_err *e, const char *what, const char *s)
{
	snprintf(e->buf, e->len, "%s '%s' in 'ct(nat(%s))'", what, s, e->arg);
	return -1;
}

/* One address of family @af (0: either; set to the one found). */
static int nat_addr(struct nat_err *e, const char *s, uint8_t *af,
		    struct in6_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (*af != 6 && inet_pton(AF_INET, s, out) == 1) {
		*af = 4;
		return 0;
	}
	if (*af != 4 && inet_pton(AF_INET6, s, out) == 1) {
		*af = 6;
		return 0;
	}
	return nerr(e, *af ? "invalid address (both ends of a range are "
			     "one family)" : "invalid address", s);
}

static int nat_port(struct nat_err *e, const char *s, uint16_t *port)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = isdigit((unsigned char)*s) ? strtoul(s, &end, 10) : 0;
	if (!isdigit((unsigned char)*s) || errno || *end || v < 1 || v > 65535)
		return nerr(e, "invalid port (1..65535)", s);
	*port = (uint16_t)v;
	return 0;
}

/* "P[-Q]" */
static int nat_ports(struct nat_err *e, char *s, struct odp_ct_nat *n)
{
	char *dash = strchr(s, '-');

	if (dash)
		*dash = '\0';
	if (nat_port(e, s, &n->port_min) ||
	    nat_port(e, dash ? dash + 1 : s, &n->port_max))
		return -1;
	if (n->port_max < n->port_min)
		return nerr(e, "port range ends below its start", s);
	return 0;
}

/* Cuts one address off *@s: "[v6]" or up to '-', ':' (IPv4) or the end
 * (an unbracketed IPv6 address, which then takes no ports).
 */
static char *cut_addr(char **s)
{
	char *a = *s, *end;

	if (*a == '[') {
		end = strchr(a, ']');
		if (!end)
			return NULL;
		*end = '\0';
		*s = end + 1;
		return a + 1;
	}
	end = a + strcspn(a, "-:");
	if (*end == ':' && strchr(end + 1, ':'))	/* bare IPv6 */
		end = a + strcspn(a, "-");
	*s = end;
	return a;
}

/* "ADDR[-ADDR][:PORT[-PORT]]" */
static int nat_range(struct nat_err *e, char *s, struct odp_ct_nat *n)
{
	char *a1, *a2 = NULL, *whole = s;
	bool ports;

	a1 = cut_addr(&s);
	if (a1 && *s == '-') {
		*s++ = '\0';
		a2 = cut_addr(&s);
	}
	if (!a1 || (*s && *s != ':'))
		return nerr(e, "invalid address range", whole);
	ports = *s == ':';
	*s++ = '\0';
	if (nat_addr(e, a1, &n->af, &n->ip_min) ||
	    nat_addr(e, a2 ? a2 : a1, &n->af, &n->ip_max))
		return -1;
	if (memcmp(&n->ip_max, &n->ip_min, sizeof(n->ip_min)) < 0)
		return nerr(e, "address range ends below its start", a1);
	return ports ? nat_ports(e, s, n) : 0;
}

static int nat_arg(struct nat_err *e, const char *key, char *value,
		   struct odp_ct_nat *n)
{
	static const struct { const char *name; uint8_t flag; } flags[] = {
		{ "persistent", ODP_NAT_F_PERSISTENT },
		{ "hash", ODP_NAT_F_HASH },
		{ "random", ODP_NAT_F_RANDOM },
	};

	if (!strcmp(key, "src") || !strcmp(key, "dst")) {
		if (n->kind != ODP_NAT_EXISTING)
			return nerr(e, "more than one of src and dst:", key);
		n->kind = key[0] == 's' ? ODP_NAT_SRC : ODP_NAT_DST;
		return *value ? nat_range(e, value, n) : 0;
	}
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (strcmp(key, flags[i].name))
			continue;
		if (*value)
			return nerr(e, "nat flag takes no value:", key);
		n->flags |= flags[i].flag;
		return 0;
	}
	return nerr(e, "unknown nat argument (src=, dst=, persistent, hash, "
		       "random)", key);
}

int ofp_ct_nat_parse(char *args, struct odp_ct_nat *n, char *err,
		     size_t errlen)
{
	struct nat_err e = { err, errlen, NULL };
	char *copy = strdup(args), *pos = args, *key, *value;
	int ret = -1;

	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	e.arg = copy;
	memset(n, 0, sizeof(*n));
	n->kind = ODP_NAT_EXISTING;
	while (ofp_next_token(&pos, &key, &value))
		if (nat_arg(&e, key, value, n))
			goto out;
	if (n->kind == ODP_NAT_EXISTING && n->flags) {
		nerr(&e, "flags need src= or dst=:", copy);
		goto out;
	}
	if ((n->flags & ODP_NAT_F_HASH) && (n->flags & ODP_NAT_F_RANDOM)) {
		nerr(&e, "hash and random exclude each other:", copy);
		goto out;
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

static void format_addr(struct strbuf *sb, const struct odp_ct_nat *n,
			const struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(n->af == 4 ? AF_INET : AF_INET6, a, buf, sizeof(buf));
	if (n->af == 6 && n->port_min)
		strbuf_printf(sb, "[%s]", buf);
	else
		strbuf_puts(sb, buf);
}

void ofp_ct_nat_format(struct strbuf *sb, const struct odp_ct_nat *n)
{
	if (n->kind == ODP_NAT_NONE)
		return;
	if (n->kind == ODP_NAT_EXISTING) {
		strbuf_puts(sb, "nat");
		return;
	}
	strbuf_puts(sb, n->kind == ODP_NAT_SRC ? "nat(src" : "nat(dst");
	if (n->af) {
		strbuf_putc(sb, '=');
		format_addr(sb, n, &n->ip_min);
		if (memcmp(&n->ip_min, &n->ip_max, sizeof(n->ip_min))) {
			strbuf_putc(sb, '-');
			format_addr(sb, n, &n->ip_max);
		}
		if (n->port_min) {
			strbuf_printf(sb, ":%u", n->port_min);
			if (n->port_max != n->port_min)
				strbuf_printf(sb, "-%u", n->port_max);
		}
	}
	if (n->flags & ODP_NAT_F_PERSISTENT)
		strbuf_puts(sb, ",persistent");
	if (n->flags & ODP_NAT_F_HASH)
		strbuf_puts(sb, ",hash");
	if (n->flags & ODP_NAT_F_RANDOM)
		strbuf_puts(sb, ",random");
	strbuf_putc(sb, ')');
}
