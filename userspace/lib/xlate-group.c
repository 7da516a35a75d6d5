// SPDX-License-Identifier: GPL-2.0
/*
 * The GROUP action in translation. Each bucket that runs gets the packet
 * as it was at the group action, and the actions after the group action
 * see it so too: a bucket's changes reach only its own outputs (as in
 * Open vSwitch). Which buckets run:
 *
 * - ALL: every bucket, in order; INDIRECT: its one bucket.
 * - SELECT: one live bucket of weight > 0, chosen by a hash of the
 *   packet's L2-L4 fields (Ethernet addresses and type, VLAN id, IP
 *   addresses and protocol, TCP/UDP/SCTP ports), each bucket getting a
 *   share of the hash space in proportion to its weight. Every hashed
 *   field becomes exact in the megaflow, so every packet the megaflow
 *   holds hashes alike.
 * - FAST_FAILOVER: the first bucket whose watch_port is live (present
 *   and link up); none live, nothing. Liveness is no packet field: the
 *   daemon revalidates every megaflow when a port's state changes.
 *
 * A bucket is live when it watches no port or its port is live (SELECT
 * honours liveness too). Each bucket run is recorded (xlate_out's
 * group_uses) so a group change marks exactly the megaflows that used it
 * and the group's counters can be credited.
 */
#include <stdlib.h>
#include <string.h>
#include "ofp-group.h"
#include "util.h"
#include "xlate-private.h"

static void record_use(struct xctx *ctx, uint32_t id, size_t bucket, bool first)
{
	struct xlate_out *o = ctx->out;

	if (ctx->br->pl != ctx->home_pl)	/* a peer bridge's group */
		return;
	if (o->n_group_uses == o->groups_cap) {
		size_t cap = o->groups_cap ? o->groups_cap * 2 : 4;
		uint64_t *n = realloc(o->group_uses, cap * sizeof(*n));

		if (!n)
			return;
		o->group_uses = n;
		o->groups_cap = cap;
	}
	o->group_uses[o->n_group_uses++] = XLATE_GROUP_USE(id, bucket, first);
}

/* Fields where @f and @base differ, as D_* bits. */
static unsigned flow_diff(const struct flow *f, const struct flow *base)
{
	unsigned d = 0;

	if (memcmp(f->eth_src, base->eth_src, 6))
		d |= D_ETH_SRC;
	if (memcmp(f->eth_dst, base->eth_dst, 6))
		d |= D_ETH_DST;
	if (f->ipv4_src != base->ipv4_src)
		d |= D_IP4_SRC;
	if (f->ipv4_dst != base->ipv4_dst)
		d |= D_IP4_DST;
	if (memcmp(&f->ipv6_src, &base->ipv6_src, 16))
		d |= D_IP6_SRC;
	if (memcmp(&f->ipv6_dst, &base->ipv6_dst, 16))
		d |= D_IP6_DST;
	if (f->ipv6_label != base->ipv6_label)
		d |= D_IP6_LABEL;
	if ((f->ip_tos ^ base->ip_tos) & 0xfc)
		d |= D_DSCP;
	if (f->ip_ttl != base->ip_ttl)
		d |= D_TTL;
	if (f->tp_src != base->tp_src)
		d |= D_TP_SRC;
	if (f->tp_dst != base->tp_dst)
		d |= D_TP_DST;
	return d;
}

static void run_bucket(struct xctx *ctx, const struct ofp_group *g, size_t i,
		       bool first)
{
	struct flow saved = ctx->flow;
	unsigned tun_set = ctx->tun_set;
	struct trace_node *prev = NULL;

	record_use(ctx, g->id, i, first);
	if (ctx->tr)
		prev = trace_enter(ctx->tr, trace_add(ctx->tr, TRACE_DETAIL,
				   "group %u (%s): bucket %zu", g->id,
				   ofp_group_type_name(g->type), i));
	ctx->depth++;
	xlate_actions(ctx, g->buckets[i].acts);
	ctx->depth--;
	ctx->stop_list = false;
	/* back to the packet as the group got it */
	ctx->flow = saved;
	ctx->tun_set = tun_set;
	ctx->dirty = flow_diff(&ctx->flow, &ctx->base) | (ctx->dirty & D_VLAN);
	if (ctx->tr)
		trace_leave(ctx->tr, prev);
}

static bool bucket_live(const struct xctx *ctx, const struct ofp_bucket *b)
{
	const struct xlate_port *p;

	if (b->watch_port == OFPP_NONE)
		return true;
	p = xlate_find_port(ctx->br, b->watch_port);
	return p && p->present && !p->down;
}

