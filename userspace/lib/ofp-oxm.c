// SPDX-License-Identifier: GPL-2.0
/*
 * OXM TLVs <-> struct match. One table maps each OXM field vswitch
 * matches on to its field in lib/ofp-field.c; the field table's
 * prerequisites are checked once the whole match is read, so TLVs may come
 * in any order. Sub-byte fields (vlan_vid, vlan_pcp, ip_dscp, ip_ecn) and
 * in_port have their own conversions; every other value is the same bytes
 * on the wire and in struct flow.
 */
#include <string.h>
#include "ofp-ct.h"
#include "ofp-msg.h"
#include "util.h"

#define OXM_HEADER_LEN 4

struct oxm_def {
	uint16_t class;
	uint8_t field;
	enum ofp_field_id id;
	uint8_t len;		/* value length on the wire */
	bool maskable;		/* OpenFlow 1.3's table (and OVS: L4 ports) */
};

/* In OXM field order, so an encoded match lists every prerequisite before
 * the fields that need it (eth_type before ip_proto before tcp_src). */
static const struct oxm_def oxm_defs[] = {
#define B(FIELD, ID, LEN, MASK) { OFPXMC13_OPENFLOW_BASIC, OFPXMT13_##FIELD, ID, LEN, MASK }
	B(IN_PORT, MFF_IN_PORT, 4, false),
	B(METADATA, MFF_METADATA, 8, true),
	B(ETH_DST, MFF_ETH_DST, 6, true),
	B(ETH_SRC, MFF_ETH_SRC, 6, true),
	B(ETH_TYPE, MFF_ETH_TYPE, 2, false),
	B(VLAN_VID, MFF_VLAN_VID, 2, true),
	B(VLAN_PCP, MFF_VLAN_PCP, 1, false),
	B(IP_DSCP, MFF_IP_DSCP_SHIFTED, 1, false),
	B(IP_ECN, MFF_IP_ECN, 1, false),
	B(IP_PROTO, MFF_IP_PROTO, 1, false),
	B(IPV4_SRC, MFF_IPV4_SRC, 4, true),
	B(IPV4_DST, MFF_IPV4_DST, 4, true),
	B(TCP_SRC, MFF_TCP_SRC, 2, true),
	B(TCP_DST, MFF_TCP_DST, 2, true),
	B(UDP_SRC, MFF_UDP_SRC, 2, true),
	B(UDP_DST, MFF_UDP_DST, 2, true),
	B(SCTP_SRC, MFF_SCTP_SRC, 2, true),
	B(SCTP_DST, MFF_SCTP_DST, 2, true),
	B(ICMPV4_TYPE, MFF_ICMPV4_TYPE, 1, false),
	B(ICMPV4_CODE, MFF_ICMPV4_CODE, 1, false),
	B(ARP_OP, MFF_ARP_OP, 2, false),
	B(ARP_SPA, MFF_ARP_SPA, 4, true),
	B(ARP_TPA, MFF_ARP_TPA, 4, true),
	B(ARP_SHA, MFF_ARP_SHA, 6, true),
	B(ARP_THA, MFF_ARP_THA, 6, true),
	B(IPV6_SRC, MFF_IPV6_SRC, 16, true),
	B(IPV6_DST, MFF_IPV6_DST, 16, true),
	B(IPV6_FLABEL, MFF_IPV6_LABEL, 4, true),
	B(ICMPV6_TYPE, MFF_ICMPV6_TYPE, 1, false),
	B(ICMPV6_CODE, MFF_ICMPV6_CODE, 1, false),
	B(IPV6_ND_TARGET, MFF_ND_TARGET, 16, false),
	B(TUNNEL_ID, MFF_TUN_ID, 8, true),
#undef B
#define NX(FIELD, ID, LEN, MASK) { OFPXMC13_NXM_1, NXM13_NX_##FIELD, ID, LEN, MASK }
	NX(TUN_IPV4_SRC, MFF_TUN_SRC, 4, true),
	NX(TUN_IPV4_DST, MFF_TUN_DST, 4, true),
	NX(TUN_IPV6_SRC, MFF_TUN_IPV6_SRC, 16, true),
	NX(TUN_IPV6_DST, MFF_TUN_IPV6_DST, 16, true),
	NX(TUN_ID, MFF_TUN_ID, 8, true),	/* read only: TUNNEL_ID is sent */
	NX(IP_FRAG, MFF_IP_FRAG, 1, true),
	NX(TCP_FLAGS, MFF_TCP_FLAGS, 2, true),
	NX(CT_STATE, MFF_CT_STATE, 4, true),
	NX(CT_ZONE, MFF_CT_ZONE, 2, false),
	NX(CT_MARK, MFF_CT_MARK, 4, true),
	NX(CT_LABEL, MFF_CT_LABEL, 16, true),
	NX(CT_NW_PROTO, MFF_CT_NW_PROTO, 1, false),
	NX(CT_NW_SRC, MFF_CT_NW_SRC, 4, true),
	NX(CT_NW_DST, MFF_CT_NW_DST, 4, true),
	NX(CT_IPV6_SRC, MFF_CT_IPV6_SRC, 16, true),
	NX(CT_IPV6_DST, MFF_CT_IPV6_DST, 16, true),
	NX(CT_TP_SRC, MFF_CT_TP_SRC, 2, true),
	NX(CT_TP_DST, MFF_CT_TP_DST, 2, true),
#undef NX
	/* registers: NXM_NX_REG0..15, and the 64-bit xregs of class
	 * OFPXMC_PACKET_REGS (read; a match is sent as its registers) */
#define R(N) { OFPXMC13_NXM_1, N, MFF_REG0 + N, 4, true }
	R(0), R(1), R(2), R(3), R(4), R(5), R(6), R(7),
	R(8), R(9), R(10), R(11), R(12), R(13), R(14), R(15),
#undef R
#define X(N) { OFPXMC13_PACKET_REGS, N, MFF_XREG0 + N, 8, true }
	X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7),
