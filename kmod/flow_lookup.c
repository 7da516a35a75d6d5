// SPDX-License-Identifier: GPL-2.0
/*
 * Masks, their probe order, and the lookup: microflow cache first, then
 * each mask's table in probe order (see flow_lookup.h). Builds in the
 * module and, with tests/kshim, on the host.
 *
 * A new mask gets its node, its per-CPU hit counters and its flow table
 * here, under the writer's lock, and only when no published mask is
 * equal to the requested one: flows share masks, so flow setup rarely
 * allocates any of this.
 */
#ifdef __KERNEL__
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#endif
#include "flow_lookup.h"
#include "flow_microflow.h"
#include "flow_ptab.h"

/* --- masks ------------------------------------------------------------ */

/* Sets the byte range [start, end) of @m's non-zero words. */
static void mask_range(struct vsw_mask *m)
{
	const u64 *w = (const u64 *)&m->key;
	int first = -1, last = -1, i;

	for (i = 0; i < (int)VSW_KEY_WORDS; i++) {
		if (!w[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
	}
	m->start = first < 0 ? 0 : first * 8;
	m->end = first < 0 ? 0 : (last + 1) * 8;
}

void vsw_mask_free(struct vsw_mask_node *mn)
{
	vsw_ptab_free(rcu_dereference_raw(mn->tab));
	free_percpu(mn->hits);
	kfree(mn);
}

static void mask_free_rcu(struct rcu_head *rcu)
{
	vsw_mask_free(container_of(rcu, struct vsw_mask_node, rcu));
}

void vsw_mask_free_rcu(struct vsw_mask_node *mn)
{
	call_rcu(&mn->rcu, mask_free_rcu);
}

/* A new, unpublished mask with an empty flow table (may sleep). */
static struct vsw_mask_node *mask_alloc(const struct vsw_key *mask)
{
	struct vsw_mask_node *mn = kzalloc(sizeof(*mn), GFP_KERNEL_ACCOUNT);
	struct vsw_ptab *tab;

	if (!mn)
		goto err;
	mn->hits = alloc_percpu_gfp(u64, GFP_KERNEL_ACCOUNT);
	if (!mn->hits)
		goto err_free_mn;
	tab = vsw_ptab_alloc(VSW_PTAB_MIN_SIZE);
	if (!tab)
		goto err_free_hits;
	RCU_INIT_POINTER(mn->tab, tab);
	mn->m.key = *mask;
	mask_range(&mn->m);
	return mn;

err_free_hits:
	free_percpu(mn->hits);
err_free_mn:
	kfree(mn);
err:
	return NULL;
}

struct vsw_mask_order *vsw_mask_order_alloc(u32 n)
{
	struct vsw_mask_order *o = kvzalloc(struct_size(o, m, n), GFP_KERNEL_ACCOUNT);

	if (o)
		o->n = n;
	return o;
}

void vsw_mask_order_free(struct vsw_mask_order *o)
{
	kvfree(o);
}

static void order_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct vsw_mask_order, rcu));
}

void vsw_mask_order_publish(struct vsw_flow_table *tbl,
			    struct vsw_mask_order *o)
{
	struct vsw_mask_order *old = vsw_wderef(tbl->order, tbl->lock);

	rcu_assign_pointer(tbl->order, o);
	call_rcu(&old->rcu, order_free_rcu);
}

struct vsw_mask_node *vsw_mask_find(struct vsw_mask_order *o,
				    const struct vsw_key *mask)
{
	u32 i;

	for (i = 0; i < o->n; i++)
		if (!memcmp(&o->m[i]->m.key, mask, sizeof(*mask)))
			return o->m[i];
	return NULL;
}

void vsw_mask_unlink(struct vsw_flow_table *tbl, struct vsw_mask_node *mn)
{
	struct vsw_mask_order *old = vsw_wderef(tbl->order, tbl->lock), *o;
	u32 i, j = 0;

	tbl->n_masks--;
	o = vsw_mask_order_alloc(old->n - 1);
	if (!o)
		return;
	for (i = 0; i < old->n; i++)
		if (old->m[i] != mn)
			o->m[j++] = old->m[i];
	vsw_mask_order_publish(tbl, o);
	vsw_mask_free_rcu(mn);
}

