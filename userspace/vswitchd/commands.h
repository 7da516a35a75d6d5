/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control commands, as received from vswitchctl over the control socket.
 * Each runs on the main thread with vswd.mutex held, writes its output to
 * ctx->out and returns 0, or -1 with a one-line message in ctx->err that
 * names the culprit. A command that fails changes nothing.
 */
#ifndef VSWD_COMMANDS_H
#define VSWD_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include <stdio.h>

#include "ctl-commands.h"
#include "json.h"
#include "util.h"

struct bridge;

struct cmd_ctx {
	int argc;			/* positional arguments, command first */
	char **argv;
	bool json;			/* --json */
	bool strict;			/* --strict */
	int n_ct_next;			/* --ct-next=FLAGS, in order */
	const char *ct_next[CTL_MAX_CT_NEXT];
	struct strbuf out;
	char err[1024];
	bool changed;			/* state to persist */
};

/* Checks that every command of lib/ctl-commands.c's table has a handler
 * here and every handler a command: 0, or -1 with @err naming the odd
 * one. */
int cmd_verify_table(char *err, size_t errlen);

/* Runs one request: options (--json, --strict) anywhere, then the
 * command. Saves the state when the command changed it. Returns 0 or
 * VSW_CTL_STATUS_DIFFER with @out set, or -1 with @err. */
int cmd_run(int argc, char **argv, struct strbuf *out, char *err,
	    size_t errlen);

int cmd_err(struct cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A JSON writer into a memstream for --json listings: cmd_json_start()
 * returns 0 or -1 (out of memory, ctx->err set); cmd_json_finish() appends
 * the text to ctx->out and frees the stream. */
struct json_out {
	struct json_writer w;
	FILE *f;
	char *s;
	size_t len;
};

int cmd_json_start(struct cmd_ctx *ctx, struct json_out *jo);
void cmd_json_finish(struct cmd_ctx *ctx, struct json_out *jo);

/* The bridge named by argv[1], or NULL with ctx->err set. */
struct bridge *cmd_bridge(struct cmd_ctx *ctx);

/* Command handlers, by file. */
int cmd_add_br(struct cmd_ctx *);
int cmd_del_br(struct cmd_ctx *);
int cmd_list_br(struct cmd_ctx *);
int cmd_add_port(struct cmd_ctx *);
int cmd_del_port(struct cmd_ctx *);
int cmd_list_ports(struct cmd_ctx *);
int cmd_show(struct cmd_ctx *);
int cmd_set(struct cmd_ctx *);

int cmd_add_flow(struct cmd_ctx *);
int cmd_add_flows(struct cmd_ctx *);
int cmd_del_flows(struct cmd_ctx *);
int cmd_mod_flows(struct cmd_ctx *);
int cmd_replace_flows(struct cmd_ctx *);
int cmd_diff_flows(struct cmd_ctx *);
int cmd_dump_flows(struct cmd_ctx *);
int cmd_trace(struct cmd_ctx *);

int cmd_dump_dp_flows(struct cmd_ctx *);
int cmd_dp_stats(struct cmd_ctx *);
int cmd_check_dp_flows(struct cmd_ctx *);
int cmd_fdb_show(struct cmd_ctx *);

int cmd_dump_conntrack(struct cmd_ctx *);
int cmd_flush_conntrack(struct cmd_ctx *);

int cmd_set_controller(struct cmd_ctx *);
int cmd_get_controller(struct cmd_ctx *);
int cmd_del_controller(struct cmd_ctx *);
int cmd_set_fail_mode(struct cmd_ctx *);
int cmd_get_fail_mode(struct cmd_ctx *);
int cmd_del_fail_mode(struct cmd_ctx *);

int cmd_add_group(struct cmd_ctx *);
int cmd_add_groups(struct cmd_ctx *);
int cmd_mod_group(struct cmd_ctx *);
int cmd_del_groups(struct cmd_ctx *);
int cmd_dump_groups(struct cmd_ctx *);
int cmd_dump_group_stats(struct cmd_ctx *);

#endif /* VSWD_COMMANDS_H */
