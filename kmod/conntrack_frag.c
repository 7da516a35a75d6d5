// SPDX-License-Identifier: GPL-2.0
/*
 * IP fragments through conntrack, as the kernel's Open vSwitch datapath
 * handles them.
 *
 * Reassembly: conntrack tracks datagrams, not fragments (a later
 * fragment has no ports), so a CT action gives a fragment to the
 * kernel's own defragmenter first: ip_defrag() for IPv4,
 * nf_ct_frag6_gather() (nf_defrag_ipv6) for IPv6, with the user id
 * netfilter's PRE_ROUTING defrag uses for the same zone
 * (IP_DEFRAG_CONNTRACK_IN + zone), so that a datagram is put together
 * once per zone. A fragment that does not complete its datagram is
 * held by the defragmenter (its queues, memory limits and timeouts are
 * the netns' own: net.ipv4.ipfrag_*, net.netfilter.nf_conntrack_frag6_*)
 * and the action list stops for it; the one that completes it becomes
 * the whole datagram and goes on, with its key extracted anew (not a
 * fragment any more, ports known).
 *
 * Both defragmenters use skb->cb (IPCB, IP6CB) while they work; ours
 * (struct vsw_skb_cb) is saved around them and records the largest
 * fragment's size, the MRU.
 *
 * Refragmentation: an OUTPUT of a packet with an MRU that is longer
 * than the MRU cuts it with ip_do_fragment() / ipv6_stub->ipv6_fragment()
 * into fragments of at most the MRU, so that what leaves is no bigger
 * than what came in. Those functions work on an IP packet routed to a
 * device: the Ethernet header is taken off (and put back on each
 * fragment), and the packet gets, for the duration of the call, a
 * route of our own on the stack whose device is the port's (the MTU is
 * read from it), set without a reference (skb_dst_set_noref()): nothing
 * outlives the call that points to it, since every fragment gets the
 * packet's own dst back before it is sent and ip_do_fragment() frees
 * what it does not send. The original dst (tunnel metadata from
 * SET_TUNNEL or the receiving tunnel device) keeps its reference in
 * struct frag_out until the call is done; each fragment takes one of
 * its own.
 *
 * The per-fragment callback has no argument of ours: the state it needs
 * is on the caller's stack, found through a per-CPU pointer that each
 * vsw_frag_send() saves and restores around its call, so a nested one
 * (a fragment sent through a device whose transmit re-enters a
 * datapath on this CPU) finds its own state and gives the outer one
 * back. Context: RCU read lock, BH off (the CPU is ours).
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/percpu.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ipv6_frag.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/ip6_route.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "conntrack_frag.h"
#include "datapath.h"
#include "vport.h"

/* The key's fields that do not come from the packet survive reassembly:
 * ingress port, recirculation id, tunnel metadata and the CT fields (a
 * CT action fills the latter right after, except for a connection the
 * packet already has).
 */
static void key_reextract(struct sk_buff *skb, unsigned int nh,
			  struct vsw_key *key)
{
	struct vsw_key old = *key;

	__skb_push(skb, nh);
	vsw_key_extract(skb, old.in_port, key);
	__skb_pull(skb, nh);
	key->recirc_id = old.recirc_id;
	key->tun = old.tun;
	key->ct_state = old.ct_state;
	key->ct_zone = old.ct_zone;
	key->ct_mark = old.ct_mark;
	memcpy(key->ct_label, old.ct_label, sizeof(key->ct_label));
	key->ct_orig = old.ct_orig;
}

/* ip_defrag(): 0 with @skb the whole datagram, else @skb is consumed
 * (-EINPROGRESS: held; anything else: dropped, *@dropped set).
 */
static int defrag4(struct net *net, struct sk_buff *skb, u16 zone, u16 *mru,
		   bool *dropped)
{
	int err;

	memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
	err = ip_defrag(net, skb, IP_DEFRAG_CONNTRACK_IN + zone);
	if (err) {
		*dropped = err != -EINPROGRESS;
		return -EINPROGRESS;
	}
	*mru = IPCB(skb)->frag_max_size;
	return 0;
}

