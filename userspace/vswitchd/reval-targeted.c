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

/* Re-translates a marked record into a verdict in a->d, addressed by
 * match (a flow adopted without a UFID has none in the kernel). */
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
	r = reval_retranslate(a->br, &uk->mf, uk->acts, &xo);
	if (r == 0)
		reval_set_fix(x, uk, &xo.actions);
	if (r < 0 || x->verdict == DELETE) {
		x->verdict = DELETE;
		x->why = r < 0 ? "its mask is too wide now" : x->why;
		x->match = malloc(sizeof(*x->match));
		if (x->match)
			*x->match = uk->mf;
		ukey_remove(&a->br->ukeys, uk);
	} else {
		ukey_set_deps(uk, &xo);
	}
	xlate_out_uninit(&xo);
}

/* Lists a marked record's UFID and megaflow in @aux (a struct dump). */
static void list_marked_cb(struct ukey *uk, void *aux)
{
	struct dump *d = aux;
	struct dumped *x;

	if (!uk->dirty || d->oom)
		return;
	x = reval_dump_push(d);
	if (!x)
		return;
	x->match = malloc(sizeof(*x->match));
	if (!x->match) {
		d->n--;
		d->oom = true;
		return;
	}
	memcpy(x->ufid, uk->ufid, VSW_UFID_LEN);
	*x->match = uk->mf;
}

/* Reads the kernel's counters of each flow in @d, by match (one FLOW_GET
 * each, without the mutex); a flow the kernel no longer has stays
 * uncounted. */
static void read_counts(const char *name, struct dump *d)
{
	struct dpif_flow *f = malloc(sizeof(*f));
	char err[256];
	size_t i;

	for (i = 0; f && i < d->n; i++) {
		struct dumped *x = &d->v[i];

		if (dpif_flow_get(reval_dpif, name, x->match, NULL, f, err,
				  sizeof(err))) {
			log_debug("%s: reading a marked megaflow: %s", name, err);
			continue;
		}
		x->packets = f->packets;
		x->bytes = f->bytes;
		x->counted = true;
	}
	free(f);
}

/* Credits what the marked flows in @d counted since the last push to the
 * rules and table misses they have now, before a translation moves them
 * to others. A packet that hits one between the read and the fix still
 * goes to the new rules (a window of one pass, not of a period). */
static void credit_marked(struct bridge *br, const struct dump *d)
{
	long long now = vsw_time_msec();
	struct ukey *uk;
	size_t i;

	for (i = 0; i < d->n; i++) {
		uk = ukey_find(&br->ukeys, d->v[i].ufid);
		if (d->v[i].counted && uk && uk->dirty)
			reval_push_stats(br, uk, &d->v[i], now);
	}
}

/* Lists the marked records of datapath @name's bridge in @counts and
 * reads their kernel counters. Takes vswd.mutex only to list them. */
static void count_marked(const char *name, struct dump *counts)
{
	struct bridge *br;

	vswd_lock();
	br = bridge_find(name);
	if (br && br->dp_ok)
		ukey_foreach_marked_safe(&br->ukeys, list_marked_cb, counts);
	vswd_unlock();
	read_counts(name, counts);
}

/* Expiry, the limit, unknown flows and records still marked (out of
 * memory here) wait for the next periodic pass. */
void reval_targeted_pass(const char *name)
{
	struct dump d = { NULL, 0, 0, false }, counts = d;
	struct marked_aux a = { NULL, &d };

	count_marked(name, &counts);
	vswd_lock();
	a.br = bridge_find(name);
	if (a.br && a.br->dp_ok) {
		credit_marked(a.br, &counts);
		ukey_foreach_marked_safe(&a.br->ukeys, marked_cb, &a);
	}
	vswd_unlock();
	reval_dump_free(&counts);
	reval_apply(name, &d);
	reval_dump_free(&d);
}
