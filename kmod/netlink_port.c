// SPDX-License-Identifier: GPL-2.0
/*
 * Port commands: PORT_NEW, PORT_DEL, PORT_GET (and dump), PORT_SET, and
 * the PORT_DEL notification sent when the kernel detaches a port itself.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/vswitch.h>

#include "datapath.h"
#include "netlink.h"
#include "netlink_port.h"
#include "netlink_priv.h"
#include "vport.h"

static struct netlink_range_validation port_no_range = {
	.min = 1,
	.max = VSW_PORT_MAX,
};

static struct netlink_range_validation port_no_any_range = {
	.min = 1,
	.max = VSW_PORT_LOCAL,
};

const struct nla_policy vsw_port_new_policy[VSW_PORT_ATTR_MAX + 1] = {
	[VSW_PORT_ATTR_DP_NAME]		= VSW_NAME_POLICY,
	[VSW_PORT_ATTR_PORT_NO]		= NLA_POLICY_FULL_RANGE(NLA_U32, &port_no_range),
	[VSW_PORT_ATTR_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[VSW_PORT_ATTR_IFNAME]		= VSW_NAME_POLICY,
	[VSW_PORT_ATTR_UPCALL_RATE]	= { .type = NLA_U32 },
	[VSW_PORT_ATTR_UPCALL_BURST]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VSW_PORT_ATTR_TYPE]		= { .type = NLA_U32 },
	[VSW_PORT_ATTR_PEER]		= VSW_NAME_POLICY,
};

/* PORT_DEL and PORT_GET. */
const struct nla_policy vsw_port_del_policy[VSW_PORT_ATTR_MAX + 1] = {
	[VSW_PORT_ATTR_DP_NAME]		= VSW_NAME_POLICY,
	[VSW_PORT_ATTR_PORT_NO]		= NLA_POLICY_FULL_RANGE(NLA_U32, &port_no_any_range),
	[VSW_PORT_ATTR_IFNAME]		= VSW_NAME_POLICY,
};

const struct nla_policy vsw_port_set_policy[VSW_PORT_ATTR_MAX + 1] = {
	[VSW_PORT_ATTR_DP_NAME]		= VSW_NAME_POLICY,
	[VSW_PORT_ATTR_PORT_NO]		= NLA_POLICY_FULL_RANGE(NLA_U32, &port_no_any_range),
	[VSW_PORT_ATTR_UPCALL_RATE]	= { .type = NLA_U32 },
	[VSW_PORT_ATTR_UPCALL_BURST]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VSW_PORT_ATTR_UPCALL_PID]	= { .type = NLA_U32 },
};

static size_t port_msg_size(void)
{
	return NLMSG_ALIGN(GENL_HDRLEN)
		+ nla_total_size(IFNAMSIZ)		/* DP_NAME */
		+ nla_total_size(sizeof(u32))		/* PORT_NO */
		+ nla_total_size(sizeof(u32))		/* IFINDEX */
		+ nla_total_size(IFNAMSIZ)		/* IFNAME */
		+ nla_total_size(sizeof(u32))		/* TYPE */
		+ nla_total_size(IFNAMSIZ)		/* PEER */
		+ nla_total_size(sizeof(u32)) * 3	/* UPCALL_RATE, BURST, PID */
		+ nla_total_size(0)			/* STATS */
		+ nla_total_size_64bit(sizeof(u64)) * 9; /* the counters */
}

static int put_port_stats(struct sk_buff *skb, const struct vsw_vport *vport)
{
	struct vsw_vport_stats s;
	struct nlattr *nest;

	vsw_vport_stats_get(vport, &s);
	nest = nla_nest_start(skb, VSW_PORT_ATTR_STATS);
	if (!nest)
		return -EMSGSIZE;
#define PUT(attr, v) nla_put_u64_64bit(skb, VSW_PORT_STATS_ATTR_##attr, v, \
				       VSW_PORT_STATS_ATTR_PAD)
	if (PUT(RX_PACKETS, s.rx_packets) || PUT(RX_BYTES, s.rx_bytes) ||
	    PUT(TX_PACKETS, s.tx_packets) || PUT(TX_BYTES, s.tx_bytes) ||
	    PUT(TX_DROPPED, s.tx_dropped) ||
	    PUT(UPCALL_SENT, s.upcall_sent) ||
	    PUT(UPCALL_LIMITED, s.upcall_limited) ||
	    PUT(UPCALL_LOST, s.upcall_lost) ||
	    PUT(FLOWS, vsw_flow_share_count(&vport->dp->flow_share,
					    vport->port_no))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
#undef PUT
	nla_nest_end(skb, nest);
	return 0;
}

