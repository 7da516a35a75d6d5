/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-flow statistics: per-CPU counters, so the packet path never writes
 * a cache line another CPU writes, drawn from a module-wide pool of
 * per-CPU slots (flow_stats.c says why).
 */
#ifndef _VSW_FLOW_STATS_H
#define _VSW_FLOW_STATS_H

#include "flow.h"

struct vsw_flow;

/* One CPU's counters, or their sum. Plain u64: the module targets 64-bit
 * hosts.
 */
struct vsw_flow_stats {
	u64 packets;
	u64 bytes;
	unsigned long used;		/* jiffies of the last packet, 0 = never */
	u16 tcp_flags;
};

/* Account one packet of @len bytes to @flow on this CPU (RCU, BH off). */
void vsw_flow_stats_update(struct vsw_flow *flow, unsigned int len,
			   u16 tcp_flags);
/* Sum of all CPUs' stats (any context). */
void vsw_flow_stats_get(const struct vsw_flow *flow,
			struct vsw_flow_stats *out);
/* Racy against packets being counted on other CPUs (one may survive). */
void vsw_flow_stats_clear(struct vsw_flow *flow);

/* The slot pool's lifetime: init before the first flow is allocated;
 * uninit after the last is freed (at module unload, after rcu_barrier()),
 * which frees every slot. Uninit then init again gives a fresh pool.
 */
void vsw_flow_stats_init(void);
void vsw_flow_stats_uninit(void);

/* For flow_table.c: a zeroed slot, or NULL (may sleep); and its return
 * to the pool after the flow's last packet-path writer (process or
 * softirq context).
 */
struct vsw_flow_stats __percpu *vsw_flow_stats_alloc(void);
void vsw_flow_stats_free(struct vsw_flow_stats __percpu *stats);

#endif /* _VSW_FLOW_STATS_H */
