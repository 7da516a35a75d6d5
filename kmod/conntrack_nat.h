/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NAT for the CT action (VSW_CT_ATTR_NAT) through the kernel's nf_nat:
 * checking the nest at install time, and translating a tracked packet.
 */
#ifndef _VSW_CONNTRACK_NAT_H
#define _VSW_CONNTRACK_NAT_H

#include <linux/skbuff.h>
#include <net/netlink.h>
#include "flow.h"

/* Checks a policy-validated NAT nest of a CT action: SRC/DST exclusive,
 * what needs SRC/DST or COMMIT (@commit), the address lengths for the
 * flow's family (@ipv6), the ranges. Returns 0, -EINVAL or (without
 * CONFIG_NF_NAT) -EOPNOTSUPP, with extack.
 */
int vsw_ct_nat_check(const struct nlattr *nat, bool commit, bool ipv6,
		     struct netlink_ext_ack *extack);

/* Translates @skb (data at its IP header) as its connection says, once:
 * *@done holds the VSW_CT_STATE_SNAT/DNAT bits of translations this
 * packet already had in this zone (none: nothing done yet) and gets those
 * of this one. A new connection is set up from @nat (the CT action's NAT
 * nest) only when @commit. Updates @key's addresses and ports. Returns
 * 0, or -EINVAL when nf_nat refused the packet: drop it. RCU, BH off.
 */
int vsw_ct_nat(struct sk_buff *skb, struct vsw_key *key,
	       const struct nlattr *nat, bool commit, u8 *done);

#endif /* _VSW_CONNTRACK_NAT_H */
