// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnel metadata: from a received packet into the key, the key's
 * VSW_KEY_ATTR_TUNNEL to and from netlink, and SET_TUNNEL as the metadata
 * dst that a flow-based tunnel device (vxlan, geneve, gretap in external
 * mode) encapsulates with. No encapsulation happens here.
 */
#include <linux/ipv6.h>
#include <net/dst_metadata.h>
#include <net/ip_tunnels.h>
#include <net/netlink.h>
#include <uapi/linux/vswitch.h>

#include "flow.h"
#include "flow_tunnel.h"

const struct nla_policy vsw_tunnel_policy[VSW_TUNNEL_ATTR_MAX + 1] = {
	[VSW_TUNNEL_ATTR_ID]		= NLA_POLICY_EXACT_LEN(sizeof(__be64)),
	[VSW_TUNNEL_ATTR_IPV4_SRC]	= { .type = NLA_BE32 },
	[VSW_TUNNEL_ATTR_IPV4_DST]	= { .type = NLA_BE32 },
	[VSW_TUNNEL_ATTR_IPV6_SRC]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VSW_TUNNEL_ATTR_IPV6_DST]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VSW_TUNNEL_ATTR_TOS]		= { .type = NLA_U8 },
	[VSW_TUNNEL_ATTR_TTL]		= { .type = NLA_U8 },
	[VSW_TUNNEL_ATTR_FLAGS]		= { .type = NLA_U16 },
	[VSW_TUNNEL_ATTR_TP_SRC]	= { .type = NLA_BE16 },
	[VSW_TUNNEL_ATTR_TP_DST]	= { .type = NLA_BE16 },
	[VSW_TUNNEL_ATTR_PAD]		= { .type = NLA_UNSPEC },
};

/* Our flags and the kernel's tunnel flags, bit for bit. */
static const struct {
	u16 ours;
	__be16 kernel;
} flag_map[] = {
	{ VSW_TUNNEL_F_DF, TUNNEL_DONT_FRAGMENT },
	{ VSW_TUNNEL_F_CSUM, TUNNEL_CSUM },
	{ VSW_TUNNEL_F_KEY, TUNNEL_KEY },
};

static u16 flags_from_kernel(__be16 tun_flags)
{
	u16 flags = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(flag_map); i++)
		if (tun_flags & flag_map[i].kernel)
			flags |= flag_map[i].ours;
	return flags;
}

static __be16 flags_to_kernel(u16 flags)
{
	__be16 tun_flags = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(flag_map); i++)
		if (flags & flag_map[i].ours)
			tun_flags |= flag_map[i].kernel;
	return tun_flags;
}

void vsw_tun_key_extract(struct sk_buff *skb, struct vsw_key_tunnel *tun)
{
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);
	const struct ip_tunnel_key *k;

	if (!info || (info->mode & IP_TUNNEL_INFO_TX))
		return;
	k = &info->key;
	tun->tun_id = k->tun_id;
	if (info->mode & IP_TUNNEL_INFO_IPV6) {
		tun->ipv6_src = k->u.ipv6.src;
		tun->ipv6_dst = k->u.ipv6.dst;
	} else {
		tun->ipv4_src = k->u.ipv4.src;
		tun->ipv4_dst = k->u.ipv4.dst;
	}
	tun->tp_src = k->tp_src;
	tun->tp_dst = k->tp_dst;
	tun->flags = flags_from_kernel(k->tun_flags);
	tun->tos = k->tos;
	tun->ttl = k->ttl;
	skb_dst_drop(skb);
}

static bool tun_has_v4(const struct vsw_key_tunnel *tun)
{
	return tun->ipv4_src || tun->ipv4_dst;
}

static bool tun_has_v6(const struct vsw_key_tunnel *tun)
{
	return !ipv6_addr_any(&tun->ipv6_src) || !ipv6_addr_any(&tun->ipv6_dst);
}

static int check_flags(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct nlattr *a = tb[VSW_TUNNEL_ATTR_FLAGS];

	if (a && (nla_get_u16(a) & ~VSW_TUNNEL_F_MASK)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "tunnel FLAGS has bits other than VSW_TUNNEL_F_DF, _CSUM and _KEY");
		return -EINVAL;
	}
	return 0;
}

