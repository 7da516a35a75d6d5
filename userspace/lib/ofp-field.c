// SPDX-License-Identifier: GPL-2.0
/* The OpenFlow field table and field access on struct flow / match. */
#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>
#include "ofp-field.h"

#define F(ID, NAME, ALIAS, FMT, PRE, BYTES, BITS, MASKABLE, WRITABLE) \
	[ID] = { ID, NAME, ALIAS, FMT, PRE, BYTES, BITS, MASKABLE, WRITABLE }

static const struct ofp_field fields[MFF_N_IDS] = {
	F(MFF_IN_PORT, "in_port", NULL, OFPF_PORT, PREREQ_NONE, 4, 32, false, false),
	F(MFF_ETH_SRC, "dl_src", "eth_src", OFPF_MAC, PREREQ_NONE, 6, 48, true, true),
	F(MFF_ETH_DST, "dl_dst", "eth_dst", OFPF_MAC, PREREQ_NONE, 6, 48, true, true),
	F(MFF_ETH_TYPE, "dl_type", "eth_type", OFPF_HEX, PREREQ_NONE, 2, 16, false, false),
	F(MFF_VLAN_TCI, "vlan_tci", NULL, OFPF_HEX, PREREQ_NONE, 2, 16, true, false),
	F(MFF_VLAN_VID, "dl_vlan", "vlan_vid", OFPF_DEC, PREREQ_NONE, 2, 12, false, true),
	F(MFF_VLAN_PCP, "dl_vlan_pcp", "vlan_pcp", OFPF_DEC, PREREQ_NONE, 1, 3, false, true),
	F(MFF_IPV4_SRC, "nw_src", "ip_src", OFPF_IPV4, PREREQ_IPV4, 4, 32, true, true),
	F(MFF_IPV4_DST, "nw_dst", "ip_dst", OFPF_IPV4, PREREQ_IPV4, 4, 32, true, true),
	F(MFF_IP_PROTO, "nw_proto", "ip_proto", OFPF_DEC, PREREQ_IP_ANY, 1, 8, false, false),
	F(MFF_IP_DSCP, "nw_tos", NULL, OFPF_DEC, PREREQ_IP_ANY, 1, 8, false, true),
	F(MFF_IP_DSCP_SHIFTED, "ip_dscp", NULL, OFPF_DEC, PREREQ_IP_ANY, 1, 6, false, true),
	F(MFF_IP_ECN, "nw_ecn", "ip_ecn", OFPF_DEC, PREREQ_IP_ANY, 1, 2, false, false),
	F(MFF_IP_TTL, "nw_ttl", "ip_ttl", OFPF_DEC, PREREQ_IP_ANY, 1, 8, false, true),
	F(MFF_IP_FRAG, "nw_frag", "ip_frag", OFPF_FRAG, PREREQ_IP_ANY, 1, 2, true, false),
	F(MFF_TCP_SRC, "tcp_src", NULL, OFPF_DEC, PREREQ_TCP, 2, 16, true, true),
	F(MFF_TCP_DST, "tcp_dst", NULL, OFPF_DEC, PREREQ_TCP, 2, 16, true, true),
	F(MFF_UDP_SRC, "udp_src", NULL, OFPF_DEC, PREREQ_UDP, 2, 16, true, true),
	F(MFF_UDP_DST, "udp_dst", NULL, OFPF_DEC, PREREQ_UDP, 2, 16, true, true),
	F(MFF_SCTP_SRC, "sctp_src", NULL, OFPF_DEC, PREREQ_SCTP, 2, 16, true, true),
	F(MFF_SCTP_DST, "sctp_dst", NULL, OFPF_DEC, PREREQ_SCTP, 2, 16, true, true),
	F(MFF_TP_SRC, "tp_src", NULL, OFPF_DEC, PREREQ_TP, 2, 16, true, true),
	F(MFF_TP_DST, "tp_dst", NULL, OFPF_DEC, PREREQ_TP, 2, 16, true, true),
	F(MFF_TCP_FLAGS, "tcp_flags", NULL, OFPF_TCP_FLAGS, PREREQ_TCP, 2, 12, true, false),
	F(MFF_ICMPV4_TYPE, "icmp_type", "icmpv4_type", OFPF_DEC, PREREQ_ICMPV4, 1, 8, false, false),
	F(MFF_ICMPV4_CODE, "icmp_code", "icmpv4_code", OFPF_DEC, PREREQ_ICMPV4, 1, 8, false, false),
	F(MFF_ICMPV6_TYPE, "icmpv6_type", NULL, OFPF_DEC, PREREQ_ICMPV6, 1, 8, false, false),
	F(MFF_ICMPV6_CODE, "icmpv6_code", NULL, OFPF_DEC, PREREQ_ICMPV6, 1, 8, false, false),
	F(MFF_ARP_OP, "arp_op", NULL, OFPF_DEC, PREREQ_ARP, 2, 16, false, false),
	F(MFF_ARP_SPA, "arp_spa", NULL, OFPF_IPV4, PREREQ_ARP, 4, 32, true, false),
	F(MFF_ARP_TPA, "arp_tpa", NULL, OFPF_IPV4, PREREQ_ARP, 4, 32, true, false),
	F(MFF_ARP_SHA, "arp_sha", NULL, OFPF_MAC, PREREQ_ARP, 6, 48, true, false),
	F(MFF_ARP_THA, "arp_tha", NULL, OFPF_MAC, PREREQ_ARP, 6, 48, true, false),
	F(MFF_IPV6_SRC, "ipv6_src", NULL, OFPF_IPV6, PREREQ_IPV6, 16, 128, true, true),
	F(MFF_IPV6_DST, "ipv6_dst", NULL, OFPF_IPV6, PREREQ_IPV6, 16, 128, true, true),
	F(MFF_IPV6_LABEL, "ipv6_label", NULL, OFPF_HEX, PREREQ_IPV6, 4, 20, true, true),
	F(MFF_ND_TARGET, "nd_target", NULL, OFPF_IPV6, PREREQ_ND, 16, 128, true, false),
	F(MFF_CT_STATE, "ct_state", NULL, OFPF_CT_STATE, PREREQ_NONE, 1, 8, true, false),
	F(MFF_CT_ZONE, "ct_zone", NULL, OFPF_DEC, PREREQ_NONE, 2, 16, false, false),
	F(MFF_CT_MARK, "ct_mark", NULL, OFPF_HEX, PREREQ_NONE, 4, 32, true, false),
	F(MFF_TUN_ID, "tun_id", "tunnel_id", OFPF_HEX, PREREQ_NONE, 8, 64, true, true),
	F(MFF_TUN_SRC, "tun_src", NULL, OFPF_IPV4, PREREQ_NONE, 4, 32, true, true),
	F(MFF_TUN_DST, "tun_dst", NULL, OFPF_IPV4, PREREQ_NONE, 4, 32, true, true),
	F(MFF_TUN_IPV6_SRC, "tun_ipv6_src", NULL, OFPF_IPV6, PREREQ_NONE, 16, 128, true, true),
	F(MFF_TUN_IPV6_DST, "tun_ipv6_dst", NULL, OFPF_IPV6, PREREQ_NONE, 16, 128, true, true),
	F(MFF_TUN_TOS, "tun_tos", NULL, OFPF_DEC, PREREQ_NONE, 1, 8, false, true),
	F(MFF_TUN_TTL, "tun_ttl", NULL, OFPF_DEC, PREREQ_NONE, 1, 8, false, true),
	F(MFF_TUN_TP_SRC, "tun_tp_src", NULL, OFPF_DEC, PREREQ_NONE, 2, 16, true, false),
	F(MFF_TUN_TP_DST, "tun_tp_dst", NULL, OFPF_DEC, PREREQ_NONE, 2, 16, true, false),
	F(MFF_CT_LABEL, "ct_label", NULL, OFPF_CT_LABEL, PREREQ_NONE, 16, 128, true, false),
	F(MFF_TUN_FLAGS, "tun_flags", NULL, OFPF_TUN_FLAGS, PREREQ_NONE, 2, 3, true, false),
	F(MFF_CT_NW_SRC, "ct_nw_src", NULL, OFPF_IPV4, PREREQ_CT, 4, 32, true, false),
	F(MFF_CT_NW_DST, "ct_nw_dst", NULL, OFPF_IPV4, PREREQ_CT, 4, 32, true, false),
	F(MFF_CT_IPV6_SRC, "ct_ipv6_src", NULL, OFPF_IPV6, PREREQ_CT, 16, 128, true, false),
	F(MFF_CT_IPV6_DST, "ct_ipv6_dst", NULL, OFPF_IPV6, PREREQ_CT, 16, 128, true, false),
	F(MFF_CT_NW_PROTO, "ct_nw_proto", NULL, OFPF_DEC, PREREQ_CT, 1, 8, false, false),
	F(MFF_CT_TP_SRC, "ct_tp_src", NULL, OFPF_DEC, PREREQ_CT, 2, 16, true, false),
	F(MFF_CT_TP_DST, "ct_tp_dst", NULL, OFPF_DEC, PREREQ_CT, 2, 16, true, false),
	F(MFF_METADATA, "metadata", NULL, OFPF_HEX, PREREQ_NONE, 8, 64, true, true),
#define R(N) F(MFF_REG0 + N, "reg" #N, NULL, OFPF_HEX, PREREQ_NONE, 4, 32, true, true)
	R(0), R(1), R(2), R(3), R(4), R(5), R(6), R(7),
	R(8), R(9), R(10), R(11), R(12), R(13), R(14), R(15),
#undef R
#define X(N) F(MFF_XREG0 + N, "xreg" #N, NULL, OFPF_HEX, PREREQ_NONE, 8, 64, true, true)
	X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7),
