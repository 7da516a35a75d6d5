// SPDX-License-Identifier: GPL-2.0
/*
 * Tuple-space search with staged lookup and prefix tries (see
 * classifier.h). A subtable's mask is split into the stages metadata, L2,
 * L3 and L4; the non-empty ones become its ranges. Every range but the
 * last has an index: the multiset of cumulative hashes of its rules'
 * values up to and including that range. The last range is looked up in
 * the rule hash table (hash of the whole masked flow).
 */
#include <arpa/inet.h>
#include <endian.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "classifier.h"
#include "prefix-trie.h"
#include "util.h"

#define N_STAGES 4
#define N_TRIES 4
#define HASH_BASIS 0x5bd1e995u

/* Stage field layout, built once from offsetof. */
static struct flow stage_fields[N_STAGES];

static const struct {
	size_t off, len;
	int stage;
} stage_layout[] = {
	{ offsetof(struct flow, in_port), 4, 0 },
	{ offsetof(struct flow, eth_type), 2, 1 },
	{ offsetof(struct flow, vlan_tci), 2, 1 },
	{ offsetof(struct flow, eth_src), 6, 1 },
	{ offsetof(struct flow, eth_dst), 6, 1 },
	{ offsetof(struct flow, ip_proto), 1, 2 },
	{ offsetof(struct flow, ip_tos), 1, 2 },
	{ offsetof(struct flow, ip_ttl), 1, 2 },
	{ offsetof(struct flow, ip_frag), 1, 2 },
	{ offsetof(struct flow, ipv4_src), 4, 2 },
	{ offsetof(struct flow, ipv4_dst), 4, 2 },
	{ offsetof(struct flow, tcp_flags), 2, 2 },
	{ offsetof(struct flow, ipv6_label), 4, 2 },
	{ offsetof(struct flow, arp_op), 2, 2 },
	{ offsetof(struct flow, arp_spa), 4, 2 },
	{ offsetof(struct flow, arp_tpa), 4, 2 },
	{ offsetof(struct flow, arp_sha), 6, 2 },
	{ offsetof(struct flow, arp_tha), 6, 2 },
	{ offsetof(struct flow, ipv6_src), 16, 2 },
	{ offsetof(struct flow, ipv6_dst), 16, 2 },
	{ offsetof(struct flow, nd_target), 16, 2 },
	{ offsetof(struct flow, tp_src), 2, 3 },
	{ offsetof(struct flow, tp_dst), 2, 3 },
	{ offsetof(struct flow, icmp_type), 1, 3 },
	{ offsetof(struct flow, icmp_code), 1, 3 },
};

/* The prefix-trie fields, all in the L3 stage, in Open vSwitch's default
 * order (destinations first), which decides which trie un-wildcards when
 * several could rule a subtable out. */
static const struct {
	size_t off;
	unsigned n_bytes;
} trie_fields[N_TRIES] = {
	{ offsetof(struct flow, ipv4_dst), 4 },
	{ offsetof(struct flow, ipv4_src), 4 },
	{ offsetof(struct flow, ipv6_dst), 16 },
	{ offsetof(struct flow, ipv6_src), 16 },
};
#define L3_STAGE 2
#define L4_STAGE 3

enum ports_kind { PORTS_NONE, PORTS_TP, PORTS_ICMP };

struct stage_range {
	int stage;
	uint8_t n;			/* words with mask bits */
	uint8_t idx[FLOW_WORDS];
	uint64_t mask[FLOW_WORDS];
};

struct hset_entry {
	uint64_t h;
	uint32_t count;			/* 0: empty slot */
};

struct hset {				/* multiset of 64-bit hashes */
	struct hset_entry *e;
	size_t n, cap;			/* cap a power of two or 0 */
};