#undef X
};
#define N_OXM_DEFS (sizeof(oxm_defs) / sizeof(oxm_defs[0]))

static ofperr bad_match(int code)
{
	return OFPERR(OFPET13_BAD_MATCH, code);
}

static const struct oxm_def *oxm_find(uint16_t class, uint8_t field)
{
	for (size_t i = 0; i < N_OXM_DEFS; i++)
		if (oxm_defs[i].class == class && oxm_defs[i].field == field)
			return &oxm_defs[i];
	return NULL;
}

static const struct oxm_def *oxm_by_id(enum ofp_field_id id)
{
	for (size_t i = 0; i < N_OXM_DEFS; i++)
		if (oxm_defs[i].id == id)
			return &oxm_defs[i];
	return NULL;
}

/* The highest value a sub-byte field may carry, host order. */
static unsigned sub_max(enum ofp_field_id id)
{
	switch (id) {
	case MFF_VLAN_PCP: return 7;
	case MFF_IP_DSCP_SHIFTED: return 63;
	case MFF_IP_ECN: return 3;
	default: return 0xff;
	}
}

/* vlan_vid: 13 bits, OFPVID_PRESENT plus the VID, the same bits as the
 * TCI's present bit and VID in struct flow. */
static ofperr set_vlan_vid(const uint8_t *v, const uint8_t *mask, struct match *m)
{
	uint16_t val, msk = 0x1fff;

	memcpy(&val, v, 2);
	val = ntohs(val);
	if (mask) {
		memcpy(&msk, mask, 2);
		msk = ntohs(msk);
	}
	if (val > 0x1fff || msk > 0x1fff)
		return bad_match(OFPBMC13_BAD_VALUE);
	if (val & ~msk)
		return bad_match(OFPBMC13_BAD_WILDCARDS);
	/* OFPVID_NONE exact: no tag at all, the whole TCI is zero. */
	if (!val && msk == 0x1fff)
		msk = 0xffff;
	m->mask.vlan_tci |= htons(msk);
	m->flow.vlan_tci = (m->flow.vlan_tci & ~htons(msk)) | htons(val);
	return 0;
}

