// SPDX-License-Identifier: GPL-2.0
/*
 * Executes a validated action list on a packet.
 *
 * The list was checked at install time (flow_netlink.c) against the
 * flow's match, but the packet itself may still be short or malformed
 * (a truncated IPv4 packet keeps ETH_TYPE 0x0800 in its key): every header
 * is made writable, which also proves it is present, before it is
 * touched, and a packet that cannot take a set action is dropped rather
 * than forwarded unmodified.
 *
 * Copies: an OUTPUT that is not the last action sends a clone; the last
 * one sends the packet itself. skb_ensure_writable() un-shares data a
 * clone still references before any set action writes.
 *
 * Nesting: the action set has no nested actions (no clone/sample), so the
 * only bound is VSW_MAX_ACTIONS per list, enforced at validation; loops
 * through ports are bounded by the datapath's recursion counter. RECIRC
 * never nests: it queues the packet (recirc.c), and the outermost
 * execution on the CPU runs the queued passes once its list is done.
 *
 * Checksums: IPv4 header checksums and TCP/UDP/ICMPv6 checksums are
 * updated incrementally (pseudo-header for address changes, UDP zero
 * checksum over IPv4 stays zero); SCTP's CRC32c takes the difference the
 * port change makes (set_sctp_port()). A packet
 * with CHECKSUM_COMPLETE is demoted to CHECKSUM_NONE once modified, so a
 * local receiver re-verifies instead of trusting a stale skb->csum;
 * CHECKSUM_PARTIAL packets keep it, with their pseudo-header sums fixed.
 */
#include <linux/crc32.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmpv6.h>
#include <linux/sctp.h>
#include <net/checksum.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include "actions.h"
#include "conntrack.h"
#include "conntrack_frag.h"
#include "datapath.h"
#include "recirc.h"
#include "vport.h"

/* Where the packet's IP and transport headers are. */
struct l3l4 {
	unsigned int l3;
	unsigned int l4;		/* 0: none (later fragment or short) */
	u8 proto;
	bool ipv6;
};

static struct ipv6hdr *ipv6_hdr_at(struct sk_buff *skb, unsigned int off)
{
	return (struct ipv6hdr *)(skb->data + off);
}

static void csum_modified(struct sk_buff *skb)
{
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	skb_clear_hash(skb);
}

static unsigned int l3_offset(const struct sk_buff *skb)
{
	__be16 proto, *p;

	p = skb_header_pointer(skb, 12, sizeof(proto), &proto);
	return p && eth_type_vlan(*p) ? VLAN_ETH_HLEN : ETH_HLEN;
}

/* Finds the L3/L4 headers of an IPv4 or IPv6 packet and makes the L3
 * header writable. Returns false if the packet is too short or not the
 * IP version the flow promised.
 */
static bool locate(struct sk_buff *skb, bool ipv6, struct l3l4 *h)
{
	const struct iphdr *iph;

	h->l3 = l3_offset(skb);
	h->l4 = 0;
	h->ipv6 = ipv6;
	if (ipv6) {
		__be16 frag = 0;
		u8 next;
		int off;

		if (skb_ensure_writable(skb, h->l3 + sizeof(struct ipv6hdr)) ||
		    ipv6_hdr_at(skb, h->l3)->version != 6)
			return false;
		next = ipv6_hdr_at(skb, h->l3)->nexthdr;
		off = ipv6_skip_exthdr(skb, h->l3 + sizeof(struct ipv6hdr),
				       &next, &frag);
		h->proto = next;
		if (off > 0 && !(frag & htons(0xfff8)))
			h->l4 = off;
		return true;
	}
	if (skb_ensure_writable(skb, h->l3 + sizeof(struct iphdr)))
		return false;
	iph = (void *)(skb->data + h->l3);
	if (iph->version != 4 || iph->ihl < 5 ||
	    skb_ensure_writable(skb, h->l3 + iph->ihl * 4))
		return false;
	iph = (void *)(skb->data + h->l3);
	h->proto = iph->protocol;
	if (!(iph->frag_off & htons(IP_OFFSET)))
		h->l4 = h->l3 + iph->ihl * 4;
	return true;
}

/* Offset of the L4 checksum field for @proto, or -1 if none. */
static int l4_csum_offset(u8 proto, bool ipv6)
{
	switch (proto) {
	case IPPROTO_TCP:
		return offsetof(struct tcphdr, check);
	case IPPROTO_UDP:
		return offsetof(struct udphdr, check);
	case IPPROTO_ICMPV6:
		return ipv6 ? offsetof(struct icmp6hdr, icmp6_cksum) : -1;
	}
	return -1;
}

