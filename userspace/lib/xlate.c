// SPDX-License-Identifier: GPL-2.0
/*
 * Translation of a flow through the pipeline into datapath actions and a
 * megaflow. Bits are un-wildcarded only where a decision read them: the
 * classifier's lookups, NORMAL, and the prerequisites of set actions.
 * Set actions write constants, so they un-wildcard nothing of the field
 * they write; they are committed (emitted) only before an output.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-print.h"
#include "ofp-pin.h"
#include "ofp13.h"
#include "xlate-private.h"

static void log_stderr(const char *msg)
{
	fprintf(stderr, "vswitch: %s\n", msg);
}

void (*xlate_log)(const char *msg) = log_stderr;

const char *xlate_strerror(int error)
{
	switch (error) {
	case XLATE_OK: return "Success";
	case XLATE_RECURSION_TOO_DEEP: return "Recursion too deep";
	case XLATE_TOO_MANY_RESUBMITS: return "Too many resubmits";
	case XLATE_TOO_MANY_ACTIONS: return "Too many datapath actions";
	case XLATE_BAD_RECIRC: return "Unknown recirculation id";
	case XLATE_UNSUPPORTED: return "Unsupported by vswitch";
	}
	return "Unknown error";
}

void xlate_error(struct xctx *ctx, int error, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (ctx->tr)
		trace_add(ctx->tr, TRACE_ERROR, "%s", strbuf_str(&sb));
	if (xlate_log) {
		char *f = ofp_format_flow(ctx->orig);

		strbuf_printf(&sb, " on bridge %s while processing %s",
			      ctx->br->name, f ? f : "?");
		free(f);
		xlate_log(strbuf_str(&sb));
	}
	strbuf_free(&sb);
	ctx->out->error = error;
	ctx->exit = true;
}

void xlate_wc(struct xctx *ctx, const struct flow *add, const char *who)
{
	uint64_t *w = (uint64_t *)ctx->wc;
	const uint64_t *a = (const uint64_t *)add;
	struct flow before;

	if (ctx->tr)
		before = *ctx->wc;
	for (unsigned i = 0; i < FLOW_WORDS; i++)
		w[i] |= a[i];
	if (ctx->tr)
		trace_note_wc(ctx->tr, &before, ctx->wc, who);
}

static void xlate_wc_vlan(struct xctx *ctx, uint16_t host_mask, const char *who)
{
	struct flow m;

	memset(&m, 0, sizeof(m));
	m.vlan_tci = htons(host_mask);
	xlate_wc(ctx, &m, who);
}

static void wc_eth_type(struct xctx *ctx, const char *who)
{
	struct flow m;

	memset(&m, 0, sizeof(m));
	m.eth_type = 0xffff;
	xlate_wc(ctx, &m, who);
}

const struct xlate_port *xlate_find_port(const struct xlate_bridge *br,
					 uint32_t port)
{
	for (size_t i = 0; i < br->n_ports; i++)
		if (br->ports[i].port_no == port)
			return &br->ports[i];
	return NULL;
}

struct odp_action *xlate_odp_put(struct xctx *ctx, uint16_t type)
{
	struct odp_actions *a = &ctx->out->actions;

	if (ctx->exit)
		return NULL;
	if (a->n >= VSW_MAX_ACTIONS) {
		xlate_error(ctx, XLATE_TOO_MANY_ACTIONS,
			    "more than %d datapath actions", VSW_MAX_ACTIONS);
		return NULL;
	}
	memset(&a->a[a->n], 0, sizeof(a->a[0]));
	a->a[a->n].type = type;
	return &a->a[a->n++];
}

static void put_mac(struct xctx *ctx, uint16_t type, const uint8_t *mac)
{
	struct odp_action *a = xlate_odp_put(ctx, type);

	if (a)
		memcpy(a->u.mac, mac, 6);
}

static void put_be32(struct xctx *ctx, uint16_t type, uint32_t v)
{
	struct odp_action *a = xlate_odp_put(ctx, type);

	if (a)
		a->u.be32 = v;
}

static void put_be16(struct xctx *ctx, uint16_t type, uint16_t v)
{
	struct odp_action *a = xlate_odp_put(ctx, type);

	if (a)
		a->u.be16 = v;
}

static void put_u8(struct xctx *ctx, uint16_t type, uint8_t v)
{
	struct odp_action *a = xlate_odp_put(ctx, type);

	if (a)
		a->u.u8 = v;
}

static void put_ip6(struct xctx *ctx, uint16_t type, const struct in6_addr *v)
{
	struct odp_action *a = xlate_odp_put(ctx, type);

	if (a)
		a->u.ip6 = *v;
}

/* Emits the pending changes in Open vSwitch's order: Ethernet, IP, L4,
 * then VLAN. */
