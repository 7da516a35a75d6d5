// SPDX-License-Identifier: GPL-2.0
/*
 * Translation of ct(...) and ct_clear.
 *
 * ct(commit,zone=Z,exec(set_field:M->ct_mark)) becomes the datapath's CT
 * action, after the pending set actions (conntrack must see the packet as
 * rewritten so far). With table=N it forks, as in Open vSwitch: the
 * datapath recirculates the tracked packet with recirc_id N + 1, whose
 * misses xlate_flow() translates from table N; the instance that goes on
 * with the rest of the actions is untracked again (a CT_CLEAR before its
 * next datapath action, and no connection fields in later matches).
 * A non-IP packet is not shown to conntrack (the datapath refuses CT
 * for it): ct(table=N) still recirculates it, with its fields unchanged.
 */
#include <arpa/inet.h>
#include <string.h>
#include "xlate-private.h"

uint8_t xlate_ct_resume_table(const struct flow *flow)
{
	return flow->recirc_id ? (uint8_t)(flow->recirc_id - 1) : 0;
}

void xlate_clear_ct_fields(struct flow *f)
{
	f->ct_state = 0;
	f->ct_zone = 0;
	f->ct_mark = 0;
	memset(f->ct_label, 0, sizeof(f->ct_label));
	memset(&f->ct_orig, 0, sizeof(f->ct_orig));
}

/* The zone: ct(zone=N), or 16 bits of a field read now (the datapath
 * action gets the constant); a header field's bits are then consulted. */
static uint16_t ct_zone(struct xctx *ctx, const struct ofpact *a)
{
	const struct ofp_subfield *sf = &a->ct.zone_src;
	const struct ofp_field *mf = ofp_field_from_id(sf->field);
	uint8_t z[2] = { 0 };
	struct flow wc;

	if (!a->ct.zone_from_field)
		return a->ct.zone;
	if (!ofp_field_is_pipeline(mf->id)) {
		memset(&wc, 0, sizeof(wc));
		ofp_bits_fill(ofp_field_data(mf, &wc), mf->n_bytes, sf->ofs,
			      sf->n_bits);
		xlate_wc(ctx, &wc, "ct zone source");
	}
	ofp_bits_copy(ofp_field_data(mf, &ctx->flow), mf->n_bytes, sf->ofs,
		      z, 2, 0, 16);
	return (uint16_t)(z[0] << 8 | z[1]);
}

/* For the trace: the packet as the pass ct(table=N) sends it to finds
 * it, before conntrack's answer (trace-ct.c adds that). */
static void trace_ct_freeze(struct xctx *ctx, const struct ofpact *a,
			    uint16_t zone, bool ip)
{
	struct flow f = ctx->flow;

	f.recirc_id = a->ct.table + 1u;
	if (ip) {
		f.ct_zone = htons(zone);
		if (a->ct.commit && a->ct.has_mark)
			f.ct_mark = htonl((ntohl(f.ct_mark) & ~a->ct.mark_mask) |
					  (a->ct.mark & a->ct.mark_mask));
		for (unsigned i = 0; a->ct.commit && a->ct.has_label && i < 16; i++)
			f.ct_label[i] = (f.ct_label[i] & ~a->ct.label_mask[i]) |
					(a->ct.label[i] & a->ct.label_mask[i]);
	}
	trace_freeze(ctx->tr, ctx->br->name, &f, ip);
}

/* The recirculated pass starts from recirc_id alone (table + 1): it
 * cannot carry registers or metadata, so a ct(table=N) that would have to
 * drop non-zero ones is a translation error rather than a silent loss. */
static bool pipeline_state_clear(struct xctx *ctx, const struct ofpact *a)
{
	static const uint32_t zero[FLOW_N_REGS];

	if (!memcmp(ctx->flow.regs, zero, sizeof(zero)) && !ctx->flow.metadata)
		return true;
	xlate_error(ctx, XLATE_UNSUPPORTED, "ct(table=%u) with non-zero "
		    "registers or metadata: vswitch does not carry them into "
		    "the recirculated pass", a->ct.table);
	return false;
}

void xlate_ct(struct xctx *ctx, const struct ofpact *a)
{
	uint16_t type = ntohs(ctx->flow.eth_type);
	bool ip = type == ETH_TYPE_IP || type == ETH_TYPE_IPV6;
	struct odp_action *o;
	uint16_t zone;

	if (a->ct.has_table && !pipeline_state_clear(ctx, a))
		return;
	zone = ct_zone(ctx, a);
	if (!ip) {
		if (ctx->tr)
			trace_line(ctx->tr, "not an IP packet: not tracked");
	} else {
		xlate_commit(ctx);
		o = xlate_odp_put(ctx, VSW_ACTION_ATTR_CT);
		if (o) {
			o->u.ct.zone = zone;
			o->u.ct.commit = a->ct.commit;
			o->u.ct.force = a->ct.force;
			o->u.ct.has_mark = a->ct.has_mark;
			o->u.ct.mark = a->ct.mark;
			o->u.ct.mark_mask = a->ct.has_mark ? a->ct.mark_mask : 0;
			o->u.ct.nat = a->ct.nat;
			o->u.ct.has_label = a->ct.has_label;
			memcpy(o->u.ct.label, a->ct.label, 16);
			memcpy(o->u.ct.label_mask, a->ct.label_mask, 16);
		}
	}
	if (!a->ct.has_table)
		return;
	xlate_commit(ctx);
	o = xlate_odp_put(ctx, VSW_ACTION_ATTR_RECIRC);
	if (o)
		o->u.port = a->ct.table + 1u;
	if (ctx->tr) {
		trace_line(ctx->tr, "recirculate (recirc_id=%#x) to table %u",
			   a->ct.table + 1u, a->ct.table);
		trace_ct_freeze(ctx, a, zone, ip);
	}
	if (ip)
		ctx->ct_clear_pending = true;
	xlate_clear_ct_fields(&ctx->flow);
	xlate_clear_ct_fields(&ctx->base);
}

void xlate_ct_clear(struct xctx *ctx)
{
	ctx->ct_clear_pending = false;
	xlate_odp_put(ctx, VSW_ACTION_ATTR_CT_CLEAR);
	xlate_clear_ct_fields(&ctx->flow);
	xlate_clear_ct_fields(&ctx->base);
}
