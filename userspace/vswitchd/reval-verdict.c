// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict list both revalidator passes fill (reval-private.h): its
 * storage, the per-flow steps they share (crediting counters, translating
 * again, preparing a fix) and the carrying out of the verdicts.
 */
#include "reval-private.h"
#include "revalidator.h"

#include <errno.h>
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
		reval_record_free(d->v[i].was);
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

static void *dup_array(const uint64_t *v, size_t n)
{
	uint64_t *c = n ? malloc(n * sizeof(*c)) : NULL;

	if (c)
		memcpy(c, v, n * sizeof(*c));
	return c;
}

struct ukey *reval_record_copy(const struct ukey *uk)
{
	struct ukey *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	memcpy(c->ufid, uk->ufid, VSW_UFID_LEN);
	c->rule_ids = dup_array(uk->rule_ids, uk->n_rules);
	c->n_rules = uk->n_rules;
	c->group_uses = dup_array(uk->group_uses, uk->n_group_uses);
	c->n_group_uses = uk->n_group_uses;
	if ((c->n_rules && !c->rule_ids) ||
	    (c->n_group_uses && !c->group_uses)) {
		reval_record_free(c);
		return NULL;
	}
	memcpy(c->missed, uk->missed, sizeof(c->missed));
	c->tnl_unmatched = uk->tnl_unmatched;
	c->packets = uk->packets;
	c->bytes = uk->bytes;
	c->used_ms = uk->used_ms;
	return c;
}

void reval_record_free(struct ukey *copy)
{
	if (!copy)
		return;
	free(copy->rule_ids);
	free(copy->group_uses);
	free(copy);
}

/* One batch of reval_apply(): which entry each op carries out. */
struct apply {
	const char *dp;
	struct dump *d;
	size_t entry[DPIF_BATCH_MAX];
	unsigned int removed, fixed;
};

static void apply_reply(unsigned int op, const struct dpif_flow *f, void *aux)
{
	struct apply *a = aux;
	struct dumped *x = &a->d->v[a->entry[op]];

	x->packets = f->packets;
	x->bytes = f->bytes;
	x->counted = true;
}

/* Adds @x's request to @b: its op, -E2BIG when @b is full, or -ENOENT
 * when @x needs none. */
static int apply_add(struct dpif_batch *b, const char *dp, struct dumped *x)
{
	const struct match *m = x->match ? x->match :
				x->full ? &x->full->match : NULL;
	const uint8_t *ufid = x->has_ufid ? x->ufid : NULL;

	if (!ufid && !m)
		return -ENOENT;
	switch (x->verdict) {
	case DELETE:
		return dpif_batch_flow_del(b, dp, m, ufid);
	case FIX:
		return dpif_batch_flow_set(b, dp, x->match, x->fix_acts, ufid);
	case KEEP:
		break;
	}
	return x->was ? dpif_batch_flow_get(b, dp, m, ufid) : -ENOENT;
}

static void apply_commit(struct dpif_batch *b, struct apply *a)
{
	unsigned int n = b->n, i;
	int ret = dpif_batch_commit(reval_dpif, b);

	if (ret)
		log_warn("%s: revalidator requests: %s", a->dp, strerror(-ret));
	for (i = 0; i < n; i++) {
		struct dumped *x = &a->d->v[a->entry[i]];

		if (b->result[i])
			log_debug("%s: megaflow in_port %u (%s): %s", a->dp,
				  x->in_port, x->verdict == DELETE ? "removing" :
				  x->verdict == FIX ? "fixing" : "reading",
				  b->msg[i]);
		else if (x->verdict == DELETE)
			a->removed++;
		else if (x->verdict == FIX)
			a->fixed++;
	}
}

void reval_apply(const char *dp, struct dump *d)
{
	struct apply a = { .dp = dp, .d = d };
	struct dpif_batch b;
	size_t i;
	int op;

	if (dpif_batch_init(&b)) {
		log_warn("%s: no memory to carry out %zu verdicts", dp, d->n);
		return;
	}
	b.reply_cb = apply_reply;
	b.aux = &a;
	for (i = 0; i < d->n; i++) {
		if (d->v[i].verdict == DELETE)
			log_debug("%s: removing megaflow in_port %u: %s", dp,
				  d->v[i].in_port, d->v[i].why);
		op = apply_add(&b, dp, &d->v[i]);
		if (op == -E2BIG) {
			apply_commit(&b, &a);
			op = apply_add(&b, dp, &d->v[i]);
		}
		if (op >= 0)
			a.entry[op] = i;
	}
	apply_commit(&b, &a);
	dpif_batch_uninit(&b);
	vswd_count(&reval_c->flows_removed, a.removed);
	vswd_count(&reval_c->flows_fixed, a.fixed);
}
