// SPDX-License-Identifier: GPL-2.0
/*
 * Per-port share of the flow limit.
 *
 * A datapath holds at most FLOW_LIMIT megaflows. Counted as one pool,
 * one port that opens new flows fast (a VM scanning, or sending from
 * random source MACs) fills it within seconds, and from then on every
 * other port's new flow is refused until the flooder's flows idle out:
 * its traffic still flows (FLOW_NEW's PACKET goes out anyway) but every
 * packet of it becomes an upcall. So the pool is shared:
 *
 *   While the table holds less than 3/4 of the limit, any port may
 *   install. Past that, a port may install only while it holds fewer
 *   than limit / N flows, N being the ports attached to the datapath
 *   (the local port aside), or the ports holding flows (itself
 *   included) when they are more. The hard limit still applies to all.
 *
 * N counts attached ports, not only those holding flows: a quiet port
 * whose flows all idled out must find room when it talks again, even if
 * a flooder alone filled the table meanwhile.
 *
 * A port alone on a datapath can thus use the whole table (its share is
 * the limit), a busy port can use 3/4 of it while others are quiet, and
 * the last quarter stays for the ports under their fair share: a quiet
 * port's new flow is refused only when the table is really full, which
 * the flooders alone can no longer do. Flows are counted by IN_PORT,
 * which every flow matches exactly, so the count is exact.
 *
 * Why not the alternatives. Eviction (removing the flooder's least used
 * flows to make room) would run on the install path under vsw_mutex,
 * needs an LRU the lookup would have to maintain, and lets a flooder
 * churn the table for everyone at its own rate. A dynamic limit driven
 * by revalidation time (Open vSwitch's) protects the daemon from a large
 * table but still lets one port take all of it. The share is O(1) per
 * install, needs nothing from the packet path, and leaves the daemon's
 * idle timeout to free the flooder's flows.
 *
 * Counts live in an xarray keyed by port number (a port may hold flows
 * after it is detached: they are counted until deleted or flushed).
 * Everything here runs under vsw_mutex.
 */
#include <linux/netlink.h>

#include "datapath.h"
#include "flow_share.h"

/* The table is contended from 3/4 of the limit up. */
static bool contended(u32 total, u32 limit)
{
	return (u64)total * 4 >= (u64)limit * 3;
}

void vsw_flow_share_init(struct vsw_flow_share *s)
{
	xa_init(&s->ports);
	s->n_ports = 0;
}

void vsw_flow_share_reset(struct vsw_flow_share *s)
{
	xa_destroy(&s->ports);
	s->n_ports = 0;
}

u32 vsw_flow_share_count(struct vsw_flow_share *s, u32 port)
{
	void *v = xa_load(&s->ports, port);

	return v ? xa_to_value(v) : 0;
}

int vsw_flow_share_charge(struct vsw_flow_share *s, u32 port, u32 total,
			  u32 limit, u32 attached,
			  struct netlink_ext_ack *extack)
{
	u32 held = vsw_flow_share_count(s, port);
	u32 n = max3(s->n_ports + !held, attached, 1U);
	int ret;

	ASSERT_VSW();
	if (total >= limit) {
		NL_SET_ERR_MSG_MOD(extack, "flow limit reached");
		return -E2BIG;
	}
	if (contended(total, limit) && held >= limit / n) {
		NL_SET_ERR_MSG_MOD(extack,
				   "IN_PORT holds its share of the flow limit");
		return -E2BIG;
	}
	ret = xa_err(xa_store(&s->ports, port, xa_mk_value(held + 1),
			      GFP_KERNEL_ACCOUNT));
	if (ret)
		return ret;
	s->n_ports += !held;
	return 0;
}

void vsw_flow_share_uncharge(struct vsw_flow_share *s, u32 port)
{
	u32 held = vsw_flow_share_count(s, port);

	ASSERT_VSW();
	if (WARN_ON_ONCE(!held))
		return;
	if (held == 1) {
		xa_erase(&s->ports, port);
		s->n_ports--;
		return;
	}
	/* replaces an entry in place: no allocation, cannot fail */
	xa_store(&s->ports, port, xa_mk_value(held - 1), GFP_KERNEL_ACCOUNT);
}
