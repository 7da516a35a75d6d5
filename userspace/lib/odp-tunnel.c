// SPDX-License-Identifier: GPL-2.0
/* struct flow_tnl <-> VSW_TUNNEL_ATTR_* nests, one field table both ways. */
#include "tunnel.h"

#include <stdio.h>
#include <string.h>

struct tun_field {
	const char *name;
	size_t off;
	size_t len;
};

#define T(attr, nm, field) \
	[attr] = { nm, offsetof(struct flow_tnl, field), \
		   sizeof(((struct flow_tnl *)0)->field) }

static const struct tun_field tun_fields[VSW_TUNNEL_ATTR_MAX + 1] = {
	T(VSW_TUNNEL_ATTR_ID,       "id",       tun_id),
	T(VSW_TUNNEL_ATTR_IPV4_SRC, "ipv4_src", ipv4_src),
	T(VSW_TUNNEL_ATTR_IPV4_DST, "ipv4_dst", ipv4_dst),
	T(VSW_TUNNEL_ATTR_IPV6_SRC, "ipv6_src", ipv6_src),
	T(VSW_TUNNEL_ATTR_IPV6_DST, "ipv6_dst", ipv6_dst),
	T(VSW_TUNNEL_ATTR_TOS,      "tos",      tos),
	T(VSW_TUNNEL_ATTR_TTL,      "ttl",      ttl),
	T(VSW_TUNNEL_ATTR_FLAGS,    "flags",    flags),
	T(VSW_TUNNEL_ATTR_TP_SRC,   "tp_src",   tp_src),
	T(VSW_TUNNEL_ATTR_TP_DST,   "tp_dst",   tp_dst),
};
#undef T

static bool zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

bool flow_tnl_is_zero(const struct flow_tnl *t)
{
	return zero((const uint8_t *)t, sizeof(*t));
}

void odp_tun_put(struct nlmsghdr *nlh, uint16_t type, const struct flow_tnl *t)
{
	const uint8_t *base = (const uint8_t *)t;
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned int a;

	for (a = 1; a <= VSW_TUNNEL_ATTR_MAX; a++) {
		const struct tun_field *f = &tun_fields[a];

		if (f->len && !zero(base + f->off, f->len))
			mnl_attr_put(nlh, a, f->len, base + f->off);
	}
	mnl_attr_nest_end(nlh, nest);
}

size_t odp_tun_put_size(void)
{
	size_t n = MNL_ATTR_HDRLEN;
	unsigned int a;

	for (a = 1; a <= VSW_TUNNEL_ATTR_MAX; a++)
		if (tun_fields[a].len)
			n += MNL_ATTR_HDRLEN + MNL_ALIGN(tun_fields[a].len);
	return n;
}

int odp_tun_parse(const struct nlattr *nest, struct flow_tnl *t,
		  char *err, size_t errlen)
{
	uint8_t *base = (uint8_t *)t;
	uint32_t seen = 0;
	const struct nlattr *a;

	memset(t, 0, sizeof(*t));
	mnl_attr_for_each_nested(a, nest) {
		unsigned int type = mnl_attr_get_type(a);
		const struct tun_field *f;

		if (type == VSW_TUNNEL_ATTR_PAD)
			continue;
		if (type == 0 || type > VSW_TUNNEL_ATTR_MAX ||
		    !tun_fields[type].len) {
			snprintf(err, errlen, "unknown tunnel attribute %u", type);
			return -1;
		}
		f = &tun_fields[type];
		if (mnl_attr_get_payload_len(a) != f->len) {
			snprintf(err, errlen, "tunnel attribute %s has length %u, want %zu",
				 f->name, mnl_attr_get_payload_len(a), f->len);
			return -1;
		}
		if (seen & (1u << type)) {
			snprintf(err, errlen, "tunnel attribute %s repeated", f->name);
			return -1;
		}
		seen |= 1u << type;
		memcpy(base + f->off, mnl_attr_get_payload(a), f->len);
	}
	return 0;
}
