/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The megaflow cache: (masked key, mask, actions) entries, found by a
 * tuple-space search over the distinct masks (flow_lookup.h) fronted by a
 * per-CPU microflow cache (flow_microflow.h), with per-CPU statistics
 * (flow_stats.h). This header: the flow and the table's lifetime,
 * insertion, removal and iteration. Shared by the module and the host
 * build (tests/kshim), so it uses only what kshim.h provides.
 *
 * Locking contract (flow_table.c has the details)
 * - Readers (the packet path) call vsw_flow_lookup() under RCU read lock
 *   with bottom halves disabled; they never block and never write shared
 *   cache lines (stats are per CPU).
 * - Writers (insert, remove, microflow resize, rebalance) hold the mutex
 *   of the table's owner, given to vsw_flow_table_create(); each asserts
 *   it with lockdep.
 * - A removed flow is freed after an RCU grace period; a microflow entry
 *   pointing at it is verified (flow alive and full key equal) before use,
 *   so a stale entry is a miss, never a wrong hit.
 */
#ifndef _VSW_FLOW_TABLE_H
#define _VSW_FLOW_TABLE_H

#include "flow.h"

#ifdef __KERNEL__
#include <linux/mutex.h>
#endif

struct vsw_actions;			/* owned by actions.c; opaque here */

/* A distinct mask; shared by all flows using it, reference counted. */
struct vsw_mask {
	struct vsw_key key;		/* 1 bits are significant */
	u16 start, end;			/* byte range [start, end) of non-zero
					 * mask words, multiples of 8
					 */
	int ref_count;			/* flows using it; writers only */
};

struct vsw_flow {
	struct vsw_key key;		/* masked with mask->key at insert */
	struct vsw_mask *mask;		/* set by vsw_flow_insert(), else NULL */
	struct vsw_actions __rcu *actions;
	u8 ufid[VSW_UFID_LEN];
	bool has_ufid;
	bool dead;			/* set on removal, before the grace period */
	u32 hash;			/* of the masked key, for its mask table */
	/* table linkage and per-CPU stats: private to the table's files */
	struct vsw_flow_priv *priv;
};

struct vsw_flow_table;

/* Creates a table whose writers hold @lock (the owner's mutex, which
 * must outlive the table). @microflow_size: entries per CPU, 0 or a power
 * of two. Returns ERR_PTR(-EINVAL or -ENOMEM) on failure. May sleep.
 */
struct vsw_flow_table *vsw_flow_table_create(u32 microflow_size,
					     struct mutex *lock);
/* Frees every flow (the caller has made sure no reader remains, e.g.
 * after synchronize_rcu()); calls @free_actions on each flow's actions.
 */
void vsw_flow_table_destroy(struct vsw_flow_table *tbl,
			    void (*free_actions)(struct vsw_actions *));

/* Allocate a flow for @key, with zeroed stats; its mask is given to
 * vsw_flow_insert(). Any process context (may sleep), no lock needed.
 * Returns ERR_PTR(-ENOMEM) on failure.
 */
struct vsw_flow *vsw_flow_alloc(const struct vsw_key *key);
void vsw_flow_free(struct vsw_flow *flow);	/* never inserted */

/* Insert (writer) @flow under @mask: masks flow->key in place, then shares
 * the published mask equal to @mask, or publishes a new one. -EEXIST if a
 * flow with the same mask and masked key (or the same UFID) is present
 * (*existing is set to it), -E2BIG past VSW_MAX_MASKS masks, -ENOMEM. On
 * success the table owns @flow; on error the caller still does.
 */
int vsw_flow_insert(struct vsw_flow_table *tbl, struct vsw_flow *flow,
		    const struct vsw_key *mask, struct vsw_flow **existing);
/* Remove (writer): unlinks @flow and frees it (and its actions through
 * @free_actions) after an RCU grace period.
 */
void vsw_flow_remove(struct vsw_flow_table *tbl, struct vsw_flow *flow,
		     void (*free_actions)(struct vsw_actions *));

/* Resumable dump (RCU): returns the flow after position *pos (start with
 * *pos = 0) and advances *pos, or NULL at the end. vsw_flow_table_gen()
 * changes whenever a flow is inserted or removed, for dump consistency.
 */
struct vsw_flow *vsw_flow_table_next(struct vsw_flow_table *tbl, u64 *pos);
u32 vsw_flow_table_gen(const struct vsw_flow_table *tbl);

u32 vsw_flow_table_count(const struct vsw_flow_table *tbl);
u32 vsw_flow_table_mask_count(const struct vsw_flow_table *tbl);

#endif /* _VSW_FLOW_TABLE_H */
