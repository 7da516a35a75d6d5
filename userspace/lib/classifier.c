// SPDX-License-Identifier: GPL-2.0
/*
 * Tuple-space search with staged lookup and prefix tries (see
 * classifier.h): the classifier's lifecycle and rules entering and
 * leaving it. Subtables are in classifier-subtable.c, the lookup in
 * classifier-lookup.c.
 */
#include <stdlib.h>
#include <string.h>
#include "classifier-private.h"

struct classifier *classifier_create(void)
{
	struct classifier *cls = calloc(1, sizeof(*cls));

	if (!cls)
		return NULL;
	cls_init_stage_fields();
	for (int t = 0; t < N_TRIES; t++)
		ptrie_init(&cls->tries[t], cls_trie_fields[t].n_bytes * 8);
	cls->use_stages = cls->use_tries = true;
	return cls;
}

void classifier_destroy(struct classifier *cls)
{
	if (!cls)
		return;
	for (size_t i = 0; i < cls->n_subtables; i++)
		cls_subtable_destroy(cls->subtables[i]);
	for (int t = 0; t < N_TRIES; t++)
		ptrie_destroy(&cls->tries[t]);
	free(cls->subtables);
	free(cls);
}

void classifier_set_optimizations(struct classifier *cls, bool stages, bool tries)
{
	cls->use_stages = stages;
	cls->use_tries = tries;
}

static int cmp_subtables(const void *a, const void *b)
{
	const struct cls_subtable *x = *(struct cls_subtable *const *)a;
	const struct cls_subtable *y = *(struct cls_subtable *const *)b;

	return x->max_priority < y->max_priority ? 1 :
	       x->max_priority > y->max_priority ? -1 : 0;
}

static void sort_subtables(struct classifier *cls)
{
	/* Insertion order among equals is kept by a stable pass. */
	for (size_t i = 1; i < cls->n_subtables; i++) {
		struct cls_subtable *s = cls->subtables[i];
		size_t j = i;

		while (j && cmp_subtables(&cls->subtables[j - 1], &s) > 0) {
			cls->subtables[j] = cls->subtables[j - 1];
			j--;
		}
		cls->subtables[j] = s;
	}
}

static struct cls_subtable *find_subtable(const struct classifier *cls,
					  const struct flow *mask)
{
	for (size_t i = 0; i < cls->n_subtables; i++)
		if (!memcmp(&cls->subtables[i]->mask, mask, sizeof(*mask)))
			return cls->subtables[i];
	return NULL;
}

static struct cls_subtable *get_subtable(struct classifier *cls,
					 const struct flow *mask)
{
	struct cls_subtable *st = find_subtable(cls, mask), **n;

	if (st)
		return st;
	n = realloc(cls->subtables, (cls->n_subtables + 1) * sizeof(*n));
	if (!n)
		return NULL;
	cls->subtables = n;
	st = cls_subtable_create(mask);
	if (!st)
		return NULL;
	st->max_priority = -1;
	cls->subtables[cls->n_subtables++] = st;
	return st;
}

static void drop_subtable(struct classifier *cls, struct cls_subtable *st)
{
	for (size_t i = 0; i < cls->n_subtables; i++) {
		if (cls->subtables[i] == st) {
			memmove(&cls->subtables[i], &cls->subtables[i + 1],
				(cls->n_subtables - i - 1) * sizeof(st));
			cls->n_subtables--;
			break;
		}
	}
	cls_subtable_destroy(st);
}

/* Index and trie bookkeeping for one rule value entering or leaving. */
static void account_rule(struct classifier *cls, struct cls_subtable *st,
			 const struct cls_rule *r, bool add)
{
	uint64_t h = HASH_BASIS;

	for (int i = 0; i < st->n_ranges - 1; i++) {
		h = range_hash(&st->range[i], &r->match.flow, h);
		if (add)
			cls_hset_add(&st->index[i], h);
		else
			cls_hset_del(&st->index[i], h);
	}
	for (int t = 0; t < N_TRIES; t++) {
		const uint8_t *v = (const uint8_t *)&r->match.flow + cls_trie_fields[t].off;

		if (!st->trie_plen[t])
			continue;
		if (add)
			ptrie_insert(&cls->tries[t], v, (unsigned)st->trie_plen[t]);
		else
			ptrie_remove(&cls->tries[t], v, (unsigned)st->trie_plen[t]);
	}
	if (st->ports != PORTS_NONE) {
		uint32_t pv = htonl(ports_value(st->ports, &r->match.flow));

		if (add)
			ptrie_insert(&st->ports_trie, (const uint8_t *)&pv, st->ports_plen);
		else
			ptrie_remove(&st->ports_trie, (const uint8_t *)&pv, st->ports_plen);
	}
}

static uint64_t rule_hash(const struct cls_subtable *st, const struct flow *f)
{
	uint64_t h = HASH_BASIS;

	for (int i = 0; i < st->n_ranges; i++)
		h = range_hash(&st->range[i], f, h);
	return h;
}

