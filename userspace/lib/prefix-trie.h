/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A binary trie of bit-string prefixes (big-endian bit order), each with a
 * rule count. The classifier keeps one per address field (nw_src, nw_dst,
 * ipv6_src, ipv6_dst) and one per subtable for the L4 ports, to learn
 * from a packet's value which prefix lengths can match and how many of
 * its leading bits that answer depends on.
 */
#ifndef VSW_LIB_PREFIX_TRIE_H
#define VSW_LIB_PREFIX_TRIE_H

#include <stdbool.h>
#include <stdint.h>

#define PTRIE_MAX_BITS 128

struct ptrie_node;

struct ptrie {
	struct ptrie_node *root;
	unsigned n_bits;		/* width of the keyed field */
};

/* Bit set of prefix lengths 0..PTRIE_MAX_BITS. */
struct ptrie_plens {
	uint64_t w[3];
};

static inline bool ptrie_plens_has(const struct ptrie_plens *p, unsigned len)
{
	return (p->w[len / 64] >> (len % 64)) & 1;
}

void ptrie_init(struct ptrie *, unsigned n_bits);
void ptrie_destroy(struct ptrie *);
/* Adds/removes one rule with prefix @value/@plen; 0 or -1 (ENOMEM). */
int ptrie_insert(struct ptrie *, const uint8_t *value, unsigned plen);
void ptrie_remove(struct ptrie *, const uint8_t *value, unsigned plen);

/* Sets in @plens the lengths of the stored prefixes that @value matches
 * and returns how many leading bits of @value decide that answer: every
 * value sharing those bits gets the same @plens. */
unsigned ptrie_lookup(const struct ptrie *, const uint8_t *value,
		      struct ptrie_plens *plens);

#endif /* VSW_LIB_PREFIX_TRIE_H */
