// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred recirculation.
 *
 * A RECIRC action does not look its packet up at once: that would nest
 * one lookup and action list inside another on the stack for every pass.
 * It copies the key and queues the packet on this CPU's FIFO. The first
 * vsw_execute_actions() on the CPU (from a port's receive, the local
 * port's transmit, PACKET_EXECUTE or FLOW_NEW's PACKET) is the outermost
 * one; when its list is done it runs the queue until it is empty, and
 * the passes it runs may queue more. Nested executions (a packet sent to
 * a local port comes back into a datapath on the same CPU) only queue.
 *
 * An OUTPUT to a patch port (vport_patch.c) is a pass too, in the peer's
 * datapath: vsw_recirc_cross() queues the packet with a fresh key, so a
 * crossing never nests either, and a loop of patch ports meets the same
 * bound as a loop of RECIRCs.
 *
 * Bounds: each entry remembers how many passes its packet has made; a
 * RECIRC (or crossing) at VSW_MAX_RECIRC passes is a loop, and its packet
 * is dropped. The queue holds RECIRC_QUEUE_LEN packets; past that a
 * packet is dropped too (each pass may queue clones, and a burst of them
 * must not grow without bound). Both drops are counted per datapath.
 *
 * Context: RCU read lock, bottom halves disabled, so the CPU and its
 * queue are ours and the datapaths the entries point to stay alive until
 * the queue is empty (a datapath, and a vport, is freed after a grace
 * period).
 */
#include <linux/percpu.h>
#include <linux/skbuff.h>

#include <net/netfilter/nf_conntrack.h>

#include "datapath.h"
#include "recirc.h"
#include "vport.h"

#define RECIRC_QUEUE_LEN	16

struct deferred {
	struct vsw_datapath *dp;
	struct vsw_vport *vport;	/* a crossing's peer port, else NULL */
	struct sk_buff *skb;
	u8 pass;			/* passes so far, >= 1 */
	struct vsw_key key;
};

struct recirc_queue {
	bool running;			/* an outermost execution is on */
	u8 pass;			/* passes made by the packet whose
					 * actions run now (0: a fresh one)
					 */
	u8 head;			/* the entry running or next to */
	u8 n;				/* entries, the running one included */
	struct deferred q[RECIRC_QUEUE_LEN];
};

static DEFINE_PER_CPU(struct recirc_queue, recirc_queue);

bool vsw_recirc_begin(void)
{
	struct recirc_queue *q = this_cpu_ptr(&recirc_queue);

	if (q->running)
		return false;
	q->running = true;
	return true;
}

/* Takes the queue's next slot for a packet of @dp, or returns NULL when
 * the packet is at VSW_MAX_RECIRC passes or the queue is full: @dp's
 * RECIRC_DROPPED counts it, and the caller drops it.
 */
static struct deferred *take_slot(struct recirc_queue *q,
				  struct vsw_datapath *dp, const char *what)
{
	struct deferred *d;

	if (unlikely(q->pass >= VSW_MAX_RECIRC || q->n >= RECIRC_QUEUE_LEN)) {
		net_warn_ratelimited("vswitch %s: %s, dropping a %s\n",
				     dp->name, q->n >= RECIRC_QUEUE_LEN ?
				     "recirculation queue full" :
				     "recirculation loop", what);
		vsw_dp_count_recirc(dp, true);
		return NULL;
	}
	d = &q->q[(q->head + q->n) % RECIRC_QUEUE_LEN];
	d->pass = q->pass + 1;
	return d;
}

void vsw_recirc_defer(struct vsw_datapath *dp, struct sk_buff *skb,
		      const struct vsw_key *key, u32 id)
{
	struct recirc_queue *q = this_cpu_ptr(&recirc_queue);
	struct deferred *d = take_slot(q, dp, "recirculated packet");

	if (unlikely(!d)) {
		kfree_skb(skb);
		return;
	}
	q->n++;
	d->dp = dp;
	d->vport = NULL;
	d->skb = skb;
	d->key = *key;
	d->key.recirc_id = id;
	vsw_dp_count_recirc(dp, false);
}

bool vsw_recirc_cross(struct vsw_datapath *dp, struct vsw_vport *peer,
		      struct sk_buff *skb)
{
	struct recirc_queue *q = this_cpu_ptr(&recirc_queue);
	struct deferred *d = take_slot(q, dp, "packet crossing a patch port");

	if (unlikely(!d))
		goto drop;
	/* What the peer must not see: the tunnel metadata (received, or set
	 * by SET_TUNNEL) and the connection; the key below is fresh.
	 */
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	if (unlikely(vsw_key_extract(skb, peer->port_no, &d->key)))
		goto drop;
	q->n++;
	d->dp = peer->dp;
	d->vport = peer;
	d->skb = skb;
	vsw_vport_count_rx(peer, skb->len);
	return true;

drop:
	kfree_skb(skb);
	return false;
}

void vsw_recirc_run(void)
{
	struct recirc_queue *q = this_cpu_ptr(&recirc_queue);
	struct deferred *d;

	/* The running entry keeps its slot (counted in n) until its pass is
	 * done, so what the pass queues never overwrites its key.
	 */
	while (q->n) {
		d = &q->q[q->head];
		q->pass = d->pass;
		vsw_dp_classify(d->dp, d->vport, d->skb, &d->key);
		q->head = (q->head + 1) % RECIRC_QUEUE_LEN;
		q->n--;
	}
	q->pass = 0;
	q->running = false;
}