int vsw_tun_key_from_nla(const struct nlattr *attr, struct vsw_key_tunnel *tun,
			 bool is_key, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VSW_TUNNEL_ATTR_MAX + 1];
	int err;

	memset(tun, 0, sizeof(*tun));
	err = nla_parse_nested(tb, VSW_TUNNEL_ATTR_MAX, attr, vsw_tunnel_policy,
			       extack);
	if (!err)
		err = check_flags(tb, extack);
	if (err)
		return err;
	if (tb[VSW_TUNNEL_ATTR_ID])
		tun->tun_id = nla_get_be64(tb[VSW_TUNNEL_ATTR_ID]);
	if (tb[VSW_TUNNEL_ATTR_IPV4_SRC])
		tun->ipv4_src = nla_get_in_addr(tb[VSW_TUNNEL_ATTR_IPV4_SRC]);
	if (tb[VSW_TUNNEL_ATTR_IPV4_DST])
		tun->ipv4_dst = nla_get_in_addr(tb[VSW_TUNNEL_ATTR_IPV4_DST]);
	if (tb[VSW_TUNNEL_ATTR_IPV6_SRC])
		tun->ipv6_src = nla_get_in6_addr(tb[VSW_TUNNEL_ATTR_IPV6_SRC]);
	if (tb[VSW_TUNNEL_ATTR_IPV6_DST])
		tun->ipv6_dst = nla_get_in6_addr(tb[VSW_TUNNEL_ATTR_IPV6_DST]);
	if (tb[VSW_TUNNEL_ATTR_TOS])
		tun->tos = nla_get_u8(tb[VSW_TUNNEL_ATTR_TOS]);
	if (tb[VSW_TUNNEL_ATTR_TTL])
		tun->ttl = nla_get_u8(tb[VSW_TUNNEL_ATTR_TTL]);
	if (tb[VSW_TUNNEL_ATTR_FLAGS])
		tun->flags = nla_get_u16(tb[VSW_TUNNEL_ATTR_FLAGS]);
	if (tb[VSW_TUNNEL_ATTR_TP_SRC])
		tun->tp_src = nla_get_be16(tb[VSW_TUNNEL_ATTR_TP_SRC]);
	if (tb[VSW_TUNNEL_ATTR_TP_DST])
		tun->tp_dst = nla_get_be16(tb[VSW_TUNNEL_ATTR_TP_DST]);
	if (is_key && tun_has_v4(tun) && tun_has_v6(tun)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "TUNNEL key has both IPv4 and IPv6 addresses");
		return -EINVAL;
	}
	return 0;
}

/* Whether to put a field: its mask is non-zero, or there is no mask. */
#define WANT(m, field) \
	(!(m) || memchr_inv(&(m)->field, 0, sizeof((m)->field)))

static int put_addrs(struct sk_buff *skb, const struct vsw_key_tunnel *tun,
		     const struct vsw_key_tunnel *m)
{
	bool v6 = tun_has_v6(tun);

	if ((m ? WANT(m, ipv4_src) : !v6) &&
	    nla_put_in_addr(skb, VSW_TUNNEL_ATTR_IPV4_SRC, tun->ipv4_src))
		return -EMSGSIZE;
	if ((m ? WANT(m, ipv4_dst) : !v6) &&
	    nla_put_in_addr(skb, VSW_TUNNEL_ATTR_IPV4_DST, tun->ipv4_dst))
		return -EMSGSIZE;
	if ((m ? WANT(m, ipv6_src) : v6) &&
	    nla_put_in6_addr(skb, VSW_TUNNEL_ATTR_IPV6_SRC, &tun->ipv6_src))
		return -EMSGSIZE;
	if ((m ? WANT(m, ipv6_dst) : v6) &&
	    nla_put_in6_addr(skb, VSW_TUNNEL_ATTR_IPV6_DST, &tun->ipv6_dst))
		return -EMSGSIZE;
	return 0;
}

