// SPDX-License-Identifier: GPL-2.0
/*
 * check-dp-flows: every megaflow in the kernel against a fresh
 * translation of it with the current rules and MAC table. It proves the
 * revalidator's targeted marking right (or wrong) on a whole table, and
 * tells an operator whether what the kernel does is what the rules say.
 *
 * It runs, like every command, with vswd.mutex held, across the whole
 * kernel dump: new upcalls' translation and revalidation wait for it.
 * Kernel flows may still change meanwhile (handlers install and the
 * revalidator deletes outside the mutex). The kernel flags a dump that
 * such a change interrupted, and the dump stops there (nl-sock.c calls no
 * callback after the flag): what it saw proves nothing about the rest, so
 * the check starts again, up to CHECK_DUMP_TRIES times, and fails when no
 * dump got through.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "commands.h"
#include "dp-format.h"
#include "dpif.h"
#include "ofp-print.h"
#include "revalidator.h"
#include "ukey.h"
#include "vswitchd.h"
#include "xlate.h"

#define CHECK_DUMP_TRIES 5

struct check_aux {
	struct bridge *br;
	uint64_t checked, differ, too_wide, unknown;
	struct strbuf first;		/* the first megaflow that differs */
};

/* Describes @f, which differs from its fresh translation @xo (r as from
 * reval_translate_again()), into a->first. */
static void note_first(struct check_aux *a, const struct dpif_flow *f,
		       const struct xlate_out *xo, int r)
{
	char *have = odp_format_actions_flow(&f->actions, &f->match.flow);
	char *want = odp_format_actions_flow(&xo->actions, &f->match.flow);

	dp_format_match(&a->first, &f->match);
	strbuf_printf(&a->first, " has actions:%s", have ? have : "?");
	if (r < 0) {
		strbuf_puts(&a->first, " but its mask is too wide, a fresh "
			    "translation needs ");
		dp_format_match(&a->first, &xo->megaflow);
	} else {
		strbuf_printf(&a->first, ", a fresh translation gives "
			      "actions:%s", want ? want : "?");
	}
	free(have);
	free(want);
}

static int check_cb(const struct dpif_flow *f, void *aux_)
{
	struct check_aux *a = aux_;
	struct xlate_out xo;
	uint8_t ufid[VSW_UFID_LEN];
	int r;

	if (f->terse)
		return 0;	/* not asked for; nothing to check */
	if (f->has_ufid)
		memcpy(ufid, f->ufid, sizeof(ufid));
	else
		dpif_ufid_for_match(&f->match, ufid);
	a->unknown += !ukey_find(&a->br->ukeys, ufid);
	r = reval_translate_again(a->br, &f->match, &f->actions, &xo);
	a->checked++;
	if (r != 1) {
		if (!a->differ)
			note_first(a, f, &xo, r);
		a->differ++;
		a->too_wide += r < 0;
	}
	xlate_out_uninit(&xo);
	return 0;
}

/* One whole dump through check_cb; -EINTR when a flow change interrupted
 * it, -1 on any other failure (ctx->err says why). */
static int check_dump_once(struct cmd_ctx *ctx, struct check_aux *a)
{
	int ret;

	a->checked = a->differ = a->too_wide = a->unknown = 0;
	strbuf_free(&a->first);
	strbuf_init(&a->first);
	ret = dpif_flow_dump(vswd.dpif, a->br->name, false, check_cb, a,
			     ctx->err, sizeof(ctx->err));
	if (ret == -EINTR)
		ctx->err[0] = '\0';
	return ret == -EINTR ? -EINTR : ret ? -1 : 0;
}

int cmd_check_dp_flows(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct check_aux a = { .br = br };
	int ret = -EINTR;

	if (!br)
		return -1;
	if (!vswd.dp_available || !br->dp_ok)
		return cmd_err(ctx, "%s: no kernel datapath to check", br->name);
	strbuf_init(&a.first);
	for (int i = 0; i < CHECK_DUMP_TRIES && ret == -EINTR; i++)
		ret = check_dump_once(ctx, &a);
	if (ret == -EINTR) {
		strbuf_free(&a.first);
		return cmd_err(ctx, "%s: nothing checked: flow changes interrupted "
			       "the kernel's dump %d times in a row; try again",
			       br->name, CHECK_DUMP_TRIES);
	}
	if (ret) {
		strbuf_free(&a.first);
		return -1;
	}
	if (a.differ) {
		cmd_err(ctx, "%s: %" PRIu64 " of %" PRIu64 " megaflows differ from "
			"a fresh translation (%" PRIu64 " with a mask too wide); "
			"the first: %s", br->name, a.differ, a.checked,
			a.too_wide, strbuf_str(&a.first));
		strbuf_free(&a.first);
		return -1;
	}
	strbuf_free(&a.first);
	strbuf_printf(&ctx->out, "%s: %" PRIu64 " megaflows checked, all match "
		      "a fresh translation (%" PRIu64 " without a daemon "
		      "record)\n", br->name, a.checked, a.unknown);
	return 0;
}
