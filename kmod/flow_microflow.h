/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The microflow cache: per-CPU two-way arrays of { hash, flow index + 1 }
 * in front of the mask search. Each CPU reads and writes only its own
 * array, with BH disabled, so entries need no atomics. An entry names a
 * flow by index, never by pointer: it may outlive the flow, and a stale
 * index finds NULL, a dead flow or another flow; every hit is verified by
 * matching the packet's key against the flow's mask and masked key. A
 * microflow hit is therefore exactly as correct as a mask search, and
 * removing a flow needs no sweep of the caches.
 */
#ifndef _VSW_FLOW_MICROFLOW_H
#define _VSW_FLOW_MICROFLOW_H

#include "flow_table_priv.h"

/* Resizes the microflow cache: @size entries per CPU, 0 (off) or a power
 * of two up to VSW_MICROFLOW_MAX. Returns 0, -EINVAL or -ENOMEM, which
 * leaves the old cache (the table's lock; may sleep).
 */
int vsw_flow_table_set_microflow(struct vsw_flow_table *tbl, u32 size);

/* The rest is internal to the flow table's files. */

struct vsw_mf_entry {
	u32 hash;
	u32 idx1;			/* flow index + 1; 0 = empty */
};

struct vsw_mf_cache {
	struct rcu_head rcu;
	u32 mask;			/* entries per CPU - 1 */
	u32 n_cpus;
	struct vsw_mf_entry *cpu[];	/* indexed by smp_processor_id() */
};

/* Sets *@mf to a new cache of @size entries per CPU (NULL for 0);
 * -EINVAL for a bad size, -ENOMEM (may sleep).
 */
int vsw_mf_make(u32 size, struct vsw_mf_cache **mf);
void vsw_mf_free(struct vsw_mf_cache *mf);	/* NULL is fine; at once */

/*
 * The microflow hash of a packet without a flow hash, over the whole key.
 * An IPv4 key ends at its L4 word: the parser leaves the IPv6, ARP and ND
 * fields behind it zero (flow.h), so hashing them would only cost time.
 * Any other key is hashed whole. Either way it is a function of the key.
 */
#define VSW_KEY_IPV4_WORDS (offsetof(struct vsw_key, ipv6_label) / sizeof(u64))

static inline u32 vsw_mf_key_hash(const struct vsw_key *key, u32 seed)
{
	const u64 *k = (const u64 *)key;
	u64 h = seed ^ 0x9e3779b97f4a7c15ULL;
	unsigned int i, n;

	BUILD_BUG_ON(offsetof(struct vsw_key, ipv6_label) % sizeof(u64) ||
		     offsetof(struct vsw_key, icmp_code) >=
		     offsetof(struct vsw_key, ipv6_label));
	n = key->eth_type == cpu_to_be16(0x0800) ? VSW_KEY_IPV4_WORDS :
						     VSW_KEY_WORDS;
	for (i = 0; i < n; i++)
		h = vsw_mix_word(h, k[i]);
	return vsw_mix_finish(h);
}

/* A microflow hit: an entry of @hash whose flow is alive and matches
 * (RCU, BH off).
 */
static __always_inline struct vsw_flow *
vsw_mf_probe(struct vsw_flow_table *tbl, const struct vsw_mf_entry *e,
	     u32 hash, const struct vsw_key *key)
{
	struct vsw_flow *f;

	if (e->hash != hash || !e->idx1)
		return NULL;
	f = vsw_flow_by_index(tbl, e->idx1 - 1);
	return f && vsw_flow_matches(f, key) ? f : NULL;
}

/* Two-way associative: the slots at the hash and at its rotation. On a
 * miss the new entry takes an empty way, else a victim picked by a hash
 * bit (no shared LRU state to write). This CPU's array, BH off.
 */
static inline void vsw_mf_insert(struct vsw_mf_entry *e0,
				 struct vsw_mf_entry *e1, u32 hash, u32 idx)
{
	struct vsw_mf_entry *e = !e0->idx1 ? e0 : !e1->idx1 ? e1 :
				 (hash & 0x80000000) ? e1 : e0;

	e->hash = hash;
	e->idx1 = idx + 1;
}

#endif /* _VSW_FLOW_MICROFLOW_H */
