/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by netlink*.c: request helpers, and finding the datapath a
 * request names (netlink.c). Each netlink_*.c has its own header for the
 * handlers and policies netlink.c wires into the family's ops table.
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

/* Ends a request with its reply: sends @reply, or, when @err (the result
 * of filling it) is an error, frees it and returns @err.
 */
static inline int vsw_nl_reply(struct sk_buff *reply, struct genl_info *info,
			       int err)
{
	if (err) {
		nlmsg_free(reply);
		return err;
	}
	return genlmsg_reply(reply, info);
}

#endif /* _VSW_NETLINK_PRIV_H */
