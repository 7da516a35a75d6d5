// SPDX-License-Identifier: GPL-2.0
/*
 * Patch ports: an output to one continues translation in the bridge at
 * its other end, as Open vSwitch does. Nothing reaches the datapath for
 * the crossing itself; the peer's outputs join the same action list and
 * its lookups widen the same megaflow.
 *
 * What the peer bridge sees (Open vSwitch's choices): in_port is the
 * peer port; tunnel metadata and conntrack fields are cleared, since
 * they describe how the packet reached the first bridge. Everything an
 * action changed so far is kept. After the peer is done, the packet is
 * restored to what it was before the output, so later actions in the
 * first bridge see nothing of the peer's changes (the committed base
 * keeps what was emitted, so the next output rewrites what differs).
 */
#include <string.h>
#include "ofp-pin.h"
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
	ctx->flow.ct_state = 0;
	ctx->flow.ct_zone = 0;
	ctx->flow.ct_mark = 0;
	memset(ctx->flow.ct_label, 0, sizeof(ctx->flow.ct_label));
	memset(&ctx->flow.ct_orig, 0, sizeof(ctx->flow.ct_orig));
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

/* The packet, as modified so far, to userspace, which translates it on
 * in the peer's datapath (ofp-pin.h). */
static void patch_relay(struct xctx *ctx, const struct xlate_port *p,
			const struct xlate_bridge *peer)
{
	struct odp_action *o;

	if (ctx->tr)
		trace_add(ctx->tr, TRACE_DETAIL, "patch port %s to bridge(\"%s\"), "
			  "another kernel datapath: relayed through userspace",
			  p->name, peer->name ? peer->name : "?");
	ctx->out->patched = true;
	xlate_commit(ctx);
	o = xlate_odp_put(ctx, VSW_ACTION_ATTR_USERSPACE);
	if (o)
		o->u.cookie = ofp_pin_patch_cookie(p->port_no,
						   ctx->relay_hops + 1);
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
	if (how == XPATCH_RELAY) {
		patch_relay(ctx, p, &peer);
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
