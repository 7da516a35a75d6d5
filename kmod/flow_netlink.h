/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow keys and masks to and from VSW_KEY_ATTR_* attributes.
 */
#ifndef _VSW_FLOW_NETLINK_H
#define _VSW_FLOW_NETLINK_H

#include <net/netlink.h>
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

/* Parses a KEY nest on its own (exact), e.g. for FLOW_GET/DEL. */
int vsw_nla_get_key(const struct nlattr *key_attr, struct vsw_key *key,
		    struct netlink_ext_ack *extack);

/* Puts @key as a nest of type @attrtype. With @mask, puts only the fields
 * whose mask is non-zero (used for both the masked key and the mask, so a
 * dump lists just the significant fields); without, puts every field that
 * applies to the packet (for upcalls). Returns 0 or -EMSGSIZE.
 */
int vsw_nla_put_key(struct sk_buff *skb, int attrtype,
		    const struct vsw_key *key, const struct vsw_key *mask);

/* Upper bound of the bytes vsw_nla_put_key() may need. */
size_t vsw_key_attr_size(void);

#endif /* _VSW_FLOW_NETLINK_H */
