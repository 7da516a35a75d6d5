// SPDX-License-Identifier: GPL-2.0
/*
 * Attached netdev ports: the rx_handler that feeds the datapath, the
 * checks that refuse devices we must not take, transmit, and the netdev
 * notifier that detaches a port whose device goes away.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "datapath.h"
#include "netlink.h"
#include "netlink_port.h"
#include "vport.h"
#include "vport_internal.h"
#include "vport_tunnel.h"

static rx_handler_result_t vsw_frame_hook(struct sk_buff **pskb);

struct vsw_vport *vsw_vport_alloc(struct vsw_datapath *dp, u32 port_no,
				  enum vsw_port_type type)
{
	struct vsw_vport *vport;

	vport = kzalloc(sizeof(*vport), GFP_KERNEL_ACCOUNT);
	if (!vport)
		return ERR_PTR(-ENOMEM);
	vport->stats = __netdev_alloc_pcpu_stats(struct vsw_vport_stats,
						  GFP_KERNEL_ACCOUNT);
	if (!vport->stats) {
		kfree(vport);
		return ERR_PTR(-ENOMEM);
	}
	vport->dp = dp;
	vport->port_no = port_no;
	vport->type = type;
	vsw_upcall_bucket_init(&vport->bucket, true, 0, 0);
	vport->shed_until = jiffies;
	return vport;
}

static void vport_free_rcu_cb(struct rcu_head *rcu)
{
	struct vsw_vport *vport = container_of(rcu, struct vsw_vport, rcu);

	free_percpu(vport->stats);
	kfree(vport->patch);
	kfree(vport);
}

void vsw_vport_free_rcu(struct vsw_vport *vport)
{
	call_rcu(&vport->rcu, vport_free_rcu_cb);
}

/* Refuses devices that cannot or must not become ports, naming why. */
static int check_attachable(const struct net_device *dev,
			    struct netlink_ext_ack *extack)
{
	if (dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG_MOD(extack, "cannot attach a loopback device");
		return -EINVAL;
	}
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG_MOD(extack, "device is not an Ethernet device");
		return -EINVAL;
	}
	if (vsw_is_internal_dev(dev)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device is the local port of a vswitch datapath");
		return -EBUSY;
	}
	if (rcu_access_pointer(dev->rx_handler) == vsw_frame_hook) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device is already a port of a vswitch datapath");
		return -EBUSY;
	}
	if (netif_is_bridge_port(dev)) {
		NL_SET_ERR_MSG_MOD(extack, "device is a bridge port");
		return -EBUSY;
	}
	if (netif_is_ovs_port(dev)) {
		NL_SET_ERR_MSG_MOD(extack, "device is an openvswitch port");
		return -EBUSY;
	}
	if (netif_is_bond_slave(dev)) {
		NL_SET_ERR_MSG_MOD(extack, "device is a bond slave");
		return -EBUSY;
	}
	if (netif_is_team_port(dev)) {
		NL_SET_ERR_MSG_MOD(extack, "device is a team port");
		return -EBUSY;
	}
	if (netif_is_macvlan_port(dev)) {
		NL_SET_ERR_MSG_MOD(extack, "device is the lower device of a macvlan");
		return -EBUSY;
	}
	return 0;
}

int vsw_vport_reserve_no(struct vsw_datapath *dp, u32 port_no,
			   struct netlink_ext_ack *extack)
{
	int id;

	if (dp->n_ports >= READ_ONCE(vsw_max_ports)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "too many ports on this datapath (limit: module parameter max_ports)");
		return -ENOSPC;
	}
	if (port_no)
		id = idr_alloc(&dp->ports, NULL, port_no, port_no + 1,
			       GFP_KERNEL_ACCOUNT);
	else
		id = idr_alloc(&dp->ports, NULL, 1, VSW_PORT_MAX + 1,
			       GFP_KERNEL_ACCOUNT);
	if (id == -ENOSPC && port_no) {
		NL_SET_ERR_MSG_MOD(extack, "port number already in use");
		return -EEXIST;
	}
	if (id == -ENOSPC) {
		NL_SET_ERR_MSG_MOD(extack, "no free port number");
		return -E2BIG;
	}
	if (id >= 0)
		dp->n_ports++;	/* vsw_dp_port_release() uncounts */
	return id;
}