static ofperr set_in_port(const uint8_t *v, struct match *m)
{
	uint32_t wire, port;

	memcpy(&wire, v, 4);
	wire = ntohl(wire);
	if (ofp13_port_from_wire(wire, &port) || port == OFPP_NONE ||
	    (port > OFPP_MAX && port != OFPP_LOCAL))
		return bad_match(OFPBMC13_BAD_VALUE);
	m->flow.in_port = port;
	m->mask.in_port = UINT32_MAX;
	return 0;
}

static ofperr set_plain(const struct ofp_field *mf, const uint8_t *v,
			const uint8_t *mask, struct match *m)
{
	union ofp_field_value val, msk, exact;
	unsigned i;

	memset(&val, 0, sizeof(val));
	memcpy(val.bytes, v, mf->n_bytes);
	ofp_field_exact_mask(mf, &exact);
	if (mask) {
		memset(&msk, 0, sizeof(msk));
		memcpy(msk.bytes, mask, mf->n_bytes);
	} else {
		msk = exact;
	}
	for (i = 0; i < mf->n_bytes; i++) {
		if ((val.bytes[i] | msk.bytes[i]) & ~exact.bytes[i])
			return bad_match(OFPBMC13_BAD_VALUE);
		if (val.bytes[i] & ~msk.bytes[i])
			return bad_match(OFPBMC13_BAD_WILDCARDS);
	}
	ofp_field_set_match(mf, &val, &msk, m);
	return 0;
}

/* ct_state: the NXM field is 32 bits, of which conntrack defines 8. */
static ofperr set_ct_state(const uint8_t *v, const uint8_t *mask,
			   struct match *m)
{
	uint32_t val, msk = 0xff;

	memcpy(&val, v, 4);
	val = ntohl(val);
	if (mask) {
		memcpy(&msk, mask, 4);
		msk = ntohl(msk);
	}
	if ((val | msk) > 0xff)
		return bad_match(OFPBMC13_BAD_VALUE);
	if (val & ~msk)
		return bad_match(OFPBMC13_BAD_WILDCARDS);
	m->flow.ct_state = (uint8_t)val;
	m->mask.ct_state = (uint8_t)msk;
	return 0;
}

/* ct_label: most significant byte first on the wire, least first in
 * struct flow (as the kernel keeps it). */
static void label_swap(uint8_t *dst, const uint8_t *src)
{
	for (int i = 0; i < 16; i++)
		dst[i] = src[15 - i];
}

static ofperr set_ct_label(const uint8_t *v, const uint8_t *mask,
			   struct match *m)
{
	uint8_t val[16], msk[16];

	label_swap(val, v);
	if (mask)
		label_swap(msk, mask);
	else
		memset(msk, 0xff, sizeof(msk));
	for (int i = 0; i < 16; i++)
		if (val[i] & ~msk[i])
			return bad_match(OFPBMC13_BAD_WILDCARDS);
	memcpy(m->flow.ct_label, val, 16);
	memcpy(m->mask.ct_label, msk, 16);
	return 0;
}

static ofperr oxm_apply(const struct oxm_def *d, const uint8_t *v,
			const uint8_t *mask, struct match *m)
{
	const struct ofp_field *mf = ofp_field_from_id(d->id);
	union ofp_field_value val;

	switch (d->id) {
	case MFF_IN_PORT:
		return set_in_port(v, m);
	case MFF_CT_STATE:
		return set_ct_state(v, mask, m);
	case MFF_CT_LABEL:
		return set_ct_label(v, mask, m);
	case MFF_VLAN_VID:
		return set_vlan_vid(v, mask, m);
	case MFF_VLAN_PCP:	/* the tag's presence is vlan_vid's to state */
		if (v[0] > sub_max(d->id))
			return bad_match(OFPBMC13_BAD_VALUE);
		m->flow.vlan_tci = (m->flow.vlan_tci & ~htons(VSW_VLAN_PCP_MASK)) |
				   htons((uint16_t)(v[0] << VSW_VLAN_PCP_SHIFT));
		m->mask.vlan_tci |= htons(VSW_VLAN_PCP_MASK);
		return 0;
	case MFF_IP_DSCP_SHIFTED:
	case MFF_IP_ECN:
		if (v[0] > sub_max(d->id))
			return bad_match(OFPBMC13_BAD_VALUE);
		memset(&val, 0, sizeof(val));
		val.u8 = v[0];
		ofp_field_set_match(mf, &val, NULL, m);
		return 0;
	default:
		return set_plain(mf, v, mask, m);
	}
}

