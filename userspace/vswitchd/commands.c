// SPDX-License-Identifier: GPL-2.0
#include "commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "log.h"
#include "state.h"
#include "vswitchd.h"

static const struct cmd_def commands[] = {
	{ "add-br",		1, 1, cmd_add_br },
	{ "del-br",		1, 1, cmd_del_br },
	{ "list-br",		0, 0, cmd_list_br, true },
	{ "add-port",		2, 5, cmd_add_port },
	{ "del-port",		2, 2, cmd_del_port },
	{ "list-ports",		1, 1, cmd_list_ports, true },
	{ "show",		0, 1, cmd_show, true },
	{ "set",		2, 8, cmd_set },
	{ "add-flow",		2, 2, cmd_add_flow },
	{ "add-flows",		2, 2, cmd_add_flows },
	{ "del-flows",		1, 2, cmd_del_flows },
	{ "dump-flows",		1, 2, cmd_dump_flows, true },
	{ "trace",		2, 2, cmd_trace },
	{ "dump-dp-flows",	1, 1, cmd_dump_dp_flows, true },
	{ "dp-stats",		1, 1, cmd_dp_stats, true },
	{ "fdb-show",		1, 1, cmd_fdb_show, true },
};

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

/* Pulls --json / --strict out of @argv, keeping the positional order. */
static int split_options(struct cmd_ctx *ctx, int argc, char **argv)
{
	int i;

	ctx->argc = 0;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			ctx->json = true;
		else if (!strcmp(argv[i], "--strict"))
			ctx->strict = true;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return cmd_err(ctx, "unknown option '%s'", argv[i]);
		else
			ctx->argv[ctx->argc++] = argv[i];
	}
	if (!ctx->argc)
		return cmd_err(ctx, "no command given");
	return 0;
}

static const struct cmd_def *find_cmd(struct cmd_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct cmd_def *c = &commands[i];

		if (strcmp(c->name, ctx->argv[0]))
			continue;
		if (ctx->argc - 1 < c->min_args || ctx->argc - 1 > c->max_args) {
			cmd_err(ctx, "%s: wrong number of arguments (%d)", c->name,
				ctx->argc - 1);
			return NULL;
		}
		if (ctx->json && !c->listing) {
			cmd_err(ctx, "%s: --json applies only to listings",
				c->name);
			return NULL;
		}
		if (ctx->strict && strcmp(c->name, "del-flows")) {
			cmd_err(ctx, "%s: --strict applies only to del-flows",
				c->name);
			return NULL;
		}
		return c;
	}
	cmd_err(ctx, "unknown command '%s'", ctx->argv[0]);
	return NULL;
}

int cmd_run(int argc, char **argv, struct strbuf *out, char *err,
	    size_t errlen)
{
	char *pos[argc + 1];
	struct cmd_ctx ctx = { .argv = pos };
	const struct cmd_def *c;
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
	if (ret) {
		snprintf(err, errlen, "%s", ctx.err);
		strbuf_free(&ctx.out);
	} else {
		*out = ctx.out;
	}
	return ret;
}
