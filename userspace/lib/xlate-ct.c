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

/* For the trace: the packet as the pass ct(table=N) sends it to finds
 * it, before conntrack's answer (trace-ct.c adds that). */
static void trace_ct_freeze(struct xctx *ctx, const struct ofpact *a, bool ip)
{
	struct flow f = ctx->flow;

	f.recirc_id = a->ct.table + 1u;
	if (ip) {
		f.ct_zone = htons(a->ct.zone);
		if (a->ct.commit && a->ct.has_mark)
			f.ct_mark = htonl((ntohl(f.ct_mark) & ~a->ct.mark_mask) |
					  (a->ct.mark & a->ct.mark_mask));
		for (unsigned i = 0; a->ct.commit && a->ct.has_label && i < 16; i++)
			f.ct_label[i] = (f.ct_label[i] & ~a->ct.label_mask[i]) |
					(a->ct.label[i] & a->ct.label_mask[i]);
	}
	trace_freeze(ctx->tr, ctx->br->name, &f, ip);
}

void xlate_ct(struct xctx *ctx, const struct ofpact *a)
{
	uint16_t type = ntohs(ctx->flow.eth_type);
	bool ip = type == ETH_TYPE_IP || type == ETH_TYPE_IPV6;
	struct odp_action *o;

	if (!ip) {
		if (ctx->tr)
			trace_line(ctx->tr, "not an IP packet: not tracked");
	} else {
		xlate_commit(ctx);
		o = xlate_odp_put(ctx, VSW_ACTION_ATTR_CT);
		if (o) {
			o->u.ct.zone = a->ct.zone;
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
		trace_ct_freeze(ctx, a, ip);
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
