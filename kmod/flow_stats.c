// SPDX-License-Identifier: GPL-2.0
/*
 * Per-flow statistics and the pool of per-CPU slots they live in. Builds
 * in the module and, with tests/kshim, on the host.
 *
 * DOC: Flow setup cost
 *
 * alloc_percpu() takes a global mutex and searches chunk bitmaps; calling
 * it for every flow (and freeing per flow) dominated FLOW_NEW. So a
 * flow's per-CPU stats are a slot of a module-wide pool: per-CPU arrays
 * of STATS_PER_CHUNK struct vsw_flow_stats, each allocated with one
 * alloc_percpu() when the pool runs dry. A pointer to element i of a
 * per-CPU array is a per-CPU pointer to that element, so a slot is used
 * exactly as a separately allocated one (this_cpu_ptr on the packet path,
 * per_cpu_ptr to sum or clear).
 *
 * Free slots wait on a stack under pool.lock; vsw_flow_stats_alloc() pops
 * one and zeroes it on every possible CPU, a flow's free (its RCU
 * callback, after the last packet-path writer) pushes it back. pool.lock
 * is taken with BH disabled because RCU callbacks run in softirq context.
 * Growth may sleep and is serialised by pool.grow_mutex, which also
 * guards the chunk list and the stack's capacity. Chunks are freed only
 * by vsw_flow_stats_uninit() at module unload: the pool keeps the
 * high-water mark of live flows (32 bytes per possible CPU per flow, as
 * per-flow allocation cost per live flow), which also spares later bursts
 * of installs any alloc_percpu().
 */
#ifdef __KERNEL__
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#endif
#include "flow_stats.h"
#include "flow_table_priv.h"

#define STATS_PER_CHUNK	64

struct stats_chunk {
	struct stats_chunk *next;
	struct vsw_flow_stats __percpu *slots;	/* STATS_PER_CHUNK of them */
};

/* Every slot is either free (on the stack) or a live flow's. */
static struct {
	spinlock_t lock;			/* taken with BH off */
	struct mutex grow_mutex;		/* growth and unload */
	struct vsw_flow_stats __percpu **free;	/* lock: the stack */
	u32 n_free;				/* lock */
	u32 cap;		/* of the stack, >= n_slots: a push never fails;
				 * grow_mutex, and lock to change
				 */
	u32 n_slots;				/* grow_mutex */
	struct stats_chunk *chunks;		/* grow_mutex */
} pool;

static struct vsw_flow_stats __percpu *slot_pop(void)
{
	struct vsw_flow_stats __percpu *s = NULL;

	spin_lock_bh(&pool.lock);
	if (pool.n_free)
		s = pool.free[--pool.n_free];
	spin_unlock_bh(&pool.lock);
	return s;
}

void vsw_flow_stats_free(struct vsw_flow_stats __percpu *s)
{
	spin_lock_bh(&pool.lock);
	pool.free[pool.n_free++] = s;
	spin_unlock_bh(&pool.lock);
}

/* Makes the free stack hold @n slots (grow_mutex; may sleep). */
static int pool_reserve(u32 n)
{
	struct vsw_flow_stats __percpu **free, **old;
	u32 cap;

	lockdep_assert_held(&pool.grow_mutex);
	if (n <= pool.cap)
		return 0;
	cap = max_t(u32, pool.cap * 2, STATS_PER_CHUNK);
	while (cap < n)
		cap *= 2;
	free = kvcalloc(cap, sizeof(*free), GFP_KERNEL_ACCOUNT);
	if (!free)
		return -ENOMEM;
	spin_lock_bh(&pool.lock);
	old = pool.free;		/* NULL at first */
	if (old)
		memcpy(free, old, pool.n_free * sizeof(*free));
	pool.free = free;
	pool.cap = cap;
	spin_unlock_bh(&pool.lock);
	kvfree(old);
	return 0;
}

