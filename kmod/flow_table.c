// SPDX-License-Identifier: GPL-2.0
/*
 * The megaflow cache (tuple-space search over distinct masks) and the
 * per-CPU microflow cache in front of it. Builds in the module and, with
 * tests/kshim, on the host.
 *
 * DOC: Locking
 *
 * Readers (vsw_flow_lookup, vsw_flow_find*, vsw_flow_table_next) run under
 * rcu_read_lock() (the packet path also with BH disabled). Writers (every
 * other function here) are serialised by the owner's mutex; the table
 * has no lock of its own; in the module that mutex is vsw_mutex, and the
 * writer-side accesses (wderef() below) assert it with lockdep.
 *
 * Everything a reader can reach is published with rcu_assign_pointer()
 * after it is fully initialised, and freed only after a grace period:
 * - struct mask_order: the array of masks in probe order. Replaced as a
 *   whole when a mask is added, removed or re-sorted.
 * - struct ptab: one open-addressing table of flow pointers per mask and
 *   one by UFID. Insertion fills an empty or tombstone slot in place;
 *   removal writes a tombstone in place (a NULL would cut other flows'
 *   probe sequences); growth, shrinking and tombstone purges build a new
 *   table and publish it. A table is never more than half full (live plus
 *   tombstones), so a probe always ends at a NULL slot.
 * - struct flow_vec: flows by index, for dumps and for the microflow
 *   cache. Grown by copying.
 * - struct mf_cache: per-CPU two-way arrays of { hash, flow index + 1 }. Each CPU
 *   reads and writes only its own array, with BH disabled, so entries need
 *   no atomics. An entry names a flow by index, never by pointer: it may
 *   outlive the flow, and a stale index either finds NULL, a dead flow or
 *   another flow, and every hit is verified by matching the packet's key
 *   against the flow's mask and masked key. A microflow hit is therefore
 *   exactly as correct as a mask search, and removal needs no sweep of
 *   the caches.
 * - A removed flow is marked dead, unlinked from every table, and freed
 *   (with its actions) from an RCU callback.
 *
 * Statistics: per-flow counters and per-mask hit counters are per CPU, so
 * the packet path never writes a cache line another CPU writes. Counters
 * are plain u64: the module targets 64-bit hosts.
 *
 * DOC: Flow setup cost
 *
 * alloc_percpu() takes a global mutex and searches chunk bitmaps; calling
 * it for every flow (and freeing per flow) dominated FLOW_NEW. So:
 * - A flow gets no mask of its own. The caller keeps the requested mask
 *   (a plain struct vsw_key) and hands it to vsw_flow_insert(), which
 *   shares the published mask equal to it; only a really new mask is
 *   allocated (node, hit counters, flow table), under the writer's mutex.
 * - A flow's per-CPU stats are a slot of a module-wide pool: per-CPU
 *   arrays of STATS_PER_CHUNK struct vsw_flow_stats, each allocated with
 *   one alloc_percpu() when the pool runs dry. A pointer to element i of a
 *   per-CPU array is a per-CPU pointer to that element, so a slot is used
 *   exactly as a separately allocated one (this_cpu_ptr on the packet
 *   path, per_cpu_ptr to sum or clear). Free slots wait on a stack under
 *   pool_lock; vsw_flow_alloc() pops one and zeroes it on every possible
 *   CPU, a flow's free (its RCU callback, after the last packet-path
 *   writer) pushes it back. pool_lock is taken with BH disabled because
 *   RCU callbacks run in softirq context. Growth may sleep and is
 *   serialised by pool_grow_mutex, which also guards the chunk list and
 *   the stack's capacity. Chunks are freed only by vsw_flow_table_uninit()
 *   at module unload: the pool keeps the high-water mark of live flows
 *   (32 bytes per possible CPU per flow, as per-flow allocation cost per
 *   live flow), which also spares later bursts of installs any
 *   alloc_percpu().
 */
#ifdef __KERNEL__
#include <linux/err.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#endif
#include "flow_table.h"

/*
 * Writer-side access to an __rcu pointer. In the module every writer runs
 * under vsw_mutex (datapath.c), which lockdep checks here; the host build
 * is single-threaded. Create and destroy own the table outright and use
 * ownderef() instead.
 */
#ifdef __KERNEL__
extern struct mutex vsw_mutex;
#define wderef(p)	rcu_dereference_protected(p, lockdep_is_held(&vsw_mutex))
#else
#define wderef(p)	rcu_dereference_protected(p, 1)
#endif
#define ownderef(p)	rcu_dereference_protected(p, 1)

