// SPDX-License-Identifier: GPL-2.0
/*
 * NORMAL: a VLAN-aware learning L2 switch per bridge. It consults in_port,
 * the VLAN (VID and tag presence), dl_src (learning) and dl_dst, so those
 * are un-wildcarded; the MAC table itself is outside the megaflow, which is
 * why xlate_out.consulted_macs tells the daemon to revalidate on changes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "xlate-private.h"

static bool port_carries(const struct xlate_port *p, uint16_t vlan)
{
	switch (p->mode) {
	case XVLAN_ACCESS:
		return p->tag == vlan;
	case XVLAN_TRUNK:
		for (size_t i = 0; i < p->n_trunks; i++)
			if (p->trunks[i] == vlan)
				return true;
		return false;
	case XVLAN_TRUNK_ALL:
		return true;
	}
	return false;
}

/* The VLAN the frame belongs to, or -1 (dropped, reason traced). */
static int input_vlan(struct xctx *ctx, const struct xlate_port *in)
{
	uint16_t tci = ntohs(ctx->flow.vlan_tci);
	uint16_t vid = tci & VSW_VLAN_PRESENT ? tci & VSW_VLAN_VID_MASK : 0;

	if (in->mode == XVLAN_ACCESS) {
		if (vid) {
			if (ctx->tr)
				trace_add(ctx->tr, TRACE_WARN, "dropping VLAN %u tagged "
					  "packet received on port %s configured as "
					  "VLAN %u access port", vid, in->name, in->tag);
			return -1;
		}
		return in->tag;
	}
	if (!port_carries(in, vid)) {
		if (ctx->tr)
			trace_add(ctx->tr, TRACE_WARN, "dropping VLAN %u packet "
				  "received on port %s not configured for trunking "
				  "VLAN %u", vid, in->name, vid);
		return -1;
	}
	return vid;
}

static void output_normal(struct xctx *ctx, const struct xlate_port *p,
			  uint16_t vlan)
{
	uint16_t cur = ntohs(ctx->flow.vlan_tci), want = 0;

	if (p->mode != XVLAN_ACCESS && vlan) {
		want = vlan | VSW_VLAN_PRESENT;
		if (cur & VSW_VLAN_PRESENT)
			want |= cur & VSW_VLAN_PCP_MASK;
	}
	if (want != cur)
		xlate_set_tci(ctx, want, "NORMAL (VLAN translation)");
	xlate_output_raw(ctx, p);
	if (want != cur)
		ctx->flow.vlan_tci = htons(cur);
}

static void learn(struct xctx *ctx, const struct xlate_port *in, uint16_t vlan)
{
	const uint8_t *src = ctx->flow.eth_src;

	if (!ctx->may_learn || !ctx->br->macs || (src[0] & 1))
		return;
	if (mac_table_learn(ctx->br->macs, src, vlan, in->port_no,
			    vsw_time_msec())) {
		ctx->out->learned = true;
		if (ctx->tr)
			trace_add(ctx->tr, TRACE_DETAIL, "learned that "
				  "%02x:%02x:%02x:%02x:%02x:%02x is on port %s in "
				  "VLAN %u", src[0], src[1], src[2], src[3], src[4],
				  src[5], in->name, vlan);
	}
}

static void flood_vlan(struct xctx *ctx, const struct xlate_port *in,
		       uint16_t vlan)
{
	for (size_t i = 0; i < ctx->br->n_ports && !ctx->exit; i++) {
		const struct xlate_port *p = &ctx->br->ports[i];

		if (p == in || !p->present || !port_carries(p, vlan))
			continue;
		output_normal(ctx, p, vlan);
	}
}

void xlate_normal(struct xctx *ctx)
{
	static const struct flow none;
	struct flow m = none;
	const struct xlate_port *in, *out;
	uint32_t port;
	int vlan;

	memset(m.eth_src, 0xff, 6);
	memset(m.eth_dst, 0xff, 6);
	/* An untagged frame's VLAN is all in the present bit (its TCI is 0). */
	m.vlan_tci = htons(VSW_VLAN_PRESENT);
	if (ctx->flow.vlan_tci & htons(VSW_VLAN_PRESENT))
		m.vlan_tci |= htons(VSW_VLAN_VID_MASK);
	xlate_wc(ctx, &m, "NORMAL (learning switch: VLAN, dl_src, dl_dst)");
	in = xlate_find_port(ctx->br, ctx->flow.in_port);
	if (!in || !in->present) {
		if (ctx->tr)
			trace_add(ctx->tr, TRACE_DETAIL, "no input bundle, dropping");
		return;
	}
	vlan = input_vlan(ctx, in);
	if (vlan < 0)
		return;
	learn(ctx, in, (uint16_t)vlan);
	ctx->out->consulted_macs = true;
	if (!(ctx->flow.eth_dst[0] & 1) && ctx->br->macs &&
	    !mac_table_lookup(ctx->br->macs, ctx->flow.eth_dst, (uint16_t)vlan,
			      vsw_time_msec(), &port)) {
		out = xlate_find_port(ctx->br, port);
		if (port == in->port_no) {
			if (ctx->tr)
				trace_add(ctx->tr, TRACE_DETAIL,
					  "learned port is input port, dropping");
			return;
		}
		if (out && out->present && port_carries(out, (uint16_t)vlan)) {
			if (ctx->tr)
				trace_add(ctx->tr, TRACE_DETAIL,
					  "forwarding to learned port");
			output_normal(ctx, out, (uint16_t)vlan);
			return;
		}
	}
	if (ctx->tr)
		trace_add(ctx->tr, TRACE_DETAIL,
			  "no learned MAC for destination, flooding");
	flood_vlan(ctx, in, (uint16_t)vlan);
}