/* Open vSwitch treats an IP packet with protocol 0 as having no L3 header
 * to rewrite, and so reads nw_proto before committing L3 changes; we do
 * the same so traces and megaflows agree with it. */
static unsigned l3_commit_filter(struct xctx *ctx, unsigned d)
{
	const unsigned l3 = D_IP4_SRC | D_IP4_DST | D_IP6_SRC | D_IP6_DST |
			    D_IP6_LABEL | D_DSCP | D_TTL;
	struct flow m;

	if (!(d & l3))
		return d;
	memset(&m, 0, sizeof(m));
	m.ip_proto = 0xff;
	xlate_wc(ctx, &m, "L3 set action (OVS skips protocol 0)");
	return ctx->flow.ip_proto ? d : d & ~l3;
}

void xlate_commit(struct xctx *ctx)
{
	const struct flow *f = &ctx->flow;
	unsigned d = l3_commit_filter(ctx, ctx->dirty);

	if (ctx->ct_clear_pending) {
		/* a ct(table=N) forked: this instance goes on untracked */
		xlate_odp_put(ctx, VSW_ACTION_ATTR_CT_CLEAR);
		ctx->ct_clear_pending = false;
	}
	if (d & D_ETH_SRC)
		put_mac(ctx, VSW_ACTION_ATTR_SET_ETH_SRC, f->eth_src);
	if (d & D_ETH_DST)
		put_mac(ctx, VSW_ACTION_ATTR_SET_ETH_DST, f->eth_dst);
	if (d & D_IP4_SRC)
		put_be32(ctx, VSW_ACTION_ATTR_SET_IPV4_SRC, f->ipv4_src);
	if (d & D_IP4_DST)
		put_be32(ctx, VSW_ACTION_ATTR_SET_IPV4_DST, f->ipv4_dst);
	if (d & D_IP6_SRC)
		put_ip6(ctx, VSW_ACTION_ATTR_SET_IPV6_SRC, &f->ipv6_src);
	if (d & D_IP6_DST)
		put_ip6(ctx, VSW_ACTION_ATTR_SET_IPV6_DST, &f->ipv6_dst);
	if (d & D_IP6_LABEL)
		put_be32(ctx, VSW_ACTION_ATTR_SET_IPV6_LABEL, f->ipv6_label);
	if (d & D_DSCP)
		put_u8(ctx, VSW_ACTION_ATTR_SET_IP_DSCP, f->ip_tos >> 2);
	if (d & D_TTL)
		put_u8(ctx, VSW_ACTION_ATTR_SET_IP_TTL, f->ip_ttl);
	if (d & D_TP_SRC)
		put_be16(ctx, VSW_ACTION_ATTR_SET_TP_SRC, f->tp_src);
	if (d & D_TP_DST)
		put_be16(ctx, VSW_ACTION_ATTR_SET_TP_DST, f->tp_dst);
	if (((d & D_VLAN) || f->vlan_tci != ctx->base.vlan_tci) &&
	    (ctx->orig->vlan_tci & htons(VSW_VLAN_PRESENT)))
		/* The new tag may carry the old PCP/VID, and whether anything
		 * changed is read from the packet's tag. */
		xlate_wc_vlan(ctx, 0xffff, "VLAN change committed");
	if (f->vlan_tci != ctx->base.vlan_tci) {
		if (ctx->base.vlan_tci & htons(VSW_VLAN_PRESENT))
			xlate_odp_put(ctx, VSW_ACTION_ATTR_POP_VLAN);
		if (f->vlan_tci & htons(VSW_VLAN_PRESENT))
			put_be16(ctx, VSW_ACTION_ATTR_PUSH_VLAN, f->vlan_tci);
	}
	ctx->base = ctx->flow;
	ctx->dirty = 0;
}

