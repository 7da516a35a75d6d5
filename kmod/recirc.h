/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recirculation (VSW_ACTION_ATTR_RECIRC): packets wait in a per-CPU FIFO
 * for their next pass through the flow table, which runs once the
 * outermost action list on this CPU is done, so passes never nest on the
 * stack. All of it runs under RCU with bottom halves disabled.
 */
#ifndef _VSW_RECIRC_H
#define _VSW_RECIRC_H

#include <linux/skbuff.h>
#include "flow.h"

struct vsw_datapath;
struct vsw_vport;

/* Marks the start of an action list's execution on this CPU. Returns
 * true when it is the outermost one: the caller then calls
 * vsw_recirc_run() once the list is done.
 */
bool vsw_recirc_begin(void);

/* Runs every pass queued on this CPU, including those they queue, in
 * order, then ends what vsw_recirc_begin() started.
 */
void vsw_recirc_run(void);

/* Queues @skb (consumed) for a pass with @key, its recirc_id set to @id.
 * Drops it, counted in @dp's RECIRC_DROPPED, when the packet has been
 * recirculated VSW_MAX_RECIRC times already or the queue is full.
 */
void vsw_recirc_defer(struct vsw_datapath *dp, struct sk_buff *skb,
		      const struct vsw_key *key, u32 id);

/* Queues @skb (consumed) to enter @peer's datapath as if received on
 * @peer, a patch port: a fresh key with IN_PORT @peer's number and
 * RECIRC_ID 0, its tunnel metadata and conntrack entry dropped; counts
 * it in @peer's RX. Returns false when the packet was dropped instead:
 * past the bounds above (counted in @dp's RECIRC_DROPPED), or a frame
 * whose key cannot be extracted.
 */
bool vsw_recirc_cross(struct vsw_datapath *dp, struct vsw_vport *peer,
		      struct sk_buff *skb);

#endif /* _VSW_RECIRC_H */
