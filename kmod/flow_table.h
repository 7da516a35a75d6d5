/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The megaflow cache: (masked key, mask, actions) entries found by a
 * tuple-space search over the distinct masks, fronted by a per-CPU
 * microflow (exact-match) cache. Shared by the module and the host build
 * (tests/kshim), so it uses only what kshim.h provides.
 *
 * Locking contract
 * - Readers (the packet path) call vsw_flow_lookup() under RCU read lock
 *   with bottom halves disabled; they never block and never write shared
 *   cache lines (stats are per CPU).
 * - Writers (insert, remove, flush, resize, mask re-sort) are serialised
 *   by the owner's mutex (the datapath's); each function says so.
 * - A removed flow is freed after an RCU grace period; a microflow entry
 *   pointing at it is verified (flow alive and full key equal) before use,
 *   so a stale entry is a miss, never a wrong hit.
 */
#ifndef _VSW_FLOW_TABLE_H
#define _VSW_FLOW_TABLE_H

#include "flow.h"

struct vsw_actions;			/* owned by actions.c; opaque here */

/* A distinct mask; shared by all flows using it, reference counted. */
struct vsw_mask {
	struct vsw_key key;		/* 1 bits are significant */
	u16 start, end;			/* byte range [start, end) of non-zero
					 * mask words, multiples of 8
					 */
	int ref_count;			/* flows using it; writers only */
};

struct vsw_flow_stats {
	u64 packets;
	u64 bytes;
	unsigned long used;		/* jiffies of the last packet, 0 = never */
	u16 tcp_flags;
};

struct vsw_flow {
	struct vsw_key key;		/* masked with mask->key at insert */
	struct vsw_mask *mask;		/* set by vsw_flow_insert(), else NULL */
	struct vsw_actions __rcu *actions;
	u8 ufid[VSW_UFID_LEN];
	bool has_ufid;
	bool dead;			/* set on removal, before the grace period */
	u32 hash;			/* of the masked key, for its mask table */
	/* table linkage and per-CPU stats: private to flow_table.c */
	struct vsw_flow_priv *priv;
};

struct vsw_flow_table;

/* Create/destroy. @microflow_size: entries per CPU, 0 or a power of two. */
struct vsw_flow_table *vsw_flow_table_create(u32 microflow_size);
/* Frees every flow (the caller has made sure no reader remains, e.g.
 * after synchronize_rcu()); calls @free_actions on each flow's actions.
 */
void vsw_flow_table_destroy(struct vsw_flow_table *tbl,
			    void (*free_actions)(struct vsw_actions *));

/* Resize the microflow cache (writer). Returns 0 or -ENOMEM. */
int vsw_flow_table_set_microflow(struct vsw_flow_table *tbl, u32 size);

/* Packet path (RCU). @hash picks the microflow entries: the packet's own
 * flow hash if it has one (skb_get_hash_raw), or 0 to hash @key here.
 * Returns the flow or NULL; *n_probed is the number
 * of masks probed (0 on a microflow hit); *microflow_hit tells which
 * cache answered.
 */
struct vsw_flow *vsw_flow_lookup(struct vsw_flow_table *tbl,
				 const struct vsw_key *key, u32 hash,
				 u32 *n_probed, bool *microflow_hit);

/* Account one packet of @len bytes to @flow on this CPU (RCU, BH off). */
void vsw_flow_stats_update(struct vsw_flow *flow, unsigned int len,
			   u16 tcp_flags);
/* Sum of all CPUs' stats (any context). */
void vsw_flow_stats_get(const struct vsw_flow *flow,
			struct vsw_flow_stats *out);
void vsw_flow_stats_clear(struct vsw_flow *flow);

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

/* Exact find by mask + masked key, and by UFID (writer or RCU). */
struct vsw_flow *vsw_flow_find(struct vsw_flow_table *tbl,
			       const struct vsw_key *key,
			       const struct vsw_key *mask);
struct vsw_flow *vsw_flow_find_ufid(struct vsw_flow_table *tbl,
				    const u8 *ufid);

/* Resumable dump (RCU): returns the flow after position *pos (start with
 * *pos = 0) and advances *pos, or NULL at the end. vsw_flow_table_gen()
 * changes whenever a flow is inserted or removed, for dump consistency.
 */
struct vsw_flow *vsw_flow_table_next(struct vsw_flow_table *tbl, u64 *pos);
u32 vsw_flow_table_gen(const struct vsw_flow_table *tbl);

u32 vsw_flow_table_count(const struct vsw_flow_table *tbl);
u32 vsw_flow_table_mask_count(const struct vsw_flow_table *tbl);

/* Re-sort masks by recent hits so common masks are probed first (writer;
 * call periodically, e.g. every second from a delayed work).
 */
void vsw_flow_table_rebalance(struct vsw_flow_table *tbl);

/* Module unload, after rcu_barrier() (no flow left anywhere): frees the
 * module-wide pool of per-CPU stats slots that vsw_flow_alloc() draws
 * from. The pool starts empty and needs no init; after this call it is
 * empty again and usable.
 */
void vsw_flow_table_uninit(void);

#endif /* _VSW_FLOW_TABLE_H */
