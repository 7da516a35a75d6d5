// SPDX-License-Identifier: GPL-2.0
/* Rules as add-flow text: the state file's records and dump-flows' lines. */
#include <inttypes.h>
#include <stdlib.h>
#include "ofp-print.h"
#include "ofp-rule.h"
#include "pipeline.h"
#include "util.h"

void ofp_format_rule(struct strbuf *sb, const struct ofp_rule_spec *s)
{
	char *m = ofp_format_match(&s->match, NULL, NULL);
	char *a = ofp_format_actions(s->acts, NULL, NULL);

	strbuf_printf(sb, "table=%u,priority=%u", s->table, s->priority);
	if (s->cookie)
		strbuf_printf(sb, ",cookie=0x%" PRIx64, s->cookie);
	if (s->idle_timeout)
		strbuf_printf(sb, ",idle_timeout=%u", s->idle_timeout);
	if (s->hard_timeout)
		strbuf_printf(sb, ",hard_timeout=%u", s->hard_timeout);
	if (s->send_flow_rem)
		strbuf_puts(sb, ",send_flow_rem");
	if (m && *m)
		strbuf_printf(sb, ",%s", m);
	strbuf_printf(sb, ",actions=%s", a ? a : "drop");
	if (!m || !a)
		sb->oom = true;
	free(m);
	free(a);
}

void ofp_format_rule_stats(struct strbuf *sb, const struct ofp_rule_spec *s,
			   const struct ofp_rule_stats *st)
{
	char *m = ofp_format_match(&s->match, NULL, NULL);
	char *a = ofp_format_actions(s->acts, NULL, NULL);
	bool prio = s->priority != OFP_DEFAULT_PRIORITY;

	strbuf_printf(sb, " cookie=0x%" PRIx64 ", duration=%.3fs, table=%u, "
		      "n_packets=%" PRIu64 ", n_bytes=%" PRIu64 ", ",
		      s->cookie, st->duration_s, s->table, st->n_packets,
		      st->n_bytes);
	if (s->idle_timeout)
		strbuf_printf(sb, "idle_timeout=%u, ", s->idle_timeout);
	if (s->hard_timeout)
		strbuf_printf(sb, "hard_timeout=%u, ", s->hard_timeout);
	if (s->send_flow_rem)
		strbuf_puts(sb, "send_flow_rem ");
	if (prio)
		strbuf_printf(sb, "priority=%u", s->priority);
	if (m && *m)
		strbuf_printf(sb, "%s%s", prio ? "," : "", m);
	strbuf_printf(sb, "%sactions=%s", prio || (m && *m) ? " " : "",
		      a ? a : "drop");
	if (!m || !a)
		sb->oom = true;
	free(m);
	free(a);
}

struct save_aux {
	struct strbuf *sb;
	const char *br;
};

static void save_rule(const struct rule *r, void *aux_)
{
	struct save_aux *aux = aux_;

	strbuf_printf(aux->sb, "flow %s ", aux->br);
	ofp_format_rule(aux->sb, &r->spec);
	strbuf_putc(aux->sb, '\n');
}

void ofp_rule_save_records(struct strbuf *sb, const char *br,
			   struct pipeline *pl)
{
	struct save_aux aux = { sb, br };

	pipeline_foreach(pl, NULL, save_rule, &aux);
}

int ofp_rule_load(struct pipeline *pl, const char *text,
		  ofp_port_lookup_fn lookup, void *aux, char *err, size_t errlen)
{
	struct ofp_rule_spec spec;
	int ret;

	if (ofp_parse_flow(text, OFP_PARSE_ADD, lookup, aux, &spec, err, errlen))
		return -1;
	ret = pipeline_add(pl, &spec, err, errlen);
	ofp_rule_spec_free(&spec);
	return ret;
}
