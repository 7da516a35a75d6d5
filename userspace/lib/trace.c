// SPDX-License-Identifier: GPL-2.0
/* Trace trees, their ofproto/trace rendering, and the wildcard reasons. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-print.h"
#include "trace.h"
#include "xlate.h"

static const struct {
	const char *name;
	size_t off, len;
} wc_fields[] = {
	{ "in_port", offsetof(struct flow, in_port), 4 },
	{ "vlan_tci", offsetof(struct flow, vlan_tci), 2 },
	{ "dl_src", offsetof(struct flow, eth_src), 6 },
	{ "dl_dst", offsetof(struct flow, eth_dst), 6 },
	{ "dl_type", offsetof(struct flow, eth_type), 2 },
	{ "nw_src", offsetof(struct flow, ipv4_src), 4 },
	{ "nw_dst", offsetof(struct flow, ipv4_dst), 4 },
	{ "ipv6_src", offsetof(struct flow, ipv6_src), 16 },
	{ "ipv6_dst", offsetof(struct flow, ipv6_dst), 16 },
	{ "ipv6_label", offsetof(struct flow, ipv6_label), 4 },
	{ "nw_proto", offsetof(struct flow, ip_proto), 1 },
	{ "nw_tos", offsetof(struct flow, ip_tos), 1 },
	{ "nw_ttl", offsetof(struct flow, ip_ttl), 1 },
	{ "nw_frag", offsetof(struct flow, ip_frag), 1 },
	{ "tp_src", offsetof(struct flow, tp_src), 2 },
	{ "tp_dst", offsetof(struct flow, tp_dst), 2 },
	{ "tcp_flags", offsetof(struct flow, tcp_flags), 2 },
	{ "icmp_type", offsetof(struct flow, icmp_type), 1 },
	{ "icmp_code", offsetof(struct flow, icmp_code), 1 },
	{ "arp_op", offsetof(struct flow, arp_op), 2 },
	{ "arp_spa", offsetof(struct flow, arp_spa), 4 },
	{ "arp_tpa", offsetof(struct flow, arp_tpa), 4 },
	{ "arp_sha", offsetof(struct flow, arp_sha), 6 },
	{ "arp_tha", offsetof(struct flow, arp_tha), 6 },
	{ "nd_target", offsetof(struct flow, nd_target), 16 },
	{ "ct_state", offsetof(struct flow, ct_state), 1 },
	{ "ct_zone", offsetof(struct flow, ct_zone), 2 },
	{ "ct_mark", offsetof(struct flow, ct_mark), 4 },
	{ "ct_label", offsetof(struct flow, ct_label), 16 },
	{ "ct_nw_src", offsetof(struct flow, ct_orig.nw_src), 4 },
	{ "ct_nw_dst", offsetof(struct flow, ct_orig.nw_dst), 4 },
	{ "ct_ipv6_src", offsetof(struct flow, ct_orig.ipv6_src), 16 },
	{ "ct_ipv6_dst", offsetof(struct flow, ct_orig.ipv6_dst), 16 },
	{ "ct_nw_proto", offsetof(struct flow, ct_orig.nw_proto), 1 },
	{ "ct_tp_src", offsetof(struct flow, ct_orig.tp_src), 2 },
	{ "ct_tp_dst", offsetof(struct flow, ct_orig.tp_dst), 2 },
};

static void trace_init(struct trace_buf *tb)
{
	memset(tb, 0, sizeof(*tb));
	tb->root.type = TRACE_TABLE;
	tb->cur = &tb->root;
}

static void free_children(struct trace_node *n)
{
	struct trace_node *c = n->first, *next;

	for (; c; c = next) {
		next = c->next;
		free_children(c);
		free(c->text);
		free(c);
	}
	n->first = n->last = NULL;
}

static void trace_uninit(struct trace_buf *tb)
{
	free_children(&tb->root);
	for (int i = 0; i < TRACE_N_FIELDS; i++)
		free(tb->why[i]);
	trace_init(tb);
}

static struct trace_node *add_v(struct trace_buf *tb, enum trace_node_type t,
				const char *fmt, va_list ap)
{
	struct trace_node *n = calloc(1, sizeof(*n));
	struct strbuf sb;

	if (!n)
		return NULL;
	strbuf_init(&sb);
	strbuf_vprintf(&sb, fmt, ap);
	n->type = t;
	n->text = strbuf_steal(&sb);
	if (tb->cur->last)
		tb->cur->last->next = n;
	else
		tb->cur->first = n;
	tb->cur->last = n;
	return n;
}

struct trace_node *trace_add(struct trace_buf *tb, enum trace_node_type t,
			     const char *fmt, ...)
{
	struct trace_node *n;
	va_list ap;

	va_start(ap, fmt);
	n = add_v(tb, t, fmt, ap);
	va_end(ap);
	return n;
}

void trace_line(struct trace_buf *tb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_v(tb, TRACE_ACTION, fmt, ap);
	va_end(ap);
}

struct trace_node *trace_enter(struct trace_buf *tb, struct trace_node *n)
{
	struct trace_node *prev = tb->cur;

	if (n)
		tb->cur = n;
	return prev;
}

void trace_leave(struct trace_buf *tb, struct trace_node *prev)
{
	tb->cur = prev;
}

/* Open vSwitch's layout: a node is indented by (level + more) * 4, where
 * "more" is set for terminal lines and for nodes with a later sibling;
 * children print at level + 2 * more. */