void xlate_output_raw(struct xctx *ctx, const struct xlate_port *p)
{
	struct odp_action *a;

	if (p->tnl.type) {
		xlate_tnl_output(ctx, p);
		return;
	}
	if (p->patch) {
		xlate_patch_output(ctx, p);
		return;
	}
	xlate_commit(ctx);
	a = xlate_odp_put(ctx, VSW_ACTION_ATTR_OUTPUT);
	if (a)
		a->u.port = p->port_no;
}

/* Whether the packet is tagged is read from the packet. The rest of its
 * TCI matters only if the change reaches the datapath: commit() then
 * un-wildcards it (a change never output costs nothing). */
void xlate_set_tci(struct xctx *ctx, uint16_t tci, const char *who)
{
	xlate_wc_vlan(ctx, VSW_VLAN_PRESENT, who);
	ctx->flow.vlan_tci = htons(tci);
	ctx->dirty |= D_VLAN;
}

static void output_port(struct xctx *ctx, uint32_t port, bool allow_in_port)
{
	const struct xlate_port *p = xlate_find_port(ctx->br, port);

	if (!allow_in_port && port == ctx->flow.in_port) {
		if (ctx->tr)
			trace_add(ctx->tr, TRACE_WARN, "skipping output to input port");
		return;
	}
	if (!p || !p->present) {
		if (ctx->tr)
			trace_add(ctx->tr, TRACE_WARN, "Nonexistent output port");
		return;
	}
	xlate_output_raw(ctx, p);
}

static void flood(struct xctx *ctx)
{
	for (size_t i = 0; i < ctx->br->n_ports && !ctx->exit; i++) {
		const struct xlate_port *p = &ctx->br->ports[i];

		if (p->port_no != ctx->flow.in_port && p->present)
			xlate_output_raw(ctx, p);
	}
}

static void do_output(struct xctx *ctx, uint32_t port)
{
	switch (port) {
	case OFPP_NORMAL:
		xlate_normal(ctx);
		break;
	case OFPP_FLOOD:
	case OFPP_ALL:
		flood(ctx);
		break;
	case OFPP_IN_PORT:
		output_port(ctx, ctx->flow.in_port, true);
		break;
	case OFPP_TABLE:	/* a PACKET_OUT's: through the pipeline */
		xlate_table(ctx, 0, OFPP_IN_PORT);
		break;
	default:
		output_port(ctx, port, false);
		break;
	}
}

static void do_actions(struct xctx *ctx, const struct ofpacts *acts);

void xlate_actions(struct xctx *ctx, const struct ofpacts *acts)
{
	do_actions(ctx, acts);
}

/* A table-miss rule (OpenFlow 1.3.5, 5.4): priority 0, every field wild. */
static bool is_table_miss(const struct rule *r)
{
	static const struct flow none;

	return r && !r->spec.priority &&
	       !memcmp(&r->spec.match.mask, &none, sizeof(none));
}