#define TOMBSTONE	((struct vsw_flow *)1UL)
#define PTAB_MIN_SIZE	16
#define FLOW_VEC_MIN	64

struct ptab {
	struct rcu_head rcu;
	u32 mask;			/* slots - 1 */
	u32 used;			/* live + tombstones */
	u32 live;
	struct vsw_flow __rcu *slot[];
};

struct vsw_flow_priv {
	struct vsw_flow_stats __percpu *stats;	/* a slot of the pool */
	struct rcu_head rcu;
	void (*free_actions)(struct vsw_actions *acts);
	u32 index;			/* in vsw_flow_table.flows */
	u32 ufid_hash;
};

struct flow_node {
	struct vsw_flow flow;
	struct vsw_flow_priv priv;
};

struct mask_node {
	struct vsw_mask m;
	struct ptab __rcu *tab;		/* flows under this mask */
	u64 __percpu *hits;		/* mask-search hits, per CPU */
	u64 hits_seen;			/* sum at the last rebalance */
	struct rcu_head rcu;
};

struct mask_order {
	struct rcu_head rcu;
	u32 n;
	struct mask_node *m[];
};

struct flow_vec {
	struct rcu_head rcu;
	u32 size;
	struct vsw_flow __rcu *f[];
};

struct mf_entry {
	u32 hash;
	u32 idx1;			/* flow index + 1; 0 = empty */
};

struct mf_cache {
	struct rcu_head rcu;
	u32 mask;			/* entries per CPU - 1 */
	u32 n_cpus;
	struct mf_entry *cpu[];		/* indexed by smp_processor_id() */
};

struct vsw_flow_table {
	struct mask_order __rcu *order;
	struct flow_vec __rcu *flows;
	struct ptab __rcu *ufids;
	struct mf_cache __rcu *mf;
	u32 seed;
	u32 count;
	u32 gen;
	u32 n_masks;			/* masks with ref_count > 0 */
	/* free flow indices (writer only): a stack, plus the high water */
	u32 *free_idx;
	u32 n_free;
	u32 next_idx;
};

static struct mask_node *to_mask_node(const struct vsw_mask *m)
{
	return container_of(m, struct mask_node, m);
}

static struct flow_node *to_node(const struct vsw_flow *f)
{
	return container_of(f, struct flow_node, flow);
}

/* --- masked keys ----------------------------------------------------- */

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

/*
 * Hash of the key masked by @m over the mask's words. A multiply-xorshift
 * mix per 64-bit word (seeded per table): a third of the instructions of
 * jhash2 over the same bytes, which dominated the mask search. Applied to
 * an already masked key (a flow's) it gives the same value.
 */
static u64 mix_word(u64 h, u64 w)
{
	h ^= w;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

static u32 finish(u64 h)
{
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (u32)(h ^ (h >> 32));
}

static u32 masked_hash(const struct vsw_key *key, const struct vsw_mask *m,
		       u32 seed)
{
	const u64 *k = (const u64 *)key, *mk = (const u64 *)&m->key;
	u64 h = seed ^ 0x9e3779b97f4a7c15ULL;
	unsigned int i;

	for (i = m->start / 8; i < m->end / 8u; i++)
		h = mix_word(h, k[i] & mk[i]);
	return finish(h);
}

/*
 * The same over a whole key, for packets without a flow hash. An IPv4
 * key ends at its L4 word: the parser leaves the IPv6, ARP and ND fields
 * behind it zero (flow.h), so hashing them would only cost time. Any
 * other key is hashed whole. Either way the hash is a function of the key.
 */
#define KEY_IPV4_WORDS	(offsetof(struct vsw_key, ipv6_label) / sizeof(u64))

static u32 key_hash(const struct vsw_key *key, u32 seed)
{
	const u64 *k = (const u64 *)key;
	u64 h = seed ^ 0x9e3779b97f4a7c15ULL;
	unsigned int i, n;

	BUILD_BUG_ON(offsetof(struct vsw_key, ipv6_label) % sizeof(u64) ||
		     offsetof(struct vsw_key, icmp_code) >=
		     offsetof(struct vsw_key, ipv6_label));
	n = key->eth_type == cpu_to_be16(0x0800) ? KEY_IPV4_WORDS :
						     VSW_KEY_WORDS;
	for (i = 0; i < n; i++)
		h = mix_word(h, k[i]);
	return finish(h);
}

/* Does @key (unmasked) fall under @flow? */
static bool flow_matches(const struct vsw_flow *flow, const struct vsw_key *key)
{
	const struct vsw_mask *m = flow->mask;
	const u64 *k = (const u64 *)key, *mk = (const u64 *)&m->key;
	const u64 *fk = (const u64 *)&flow->key;
	unsigned int i;

	for (i = m->start / 8; i < m->end / 8u; i++)
		if ((k[i] & mk[i]) != fk[i])
			return false;
	return true;
}

static u32 ufid_hash(const u8 *ufid, u32 seed)
{
	return jhash2((const u32 *)ufid, VSW_UFID_LEN / 4, seed);
}

/* --- pointer tables -------------------------------------------------- */

static struct ptab *ptab_alloc(u32 size)
{
	struct ptab *t = kvzalloc(struct_size(t, slot, size),
				 GFP_KERNEL_ACCOUNT);

	if (t)
		t->mask = size - 1;
	return t;
}

static void ptab_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct ptab, rcu));
}