/* vsw_mutex or RCU. @cb: the dump this message is part of, or NULL. */
static int port_fill(struct sk_buff *skb, struct vsw_vport *vport,
		     u32 portid, u32 seq, int flags, u8 cmd,
		     struct netlink_callback *cb)
{
	struct vsw_datapath *dp = vport->dp;
	u32 rate, burst;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vsw_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	vsw_upcall_bucket_get(dp, &vport->bucket, &rate, &burst);
	if (nla_put_string(skb, VSW_PORT_ATTR_DP_NAME, dp->name) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_PORT_NO, vport->port_no) ||
	    (vport->dev &&
	     nla_put_u32(skb, VSW_PORT_ATTR_IFINDEX, vport->dev->ifindex)) ||
	    nla_put_string(skb, VSW_PORT_ATTR_IFNAME, vsw_vport_name(vport)) ||
	    (vport->patch &&
	     nla_put_string(skb, VSW_PORT_ATTR_PEER,
			    vport->patch->peer_name)) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_TYPE, vport->type) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_UPCALL_RATE, rate) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_UPCALL_BURST, burst) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_UPCALL_PID,
			READ_ONCE(vport->upcall_pid)) ||
	    put_port_stats(skb, vport)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

struct sk_buff *vsw_port_del_notification(struct vsw_vport *vport)
{
	struct sk_buff *msg;

	msg = genlmsg_new(port_msg_size(), GFP_KERNEL);
	if (!msg)
		return NULL;
	if (port_fill(msg, vport, 0, 0, 0, VSW_CMD_PORT_DEL, NULL)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* The port named by PORT_NO or IFNAME (vsw_mutex or RCU). */
static struct vsw_vport *find_port(struct vsw_datapath *dp,
				   struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct vsw_vport *vport = NULL;
	struct nlattr *bad;

	if (a[VSW_PORT_ATTR_PORT_NO]) {
		bad = a[VSW_PORT_ATTR_PORT_NO];
		vport = vsw_dp_port(dp, nla_get_u32(bad));
	} else if (a[VSW_PORT_ATTR_IFNAME]) {
		const char *name = nla_data(a[VSW_PORT_ATTR_IFNAME]);
		struct vsw_vport *v;
		int id;

		bad = a[VSW_PORT_ATTR_IFNAME];
		idr_for_each_entry(&dp->ports, v, id) {
			if (!strcmp(vsw_vport_name(v), name)) {
				vport = v;
				break;
			}
		}
	} else {
		NL_SET_ERR_MSG_MOD(info->extack, "PORT_NO or IFNAME required");
		return ERR_PTR(-EINVAL);
	}
	if (!vport) {
		NL_SET_ERR_MSG_ATTR(info->extack, bad, "no such port");
		return ERR_PTR(-ENODEV);
	}
	return vport;
}

static struct net_device *find_netdev(struct net *net, struct genl_info *info)
{
	struct nlattr *idx = info->attrs[VSW_PORT_ATTR_IFINDEX];
	struct nlattr *name = info->attrs[VSW_PORT_ATTR_IFNAME];
	struct net_device *dev;

	if (idx && name) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "give IFINDEX or IFNAME, not both");
		return ERR_PTR(-EINVAL);
	}
	if (!idx && !name) {
		NL_SET_ERR_MSG_MOD(info->extack, "IFINDEX or IFNAME required");
		return ERR_PTR(-EINVAL);
	}
	dev = idx ? __dev_get_by_index(net, nla_get_u32(idx))
		  : __dev_get_by_name(net, nla_data(name));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, idx ? idx : name,
				    "no such network device");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

/* Checks the attributes that say which kind of port PORT_NEW makes:
 * returns 1 for a patch port (TYPE PATCH with IFNAME and PEER), 0 for a
 * netdev, or a negative errno with a message.
 */
