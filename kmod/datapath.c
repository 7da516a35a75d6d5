// SPDX-License-Identifier: GPL-2.0
/*
 * Datapaths: lifetime, per-netns registry and the packet path.
 *
 * DOC: Locking
 *
 * One global mutex, vsw_mutex, serialises every change to every datapath:
 * creating and deleting datapaths, attaching and detaching ports, flow
 * inserts and removals, configuration. Changes that touch netdevs (a
 * datapath's local port, attaching a netdev) also need rtnl; rtnl is
 * always taken first, then vsw_mutex. The netdev notifier runs under rtnl
 * and takes vsw_mutex, which this order allows. vsw_mutex is private to
 * this file: others take it with vsw_lock()/vsw_unlock(), and what must
 * assert it is given its address (vsw_dp_mutex()), such as each
 * datapath's flow table, whose writers check it with lockdep.
 *
 * The packet path (rx_handler, the local port's xmit, PACKET_EXECUTE)
 * runs under the RCU read lock with bottom halves disabled and takes no
 * mutex. It reaches a datapath through a vport (rx_handler_data, the
 * local device's private area, or the IDR of ports) and reads the flow
 * table, the upcall pids and the port IDR with rcu_dereference().
 * Writers publish with rcu_assign_pointer() and free after a grace
 * period; a datapath itself is freed only after all its ports are
 * detached (each detach waits for readers) and a synchronize_rcu().
 *
 * Spinlocks, both taken with bottom halves disabled and never with
 * another lock inside: vsw_upcall_fair.lock covers the upcall token
 * buckets and is taken on misses only; the flow stats pool's lock
 * (flow_stats.c) covers its free slots, taken on flow setup and free.
 * The pool's growth has a mutex of its own, taken (by FLOW_NEW before
 * it locks anything) with no other lock of ours held.
 *
 * Functions state their context: "vsw_mutex" (held; asserted with
 * lockdep), "rtnl", or "RCU" (read lock held).
 *
 * DOC: Memory accounting and limits
 *
 * Anyone with CAP_NET_ADMIN over a namespace may create datapaths,
 * ports and flows, and on most distributions an unprivileged user gets
 * that through a user namespace. So every object a request makes live
 * on (datapath, its stats and upcall pids, vports and their stats, the
 * port IDR, flows, actions, masks and their hit counters, the flow
 * table's arrays, the microflow caches, the flow stats pool's chunks)
 * is allocated with GFP_KERNEL_ACCOUNT (alloc_percpu_gfp() for per-CPU
 * memory) and charged to the memory cgroup of the task making the
 * request; its memory.max stops a loop of creations with a clean
 * -ENOMEM. The one allocation made later on a datapath's behalf, the
 * mask order rebuilt by the rebalance work, runs in a kworker, which
 * 6.1's memcg never charges (no mm): the datapath keeps a reference to
 * its creator's memcg and the work charges it with set_active_memcg().
 * The packet path allocates nothing that outlives the packet: clones
 * and upcall messages (GFP_ATOMIC, softirq, where no task's memcg
 * applies) are freed with the packet or are bounded by the listener's
 * receive buffer, so they are not charged. The flow stats pool keeps its
 * chunks until unload (DOC: Flow setup cost); a chunk stays charged to
 * whoever grew the pool, reparented when that cgroup goes.
 *
 * Counts are bounded too, so that a namespace cannot make lists the
 * host walks grow without end: max_datapaths per namespace (default
 * 256) and max_ports attached ports per datapath (default 16384); flows
 * are bounded per datapath by FLOW_LIMIT. A request over a count limit
 * gets -ENOSPC and an extack message naming the module parameter. The
 * parameters are writable by root of the initial namespace only (sysfs
 * under /sys/module); a namespace owner cannot raise them. Lowering one
 * removes nothing: it refuses new objects above it.
 */
#include <linux/jhash.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sched/mm.h>
#include <net/netns/generic.h>

#include "actions.h"
#include "conntrack.h"
#include "conntrack_frag.h"
#include "datapath.h"
#include "flow_lookup.h"
#include "flow_netlink.h"
#include "flow_rebalance.h"
#include "flow_stats.h"
#include "flow_table.h"
#include "vport.h"

