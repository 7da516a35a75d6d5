// SPDX-License-Identifier: GPL-2.0
/*
 * Patch ports: an output to one continues translation in the bridge at
 * its other end, as Open vSwitch does, where both ends share a datapath
 * (or there is none). Nothing reaches the datapath for the crossing
 * itself; the peer's outputs join the same action list and its lookups
 * widen the same megaflow. Between two kernel datapaths the output is an
 * OUTPUT to the kernel patch port and translation stops there: the peer
 * datapath caches its own half (patch_kernel_output()).
 *
 * What the peer bridge sees (Open vSwitch's choices): in_port is the
 * peer port; tunnel metadata and conntrack fields are cleared, since
 * they describe how the packet reached the first bridge. Everything an
 * action changed so far is kept. After the peer is done, the packet is
 * restored to what it was before the output, so later actions in the
 * first bridge see nothing of the peer's changes (the committed base
 * keeps what was emitted, so the next output rewrites what differs).
 */
#include <stdlib.h>
#include <string.h>
#include "trace.h"
#include "xlate-private.h"

/* What the first bridge gets back after the peer is done. */
struct patch_save {
	const struct xlate_bridge *br;
	struct flow flow;
	uint8_t table;
	const struct rule *rule;
	unsigned tun_set;
	bool stop_list;
};

#define DIFF(f, bit) (memcmp(&a->f, &b->f, sizeof(a->f)) ? (bit) : 0)

/* The set actions that would turn @b into @a (VLAN: xlate_commit()). */
static unsigned base_diff(const struct flow *a, const struct flow *b)
{
	return DIFF(eth_src, D_ETH_SRC) | DIFF(eth_dst, D_ETH_DST) |
	       DIFF(ipv4_src, D_IP4_SRC) | DIFF(ipv4_dst, D_IP4_DST) |
	       DIFF(ipv6_src, D_IP6_SRC) | DIFF(ipv6_dst, D_IP6_DST) |
	       DIFF(ipv6_label, D_IP6_LABEL) | DIFF(ip_ttl, D_TTL) |
	       ((a->ip_tos ^ b->ip_tos) & 0xfc ? D_DSCP : 0) |
	       DIFF(tp_src, D_TP_SRC) | DIFF(tp_dst, D_TP_DST);
}

static void patch_enter(struct xctx *ctx, struct patch_save *s,
			const struct xlate_bridge *peer, uint32_t peer_port)
{
	s->br = ctx->br;
	s->flow = ctx->flow;
	s->table = ctx->table;
	s->rule = ctx->rule;
	s->tun_set = ctx->tun_set;
	s->stop_list = ctx->stop_list;
	ctx->br = peer;
	ctx->flow.in_port = peer_port;
	memset(&ctx->flow.tunnel, 0, sizeof(ctx->flow.tunnel));
	xlate_clear_ct_fields(&ctx->flow);
	ctx->tun_set = 0;
	ctx->out->patched = true;
}

static void patch_leave(struct xctx *ctx, const struct patch_save *s)
{
	ctx->br = s->br;
	ctx->flow = s->flow;
	ctx->table = s->table;
	ctx->rule = s->rule;
	ctx->tun_set = s->tun_set;
	ctx->stop_list = s->stop_list;
	/* what the peer emitted stays on the packet: the next output here
	 * puts back whatever differs from the restored flow */
	ctx->dirty |= base_diff(&ctx->flow, &ctx->base);
}

/* A trace follows the packet into the peer's datapath: a translation of
 * its own, whose actions and megaflow are the peer datapath's and are
 * not the first one's, so only its trace lines are kept. The kernel drops
 * a packet after VSW_MAX_RECIRC crossings; the trace stops there too. */
static void patch_trace_peer(struct xctx *ctx, const struct xlate_bridge *peer,
			     uint32_t peer_port)
{
	struct xlate_bridge pb = *peer;
	char *why[TRACE_N_FIELDS];
	struct xlate_out out;
	struct flow f = ctx->flow;	/* as committed before the output */
	size_t i;

	if (ctx->patch_hops >= VSW_MAX_RECIRC) {
		trace_add(ctx->tr, TRACE_WARN, "the kernel drops a packet after "
			  "%d crossings (a loop of patch ports?)", VSW_MAX_RECIRC);
		return;
	}
	f.in_port = peer_port;
	f.recirc_id = 0;
	memset(&f.tunnel, 0, sizeof(f.tunnel));
	xlate_clear_ct_fields(&f);
	pb.patch_hops = ctx->patch_hops + 1;
	/* the reasons given for megaflow fields are the first datapath's */
	memcpy(why, ctx->tr->why, sizeof(why));
	xlate_flow(&pb, &f, false, &out, ctx->tr);
	xlate_out_uninit(&out);
	for (i = 0; i < TRACE_N_FIELDS; i++)
		if (ctx->tr->why[i] != why[i])
			free(ctx->tr->why[i]);
	memcpy(ctx->tr->why, why, sizeof(why));
}

/* The packet, as modified so far, to the kernel patch port: the kernel
 * hands it to the peer's datapath, where the peer bridge translates its
 * miss as for any port. */
static void patch_kernel_output(struct xctx *ctx, const struct xlate_port *p,
				const struct xlate_bridge *peer,
				uint32_t peer_port)
{
	struct trace_node *prev = NULL;
	struct odp_action *o;

	xlate_commit(ctx);
	o = xlate_odp_put(ctx, VSW_ACTION_ATTR_OUTPUT);
	if (o)
		o->u.port = p->port_no;
	if (!ctx->tr)
		return;
	prev = trace_enter(ctx->tr, trace_add(ctx->tr, TRACE_DETAIL,
		"patch port %s to bridge(\"%s\"), another kernel datapath: "
		"output to kernel patch port %u; there, in_port=%u",
		p->name, peer->name ? peer->name : "?", p->port_no, peer_port));
	if (peer->pl)
		patch_trace_peer(ctx, peer, peer_port);
	trace_leave(ctx->tr, prev);
}

void xlate_patch_output(struct xctx *ctx, const struct xlate_port *p)
{
	const struct xlate_bridge *br = ctx->br;
	const char *why = "patch ports are not available here";
	struct trace_node *prev = NULL;
	struct xlate_bridge peer;
	struct patch_save save;
	uint32_t peer_port = 0;
	int how = XPATCH_NONE;

	memset(&peer, 0, sizeof(peer));
	if (br->patch_peer)
		how = br->patch_peer(br, p, &peer, &peer_port, &why);
	if (how == XPATCH_KERNEL) {
		patch_kernel_output(ctx, p, &peer, peer_port);
		return;
	}
	if (how != XPATCH_CROSS) {
		if (ctx->tr)
			trace_add(ctx->tr, TRACE_WARN, "patch port %s: %s; dropped",
				  p->name, why);
		return;
	}
	if (ctx->tr)
		prev = trace_enter(ctx->tr, trace_add(ctx->tr, TRACE_DETAIL,
			"patch port %s to bridge(\"%s\"), in_port=%u",
			p->name, peer.name, peer_port));
	patch_enter(ctx, &save, &peer, peer_port);
	xlate_table(ctx, 0, OFPP_IN_PORT);
	patch_leave(ctx, &save);
	if (ctx->tr)
		trace_leave(ctx->tr, prev);
}
