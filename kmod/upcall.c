// SPDX-License-Identifier: GPL-2.0
/*
 * Upcalls to userspace, never blocking.
 *
 * Dispatch. A miss goes to one netlink port of the datapath's
 * UPCALL_PIDS, chosen by the packet's flow hash: skb_get_hash(), which is
 * the device's or the sender's hash when the skb carries one and is
 * otherwise computed here by the flow dissector (upcalls only: the
 * microflow lookup takes the raw hash and never computes one). Every
 * packet of one flow therefore reaches the same handler socket in order,
 * whichever CPU received it (no reordering of a flow's setup), and new
 * flows spread over all handlers even when they all arrive on one CPU: a
 * single VM or tap queue opening connections keeps every handler busy,
 * not one. The number of sockets grows with handlers, not with ports.
 *
 * Fairness. Per-CPU dispatch alone gives a port that floods new flows
 * the whole upcall capacity. Two mechanisms stop that:
 *
 * 1. A token bucket per ingress port: UPCALL_RATE tokens per second, at
 *    most UPCALL_BURST stored (the datapath's defaults unless the port
 *    overrides them; rate 0 = unlimited). A miss without a token is
 *    refused and counted UPCALL_LIMITED on the port (and LOST on the
 *    datapath).
 *
 * 2. A congestion fair share. Time is cut into windows of
 *    VSW_FAIR_WINDOW. When a handler socket was found full (-EAGAIN /
 *    -ENOBUFS) within the last VSW_FAIR_HOLD, the datapath is congested
 *    and each port may send at most
 *        max(VSW_FAIR_MIN_SHARE, delivered_last_window / active_ports)
 *    upcalls per window, where active_ports counts the ports that asked
 *    for an upcall in the current window. The socket's observed drain
 *    rate is thus split evenly between the ports that want it, so a
 *    flooding port cannot fill the queue ahead of a quiet one. Refusals
 *    count as UPCALL_LIMITED too. Without congestion only the buckets
 *    apply.
 *
 * All of this state sits under the datapath's fair.lock, a spinlock
 * taken only on misses (BH disabled).
 *
 * Isolation. The above still puts every port's misses into the same
 * handler sockets: a flooder keeps them full, so a quiet port's miss,
 * admitted by its bucket, finds no room (measured end to end: a third of
 * a 300/s port's new flows lost beside a pktgen flooder). A port given
 * an UPCALL_PID of its own (vswitchd gives one to every port and serves
 * them round-robin) sends its misses there only. A flooder then fills
 * its own socket and no other; once that socket refused a miss, the
 * port's misses are shed until the next jiffy before any message is
 * built (a full socket holds far more than a jiffy of the daemon's work,
 * so nothing is shed that would have fitted), counted UPCALL_LOST. Such
 * a port also never marks the datapath congested: its full socket says
 * nothing about the shared ones.
 *
 * Lost upcalls (no pids configured, socket full, no memory) are counted
 * UPCALL_LOST on the port and LOST on the datapath.
 */
#include <linux/if_vlan.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <asm/unaligned.h>
#include <net/genetlink.h>

#include "actions.h"
#include "conntrack_frag.h"
#include "datapath.h"
#include "flow_netlink.h"
#include "netlink.h"
#include "upcall.h"
#include "vport.h"

#define VSW_FAIR_WINDOW		(HZ / 50 ? HZ / 50 : 1)
#define VSW_FAIR_HOLD		(HZ / 10 ? HZ / 10 : 1)
#define VSW_FAIR_MIN_SHARE	4
/* Largest frame copied into an upcall; longer ones are cut (LEN says). */
#define VSW_UPCALL_MAX_PACKET	(U16_MAX - 1024)

void vsw_upcall_fair_init(struct vsw_upcall_fair *fair)
{
	spin_lock_init(&fair->lock);
	fair->win_start = jiffies;
	fair->win_id = 1;	/* buckets start at 0: "not yet active" */
	atomic_set(&fair->win_delivered, 0);
	fair->congested_until = jiffies;
}

void vsw_upcall_bucket_init(struct vsw_upcall_bucket *b, bool use_default,
			    u32 rate, u32 burst)
{
	b->use_dp_default = use_default;
	b->rate = rate;
	b->burst = burst;
	b->tokens = 0;
	b->last_ns = 0;		/* the first refill fills the bucket */
	b->win_id = 0;
	b->win_sent = 0;
}

void vsw_upcall_bucket_get(struct vsw_datapath *dp,
			   struct vsw_upcall_bucket *b, u32 *rate, u32 *burst)
{
	if (READ_ONCE(b->use_dp_default)) {
		*rate = READ_ONCE(dp->upcall_rate);
		*burst = READ_ONCE(dp->upcall_burst);
	} else {
		*rate = READ_ONCE(b->rate);
		*burst = READ_ONCE(b->burst);
	}
}

void vsw_upcall_bucket_set(struct vsw_datapath *dp,
			   struct vsw_upcall_bucket *b, u32 rate, u32 burst)
{
	ASSERT_VSW();
	spin_lock_bh(&dp->fair.lock);
	b->use_dp_default = false;
	b->rate = rate;
	b->burst = burst;
	spin_unlock_bh(&dp->fair.lock);
}