/* nf_ct_frag6_gather(): 0 with @skb the whole datagram (*@mru set) or
 * left as it was (*@mru 0); -EINPROGRESS when it is held; another error
 * when it was refused and is still ours.
 */
static int defrag6(struct net *net, struct sk_buff *skb, u16 zone, u16 *mru)
{
	int err;

	if (!IS_ENABLED(CONFIG_NF_DEFRAG_IPV6))
		return -EPFNOSUPPORT;
	memset(IP6CB(skb), 0, sizeof(struct inet6_skb_parm));
	err = nf_ct_frag6_gather(net, skb, IP6_DEFRAG_CONNTRACK_IN + zone);
	if (err)
		return err;
	if (IP6CB(skb)->flags & IP6SKB_FRAGMENTED)
		*mru = IP6CB(skb)->frag_max_size;
	return 0;
}

int vsw_ct_defrag(struct net *net, struct sk_buff *skb, unsigned int nh,
		  u16 zone, struct vsw_key *key, bool *dropped)
{
	struct vsw_skb_cb cb = *vsw_cb(skb);
	u16 mru = 0;
	int err;

	*dropped = false;
	/* ip_defrag() finds its queue through the device (l3mdev); every
	 * way into a datapath sets one
	 */
	if (unlikely(!skb->dev))
		return -ENODEV;
	if (key->eth_type == htons(ETH_P_IP))
		err = defrag4(net, skb, zone, &mru, dropped);
	else
		err = defrag6(net, skb, zone, &mru);
	if (err)
		return err;
	*vsw_cb(skb) = cb;
	if (!mru)
		return 0;	/* IPv6 passed on as it was */
	/* The datagram is the head fragment's skb data in the skb that
	 * completed it: its L2 header must be as long as ours was.
	 */
	if (unlikely(skb_network_header(skb) - skb_mac_header(skb) != nh)) {
		kfree_skb(skb);
		*dropped = true;
		return -EINPROGRESS;
	}
	vsw_cb(skb)->mru = max(mru, cb.mru);
	skb->ignore_df = 1;
	skb_clear_hash(skb);
	key_reextract(skb, nh, key);
	return 0;
}

/* The state the per-fragment callback needs; see the top of the file. */
struct frag_out {
	struct vsw_vport *vport;
	unsigned long refdst;		/* the packet's own dst, referenced */
	bool tagged;			/* an out-of-band VLAN tag */
	__be16 vlan_proto;
	u16 vlan_tci;
	unsigned int l2_len;
	u8 l2[VLAN_ETH_HLEN];
};

static DEFINE_PER_CPU(struct frag_out *, frag_out_now);

/* ip_do_fragment()'s output: one fragment, its L2 header and metadata
 * put back, out of the port.
 */
static int frag_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	const struct frag_out *f = __this_cpu_read(frag_out_now);

	if (skb_cow_head(skb, f->l2_len)) {
		kfree_skb(skb);
		vsw_vport_count(f->vport, VSW_VPORT_TX_DROPPED);
		return -ENOMEM;
	}
	__skb_dst_copy(skb, f->refdst);
	if (f->tagged)
		__vlan_hwaccel_put_tag(skb, f->vlan_proto, f->vlan_tci);
	else
		__vlan_hwaccel_clear_tag(skb);
	__skb_push(skb, f->l2_len);
	memcpy(skb->data, f->l2, f->l2_len);
	skb_postpush_rcsum(skb, skb->data, f->l2_len);
	skb_reset_mac_header(skb);
	vsw_cb_init(skb, 0);
	vsw_vport_send(f->vport, skb);
	return 0;
}

static unsigned int frag_dst_mtu(const struct dst_entry *dst)
{
	return READ_ONCE(dst->dev->mtu);
}

/* The route ip_do_fragment() and ip6_fragment() read the device and
 * the MTU from; never referenced, never freed.
 */
static struct dst_ops frag_dst_ops = {
	.family = AF_UNSPEC,
	.mtu = frag_dst_mtu,
};

/* Takes the L2 header off @skb into @f and gives @skb @dst instead of
 * its own (kept in @f with its reference).
 */
