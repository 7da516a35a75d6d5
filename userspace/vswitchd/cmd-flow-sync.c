// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing a bridge's rules in line with what an operator wants, in
 * ovs-ofctl's words: mod-flows (new actions for the rules a flow
 * selects), replace-flows (the bridge's rules become a file's, touching
 * only what differs), diff-flows (what replace-flows would change).
 *
 * A rule is known by its table, priority and match; two rules with that
 * key are the same when their actions, cookie and timeouts are too. A
 * rule whose actions, cookie or timeouts change keeps its counters and
 * age, as an OpenFlow 1.3 modify keeps
 * them; only changed, added and removed rules are noted for the
 * revalidator, so megaflows of untouched rules stay cached.
 */
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "cmd-flow.h"
#include "commands.h"
#include "ctl-proto.h"
#include "ofp-rule.h"
#include "ofproto.h"
#include "pipeline.h"
#include "revalidator.h"
#include "vswitchd.h"

static uint64_t key_hash(const struct ofp_rule_spec *s)
{
	const uint64_t *f = (const uint64_t *)&s->match.flow;
	const uint64_t *m = (const uint64_t *)&s->match.mask;
	uint64_t h = hash_mix((uint64_t)s->table << 16 | s->priority, 0);

	for (size_t i = 0; i < FLOW_WORDS; i++)
		h = hash_mix(h, f[i] & m[i]) ^ m[i];
	return h;
}

static bool same_key(const struct ofp_rule_spec *a, const struct ofp_rule_spec *b)
{
	return a->table == b->table && a->priority == b->priority &&
	       match_equal(&a->match, &b->match);
}

static bool same_rule(const struct ofp_rule_spec *a, const struct ofp_rule_spec *b)
{
	return same_key(a, b) && a->cookie == b->cookie &&
	       a->idle_timeout == b->idle_timeout &&
	       a->hard_timeout == b->hard_timeout &&
	       a->send_flow_rem == b->send_flow_rem &&
	       ofpacts_equal(a->acts, b->acts);
}

/* What replace-flows does with each rule of the file. */
enum fate { F_ADD, F_KEEP, F_MODIFY, F_DUP };

/* The file's rules by key (open addressing; a later line with the key of
 * an earlier one takes its place, as add-flows would replace it). */
struct sync {
	const struct flow_lines *fl;
	size_t *slot, cap;		/* index + 1 into fl->specs; 0 empty */
	enum fate *fate;
	struct gone {			/* bridge rules the file lacks */
		uint64_t id;
		uint8_t table;
		struct match match;
	} *gone;
	size_t n_gone, cap_gone;
	struct bridge *br;
	struct strbuf *diff;		/* diff-flows: "-"/"+" lines, else NULL */
	long long now;
	bool oom;
};

static size_t *find_slot(struct sync *s, const struct ofp_rule_spec *k)
{
	size_t i = key_hash(k) & (s->cap - 1);

	while (s->slot[i] && !same_key(&s->fl->specs[s->slot[i] - 1], k))
		i = (i + 1) & (s->cap - 1);
	return &s->slot[i];
}

static int sync_init(struct sync *s, const struct flow_lines *fl)
{
	s->fl = fl;
	for (s->cap = 16; s->cap < 2 * fl->n; s->cap *= 2)
		;
	s->slot = calloc(s->cap, sizeof(*s->slot));
	s->fate = calloc(fl->n + 1, sizeof(*s->fate));
	if (!s->slot || !s->fate)
		return -1;
	for (size_t i = 0; i < fl->n; i++) {
		size_t *slot = find_slot(s, &fl->specs[i]);

		if (*slot)
			s->fate[*slot - 1] = F_DUP;
		*slot = i + 1;
	}
	return 0;
}

static void sync_free(struct sync *s)
{
	free(s->slot);
	free(s->fate);
	free(s->gone);
}

static void diff_line(struct strbuf *sb, char sign, const struct ofp_rule_spec *r)
{
	strbuf_putc(sb, sign);
	ofp_format_rule(sb, r);
	strbuf_putc(sb, '\n');
}

static void note_gone(struct sync *s, const struct rule *r)
{
	struct gone *v;

	if (s->n_gone == s->cap_gone) {
		s->cap_gone = s->cap_gone ? 2 * s->cap_gone : 16;
		v = realloc(s->gone, s->cap_gone * sizeof(*v));
		if (!v) {
			s->oom = true;
			return;
		}
		s->gone = v;
	}
	v = &s->gone[s->n_gone++];
	v->id = r->id;
	v->table = r->spec.table;
	v->match = r->spec.match;
	ofproto_rule_removed(s->br->name, r, OFPRR13_DELETE, s->now);
}

/* Each rule of the bridge against the file. */
static void visit_rule(const struct rule *r, void *aux)
{
	struct sync *s = aux;
	size_t j = *find_slot(s, &r->spec);
	const struct ofp_rule_spec *want = j ? &s->fl->specs[j - 1] : NULL;

	if (!want) {
		if (s->diff)
			diff_line(s->diff, '-', &r->spec);
		else
			note_gone(s, r);
		return;
	}
	if (same_rule(&r->spec, want)) {
		s->fate[j - 1] = F_KEEP;
		return;
	}
	s->fate[j - 1] = F_MODIFY;
	if (s->diff)
		diff_line(s->diff, '-', &r->spec);
}