#undef X
};

const struct ofp_field *ofp_field_from_id(enum ofp_field_id id)
{
	return (unsigned)id < MFF_N_IDS ? &fields[id] : NULL;
}

const struct ofp_field *ofp_field_by_name(const char *name)
{
	unsigned i;

	for (i = 0; i < MFF_N_IDS; i++)
		if (!strcmp(fields[i].name, name) ||
		    (fields[i].alias && !strcmp(fields[i].alias, name)))
			return &fields[i];
	return NULL;
}

/* Where a plain (not sub-byte) field lives in struct flow. */
static void *field_ptr(enum ofp_field_id id, const struct flow *f)
{
	const char *b = (const char *)f;

	switch (id) {
	case MFF_IN_PORT: return (void *)(b + offsetof(struct flow, in_port));
	case MFF_ETH_SRC: return (void *)(b + offsetof(struct flow, eth_src));
	case MFF_ETH_DST: return (void *)(b + offsetof(struct flow, eth_dst));
	case MFF_ETH_TYPE: return (void *)(b + offsetof(struct flow, eth_type));
	case MFF_VLAN_TCI: return (void *)(b + offsetof(struct flow, vlan_tci));
	case MFF_IPV4_SRC: return (void *)(b + offsetof(struct flow, ipv4_src));
	case MFF_IPV4_DST: return (void *)(b + offsetof(struct flow, ipv4_dst));
	case MFF_IP_PROTO: return (void *)(b + offsetof(struct flow, ip_proto));
	case MFF_IP_TTL: return (void *)(b + offsetof(struct flow, ip_ttl));
	case MFF_IP_FRAG: return (void *)(b + offsetof(struct flow, ip_frag));
	case MFF_TCP_SRC: case MFF_UDP_SRC: case MFF_SCTP_SRC: case MFF_TP_SRC:
		return (void *)(b + offsetof(struct flow, tp_src));
	case MFF_TCP_DST: case MFF_UDP_DST: case MFF_SCTP_DST: case MFF_TP_DST:
		return (void *)(b + offsetof(struct flow, tp_dst));
	case MFF_TCP_FLAGS: return (void *)(b + offsetof(struct flow, tcp_flags));
	case MFF_ICMPV4_TYPE: case MFF_ICMPV6_TYPE:
		return (void *)(b + offsetof(struct flow, icmp_type));
	case MFF_ICMPV4_CODE: case MFF_ICMPV6_CODE:
		return (void *)(b + offsetof(struct flow, icmp_code));
	case MFF_ARP_OP: return (void *)(b + offsetof(struct flow, arp_op));
	case MFF_ARP_SPA: return (void *)(b + offsetof(struct flow, arp_spa));
	case MFF_ARP_TPA: return (void *)(b + offsetof(struct flow, arp_tpa));
	case MFF_ARP_SHA: return (void *)(b + offsetof(struct flow, arp_sha));
	case MFF_ARP_THA: return (void *)(b + offsetof(struct flow, arp_tha));
	case MFF_IPV6_SRC: return (void *)(b + offsetof(struct flow, ipv6_src));
	case MFF_IPV6_DST: return (void *)(b + offsetof(struct flow, ipv6_dst));
	case MFF_IPV6_LABEL: return (void *)(b + offsetof(struct flow, ipv6_label));
	case MFF_ND_TARGET: return (void *)(b + offsetof(struct flow, nd_target));
	case MFF_CT_STATE: return (void *)(b + offsetof(struct flow, ct_state));
	case MFF_CT_ZONE: return (void *)(b + offsetof(struct flow, ct_zone));
	case MFF_CT_MARK: return (void *)(b + offsetof(struct flow, ct_mark));
#define TUN(field) (void *)(b + offsetof(struct flow, tunnel.field))
	case MFF_TUN_ID: return TUN(tun_id);
	case MFF_TUN_SRC: return TUN(ipv4_src);
	case MFF_TUN_DST: return TUN(ipv4_dst);
	case MFF_TUN_IPV6_SRC: return TUN(ipv6_src);
	case MFF_TUN_IPV6_DST: return TUN(ipv6_dst);
	case MFF_TUN_TOS: return TUN(tos);
	case MFF_TUN_TTL: return TUN(ttl);
	case MFF_TUN_TP_SRC: return TUN(tp_src);
	case MFF_TUN_TP_DST: return TUN(tp_dst);
	case MFF_TUN_FLAGS: return TUN(flags);
#undef TUN
	case MFF_CT_LABEL: return (void *)(b + offsetof(struct flow, ct_label));
#define ORIG(field) (void *)(b + offsetof(struct flow, ct_orig.field))
	case MFF_CT_NW_SRC: return ORIG(nw_src);
	case MFF_CT_NW_DST: return ORIG(nw_dst);
	case MFF_CT_IPV6_SRC: return ORIG(ipv6_src);
	case MFF_CT_IPV6_DST: return ORIG(ipv6_dst);
	case MFF_CT_NW_PROTO: return ORIG(nw_proto);
	case MFF_CT_TP_SRC: return ORIG(tp_src);
	case MFF_CT_TP_DST: return ORIG(tp_dst);
#undef ORIG
	case MFF_METADATA: return (void *)(b + offsetof(struct flow, metadata));
	default:
		break;
	}
	if (id >= MFF_REG0 && id <= MFF_REG15)
		return (void *)(b + offsetof(struct flow, regs) + 4 * (id - MFF_REG0));
	if (id >= MFF_XREG0 && id <= MFF_XREG7)
		return (void *)(b + offsetof(struct flow, regs) + 8 * (id - MFF_XREG0));
	return NULL;
}

