/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tunnel metadata in the flow key (struct vsw_key_tunnel, shared with the
 * host build), and the kernel side of it (flow_tunnel.c): the receive
 * metadata of a TUNNEL port's packets into the key, VSW_KEY_ATTR_TUNNEL
 * to and from netlink, and VSW_ACTION_ATTR_SET_TUNNEL as a metadata dst
 * that the port's device encapsulates with.
 */
#ifndef _VSW_FLOW_TUNNEL_H
#define _VSW_FLOW_TUNNEL_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/in6.h>
#endif

/* The outer headers of the tunnel a packet arrived by; all zero for a
 * packet from any other port. Exactly one address family is non-zero.
 * No implicit padding, a multiple of 8 bytes (it sits in struct vsw_key).
 */
struct vsw_key_tunnel {
	__be64 tun_id;
	__be32 ipv4_src;
	__be32 ipv4_dst;
	struct in6_addr ipv6_src;
	struct in6_addr ipv6_dst;
	__be16 tp_src;
	__be16 tp_dst;
	u16 flags;			/* VSW_TUNNEL_F_* */
	u8 tos;
	u8 ttl;
};

#ifdef __KERNEL__
#include <net/netlink.h>
#include <linux/skbuff.h>

struct metadata_dst;

extern const struct nla_policy vsw_tunnel_policy[VSW_TUNNEL_ATTR_MAX + 1];

/* Fills @tun from the tunnel metadata the device left on @skb (zero when
 * there is none) and drops that metadata: it describes the receive side
 * and must not follow the packet out. Packet path.
 */
void vsw_tun_key_extract(struct sk_buff *skb, struct vsw_key_tunnel *tun);

/* Parses a VSW_KEY_ATTR_TUNNEL nest (already validated against
 * vsw_tunnel_policy) into @tun. @is_key: values, which may carry only one
 * address family. -EINVAL with an extack message naming the attribute.
 */
int vsw_tun_key_from_nla(const struct nlattr *attr, struct vsw_key_tunnel *tun,
			 bool is_key, struct netlink_ext_ack *extack);

/* Puts @tun as a nest of @attrtype. With @mask, the attributes whose mask
 * is non-zero; without, every attribute of @tun's address family.
 */
int vsw_tun_key_put(struct sk_buff *skb, int attrtype,
		    const struct vsw_key_tunnel *tun,
		    const struct vsw_key_tunnel *mask);
size_t vsw_tun_key_attr_size(void);

/* Checks a SET_TUNNEL action (validated against vsw_tunnel_policy) in
 * the request: -EINVAL with an extack message naming the attribute.
 */
int vsw_tun_set_check(const struct nlattr *attr,
		      struct netlink_ext_ack *extack);

/* Builds the metadata dst of a SET_TUNNEL that vsw_tun_set_check()
 * passed (@attr may be a copy of it); ERR_PTR(-ENOMEM). Process context.
 * Released with dst_release().
 */
struct metadata_dst *vsw_tun_dst_create(const struct nlattr *attr);

/* Whether @skb carries transmit tunnel metadata (a SET_TUNNEL ran). */
bool vsw_tun_dst_is_set(const struct sk_buff *skb);

/* Attaches @md to @skb in place of any dst it had. Packet path. */
void vsw_tun_dst_set(struct sk_buff *skb, struct metadata_dst *md);
#endif

#endif /* _VSW_FLOW_TUNNEL_H */
