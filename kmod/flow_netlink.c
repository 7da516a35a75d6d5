// SPDX-License-Identifier: GPL-2.0
/*
 * Flow keys, masks and action lists to and from netlink attributes.
 *
 * Keys: one table describes every VSW_KEY_ATTR_* (where it lives in
 * struct vsw_key, its size, which match it needs, which bits it may
 * carry); parsing, prerequisite checks, puts and the size bound all walk
 * that table. Parsing is strict (nla_parse_nested with exact lengths).
 * The one nested field, TUNNEL, is handed to flow_tunnel.c.
 *
 * Actions: validated once at install time against the flow's match, so
 * the packet path never meets an action whose header the flow does not
 * guarantee; copied into a private, immutable struct vsw_actions.
 */
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/slab.h>
#include <net/dst_metadata.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <asm/unaligned.h>
#include "actions.h"
#include "conntrack.h"
#include "flow_netlink.h"

#define IPPROTO_ICMP_	1
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define IPPROTO_ICMPV6_	58
#define IPPROTO_SCTP_	132
#define ICMPV6_NS	135
#define ICMPV6_NA	136

/* What a field needs the match to pin down before it may be matched. */
enum need {
	NEED_NONE,
	NEED_IPV4,		/* exact ETH_TYPE 0x0800 */
	NEED_IPV6,		/* exact ETH_TYPE 0x86dd */
	NEED_IP,		/* exact ETH_TYPE 0x0800 or 0x86dd */
	NEED_ARP,		/* exact ETH_TYPE 0x0806 or 0x8035 */
	NEED_TP,		/* NEED_IP and exact IP_PROTO 6, 17 or 132 */
	NEED_TCP,		/* NEED_IP and exact IP_PROTO 6 */
	NEED_ICMP,		/* IPv4 + IP_PROTO 1, or IPv6 + IP_PROTO 58 */
	NEED_ND,		/* IPv6 + IP_PROTO 58 + ICMP_TYPE 135 or 136 */
};

struct key_field {
	u16 off;
	u8 len;
	u8 need;
	u32 valid;		/* host-order bits a value may set; 0 = any */
	const char *need_msg;	/* why the match cannot carry it */
	const char *range_msg;
};

#define F(attr, field, nd, msg) \
	[VSW_KEY_ATTR_##attr] = { offsetof(struct vsw_key, field), \
		sizeof_field(struct vsw_key, field), nd, 0, msg, NULL }

