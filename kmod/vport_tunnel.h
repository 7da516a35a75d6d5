/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which attached devices are flow-based tunnel devices (TUNNEL ports).
 */
#ifndef _VSW_VPORT_TUNNEL_H
#define _VSW_VPORT_TUNNEL_H

#include <linux/netdevice.h>

/* 1 when @dev is a vxlan, geneve, gretap or ip6gretap device in external
 * (collect-metadata) mode, 0 when it is not, -ENOMEM when that could not
 * be asked. rtnl.
 */
int vsw_tunnel_dev_external(const struct net_device *dev);

#endif /* _VSW_VPORT_TUNNEL_H */
