// SPDX-License-Identifier: GPL-2.0
#include "ukey.h"

#include <stdlib.h>
#include <string.h>

#include "xlate.h"

void ukey_table_init(struct ukey_table *t)
{
	t->n_buckets = 0;
	t->n = 0;
	t->buckets = NULL;
}

static void ukey_free(struct ukey *uk)
{
	free(uk->rule_ids);
	free(uk);
}

void ukey_table_destroy(struct ukey_table *t)
{
	size_t i;

	for (i = 0; i < t->n_buckets; i++) {
		struct ukey *uk = t->buckets[i], *next;

		for (; uk; uk = next) {
			next = uk->next;
			ukey_free(uk);
		}
	}
	free(t->buckets);
	ukey_table_init(t);
}

static size_t bucket_of(const uint8_t *ufid, size_t n_buckets)
{
	uint64_t h;

	memcpy(&h, ufid, sizeof(h));
	return h & (n_buckets - 1);
}

struct ukey *ukey_find(const struct ukey_table *t, const uint8_t *ufid)
{
	struct ukey *uk;

	if (!t->n_buckets)
		return NULL;
	for (uk = t->buckets[bucket_of(ufid, t->n_buckets)]; uk; uk = uk->next)
		if (!memcmp(uk->ufid, ufid, VSW_UFID_LEN))
			return uk;
	return NULL;
}

static int grow(struct ukey_table *t)
{
	size_t n = t->n_buckets ? t->n_buckets * 2 : 256, i;
	struct ukey **b = calloc(n, sizeof(*b));

	if (!b)
		return -1;
	for (i = 0; i < t->n_buckets; i++) {
		struct ukey *uk = t->buckets[i], *next;

		for (; uk; uk = next) {
			size_t j = bucket_of(uk->ufid, n);

			next = uk->next;
			uk->next = b[j];
			b[j] = uk;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->n_buckets = n;
	return 0;
}

void ukey_set_deps(struct ukey *uk, const struct xlate_out *xo)
{
	uint64_t *ids = NULL;

	if (xo->n_rules) {
		ids = malloc(xo->n_rules * sizeof(*ids));
		if (ids)
			memcpy(ids, xo->rule_ids, xo->n_rules * sizeof(*ids));
	}
	free(uk->rule_ids);
	uk->rule_ids = ids;
	uk->n_rules = ids ? xo->n_rules : 0;
	memcpy(uk->tables, xo->tables_visited, sizeof(uk->tables));
	uk->consulted_macs = xo->consulted_macs;
	uk->acts = xo->actions;
	uk->dirty = false;
}

struct ukey *ukey_insert(struct ukey_table *t, const uint8_t *ufid,
			 const struct match *mf, const struct xlate_out *xo,
			 long long now_ms)
{
	struct ukey *uk;
	size_t b;

	if (t->n >= t->n_buckets && grow(t))
		return NULL;
	uk = calloc(1, sizeof(*uk));
	if (!uk)
		return NULL;
	memcpy(uk->ufid, ufid, VSW_UFID_LEN);
	uk->mf = *mf;
	ukey_set_deps(uk, xo);
	uk->created_ms = now_ms;
	uk->used_ms = now_ms;
	b = bucket_of(ufid, t->n_buckets);
	uk->next = t->buckets[b];
	t->buckets[b] = uk;
	t->n++;
	return uk;
}

void ukey_remove(struct ukey_table *t, struct ukey *uk)
{
	struct ukey **pp = &t->buckets[bucket_of(uk->ufid, t->n_buckets)];

	for (; *pp; pp = &(*pp)->next) {
		if (*pp == uk) {
			*pp = uk->next;
			t->n--;
			ukey_free(uk);
			return;
		}
	}
}

void ukey_foreach_safe(struct ukey_table *t,
		       void (*cb)(struct ukey *uk, void *aux), void *aux)
{
	size_t i;

	for (i = 0; i < t->n_buckets; i++) {
		struct ukey *uk = t->buckets[i], *next;

		for (; uk; uk = next) {
			next = uk->next;
			cb(uk, aux);
		}
	}
}

bool match_intersects(const struct match *a, const struct match *b)
{
	const uint64_t *av = (const uint64_t *)&a->flow;
	const uint64_t *am = (const uint64_t *)&a->mask;
	const uint64_t *bv = (const uint64_t *)&b->flow;
	const uint64_t *bm = (const uint64_t *)&b->mask;
	size_t i;

	for (i = 0; i < FLOW_WORDS; i++)
		if ((av[i] ^ bv[i]) & am[i] & bm[i])
			return false;
	return true;
}
