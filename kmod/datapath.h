/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A datapath: one bridge. It owns its flow table, its ports (an IDR from
 * port number to struct vsw_vport) and its local port netdev, lives in
 * one network namespace and is found there by name. See the DOC: Locking
 * block in datapath.c for who may touch what.
 */
#ifndef _VSW_DATAPATH_H
#define _VSW_DATAPATH_H

#include <linux/idr.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "flow.h"
#include "flow_share.h"
#include "upcall.h"

struct mem_cgroup;
struct vsw_flow_table;
struct vsw_vport;

/*
 * The datapath mutex (datapath.c, "DOC: Locking"): serialises every change
 * to every datapath; taken after rtnl_lock(). vsw_dp_mutex() gives its
 * address to what must assert it, such as a datapath's flow table.
 */
void vsw_lock(void);
void vsw_unlock(void);
struct mutex *vsw_dp_mutex(void) __attribute_const__;

#define lockdep_vsw_is_held() lockdep_is_held(vsw_dp_mutex())
#define ASSERT_VSW() lockdep_assert_held(vsw_dp_mutex())

/* What CT actions did, each a u64 of struct vsw_dp_stats.ct, reported as
 * VSW_DP_STATS_ATTR_CT + the index (the uapi documents each).
 */
enum vsw_ct_counter {
	VSW_CT_COUNT_PACKETS,
	VSW_CT_COUNT_COMMITTED,
	VSW_CT_COUNT_NAT,
	VSW_CT_COUNT_INVALID,
	VSW_CT_COUNT_REFUSED,
	VSW_CT_COUNT_DROPPED,
	VSW_CT_COUNT_FRAGMENTS,
	VSW_CT_COUNT_REASSEMBLED,
	VSW_CT_COUNT_REFRAGMENTED,
	VSW_CT_N_COUNTERS
};

/* Per-CPU datapath counters, written by the packet path only. */
struct vsw_dp_stats {
	u64 microflow_hit;
	u64 megaflow_hit;
	u64 missed;
	u64 lost;
	u64 masks_probed;
	u64 recirc;			/* packets queued for another pass */
	u64 recirc_dropped;		/* loops and queue overflows */
	u64 ct[VSW_CT_N_COUNTERS];	/* VSW_CT_COUNT_* (conntrack.h) */
	struct u64_stats_sync syncp;
};

/* Netlink ports upcalls go to; replaced whole, freed after RCU. */
struct vsw_upcall_pids {
	struct rcu_head rcu;
	u32 n;
	u32 pids[];
};

/*
 * Port numbers below this have a slot in vsw_datapath.port_cache, so the
 * packet path finds an output port with one load. The IDR alone would
 * walk three radix levels per output: the local port's number (0xfffe)
 * keeps the tree that deep.
 */
#define VSW_PORT_CACHE		256

struct vsw_datapath {
	struct list_head list;		/* vsw_net.dps: vsw_mutex, RCU readers */
	struct list_head free_list;	/* teardown batch, never seen by readers */
	struct net *net;		/* not refcounted: pernet exit frees us */
	char name[IFNAMSIZ];
	struct vsw_flow_table __rcu *table;
	struct idr ports;		/* port_no -> vport: vsw_mutex, RCU readers */
	/* the IDR's vports numbered below VSW_PORT_CACHE, for readers;
	 * written only with the IDR (vsw_dp_port_set/_release)
	 */
	struct vsw_vport __rcu *port_cache[VSW_PORT_CACHE];
	u32 ports_gen;			/* bumped by every port set/release:
					 * vsw_mutex, READ_ONCE for dumps
					 */
	struct vsw_upcall_pids __rcu *upcall_pids;
	struct vsw_dp_stats __percpu *stats;
	struct vsw_upcall_fair fair;	/* datapath-wide upcall fairness */
	/* configuration: written under vsw_mutex, read with READ_ONCE */
	u32 microflow_size;
	u32 flow_limit;
	u32 upcall_rate;		/* default per-port rate, 0 = unlimited */
	u32 upcall_burst;		/* default per-port bucket depth */
	struct delayed_work rebalance_work;
	u32 n_ports;			/* attached, local aside: vsw_mutex */
	struct vsw_flow_share flow_share; /* flows per in_port: vsw_mutex */
	struct mem_cgroup *memcg;	/* the creator's, for rebalance_work */
};

/* A snapshot of the counters, summed over CPUs. */
struct vsw_dp_stats_sum {
	u64 microflow_hit, megaflow_hit, missed, lost, masks_probed;
	u64 recirc, recirc_dropped;
	u64 ct[VSW_CT_N_COUNTERS];
	u32 flows, masks;
};