/* The L4 checksum field when the header holding it is present, made
 * writable; NULL otherwise (truncated, later fragment, no checksum).
 */
static __sum16 *l4_csum(struct sk_buff *skb, const struct l3l4 *h)
{
	int off = l4_csum_offset(h->proto, h->ipv6);

	if (!h->l4 || off < 0 ||
	    skb_ensure_writable(skb, h->l4 + off + sizeof(__sum16)))
		return NULL;
	return (__sum16 *)(skb->data + h->l4 + off);
}

/* Pseudo-header update for an address change of @len 4 or 16 bytes. */
static void l4_csum_addr(struct sk_buff *skb, const struct l3l4 *h,
			 const __be32 *from, const __be32 *to, int len)
{
	__sum16 *sum = l4_csum(skb, h);

	if (!sum)
		return;
	/* UDP over IPv4 without a checksum keeps none */
	if (h->proto == IPPROTO_UDP && !h->ipv6 && !*sum &&
	    skb->ip_summed != CHECKSUM_PARTIAL)
		return;
	if (len == 4)
		inet_proto_csum_replace4(sum, skb, *from, *to, true);
	else
		inet_proto_csum_replace16(sum, skb, from, to, true);
	if (h->proto == IPPROTO_UDP && !*sum)
		*sum = CSUM_MANGLED_0;
}

static int set_ipv4_addr(struct sk_buff *skb, struct vsw_key *key,
			 __be32 addr, bool src)
{
	struct iphdr *iph;
	struct l3l4 h;
	__be32 old;

	if (!locate(skb, false, &h))
		return -EINVAL;
	iph = (void *)(skb->data + h.l3);
	old = src ? iph->saddr : iph->daddr;
	l4_csum_addr(skb, &h, &old, &addr, 4);	/* may move data */
	iph = (void *)(skb->data + h.l3);
	csum_replace4(&iph->check, old, addr);
	if (src) {
		iph->saddr = addr;
		key->ipv4_src = addr;
	} else {
		iph->daddr = addr;
		key->ipv4_dst = addr;
	}
	csum_modified(skb);
	return 0;
}

static int set_ipv6_addr(struct sk_buff *skb, struct vsw_key *key,
			 const struct in6_addr *addr, bool src)
{
	struct ipv6hdr *ip6;
	struct in6_addr old;
	struct l3l4 h;

	if (!locate(skb, true, &h))
		return -EINVAL;
	ip6 = ipv6_hdr_at(skb, h.l3);
	old = src ? ip6->saddr : ip6->daddr;
	l4_csum_addr(skb, &h, old.s6_addr32, addr->s6_addr32, 16);
	ip6 = ipv6_hdr_at(skb, h.l3);
	if (src) {
		ip6->saddr = *addr;
		key->ipv6_src = *addr;
	} else {
		ip6->daddr = *addr;
		key->ipv6_dst = *addr;
	}
	csum_modified(skb);
	return 0;
}

static int set_dscp(struct sk_buff *skb, struct vsw_key *key, u8 dscp)
{
	bool v6 = key->eth_type == htons(ETH_P_IPV6);
	struct l3l4 h;

	if (!locate(skb, v6, &h))
		return -EINVAL;
	if (v6)
		ipv6_change_dsfield(ipv6_hdr_at(skb, h.l3), INET_ECN_MASK,
				    dscp << 2);
	else
		ipv4_change_dsfield((void *)(skb->data + h.l3), INET_ECN_MASK,
				    dscp << 2);
	key->ip_tos = (key->ip_tos & INET_ECN_MASK) | dscp << 2;
	csum_modified(skb);
	return 0;
}

/* Sets the TTL / hop limit to @ttl, or decrements it when @dec (dropping
 * the packet, -ETIMEDOUT, when it would reach 0).
 */
static int set_ttl(struct sk_buff *skb, struct vsw_key *key, u8 ttl, bool dec)
{
	bool v6 = key->eth_type == htons(ETH_P_IPV6);
	struct iphdr *iph;
	struct l3l4 h;
	__be16 old;
	u8 *p;

	if (!locate(skb, v6, &h))
		return -EINVAL;
	p = v6 ? &ipv6_hdr_at(skb, h.l3)->hop_limit :
		 &((struct iphdr *)(skb->data + h.l3))->ttl;
	if (dec) {
		if (*p <= 1)
			return -ETIMEDOUT;
		ttl = *p - 1;
	}
	if (!v6) {
		iph = (void *)(skb->data + h.l3);
		old = *(__be16 *)&iph->ttl;	/* ttl and protocol */
		iph->ttl = ttl;
		csum_replace2(&iph->check, old, *(__be16 *)&iph->ttl);
	} else {
		*p = ttl;
	}
	key->ip_ttl = ttl;
	csum_modified(skb);
	return 0;
}