/* A probe order with @mn appended (new masks have no hits yet). */
static struct vsw_mask_order *order_with(struct vsw_flow_table *tbl,
					 struct vsw_mask_node *mn)
{
	struct vsw_mask_order *old = vsw_wderef(tbl->order, tbl->lock), *o;

	o = vsw_mask_order_alloc(old->n + 1);
	if (!o)
		return NULL;
	memcpy(o->m, old->m, old->n * sizeof(o->m[0]));
	o->m[old->n] = mn;
	return o;
}

/* The only place a mask is allocated. */
struct vsw_mask_node *vsw_mask_new(struct vsw_flow_table *tbl,
				   const struct vsw_key *mask,
				   struct vsw_mask_order **order)
{
	struct vsw_mask_node *mn;

	lockdep_assert_held(tbl->lock);
	if (tbl->n_masks >= VSW_MAX_MASKS)
		return ERR_PTR(-E2BIG);
	mn = mask_alloc(mask);
	if (!mn)
		return ERR_PTR(-ENOMEM);
	*order = order_with(tbl, mn);
	if (!*order) {
		vsw_mask_free(mn);
		return ERR_PTR(-ENOMEM);
	}
	return mn;
}

/* --- lookup ------------------------------------------------------------ */

static struct vsw_flow *mask_search(struct vsw_flow_table *tbl,
				    const struct vsw_key *key, u32 *n_probed)
{
	struct vsw_mask_order *o = rcu_dereference(tbl->order);
	struct vsw_mask_node *mn;
	struct vsw_flow *f;
	u32 i;

	for (i = 0; i < o->n; i++) {
		mn = o->m[i];
		f = vsw_ptab_find(rcu_dereference(mn->tab), key,
				  vsw_masked_hash(key, &mn->m, tbl->seed));
		if (f) {
			*n_probed = i + 1;
			(*this_cpu_ptr(mn->hits))++;
			return f;
		}
	}
	*n_probed = o->n;
	return NULL;
}

struct vsw_flow *vsw_flow_lookup(struct vsw_flow_table *tbl,
				 const struct vsw_key *key, u32 hash,
				 u32 *n_probed, bool *microflow_hit)
{
	struct vsw_mf_cache *mf = rcu_dereference(tbl->mf);
	struct vsw_mf_entry *e0 = NULL, *e1 = NULL, *cpu_tab;
	struct vsw_flow *f;

	*microflow_hit = false;
	if (mf) {
		/* skb hashes can be absent (0): fall back to the key's */
		if (!hash)
			hash = vsw_mf_key_hash(key, tbl->seed);
		cpu_tab = mf->cpu[smp_processor_id()];
		e0 = &cpu_tab[hash & mf->mask];
		e1 = &cpu_tab[rol32(hash, 16) & mf->mask];
		f = vsw_mf_probe(tbl, e0, hash, key);
		if (!f && e1 != e0)
			f = vsw_mf_probe(tbl, e1, hash, key);
		if (f) {
			*n_probed = 0;
			*microflow_hit = true;
			return f;
		}
	}
	f = mask_search(tbl, key, n_probed);
	if (f && e0)
		vsw_mf_insert(e0, e1, hash, f->priv->index);
	return f;
}

struct vsw_flow *vsw_flow_find(struct vsw_flow_table *tbl,
			       const struct vsw_key *key,
			       const struct vsw_key *mask)
{
	struct vsw_mask_node *mn;

	mn = vsw_mask_find(rcu_dereference_raw(tbl->order), mask);
	if (!mn)
		return NULL;
	return vsw_ptab_find(rcu_dereference_raw(mn->tab), key,
			     vsw_masked_hash(key, &mn->m, tbl->seed));
}

struct vsw_flow *vsw_flow_find_ufid(struct vsw_flow_table *tbl,
				    const u8 *ufid)
{
	struct vsw_ptab *t = rcu_dereference_raw(tbl->ufids);
	u32 hash = vsw_ufid_hash(ufid, tbl->seed), i;
	struct vsw_flow *f;

	for (i = hash & t->mask;; i = (i + 1) & t->mask) {
		f = rcu_dereference_raw(t->slot[i]);
		if (!f)
			return NULL;
		if (f != VSW_PTAB_TOMBSTONE && f->priv->ufid_hash == hash &&
		    !memcmp(f->ufid, ufid, VSW_UFID_LEN))
			return f;
	}
}