/* The packet, as modified so far, to the controllers (ofp-pin.h). */
static void do_controller(struct xctx *ctx, const struct ofpact *a)
{
	struct ofp_pin_cookie c = {
		.max_len = a->max_len,
		.reason = is_table_miss(ctx->rule) ? OFPR13_NO_MATCH : OFPR13_ACTION,
		.table = ctx->rule ? ctx->table : 0xff,
		.rule_id = ctx->rule ? (uint32_t)ctx->rule->id : 0,
	};
	struct odp_action *o;

	xlate_commit(ctx);
	o = xlate_odp_put(ctx, VSW_ACTION_ATTR_USERSPACE);
	if (o)
		o->u.cookie = ofp_pin_cookie_pack(&c);
}

bool xlate_resource_check(struct xctx *ctx)
{
	if (ctx->depth >= XLATE_MAX_DEPTH) {
		xlate_error(ctx, XLATE_RECURSION_TOO_DEEP,
			    "over max translation depth %d", XLATE_MAX_DEPTH);
		return false;
	}
	if (ctx->resubmits >= XLATE_MAX_RESUBMITS) {
		xlate_error(ctx, XLATE_TOO_MANY_RESUBMITS,
			    "over %d resubmit actions", XLATE_MAX_RESUBMITS);
		return false;
	}
	return true;
}

static void record_rule(struct xctx *ctx, const struct rule *r)
{
	struct xlate_out *o = ctx->out;

	if (o->n_rules == o->rules_cap) {
		size_t cap = o->rules_cap ? o->rules_cap * 2 : 8;
		uint64_t *n = realloc(o->rule_ids, cap * sizeof(*n));

		if (!n)
			return;
		o->rule_ids = n;
		o->rules_cap = cap;
	}
	o->rule_ids[o->n_rules++] = r->id;
}

static struct trace_node *trace_table(struct xctx *ctx, uint8_t table,
				      const struct rule *r)
{
	struct trace_node *n;
	char *m;

	if (!r)
		return trace_add(ctx->tr, TRACE_TABLE, "%2d. No match.", table);
	if (r == ctx->br->fail_open)
		return trace_add(ctx->tr, TRACE_TABLE, "%2d. fail-open (hidden rule: "
				 "no controller connected), priority %d", table,
				 r->cr.priority);
	m = ofp_format_match(&r->spec.match, NULL, NULL);
	n = trace_add(ctx->tr, TRACE_TABLE, "%2d. %s%spriority %d", table,
		      m ? m : "", m && *m ? ", " : "", r->cr.priority);
	if (n && r->spec.cookie) {
		struct strbuf sb;

		strbuf_init(&sb);
		strbuf_printf(&sb, "%s, cookie %#llx", n->text,
			      (unsigned long long)r->spec.cookie);
		if (!sb.oom) {
			free(n->text);
			n->text = strbuf_steal(&sb);
		}
		strbuf_free(&sb);
	}
	free(m);
	return n;
}

void xlate_table(struct xctx *ctx, uint8_t table, uint32_t in_port)
{
	uint32_t saved = ctx->flow.in_port;
	bool home = ctx->br->pl == ctx->home_pl;
	struct flow before;
	struct trace_node *prev = NULL;
	struct rule *r;
	char who[64];

	if (!xlate_resource_check(ctx))
		return;
	ctx->resubmits++;
	if (home)	/* the bitmaps and rule ids are the home bridge's */
		ctx->out->tables_visited[table / 8] |= 1u << (table % 8);
	if (ctx->tr)
		before = *ctx->wc;
	if (in_port != OFPP_IN_PORT)
		ctx->flow.in_port = in_port;
	/* looked up on what an action changed: see xlate_out.rewritten */
	if (!ctx->out->rewritten && memcmp(&ctx->flow, ctx->orig, sizeof(ctx->flow)))
		ctx->out->rewritten = true;
	if (!table && ctx->br->fail_open)	/* matches all: consults nothing */
		r = (struct rule *)ctx->br->fail_open;
	else
		r = pipeline_lookup(ctx->br->pl, table, &ctx->flow, ctx->wc);
	ctx->flow.in_port = saved;
	if (ctx->tr) {
		snprintf(who, sizeof(who), r ? "table %u lookup (matched priority %d)"
			 : "table %u lookup (no match)", table, r ? r->cr.priority : 0);
		trace_note_wc(ctx->tr, &before, ctx->wc, who);
		prev = trace_enter(ctx->tr, trace_table(ctx, table, r));
	}
	if (r) {
		uint8_t old = ctx->table;
		const struct rule *old_rule = ctx->rule;

		if (home)
			record_rule(ctx, r);
		ctx->depth++;
		ctx->table = table;
		ctx->rule = r;
		do_actions(ctx, r->spec.acts);
		ctx->rule = old_rule;
		ctx->table = old;
		ctx->depth--;
		ctx->stop_list = false;
	} else {
		if (home)
			ctx->out->tables_missed[table / 8] |= 1u << (table % 8);
		if (ctx->tr)
			trace_line(ctx->tr, "drop");
	}
	if (ctx->tr)
		trace_leave(ctx->tr, prev);
}

