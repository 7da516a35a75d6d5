// SPDX-License-Identifier: GPL-2.0
/*
 * The targeted pass (reval-private.h): after a kick between periodic
 * passes, only the megaflow records reval_mark_*() marked (reval-mark.c)
 * are credited what the kernel counted for them, translated again and
 * fixed or removed. No dump, no walk over the other records: it costs
 * what the change touched.
 */
#include "reval-private.h"

#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "dpif.h"
#include "log.h"
#include "ukey.h"
#include "util.h"
#include "vswitchd.h"
#include "xlate.h"

struct marked_aux {
	struct bridge *br;
	struct dump *d;
};

/* True when @uk's dependencies are still those of copy @was: whatever
 * the flow counted is credited alike before and after the translation. */
static bool same_deps(const struct ukey *uk, const struct ukey *was)
{
	return uk->n_rules == was->n_rules &&
	       uk->n_group_uses == was->n_group_uses &&
	       uk->tnl_unmatched == was->tnl_unmatched &&
	       !memcmp(uk->missed, was->missed, sizeof(uk->missed)) &&
	       (!uk->n_rules || !memcmp(uk->rule_ids, was->rule_ids,
				       uk->n_rules * sizeof(*uk->rule_ids))) &&
	       (!uk->n_group_uses ||
		!memcmp(uk->group_uses, was->group_uses,
			uk->n_group_uses * sizeof(*uk->group_uses)));
}

/* A KEEP whose dependencies changed reads the flow's counters (by match)
 * to credit them to the old ones; one whose did not needs no request. */
static void keep_marked(struct dumped *x, const struct ukey *uk)
{
	if (x->was && !same_deps(uk, x->was))
		x->match = malloc(sizeof(*x->match));
	if (x->match) {
		*x->match = uk->mf;
		return;
	}
	reval_record_free(x->was);	/* the periodic pass credits it */
	x->was = NULL;
}

/* Re-translates a marked record into a verdict in a->d, addressed by
 * match (a flow adopted without a UFID has none in the kernel), keeping
 * a copy of the record as it was (without memory: no copy, and what the
 * flow counted since the last push goes to where it leads now). */
static void marked_cb(struct ukey *uk, void *aux_)
{
	struct marked_aux *a = aux_;
	struct dumped *x;
	struct xlate_out xo;
	int r;

	if (!uk->dirty || a->d->oom)
		return;
	x = reval_dump_push(a->d);
	if (!x)
		return;
	memcpy(x->ufid, uk->ufid, VSW_UFID_LEN);
	x->has_ufid = false;
	x->in_port = uk->mf.flow.in_port;
	x->was = reval_record_copy(uk);
	r = reval_retranslate(a->br, &uk->mf, uk->acts, &xo);
	if (r == 0)
		reval_set_fix(x, uk, &xo.actions);
	if (r < 0 || x->verdict == DELETE) {
		x->verdict = DELETE;
		x->why = r < 0 ? "its mask is too wide now" : x->why;
		if (!x->match)
			x->match = malloc(sizeof(*x->match));
		if (x->match)
			*x->match = uk->mf;
		ukey_remove(&a->br->ukeys, uk);
	} else {
		ukey_set_deps(uk, &xo);
		if (x->verdict == KEEP)
			keep_marked(x, uk);
	}
	xlate_out_uninit(&xo);
}

/* Credits what each flow of @d counted since the last push, as the
 * kernel answered its fix, delete or read, to the rules and table misses
 * its record had before the pass translated it; a record still there
 * takes the new counters as pushed. Packets that hit a flow between its
 * translation and its fix go to the old rules: a window of one batch. */
static void credit_marked(struct bridge *br, const struct dump *d)
{
	long long now = vsw_time_msec();
	struct ukey *uk, *was;
	size_t i;

	for (i = 0; i < d->n; i++) {
		was = d->v[i].was;
		if (!was || !d->v[i].counted)
			continue;
		uk = ukey_find(&br->ukeys, d->v[i].ufid);
		if (uk && (d->v[i].verdict == DELETE ||
			   uk->packets != was->packets || uk->bytes != was->bytes))
			uk = NULL;	/* a new record since */
		reval_push_stats(br, was, &d->v[i], now);
		if (!uk)
			continue;
		uk->packets = was->packets;
		uk->bytes = was->bytes;
		if (was->used_ms > uk->used_ms)
			uk->used_ms = was->used_ms;
	}
}

/* Expiry, the limit, unknown flows and records still marked (out of
 * memory here) wait for the next periodic pass. */
void reval_targeted_pass(const char *name)
{
	struct dump d = { NULL, 0, 0, false };
	struct marked_aux a = { NULL, &d };

	vswd_lock();
	a.br = bridge_find(name);
	if (a.br && a.br->dp_ok)
		ukey_foreach_marked_safe(&a.br->ukeys, marked_cb, &a);
	vswd_unlock();
	reval_apply(name, &d);
	vswd_lock();
	a.br = bridge_find(name);
	if (a.br && a.br->dp_ok)
		credit_marked(a.br, &d);
	vswd_unlock();
	reval_dump_free(&d);
}