static void frag_prepare(struct frag_out *f, struct sk_buff *skb,
			 struct dst_entry *dst)
{
	f->tagged = skb_vlan_tag_present(skb);
	f->vlan_proto = skb->vlan_proto;
	f->vlan_tci = f->tagged ? skb_vlan_tag_get(skb) : 0;
	memcpy(f->l2, skb->data, f->l2_len);
	/* the fragments' checksums are computed anew */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	__skb_pull(skb, f->l2_len);
	skb_reset_network_header(skb);
	f->refdst = skb->_skb_refdst;
	skb->_skb_refdst = 0;
	skb_dst_set_noref(skb, dst);
	skb->ignore_df = 1;
}

static void fragment4(struct net *net, struct frag_out *f,
		      struct sk_buff *skb, u16 mru)
{
	struct rtable rt = {};

	dst_init(&rt.dst, &frag_dst_ops, NULL, 1, DST_OBSOLETE_NONE,
		 DST_NOCOUNT);
	rt.dst.dev = f->vport->dev;
	frag_prepare(f, skb, &rt.dst);
	memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
	IPCB(skb)->frag_max_size = mru;
	ip_do_fragment(net, skb->sk, skb, frag_output);
}

static void fragment6(struct net *net, struct frag_out *f,
		      struct sk_buff *skb, u16 mru)
{
	struct rt6_info rt;

	memset(&rt, 0, sizeof(rt));
	dst_init(&rt.dst, &frag_dst_ops, NULL, 1, DST_OBSOLETE_NONE,
		 DST_NOCOUNT);
	rt.dst.dev = f->vport->dev;
	frag_prepare(f, skb, &rt.dst);
	memset(IP6CB(skb), 0, sizeof(struct inet6_skb_parm));
	IP6CB(skb)->frag_max_size = mru;
	ipv6_stub->ipv6_fragment(net, skb->sk, skb, frag_output);
}

static unsigned int l2_len(const struct sk_buff *skb)
{
	__be16 proto, *p;

	p = skb_header_pointer(skb, 12, sizeof(proto), &proto);
	return p && eth_type_vlan(*p) ? VLAN_ETH_HLEN : ETH_HLEN;
}

/* Whether @skb has a linear IPv4 or IPv6 header after @l2 bytes, as
 * the fragmenters expect (a PACKET_EXECUTE frame with an MRU may have
 * anything there).
 */
static bool ip_header_ok(struct sk_buff *skb, unsigned int l2, bool v4)
{
	const struct iphdr *iph;

	if (!v4)
		return pskb_may_pull(skb, l2 + sizeof(struct ipv6hdr)) &&
		       ((struct ipv6hdr *)(skb->data + l2))->version == 6;
	if (!pskb_may_pull(skb, l2 + sizeof(*iph)))
		return false;
	iph = (const struct iphdr *)(skb->data + l2);
	return iph->version == 4 && iph->ihl >= 5 &&
	       pskb_may_pull(skb, l2 + iph->ihl * 4);
}

void vsw_frag_send(struct vsw_datapath *dp, struct vsw_vport *vport,
		   struct sk_buff *skb, const struct vsw_key *key)
{
	u16 mru = vsw_cb(skb)->mru;
	struct frag_out f, *outer;
	bool v4 = key->eth_type == htons(ETH_P_IP);

	f.l2_len = l2_len(skb);
	if (!vport->dev || skb->len <= f.l2_len + mru ||
	    (!v4 && key->eth_type != htons(ETH_P_IPV6))) {
		vsw_vport_send(vport, skb);
		return;
	}
	if (mru > READ_ONCE(vport->dev->mtu) ||
	    unlikely(!ip_header_ok(skb, f.l2_len, v4))) {
		kfree_skb(skb);
		vsw_vport_count(vport, VSW_VPORT_TX_DROPPED);
		return;
	}
	vsw_dp_count_ct(dp, BIT(VSW_CT_COUNT_REFRAGMENTED));
	f.vport = vport;
	outer = __this_cpu_read(frag_out_now);
	__this_cpu_write(frag_out_now, &f);
	if (v4)
		fragment4(dp->net, &f, skb, mru);
	else
		fragment6(dp->net, &f, skb, mru);
	__this_cpu_write(frag_out_now, outer);
	refdst_drop(f.refdst);
}
