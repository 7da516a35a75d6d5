// SPDX-License-Identifier: GPL-2.0
/*
 * The "vswitch" generic netlink family: the ops table with one strict
 * policy per operation, and the datapath commands. Port, flow and packet
 * commands live in netlink_port.c, netlink_flow.c, netlink_packet.c.
 *
 * Every handler parses and validates before taking locks and sends after
 * dropping them. Replies are allocated before the locks too, at a size
 * that bounds the message (datapath and port replies), except a flow's:
 * its size is that of the flow's action list, so FLOW_GET and FLOW_DEL
 * allocate it under the lock once the flow is found. A reply that then
 * fails to fill is a bug in its size: the handler warns once and fails
 * with -EMSGSIZE, also when the change it reports was made.
 */
#include <linux/log2.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/vswitch.h>

#include "datapath.h"
#include "flow_microflow.h"
#include "netlink.h"
#include "netlink_flow.h"
#include "netlink_packet.h"
#include "netlink_port.h"
#include "netlink_priv.h"
#include "vport.h"

static struct netlink_range_validation microflow_range = {
	.max = VSW_MICROFLOW_MAX,
};

static const struct nla_policy dp_set_policy[VSW_DP_ATTR_MAX + 1] = {
	[VSW_DP_ATTR_DP_NAME]		= VSW_NAME_POLICY,
	[VSW_DP_ATTR_UPCALL_PIDS]	= { .type = NLA_BINARY,
					    .len = VSW_MAX_UPCALL_PIDS * sizeof(u32) },
	[VSW_DP_ATTR_MICROFLOW_SIZE]	= NLA_POLICY_FULL_RANGE(NLA_U32, &microflow_range),
	[VSW_DP_ATTR_FLOW_LIMIT]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VSW_DP_ATTR_UPCALL_RATE]	= { .type = NLA_U32 },
	[VSW_DP_ATTR_UPCALL_BURST]	= NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy dp_name_policy[VSW_DP_ATTR_MAX + 1] = {
	[VSW_DP_ATTR_DP_NAME]		= VSW_NAME_POLICY,
};


struct vsw_datapath *vsw_nl_dp(struct net *net, struct nlattr **attrs,
			       int type, struct netlink_ext_ack *extack)
{
	struct vsw_datapath *dp = vsw_dp_find(net, nla_data(attrs[type]));

	if (!dp) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[type], "datapath not found");
		return ERR_PTR(-ENODEV);
	}
	return dp;
}

/* Parses UPCALL_PIDS into a new array (NULL when absent). */
static struct vsw_upcall_pids *parse_pids(const struct nlattr *attr,
					  struct netlink_ext_ack *extack)
{
	struct vsw_upcall_pids *pids;
	u32 n;

	if (!attr)
		return NULL;
	if (nla_len(attr) % sizeof(u32)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "UPCALL_PIDS must be an array of u32");
		return ERR_PTR(-EINVAL);
	}
	n = nla_len(attr) / sizeof(u32);
	pids = kmalloc(struct_size(pids, pids, n), GFP_KERNEL_ACCOUNT);
	if (!pids)
		return ERR_PTR(-ENOMEM);
	pids->n = n;
	memcpy(pids->pids, nla_data(attr), n * sizeof(u32));
	return pids;
}

static int check_microflow(struct nlattr *attr, struct netlink_ext_ack *extack)
{
	u32 size;

	if (!attr)
		return 0;
	size = nla_get_u32(attr);
	if (size && !is_power_of_2(size)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "MICROFLOW_SIZE must be 0 or a power of two");
		return -EINVAL;
	}
	return 0;
}

static u32 get_u32_or(struct nlattr *attr, u32 dflt)
{
	return attr ? nla_get_u32(attr) : dflt;
}

