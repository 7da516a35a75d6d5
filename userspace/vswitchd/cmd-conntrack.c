// SPDX-License-Identifier: GPL-2.0
/*
 * dump-conntrack and flush-conntrack: the kernel's connections in
 * vswitchd's network namespace, where its datapaths track them (one
 * table per namespace, shared by every bridge in it: BR only has to
 * exist, as ovs-dpctl's datapath argument).
 */
#include <errno.h>
#include <string.h>

#include "bridge.h"
#include "commands.h"
#include "ct-netlink.h"
#include "vswitchd.h"

/* Checks the optional BR (the first argument without '=') and parses
 * the rest into @f. Returns 0, or -1 with ctx->err set.
 */
static int ct_args(struct cmd_ctx *ctx, struct ct_filter *f, bool allow_tuple)
{
	int first = 1;

	if (ctx->argc > 1 && !strchr(ctx->argv[1], '=')) {
		if (!cmd_bridge(ctx))
			return -1;
		first = 2;
	}
	return ct_filter_parse(f, ctx->argv + first, ctx->argc - first,
			       allow_tuple, ctx->err, sizeof(ctx->err));
}

struct dump_out {
	struct cmd_ctx *ctx;
	struct json_writer *w;
};

static int dump_cb(const struct ct_conn *c, void *aux)
{
	struct dump_out *o = aux;

	if (o->w) {
		ct_conn_json(o->w, c);
	} else {
		ct_conn_format(&o->ctx->out, c);
		strbuf_putc(&o->ctx->out, '\n');
	}
	return 0;
}

int cmd_dump_conntrack(struct cmd_ctx *ctx)
{
	struct dump_out o = { ctx, NULL };
	struct genl_sock s;
	struct ct_filter f;
	struct json_out jo;
	int ret;

	if (ct_args(ctx, &f, false) ||
	    ct_netlink_open(&s, ctx->err, sizeof(ctx->err)))
		return -1;
	if (ctx->json) {
		if (cmd_json_start(ctx, &jo)) {
			genl_sock_close(&s);
			return -1;
		}
		json_arr_begin(&jo.w, NULL);
		o.w = &jo.w;
	}
	ret = ct_netlink_dump(&s, &f, dump_cb, &o, ctx->err, sizeof(ctx->err));
	if (ctx->json) {
		json_arr_end(&jo.w);
		cmd_json_finish(ctx, &jo);
	}
	genl_sock_close(&s);
	return ret ? -1 : 0;
}

int cmd_flush_conntrack(struct cmd_ctx *ctx)
{
	struct genl_sock s;
	struct ct_filter f;
	long n;
	int ret;

	if (ct_args(ctx, &f, true) ||
	    ct_netlink_open(&s, ctx->err, sizeof(ctx->err)))
		return -1;
	ret = ct_netlink_flush(&s, &f, &n, ctx->err, sizeof(ctx->err));
	genl_sock_close(&s);
	return ret ? -1 : 0;
}