#define VSW_REBALANCE_INTERVAL	(HZ)
/* Nested datapath entries per CPU before a packet is dropped as a loop. */
#define VSW_MAX_DEPTH		4

static DEFINE_MUTEX(vsw_mutex);

/* No real host runs 256 bridges in one namespace, or 16384 ports on one;
 * both limits are far below what the lists and the IDR could hold.
 */
static unsigned int max_datapaths __read_mostly = 256;
module_param(max_datapaths, uint, 0644);
MODULE_PARM_DESC(max_datapaths,
		 "datapaths per network namespace (default 256)");

unsigned int vsw_max_ports __read_mostly = 16384;
module_param_named(max_ports, vsw_max_ports, uint, 0644);
MODULE_PARM_DESC(max_ports,
		 "attached ports per datapath, local port aside (default 16384)");

static unsigned int vsw_net_id __read_mostly;

struct vsw_net {
	struct list_head dps;
	unsigned int n_dps;	/* entries of dps: vsw_mutex */
	struct list_head patches; /* struct vsw_patch.node (vport_patch.c) */
	u32 gen;		/* bumped on link/unlink: vsw_mutex */
};

static struct vsw_net *vsw_net(struct net *net)
{
	return net_generic(net, vsw_net_id);
}

static DEFINE_PER_CPU(int, vsw_depth);

void vsw_lock(void)
{
	mutex_lock(&vsw_mutex);
}

void vsw_unlock(void)
{
	mutex_unlock(&vsw_mutex);
}

struct mutex *vsw_dp_mutex(void)
{
	return &vsw_mutex;
}

static struct list_head *dps_of(struct net *net)
{
	return &vsw_net(net)->dps;
}

static void dps_changed(struct net *net)
{
	struct vsw_net *vn = vsw_net(net);

	WRITE_ONCE(vn->gen, vn->gen + 1);
}

struct list_head *vsw_dp_net_patches(struct net *net)
{
	ASSERT_VSW();
	return &vsw_net(net)->patches;
}

u32 vsw_dp_list_gen(struct net *net)
{
	return READ_ONCE(vsw_net(net)->gen);
}

struct vsw_datapath *vsw_dp_find(struct net *net, const char *name)
{
	struct vsw_datapath *dp;

	list_for_each_entry_rcu(dp, dps_of(net), list, lockdep_vsw_is_held())
		if (!strcmp(dp->name, name))
			return dp;
	return NULL;
}

struct vsw_datapath *vsw_dp_next(struct net *net, unsigned long *idx)
{
	struct vsw_datapath *dp;
	unsigned long i = 0;

	list_for_each_entry_rcu(dp, dps_of(net), list, lockdep_vsw_is_held()) {
		if (i++ == *idx) {
			*idx = i;
			return dp;
		}
	}
	return NULL;
}

struct vsw_vport *vsw_dp_port(struct vsw_datapath *dp, u32 port_no)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held() && !lockdep_vsw_is_held(),
			 "port lookup needs RCU or vsw_mutex");
	if (likely(port_no < VSW_PORT_CACHE))
		return rcu_dereference_check(dp->port_cache[port_no],
					     lockdep_vsw_is_held());
	return idr_find(&dp->ports, port_no);
}

struct net_device *vsw_dp_input_dev(struct vsw_datapath *dp, u32 in_port)
{
	struct vsw_vport *vport = vsw_dp_port(dp, in_port);

	if (!vport || !vport->dev)	/* none, or a patch port */
		vport = vsw_dp_port(dp, VSW_PORT_LOCAL);
	return vport ? vport->dev : NULL;
}

void vsw_dp_port_set(struct vsw_datapath *dp, u32 port_no,
		     struct vsw_vport *vport)
{
	ASSERT_VSW();
	idr_replace(&dp->ports, vport, port_no);
	if (port_no < VSW_PORT_CACHE)
		rcu_assign_pointer(dp->port_cache[port_no], vport);
	WRITE_ONCE(dp->ports_gen, dp->ports_gen + 1);
}

