// SPDX-License-Identifier: GPL-2.0
/*
 * Open-addressing tables of flow pointers (see flow_ptab.h). Builds in
 * the module and, with tests/kshim, on the host.
 */
#ifdef __KERNEL__
#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/slab.h>
#endif
#include "flow_ptab.h"

struct vsw_ptab *vsw_ptab_alloc(u32 size)
{
	struct vsw_ptab *t = kvzalloc(struct_size(t, slot, size), GFP_KERNEL_ACCOUNT);

	if (t)
		t->mask = size - 1;
	return t;
}

void vsw_ptab_free(struct vsw_ptab *t)
{
	kvfree(t);
}

static void ptab_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct vsw_ptab, rcu));
}

static u32 ptab_hash(const struct vsw_flow *f, bool by_ufid)
{
	return by_ufid ? f->priv->ufid_hash : f->hash;
}

/* Puts @f in the first empty or tombstone slot of its probe sequence. */
void vsw_ptab_insert(struct vsw_ptab *t, struct vsw_flow *f, u32 hash,
		     struct mutex *lock)
{
	u32 i = hash & t->mask;
	struct vsw_flow *s;

	for (;; i = (i + 1) & t->mask) {
		s = vsw_wderef(t->slot[i], lock);
		if (!s || s == VSW_PTAB_TOMBSTONE)
			break;
	}
	if (!s)
		t->used++;
	t->live++;
	rcu_assign_pointer(t->slot[i], f);
}

/* Replaces *@pp by a table of @size slots holding the same flows. */
static int ptab_rebuild(struct vsw_ptab __rcu **pp, u32 size, bool by_ufid,
			struct mutex *lock)
{
	struct vsw_ptab *old = vsw_wderef(*pp, lock), *t = vsw_ptab_alloc(size);
	struct vsw_flow *f;
	u32 i;

	if (!t)
		return -ENOMEM;
	for (i = 0; i <= old->mask; i++) {
		f = vsw_wderef(old->slot[i], lock);
		if (f && f != VSW_PTAB_TOMBSTONE)
			vsw_ptab_insert(t, f, ptab_hash(f, by_ufid), lock);
	}
	rcu_assign_pointer(*pp, t);
	call_rcu(&old->rcu, ptab_free_rcu);
	return 0;
}

/* Keeps the table at most half used. */
int vsw_ptab_reserve(struct vsw_ptab __rcu **pp, bool by_ufid,
		     struct mutex *lock)
{
	struct vsw_ptab *t = vsw_wderef(*pp, lock);
	u32 size = VSW_PTAB_MIN_SIZE;

	lockdep_assert_held(lock);
	if ((t->used + 1) * 2 <= t->mask + 1)
		return 0;
	while ((t->live + 1) * 4 > size)
		size *= 2;
	return ptab_rebuild(pp, size, by_ufid, lock);
}

void vsw_ptab_remove(struct vsw_ptab __rcu **pp, struct vsw_flow *f,
		     u32 hash, bool by_ufid, struct mutex *lock)
{
	struct vsw_ptab *t = vsw_wderef(*pp, lock);
	u32 i = hash & t->mask, size = t->mask + 1;

	lockdep_assert_held(lock);
	while (vsw_wderef(t->slot[i], lock) != f) {
		if (WARN_ON(!vsw_wderef(t->slot[i], lock)))
			return;
		i = (i + 1) & t->mask;
	}
	RCU_INIT_POINTER(t->slot[i], VSW_PTAB_TOMBSTONE);
	t->live--;
	/* Shrink a mostly empty table; on failure the big one stays. */
	if (size > VSW_PTAB_MIN_SIZE && t->live * 16 < size)
		ptab_rebuild(pp, size / 4, by_ufid, lock);
}