static uint64_t mac64(const uint8_t m[6])
{
	uint64_t v = 0;

	for (int i = 0; i < 6; i++)
		v = v << 8 | m[i];
	return v;
}

/* The hash SELECT chooses by; un-wildcards every field it reads. */
static uint64_t select_hash(struct xctx *ctx)
{
	const struct flow *f = &ctx->flow;
	uint16_t type = ntohs(f->eth_type);
	bool v4 = type == ETH_TYPE_IP, v6 = type == ETH_TYPE_IPV6;
	struct flow m;
	uint64_t h;

	memset(&m, 0, sizeof(m));
	memset(m.eth_src, 0xff, 6);
	memset(m.eth_dst, 0xff, 6);
	m.eth_type = 0xffff;
	m.vlan_tci = htons(VSW_VLAN_PRESENT | VSW_VLAN_VID_MASK);
	h = hash_mix(mac64(f->eth_src), mac64(f->eth_dst));
	h = hash_mix(h, (uint64_t)type << 16 |
		     (ntohs(f->vlan_tci) & (VSW_VLAN_PRESENT | VSW_VLAN_VID_MASK)));
	if (v4) {
		m.ipv4_src = m.ipv4_dst = 0xffffffff;
		h = hash_mix(h, (uint64_t)f->ipv4_src << 32 | f->ipv4_dst);
	} else if (v6) {
		uint64_t w[4];

		memset(&m.ipv6_src, 0xff, 16);
		memset(&m.ipv6_dst, 0xff, 16);
		memcpy(w, &f->ipv6_src, 16);
		memcpy(w + 2, &f->ipv6_dst, 16);
		for (int i = 0; i < 4; i++)
			h = hash_mix(h, w[i]);
	}
	if (v4 || v6) {
		m.ip_proto = 0xff;
		m.ip_frag = VSW_FRAG_LATER;
		h = hash_mix(h, f->ip_proto);
		if (!(f->ip_frag & VSW_FRAG_LATER) &&
		    (f->ip_proto == IPPROTO_TCP || f->ip_proto == IPPROTO_UDP ||
		     f->ip_proto == IPPROTO_SCTP)) {
			m.tp_src = m.tp_dst = 0xffff;
			h = hash_mix(h, (uint64_t)f->tp_src << 16 | f->tp_dst);
		}
	}
	xlate_wc(ctx, &m, "select group hash");
	return hash_mix(h, 0);
}

/* The live bucket of weight > 0 whose share of the hash space holds the
 * packet's hash, or -1 when there is none. */
static long select_bucket(struct xctx *ctx, const struct ofp_group *g)
{
	uint64_t total = 0, pick;

	for (size_t i = 0; i < g->n_buckets; i++)
		if (bucket_live(ctx, &g->buckets[i]))
			total += g->buckets[i].weight;
	if (!total)
		return -1;
	pick = select_hash(ctx) % total;
	for (size_t i = 0; i < g->n_buckets; i++) {
		const struct ofp_bucket *b = &g->buckets[i];

		if (!bucket_live(ctx, b))
			continue;
		if (pick < b->weight)
			return (long)i;
		pick -= b->weight;
	}
	return -1;
}

static long failover_bucket(const struct xctx *ctx, const struct ofp_group *g)
{
	for (size_t i = 0; i < g->n_buckets; i++)
		if (bucket_live(ctx, &g->buckets[i]))
			return (long)i;
	return -1;
}

void xlate_group(struct xctx *ctx, uint32_t id)
{
	const struct ofp_group *g = group_find(ctx->br->groups, id);
	long pick;

	if (!g) {	/* deleted since (its rules go with it) */
		if (ctx->tr)
			trace_add(ctx->tr, TRACE_WARN, "group %u does not exist", id);
		return;
	}
	if (!xlate_resource_check(ctx))
		return;
	switch (g->type) {
	case OFPGT_ALL:
		for (size_t i = 0; i < g->n_buckets && !ctx->exit; i++)
			run_bucket(ctx, g, i, !i);
		return;
	case OFPGT_INDIRECT:
		pick = g->n_buckets ? 0 : -1;
		break;
	case OFPGT_SELECT:
		pick = select_bucket(ctx, g);
		break;
	default:
		pick = failover_bucket(ctx, g);
		break;
	}
	if (pick >= 0)
		run_bucket(ctx, g, (size_t)pick, true);
	else if (ctx->tr)
		trace_add(ctx->tr, TRACE_WARN, "group %u (%s): no live bucket, "
			  "dropped", g->id, ofp_group_type_name(g->type));
}
