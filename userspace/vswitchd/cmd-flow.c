// SPDX-License-Identifier: GPL-2.0
/* OpenFlow rule commands and trace. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "cmd-flow.h"
#include "commands.h"
#include "counters.h"
#include "group-mod.h"
#include "json.h"
#include "log.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofp-rule.h"
#include "ofproto.h"
#include "patch-port.h"
#include "pipeline.h"
#include "revalidator.h"
#include "ofp-ct.h"
#include "trace.h"
#include "vswitchd.h"

void cmd_note_rule_change(struct bridge *br, uint8_t table,
			  const struct match *m)
{
	unsigned int n = reval_mark_rule(br, table, m);

	vswd_count(&vswd_main_counters->rule_changes, 1);
	vswd_count(&vswd_main_counters->rule_change_touched, n);
	vswd_count_set(&vswd_main_counters->rule_change_last_touched, n);
	log_debug("%s: rule change in table %u marks %u of %zu megaflows",
		  br->name, table, n, br->ukeys.n);
}

int cmd_add_flow(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct ofp_rule_spec spec;
	int ret;

	if (!br)
		return -1;
	if (ofp_parse_flow(ctx->argv[2], OFP_PARSE_ADD, bridge_port_lookup, br,
			   &spec, ctx->err, sizeof(ctx->err)))
		return -1;
	ret = group_check_rule(br, spec.acts, ctx->err, sizeof(ctx->err)) ? -1 :
	      pipeline_add(br->pl, &spec, ctx->err, sizeof(ctx->err));
	if (!ret) {
		cmd_note_rule_change(br, spec.table, &spec.match);
		reval_kick();
		ctx->changed = true;
	}
	ofp_rule_spec_free(&spec);
	return ret;
}

/* One line of an add-flows file: blank and '#' lines are skipped. */
static bool skip_line(const char *l)
{
	l += strspn(l, " \t\r");
	return !*l || *l == '#';
}

