// SPDX-License-Identifier: GPL-2.0
/*
 * NAT for the CT action, on the kernel's nf_nat.
 *
 * nf_nat keeps a connection's translation in the connection itself
 * (IPS_SRC_NAT/IPS_DST_NAT and its reply tuple); vswitch only decides
 * which manipulation a packet gets and asks nf_nat to apply it, as the
 * netfilter NAT hooks would: nf_nat_packet() for a packet of a
 * translated connection, the ICMP reply translation for a related ICMP
 * error (its embedded header too), and nf_nat_setup_info() (or a null
 * binding) once, when the CT action commits a new connection.
 *
 * The manipulation type stands for a hook: a source manipulation is what
 * LOCAL_IN would do, a destination one what LOCAL_OUT would do (see the
 * kernel's HOOK2MANIP()); nf_nat needs no hook of ours registered.
 *
 * Locking: none of ours; nf_nat takes its own. RCU read side, BH off.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>

#include "conntrack_nat.h"

#define NAT_DONE (VSW_CT_STATE_SNAT | VSW_CT_STATE_DNAT)

/* A parsed NAT nest. */
struct nat_args {
	bool src, dst;
	u32 ip_len;			/* bytes of IP_MIN; 0 if absent */
	bool has_ip_max, has_proto_min, has_proto_max, hash, random;
	struct nf_nat_range2 range;
};

static void nat_parse(const struct nlattr *nat, struct nat_args *n)
{
	const struct nlattr *a;
	int rem;

	memset(n, 0, sizeof(*n));
	nla_for_each_nested(a, nat, rem) {
		switch (nla_type(a)) {
		case VSW_NAT_ATTR_SRC:
			n->src = true;
			break;
		case VSW_NAT_ATTR_DST:
			n->dst = true;
			break;
		case VSW_NAT_ATTR_IP_MIN:
			n->ip_len = nla_len(a);
			nla_memcpy(&n->range.min_addr, a, sizeof(n->range.min_addr));
			n->range.flags |= NF_NAT_RANGE_MAP_IPS;
			break;
		case VSW_NAT_ATTR_IP_MAX:
			n->has_ip_max = true;
			nla_memcpy(&n->range.max_addr, a, sizeof(n->range.max_addr));
			break;
		case VSW_NAT_ATTR_PROTO_MIN:
			n->has_proto_min = true;
			n->range.min_proto.all = nla_get_be16(a);
			n->range.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
			break;
		case VSW_NAT_ATTR_PROTO_MAX:
			n->has_proto_max = true;
			n->range.max_proto.all = nla_get_be16(a);
			break;
		case VSW_NAT_ATTR_PERSISTENT:
			n->range.flags |= NF_NAT_RANGE_PERSISTENT;
			break;
		case VSW_NAT_ATTR_PROTO_HASH:
			n->hash = true;
			n->range.flags |= NF_NAT_RANGE_PROTO_RANDOM;
			break;
		case VSW_NAT_ATTR_PROTO_RANDOM:
			n->random = true;
			n->range.flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
			break;
		}
	}
	if (!n->has_ip_max)
		n->range.max_addr = n->range.min_addr;
	if (!n->has_proto_max)
		n->range.max_proto = n->range.min_proto;
}

/* The first rule @n breaks, or NULL. */
static const char *nat_invalid(const struct nat_args *n, bool commit,
			       bool ipv6)
{
	if (n->src && n->dst)
		return "NAT SRC and DST are exclusive";
	if (!n->src && !n->dst && (n->ip_len || n->has_ip_max ||
				   n->has_proto_min || n->has_proto_max ||
				   n->range.flags))
		return "NAT addresses, ports and flags need SRC or DST";
	if ((n->src || n->dst) && !commit)
		return "NAT SRC or DST needs COMMIT";
	if (n->ip_len && n->ip_len != (ipv6 ? 16 : 4))
		return ipv6 ? "NAT IP_MIN/IP_MAX of an IPv6 flow are 16 bytes"
			    : "NAT IP_MIN/IP_MAX of an IPv4 flow are 4 bytes";
	if (n->has_ip_max && !n->ip_len)
		return "NAT IP_MAX needs IP_MIN";
	if (memcmp(&n->range.max_addr, &n->range.min_addr, n->ip_len) < 0)
		return "NAT IP_MAX is below IP_MIN";
	if (n->has_proto_min && !n->ip_len)
		return "NAT PROTO_MIN needs IP_MIN";
	if (n->has_proto_max && !n->has_proto_min)
		return "NAT PROTO_MAX needs PROTO_MIN";
	if (n->has_proto_min && !n->range.min_proto.all)
		return "NAT PROTO_MIN must be at least 1";
	if (ntohs(n->range.max_proto.all) < ntohs(n->range.min_proto.all))
		return "NAT PROTO_MAX is below PROTO_MIN";
	if (n->hash && n->random)
		return "NAT PROTO_HASH and PROTO_RANDOM are exclusive";
	return NULL;
}