/* Takes one token; tokens are kept in units of 1e-9 upcall. */
static bool bucket_take(struct vsw_upcall_bucket *b, u32 rate, u32 burst)
{
	u64 now = ktime_get_ns();
	u64 cap, elapsed, full_ns;

	if (!rate)
		return true;
	cap = (u64)burst * NSEC_PER_SEC;
	elapsed = now - b->last_ns;
	b->last_ns = now;
	/* Past full_ns the bucket is full; before, elapsed * rate <= cap
	 * cannot overflow.
	 */
	full_ns = div_u64(cap, rate);
	if (elapsed >= full_ns)
		b->tokens = cap;
	else
		b->tokens = min(cap, b->tokens + elapsed * rate);
	if (b->tokens < NSEC_PER_SEC)
		return false;
	b->tokens -= NSEC_PER_SEC;
	return true;
}

/* The congestion fair share; see the comment at the top. */
static bool fair_share_allows(struct vsw_upcall_fair *f,
			      struct vsw_upcall_bucket *b)
{
	unsigned long now = jiffies;
	u32 share;

	if (time_after_eq(now, f->win_start + VSW_FAIR_WINDOW)) {
		f->win_start = now;
		f->win_id++;
		f->win_active = 0;
		f->prev_delivered = atomic_xchg(&f->win_delivered, 0);
	}
	if (b->win_id != f->win_id) {
		b->win_id = f->win_id;
		b->win_sent = 0;
		f->win_active++;
	}
	if (!time_before(now, READ_ONCE(f->congested_until)))
		return true;
	share = max_t(u32, f->prev_delivered / f->win_active,
		      VSW_FAIR_MIN_SHARE);
	return b->win_sent < share;
}

static bool upcall_admit(struct vsw_datapath *dp, struct vsw_vport *vport)
{
	struct vsw_upcall_bucket *b = &vport->bucket;
	bool ok = false;
	u32 rate, burst;

	spin_lock(&dp->fair.lock);
	vsw_upcall_bucket_get(dp, b, &rate, &burst);
	if (fair_share_allows(&dp->fair, b) && bucket_take(b, rate, burst)) {
		b->win_sent++;
		ok = true;
	}
	spin_unlock(&dp->fair.lock);
	return ok;
}

static size_t upcall_msg_size(unsigned int pkt_len)
{
	return NLMSG_ALIGN(GENL_HDRLEN)
		+ nla_total_size(IFNAMSIZ)	/* DP_NAME */
		+ nla_total_size(sizeof(u32))	/* IN_PORT */
		+ vsw_key_attr_size()		/* KEY */
		+ nla_total_size(pkt_len)	/* PACKET */
		+ nla_total_size(sizeof(u32))	/* LEN */
		+ nla_total_size_64bit(sizeof(u64)) /* COOKIE */
		+ nla_total_size(sizeof(u16));	/* MRU */
}

/*
 * Copies the first @len bytes of the frame as it was on the wire: a tag
 * the device delivered out of band (VLAN acceleration, e.g. veth) is put
 * back after the MAC addresses, because userspace re-injects these bytes
 * with actions (pop_vlan...) computed from a key that has the tag.
 */
static int upcall_copy_frame(const struct sk_buff *skb, u8 *to,
			     unsigned int len)
{
	const unsigned int macs = 2 * ETH_ALEN;

	if (!skb_vlan_tag_present(skb))
		return skb_copy_bits(skb, 0, to, len);
	if (skb->len < macs || len < macs + VLAN_HLEN)
		return -EINVAL;
	if (skb_copy_bits(skb, 0, to, macs))
		return -EFAULT;
	put_unaligned(skb->vlan_proto, (__be16 *)(to + macs));
	put_unaligned(htons(skb_vlan_tag_get(skb)), (__be16 *)(to + macs + 2));
	return skb_copy_bits(skb, macs, to + macs + VLAN_HLEN,
			     len - macs - VLAN_HLEN);
}

