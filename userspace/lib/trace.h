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

#define TRACE_N_FIELDS 32

struct trace_buf {
	struct trace_node root;		/* children: the top-level tables */
	struct trace_node *cur;		/* node whose children we append to */
	char *why[TRACE_N_FIELDS];	/* first reason per megaflow field */
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

struct xlate_bridge;

/* Translates @flow (without learning) and returns the full trace text
 * (malloc'd). Returns NULL only on allocation failure. */
char *trace_flow(const struct xlate_bridge *, const struct flow *);

#endif /* VSW_LIB_TRACE_H */