static int set_ipv6_label(struct sk_buff *skb, struct vsw_key *key,
			  __be32 label)
{
	__be32 *word;
	struct l3l4 h;

	if (!locate(skb, true, &h))
		return -EINVAL;
	word = (__be32 *)(skb->data + h.l3);
	*word = (*word & ~htonl(0xfffff)) | label;
	key->ipv6_label = label;
	csum_modified(skb);
	return 0;
}

static __le32 sctp_crc(struct sk_buff *skb, unsigned int off);

/*
 * Sets an SCTP port at @off. The CRC32c the packet carries gets the
 * difference the change makes (the CRC of the packet before, XOR the CRC
 * after, both computed with a zero checksum field), not a fresh CRC: a
 * packet that arrived corrupt still fails its receiver's check, as it
 * would have without the switch. A CHECKSUM_PARTIAL packet (GSO ones
 * among them) has no CRC yet: the stack or the device computes it over
 * the final bytes, so only the port is written.
 */
static int set_sctp_port(struct sk_buff *skb, unsigned int off, __be16 port,
			 bool src)
{
	__le32 carried, before;
	struct sctphdr *sh;

	if (skb_ensure_writable(skb, off + sizeof(*sh)))
		return -EINVAL;
	sh = (struct sctphdr *)(skb->data + off);
	if (skb->ip_summed == CHECKSUM_PARTIAL || skb_is_gso(skb)) {
		*(src ? &sh->source : &sh->dest) = port;
		return 0;
	}
	carried = sh->checksum;
	before = sctp_crc(skb, off);	/* __skb_checksum moves no data */
	*(src ? &sh->source : &sh->dest) = port;
	sh->checksum = carried ^ before ^ sctp_crc(skb, off);
	return 0;
}

static int set_tp_port(struct sk_buff *skb, struct vsw_key *key, __be16 port,
		       bool src)
{
	bool v6 = key->eth_type == htons(ETH_P_IPV6);
	__be16 *p, old;
	struct l3l4 h;
	__sum16 *sum;

	if (!locate(skb, v6, &h) || !h.l4)
		return -EINVAL;
	if (h.proto == IPPROTO_SCTP) {
		if (set_sctp_port(skb, h.l4, port, src))
			return -EINVAL;
	} else {
		if (skb_ensure_writable(skb, h.l4 + (h.proto == IPPROTO_UDP ?
						     sizeof(struct udphdr) :
						     sizeof(struct tcphdr))))
			return -EINVAL;
		p = (__be16 *)(skb->data + h.l4) + (src ? 0 : 1);
		old = *p;
		*p = port;
		sum = l4_csum(skb, &h);
		if (sum && (h.proto != IPPROTO_UDP || *sum ||
			    skb->ip_summed == CHECKSUM_PARTIAL)) {
			inet_proto_csum_replace2(sum, skb, old, port, false);
			if (h.proto == IPPROTO_UDP && !*sum)
				*sum = CSUM_MANGLED_0;
		}
	}
	if (src)
		key->tp_src = port;
	else
		key->tp_dst = port;
	csum_modified(skb);
	return 0;
}

/* SCTP's CRC32c over the packet from @off; leaves the checksum field 0. */
static __wsum crc_update(const void *buf, int len, __wsum sum)
{
	return (__force __wsum)__crc32c_le((__force u32)sum, buf, len);
}

static __wsum crc_combine(__wsum a, __wsum b, int off, int len)
{
	return (__force __wsum)__crc32c_le_shift((__force u32)a, len) ^
	       (__force u32)b;
}

static const struct skb_checksum_ops crc32c_ops = {
	.update = crc_update,
	.combine = crc_combine,
};

static __le32 sctp_crc(struct sk_buff *skb, unsigned int off)
{
	struct sctphdr *sh = (struct sctphdr *)(skb->data + off);
	u32 crc;

	sh->checksum = 0;
	crc = ~(__force u32)__skb_checksum(skb, off, skb->len - off,
					   (__force __wsum)~0U, &crc32c_ops);
	return cpu_to_le32(crc);
}

static int set_eth(struct sk_buff *skb, struct vsw_key *key, const u8 *addr,
		   bool src)
{
	if (skb_ensure_writable(skb, ETH_HLEN))
		return -EINVAL;
	memcpy(skb->data + (src ? ETH_ALEN : 0), addr, ETH_ALEN);
	memcpy(src ? key->eth_src : key->eth_dst, addr, ETH_ALEN);
	csum_modified(skb);
	return 0;
}

