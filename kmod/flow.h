/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow key: what vswitch extracts from each packet, once, and what
 * megaflow and microflow lookups compare. This header is shared by the
 * module and by the host build of the lookup code (tests/kshim).
 *
 * Layout contract: fields are ordered by classification stage (metadata,
 * L2, L3, L4, then rarely used fields) so that a typical mask covers a
 * short prefix of the struct; lookups only touch the 8-byte words between
 * a mask's start and end. The struct is a multiple of 8 bytes, has no
 * implicit padding, and unused bytes are always zero.
 */
#ifndef _VSW_FLOW_H
#define _VSW_FLOW_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/in6.h>
#include <linux/skbuff.h>
#else
#include "kshim.h"
#endif
#include <uapi/linux/vswitch.h>
#include "flow_tunnel.h"

/* The connection's original-direction tuple (VSW_KEY_ATTR_CT_NW_SRC...),
 * 48 bytes: IPv4 and IPv6 addresses apart, so that each attribute has
 * bytes of its own (a shared union would save 8).
 */
struct vsw_key_ct_orig {
	__be32 nw_src;
	__be32 nw_dst;
	struct in6_addr ipv6_src;
	struct in6_addr ipv6_dst;
	__be16 tp_src;
	__be16 tp_dst;
	u8 nw_proto;
	u8 pad[3];
};

struct vsw_key {
	/* metadata */
	u32 in_port;
	u32 recirc_id;			/* 0 on arrival; see VSW_ACTION_ATTR_RECIRC */
	/* L2 */
	__be16 eth_type;
	__be16 vlan_tci;		/* VSW_VLAN_PRESENT when tagged */
	u8 eth_src[6];
	u8 eth_dst[6];
	/* L3 (IPv4 and IPv6 share proto/tos/ttl/frag) */
	u8 ip_proto;
	u8 ip_tos;
	u8 ip_ttl;
	u8 ip_frag;			/* VSW_FRAG_* */
	__be32 ipv4_src;
	__be32 ipv4_dst;
	/* L4 */
	__be16 tp_src;
	__be16 tp_dst;
	__be16 tcp_flags;
	u8 icmp_type;
	u8 icmp_code;
	/* connection tracking (VSW_ACTION_ATTR_CT), 0 until a CT action */
	u8 ct_state;			/* VSW_CT_STATE_* */
	u8 pad3;
	__be16 ct_zone;
	/* less common: IPv6, ARP, ND */
	__be32 ipv6_label;
	__be16 arp_op;
	u8 pad[2];
	__be32 arp_spa;
	__be32 arp_tpa;
	u8 arp_sha[6];
	u8 arp_tha[6];
	struct in6_addr ipv6_src;
	struct in6_addr ipv6_dst;
	struct in6_addr nd_target;
	__be32 ct_mark;
	/* tunnel metadata: TUNNEL ports only (flow_tunnel.h) */
	struct vsw_key_tunnel tun;
	u8 ct_label[16];		/* the connection's label */
	struct vsw_key_ct_orig ct_orig;
} __aligned(8);

#define VSW_KEY_WORDS (sizeof(struct vsw_key) / sizeof(u64))

#ifdef __KERNEL__
/* Fills @key from @skb (data at the Ethernet header) arriving on @in_port,
 * with recirc_id 0.
 * Never reads beyond the packet: a truncated or malformed header leaves
 * its fields (and those of later layers) zero. May pull headers into the
 * linear area; returns 0 or -ENOMEM when the skb cannot be pulled.
 */
int vsw_key_extract(struct sk_buff *skb, u32 in_port, struct vsw_key *key);
#endif

/* Same, on a flat frame; the host tests and fuzzers use this entry. */
void vsw_key_extract_buf(const u8 *frame, unsigned int len, u32 in_port,
			 struct vsw_key *key);

#endif /* _VSW_FLOW_H */