ofperr ofp13_decode_oxm(const uint8_t *p, size_t avail, struct match *m,
			enum ofp_field_id *id, size_t *len)
{
	const struct oxm_def *d;
	uint16_t class;
	uint8_t field, vlen;
	bool hasmask;

	if (avail < OXM_HEADER_LEN)
		return bad_match(OFPBMC13_BAD_LEN);
	class = (uint16_t)(p[0] << 8 | p[1]);
	field = p[2] >> 1;
	hasmask = p[2] & 1;
	vlen = p[3];
	if ((size_t)OXM_HEADER_LEN + vlen > avail)
		return bad_match(OFPBMC13_BAD_LEN);
	*len = OXM_HEADER_LEN + vlen;
	d = oxm_find(class, field);
	if (!d)
		return bad_match(OFPBMC13_BAD_FIELD);
	if (vlen != (hasmask ? 2 * d->len : d->len))
		return bad_match(OFPBMC13_BAD_LEN);
	if (hasmask && !d->maskable)
		return bad_match(OFPBMC13_BAD_MASK);
	*id = d->id;
	return oxm_apply(d, p + OXM_HEADER_LEN,
			 hasmask ? p + OXM_HEADER_LEN + d->len : NULL, m);
}

/* A match's fields need their prerequisites in the same match; vlan_pcp
 * needs a tag (vlan_vid other than OFPVID_NONE). */
static ofperr check_prereqs(const bool *seen, const struct match *m)
{
	for (size_t i = 0; i < N_OXM_DEFS; i++) {
		const struct ofp_field *mf = ofp_field_from_id(oxm_defs[i].id);

		if (!seen[i])
			continue;
		if (!ofp_field_prereq_ok(mf, m))
			return bad_match(OFPBMC13_BAD_PREREQ);
		if (mf->id == MFF_VLAN_PCP &&
		    !(m->mask.vlan_tci & m->flow.vlan_tci & htons(VSW_VLAN_PRESENT)))
			return bad_match(OFPBMC13_BAD_PREREQ);
	}
	return 0;
}

ofperr ofp13_decode_match(const uint8_t *p, size_t avail, struct match *m,
			  size_t *consumed)
{
	bool seen[N_OXM_DEFS] = { false };
	size_t mlen, padded, off, tlv;
	uint16_t type, length;
	enum ofp_field_id id;
	ofperr err;

	memset(m, 0, sizeof(*m));
	if (avail < sizeof(struct ofp13_match))
		return bad_match(OFPBMC13_BAD_LEN);
	type = (uint16_t)(p[0] << 8 | p[1]);
	length = (uint16_t)(p[2] << 8 | p[3]);
	if (type != OFPMT13_OXM)
		return bad_match(OFPBMC13_BAD_TYPE);
	mlen = length;
	padded = (mlen + 7) / 8 * 8;
	if (mlen < sizeof(struct ofp13_match) || padded > avail)
		return bad_match(OFPBMC13_BAD_LEN);
	for (off = sizeof(struct ofp13_match); off < mlen; off += tlv) {
		err = ofp13_decode_oxm(p + off, mlen - off, m, &id, &tlv);
		if (err)
			return err;
		for (size_t i = 0; i < N_OXM_DEFS; i++) {
			if (oxm_defs[i].id != id)
				continue;
			if (seen[i])
				return bad_match(OFPBMC13_DUP_FIELD);
			seen[i] = true;
		}
	}
	*consumed = padded;
	return check_prereqs(seen, m);
}