/* Sub-byte fields: (storage, bits in storage, shift). VID/PCP are be16
 * TCI parts; DSCP/ECN are tos parts. Values are host-order numbers. */
static void sub_get(enum ofp_field_id id, const struct flow *f,
		    union ofp_field_value *v)
{
	uint16_t tci = ntohs(f->vlan_tci);

	memset(v, 0, sizeof(*v));
	switch (id) {
	case MFF_VLAN_VID: v->be16 = tci & VSW_VLAN_VID_MASK; break;
	case MFF_VLAN_PCP: v->u8 = tci >> VSW_VLAN_PCP_SHIFT; break;
	case MFF_IP_DSCP: v->u8 = f->ip_tos & 0xfc; break;
	case MFF_IP_DSCP_SHIFTED: v->u8 = f->ip_tos >> 2; break;
	case MFF_IP_ECN: v->u8 = f->ip_tos & 3; break;
	default: break;
	}
}

static bool is_sub(enum ofp_field_id id)
{
	return id == MFF_VLAN_VID || id == MFF_VLAN_PCP || id == MFF_IP_DSCP ||
	       id == MFF_IP_DSCP_SHIFTED || id == MFF_IP_ECN;
}

/* @mf's bytes in @f, or NULL for a sub-byte field (vlan_vid, ip_dscp...),
 * which has none of its own. */