static void render(const struct trace_node *first, int level, struct strbuf *out)
{
	for (const struct trace_node *n = first; n; n = n->next) {
		int more = n->next || n->type != TRACE_TABLE;

		for (int i = 0; i < (level + more) * 4; i++)
			strbuf_putc(out, ' ');
		switch (n->type) {
		case TRACE_DETAIL:
			strbuf_printf(out, " -> %s\n", n->text);
			break;
		case TRACE_WARN:
			strbuf_printf(out, " >> %s\n", n->text);
			break;
		case TRACE_ERROR:
			strbuf_printf(out, " >>>> %s <<<<\n", n->text);
			break;
		default:
			strbuf_printf(out, "%s\n", n->text);
			break;
		}
		render(n->first, level + 2 * more, out);
	}
}

/* Renders the table tree as ofproto/trace does. */
static void trace_render_tree(const struct trace_buf *tb, struct strbuf *out)
{
	render(tb->root.first, 0, out);
}

static bool bits_added(const struct flow *before, const struct flow *after,
		       size_t off, size_t len)
{
	const uint8_t *b = (const uint8_t *)before + off;
	const uint8_t *a = (const uint8_t *)after + off;

	for (size_t i = 0; i < len; i++)
		if (a[i] & ~b[i])
			return true;
	return false;
}

void trace_note_wc(struct trace_buf *tb, const struct flow *before,
		   const struct flow *after, const char *who)
{
	for (size_t i = 0; i < ARRAY_SIZE(wc_fields) && i < TRACE_N_FIELDS; i++) {
		if (tb->why[i] ||
		    !bits_added(before, after, wc_fields[i].off, wc_fields[i].len))
			continue;
		tb->why[i] = strdup(who);
	}
}

/* "  nw_src: table 0 ..." lines for the fields set in @mask. */
static void trace_render_why(const struct trace_buf *tb,
			     const struct flow *mask, struct strbuf *out)
{
	static const struct flow zero;

	for (size_t i = 0; i < ARRAY_SIZE(wc_fields) && i < TRACE_N_FIELDS; i++) {
		if (!bits_added(&zero, mask, wc_fields[i].off, wc_fields[i].len))
			continue;
		strbuf_printf(out, "  %s: %s\n", wc_fields[i].name,
			      tb->why[i] ? tb->why[i] : "kernel prerequisite");
	}
}

/* One pass: "Flow:", the bridge's tables, "Final flow:", "Megaflow:",
 * "Datapath actions:" and the fields consulted; the passes its ct(table=N)
 * actions freeze go to @q. */
static void trace_pass(const struct xlate_bridge *br, const struct flow *flow,
		       struct trace_resumes *q, struct strbuf *sb)
{
	struct trace_buf tb;
	struct xlate_out out;
	char *s;
	int err;

	trace_init(&tb);
	tb.resumes = q;
	s = ofp_format_flow(flow);
	strbuf_printf(sb, "Flow: %s\n\nbridge(\"%s\")\n", s ? s : "", br->name);
	free(s);
	for (size_t i = strlen(br->name) + 10; i; i--)
		strbuf_putc(sb, '-');
	strbuf_putc(sb, '\n');
	err = xlate_flow(br, flow, false, &out, &tb);
	trace_render_tree(&tb, sb);
	s = NULL;
	if (!memcmp(&out.final_flow, flow, sizeof(*flow)))
		strbuf_puts(sb, "\nFinal flow: unchanged\n");
	else if ((s = ofp_format_flow(&out.final_flow)))
		strbuf_printf(sb, "\nFinal flow: %s\n", s);
	free(s);
	s = ofp_format_megaflow(&out.megaflow);
	strbuf_printf(sb, "Megaflow: %s\n", s ? s : "");
	free(s);
	s = odp_format_actions_flow(&out.actions, flow);
	strbuf_printf(sb, "Datapath actions: %s\n", s ? s : "");
	free(s);
	if (err)
		strbuf_printf(sb, "\nTranslation failed (%s), packet is dropped.\n",
			      xlate_strerror(out.error));
	strbuf_puts(sb, "\nMegaflow fields consulted:\n");
	trace_render_why(&tb, &out.megaflow.mask, sb);
	xlate_out_uninit(&out);
	trace_uninit(&tb);
}

char *trace_flow_ct(const struct xlate_bridge *br, const struct flow *flow,
		    const uint8_t *ct_next, size_t n_ct_next)
{
	const uint8_t trk_new = VSW_CT_STATE_TRK | VSW_CT_STATE_NEW;
	struct trace_resumes *q = calloc(1, sizeof(*q));
	size_t used = 0;
	struct strbuf sb;

	if (!q)
		return NULL;
	q->bridge = br->name;
	strbuf_init(&sb);
	trace_pass(br, flow, q, &sb);
	for (size_t i = 0; i < q->n; i++) {
		struct trace_resume *r = &q->v[i];
		bool given = r->tracked && used < n_ct_next;

		if (!trace_resume_begin(r, given ? ct_next[used] : trk_new,
					given, &sb))
			continue;
		used += r->tracked;
		q->depth = r->depth;
		strbuf_putc(&sb, '\n');
		trace_pass(br, &r->flow, q, &sb);
	}
	if (q->lost)
		strbuf_printf(&sb, "\n%zu more recirculated passes not traced "
			      "(at most %d)\n", q->lost, TRACE_MAX_RESUMES);
	free(q);
	return strbuf_steal(&sb);
}

char *trace_flow(const struct xlate_bridge *br, const struct flow *flow)
{
	return trace_flow_ct(br, flow, NULL, 0);
}
