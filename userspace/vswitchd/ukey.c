// SPDX-License-Identifier: GPL-2.0
#include "ukey.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "xlate.h"

/* ---- the lists: @off is the offset of the ukey_link within a ukey ---- */
#define DST offsetof(struct ukey, dst)
#define MARKED offsetof(struct ukey, marked)

static struct ukey_link *link_of(struct ukey *uk, size_t off)
{
	return (struct ukey_link *)((char *)uk + off);
}

static void link_push(struct ukey **head, struct ukey *uk, size_t off)
{
	struct ukey_link *l = link_of(uk, off);

	l->next = *head;
	if (*head)
		link_of(*head, off)->pprev = &l->next;
	*head = uk;
	l->pprev = head;
}

static void link_cut(struct ukey *uk, size_t off)
{
	struct ukey_link *l = link_of(uk, off);

	if (!l->pprev)
		return;
	*l->pprev = l->next;
	if (l->next)
		link_of(l->next, off)->pprev = l->pprev;
	l->next = NULL;
	l->pprev = NULL;
}

static void link_foreach(struct ukey *head, size_t off,
			 void (*cb)(struct ukey *uk, void *aux), void *aux)
{
	struct ukey *uk, *next;

	for (uk = head; uk; uk = next) {
		next = link_of(uk, off)->next;
		cb(uk, aux);
	}
}

void ukey_table_init(struct ukey_table *t)
{
	t->n_buckets = 0;
	t->n = 0;
	t->buckets = NULL;
	t->dst_buckets = NULL;
	t->dirty = NULL;
}

static void ukey_free(struct ukey *uk)
{
	free(uk->rule_ids);
	free(uk->group_uses);
	free(uk->acts);
	free(uk);
}

static bool exact_dst(const struct ukey *uk)
{
	static const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	return !memcmp(uk->mf.mask.eth_dst, ones, 6);
}

static size_t dst_bucket(const uint8_t mac[6], size_t n_buckets)
{
	uint64_t h = 0;

	memcpy(&h, mac, 6);
	return ((h * 0x9e3779b97f4a7c15ull) >> 32) & (n_buckets - 1);
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
	free(t->dst_buckets);
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

/* Doubles both hash tables; -1 (both unchanged) without memory. */
static int grow(struct ukey_table *t)
{
	size_t n = t->n_buckets ? t->n_buckets * 2 : 256, i;
	struct ukey **b = calloc(n, sizeof(*b));
	struct ukey **d = calloc(n, sizeof(*d));

	if (!b || !d) {
		free(b);
		free(d);
		return -1;
	}
	for (i = 0; i < t->n_buckets; i++) {
		struct ukey *uk = t->buckets[i], *next;

		for (; uk; uk = next) {
			size_t j = bucket_of(uk->ufid, n);

			next = uk->next;
			uk->next = b[j];
			b[j] = uk;
			if (uk->dst.pprev)
				link_push(&d[dst_bucket(uk->mf.flow.eth_dst, n)],
					  uk, DST);
		}
	}
	free(t->buckets);
	free(t->dst_buckets);
	t->buckets = b;
	t->dst_buckets = d;
	t->n_buckets = n;
	return 0;
}

/* A copy of @a as long as its actions: a fixed array of VSW_MAX_ACTIONS
 * would be most of a record (64 of 64 bytes each, where a megaflow has a
 * few). */
static struct odp_actions *acts_dup(const struct odp_actions *a)
{
	size_t size = offsetof(struct odp_actions, a) + a->n * sizeof(a->a[0]);
	struct odp_actions *c = malloc(size);

	if (c)
		memcpy(c, a, size);
	return c;
}

int ukey_set_deps(struct ukey *uk, const struct xlate_out *xo)
{
	struct odp_actions *acts = acts_dup(&xo->actions);
	uint64_t *ids = NULL, *uses = NULL;

	if (xo->n_rules)
		ids = malloc(xo->n_rules * sizeof(*ids));
	if (xo->n_group_uses)
		uses = malloc(xo->n_group_uses * sizeof(*uses));
	if (!acts || (xo->n_rules && !ids) || (xo->n_group_uses && !uses)) {
		free(acts);
		free(ids);
		free(uses);
		return -ENOMEM;
	}
	if (uses)
		memcpy(uses, xo->group_uses, xo->n_group_uses * sizeof(*uses));
	free(uk->group_uses);
	uk->group_uses = uses;
	uk->n_group_uses = xo->n_group_uses;
	if (ids)
		memcpy(ids, xo->rule_ids, xo->n_rules * sizeof(*ids));
	free(uk->rule_ids);
	uk->rule_ids = ids;
	uk->n_rules = xo->n_rules;
	memcpy(uk->tables, xo->tables_visited, sizeof(uk->tables));
	memcpy(uk->missed, xo->tables_missed, sizeof(uk->missed));
	uk->consulted_macs = xo->consulted_macs;
	uk->tnl_unmatched = xo->tnl_unmatched;
	uk->rewritten = xo->rewritten;
	free(uk->acts);
	uk->acts = acts;
	uk->dirty = false;
	link_cut(uk, MARKED);
	return 0;
}

bool ukey_mark(struct ukey_table *t, struct ukey *uk)
{
	if (uk->dirty)
		return false;
	uk->dirty = true;
	link_push(&t->dirty, uk, MARKED);
	return true;
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
	if (ukey_set_deps(uk, xo)) {
		free(uk);
		return NULL;
	}
	uk->created_ms = now_ms;
	uk->used_ms = now_ms;
	b = bucket_of(ufid, t->n_buckets);
	uk->next = t->buckets[b];
	t->buckets[b] = uk;
	if (exact_dst(uk))
		link_push(&t->dst_buckets[dst_bucket(mf->flow.eth_dst,
						     t->n_buckets)], uk, DST);
	t->n++;
	return uk;
}

void ukey_remove(struct ukey_table *t, struct ukey *uk)
{
	struct ukey **pp = &t->buckets[bucket_of(uk->ufid, t->n_buckets)];

	for (; *pp; pp = &(*pp)->next) {
		if (*pp == uk) {
			*pp = uk->next;
			link_cut(uk, DST);
			link_cut(uk, MARKED);
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

void ukey_foreach_marked_safe(struct ukey_table *t,
			      void (*cb)(struct ukey *uk, void *aux),
			      void *aux)
{
	link_foreach(t->dirty, MARKED, cb, aux);
}

/* The chain holds every exact eth_dst hashing alike: @cb sees @mac's. */
struct dst_filter {
	const uint8_t *mac;
	void (*cb)(struct ukey *uk, void *aux);
	void *aux;
};

static void dst_filter_cb(struct ukey *uk, void *aux)
{
	struct dst_filter *f = aux;

	if (!memcmp(uk->mf.flow.eth_dst, f->mac, 6))
		f->cb(uk, f->aux);
}

void ukey_foreach_dst_safe(struct ukey_table *t, const uint8_t mac[6],
			   void (*cb)(struct ukey *uk, void *aux), void *aux)
{
	struct dst_filter f = { mac, cb, aux };

	if (t->n_buckets)
		link_foreach(t->dst_buckets[dst_bucket(mac, t->n_buckets)],
			     DST, dst_filter_cb, &f);
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
