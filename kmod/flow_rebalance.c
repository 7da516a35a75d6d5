// SPDX-License-Identifier: GPL-2.0
/*
 * Mask re-sorting (see flow_rebalance.h). Each mask counts its
 * mask-search hits per CPU; a rebalance sums them, ranks the masks by
 * the hits since the previous rebalance and publishes the new order.
 * Builds in the module and, with tests/kshim, on the host.
 */
#ifdef __KERNEL__
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/sort.h>
#endif
#include "flow_lookup.h"
#include "flow_rebalance.h"
#include "flow_table_priv.h"

struct mask_rank {
	u64 hits;
	struct vsw_mask_node *mn;
};

static int rank_cmp(const void *a, const void *b)
{
	const struct mask_rank *x = a, *y = b;

	if (x->hits != y->hits)
		return x->hits < y->hits ? 1 : -1;
	return 0;
}

static u64 mask_hits(const struct vsw_mask_node *mn)
{
	unsigned int cpu;
	u64 sum = 0;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(mn->hits, cpu));
	return sum;
}

void vsw_flow_table_rebalance(struct vsw_flow_table *tbl)
{
	struct vsw_mask_order *old = vsw_wderef(tbl->order, tbl->lock), *o;
	u32 i, n = 0, n_zombies = 0, n_old = old->n;
	struct vsw_mask_node *mn;
	struct mask_rank *rank;
	u64 sum;

	lockdep_assert_held(tbl->lock);
	if (!n_old)
		return;
	rank = kvcalloc(n_old, sizeof(*rank), GFP_KERNEL);
	o = vsw_mask_order_alloc(n_old);
	if (!rank || !o)
		goto out_free;
	for (i = 0; i < n_old; i++) {
		mn = old->m[i];
		if (!mn->m.ref_count) {		/* left by a failed unlink */
			rank[n_old - ++n_zombies].mn = mn;
			continue;
		}
		sum = mask_hits(mn);
		rank[n].hits = sum - mn->hits_seen;
		rank[n++].mn = mn;
		mn->hits_seen = sum;
	}
	sort(rank, n, sizeof(*rank), rank_cmp, NULL);
	for (i = 0; i < n; i++)
		o->m[i] = rank[i].mn;
	o->n = n;
	vsw_mask_order_publish(tbl, o);	/* frees old */
	o = NULL;
	/* unreachable for new readers only now */
	for (i = 0; i < n_zombies; i++)
		vsw_mask_free_rcu(rank[n_old - 1 - i].mn);
out_free:
	vsw_mask_order_free(o);
	kvfree(rank);
}