int vsw_ct_nat_check(const struct nlattr *nat, bool commit, bool ipv6,
		     struct netlink_ext_ack *extack)
{
	struct nat_args n;
	const char *why;

	if (!IS_ENABLED(CONFIG_NF_NAT)) {
		NL_SET_ERR_MSG_ATTR(extack, nat,
				    "CT NAT needs a kernel with CONFIG_NF_NAT");
		return -EOPNOTSUPP;
	}
	nat_parse(nat, &n);
	why = nat_invalid(&n, commit, ipv6);
	if (why) {
		/* @why is a string literal: it outlives the request */
		NL_SET_BAD_ATTR(extack, nat);
		if (extack)
			extack->_msg = why;
		return -EINVAL;
	}
	return 0;
}

#if IS_ENABLED(CONFIG_NF_NAT)

/* The hook whose NAT does @mt (HOOK2MANIP's inverse). */
static unsigned int hook_of(enum nf_nat_manip_type mt)
{
	return mt == NF_NAT_MANIP_SRC ? NF_INET_LOCAL_IN : NF_INET_LOCAL_OUT;
}

/* The offset of the L4 header of @skb (data at the IP header, IPv6 if
 * @ipv6), its protocol in *@proto; -1 for a later fragment or a bad
 * header.
 */
static int l4_offset(struct sk_buff *skb, bool ipv6, u8 *proto)
{
	__be16 frag_off;
	int off;

	if (!ipv6) {
		if (ip_hdr(skb)->frag_off & htons(IP_OFFSET))
			return -1;
		*proto = ip_hdr(skb)->protocol;
		return ip_hdrlen(skb);
	}
	*proto = ipv6_hdr(skb)->nexthdr;
	off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), proto, &frag_off);
	return off < 0 || (frag_off & htons(~0x7)) ? -1 : off;
}

/* Translates a related ICMP error (and the header inside it); false when
 * @skb is not an ICMP error, to translate like any other packet.
 */
static bool icmp_error(struct sk_buff *skb, bool ipv6, struct nf_conn *ct,
		       enum ip_conntrack_info ctinfo, unsigned int hook,
		       unsigned int *verdict)
{
	u8 proto;
	int off = l4_offset(skb, ipv6, &proto);

	if (off < 0)
		return false;
	if (!ipv6 && proto == IPPROTO_ICMP) {
		*verdict = nf_nat_icmp_reply_translation(skb, ct, ctinfo, hook)
			   ? NF_ACCEPT : NF_DROP;
		return true;
	}
	if (IS_ENABLED(CONFIG_IPV6) && ipv6 && proto == IPPROTO_ICMPV6) {
		*verdict = nf_nat_icmpv6_reply_translation(skb, ct, ctinfo,
							   hook, off)
			   ? NF_ACCEPT : NF_DROP;
		return true;
	}
	return false;
}

/* One manipulation of one packet, as the NAT hook @mt stands for would
 * do it; a new connection not yet translated that way is set up from
 * @range (NULL or without addresses: a null binding). An NF_* verdict.
 */
static unsigned int manip(struct sk_buff *skb, bool ipv6, struct nf_conn *ct,
			  enum ip_conntrack_info ctinfo,
			  const struct nf_nat_range2 *range,
			  enum nf_nat_manip_type mt)
{
	unsigned int hook = hook_of(mt), verdict;

	switch (ctinfo) {
	case IP_CT_RELATED:
	case IP_CT_RELATED_REPLY:
		if (icmp_error(skb, ipv6, ct, ctinfo, hook, &verdict))
			return verdict;
		fallthrough;
	case IP_CT_NEW:
		if (nf_nat_initialized(ct, mt))
			break;
		verdict = range && (range->flags & NF_NAT_RANGE_MAP_IPS) ?
			  nf_nat_setup_info(ct, range, mt) :
			  nf_nat_alloc_null_binding(ct, hook);
		if (verdict != NF_ACCEPT)
			return verdict;
		break;
	case IP_CT_ESTABLISHED:
	case IP_CT_ESTABLISHED_REPLY:
		break;
	default:
		return NF_DROP;
	}
	return nf_nat_packet(ct, ctinfo, hook, skb);
}