static const struct key_field fields[VSW_KEY_ATTR_MAX + 1] = {
	F(IN_PORT, in_port, NEED_NONE, NULL),
	F(ETH_SRC, eth_src, NEED_NONE, NULL),
	F(ETH_DST, eth_dst, NEED_NONE, NULL),
	F(ETH_TYPE, eth_type, NEED_NONE, NULL),
	F(VLAN_TCI, vlan_tci, NEED_NONE, NULL),
	F(IPV4_SRC, ipv4_src, NEED_IPV4,
	  "IPV4_SRC needs an exact ETH_TYPE 0x0800 in the match"),
	F(IPV4_DST, ipv4_dst, NEED_IPV4,
	  "IPV4_DST needs an exact ETH_TYPE 0x0800 in the match"),
	F(IPV6_SRC, ipv6_src, NEED_IPV6,
	  "IPV6_SRC needs an exact ETH_TYPE 0x86dd in the match"),
	F(IPV6_DST, ipv6_dst, NEED_IPV6,
	  "IPV6_DST needs an exact ETH_TYPE 0x86dd in the match"),
	[VSW_KEY_ATTR_IPV6_LABEL] = { offsetof(struct vsw_key, ipv6_label), 4,
		NEED_IPV6, 0xfffff,
		"IPV6_LABEL needs an exact ETH_TYPE 0x86dd in the match",
		"IPV6_LABEL has bits above the 20-bit flow label" },
	F(IP_PROTO, ip_proto, NEED_IP,
	  "IP_PROTO needs an exact IPv4 or IPv6 ETH_TYPE in the match"),
	F(IP_TOS, ip_tos, NEED_IP,
	  "IP_TOS needs an exact IPv4 or IPv6 ETH_TYPE in the match"),
	F(IP_TTL, ip_ttl, NEED_IP,
	  "IP_TTL needs an exact IPv4 or IPv6 ETH_TYPE in the match"),
	[VSW_KEY_ATTR_IP_FRAG] = { offsetof(struct vsw_key, ip_frag), 1,
		NEED_IP, VSW_FRAG_MASK,
		"IP_FRAG needs an exact IPv4 or IPv6 ETH_TYPE in the match",
		"IP_FRAG has bits other than VSW_FRAG_ANY and VSW_FRAG_LATER" },
	F(TP_SRC, tp_src, NEED_TP,
	  "TP_SRC needs an exact IP_PROTO 6, 17 or 132 (and IP ETH_TYPE)"),
	F(TP_DST, tp_dst, NEED_TP,
	  "TP_DST needs an exact IP_PROTO 6, 17 or 132 (and IP ETH_TYPE)"),
	[VSW_KEY_ATTR_TCP_FLAGS] = { offsetof(struct vsw_key, tcp_flags), 2,
		NEED_TCP, 0x0fff,
		"TCP_FLAGS needs an exact IP_PROTO 6 (and IP ETH_TYPE)",
		"TCP_FLAGS has bits above the low 12" },
	F(ICMP_TYPE, icmp_type, NEED_ICMP,
	  "ICMP_TYPE needs exact IPv4 + IP_PROTO 1 or IPv6 + IP_PROTO 58"),
	F(ICMP_CODE, icmp_code, NEED_ICMP,
	  "ICMP_CODE needs exact IPv4 + IP_PROTO 1 or IPv6 + IP_PROTO 58"),
	F(ARP_OP, arp_op, NEED_ARP,
	  "ARP_OP needs an exact ETH_TYPE 0x0806 or 0x8035 in the match"),
	F(ARP_SPA, arp_spa, NEED_ARP,
	  "ARP_SPA needs an exact ETH_TYPE 0x0806 or 0x8035 in the match"),
	F(ARP_TPA, arp_tpa, NEED_ARP,
	  "ARP_TPA needs an exact ETH_TYPE 0x0806 or 0x8035 in the match"),
	F(ARP_SHA, arp_sha, NEED_ARP,
	  "ARP_SHA needs an exact ETH_TYPE 0x0806 or 0x8035 in the match"),
	F(ARP_THA, arp_tha, NEED_ARP,
	  "ARP_THA needs an exact ETH_TYPE 0x0806 or 0x8035 in the match"),
	F(ND_TARGET, nd_target, NEED_ND,
	  "ND_TARGET needs exact IPv6 + IP_PROTO 58 + ICMP_TYPE 135 or 136"),
	F(RECIRC_ID, recirc_id, NEED_NONE, NULL),
	F(CT_STATE, ct_state, NEED_NONE, NULL),
	F(CT_ZONE, ct_zone, NEED_NONE, NULL),
	F(CT_MARK, ct_mark, NEED_NONE, NULL),
	F(TUNNEL, tun, NEED_NONE, NULL),	/* nested: see is_nested() */
	F(CT_LABEL, ct_label, NEED_NONE, NULL),
	F(CT_NW_SRC, ct_orig.nw_src, NEED_NONE, NULL),
	F(CT_NW_DST, ct_orig.nw_dst, NEED_NONE, NULL),
	F(CT_IPV6_SRC, ct_orig.ipv6_src, NEED_NONE, NULL),
	F(CT_IPV6_DST, ct_orig.ipv6_dst, NEED_NONE, NULL),
	F(CT_NW_PROTO, ct_orig.nw_proto, NEED_NONE, NULL),
	F(CT_TP_SRC, ct_orig.tp_src, NEED_NONE, NULL),
	F(CT_TP_DST, ct_orig.tp_dst, NEED_NONE, NULL),
};

/* The field is a nest that flow_tunnel.c parses and puts. */
static bool is_nested(int type)
{
	return type == VSW_KEY_ATTR_TUNNEL;
}

/* A connection field: 0 until a CT action sets it. */
static bool is_ct_field(int type)
{
	return (type >= VSW_KEY_ATTR_CT_STATE && type <= VSW_KEY_ATTR_CT_MARK) ||
	       type == VSW_KEY_ATTR_CT_LABEL ||
	       (type >= VSW_KEY_ATTR_CT_NW_SRC && type <= VSW_KEY_ATTR_CT_TP_DST);
}