static void put_oxm(struct ofpbuf *b, const struct oxm_def *d,
		    const void *v, const void *mask)
{
	uint8_t h[OXM_HEADER_LEN] = {
		(uint8_t)(d->class >> 8), (uint8_t)d->class,
		(uint8_t)(d->field << 1 | (mask ? 1 : 0)),
		(uint8_t)(mask ? 2 * d->len : d->len),
	};

	ofpbuf_put(b, h, sizeof(h));
	ofpbuf_put(b, v, d->len);
	if (mask)
		ofpbuf_put(b, mask, d->len);
}

/* The OXM field that carries @id's bits in @m: L4 ports by ip_proto,
 * ICMP by eth_type. Returns NULL when the match leaves it ambiguous. */
static const struct oxm_def *encode_def(enum ofp_field_id id, const struct match *m)
{
	bool v6 = m->mask.eth_type && m->flow.eth_type == htons(ETH_TYPE_IPV6);
	uint8_t proto = m->mask.ip_proto ? m->flow.ip_proto : 0;

	switch (id) {
	case MFF_TP_SRC:
	case MFF_TP_DST: {
		bool src = id == MFF_TP_SRC;

		if (proto == IPPROTO_TCP)
			return oxm_by_id(src ? MFF_TCP_SRC : MFF_TCP_DST);
		if (proto == IPPROTO_UDP)
			return oxm_by_id(src ? MFF_UDP_SRC : MFF_UDP_DST);
		if (proto == IPPROTO_SCTP)
			return oxm_by_id(src ? MFF_SCTP_SRC : MFF_SCTP_DST);
		return NULL;
	}
	case MFF_ICMPV4_TYPE:
		return oxm_by_id(v6 ? MFF_ICMPV6_TYPE : MFF_ICMPV4_TYPE);
	case MFF_ICMPV4_CODE:
		return oxm_by_id(v6 ? MFF_ICMPV6_CODE : MFF_ICMPV4_CODE);
	default:
		return oxm_by_id(id);
	}
}

