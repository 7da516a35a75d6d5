/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSW_NETLINK_H
#define _VSW_NETLINK_H

#include <net/genetlink.h>

struct vsw_vport;

extern struct genl_family vsw_genl_family;

int vsw_genl_init(void);
void vsw_genl_uninit(void);

/* The PORT_DEL multicast for @vport, built before it is detached
 * (vsw_mutex); NULL if out of memory.
 */
struct sk_buff *vsw_port_del_notification(struct vsw_vport *vport);
/* Multicasts @msg on the "notify" group of @net; consumes it. */
void vsw_genl_notify(struct net *net, struct sk_buff *msg);

#endif /* _VSW_NETLINK_H */