struct cls_subtable {
	struct flow mask;
	int max_priority;
	size_t n_rules;
	uint8_t n_words;		/* words with mask bits */
	uint8_t word_idx[FLOW_WORDS];
	int n_ranges;			/* non-empty stages; last = final */
	struct stage_range range[N_STAGES];
	struct hset index[N_STAGES - 1];
	struct cls_rule **buckets;	/* heads, chained by hnext */
	size_t n_buckets, n_heads;
	int trie_plen[N_TRIES];		/* 0: not used by this subtable */
	uint8_t n_tries;		/* tries with trie_plen > 0, in order */
	uint8_t tries[N_TRIES];
	int8_t l3_range;		/* index of the L3 range, or -1 */
	/* fold[n]: the mask words of ranges [0, n), merged per word */
	uint8_t fold_n[N_STAGES + 1];
	uint8_t fold_idx[N_STAGES + 1][FLOW_WORDS];
	uint64_t fold_mask[N_STAGES + 1][FLOW_WORDS];
	enum ports_kind ports;
	uint32_t ports_mask;		/* host order */
	unsigned ports_plen;
	struct ptrie ports_trie;
};

struct classifier {
	struct cls_subtable **subtables;	/* by max_priority, descending */
	size_t n_subtables;
	size_t n_rules;
	uint64_t seq;
	struct ptrie tries[N_TRIES];
	bool use_stages, use_tries;
};

static void init_stage_fields(void)
{
	static bool done;

	if (done)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(stage_layout); i++)
		memset((char *)&stage_fields[stage_layout[i].stage] +
		       stage_layout[i].off, 0xff, stage_layout[i].len);
	done = true;
}

static inline const uint64_t *words(const struct flow *f)
{
	return (const uint64_t *)f;
}

static inline uint64_t *words_rw(struct flow *f)
{
	return (uint64_t *)f;
}

/* --- hash multiset ------------------------------------------------------- */

static size_t hset_slot(const struct hset *s, uint64_t h)
{
	size_t i = h & (s->cap - 1);

	while (s->e[i].count && s->e[i].h != h)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static inline bool hset_contains(const struct hset *s, uint64_t h)
{
	return s->cap && s->e[hset_slot(s, h)].count;
}

static int hset_grow(struct hset *s)
{
	struct hset n = { 0 };

	n.cap = s->cap ? s->cap * 2 : 16;
	n.e = calloc(n.cap, sizeof(*n.e));
	if (!n.e)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		if (s->e[i].count) {
			n.e[hset_slot(&n, s->e[i].h)] = s->e[i];
			n.n++;
		}
	}
	free(s->e);
	*s = n;
	return 0;
}

static int hset_add(struct hset *s, uint64_t h)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap && hset_grow(s))
		return -1;
	i = hset_slot(s, h);
	if (!s->e[i].count) {
		s->e[i].h = h;
		s->n++;
	}
	s->e[i].count++;
	return 0;
}

/* Removal with linear probing: re-insert the cluster after the hole. */
static void hset_del(struct hset *s, uint64_t h)
{
	size_t i, j;

	if (!s->cap)
		return;
	i = hset_slot(s, h);
	if (!s->e[i].count || --s->e[i].count)
		return;
	s->n--;
	for (j = (i + 1) & (s->cap - 1); s->e[j].count; j = (j + 1) & (s->cap - 1)) {
		struct hset_entry e = s->e[j];

		s->e[j].count = 0;
		s->e[hset_slot(s, e.h)] = e;
	}
}

static void hset_free(struct hset *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

/* --- subtables ------------------------------------------------------------- */

/* One multiply per word; the multiset and bucket indexes use the low
 * bits, so fold the high bits down at the end of each range. */
static inline uint64_t range_hash(const struct stage_range *r,
				  const struct flow *f, uint64_t h)
{
	const uint64_t *w = words(f);

	for (unsigned i = 0; i < r->n; i++)
		h = (h ^ (w[r->idx[i]] & r->mask[i])) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 31);
}

