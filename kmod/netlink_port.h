/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port commands (netlink_port.c): PORT_NEW, PORT_DEL, PORT_GET and its
 * dump, PORT_SET, and the PORT_DEL notification.
 */
#ifndef _VSW_NETLINK_PORT_H
#define _VSW_NETLINK_PORT_H

#include <net/genetlink.h>
#include <uapi/linux/vswitch.h>

struct vsw_vport;

extern const struct nla_policy vsw_port_new_policy[VSW_PORT_ATTR_MAX + 1];
extern const struct nla_policy vsw_port_del_policy[VSW_PORT_ATTR_MAX + 1];
extern const struct nla_policy vsw_port_set_policy[VSW_PORT_ATTR_MAX + 1];
int vsw_nl_port_new(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_port_del(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_port_get(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_port_dump(struct sk_buff *skb, struct netlink_callback *cb);
int vsw_nl_port_set(struct sk_buff *skb, struct genl_info *info);

/* The PORT_DEL multicast for @vport, built before it is detached
 * (vsw_mutex); NULL if out of memory.
 */
struct sk_buff *vsw_port_del_notification(struct vsw_vport *vport);

#endif /* _VSW_NETLINK_PORT_H */