static void do_vlan(struct xctx *ctx, const struct ofpact *a)
{
	uint16_t tci = ntohs(ctx->flow.vlan_tci);
	bool tagged = tci & VSW_VLAN_PRESENT;
	const char *who = "VLAN action (tag present?)";

	xlate_wc_vlan(ctx, VSW_VLAN_PRESENT, who);
	switch (a->type) {
	case OFPACT_PUSH_VLAN:
		if (tagged) {
			if (ctx->tr)
				trace_add(ctx->tr, TRACE_WARN, "push_vlan on a tagged "
					  "packet (QinQ) is not supported; skipped");
			return;
		}
		xlate_set_tci(ctx, VSW_VLAN_PRESENT, who);
		break;
	case OFPACT_SET_VLAN_VID:
		xlate_set_tci(ctx, (tagged ? tci & VSW_VLAN_PCP_MASK : 0) | a->vid |
			      VSW_VLAN_PRESENT, who);
		break;
	case OFPACT_SET_VLAN_PCP:
		xlate_set_tci(ctx, (tagged ? tci & VSW_VLAN_VID_MASK : 0) |
			      (uint16_t)(a->pcp << VSW_VLAN_PCP_SHIFT) |
			      VSW_VLAN_PRESENT, who);
		break;
	default:			/* strip_vlan */
		if (tagged)
			xlate_set_tci(ctx, 0, who);
		break;
	}
}

/* Prerequisite of a set action, read from the packet. */
static bool set_prereq(struct xctx *ctx, enum ofp_field_id id)
{
	uint16_t type = ntohs(ctx->flow.eth_type);
	bool v4 = type == ETH_TYPE_IP, v6 = type == ETH_TYPE_IPV6;
	uint8_t p = ctx->flow.ip_proto;
	struct flow m;

	switch (id) {
	case MFF_ETH_SRC: case MFF_ETH_DST:
	case MFF_TUN_ID: case MFF_TUN_SRC: case MFF_TUN_DST:
	case MFF_TUN_IPV6_SRC: case MFF_TUN_IPV6_DST: case MFF_TUN_TOS:
	case MFF_TUN_TTL:
		return true;
	case MFF_IPV4_SRC: case MFF_IPV4_DST:
		wc_eth_type(ctx, "set action prerequisite");
		return v4;
	case MFF_IPV6_SRC: case MFF_IPV6_DST: case MFF_IPV6_LABEL:
		wc_eth_type(ctx, "set action prerequisite");
		return v6;
	case MFF_IP_DSCP: case MFF_IP_DSCP_SHIFTED: case MFF_IP_TTL:
		wc_eth_type(ctx, "set action prerequisite");
		return v4 || v6;
	default:
		break;
	}
	/* L4 ports: an IP packet carrying TCP/UDP/SCTP, not a later fragment. */
	wc_eth_type(ctx, "set action prerequisite");
	if (!v4 && !v6)
		return false;
	memset(&m, 0, sizeof(m));
	m.ip_proto = 0xff;
	m.ip_frag = VSW_FRAG_LATER;
	xlate_wc(ctx, &m, "set action prerequisite");
	if (ctx->flow.ip_frag & VSW_FRAG_LATER)
		return false;
	switch (id) {
	case MFF_TCP_SRC: case MFF_TCP_DST: return p == IPPROTO_TCP;
	case MFF_UDP_SRC: case MFF_UDP_DST: return p == IPPROTO_UDP;
	case MFF_SCTP_SRC: case MFF_SCTP_DST: return p == IPPROTO_SCTP;
	default:
		return p == IPPROTO_TCP || p == IPPROTO_UDP || p == IPPROTO_SCTP;
	}
}

