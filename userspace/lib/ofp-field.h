/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OpenFlow field table: every match field of the ovs-ofctl syntax,
 * where it lives in struct flow, how its value is written and read, and
 * what it requires (its prerequisite). ofp-parse, ofp-print, set_field and
 * the classifier's megaflow printing all read this one table.
 */
#ifndef VSW_LIB_OFP_FIELD_H
#define VSW_LIB_OFP_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"

enum ofp_field_id {
	MFF_IN_PORT,
	MFF_ETH_SRC,
	MFF_ETH_DST,
	MFF_ETH_TYPE,
	MFF_VLAN_TCI,		/* the whole TCI (vlan_tci) */
	MFF_VLAN_VID,		/* dl_vlan: the 12-bit VID, implies a tag */
	MFF_VLAN_PCP,		/* dl_vlan_pcp: 3 bits, implies a tag */
	MFF_IPV4_SRC,
	MFF_IPV4_DST,
	MFF_IP_PROTO,
	MFF_IP_DSCP,		/* nw_tos: the DSCP bits in place (tos & 0xfc) */
	MFF_IP_DSCP_SHIFTED,	/* ip_dscp: tos >> 2 */
	MFF_IP_ECN,		/* nw_ecn: tos & 3 */
	MFF_IP_TTL,
	MFF_IP_FRAG,		/* nw_frag: no/yes/first/later/not_later */
	MFF_TCP_SRC,		/* tp_src with tcp prerequisite */
	MFF_TCP_DST,
	MFF_UDP_SRC,
	MFF_UDP_DST,
	MFF_SCTP_SRC,
	MFF_SCTP_DST,
	MFF_TP_SRC,		/* tp_src: any of tcp/udp/sctp */
	MFF_TP_DST,
	MFF_TCP_FLAGS,
	MFF_ICMPV4_TYPE,
	MFF_ICMPV4_CODE,
	MFF_ICMPV6_TYPE,
	MFF_ICMPV6_CODE,
	MFF_ARP_OP,
	MFF_ARP_SPA,
	MFF_ARP_TPA,
	MFF_ARP_SHA,
	MFF_ARP_THA,
	MFF_IPV6_SRC,
	MFF_IPV6_DST,
	MFF_IPV6_LABEL,
	MFF_ND_TARGET,
	MFF_CT_STATE,		/* ct_state: VSW_CT_STATE_* flags */
	MFF_CT_ZONE,
	MFF_CT_MARK,
	MFF_TUN_ID,		/* tunnel metadata (struct flow_tnl) */
	MFF_TUN_SRC,
	MFF_TUN_DST,
	MFF_TUN_IPV6_SRC,
	MFF_TUN_IPV6_DST,
	MFF_TUN_TOS,
	MFF_TUN_TTL,
	MFF_TUN_TP_SRC,
	MFF_TUN_TP_DST,
	MFF_CT_LABEL,
	MFF_TUN_FLAGS,
	MFF_CT_NW_SRC,		/* the connection's original direction */
	MFF_CT_NW_DST,
	MFF_CT_IPV6_SRC,
	MFF_CT_IPV6_DST,
	MFF_CT_NW_PROTO,
	MFF_CT_TP_SRC,
	MFF_CT_TP_DST,
	MFF_METADATA,		/* OpenFlow metadata, 64 bits */
	MFF_REG0,		/* reg0..reg15: MFF_REG0 + N */
	MFF_REG15 = MFF_REG0 + FLOW_N_REGS - 1,
	MFF_XREG0,		/* xreg0..xreg7: reg(2N) << 32 | reg(2N+1) */
	MFF_XREG7 = MFF_XREG0 + FLOW_N_XREGS - 1,
	MFF_N_IDS
};

/* How a field's value is written. */
enum ofp_field_fmt {
	OFPF_DEC,		/* decimal (hex accepted as 0x..) */
	OFPF_HEX,		/* printed 0x%04x (dl_type, vlan_tci) */
	OFPF_PORT,		/* port number or name */
	OFPF_MAC,
	OFPF_IPV4,
	OFPF_IPV6,
	OFPF_FRAG,		/* nw_frag keywords */
	OFPF_TCP_FLAGS,		/* +syn-ack or hex/mask */
	OFPF_CT_STATE,		/* +trk+est-rel or hex/mask (ofp-ct.c) */
	OFPF_CT_LABEL,		/* 128-bit number, hex/mask (ofp-ct.c) */
	OFPF_TUN_FLAGS,		/* +df-csum+key or hex/mask (ofp-flags.c) */
};

