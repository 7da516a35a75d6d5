// SPDX-License-Identifier: GPL-2.0
/* OpenFlow groups: the model, the table, GROUP_MOD's checks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-group.h"

void ofp_group_init(struct ofp_group *g)
{
	memset(g, 0, sizeof(*g));
}

void ofp_group_uninit(struct ofp_group *g)
{
	for (size_t i = 0; i < g->n_buckets; i++)
		ofpacts_free(g->buckets[i].acts);
	free(g->buckets);
	g->buckets = NULL;
	g->n_buckets = 0;
}

struct ofp_bucket *ofp_group_add_bucket(struct ofp_group *g)
{
	struct ofp_bucket *b = realloc(g->buckets, (g->n_buckets + 1) * sizeof(*b));

	if (!b)
		return NULL;
	g->buckets = b;
	b = &b[g->n_buckets++];
	memset(b, 0, sizeof(*b));
	b->watch_port = OFPP_NONE;
	b->watch_group = OFPG_ANY;
	return b;
}

const char *ofp_group_type_name(uint8_t type)
{
	switch (type) {
	case OFPGT_ALL: return "all";
	case OFPGT_SELECT: return "select";
	case OFPGT_INDIRECT: return "indirect";
	case OFPGT_FF: return "fast_failover";
	}
	return NULL;
}

/* ---- the table: a sorted array of pointers ---- */

struct group_table {
	struct ofp_group **v;
	size_t n, cap;
};

struct group_table *group_table_create(void)
{
	return calloc(1, sizeof(struct group_table));
}

static void group_free(struct ofp_group *g)
{
	ofp_group_uninit(g);
	free(g);
}

void group_table_destroy(struct group_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		group_free(t->v[i]);
	free(t->v);
	free(t);
}

size_t group_table_count(const struct group_table *t)
{
	return t ? t->n : 0;
}

/* The index of @id, or where it would go (*@found false). */
static size_t slot(const struct group_table *t, uint32_t id, bool *found)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->n && t->v[lo]->id == id;
	return lo;
}

struct ofp_group *group_find(const struct group_table *t, uint32_t id)
{
	bool found;
	size_t i;

	if (!t)
		return NULL;
	i = slot(t, id, &found);
	return found ? t->v[i] : NULL;
}

struct ofp_group *group_table_at(const struct group_table *t, size_t i)
{
	return t && i < t->n ? t->v[i] : NULL;
}

int group_table_put(struct group_table *t, struct ofp_group *g, bool keep_counts)
{
	struct ofp_group *n = malloc(sizeof(*n));
	bool found;
	size_t i = slot(t, g->id, &found);

	if (!n)
		return -1;
	if (!found && t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct ofp_group **v = realloc(t->v, cap * sizeof(*v));

		if (!v) {
			free(n);
			return -1;
		}
		t->v = v;
		t->cap = cap;
	}
	*n = *g;
	ofp_group_init(g);
	if (found) {
		if (keep_counts) {
			n->packets = t->v[i]->packets;
			n->bytes = t->v[i]->bytes;
			n->created_ms = t->v[i]->created_ms;
		}
		group_free(t->v[i]);
	} else {
		memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(*t->v));
		t->n++;
	}
	t->v[i] = n;
	return 0;
}

bool group_table_remove(struct group_table *t, uint32_t id)
{
	bool found;
	size_t i = slot(t, id, &found);

	if (!found)
		return false;
	group_free(t->v[i]);
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
	t->n--;
	return true;
}

/* ---- checks ---- */

static __attribute__((format(printf, 4, 5))) ofperr
why_err(ofperr e, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return e;
}

uint32_t group_missing(const struct group_table *t, const struct ofpacts *acts)
{
	for (size_t i = 0; acts && i < acts->n; i++)
		if (acts->a[i].type == OFPACT_GROUP && !group_find(t, acts->a[i].group_id))
			return acts->a[i].group_id;
	return OFPG_ANY;
}

/* Whether following @from's chain (with @g in place of the group of its
 * id) reaches group @target within @depth steps. */
static bool reaches(const struct group_table *t, const struct ofp_group *g,
		    const struct ofp_group *from, uint32_t target, int depth)
{
	if (depth > GROUP_MAX_CHAIN + 1)
		return true;	/* deeper than any chain may be: refuse */
	for (size_t i = 0; i < from->n_buckets; i++) {
		const struct ofpacts *a = from->buckets[i].acts;

		for (size_t j = 0; a && j < a->n; j++) {
			const struct ofp_group *next;

			if (a->a[j].type != OFPACT_GROUP)
				continue;
			if (a->a[j].group_id == target)
				return true;
			next = a->a[j].group_id == g->id ? g
							  : group_find(t, a->a[j].group_id);
			if (next && reaches(t, g, next, target, depth + 1))
				return true;
		}
	}
	return false;
}