int vsw_tun_key_put(struct sk_buff *skb, int attrtype,
		    const struct vsw_key_tunnel *tun,
		    const struct vsw_key_tunnel *m)
{
	struct nlattr *nest = nla_nest_start(skb, attrtype);

	if (!nest)
		return -EMSGSIZE;
	if ((WANT(m, tun_id) &&
	     nla_put_be64(skb, VSW_TUNNEL_ATTR_ID, tun->tun_id,
			  VSW_TUNNEL_ATTR_PAD)) ||
	    put_addrs(skb, tun, m) ||
	    (WANT(m, tos) && nla_put_u8(skb, VSW_TUNNEL_ATTR_TOS, tun->tos)) ||
	    (WANT(m, ttl) && nla_put_u8(skb, VSW_TUNNEL_ATTR_TTL, tun->ttl)) ||
	    (WANT(m, flags) &&
	     nla_put_u16(skb, VSW_TUNNEL_ATTR_FLAGS, tun->flags)) ||
	    (WANT(m, tp_src) &&
	     nla_put_be16(skb, VSW_TUNNEL_ATTR_TP_SRC, tun->tp_src)) ||
	    (WANT(m, tp_dst) &&
	     nla_put_be16(skb, VSW_TUNNEL_ATTR_TP_DST, tun->tp_dst))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

size_t vsw_tun_key_attr_size(void)
{
	return nla_total_size(0)				/* the nest */
		+ nla_total_size_64bit(sizeof(__be64))		/* ID */
		+ nla_total_size(sizeof(__be32)) * 2		/* IPV4_* */
		+ nla_total_size(sizeof(struct in6_addr)) * 2	/* IPV6_* */
		+ nla_total_size(sizeof(u8)) * 2		/* TOS, TTL */
		+ nla_total_size(sizeof(u16))			/* FLAGS */
		+ nla_total_size(sizeof(__be16)) * 2;		/* TP_* */
}

/* SET_TUNNEL's rules (uapi: "SET_TUNNEL, attribute by attribute") that
 * a key's parse does not already apply.
 */
static int check_set(const struct nlattr *attr, struct nlattr **tb,
		     const struct vsw_key_tunnel *t,
		     struct netlink_ext_ack *extack)
{
	bool v4 = t->ipv4_dst, v6 = !ipv6_addr_any(&t->ipv6_dst);

	if (tb[VSW_TUNNEL_ATTR_TP_SRC]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VSW_TUNNEL_ATTR_TP_SRC],
				    "SET_TUNNEL cannot set TP_SRC: the device picks the UDP source port");
		return -EINVAL;
	}
	if (v4 == v6) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "SET_TUNNEL needs exactly one non-zero IPV4_DST or IPV6_DST");
		return -EINVAL;
	}
	/* a source of the other family: vsw_tun_key_from_nla() refused it */
	return 0;
}

static void fill_info(struct ip_tunnel_info *info,
		      const struct vsw_key_tunnel *t)
{
	struct ip_tunnel_key *k = &info->key;

	info->mode = IP_TUNNEL_INFO_TX;
	if (!ipv6_addr_any(&t->ipv6_dst)) {
		info->mode |= IP_TUNNEL_INFO_IPV6;
		k->u.ipv6.src = t->ipv6_src;
		k->u.ipv6.dst = t->ipv6_dst;
	} else {
		k->u.ipv4.src = t->ipv4_src;
		k->u.ipv4.dst = t->ipv4_dst;
	}
	k->tun_id = t->tun_id;
	k->tos = t->tos;
	k->ttl = t->ttl;
	k->tp_dst = t->tp_dst;
	k->tun_flags = flags_to_kernel(t->flags);
}

int vsw_tun_set_check(const struct nlattr *attr,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VSW_TUNNEL_ATTR_MAX + 1];
	struct vsw_key_tunnel t;
	int err;

	err = vsw_tun_key_from_nla(attr, &t, true, extack);
	if (err)
		return err;
	/* parsed once more for the attributes' offsets in messages */
	err = nla_parse_nested(tb, VSW_TUNNEL_ATTR_MAX, attr, vsw_tunnel_policy,
			       extack);
	return err ?: check_set(attr, tb, &t, extack);
}

struct metadata_dst *vsw_tun_dst_create(const struct nlattr *attr)
{
	struct vsw_key_tunnel t;
	struct metadata_dst *md;
	int err;

	err = vsw_tun_key_from_nla(attr, &t, true, NULL);
	if (err)
		return ERR_PTR(err);
	md = metadata_dst_alloc(0, METADATA_IP_TUNNEL, GFP_KERNEL_ACCOUNT);
	if (!md)
		return ERR_PTR(-ENOMEM);
#ifdef CONFIG_DST_CACHE
	err = dst_cache_init(&md->u.tun_info.dst_cache, GFP_KERNEL_ACCOUNT);
	if (err) {
		dst_release(&md->dst);
		return ERR_PTR(err);
	}
#endif
	fill_info(&md->u.tun_info, &t);
	return md;
}

bool vsw_tun_dst_is_set(const struct sk_buff *skb)
{
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);

	return info && (info->mode & IP_TUNNEL_INFO_TX);
}

void vsw_tun_dst_set(struct sk_buff *skb, struct metadata_dst *md)
{
	skb_dst_drop(skb);
	dst_hold(&md->dst);
	skb_dst_set(skb, &md->dst);
}
