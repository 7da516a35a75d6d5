/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between netlink*.c: the operation handlers and their policies,
 * wired into the family's ops table in netlink.c.
 */
#ifndef _VSW_NETLINK_PRIV_H
#define _VSW_NETLINK_PRIV_H

#include <net/genetlink.h>
#include <uapi/linux/vswitch.h>

struct vsw_datapath;

/* GENL_REQ_ATTR_CHECK() plus a message naming the missing attribute;
 * true when it is missing.
 */
#define VSW_REQUIRE(info, attr) ({					\
	bool __missing = GENL_REQ_ATTR_CHECK(info, attr);		\
	if (__missing)							\
		NL_SET_ERR_MSG_MOD((info)->extack,			\
				   "missing attribute " #attr);		\
	__missing;							\
})

#define VSW_NAME_POLICY { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }

/* A dump's cb->seq for generation @gen of the object set held by @owner
 * (NULL if one set per netns): never 0, and different for each @gen of
 * one owner, so genl_dump_check_consistent() flags any change between
 * two parts of a dump with NLM_F_DUMP_INTR.
 */
static inline unsigned int vsw_dump_seq(u32 gen, const void *owner)
{
	return ((gen << 1) | 1) ^ ((u32)(unsigned long)owner & ~1u);
}

/* The datapath named by @attrs[@type] in @net, or ERR_PTR(-ENODEV) with
 * an extack pointing at the name (vsw_mutex or RCU).
 */
struct vsw_datapath *vsw_nl_dp(struct net *net, struct nlattr **attrs,
			       int type, struct netlink_ext_ack *extack);

extern const struct nla_policy vsw_port_new_policy[VSW_PORT_ATTR_MAX + 1];
extern const struct nla_policy vsw_port_del_policy[VSW_PORT_ATTR_MAX + 1];
extern const struct nla_policy vsw_port_set_policy[VSW_PORT_ATTR_MAX + 1];
int vsw_nl_port_new(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_port_del(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_port_get(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_port_dump(struct sk_buff *skb, struct netlink_callback *cb);
int vsw_nl_port_set(struct sk_buff *skb, struct genl_info *info);

extern const struct nla_policy vsw_flow_new_policy[VSW_FLOW_ATTR_MAX + 1];
extern const struct nla_policy vsw_flow_get_policy[VSW_FLOW_ATTR_MAX + 1];
extern const struct nla_policy vsw_flow_flush_policy[VSW_FLOW_ATTR_MAX + 1];
int vsw_nl_flow_new(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_flow_del(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_flow_get(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb);
int vsw_nl_flow_flush(struct sk_buff *skb, struct genl_info *info);

extern const struct nla_policy vsw_packet_policy[VSW_PACKET_ATTR_MAX + 1];
int vsw_nl_packet_execute(struct sk_buff *skb, struct genl_info *info);
/* A new skb holding the frame in @attr, or NULL (no memory). */
struct sk_buff *vsw_nl_packet_skb(const struct nlattr *attr);

#endif /* _VSW_NETLINK_PRIV_H */