static struct stats_chunk *chunk_alloc(void)
{
	struct stats_chunk *c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);

	if (!c)
		return NULL;
	c->slots = __alloc_percpu_gfp(sizeof(struct vsw_flow_stats) *
				      STATS_PER_CHUNK,
				      __alignof__(struct vsw_flow_stats),
				      GFP_KERNEL_ACCOUNT);
	if (!c->slots) {
		kfree(c);
		return NULL;
	}
	return c;
}

/* Links @c into the pool and returns its first slot; the others are free
 * (grow_mutex, room reserved).
 */
static struct vsw_flow_stats __percpu *pool_add(struct stats_chunk *c)
{
	u32 i;

	lockdep_assert_held(&pool.grow_mutex);
	spin_lock_bh(&pool.lock);
	for (i = 1; i < STATS_PER_CHUNK; i++)
		pool.free[pool.n_free++] = c->slots + i;
	pool.n_slots += STATS_PER_CHUNK;
	spin_unlock_bh(&pool.lock);
	c->next = pool.chunks;
	pool.chunks = c;
	return c->slots;
}

/* Grows the pool by a chunk and returns one of its slots, or a slot that
 * another caller's growth freed up meanwhile, or NULL (may sleep).
 */
static struct vsw_flow_stats __percpu *pool_grow(void)
{
	struct vsw_flow_stats __percpu *s;
	struct stats_chunk *c;

	mutex_lock(&pool.grow_mutex);
	s = slot_pop();
	if (s)
		goto out_unlock;
	c = chunk_alloc();
	if (!c)
		goto out_unlock;
	if (pool_reserve(pool.n_slots + STATS_PER_CHUNK)) {
		free_percpu(c->slots);
		kfree(c);
		goto out_unlock;
	}
	s = pool_add(c);
out_unlock:
	mutex_unlock(&pool.grow_mutex);
	return s;
}

static void stats_zero(struct vsw_flow_stats __percpu *stats)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(stats, cpu), 0, sizeof(*stats));
}

/* A slot comes back to the pool only after its flow's grace period, so
 * no CPU is still counting into it.
 */
struct vsw_flow_stats __percpu *vsw_flow_stats_alloc(void)
{
	struct vsw_flow_stats __percpu *s = slot_pop();

	if (!s)
		s = pool_grow();
	if (s)
		stats_zero(s);
	return s;
}

void vsw_flow_stats_init(void)
{
	spin_lock_init(&pool.lock);
	mutex_init(&pool.grow_mutex);
	pool.free = NULL;
	pool.n_free = 0;
	pool.cap = 0;
	pool.n_slots = 0;
	pool.chunks = NULL;
}

/* Nothing else runs: every flow is gone, no new one can come. */
void vsw_flow_stats_uninit(void)
{
	struct stats_chunk *c;

	mutex_lock(&pool.grow_mutex);
	WARN_ON(pool.n_free != pool.n_slots);	/* a flow outlived the module */
	while ((c = pool.chunks)) {
		pool.chunks = c->next;
		free_percpu(c->slots);
		kfree(c);
	}
	kvfree(pool.free);
	pool.free = NULL;
	pool.n_free = 0;
	pool.n_slots = 0;
	pool.cap = 0;
	mutex_unlock(&pool.grow_mutex);
	mutex_destroy(&pool.grow_mutex);
}

void vsw_flow_stats_update(struct vsw_flow *flow, unsigned int len,
			   u16 tcp_flags)
{
	struct vsw_flow_stats *s = this_cpu_ptr(flow->priv->stats);

	s->packets++;
	s->bytes += len;
	s->used = jiffies;
	s->tcp_flags |= tcp_flags;
}

void vsw_flow_stats_get(const struct vsw_flow *flow,
			struct vsw_flow_stats *out)
{
	const struct vsw_flow_stats *s;
	unsigned int cpu;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(flow->priv->stats, cpu);
		out->packets += READ_ONCE(s->packets);
		out->bytes += READ_ONCE(s->bytes);
		out->tcp_flags |= READ_ONCE(s->tcp_flags);
		if (time_after(READ_ONCE(s->used), out->used) || !out->used)
			out->used = READ_ONCE(s->used);
	}
}

void vsw_flow_stats_clear(struct vsw_flow *flow)
{
	stats_zero(flow->priv->stats);
}
