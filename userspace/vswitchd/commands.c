// SPDX-License-Identifier: GPL-2.0
#include "commands.h"
#include "ctl-proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "ctl-commands.h"
#include "log.h"
#include "state.h"
#include "vswitchd.h"

/* The handlers, attached by name to lib/ctl-commands.c's table. */
static const struct cmd_handler {
	const char *name;
	int (*fn)(struct cmd_ctx *ctx);
} handlers[] = {
	{ "add-br",		cmd_add_br },
	{ "del-br",		cmd_del_br },
	{ "list-br",		cmd_list_br },
	{ "add-port",		cmd_add_port },
	{ "del-port",		cmd_del_port },
	{ "list-ports",		cmd_list_ports },
	{ "show",		cmd_show },
	{ "set",		cmd_set },
	{ "add-flow",		cmd_add_flow },
	{ "add-flows",		cmd_add_flows },
	{ "del-flows",		cmd_del_flows },
	{ "mod-flows",		cmd_mod_flows },
	{ "replace-flows",	cmd_replace_flows },
	{ "diff-flows",		cmd_diff_flows },
	{ "dump-flows",		cmd_dump_flows },
	{ "trace",		cmd_trace },
	{ "dump-dp-flows",	cmd_dump_dp_flows },
	{ "check-dp-flows",	cmd_check_dp_flows },
	{ "dp-stats",		cmd_dp_stats },
	{ "fdb-show",		cmd_fdb_show },
	{ "dump-conntrack",	cmd_dump_conntrack },
	{ "flush-conntrack",	cmd_flush_conntrack },
	{ "set-controller",	cmd_set_controller },
	{ "get-controller",	cmd_get_controller },
	{ "del-controller",	cmd_del_controller },
	{ "set-fail-mode",	cmd_set_fail_mode },
	{ "get-fail-mode",	cmd_get_fail_mode },
	{ "del-fail-mode",	cmd_del_fail_mode },
	{ "add-group",		cmd_add_group },
	{ "add-groups",		cmd_add_groups },
	{ "mod-group",		cmd_mod_group },
	{ "del-groups",		cmd_del_groups },
	{ "dump-groups",	cmd_dump_groups },
	{ "dump-group-stats",	cmd_dump_group_stats },
};

static const struct cmd_handler *find_handler(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(handlers); i++)
		if (!strcmp(handlers[i].name, name))
			return &handlers[i];
	return NULL;
}

int cmd_verify_table(char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < ctl_n_commands; i++)
		if (!find_handler(ctl_commands[i].name)) {
			snprintf(err, errlen, "command '%s' has no handler",
				 ctl_commands[i].name);
			return -1;
		}
	for (i = 0; i < ARRAY_SIZE(handlers); i++)
		if (!ctl_command_find(handlers[i].name)) {
			snprintf(err, errlen, "handler '%s' is not in the "
				 "command table", handlers[i].name);
			return -1;
		}
	return 0;
}

int cmd_json_start(struct cmd_ctx *ctx, struct json_out *jo)
{
	jo->s = NULL;
	jo->f = open_memstream(&jo->s, &jo->len);
	if (!jo->f)
		return cmd_err(ctx, "out of memory");
	json_init(&jo->w, jo->f);
	return 0;
}

void cmd_json_finish(struct cmd_ctx *ctx, struct json_out *jo)
{
	fclose(jo->f);
	strbuf_puts(&ctx->out, jo->s);
	free(jo->s);
}

int cmd_err(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	return -1;
}

struct bridge *cmd_bridge(struct cmd_ctx *ctx)
{
	struct bridge *br = bridge_find(ctx->argv[1]);

	if (!br)
		cmd_err(ctx, "no bridge named '%s'", ctx->argv[1]);
	return br;
}

/* Pulls --json / --strict / --ct-next=FLAGS out of @argv, keeping the
 * positional order. */
static int split_options(struct cmd_ctx *ctx, int argc, char **argv)
{
	int i;

	ctx->argc = 0;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			ctx->json = true;
		else if (!strcmp(argv[i], "--strict"))
			ctx->strict = true;
		else if (!strncmp(argv[i], "--ct-next=", 10) &&
			 ctx->n_ct_next == CTL_MAX_CT_NEXT)
			return cmd_err(ctx, "at most %d --ct-next",
				       CTL_MAX_CT_NEXT);
		else if (!strncmp(argv[i], "--ct-next=", 10))
			ctx->ct_next[ctx->n_ct_next++] = argv[i] + 10;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return cmd_err(ctx, "unknown option '%s'", argv[i]);
		else
			ctx->argv[ctx->argc++] = argv[i];
	}
	if (!ctx->argc)
		return cmd_err(ctx, "no command given");
	return 0;
}

/* The handler of the command in ctx->argv[0] once its arguments and
 * options passed the table's checks, or NULL with ctx->err set. */
static const struct cmd_handler *find_cmd(struct cmd_ctx *ctx)
{
	const struct ctl_command *c = ctl_command_find(ctx->argv[0]);
	const struct cmd_handler *h;

	if (!c) {
		cmd_err(ctx, "unknown command '%s'", ctx->argv[0]);
		return NULL;
	}
	unsigned opts = (ctx->json ? CTL_F_LISTING : 0) |
			(ctx->strict ? CTL_F_STRICT : 0) |
			(ctx->n_ct_next ? CTL_F_CT_NEXT : 0);

	if (ctl_command_check(c, ctx->argc - 1, opts, ctx->err,
			      sizeof(ctx->err)))
		return NULL;
	h = find_handler(c->name);
	if (!h)
		cmd_err(ctx, "%s: not implemented by this vswitchd", c->name);
	return h;
}

int cmd_run(int argc, char **argv, struct strbuf *out, char *err,
	    size_t errlen)
{
	char *pos[argc + 1];
	struct cmd_ctx ctx = { .argv = pos };
	const struct cmd_handler *c;
	int ret = -1;

	strbuf_init(&ctx.out);
	vswd_lock();
	if (split_options(&ctx, argc, argv))
		goto out;
	c = find_cmd(&ctx);
	if (!c)
		goto out;
	ret = c->fn(&ctx);
	if (!ret && ctx.changed && state_save(ctx.err, sizeof(ctx.err))) {
		log_err("%s", ctx.err);
		/* the change is live but not on disk: say so */
		ret = -1;
	}
out:
	vswd_unlock();
	if (ret && ret != VSW_CTL_STATUS_DIFFER) {
		snprintf(err, errlen, "%s", ctx.err);
		strbuf_free(&ctx.out);
	} else {
		*out = ctx.out;
	}
	return ret;
}
