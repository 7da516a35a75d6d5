/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal ports: the datapath's local port, a netdev of our own whose
 * transmit enters the datapath. Used by vport.c only.
 */
#ifndef _VSW_VPORT_INTERNAL_H
#define _VSW_VPORT_INTERNAL_H

#include <linux/netdevice.h>
#include <linux/netlink.h>

struct vsw_datapath;
struct vsw_vport;

/* Creates the local port's netdev and its vport (rtnl, vsw_mutex). */
struct vsw_vport *vsw_internal_alloc(struct vsw_datapath *dp,
				     struct netlink_ext_ack *extack);
/* Is @dev an internal port's netdev (any context); its vport (rtnl). */
bool vsw_is_internal_dev(const struct net_device *dev);
struct vsw_vport *vsw_internal_vport(const struct net_device *dev);
/* Cuts the netdev's link to @vport and unregisters it (the core frees
 * it); the caller frees @vport (rtnl, vsw_mutex).
 */
void vsw_internal_detach(struct vsw_vport *vport);
/* Delivers @skb to the host stack through the netdev (RCU, BH off). */
void vsw_internal_send(struct vsw_vport *vport, struct sk_buff *skb);

#endif /* _VSW_VPORT_INTERNAL_H */
