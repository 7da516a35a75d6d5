/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Action lists: validated at install time against the flow's match, kept
 * as a private copy of the VSW_ACTION_ATTR_* attributes (flow_netlink.h
 * creates, frees and puts them), executed per packet (here, actions.c).
 */
#ifndef _VSW_ACTIONS_H
#define _VSW_ACTIONS_H

#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include "flow.h"

struct nf_conn;
struct vsw_datapath;
struct metadata_dst;

/* A validated action list. Immutable once published; freed after an RCU
 * grace period by vsw_actions_free().
 */
struct vsw_actions {
	struct rcu_head rcu;
	u32 len;			/* bytes of attrs */
	u32 n_outputs;			/* OUTPUT actions, to know when to copy */
	u32 n_ct;			/* CT actions */
	struct nf_conn **ct_tmpl;	/* per CT action: its zone's template,
					 * or NULL for zone 0 (conntrack.c);
					 * NULL when no CT needs one
					 */
	u32 n_tun;			/* SET_TUNNEL actions */
	/* the n-th SET_TUNNEL's metadata, one reference each, held until
	 * the list is freed
	 */
	struct metadata_dst **tun;
	struct nlattr attrs[];		/* VSW_ACTION_ATTR_*, in order */
};

/* Executes @acts on @skb (data at the Ethernet header) whose key is @key
 * (updated by set actions). Consumes @skb in all cases. Called under RCU
 * with BH disabled; never sleeps.
 */
void vsw_execute_actions(struct vsw_datapath *dp, struct sk_buff *skb,
			 struct vsw_key *key, const struct vsw_actions *acts);

#endif /* _VSW_ACTIONS_H */