/* A datapath reply with @n upcall pids (VSW_MAX_UPCALL_PIDS: any). */
static size_t dp_msg_size(u32 n)
{
	return NLMSG_ALIGN(GENL_HDRLEN)
		+ nla_total_size(IFNAMSIZ)		/* DP_NAME */
		+ nla_total_size(sizeof(u32))		/* IFINDEX */
		+ nla_total_size(n * sizeof(u32))	/* UPCALL_PIDS */
		+ nla_total_size(sizeof(u32)) * 4	/* MICROFLOW_SIZE,
							 * FLOW_LIMIT, RATE, BURST
							 */
		+ nla_total_size(0)			/* STATS */
		+ nla_total_size_64bit(sizeof(u64)) * 7	/* the u64 counters */
		+ nla_total_size_64bit(sizeof(u64)) * VSW_CT_N_COUNTERS
		+ nla_total_size(sizeof(u32)) * 2;	/* FLOWS, MASKS */
}

/* The CT counters, VSW_DP_STATS_ATTR_CT on. */
static int put_ct_stats(struct sk_buff *skb, const struct vsw_dp_stats_sum *s)
{
	unsigned int i;

	BUILD_BUG_ON(VSW_DP_STATS_ATTR_CT + VSW_CT_N_COUNTERS - 1 !=
		     VSW_DP_STATS_ATTR_CT_REFRAGMENTED);
	for (i = 0; i < VSW_CT_N_COUNTERS; i++)
		if (nla_put_u64_64bit(skb, VSW_DP_STATS_ATTR_CT + i, s->ct[i],
				      VSW_DP_STATS_ATTR_PAD))
			return -EMSGSIZE;
	return 0;
}

