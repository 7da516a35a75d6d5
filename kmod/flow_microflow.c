// SPDX-License-Identifier: GPL-2.0
/*
 * The microflow cache's memory: per-CPU entry arrays, allocated whole and
 * replaced whole (see flow_microflow.h). Builds in the module and, with
 * tests/kshim, on the host.
 */
#ifdef __KERNEL__
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#endif
#include "flow_microflow.h"

void vsw_mf_free(struct vsw_mf_cache *mf)
{
	u32 cpu;

	if (!mf)
		return;
	for (cpu = 0; cpu < mf->n_cpus; cpu++)
		kvfree(mf->cpu[cpu]);
	kfree(mf);
}

static void mf_free_rcu(struct rcu_head *rcu)
{
	vsw_mf_free(container_of(rcu, struct vsw_mf_cache, rcu));
}

static struct vsw_mf_cache *mf_alloc(u32 size)
{
	struct vsw_mf_cache *mf;
	unsigned int cpu;

	mf = kzalloc(struct_size(mf, cpu, nr_cpu_ids), GFP_KERNEL_ACCOUNT);
	if (!mf)
		return NULL;
	mf->mask = size - 1;
	mf->n_cpus = nr_cpu_ids;
	for_each_possible_cpu(cpu) {
		mf->cpu[cpu] = kvcalloc(size, sizeof(struct vsw_mf_entry),
					GFP_KERNEL_ACCOUNT);
		if (!mf->cpu[cpu]) {
			vsw_mf_free(mf);
			return NULL;
		}
	}
	return mf;
}

int vsw_mf_make(u32 size, struct vsw_mf_cache **mf)
{
	*mf = NULL;
	if (size && (!is_power_of_2(size) || size > VSW_MICROFLOW_MAX))
		return -EINVAL;
	if (size) {
		*mf = mf_alloc(size);
		if (!*mf)
			return -ENOMEM;
	}
	return 0;
}

int vsw_flow_table_set_microflow(struct vsw_flow_table *tbl, u32 size)
{
	struct vsw_mf_cache *old = vsw_wderef(tbl->mf, tbl->lock), *mf;
	int err;

	lockdep_assert_held(tbl->lock);
	err = vsw_mf_make(size, &mf);
	if (err)
		return err;
	rcu_assign_pointer(tbl->mf, mf);
	if (old)
		call_rcu(&old->rcu, mf_free_rcu);
	return 0;
}
