// SPDX-License-Identifier: GPL-2.0
/*
 * Recognising flow-based tunnel devices. Their drivers keep the
 * "external" setting private (geneve's in a struct of its own file), so
 * we ask each driver the way rtnetlink does: its fill_info() writes the
 * device's IFLA_*_COLLECT_METADATA into a scratch message.
 */
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "vport_tunnel.h"

static const struct {
	const char *kind;
	int collect_md;		/* its IFLA_*_COLLECT_METADATA */
} tunnel_kinds[] = {
	{ "vxlan", IFLA_VXLAN_COLLECT_METADATA },	/* u8 0/1 */
	{ "geneve", IFLA_GENEVE_COLLECT_METADATA },	/* flag */
	{ "gretap", IFLA_GRE_COLLECT_METADATA },	/* flag */
	{ "ip6gretap", IFLA_GRE_COLLECT_METADATA },	/* flag */
};

static int collect_md_attr(const struct rtnl_link_ops *ops)
{
	int i;

	if (!ops || !ops->kind)
		return 0;
	for (i = 0; i < ARRAY_SIZE(tunnel_kinds); i++)
		if (!strcmp(ops->kind, tunnel_kinds[i].kind))
			return tunnel_kinds[i].collect_md;
	return 0;
}

int vsw_tunnel_dev_external(const struct net_device *dev)
{
	const struct rtnl_link_ops *ops = dev->rtnl_link_ops;
	int type = collect_md_attr(ops);
	const struct nlattr *a;
	struct sk_buff *skb;
	int ret = 0;

	ASSERT_RTNL();

	if (!type || !ops->fill_info || !ops->get_size)
		return 0;
	skb = alloc_skb(ops->get_size(dev), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	if (!ops->fill_info(skb, dev)) {
		a = nla_find((const struct nlattr *)skb->data, skb->len, type);
		ret = a && (!nla_len(a) || *(const u8 *)nla_data(a));
	}
	consume_skb(skb);
	return ret;
}
