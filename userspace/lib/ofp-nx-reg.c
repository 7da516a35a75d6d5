// SPDX-License-Identifier: GPL-2.0
/*
 * Nicira's register actions in OpenFlow 1.3, as ovs-ofctl 3.1 sends them:
 * NXAST_REG_LOAD (load, and a set_field that writes part of a field; one
 * action per run of mask bits, at most 64 bits each) and NXAST_REG_MOVE
 * (move). Fields are named by their NXM/OXM header (ofp-subfield.c).
 *
 *   REG_LOAD (24 bytes): header(10) ofs_nbits(2: ofs << 6 | n_bits - 1)
 *                        dst(4) value(8, be64)
 *   REG_MOVE (24 bytes): header(10) n_bits(2) src_ofs(2) dst_ofs(2)
 *                        src(4) dst(4)
 */
#include <string.h>
#include "ofp-msg.h"
#include "util.h"

#define NXAST13_REG_MOVE 6
#define NX_REG_LEN 24

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
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The field an NXM header names, usable as a sub-field (and, @write, as
 * a destination), its prerequisite met by @m (NULL: a PACKET_OUT's). */
static ofperr nx_field(uint32_t header, bool write, const struct match *m,
		       const struct ofp_field **out)
{
	const struct ofp_field *mf = ofp_field_by_nxm_header(header);

	if (!mf || (header & 0x100) || (header & 0xff) != (ofp_nxm_header(mf->id) & 0xff))
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	if (write && !mf->writable)
		return bad_action(OFPBAC13_BAD_SET_TYPE);
	if (m && !ofp_field_prereq_ok(mf, m))
		return bad_action(OFPBAC13_MATCH_INCONSISTENT);
	*out = mf;
	return 0;
}

static ofperr dec_load(const uint8_t *p, const struct match *m,
		       struct ofpact *a)
{
	unsigned ofs = get16(p + 10) >> 6, n = (get16(p + 10) & 0x3f) + 1;
	const struct ofp_field *mf;
	uint8_t v[8];
	ofperr err;

	err = nx_field(get32(p + 12), true, m, &mf);
	if (err)
		return err;
	memcpy(v, p + 16, 8);
	if (ofs + n > mf->n_bits)
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	for (unsigned i = n; i < 64; i++)	/* the value fits in n bits */
		if (v[7 - i / 8] & (1u << (i % 8)))
			return bad_action(OFPBAC13_BAD_ARGUMENT);
	a->load.field = mf->id;
	ofp_bits_copy(v, 8, 0, a->load.value.bytes, mf->n_bytes, ofs, n);
	ofp_bits_fill(a->load.mask.bytes, mf->n_bytes, ofs, n);
	return 0;
}

static ofperr dec_move(const uint8_t *p, const struct match *m,
		       struct ofpact *a)
{
	unsigned n = get16(p + 10), src_ofs = get16(p + 12), dst_ofs = get16(p + 14);
	const struct ofp_field *src, *dst;
	ofperr err;

	err = nx_field(get32(p + 16), false, m, &src);
	if (!err)
		err = nx_field(get32(p + 20), true, m, &dst);
	if (err)
		return err;
	if (!n || src_ofs + n > src->n_bits || dst_ofs + n > dst->n_bits)
		return bad_action(OFPBAC13_BAD_ARGUMENT);
	/* member by member: the action was zeroed, padding included, and
	 * ofpacts_equal() compares bytes */
	a->move.src.field = src->id;
	a->move.src.ofs = (uint8_t)src_ofs;
	a->move.src.n_bits = (uint8_t)n;
	a->move.dst.field = dst->id;
	a->move.dst.ofs = (uint8_t)dst_ofs;
	a->move.dst.n_bits = (uint8_t)n;
	return 0;
}

ofperr ofp13_decode_nx_reg(uint16_t subtype, const uint8_t *p, size_t len,
			   const struct match *m, struct ofpacts *acts)
{
	struct ofpact *a;
	ofperr err;

	if (len != NX_REG_LEN)
		return bad_action(OFPBAC13_BAD_LEN);
	a = ofpacts_push(acts, subtype == NXAST13_REG_LOAD ? OFPACT_LOAD
							   : OFPACT_MOVE);
	if (!a)
		return bad_action(OFPBAC13_TOO_MANY);
	err = subtype == NXAST13_REG_LOAD ? dec_load(p, m, a) : dec_move(p, m, a);
	if (err)
		acts->n--;
	return err;
}

bool ofp13_is_nx_reg(uint16_t subtype)
{
	return subtype == NXAST13_REG_LOAD || subtype == NXAST13_REG_MOVE;
}

static void put_nx_header(struct ofpbuf *b, uint16_t subtype)
{
	uint8_t h[10] = { 0xff, 0xff, 0, NX_REG_LEN, 0, 0, 0x23, 0x20 };

	h[8] = (uint8_t)(subtype >> 8);
	h[9] = (uint8_t)subtype;
	ofpbuf_put(b, h, sizeof(h));
}

static void put16(struct ofpbuf *b, uint16_t v)
{
	uint16_t n = htons(v);

	ofpbuf_put(b, &n, 2);
}

static void put32(struct ofpbuf *b, uint32_t v)
{
	uint32_t n = htonl(v);

	ofpbuf_put(b, &n, 4);
}

/* One REG_LOAD: bits [ofs, ofs + n) of the load's field, n <= 64. */
static void put_load(struct ofpbuf *b, const struct ofpact *a,
		     const struct ofp_field *mf, unsigned ofs, unsigned n)
{
	uint8_t v[8] = { 0 };

	ofp_bits_copy(a->load.value.bytes, mf->n_bytes, ofs, v, 8, 0, n);
	put_nx_header(b, NXAST13_REG_LOAD);
	put16(b, (uint16_t)(ofs << 6 | (n - 1)));
	put32(b, ofp_nxm_header(mf->id));
	ofpbuf_put(b, v, 8);
}

static bool mask_bit(const struct ofpact *a, const struct ofp_field *mf,
		     unsigned i)
{
	return a->load.mask.bytes[mf->n_bytes - 1 - i / 8] & (1u << (i % 8));
}

void ofp13_encode_nx_load(struct ofpbuf *b, const struct ofpact *a)
{
	const struct ofp_field *mf = ofp_field_from_id(a->load.field);
	unsigned i = 0, j;

	while (i < mf->n_bits) {
		if (!mask_bit(a, mf, i)) {
			i++;
			continue;
		}
		for (j = i; j < mf->n_bits && j - i < 64 && mask_bit(a, mf, j); j++)
			;
		put_load(b, a, mf, i, j - i);
		i = j;
	}
}

void ofp13_encode_nx_move(struct ofpbuf *b, const struct ofpact *a)
{
	put_nx_header(b, NXAST13_REG_MOVE);
	put16(b, a->move.src.n_bits);
	put16(b, a->move.src.ofs);
	put16(b, a->move.dst.ofs);
	put32(b, ofp_nxm_header(a->move.src.field));
	put32(b, ofp_nxm_header(a->move.dst.field));
}

ofperr ofp13_decode_write_metadata(const uint8_t *p, size_t len,
				   struct ofpacts *acts)
{
	struct ofpact *a;

	if (len != 24)
		return OFPERR(OFPET13_BAD_INSTRUCTION, OFPBIC13_BAD_LEN);
	a = ofpacts_push(acts, OFPACT_WRITE_METADATA);
	if (!a)
		return bad_action(OFPBAC13_TOO_MANY);
	memcpy(&a->metadata.value, p + 8, 8);
	memcpy(&a->metadata.mask, p + 16, 8);
	a->metadata.value &= a->metadata.mask;
	return 0;
}

void ofp13_encode_write_metadata(struct ofpbuf *b, const struct ofpact *a)
{
	uint8_t pad[4] = { 0 };

	put16(b, OFPIT13_WRITE_METADATA);
	put16(b, 24);
	ofpbuf_put(b, pad, 4);
	ofpbuf_put(b, &a->metadata.value, 8);
	ofpbuf_put(b, &a->metadata.mask, 8);
}
