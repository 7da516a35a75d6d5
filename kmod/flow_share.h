/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-port share of a datapath's flow limit: how many megaflows each
 * ingress port holds, and whether a port may install one more. The
 * rule and the reasons for it are in flow_share.c. Every function runs
 * under vsw_mutex.
 */
#ifndef _VSW_FLOW_SHARE_H
#define _VSW_FLOW_SHARE_H

#include <linux/types.h>
#include <linux/xarray.h>

struct netlink_ext_ack;

struct vsw_flow_share {
	struct xarray ports;		/* in_port -> xa_mk_value(flows) */
	u32 n_ports;			/* ports holding at least one flow */
};

void vsw_flow_share_init(struct vsw_flow_share *s);
/* Forgets every count (the table was flushed or is being freed). */
void vsw_flow_share_reset(struct vsw_flow_share *s);
/* Flows installed with IN_PORT @port. */
u32 vsw_flow_share_count(struct vsw_flow_share *s, u32 port);
/* Charges one flow to @port if the share rule lets it have one more in a
 * table of @total flows out of @limit on a datapath with @attached ports:
 * 0, -E2BIG (with an extack message naming the limit) or -ENOMEM. Undo
 * with vsw_flow_share_uncharge().
 */
int vsw_flow_share_charge(struct vsw_flow_share *s, u32 port, u32 total,
			  u32 limit, u32 attached,
			  struct netlink_ext_ack *extack);
void vsw_flow_share_uncharge(struct vsw_flow_share *s, u32 port);

#endif /* _VSW_FLOW_SHARE_H */
