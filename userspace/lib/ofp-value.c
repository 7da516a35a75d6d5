// SPDX-License-Identifier: GPL-2.0
/* Parsing of field values in ovs-ofctl syntax: numbers, MACs, IPv4/IPv6
 * addresses with CIDR or masks, nw_frag keywords, TCP flags. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-ct.h"
#include "ofp-field.h"
#include "ofp-flags.h"

/* As Open vSwitch names them, the three reserved bits included. */
static const char *const tcp_flag_names[12] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
	"[200]", "[400]", "[800]",
};

const char *ofp_tcp_flag_name(uint16_t bit)
{
	unsigned i;

	for (i = 0; i < 12; i++)
		if (bit == 1u << i)
			return tcp_flag_names[i];
	return NULL;
}

void ofp_field_exact_mask(const struct ofp_field *mf, union ofp_field_value *m)
{
	memset(m, 0, sizeof(*m));
	memset(m->bytes, 0xff, mf->n_bytes);
	if (mf->id == MFF_IPV6_LABEL)
		m->be32 = htonl(0xfffff);
	else if (mf->id == MFF_TCP_FLAGS)
		m->be16 = htons(0x0fff);
	else if (mf->id == MFF_IP_FRAG)
		m->u8 = VSW_FRAG_MASK;
	else if (mf->id == MFF_TUN_FLAGS)
		m->be16 = VSW_TUNNEL_F_MASK;	/* host order, as in the flow */
}

static int parse_uint(const char *s, unsigned long long max,
		      unsigned long long *out)
{
	char *end;

	if (!*s || *s == '-' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || *end || *out > max)
		return -1;
	return 0;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char c;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &c) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

static int parse_ipv4(const char *s, uint32_t *be)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*be = a.s_addr;
	return 0;
}

/* Splits "V/M" at the slash into @val (a copy) and returns M or NULL. */
static const char *split_mask(const char *s, char *val, size_t len)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n >= len)
		n = len - 1;
	memcpy(val, s, n);
	val[n] = '\0';
	return slash ? slash + 1 : NULL;
}

static int parse_ipv4_mask(const char *m, uint32_t *be)
{
	unsigned long long plen;

	if (strchr(m, '.'))
		return parse_ipv4(m, be);
	if (parse_uint(m, 32, &plen) || !isdigit((unsigned char)*m))
		return -1;
	*be = plen ? htonl(~0u << (32 - plen)) : 0;
	return 0;
}

static int parse_ipv6_mask(const char *m, struct in6_addr *mask)
{
	unsigned long long plen;

	if (strchr(m, ':'))
		return inet_pton(AF_INET6, m, mask) == 1 ? 0 : -1;
	if (parse_uint(m, 128, &plen) || !isdigit((unsigned char)*m))
		return -1;
	memset(mask, 0, sizeof(*mask));
	for (unsigned i = 0; i < plen; i++)
		mask->s6_addr[i / 8] |= 0x80 >> (i % 8);
	return 0;
}

static int parse_frag(const char *s, union ofp_field_value *v,
		      union ofp_field_value *m)
{
	static const struct { const char *name; uint8_t v, m; } kw[] = {
		{ "no", 0, VSW_FRAG_ANY },
		{ "yes", VSW_FRAG_ANY, VSW_FRAG_ANY },
		{ "first", VSW_FRAG_ANY, VSW_FRAG_MASK },
		{ "later", VSW_FRAG_MASK, VSW_FRAG_MASK },
		{ "not_later", 0, VSW_FRAG_LATER },
	};

	for (unsigned i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		if (!strcmp(s, kw[i].name)) {
			v->u8 = kw[i].v;
			m->u8 = kw[i].m;
			return 0;
		}
	}
	return -1;
}

/* The bit named @s (its first @n characters), or 0. */
static uint16_t tcp_flag_bit(const char *s, size_t n)
{
	unsigned i;

	for (i = 0; i < 12; i++)
		if (strlen(tcp_flag_names[i]) == n && !strncmp(s, tcp_flag_names[i], n))
			return 1u << i;
	return 0;
}

/* "syn|ack", "0x012", "syn|0x10": exactly these bits (names or numbers,
 * joined by '|'), the form Open vSwitch prints for an exact match. */
static int parse_tcp_flags_exact(const char *s, uint16_t *val)
{
	*val = 0;
	for (;;) {
		size_t n = strcspn(s, "|");
		unsigned long long x;
		char part[32];

		if (!n || n >= sizeof(part))
			return -1;
		memcpy(part, s, n);
		part[n] = '\0';
		if (isdigit((unsigned char)*part)) {
			if (parse_uint(part, 0x0fff, &x))
				return -1;
			*val |= (uint16_t)x;
		} else if (tcp_flag_bit(part, n)) {
			*val |= tcp_flag_bit(part, n);
		} else {
			return -1;
		}
		if (!s[n])
			return 0;
		s += n + 1;
	}
}

/* TCP flags in any form Open vSwitch reads: "+syn-ack", "syn|ack", or a
 * number with an optional /mask. */
static int parse_tcp_flags(const char *s, bool allow_mask,
			   union ofp_field_value *v, union ofp_field_value *m)
{
	uint16_t val = 0, mask = 0x0fff;

