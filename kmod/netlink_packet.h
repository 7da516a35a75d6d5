/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PACKET_EXECUTE (netlink_packet.c), and the frame attribute it shares
 * with FLOW_NEW.
 */
#ifndef _VSW_NETLINK_PACKET_H
#define _VSW_NETLINK_PACKET_H

#include <net/genetlink.h>
#include <uapi/linux/vswitch.h>

extern const struct nla_policy vsw_packet_policy[VSW_PACKET_ATTR_MAX + 1];
int vsw_nl_packet_execute(struct sk_buff *skb, struct genl_info *info);
/* A new skb holding the frame in @attr, with the MRU in @mru (a u16
 * attribute, or NULL: none), or NULL (no memory).
 */
struct sk_buff *vsw_nl_packet_skb(const struct nlattr *attr,
				  const struct nlattr *mru);

#endif /* _VSW_NETLINK_PACKET_H */
