/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The revalidator thread. Every REVAL_PERIOD_MS (longer when a pass takes
 * more than half of that: revalidator.c) it dumps each datapath's flows
 * and, per flow: pushes stats deltas to the rules it came from; removes it
 * when idle longer than the bridge's idle-timeout or over the flow limit;
 * re-translates it when a change may have affected it (targeted marking,
 * see reval_mark_rule()) and fixes its actions or removes it when its
 * mask is no longer right; adopts flows it has no record of (after a
 * restart) when they translate the same. Kicked between those passes, it
 * re-translates only the megaflows changes marked (reval-mark.c,
 * reval-targeted.c), without a dump, after crediting what the kernel
 * counted for each of them since the last push to the rules it had (one
 * FLOW_GET per marked flow).
 */
#ifndef VSWD_REVALIDATOR_H
#define VSWD_REVALIDATOR_H

#include <stdbool.h>
#include <stdint.h>

#define REVAL_PERIOD_MS 500

struct bridge;
struct match;
struct odp_actions;
struct xlate_out;

int reval_start(void);
void reval_stop(void);
/* Wakes the revalidator now. */
void reval_kick(void);

/* Barriers: a ticket names the next pass to begin (and wakes the
 * revalidator); once reval_sync_done() says so, a whole pass that began
 * after the ticket was taken has finished, so every rule change made
 * before it has been applied to the datapath's megaflows. Main thread
 * only; never called with vswd.mutex held by the waiter's loop. */
uint64_t reval_sync_ticket(void);
bool reval_sync_done(uint64_t ticket);

/* A rule in @table with @match was added, changed or deleted: marks the
 * megaflows that visited @table and intersect @match. Returns how many.
 * Called with vswd.mutex held. */
unsigned int reval_mark_rule(struct bridge *br, uint8_t table,
			     const struct match *match);
/* NORMAL learned (or moved) @mac: marks the megaflows that looked it up
 * as a destination (an index: O(those megaflows)). The caller kicks.
 * Called with vswd.mutex held. */
unsigned int reval_mark_mac(struct bridge *br, const uint8_t mac[6]);
/* Group @group changed or went: marks the megaflows whose translation
 * ran one of its buckets. The caller kicks. Called with vswd.mutex held. */
unsigned int reval_mark_group(struct bridge *br, uint32_t group);
/* Marks every megaflow of @br (port changes) and kicks. */
unsigned int reval_mark_all(struct bridge *br);
/* Marks every megaflow NORMAL built (MAC expiry, eviction). */
unsigned int reval_mark_normal(struct bridge *br);

/* Translates the megaflow @mf (installed with @acts) again with @br's
 * rules and MAC table, learning nothing: 1 = the same actions, 0 = the
 * actions differ (the new ones in *xo), -1 = @mf's mask is too wide for
 * the new translation (it holds packets that translate differently).
 * The caller frees @xo with xlate_out_uninit(). Called with vswd.mutex
 * held. */
int reval_translate_again(struct bridge *br, const struct match *mf,
			  const struct odp_actions *acts, struct xlate_out *xo);

#endif /* VSWD_REVALIDATOR_H */