/* Configuration for vsw_dp_create(), already validated by netlink. */
struct vsw_dp_config {
	const char *name;
	struct vsw_upcall_pids *pids;	/* may be NULL; ownership moves in */
	u32 microflow_size;
	u32 flow_limit;
	u32 upcall_rate;
	u32 upcall_burst;
};

/* Module parameter max_ports: attached ports per datapath. */
extern unsigned int vsw_max_ports;

int vsw_dp_init(void);
void vsw_dp_uninit(void);

/* Allocates everything a datapath needs but links nothing (no lock). */
struct vsw_datapath *vsw_dp_alloc(struct net *net,
				  const struct vsw_dp_config *cfg);
/* Frees a datapath never linked, or one vsw_dp_unlink() took out. Sleeps. */
void vsw_dp_free(struct vsw_datapath *dp);
/* Creates the local port and links @dp into its netns (rtnl, vsw_mutex). */
int vsw_dp_link(struct vsw_datapath *dp, struct netlink_ext_ack *extack);
/* Detaches every port and unlinks @dp; the caller then drops both locks
 * and calls vsw_dp_free() (rtnl, vsw_mutex).
 */
void vsw_dp_unlink(struct vsw_datapath *dp);

/* Finds a datapath by name in @net (vsw_mutex or RCU read lock). */
struct vsw_datapath *vsw_dp_find(struct net *net, const char *name);
/* Iterates the datapaths of @net: returns the one after index *idx. */
struct vsw_datapath *vsw_dp_next(struct net *net, unsigned long *idx);
/* The patch ports of @net, a list of struct vsw_patch (vsw_mutex; see
 * vport_patch.c, DOC: Patch locking).
 */
struct list_head *vsw_dp_net_patches(struct net *net);
/* Changes whenever a datapath of @net is linked or unlinked (any
 * context), for dump consistency.
 */
u32 vsw_dp_list_gen(struct net *net);

/* The flow table (vsw_mutex or RCU read lock). */
static inline struct vsw_flow_table *vsw_dp_table(struct vsw_datapath *dp)
{
	return rcu_dereference_check(dp->table, lockdep_vsw_is_held());
}

/* Publishes @new as the flow table and returns the old one, which the
 * caller destroys after synchronize_rcu() (vsw_mutex).
 */
struct vsw_flow_table *vsw_dp_swap_table(struct vsw_datapath *dp,
					 struct vsw_flow_table *new);

/* Finds a port (vsw_mutex or RCU read lock). */
struct vsw_vport *vsw_dp_port(struct vsw_datapath *dp, u32 port_no);
/* The device a packet from userspace (PACKET_EXECUTE, FLOW_NEW's PACKET)
 * enters on: its IN_PORT's, or the local port's when IN_PORT is not
 * attached or has no netdev (a patch port), so that the action path
 * always finds a device, and through it a netns, on the skb (the flow
 * dissector needs one to hash it). NULL only while the datapath is being
 * torn down. Same locking as above.
 */
struct net_device *vsw_dp_input_dev(struct vsw_datapath *dp, u32 in_port);
/* Publishes @vport under its reserved number @port_no, or takes the
 * number back (vsw_mutex). Readers see a removed port until a grace
 * period has passed.
 */
void vsw_dp_port_set(struct vsw_datapath *dp, u32 port_no,
		     struct vsw_vport *vport);
void vsw_dp_port_release(struct vsw_datapath *dp, u32 port_no);

void vsw_dp_stats_get(struct vsw_datapath *dp, struct vsw_dp_stats_sum *sum);
void vsw_dp_count_lost(struct vsw_datapath *dp);
/* Counts a recirculation, or a recirculated packet dropped (RCU, BH off). */
void vsw_dp_count_recirc(struct vsw_datapath *dp, bool dropped);
/* Counts each CT counter whose bit (1 << VSW_CT_COUNT_*) is in @events
 * (a packet through a CT action has VSW_CT_COUNT_PACKETS). BH off.
 */
void vsw_dp_count_ct(struct vsw_datapath *dp, u32 events);

/* The packet path: @skb (data at the Ethernet header) arrived on @vport.
 * Consumes @skb. RCU read lock held, bottom halves disabled.
 */
void vsw_dp_process(struct vsw_vport *vport, struct sk_buff *skb);

/* Looks @key up in @dp's flow table and runs the flow's actions on @skb,
 * or sends a miss (as arriving on @vport, or on the port key->in_port
 * names when @vport is NULL; dropped and counted lost if it is gone).
 * Consumes @skb; the actions may change @key. RCU read lock, BH off.
 */
void vsw_dp_classify(struct vsw_datapath *dp, struct vsw_vport *vport,
		     struct sk_buff *skb, struct vsw_key *key);

#endif /* _VSW_DATAPATH_H */
