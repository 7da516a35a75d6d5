/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Datapath actions as the daemon builds them: a bounded list mirroring
 * VSW_ACTION_ATTR_*. The translator produces one; lib/odp-key.c turns it
 * into netlink attributes and back; format_odp_actions() prints it the way
 * Open vSwitch prints "Datapath actions:" (e.g. "push_vlan(vid=10,pcp=0),2,3"
 * or "drop").
 */
#ifndef VSW_LIB_ODP_H
#define VSW_LIB_ODP_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/vswitch.h>
#include "tunnel.h"

/* NAT of a CT action (VSW_CT_ATTR_NAT), shared with the OpenFlow action
 * it comes from (ofpact.h). */
enum odp_nat_kind {
	ODP_NAT_NONE,			/* no NAT */
	ODP_NAT_EXISTING,		/* "nat": connections' own NAT only */
	ODP_NAT_SRC,			/* nat(src=...) */
	ODP_NAT_DST,			/* nat(dst=...) */
};
#define ODP_NAT_F_PERSISTENT	0x01
#define ODP_NAT_F_HASH		0x02
#define ODP_NAT_F_RANDOM	0x04

struct odp_ct_nat {
	uint8_t kind;			/* enum odp_nat_kind */
	uint8_t flags;			/* ODP_NAT_F_* */
	uint8_t af;			/* 4, 6, or 0: no address range */
	uint8_t pad;			/* 0: structs are compared bytewise */
	uint16_t port_min, port_max;	/* host order; 0: no port range */
	struct in6_addr ip_min, ip_max;	/* IPv4: the first 4 bytes */
};

struct odp_action {
	uint16_t type;			/* VSW_ACTION_ATTR_* */
	union {
		uint32_t port;		/* OUTPUT; RECIRC: the recirc id */
		uint64_t cookie;	/* USERSPACE */
		uint16_t be16;		/* PUSH_VLAN, SET_VLAN_TCI, SET_TP_* */
		uint32_t be32;		/* SET_IPV4_*, SET_IPV6_LABEL */
		uint8_t u8;		/* SET_IP_DSCP, SET_IP_TTL */
		uint8_t mac[6];		/* SET_ETH_* */
		struct in6_addr ip6;	/* SET_IPV6_* */
		struct {
			uint16_t zone;
			uint8_t commit, force, has_mark;
			uint32_t mark, mark_mask;
			struct odp_ct_nat nat;
			uint8_t has_label, pad[3];
			uint8_t label[16], label_mask[16];	/* as the key's */
		} ct;			/* CT, host order (VSW_CT_ATTR_*) */
		struct flow_tnl tun;	/* SET_TUNNEL */
	} u;
};

struct odp_actions {
	unsigned int n;
	struct odp_action a[VSW_MAX_ACTIONS];
};

#endif /* VSW_LIB_ODP_H */
