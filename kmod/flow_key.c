// SPDX-License-Identifier: GPL-2.0
/*
 * Flow key extraction: one parser over a bounds-checked accessor, so the
 * same code runs on an skb in the module (skb_header_pointer) and on a
 * flat buffer in the host tests.
 *
 * Rule: a header is used only once all of its bytes are known to be
 * present; a truncated or malformed header leaves its own fields and those
 * of every later layer zero. The frame is still classified on what could
 * be read (the switch keeps forwarding what it can classify).
 */
#ifdef __KERNEL__
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/string.h>
#endif
#include "flow.h"

#define ETH_HDR_LEN	14
#define VLAN_TAG_LEN	4
#define IPV4_MIN_LEN	20
#define IPV6_HDR_LEN	40
#define ARP_ETH_IP_LEN	28
#define TCP_MIN_LEN	20
#define UDP_HDR_LEN	8
#define SCTP_HDR_LEN	12
#define ICMP_HDR_LEN	8
#define ND_MIN_LEN	24	/* ICMPv6 header, reserved/flags, target */
#define MAX_IPV6_EXTHDRS 8	/* bounds the walk; more leaves ip_proto 0 */

#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_RARP	0x8035
#define ETHERTYPE_VLAN	0x8100
#define ETHERTYPE_QINQ	0x88a8	/* 802.1ad service tag */
#define ETHERTYPE_IPV6	0x86dd
#define ETHERTYPE_8023	0x05ff	/* what an 802.3 length field becomes */

#define PROTO_ICMP	1
#define PROTO_TCP	6
#define PROTO_UDP	17
#define PROTO_SCTP	132
#define PROTO_ICMPV6	58
#define NEXTHDR_HOP	0
#define NEXTHDR_ROUTING	43
#define NEXTHDR_FRAG	44
#define NEXTHDR_AUTH	51
#define NEXTHDR_DEST	60
#define ND_SOLICIT	135
#define ND_ADVERT	136

/* A packet as the parser sees it: an skb (module) or a flat buffer. */
struct pkt {
#ifdef __KERNEL__
	const struct sk_buff *skb;
#endif
	const u8 *data;
	unsigned int len;
	unsigned int linear;		/* bytes readable at @data directly */
};

/* Headers past the linear area: copied into @buf (module only). */
static const u8 *hdr_slow(const struct pkt *p, unsigned int off,
			  unsigned int len, void *buf)
{
	if (off > p->len || len > p->len - off)
		return NULL;
#ifdef __KERNEL__
	return skb_header_pointer(p->skb, off, len, buf);
#else
	(void)buf;
	return NULL;			/* a flat buffer is all linear */
#endif
}

/* Returns @len bytes at @off (copied into @buf when the skb is not linear
 * there), or NULL if they are not all inside the packet. Inline: headers
 * nearly always sit in the linear area, and this is called once per layer
 * of every packet.
 *
 * The buffers callers pass are declared __uninitialized: they are written
 * here before anything reads them, and the kernel's default of zeroing
 * every stack variable (INIT_STACK_ALL_ZERO) would clear them on every
 * packet for nothing.
 */
static __always_inline const u8 *hdr(const struct pkt *p, unsigned int off,
				     unsigned int len, void *buf)
{
	if (likely(off <= p->linear && len <= p->linear - off))
		return p->data + off;
	return hdr_slow(p, off, len, buf);
}

static bool present(const struct pkt *p, unsigned int off, unsigned int len)
{
	return off <= p->len && len <= p->len - off;
}

static u16 get16(const u8 *b)
{
	return (u16)(b[0] << 8 | b[1]);
}