/* Queues one non-GSO frame. Returns 0 or a negative errno. */
static int upcall_queue_one(struct vsw_datapath *dp, struct sk_buff *skb,
			    const struct vsw_key *key, u8 cmd, u64 cookie,
			    u32 pid)
{
	unsigned int wire_len = skb->len +
		(skb_vlan_tag_present(skb) ? VLAN_HLEN : 0);
	unsigned int len = min_t(unsigned int, wire_len, VSW_UPCALL_MAX_PACKET);
	struct sk_buff *msg;
	struct nlattr *pkt;
	void *hdr;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -EINVAL;

	msg = genlmsg_new(upcall_msg_size(len), GFP_ATOMIC);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &vsw_genl_family, 0, cmd);
	if (!hdr)
		goto err_free_msg;
	if (nla_put_string(msg, VSW_PACKET_ATTR_DP_NAME, dp->name) ||
	    nla_put_u32(msg, VSW_PACKET_ATTR_IN_PORT, key->in_port) ||
	    vsw_nla_put_key(msg, VSW_PACKET_ATTR_KEY, key, NULL))
		goto err_free_msg;
	pkt = nla_reserve(msg, VSW_PACKET_ATTR_PACKET, len);
	if (!pkt || upcall_copy_frame(skb, nla_data(pkt), len))
		goto err_free_msg;
	if (len < wire_len &&
	    nla_put_u32(msg, VSW_PACKET_ATTR_LEN, wire_len))
		goto err_free_msg;
	if (cmd == VSW_CMD_ACTION &&
	    nla_put_u64_64bit(msg, VSW_PACKET_ATTR_COOKIE, cookie,
			      VSW_PACKET_ATTR_PAD))
		goto err_free_msg;
	if (vsw_cb(skb)->mru &&
	    nla_put_u16(msg, VSW_PACKET_ATTR_MRU, vsw_cb(skb)->mru))
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	/* Never blocks: a full socket gives -EAGAIN. Consumes @msg. */
	return genlmsg_unicast(dp->net, msg, pid);

err_free_msg:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* Queues @skb (not consumed), segmenting GSO frames first so userspace
 * sees (and re-injects) frames the wire can carry.
 */
static int upcall_queue(struct vsw_datapath *dp, struct sk_buff *skb,
			const struct vsw_key *key, u8 cmd, u64 cookie, u32 pid)
{
	struct sk_buff *segs, *seg, *next;
	int ret = 0;

	if (!skb_is_gso(skb))
		return upcall_queue_one(dp, skb, key, cmd, cookie, pid);

	segs = __skb_gso_segment(skb, NETIF_F_SG, false);
	if (IS_ERR_OR_NULL(segs))
		return segs ? PTR_ERR(segs) : -EINVAL;
	skb_list_walk_safe(segs, seg, next) {
		if (!ret)
			ret = upcall_queue_one(dp, seg, key, cmd, cookie, pid);
		kfree_skb(seg);
	}
	return ret;
}

/* The netlink port for upcalls of @skb's flow, or 0 if none is set. */
static u32 upcall_pid(struct vsw_datapath *dp, struct sk_buff *skb)
{
	struct vsw_upcall_pids *pids = rcu_dereference(dp->upcall_pids);

	if (!pids || !pids->n)
		return 0;
	return pids->pids[reciprocal_scale(skb_get_hash(skb), pids->n)];
}

/* A shared handler socket refused an upcall: the fair share applies. */
static void note_congestion(struct vsw_datapath *dp, int err)
{
	if (err == -EAGAIN || err == -ENOBUFS)
		WRITE_ONCE(dp->fair.congested_until, jiffies + VSW_FAIR_HOLD);
}

/* A miss of a port with a socket of its own (see Isolation above). */
static int upcall_own_socket(struct vsw_datapath *dp, struct vsw_vport *vport,
			     struct sk_buff *skb, const struct vsw_key *key,
			     u32 pid)
{
	int err;

	if (time_before(jiffies, READ_ONCE(vport->shed_until)))
		return -EAGAIN;
	if (!upcall_admit(dp, vport))
		return -EDQUOT;
	err = upcall_queue(dp, skb, key, VSW_CMD_MISS, 0, pid);
	if (err == -EAGAIN || err == -ENOBUFS)
		WRITE_ONCE(vport->shed_until, jiffies + 1);
	return err;
}

void vsw_upcall_miss(struct vsw_datapath *dp, struct vsw_vport *vport,
		     struct sk_buff *skb, const struct vsw_key *key)
{
	u32 pid = READ_ONCE(vport->upcall_pid);
	int err;

	if (pid) {
		err = upcall_own_socket(dp, vport, skb, key, pid);
	} else if (!upcall_admit(dp, vport)) {
		err = -EDQUOT;
	} else {
		pid = upcall_pid(dp, skb);
		err = pid ? upcall_queue(dp, skb, key, VSW_CMD_MISS, 0, pid)
			  : -ENOTCONN;
		note_congestion(dp, err);
	}
	if (err == -EDQUOT) {
		vsw_vport_count(vport, VSW_VPORT_UPCALL_LIMITED);
		vsw_dp_count_lost(dp);
		return;
	}
	if (err) {
		vsw_vport_count(vport, VSW_VPORT_UPCALL_LOST);
		vsw_dp_count_lost(dp);
		return;
	}
	atomic_inc(&dp->fair.win_delivered);
	vsw_vport_count(vport, VSW_VPORT_UPCALL_SENT);
}

void vsw_upcall_action(struct vsw_datapath *dp, struct sk_buff *skb,
		       const struct vsw_key *key, u64 cookie, u32 pid)
{
	int err;

	if (!pid)
		pid = upcall_pid(dp, skb);
	err = pid ? upcall_queue(dp, skb, key, VSW_CMD_ACTION, cookie, pid)
		  : -ENOTCONN;
	if (err) {
		note_congestion(dp, err);
		vsw_dp_count_lost(dp);
	}
}