static const struct nla_policy key_policy[VSW_KEY_ATTR_MAX + 1] = {
	[VSW_KEY_ATTR_IN_PORT]		= { .type = NLA_U32 },
	[VSW_KEY_ATTR_ETH_SRC]		= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[VSW_KEY_ATTR_ETH_DST]		= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[VSW_KEY_ATTR_ETH_TYPE]		= { .type = NLA_BE16 },
	[VSW_KEY_ATTR_VLAN_TCI]		= { .type = NLA_BE16 },
	[VSW_KEY_ATTR_IPV4_SRC]		= { .type = NLA_BE32 },
	[VSW_KEY_ATTR_IPV4_DST]		= { .type = NLA_BE32 },
	[VSW_KEY_ATTR_IPV6_SRC]		= NLA_POLICY_EXACT_LEN(16),
	[VSW_KEY_ATTR_IPV6_DST]		= NLA_POLICY_EXACT_LEN(16),
	[VSW_KEY_ATTR_IPV6_LABEL]	= { .type = NLA_BE32 },
	[VSW_KEY_ATTR_IP_PROTO]		= { .type = NLA_U8 },
	[VSW_KEY_ATTR_IP_TOS]		= { .type = NLA_U8 },
	[VSW_KEY_ATTR_IP_TTL]		= { .type = NLA_U8 },
	[VSW_KEY_ATTR_IP_FRAG]		= { .type = NLA_U8 },
	[VSW_KEY_ATTR_TP_SRC]		= { .type = NLA_BE16 },
	[VSW_KEY_ATTR_TP_DST]		= { .type = NLA_BE16 },
	[VSW_KEY_ATTR_TCP_FLAGS]	= { .type = NLA_BE16 },
	[VSW_KEY_ATTR_ICMP_TYPE]	= { .type = NLA_U8 },
	[VSW_KEY_ATTR_ICMP_CODE]	= { .type = NLA_U8 },
	[VSW_KEY_ATTR_ARP_OP]		= { .type = NLA_BE16 },
	[VSW_KEY_ATTR_ARP_SPA]		= { .type = NLA_BE32 },
	[VSW_KEY_ATTR_ARP_TPA]		= { .type = NLA_BE32 },
	[VSW_KEY_ATTR_ARP_SHA]		= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[VSW_KEY_ATTR_ARP_THA]		= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[VSW_KEY_ATTR_ND_TARGET]	= NLA_POLICY_EXACT_LEN(16),
	[VSW_KEY_ATTR_RECIRC_ID]	= { .type = NLA_U32 },
	[VSW_KEY_ATTR_CT_STATE]		= { .type = NLA_U8 },
	[VSW_KEY_ATTR_CT_ZONE]		= { .type = NLA_BE16 },
	[VSW_KEY_ATTR_CT_MARK]		= { .type = NLA_BE32 },
	[VSW_KEY_ATTR_TUNNEL]		= NLA_POLICY_NESTED(vsw_tunnel_policy),
	[VSW_KEY_ATTR_CT_LABEL]		= NLA_POLICY_EXACT_LEN(16),
	[VSW_KEY_ATTR_CT_NW_SRC]	= { .type = NLA_BE32 },
	[VSW_KEY_ATTR_CT_NW_DST]	= { .type = NLA_BE32 },
	[VSW_KEY_ATTR_CT_IPV6_SRC]	= NLA_POLICY_EXACT_LEN(16),
	[VSW_KEY_ATTR_CT_IPV6_DST]	= NLA_POLICY_EXACT_LEN(16),
	[VSW_KEY_ATTR_CT_NW_PROTO]	= { .type = NLA_U8 },
	[VSW_KEY_ATTR_CT_TP_SRC]	= { .type = NLA_BE16 },
	[VSW_KEY_ATTR_CT_TP_DST]	= { .type = NLA_BE16 },
};

/* Sets a message from the field table (static storage, as extack needs). */
static void set_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		    const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = attr;
}

static bool field_nonzero(const struct vsw_key *k, int type)
{
	return memchr_inv((const u8 *)k + fields[type].off, 0,
			  fields[type].len) != NULL;
}

/* Host-order value of a 1-, 2- or 4-byte field. */
static u32 field_value(const struct vsw_key *k, int type)
{
	const u8 *p = (const u8 *)k + fields[type].off;

	switch (fields[type].len) {
	case 1:
		return *p;
	case 2:
		return get_unaligned_be16(p);
	case 4:
		return get_unaligned_be32(p);
	}
	return 0;
}

/* Is the field of @type pinned exactly (mask NULL = everything exact)? */
static bool exact(const struct vsw_key *mask, int type)
{
	const u8 *p;
	int i;

	if (!mask)
		return true;
	p = (const u8 *)mask + fields[type].off;
	for (i = 0; i < fields[type].len; i++)
		if (p[i] != 0xff)
			return false;
	return true;
}

