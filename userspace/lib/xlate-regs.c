// SPDX-License-Identifier: GPL-2.0
/*
 * Translation of load, move and write_metadata.
 *
 * Registers and metadata live in ctx->flow only: a later lookup
 * (goto_table, resubmit) matches what these actions left there, and
 * finish_wc() keeps them out of the megaflow's mask. What a register
 * holds is always derived from packet bits that are themselves in the
 * mask: a move from a header field un-wildcards the bits it reads, and
 * a partial write to a header field the bits it keeps (the datapath's set
 * action writes the whole field).
 */
#include <string.h>
#include "xlate-private.h"

/* Writes @v's bits under @mask into field @mf of ctx->flow. */
static void write_masked(struct xctx *ctx, const struct ofp_field *mf,
			 const union ofp_field_value *v,
			 const union ofp_field_value *mask, const char *who)
{
	uint8_t *cur = ofp_field_data(mf, &ctx->flow);
	union ofp_field_value nv, keep;
	bool partial = false;
	struct flow wc;

	memset(&nv, 0, sizeof(nv));
	memset(&keep, 0, sizeof(keep));
	for (unsigned i = 0; i < mf->n_bytes; i++) {
		nv.bytes[i] = (cur[i] & ~mask->bytes[i]) | (v->bytes[i] & mask->bytes[i]);
		keep.bytes[i] = ~mask->bytes[i];
		partial |= keep.bytes[i] != 0;
	}
	if (ofp_field_is_pipeline(mf->id)) {
		memcpy(cur, nv.bytes, mf->n_bytes);
		return;
	}
	if (partial) {		/* the kept bits reach the datapath too */
		memset(&wc, 0, sizeof(wc));
		memcpy(ofp_field_data(mf, &wc), keep.bytes, mf->n_bytes);
		xlate_wc(ctx, &wc, who);
	}
	xlate_set_packet_field(ctx, mf, &nv);
}

static void do_move(struct xctx *ctx, const struct ofpact *a)
{
	const struct ofp_field *src = ofp_field_from_id(a->move.src.field);
	const struct ofp_field *dst = ofp_field_from_id(a->move.dst.field);
	union ofp_field_value v, mask;
	struct flow wc;

	if (!ofp_field_is_pipeline(src->id)) {	/* the bits read decide */
		memset(&wc, 0, sizeof(wc));
		ofp_bits_fill(ofp_field_data(src, &wc), src->n_bytes,
			      a->move.src.ofs, a->move.src.n_bits);
		xlate_wc(ctx, &wc, "move source");
	}
	memset(&v, 0, sizeof(v));
	memset(&mask, 0, sizeof(mask));
	ofp_bits_copy(ofp_field_data(src, &ctx->flow), src->n_bytes,
		      a->move.src.ofs, v.bytes, dst->n_bytes, a->move.dst.ofs,
		      a->move.src.n_bits);
	ofp_bits_fill(mask.bytes, dst->n_bytes, a->move.dst.ofs,
		      a->move.dst.n_bits);
	write_masked(ctx, dst, &v, &mask, "move destination (bits kept)");
}

void xlate_regs(struct xctx *ctx, const struct ofpact *a)
{
	const struct ofp_field *meta = ofp_field_from_id(MFF_METADATA);
	union ofp_field_value v, m;

	switch (a->type) {
	case OFPACT_LOAD:
		write_masked(ctx, ofp_field_from_id(a->load.field), &a->load.value,
			     &a->load.mask, "load destination (bits kept)");
		break;
	case OFPACT_MOVE:
		do_move(ctx, a);
		break;
	case OFPACT_WRITE_METADATA:
		memset(&v, 0, sizeof(v));
		memset(&m, 0, sizeof(m));
		v.be64 = a->metadata.value;
		m.be64 = a->metadata.mask;
		write_masked(ctx, meta, &v, &m, "write_metadata");
		break;
	default:
		break;
	}
}
