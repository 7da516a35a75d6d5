// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnel ports in translation. Every tunnel port of one type and UDP port
 * shares one kernel device (a flow-based vxlan, geneve or gretap device),
 * attached to the datapath under a port number of its own (the xlate
 * port's odp_port). So:
 * - a packet arriving on that datapath port belongs to the tunnel port
 *   whose remote and key match its metadata; that OpenFlow port becomes
 *   the flow's in_port, and the megaflow matches the metadata it took
 *   (tun_src and tun_id, exactly). No match: dropped.
 * - output to a tunnel port is SET_TUNNEL (the port's fixed remote, key,
 *   tos, ttl, flags, or the flow's tun_dst/tun_id for remote_ip=flow /
 *   key=flow; the local address, tos and ttl an action set where the
 *   port gives none) then OUTPUT to the device's datapath port.
 */
#include <arpa/inet.h>
#include <string.h>

#include "xlate-private.h"

static bool ipv6_zero(const struct in6_addr *a)
{
	static const struct in6_addr zero;

	return !memcmp(a, &zero, sizeof(*a));
}

/* How well @p takes a packet with tunnel metadata @t: 0 not at all, else
 * higher for a more specific port (fixed remote beats remote_ip=flow,
 * fixed key beats key=flow), as Open vSwitch ranks them. */
static int rank(const struct xlate_port *p, const struct flow_tnl *t)
{
	const struct tnl_port_cfg *c = &p->tnl;
	int r = 1;

	if (!c->remote_flow) {
		if (c->ipv6 ? memcmp(&c->out.ipv6_dst, &t->ipv6_src, 16) :
			      c->out.ipv4_dst != t->ipv4_src)
			return 0;
		r += 2;
	}
	if (!c->key_flow) {
		if (c->out.tun_id != t->tun_id)
			return 0;
		r += 1;
	}
	return r;
}

uint32_t xlate_tnl_in(struct xctx *ctx, struct flow *orig, bool *none)
{
	const struct xlate_port *best = NULL;
	uint32_t dev = orig->in_port;
	int best_rank = 0;
	bool is_dev = false;
	struct flow m;

	*none = false;
	for (size_t i = 0; i < ctx->br->n_ports; i++) {
		const struct xlate_port *p = &ctx->br->ports[i];
		int r;

		if (!p->tnl.type || p->odp_port != dev)
			continue;
		is_dev = true;
		r = rank(p, &orig->tunnel);
		if (r > best_rank) {
			best_rank = r;
			best = p;
		}
	}
	if (!is_dev)
		return 0;
	memset(&m, 0, sizeof(m));
	m.tunnel.tun_id = ~0ull;
	if (ipv6_zero(&orig->tunnel.ipv6_src))
		m.tunnel.ipv4_src = ~0u;
	else
		memset(&m.tunnel.ipv6_src, 0xff, sizeof(m.tunnel.ipv6_src));
	xlate_wc(ctx, &m, "tunnel port lookup (remote and key)");
	if (!best) {
		*none = true;
		if (ctx->tr)
			trace_add(ctx->tr, TRACE_WARN, "no tunnel port takes "
				  "this remote and key: dropped");
		return dev;
	}
	orig->in_port = best->port_no;
	ctx->flow.in_port = ctx->base.in_port = best->port_no;
	if (ctx->tr)
		trace_add(ctx->tr, TRACE_DETAIL, "tunnel port %s (datapath "
			  "port %u)", best->name, dev);
	return dev;
}

/* The metadata @p sends the packet with; false when it has no remote. */
static bool tnl_out(struct xctx *ctx, const struct xlate_port *p,
		    struct flow_tnl *t)
{
	const struct tnl_port_cfg *c = &p->tnl;
	struct flow m;

	const struct flow_tnl *now = &ctx->flow.tunnel, *in = &ctx->orig->tunnel;

	*t = c->out;
	memset(&m, 0, sizeof(m));
	/* the packet's own value matters unless an action replaced it */
	if (c->remote_flow) {
		t->ipv4_dst = now->ipv4_dst;
		t->ipv6_dst = now->ipv6_dst;
		if (now->ipv4_dst == in->ipv4_dst)
			m.tunnel.ipv4_dst = ~0u;
		if (!memcmp(&now->ipv6_dst, &in->ipv6_dst, 16))
			memset(&m.tunnel.ipv6_dst, 0xff, 16);
	}
	if (c->key_flow) {
		t->tun_id = now->tun_id;
		if (now->tun_id == in->tun_id)
			m.tunnel.tun_id = ~0ull;
	}
	if (c->remote_flow || c->key_flow)
		xlate_wc(ctx, &m, "output to a tunnel port (remote_ip or key=flow)");
	/* what an action set, where the port has no option of its own */
	if ((ctx->tun_set & XTUN_SRC) && !t->ipv4_src && ipv6_zero(&t->ipv6_src)) {
		if (ipv6_zero(&t->ipv6_dst))
			t->ipv4_src = now->ipv4_src;
		else
			t->ipv6_src = now->ipv6_src;
	}
	if ((ctx->tun_set & XTUN_TOS) && !t->tos)
		t->tos = now->tos;
	if ((ctx->tun_set & XTUN_TTL) && !t->ttl)
		t->ttl = now->ttl;
	if (t->tun_id || c->key_flow)
		t->flags |= VSW_TUNNEL_F_KEY;
	return t->ipv4_dst || !ipv6_zero(&t->ipv6_dst);
}

void xlate_tnl_output(struct xctx *ctx, const struct xlate_port *p)
{
	struct odp_action *a;
	struct flow_tnl t;

	if (!tnl_out(ctx, p, &t)) {
		if (ctx->tr)
			trace_add(ctx->tr, TRACE_WARN, "tunnel port %s: no "
				  "remote (remote_ip=flow and tun_dst not set)",
				  p->name);
		return;
	}
	xlate_commit(ctx);
	a = xlate_odp_put(ctx, VSW_ACTION_ATTR_SET_TUNNEL);
	if (!a)
		return;
	a->u.tun = t;
	a = xlate_odp_put(ctx, VSW_ACTION_ATTR_OUTPUT);
	if (a)
		a->u.port = p->odp_port;
}