static u32 ptab_hash(const struct vsw_flow *f, bool by_ufid)
{
	return by_ufid ? f->priv->ufid_hash : f->hash;
}

/* Puts @f in the first empty or tombstone slot of its probe sequence. */
static void ptab_insert(struct ptab *t, struct vsw_flow *f, u32 hash)
{
	u32 i = hash & t->mask;
	struct vsw_flow *s;

	for (;; i = (i + 1) & t->mask) {
		s = wderef(t->slot[i]);
		if (!s || s == TOMBSTONE)
			break;
	}
	if (!s)
		t->used++;
	t->live++;
	rcu_assign_pointer(t->slot[i], f);
}

/* Replaces *@pp by a table of @size slots holding the same flows. */
static int ptab_rebuild(struct ptab __rcu **pp, u32 size, bool by_ufid)
{
	struct ptab *old = wderef(*pp), *t = ptab_alloc(size);
	struct vsw_flow *f;
	u32 i;

	if (!t)
		return -ENOMEM;
	for (i = 0; i <= old->mask; i++) {
		f = wderef(old->slot[i]);
		if (f && f != TOMBSTONE)
			ptab_insert(t, f, ptab_hash(f, by_ufid));
	}
	rcu_assign_pointer(*pp, t);
	call_rcu(&old->rcu, ptab_free_rcu);
	return 0;
}

/* Makes room for one more flow, keeping the table at most half used. */
static int ptab_reserve(struct ptab __rcu **pp, bool by_ufid)
{
	struct ptab *t = wderef(*pp);
	u32 size = PTAB_MIN_SIZE;

	if ((t->used + 1) * 2 <= t->mask + 1)
		return 0;
	while ((t->live + 1) * 4 > size)
		size *= 2;
	return ptab_rebuild(pp, size, by_ufid);
}

static void ptab_remove(struct ptab __rcu **pp, struct vsw_flow *f, u32 hash,
			bool by_ufid)
{
	struct ptab *t = wderef(*pp);
	u32 i = hash & t->mask, size = t->mask + 1;

	while (wderef(t->slot[i]) != f) {
		if (WARN_ON(!wderef(t->slot[i])))
			return;
		i = (i + 1) & t->mask;
	}
	RCU_INIT_POINTER(t->slot[i], TOMBSTONE);
	t->live--;
	/* Shrink a mostly empty table; on failure the big one stays. */
	if (size > PTAB_MIN_SIZE && t->live * 16 < size)
		ptab_rebuild(pp, size / 4, by_ufid);
}

/* Probes @t for the flow @key falls under (@key need not be masked). */
static struct vsw_flow *ptab_find(struct ptab *t, const struct vsw_key *key,
				  u32 hash)
{
	u32 i = hash & t->mask;
	struct vsw_flow *f;

	for (;; i = (i + 1) & t->mask) {
		f = rcu_dereference_raw(t->slot[i]);
		if (!f)
			return NULL;
		if (f != TOMBSTONE && f->hash == hash && flow_matches(f, key))
			return f;
	}
}

/* --- masks ------------------------------------------------------------ */

static void mask_free(struct mask_node *mn)
{
	kvfree(rcu_dereference_raw(mn->tab));
	free_percpu(mn->hits);
	kfree(mn);
}

static void mask_free_rcu(struct rcu_head *rcu)
{
	mask_free(container_of(rcu, struct mask_node, rcu));
}

/* A new, unpublished mask with an empty flow table (writer: may sleep). */
static struct mask_node *mask_alloc(const struct vsw_key *mask)
{
	struct mask_node *mn = kzalloc(sizeof(*mn), GFP_KERNEL_ACCOUNT);
	struct ptab *tab;

