// SPDX-License-Identifier: GPL-2.0
#include "odp-key.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Each key attribute and the struct flow bytes it carries, verbatim:
 * struct flow keeps header fields in network order, as the wire does. */
struct key_field {
	const char *name;
	size_t off;
	size_t len;
};

#define F(attr, nm, field) \
	[attr] = { nm, offsetof(struct flow, field), \
		   sizeof(((struct flow *)0)->field) }

static const struct key_field key_fields[VSW_KEY_ATTR_MAX + 1] = {
	F(VSW_KEY_ATTR_IN_PORT,     "in_port",    in_port),
	F(VSW_KEY_ATTR_ETH_SRC,     "eth_src",    eth_src),
	F(VSW_KEY_ATTR_ETH_DST,     "eth_dst",    eth_dst),
	F(VSW_KEY_ATTR_ETH_TYPE,    "eth_type",   eth_type),
	F(VSW_KEY_ATTR_VLAN_TCI,    "vlan_tci",   vlan_tci),
	F(VSW_KEY_ATTR_IPV4_SRC,    "ipv4_src",   ipv4_src),
	F(VSW_KEY_ATTR_IPV4_DST,    "ipv4_dst",   ipv4_dst),
	F(VSW_KEY_ATTR_IPV6_SRC,    "ipv6_src",   ipv6_src),
	F(VSW_KEY_ATTR_IPV6_DST,    "ipv6_dst",   ipv6_dst),
	F(VSW_KEY_ATTR_IPV6_LABEL,  "ipv6_label", ipv6_label),
	F(VSW_KEY_ATTR_IP_PROTO,    "ip_proto",   ip_proto),
	F(VSW_KEY_ATTR_IP_TOS,      "ip_tos",     ip_tos),
	F(VSW_KEY_ATTR_IP_TTL,      "ip_ttl",     ip_ttl),
	F(VSW_KEY_ATTR_IP_FRAG,     "ip_frag",    ip_frag),
	F(VSW_KEY_ATTR_TP_SRC,      "tp_src",     tp_src),
	F(VSW_KEY_ATTR_TP_DST,      "tp_dst",     tp_dst),
	F(VSW_KEY_ATTR_TCP_FLAGS,   "tcp_flags",  tcp_flags),
	F(VSW_KEY_ATTR_ICMP_TYPE,   "icmp_type",  icmp_type),
	F(VSW_KEY_ATTR_ICMP_CODE,   "icmp_code",  icmp_code),
	F(VSW_KEY_ATTR_ARP_OP,      "arp_op",     arp_op),
	F(VSW_KEY_ATTR_ARP_SPA,     "arp_spa",    arp_spa),
	F(VSW_KEY_ATTR_ARP_TPA,     "arp_tpa",    arp_tpa),
	F(VSW_KEY_ATTR_ARP_SHA,     "arp_sha",    arp_sha),
	F(VSW_KEY_ATTR_ARP_THA,     "arp_tha",    arp_tha),
	F(VSW_KEY_ATTR_ND_TARGET,   "nd_target",  nd_target),
	F(VSW_KEY_ATTR_RECIRC_ID,   "recirc_id",  recirc_id),
	F(VSW_KEY_ATTR_CT_STATE,    "ct_state",   ct_state),
	F(VSW_KEY_ATTR_CT_ZONE,     "ct_zone",    ct_zone),
	F(VSW_KEY_ATTR_CT_MARK,     "ct_mark",    ct_mark),
	F(VSW_KEY_ATTR_TUNNEL,      "tunnel",     tunnel),	/* a nest */
	F(VSW_KEY_ATTR_CT_LABEL,    "ct_label",   ct_label),
	F(VSW_KEY_ATTR_CT_NW_SRC,   "ct_nw_src",  ct_orig.nw_src),
	F(VSW_KEY_ATTR_CT_NW_DST,   "ct_nw_dst",  ct_orig.nw_dst),
	F(VSW_KEY_ATTR_CT_IPV6_SRC, "ct_ipv6_src", ct_orig.ipv6_src),
	F(VSW_KEY_ATTR_CT_IPV6_DST, "ct_ipv6_dst", ct_orig.ipv6_dst),
	F(VSW_KEY_ATTR_CT_NW_PROTO, "ct_nw_proto", ct_orig.nw_proto),
	F(VSW_KEY_ATTR_CT_TP_SRC,   "ct_tp_src",  ct_orig.tp_src),
	F(VSW_KEY_ATTR_CT_TP_DST,   "ct_tp_dst",  ct_orig.tp_dst),
};
#undef F