static unsigned dirty_bit(enum ofp_field_id id)
{
	switch (id) {
	case MFF_ETH_SRC: return D_ETH_SRC;
	case MFF_ETH_DST: return D_ETH_DST;
	case MFF_IPV4_SRC: return D_IP4_SRC;
	case MFF_IPV4_DST: return D_IP4_DST;
	case MFF_IPV6_SRC: return D_IP6_SRC;
	case MFF_IPV6_DST: return D_IP6_DST;
	case MFF_IPV6_LABEL: return D_IP6_LABEL;
	case MFF_IP_DSCP: case MFF_IP_DSCP_SHIFTED: return D_DSCP;
	case MFF_IP_TTL: return D_TTL;
	case MFF_TCP_SRC: case MFF_UDP_SRC: case MFF_SCTP_SRC: case MFF_TP_SRC:
		return D_TP_SRC;
	case MFF_TUN_ID: case MFF_TUN_SRC: case MFF_TUN_DST:
	case MFF_TUN_IPV6_SRC: case MFF_TUN_IPV6_DST: case MFF_TUN_TOS:
	case MFF_TUN_TTL:
		return 0;	/* read by output to a tunnel port */
	default:
		return D_TP_DST;
	}
}

void xlate_set_packet_field(struct xctx *ctx, const struct ofp_field *mf,
			    const union ofp_field_value *v)
{
	if (!set_prereq(ctx, mf->id)) {
		if (ctx->tr)
			trace_add(ctx->tr, TRACE_WARN, "unmet prerequisites for %s, "
				  "action ignored", mf->name);
		return;
	}
	ofp_field_set_flow(mf, v, &ctx->flow);
	ctx->dirty |= dirty_bit(mf->id);
	if (mf->id == MFF_TUN_SRC || mf->id == MFF_TUN_IPV6_SRC)
		ctx->tun_set |= XTUN_SRC;
	else if (mf->id == MFF_TUN_TOS)
		ctx->tun_set |= XTUN_TOS;
	else if (mf->id == MFF_TUN_TTL)
		ctx->tun_set |= XTUN_TTL;
}

static void do_set_field(struct xctx *ctx, const struct ofpact *a)
{
	const struct ofp_field *mf = ofp_field_from_id(a->set.field);
	struct ofpact v;

	if (mf->id == MFF_VLAN_VID || mf->id == MFF_VLAN_PCP) {
		memset(&v, 0, sizeof(v));
		v.type = mf->id == MFF_VLAN_VID ? OFPACT_SET_VLAN_VID
						: OFPACT_SET_VLAN_PCP;
		if (mf->id == MFF_VLAN_VID)
			v.vid = a->set.value.be16 & VSW_VLAN_VID_MASK;
		else
			v.pcp = a->set.value.u8 & 7;
		do_vlan(ctx, &v);
		return;
	}
	if (ofp_field_is_pipeline(mf->id))	/* no header, no prerequisite */
		ofp_field_set_flow(mf, &a->set.value, &ctx->flow);
	else
		xlate_set_packet_field(ctx, mf, &a->set.value);
}

