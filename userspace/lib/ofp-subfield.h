/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sub-fields (ovs-ofctl's "NXM_NX_REG0[0..15]", "reg0[3]", "metadata[]")
 * and the Nicira actions built on them: load, move and write_metadata.
 *
 * Bit N of a field is bit N counted from its least significant end; a
 * field's value is its n_bytes in network order (lib/ofp-field.h), of
 * which the low n_bits exist. A field has a sub-field syntax when it has
 * an NXM/OXM name here and its own bytes in struct flow (not dl_vlan,
 * nw_tos... which are parts of another field).
 */
#ifndef VSW_LIB_OFP_SUBFIELD_H
#define VSW_LIB_OFP_SUBFIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-field.h"

struct ofpact;
struct strbuf;

struct ofp_subfield {
	enum ofp_field_id field;
	uint8_t ofs;			/* first bit */
	uint8_t n_bits;			/* 1.. */
};

/* The NXM/OXM name ("NXM_NX_REG0", "OXM_OF_METADATA"...) of @id, or NULL
 * when the field has no sub-field syntax. */
const char *ofp_nxm_name(enum ofp_field_id id);
/* The NXM/OXM header (class << 16 | field << 9 | length) ovs-ofctl puts
 * in NXAST_REG_MOVE/REG_LOAD for @id; 0 when it has none. */
uint32_t ofp_nxm_header(enum ofp_field_id id);
/* The field an NXM/OXM header (its mask bit and length ignored) names,
 * or NULL. */
const struct ofp_field *ofp_field_by_nxm_header(uint32_t header);

/* Parses "NAME[a..b]", "NAME[a]", "NAME[]" or "NAME" (the whole field),
 * NAME an NXM/OXM name or a field name (reg0, metadata, xreg1...).
 * Returns 0, or -1 with @err naming what is wrong. */
int ofp_subfield_parse(const char *s, struct ofp_subfield *sf, char *err,
		       size_t errlen);
void ofp_subfield_format(struct strbuf *, const struct ofp_subfield *);

/* Copies @n_bits bits from bit @src_ofs of @src (@src_len bytes) to bit
 * @dst_ofs of @dst (@dst_len bytes); both network order. */
void ofp_bits_copy(const uint8_t *src, unsigned src_len, unsigned src_ofs,
		   uint8_t *dst, unsigned dst_len, unsigned dst_ofs,
		   unsigned n_bits);
/* Sets @n_bits bits from @ofs in @p (@len bytes) to 1. */
void ofp_bits_fill(uint8_t *p, unsigned len, unsigned ofs, unsigned n_bits);

/* The action parsers: "VALUE->DST" (load), "SRC->DST" (move),
 * "VALUE[/MASK]" (write_metadata). Each fills @a (already zeroed and
 * typed) or returns -1 with @err set. */
int ofpact_load_parse(const char *s, struct ofpact *a, char *err, size_t errlen);
int ofpact_move_parse(const char *s, struct ofpact *a, char *err, size_t errlen);
int ofpact_write_metadata_parse(const char *s, struct ofpact *a, char *err,
				size_t errlen);
/* Masked set_field:V/M->F, a load of the mask's bits. */
int ofpact_set_field_masked(const struct ofp_field *mf, const char *name,
			    const char *s, struct ofpact *a, char *err,
			    size_t errlen);
void ofpact_load_format(struct strbuf *, const struct ofpact *);
void ofpact_move_format(struct strbuf *, const struct ofpact *);
void ofpact_write_metadata_format(struct strbuf *, const struct ofpact *);

#endif /* VSW_LIB_OFP_SUBFIELD_H */
