/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IP fragments and the CT action: a fragment is reassembled before
 * conntrack sees it, and the reassembled packet is fragmented again at
 * OUTPUT, to the size of the largest fragment it was made of (its MRU,
 * "maximum received unit", kept in the packet's control block).
 */
#ifndef _VSW_CONNTRACK_FRAG_H
#define _VSW_CONNTRACK_FRAG_H

#include <linux/skbuff.h>
#include "flow.h"

struct vsw_datapath;
struct vsw_vport;

/* What a packet carries in skb->cb while it is in a datapath. Set on
 * entry: zero by vsw_dp_process(), from userspace's MRU for a PACKET it
 * sends; a patch crossing keeps it.
 */
struct vsw_skb_cb {
	u16 mru;	/* largest fragment of a datagram a CT action
			 * reassembled (bytes of IP packet); 0 otherwise
			 */
};

static inline struct vsw_skb_cb *vsw_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct vsw_skb_cb) > sizeof(skb->cb));
	return (struct vsw_skb_cb *)skb->cb;
}

static inline void vsw_cb_init(struct sk_buff *skb, u16 mru)
{
	vsw_cb(skb)->mru = mru;
}

/* Reassembles the fragment @skb (data at its IP header, @nh bytes of L2
 * header before it) in conntrack zone @zone of @net. Returns 0 when @skb
 * is now the whole datagram (its MRU recorded, @key's L3/L4 fields
 * extracted anew, metadata and CT fields kept) or was left as it came
 * (an IPv6 fragment the defragmenter passes on); -EINPROGRESS when @skb
 * was consumed: held until the datagram is complete, or dropped by the
 * defragmenter (*@dropped set); another negative errno when @skb could
 * not be taken (the caller still owns it). RCU, BH off.
 */
int vsw_ct_defrag(struct net *net, struct sk_buff *skb, unsigned int nh,
		  u16 zone, struct vsw_key *key, bool *dropped);

/* OUTPUT of @skb (data at the Ethernet header), a packet with an MRU,
 * to @vport: sent whole when it fits in MRU bytes of IP packet (and to a
 * patch port, which has no MTU), fragmented to MRU-sized fragments when
 * the MRU fits in the port's MTU, dropped and counted in the port's
 * TX_DROPPED otherwise (or when its IP header is malformed). Consumes
 * @skb. RCU, BH off.
 */
void vsw_frag_send(struct vsw_datapath *dp, struct vsw_vport *vport,
		   struct sk_buff *skb, const struct vsw_key *key);

#endif /* _VSW_CONNTRACK_FRAG_H */