void *ofp_field_data(const struct ofp_field *mf, const struct flow *f)
{
	return is_sub(mf->id) ? NULL : field_ptr(mf->id, f);
}

void ofp_field_get(const struct ofp_field *mf, const struct flow *f,
		   union ofp_field_value *v)
{
	if (is_sub(mf->id)) {
		sub_get(mf->id, f, v);
		return;
	}
	memset(v, 0, sizeof(*v));
	memcpy(v, field_ptr(mf->id, f), mf->n_bytes);
}

/* Writes sub-field @v into @f; with @mask non-NULL also sets the mask
 * bits of the sub-field (and the VLAN present bit) in @mask. */
static void sub_set(enum ofp_field_id id, const union ofp_field_value *v,
		    struct flow *f, struct flow *mask)
{
	uint16_t tci = ntohs(f->vlan_tci);

	switch (id) {
	case MFF_VLAN_VID:
		tci = (tci & ~VSW_VLAN_VID_MASK) | (v->be16 & VSW_VLAN_VID_MASK) |
		      VSW_VLAN_PRESENT;
		f->vlan_tci = htons(tci);
		if (mask)
			mask->vlan_tci |= htons(VSW_VLAN_VID_MASK | VSW_VLAN_PRESENT);
		break;
	case MFF_VLAN_PCP:
		tci = (tci & ~VSW_VLAN_PCP_MASK) |
		      ((v->u8 & 7) << VSW_VLAN_PCP_SHIFT) | VSW_VLAN_PRESENT;
		f->vlan_tci = htons(tci);
		if (mask)
			mask->vlan_tci |= htons(VSW_VLAN_PCP_MASK | VSW_VLAN_PRESENT);
		break;
	case MFF_IP_DSCP:
		f->ip_tos = (f->ip_tos & 3) | (v->u8 & 0xfc);
		if (mask)
			mask->ip_tos |= 0xfc;
		break;
	case MFF_IP_DSCP_SHIFTED:
		f->ip_tos = (f->ip_tos & 3) | (uint8_t)(v->u8 << 2);
		if (mask)
			mask->ip_tos |= 0xfc;
		break;
	case MFF_IP_ECN:
		f->ip_tos = (f->ip_tos & 0xfc) | (v->u8 & 3);
		if (mask)
			mask->ip_tos |= 3;
		break;
	default:
		break;
	}
}