void vsw_dp_port_release(struct vsw_datapath *dp, u32 port_no)
{
	ASSERT_VSW();
	if (port_no < VSW_PORT_CACHE)
		RCU_INIT_POINTER(dp->port_cache[port_no], NULL);
	idr_remove(&dp->ports, port_no);
	if (port_no != VSW_PORT_LOCAL)
		dp->n_ports--;
	WRITE_ONCE(dp->ports_gen, dp->ports_gen + 1);
}

static void rebalance_work(struct work_struct *work)
{
	struct vsw_datapath *dp = container_of(to_delayed_work(work),
					       struct vsw_datapath,
					       rebalance_work);

	struct mem_cgroup *old_memcg;

	old_memcg = set_active_memcg(dp->memcg);
	vsw_lock();
	vsw_flow_table_rebalance(vsw_dp_table(dp));
	vsw_unlock();
	set_active_memcg(old_memcg);
	schedule_delayed_work(&dp->rebalance_work, VSW_REBALANCE_INTERVAL);
}

struct vsw_datapath *vsw_dp_alloc(struct net *net,
				  const struct vsw_dp_config *cfg)
{
	struct vsw_flow_table *table;
	struct vsw_datapath *dp;

	dp = kzalloc(sizeof(*dp), GFP_KERNEL_ACCOUNT);
	if (!dp)
		return ERR_PTR(-ENOMEM);

	dp->stats = __netdev_alloc_pcpu_stats(struct vsw_dp_stats,
					       GFP_KERNEL_ACCOUNT);
	if (!dp->stats)
		goto err_free_dp;

	table = vsw_flow_table_create(cfg->microflow_size, &vsw_mutex);
	if (IS_ERR_OR_NULL(table))
		goto err_free_stats;
	RCU_INIT_POINTER(dp->table, table);

	dp->net = net;
	strscpy(dp->name, cfg->name, sizeof(dp->name));
	INIT_LIST_HEAD(&dp->list);
	idr_init(&dp->ports);
	vsw_upcall_fair_init(&dp->fair);
	vsw_flow_share_init(&dp->flow_share);
	dp->microflow_size = cfg->microflow_size;
	dp->flow_limit = cfg->flow_limit;
	dp->upcall_rate = cfg->upcall_rate;
	dp->upcall_burst = cfg->upcall_burst;
	INIT_DELAYED_WORK(&dp->rebalance_work, rebalance_work);
	dp->memcg = get_mem_cgroup_from_mm(NULL);	/* the caller's */
	/* Last: from here on vsw_dp_free() owns the pids. */
	RCU_INIT_POINTER(dp->upcall_pids, cfg->pids);
	return dp;

err_free_stats:
	free_percpu(dp->stats);
err_free_dp:
	kfree(dp);
	return ERR_PTR(-ENOMEM);
}

void vsw_dp_free(struct vsw_datapath *dp)
{
	cancel_delayed_work_sync(&dp->rebalance_work);
	/* PACKET_EXECUTE may still hold @dp from an RCU list walk. */
	synchronize_rcu();
	vsw_flow_table_destroy(rcu_dereference_protected(dp->table, 1),
			       vsw_actions_free_now);
	vsw_flow_share_reset(&dp->flow_share);
	/* No port may be left. Not idr_is_empty(): an idr_alloc() that failed
	 * half way (the local port's id needs three radix levels) leaves
	 * empty nodes behind, which idr_destroy() frees.
	 */
	WARN_ON(dp->n_ports || idr_get_next(&dp->ports, &(int){ 0 }));
	idr_destroy(&dp->ports);
	kfree(rcu_dereference_protected(dp->upcall_pids, 1));
	free_percpu(dp->stats);
	mem_cgroup_put(dp->memcg);
	kfree(dp);
}