static bool is_eth(const struct vsw_key *k, const struct vsw_key *m, u16 t)
{
	return exact(m, VSW_KEY_ATTR_ETH_TYPE) && ntohs(k->eth_type) == t;
}

static bool is_proto(const struct vsw_key *k, const struct vsw_key *m, u8 p)
{
	return exact(m, VSW_KEY_ATTR_IP_PROTO) && k->ip_proto == p;
}

/* Does the match (@key under @mask) guarantee what @need asks for? */
static bool need_met(enum need need, const struct vsw_key *k,
		     const struct vsw_key *m)
{
	bool v4 = is_eth(k, m, ETH_P_IP), v6 = is_eth(k, m, ETH_P_IPV6);

	switch (need) {
	case NEED_NONE:
		return true;
	case NEED_IPV4:
		return v4;
	case NEED_IPV6:
		return v6;
	case NEED_IP:
		return v4 || v6;
	case NEED_ARP:
		return is_eth(k, m, ETH_P_ARP) || is_eth(k, m, ETH_P_RARP);
	case NEED_TP:
		return (v4 || v6) && (is_proto(k, m, IPPROTO_TCP_) ||
				      is_proto(k, m, IPPROTO_UDP_) ||
				      is_proto(k, m, IPPROTO_SCTP_));
	case NEED_TCP:
		return (v4 || v6) && is_proto(k, m, IPPROTO_TCP_);
	case NEED_ICMP:
		return (v4 && is_proto(k, m, IPPROTO_ICMP_)) ||
		       (v6 && is_proto(k, m, IPPROTO_ICMPV6_));
	case NEED_ND:
		return v6 && is_proto(k, m, IPPROTO_ICMPV6_) &&
		       exact(m, VSW_KEY_ATTR_ICMP_TYPE) &&
		       (k->icmp_type == ICMPV6_NS || k->icmp_type == ICMPV6_NA);
	}
	return false;
}

/* Copies the attributes of a parsed nest into @k, checking value bits.
 * @is_key: values (not a mask).
 */
static int fill_key(struct nlattr **tb, struct vsw_key *k, bool is_key,
		    struct netlink_ext_ack *extack)
{
	int type, err;

	memset(k, 0, sizeof(*k));
	for (type = 1; type <= VSW_KEY_ATTR_MAX; type++) {
		if (!tb[type])
			continue;
		if (is_nested(type)) {
			err = vsw_tun_key_from_nla(tb[type], &k->tun, is_key,
						   extack);
			if (err)
				return err;
			continue;
		}
		memcpy((u8 *)k + fields[type].off, nla_data(tb[type]),
		       fields[type].len);
		if (fields[type].valid &&
		    (field_value(k, type) & ~fields[type].valid)) {
			set_err(extack, tb[type], fields[type].range_msg);
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_nest(const struct nlattr *attr, struct vsw_key *k,
		      bool is_key, struct nlattr **tb,
		      struct netlink_ext_ack *extack)
{
	int err;

	err = nla_parse_nested(tb, VSW_KEY_ATTR_MAX, attr, key_policy, extack);
	if (err)
		return err;
	return fill_key(tb, k, is_key, extack);
}

/* Checks the key alone: values that no packet could carry. */
static int check_key_values(struct nlattr **tb, const struct vsw_key *k,
			    struct netlink_ext_ack *extack)
{
	u16 tci = ntohs(k->vlan_tci);

	if (tci && !(tci & VSW_VLAN_PRESENT)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VSW_KEY_ATTR_VLAN_TCI],
				    "VLAN_TCI without VSW_VLAN_PRESENT must be 0");
		return -EINVAL;
	}
	if (!k->in_port ||
	    (k->in_port > VSW_PORT_MAX && k->in_port != VSW_PORT_LOCAL)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VSW_KEY_ATTR_IN_PORT],
				    "IN_PORT missing or not a valid port number");
		return -EINVAL;
	}
	return 0;
}

/* Every field the match uses (mask non-zero, or for an exact match a
 * non-zero value) must have its prerequisites pinned.
 */
static int check_prereqs(struct nlattr **tb, const struct vsw_key *k,
			 const struct vsw_key *m, struct netlink_ext_ack *extack)
{
	int type;

	for (type = 1; type <= VSW_KEY_ATTR_MAX; type++) {
		if (!field_nonzero(m ? m : k, type))
			continue;
		if (!need_met(fields[type].need, k, m)) {
			set_err(extack, tb[type], fields[type].need_msg);
			return -EINVAL;
		}
	}
	return 0;
}