void ofp_field_set_flow(const struct ofp_field *mf,
			const union ofp_field_value *v, struct flow *f)
{
	if (is_sub(mf->id))
		sub_set(mf->id, v, f, NULL);
	else
		memcpy(field_ptr(mf->id, f), v, mf->n_bytes);
}

void ofp_field_set_match(const struct ofp_field *mf,
			 const union ofp_field_value *v,
			 const union ofp_field_value *mask, struct match *m)
{
	unsigned char *fv, *fm;
	unsigned i;

	if (is_sub(mf->id)) {
		sub_set(mf->id, v, &m->flow, &m->mask);
		return;
	}
	fv = field_ptr(mf->id, &m->flow);
	fm = field_ptr(mf->id, &m->mask);
	for (i = 0; i < mf->n_bytes; i++) {
		unsigned char mb = mask ? mask->bytes[i] : 0xff;

		fm[i] = mb;
		fv[i] = v->bytes[i] & mb;
	}
	if (mf->id == MFF_IPV6_LABEL) {		/* only 20 bits exist */
		m->mask.ipv6_label &= htonl(0xfffff);
		m->flow.ipv6_label &= htonl(0xfffff);
	} else if (mf->id == MFF_TCP_FLAGS) {
		m->mask.tcp_flags &= htons(0x0fff);
		m->flow.tcp_flags &= htons(0x0fff);
	} else if (mf->id == MFF_IP_FRAG) {
		m->mask.ip_frag &= VSW_FRAG_MASK;
		m->flow.ip_frag &= VSW_FRAG_MASK;
	}
}

