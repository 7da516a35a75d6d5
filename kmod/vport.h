/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ports: an attached Ethernet netdev (vport.c; a flow-based tunnel device
 * is one too, of type TUNNEL, see vport_tunnel.c), the datapath's local
 * port netdev (vport_internal.c), or a patch port, which has no netdev
 * (vport_patch.c). A vport is reachable from its
 * datapath's IDR and from its netdev (rx_handler_data, or the local
 * device's private area); both links are cut under rtnl and vsw_mutex
 * and the vport is freed after an RCU grace period, so a packet-path
 * reader holding the RCU read lock never sees it freed.
 */
#ifndef _VSW_VPORT_H
#define _VSW_VPORT_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/vswitch.h>
#include "upcall.h"
#include "vport_patch.h"

struct vsw_datapath;

struct vsw_vport_stats {
	u64 rx_packets, rx_bytes;
	u64 tx_packets, tx_bytes, tx_dropped;
	u64 upcall_sent, upcall_limited, upcall_lost;
	struct u64_stats_sync syncp;
};

struct vsw_vport {
	struct vsw_datapath *dp;
	struct net_device *dev;		/* NULL for a PATCH port */
	netdevice_tracker dev_tracker;	/* attached netdevs only */
	struct vsw_patch *patch;	/* PATCH ports only */
	u32 port_no;
	enum vsw_port_type type;
	struct vsw_vport_stats __percpu *stats;
	struct vsw_upcall_bucket bucket; /* dp->fair.lock */
	/* the socket for misses, 0 = the datapath's pids (vsw_mutex writes,
	 * misses READ_ONCE), and when its misses are shed till (jiffies)
	 */
	u32 upcall_pid;
	unsigned long shed_until;
	struct rcu_head rcu;
};

/* Upcall settings for a new port; absent values follow the datapath. */
struct vsw_port_config {
	u32 port_no;			/* 0 = lowest free */
	bool has_rate, has_burst;
	u32 rate, burst;
};

int vsw_vport_init(void);		/* the netdev notifier */
void vsw_vport_uninit(void);

/* Attaches @dev to @dp (rtnl, vsw_mutex). Refuses loopback, non-Ethernet
 * devices and devices owned by someone else, with an extack message.
 */
struct vsw_vport *vsw_vport_attach(struct vsw_datapath *dp,
				   struct net_device *dev,
				   const struct vsw_port_config *cfg,
				   struct netlink_ext_ack *extack);
/* Creates and registers the local port netdev named after @dp. */
struct vsw_vport *vsw_vport_create_local(struct vsw_datapath *dp,
					 struct netlink_ext_ack *extack);
/* Detaches and frees (after RCU) any kind of port (rtnl, vsw_mutex). */
void vsw_vport_detach(struct vsw_vport *vport);

/* Transmits @skb (data at the Ethernet header) out of @vport; consumes
 * it. For the local port this delivers to the host stack. RCU, BH off.
 */
void vsw_vport_send(struct vsw_vport *vport, struct sk_buff *skb);

void vsw_vport_stats_get(const struct vsw_vport *vport,
			 struct vsw_vport_stats *sum);

enum vsw_vport_counter {
	VSW_VPORT_UPCALL_SENT,
	VSW_VPORT_UPCALL_LIMITED,
	VSW_VPORT_UPCALL_LOST,
	VSW_VPORT_TX_DROPPED,
};
void vsw_vport_count(struct vsw_vport *vport, enum vsw_vport_counter c);

/* Counts a received frame (packet path: RCU, BH off). Inline: once per
 * packet.
 */
static inline void vsw_vport_count_rx(struct vsw_vport *vport,
				      unsigned int len)
{
	struct vsw_vport_stats *s = this_cpu_ptr(vport->stats);

	u64_stats_update_begin(&s->syncp);
	s->rx_packets++;
	s->rx_bytes += len;
	u64_stats_update_end(&s->syncp);
}

/* Counts a sent frame (packet path: RCU, BH off), as vsw_vport_count_rx. */
static inline void vsw_vport_count_tx(struct vsw_vport *vport,
				      unsigned int len)
{
	struct vsw_vport_stats *s = this_cpu_ptr(vport->stats);

	u64_stats_update_begin(&s->syncp);
	s->tx_packets++;
	s->tx_bytes += len;
	u64_stats_update_end(&s->syncp);
}

/* The port's name: its netdev's, or a patch port's own (vsw_mutex or
 * RCU).
 */
static inline const char *vsw_vport_name(const struct vsw_vport *vport)
{
	return vport->dev ? vport->dev->name : vport->patch->name;
}

/* Common allocation (vport.c). */
struct vsw_vport *vsw_vport_alloc(struct vsw_datapath *dp, u32 port_no,
				  enum vsw_port_type type);
void vsw_vport_free_rcu(struct vsw_vport *vport);
/* Reserves @port_no in @dp, or the lowest free number when it is 0;
 * returns it or a negative errno with an extack message (vsw_mutex).
 */
int vsw_vport_reserve_no(struct vsw_datapath *dp, u32 port_no,
			 struct netlink_ext_ack *extack);
/* Applies @cfg's upcall settings to a new port. */
void vsw_vport_apply_config(struct vsw_datapath *dp, struct vsw_vport *vport,
			    const struct vsw_port_config *cfg);

#endif /* _VSW_VPORT_H */