static void mask_apply(struct vsw_key *k, const struct vsw_key *m)
{
	u64 *kw = (u64 *)k;
	const u64 *mw = (const u64 *)m;
	unsigned int i;

	for (i = 0; i < VSW_KEY_WORDS; i++)
		kw[i] &= mw[i];
}

int vsw_nla_get_match(const struct nlattr *key_attr,
		      const struct nlattr *mask_attr, struct vsw_key *key,
		      struct vsw_key *mask, struct netlink_ext_ack *extack)
{
	struct nlattr *ktb[VSW_KEY_ATTR_MAX + 1];
	struct nlattr *mtb[VSW_KEY_ATTR_MAX + 1];
	int err;

	if (!key_attr) {
		NL_SET_ERR_MSG(extack, "flow KEY missing");
		return -EINVAL;
	}
	err = parse_nest(key_attr, key, true, ktb, extack);
	if (!err)
		err = check_key_values(ktb, key, extack);
	if (err)
		return err;
	if (!mask_attr) {
		memset(mask, 0xff, sizeof(*mask));
		return check_prereqs(ktb, key, NULL, extack);
	}
	err = parse_nest(mask_attr, mask, false, mtb, extack);
	if (err)
		return err;
	if (mask->in_port != 0xffffffff) {
		NL_SET_ERR_MSG_ATTR(extack, mtb[VSW_KEY_ATTR_IN_PORT] ?: mask_attr,
				    "IN_PORT must be exact (mask 0xffffffff)");
		return -EINVAL;
	}
	/* metadata that is never wildcarded: a flow for pass 0 must not
	 * match a recirculated packet
	 */
	if (!mtb[VSW_KEY_ATTR_RECIRC_ID]) {
		mask->recirc_id = 0xffffffff;
	} else if (mask->recirc_id != 0xffffffff) {
		NL_SET_ERR_MSG_ATTR(extack, mtb[VSW_KEY_ATTR_RECIRC_ID],
				    "RECIRC_ID must be exact (mask 0xffffffff or absent)");
		return -EINVAL;
	}
	mask_apply(key, mask);
	return check_prereqs(mtb, key, mask, extack);
}