static bool rule_before(const struct cls_rule *a, const struct cls_rule *b)
{
	return a->priority > b->priority ||
	       (a->priority == b->priority && a->seq < b->seq);
}

/* Puts @r into its head list (or makes it a new head). */
static int insert_in_bucket(struct cls_subtable *st, struct cls_rule *r)
{
	struct cls_rule **bp, *head;

	head = find_head(st, r->hash, &r->match.flow);
	if (!head) {
		if (st->n_heads + 1 > st->n_buckets && cls_buckets_grow(st))
			return -1;
		bp = &st->buckets[r->hash & (st->n_buckets - 1)];
		r->hnext = *bp;
		*bp = r;
		st->n_heads++;
		return 0;
	}
	if (rule_before(r, head)) {		/* r becomes the head */
		bp = &st->buckets[r->hash & (st->n_buckets - 1)];
		while (*bp != head)
			bp = &(*bp)->hnext;
		*bp = r;
		r->hnext = head->hnext;
		r->next = head;
		head->hnext = NULL;
		return 0;
	}
	while (head->next && !rule_before(r, head->next))
		head = head->next;
	r->next = head->next;
	head->next = r;
	return 0;
}

struct cls_rule *classifier_find_exact(const struct classifier *cls,
				       const struct match *m, int priority)
{
	struct cls_subtable *st = find_subtable(cls, &m->mask);
	struct cls_rule *r;

	if (!st)
		return NULL;
	for (r = find_head(st, rule_hash(st, &m->flow), &m->flow); r; r = r->next)
		if (r->priority == priority)
			return r;
	return NULL;
}

struct cls_rule *classifier_replace(struct classifier *cls, struct cls_rule *r)
{
	struct cls_rule *old;
	struct cls_subtable *st;

	match_normalize(&r->match);
	old = classifier_find_exact(cls, &r->match, r->priority);
	if (old)
		classifier_remove(cls, old);
	st = get_subtable(cls, &r->match.mask);
	if (!st)
		return old;		/* out of memory: r not inserted */
	r->subtable = st;
	r->next = r->hnext = NULL;
	r->seq = ++cls->seq;
	r->hash = rule_hash(st, &r->match.flow);
	if (insert_in_bucket(st, r))
		return old;
	account_rule(cls, st, r, true);
	st->n_rules++;
	cls->n_rules++;
	if (r->priority > st->max_priority) {
		st->max_priority = r->priority;
	}
	sort_subtables(cls);
	return old;
}

static void recompute_max(struct cls_subtable *st)
{
	st->max_priority = -1;
	for (size_t i = 0; i < st->n_buckets; i++)
		for (struct cls_rule *h = st->buckets[i]; h; h = h->hnext)
			if (h->priority > st->max_priority)
				st->max_priority = h->priority;
}

static void unlink_rule(struct cls_subtable *st, struct cls_rule *r)
{
	struct cls_rule **bp = &st->buckets[r->hash & (st->n_buckets - 1)];
	struct cls_rule *head = find_head(st, r->hash, &r->match.flow), **lp;

	if (head == r) {
		while (*bp != r)
			bp = &(*bp)->hnext;
		if (r->next) {
			r->next->hnext = r->hnext;
			*bp = r->next;
		} else {
			*bp = r->hnext;
			st->n_heads--;
		}
		return;
	}
	for (lp = &head->next; *lp && *lp != r; lp = &(*lp)->next)
		;
	if (*lp)
		*lp = r->next;
}

void classifier_remove(struct classifier *cls, struct cls_rule *r)
{
	struct cls_subtable *st = r->subtable;

	if (!st)
		return;
	unlink_rule(st, r);
	account_rule(cls, st, r, false);
	r->subtable = NULL;
	r->next = r->hnext = NULL;
	cls->n_rules--;
	if (!--st->n_rules) {
		drop_subtable(cls, st);
		return;
	}
	if (r->priority == st->max_priority) {
		recompute_max(st);
		sort_subtables(cls);
	}
}

size_t classifier_count(const struct classifier *cls)
{
	return cls->n_rules;
}

size_t classifier_n_subtables(const struct classifier *cls)
{
	return cls->n_subtables;
}

void classifier_foreach(const struct classifier *cls,
			void (*cb)(struct cls_rule *, void *), void *aux)
{
	for (size_t s = 0; s < cls->n_subtables; s++) {
		const struct cls_subtable *st = cls->subtables[s];

		for (size_t i = 0; i < st->n_buckets; i++) {
			struct cls_rule *h = st->buckets[i], *hn;

			for (; h; h = hn) {
				hn = h->hnext;
				for (struct cls_rule *r = h, *rn; r; r = rn) {
					rn = r->next;
					cb(r, aux);
				}
			}
		}
	}
}

