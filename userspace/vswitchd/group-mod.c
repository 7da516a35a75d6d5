// SPDX-License-Identifier: GPL-2.0
/* Group changes on a bridge (group-mod.h). Called with vswd.mutex. */
#include "group-mod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "log.h"
#include "ofproto.h"
#include "pipeline.h"
#include "revalidator.h"
#include "util.h"
#include "vswitchd.h"

static bool port_exists(void *aux, uint32_t port)
{
	struct bridge *br = aux;

	return port == OFPP_LOCAL || bridge_find_port_no(br, port);
}

/* The rules forwarding to a group: FLOW_REMOVED for those that asked,
 * their megaflows marked, then deleted one by one (strictly). */
struct doomed {
	struct bridge *br;
	uint32_t id;			/* OFPG_ALL: any group */
	long long now;
	struct ofp_rule_spec *v;
	size_t n, cap;
};

static bool uses_group(const struct ofpacts *acts, uint32_t id)
{
	for (size_t i = 0; acts && i < acts->n; i++)
		if (acts->a[i].type == OFPACT_GROUP &&
		    (id == OFPG_ALL || acts->a[i].group_id == id))
			return true;
	return false;
}

static void doomed_cb(const struct rule *r, void *aux)
{
	struct doomed *d = aux;
	struct ofp_rule_spec *s;

	if (!uses_group(r->spec.acts, d->id))
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;

		s = realloc(d->v, cap * sizeof(*s));
		if (!s)
			return;		/* left in place; translation drops */
		d->v = s;
		d->cap = cap;
	}
	ofproto_rule_removed(d->br->name, r, OFPRR13_GROUP_DELETE, d->now);
	s = &d->v[d->n++];
	*s = r->spec;
	s->acts = NULL;
	s->table_set = true;
	s->cookie_mask = 0;
	s->out_port = OFPP_NONE;
	s->out_group_set = false;
}

static size_t delete_rules_to(struct bridge *br, uint32_t id)
{
	struct doomed d = { br, id, vsw_time_msec() };
	size_t n = 0;

	pipeline_foreach(br->pl, NULL, doomed_cb, &d);
	for (size_t i = 0; i < d.n; i++) {
		reval_mark_rule(br, d.v[i].table, &d.v[i].match);
		n += pipeline_delete(br->pl, &d.v[i], true);
	}
	free(d.v);
	return n;
}

static ofperr group_delete(struct bridge *br, uint32_t id, char *why,
			   size_t whylen, size_t *rules)
{
	uint32_t from;

	if (id == OFPG_ALL) {
		*rules = delete_rules_to(br, OFPG_ALL);
		while (group_table_count(br->groups)) {
			uint32_t gid = group_table_at(br->groups, 0)->id;

			reval_mark_group(br, gid);
			group_table_remove(br->groups, gid);
		}
		return 0;
	}
	if (!group_find(br->groups, id))	/* nothing to do, no error */
		return 0;
	from = group_chained_from(br->groups, id, NULL, NULL);
	if (from != OFPG_ANY) {
		snprintf(why, whylen, "group %u forwards to it (delete that one "
			 "first)", from);
		return ofp_gm_err(OFPGMFC13_CHAINED_GROUP);
	}
	*rules = delete_rules_to(br, id);
	reval_mark_group(br, id);
	group_table_remove(br->groups, id);
	return 0;
}

ofperr group_mod_apply(struct bridge *br, uint16_t command, struct ofp_group *g,
		       char *why, size_t whylen, size_t *rules_deleted)
{
	bool exists = group_find(br->groups, g->id);
	uint32_t id = g->id;		/* @g is emptied once put */
	size_t rules = 0;
	ofperr err;

	vswd_assert_locked();
	why[0] = '\0';
	if (command == OFPGC_DELETE) {
		err = group_delete(br, g->id, why, whylen, &rules);
		if (rules_deleted)
			*rules_deleted = rules;
		return err;
	}
	if (command != OFPGC_ADD && command != OFPGC_MODIFY) {
		snprintf(why, whylen, "unknown group command %u", command);
		return ofp_gm_err(OFPGMFC13_BAD_COMMAND);
	}
	if (command == OFPGC_ADD && exists) {
		snprintf(why, whylen, "already exists (mod-group replaces it)");
		return ofp_gm_err(OFPGMFC13_GROUP_EXISTS);
	}
	if (command == OFPGC_MODIFY && !exists) {
		snprintf(why, whylen, "does not exist (add-group adds it)");
		return ofp_gm_err(OFPGMFC13_UNKNOWN_GROUP);
	}
	err = group_check(br->groups, g, port_exists, br, why, whylen);
	if (err)
		return err;
	if (command == OFPGC_ADD)
		g->created_ms = vsw_time_msec();
	if (group_table_put(br->groups, g, command == OFPGC_MODIFY)) {
		snprintf(why, whylen, "out of memory");
		return ofp_gm_err(OFPGMFC13_OUT_OF_GROUPS);
	}
	if (command == OFPGC_MODIFY)
		reval_mark_group(br, id);
	return 0;
}