int vsw_nla_put_key(struct sk_buff *skb, int attrtype,
		    const struct vsw_key *key, const struct vsw_key *mask)
{
	struct nlattr *nest;
	int type;

	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	for (type = 1; type <= VSW_KEY_ATTR_MAX; type++) {
		if (mask ? !field_nonzero(mask, type) :
			   !need_met(fields[type].need, key, NULL))
			continue;
		/* always exact, so never in a MASK; in a KEY only for a
		 * recirculated pass (absent means 0)
		 */
		if (type == VSW_KEY_ATTR_RECIRC_ID &&
		    (!key->recirc_id || key == mask))
			continue;
		/* an upcall's key: connection fields only once tracked */
		if (!mask && is_ct_field(type) && !field_nonzero(key, type))
			continue;
		if (is_nested(type)) {
			/* an exact key: only a packet that came by a tunnel */
			if (!mask && !field_nonzero(key, type))
				continue;
			if (vsw_tun_key_put(skb, type, &key->tun,
					    mask ? &mask->tun : NULL))
				goto err_cancel;
			continue;
		}
		if (nla_put(skb, type, fields[type].len,
			    (const u8 *)key + fields[type].off))
			goto err_cancel;
	}
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

size_t vsw_key_attr_size(void)
{
	size_t size = nla_total_size(0);	/* the nest */
	int type;

	for (type = 1; type <= VSW_KEY_ATTR_MAX; type++)
		size += is_nested(type) ? vsw_tun_key_attr_size() :
					  nla_total_size(fields[type].len);
	return size;
}

/* --- actions ---------------------------------------------------------- */

static const struct nla_policy userspace_policy[VSW_USERSPACE_ATTR_MAX + 1] = {
	[VSW_USERSPACE_ATTR_PID]	= { .type = NLA_U32 },
	[VSW_USERSPACE_ATTR_COOKIE]	= { .type = NLA_U64 },
};

static const struct nla_policy nat_policy[VSW_NAT_ATTR_MAX + 1] = {
	[VSW_NAT_ATTR_SRC]		= { .type = NLA_FLAG },
	[VSW_NAT_ATTR_DST]		= { .type = NLA_FLAG },
	[VSW_NAT_ATTR_IP_MIN]		= NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[VSW_NAT_ATTR_IP_MAX]		= NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[VSW_NAT_ATTR_PROTO_MIN]	= { .type = NLA_BE16 },
	[VSW_NAT_ATTR_PROTO_MAX]	= { .type = NLA_BE16 },
	[VSW_NAT_ATTR_PERSISTENT]	= { .type = NLA_FLAG },
	[VSW_NAT_ATTR_PROTO_HASH]	= { .type = NLA_FLAG },
	[VSW_NAT_ATTR_PROTO_RANDOM]	= { .type = NLA_FLAG },
};

static const struct nla_policy ct_policy[VSW_CT_ATTR_MAX + 1] = {
	[VSW_CT_ATTR_ZONE]		= { .type = NLA_U16 },
	[VSW_CT_ATTR_COMMIT]		= { .type = NLA_FLAG },
	[VSW_CT_ATTR_FORCE]		= { .type = NLA_FLAG },
	[VSW_CT_ATTR_MARK]		= { .type = NLA_U32 },
	[VSW_CT_ATTR_MARK_MASK]		= { .type = NLA_U32 },
	[VSW_CT_ATTR_NAT]		= NLA_POLICY_NESTED(nat_policy),
	[VSW_CT_ATTR_LABEL]		= NLA_POLICY_EXACT_LEN(16),
	[VSW_CT_ATTR_LABEL_MASK]	= NLA_POLICY_EXACT_LEN(16),
};

static const struct nla_policy action_policy[VSW_ACTION_ATTR_MAX + 1] = {
	[VSW_ACTION_ATTR_OUTPUT]	= { .type = NLA_U32 },
	[VSW_ACTION_ATTR_USERSPACE]	= NLA_POLICY_NESTED(userspace_policy),
	[VSW_ACTION_ATTR_PUSH_VLAN]	= { .type = NLA_BE16 },
	[VSW_ACTION_ATTR_POP_VLAN]	= { .type = NLA_FLAG },
	[VSW_ACTION_ATTR_SET_ETH_SRC]	= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[VSW_ACTION_ATTR_SET_ETH_DST]	= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[VSW_ACTION_ATTR_SET_IPV4_SRC]	= { .type = NLA_BE32 },
	[VSW_ACTION_ATTR_SET_IPV4_DST]	= { .type = NLA_BE32 },
	[VSW_ACTION_ATTR_SET_IP_DSCP]	= NLA_POLICY_MAX(NLA_U8, 63),
	[VSW_ACTION_ATTR_SET_IP_TTL]	= { .type = NLA_U8 },
	[VSW_ACTION_ATTR_SET_IPV6_SRC]	= NLA_POLICY_EXACT_LEN(16),
	[VSW_ACTION_ATTR_SET_IPV6_DST]	= NLA_POLICY_EXACT_LEN(16),
	[VSW_ACTION_ATTR_SET_IPV6_LABEL] = { .type = NLA_BE32 },
	[VSW_ACTION_ATTR_SET_TP_SRC]	= { .type = NLA_BE16 },
	[VSW_ACTION_ATTR_SET_TP_DST]	= { .type = NLA_BE16 },
	[VSW_ACTION_ATTR_DEC_TTL]	= { .type = NLA_FLAG },
	[VSW_ACTION_ATTR_SET_VLAN_TCI]	= { .type = NLA_BE16 },
	[VSW_ACTION_ATTR_RECIRC]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VSW_ACTION_ATTR_CT]		= NLA_POLICY_NESTED(ct_policy),
	[VSW_ACTION_ATTR_CT_CLEAR]	= { .type = NLA_FLAG },
	[VSW_ACTION_ATTR_SET_TUNNEL]	= NLA_POLICY_NESTED(vsw_tunnel_policy),
};

/* What an action needs the match to guarantee, and the message if not. */
struct action_need {
	u8 need;
	const char *msg;
};

