/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Re-sorting a flow table's masks by recent hits, so that the masks most
 * packets need are probed first.
 */
#ifndef _VSW_FLOW_REBALANCE_H
#define _VSW_FLOW_REBALANCE_H

struct vsw_flow_table;

/* Orders the masks by hits since the last call and drops masks a failed
 * unlink left empty (the table's lock; may sleep). Call periodically,
 * e.g. every second from a delayed work. Out of memory, it leaves the
 * order as it was.
 */
void vsw_flow_table_rebalance(struct vsw_flow_table *tbl);

#endif /* _VSW_FLOW_REBALANCE_H */