bool ofp_field_mask_is_zero(const struct ofp_field *mf,
			    const union ofp_field_value *mask)
{
	unsigned i;

	for (i = 0; i < mf->n_bytes; i++)
		if (mask->bytes[i])
			return false;
	return true;
}

static bool exact_type(const struct match *m, uint16_t type)
{
	return m->mask.eth_type == 0xffff && m->flow.eth_type == htons(type);
}

static bool exact_proto(const struct match *m, uint8_t proto)
{
	return m->mask.ip_proto == 0xff && m->flow.ip_proto == proto;
}

static bool is_ip_any(const struct match *m)
{
	return exact_type(m, ETH_TYPE_IP) || exact_type(m, ETH_TYPE_IPV6);
}

const struct ofp_field *ofp_field_resolve(const struct ofp_field *mf,
					  const struct match *m)
{
	bool icmp6 = exact_type(m, ETH_TYPE_IPV6) &&
		     exact_proto(m, IPPROTO_ICMPV6_);

	if (icmp6 && mf->id == MFF_ICMPV4_TYPE)
		return &fields[MFF_ICMPV6_TYPE];
	if (icmp6 && mf->id == MFF_ICMPV4_CODE)
		return &fields[MFF_ICMPV6_CODE];
	return mf;
}

/* Open vSwitch's "CT" prerequisite: the match admits only tracked
 * packets that have a connection, by a state flag only such a packet has
 * or by +trk with -inv. */
static bool ct_valid(const struct match *m)
{
	uint8_t v = m->flow.ct_state, k = m->mask.ct_state;

	return (v & (VSW_CT_STATE_NEW | VSW_CT_STATE_EST | VSW_CT_STATE_REL |
		     VSW_CT_STATE_RPL | VSW_CT_STATE_SNAT | VSW_CT_STATE_DNAT)) ||
	       ((v & VSW_CT_STATE_TRK) && (k & VSW_CT_STATE_INV) &&
		!(v & VSW_CT_STATE_INV));
}

bool ofp_field_prereq_ok(const struct ofp_field *mf, const struct match *m)
{
	switch (mf->prereq) {
	case PREREQ_NONE:
	case PREREQ_VLAN:
		return true;
	case PREREQ_IPV4:
		return exact_type(m, ETH_TYPE_IP);
	case PREREQ_IPV6:
		return exact_type(m, ETH_TYPE_IPV6);
	case PREREQ_IP_ANY:
		return is_ip_any(m);
	case PREREQ_ARP:
		return exact_type(m, ETH_TYPE_ARP) || exact_type(m, ETH_TYPE_RARP);
	case PREREQ_TCP:
		return is_ip_any(m) && exact_proto(m, IPPROTO_TCP);
	case PREREQ_UDP:
		return is_ip_any(m) && exact_proto(m, IPPROTO_UDP);
	case PREREQ_SCTP:
		return is_ip_any(m) && exact_proto(m, IPPROTO_SCTP);
	case PREREQ_TP:
		return is_ip_any(m) && (exact_proto(m, IPPROTO_TCP) ||
					exact_proto(m, IPPROTO_UDP) ||
					exact_proto(m, IPPROTO_SCTP));
	case PREREQ_ICMPV4:
		return exact_type(m, ETH_TYPE_IP) && exact_proto(m, IPPROTO_ICMP);
	case PREREQ_ICMPV6:
		return exact_type(m, ETH_TYPE_IPV6) && exact_proto(m, IPPROTO_ICMPV6_);
	case PREREQ_ND:
		return exact_type(m, ETH_TYPE_IPV6) &&
		       exact_proto(m, IPPROTO_ICMPV6_) && m->mask.icmp_type == 0xff &&
		       (m->flow.icmp_type == 135 || m->flow.icmp_type == 136);
	case PREREQ_CT:
		return ct_valid(m);
	}
	return false;
}

