// SPDX-License-Identifier: GPL-2.0
/*
 * One bit per level, plus a shortcut for lookups: a node with exactly one
 * child records the run of single-child, rule-less nodes below it (up to
 * 64 levels) as a bit string, so a lookup compares the whole run with one
 * XOR and jumps to its end. Insert and remove recompute the shortcuts of
 * the nodes on their path, the only ones whose runs can change.
 */
#include <stdlib.h>
#include <string.h>
#include "prefix-trie.h"

struct ptrie_node {
	struct ptrie_node *child[2];
	unsigned n_rules;		/* rules whose prefix ends here */
	unsigned skip;			/* 0, or levels to @target (1..64) */
	uint64_t bits;			/* the @skip bits on the way, low bits */
	struct ptrie_node *target;
};

static inline bool passable(const struct ptrie_node *n)
{
	return !n->n_rules && !n->child[0] != !n->child[1];
}

/* Recomputes @n's shortcut from its child's (already up to date). */
static void update_skip(struct ptrie_node *n)
{
	unsigned b = !n->child[0];
	struct ptrie_node *c = n->child[b];

	if (!c || n->child[!b]) {
		n->skip = 0;
		n->target = NULL;
		return;
	}
	if (passable(c) && c->skip < 64) {
		n->skip = c->skip + 1;
		n->bits = (uint64_t)b << c->skip | c->bits;
		n->target = c->target;
	} else {
		n->skip = 1;
		n->bits = b;
		n->target = c;
	}
}

static inline unsigned bit_at(const uint8_t *v, unsigned i)
{
	return (v[i / 8] >> (7 - i % 8)) & 1;
}

void ptrie_init(struct ptrie *t, unsigned n_bits)
{
	t->root = NULL;
	t->n_bits = n_bits;
}

static void free_nodes(struct ptrie_node *n)
{
	if (!n)
		return;
	free_nodes(n->child[0]);
	free_nodes(n->child[1]);
	free(n);
}

void ptrie_destroy(struct ptrie *t)
{
	free_nodes(t->root);
	t->root = NULL;
}

int ptrie_insert(struct ptrie *t, const uint8_t *value, unsigned plen)
{
	struct ptrie_node **np = &t->root, *path[PTRIE_MAX_BITS + 1];
	unsigned i;
	int err = 0;

	for (i = 0;; i++) {
		if (!*np) {
			*np = calloc(1, sizeof(**np));
			if (!*np) {
				err = -1;
				break;
			}
		}
		path[i] = *np;
		if (i == plen) {
			(*np)->n_rules++;
			i++;
			break;
		}
		np = &(*np)->child[bit_at(value, i)];
	}
	/* Nodes created before a failure stay (empty); shortcuts stay right. */
	while (i--)
		update_skip(path[i]);
	return err;
}

static bool remove_at(struct ptrie_node **np, const uint8_t *value,
		      unsigned plen, unsigned depth)
{
	struct ptrie_node *n = *np;

	if (!n)
		return false;
	if (depth == plen) {
		if (n->n_rules)
			n->n_rules--;
	} else {
		remove_at(&n->child[bit_at(value, depth)], value, plen, depth + 1);
	}
	if (!n->n_rules && !n->child[0] && !n->child[1]) {
		free(n);
		*np = NULL;
		return true;
	}
	update_skip(n);
	return false;
}

void ptrie_remove(struct ptrie *t, const uint8_t *value, unsigned plen)
{
	remove_at(&t->root, value, plen, 0);
}

/* The value as a 128-bit big-endian number in two host words, so a level
 * costs a shift instead of a byte fetch. */
static inline void load_value(const uint8_t *value, unsigned n_bits, uint64_t v[2])
{
	unsigned n_bytes = (n_bits + 7) / 8;
	uint32_t w32;
	uint64_t w[2];

	if (n_bytes == 4) {		/* IPv4 addresses, L4 ports */
		memcpy(&w32, value, 4);
		v[0] = (uint64_t)__builtin_bswap32(w32) << 32;
		v[1] = 0;
		return;
	}
	if (n_bytes == 16) {		/* IPv6 addresses */
		memcpy(w, value, 16);
		v[0] = __builtin_bswap64(w[0]);
		v[1] = __builtin_bswap64(w[1]);
		return;
	}
	v[0] = v[1] = 0;
	for (unsigned i = 0; i < n_bytes; i++)
		v[i / 8] |= (uint64_t)value[i] << (56 - i % 8 * 8);
}

/* @k (1..64) bits of @v from bit @from (big-endian order), as a number. */
static inline uint64_t run_bits(const uint64_t v[2], unsigned from, unsigned k)
{
	unsigned __int128 x;

	if (from + k <= 64)
		return (v[0] << from) >> (64 - k);
	if (from >= 64)
		return (v[1] << (from - 64)) >> (64 - k);
	x = (unsigned __int128)v[0] << 64 | v[1];
	return (uint64_t)((x << from) >> (128 - k));
}

unsigned ptrie_lookup(const struct ptrie *t, const uint8_t *value,
		      struct ptrie_plens *plens)
{
	const struct ptrie_node *n = t->root;
	unsigned depth = 0, n_bits = t->n_bits;
	uint64_t v[2];

	memset(plens, 0, sizeof(*plens));
	if (!n)
		return 0;
	load_value(value, n_bits, v);
	for (;;) {
		const struct ptrie_node *next;
		unsigned bit;

		if (n->n_rules)
			plens->w[depth / 64] |= 1ull << (depth % 64);
		if (depth == n_bits)
			return depth;
		if (n->skip) {
			unsigned k = n->skip;
			uint64_t x = run_bits(v, depth, k) ^ n->bits;

			if (x)	/* the walk would stop at the first difference */
				return depth + (unsigned)__builtin_clzll(x) - (64 - k) + 1;
			n = n->target;
			depth += k;
			continue;
		}
		bit = (unsigned)((v[depth / 64] << (depth % 64)) >> 63);
		next = n->child[bit];
		if (!next) {
			/* The other branch (if any) must be excluded too. */
			return n->child[bit ^ 1] ? depth + 1 : depth;
		}
		n = next;
		depth++;
	}
}