/* Returns true when the TTL is exhausted (the action list stops). */
static bool do_dec_ttl(struct xctx *ctx)
{
	uint16_t type = ntohs(ctx->flow.eth_type);
	struct flow m;

	wc_eth_type(ctx, "dec_ttl");
	if (type != ETH_TYPE_IP && type != ETH_TYPE_IPV6)
		return false;
	memset(&m, 0, sizeof(m));
	m.ip_ttl = 0xff;
	xlate_wc(ctx, &m, "dec_ttl");
	if (ctx->flow.ip_ttl > 1) {
		ctx->flow.ip_ttl--;
		ctx->dirty |= D_TTL;
		return false;
	}
	if (ctx->tr)
		trace_add(ctx->tr, TRACE_WARN, "IPv%d decrement TTL exception",
			  type == ETH_TYPE_IP ? 4 : 6);
	return true;
}

static void trace_action(struct xctx *ctx, const struct ofpact *a)
{
	struct strbuf sb;

	strbuf_init(&sb);
	ofpact_format(&sb, a, NULL, NULL);
	trace_line(ctx->tr, "%s", strbuf_str(&sb));
	strbuf_free(&sb);
}

static void do_actions(struct xctx *ctx, const struct ofpacts *acts)
{
	if (ctx->tr && (!acts || !acts->n))
		trace_line(ctx->tr, "drop");
	for (size_t i = 0; acts && i < acts->n; i++) {
		const struct ofpact *a = &acts->a[i];

		if (ctx->exit || ctx->stop_list)
			return;
		if (ctx->tr)
			trace_action(ctx, a);
		switch (a->type) {
		case OFPACT_OUTPUT:
			do_output(ctx, a->port);
			break;
		case OFPACT_RESUBMIT:
			xlate_table(ctx, a->resubmit.table == OFP_TABLE_CURRENT ?
				    ctx->table : a->resubmit.table, a->resubmit.port);
			break;
		case OFPACT_GOTO_TABLE:
			xlate_table(ctx, a->table, OFPP_IN_PORT);
			return;
		case OFPACT_PUSH_VLAN:
		case OFPACT_SET_VLAN_VID:
		case OFPACT_SET_VLAN_PCP:
		case OFPACT_STRIP_VLAN:
			do_vlan(ctx, a);
			break;
		case OFPACT_SET_FIELD:
			do_set_field(ctx, a);
			break;
		case OFPACT_DEC_TTL:
			if (do_dec_ttl(ctx))
				ctx->stop_list = true;
			break;
		case OFPACT_CT:
			xlate_ct(ctx, a);
			break;
		case OFPACT_CT_CLEAR:
			xlate_ct_clear(ctx);
			break;
		case OFPACT_CONTROLLER:
			do_controller(ctx, a);
			break;
		case OFPACT_GROUP:
			xlate_group(ctx, a->group_id);
			break;
		case OFPACT_LOAD:
		case OFPACT_MOVE:
		case OFPACT_WRITE_METADATA:
			xlate_regs(ctx, a);
			break;
		}
	}
}

/* Bits every megaflow has (as Open vSwitch), and the kernel's rule that
 * masked L3 fields need an exact eth_type and masked L4 an exact proto. */