static bool all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

void odp_flow_put(struct nlmsghdr *nlh, uint16_t type, const struct flow *flow)
{
	const uint8_t *base = (const uint8_t *)flow;
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned int t;

	for (t = 1; t <= VSW_KEY_ATTR_MAX; t++) {
		const struct key_field *kf = &key_fields[t];

		if (t != VSW_KEY_ATTR_IN_PORT && all_zero(base + kf->off, kf->len))
			continue;
		if (t == VSW_KEY_ATTR_TUNNEL)
			odp_tun_put(nlh, t, &flow->tunnel);
		else
			mnl_attr_put(nlh, t, kf->len, base + kf->off);
	}
	mnl_attr_nest_end(nlh, nest);
}

void odp_match_put(struct nlmsghdr *nlh, uint16_t key_type,
		   uint16_t mask_type, const struct match *match)
{
	struct flow masked;
	const uint64_t *v = (const uint64_t *)&match->flow;
	const uint64_t *m = (const uint64_t *)&match->mask;
	uint64_t *o = (uint64_t *)&masked;
	size_t i;

	for (i = 0; i < FLOW_WORDS; i++)
		o[i] = v[i] & m[i];
	odp_flow_put(nlh, key_type, &masked);
	odp_flow_put(nlh, mask_type, &match->mask);
}

int odp_flow_parse(const struct nlattr *nest, struct flow *flow,
		   char *err, size_t errlen)
{
	uint8_t *base = (uint8_t *)flow;
	uint64_t seen = 0;
	const struct nlattr *a;

	memset(flow, 0, sizeof(*flow));
	mnl_attr_for_each_nested(a, nest) {
		unsigned int t = mnl_attr_get_type(a);
		const struct key_field *kf;

		if (t == 0 || t > VSW_KEY_ATTR_MAX) {
			snprintf(err, errlen, "unknown key attribute %u", t);
			return -1;
		}
		kf = &key_fields[t];
		if (seen & (1ull << t)) {
			snprintf(err, errlen, "key attribute %s repeated", kf->name);
			return -1;
		}
		seen |= 1ull << t;
		if (t == VSW_KEY_ATTR_TUNNEL) {
			if (odp_tun_parse(a, &flow->tunnel, err, errlen))
				return -1;
			continue;
		}
		if (mnl_attr_get_payload_len(a) != kf->len) {
			snprintf(err, errlen, "key attribute %s has length %u, want %zu",
				 kf->name, mnl_attr_get_payload_len(a), kf->len);
			return -1;
		}
		memcpy(base + kf->off, mnl_attr_get_payload(a), kf->len);
	}
	return 0;
}

/* Payload length of each action; -1 = USERSPACE's nest, -2 = CT's,
 * -3 = SET_TUNNEL's tunnel nest, 0 = flag. */
static const int action_len[VSW_ACTION_ATTR_MAX + 1] = {
	[VSW_ACTION_ATTR_OUTPUT] = 4,
	[VSW_ACTION_ATTR_USERSPACE] = -1,
	[VSW_ACTION_ATTR_PUSH_VLAN] = 2,
	[VSW_ACTION_ATTR_POP_VLAN] = 0,
	[VSW_ACTION_ATTR_SET_ETH_SRC] = 6,
	[VSW_ACTION_ATTR_SET_ETH_DST] = 6,
	[VSW_ACTION_ATTR_SET_IPV4_SRC] = 4,
	[VSW_ACTION_ATTR_SET_IPV4_DST] = 4,
	[VSW_ACTION_ATTR_SET_IP_DSCP] = 1,
	[VSW_ACTION_ATTR_SET_IP_TTL] = 1,
	[VSW_ACTION_ATTR_SET_IPV6_SRC] = 16,
	[VSW_ACTION_ATTR_SET_IPV6_DST] = 16,
	[VSW_ACTION_ATTR_SET_IPV6_LABEL] = 4,
	[VSW_ACTION_ATTR_SET_TP_SRC] = 2,
	[VSW_ACTION_ATTR_SET_TP_DST] = 2,
	[VSW_ACTION_ATTR_DEC_TTL] = 0,
	[VSW_ACTION_ATTR_SET_VLAN_TCI] = 2,
	[VSW_ACTION_ATTR_RECIRC] = 4,
	[VSW_ACTION_ATTR_CT] = -2,
	[VSW_ACTION_ATTR_CT_CLEAR] = 0,
	[VSW_ACTION_ATTR_SET_TUNNEL] = -3,
};

