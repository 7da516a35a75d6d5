// SPDX-License-Identifier: GPL-2.0
/* set-controller, get-controller, del-controller (ofconn.h). */
#include "bridge.h"
#include "commands.h"
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
