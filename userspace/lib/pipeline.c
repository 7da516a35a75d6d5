// SPDX-License-Identifier: GPL-2.0
/* OpenFlow tables of rules over the classifier. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pipeline.h"
#include "util.h"

struct ptable {
	struct classifier *cls;		/* created on first use */
};

/*
 * Rules by id: every upcall credits the rules its translation matched,
 * and every revalidation pass pushes each megaflow's stats to its rules,
 * so finding a rule by id must not cost a walk over all of them. Chained
 * hash, doubled when the load passes 1.
 */
struct id_index {
	struct rule **buckets;
	size_t n_buckets;		/* a power of 2, or 0 */
};

struct pipeline {
	struct ptable tables[OFP_N_TABLES];
	struct id_index ids;
	uint64_t next_id;
	size_t n_rules;
	size_t n_timed[OFP_N_TABLES];	/* rules with an idle/hard timeout */
	uint64_t n_missed[OFP_N_TABLES];	/* pipeline_credit_misses() */
	bool linear;
};

static struct rule *rule_of(const struct cls_rule *cr)
{
	return (struct rule *)((char *)cr - offsetof(struct rule, cr));
}

struct pipeline *pipeline_create(void)
{
	struct pipeline *pl = calloc(1, sizeof(*pl));

	if (pl) {
		pl->next_id = 1;
	}
	return pl;
}

static size_t id_bucket(const struct id_index *x, uint64_t id)
{
	return (id * 0x9e3779b97f4a7c15ull >> 32) & (x->n_buckets - 1);
}

static int id_index_grow(struct id_index *x)
{
	size_t n = x->n_buckets ? x->n_buckets * 2 : 64;
	struct rule **b = calloc(n, sizeof(*b));
	struct id_index nx = { b, n };

	if (!b)
		return -1;
	for (size_t i = 0; i < x->n_buckets; i++) {
		struct rule *r = x->buckets[i], *next;

		for (; r; r = next) {
			size_t k = id_bucket(&nx, r->id);

			next = r->id_next;
			r->id_next = b[k];
			b[k] = r;
		}
	}
	free(x->buckets);
	*x = nx;
	return 0;
}

/* Indexes @r; the pipeline holds at most n_rules + 1 rules here. */
static int id_index_add(struct pipeline *pl, struct rule *r)
{
	struct id_index *x = &pl->ids;
	size_t k;

	if (pl->n_rules + 1 > x->n_buckets && id_index_grow(x) &&
	    !x->n_buckets)
		return -1;	/* a full table only gets longer chains */
	k = id_bucket(x, r->id);
	r->id_next = x->buckets[k];
	x->buckets[k] = r;
	return 0;
}

static void id_index_del(struct id_index *x, struct rule *r)
{
	struct rule **p = &x->buckets[id_bucket(x, r->id)];

	for (; *p; p = &(*p)->id_next)
		if (*p == r) {
			*p = r->id_next;
			return;
		}
}

static bool rule_timed(const struct rule *r)
{
	return r->spec.idle_timeout || r->spec.hard_timeout;
}

/* Forgets @r (in the id index and the timed counts) before it is freed. */
static void rule_unlink(struct pipeline *pl, struct rule *r)
{
	id_index_del(&pl->ids, r);
	pl->n_timed[r->spec.table] -= rule_timed(r);
	pl->n_rules--;
}

static void rule_free(struct rule *r)
{
	ofp_rule_spec_free(&r->spec);
	free(r);
}

static void collect(struct cls_rule *cr, void *aux)
{
	struct rule ***p = aux;

	*(*p)++ = rule_of(cr);
}

/* All rules of a table in an array the caller frees; *n set. */
static struct rule **table_rules(const struct ptable *t, size_t *n)
{
	struct rule **v, **p;

	*n = t->cls ? classifier_count(t->cls) : 0;
	v = calloc(*n ? *n : 1, sizeof(*v));
	if (!v) {
		*n = 0;
		return NULL;
	}
	p = v;
	if (t->cls)
		classifier_foreach(t->cls, collect, &p);
	return v;
}

void pipeline_destroy(struct pipeline *pl)
{
	if (!pl)
		return;
	for (int i = 0; i < OFP_N_TABLES; i++) {
		size_t n;
		struct rule **v = table_rules(&pl->tables[i], &n);

		for (size_t j = 0; j < n; j++)
			rule_free(v[j]);
		free(v);
		classifier_destroy(pl->tables[i].cls);
	}
	free(pl->ids.buckets);
	free(pl);
}

/* What a replacement takes over from the rule it replaces. */
enum { KEEP_COUNTS = 1, KEEP_TIMES = 2 };

/* pipeline_add(); @keep (KEEP_*) says what of the replaced rule goes to
 * its replacement. */