/* skb_vlan_push/pop read skb->protocol to find an in-frame tag. */
static void sync_protocol(struct sk_buff *skb)
{
	__be16 proto, *p;

	skb_reset_mac_header(skb);
	p = skb_header_pointer(skb, 12, sizeof(proto), &proto);
	if (p && !skb_vlan_tag_present(skb) && eth_type_vlan(*p))
		skb->protocol = *p;
}

static int push_vlan(struct sk_buff *skb, struct vsw_key *key, __be16 tci)
{
	u16 t = ntohs(tci) & ~VSW_VLAN_PRESENT;

	sync_protocol(skb);
	if (skb_vlan_push(skb, htons(ETH_P_8021Q), t))
		return -ENOMEM;
	key->vlan_tci = tci;
	return 0;
}

static int pop_vlan(struct sk_buff *skb, struct vsw_key *key)
{
	sync_protocol(skb);
	if (skb_vlan_pop(skb))
		return -ENOMEM;
	key->vlan_tci = skb_vlan_tag_present(skb) ?
		htons(skb_vlan_tag_get(skb) | VSW_VLAN_PRESENT) : 0;
	return 0;
}

static int set_vlan_tci(struct sk_buff *skb, struct vsw_key *key, __be16 tci)
{
	u16 t = ntohs(tci) & ~VSW_VLAN_PRESENT;
	struct vlan_hdr *vh;

	if (skb_vlan_tag_present(skb)) {
		__vlan_hwaccel_put_tag(skb, skb->vlan_proto, t);
	} else {
		if (l3_offset(skb) != VLAN_ETH_HLEN ||
		    skb_ensure_writable(skb, VLAN_ETH_HLEN))
			return -EINVAL;
		vh = (struct vlan_hdr *)(skb->data + ETH_HLEN);
		vh->h_vlan_TCI = htons(t);
		csum_modified(skb);
	}
	key->vlan_tci = tci;
	return 0;
}

static void userspace(struct vsw_datapath *dp, struct sk_buff *skb,
		      const struct vsw_key *key, const struct nlattr *attr)
{
	const struct nlattr *a;
	u32 pid = 0;
	u64 cookie = 0;
	int rem;

	nla_for_each_nested(a, attr, rem) {
		if (nla_type(a) == VSW_USERSPACE_ATTR_PID)
			pid = nla_get_u32(a);
		else if (nla_type(a) == VSW_USERSPACE_ATTR_COOKIE)
			cookie = nla_get_u64(a);
	}
	vsw_upcall_action(dp, skb, key, cookie, pid);
}

/* One modifying or side-effect action; nonzero drops the packet. */
static int do_action(struct vsw_datapath *dp, struct sk_buff *skb,
		     struct vsw_key *key, const struct nlattr *a)
{
	switch (nla_type(a)) {
	case VSW_ACTION_ATTR_USERSPACE:
		userspace(dp, skb, key, a);
		return 0;
	case VSW_ACTION_ATTR_PUSH_VLAN:
		return push_vlan(skb, key, nla_get_be16(a));
	case VSW_ACTION_ATTR_POP_VLAN:
		return pop_vlan(skb, key);
	case VSW_ACTION_ATTR_SET_VLAN_TCI:
		return set_vlan_tci(skb, key, nla_get_be16(a));
	case VSW_ACTION_ATTR_SET_ETH_SRC:
	case VSW_ACTION_ATTR_SET_ETH_DST:
		return set_eth(skb, key, nla_data(a),
			       nla_type(a) == VSW_ACTION_ATTR_SET_ETH_SRC);
	case VSW_ACTION_ATTR_SET_IPV4_SRC:
	case VSW_ACTION_ATTR_SET_IPV4_DST:
		return set_ipv4_addr(skb, key, nla_get_be32(a),
				     nla_type(a) == VSW_ACTION_ATTR_SET_IPV4_SRC);
	case VSW_ACTION_ATTR_SET_IPV6_SRC:
	case VSW_ACTION_ATTR_SET_IPV6_DST:
		return set_ipv6_addr(skb, key, nla_data(a),
				     nla_type(a) == VSW_ACTION_ATTR_SET_IPV6_SRC);
	case VSW_ACTION_ATTR_SET_IPV6_LABEL:
		return set_ipv6_label(skb, key, nla_get_be32(a));
	case VSW_ACTION_ATTR_SET_IP_DSCP:
		return set_dscp(skb, key, nla_get_u8(a));
	case VSW_ACTION_ATTR_SET_IP_TTL:
		return set_ttl(skb, key, nla_get_u8(a), false);
	case VSW_ACTION_ATTR_DEC_TTL:
		return set_ttl(skb, key, 0, true);
	case VSW_ACTION_ATTR_SET_TP_SRC:
	case VSW_ACTION_ATTR_SET_TP_DST:
		return set_tp_port(skb, key, nla_get_be16(a),
				   nla_type(a) == VSW_ACTION_ATTR_SET_TP_SRC);
	case VSW_ACTION_ATTR_CT_CLEAR:
		vsw_ct_clear(skb, key);
		return 0;
	}
	return -EINVAL;		/* validation lets no other type through */
}

