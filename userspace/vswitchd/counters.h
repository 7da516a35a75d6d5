/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's counters, shown by dp-stats.
 *
 * DOC: Counters and threads
 * Each thread that counts owns a block, a struct vswd_counters that only
 * it writes: every handler thread (handler.c), the revalidator
 * (revalidator.c) and the main thread (vswd_main_counters, for the
 * control commands). Writers use vswd_count*(): a relaxed atomic load
 * and store of their own field, so counting takes no lock and is no data
 * race. vswd_counters_sum() adds the blocks up with relaxed atomic loads
 * under the registry's own mutex (never taken by a writer). A block
 * whose thread stopped is folded into the retired totals, so the totals
 * never go down.
 *
 * The longest hold of vswd.mutex is no per-thread counter: it is
 * written and read under that mutex (vswitchd.h).
 */
#ifndef VSWD_COUNTERS_H
#define VSWD_COUNTERS_H

#include <stdint.h>

struct vswd_counters {
	/* Summed over the blocks. */
	uint64_t upcalls_handled;	/* misses translated */
	uint64_t upcalls_failed;	/* bad upcalls or failed executes */
	uint64_t upcall_overruns;	/* ENOBUFS on a handler socket */
	uint64_t tnl_unmatched;		/* packets from a tunnel device whose
					 * remote and key no tunnel port
					 * takes, dropped: their upcalls (the
					 * handlers) and what their drop
					 * megaflows counted since (the
					 * revalidator) */
	uint64_t flows_installed;
	uint64_t flows_install_exists;	/* EEXIST races, normal */
	uint64_t flows_install_failed;
	uint64_t flows_removed;		/* idle, limit, or revalidated away */
	uint64_t flows_fixed;		/* actions replaced by revalidation */
	uint64_t flows_adopted;		/* kept after a restart */
	uint64_t reval_runs;
	uint64_t reval_total_us;
	uint64_t reval_checked;		/* megaflows re-translated, total */
	uint64_t reval_full_dumps;	/* passes that needed keys and masks */
	uint64_t reval_targeted;	/* kicked passes: marked records only */
	uint64_t reval_targeted_cpu_us;	/* the revalidator's CPU in them */
	uint64_t rule_changes;		/* add/del/modify of rules */
	uint64_t rule_change_touched;	/* megaflows marked by them, total */
	uint64_t handler_cpu_us, reval_cpu_us;
	/* handler wall time by phase: reading upcalls, translating (with
	 * the wait for the mutex), installing and executing (the netlink
	 * batch, kernel work included) */
	uint64_t handler_batches;
	uint64_t handler_recv_us, handler_xlate_us, handler_lockwait_us;
	uint64_t handler_commit_us;
	/* Each written by one thread only (the revalidator, the main
	 * thread); the sum takes the largest, which is that thread's. */
	uint64_t reval_last_us, reval_max_us;
	uint64_t rule_change_last_touched;
};

/* The main thread's block. */
extern struct vswd_counters *const vswd_main_counters;

/* A zeroed block, registered for the sum, for one thread to write; NULL
 * when out of memory. */
struct vswd_counters *vswd_counters_new(void);
/* Folds @c into the retired totals and frees it. Called once its writer
 * has stopped (joined). NULL is ignored. */
void vswd_counters_retire(struct vswd_counters *c);
/* Fills @out with the totals over every block, live and retired. */
void vswd_counters_sum(struct vswd_counters *out);

/* Writers: only the thread that owns the block containing @field. */
static inline void vswd_count(uint64_t *field, uint64_t n)
{
	__atomic_store_n(field, __atomic_load_n(field, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

static inline void vswd_count_set(uint64_t *field, uint64_t v)
{
	__atomic_store_n(field, v, __ATOMIC_RELAXED);
}

static inline void vswd_count_max(uint64_t *field, uint64_t v)
{
	if (v > __atomic_load_n(field, __ATOMIC_RELAXED))
		__atomic_store_n(field, v, __ATOMIC_RELAXED);
}

#endif /* VSWD_COUNTERS_H */
