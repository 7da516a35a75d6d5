/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow commands (netlink_flow.c): FLOW_NEW, FLOW_DEL, FLOW_GET and its
 * dump, FLOW_FLUSH.
 */
#ifndef _VSW_NETLINK_FLOW_H
#define _VSW_NETLINK_FLOW_H

#include <net/genetlink.h>
#include <uapi/linux/vswitch.h>

extern const struct nla_policy vsw_flow_new_policy[VSW_FLOW_ATTR_MAX + 1];
extern const struct nla_policy vsw_flow_get_policy[VSW_FLOW_ATTR_MAX + 1];
extern const struct nla_policy vsw_flow_flush_policy[VSW_FLOW_ATTR_MAX + 1];
int vsw_nl_flow_new(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_flow_del(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_flow_get(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb);
int vsw_nl_flow_flush(struct sk_buff *skb, struct genl_info *info);

#endif /* _VSW_NETLINK_FLOW_H */