static void put_nat(struct nlmsghdr *nlh, const struct odp_ct_nat *nat)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, VSW_CT_ATTR_NAT);
	size_t alen = nat->af == 4 ? 4 : 16;

	if (nat->kind == ODP_NAT_SRC || nat->kind == ODP_NAT_DST)
		mnl_attr_put(nlh, nat->kind == ODP_NAT_SRC ? VSW_NAT_ATTR_SRC
							   : VSW_NAT_ATTR_DST,
			     0, NULL);
	if (nat->af) {
		mnl_attr_put(nlh, VSW_NAT_ATTR_IP_MIN, alen, &nat->ip_min);
		mnl_attr_put(nlh, VSW_NAT_ATTR_IP_MAX, alen, &nat->ip_max);
	}
	if (nat->port_min) {
		mnl_attr_put_u16(nlh, VSW_NAT_ATTR_PROTO_MIN, htons(nat->port_min));
		mnl_attr_put_u16(nlh, VSW_NAT_ATTR_PROTO_MAX, htons(nat->port_max));
	}
	if (nat->flags & ODP_NAT_F_PERSISTENT)
		mnl_attr_put(nlh, VSW_NAT_ATTR_PERSISTENT, 0, NULL);
	if (nat->flags & ODP_NAT_F_HASH)
		mnl_attr_put(nlh, VSW_NAT_ATTR_PROTO_HASH, 0, NULL);
	if (nat->flags & ODP_NAT_F_RANDOM)
		mnl_attr_put(nlh, VSW_NAT_ATTR_PROTO_RANDOM, 0, NULL);
	mnl_attr_nest_end(nlh, n);
}

static void put_ct(struct nlmsghdr *nlh, const struct odp_action *a)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, VSW_ACTION_ATTR_CT);

	if (a->u.ct.zone)
		mnl_attr_put_u16(nlh, VSW_CT_ATTR_ZONE, a->u.ct.zone);
	if (a->u.ct.commit)
		mnl_attr_put(nlh, VSW_CT_ATTR_COMMIT, 0, NULL);
	if (a->u.ct.force)
		mnl_attr_put(nlh, VSW_CT_ATTR_FORCE, 0, NULL);
	if (a->u.ct.has_mark) {
		mnl_attr_put_u32(nlh, VSW_CT_ATTR_MARK, a->u.ct.mark);
		mnl_attr_put_u32(nlh, VSW_CT_ATTR_MARK_MASK, a->u.ct.mark_mask);
	}
	if (a->u.ct.nat.kind != ODP_NAT_NONE)
		put_nat(nlh, &a->u.ct.nat);
	if (a->u.ct.has_label) {
		mnl_attr_put(nlh, VSW_CT_ATTR_LABEL, 16, a->u.ct.label);
		mnl_attr_put(nlh, VSW_CT_ATTR_LABEL_MASK, 16, a->u.ct.label_mask);
	}
	mnl_attr_nest_end(nlh, n);
}

/* Lengths of VSW_CT_ATTR_*, by type; -1 = unknown. */
static int ct_attr_len(unsigned int t)
{
	switch (t) {
	case VSW_CT_ATTR_ZONE: return 2;
	case VSW_CT_ATTR_COMMIT: case VSW_CT_ATTR_FORCE: return 0;
	case VSW_CT_ATTR_MARK: case VSW_CT_ATTR_MARK_MASK: return 4;
	case VSW_CT_ATTR_NAT: return -2;	/* a nest */
	case VSW_CT_ATTR_LABEL: case VSW_CT_ATTR_LABEL_MASK: return 16;
	}
	return -1;
}