	if (!mn)
		goto err;
	mn->hits = alloc_percpu_gfp(u64, GFP_KERNEL_ACCOUNT);
	if (!mn->hits)
		goto err_free_mn;
	tab = ptab_alloc(PTAB_MIN_SIZE);
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

static struct mask_order *order_alloc(u32 n)
{
	struct mask_order *o = kvzalloc(struct_size(o, m, n),
				       GFP_KERNEL_ACCOUNT);

	if (o)
		o->n = n;
	return o;
}

static void order_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct mask_order, rcu));
}

static void order_publish(struct vsw_flow_table *tbl, struct mask_order *o)
{
	struct mask_order *old = wderef(tbl->order);

	rcu_assign_pointer(tbl->order, o);
	call_rcu(&old->rcu, order_free_rcu);
}

static struct mask_node *mask_find(struct mask_order *o,
				   const struct vsw_key *mask)
{
	u32 i;

	for (i = 0; i < o->n; i++)
		if (!memcmp(&o->m[i]->m.key, mask, sizeof(*mask)))
			return o->m[i];
	return NULL;
}

/* Drops @mn from the probe order once its last flow is gone. If the new
 * order cannot be allocated the empty mask stays (probing it finds
 * nothing) until a later rebalance drops it.
 */
static void mask_unlink(struct vsw_flow_table *tbl, struct mask_node *mn)
{
	struct mask_order *old = wderef(tbl->order), *o;
	u32 i, j = 0;

	tbl->n_masks--;
	o = order_alloc(old->n - 1);
	if (!o)
		return;
	for (i = 0; i < old->n; i++)
		if (old->m[i] != mn)
			o->m[j++] = old->m[i];
	order_publish(tbl, o);
	call_rcu(&mn->rcu, mask_free_rcu);
}

/* --- flow indices (for dumps and the microflow cache) ------------------ */

static void flow_vec_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct flow_vec, rcu));
}

/* A vector of @size flow slots and a free-index stack of the same size. */
static struct flow_vec *flow_vec_alloc(u32 size, u32 **free_idx)
{
	struct flow_vec *v = kvzalloc(struct_size(v, f, size),
				      GFP_KERNEL_ACCOUNT);

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
	struct flow_vec *old = wderef(tbl->flows), *v;
	u32 *free_idx, i;

	v = flow_vec_alloc(old->size * 2, &free_idx);
	if (!v)
		return -ENOMEM;
	for (i = 0; i < old->size; i++)
		RCU_INIT_POINTER(v->f[i], wderef(old->f[i]));
	memcpy(free_idx, tbl->free_idx, tbl->n_free * sizeof(u32));
	kvfree(tbl->free_idx);
	tbl->free_idx = free_idx;
	rcu_assign_pointer(tbl->flows, v);
	call_rcu(&old->rcu, flow_vec_free_rcu);
	return 0;
}

static int flow_idx_reserve(struct vsw_flow_table *tbl)
{
	if (tbl->n_free || tbl->next_idx < wderef(tbl->flows)->size)
		return 0;
	return flow_vec_grow(tbl);
}

static u32 flow_idx_take(struct vsw_flow_table *tbl)
{
	return tbl->n_free ? tbl->free_idx[--tbl->n_free] : tbl->next_idx++;
}

/* --- microflow cache --------------------------------------------------- */

static void mf_free(struct mf_cache *mf)
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
	mf_free(container_of(rcu, struct mf_cache, rcu));
}

static struct mf_cache *mf_alloc(u32 size)
{
	struct mf_cache *mf;
	unsigned int cpu;

	mf = kzalloc(struct_size(mf, cpu, nr_cpu_ids), GFP_KERNEL_ACCOUNT);
	if (!mf)
		return NULL;
	mf->mask = size - 1;
	mf->n_cpus = nr_cpu_ids;
	for_each_possible_cpu(cpu) {
		mf->cpu[cpu] = kvcalloc(size, sizeof(struct mf_entry),
					GFP_KERNEL_ACCOUNT);
		if (!mf->cpu[cpu]) {
			mf_free(mf);
			return NULL;
		}
	}
	return mf;
}

static int mf_make(u32 size, struct mf_cache **mf)
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
	struct mf_cache *old = wderef(tbl->mf), *mf;
	int err = mf_make(size, &mf);

	if (err)
		return err;
	rcu_assign_pointer(tbl->mf, mf);
	if (old)
		call_rcu(&old->rcu, mf_free_rcu);
	return 0;
}

