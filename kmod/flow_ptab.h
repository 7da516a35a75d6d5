/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open-addressing tables of flow pointers, linear probing: one per mask
 * (by masked-key hash) and one per table (by UFID hash). Internal to the
 * flow table.
 *
 * Readers probe under RCU; writers (holding the table owner's @lock)
 * fill an empty or tombstone slot in place and remove by writing a
 * tombstone in place (a NULL would cut other flows' probe sequences).
 * Growth, shrinking and tombstone purges build a new table, publish it
 * and free the old one after a grace period. A table is never more than
 * half full (live plus tombstones), so a probe always ends at a NULL.
 */
#ifndef _VSW_FLOW_PTAB_H
#define _VSW_FLOW_PTAB_H

#include "flow_table_priv.h"

#define VSW_PTAB_TOMBSTONE	((struct vsw_flow *)1UL)
#define VSW_PTAB_MIN_SIZE	16

struct vsw_ptab {
	struct rcu_head rcu;
	u32 mask;			/* slots - 1 */
	u32 used;			/* live + tombstones */
	u32 live;
	struct vsw_flow __rcu *slot[];
};

/* An empty table of @size slots (a power of two), or NULL. May sleep. */
struct vsw_ptab *vsw_ptab_alloc(u32 size);
/* Frees @t at once (unpublished, or no reader can remain). */
void vsw_ptab_free(struct vsw_ptab *t);

/* Puts @f under @hash; vsw_ptab_reserve() made room (@lock held). */
void vsw_ptab_insert(struct vsw_ptab *t, struct vsw_flow *f, u32 hash,
		     struct mutex *lock);
/* Makes room in *@pp for one more flow, replacing the table if it must
 * grow; -ENOMEM leaves it as it was. @by_ufid: *@pp is keyed by UFID
 * hash, not masked-key hash (@lock held; may sleep).
 */
int vsw_ptab_reserve(struct vsw_ptab __rcu **pp, bool by_ufid,
		     struct mutex *lock);
/* Takes @f (stored under @hash) out of *@pp, shrinking a mostly empty
 * table when memory allows (@lock held; may sleep).
 */
void vsw_ptab_remove(struct vsw_ptab __rcu **pp, struct vsw_flow *f,
		     u32 hash, bool by_ufid, struct mutex *lock);

/* Probes @t for the flow @key falls under (@key need not be masked);
 * RCU or @lock. On the packet path: inline.
 */
static inline struct vsw_flow *vsw_ptab_find(struct vsw_ptab *t,
					     const struct vsw_key *key,
					     u32 hash)
{
	u32 i = hash & t->mask;
	struct vsw_flow *f;

	for (;; i = (i + 1) & t->mask) {
		f = rcu_dereference_raw(t->slot[i]);
		if (!f)
			return NULL;
		if (f != VSW_PTAB_TOMBSTONE && f->hash == hash &&
		    vsw_flow_matches(f, key))
			return f;
	}
}

#endif /* _VSW_FLOW_PTAB_H */