static int port_new_kind(struct genl_info *info)
{
	struct nlattr *type = info->attrs[VSW_PORT_ATTR_TYPE];
	struct nlattr *peer = info->attrs[VSW_PORT_ATTR_PEER];

	if (!type) {
		if (!peer)
			return 0;
		NL_SET_ERR_MSG_ATTR(info->extack, peer,
				    "PEER is only for a patch port (TYPE PATCH)");
		return -EINVAL;
	}
	if (nla_get_u32(type) != VSW_PORT_TYPE_PATCH) {
		NL_SET_ERR_MSG_ATTR(info->extack, type,
				    "PORT_NEW takes TYPE PATCH only; a netdev port's type comes from its device");
		return -EINVAL;
	}
	if (info->attrs[VSW_PORT_ATTR_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VSW_PORT_ATTR_IFINDEX],
				    "a patch port has no netdev: IFINDEX refused");
		return -EINVAL;
	}
	if (VSW_REQUIRE(info, VSW_PORT_ATTR_IFNAME) ||
	    VSW_REQUIRE(info, VSW_PORT_ATTR_PEER))
		return -EINVAL;
	return 1;
}

static void port_new_config(struct nlattr **a, struct vsw_port_config *cfg)
{
	if (a[VSW_PORT_ATTR_PORT_NO])
		cfg->port_no = nla_get_u32(a[VSW_PORT_ATTR_PORT_NO]);
	cfg->has_rate = !!a[VSW_PORT_ATTR_UPCALL_RATE];
	if (cfg->has_rate)
		cfg->rate = nla_get_u32(a[VSW_PORT_ATTR_UPCALL_RATE]);
	cfg->has_burst = !!a[VSW_PORT_ATTR_UPCALL_BURST];
	if (cfg->has_burst)
		cfg->burst = nla_get_u32(a[VSW_PORT_ATTR_UPCALL_BURST]);
}

/* Makes the port PORT_NEW asks for (rtnl, vsw_mutex). */
static struct vsw_vport *port_new(struct vsw_datapath *dp, bool patch,
				  const struct vsw_port_config *cfg,
				  struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct net_device *dev;

	if (patch)
		return vsw_patch_create(dp, nla_data(a[VSW_PORT_ATTR_IFNAME]),
					nla_data(a[VSW_PORT_ATTR_PEER]), cfg,
					info->extack);
	dev = find_netdev(dp->net, info);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	return vsw_vport_attach(dp, dev, cfg, info->extack);
}

int vsw_nl_port_new(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct vsw_port_config cfg = {};
	struct vsw_datapath *dp;
	struct vsw_vport *vport;
	struct sk_buff *reply;
	int patch, ret;

	if (VSW_REQUIRE(info, VSW_PORT_ATTR_DP_NAME))
		return -EINVAL;
	patch = port_new_kind(info);
	if (patch < 0)
		return patch;
	port_new_config(info->attrs, &cfg);

	reply = genlmsg_new(port_msg_size(), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	rtnl_lock();
	vsw_lock();
	dp = vsw_nl_dp(net, info->attrs, VSW_PORT_ATTR_DP_NAME, info->extack);
	vport = IS_ERR(dp) ? ERR_CAST(dp) : port_new(dp, patch, &cfg, info);
	if (IS_ERR(vport)) {
		ret = PTR_ERR(vport);
		goto err_unlock;
	}
	ret = port_fill(reply, vport, info->snd_portid, info->snd_seq, 0,
			VSW_CMD_PORT_NEW, NULL);
	WARN_ON_ONCE(ret);	/* port_msg_size() is too small */
	vsw_unlock();
	rtnl_unlock();

	return vsw_nl_reply(reply, info, ret);

err_unlock:
	vsw_unlock();
	rtnl_unlock();
	nlmsg_free(reply);
	return ret;
}

int vsw_nl_port_del(struct sk_buff *skb, struct genl_info *info)
{
	struct vsw_datapath *dp;
	struct vsw_vport *vport;
	int ret = 0;

	if (VSW_REQUIRE(info, VSW_PORT_ATTR_DP_NAME))
		return -EINVAL;

	rtnl_lock();
	vsw_lock();
	dp = vsw_nl_dp(genl_info_net(info), info->attrs, VSW_PORT_ATTR_DP_NAME,
		       info->extack);
	vport = IS_ERR(dp) ? ERR_CAST(dp) : find_port(dp, info);
	if (IS_ERR(vport)) {
		ret = PTR_ERR(vport);
	} else if (vport->port_no == VSW_PORT_LOCAL) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the local port goes only with its datapath");
		ret = -EINVAL;
	} else {
		vsw_vport_detach(vport);
	}
	vsw_unlock();
	rtnl_unlock();
	return ret;
}

