/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow keys, masks and action lists to and from netlink attributes
 * (VSW_KEY_ATTR_*, VSW_ACTION_ATTR_*).
 */
#ifndef _VSW_FLOW_NETLINK_H
#define _VSW_FLOW_NETLINK_H

#include <net/netlink.h>
#include "actions.h"
#include "flow.h"

/* Parses a KEY nest and an optional MASK nest (NULL = exact match) into
 * @key and @mask, strictly: unknown attributes and wrong lengths are
 * refused; IN_PORT must be exact; a masked L3 field needs an exact
 * ETH_TYPE that carries it, a masked L4 field an exact IP_PROTO (and an
 * IP ETH_TYPE); bits outside a field's range are refused. On error sets
 * an extack message and the bad attribute. @key is returned masked.
 */
int vsw_nla_get_match(const struct nlattr *key_attr,
		      const struct nlattr *mask_attr, struct vsw_key *key,
		      struct vsw_key *mask, struct netlink_ext_ack *extack);

/* Puts @key as a nest of type @attrtype. With @mask, puts only the fields
 * whose mask is non-zero (used for both the masked key and the mask, so a
 * dump lists just the significant fields); without, puts every field that
 * applies to the packet (for upcalls). Returns 0 or -EMSGSIZE.
 */
int vsw_nla_put_key(struct sk_buff *skb, int attrtype,
		    const struct vsw_key *key, const struct vsw_key *mask);

/* Upper bound of the bytes vsw_nla_put_key() may need. */
size_t vsw_key_attr_size(void);

/* Validates @attr (a VSW_*_ATTR_ACTIONS nest) for a flow matching @key
 * under @mask (@mask NULL = exact, as for PACKET_EXECUTE): known types,
 * exact lengths, at most VSW_MAX_ACTIONS, set actions only where the
 * match guarantees the header. Returns a new list or ERR_PTR with an
 * extack message naming the offending action. CT actions get their zone
 * templates in @net. Process context.
 */
struct vsw_actions *vsw_actions_create(struct net *net,
				       const struct nlattr *attr,
				       const struct vsw_key *key,
				       const struct vsw_key *mask,
				       struct netlink_ext_ack *extack);
void vsw_actions_free(struct vsw_actions *acts);	/* RCU-deferred */
void vsw_actions_free_now(struct vsw_actions *acts);	/* never published */

/* Puts the list as a nest of type @attrtype. */
int vsw_actions_put(struct sk_buff *skb, int attrtype,
		    const struct vsw_actions *acts);

#endif /* _VSW_FLOW_NETLINK_H */