static __always_inline void parse_l4(const struct pkt *p, unsigned int off,
				     bool ipv6, struct vsw_key *key)
{
	u8 buf[ND_MIN_LEN] __uninitialized;
	const u8 *h;

	switch (key->ip_proto) {
	case PROTO_TCP:
		h = hdr(p, off, TCP_MIN_LEN, buf);
		if (!h)
			return;
		key->tcp_flags = cpu_to_be16(get16(h + 12) & 0x0fff);
		break;
	case PROTO_UDP:
		h = hdr(p, off, UDP_HDR_LEN, buf);
		break;
	case PROTO_SCTP:
		h = hdr(p, off, SCTP_HDR_LEN, buf);
		break;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		if (ipv6 != (key->ip_proto == PROTO_ICMPV6))
			return;
		h = hdr(p, off, ICMP_HDR_LEN, buf);
		if (!h)
			return;
		key->icmp_type = h[0];
		key->icmp_code = h[1];
		if (ipv6 && h[1] == 0 &&
		    (h[0] == ND_SOLICIT || h[0] == ND_ADVERT)) {
			h = hdr(p, off, ND_MIN_LEN, buf);
			if (h)
				memcpy(&key->nd_target, h + 8, 16);
		}
		return;
	default:
		return;
	}
	if (!h)
		return;
	memcpy(&key->tp_src, h, 2);
	memcpy(&key->tp_dst, h + 2, 2);
}

static void parse_ipv4(const struct pkt *p, unsigned int off,
		       struct vsw_key *key)
{
	unsigned int ihl;
	u8 buf[IPV4_MIN_LEN] __uninitialized;
	const u8 *h;
	u16 frag;

	h = hdr(p, off, IPV4_MIN_LEN, buf);
	if (!h || h[0] >> 4 != 4)
		return;
	ihl = (h[0] & 0x0f) * 4u;
	if (ihl < IPV4_MIN_LEN || !present(p, off, ihl))
		return;
	key->ip_tos = h[1];
	key->ip_ttl = h[8];
	key->ip_proto = h[9];
	memcpy(&key->ipv4_src, h + 12, 4);
	memcpy(&key->ipv4_dst, h + 16, 4);
	frag = get16(h + 6);
	if (frag & 0x1fff)
		key->ip_frag = VSW_FRAG_ANY | VSW_FRAG_LATER;
	else if (frag & 0x2000)
		key->ip_frag = VSW_FRAG_ANY;
	if (!(key->ip_frag & VSW_FRAG_LATER))
		parse_l4(p, off + ihl, false, key);
}

/* Walks the extension headers from @*off; returns the upper-layer
 * protocol and leaves @*off at it, or -1 when a header is truncated or
 * there are too many (ip_proto then stays 0). A later fragment stops the
 * walk: its protocol is the fragment header's next header.
 */
static int ipv6_skip_exthdrs(const struct pkt *p, unsigned int *off, u8 next,
			     struct vsw_key *key)
{
	unsigned int i, len;
	u8 buf[8] __uninitialized;
	const u8 *h;

	for (i = 0; i < MAX_IPV6_EXTHDRS; i++) {
		switch (next) {
		case NEXTHDR_HOP:
		case NEXTHDR_ROUTING:
		case NEXTHDR_DEST:
		case NEXTHDR_AUTH:
			h = hdr(p, *off, 2, buf);
			if (!h)
				return -1;
			len = next == NEXTHDR_AUTH ? (h[1] + 2u) * 4 :
						     (h[1] + 1u) * 8;
			break;
		case NEXTHDR_FRAG:
			h = hdr(p, *off, 8, buf);
			if (!h)
				return -1;
			len = 8;
			key->ip_frag |= VSW_FRAG_ANY;
			if (get16(h + 2) & 0xfff8)
				key->ip_frag |= VSW_FRAG_LATER;
			break;
		default:
			return next;
		}
		if (!present(p, *off, len))
			return -1;
		next = h[0];
		*off += len;
		if (key->ip_frag & VSW_FRAG_LATER)
			return next;
	}
	return -1;
}

static void parse_ipv6(const struct pkt *p, unsigned int off,
		       struct vsw_key *key)
{
	u8 buf[IPV6_HDR_LEN] __uninitialized;
	const u8 *h;
	u32 word0;
	int proto;

	h = hdr(p, off, IPV6_HDR_LEN, buf);
	if (!h || h[0] >> 4 != 6)
		return;
	word0 = (u32)get16(h) << 16 | get16(h + 2);
	key->ip_tos = (word0 >> 20) & 0xff;
	key->ipv6_label = cpu_to_be32(word0 & 0xfffff);
	key->ip_ttl = h[7];
	memcpy(&key->ipv6_src, h + 8, 16);
	memcpy(&key->ipv6_dst, h + 24, 16);
	off += IPV6_HDR_LEN;
	proto = ipv6_skip_exthdrs(p, &off, h[6], key);
	if (proto < 0)
		return;
	key->ip_proto = proto;
	if (!(key->ip_frag & VSW_FRAG_LATER))
		parse_l4(p, off, true, key);
}