/* The flow at @idx if it is still alive (RCU). */
static struct vsw_flow *flow_by_index(struct vsw_flow_table *tbl, u32 idx)
{
	struct flow_vec *v = rcu_dereference(tbl->flows);
	struct vsw_flow *f;

	if (idx >= v->size)
		return NULL;
	f = rcu_dereference(v->f[idx]);
	if (!f || READ_ONCE(f->dead))
		return NULL;
	return f;
}

/* --- lookup ------------------------------------------------------------ */

static struct vsw_flow *mask_search(struct vsw_flow_table *tbl,
				    const struct vsw_key *key, u32 *n_probed)
{
	struct mask_order *o = rcu_dereference(tbl->order);
	struct mask_node *mn;
	struct vsw_flow *f;
	u32 i;

	for (i = 0; i < o->n; i++) {
		mn = o->m[i];
		f = ptab_find(rcu_dereference(mn->tab), key,
			      masked_hash(key, &mn->m, tbl->seed));
		if (f) {
			*n_probed = i + 1;
			(*this_cpu_ptr(mn->hits))++;
			return f;
		}
	}
	*n_probed = o->n;
	return NULL;
}

/* A microflow hit: an entry of @hash whose flow is alive and matches. */
static __always_inline struct vsw_flow *mf_probe(struct vsw_flow_table *tbl,
						const struct mf_entry *e,
						u32 hash,
						const struct vsw_key *key)
{
	struct vsw_flow *f;

	if (e->hash != hash || !e->idx1)
		return NULL;
	f = flow_by_index(tbl, e->idx1 - 1);
	return f && flow_matches(f, key) ? f : NULL;
}

/* Two-way associative: the slots at the hash and at its rotation. On a
 * miss the new entry takes an empty way, else a victim picked by a hash
 * bit (no shared LRU state to write).
 */
static void mf_insert(struct mf_entry *e0, struct mf_entry *e1, u32 hash,
		      u32 idx)
{
	struct mf_entry *e = !e0->idx1 ? e0 : !e1->idx1 ? e1 :
			     (hash & 0x80000000) ? e1 : e0;

	e->hash = hash;
	e->idx1 = idx + 1;
}

struct vsw_flow *vsw_flow_lookup(struct vsw_flow_table *tbl,
				 const struct vsw_key *key, u32 hash,
				 u32 *n_probed, bool *microflow_hit)
{
	struct mf_cache *mf = rcu_dereference(tbl->mf);
	struct mf_entry *e0 = NULL, *e1 = NULL, *cpu_tab;
	struct vsw_flow *f;

	*microflow_hit = false;
	if (mf) {
		/* skb hashes can be absent (0): fall back to the key's */
		if (!hash)
			hash = key_hash(key, tbl->seed);
		cpu_tab = mf->cpu[smp_processor_id()];
		e0 = &cpu_tab[hash & mf->mask];
		e1 = &cpu_tab[rol32(hash, 16) & mf->mask];
		f = mf_probe(tbl, e0, hash, key);
		if (!f && e1 != e0)
			f = mf_probe(tbl, e1, hash, key);
		if (f) {
			*n_probed = 0;
			*microflow_hit = true;
			return f;
		}
	}
	f = mask_search(tbl, key, n_probed);
	if (f && e0)
		mf_insert(e0, e1, hash, f->priv->index);
	return f;
}

struct vsw_flow *vsw_flow_find(struct vsw_flow_table *tbl,
			       const struct vsw_key *key,
			       const struct vsw_key *mask)
{
	struct mask_node *mn = mask_find(rcu_dereference_raw(tbl->order), mask);

	if (!mn)
		return NULL;
	return ptab_find(rcu_dereference_raw(mn->tab), key,
			 masked_hash(key, &mn->m, tbl->seed));
}

struct vsw_flow *vsw_flow_find_ufid(struct vsw_flow_table *tbl,
				    const u8 *ufid)
{
	struct ptab *t = rcu_dereference_raw(tbl->ufids);
	u32 hash = ufid_hash(ufid, tbl->seed), i;
	struct vsw_flow *f;

	for (i = hash & t->mask;; i = (i + 1) & t->mask) {
		f = rcu_dereference_raw(t->slot[i]);
		if (!f)
			return NULL;
		if (f != TOMBSTONE && f->priv->ufid_hash == hash &&
		    !memcmp(f->ufid, ufid, VSW_UFID_LEN))
			return f;
	}
}

/* --- the stats slot pool (see "Flow setup cost" above) ------------------ */

#define STATS_PER_CHUNK	64