static int parse_nat(const struct nlattr *nest, struct odp_ct_nat *nat,
		     char *err, size_t errlen)
{
	const struct nlattr *a;

	nat->kind = ODP_NAT_EXISTING;
	mnl_attr_for_each_nested(a, nest) {
		unsigned int t = mnl_attr_get_type(a), len;
		const void *p = mnl_attr_get_payload(a);

		len = mnl_attr_get_payload_len(a);
		switch (t) {
		case VSW_NAT_ATTR_SRC: nat->kind = ODP_NAT_SRC; break;
		case VSW_NAT_ATTR_DST: nat->kind = ODP_NAT_DST; break;
		case VSW_NAT_ATTR_IP_MIN:
		case VSW_NAT_ATTR_IP_MAX:
			if (len != 4 && len != 16)
				goto bad;
			nat->af = len == 4 ? 4 : 6;
			memcpy(t == VSW_NAT_ATTR_IP_MIN ? &nat->ip_min
							 : &nat->ip_max, p, len);
			break;
		case VSW_NAT_ATTR_PROTO_MIN:
		case VSW_NAT_ATTR_PROTO_MAX:
			if (len != 2)
				goto bad;
			*(t == VSW_NAT_ATTR_PROTO_MIN ? &nat->port_min
						       : &nat->port_max) =
				ntohs(mnl_attr_get_u16(a));
			break;
		case VSW_NAT_ATTR_PERSISTENT:
			nat->flags |= ODP_NAT_F_PERSISTENT;
			break;
		case VSW_NAT_ATTR_PROTO_HASH:
			nat->flags |= ODP_NAT_F_HASH;
			break;
		case VSW_NAT_ATTR_PROTO_RANDOM:
			nat->flags |= ODP_NAT_F_RANDOM;
			break;
		default:
			goto bad;
		}
	}
	return 0;
bad:
	snprintf(err, errlen, "bad ct nat attribute %u",
		 mnl_attr_get_type(a));
	return -1;
}

static int parse_ct(const struct nlattr *nest, struct odp_action *out,
		    char *err, size_t errlen)
{
	const struct nlattr *a;

	out->u.ct.mark_mask = 0xffffffff;
	mnl_attr_for_each_nested(a, nest) {
		unsigned int t = mnl_attr_get_type(a);

		if (t == VSW_CT_ATTR_NAT) {
			if (parse_nat(a, &out->u.ct.nat, err, errlen))
				return -1;
			continue;
		}
		if (ct_attr_len(t) < 0 ||
		    mnl_attr_get_payload_len(a) != (unsigned int)ct_attr_len(t)) {
			snprintf(err, errlen, "bad ct action attribute %u", t);
			return -1;
		}
		switch (t) {
		case VSW_CT_ATTR_ZONE: out->u.ct.zone = mnl_attr_get_u16(a); break;
		case VSW_CT_ATTR_COMMIT: out->u.ct.commit = 1; break;
		case VSW_CT_ATTR_FORCE: out->u.ct.force = 1; break;
		case VSW_CT_ATTR_MARK:
			out->u.ct.has_mark = 1;
			out->u.ct.mark = mnl_attr_get_u32(a);
			break;
		case VSW_CT_ATTR_MARK_MASK:
			out->u.ct.mark_mask = mnl_attr_get_u32(a);
			break;
		case VSW_CT_ATTR_LABEL:
			out->u.ct.has_label = 1;
			memcpy(out->u.ct.label, mnl_attr_get_payload(a), 16);
			break;
		case VSW_CT_ATTR_LABEL_MASK:
			memcpy(out->u.ct.label_mask, mnl_attr_get_payload(a), 16);
			break;
		}
	}
	if (!out->u.ct.has_mark)
		out->u.ct.mark_mask = 0;
	return 0;
}

/* The union member an action of a given payload length lives in. */
static const void *action_payload(const struct odp_action *a, int len)
{
	switch (len) {
	case 1: return &a->u.u8;
	case 2: return &a->u.be16;
	case 4: return a->type == VSW_ACTION_ATTR_OUTPUT ||
		       a->type == VSW_ACTION_ATTR_RECIRC ?
			(const void *)&a->u.port : (const void *)&a->u.be32;
	case 6: return a->u.mac;
	case 16: return &a->u.ip6;
	}
	return NULL;
}

