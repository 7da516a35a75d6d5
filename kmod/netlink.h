/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "vswitch" generic netlink family (netlink.c): its registration, and
 * multicast notifications for the rest of the module.
 */
#ifndef _VSW_NETLINK_H
#define _VSW_NETLINK_H

#include <net/genetlink.h>

extern struct genl_family vsw_genl_family;

int vsw_genl_init(void);
void vsw_genl_uninit(void);

/* Multicasts @msg on the "notify" group of @net; consumes it. */
void vsw_genl_notify(struct net *net, struct sk_buff *msg);

#endif /* _VSW_NETLINK_H */