static int add_rule(struct pipeline *pl, const struct ofp_rule_spec *spec,
		    unsigned int keep, char *err, size_t errlen)
{
	struct ptable *t = &pl->tables[spec->table];
	struct cls_rule *old;
	struct rule *r;

	if (spec->table >= OFP_N_TABLES) {
		snprintf(err, errlen, "invalid table %u", spec->table);
		return -1;
	}
	for (size_t i = 0; spec->acts && i < spec->acts->n; i++) {
		const struct ofpact *a = &spec->acts->a[i];

		if (a->type == OFPACT_GOTO_TABLE && a->table <= spec->table) {
			snprintf(err, errlen, "goto_table:%u must name a later table "
				 "than the rule's table %u", a->table, spec->table);
			return -1;
		}
		if (a->type == OFPACT_GOTO_TABLE && i + 1 != spec->acts->n) {
			snprintf(err, errlen, "goto_table:%u must be the last action",
				 a->table);
			return -1;
		}
	}
	if (!t->cls && !(t->cls = classifier_create()))
		goto oom;
	r = calloc(1, sizeof(*r));
	if (!r)
		goto oom;
	r->spec = *spec;
	r->spec.acts = spec->acts ? ofpacts_clone(spec->acts) : ofpacts_new();
	if (!r->spec.acts) {
		free(r);
		goto oom;
	}
	r->spec.has_actions = true;
	r->spec.cookie_mask = ~0ull;
	r->cr.match = spec->match;
	r->cr.priority = spec->priority;
	r->id = pl->next_id++;
	r->created_ms = r->used_ms = vsw_time_msec();
	if (id_index_add(pl, r)) {
		rule_free(r);
		goto oom;
	}
	old = classifier_replace(t->cls, &r->cr);
	if (!r->cr.subtable) {
		if (old)
			classifier_replace(t->cls, old);
		id_index_del(&pl->ids, r);
		rule_free(r);
		goto oom;
	}
	if (old && (keep & KEEP_COUNTS)) {
		r->n_packets = rule_of(old)->n_packets;
		r->n_bytes = rule_of(old)->n_bytes;
	}
	if (old && (keep & KEEP_TIMES)) {
		r->created_ms = rule_of(old)->created_ms;
		r->used_ms = rule_of(old)->used_ms;
	}
	if (old) {
		rule_unlink(pl, rule_of(old));
		rule_free(rule_of(old));
	}
	r->spec.match = r->cr.match;	/* normalized */
	pl->n_rules++;
	pl->n_timed[spec->table] += rule_timed(r);
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

int pipeline_add(struct pipeline *pl, const struct ofp_rule_spec *spec,
		 char *err, size_t errlen)
{
	return add_rule(pl, spec, 0, err, errlen);
}

int pipeline_modify(struct pipeline *pl, const struct ofp_rule_spec *spec,
		    char *err, size_t errlen)
{
	return add_rule(pl, spec, KEEP_COUNTS | KEEP_TIMES, err, errlen);
}

int pipeline_add_keep_counts(struct pipeline *pl,
			     const struct ofp_rule_spec *spec,
			     char *err, size_t errlen)
{
	return add_rule(pl, spec, KEEP_COUNTS, err, errlen);
}

/* Does @r pass @f (non-strict: f's match is looser or equal)? */
static bool rule_selected(const struct rule *r, const struct ofp_rule_spec *f,
			  bool strict)
{
	if (!f)
		return true;
	if (f->table_set && r->spec.table != f->table)
		return false;
	if ((r->spec.cookie ^ f->cookie) & f->cookie_mask)
		return false;
	if (f->out_port != OFPP_NONE && !ofpacts_output_to(r->spec.acts, f->out_port))
		return false;
	if (f->out_group_set && !ofpacts_output_to_group(r->spec.acts, f->out_group))
		return false;
	if (strict)
		return r->cr.priority == f->priority &&
		       match_equal(&r->cr.match, &f->match);
	return match_is_subset(&r->cr.match, &f->match);
}

static int cmp_rules(const void *a, const void *b)
{
	const struct rule *x = *(struct rule *const *)a, *y = *(struct rule *const *)b;

	if (x->cr.priority != y->cr.priority)
		return x->cr.priority > y->cr.priority ? -1 : 1;
	return x->cr.seq < y->cr.seq ? -1 : x->cr.seq > y->cr.seq;
}

/* Rules of table @i selected by @f, sorted; the caller frees. */
static struct rule **select_rules(struct pipeline *pl, int i,
				  const struct ofp_rule_spec *f, bool strict,
				  size_t *n)
{
	size_t all, k = 0;
	struct rule **v = table_rules(&pl->tables[i], &all);

	for (size_t j = 0; v && j < all; j++)
		if (rule_selected(v[j], f, strict))
			v[k++] = v[j];
	qsort(v, k, sizeof(*v), cmp_rules);
	*n = k;
	return v;
}

static void remove_rule(struct pipeline *pl, struct rule *r)
{
	classifier_remove(pl->tables[r->spec.table].cls, &r->cr);
	rule_unlink(pl, r);
	rule_free(r);
}

bool pipeline_remove_rule(struct pipeline *pl, uint64_t id)
{
	struct rule *r = pipeline_find_rule(pl, id);

	if (!r)
		return false;
	remove_rule(pl, r);
	return true;
}

int pipeline_delete(struct pipeline *pl, const struct ofp_rule_spec *filter,
		    bool strict)
{
	int count = 0;

	for (int i = 0; i < OFP_N_TABLES; i++) {
		size_t n;
		struct rule **v;

		if (!pl->tables[i].cls || (filter && filter->table_set &&
					   filter->table != i))
			continue;
		v = select_rules(pl, i, filter, strict, &n);
		for (size_t j = 0; j < n; j++, count++)
			remove_rule(pl, v[j]);
		free(v);
	}
	return count;
}

void pipeline_foreach(struct pipeline *pl, const struct ofp_rule_spec *filter,
		      void (*cb)(const struct rule *, void *), void *aux)
{
	for (int i = 0; i < OFP_N_TABLES; i++) {
		size_t n;
		struct rule **v;

		if (!pl->tables[i].cls || (filter && filter->table_set &&
					   filter->table != i))
			continue;
		v = select_rules(pl, i, filter, false, &n);
		for (size_t j = 0; j < n; j++)
			cb(v[j], aux);
		free(v);
	}
}

struct rule *pipeline_find_rule(struct pipeline *pl, uint64_t id)
{
	struct rule *r;

	if (!pl->ids.n_buckets)
		return NULL;
	for (r = pl->ids.buckets[id_bucket(&pl->ids, id)]; r; r = r->id_next)
		if (r->id == id)
			return r;
	return NULL;
}

struct linear_ctx {
	const struct flow *flow;
	struct rule *best;
};

static void linear_cb(struct cls_rule *cr, void *aux)
{
	struct linear_ctx *c = aux;

	if (!match_matches_flow(&cr->match, c->flow))
		return;
	if (!c->best || cr->priority > c->best->cr.priority ||
	    (cr->priority == c->best->cr.priority && cr->seq < c->best->cr.seq))
		c->best = rule_of(cr);
}

void pipeline_set_linear_lookup(struct pipeline *pl, bool on)
{
	pl->linear = on;
}

struct rule *pipeline_lookup(const struct pipeline *pl, uint8_t table,
			     const struct flow *flow, struct flow *wc)
{
	const struct cls_rule *cr;

	if (table >= OFP_N_TABLES || !pl->tables[table].cls)
		return NULL;
	if (pl->linear) {
		struct linear_ctx c = { flow, NULL };

		classifier_foreach(pl->tables[table].cls, linear_cb, &c);
		return c.best;
	}
	cr = classifier_lookup(pl->tables[table].cls, flow, wc);
	return cr ? rule_of(cr) : NULL;
}

void rule_credit(struct rule *r, uint64_t packets, uint64_t bytes,
		 long long now_ms)
{
	r->n_packets += packets;
	r->n_bytes += bytes;
	if (packets && now_ms > r->used_ms)
		r->used_ms = now_ms;
}

static bool rule_expired(const struct rule *r, long long now)
{
	if (r->spec.hard_timeout &&
	    now - r->created_ms >= (long long)r->spec.hard_timeout * 1000)
		return true;
	return r->spec.idle_timeout &&
	       now - r->used_ms >= (long long)r->spec.idle_timeout * 1000;
}

int pipeline_expire(struct pipeline *pl, long long now_ms,
		    void (*cb)(const struct rule *, void *), void *aux)
{
	int count = 0;

	for (int i = 0; i < OFP_N_TABLES; i++) {
		size_t n;
		struct rule **v;

		if (!pl->n_timed[i])
			continue;	/* most tables: no walk at all */
		v = table_rules(&pl->tables[i], &n);
		for (size_t j = 0; v && j < n; j++) {
			if (!rule_expired(v[j], now_ms))
				continue;
			if (cb)
				cb(v[j], aux);
			remove_rule(pl, v[j]);
			count++;
		}
		free(v);
	}
	return count;
}

size_t pipeline_n_rules(const struct pipeline *pl)
{
	return pl->n_rules;
}

void pipeline_credit_misses(struct pipeline *pl, const uint8_t tables[32],
			    uint64_t packets)
{
	for (int i = 0; i < OFP_N_TABLES; i++)
		if (tables[i / 8] & (1u << (i % 8)))
			pl->n_missed[i] += packets;
}

uint64_t pipeline_table_misses(const struct pipeline *pl, uint8_t table)
{
	return table < OFP_N_TABLES ? pl->n_missed[table] : 0;
}