static int put_dp_stats(struct sk_buff *skb, struct vsw_datapath *dp)
{
	struct vsw_dp_stats_sum s;
	struct nlattr *nest;

	vsw_dp_stats_get(dp, &s);
	nest = nla_nest_start(skb, VSW_DP_ATTR_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, VSW_DP_STATS_ATTR_MICROFLOW_HIT,
			      s.microflow_hit, VSW_DP_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_DP_STATS_ATTR_MEGAFLOW_HIT,
			      s.megaflow_hit, VSW_DP_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_DP_STATS_ATTR_MISSED, s.missed,
			      VSW_DP_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_DP_STATS_ATTR_LOST, s.lost,
			      VSW_DP_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_DP_STATS_ATTR_MASKS_PROBED,
			      s.masks_probed, VSW_DP_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_DP_STATS_ATTR_RECIRC,
			      s.recirc, VSW_DP_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_DP_STATS_ATTR_RECIRC_DROPPED,
			      s.recirc_dropped, VSW_DP_STATS_ATTR_PAD) ||
	    nla_put_u32(skb, VSW_DP_STATS_ATTR_FLOWS, s.flows) ||
	    nla_put_u32(skb, VSW_DP_STATS_ATTR_MASKS, s.masks) ||
	    put_ct_stats(skb, &s)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* vsw_mutex or RCU. @cb: the dump this message is part of, or NULL. */
static int dp_fill(struct sk_buff *skb, struct vsw_datapath *dp, u32 portid,
		   u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	const struct vsw_upcall_pids *pids;
	struct vsw_vport *local;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vsw_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	pids = rcu_dereference_check(dp->upcall_pids, lockdep_vsw_is_held());
	local = vsw_dp_port(dp, VSW_PORT_LOCAL);
	if (nla_put_string(skb, VSW_DP_ATTR_DP_NAME, dp->name) ||
	    (local && nla_put_u32(skb, VSW_DP_ATTR_IFINDEX, local->dev->ifindex)) ||
	    nla_put(skb, VSW_DP_ATTR_UPCALL_PIDS,
		    pids ? pids->n * sizeof(u32) : 0, pids ? pids->pids : NULL) ||
	    nla_put_u32(skb, VSW_DP_ATTR_MICROFLOW_SIZE,
			READ_ONCE(dp->microflow_size)) ||
	    nla_put_u32(skb, VSW_DP_ATTR_FLOW_LIMIT, READ_ONCE(dp->flow_limit)) ||
	    nla_put_u32(skb, VSW_DP_ATTR_UPCALL_RATE, READ_ONCE(dp->upcall_rate)) ||
	    nla_put_u32(skb, VSW_DP_ATTR_UPCALL_BURST,
			READ_ONCE(dp->upcall_burst)) ||
	    put_dp_stats(skb, dp)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Fills @reply, allocated by the caller at dp_msg_size(), for @dp
 * (vsw_mutex); a failure is a bug in dp_msg_size().
 */
static int dp_reply_fill(struct sk_buff *reply, struct vsw_datapath *dp,
			 struct genl_info *info)
{
	int ret = dp_fill(reply, dp, info->snd_portid, info->snd_seq, 0,
			  info->genlhdr->cmd, NULL);

	WARN_ON_ONCE(ret);
	return ret;
}

static int vsw_nl_dp_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct vsw_dp_config cfg = {};
	struct vsw_datapath *dp;
	struct sk_buff *reply;
	int ret;

	if (VSW_REQUIRE(info, VSW_DP_ATTR_DP_NAME))
		return -EINVAL;
	cfg.name = nla_data(a[VSW_DP_ATTR_DP_NAME]);
	if (!dev_valid_name(cfg.name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[VSW_DP_ATTR_DP_NAME],
				    "invalid datapath name");
		return -EINVAL;
	}
	ret = check_microflow(a[VSW_DP_ATTR_MICROFLOW_SIZE], info->extack);
	if (ret)
		return ret;
	cfg.microflow_size = get_u32_or(a[VSW_DP_ATTR_MICROFLOW_SIZE],
					VSW_MICROFLOW_DEFAULT);
	cfg.flow_limit = get_u32_or(a[VSW_DP_ATTR_FLOW_LIMIT],
				    VSW_FLOW_LIMIT_DEFAULT);
	cfg.upcall_rate = get_u32_or(a[VSW_DP_ATTR_UPCALL_RATE],
				     VSW_UPCALL_RATE_DEFAULT);
	cfg.upcall_burst = get_u32_or(a[VSW_DP_ATTR_UPCALL_BURST],
				      VSW_UPCALL_BURST_DEFAULT);
	cfg.pids = parse_pids(a[VSW_DP_ATTR_UPCALL_PIDS], info->extack);
	if (IS_ERR(cfg.pids))
		return PTR_ERR(cfg.pids);

	reply = genlmsg_new(dp_msg_size(cfg.pids ? cfg.pids->n : 0),
			    GFP_KERNEL);
	if (!reply) {
		kfree(cfg.pids);
		return -ENOMEM;
	}
	dp = vsw_dp_alloc(genl_info_net(info), &cfg);
	if (IS_ERR(dp)) {
		kfree(cfg.pids);
		ret = PTR_ERR(dp);
		goto err_free_reply;
	}

	rtnl_lock();
	vsw_lock();
	ret = vsw_dp_link(dp, info->extack);
	if (ret < 0)
		goto err_unlock;
	ret = dp_reply_fill(reply, dp, info);
	vsw_unlock();
	rtnl_unlock();

	return vsw_nl_reply(reply, info, ret);

err_unlock:
	vsw_unlock();
	rtnl_unlock();
	vsw_dp_free(dp);
err_free_reply:
	nlmsg_free(reply);
	return ret;
}

static int vsw_nl_dp_del(struct sk_buff *skb, struct genl_info *info)
{
	struct vsw_datapath *dp;

	if (VSW_REQUIRE(info, VSW_DP_ATTR_DP_NAME))
		return -EINVAL;

	rtnl_lock();
	vsw_lock();
	dp = vsw_nl_dp(genl_info_net(info), info->attrs, VSW_DP_ATTR_DP_NAME,
		       info->extack);
	if (!IS_ERR(dp))
		vsw_dp_unlink(dp);
	vsw_unlock();
	rtnl_unlock();

	if (IS_ERR(dp))
		return PTR_ERR(dp);
	vsw_dp_free(dp);
	return 0;
}

static int vsw_nl_dp_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vsw_datapath *dp;
	struct sk_buff *reply;

	int ret;

	if (VSW_REQUIRE(info, VSW_DP_ATTR_DP_NAME))
		return -EINVAL;
	reply = genlmsg_new(dp_msg_size(VSW_MAX_UPCALL_PIDS), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	vsw_lock();
	dp = vsw_nl_dp(genl_info_net(info), info->attrs, VSW_DP_ATTR_DP_NAME,
		       info->extack);
	ret = IS_ERR(dp) ? PTR_ERR(dp) : dp_reply_fill(reply, dp, info);
	vsw_unlock();

	return vsw_nl_reply(reply, info, ret);
}

static int vsw_nl_dp_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long idx = cb->args[0];
	struct vsw_datapath *dp;

	rcu_read_lock();
	cb->seq = vsw_dump_seq(vsw_dp_list_gen(net), NULL);
	for (;;) {
		unsigned long next = idx;

		dp = vsw_dp_next(net, &next);
		if (!dp)
			break;
		if (dp_fill(skb, dp, NETLINK_CB(cb->skb).portid,
			    cb->nlh->nlmsg_seq, NLM_F_MULTI, VSW_CMD_DP_GET,
			    cb))
			break;
		idx = next;
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static int vsw_nl_dp_set(struct sk_buff *skb, struct genl_info *info)
{
	struct vsw_upcall_pids *pids, *old = NULL;
	struct nlattr **a = info->attrs;
	struct vsw_datapath *dp;
	struct sk_buff *reply;
	int ret;

	if (VSW_REQUIRE(info, VSW_DP_ATTR_DP_NAME))
		return -EINVAL;
	ret = check_microflow(a[VSW_DP_ATTR_MICROFLOW_SIZE], info->extack);
	if (ret)
		return ret;
	pids = parse_pids(a[VSW_DP_ATTR_UPCALL_PIDS], info->extack);
	if (IS_ERR(pids))
		return PTR_ERR(pids);
	reply = genlmsg_new(dp_msg_size(VSW_MAX_UPCALL_PIDS), GFP_KERNEL);
	if (!reply) {
		kfree(pids);
		return -ENOMEM;
	}

	vsw_lock();
	dp = vsw_nl_dp(genl_info_net(info), a, VSW_DP_ATTR_DP_NAME,
		       info->extack);
	if (IS_ERR(dp)) {
		ret = PTR_ERR(dp);
		goto err_unlock;
	}
	if (a[VSW_DP_ATTR_MICROFLOW_SIZE]) {
		u32 size = nla_get_u32(a[VSW_DP_ATTR_MICROFLOW_SIZE]);

		ret = vsw_flow_table_set_microflow(vsw_dp_table(dp), size);
		if (ret)
			goto err_unlock;
		WRITE_ONCE(dp->microflow_size, size);
	}
	if (a[VSW_DP_ATTR_UPCALL_PIDS]) {
		old = rcu_dereference_protected(dp->upcall_pids,
						lockdep_vsw_is_held());
		rcu_assign_pointer(dp->upcall_pids, pids);
		pids = NULL;
	}
	if (a[VSW_DP_ATTR_FLOW_LIMIT])
		WRITE_ONCE(dp->flow_limit, nla_get_u32(a[VSW_DP_ATTR_FLOW_LIMIT]));
	if (a[VSW_DP_ATTR_UPCALL_RATE])
		WRITE_ONCE(dp->upcall_rate, nla_get_u32(a[VSW_DP_ATTR_UPCALL_RATE]));
	if (a[VSW_DP_ATTR_UPCALL_BURST])
		WRITE_ONCE(dp->upcall_burst,
			   nla_get_u32(a[VSW_DP_ATTR_UPCALL_BURST]));
	ret = dp_reply_fill(reply, dp, info);
	vsw_unlock();

	if (old)
		kfree_rcu(old, rcu);
	return vsw_nl_reply(reply, info, ret);

err_unlock:
	vsw_unlock();
	kfree(pids);
	nlmsg_free(reply);
	return ret;
}

#define VSW_OP(_cmd, _doit, _dumpit, _policy, _max, _flags)	\
	{							\
		.cmd = _cmd,					\
		.doit = _doit,					\
		.dumpit = _dumpit,				\
		.policy = _policy,				\
		.maxattr = _max,				\
		.flags = _flags,				\
	}

static const struct genl_ops vsw_genl_ops[] = {
	VSW_OP(VSW_CMD_DP_NEW, vsw_nl_dp_new, NULL, dp_set_policy,
	       VSW_DP_ATTR_MAX, GENL_UNS_ADMIN_PERM),
	VSW_OP(VSW_CMD_DP_DEL, vsw_nl_dp_del, NULL, dp_name_policy,
	       VSW_DP_ATTR_MAX, GENL_UNS_ADMIN_PERM),
	VSW_OP(VSW_CMD_DP_GET, vsw_nl_dp_get, vsw_nl_dp_dump, dp_name_policy,
	       VSW_DP_ATTR_MAX, 0),
	VSW_OP(VSW_CMD_DP_SET, vsw_nl_dp_set, NULL, dp_set_policy,
	       VSW_DP_ATTR_MAX, GENL_UNS_ADMIN_PERM),
	VSW_OP(VSW_CMD_PORT_NEW, vsw_nl_port_new, NULL, vsw_port_new_policy,
	       VSW_PORT_ATTR_MAX, GENL_UNS_ADMIN_PERM),
	VSW_OP(VSW_CMD_PORT_DEL, vsw_nl_port_del, NULL, vsw_port_del_policy,
	       VSW_PORT_ATTR_MAX, GENL_UNS_ADMIN_PERM),
	VSW_OP(VSW_CMD_PORT_GET, vsw_nl_port_get, vsw_nl_port_dump,
	       vsw_port_del_policy, VSW_PORT_ATTR_MAX, 0),
	VSW_OP(VSW_CMD_PORT_SET, vsw_nl_port_set, NULL, vsw_port_set_policy,
	       VSW_PORT_ATTR_MAX, GENL_UNS_ADMIN_PERM),
	VSW_OP(VSW_CMD_FLOW_NEW, vsw_nl_flow_new, NULL, vsw_flow_new_policy,
	       VSW_FLOW_ATTR_MAX, GENL_UNS_ADMIN_PERM),
	VSW_OP(VSW_CMD_FLOW_DEL, vsw_nl_flow_del, NULL, vsw_flow_get_policy,
	       VSW_FLOW_ATTR_MAX, GENL_UNS_ADMIN_PERM),
	VSW_OP(VSW_CMD_FLOW_GET, vsw_nl_flow_get, vsw_nl_flow_dump,
	       vsw_flow_get_policy, VSW_FLOW_ATTR_MAX, 0),
	VSW_OP(VSW_CMD_FLOW_FLUSH, vsw_nl_flow_flush, NULL,
	       vsw_flow_flush_policy, VSW_FLOW_ATTR_MAX, GENL_UNS_ADMIN_PERM),
	VSW_OP(VSW_CMD_PACKET_EXECUTE, vsw_nl_packet_execute, NULL,
	       vsw_packet_policy, VSW_PACKET_ATTR_MAX, GENL_UNS_ADMIN_PERM),
};

static const struct genl_multicast_group vsw_genl_mcgrps[] = {
	{ .name = VSWITCH_MCGRP_NOTIFY },
};

struct genl_family vsw_genl_family __ro_after_init = {
	.name = VSWITCH_GENL_NAME,
	.version = VSWITCH_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = vsw_genl_ops,
	.n_ops = ARRAY_SIZE(vsw_genl_ops),
	/* 0, as for any new family: the core refuses a non-zero
	 * genlmsghdr.reserved and nlmsg_flags bits other than REQUEST, ACK,
	 * ECHO (and DUMP) for every command; FLOW_NEW's REPLACE is an
	 * attribute, not NLM_F_REPLACE.
	 */
	.resv_start_op = 0,
	.mcgrps = vsw_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vsw_genl_mcgrps),
};

void vsw_genl_notify(struct net *net, struct sk_buff *msg)
{
	genlmsg_multicast_netns(&vsw_genl_family, net, msg, 0, 0, GFP_KERNEL);
}

int vsw_genl_init(void)
{
	return genl_register_family(&vsw_genl_family);
}

void vsw_genl_uninit(void)
{
	genl_unregister_family(&vsw_genl_family);
}
