/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace flow key and match. struct flow holds every field the kernel
 * extracts (VSW_KEY_ATTR_*); a match is a flow plus a mask of the same
 * shape (1 bits significant). Header fields are in network byte order,
 * exactly as on the wire, so masks apply bit for bit.
 *
 * The daemon's classifier, the translator and the megaflow it installs all
 * speak this struct; lib/odp-key.c converts it to and from the kernel's
 * VSW_KEY_ATTR_* attributes.
 */
#ifndef VSW_LIB_FLOW_H
#define VSW_LIB_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/vswitch.h>
#include "tunnel.h"

/* The connection's original-direction tuple, as the kernel's
 * VSW_KEY_ATTR_CT_NW_SRC... give it: all 0 untracked or without a
 * connection; the fields of the other family stay 0. */
struct flow_ct_orig {
	uint32_t nw_src;		/* be32 */
	uint32_t nw_dst;		/* be32 */
	struct in6_addr ipv6_src;
	struct in6_addr ipv6_dst;
	uint16_t tp_src;		/* be16; ICMP type */
	uint16_t tp_dst;		/* be16; ICMP code */
	uint8_t nw_proto;
	uint8_t pad[3];
};

#define FLOW_N_REGS	16
#define FLOW_N_XREGS	(FLOW_N_REGS / 2)

struct flow {
	/* metadata */
	uint32_t in_port;		/* OpenFlow = datapath port number */
	uint32_t recirc_id;		/* datapath recirculation pass, 0 first */
	/* L2 */
	uint16_t eth_type;		/* be16 */
	uint16_t vlan_tci;		/* be16, VSW_VLAN_PRESENT when tagged */
	uint8_t eth_src[6];
	uint8_t eth_dst[6];
	/* L3 */
	uint8_t ip_proto;
	uint8_t ip_tos;
	uint8_t ip_ttl;
	uint8_t ip_frag;		/* VSW_FRAG_* */
	uint32_t ipv4_src;		/* be32 */
	uint32_t ipv4_dst;		/* be32 */
	/* L4 */
	uint16_t tp_src;		/* be16 */
	uint16_t tp_dst;		/* be16 */
	uint16_t tcp_flags;		/* be16 */
	uint8_t icmp_type;
	uint8_t icmp_code;
	/* connection tracking: what the datapath's last ct() found */
	uint8_t ct_state;		/* VSW_CT_STATE_* */
	uint8_t pad3;
	uint16_t ct_zone;		/* be16 */
	/* IPv6, ARP, ND */
	uint32_t ipv6_label;		/* be32 */
	uint16_t arp_op;		/* be16 */
	uint8_t pad[2];
	uint32_t arp_spa;		/* be32 */
	uint32_t arp_tpa;		/* be32 */
	uint8_t arp_sha[6];
	uint8_t arp_tha[6];
	struct in6_addr ipv6_src;
	struct in6_addr ipv6_dst;
	struct in6_addr nd_target;
	uint32_t ct_mark;		/* be32 */
	/* tunnel metadata (VSW_KEY_ATTR_TUNNEL): tunnel ports only */
	struct flow_tnl tunnel;
	uint8_t ct_label[16];		/* as the kernel keeps it: bit N of the
					 * 128-bit label is bit N%8 of byte N/8 */
	struct flow_ct_orig ct_orig;	/* ct_nw_src, ct_tp_dst... */
	/* OpenFlow pipeline metadata (Nicira registers, OpenFlow metadata):
	 * 0 for every packet as it enters the pipeline, written only by
	 * actions, never part of the kernel's flow key (xlate drops their
	 * bits from a megaflow's mask). Network byte order like the header
	 * fields, so xregN is regs[2N] (upper 32 bits) and regs[2N+1]
	 * (lower) read as one be64. */
	uint32_t regs[FLOW_N_REGS];	/* be32 each: reg0..reg15 */
	uint64_t metadata;		/* be64 */
} __attribute__((aligned(8)));

#define FLOW_WORDS (sizeof(struct flow) / sizeof(uint64_t))

struct match {
	struct flow flow;		/* value, already ANDed with mask */
	struct flow mask;		/* wildcards: 1 bits are significant */
};

#endif /* VSW_LIB_FLOW_H */