/* True when some packet inside @m can have @type / @proto: the match's
 * significant bits do not contradict it. */
static bool may_type(const struct match *m, uint16_t type)
{
	return !((m->flow.eth_type ^ htons(type)) & m->mask.eth_type);
}

static bool may_proto(const struct match *m, uint8_t proto)
{
	return !((m->flow.ip_proto ^ proto) & m->mask.ip_proto);
}

bool ofp_field_prereq_possible(enum ofp_field_prereq p, const struct match *m)
{
	bool ip = may_type(m, ETH_TYPE_IP), ip6 = may_type(m, ETH_TYPE_IPV6);

	switch (p) {
	case PREREQ_NONE:
	case PREREQ_VLAN:
		return true;
	case PREREQ_IPV4:
		return ip;
	case PREREQ_IPV6:
		return ip6;
	case PREREQ_IP_ANY:
		return ip || ip6;
	case PREREQ_ARP:
		return may_type(m, ETH_TYPE_ARP) || may_type(m, ETH_TYPE_RARP);
	case PREREQ_TCP:
		return (ip || ip6) && may_proto(m, IPPROTO_TCP);
	case PREREQ_UDP:
		return (ip || ip6) && may_proto(m, IPPROTO_UDP);
	case PREREQ_SCTP:
		return (ip || ip6) && may_proto(m, IPPROTO_SCTP);
	case PREREQ_TP:
		return (ip || ip6) && (may_proto(m, IPPROTO_TCP) ||
				       may_proto(m, IPPROTO_UDP) ||
				       may_proto(m, IPPROTO_SCTP));
	case PREREQ_ICMPV4:
		return ip && may_proto(m, IPPROTO_ICMP);
	case PREREQ_ICMPV6:
	case PREREQ_ND:
		return ip6 && may_proto(m, IPPROTO_ICMPV6_);
	case PREREQ_CT:		/* tracked, with a connection */
		return (ip || ip6) &&
		       !(~m->flow.ct_state & m->mask.ct_state & VSW_CT_STATE_TRK) &&
		       !(m->flow.ct_state & m->mask.ct_state & VSW_CT_STATE_INV);
	}
	return false;
}

const char *ofp_field_prereq_name(enum ofp_field_prereq p)
{
	switch (p) {
	case PREREQ_NONE: case PREREQ_VLAN: return "nothing";
	case PREREQ_IPV4: return "ip";
	case PREREQ_IPV6: return "ipv6";
	case PREREQ_IP_ANY: return "ip or ipv6";
	case PREREQ_ARP: return "arp or rarp";
	case PREREQ_TCP: return "tcp or tcp6";
	case PREREQ_UDP: return "udp or udp6";
	case PREREQ_SCTP: return "sctp or sctp6";
	case PREREQ_TP: return "tcp, udp or sctp";
	case PREREQ_ICMPV4: return "icmp";
	case PREREQ_ICMPV6: return "icmp6";
	case PREREQ_ND: return "icmp6 with icmp_type=135 or 136";
	case PREREQ_CT: return "a tracked connection (ct_state +trk-inv, or +new, +est, +rel, +rpl, +snat or +dnat)";
	}
	return "?";
}
