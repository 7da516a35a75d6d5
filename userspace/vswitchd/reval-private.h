/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the revalidator (revalidator.h): what its two passes share.
 * revalidator.c runs the thread and the periodic pass, which dumps each
 * datapath; reval-targeted.c the targeted pass, which handles only the
 * records changes marked. Both judge flows into a verdict list (struct
 * dump), decide under vswd.mutex and carry the verdicts out without it
 * (reval-verdict.c). Everything here is used by the revalidator thread
 * only.
 */
#ifndef VSWD_REVAL_PRIVATE_H
#define VSWD_REVAL_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dpif.h"

struct bridge;
struct match;
struct odp_actions;
struct ukey;
struct vswd_counters;
struct xlate_out;

/*
 * One flow of a dump and what to do with it. Dumps are terse (counters
 * and UFID only) as long as every flow has a record: then a pass costs a
 * few dozen bytes per flow instead of its key, mask and actions. A flow
 * the daemon has no record of (after a restart, say) calls for a full
 * dump, whose flows carry @full.
 */
struct dumped {
	uint8_t ufid[VSW_UFID_LEN];
	bool has_ufid;
	uint64_t packets, bytes;
	int64_t used_ms;		/* -1 = never */
	struct dpif_flow *full;		/* full dumps only */
	enum { KEEP, DELETE, FIX } verdict;
	const char *why;		/* for DELETE, in debug logs */
	uint32_t in_port;		/* for the debug log */
	struct match *match;		/* for DELETE without UFID and FIX */
	struct odp_actions *fix_acts;	/* for FIX */
	long long idle_ms;
	/* targeted: the record as it was before the pass translated it
	 * (reval_record_copy()), which is what the counters the kernel
	 * reports with the verdict's request are credited to */
	struct ukey *was;
	bool counted;			/* packets, bytes came with the verdict */
};

/* The verdict list of one pass over one datapath. */
struct dump {
	struct dumped *v;
	size_t n, cap;
	bool oom;			/* or otherwise incomplete */
};

/* The thread's datapath handle (NULL without a datapath) and counter
 * block: set by reval_start() before the thread starts, cleared by
 * reval_stop() after it has ended. */
extern struct dpif *reval_dpif;
extern struct vswd_counters *reval_c;

/* A zeroed entry at the end of @d, or NULL (and d->oom) without memory. */
struct dumped *reval_dump_push(struct dump *d);
/* Frees every entry and what it holds; @d is empty after. */
void reval_dump_free(struct dump *d);

/* The following four are called with vswd.mutex held. */

/* Credits what the kernel counted for @uk's flow since the last push
 * (@f's counters less the record's) to the rules and table misses @uk
 * came from, and remembers @f's counters. Counters that went back (the
 * flow's stats were cleared) are only remembered. */
void reval_push_stats(struct bridge *br, struct ukey *uk,
		      const struct dumped *f, long long now);
/* reval_translate_again(), counted as a revalidated flow. */
int reval_retranslate(struct bridge *br, const struct match *mf,
		      const struct odp_actions *acts, struct xlate_out *xo);
/* Makes @d a FIX of @uk's megaflow with @acts, copying both, as the
 * mutex is dropped before it is applied; without memory a DELETE. */
void reval_set_fix(struct dumped *d, const struct ukey *uk,
		   const struct odp_actions *acts);

/* A copy of @uk's dependencies and pushed counters, for
 * reval_push_stats() once the record has moved on or is gone (its
 * actions, links and megaflow are not copied); NULL without memory.
 * reval_record_free() frees it. */
struct ukey *reval_record_copy(const struct ukey *uk);
void reval_record_free(struct ukey *copy);

/* Carries out @d's verdicts in datapath @dp (deletes and fixes, by UFID
 * where the flow has one, else by match) and counts them; a KEEP with
 * @was reads the flow. The requests go in batches, many per round trip
 * (dpif_batch_*()); each request's own error (a flow that idled out
 * meanwhile: -ENOENT) affects that flow only. The counters each reply
 * carries (the deleted flow's last, a fixed flow's as of the fix) land
 * in the entry's packets and bytes, with @counted. Without the mutex. */
void reval_apply(const char *dp, struct dump *d);

/* The targeted pass over datapath @name (reval-targeted.c), run after a
 * kick between periodic passes: only the records reval_mark_*() marked
 * are translated again, fixed or removed (by match), and credited the
 * counters the kernel answered each fix or delete with; no dump, no walk
 * over the other records. Called without vswd.mutex; takes it itself. */
void reval_targeted_pass(const char *name);

#endif /* VSWD_REVAL_PRIVATE_H */