/* @spec replaces the rule with its key, whose counters and age carry
 * over. */
static int modify_rule(struct cmd_ctx *ctx, struct bridge *br,
		       const struct ofp_rule_spec *spec)
{
	if (pipeline_modify(br->pl, spec, ctx->err, sizeof(ctx->err)))
		return -1;
	cmd_note_rule_change(br, spec->table, &spec->match);
	return 0;
}

static void remove_gone(struct sync *s)
{
	for (size_t i = 0; i < s->n_gone; i++) {
		pipeline_remove_rule(s->br->pl, s->gone[i].id);
		cmd_note_rule_change(s->br, s->gone[i].table, &s->gone[i].match);
	}
}

static int apply(struct cmd_ctx *ctx, struct sync *s)
{
	int ret = 0;

	remove_gone(s);
	if (s->n_gone)
		ctx->changed = true;
	for (size_t i = 0; i < s->fl->n && !ret; i++) {
		const struct ofp_rule_spec *spec = &s->fl->specs[i];

		if (s->fate[i] == F_MODIFY) {
			ret = modify_rule(ctx, s->br, spec);
		} else if (s->fate[i] == F_ADD) {
			ret = pipeline_add(s->br->pl, spec, ctx->err,
					   sizeof(ctx->err));
			if (!ret)
				cmd_note_rule_change(s->br, spec->table,
						     &spec->match);
		} else {
			continue;
		}
		ctx->changed = true;
	}
	return ret;
}

/* Reads FILE (argv[2]) and compares it with the bridge: @diff collects
 * the differences, or (NULL) they are applied. */
static int sync_flows(struct cmd_ctx *ctx, struct strbuf *diff)
{
	struct bridge *br = cmd_bridge(ctx);
	struct flow_lines fl = { NULL, 0 };
	struct sync s = { .br = br, .diff = diff, .now = vsw_time_msec() };
	int ret;

	if (!br)
		return -1;
	ret = cmd_flow_lines_read(ctx, br, ctx->argv[2], &fl);
	if (!ret && sync_init(&s, &fl))
		ret = cmd_err(ctx, "out of memory");
	if (!ret)
		pipeline_foreach(br->pl, NULL, visit_rule, &s);
	if (!ret && s.oom)
		ret = cmd_err(ctx, "out of memory");
	for (size_t i = 0; !ret && diff && i < fl.n; i++)
		if (s.fate[i] == F_ADD || s.fate[i] == F_MODIFY)
			diff_line(diff, '+', &fl.specs[i]);
	if (!ret && !diff) {
		ret = apply(ctx, &s);
		reval_kick();
	}
	sync_free(&s);
	cmd_flow_lines_free(&fl);
	return ret;
}

int cmd_replace_flows(struct cmd_ctx *ctx)
{
	return sync_flows(ctx, NULL);
}

/* Exit status 2 when they differ, as ovs-ofctl diff-flows. */
int cmd_diff_flows(struct cmd_ctx *ctx)
{
	size_t before = ctx->out.len;

	if (sync_flows(ctx, &ctx->out))
		return -1;
	return ctx->out.len > before ? VSW_CTL_STATUS_DIFFER : 0;
}

/* mod-flows: the rules the filter selects, before any is replaced. */
struct selected {
	const struct ofp_rule_spec *filter;
	bool strict;
	struct rule *v;
	size_t n, cap;
	bool oom;
};

static void select_rule(const struct rule *r, void *aux)
{
	struct selected *sel = aux;
	struct rule *v;

	if (sel->strict && (r->spec.priority != sel->filter->priority ||
			    !match_equal(&r->spec.match, &sel->filter->match)))
		return;
	if (sel->n == sel->cap) {
		sel->cap = sel->cap ? 2 * sel->cap : 16;
		v = realloc(sel->v, sel->cap * sizeof(*v));
		if (!v) {
			sel->oom = true;
			return;
		}
		sel->v = v;
	}
	sel->v[sel->n++] = *r;		/* key, counters; acts not owned */
}

int cmd_mod_flows(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct selected sel = { .strict = ctx->strict };
	struct ofp_rule_spec spec;
	int ret = 0;

	if (!br)
		return -1;
	if (ofp_parse_flow(ctx->argv[2], OFP_PARSE_ADD, bridge_port_lookup, br,
			   &spec, ctx->err, sizeof(ctx->err)))
		return -1;
	if (spec.cookie || spec.idle_timeout || spec.hard_timeout ||
	    spec.send_flow_rem) {
		ofp_rule_spec_free(&spec);
		return cmd_err(ctx, "mod-flows changes actions only: each rule "
			       "keeps its cookie, timeouts and flags (use "
			       "replace-flows to change them)");
	}
	spec.cookie_mask = 0;
	sel.filter = &spec;
	pipeline_foreach(br->pl, &spec, select_rule, &sel);
	if (sel.oom)
		ret = cmd_err(ctx, "out of memory");
	for (size_t i = 0; !ret && i < sel.n; i++) {
		struct ofp_rule_spec now = sel.v[i].spec;

		now.acts = spec.acts;
		ret = modify_rule(ctx, br, &now);
		ctx->changed = true;
	}
	reval_kick();
	free(sel.v);
	ofp_rule_spec_free(&spec);
	return ret;
}
