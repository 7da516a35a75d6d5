/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Action lists: validated at install time against the flow's match, kept
 * as a private copy of the VSW_ACTION_ATTR_* attributes, executed per
 * packet. Implemented in actions.c (execution) and flow_netlink.c
 * (validation and copying).
 */
#ifndef _VSW_ACTIONS_H
#define _VSW_ACTIONS_H

#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include "flow.h"

struct vsw_datapath;

/* A validated action list. Immutable once published; freed after an RCU
 * grace period by vsw_actions_free().
 */
struct vsw_actions {
	struct rcu_head rcu;
	u32 len;			/* bytes of attrs */
	u32 n_outputs;			/* OUTPUT actions, to know when to copy */
	struct nlattr attrs[];		/* VSW_ACTION_ATTR_*, in order */
};

/* Validates @attr (a VSW_*_ATTR_ACTIONS nest) for a flow matching @key
 * under @mask (@mask NULL = exact, as for PACKET_EXECUTE): known types,
 * exact lengths, at most VSW_MAX_ACTIONS, set actions only where the
 * match guarantees the header. Returns a new list or ERR_PTR with an
 * extack message naming the offending action. Process context.
 */
struct vsw_actions *vsw_actions_create(const struct nlattr *attr,
				       const struct vsw_key *key,
				       const struct vsw_key *mask,
				       struct netlink_ext_ack *extack);
void vsw_actions_free(struct vsw_actions *acts);	/* RCU-deferred */
void vsw_actions_free_now(struct vsw_actions *acts);	/* never published */

/* Puts the list as a nest of type @attrtype. */
int vsw_actions_put(struct sk_buff *skb, int attrtype,
		    const struct vsw_actions *acts);

/* Executes @acts on @skb (data at the Ethernet header) whose key is @key
 * (updated by set actions). Consumes @skb in all cases. Called under RCU
 * with BH disabled; never sleeps.
 */
void vsw_execute_actions(struct vsw_datapath *dp, struct sk_buff *skb,
			 struct vsw_key *key, const struct vsw_actions *acts);

/*
 * Provided by the datapath (upcall.c) for execution; runs under RCU with
 * BH disabled.
 *
 * Queues a copy of @skb to userspace as VSW_CMD_ACTION with @cookie, to
 * netlink port @pid (0 = the socket misses from this CPU go to). Does not
 * consume @skb.
 */
void vsw_dp_upcall_action(struct vsw_datapath *dp, struct sk_buff *skb,
			  const struct vsw_key *key, u64 cookie, u32 pid);

#endif /* _VSW_ACTIONS_H */