int vsw_dp_link(struct vsw_datapath *dp, struct netlink_ext_ack *extack)
{
	struct vsw_vport *local;

	ASSERT_RTNL();
	ASSERT_VSW();

	if (vsw_dp_find(dp->net, dp->name)) {
		NL_SET_ERR_MSG_MOD(extack, "datapath already exists");
		return -EEXIST;
	}
	if (vsw_net(dp->net)->n_dps >= READ_ONCE(max_datapaths)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "too many datapaths in this namespace (limit: module parameter max_datapaths)");
		return -ENOSPC;
	}
	local = vsw_vport_create_local(dp, extack);
	if (IS_ERR(local))
		return PTR_ERR(local);

	list_add_tail_rcu(&dp->list, dps_of(dp->net));
	vsw_net(dp->net)->n_dps++;
	dps_changed(dp->net);
	schedule_delayed_work(&dp->rebalance_work, VSW_REBALANCE_INTERVAL);
	return 0;
}

void vsw_dp_unlink(struct vsw_datapath *dp)
{
	struct vsw_vport *vport;
	int id;

	ASSERT_RTNL();
	ASSERT_VSW();

	idr_for_each_entry(&dp->ports, vport, id)
		vsw_vport_detach(vport);
	list_del_rcu(&dp->list);
	vsw_net(dp->net)->n_dps--;
	dps_changed(dp->net);
}

struct vsw_flow_table *vsw_dp_swap_table(struct vsw_datapath *dp,
					 struct vsw_flow_table *new)
{
	struct vsw_flow_table *old;

	ASSERT_VSW();
	old = rcu_dereference_protected(dp->table, lockdep_vsw_is_held());
	rcu_assign_pointer(dp->table, new);
	return old;
}

void vsw_dp_stats_get(struct vsw_datapath *dp, struct vsw_dp_stats_sum *sum)
{
	struct vsw_flow_table *tbl;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct vsw_dp_stats *s = per_cpu_ptr(dp->stats, cpu);
		u64 mf, mg, mi, lo, pr, rc, rd, ct[VSW_CT_N_COUNTERS];
		unsigned int start, i;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			mf = s->microflow_hit;
			mg = s->megaflow_hit;
			mi = s->missed;
			lo = s->lost;
			pr = s->masks_probed;
			rc = s->recirc;
			rd = s->recirc_dropped;
			memcpy(ct, s->ct, sizeof(ct));
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum->microflow_hit += mf;
		sum->megaflow_hit += mg;
		sum->missed += mi;
		sum->lost += lo;
		sum->masks_probed += pr;
		sum->recirc += rc;
		sum->recirc_dropped += rd;
		for (i = 0; i < VSW_CT_N_COUNTERS; i++)
			sum->ct[i] += ct[i];
	}
	rcu_read_lock();
	tbl = rcu_dereference(dp->table);
	sum->flows = vsw_flow_table_count(tbl);
	sum->masks = vsw_flow_table_mask_count(tbl);
	rcu_read_unlock();
}

void vsw_dp_count_lost(struct vsw_datapath *dp)
{
	struct vsw_dp_stats *s = this_cpu_ptr(dp->stats);

	u64_stats_update_begin(&s->syncp);
	s->lost++;
	u64_stats_update_end(&s->syncp);
}

void vsw_dp_count_recirc(struct vsw_datapath *dp, bool dropped)
{
	struct vsw_dp_stats *s = this_cpu_ptr(dp->stats);

	u64_stats_update_begin(&s->syncp);
	if (dropped)
		s->recirc_dropped++;
	else
		s->recirc++;
	u64_stats_update_end(&s->syncp);
}

void vsw_dp_count_ct(struct vsw_datapath *dp, u32 events)
{
	struct vsw_dp_stats *s = this_cpu_ptr(dp->stats);
	unsigned int i;

	u64_stats_update_begin(&s->syncp);
	for (i = 0; i < VSW_CT_N_COUNTERS; i++)
		if (events & BIT(i))
			s->ct[i]++;
	u64_stats_update_end(&s->syncp);
}

static void count_lookup(struct vsw_datapath *dp, const struct vsw_flow *flow,
			 bool microflow_hit, u32 n_probed)
{
	struct vsw_dp_stats *s = this_cpu_ptr(dp->stats);

	u64_stats_update_begin(&s->syncp);
	s->masks_probed += n_probed;
	if (!flow)
		s->missed++;
	else if (microflow_hit)
		s->microflow_hit++;
	else
		s->megaflow_hit++;
	u64_stats_update_end(&s->syncp);
}

