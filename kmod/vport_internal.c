// SPDX-License-Identifier: GPL-2.0
/*
 * The local port (VSW_PORT_LOCAL): a netdev the module creates, named
 * after its datapath, so the host stack can sit on the switch. What the
 * host transmits on it enters the datapath as if received on the local
 * port; what the datapath outputs to it is delivered to the host stack.
 *
 * The device holds an RCU pointer to its vport; detaching clears it
 * before unregistering, so a transmit racing with teardown drops.
 * The device cannot change netns (NETIF_F_NETNS_LOCAL) and has no
 * rtnl_link_ops: it lives and dies with its datapath.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/netfilter/nf_conntrack.h>

#include "datapath.h"
#include "vport.h"
#include "vport_internal.h"

struct vsw_internal {
	struct vsw_vport __rcu *vport;
};

static int internal_init(struct net_device *dev)
{
	dev->tstats = __netdev_alloc_pcpu_stats(struct pcpu_sw_netstats,
						GFP_KERNEL_ACCOUNT);
	return dev->tstats ? 0 : -ENOMEM;
}

static void internal_uninit(struct net_device *dev)
{
	free_percpu(dev->tstats);
	dev->tstats = NULL;
}

/* Called with BH disabled and the RCU read lock (dev_queue_xmit). */
static netdev_tx_t internal_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vsw_internal *priv = netdev_priv(dev);
	unsigned int len = skb->len;
	struct vsw_vport *vport;

	vport = rcu_dereference_bh(priv->vport);
	if (unlikely(!vport || len < ETH_HLEN)) {
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	dev_sw_netstats_tx_add(dev, 1, len);
	skb_reset_mac_header(skb);
	vsw_dp_process(vport, skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops internal_ops = {
	.ndo_init		= internal_init,
	.ndo_uninit		= internal_uninit,
	.ndo_start_xmit		= internal_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_get_stats64	= dev_get_tstats64,
};

static void internal_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &internal_ops;
	dev->max_mtu = ETH_MAX_MTU;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	dev->needs_free_netdev = true;
	dev->features = NETIF_F_LLTX | NETIF_F_SG | NETIF_F_HIGHDMA |
			NETIF_F_HW_CSUM | NETIF_F_NETNS_LOCAL;
	dev->hw_features = NETIF_F_SG | NETIF_F_HIGHDMA | NETIF_F_HW_CSUM;
	eth_hw_addr_random(dev);
}

bool vsw_is_internal_dev(const struct net_device *dev)
{
	return dev->netdev_ops == &internal_ops;
}

struct vsw_vport *vsw_internal_vport(const struct net_device *dev)
{
	struct vsw_internal *priv = netdev_priv(dev);

	return rtnl_dereference(priv->vport);
}

struct vsw_vport *vsw_internal_alloc(struct vsw_datapath *dp,
				     struct netlink_ext_ack *extack)
{
	struct vsw_internal *priv;
	struct vsw_vport *vport;
	struct net_device *dev;
	int ret;

	ASSERT_RTNL();

	vport = vsw_vport_alloc(dp, VSW_PORT_LOCAL, VSW_PORT_TYPE_INTERNAL);
	if (IS_ERR(vport))
		return vport;

	dev = alloc_netdev(sizeof(*priv), dp->name, NET_NAME_USER,
			   internal_setup);
	if (!dev) {
		ret = -ENOMEM;
		goto err_free_vport;
	}
	dev_net_set(dev, dp->net);
	priv = netdev_priv(dev);
	vport->dev = dev;

	/* The device is tied to @vport only once registered: a registration
	 * that fails after the NETDEV_REGISTER notifiers unregisters the
	 * device again, and our notifier must not find a port to detach then
	 * (it would take vsw_mutex, which our caller holds). Until the
	 * pointer is set, internal_xmit() drops.
	 */
	ret = register_netdevice(dev);
	if (ret == -EEXIST) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a network device with the datapath's name already exists");
		goto err_free_netdev;
	}
	if (ret < 0) {
		NL_SET_ERR_MSG_MOD(extack, "cannot register the local port device");
		goto err_free_netdev;
	}
	rcu_assign_pointer(priv->vport, vport);
	return vport;

err_free_netdev:
	free_netdev(dev);
err_free_vport:
	vsw_vport_free_rcu(vport);
	return ERR_PTR(ret);
}

void vsw_internal_detach(struct vsw_vport *vport)
{
	struct vsw_internal *priv = netdev_priv(vport->dev);

	ASSERT_RTNL();
	RCU_INIT_POINTER(priv->vport, NULL);
	/* Waits for transmitters; the device is freed by the core. */
	unregister_netdevice(vport->dev);
}

/* Output to the local port: hand the frame to the host stack. */
void vsw_internal_send(struct vsw_vport *vport, struct sk_buff *skb)
{
	struct net_device *dev = vport->dev;
	struct vsw_vport_stats *s;
	unsigned int len = skb->len;

	if (unlikely(!(dev->flags & IFF_UP) || !pskb_may_pull(skb, ETH_HLEN))) {
		kfree_skb(skb);
		vsw_vport_count(vport, VSW_VPORT_TX_DROPPED);
		return;
	}
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb->dev = dev;
	/* eth_type_trans() only ever downgrades pkt_type; the frame may carry
	 * PACKET_OTHERHOST from the port it arrived on.
	 */
	skb->pkt_type = PACKET_HOST;
	skb->protocol = eth_type_trans(skb, dev);
	skb_postpull_rcsum(skb, eth_hdr(skb), ETH_HLEN);
	dev_sw_netstats_rx_add(dev, skb->len);
	netif_rx(skb);

	s = this_cpu_ptr(vport->stats);
	u64_stats_update_begin(&s->syncp);
	s->tx_packets++;
	s->tx_bytes += len;
	u64_stats_update_end(&s->syncp);
}
