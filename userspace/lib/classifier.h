/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tuple-space classifier for one OpenFlow table.
 *
 * Rules with the same mask share a subtable (a hash of masked values).
 * Subtables are kept in descending order of their highest rule priority;
 * a lookup stops as soon as no remaining subtable can beat the best match.
 *
 * With wildcard tracking (@wc non-NULL) the lookup ORs into @wc every bit
 * its decision depended on, and tries to consult as few as possible:
 *  - staged lookup: each subtable is probed stage by stage (metadata, L2,
 *    L3, L4); a stage whose partial hash is absent rules the subtable out
 *    and only the stages consulted so far are un-wildcarded;
 *  - prefix tries on nw_src, nw_dst, ipv6_src and ipv6_dst: a subtable
 *    whose prefix length cannot match is skipped after un-wildcarding only
 *    the address bits needed to tell;
 *  - a per-subtable ports trie on tp_src/tp_dst (icmp_type/code): a miss
 *    in the final stage un-wildcards only the port bits up to the mismatch.
 *
 * Not thread-safe: the owner serializes changes and lookups.
 */
#ifndef VSW_LIB_CLASSIFIER_H
#define VSW_LIB_CLASSIFIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"

struct cls_subtable;

/* Embedded in the caller's rule; the classifier never allocates or frees
 * rules. @match and @priority must not change while inserted. */
struct cls_rule {
	struct match match;
	int priority;
	uint64_t seq;			/* insertion order: ties go to older */
	/* private */
	struct cls_rule *next;		/* same masked value, lower priority */
	struct cls_rule *hnext;		/* next head in the hash bucket */
	uint64_t hash;
	struct cls_subtable *subtable;
};

struct classifier;

struct classifier *classifier_create(void);
void classifier_destroy(struct classifier *);	/* rules stay the caller's */

/* Inserts @r. If a rule with the same match and priority exists it is
 * replaced and returned (the caller owns it again); else NULL. */
struct cls_rule *classifier_replace(struct classifier *, struct cls_rule *r);
void classifier_remove(struct classifier *, struct cls_rule *r);

/* The highest priority rule matching @flow, or NULL. With @wc, ORs the
 * consulted bits into @wc (a mask shaped like struct flow). */
const struct cls_rule *classifier_lookup(const struct classifier *,
					 const struct flow *flow,
					 struct flow *wc);

/* The rule with exactly this match and priority, or NULL. */
struct cls_rule *classifier_find_exact(const struct classifier *,
				       const struct match *, int priority);

size_t classifier_count(const struct classifier *);
size_t classifier_n_subtables(const struct classifier *);

/* Calls @cb for every rule (no particular order); @cb must not modify the
 * classifier. */
void classifier_foreach(const struct classifier *,
			void (*cb)(struct cls_rule *, void *aux), void *aux);

/* Disables the staged/trie optimizations (for tests and the benchmark's
 * comparison); tracking then un-wildcards whole subtable masks. */
void classifier_set_optimizations(struct classifier *, bool stages, bool tries);

/* Helpers on struct match (match.c). */
/* Re-ANDs the value with the mask. */
void match_normalize(struct match *);
bool match_equal(const struct match *, const struct match *);
bool match_matches_flow(const struct match *, const struct flow *);
/* Does every packet matching @a also match @b?  (b is looser or equal.) */
bool match_is_subset(const struct match *a, const struct match *b);

#endif /* VSW_LIB_CLASSIFIER_H */