/*
 * The microflow cache's hash for @skb: the hash the device (RSS) or the
 * sending socket already put there, else 0, which makes the flow table
 * hash the key we have just extracted. Never skb_get_hash(): without a
 * hash (veth, tap) it runs the flow dissector over the headers a second
 * time, which costs more than the whole microflow lookup. Correctness
 * never depends on the hash (every microflow hit is verified against the
 * flow's key); a hash that stays the same for a flow's packets makes hits.
 */
static u32 microflow_hash(const struct sk_buff *skb)
{
	return skb_get_hash_raw(skb);
}

void vsw_dp_classify(struct vsw_datapath *dp, struct vsw_vport *vport,
		     struct sk_buff *skb, struct vsw_key *key)
{
	struct vsw_flow *flow;
	bool microflow_hit = false;
	u32 n_probed = 0;

	flow = vsw_flow_lookup(rcu_dereference(dp->table), key,
			       microflow_hash(skb), &n_probed, &microflow_hit);
	count_lookup(dp, flow, microflow_hit, n_probed);
	if (likely(flow)) {
		vsw_flow_stats_update(flow, skb->len, ntohs(key->tcp_flags));
		vsw_execute_actions(dp, skb, key,
				    rcu_dereference(flow->actions));
		return;
	}
	if (!vport)
		vport = vsw_dp_port(dp, key->in_port);
	if (likely(vport))
		vsw_upcall_miss(dp, vport, skb, key);
	else
		vsw_dp_count_lost(dp);
	consume_skb(skb);
}

void vsw_dp_process(struct vsw_vport *vport, struct sk_buff *skb)
{
	struct vsw_datapath *dp = vport->dp;
	/* every byte is written by vsw_key_extract(): no zeroing on entry */
	struct vsw_key key __uninitialized;
	int *depth;

	/* Output to a port whose transmit re-enters a datapath on this CPU
	 * (a loop through local ports) nests here; cap the depth.
	 */
	depth = this_cpu_ptr(&vsw_depth);
	if (unlikely(++*depth > VSW_MAX_DEPTH)) {
		net_warn_ratelimited("vswitch %s: loop detected on port %u, dropping\n",
				     dp->name, vport->port_no);
		kfree_skb(skb);
		goto out;
	}

	vsw_vport_count_rx(vport, skb->len);
	vsw_cb_init(skb, 0);
	if (unlikely(vsw_key_extract(skb, vport->port_no, &key))) {
		vsw_dp_count_lost(dp);
		kfree_skb(skb);
		goto out;
	}
	if (vport->type == VSW_PORT_TYPE_TUNNEL)
		vsw_tun_key_extract(skb, &key.tun);
	vsw_dp_classify(dp, vport, skb, &key);
out:
	--*depth;
}

static int __net_init vsw_net_init(struct net *net)
{
	INIT_LIST_HEAD(dps_of(net));
	INIT_LIST_HEAD(&vsw_net(net)->patches);
	return vsw_ct_net_init(net);
}

/* Runs before the netns' devices are unregistered (we are a pernet
 * device registered after the core), so ports detach cleanly.
 */
static void __net_exit vsw_net_exit(struct net *net)
{
	struct vsw_datapath *dp, *tmp;
	LIST_HEAD(dead);

	rtnl_lock();
	vsw_lock();
	list_for_each_entry_safe(dp, tmp, dps_of(net), list) {
		vsw_dp_unlink(dp);
		list_add(&dp->free_list, &dead);
	}
	vsw_unlock();
	rtnl_unlock();

	list_for_each_entry_safe(dp, tmp, &dead, free_list)
		vsw_dp_free(dp);
	vsw_ct_net_exit(net);
}

static struct pernet_operations vsw_net_ops = {
	.init = vsw_net_init,
	.exit = vsw_net_exit,
	.id = &vsw_net_id,
	.size = sizeof(struct vsw_net),
};

int vsw_dp_init(void)
{
	return register_pernet_device(&vsw_net_ops);
}

void vsw_dp_uninit(void)
{
	unregister_pernet_device(&vsw_net_ops);
}
