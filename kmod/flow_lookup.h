/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Masks and the lookup through them: a tuple-space search over the
 * table's distinct masks, in probe order, fronted by the per-CPU
 * microflow cache (flow_microflow.h).
 */
#ifndef _VSW_FLOW_LOOKUP_H
#define _VSW_FLOW_LOOKUP_H

#include "flow_table.h"

/* Packet path (RCU, BH off). @hash picks the microflow entries: the
 * packet's own flow hash if it has one (skb_get_hash_raw), or 0 to hash
 * @key here. Returns the flow or NULL; *n_probed is the number of masks
 * probed (0 on a microflow hit); *microflow_hit tells which cache
 * answered.
 */
struct vsw_flow *vsw_flow_lookup(struct vsw_flow_table *tbl,
				 const struct vsw_key *key, u32 hash,
				 u32 *n_probed, bool *microflow_hit);

/* Exact find by mask + masked key, and by UFID (the owner's lock or
 * RCU).
 */
struct vsw_flow *vsw_flow_find(struct vsw_flow_table *tbl,
			       const struct vsw_key *key,
			       const struct vsw_key *mask);
struct vsw_flow *vsw_flow_find_ufid(struct vsw_flow_table *tbl,
				    const u8 *ufid);

/* The rest is internal to the flow table's files. */

/* A mask as the table holds it: shared by all flows using it. */
struct vsw_mask_node {
	struct vsw_mask m;
	struct vsw_ptab __rcu *tab;	/* flows under this mask */
	u64 __percpu *hits;		/* mask-search hits, per CPU */
	u64 hits_seen;			/* sum at the last rebalance */
	struct rcu_head rcu;
};

/* The masks in probe order; replaced as a whole when a mask is added,
 * removed or re-sorted, the old one freed after a grace period.
 */
struct vsw_mask_order {
	struct rcu_head rcu;
	u32 n;
	struct vsw_mask_node *m[];
};

static inline struct vsw_mask_node *vsw_mask_node(const struct vsw_mask *m)
{
	return container_of(m, struct vsw_mask_node, m);
}

/* An order with room for @n masks, or NULL (may sleep). */
struct vsw_mask_order *vsw_mask_order_alloc(u32 n);
void vsw_mask_order_free(struct vsw_mask_order *o);	/* never published */
/* Publishes @o as the probe order; the old one is freed after a grace
 * period (the table's lock).
 */
void vsw_mask_order_publish(struct vsw_flow_table *tbl,
			    struct vsw_mask_order *o);

/* The published mask equal to @mask in @o, or NULL (the lock or RCU). */
struct vsw_mask_node *vsw_mask_find(struct vsw_mask_order *o,
				    const struct vsw_key *mask);
/* A new mask node for @mask and the probe order that will publish it
 * (appended last), or ERR_PTR: -E2BIG past VSW_MAX_MASKS, -ENOMEM. The
 * caller publishes the order or frees both (the lock; may sleep).
 */
struct vsw_mask_node *vsw_mask_new(struct vsw_flow_table *tbl,
				   const struct vsw_key *mask,
				   struct vsw_mask_order **order);
/* Frees @mn at once (unpublished, or no reader can remain). */
void vsw_mask_free(struct vsw_mask_node *mn);
/* Frees @mn after a grace period (no longer in the published order). */
void vsw_mask_free_rcu(struct vsw_mask_node *mn);
/* Drops @mn from the probe order once its last flow is gone (the lock).
 * If the new order cannot be allocated the empty mask stays (probing it
 * finds nothing) until a later rebalance drops it.
 */
void vsw_mask_unlink(struct vsw_flow_table *tbl, struct vsw_mask_node *mn);

#endif /* _VSW_FLOW_LOOKUP_H */