struct stats_chunk {
	struct stats_chunk *next;
	struct vsw_flow_stats __percpu *slots;	/* STATS_PER_CHUNK of them */
};

static DEFINE_SPINLOCK(pool_lock);	/* taken with BH off: the stack */
static DEFINE_MUTEX(pool_grow_mutex);	/* growth and unload */

/* Every slot is either free (on the stack) or a live flow's. */
static struct {
	struct vsw_flow_stats __percpu **free;	/* pool_lock: the stack */
	u32 n_free;				/* pool_lock */
	u32 cap;		/* of the stack, >= n_slots: a push never fails;
				 * pool_grow_mutex, and pool_lock to change
				 */
	u32 n_slots;				/* pool_grow_mutex */
	struct stats_chunk *chunks;		/* pool_grow_mutex */
} pool;

static struct vsw_flow_stats __percpu *slot_pop(void)
{
	struct vsw_flow_stats __percpu *s = NULL;

	spin_lock_bh(&pool_lock);
	if (pool.n_free)
		s = pool.free[--pool.n_free];
	spin_unlock_bh(&pool_lock);
	return s;
}

/* Process or softirq context (a flow's RCU callback). */
static void slot_push(struct vsw_flow_stats __percpu *s)
{
	spin_lock_bh(&pool_lock);
	pool.free[pool.n_free++] = s;
	spin_unlock_bh(&pool_lock);
}

/* Makes the free stack hold @n slots (pool_grow_mutex; may sleep). */
static int pool_reserve(u32 n)
{
	struct vsw_flow_stats __percpu **free, **old;
	u32 cap;

	lockdep_assert_held(&pool_grow_mutex);
	if (n <= pool.cap)
		return 0;
	cap = max_t(u32, pool.cap * 2, STATS_PER_CHUNK);
	while (cap < n)
		cap *= 2;
	free = kvcalloc(cap, sizeof(*free), GFP_KERNEL_ACCOUNT);
	if (!free)
		return -ENOMEM;
	spin_lock_bh(&pool_lock);
	old = pool.free;		/* NULL at first */
	if (old)
		memcpy(free, old, pool.n_free * sizeof(*free));
	pool.free = free;
	pool.cap = cap;
	spin_unlock_bh(&pool_lock);
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
 * (pool_grow_mutex, room reserved).
 */
static struct vsw_flow_stats __percpu *pool_add(struct stats_chunk *c)
{
	u32 i;

	lockdep_assert_held(&pool_grow_mutex);
	spin_lock_bh(&pool_lock);
	for (i = 1; i < STATS_PER_CHUNK; i++)
		pool.free[pool.n_free++] = c->slots + i;
	pool.n_slots += STATS_PER_CHUNK;
	spin_unlock_bh(&pool_lock);
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

	mutex_lock(&pool_grow_mutex);
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
	mutex_unlock(&pool_grow_mutex);
	return s;
}

static void stats_zero(struct vsw_flow_stats __percpu *stats)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(stats, cpu), 0, sizeof(*stats));
}

/* A zeroed slot, or NULL (may sleep). A slot comes back to the pool only
 * after its flow's grace period, so no CPU is still counting into it.
 */
static struct vsw_flow_stats __percpu *stats_alloc(void)
{
	struct vsw_flow_stats __percpu *s = slot_pop();

	if (!s)
		s = pool_grow();
	if (s)
		stats_zero(s);
	return s;
}

/* Nothing else runs: every flow is gone, no new one can come. */
void vsw_flow_table_uninit(void)
{
	struct stats_chunk *c;

	mutex_lock(&pool_grow_mutex);
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
	mutex_unlock(&pool_grow_mutex);
}

/* --- stats ------------------------------------------------------------- */

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

/* Racy against packets being counted on other CPUs (one may survive). */
void vsw_flow_stats_clear(struct vsw_flow *flow)
{
	stats_zero(flow->priv->stats);
}

/* --- flows ------------------------------------------------------------- */

struct vsw_flow *vsw_flow_alloc(const struct vsw_key *key)
{
	struct flow_node *node = kzalloc(sizeof(*node), GFP_KERNEL_ACCOUNT);

	if (!node)
		return ERR_PTR(-ENOMEM);
	node->priv.stats = stats_alloc();
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
	struct flow_node *node = to_node(flow);

	slot_push(node->priv.stats);
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
	struct flow_node *node = container_of(priv, struct flow_node, priv);
	struct vsw_actions *acts = rcu_dereference_raw(node->flow.actions);

