// SPDX-License-Identifier: GPL-2.0
/*
 * Nicira's conntrack actions in OpenFlow 1.3, as Open vSwitch and its
 * controllers (os-ken's NXActionCT, NXActionNAT, NXActionCTClear) send
 * them: NXAST_CT with its nested actions, NXAST_NAT inside it, and
 * NXAST_CT_CLEAR, to and from struct ofpact's OFPACT_CT / OFPACT_CT_CLEAR.
 *
 * Nested in a ct, vswitch takes what its ct(...) syntax has: one nat, and
 * loads of ct_mark and ct_label (OFPAT_SET_FIELD, NXAST_REG_LOAD or
 * NXAST_REG_LOAD2), and a zone from 16 bits of a field (zone_src). An ALG, any other
 * nested action and the flag combinations ofpact_ct_check() refuses are
 * answered BAD_ARGUMENT, the code Open vSwitch gives them.
 */
#include <arpa/inet.h>
#include <string.h>
#include "ofp-ct.h"
#include "ofp-msg.h"

static ofperr bad_action(int code)
{
	return OFPERR(OFPET13_BAD_ACTION, code);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/* ct_mark/ct_label := @m's value under its mask, from a decoded OXM. */
static ofperr ct_load(enum ofp_field_id id, const struct match *m,
		      struct ofpact *a)
{
	if (id == MFF_CT_MARK && !a->ct.has_mark) {
		a->ct.has_mark = true;
		a->ct.mark = ntohl(m->flow.ct_mark);
		a->ct.mark_mask = ntohl(m->mask.ct_mark);
		return 0;
	}
	if (id == MFF_CT_LABEL && !a->ct.has_label) {
		a->ct.has_label = true;
		memcpy(a->ct.label, m->flow.ct_label, 16);
		memcpy(a->ct.label_mask, m->mask.ct_label, 16);
		return 0;
	}
	return bad_action(OFPBAC13_BAD_ARGUMENT);	/* other field, or twice */
}

/* OFPAT_SET_FIELD (no mask) or NXAST_REG_LOAD2 (mask allowed): one OXM. */
static ofperr dec_oxm_load(const uint8_t *oxm, size_t len, bool mask_ok,
			   struct ofpact *a)
{
	enum ofp_field_id id;
	struct match m;
	size_t used;

	if (len < 4 || ((oxm[2] & 1) && !mask_ok))
		return bad_action(OFPBAC13_BAD_SET_ARGUMENT);
	memset(&m, 0, sizeof(m));
	if (ofp13_decode_oxm(oxm, len, &m, &id, &used))
		return bad_action(OFPBAC13_BAD_SET_ARGUMENT);
	return ct_load(id, &m, a);
}

/* NXAST_REG_LOAD: bits [ofs, ofs + nbits) of the NXM field @dst := value. */
static ofperr dec_reg_load(const uint8_t *p, size_t len, struct ofpact *a)
{
	unsigned ofs = get16(p + 10) >> 6, nbits = (get16(p + 10) & 0x3f) + 1;
	uint32_t dst = get32(p + 12);
	uint64_t value = get64(p + 16);
	struct match m;
	enum ofp_field_id id;
	unsigned width;

	if (len != 24 || dst >> 16 != OFPXMC13_NXM_1)
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	if (((dst >> 9) & 0x7f) == NXM13_NX_CT_MARK)
		id = MFF_CT_MARK, width = 32;
	else if (((dst >> 9) & 0x7f) == NXM13_NX_CT_LABEL)
		id = MFF_CT_LABEL, width = 128;
	else
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	if (ofs + nbits > width || (nbits < 64 && value >> nbits))
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	memset(&m, 0, sizeof(m));
	for (unsigned i = 0; i < nbits; i++) {
		unsigned bit = ofs + i;
		bool on = (value >> i) & 1;

		if (id == MFF_CT_MARK) {
			m.mask.ct_mark |= htonl(1u << bit);
			m.flow.ct_mark |= on ? htonl(1u << bit) : 0;
		} else {
			m.mask.ct_label[bit / 8] |= (uint8_t)(1u << bit % 8);
			if (on)
				m.flow.ct_label[bit / 8] |= (uint8_t)(1u << bit % 8);
		}
	}
	return ct_load(id, &m, a);
}

static void nat_addr(const uint8_t **p, size_t *left, bool present,
		     size_t n, void *dst, bool *short_)
{
	if (!present)
		return;
	if (*left < n) {
		*short_ = true;
		return;
	}
	memcpy(dst, *p, n);
	*p += n;
	*left -= n;
}

/* NXAST_NAT into a->ct.nat. */
static ofperr dec_nat(const uint8_t *p, size_t len, struct ofpact *a)
{
	uint16_t flags = get16(p + 12), range = get16(p + 14), port;
	struct odp_ct_nat *n = &a->ct.nat;
	const uint8_t *q = p + NX13_NAT_LEN;
	size_t left = len - NX13_NAT_LEN;
	bool short_ = false;

	if (len < NX13_NAT_LEN || n->kind != ODP_NAT_NONE)
		return bad_action(len < NX13_NAT_LEN ? OFPBAC13_BAD_LEN
						      : OFPBAC13_BAD_ARGUMENT);
	if ((flags & ~0x1fu) || range & ~0x3fu ||
	    ((flags & NX13_NAT_F_SRC) && (flags & NX13_NAT_F_DST)) ||
	    ((flags & NX13_NAT_F_PROTO_HASH) && (flags & NX13_NAT_F_PROTO_RANDOM)) ||
	    ((range & 0x3) && (range & 0xc)))
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	n->kind = flags & NX13_NAT_F_SRC ? ODP_NAT_SRC :
		  flags & NX13_NAT_F_DST ? ODP_NAT_DST : ODP_NAT_EXISTING;
	n->flags = (flags & NX13_NAT_F_PERSISTENT ? ODP_NAT_F_PERSISTENT : 0) |
		   (flags & NX13_NAT_F_PROTO_HASH ? ODP_NAT_F_HASH : 0) |
		   (flags & NX13_NAT_F_PROTO_RANDOM ? ODP_NAT_F_RANDOM : 0);
	n->af = range & 0x3 ? 4 : range & 0xc ? 6 : 0;
	nat_addr(&q, &left, range & NX13_NAT_RANGE_IPV4_MIN, 4, &n->ip_min, &short_);
	nat_addr(&q, &left, range & NX13_NAT_RANGE_IPV4_MAX, 4, &n->ip_max, &short_);
	nat_addr(&q, &left, range & NX13_NAT_RANGE_IPV6_MIN, 16, &n->ip_min, &short_);
	nat_addr(&q, &left, range & NX13_NAT_RANGE_IPV6_MAX, 16, &n->ip_max, &short_);
	if (range & NX13_NAT_RANGE_PROTO_MIN) {
		nat_addr(&q, &left, true, 2, &port, &short_);
		n->port_min = ntohs(port);
	}
	if (range & NX13_NAT_RANGE_PROTO_MAX) {
		nat_addr(&q, &left, true, 2, &port, &short_);
		n->port_max = ntohs(port);
	}
	if (short_ || left >= 8)
		return bad_action(OFPBAC13_BAD_LEN);
	/* a min alone is a single value, as ovs-ofctl writes one */
	if (n->af && !(range & (NX13_NAT_RANGE_IPV4_MAX | NX13_NAT_RANGE_IPV6_MAX)))
		n->ip_max = n->ip_min;
	if (n->port_min && !n->port_max)
		n->port_max = n->port_min;
	if ((n->flags || n->af || n->port_min) && n->kind == ODP_NAT_EXISTING)
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	if (memcmp(&n->ip_min, &n->ip_max, sizeof(n->ip_min)) > 0 ||
	    n->port_min > n->port_max)
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	return 0;
}

/* One action nested in a ct. */
static ofperr dec_nested(const uint8_t *p, size_t len, struct ofpact *a)
{
	uint16_t type = get16(p), sub;

	if (type == OFPAT13_SET_FIELD)
		return dec_oxm_load(p + 4, len - 4, false, a);
	if (type != OFPAT13_EXPERIMENTER || len < 16 ||
	    get32(p + 4) != NX13_VENDOR_ID)
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	sub = get16(p + 8);
	switch (sub) {
	case NXAST13_NAT:
		return dec_nat(p, len, a);
	case NXAST13_REG_LOAD:
		return dec_reg_load(p, len, a);
	case NXAST13_REG_LOAD2:
		return dec_oxm_load(p + NX13_HEADER_LEN, len - NX13_HEADER_LEN,
				    true, a);
	default:
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	}
}

/* zone_src (an NXM header) and zone_ofs_nbits: 16 bits of a field. */
static ofperr dec_zone_src(uint32_t header, uint16_t ofs_nbits, struct ofpact *ct)
{
	const struct ofp_field *mf = ofp_field_by_nxm_header(header);
	unsigned ofs = ofs_nbits >> 6, n = (ofs_nbits & 0x3f) + 1;

	if (!mf || (header & 0x100) || n != 16 || ofs + n > mf->n_bits)
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	ct->ct.zone_from_field = true;
	ct->ct.zone_src.field = mf->id;	/* ct is zeroed: padding stays 0 */
	ct->ct.zone_src.ofs = (uint8_t)ofs;
	ct->ct.zone_src.n_bits = 16;
	return 0;
}

ofperr ofp13_decode_nx_ct(const uint8_t *p, size_t len, struct ofpacts *acts)
{
	uint16_t flags, alen;
	struct ofpact ct;
	struct ofpact *a;
	char err[256];
	ofperr e;

	if (len < NX13_CT_LEN)
		return bad_action(OFPBAC13_BAD_LEN);
	memset(&ct, 0, sizeof(ct));
	ct.type = OFPACT_CT;
	flags = get16(p + 10);
	if (flags & ~(NX13_CT_F_COMMIT | NX13_CT_F_FORCE) ||
	    get16(p + 22))		/* an ALG */
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	ct.ct.commit = flags & NX13_CT_F_COMMIT;
	ct.ct.force = flags & NX13_CT_F_FORCE;
	if (get32(p + 12)) {
		e = dec_zone_src(get32(p + 12), get16(p + 16), &ct);
		if (e)
			return e;
	} else {
		ct.ct.zone = get16(p + 16);
	}
	if (p[18] != NX13_CT_RECIRC_NONE) {
		if (p[18] >= OFP_N_TABLES)
			return bad_action(OFPBAC13_BAD_ARGUMENT);
		ct.ct.has_table = true;
		ct.ct.table = p[18];
	}
	for (size_t off = NX13_CT_LEN; off < len; off += alen) {
		if (len - off < 8)
			return bad_action(OFPBAC13_BAD_LEN);
		alen = get16(p + off + 2);
		if (alen < 8 || alen % 8 || alen > len - off)
			return bad_action(OFPBAC13_BAD_LEN);
		e = dec_nested(p + off, alen, &ct);
		if (e)
			return e;
	}
	if (ofpact_ct_check(&ct, err, sizeof(err)))
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	a = ofpacts_push(acts, OFPACT_CT);
	if (!a)
		return bad_action(OFPBAC13_TOO_MANY);
	*a = ct;
	return 0;
}

ofperr ofp13_decode_nx_ct_clear(size_t len, struct ofpacts *acts)
{
	if (len != 16)
		return bad_action(OFPBAC13_BAD_LEN);
	return ofpacts_push(acts, OFPACT_CT_CLEAR) ? 0
						   : bad_action(OFPBAC13_TOO_MANY);
}

/* --- encoding ----------------------------------------------------------- */

static void put_be16(struct ofpbuf *b, uint16_t v)
{
	v = htons(v);
	ofpbuf_put(b, &v, 2);
}

static void put_be32(struct ofpbuf *b, uint32_t v)
{
	v = htonl(v);
	ofpbuf_put(b, &v, 4);
}

/* The Nicira header with a length to patch (nx_end()). */
static size_t nx_start(struct ofpbuf *b, uint16_t subtype)
{
	size_t start = b->size;

	put_be16(b, OFPAT13_EXPERIMENTER);
	put_be16(b, 0);
	put_be32(b, NX13_VENDOR_ID);
	put_be16(b, subtype);
	return start;
}

static void nx_end(struct ofpbuf *b, size_t start)
{
	uint16_t len;

	ofpbuf_pad8(b, start);
	len = htons((uint16_t)(b->size - start));
	if (!b->oom)
		memcpy(b->data + start + 2, &len, 2);
}

static void enc_nat(struct ofpbuf *b, const struct odp_ct_nat *n)
{
	size_t start = nx_start(b, NXAST13_NAT);
	uint16_t flags = 0, range = 0;

	if (n->kind == ODP_NAT_SRC)
		flags |= NX13_NAT_F_SRC;
	if (n->kind == ODP_NAT_DST)
		flags |= NX13_NAT_F_DST;
	if (n->flags & ODP_NAT_F_PERSISTENT)
		flags |= NX13_NAT_F_PERSISTENT;
	if (n->flags & ODP_NAT_F_HASH)
		flags |= NX13_NAT_F_PROTO_HASH;
	if (n->flags & ODP_NAT_F_RANDOM)
		flags |= NX13_NAT_F_PROTO_RANDOM;
	if (n->af == 4)
		range |= NX13_NAT_RANGE_IPV4_MIN | NX13_NAT_RANGE_IPV4_MAX;
	if (n->af == 6)
		range |= NX13_NAT_RANGE_IPV6_MIN | NX13_NAT_RANGE_IPV6_MAX;
	if (n->port_min)
		range |= NX13_NAT_RANGE_PROTO_MIN | NX13_NAT_RANGE_PROTO_MAX;
	put_be16(b, 0);
	put_be16(b, flags);
	put_be16(b, range);
	if (n->af) {
		ofpbuf_put(b, &n->ip_min, n->af == 4 ? 4 : 16);
		ofpbuf_put(b, &n->ip_max, n->af == 4 ? 4 : 16);
	}
	if (n->port_min) {
		put_be16(b, n->port_min);
		put_be16(b, n->port_max);
	}
	nx_end(b, start);
}

/* ct_mark or ct_label := value/mask as NXAST_REG_LOAD2 (its OXM carries
 * the mask whatever it is). */
static void enc_load(struct ofpbuf *b, uint8_t field, const void *v,
		     const void *mask, uint8_t len)
{
	size_t start = nx_start(b, NXAST13_REG_LOAD2);
	uint8_t h[4] = { 0x00, 0x01, (uint8_t)(field << 1 | 1), (uint8_t)(2 * len) };

	ofpbuf_put(b, h, 4);
	ofpbuf_put(b, v, len);
	ofpbuf_put(b, mask, len);
	nx_end(b, start);
}

static void enc_ct_loads(struct ofpbuf *b, const struct ofpact *a)
{
	uint8_t v[16], m[16];
	uint32_t mark, mask;

	if (a->ct.has_mark) {
		mark = htonl(a->ct.mark);
		mask = htonl(a->ct.mark_mask);
		enc_load(b, NXM13_NX_CT_MARK, &mark, &mask, 4);
	}
	if (a->ct.has_label) {
		for (int i = 0; i < 16; i++) {	/* most significant first */
			v[i] = a->ct.label[15 - i];
			m[i] = a->ct.label_mask[15 - i];
		}
		enc_load(b, NXM13_NX_CT_LABEL, v, m, 16);
	}
}

void ofp13_encode_nx_ct(struct ofpbuf *b, const struct ofpact *a)
{
	size_t start = nx_start(b, NXAST13_CT);
	uint8_t tail[4] = { a->ct.has_table ? a->ct.table : NX13_CT_RECIRC_NONE };

	put_be16(b, (a->ct.commit ? NX13_CT_F_COMMIT : 0) |
		    (a->ct.force ? NX13_CT_F_FORCE : 0));
	if (a->ct.zone_from_field) {	/* zone_src, zone_ofs_nbits */
		put_be32(b, ofp_nxm_header(a->ct.zone_src.field));
		put_be16(b, (uint16_t)(a->ct.zone_src.ofs << 6 | 15));
	} else {
		put_be32(b, 0);		/* zone_src: the zone is immediate */
		put_be16(b, a->ct.zone);
	}
	ofpbuf_put(b, tail, sizeof(tail));
	put_be16(b, 0);			/* alg */
	if (a->ct.nat.kind != ODP_NAT_NONE)
		enc_nat(b, &a->ct.nat);
	enc_ct_loads(b, a);
	nx_end(b, start);
}

void ofp13_encode_nx_ct_clear(struct ofpbuf *b)
{
	size_t start = nx_start(b, NXAST13_CT_CLEAR);

	nx_end(b, start);
}