static const struct action_need action_needs[VSW_ACTION_ATTR_MAX + 1] = {
	[VSW_ACTION_ATTR_SET_IPV4_SRC] = { NEED_IPV4,
		"SET_IPV4_SRC needs an exact ETH_TYPE 0x0800 in the match" },
	[VSW_ACTION_ATTR_SET_IPV4_DST] = { NEED_IPV4,
		"SET_IPV4_DST needs an exact ETH_TYPE 0x0800 in the match" },
	[VSW_ACTION_ATTR_SET_IP_DSCP] = { NEED_IP,
		"SET_IP_DSCP needs an exact IPv4 or IPv6 ETH_TYPE in the match" },
	[VSW_ACTION_ATTR_SET_IP_TTL] = { NEED_IP,
		"SET_IP_TTL needs an exact IPv4 or IPv6 ETH_TYPE in the match" },
	[VSW_ACTION_ATTR_DEC_TTL] = { NEED_IP,
		"DEC_TTL needs an exact IPv4 or IPv6 ETH_TYPE in the match" },
	[VSW_ACTION_ATTR_SET_IPV6_SRC] = { NEED_IPV6,
		"SET_IPV6_SRC needs an exact ETH_TYPE 0x86dd in the match" },
	[VSW_ACTION_ATTR_SET_IPV6_DST] = { NEED_IPV6,
		"SET_IPV6_DST needs an exact ETH_TYPE 0x86dd in the match" },
	[VSW_ACTION_ATTR_SET_IPV6_LABEL] = { NEED_IPV6,
		"SET_IPV6_LABEL needs an exact ETH_TYPE 0x86dd in the match" },
	[VSW_ACTION_ATTR_SET_TP_SRC] = { NEED_TP,
		"SET_TP_SRC needs an exact IP_PROTO 6, 17 or 132 and IP ETH_TYPE in the match" },
	[VSW_ACTION_ATTR_SET_TP_DST] = { NEED_TP,
		"SET_TP_DST needs an exact IP_PROTO 6, 17 or 132 and IP ETH_TYPE in the match" },
	[VSW_ACTION_ATTR_CT] = { NEED_IP,
		"CT needs an exact IPv4 or IPv6 ETH_TYPE in the match" },
};

/* A first fragment or an unfragmented packet: L4 headers are there. */
static bool not_later_frag(const struct vsw_key *k, const struct vsw_key *m)
{
	return (!m || (m->ip_frag & VSW_FRAG_LATER)) &&
	       !(k->ip_frag & VSW_FRAG_LATER);
}

static bool tagged(const struct vsw_key *k, const struct vsw_key *m)
{
	u16 mt = m ? ntohs(m->vlan_tci) : 0xffff;

	return (mt & VSW_VLAN_PRESENT) && (ntohs(k->vlan_tci) & VSW_VLAN_PRESENT);
}

static bool valid_port(u32 port)
{
	return (port >= 1 && port <= VSW_PORT_MAX) || port == VSW_PORT_LOCAL;
}

/* Semantic checks of one action; *@vlan tracks whether a tag is known to
 * be present at this point of the list.
 */
static int check_action(const struct nlattr *a, const struct vsw_key *k,
			const struct vsw_key *m, bool *vlan,
			struct netlink_ext_ack *extack)
{
	int type = nla_type(a);

	if (action_needs[type].msg &&
	    !need_met(action_needs[type].need, k, m)) {
		set_err(extack, a, action_needs[type].msg);
		return -EINVAL;
	}
	switch (type) {
	case VSW_ACTION_ATTR_OUTPUT:
		if (!valid_port(nla_get_u32(a))) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "OUTPUT port out of range");
			return -EINVAL;
		}
		break;
	case VSW_ACTION_ATTR_PUSH_VLAN:
		if (!(ntohs(nla_get_be16(a)) & VSW_VLAN_PRESENT)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "PUSH_VLAN needs VSW_VLAN_PRESENT in the TCI");
			return -EINVAL;
		}
		*vlan = true;
		break;
	case VSW_ACTION_ATTR_SET_VLAN_TCI:
		if (!(ntohs(nla_get_be16(a)) & VSW_VLAN_PRESENT)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "SET_VLAN_TCI needs VSW_VLAN_PRESENT in the TCI");
			return -EINVAL;
		}
		fallthrough;
	case VSW_ACTION_ATTR_POP_VLAN:
		if (!*vlan) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "VLAN action needs a tag: match VLAN_TCI with VSW_VLAN_PRESENT, or PUSH_VLAN first");
			return -EINVAL;
		}
		if (type == VSW_ACTION_ATTR_POP_VLAN)
			*vlan = false;	/* an inner tag is not in the key */
		break;
	case VSW_ACTION_ATTR_SET_IPV6_LABEL:
		if (ntohl(nla_get_be32(a)) & ~0xfffffU) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "SET_IPV6_LABEL has bits above the 20-bit flow label");
			return -EINVAL;
		}
		break;
	case VSW_ACTION_ATTR_CT:
		return vsw_ct_check(a, k, extack);
	case VSW_ACTION_ATTR_SET_TUNNEL:
		return vsw_tun_set_check(a, extack);
	case VSW_ACTION_ATTR_SET_TP_SRC:
	case VSW_ACTION_ATTR_SET_TP_DST:
		if (!not_later_frag(k, m)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "SET_TP_* needs the match to exclude later fragments (IP_FRAG mask with VSW_FRAG_LATER, value without)");
			return -EINVAL;
		}
		break;
	}
	return 0;
}

