/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CT and CT_CLEAR actions on the kernel's nf_conntrack: checking
 * them at install time, the zone templates an action list keeps, and
 * running them on a packet.
 */
#ifndef _VSW_CONNTRACK_H
#define _VSW_CONNTRACK_H

#include <linux/skbuff.h>
#include <net/netlink.h>
#include "flow.h"

struct nf_conn;
struct vsw_actions;
struct vsw_datapath;

#define VSW_CT_LABEL_BITS	128

/* Per network namespace, from vswitch's pernet init and exit: connection
 * labels in use there (nf_connlabels_get/put). Process context.
 */
int vsw_ct_net_init(struct net *net);
void vsw_ct_net_exit(struct net *net);

/* Checks a VSW_ACTION_ATTR_CT nest already validated by its policy: the
 * combinations of its attributes, and NAT addresses against the family of
 * the flow's @key (an exact IPv4 or IPv6 ETH_TYPE). Returns 0, -EINVAL or
 * -EOPNOTSUPP (an option the kernel lacks) with extack.
 */
int vsw_ct_check(const struct nlattr *attr, const struct vsw_key *key,
		 struct netlink_ext_ack *extack);

/* Gives @acts one conntrack template per CT action in a zone other than
 * 0 (@acts->ct_tmpl, NULL if none is needed), for @net. Process context;
 * returns 0 or -ENOMEM.
 */
int vsw_ct_tmpls_create(struct vsw_actions *acts, struct net *net);
/* Drops the templates (any context). */
void vsw_ct_tmpls_free(struct vsw_actions *acts);

/* Runs CT action @attr (@tmpl its template or NULL) on @skb (data at
 * the Ethernet header) in @dp's namespace; updates @key's CT_* fields and
 * @dp's CT counters. A fragment is reassembled first (conntrack_frag.h):
 * one that does not complete its datagram is consumed, -EINPROGRESS, and
 * the action list stops for it; the one that does continues as the whole
 * datagram, with @key extracted anew. Returns 0, -EINPROGRESS (@skb
 * consumed), or another error: drop the packet. RCU, BH off.
 */
int vsw_ct_execute(struct vsw_datapath *dp, struct sk_buff *skb,
		   struct vsw_key *key, const struct nlattr *attr,
		   struct nf_conn *tmpl);

/* CT_CLEAR: the packet leaves its connection. */
void vsw_ct_clear(struct sk_buff *skb, struct vsw_key *key);

#endif /* _VSW_CONNTRACK_H */
