/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow table's layout, shared by its own files only (flow_table.c,
 * flow_ptab.c, flow_lookup.c, flow_microflow.c, flow_stats.c,
 * flow_rebalance.c); everyone else sees struct vsw_flow_table as opaque.
 * Everything here is a type or a static inline: the packet path uses
 * these helpers, and they must not become calls. The locking rules are
 * in flow_table.c ("DOC: Flow table concurrency").
 */
#ifndef _VSW_FLOW_TABLE_PRIV_H
#define _VSW_FLOW_TABLE_PRIV_H

#ifdef __KERNEL__
#include <linux/jhash.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#endif
#include "flow_table.h"

/*
 * Writer-side access to an __rcu pointer: writers hold the mutex of the
 * table's owner (@lock, given to vsw_flow_table_create()), which lockdep
 * checks here. Create and destroy own the table outright and use
 * vsw_ownderef() instead.
 */
#define vsw_wderef(p, lock)	rcu_dereference_protected(p, lockdep_is_held(lock))
#define vsw_ownderef(p)		rcu_dereference_protected(p, 1)

struct vsw_ptab;
struct vsw_mask_order;
struct vsw_mf_cache;

struct vsw_flow_priv {
	struct vsw_flow_stats __percpu *stats;	/* a slot of the stats pool */
	struct rcu_head rcu;
	void (*free_actions)(struct vsw_actions *acts);
	u32 index;			/* in vsw_flow_table.flows */
	u32 ufid_hash;
};

struct vsw_flow_node {
	struct vsw_flow flow;
	struct vsw_flow_priv priv;
};

/* Flows by index, for dumps and for the microflow cache. Grown by
 * copying; the old vector is freed after a grace period.
 */
struct vsw_flow_vec {
	struct rcu_head rcu;
	u32 size;
	struct vsw_flow __rcu *f[];
};

struct vsw_flow_table {
	struct mutex *lock;		/* the owner's: serialises writers */
	struct vsw_mask_order __rcu *order;
	struct vsw_flow_vec __rcu *flows;
	struct vsw_ptab __rcu *ufids;
	struct vsw_mf_cache __rcu *mf;
	u32 seed;
	u32 count;
	u32 gen;
	u32 n_masks;			/* masks with ref_count > 0 */
	/* free flow indices (writer only): a stack, plus the high water */
	u32 *free_idx;
	u32 n_free;
	u32 next_idx;
};

static inline struct vsw_flow_node *vsw_flow_node(const struct vsw_flow *f)
{
	return container_of(f, struct vsw_flow_node, flow);
}

/*
 * Hashes of masked keys: a multiply-xorshift mix per 64-bit word (seeded
 * per table), a third of the instructions of jhash2 over the same bytes,
 * which dominated the mask search.
 */
static inline u64 vsw_mix_word(u64 h, u64 w)
{
	h ^= w;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

static inline u32 vsw_mix_finish(u64 h)
{
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (u32)(h ^ (h >> 32));
}

/* Hash of @key masked by @m over the mask's words. Applied to an already
 * masked key (a flow's) it gives the same value.
 */
static inline u32 vsw_masked_hash(const struct vsw_key *key,
				  const struct vsw_mask *m, u32 seed)
{
	const u64 *k = (const u64 *)key, *mk = (const u64 *)&m->key;
	u64 h = seed ^ 0x9e3779b97f4a7c15ULL;
	unsigned int i;

	for (i = m->start / 8; i < m->end / 8u; i++)
		h = vsw_mix_word(h, k[i] & mk[i]);
	return vsw_mix_finish(h);
}

/* Does @key (unmasked) fall under @flow? */
static inline bool vsw_flow_matches(const struct vsw_flow *flow,
				    const struct vsw_key *key)
{
	const struct vsw_mask *m = flow->mask;
	const u64 *k = (const u64 *)key, *mk = (const u64 *)&m->key;
	const u64 *fk = (const u64 *)&flow->key;
	unsigned int i;

	for (i = m->start / 8; i < m->end / 8u; i++)
		if ((k[i] & mk[i]) != fk[i])
			return false;
	return true;
}

static inline u32 vsw_ufid_hash(const u8 *ufid, u32 seed)
{
	return jhash2((const u32 *)ufid, VSW_UFID_LEN / 4, seed);
}

/* The flow at @idx if it is still alive (RCU). */
static inline struct vsw_flow *vsw_flow_by_index(struct vsw_flow_table *tbl,
						 u32 idx)
{
	struct vsw_flow_vec *v = rcu_dereference(tbl->flows);
	struct vsw_flow *f;

	if (idx >= v->size)
		return NULL;
	f = rcu_dereference(v->f[idx]);
	if (!f || READ_ONCE(f->dead))
		return NULL;
	return f;
}

#endif /* _VSW_FLOW_TABLE_PRIV_H */