int vsw_nl_port_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vsw_datapath *dp;
	struct vsw_vport *vport;
	struct sk_buff *reply;
	int ret;

	if (VSW_REQUIRE(info, VSW_PORT_ATTR_DP_NAME))
		return -EINVAL;
	reply = genlmsg_new(port_msg_size(), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	vsw_lock();
	dp = vsw_nl_dp(genl_info_net(info), info->attrs, VSW_PORT_ATTR_DP_NAME,
		       info->extack);
	vport = IS_ERR(dp) ? ERR_CAST(dp) : find_port(dp, info);
	ret = IS_ERR(vport) ? PTR_ERR(vport)
			    : port_fill(reply, vport, info->snd_portid,
					info->snd_seq, 0, VSW_CMD_PORT_GET,
					NULL);
	vsw_unlock();

	return vsw_nl_reply(reply, info, ret);
}

int vsw_nl_port_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *name = info->attrs[VSW_PORT_ATTR_DP_NAME];
	struct vsw_datapath *dp;
	struct vsw_vport *vport;
	int id = cb->args[0];
	int ret = 0;

	if (!name) {
		NL_SET_ERR_MSG_MOD(cb->extack, "DP_NAME required to dump ports");
		return -EINVAL;
	}
	rcu_read_lock();
	dp = vsw_nl_dp(sock_net(skb->sk), info->attrs, VSW_PORT_ATTR_DP_NAME,
		       cb->extack);
	if (IS_ERR(dp)) {
		ret = PTR_ERR(dp);
		goto out;
	}
	cb->seq = vsw_dump_seq(READ_ONCE(dp->ports_gen), dp);
	for (; (vport = idr_get_next(&dp->ports, &id)); id++) {
		if (port_fill(skb, vport, NETLINK_CB(cb->skb).portid,
			      cb->nlh->nlmsg_seq, NLM_F_MULTI,
			      VSW_CMD_PORT_GET, cb))
			break;
	}
	cb->args[0] = id;
	ret = skb->len;
out:
	rcu_read_unlock();
	return ret;
}

int vsw_nl_port_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct vsw_datapath *dp;
	struct vsw_vport *vport;
	struct sk_buff *reply;
	u32 rate, burst;
	int ret;

	if (VSW_REQUIRE(info, VSW_PORT_ATTR_DP_NAME) ||
	    VSW_REQUIRE(info, VSW_PORT_ATTR_PORT_NO))
		return -EINVAL;
	reply = genlmsg_new(port_msg_size(), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	vsw_lock();
	dp = vsw_nl_dp(genl_info_net(info), a, VSW_PORT_ATTR_DP_NAME,
		       info->extack);
	vport = IS_ERR(dp) ? ERR_CAST(dp) : find_port(dp, info);
	if (IS_ERR(vport)) {
		ret = PTR_ERR(vport);
		goto out_unlock;
	}
	vsw_upcall_bucket_get(dp, &vport->bucket, &rate, &burst);
	if (a[VSW_PORT_ATTR_UPCALL_RATE] || a[VSW_PORT_ATTR_UPCALL_BURST])
		vsw_upcall_bucket_set(dp, &vport->bucket,
				      a[VSW_PORT_ATTR_UPCALL_RATE] ?
				      nla_get_u32(a[VSW_PORT_ATTR_UPCALL_RATE]) : rate,
				      a[VSW_PORT_ATTR_UPCALL_BURST] ?
				      nla_get_u32(a[VSW_PORT_ATTR_UPCALL_BURST]) : burst);
	if (a[VSW_PORT_ATTR_UPCALL_PID])
		WRITE_ONCE(vport->upcall_pid,
			   nla_get_u32(a[VSW_PORT_ATTR_UPCALL_PID]));
	ret = port_fill(reply, vport, info->snd_portid, info->snd_seq, 0,
			VSW_CMD_PORT_SET, NULL);
out_unlock:
	vsw_unlock();
	return vsw_nl_reply(reply, info, ret);
}