	if (acts && priv->free_actions)
		priv->free_actions(acts);
	flow_node_free(&node->flow);
}

/* Finds an existing flow @flow would duplicate (same mask and masked key,
 * or same UFID).
 */
static struct vsw_flow *flow_duplicate(struct vsw_flow_table *tbl,
				       struct mask_node *mn,
				       const struct vsw_flow *flow)
{
	struct vsw_flow *dup = NULL;

	if (mn)
		dup = ptab_find(wderef(mn->tab), &flow->key,
				masked_hash(&flow->key, &mn->m, tbl->seed));
	if (!dup && flow->has_ufid)
		dup = vsw_flow_find_ufid(tbl, flow->ufid);
	return dup;
}

/* A probe order with @mn appended (new masks have no hits yet). */
static struct mask_order *order_with(struct vsw_flow_table *tbl,
				     struct mask_node *mn)
{
	struct mask_order *old = wderef(tbl->order), *o;

	o = order_alloc(old->n + 1);
	if (!o)
		return NULL;
	memcpy(o->m, old->m, old->n * sizeof(o->m[0]));
	o->m[old->n] = mn;
	return o;
}

/* The only place a mask is allocated: @mask is published by no mask node.
 * Returns the new node and the probe order that will publish it.
 */
static struct mask_node *mask_new(struct vsw_flow_table *tbl,
				  const struct vsw_key *mask,
				  struct mask_order **order)
{
	struct mask_node *mn;

	if (tbl->n_masks >= VSW_MAX_MASKS)
		return ERR_PTR(-E2BIG);
	mn = mask_alloc(mask);
	if (!mn)
		return ERR_PTR(-ENOMEM);
	*order = order_with(tbl, mn);
	if (!*order) {
		mask_free(mn);
		return ERR_PTR(-ENOMEM);
	}
	return mn;
}

/* Makes room for @flow under @mn everywhere, so that linking cannot fail. */
static int flow_reserve(struct vsw_flow_table *tbl, struct mask_node *mn,
			const struct vsw_flow *flow)
{
	int err = flow_idx_reserve(tbl);

	if (!err)
		err = ptab_reserve(&mn->tab, false);
	if (!err && flow->has_ufid)
		err = ptab_reserve(&tbl->ufids, true);
	return err;
}

/* Publishes @flow under @mn; the room is reserved. */
static void flow_link(struct vsw_flow_table *tbl, struct mask_node *mn,
		      struct vsw_flow *flow)
{
	struct flow_vec *vec = wderef(tbl->flows);
	u32 idx = flow_idx_take(tbl);

	mn->m.ref_count++;
	flow->mask = &mn->m;
	flow->dead = false;
	flow->hash = masked_hash(&flow->key, &mn->m, tbl->seed);
	flow->priv->index = idx;
	if (flow->has_ufid)
		flow->priv->ufid_hash = ufid_hash(flow->ufid, tbl->seed);
	rcu_assign_pointer(vec->f[idx], flow);
	ptab_insert(wderef(mn->tab), flow, flow->hash);
	if (flow->has_ufid)
		ptab_insert(wderef(tbl->ufids), flow, flow->priv->ufid_hash);
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
	struct mask_order *order = NULL;
	struct mask_node *mn;
	struct vsw_flow *dup;
	int err;

	if (existing)
		*existing = NULL;
	key_mask(&flow->key, mask);
	mn = mask_find(wderef(tbl->order), mask);
	dup = flow_duplicate(tbl, mn, flow);
	if (dup) {
		if (existing)
			*existing = dup;
		return -EEXIST;
	}
	if (!mn) {
		mn = mask_new(tbl, mask, &order);
		if (IS_ERR(mn))
			return PTR_ERR(mn);
	}
	err = flow_reserve(tbl, mn, flow);
	if (err)
		goto err_free_mask;
	if (order) {
		order_publish(tbl, order);
		tbl->n_masks++;
	} else if (!mn->m.ref_count) {	/* revived after a failed unlink */
		tbl->n_masks++;
	}
	flow_link(tbl, mn, flow);
	return 0;

err_free_mask:
	if (order) {		/* the mask is new, still unpublished */
		kvfree(order);
		mask_free(mn);
	}
	return err;
}