static void finish_wc(struct xctx *ctx)
{
	struct flow *wc = ctx->wc, m;
	uint16_t type = ntohs(ctx->orig->eth_type);

	memset(&m, 0, sizeof(m));
	m.in_port = ~0u;
	m.recirc_id = ~0u;
	m.eth_type = 0xffff;
	if (type == ETH_TYPE_IP || type == ETH_TYPE_IPV6)
		m.ip_frag = VSW_FRAG_MASK;
	xlate_wc(ctx, &m, "always exact (as in Open vSwitch)");
	/* An untagged frame has TCI 0, so any consulted TCI bits say no more
	 * than "untagged": keep only the present bit (Open vSwitch's datapath
	 * flows express the same by the absence of a VLAN header). */
	if (wc->vlan_tci && !(ctx->orig->vlan_tci & htons(VSW_VLAN_PRESENT)))
		wc->vlan_tci = htons(VSW_VLAN_PRESENT);
	if (wc->tp_src || wc->tp_dst || wc->tcp_flags || wc->icmp_type ||
	    wc->icmp_code || memcmp(&wc->nd_target, &m.nd_target, 16)) {
		memset(&m, 0, sizeof(m));
		m.ip_proto = 0xff;
		xlate_wc(ctx, &m, "kernel prerequisite of L4 fields");
	}
	/* Registers and metadata are not in the datapath's key: what a lookup
	 * read of them was written by actions, from bits already consulted. */
	memset(wc->regs, 0, sizeof(wc->regs));
	wc->metadata = 0;
	ctx->out->megaflow.flow = *ctx->orig;
	match_normalize(&ctx->out->megaflow);
}

static void xctx_init(struct xctx *ctx, const struct xlate_bridge *br,
		      const struct flow *flow, bool may_learn,
		      struct xlate_out *out, struct trace_buf *trace)
{
	memset(out, 0, sizeof(*out));
	memset(ctx, 0, sizeof(*ctx));
	ctx->br = br;
	ctx->patch_hops = br->patch_hops;
	ctx->home_pl = br->pl;
	ctx->orig = flow;
	ctx->flow = ctx->base = *flow;
	/* An untagged frame's TCI is 0 (the kernel's contract); treat any
	 * stray bits as absent so only the present bit decides. */
	if (!(flow->vlan_tci & htons(VSW_VLAN_PRESENT)))
		ctx->flow.vlan_tci = ctx->base.vlan_tci = 0;
	ctx->wc = &out->megaflow.mask;
	ctx->out = out;
	ctx->tr = trace;
	ctx->may_learn = may_learn;
}

int xlate_packet_out(const struct xlate_bridge *br, const struct flow *flow,
		     const struct ofpacts *acts, struct xlate_out *out)
{
	struct xctx ctx;

	xctx_init(&ctx, br, flow, false, out, NULL);
	do_actions(&ctx, acts);
	out->final_flow = ctx.flow;
	if (out->error) {
		out->actions.n = 0;
		return -1;
	}
	return 0;
}

int xlate_flow(const struct xlate_bridge *br, const struct flow *flow,
	       bool may_learn, struct xlate_out *out, struct trace_buf *trace)
{
	struct flow in = *flow;		/* in_port: a tunnel's OpenFlow port */
	uint32_t tnl_dev;
	bool tnl_none;
	struct xctx ctx;

	xctx_init(&ctx, br, flow, may_learn, out, trace);
	ctx.orig = &in;
	tnl_dev = xlate_tnl_in(&ctx, &in, &tnl_none);
	/* a recirculated pass resumes where its ct(table=N) sent it */
	if (flow->recirc_id > OFP_N_TABLES)
		xlate_error(&ctx, XLATE_BAD_RECIRC, "recirc_id %#x names no table",
			    flow->recirc_id);
	else if (!tnl_none)
		xlate_table(&ctx, xlate_ct_resume_table(flow), OFPP_IN_PORT);
	finish_wc(&ctx);
	if (tnl_dev)	/* the datapath knows the device's port */
		out->megaflow.flow.in_port = tnl_dev;
	out->tnl_unmatched = tnl_none;
	out->final_flow = ctx.flow;
	if (out->error) {
		out->actions.n = 0;
		return -1;
	}
	return 0;
}

void xlate_out_uninit(struct xlate_out *out)
{
	free(out->rule_ids);
	out->rule_ids = NULL;
	out->n_rules = out->rules_cap = 0;
	free(out->group_uses);
	out->group_uses = NULL;
	out->n_group_uses = out->groups_cap = 0;
}