static void parse_arp(const struct pkt *p, unsigned int off,
		      struct vsw_key *key)
{
	u8 buf[ARP_ETH_IP_LEN] __uninitialized;
	const u8 *h;

	h = hdr(p, off, ARP_ETH_IP_LEN, buf);
	/* Ethernet/IPv4 ARP only: hardware 1, protocol IPv4, lengths 6/4 */
	if (!h || get16(h) != 1 || get16(h + 2) != ETHERTYPE_IPV4 ||
	    h[4] != 6 || h[5] != 4)
		return;
	memcpy(&key->arp_op, h + 6, 2);
	memcpy(key->arp_sha, h + 8, 6);
	memcpy(&key->arp_spa, h + 14, 4);
	memcpy(key->arp_tha, h + 18, 6);
	memcpy(&key->arp_tpa, h + 24, 4);
}

/* Zeroes @key with plain word stores. A memset() of this size compiles to
 * "rep stos", which an emulated CPU (QEMU TCG, where our guests and many
 * nested hypervisors run) executes one iteration per translation block.
 */
static __always_inline void key_zero(struct vsw_key *key)
{
	u64 *w = (u64 *)key;
	unsigned int i;

	BUILD_BUG_ON(sizeof(*key) != VSW_KEY_WORDS * sizeof(u64));
#pragma GCC unroll 16
	for (i = 0; i < VSW_KEY_WORDS; i++)
		WRITE_ONCE(w[i], 0);
}

/* @hw_tci: a tag the device delivered out of band (VLAN acceleration),
 * valid when @hw_tagged.
 */
static __always_inline void parse(const struct pkt *p, u32 in_port,
				  bool hw_tagged, u16 hw_tci,
				  struct vsw_key *key)
{
	unsigned int off = ETH_HDR_LEN;
	u8 buf[ETH_HDR_LEN] __uninitialized;
	const u8 *h;
	u16 type;

	key_zero(key);
	key->in_port = in_port;
	h = hdr(p, 0, ETH_HDR_LEN, buf);
	if (!h)
		return;
	memcpy(key->eth_dst, h, 6);
	memcpy(key->eth_src, h + 6, 6);
	type = get16(h + 12);
	/* The outer tag, whatever its TPID: a device that strips tags (veth,
	 * most NICs) hands us 802.1ad ones out of band too, and an upcall's
	 * packet (tag put back in band) must parse to the same key.
	 */
	if (hw_tagged) {
		key->vlan_tci = cpu_to_be16(hw_tci | VSW_VLAN_PRESENT);
	} else if (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
		h = hdr(p, off, VLAN_TAG_LEN, buf);
		if (!h)
			return;
		key->vlan_tci = cpu_to_be16(get16(h) | VSW_VLAN_PRESENT);
		type = get16(h + 2);
		off += VLAN_TAG_LEN;
	}
	if (type < 0x600)
		type = ETHERTYPE_8023;
	key->eth_type = cpu_to_be16(type);

	switch (type) {
	case ETHERTYPE_IPV4:
		parse_ipv4(p, off, key);
		break;
	case ETHERTYPE_IPV6:
		parse_ipv6(p, off, key);
		break;
	case ETHERTYPE_ARP:
	case ETHERTYPE_RARP:
		parse_arp(p, off, key);
		break;
	}
}

void vsw_key_extract_buf(const u8 *frame, unsigned int len, u32 in_port,
			 struct vsw_key *key)
{
	struct pkt p = { .data = frame, .len = len, .linear = len };

	parse(&p, in_port, false, 0, key);
}

#ifdef __KERNEL__
int vsw_key_extract(struct sk_buff *skb, u32 in_port, struct vsw_key *key)
{
	struct pkt p = { .skb = skb, .data = skb->data, .len = skb->len,
			 .linear = skb_headlen(skb) };
	bool tagged = skb_vlan_tag_present(skb);

	parse(&p, in_port, tagged, tagged ? skb_vlan_tag_get(skb) : 0, key);
	return 0;
}
#endif
