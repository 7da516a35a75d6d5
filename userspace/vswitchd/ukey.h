/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Megaflow records ("ukeys"): what the daemon knows about each flow it
 * installed or adopted: its match and actions, the rules, tables and MAC
 * lookups its translation depended on, and the stats last pushed to those
 * rules. Keyed by UFID; also indexed by exact destination MAC (so a MAC
 * that moves finds its megaflows without a walk over all of them), and
 * the marked ones are listed (so a targeted pass finds them without a
 * walk). Called with vswd.mutex held.
 */
#ifndef VSWD_UKEY_H
#define VSWD_UKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "odp.h"

struct xlate_out;
struct ukey;

/* A place in one of a table's doubly linked lists (ukey.c). */
struct ukey_link {
	struct ukey *next, **pprev;	/* pprev NULL: not in the list */
};

struct ukey {
	uint8_t ufid[VSW_UFID_LEN];
	struct match mf;		/* the installed megaflow */
	/* its own allocation, sized to acts->n: only n and a[0..n) are
	 * there, so never copy it by value */
	struct odp_actions *acts;
	uint64_t *rule_ids;		/* rules it matched, for stats */
	size_t n_rules;
	uint64_t *group_uses;		/* xlate_out's: group buckets run */
	size_t n_group_uses;
	uint8_t tables[32];		/* tables visited (bitmap) */
	uint8_t missed[32];		/* tables that matched no rule */
	bool consulted_macs;
	bool tnl_unmatched;		/* xlate_out's: dropped, no tunnel port */
	bool rewritten;			/* xlate_out's: marked by any change of
					 * a table it visited (reval-mark.c) */
	bool dirty;			/* a change may affect it: re-translate */
	uint64_t packets, bytes;	/* kernel stats already pushed */
	long long created_ms;
	long long used_ms;		/* last time its stats moved */
	bool seen;			/* in the current dump */
	struct ukey *next;		/* hash chain */
	struct ukey_link dst;		/* its eth_dst's chain, when exact */
	struct ukey_link marked;	/* the table's marked list, while dirty */
};

struct ukey_table {
	struct ukey **buckets;
	struct ukey **dst_buckets;	/* by exact eth_dst; n_buckets too */
	struct ukey *dirty;		/* the marked records */
	size_t n_buckets, n;
};

void ukey_table_init(struct ukey_table *t);
void ukey_table_destroy(struct ukey_table *t);
struct ukey *ukey_find(const struct ukey_table *t, const uint8_t *ufid);
/* Creates a record for @mf/@xo's dependencies; NULL on ENOMEM. */
struct ukey *ukey_insert(struct ukey_table *t, const uint8_t *ufid,
			 const struct match *mf, const struct xlate_out *xo,
			 long long now_ms);
/* Replaces the actions and dependencies of @uk with @xo's, unmarking it;
 * -ENOMEM leaves @uk as it was (still marked, if it was: tried again by
 * the next pass). */
int ukey_set_deps(struct ukey *uk, const struct xlate_out *xo);
void ukey_remove(struct ukey_table *t, struct ukey *uk);
/* Marks @uk dirty (to translate again); false when it already was. */
bool ukey_mark(struct ukey_table *t, struct ukey *uk);

/* Calls @cb on every record, on the marked ones, or on those whose
 * megaflow matches eth_dst @mac exactly; @cb may remove the record it is
 * given (and unmark it), nothing else. */
void ukey_foreach_safe(struct ukey_table *t,
		       void (*cb)(struct ukey *uk, void *aux), void *aux);
void ukey_foreach_marked_safe(struct ukey_table *t,
			      void (*cb)(struct ukey *uk, void *aux),
			      void *aux);
void ukey_foreach_dst_safe(struct ukey_table *t, const uint8_t mac[6],
			   void (*cb)(struct ukey *uk, void *aux), void *aux);

/* True when some packet can be in both @a and @b: equal on every bit
 * both masks care about. */
bool match_intersects(const struct match *a, const struct match *b);

#endif /* VSWD_UKEY_H */
