// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table: flows' lifetime, insertion and removal across the
 * table's structures, flow indices, iteration and the table's own
 * lifetime. Builds in the module and, with tests/kshim, on the host.
 *
 * DOC: Flow table concurrency
 *
 * Readers (vsw_flow_lookup, vsw_flow_find*, vsw_flow_table_next) run under
 * rcu_read_lock() (the packet path also with BH disabled). Writers (every
 * other function of the table) are serialised by the mutex of the table's
 * owner, given to vsw_flow_table_create() (in the module, the datapath
 * mutex: see "DOC: Locking" in datapath.c); the table has no lock of its
 * own. Writer-side accesses (vsw_wderef()) and the writers' entry points
 * assert that mutex with lockdep.
 *
 * Everything a reader can reach is published with rcu_assign_pointer()
 * after it is fully initialised, and freed only after a grace period:
 * - the masks in probe order (struct vsw_mask_order, flow_lookup.h),
 * - one open-addressing table of flow pointers per mask and one by UFID
 *   (struct vsw_ptab, flow_ptab.h),
 * - the flows by index (struct vsw_flow_vec), for dumps and for
 *   the microflow cache,
 * - the microflow cache (struct vsw_mf_cache, flow_microflow.h),
 * - a removed flow: marked dead, unlinked from every table, and freed
 *   (with its actions) from an RCU callback.
 *
 * A flow gets no mask of its own. The caller keeps the requested mask (a
 * plain struct vsw_key) and hands it to vsw_flow_insert(), which shares
 * the published mask equal to it; only a really new mask is allocated.
 * Its stats come from a pool (flow_stats.c): flow setup makes no
 * per-CPU allocation in the common case.
 */
#ifdef __KERNEL__
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#endif
#include "flow_lookup.h"
#include "flow_microflow.h"
#include "flow_ptab.h"
#include "flow_stats.h"
#include "flow_table_priv.h"

#define FLOW_VEC_MIN	64

/* --- flow indices (for dumps and the microflow cache) ------------------ */

static void flow_vec_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct vsw_flow_vec, rcu));
}

/* A vector of @size flow slots and a free-index stack of the same size. */
static struct vsw_flow_vec *flow_vec_alloc(u32 size, u32 **free_idx)
{
	struct vsw_flow_vec *v = kvzalloc(struct_size(v, f, size), GFP_KERNEL_ACCOUNT);

	if (!v)
		return NULL;
	*free_idx = kvcalloc(size, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!*free_idx) {
		kvfree(v);
		return NULL;
	}
	v->size = size;
	return v;
}

static int flow_vec_grow(struct vsw_flow_table *tbl)
{
	struct vsw_flow_vec *old = vsw_wderef(tbl->flows, tbl->lock), *v;
	u32 *free_idx, i;

	v = flow_vec_alloc(old->size * 2, &free_idx);
	if (!v)
		return -ENOMEM;
	for (i = 0; i < old->size; i++)
		RCU_INIT_POINTER(v->f[i], vsw_wderef(old->f[i], tbl->lock));
	memcpy(free_idx, tbl->free_idx, tbl->n_free * sizeof(u32));
	kvfree(tbl->free_idx);
	tbl->free_idx = free_idx;
	rcu_assign_pointer(tbl->flows, v);
	call_rcu(&old->rcu, flow_vec_free_rcu);
	return 0;
}

static int flow_idx_reserve(struct vsw_flow_table *tbl)
{
	if (tbl->n_free ||
	    tbl->next_idx < vsw_wderef(tbl->flows, tbl->lock)->size)
		return 0;
	return flow_vec_grow(tbl);
}

static u32 flow_idx_take(struct vsw_flow_table *tbl)
{
	return tbl->n_free ? tbl->free_idx[--tbl->n_free] : tbl->next_idx++;
}

/* --- flows ------------------------------------------------------------- */

struct vsw_flow *vsw_flow_alloc(const struct vsw_key *key)
{
	struct vsw_flow_node *node = kzalloc(sizeof(*node), GFP_KERNEL_ACCOUNT);

	if (!node)
		return ERR_PTR(-ENOMEM);
	node->priv.stats = vsw_flow_stats_alloc();
	if (!node->priv.stats) {
		kfree(node);
		return ERR_PTR(-ENOMEM);
	}
	node->flow.priv = &node->priv;
	node->flow.key = *key;
	return &node->flow;
}

/* Also from an RCU callback (softirq). */
static void flow_node_free(struct vsw_flow *flow)
{
	struct vsw_flow_node *node = vsw_flow_node(flow);

	vsw_flow_stats_free(node->priv.stats);
	kfree(node);
}

