/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ofproto/trace-style text. xlate_flow() appends to a trace_buf as it
 * classifies; trace_flow() wraps a whole trace: "Flow:", the bridge and
 * its tables, "Final flow:", "Megaflow:", "Datapath actions:", and our
 * own section naming, for each un-wildcarded field, what consulted it.
 */
#ifndef VSW_LIB_TRACE_H
#define VSW_LIB_TRACE_H

#include <stdarg.h>
#include <stddef.h>
#include "flow.h"
#include "util.h"

struct trace_buf {
	struct strbuf text;
	int indent;			/* current nesting (resubmit depth) */
	/* Why each megaflow field was un-wildcarded: one line per reason. */
	struct strbuf why;
};

void trace_init(struct trace_buf *);
void trace_uninit(struct trace_buf *);
/* Appends one line at the current indentation. */
void trace_line(struct trace_buf *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Records a reason for the explanation section. */
void trace_why(struct trace_buf *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct xlate_bridge;

/* Translates @flow (without learning) and returns the full trace text
 * (malloc'd). Returns NULL only on allocation failure. */
char *trace_flow(const struct xlate_bridge *, const struct flow *);

#endif /* VSW_LIB_TRACE_H */