/* ct_state and ct_label, whose wire form differs from struct flow's. */
static void encode_ct_special(struct ofpbuf *b, enum ofp_field_id id,
			      const struct match *m)
{
	static const uint8_t ones[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	uint8_t val[16], msk[16];
	uint32_t v32, m32;

	if (id == MFF_CT_STATE) {
		if (!m->mask.ct_state)
			return;
		v32 = htonl(m->flow.ct_state);
		m32 = htonl(m->mask.ct_state);
		put_oxm(b, oxm_by_id(id), &v32,
			m->mask.ct_state == 0xff ? NULL : &m32);
		return;
	}
	if (ofp_ct_label_is_zero(m->mask.ct_label))
		return;
	label_swap(val, m->flow.ct_label);
	label_swap(msk, m->mask.ct_label);
	put_oxm(b, oxm_by_id(id), val,
		memcmp(msk, ones, 16) ? msk : NULL);
}

/* in_port, the sub-byte fields, ct_state and ct_label. Returns 0, 1 if
 * @id is not one of them. */
static int encode_special(struct ofpbuf *b, enum ofp_field_id id,
			  const struct match *m, ofperr *err)
{
	uint16_t tci = ntohs(m->flow.vlan_tci), tmask = ntohs(m->mask.vlan_tci);
	uint8_t v;

	*err = 0;
	switch (id) {
	case MFF_CT_STATE:
	case MFF_CT_LABEL:
		encode_ct_special(b, id, m);
		return 0;
	case MFF_IN_PORT: {
		uint32_t port = htonl(ofp13_port_to_wire(m->flow.in_port));

		if (!m->mask.in_port)
			return 0;
		if (m->mask.in_port != UINT32_MAX)
			*err = bad_match(OFPBMC13_BAD_WILDCARDS);
		else
			put_oxm(b, oxm_by_id(id), &port, NULL);
		return 0;
	}
	case MFF_VLAN_VID: {
		uint16_t val = htons(tci & 0x1fff), msk = htons(tmask & 0x1fff);

		if (!(tmask & 0x1fff))
			return 0;
		put_oxm(b, oxm_by_id(id), &val, (tmask & 0x1fff) == 0x1fff ? NULL : &msk);
		return 0;
	}
	case MFF_VLAN_PCP:
		/* no tag (vlan_tci=0 exact) is vlan_vid=OFPVID_NONE alone */
		if (!(tmask & VSW_VLAN_PCP_MASK) || !(tci & VSW_VLAN_PRESENT))
			return 0;
		v = (uint8_t)(tci >> VSW_VLAN_PCP_SHIFT);
		break;
	case MFF_IP_DSCP_SHIFTED:
		if (!(m->mask.ip_tos & 0xfc))
			return 0;
		v = m->flow.ip_tos >> 2;
		if ((m->mask.ip_tos & 0xfc) != 0xfc)
			*err = bad_match(OFPBMC13_BAD_WILDCARDS);
		break;
	case MFF_IP_ECN:
		if (!(m->mask.ip_tos & 3))
			return 0;
		v = m->flow.ip_tos & 3;
		if ((m->mask.ip_tos & 3) != 3)
			*err = bad_match(OFPBMC13_BAD_WILDCARDS);
		break;
	default:
		return 1;
	}
	if (id == MFF_VLAN_PCP && (tmask & VSW_VLAN_PCP_MASK) != VSW_VLAN_PCP_MASK)
		*err = bad_match(OFPBMC13_BAD_WILDCARDS);
	if (!*err)
		put_oxm(b, oxm_by_id(id), &v, NULL);
	return 0;
}

/* The fields of struct flow each encoded once: generic tp_src/tp_dst and
 * icmp_type/code stand for their per-protocol OXM fields. */
static const enum ofp_field_id encode_order[] = {
	MFF_IN_PORT, MFF_METADATA, MFF_ETH_DST, MFF_ETH_SRC, MFF_ETH_TYPE, MFF_VLAN_VID,
	MFF_VLAN_PCP, MFF_IP_DSCP_SHIFTED, MFF_IP_ECN, MFF_IP_PROTO,
	MFF_IPV4_SRC, MFF_IPV4_DST, MFF_TP_SRC, MFF_TP_DST, MFF_ICMPV4_TYPE,
	MFF_ICMPV4_CODE, MFF_ARP_OP, MFF_ARP_SPA, MFF_ARP_TPA, MFF_ARP_SHA,
	MFF_ARP_THA, MFF_IPV6_SRC, MFF_IPV6_DST, MFF_IPV6_LABEL, MFF_ND_TARGET,
	MFF_TUN_ID, MFF_TUN_SRC, MFF_TUN_DST, MFF_TUN_IPV6_SRC, MFF_TUN_IPV6_DST,
	MFF_IP_FRAG, MFF_TCP_FLAGS,
	MFF_CT_STATE, MFF_CT_ZONE, MFF_CT_MARK, MFF_CT_LABEL,
	MFF_CT_NW_PROTO, MFF_CT_NW_SRC, MFF_CT_NW_DST, MFF_CT_IPV6_SRC,
	MFF_CT_IPV6_DST, MFF_CT_TP_SRC, MFF_CT_TP_DST,
	MFF_REG0, MFF_REG0 + 1, MFF_REG0 + 2, MFF_REG0 + 3, MFF_REG0 + 4,
	MFF_REG0 + 5, MFF_REG0 + 6, MFF_REG0 + 7, MFF_REG0 + 8, MFF_REG0 + 9,
	MFF_REG0 + 10, MFF_REG0 + 11, MFF_REG0 + 12, MFF_REG0 + 13,
	MFF_REG0 + 14, MFF_REG15,
	/* no OXM or NXM (Open vSwitch has none either; its tun_flags NXM
	 * carries only its oam flag): a rule matching them is refused, never
	 * sent without them */
	MFF_TUN_TOS, MFF_TUN_TTL, MFF_TUN_TP_SRC, MFF_TUN_TP_DST, MFF_TUN_FLAGS,
};

static ofperr encode_field(struct ofpbuf *b, enum ofp_field_id id,
			   const struct match *m)
{
	const struct ofp_field *mf = ofp_field_from_id(id);
	union ofp_field_value v, mask, exact;
	const struct oxm_def *d;
	ofperr err;

	if (!encode_special(b, id, m, &err))
		return err;
	ofp_field_get(mf, &m->mask, &mask);
	if (ofp_field_mask_is_zero(mf, &mask))
		return 0;
	d = encode_def(id, m);
	if (!d)
		return bad_match(OFPBMC13_BAD_PREREQ);
	ofp_field_get(mf, &m->flow, &v);
	ofp_field_exact_mask(mf, &exact);
	if (!memcmp(&mask, &exact, sizeof(mask))) {
		put_oxm(b, d, &v, NULL);
		return 0;
	}
	if (!d->maskable)
		return bad_match(OFPBMC13_BAD_WILDCARDS);
	put_oxm(b, d, &v, &mask);
	return 0;
}

ofperr ofp13_encode_match(struct ofpbuf *b, const struct match *m)
{
	size_t start = b->size;
	struct ofp13_match *om;
	ofperr err;

	if (!ofpbuf_put_zeros(b, sizeof(*om)))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	for (size_t i = 0; i < ARRAY_SIZE(encode_order); i++) {
		err = encode_field(b, encode_order[i], m);
		if (err) {
			b->size = start;
			return err;
		}
	}
	if (b->oom)
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	om = (struct ofp13_match *)(b->data + start);
	om->type = htons(OFPMT13_OXM);
	om->length = htons((uint16_t)(b->size - start));
	ofpbuf_pad8(b, start);
	return 0;
}

ofperr ofp13_encode_set_field_oxm(struct ofpbuf *b, enum ofp_field_id id,
				  const union ofp_field_value *v,
				  const struct match *m)
{
	const struct ofp_field *mf = ofp_field_from_id(id);
	const struct oxm_def *d;
	uint16_t vid;

	if (!mf)
		return OFPERR(OFPET13_BAD_ACTION, OFPBAC13_BAD_SET_TYPE);
	if (id == MFF_VLAN_VID) {
		vid = htons((v->be16 & VSW_VLAN_VID_MASK) | OFPVID13_PRESENT);
		put_oxm(b, oxm_by_id(id), &vid, NULL);
		return 0;
	}
	if (id == MFF_IP_DSCP) {	/* mod_nw_tos: the DSCP bits in place */
		uint8_t dscp = v->u8 >> 2;

		put_oxm(b, oxm_by_id(MFF_IP_DSCP_SHIFTED), &dscp, NULL);
		return 0;
	}
	d = encode_def(id, m);
	if (!d && (id == MFF_TP_SRC || id == MFF_TP_DST))	/* no proto known */
		return OFPERR(OFPET13_BAD_ACTION, OFPBAC13_MATCH_INCONSISTENT);
	if (!d)
		return OFPERR(OFPET13_BAD_ACTION, OFPBAC13_BAD_SET_TYPE);
	put_oxm(b, d, v, NULL);
	return 0;
}

size_t ofp13_oxm_headers(uint32_t *out, size_t max, bool writable_only)
{
	size_t n = 0;

	for (size_t i = 0; i < N_OXM_DEFS && n < max; i++) {
		const struct oxm_def *d = &oxm_defs[i];

		if (writable_only && !ofp_field_from_id(d->id)->writable)
			continue;
		out[n++] = htonl((uint32_t)d->class << 16 | (uint32_t)d->field << 9 |
				 d->len);
	}
	return n;
}