static int cmd_flow_lines_parse(struct cmd_ctx *ctx, struct bridge *br,
				char *text, struct flow_lines *fl)
{
	char msg[sizeof(ctx->err) - 32], *line;
	size_t lineno = 0, cap = 0;
	char *p = text;

	for (;;) {
		char *nl = strchr(p, '\n');

		line = p;
		if (nl)
			*nl = '\0';
		lineno++;
		if (!skip_line(line)) {
			size_t l = strlen(line);

			if (l && line[l - 1] == '\r')
				line[l - 1] = '\0';
			if (fl->n == cap) {
				struct ofp_rule_spec *v;

				cap = cap ? cap * 2 : 64;
				v = realloc(fl->specs, cap * sizeof(*v));
				if (!v)
					return cmd_err(ctx, "out of memory");
				fl->specs = v;
			}
			if (ofp_parse_flow(line, OFP_PARSE_ADD, bridge_port_lookup,
					   br, &fl->specs[fl->n], msg, sizeof(msg)))
				return cmd_err(ctx, "line %zu: %s", lineno, msg);
			fl->n++;
			if (group_check_rule(br, fl->specs[fl->n - 1].acts, msg,
					     sizeof(msg)))
				return cmd_err(ctx, "line %zu: %s", lineno, msg);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

/* All or nothing: every line parses, and every rule is accepted by a
 * scratch pipeline, before the bridge's pipeline sees any of them. */
static int cmd_flow_lines_check(struct cmd_ctx *ctx,
				const struct flow_lines *fl)
{
	struct pipeline *scratch = pipeline_create();
	char msg[sizeof(ctx->err) - 32];
	size_t i;
	int ret = 0;

	if (!scratch)
		return cmd_err(ctx, "out of memory");
	for (i = 0; i < fl->n && !ret; i++)
		if (pipeline_add(scratch, &fl->specs[i], msg, sizeof(msg)))
			ret = cmd_err(ctx, "rule %zu: %s", i + 1, msg);
	pipeline_destroy(scratch);
	return ret;
}

int cmd_add_flows(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct flow_lines fl = { NULL, 0 };
	size_t i;
	int ret;

	if (!br)
		return -1;
	ret = cmd_flow_lines_read(ctx, br, ctx->argv[2], &fl);
	for (i = 0; !ret && i < fl.n; i++) {
		ret = pipeline_add(br->pl, &fl.specs[i], ctx->err, sizeof(ctx->err));
		if (!ret)
			cmd_note_rule_change(br, fl.specs[i].table, &fl.specs[i].match);
	}
	if (i)
		ctx->changed = true;
	cmd_flow_lines_free(&fl);
	reval_kick();
	return ret;
}

int cmd_flow_lines_read(struct cmd_ctx *ctx, struct bridge *br, char *text,
			struct flow_lines *fl)
{
	if (cmd_flow_lines_parse(ctx, br, text, fl))
		return -1;
	return cmd_flow_lines_check(ctx, fl);
}

void cmd_flow_lines_free(struct flow_lines *fl)
{
	for (size_t i = 0; i < fl->n; i++)
		ofp_rule_spec_free(&fl->specs[i]);
	free(fl->specs);
	fl->specs = NULL;
	fl->n = 0;
}

/* The rules a del-flows removes: their tables and matches (for the
 * revalidator), and a FLOW_REMOVED for those added with send_flow_rem. */
struct rule_list {
	struct bridge *br;
	const struct ofp_rule_spec *filter;
	bool strict;
	long long now;
	uint8_t *tables;
	struct match *matches;
	size_t n, cap;
	bool oom;
};

static void collect_rule(const struct rule *r, void *aux)
{
	struct rule_list *rl = aux;

	if (rl->strict && (r->spec.priority != rl->filter->priority ||
			   !match_equal(&r->spec.match, &rl->filter->match)))
		return;
	ofproto_rule_removed(rl->br->name, r, OFPRR13_DELETE, rl->now);
	if (rl->n == rl->cap) {
		size_t cap = rl->cap ? rl->cap * 2 : 16;
		uint8_t *t = realloc(rl->tables, cap);
		struct match *m;

		if (t)
			rl->tables = t;
		m = t ? realloc(rl->matches, cap * sizeof(*m)) : NULL;
		if (!m) {
			rl->oom = true;
			return;
		}
		rl->matches = m;
		rl->cap = cap;
	}
	rl->tables[rl->n] = r->spec.table;
	rl->matches[rl->n++] = r->spec.match;
}

int cmd_del_flows(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct ofp_rule_spec spec, *filter = NULL;
	struct rule_list rl = { br, NULL, ctx->strict, vsw_time_msec() };
	size_t i;
	int n;

	if (!br)
		return -1;
	if (ctx->argc > 2) {
		if (ofp_parse_flow(ctx->argv[2], OFP_PARSE_FILTER,
				   bridge_port_lookup, br, &spec, ctx->err,
				   sizeof(ctx->err)))
			return -1;
		filter = &spec;
	} else if (ctx->strict) {
		return cmd_err(ctx, "del-flows --strict needs a flow");
	}
	rl.filter = filter;
	pipeline_foreach(br->pl, filter, collect_rule, &rl);
	n = pipeline_delete(br->pl, filter, ctx->strict);
	for (i = 0; i < rl.n; i++)
		cmd_note_rule_change(br, rl.tables[i], &rl.matches[i]);
	if (rl.oom)
		reval_mark_all(br);
	if (n)
		ctx->changed = true;
	reval_kick();
	free(rl.tables);
	free(rl.matches);
	if (filter)
		ofp_rule_spec_free(filter);
	return 0;
}

struct dump_aux {
	struct cmd_ctx *ctx;
	struct bridge *br;
	struct json_writer *w;
	long long now;
};

static void dump_rule_text(const struct rule *r, struct dump_aux *d)
{
	struct ofp_rule_stats st = {
		(d->now - r->created_ms) / 1000.0, r->n_packets, r->n_bytes,
	};

	ofp_format_rule_stats(&d->ctx->out, &r->spec, &st);
	strbuf_putc(&d->ctx->out, '\n');
}

static void dump_rule_json(const struct rule *r, struct dump_aux *d)
{
	struct json_writer *w = d->w;
	char *m = ofp_format_match(&r->spec.match, NULL, NULL);
	char *a = ofp_format_actions(r->spec.acts, NULL, NULL);
	char cookie[24];

	snprintf(cookie, sizeof(cookie), "0x%" PRIx64, r->spec.cookie);
	json_obj_begin(w, NULL);
	json_str(w, "cookie", cookie);
	json_double(w, "duration", (d->now - r->created_ms) / 1000.0);
	json_u64(w, "table", r->spec.table);
	json_u64(w, "priority", r->spec.priority);
	json_u64(w, "n_packets", r->n_packets);
	json_u64(w, "n_bytes", r->n_bytes);
	json_u64(w, "idle_timeout", r->spec.idle_timeout);
	json_u64(w, "hard_timeout", r->spec.hard_timeout);
	json_str(w, "match", m ? m : "");
	json_str(w, "actions", a ? a : "");
	json_obj_end(w);
	free(m);
	free(a);
}

static void dump_rule(const struct rule *r, void *aux)
{
	struct dump_aux *d = aux;

	if (d->w)
		dump_rule_json(r, d);
	else
		dump_rule_text(r, d);
}

int cmd_dump_flows(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct ofp_rule_spec spec, *filter = NULL;
	struct dump_aux d = { ctx, br, NULL, vsw_time_msec() };
	struct json_out jo;

	if (!br)
		return -1;
	if (ctx->argc > 2) {
		if (ofp_parse_flow(ctx->argv[2], OFP_PARSE_FILTER,
				   bridge_port_lookup, br, &spec, ctx->err,
				   sizeof(ctx->err)))
			return -1;
		filter = &spec;
	}
	if (ctx->json) {
		if (cmd_json_start(ctx, &jo)) {
			if (filter)
				ofp_rule_spec_free(filter);
			return -1;
		}
		json_arr_begin(&jo.w, NULL);
		d.w = &jo.w;
	}
	pipeline_foreach(br->pl, filter, dump_rule, &d);
	if (d.w) {
		json_arr_end(&jo.w);
		cmd_json_finish(ctx, &jo);
	}
	if (filter)
		ofp_rule_spec_free(filter);
	return 0;
}

/* Trace shows the configured behaviour: ports whose interface does not
 * exist yet are traced as if attached, and the output says so. */
static struct xlate_port *trace_ports(struct cmd_ctx *ctx, struct bridge *br,
				      bool peer)
{
	struct xlate_port *xp = malloc(br->n_xports * sizeof(*xp));
	size_t i, absent = 0;

	if (!xp)
		return NULL;
	memcpy(xp, br->xports, br->n_xports * sizeof(*xp));
	for (i = 0; i < br->n_xports; i++) {
		if (xp[i].present || xp[i].port_no == VSW_PORT_LOCAL)
			continue;
		if (!absent++)
			strbuf_printf(&ctx->out, "Note: %s%s%straced as if attached "
				      "(no interface yet): ", peer ? "in bridge " : "",
				      peer ? br->name : "", peer ? ", " : "");
		strbuf_printf(&ctx->out, "%s%s", absent > 1 ? ", " : "",
			      xp[i].name);
		xp[i].present = true;
	}
	if (absent)
		strbuf_puts(&ctx->out, "\n\n");
	return xp;
}

/* The bridges a trace crossed patch ports into, with their ports as
 * trace_ports() gives them; freed when the trace is done. */
struct trace_peers {
	struct cmd_ctx *ctx;
	struct {
		const struct bridge *br;
		struct xlate_port *xp;
	} v[16];
	size_t n;
};

/* patch_xlate_peer(), with the peer's ports as trace_ports() shows them. */
static int trace_patch_peer(const struct xlate_bridge *xb,
			    const struct xlate_port *p, struct xlate_bridge *peer,
			    uint32_t *peer_port, const char **why)
{
	struct trace_peers *tp = xb->aux;
	int how = patch_xlate_peer(xb, p, peer, peer_port, why);
	struct bridge *br;
	size_t i;

	if (how == XPATCH_NONE)
		return how;
	br = bridge_find(peer->name);
	if (how == XPATCH_KERNEL && br) {	/* the trace follows it there */
		bridge_xlate_view(br, peer);
		peer->patch_peer = xb->patch_peer;
		peer->aux = xb->aux;
	}
	for (i = 0; i < tp->n && tp->v[i].br != br; i++)
		;
	if (i == tp->n && i < ARRAY_SIZE(tp->v)) {
		tp->v[i].br = br;
		tp->v[i].xp = trace_ports(tp->ctx, br, true);
		tp->n++;
	}
	if (i < tp->n && tp->v[i].xp)
		peer->ports = tp->v[i].xp;
	return how;
}

/* Each --ct-next into @state: 0, or -1 with ctx->err naming it. */
static int trace_ct_next(struct cmd_ctx *ctx, uint8_t *state)
{
	for (int i = 0; i < ctx->n_ct_next; i++)
		if (ofp_ct_next_parse(ctx->ct_next[i], &state[i], ctx->err,
				      sizeof(ctx->err)))
			return -1;
	return 0;
}

int cmd_trace(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	uint8_t ct_next[CTL_MAX_CT_NEXT];
	struct ofp_rule_spec spec;
	struct trace_peers tp = { .ctx = ctx };
	struct xlate_bridge xb;
	struct xlate_port *xp;
	char *text;

	if (!br || trace_ct_next(ctx, ct_next))
		return -1;
	if (ofp_parse_flow(ctx->argv[2], OFP_PARSE_PACKET, bridge_port_lookup,
			   br, &spec, ctx->err, sizeof(ctx->err)))
		return -1;
	xp = trace_ports(ctx, br, false);
	bridge_xlate_view(br, &xb);
	if (xp)
		xb.ports = xp;
	tp.v[0].br = br;	/* crossing back: the same ports */
	tp.v[0].xp = xp;
	tp.n = 1;
	xb.patch_peer = trace_patch_peer;
	xb.aux = &tp;
	text = trace_flow_ct(&xb, &spec.match.flow, ct_next,
			     (size_t)ctx->n_ct_next);
	ofp_rule_spec_free(&spec);
	while (tp.n)
		free(tp.v[--tp.n].xp);
	if (!text)
		return cmd_err(ctx, "out of memory");
	strbuf_puts(&ctx->out, text);
	free(text);
	return 0;
}
