/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ofproto/trace-style text. xlate_flow() records a tree as it classifies
 * (tables, the actions of their rules, resubmitted tables nested after the
 * action that caused them, warnings) and, for each megaflow field, what
 * first un-wildcarded it. trace_flow() renders a whole trace the way Open
 * vSwitch prints it: "Flow:", bridge("br0"), the table tree, "Final flow:",
 * "Megaflow:", "Datapath actions:", then our own section explaining each
 * un-wildcarded megaflow field.
 */
#ifndef VSW_LIB_TRACE_H
#define VSW_LIB_TRACE_H

#include <stdarg.h>
#include <stddef.h>
#include "flow.h"
#include "util.h"

enum trace_node_type {
	TRACE_TABLE,		/* " 0. match, priority N" (has children) */
	TRACE_ACTION,		/* "output:1" */
	TRACE_DETAIL,		/* " -> ..." */
	TRACE_WARN,		/* " >> ..." */
	TRACE_ERROR,		/* " >>>> ... <<<<" */
};

struct trace_node {
	enum trace_node_type type;
	char *text;
	struct trace_node *first, *last;	/* children */
	struct trace_node *next;		/* sibling */
};

#define TRACE_N_FIELDS 40

/* A pass that ct(table=N) sends the packet to (recirc_id N + 1), recorded
 * by xlate-ct.c while tracing and traced after the pass that froze it,
 * as ofproto/trace follows recirculations (trace-ct.c). */
struct trace_resume {
	struct flow flow;		/* as ct saw it: recirc_id, ct_zone and
					 * the committed mark and label set */
	bool tracked;			/* an IP packet: conntrack answers */
	char other_bridge[32];		/* frozen in this patch peer ("" = the
					 * traced bridge): not followed */
	unsigned depth;			/* recirculations to get here */
};

#define TRACE_MAX_RESUMES 32

struct trace_resumes {
	struct trace_resume v[TRACE_MAX_RESUMES];
	size_t n;
	size_t lost;			/* past TRACE_MAX_RESUMES */
	unsigned depth;			/* of the pass being translated */
	const char *bridge;		/* the traced bridge's name */
};

struct trace_buf {
	struct trace_node root;		/* children: the top-level tables */
	struct trace_node *cur;		/* node whose children we append to */
	char *why[TRACE_N_FIELDS];	/* first reason per megaflow field */
	struct trace_resumes *resumes;	/* where trace_freeze() records */
};

/* Appends a node under the current one. */
struct trace_node *trace_add(struct trace_buf *, enum trace_node_type,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends an action line (TRACE_ACTION). */
void trace_line(struct trace_buf *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Makes @n the node new lines go under; returns the previous one. */
struct trace_node *trace_enter(struct trace_buf *, struct trace_node *n);
void trace_leave(struct trace_buf *, struct trace_node *prev);

/* Records @who as the reason for every field whose bits are set in @after
 * but not in @before (mask structs), unless one is recorded already. */
void trace_note_wc(struct trace_buf *, const struct flow *before,
		   const struct flow *after, const char *who);

/* Records the pass a ct(table=N) in bridge @bridge sends @flow to
 * (flow->recirc_id set); @tracked when conntrack sees the packet. */
void trace_freeze(struct trace_buf *, const char *bridge,
		  const struct flow *flow, bool tracked);

struct xlate_bridge;

/* Translates @flow (without learning) and returns the full trace text
 * (malloc'd). Returns NULL only on allocation failure. */
char *trace_flow(const struct xlate_bridge *, const struct flow *);
/* The same, then each pass a ct(table=N) recirculates to, in the order
 * they were frozen, as ofproto/trace does: conntrack's answer for the
 * i-th tracked one is @ct_next[i] (VSW_CT_STATE_* bits; trk|new past
 * @n_ct_next), and the original-direction tuple is the packet's own
 * (reversed with rpl; none with rel, whose parent trace cannot know).
 * NAT is not applied. A pass past VSW_MAX_RECIRC recirculations is not
 * traced: the datapath drops it. */
char *trace_flow_ct(const struct xlate_bridge *, const struct flow *,
		    const uint8_t *ct_next, size_t n_ct_next);

/* trace-ct.c: @r's flow as conntrack answers it (@state when tracked),
 * after the banner that introduces the pass in @sb; false when the
 * pass is not traced (the banner says why). */
bool trace_resume_begin(struct trace_resume *r, uint8_t state, bool given,
			struct strbuf *sb);

#endif /* VSW_LIB_TRACE_H */