/* Whether @a, with @rem bytes left from its start, is the list's last
 * action. The list was validated strictly when it was created (no trailing
 * bytes), so another action follows exactly when at least a header's worth
 * of bytes is left after @a. Decided from lengths alone: the obvious
 * !nla_ok(nla_next(a, &rem), rem) lets GCC 12 load the next header before
 * it checks that one is there (it drops "rem >= NLA_HDRLEN" as implied by
 * the later tests), a read past the list's end that KASAN reports.
 */
static bool is_last(const struct nlattr *a, int rem)
{
	return rem - (int)NLA_ALIGN(a->nla_len) < (int)NLA_HDRLEN;
}

/* Sends @skb out of port @port_no; consumes it (drops it if the port is
 * gone; vsw_vport_send() counts what the device refuses). A packet a CT
 * action reassembled goes out as fragments again if it must.
 */
static void output(struct vsw_datapath *dp, struct sk_buff *skb, u32 port_no,
		   const struct vsw_key *key)
{
	struct vsw_vport *vport = vsw_dp_port(dp, port_no);

	if (unlikely(!vport)) {
		kfree_skb(skb);
		return;
	}
	if (unlikely(vsw_cb(skb)->mru))
		vsw_frag_send(dp, vport, skb, key);
	else
		vsw_vport_send(vport, skb);
}

/* Ends the packet's way through this list at @a (OUTPUT or RECIRC):
 * consumes @skb.
 */
static void hand_off(struct vsw_datapath *dp, struct sk_buff *skb,
		     const struct vsw_key *key, const struct nlattr *a)
{
	if (nla_type(a) == VSW_ACTION_ATTR_OUTPUT)
		output(dp, skb, nla_get_u32(a), key);
	else
		vsw_recirc_defer(dp, skb, key, nla_get_u32(a));
}

static void run_actions(struct vsw_datapath *dp, struct sk_buff *skb,
			struct vsw_key *key, const struct vsw_actions *acts)
{
	const struct nlattr *a;
	struct sk_buff *copy;
	unsigned int n_ct = 0;
	u32 n_tun = 0;
	int rem, err;

	if (unlikely(!acts))
		goto drop;
	nla_for_each_attr(a, acts->attrs, acts->len, rem) {
		if (nla_type(a) == VSW_ACTION_ATTR_CT) {
			err = vsw_ct_execute(dp, skb, key, a, acts->ct_tmpl ?
					     acts->ct_tmpl[n_ct] : NULL);
			if (unlikely(err == -EINPROGRESS))
				return;	/* a fragment, held or dropped */
			if (unlikely(err))
				goto drop;
			n_ct++;
			continue;
		}
		if (nla_type(a) == VSW_ACTION_ATTR_SET_TUNNEL) {
			vsw_tun_dst_set(skb, acts->tun[n_tun++]);
			continue;
		}
		if (nla_type(a) != VSW_ACTION_ATTR_OUTPUT &&
		    nla_type(a) != VSW_ACTION_ATTR_RECIRC) {
			if (unlikely(do_action(dp, skb, key, a)))
				goto drop;
			continue;
		}
		if (is_last(a, rem)) {
			/* the last action: the packet itself goes */
			hand_off(dp, skb, key, a);
			return;
		}
		copy = skb_clone(skb, GFP_ATOMIC);
		if (likely(copy))
			hand_off(dp, copy, key, a);
	}
	/* no output last (or an empty list: drop) */
	consume_skb(skb);
	return;
drop:
	kfree_skb(skb);
}

void vsw_execute_actions(struct vsw_datapath *dp, struct sk_buff *skb,
			 struct vsw_key *key, const struct vsw_actions *acts)
{
	bool outermost = vsw_recirc_begin();

	run_actions(dp, skb, key, acts);
	if (outermost)
		vsw_recirc_run();
}
