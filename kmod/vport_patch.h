/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Patch ports: ports without a netdev that join two datapaths of one
 * network namespace; an OUTPUT to one enters the peer's datapath as if
 * received on the peer (uapi: "Patch ports"; locking: vport_patch.c).
 */
#ifndef _VSW_VPORT_PATCH_H
#define _VSW_VPORT_PATCH_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

struct netlink_ext_ack;
struct vsw_datapath;
struct vsw_port_config;
struct vsw_vport;

struct vsw_patch {
	char name[IFNAMSIZ];
	char peer_name[IFNAMSIZ];
	struct vsw_vport *vport;	/* the port this is */
	struct list_head node;		/* the netns' patch ports: vsw_mutex */
	struct vsw_vport __rcu *peer;	/* joined peer or NULL: vsw_mutex
					 * writes, the packet path reads (RCU)
					 */
};

/* Creates patch port @name of @dp, whose peer is named @peer_name, and
 * joins it to that peer if the peer exists and names it back (vsw_mutex).
 */
struct vsw_vport *vsw_patch_create(struct vsw_datapath *dp, const char *name,
				   const char *peer_name,
				   const struct vsw_port_config *cfg,
				   struct netlink_ext_ack *extack);
/* Parts @vport from its peer and from the netns' list; the caller frees
 * it after RCU (vsw_mutex).
 */
void vsw_patch_detach(struct vsw_vport *vport);
/* Hands @skb (consumed) to the peer's datapath, or drops it, counted in
 * @vport's TX_DROPPED. RCU, BH off, within vsw_execute_actions().
 */
void vsw_patch_send(struct vsw_vport *vport, struct sk_buff *skb);

#endif /* _VSW_VPORT_PATCH_H */
