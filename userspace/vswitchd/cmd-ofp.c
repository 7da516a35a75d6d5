// SPDX-License-Identifier: GPL-2.0
/* set-controller, get-controller, del-controller (ofconn.h);
 * set-fail-mode, get-fail-mode, del-fail-mode (fail-open.h). */
#include "bridge.h"
#include "commands.h"
#include "fail-open.h"
#include "ofconn.h"

int cmd_set_controller(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);

	if (!br)
		return -1;
	if (ofmgr_set_controllers(br->name, ctx->argv + 2, ctx->argc - 2,
				  ctx->err, sizeof(ctx->err)))
		return -1;
	ctx->changed = true;
	return 0;
}

int cmd_get_controller(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);

	if (!br)
		return -1;
	ofmgr_format_controllers(br->name, &ctx->out, false);
	return 0;
}

int cmd_del_controller(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);

	if (!br)
		return -1;
	ctx->changed = true;
	return ofmgr_set_controllers(br->name, NULL, 0, ctx->err, sizeof(ctx->err));
}

int cmd_set_fail_mode(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	uint8_t mode;

	if (!br || fail_mode_parse(ctx->argv[2], &mode, ctx->err, sizeof(ctx->err)))
		return -1;
	fail_open_set_mode(br, mode);
	ctx->changed = true;
	return 0;
}

/* Prints nothing when unset, as ovs-vsctl does. */
int cmd_get_fail_mode(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);

	if (!br)
		return -1;
	if (br->fail_mode != FAIL_MODE_UNSET)
		strbuf_printf(&ctx->out, "%s\n", fail_mode_name(br->fail_mode));
	return 0;
}

int cmd_del_fail_mode(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);

	if (!br)
		return -1;
	fail_open_set_mode(br, FAIL_MODE_UNSET);
	ctx->changed = true;
	return 0;
}