void vsw_flow_free(struct vsw_flow *flow)
{
	if (flow)
		flow_node_free(flow);
}

static void flow_free_rcu(struct rcu_head *rcu)
{
	struct vsw_flow_priv *priv = container_of(rcu, struct vsw_flow_priv, rcu);
	struct vsw_flow_node *node = container_of(priv, struct vsw_flow_node,
						  priv);
	struct vsw_actions *acts = rcu_dereference_raw(node->flow.actions);

	if (acts && priv->free_actions)
		priv->free_actions(acts);
	flow_node_free(&node->flow);
}

/* Finds an existing flow @flow would duplicate (same mask and masked key,
 * or same UFID).
 */
static struct vsw_flow *flow_duplicate(struct vsw_flow_table *tbl,
				       struct vsw_mask_node *mn,
				       const struct vsw_flow *flow)
{
	struct vsw_flow *dup = NULL;

	if (mn)
		dup = vsw_ptab_find(vsw_wderef(mn->tab, tbl->lock), &flow->key,
				    vsw_masked_hash(&flow->key, &mn->m,
						    tbl->seed));
	if (!dup && flow->has_ufid)
		dup = vsw_flow_find_ufid(tbl, flow->ufid);
	return dup;
}

/* Makes room for @flow under @mn everywhere, so that linking cannot fail. */
static int flow_reserve(struct vsw_flow_table *tbl, struct vsw_mask_node *mn,
			const struct vsw_flow *flow)
{
	int err = flow_idx_reserve(tbl);

	if (!err)
		err = vsw_ptab_reserve(&mn->tab, false, tbl->lock);
	if (!err && flow->has_ufid)
		err = vsw_ptab_reserve(&tbl->ufids, true, tbl->lock);
	return err;
}

/* Publishes @flow under @mn; the room is reserved. */
static void flow_link(struct vsw_flow_table *tbl, struct vsw_mask_node *mn,
		      struct vsw_flow *flow)
{
	struct vsw_flow_vec *vec = vsw_wderef(tbl->flows, tbl->lock);
	u32 idx = flow_idx_take(tbl);

	mn->m.ref_count++;
	flow->mask = &mn->m;
	flow->dead = false;
	flow->hash = vsw_masked_hash(&flow->key, &mn->m, tbl->seed);
	flow->priv->index = idx;
	if (flow->has_ufid)
		flow->priv->ufid_hash = vsw_ufid_hash(flow->ufid, tbl->seed);
	rcu_assign_pointer(vec->f[idx], flow);
	vsw_ptab_insert(vsw_wderef(mn->tab, tbl->lock), flow, flow->hash,
			tbl->lock);
	if (flow->has_ufid)
		vsw_ptab_insert(vsw_wderef(tbl->ufids, tbl->lock), flow,
				flow->priv->ufid_hash, tbl->lock);
	tbl->count++;
	tbl->gen++;
}

static void key_mask(struct vsw_key *key, const struct vsw_key *mask)
{
	const u64 *m = (const u64 *)mask;
	u64 *k = (u64 *)key;
	u32 i;

	for (i = 0; i < VSW_KEY_WORDS; i++)
		k[i] &= m[i];
}

int vsw_flow_insert(struct vsw_flow_table *tbl, struct vsw_flow *flow,
		    const struct vsw_key *mask, struct vsw_flow **existing)
{
	struct vsw_mask_order *order = NULL;
	struct vsw_mask_node *mn;
	struct vsw_flow *dup;
	int err;

	lockdep_assert_held(tbl->lock);
	if (existing)
		*existing = NULL;
	key_mask(&flow->key, mask);
	mn = vsw_mask_find(vsw_wderef(tbl->order, tbl->lock), mask);
	dup = flow_duplicate(tbl, mn, flow);
	if (dup) {
		if (existing)
			*existing = dup;
		return -EEXIST;
	}
	if (!mn) {
		mn = vsw_mask_new(tbl, mask, &order);
		if (IS_ERR(mn))
			return PTR_ERR(mn);
	}
	err = flow_reserve(tbl, mn, flow);
	if (err)
		goto err_free_mask;
	if (order) {
		vsw_mask_order_publish(tbl, order);
		tbl->n_masks++;
	} else if (!mn->m.ref_count) {	/* revived after a failed unlink */
		tbl->n_masks++;
	}
	flow_link(tbl, mn, flow);
	return 0;

err_free_mask:
	if (order) {		/* the mask is new, still unpublished */
		vsw_mask_order_free(order);
		vsw_mask_free(mn);
	}
	return err;
}