void vsw_flow_remove(struct vsw_flow_table *tbl, struct vsw_flow *flow,
		     void (*free_actions)(struct vsw_actions *))
{
	struct mask_node *mn = to_mask_node(flow->mask);
	struct flow_vec *vec = wderef(tbl->flows);
	u32 idx = flow->priv->index;

	WRITE_ONCE(flow->dead, true);
	ptab_remove(&mn->tab, flow, flow->hash, false);
	if (flow->has_ufid)
		ptab_remove(&tbl->ufids, flow, flow->priv->ufid_hash, true);
	RCU_INIT_POINTER(vec->f[idx], NULL);
	tbl->free_idx[tbl->n_free++] = idx;
	tbl->count--;
	tbl->gen++;
	if (--mn->m.ref_count == 0)
		mask_unlink(tbl, mn);
	flow->priv->free_actions = free_actions;
	call_rcu(&flow->priv->rcu, flow_free_rcu);
}

struct vsw_flow *vsw_flow_table_next(struct vsw_flow_table *tbl, u64 *pos)
{
	struct flow_vec *v = rcu_dereference_raw(tbl->flows);
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

/* --- rebalance ---------------------------------------------------------- */

struct mask_rank {
	u64 hits;
	struct mask_node *mn;
};

static int rank_cmp(const void *a, const void *b)
{
	const struct mask_rank *x = a, *y = b;

	if (x->hits != y->hits)
		return x->hits < y->hits ? 1 : -1;
	return 0;
}

static u64 mask_hits(const struct mask_node *mn)
{
	unsigned int cpu;
	u64 sum = 0;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(mn->hits, cpu));
	return sum;
}

void vsw_flow_table_rebalance(struct vsw_flow_table *tbl)
{
	struct mask_order *old = wderef(tbl->order), *o;
	u32 i, n = 0, n_zombies = 0, n_old = old->n;
	struct mask_rank *rank;
	struct mask_node *mn;
	u64 sum;

	if (!n_old)
		return;
	rank = kvcalloc(n_old, sizeof(*rank), GFP_KERNEL);
	o = order_alloc(n_old);
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
	order_publish(tbl, o);	/* frees old */
	o = NULL;
	/* unreachable for new readers only now */
	for (i = 0; i < n_zombies; i++)
		call_rcu(&rank[n_old - 1 - i].mn->rcu, mask_free_rcu);
out_free:
	kvfree(o);
	kvfree(rank);
}

/* --- table lifecycle ---------------------------------------------------- */

struct vsw_flow_table *vsw_flow_table_create(u32 microflow_size)
{
	struct vsw_flow_table *tbl;
	struct mask_order *order;
	struct flow_vec *flows;
	struct mf_cache *mf;
	struct ptab *ufids;
	int err = -ENOMEM;

	tbl = kzalloc(sizeof(*tbl), GFP_KERNEL_ACCOUNT);
	if (!tbl)
		return ERR_PTR(-ENOMEM);
	tbl->seed = get_random_u32();
	order = order_alloc(0);
	if (!order)
		goto err_free_tbl;
	RCU_INIT_POINTER(tbl->order, order);
	ufids = ptab_alloc(PTAB_MIN_SIZE);
	if (!ufids)
		goto err_free_order;
	RCU_INIT_POINTER(tbl->ufids, ufids);
	flows = flow_vec_alloc(FLOW_VEC_MIN, &tbl->free_idx);
	if (!flows)
		goto err_free_ufids;
	RCU_INIT_POINTER(tbl->flows, flows);
	err = mf_make(microflow_size, &mf);
	if (err)
		goto err_free_flows;
	RCU_INIT_POINTER(tbl->mf, mf);
	return tbl;

err_free_flows:
	kvfree(flows);
	kvfree(tbl->free_idx);
err_free_ufids:
	kvfree(ufids);
err_free_order:
	kvfree(order);
err_free_tbl:
	kfree(tbl);
	return ERR_PTR(err);
}

void vsw_flow_table_destroy(struct vsw_flow_table *tbl,
			    void (*free_actions)(struct vsw_actions *))
{
	struct flow_vec *v;
	struct mask_order *o;
	struct vsw_actions *acts;
	struct vsw_flow *f;
	u32 i;

	if (!tbl)
		return;
	v = ownderef(tbl->flows);
	for (i = 0; i < v->size; i++) {
		f = ownderef(v->f[i]);
		if (!f)
			continue;
		acts = rcu_dereference_raw(f->actions);
		if (acts && free_actions)
			free_actions(acts);
		flow_node_free(f);
	}
	o = ownderef(tbl->order);
	for (i = 0; i < o->n; i++)
		mask_free(o->m[i]);
	kvfree(o);
	kvfree(v);
	kvfree(tbl->free_idx);
	kvfree(ownderef(tbl->ufids));
	mf_free(ownderef(tbl->mf));
	kfree(tbl);
}