static void tunnel_dsts_free(struct vsw_actions *acts)
{
	u32 i;

	for (i = 0; i < acts->n_tun; i++)
		dst_release(&acts->tun[i]->dst);
	kfree(acts->tun);
	acts->tun = NULL;
	acts->n_tun = 0;
}

/* Builds the metadata of each of the list's @n_tun SET_TUNNEL actions,
 * which check_action() passed.
 */
static int create_tunnel_dsts(struct vsw_actions *acts, u32 n_tun)
{
	const struct nlattr *a;
	struct metadata_dst *md;
	int rem;

	if (!n_tun)
		return 0;
	acts->tun = kcalloc(n_tun, sizeof(*acts->tun), GFP_KERNEL_ACCOUNT);
	if (!acts->tun)
		return -ENOMEM;
	nla_for_each_attr(a, acts->attrs, acts->len, rem) {
		if (nla_type(a) != VSW_ACTION_ATTR_SET_TUNNEL)
			continue;
		md = vsw_tun_dst_create(a);
		if (IS_ERR(md))
			return PTR_ERR(md);
		acts->tun[acts->n_tun++] = md;
	}
	return 0;
}

struct vsw_actions *vsw_actions_create(struct net *net,
				       const struct nlattr *attr,
				       const struct vsw_key *key,
				       const struct vsw_key *mask,
				       struct netlink_ext_ack *extack)
{
	bool vlan = tagged(key, mask);
	struct vsw_actions *acts;
	const struct nlattr *a;
	u32 n = 0, n_outputs = 0, n_tun = 0;
	int rem, err;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "ACTIONS missing");
		return ERR_PTR(-EINVAL);
	}
	err = nla_validate_nested(attr, VSW_ACTION_ATTR_MAX, action_policy,
				  extack);
	if (err)
		return ERR_PTR(err);
	nla_for_each_nested(a, attr, rem) {
		if (++n > VSW_MAX_ACTIONS) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "more than VSW_MAX_ACTIONS actions");
			return ERR_PTR(-E2BIG);
		}
		err = check_action(a, key, mask, &vlan, extack);
		if (err)
			return ERR_PTR(err);
		n_outputs += nla_type(a) == VSW_ACTION_ATTR_OUTPUT;
		n_tun += nla_type(a) == VSW_ACTION_ATTR_SET_TUNNEL;
	}
	acts = kmalloc(struct_size(acts, attrs, 0) + nla_len(attr),
		       GFP_KERNEL_ACCOUNT);
	if (!acts)
		return ERR_PTR(-ENOMEM);
	acts->len = nla_len(attr);
	acts->n_outputs = n_outputs;
	acts->n_ct = 0;
	acts->n_tun = 0;
	acts->tun = NULL;
	memcpy(acts->attrs, nla_data(attr), acts->len);
	err = vsw_ct_tmpls_create(acts, net);
	if (!err)
		err = create_tunnel_dsts(acts, n_tun);
	if (err) {
		vsw_actions_free_now(acts);
		return ERR_PTR(err);
	}
	return acts;
}

void vsw_actions_free_now(struct vsw_actions *acts)
{
	if (!acts)
		return;
	vsw_ct_tmpls_free(acts);
	tunnel_dsts_free(acts);
	kfree(acts);
}

static void actions_free_rcu(struct rcu_head *rcu)
{
	vsw_actions_free_now(container_of(rcu, struct vsw_actions, rcu));
}

void vsw_actions_free(struct vsw_actions *acts)
{
	if (acts)
		call_rcu(&acts->rcu, actions_free_rcu);
}

int vsw_actions_put(struct sk_buff *skb, int attrtype,
		    const struct vsw_actions *acts)
{
	struct nlattr *nest = nla_nest_start(skb, attrtype);

	if (!nest)
		return -EMSGSIZE;
	if (acts && acts->len && nla_append(skb, acts->len, acts->attrs)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