	if (*s == '+' || *s == '-') {
		uint32_t v32, m32;

		if (ofp_flags_parse(s, tcp_flag_names, 12, &v32, &m32) ||
		    (!allow_mask && m32 != 0x0fff))
			return -1;
		val = v32;
		mask = m32;
	} else if (strchr(s, '/')) {
		char num[64];
		const char *ms = split_mask(s, num, sizeof(num));
		unsigned long long x, y;

		if (!allow_mask || parse_uint(num, 0x0fff, &x) ||
		    parse_uint(ms, 0x0fff, &y))
			return -1;
		val = (uint16_t)x;
		mask = (uint16_t)y;
	} else if (parse_tcp_flags_exact(s, &val)) {
		return -1;
	}
	v->be16 = htons(val & mask);
	m->be16 = htons(mask);
	return 0;
}

static int fail(char *err, size_t errlen, const char *what, const char *name,
		const char *s)
{
	snprintf(err, errlen, "invalid %s in '%s=%s'", what, name, s);
	return -1;
}

static int parse_number(const struct ofp_field *mf, const char *name,
			const char *s, bool allow_mask, union ofp_field_value *v,
			union ofp_field_value *m, char *err, size_t errlen)
{
	unsigned long long max = mf->n_bits >= 64 ? ~0ull : (1ull << mf->n_bits) - 1;
	unsigned long long x, y;
	char num[64];
	const char *ms = split_mask(s, num, sizeof(num));

	if (mf->id == MFF_IP_DSCP)
		max = 0xff;
	if (ms && !(allow_mask && mf->maskable)) {
		snprintf(err, errlen, "field '%s' does not take a mask in '%s=%s'",
			 name, name, s);
		return -1;
	}
	if (parse_uint(num, ~0ull, &x))
		return fail(err, errlen, "value", name, s);
	if (x > max) {
		snprintf(err, errlen, "value %s out of range for '%s' (0..%llu)",
			 num, name, max);
		return -1;
	}
	if (mf->id == MFF_IP_DSCP && (x & 3)) {
		snprintf(err, errlen, "value %s for '%s' has ECN bits set "
			 "(nw_tos takes the DSCP bits, a multiple of 4)", num, name);
		return -1;
	}
	y = max;
	if (ms && parse_uint(ms, max, &y))
		return fail(err, errlen, "mask", name, s);
	switch (mf->n_bytes) {
	case 1: v->u8 = (uint8_t)x; m->u8 = (uint8_t)y; break;
	case 2:
		if (mf->id == MFF_VLAN_VID) {
			v->be16 = (uint16_t)x;	/* host order sub-field */
			m->be16 = (uint16_t)y;
		} else {
			v->be16 = htons((uint16_t)x);
			m->be16 = htons((uint16_t)y);
		}
		break;
	case 4: v->be32 = htonl((uint32_t)x); m->be32 = htonl((uint32_t)y); break;
	case 8: v->be64 = htobe64(x); m->be64 = htobe64(y); break;
	}
	return 0;
}

int ofp_field_parse(const struct ofp_field *mf, const char *name, const char *s,
		    bool allow_mask, union ofp_field_value *v,
		    union ofp_field_value *m, char *err, size_t errlen)
{
	char val[128];
	const char *ms;

	memset(v, 0, sizeof(*v));
	ofp_field_exact_mask(mf, m);
	allow_mask = allow_mask && mf->maskable;
	if (!*s) {
		snprintf(err, errlen, "missing value for '%s'", name);
		return -1;
	}
	switch (mf->fmt) {
	case OFPF_DEC:
	case OFPF_HEX:
	case OFPF_PORT:
		return parse_number(mf, name, s, allow_mask, v, m, err, errlen);
	case OFPF_FRAG:
		if (parse_frag(s, v, m))
			return fail(err, errlen, "nw_frag value (no, yes, first, "
				    "later or not_later)", name, s);
		return 0;
	case OFPF_TCP_FLAGS:
		if (parse_tcp_flags(s, allow_mask, v, m))
			return fail(err, errlen, "TCP flags", name, s);
		return 0;
	case OFPF_CT_STATE:
		return ofp_ct_state_parse(name, s, allow_mask, v, m, err, errlen);
	case OFPF_CT_LABEL:
		return ofp_ct_label_parse(name, s, allow_mask, v->bytes, m->bytes,
					  err, errlen);
	case OFPF_TUN_FLAGS:	/* host order, as struct flow keeps it */
		return ofp_tun_flags_parse(name, s, allow_mask, &v->be16,
					   &m->be16, err, errlen);
	default:
		break;
	}
	ms = split_mask(s, val, sizeof(val));
	if (ms && !allow_mask) {
		snprintf(err, errlen, "field '%s' does not take a mask in '%s=%s'",
			 name, name, s);
		return -1;
	}
	switch (mf->fmt) {
	case OFPF_MAC:
		if (parse_mac(val, v->mac))
			return fail(err, errlen, "Ethernet address", name, s);
		if (ms && parse_mac(ms, m->mac))
			return fail(err, errlen, "Ethernet mask", name, s);
		break;
	case OFPF_IPV4:
		if (parse_ipv4(val, &v->be32))
			return fail(err, errlen, "IPv4 address", name, s);
		if (ms && parse_ipv4_mask(ms, &m->be32))
			return fail(err, errlen, "IPv4 mask", name, s);
		break;
	case OFPF_IPV6:
		if (inet_pton(AF_INET6, val, &v->ipv6) != 1)
			return fail(err, errlen, "IPv6 address", name, s);
		if (ms && parse_ipv6_mask(ms, &m->ipv6))
			return fail(err, errlen, "IPv6 mask", name, s);
		break;
	default:
		return fail(err, errlen, "value", name, s);
	}
	for (unsigned i = 0; i < mf->n_bytes; i++)
		v->bytes[i] &= m->bytes[i];
	return 0;
}
