/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tunnel metadata in userspace: struct flow_tnl is struct flow's tunnel
 * part (the kernel's VSW_KEY_ATTR_TUNNEL, field for field), and the
 * conversions to and from its VSW_TUNNEL_ATTR_* nest (lib/odp-tunnel.c),
 * used for keys, masks and SET_TUNNEL actions alike.
 */
#ifndef VSW_LIB_TUNNEL_H
#define VSW_LIB_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <linux/vswitch.h>

/* Header fields in network order; all zero for a packet that did not
 * arrive by a tunnel. Same size and order as the kernel's key part, no
 * implicit padding (it ends struct flow, whose masks are compared as
 * 64-bit words). */
struct flow_tnl {
	uint64_t tun_id;		/* be64 */
	uint32_t ipv4_src;		/* be32 */
	uint32_t ipv4_dst;		/* be32 */
	struct in6_addr ipv6_src;
	struct in6_addr ipv6_dst;
	uint16_t tp_src;		/* be16 */
	uint16_t tp_dst;		/* be16 */
	uint16_t flags;			/* VSW_TUNNEL_F_*, host order */
	uint8_t tos;
	uint8_t ttl;
};

bool flow_tnl_is_zero(const struct flow_tnl *t);

/* Appends a nest of @type with every non-zero field of @t. */
void odp_tun_put(struct nlmsghdr *nlh, uint16_t type, const struct flow_tnl *t);

/* Fills @t (zeroed first) from a VSW_TUNNEL_ATTR_* nest: strict, an
 * unknown, repeated or wrongly sized attribute is an error naming it. */
int odp_tun_parse(const struct nlattr *nest, struct flow_tnl *t,
		  char *err, size_t errlen);

/* Upper bound of the bytes odp_tun_put() appends. */
size_t odp_tun_put_size(void);

#endif /* VSW_LIB_TUNNEL_H */
