/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Upcalls: misses (VSW_CMD_MISS) and userspace actions (VSW_CMD_ACTION)
 * queued to a netlink socket, never blocking, with per-port token buckets
 * and a congestion fair share. The algorithm is described in upcall.c.
 */
#ifndef _VSW_UPCALL_H
#define _VSW_UPCALL_H

#include <linux/atomic.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include "flow.h"

struct vsw_datapath;
struct vsw_vport;

/* Per-port state, protected by the datapath's vsw_upcall_fair.lock. */
struct vsw_upcall_bucket {
	u32 rate;			/* upcalls/s; 0 = unlimited */
	u32 burst;			/* depth in upcalls */
	bool use_dp_default;		/* rate/burst follow the datapath */
	u64 tokens;			/* in 1e-9 upcalls */
	u64 last_ns;			/* last refill */
	u32 win_id;			/* fair-share window last active in */
	u32 win_sent;			/* upcalls admitted in that window */
};

/* Datapath-wide fairness state. */
struct vsw_upcall_fair {
	spinlock_t lock;
	unsigned long win_start;	/* jiffies */
	u32 win_id;
	u32 win_active;			/* ports that asked in this window */
	u32 prev_delivered;		/* upcalls delivered last window */
	atomic_t win_delivered;
	unsigned long congested_until;	/* jiffies; socket was full */
};

void vsw_upcall_fair_init(struct vsw_upcall_fair *fair);
/* @rate/@burst: a per-port override; @use_default: follow the datapath. */
void vsw_upcall_bucket_init(struct vsw_upcall_bucket *b, bool use_default,
			    u32 rate, u32 burst);
/* Changes a live port's bucket (vsw_mutex held). */
void vsw_upcall_bucket_set(struct vsw_datapath *dp,
			   struct vsw_upcall_bucket *b, u32 rate, u32 burst);
/* The rate and burst in effect for a port. */
void vsw_upcall_bucket_get(struct vsw_datapath *dp,
			   struct vsw_upcall_bucket *b, u32 *rate, u32 *burst);

/* Sends a miss for @skb (not consumed) with its exact @key arriving on
 * @vport, accounting it on the port and the datapath. RCU, BH off.
 */
void vsw_upcall_miss(struct vsw_datapath *dp, struct vsw_vport *vport,
		     struct sk_buff *skb, const struct vsw_key *key);

/* Queues a copy of @skb to userspace as VSW_CMD_ACTION with @cookie, to
 * netlink port @pid (0 = the socket misses from this CPU go to), for the
 * USERSPACE action. Does not consume @skb. RCU, BH off.
 */
void vsw_upcall_action(struct vsw_datapath *dp, struct sk_buff *skb,
		       const struct vsw_key *key, u64 cookie, u32 pid);

#endif /* _VSW_UPCALL_H */