/* Un-wildcards the subtable's mask bits of ranges [0, n). */
static inline void fold_ranges(const struct cls_subtable *st, int n,
			       struct flow *wc)
{
	uint64_t *w = words_rw(wc);

	for (unsigned i = 0; i < st->fold_n[n]; i++)
		w[st->fold_idx[n][i]] |= st->fold_mask[n][i];
}

static void setup_folds(struct cls_subtable *st)
{
	for (int n = 0; n <= st->n_ranges; n++) {
		uint64_t acc[FLOW_WORDS] = { 0 };

		for (int r = 0; r < n; r++)
			for (unsigned i = 0; i < st->range[r].n; i++)
				acc[st->range[r].idx[i]] |= st->range[r].mask[i];
		st->fold_n[n] = 0;
		for (unsigned i = 0; i < FLOW_WORDS; i++) {
			if (acc[i]) {
				st->fold_idx[n][st->fold_n[n]] = (uint8_t)i;
				st->fold_mask[n][st->fold_n[n]++] = acc[i];
			}
		}
	}
}

static int field_prefix_len(const uint8_t *m, unsigned n_bytes)
{
	unsigned len = 0, i;

	for (i = 0; i < n_bytes && m[i] == 0xff; i++)
		len += 8;
	if (i < n_bytes) {
		uint8_t b = m[i];

		while (b & 0x80) {
			len++;
			b <<= 1;
		}
		if (b)
			return -1;
		for (i++; i < n_bytes; i++)
			if (m[i])
				return -1;
	}
	return (int)len;
}

static uint32_t ports_value(enum ports_kind k, const struct flow *f)
{
	if (k == PORTS_TP)
		return (uint32_t)ntohs(f->tp_src) << 16 | ntohs(f->tp_dst);
	return (uint32_t)f->icmp_type << 16 | f->icmp_code;
}

static void setup_ports(struct cls_subtable *st)
{
	const struct flow *m = &st->mask;
	bool tp = m->tp_src || m->tp_dst, icmp = m->icmp_type || m->icmp_code;

	st->ports = PORTS_NONE;
	if (st->range[st->n_ranges - 1].stage != L4_STAGE || (tp && icmp))
		return;
	st->ports = tp ? PORTS_TP : PORTS_ICMP;
	st->ports_mask = ports_value(st->ports, m);
	st->ports_plen = 32 - (unsigned)__builtin_ctz(st->ports_mask);
	ptrie_init(&st->ports_trie, 32);
}

static void setup_ranges(struct cls_subtable *st)
{
	const uint64_t *m = words(&st->mask);

	st->n_ranges = 0;
	for (int s = 0; s < N_STAGES; s++) {
		struct stage_range *r = &st->range[st->n_ranges];
		const uint64_t *sf = words(&stage_fields[s]);

		r->stage = s;
		r->n = 0;
		for (unsigned i = 0; i < FLOW_WORDS; i++) {
			if (m[i] & sf[i]) {
				r->idx[r->n] = (uint8_t)i;
				r->mask[r->n++] = m[i] & sf[i];
			}
		}
		if (r->n)
			st->n_ranges++;
	}
	if (!st->n_ranges) {		/* catch-all: one empty final range */
		st->range[0].stage = N_STAGES - 1;
		st->range[0].n = 0;
		st->n_ranges = 1;
	}
}

static struct cls_subtable *subtable_create(const struct flow *mask)
{
	struct cls_subtable *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->mask = *mask;
	for (unsigned i = 0; i < FLOW_WORDS; i++)
		if (words(mask)[i])
			st->word_idx[st->n_words++] = (uint8_t)i;
	setup_ranges(st);
	setup_folds(st);
	st->l3_range = -1;
	for (int r = 0; r < st->n_ranges; r++)
		if (st->range[r].stage == L3_STAGE)
			st->l3_range = (int8_t)r;
	for (int t = 0; t < N_TRIES; t++) {
		int plen = field_prefix_len((const uint8_t *)mask + trie_fields[t].off,
					    trie_fields[t].n_bytes);

		st->trie_plen[t] = plen > 0 ? plen : 0;
		if (plen > 0)
			st->tries[st->n_tries++] = (uint8_t)t;
	}
	setup_ports(st);
	st->n_buckets = 16;
	st->buckets = calloc(st->n_buckets, sizeof(*st->buckets));
	if (!st->buckets) {
		free(st);
		return NULL;
	}
	return st;
}

