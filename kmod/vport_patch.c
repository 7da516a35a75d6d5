// SPDX-License-Identifier: GPL-2.0
/*
 * Patch ports: creation, joining two ends, and the crossing.
 *
 * DOC: Patch locking
 *
 * Each network namespace lists its patch ports (vsw_dp_net_patches(),
 * kept in datapath.c's per-netns area). The list, and the peer links of
 * its entries, are written under vsw_mutex only and read only there: a
 * new port looks its peer up by name in the list, and when the peer
 * names it back the two are joined, each vsw_patch.peer pointing at the
 * other vport. Detaching either end (PORT_DEL, DP_DEL, netns exit)
 * clears both pointers and takes it off the list under vsw_mutex; the
 * vport itself is freed after an RCU grace period.
 *
 * The packet path never touches the list. It reads vsw_patch.peer with
 * rcu_dereference() under the RCU read lock, and the peer, its datapath
 * and its flow table stay valid until that read-side section ends: a
 * vport is freed by call_rcu() after it is unpublished, a datapath after
 * all its ports are detached and a synchronize_rcu(). The deferred pass
 * that delivers the packet (recirc.c) runs before the outermost action
 * list on the CPU returns, inside the same read-side section, so a peer
 * deleted while packets cross is never seen freed; a packet that read a
 * peer just before it was parted may still enter it, as a packet already
 * received by a port being deleted does.
 */
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "datapath.h"
#include "recirc.h"
#include "vport.h"
#include "vport_patch.h"

/* The patch port named @name in @net, or NULL (vsw_mutex). */
static struct vsw_vport *find_patch(struct net *net, const char *name)
{
	struct vsw_patch *p;

	ASSERT_VSW();
	list_for_each_entry(p, vsw_dp_net_patches(net), node)
		if (!strcmp(p->name, name))
			return p->vport;
	return NULL;
}

static struct vsw_vport *patch_peer(const struct vsw_vport *vport)
{
	return rcu_dereference_protected(vport->patch->peer,
					 lockdep_vsw_is_held());
}

/* Refuses a name a patch port of the netns or a port of @dp has. */
static int check_name(struct vsw_datapath *dp, const char *name,
		      const char *peer_name, struct netlink_ext_ack *extack)
{
	struct vsw_vport *v;
	int id;

	if (!strcmp(name, peer_name)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a patch port cannot be its own peer (PEER equals IFNAME)");
		return -EINVAL;
	}
	if (find_patch(dp->net, name)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a patch port of this name exists in this namespace");
		return -EEXIST;
	}
	idr_for_each_entry(&dp->ports, v, id) {
		if (v && !strcmp(vsw_vport_name(v), name)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "the datapath has a port of this name");
			return -EEXIST;
		}
	}
	return 0;
}

/* Joins @vport to its peer if the peer exists and names it back. */
static void join(struct vsw_vport *vport)
{
	struct vsw_vport *peer = find_patch(vport->dp->net,
					    vport->patch->peer_name);

	if (!peer || strcmp(peer->patch->peer_name, vport->patch->name))
		return;
	/* The peer named us before we existed: nobody else holds it. */
	WARN_ON_ONCE(patch_peer(peer));
	rcu_assign_pointer(peer->patch->peer, vport);
	rcu_assign_pointer(vport->patch->peer, peer);
}

struct vsw_vport *vsw_patch_create(struct vsw_datapath *dp, const char *name,
				   const char *peer_name,
				   const struct vsw_port_config *cfg,
				   struct netlink_ext_ack *extack)
{
	struct vsw_vport *vport;
	struct vsw_patch *patch;
	int id, ret;

	ASSERT_VSW();

	ret = check_name(dp, name, peer_name, extack);
	if (ret < 0)
		return ERR_PTR(ret);
	patch = kzalloc(sizeof(*patch), GFP_KERNEL_ACCOUNT);
	if (!patch)
		return ERR_PTR(-ENOMEM);
	strscpy(patch->name, name, sizeof(patch->name));
	strscpy(patch->peer_name, peer_name, sizeof(patch->peer_name));

	vport = vsw_vport_alloc(dp, 0, VSW_PORT_TYPE_PATCH);
	if (IS_ERR(vport)) {
		kfree(patch);
		return vport;
	}
	vport->patch = patch;	/* freed with the vport */
	patch->vport = vport;

	id = vsw_vport_reserve_no(dp, cfg->port_no, extack);
	if (id < 0) {
		vsw_vport_free_rcu(vport);
		return ERR_PTR(id);
	}
	vport->port_no = id;
	vsw_vport_apply_config(dp, vport, cfg);

	list_add(&patch->node, vsw_dp_net_patches(dp->net));
	join(vport);
	vsw_dp_port_set(dp, id, vport);
	return vport;
}

void vsw_patch_detach(struct vsw_vport *vport)
{
	struct vsw_vport *peer = patch_peer(vport);

	ASSERT_VSW();

	if (peer) {
		RCU_INIT_POINTER(peer->patch->peer, NULL);
		RCU_INIT_POINTER(vport->patch->peer, NULL);
	}
	list_del(&vport->patch->node);
}

void vsw_patch_send(struct vsw_vport *vport, struct sk_buff *skb)
{
	struct vsw_vport *peer = rcu_dereference(vport->patch->peer);
	unsigned int len = skb->len;

	if (unlikely(!peer)) {
		kfree_skb(skb);
		goto dropped;
	}
	if (unlikely(!vsw_recirc_cross(vport->dp, peer, skb)))
		goto dropped;
	vsw_vport_count_tx(vport, len);
	return;

dropped:
	vsw_vport_count(vport, VSW_VPORT_TX_DROPPED);
}
