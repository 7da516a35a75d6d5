// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict list both revalidator passes fill (reval-private.h): its
 * storage, the per-flow steps they share (crediting counters, translating
 * again, preparing a fix) and the carrying out of the verdicts.
 */
#include "reval-private.h"
#include "revalidator.h"

#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "counters.h"
#include "dpif.h"
#include "group-mod.h"
#include "log.h"
#include "odp-key.h"
#include "pipeline.h"
#include "ukey.h"
#include "vswitchd.h"
#include "xlate.h"

struct dpif *reval_dpif;
struct vswd_counters *reval_c;

void reval_dump_free(struct dump *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].full);
		free(d->v[i].match);
		free(d->v[i].fix_acts);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

struct dumped *reval_dump_push(struct dump *d)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct dumped *v = realloc(d->v, cap * sizeof(*v));

		if (!v) {
			d->oom = true;
			return NULL;
		}
		d->v = v;
		d->cap = cap;
	}
	memset(&d->v[d->n], 0, sizeof(d->v[d->n]));
	return &d->v[d->n++];
}

void reval_push_stats(struct bridge *br, struct ukey *uk,
		      const struct dumped *f, long long now)
{
	uint64_t dp = f->packets - uk->packets, db = f->bytes - uk->bytes;
	size_t i;

	if (f->packets < uk->packets || f->bytes < uk->bytes) {
		uk->packets = f->packets;	/* stats were cleared */
		uk->bytes = f->bytes;
		return;
	}
	if (!dp)
		return;
	if (uk->tnl_unmatched)
		vswd_count(&reval_c->tnl_unmatched, dp);
	for (i = 0; i < uk->n_rules; i++) {
		struct rule *r = pipeline_find_rule(br->pl, uk->rule_ids[i]);

		if (r)
			rule_credit(r, dp, db, now);
	}
	pipeline_credit_misses(br->pl, uk->missed, dp);
	group_credit(br, uk->group_uses, uk->n_group_uses, dp, db);
	uk->packets = f->packets;
	uk->bytes = f->bytes;
	uk->used_ms = now;
}

/* True when every bit @need consults is also in @have's mask: a megaflow
 * installed with @have then holds only packets that agree on all of them,
 * so they all translate alike. (Translating a megaflow's masked key may
 * consult fewer bits than the packet that created it did, e.g. where a
 * prefix trie stops earlier; that is fine. More bits are not.) */
static bool mask_covers(const struct match *have, const struct match *need)
{
	const uint64_t *h = (const uint64_t *)&have->mask;
	const uint64_t *n = (const uint64_t *)&need->mask;
	size_t i;

	for (i = 0; i < FLOW_WORDS; i++)
		if (n[i] & ~h[i])
			return false;
	return true;
}

int reval_translate_again(struct bridge *br, const struct match *mf,
			  const struct odp_actions *acts, struct xlate_out *xo)
{
	struct xlate_bridge xb;

	vswd_assert_locked();
	bridge_xlate_view(br, &xb);
	memset(xo, 0, sizeof(*xo));
	xlate_flow(&xb, &mf->flow, false, xo, NULL);
	xo->megaflow.mask.in_port = UINT32_MAX;
	if (!mask_covers(mf, &xo->megaflow))
		return -1;
	return odp_actions_equal(&xo->actions, acts) ? 1 : 0;
}

int reval_retranslate(struct bridge *br, const struct match *mf,
		      const struct odp_actions *acts, struct xlate_out *xo)
{
	vswd_count(&reval_c->reval_checked, 1);
	return reval_translate_again(br, mf, acts, xo);
}

/* A FIX needs the match and the new actions once the mutex is dropped. */
void reval_set_fix(struct dumped *d, const struct ukey *uk,
		   const struct odp_actions *acts)
{
	d->match = malloc(sizeof(*d->match));
	d->fix_acts = malloc(sizeof(*d->fix_acts));
	if (!d->match || !d->fix_acts) {
		d->verdict = DELETE;	/* cannot fix it: let it miss again */
		d->why = "out of memory";
		return;
	}
	*d->match = uk->mf;
	*d->fix_acts = *acts;
	d->verdict = FIX;
}

void reval_apply(const char *dp, struct dump *d)
{
	unsigned int removed = 0, fixed = 0;
	char err[256];
	size_t i;

	for (i = 0; i < d->n; i++) {
		struct dumped *x = &d->v[i];
		const struct match *m = x->match ? x->match :
					x->full ? &x->full->match : NULL;

		if (x->verdict == DELETE)
			log_debug("%s: removing megaflow in_port %u: %s", dp,
				  x->in_port, x->why);
		if (x->verdict == DELETE && (x->has_ufid || m) &&
		    !dpif_flow_del(reval_dpif, dp, m,
				   x->has_ufid ? x->ufid : NULL, NULL, err,
				   sizeof(err)))
			removed++;
		if (x->verdict == FIX &&
		    !dpif_flow_put(reval_dpif, dp, x->match, x->fix_acts,
				   x->has_ufid ? x->ufid : NULL,
				   DPIF_FP_REPLACE, err, sizeof(err)))
			fixed++;
	}
	vswd_count(&reval_c->flows_removed, removed);
	vswd_count(&reval_c->flows_fixed, fixed);
}
