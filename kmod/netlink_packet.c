// SPDX-License-Identifier: GPL-2.0
/*
 * PACKET_EXECUTE: run an action list on a frame from userspace, as if it
 * had arrived on IN_PORT (no lookup). The daemon uses it to send a
 * missed packet on after installing its flow.
 */
#include <linux/etherdevice.h>
#include <linux/skbuff.h>
#include <net/genetlink.h>
#include <uapi/linux/vswitch.h>

#include "actions.h"
#include "conntrack_frag.h"
#include "datapath.h"
#include "flow.h"
#include "flow_netlink.h"
#include "netlink_packet.h"
#include "netlink_priv.h"

static struct netlink_range_validation in_port_range = {
	.min = 1,
	.max = VSW_PORT_LOCAL,
};

const struct nla_policy vsw_packet_policy[VSW_PACKET_ATTR_MAX + 1] = {
	[VSW_PACKET_ATTR_DP_NAME]	= VSW_NAME_POLICY,
	[VSW_PACKET_ATTR_IN_PORT]	= NLA_POLICY_FULL_RANGE(NLA_U32, &in_port_range),
	[VSW_PACKET_ATTR_PACKET]	= NLA_POLICY_MIN_LEN(ETH_HLEN),
	[VSW_PACKET_ATTR_ACTIONS]	= { .type = NLA_NESTED },
	[VSW_PACKET_ATTR_MRU]		= NLA_POLICY_MIN(NLA_U16, 68),
};

struct sk_buff *vsw_nl_packet_skb(const struct nlattr *attr,
				  const struct nlattr *mru)
{
	unsigned int len = nla_len(attr);
	struct sk_buff *skb;

	skb = alloc_skb(NET_IP_ALIGN + len, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	skb_put_data(skb, nla_data(attr), len);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb->protocol = eth_hdr(skb)->h_proto;
	vsw_cb_init(skb, mru ? nla_get_u16(mru) : 0);
	return skb;
}

/* Runs @packet, which arrived on @in_port, through @acts; consumes it. */
static int packet_run(struct vsw_datapath *dp, struct sk_buff *packet,
		      u32 in_port, struct vsw_key *key,
		      const struct vsw_actions *acts, struct genl_info *info)
{
	packet->dev = vsw_dp_input_dev(dp, in_port);
	if (!packet->dev) {
		kfree_skb(packet);
		NL_SET_ERR_MSG_MOD(info->extack, "datapath is being deleted");
		return -ENODEV;
	}
	vsw_execute_actions(dp, packet, key, acts);
	return 0;
}

int vsw_nl_packet_execute(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct vsw_actions *acts;
	struct vsw_datapath *dp;
	struct sk_buff *packet;
	struct vsw_key key;
	u32 in_port;
	int ret;

	if (VSW_REQUIRE(info, VSW_PACKET_ATTR_DP_NAME) ||
	    VSW_REQUIRE(info, VSW_PACKET_ATTR_IN_PORT) ||
	    VSW_REQUIRE(info, VSW_PACKET_ATTR_PACKET) ||
	    VSW_REQUIRE(info, VSW_PACKET_ATTR_ACTIONS))
		return -EINVAL;
	in_port = nla_get_u32(a[VSW_PACKET_ATTR_IN_PORT]);
	if (in_port > VSW_PORT_MAX && in_port != VSW_PORT_LOCAL) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[VSW_PACKET_ATTR_IN_PORT],
				    "IN_PORT is not a valid port number");
		return -EINVAL;
	}

	packet = vsw_nl_packet_skb(a[VSW_PACKET_ATTR_PACKET],
				   a[VSW_PACKET_ATTR_MRU]);
	if (!packet)
		return -ENOMEM;
	ret = vsw_key_extract(packet, in_port, &key);
	if (ret)
		goto err_free_packet;
	acts = vsw_actions_create(genl_info_net(info),
				  a[VSW_PACKET_ATTR_ACTIONS], &key, NULL,
				  info->extack);
	if (IS_ERR(acts)) {
		ret = PTR_ERR(acts);
		goto err_free_packet;
	}

	local_bh_disable();
	rcu_read_lock();
	dp = vsw_nl_dp(genl_info_net(info), a, VSW_PACKET_ATTR_DP_NAME,
		       info->extack);
	if (IS_ERR(dp)) {
		ret = PTR_ERR(dp);
	} else {
		ret = packet_run(dp, packet, in_port, &key, acts, info);
		packet = NULL;	/* consumed or freed */
	}
	rcu_read_unlock();
	local_bh_enable();

	vsw_actions_free_now(acts);
err_free_packet:
	kfree_skb(packet);
	return ret;
}
