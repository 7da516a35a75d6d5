/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rule commands share (cmd-flow.c: add-flow(s), del-flows,
 * dump-flows, trace; cmd-flow-sync.c: mod-flows, replace-flows,
 * diff-flows): a file of rules read all or nothing, and the note of a
 * rule change for the revalidator. All under vswd_lock(), as every
 * command runs.
 */
#ifndef VSWD_CMD_FLOW_H
#define VSWD_CMD_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include "classifier.h"
#include "commands.h"
#include "ofp-parse.h"

struct bridge;

/* The rules of a file, one per line, in order. */
struct flow_lines {
	struct ofp_rule_spec *specs;
	size_t n;
};

/* Reads @text (blank and '#' lines skipped) into @fl and checks that a
 * scratch pipeline takes every rule (no bridge changed). The caller frees
 * @fl with cmd_flow_lines_free() whatever the result: 0, or -1 with
 * ctx->err naming the line or rule. */
int cmd_flow_lines_read(struct cmd_ctx *ctx, struct bridge *br, char *text,
			struct flow_lines *fl);
void cmd_flow_lines_free(struct flow_lines *fl);

/* A rule of @table with match @m was added, changed or removed: marks
 * the megaflows it may affect and counts it. */
void cmd_note_rule_change(struct bridge *br, uint8_t table,
			  const struct match *m);

#endif