int odp_actions_put(struct nlmsghdr *nlh, size_t buflen, uint16_t type,
		    const struct odp_actions *acts)
{
	struct nlattr *nest;
	size_t need = 4;
	unsigned int i;

	/* worst case per action: a 20-byte attribute, a 16-byte nest, a
	 * 36-byte CT nest or a tunnel nest */
	for (i = 0; i < acts->n; i++)
		need += acts->a[i].type == VSW_ACTION_ATTR_SET_TUNNEL ?
			odp_tun_put_size() : 36;
	if (nlh->nlmsg_len + need > buflen)
		return -E2BIG;
	nest = mnl_attr_nest_start(nlh, type);
	for (i = 0; i < acts->n; i++) {
		const struct odp_action *a = &acts->a[i];
		int len = a->type <= VSW_ACTION_ATTR_MAX ? action_len[a->type] : 0;

		if (a->type == VSW_ACTION_ATTR_USERSPACE) {
			struct nlattr *u = mnl_attr_nest_start(nlh, a->type);

			mnl_attr_put_u64(nlh, VSW_USERSPACE_ATTR_COOKIE, a->u.cookie);
			mnl_attr_nest_end(nlh, u);
		} else if (a->type == VSW_ACTION_ATTR_CT) {
			put_ct(nlh, a);
		} else if (len == -3) {
			odp_tun_put(nlh, a->type, &a->u.tun);
		} else {
			mnl_attr_put(nlh, a->type, len, action_payload(a, len));
		}
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int parse_userspace(const struct nlattr *nest, struct odp_action *out,
			   char *err, size_t errlen)
{
	const struct nlattr *a;

	out->u.cookie = 0;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case VSW_USERSPACE_ATTR_COOKIE:
			if (mnl_attr_get_payload_len(a) != 8)
				goto bad;
			out->u.cookie = mnl_attr_get_u64(a);
			break;
		case VSW_USERSPACE_ATTR_PID:
			if (mnl_attr_get_payload_len(a) != 4)
				goto bad;
			break;
		default:
			goto bad;
		}
	}
	return 0;
bad:
	snprintf(err, errlen, "bad userspace action attribute %u",
		 mnl_attr_get_type(a));
	return -1;
}

int odp_actions_parse(const struct nlattr *nest, struct odp_actions *acts,
		      char *err, size_t errlen)
{
	const struct nlattr *a;

	memset(acts, 0, sizeof(*acts));
	mnl_attr_for_each_nested(a, nest) {
		unsigned int t = mnl_attr_get_type(a);
		struct odp_action *out;
		int len;

		if (t == 0 || t > VSW_ACTION_ATTR_MAX) {
			snprintf(err, errlen, "unknown action attribute %u", t);
			return -1;
		}
		if (acts->n == VSW_MAX_ACTIONS) {
			snprintf(err, errlen, "more than %d actions", VSW_MAX_ACTIONS);
			return -1;
		}
		out = &acts->a[acts->n++];
		out->type = t;
		len = action_len[t];
		if (len == -2) {
			if (parse_ct(a, out, err, errlen))
				return -1;
			continue;
		}
		if (len == -3) {
			if (odp_tun_parse(a, &out->u.tun, err, errlen))
				return -1;
			continue;
		}
		if (len < 0) {
			if (parse_userspace(a, out, err, errlen))
				return -1;
			continue;
		}
		if (mnl_attr_get_payload_len(a) != (unsigned int)len) {
			snprintf(err, errlen, "action attribute %u has length %u, want %d",
				 t, mnl_attr_get_payload_len(a), len);
			return -1;
		}
		if (len)
			memcpy((void *)action_payload(out, len),
			       mnl_attr_get_payload(a), len);
	}
	return 0;
}

bool odp_actions_equal(const struct odp_actions *a, const struct odp_actions *b)
{
	unsigned int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		int len;

		if (a->a[i].type != b->a[i].type)
			return false;
		if (a->a[i].type == VSW_ACTION_ATTR_USERSPACE) {
			if (a->a[i].u.cookie != b->a[i].u.cookie)
				return false;
			continue;
		}
		if (a->a[i].type == VSW_ACTION_ATTR_CT) {
			if (memcmp(&a->a[i].u.ct, &b->a[i].u.ct, sizeof(a->a[i].u.ct)))
				return false;
			continue;
		}
		len = action_len[a->a[i].type];
		if (len == -3 && memcmp(&a->a[i].u.tun, &b->a[i].u.tun,
					sizeof(a->a[i].u.tun)))
			return false;
		if (len > 0 && memcmp(action_payload(&a->a[i], len),
				      action_payload(&b->a[i], len), len))
			return false;
	}
	return true;
}
