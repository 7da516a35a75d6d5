/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The classifier's insides, shared by classifier.c (rules in and out),
 * classifier-subtable.c (a subtable's layout, its stage indexes and hash
 * table) and classifier-lookup.c (the lookup with wildcard tracking).
 *
 * A subtable's mask is split into the stages metadata, L2, L3 and L4; the
 * non-empty ones become its ranges. Every range but the last has an
 * index: the multiset of cumulative hashes of its rules' values up to and
 * including that range. The last range is looked up in the rule hash
 * table (hash of the whole masked flow).
 */
#ifndef VSW_LIB_CLASSIFIER_PRIVATE_H
#define VSW_LIB_CLASSIFIER_PRIVATE_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "classifier.h"
#include "prefix-trie.h"

#define N_STAGES 4
#define N_TRIES 4
#define HASH_BASIS 0x5bd1e995u
#define L3_STAGE 2
#define L4_STAGE 3

/* The prefix-trie fields, all in the L3 stage. */
struct cls_trie_field {
	size_t off;
	unsigned n_bytes;
};

extern const struct cls_trie_field cls_trie_fields[N_TRIES];

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

/* Builds the stage field layout; idempotent. */
void cls_init_stage_fields(void);

static inline const uint64_t *words(const struct flow *f)
{
	return (const uint64_t *)f;
}

static inline uint64_t *words_rw(struct flow *f)
{
	return (uint64_t *)f;
}

/* Adds @h to, or removes one count of it from, a stage index. */
int cls_hset_add(struct hset *s, uint64_t h);
void cls_hset_del(struct hset *s, uint64_t h);

static inline size_t hset_slot(const struct hset *s, uint64_t h)
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

static inline uint32_t ports_value(enum ports_kind k, const struct flow *f)
{
	if (k == PORTS_TP)
		return (uint32_t)ntohs(f->tp_src) << 16 | ntohs(f->tp_dst);
	return (uint32_t)f->icmp_type << 16 | f->icmp_code;
}

/* A subtable for @mask with an empty hash table, or NULL (out of memory). */
struct cls_subtable *cls_subtable_create(const struct flow *mask);
void cls_subtable_destroy(struct cls_subtable *st);
/* Doubles the hash table: 0 or -1 (out of memory, nothing changed). */
int cls_buckets_grow(struct cls_subtable *st);

/* The head of the rules whose masked value equals @f's, or NULL. */
static inline struct cls_rule *find_head(const struct cls_subtable *st,
					 uint64_t hash, const struct flow *f)
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

#endif /* VSW_LIB_CLASSIFIER_PRIVATE_H */