void vsw_flow_remove(struct vsw_flow_table *tbl, struct vsw_flow *flow,
		     void (*free_actions)(struct vsw_actions *))
{
	struct vsw_mask_node *mn = vsw_mask_node(flow->mask);
	struct vsw_flow_vec *vec = vsw_wderef(tbl->flows, tbl->lock);
	u32 idx = flow->priv->index;

	lockdep_assert_held(tbl->lock);
	WRITE_ONCE(flow->dead, true);
	vsw_ptab_remove(&mn->tab, flow, flow->hash, false, tbl->lock);
	if (flow->has_ufid)
		vsw_ptab_remove(&tbl->ufids, flow, flow->priv->ufid_hash, true,
				tbl->lock);
	RCU_INIT_POINTER(vec->f[idx], NULL);
	tbl->free_idx[tbl->n_free++] = idx;
	tbl->count--;
	tbl->gen++;
	if (--mn->m.ref_count == 0)
		vsw_mask_unlink(tbl, mn);
	flow->priv->free_actions = free_actions;
	call_rcu(&flow->priv->rcu, flow_free_rcu);
}

struct vsw_flow *vsw_flow_table_next(struct vsw_flow_table *tbl, u64 *pos)
{
	struct vsw_flow_vec *v = rcu_dereference_raw(tbl->flows);
	struct vsw_flow *f;
	u64 i;

	for (i = *pos; i < v->size; i++) {
		f = rcu_dereference_raw(v->f[i]);
		if (f) {
			*pos = i + 1;
			return f;
		}
	}
	*pos = i;
	return NULL;
}

u32 vsw_flow_table_gen(const struct vsw_flow_table *tbl)
{
	return READ_ONCE(tbl->gen);
}

u32 vsw_flow_table_count(const struct vsw_flow_table *tbl)
{
	return READ_ONCE(tbl->count);
}

u32 vsw_flow_table_mask_count(const struct vsw_flow_table *tbl)
{
	return READ_ONCE(tbl->n_masks);
}

/* --- the table's lifetime ------------------------------------------------ */

struct vsw_flow_table *vsw_flow_table_create(u32 microflow_size,
					     struct mutex *lock)
{
	struct vsw_flow_table *tbl;
	struct vsw_mask_order *order;
	struct vsw_flow_vec *flows;
	struct vsw_mf_cache *mf;
	struct vsw_ptab *ufids;
	int err = -ENOMEM;

	tbl = kzalloc(sizeof(*tbl), GFP_KERNEL_ACCOUNT);
	if (!tbl)
		return ERR_PTR(-ENOMEM);
	tbl->lock = lock;
	tbl->seed = get_random_u32();
	order = vsw_mask_order_alloc(0);
	if (!order)
		goto err_free_tbl;
	RCU_INIT_POINTER(tbl->order, order);
	ufids = vsw_ptab_alloc(VSW_PTAB_MIN_SIZE);
	if (!ufids)
		goto err_free_order;
	RCU_INIT_POINTER(tbl->ufids, ufids);
	flows = flow_vec_alloc(FLOW_VEC_MIN, &tbl->free_idx);
	if (!flows)
		goto err_free_ufids;
	RCU_INIT_POINTER(tbl->flows, flows);
	err = vsw_mf_make(microflow_size, &mf);
	if (err)
		goto err_free_flows;
	RCU_INIT_POINTER(tbl->mf, mf);
	return tbl;

err_free_flows:
	kvfree(flows);
	kvfree(tbl->free_idx);
err_free_ufids:
	vsw_ptab_free(ufids);
err_free_order:
	vsw_mask_order_free(order);
err_free_tbl:
	kfree(tbl);
	return ERR_PTR(err);
}

void vsw_flow_table_destroy(struct vsw_flow_table *tbl,
			    void (*free_actions)(struct vsw_actions *))
{
	struct vsw_mask_order *o;
	struct vsw_actions *acts;
	struct vsw_flow_vec *v;
	struct vsw_flow *f;
	u32 i;

	if (!tbl)
		return;
	v = vsw_ownderef(tbl->flows);
	for (i = 0; i < v->size; i++) {
		f = vsw_ownderef(v->f[i]);
		if (!f)
			continue;
		acts = rcu_dereference_raw(f->actions);
		if (acts && free_actions)
			free_actions(acts);
		flow_node_free(f);
	}
	o = vsw_ownderef(tbl->order);
	for (i = 0; i < o->n; i++)
		vsw_mask_free(o->m[i]);
	vsw_mask_order_free(o);
	kvfree(v);
	kvfree(tbl->free_idx);
	vsw_ptab_free(vsw_ownderef(tbl->ufids));
	vsw_mf_free(vsw_ownderef(tbl->mf));
	kfree(tbl);
}