/* Prerequisites, as Open vSwitch defines them. */
enum ofp_field_prereq {
	PREREQ_NONE,
	PREREQ_VLAN,		/* none in practice; kept for symmetry */
	PREREQ_IPV4,
	PREREQ_IPV6,
	PREREQ_IP_ANY,
	PREREQ_ARP,		/* ARP or RARP */
	PREREQ_TCP,
	PREREQ_UDP,
	PREREQ_SCTP,
	PREREQ_TP,		/* tcp, udp or sctp over IPv4 or IPv6 */
	PREREQ_ICMPV4,
	PREREQ_ICMPV6,
	PREREQ_ND,		/* icmp6 with type 135 or 136 */
	PREREQ_CT,		/* a tracked packet with a connection: ct_state
				 * +trk and +new, +est, +rel, +rpl, +snat or
				 * +dnat, or +trk-inv */
};

union ofp_field_value {
	uint8_t u8;
	uint16_t be16;
	uint32_t be32;
	uint64_t be64;			/* tun_id */
	uint8_t mac[6];
	struct in6_addr ipv6;
	uint8_t bytes[16];
};

struct ofp_field {
	enum ofp_field_id id;
	const char *name;		/* canonical ovs-ofctl name */
	const char *alias;		/* OXM-style alias (eth_src...), or NULL */
	enum ofp_field_fmt fmt;
	enum ofp_field_prereq prereq;
	unsigned int n_bytes;		/* size of the value */
	unsigned int n_bits;		/* significant bits (for full masks) */
	bool maskable;			/* accepts /mask (and CIDR) */
	bool writable;			/* allowed in set_field */
};

const struct ofp_field *ofp_field_from_id(enum ofp_field_id);
/* True for the pipeline metadata fields (registers, xregs, metadata):
 * no packet header, no prerequisite, never in a datapath key. */
static inline bool ofp_field_is_pipeline(enum ofp_field_id id)
{
	return id >= MFF_METADATA && id <= MFF_XREG7;
}
/* Looks up by canonical name or alias (exact, case-sensitive). */
const struct ofp_field *ofp_field_by_name(const char *name);

/* Read/write a field value (and mask) in struct flow / struct match.
 * Values use the field's natural width (network byte order), shifted
 * fields (dl_vlan, ip_dscp...) in their own units. */
/* @mf's bytes inside @f (n_bytes of them, network order), or NULL for a
 * sub-byte field (vlan_vid, vlan_pcp, nw_tos, ip_dscp, nw_ecn). */
void *ofp_field_data(const struct ofp_field *mf, const struct flow *f);
void ofp_field_get(const struct ofp_field *, const struct flow *,
		   union ofp_field_value *);
void ofp_field_set_flow(const struct ofp_field *, const union ofp_field_value *,
			struct flow *);
/* Sets value/mask in @match (the value is ANDed with the mask); a mask of
 * NULL means exact. */
void ofp_field_set_match(const struct ofp_field *, const union ofp_field_value *,
			 const union ofp_field_value *mask, struct match *);
bool ofp_field_mask_is_zero(const struct ofp_field *,
			    const union ofp_field_value *mask);

/* The field @mf names inside @m: as in ovs-ofctl, icmp_type and icmp_code
 * (icmpv4_type, icmpv4_code) name the ICMPv6 fields in an icmp6 match.
 * Both pairs live in the same struct flow bytes, so only the prerequisite
 * changes. Any other field is returned as is. */
const struct ofp_field *ofp_field_resolve(const struct ofp_field *mf,
					  const struct match *m);

/* True when @match's fixed fields satisfy @f's prerequisite. */
bool ofp_field_prereq_ok(const struct ofp_field *, const struct match *);
/* False when no packet inside @match can meet @p (e.g. arp and ip). */
bool ofp_field_prereq_possible(enum ofp_field_prereq p, const struct match *);
/* Human text for a prerequisite ("ip or ipv6", "tcp"...). */
const char *ofp_field_prereq_name(enum ofp_field_prereq);


/* Parses the text of a field value, "V" or "V/MASK" (CIDR prefixes for
 * addresses), for any format but OFPF_PORT. Without "/MASK" @mask is set
 * to the field's exact mask. @allow_mask false refuses "/". @name is the
 * key as written, for messages ("invalid IPv4 mask in 'nw_src=1/33'").
 * Returns 0 or -1 with @err set. */
int ofp_field_parse(const struct ofp_field *, const char *name, const char *s,
		    bool allow_mask, union ofp_field_value *v,
		    union ofp_field_value *mask, char *err, size_t errlen);
/* The field's all-ones mask in its value representation. */
void ofp_field_exact_mask(const struct ofp_field *, union ofp_field_value *);

/* TCP flag names as Open vSwitch prints them ("syn"...), or NULL. */
const char *ofp_tcp_flag_name(uint16_t bit);

/* Ethernet types and IP protocols used across the library, host order. */
#define ETH_TYPE_IP	0x0800
#define ETH_TYPE_ARP	0x0806
#define ETH_TYPE_RARP	0x8035
#define ETH_TYPE_VLAN	0x8100
#define ETH_TYPE_VLAN_8021AD 0x88a8
#define ETH_TYPE_IPV6	0x86dd
#define IPPROTO_ICMPV6_	58

#endif /* VSW_LIB_OFP_FIELD_H */