ofperr group_check_rule(struct bridge *br, const struct ofpacts *acts,
			char *why, size_t whylen)
{
	uint32_t id = group_missing(br->groups, acts);

	if (id == OFPG_ANY)
		return 0;
	snprintf(why, whylen, "group %u does not exist", id);
	return OFPERR(OFPET13_BAD_ACTION, OFPBAC13_BAD_OUT_GROUP);
}

void group_credit(struct bridge *br, const uint64_t *uses, size_t n,
		  uint64_t packets, uint64_t bytes)
{
	for (size_t i = 0; i < n; i++) {
		struct ofp_group *g = group_find(br->groups,
						 XLATE_GROUP_USE_ID(uses[i]));
		uint32_t b = XLATE_GROUP_USE_BUCKET(uses[i]);

		if (!g)
			continue;
		if (XLATE_GROUP_USE_FIRST(uses[i])) {
			g->packets += packets;
			g->bytes += bytes;
		}
		if (b < g->n_buckets) {
			g->buckets[b].packets += packets;
			g->buckets[b].bytes += bytes;
		}
	}
}

struct ref_aux {
	uint32_t id, n;
};

static void ref_cb(const struct rule *r, void *aux_)
{
	struct ref_aux *a = aux_;

	a->n += ofpacts_output_to_group(r->spec.acts, a->id);
}

uint32_t group_ref_count(struct bridge *br, uint32_t id)
{
	struct ref_aux a = { id, 0 };

	pipeline_foreach(br->pl, NULL, ref_cb, &a);
	return a.n;
}

/* Whether every group @g's buckets forward to is marked in @done. */
static bool deps_done(const struct group_table *t, const struct ofp_group *g,
		      const bool *done)
{
	for (size_t i = 0; i < g->n_buckets; i++) {
		const struct ofpacts *a = g->buckets[i].acts;

		for (size_t j = 0; a && j < a->n; j++) {
			size_t k;

			if (a->a[j].type != OFPACT_GROUP)
				continue;
			for (k = 0; group_table_at(t, k) &&
				    group_table_at(t, k)->id != a->a[j].group_id; k++)
				;
			if (group_table_at(t, k) && !done[k])
				return false;
		}
	}
	return true;
}

void group_save_records(struct strbuf *sb, struct bridge *br)
{
	size_t n = group_table_count(br->groups), left = n;
	bool *done = calloc(n ? n : 1, sizeof(*done)), progress = true;

	if (!done) {
		sb->oom = true;
		return;
	}
	/* a group after those it forwards to, so each loads as it comes */
	while (left && progress) {
		progress = false;
		for (size_t i = 0; i < n; i++) {
			const struct ofp_group *g = group_table_at(br->groups, i);

			if (done[i] || !deps_done(br->groups, g, done))
				continue;
			strbuf_printf(sb, "group %s ", br->name);
			ofp_group_format(sb, g, NULL, NULL);
			strbuf_putc(sb, '\n');
			done[i] = progress = true;
			left--;
		}
	}
	free(done);
}

int group_load_record(struct bridge *br, const char *text, char *err,
		      size_t errlen)
{
	struct ofp_group g;
	char why[256];
	ofperr e;

	if (ofp_group_parse(text, bridge_port_lookup, br, &g, err, errlen))
		return -1;
	e = group_mod_apply(br, OFPGC_ADD, &g, why, sizeof(why), NULL);
	ofp_group_uninit(&g);
	if (e) {
		snprintf(err, errlen, "%s (%s)", why, ofperr_name(e));
		return -1;
	}
	return 0;
}