/* Reads the translated addresses and ports back into @key. */
static void update_key(struct sk_buff *skb, bool ipv6, struct vsw_key *key)
{
	__be16 ports[2], *p;
	u8 proto;
	int off;

	if (!ipv6) {
		key->ipv4_src = ip_hdr(skb)->saddr;
		key->ipv4_dst = ip_hdr(skb)->daddr;
	} else {
		key->ipv6_src = ipv6_hdr(skb)->saddr;
		key->ipv6_dst = ipv6_hdr(skb)->daddr;
	}
	off = l4_offset(skb, ipv6, &proto);
	if (off < 0 || proto != key->ip_proto ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
	     proto != IPPROTO_SCTP))
		return;
	p = skb_header_pointer(skb, off, sizeof(ports), ports);
	if (p) {
		key->tp_src = p[0];
		key->tp_dst = p[1];
	}
}

/* Which manipulation the packet gets first; false: none. A connection
 * translated already is translated as it says (forward in the original
 * direction, back in the reply one); a new one as @n asks.
 */
static bool first_manip(const struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			const struct nat_args *n, bool commit,
			enum nf_nat_manip_type *mt)
{
	bool snat = ct->status & IPS_SRC_NAT;

	if (ctinfo != IP_CT_NEW && (ct->status & IPS_NAT_MASK) &&
	    (ctinfo != IP_CT_RELATED || commit)) {
		if (CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY)
			*mt = snat ? NF_NAT_MANIP_DST : NF_NAT_MANIP_SRC;
		else
			*mt = snat ? NF_NAT_MANIP_SRC : NF_NAT_MANIP_DST;
		return true;
	}
	if (!n->src && !n->dst)
		return false;
	*mt = n->src ? NF_NAT_MANIP_SRC : NF_NAT_MANIP_DST;
	return true;
}

/* The CT_STATE bit of @mt when it changed the packet: the connection
 * is translated that way in the packet's direction.
 */
static u8 done_bit(const struct nf_conn *ct, enum ip_conntrack_info ctinfo,
		   enum nf_nat_manip_type mt)
{
	unsigned long bit = mt == NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;

	if (CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY)
		bit = bit == IPS_SRC_NAT ? IPS_DST_NAT : IPS_SRC_NAT;
	if (!(ct->status & bit))
		return 0;
	return mt == NF_NAT_MANIP_SRC ? VSW_CT_STATE_SNAT : VSW_CT_STATE_DNAT;
}

/* Applies @mt; on success records it in *@done. */
static unsigned int manip_done(struct sk_buff *skb, bool ipv6,
			       struct nf_conn *ct,
			       enum ip_conntrack_info ctinfo,
			       const struct nf_nat_range2 *range,
			       enum nf_nat_manip_type mt, u8 *done)
{
	unsigned int verdict = manip(skb, ipv6, ct, ctinfo, range, mt);

	if (verdict == NF_ACCEPT)
		*done |= done_bit(ct, ctinfo, mt);
	return verdict;
}

int vsw_ct_nat(struct sk_buff *skb, struct vsw_key *key,
	       const struct nlattr *nat, bool commit, u8 *done)
{
	bool ipv6 = key->eth_type == htons(ETH_P_IPV6);
	enum ip_conntrack_info ctinfo;
	enum nf_nat_manip_type mt;
	unsigned int verdict;
	struct nat_args n;
	struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || (*done & NAT_DONE))
		return 0;
	if (!nf_ct_is_confirmed(ct) && (!commit || !nf_ct_nat_ext_add(ct)))
		return 0;	/* translated once committed */
	nat_parse(nat, &n);
	if (!first_manip(ct, ctinfo, &n, commit, &mt))
		return 0;
	verdict = manip_done(skb, ipv6, ct, ctinfo, &n.range, mt, done);
	/* Both ways translated: the other manipulation too. Only DNAT: the
	 * original direction also gets its source's null binding, as the
	 * POST_ROUTING hook would give it.
	 */
	if (verdict == NF_ACCEPT && (ct->status & IPS_DST_NAT)) {
		if (ct->status & IPS_SRC_NAT)
			verdict = manip_done(skb, ipv6, ct, ctinfo, &n.range,
					     mt == NF_NAT_MANIP_SRC ?
					     NF_NAT_MANIP_DST : NF_NAT_MANIP_SRC,
					     done);
		else if (CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL)
			verdict = manip(skb, ipv6, ct, ctinfo, NULL,
					NF_NAT_MANIP_SRC);
	}
	if (*done & NAT_DONE)
		update_key(skb, ipv6, key);
	return verdict == NF_ACCEPT ? 0 : -EINVAL;
}

#else /* !CONFIG_NF_NAT: vsw_ct_nat_check() refused every NAT nest */

int vsw_ct_nat(struct sk_buff *skb, struct vsw_key *key,
	       const struct nlattr *nat, bool commit, u8 *done)
{
	return 0;
}

#endif