void vsw_vport_apply_config(struct vsw_datapath *dp, struct vsw_vport *vport,
			    const struct vsw_port_config *cfg)
{
	u32 rate, burst;

	if (!cfg->has_rate && !cfg->has_burst)
		return;
	vsw_upcall_bucket_get(dp, &vport->bucket, &rate, &burst);
	vsw_upcall_bucket_init(&vport->bucket, false,
			       cfg->has_rate ? cfg->rate : rate,
			       cfg->has_burst ? cfg->burst : burst);
}

struct vsw_vport *vsw_vport_attach(struct vsw_datapath *dp,
				   struct net_device *dev,
				   const struct vsw_port_config *cfg,
				   struct netlink_ext_ack *extack)
{
	struct vsw_vport *vport;
	int id, ret;

	ASSERT_RTNL();
	ASSERT_VSW();

	ret = check_attachable(dev, extack);
	if (ret < 0)
		return ERR_PTR(ret);
	ret = vsw_tunnel_dev_external(dev);
	if (ret < 0)
		return ERR_PTR(ret);

	vport = vsw_vport_alloc(dp, 0, ret ? VSW_PORT_TYPE_TUNNEL :
					     VSW_PORT_TYPE_NETDEV);
	if (IS_ERR(vport))
		return vport;

	id = vsw_vport_reserve_no(dp, cfg->port_no, extack);
	if (id < 0) {
		ret = id;
		goto err_free_vport;
	}
	vport->port_no = id;
	vport->dev = dev;
	vsw_vport_apply_config(dp, vport, cfg);

	ret = netdev_rx_handler_register(dev, vsw_frame_hook, vport);
	if (ret == -EBUSY) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device is already used by another driver (it has a receive handler)");
		goto err_release_port_no;
	}
	if (ret < 0)
		goto err_release_port_no;

	ret = dev_set_promiscuity(dev, 1);
	if (ret < 0) {
		NL_SET_ERR_MSG_MOD(extack, "cannot set the device promiscuous");
		goto err_unregister_handler;
	}

	netdev_hold(dev, &vport->dev_tracker, GFP_KERNEL);
	vsw_dp_port_set(dp, id, vport);
	return vport;

err_unregister_handler:
	netdev_rx_handler_unregister(dev);
err_release_port_no:
	vsw_dp_port_release(dp, id);
err_free_vport:
	vsw_vport_free_rcu(vport);
	return ERR_PTR(ret);
}

struct vsw_vport *vsw_vport_create_local(struct vsw_datapath *dp,
					 struct netlink_ext_ack *extack)
{
	struct vsw_vport *vport;
	int id;

	ASSERT_RTNL();
	ASSERT_VSW();

	id = idr_alloc(&dp->ports, NULL, VSW_PORT_LOCAL, VSW_PORT_LOCAL + 1,
		       GFP_KERNEL_ACCOUNT);
	if (id < 0)
		return ERR_PTR(id);

	vport = vsw_internal_alloc(dp, extack);
	if (IS_ERR(vport)) {
		vsw_dp_port_release(dp, id);
		return vport;
	}
	vsw_dp_port_set(dp, id, vport);
	return vport;
}

void vsw_vport_detach(struct vsw_vport *vport)
{
	ASSERT_RTNL();
	ASSERT_VSW();

	vsw_dp_port_release(vport->dp, vport->port_no);
	if (vport->type == VSW_PORT_TYPE_INTERNAL) {
		vsw_internal_detach(vport);
	} else if (vport->type == VSW_PORT_TYPE_PATCH) {
		vsw_patch_detach(vport);
	} else {
		/* Waits for packet-path readers (synchronize_net()). */
		netdev_rx_handler_unregister(vport->dev);
		dev_set_promiscuity(vport->dev, -1);
		netdev_put(vport->dev, &vport->dev_tracker);
	}
	vsw_vport_free_rcu(vport);
}

/* The vport @dev belongs to, or NULL (rtnl). */
static struct vsw_vport *vport_from_dev(const struct net_device *dev)
{
	ASSERT_RTNL();

	if (vsw_is_internal_dev(dev))
		return vsw_internal_vport(dev);
	if (rcu_access_pointer(dev->rx_handler) == vsw_frame_hook)
		return rtnl_dereference(dev->rx_handler_data);
	return NULL;
}

static rx_handler_result_t vsw_frame_hook(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct vsw_vport *vport;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;

	vport = rcu_dereference(skb->dev->rx_handler_data);
	if (unlikely(!vport))
		return RX_HANDLER_PASS;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb))
		return RX_HANDLER_CONSUMED;

	/* The stack pulled the Ethernet header (eth_type_trans), so the
	 * headroom is there: __skb_push, not the out-of-line skb_push.
	 */
	__skb_push(skb, ETH_HLEN);
	skb_postpush_rcsum(skb, skb->data, ETH_HLEN);
	vsw_dp_process(vport, skb);
	return RX_HANDLER_CONSUMED;
}