static ofperr check_bucket(const struct ofp_group *g, const struct ofp_bucket *b,
			   size_t i, bool (*port_ok)(void *, uint32_t), void *aux,
			   char *why, size_t whylen)
{
	if (b->weight && g->type != OFPGT_SELECT)
		return why_err(ofp_gm_err(OFPGMFC13_BAD_BUCKET), why, whylen, "bucket %zu: "
			       "weight is for select groups only", i + 1);
	if (b->watch_group != OFPG_ANY)
		return why_err(ofp_gm_err(OFPGMFC13_WATCH_UNSUPPORTED), why, whylen,
			       "bucket %zu: watch_group is not supported "
			       "(watch_port is)", i + 1);
	if (g->type == OFPGT_FF && b->watch_port == OFPP_NONE)
		return why_err(ofp_gm_err(OFPGMFC13_BAD_WATCH), why, whylen, "bucket %zu: "
			       "a fast_failover bucket needs watch_port", i + 1);
	if (b->watch_port != OFPP_NONE &&
	    ((b->watch_port > OFPP_MAX && b->watch_port != OFPP_LOCAL) ||
	     (port_ok && !port_ok(aux, b->watch_port))))
		return why_err(ofp_gm_err(OFPGMFC13_BAD_WATCH), why, whylen, "bucket %zu: "
			       "watch_port %u is no port of the bridge", i + 1,
			       b->watch_port);
	for (size_t j = 0; b->acts && j < b->acts->n; j++)
		if (b->acts->a[j].type == OFPACT_GOTO_TABLE)
			return why_err(OFPERR(OFPET13_BAD_ACTION, OFPBAC13_BAD_TYPE),
				       why, whylen, "bucket %zu: goto_table is an "
				       "instruction, not an action", i + 1);
	return 0;
}

ofperr group_check(const struct group_table *t, const struct ofp_group *g,
		   bool (*port_ok)(void *aux, uint32_t port), void *aux,
		   char *why, size_t whylen)
{
	ofperr e;

	if (g->id > OFPG_MAX)
		return why_err(ofp_gm_err(OFPGMFC13_INVALID_GROUP), why, whylen,
			       "group_id %#x is reserved (the last is %#x)",
			       g->id, OFPG_MAX);
	if (!ofp_group_type_name(g->type))
		return why_err(ofp_gm_err(OFPGMFC13_BAD_TYPE), why, whylen,
			       "unknown group type %u", g->type);
	if (g->type == OFPGT_INDIRECT && g->n_buckets != 1)
		return why_err(ofp_gm_err(OFPGMFC13_INVALID_GROUP), why, whylen,
			       "an indirect group has exactly one bucket, not %zu",
			       g->n_buckets);
	if (g->n_buckets > GROUP_MAX_BUCKETS)
		return why_err(ofp_gm_err(OFPGMFC13_OUT_OF_BUCKETS), why, whylen,
			       "%zu buckets (at most %d)", g->n_buckets,
			       GROUP_MAX_BUCKETS);
	if (!group_find(t, g->id) && group_table_count(t) >= GROUP_MAX_GROUPS)
		return why_err(ofp_gm_err(OFPGMFC13_OUT_OF_GROUPS), why, whylen,
			       "%d groups already", GROUP_MAX_GROUPS);
	for (size_t i = 0; i < g->n_buckets; i++) {
		uint32_t miss;

		e = check_bucket(g, &g->buckets[i], i, port_ok, aux, why, whylen);
		if (e)
			return e;
		if (ofpacts_output_to_group(g->buckets[i].acts, g->id))
			return why_err(ofp_gm_err(OFPGMFC13_LOOP), why, whylen, "bucket %zu "
				       "forwards to its own group", i + 1);
		miss = group_missing(t, g->buckets[i].acts);
		if (miss != OFPG_ANY)
			return why_err(OFPERR(OFPET13_BAD_ACTION, OFPBAC13_BAD_OUT_GROUP),
				       why, whylen, "bucket %zu: group %u does not "
				       "exist", i + 1, miss);
	}
	if (reaches(t, g, g, g->id, 0))
		return why_err(ofp_gm_err(OFPGMFC13_LOOP), why, whylen, "it would "
			       "forward to itself through a chain of groups "
			       "(or through more than %d)", GROUP_MAX_CHAIN);
	return 0;
}

uint32_t group_chained_from(const struct group_table *t, uint32_t id,
			    bool (*skip)(void *aux, uint32_t id), void *aux)
{
	for (size_t i = 0; i < group_table_count(t); i++) {
		const struct ofp_group *g = t->v[i];

		if (g->id == id || (skip && skip(aux, g->id)))
			continue;
		for (size_t j = 0; j < g->n_buckets; j++)
			if (ofpacts_output_to_group(g->buckets[j].acts, id))
				return g->id;
	}
	return OFPG_ANY;
}