static void subtable_destroy(struct cls_subtable *st)
{
	for (int i = 0; i < N_STAGES - 1; i++)
		hset_free(&st->index[i]);
	if (st->ports != PORTS_NONE)
		ptrie_destroy(&st->ports_trie);
	free(st->buckets);
	free(st);
}

static int buckets_grow(struct cls_subtable *st)
{
	size_t n = st->n_buckets * 2;
	struct cls_rule **b = calloc(n, sizeof(*b));

	if (!b)
		return -1;
	for (size_t i = 0; i < st->n_buckets; i++) {
		struct cls_rule *r = st->buckets[i], *next;

		for (; r; r = next) {
			next = r->hnext;
			r->hnext = b[r->hash & (n - 1)];
			b[r->hash & (n - 1)] = r;
		}
	}
	free(st->buckets);
	st->buckets = b;
	st->n_buckets = n;
	return 0;
}

static inline struct cls_rule *find_head(const struct cls_subtable *st, uint64_t hash,
				  const struct flow *f)
{
	struct cls_rule *r = st->buckets[hash & (st->n_buckets - 1)];
	const uint64_t *fw = words(f), *mw = words(&st->mask);

	for (; r; r = r->hnext) {
		const uint64_t *rw = words(&r->match.flow);
		unsigned i;

		if (r->hash != hash)
			continue;
		for (i = 0; i < st->n_words; i++) {
			unsigned k = st->word_idx[i];

			if ((fw[k] & mw[k]) != rw[k])
				break;
		}
		if (i == st->n_words)
			return r;
	}
	return NULL;
}

/* --- classifier ------------------------------------------------------------ */

struct classifier *classifier_create(void)
{
	struct classifier *cls = calloc(1, sizeof(*cls));

	if (!cls)
		return NULL;
	init_stage_fields();
	for (int t = 0; t < N_TRIES; t++)
		ptrie_init(&cls->tries[t], trie_fields[t].n_bytes * 8);
	cls->use_stages = cls->use_tries = true;
	return cls;
}

void classifier_destroy(struct classifier *cls)
{
	if (!cls)
		return;
	for (size_t i = 0; i < cls->n_subtables; i++)
		subtable_destroy(cls->subtables[i]);
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
	st = subtable_create(mask);
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
	subtable_destroy(st);
}