void vsw_vport_send(struct vsw_vport *vport, struct sk_buff *skb)
{
	struct net_device *dev = vport->dev;
	unsigned int len = skb->len;
	int ret;

	if (vport->type == VSW_PORT_TYPE_INTERNAL) {
		vsw_internal_send(vport, skb);
		return;
	}
	if (vport->type == VSW_PORT_TYPE_PATCH) {
		vsw_patch_send(vport, skb);
		return;
	}
	if (unlikely(!(dev->flags & IFF_UP) || len < ETH_HLEN))
		goto drop;
	/* the device would drop it, not all of them counting it */
	if (vport->type == VSW_PORT_TYPE_TUNNEL &&
	    unlikely(!vsw_tun_dst_is_set(skb)))
		goto drop;
	if (unlikely(!skb_is_gso(skb) &&
		     len > dev->mtu + ETH_HLEN + VLAN_HLEN))
		goto drop;

	skb->dev = dev;
	skb_reset_mac_header(skb);
	ret = dev_queue_xmit(skb);
	if (unlikely(net_xmit_eval(ret))) {
		vsw_vport_count(vport, VSW_VPORT_TX_DROPPED);
		return;
	}
	vsw_vport_count_tx(vport, len);
	return;

drop:
	kfree_skb(skb);
	vsw_vport_count(vport, VSW_VPORT_TX_DROPPED);
}

void vsw_vport_count(struct vsw_vport *vport, enum vsw_vport_counter c)
{
	struct vsw_vport_stats *s = this_cpu_ptr(vport->stats);

	u64_stats_update_begin(&s->syncp);
	switch (c) {
	case VSW_VPORT_UPCALL_SENT:
		s->upcall_sent++;
		break;
	case VSW_VPORT_UPCALL_LIMITED:
		s->upcall_limited++;
		break;
	case VSW_VPORT_UPCALL_LOST:
		s->upcall_lost++;
		break;
	case VSW_VPORT_TX_DROPPED:
		s->tx_dropped++;
		break;
	}
	u64_stats_update_end(&s->syncp);
}

void vsw_vport_stats_get(const struct vsw_vport *vport,
			 struct vsw_vport_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct vsw_vport_stats *s = per_cpu_ptr(vport->stats, cpu);
		struct vsw_vport_stats c;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			c.rx_packets = s->rx_packets;
			c.rx_bytes = s->rx_bytes;
			c.tx_packets = s->tx_packets;
			c.tx_bytes = s->tx_bytes;
			c.tx_dropped = s->tx_dropped;
			c.upcall_sent = s->upcall_sent;
			c.upcall_limited = s->upcall_limited;
			c.upcall_lost = s->upcall_lost;
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum->rx_packets += c.rx_packets;
		sum->rx_bytes += c.rx_bytes;
		sum->tx_packets += c.tx_packets;
		sum->tx_bytes += c.tx_bytes;
		sum->tx_dropped += c.tx_dropped;
		sum->upcall_sent += c.upcall_sent;
		sum->upcall_limited += c.upcall_limited;
		sum->upcall_lost += c.upcall_lost;
	}
}

/* A port's device is going away (deleted, or moved to another netns):
 * detach the port and tell listeners. rtnl is held; vsw_mutex nests.
 */
static int vsw_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct sk_buff *msg = NULL;
	struct vsw_vport *vport;
	struct net *net = NULL;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	/* The links from a device to its vport change only under rtnl, which
	 * we hold: look before taking vsw_mutex, which our own teardown
	 * holds while it unregisters the local port's device.
	 */
	if (!vport_from_dev(dev))
		return NOTIFY_DONE;

	vsw_lock();
	vport = vport_from_dev(dev);
	if (vport) {
		net = vport->dp->net;
		msg = vsw_port_del_notification(vport);
		vsw_vport_detach(vport);
	}
	vsw_unlock();

	if (msg)
		vsw_genl_notify(net, msg);
	return NOTIFY_DONE;
}

static struct notifier_block vsw_netdev_notifier = {
	.notifier_call = vsw_netdev_event,
};

int vsw_vport_init(void)
{
	return register_netdevice_notifier(&vsw_netdev_notifier);
}

void vsw_vport_uninit(void)
{
	unregister_netdevice_notifier(&vsw_netdev_notifier);
}
