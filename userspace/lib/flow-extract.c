// SPDX-License-Identifier: GPL-2.0
/*
 * The flow key of a frame held in userspace (a PACKET_OUT's), as the
 * kernel's kmod/flow_key.c extracts it from a received skb: the same
 * fields, the same rules for truncated headers (a layer that does not
 * fit leaves its fields zero), so a rule matches a PACKET_OUT frame
 * exactly as it would match the frame arriving on a port.
 */
#include <string.h>
#include "flow-extract.h"

#define ETH_HDR_LEN	14
#define VLAN_TAG_LEN	4
#define IPV4_MIN_LEN	20
#define IPV6_HDR_LEN	40
#define ARP_ETH_IP_LEN	28
#define ICMP_HDR_LEN	8	/* type, code, checksum and 4 more */
#define MAX_EXTHDRS	8

static uint16_t get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* @len bytes at @off, or NULL when they are not all in the frame. */
static const uint8_t *at(const uint8_t *p, size_t plen, size_t off, size_t len)
{
	return off <= plen && len <= plen - off ? p + off : NULL;
}

static void parse_l4(const uint8_t *p, size_t plen, size_t off, bool ipv6,
		     struct flow *f)
{
	const uint8_t *h = NULL;

	switch (f->ip_proto) {
	case IPPROTO_TCP:
		h = at(p, plen, off, 20);
		if (h)
			f->tcp_flags = htons(get16(h + 12) & 0x0fff);
		break;
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
		h = at(p, plen, off, f->ip_proto == IPPROTO_UDP ? 8 : 12);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (ipv6 != (f->ip_proto == IPPROTO_ICMPV6))
			return;
		h = at(p, plen, off, ICMP_HDR_LEN);
		if (!h)
			return;
		f->icmp_type = h[0];
		f->icmp_code = h[1];
		if (ipv6 && !h[1] && (h[0] == 135 || h[0] == 136) &&
		    at(p, plen, off, 24))
			memcpy(&f->nd_target, h + 8, 16);
		return;
	}
	if (!h)
		return;
	memcpy(&f->tp_src, h, 2);
	memcpy(&f->tp_dst, h + 2, 2);
}

static void parse_ipv4(const uint8_t *p, size_t plen, size_t off, struct flow *f)
{
	const uint8_t *h = at(p, plen, off, IPV4_MIN_LEN);
	size_t ihl;
	uint16_t frag;

	if (!h || h[0] >> 4 != 4)
		return;
	ihl = (h[0] & 0x0f) * 4u;
	if (ihl < IPV4_MIN_LEN || !at(p, plen, off, ihl))
		return;
	f->ip_tos = h[1];
	f->ip_ttl = h[8];
	f->ip_proto = h[9];
	memcpy(&f->ipv4_src, h + 12, 4);
	memcpy(&f->ipv4_dst, h + 16, 4);
	frag = get16(h + 6);
	if (frag & 0x1fff)
		f->ip_frag = VSW_FRAG_ANY | VSW_FRAG_LATER;
	else if (frag & 0x2000)
		f->ip_frag = VSW_FRAG_ANY;
	if (!(f->ip_frag & VSW_FRAG_LATER))
		parse_l4(p, plen, off + ihl, false, f);
}

/* The upper-layer protocol after the extension headers, @*off left at
 * it; -1 when one is truncated or there are too many. */
static int skip_exthdrs(const uint8_t *p, size_t plen, size_t *off,
			uint8_t next, struct flow *f)
{
	const uint8_t *h;
	size_t len;

	for (int i = 0; i < MAX_EXTHDRS; i++) {
		if (next != 0 && next != 43 && next != 60 && next != 51 &&
		    next != 44)		/* hop, routing, dest, auth, frag */
			return next;
		h = at(p, plen, *off, next == 44 ? 8 : 2);
		if (!h)
			return -1;
		len = next == 51 ? (h[1] + 2u) * 4 : next == 44 ? 8 : (h[1] + 1u) * 8;
		if (next == 44) {
			f->ip_frag |= VSW_FRAG_ANY;
			if (get16(h + 2) & 0xfff8)
				f->ip_frag |= VSW_FRAG_LATER;
		}
		if (!at(p, plen, *off, len))
			return -1;
		next = h[0];
		*off += len;
		if (f->ip_frag & VSW_FRAG_LATER)
			return next;
	}
	return -1;
}

static void parse_ipv6(const uint8_t *p, size_t plen, size_t off, struct flow *f)
{
	const uint8_t *h = at(p, plen, off, IPV6_HDR_LEN);
	uint32_t word0;
	int proto;

	if (!h || h[0] >> 4 != 6)
		return;
	word0 = (uint32_t)get16(h) << 16 | get16(h + 2);
	f->ip_tos = (word0 >> 20) & 0xff;
	f->ipv6_label = htonl(word0 & 0xfffff);
	f->ip_ttl = h[7];
	memcpy(&f->ipv6_src, h + 8, 16);
	memcpy(&f->ipv6_dst, h + 24, 16);
	off += IPV6_HDR_LEN;
	proto = skip_exthdrs(p, plen, &off, h[6], f);
	if (proto < 0)
		return;
	f->ip_proto = (uint8_t)proto;
	if (!(f->ip_frag & VSW_FRAG_LATER))
		parse_l4(p, plen, off, true, f);
}

static void parse_arp(const uint8_t *p, size_t plen, size_t off, struct flow *f)
{
	const uint8_t *h = at(p, plen, off, ARP_ETH_IP_LEN);

	if (!h || get16(h) != 1 || get16(h + 2) != 0x0800 || h[4] != 6 ||
	    h[5] != 4)
		return;
	memcpy(&f->arp_op, h + 6, 2);
	memcpy(f->arp_sha, h + 8, 6);
	memcpy(&f->arp_spa, h + 14, 4);
	memcpy(f->arp_tha, h + 18, 6);
	memcpy(&f->arp_tpa, h + 24, 4);
}

void flow_extract(const uint8_t *p, size_t len, uint32_t in_port,
		  struct flow *f)
{
	size_t off = ETH_HDR_LEN;
	const uint8_t *h;
	uint16_t type;

	memset(f, 0, sizeof(*f));
	f->in_port = in_port;
	h = at(p, len, 0, ETH_HDR_LEN);
	if (!h)
		return;
	memcpy(f->eth_dst, h, 6);
	memcpy(f->eth_src, h + 6, 6);
	type = get16(h + 12);
	if (type == 0x8100 || type == 0x88a8) {
		h = at(p, len, off, VLAN_TAG_LEN);
		if (!h)
			return;
		f->vlan_tci = htons(get16(h) | VSW_VLAN_PRESENT);
		type = get16(h + 2);
		off += VLAN_TAG_LEN;
	}
	if (type < 0x600)
		type = 0x05ff;		/* 802.3 length: as the kernel's key */
	f->eth_type = htons(type);
	if (type == 0x0800)
		parse_ipv4(p, len, off, f);
	else if (type == 0x86dd)
		parse_ipv6(p, len, off, f);
	else if (type == 0x0806 || type == 0x8035)
		parse_arp(p, len, off, f);
}