/* Index and trie bookkeeping for one rule value entering or leaving. */
static void account_rule(struct classifier *cls, struct cls_subtable *st,
			 const struct cls_rule *r, bool add)
{
	uint64_t h = HASH_BASIS;

	for (int i = 0; i < st->n_ranges - 1; i++) {
		h = range_hash(&st->range[i], &r->match.flow, h);
		if (add)
			hset_add(&st->index[i], h);
		else
			hset_del(&st->index[i], h);
	}
	for (int t = 0; t < N_TRIES; t++) {
		const uint8_t *v = (const uint8_t *)&r->match.flow + trie_fields[t].off;

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
		if (st->n_heads + 1 > st->n_buckets && buckets_grow(st))
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

/* --- lookup ------------------------------------------------------------------ */

struct trie_ctx {
	bool done;
	unsigned maskbits;
	struct ptrie_plens plens;
	uint64_t m[2];			/* the maskbits leading bits, as bytes */
};

/* Per-lookup trie results, computed lazily: each trie is walked at most
 * once per classifier lookup, whatever the number of subtables. */
static void trie_compute(const struct classifier *cls, struct trie_ctx *ctx,
			 int t, const struct flow *flow)
{
	unsigned n = ptrie_lookup(&cls->tries[t],
				  (const uint8_t *)flow + trie_fields[t].off,
				  &ctx->plens);

	ctx->maskbits = n;
	/* n leading one bits, stored big-endian (as the field's bytes) */
	ctx->m[0] = htobe64(n >= 64 ? ~0ull : n ? ~0ull << (64 - n) : 0);
	ctx->m[1] = htobe64(n >= 128 ? ~0ull : n > 64 ? ~0ull << (128 - n) : 0);
	ctx->done = true;
}

/* Are the trie's maskbits all un-wildcarded in @wc already? */
static inline bool prefix_bits_set(const struct flow *wc, int t,
				   const struct trie_ctx *ctx)
{
	const uint8_t *p = (const uint8_t *)wc + trie_fields[t].off;

	if (trie_fields[t].n_bytes == 4) {
		uint32_t w, m;

		memcpy(&w, p, 4);
		memcpy(&m, ctx->m, 4);
		return (w & m) == m;
	} else {
		uint64_t w[2];

		memcpy(w, p, 16);
		return (w[0] & ctx->m[0]) == ctx->m[0] &&
		       (w[1] & ctx->m[1]) == ctx->m[1];
	}
}

static inline void set_prefix_bits(struct flow *wc, int t,
				   const struct trie_ctx *ctx)
{
	uint8_t *p = (uint8_t *)wc + trie_fields[t].off;

	if (trie_fields[t].n_bytes == 4) {
		uint32_t w, m;

		memcpy(&w, p, 4);
		memcpy(&m, ctx->m, 4);
		w |= m;
		memcpy(p, &w, 4);
	} else {
		uint64_t w[2];

		memcpy(w, p, 16);
		w[0] |= ctx->m[0];
		w[1] |= ctx->m[1];
		memcpy(p, w, 16);
	}
}

/* True when the tries prove no rule of @st matches; then the trie bits
 * that prove it are set in @wc. A trie whose bits are already consulted
 * wins (it costs nothing); otherwise the first usable one, in OVS order.
 * A trie rules @st out when the packet matches no stored prefix of the
 * subtable's length; it is usable when that answer depends on no more
 * bits than the subtable itself would un-wildcard. */
static bool check_tries(const struct classifier *cls,
			const struct cls_subtable *st, struct trie_ctx *ctx,
			const struct flow *flow, struct flow *wc)
{
	int first = -1;

	for (unsigned i = 0; i < st->n_tries; i++) {
		int t = st->tries[i];
		unsigned plen = (unsigned)st->trie_plen[t];

		if (!ctx[t].done)
			trie_compute(cls, &ctx[t], t, flow);
		if (ptrie_plens_has(&ctx[t].plens, plen))
			continue;
		if (prefix_bits_set(wc, t, &ctx[t]))
			return true;
		if (first < 0 && ctx[t].maskbits <= plen)
			first = t;
	}
	if (first < 0)
		return false;
	set_prefix_bits(wc, first, &ctx[first]);
	return true;
}

/* A miss in the final (L4) range: un-wildcard only the port bits up to
 * the first one that differs from every rule's. */
static void ports_miss(const struct cls_subtable *st, const struct flow *flow,
		       struct flow *wc)
{
	struct ptrie_plens plens;
	uint32_t v = ports_value(st->ports, flow) & st->ports_mask;
	uint32_t be = htonl(v), m;
	unsigned bits;

	/* Already consulted in full: the trie could only add nothing. */
	if ((ports_value(st->ports, wc) & st->ports_mask) == st->ports_mask)
		return;
	bits = ptrie_lookup(&st->ports_trie, (const uint8_t *)&be, &plens);

	m = st->ports_mask & (bits ? ~0u << (32 - bits) : 0);
	if (bits >= 32)
		m = st->ports_mask;
	if (st->ports == PORTS_TP) {
		wc->tp_src |= htons((uint16_t)(m >> 16));
		wc->tp_dst |= htons((uint16_t)m);
	} else {
		wc->icmp_type |= (uint8_t)(m >> 16);
		wc->icmp_code |= (uint8_t)m;
	}
}

static const struct cls_rule *lookup_subtable_wc(const struct classifier *cls,
						 const struct cls_subtable *st,
						 const struct flow *flow,
						 struct flow *wc,
						 struct trie_ctx *tctx)
{
	uint64_t h = HASH_BASIS;
	int last = st->n_ranges - 1, i;
	const struct cls_rule *r;

	for (i = 0; i < last; i++) {
		if (i == st->l3_range && cls->use_tries && st->n_tries &&
		    check_tries(cls, st, tctx, flow, wc))
			goto no_match;
		h = range_hash(&st->range[i], flow, h);
		if (cls->use_stages && !hset_contains(&st->index[i], h)) {
			i++;		/* this range was consulted too */
			goto no_match;
		}
	}
	if (last == st->l3_range && cls->use_tries && st->n_tries &&
	    check_tries(cls, st, tctx, flow, wc))
		goto no_match;
	h = range_hash(&st->range[last], flow, h);
	r = find_head(st, h, flow);
	if (!r && cls->use_tries && st->ports != PORTS_NONE) {
		ports_miss(st, flow, wc);
		goto no_match;
	}
	fold_ranges(st, st->n_ranges, wc);
	return r;

no_match:
	fold_ranges(st, i, wc);
	return NULL;
}

static const struct cls_rule *lookup_subtable(const struct cls_subtable *st,
					      const struct flow *flow)
{
	uint64_t h = HASH_BASIS;

	/* Nothing to un-wildcard: no stage probes, one hash table probe. */
	for (int i = 0; i < st->n_ranges; i++)
		h = range_hash(&st->range[i], flow, h);
	return find_head(st, h, flow);
}

const struct cls_rule *classifier_lookup(const struct classifier *cls,
					 const struct flow *flow,
					 struct flow *wc)
{
	struct trie_ctx tctx[N_TRIES];
	const struct cls_rule *best = NULL;

	memset(tctx, 0, sizeof(tctx));
	for (size_t s = 0; s < cls->n_subtables; s++) {
		const struct cls_subtable *st = cls->subtables[s];
		const struct cls_rule *r;

		if (best && best->priority >= st->max_priority)
			break;
		r = wc ? lookup_subtable_wc(cls, st, flow, wc, tctx)
		       : lookup_subtable(st, flow);
		if (r && (!best || r->priority > best->priority))
			best = r;
	}
	return best;
}

/* --- match helpers ------------------------------------------------------------ */

void match_init_catchall(struct match *m)
{
	memset(m, 0, sizeof(*m));
}

void match_normalize(struct match *m)
{
	uint64_t *f = words_rw(&m->flow);
	const uint64_t *k = words(&m->mask);

	for (unsigned i = 0; i < FLOW_WORDS; i++)
		f[i] &= k[i];
}

bool match_equal(const struct match *a, const struct match *b)
{
	return !memcmp(a, b, sizeof(*a));
}

bool match_matches_flow(const struct match *m, const struct flow *f)
{
	const uint64_t *mf = words(&m->flow), *mk = words(&m->mask), *w = words(f);

	for (unsigned i = 0; i < FLOW_WORDS; i++)
		if ((w[i] & mk[i]) != mf[i])
			return false;
	return true;
}

bool match_is_subset(const struct match *a, const struct match *b)
{
	const uint64_t *af = words(&a->flow), *ak = words(&a->mask);
	const uint64_t *bf = words(&b->flow), *bk = words(&b->mask);

	for (unsigned i = 0; i < FLOW_WORDS; i++) {
		if ((bk[i] & ~ak[i]) || ((af[i] ^ bf[i]) & bk[i]))
			return false;
	}
	return true;
}
