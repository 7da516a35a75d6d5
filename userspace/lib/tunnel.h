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

/* The kinds of tunnel port (add-port type=...). */
enum tnl_type {
	TNL_NONE,			/* not a tunnel port */
	TNL_VXLAN,
	TNL_GENEVE,
	TNL_GRE,			/* gretap: Ethernet over GRE */
};

/* A tunnel port's configuration, from add-port's type= and options:.
 * @out holds the fixed parts of what the port sends: the remote in
 * ipv4_dst or ipv6_dst (unless @remote_flow), the local address in
 * ipv4_src/ipv6_src, the key in tun_id (unless @key_flow), tos, ttl,
 * and VSW_TUNNEL_F_CSUM/_DF/_KEY in flags. */
struct tnl_port_cfg {
	uint8_t type;			/* enum tnl_type */
	bool remote_flow;		/* remote_ip=flow: tun_dst decides */
	bool key_flow;			/* key=flow: tun_id decides */
	bool ipv6;			/* the underlay is IPv6 */
	bool local6;			/* local_ip is IPv6 */
	bool no_df;			/* df_default=false */
	bool csum_given;		/* csum= given (else: IPv6 only) */
	bool has_opts;			/* options: given (needs a type) */
	uint16_t dst_port;		/* UDP port, host order (not GRE) */
	uint64_t key;			/* host order; out.tun_id is be64 */
	struct flow_tnl out;
};

#endif /* VSW_LIB_TUNNEL_H */
