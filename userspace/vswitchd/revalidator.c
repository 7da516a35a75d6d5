// SPDX-License-Identifier: GPL-2.0
#include "revalidator.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge.h"
#include "counters.h"
#include "dpif.h"
#include "log.h"
#include "mac-learning.h"
#include "odp-key.h"
#include "ofproto.h"
#include "pipeline.h"
#include "state.h"
#include "ukey.h"
#include "util.h"
#include "vswitchd.h"
#include "xlate.h"

static pthread_t reval_thread;
static pthread_mutex_t kick_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kick_cond;
static bool kicked, reval_stopping, reval_running;
/* Passes begun and finished, under kick_mutex: reval_sync_ticket(). */
static uint64_t passes_begun, passes_done;
static struct dpif *reval_dpif;
static struct vswd_counters *reval_c;	/* written by the thread only */

/*
 * One flow of a dump and what to do with it. Dumps are terse (counters
 * and UFID only) as long as every flow has a record: then a pass costs a
 * few dozen bytes per flow instead of its key, mask and actions. A flow
 * the daemon has no record of (after a restart, say) calls for a full
 * dump, whose flows carry @full.
 */
struct dumped {
	uint8_t ufid[VSW_UFID_LEN];
	bool has_ufid;
	uint64_t packets, bytes;
	int64_t used_ms;		/* -1 = never */
	struct dpif_flow *full;		/* full dumps only */
	enum { KEEP, DELETE, FIX } verdict;
	const char *why;		/* for DELETE, in debug logs */
	uint32_t in_port;		/* for the debug log */
	struct match *match;		/* for DELETE without UFID and FIX */
	struct odp_actions *fix_acts;	/* for FIX */
	long long idle_ms;
	bool counted;			/* targeted: packets, bytes were read */
};

struct dump {
	struct dumped *v;
	size_t n, cap;
	bool oom;			/* or otherwise incomplete */
};

static void dump_free(struct dump *d)
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

/* A zeroed entry at the end of @d, or NULL (and d->oom) without memory. */
static struct dumped *dump_push(struct dump *d)
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

static int dump_cb(const struct dpif_flow *f, void *aux)
{
	struct dump *d = aux;
	struct dumped *x = dump_push(d);

	if (!x)
		return -ENOMEM;
	if (!f->terse) {
		x->full = malloc(sizeof(*f));
		if (!x->full) {
			d->n--;		/* not kept: nothing to judge it by */
			d->oom = true;
			return -ENOMEM;
		}
		*x->full = *f;
		x->in_port = f->match.flow.in_port;
	}
	x->has_ufid = f->has_ufid;
	if (f->has_ufid)
		memcpy(x->ufid, f->ufid, VSW_UFID_LEN);
	else
		dpif_ufid_for_match(&f->match, x->ufid);
	x->packets = f->packets;
	x->bytes = f->bytes;
	x->used_ms = f->used_ms;
	return 0;
}

static void expired_rule_cb(const struct rule *r, void *aux)
{
	struct bridge *br = aux;
	long long now = vsw_time_msec();

	ofproto_rule_removed(br->name, r, ofproto_expiry_reason(r, now), now);
	reval_mark_rule(br, r->spec.table, &r->spec.match);
}

/* Periodic bridge upkeep before a dump: rule and MAC expiry, and the
 * marks they and port or MAC changes call for. */
static void upkeep(struct bridge *br, long long now)
{
	char err[256];
	uint64_t v;

	if (pipeline_expire(br->pl, now, expired_rule_cb, br) > 0 &&
	    state_save(err, sizeof(err)))
		log_warn("%s: saving after rule expiry: %s", br->name, err);
	mac_table_expire(br->macs, now);
	v = mac_table_version(br->macs);
	if (v != br->seen_mac_version) {
		/* A change the handlers did not mark for (expiry, eviction):
		 * re-check every flow NORMAL built. */
		reval_mark_normal(br);
		br->seen_mac_version = v;
	}
	if (br->reval_all) {
		reval_mark_all(br);
		br->reval_all = false;
	}
}

/* ---- per flow decisions (called with vswd.mutex) ---- */

static void push_stats(struct bridge *br, struct ukey *uk,
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

static int retranslate(struct bridge *br, const struct match *mf,
		       const struct odp_actions *acts, struct xlate_out *xo)
{
	vswd_count(&reval_c->reval_checked, 1);
	return reval_translate_again(br, mf, acts, xo);
}

static void adopt(struct bridge *br, struct dumped *d, long long now)
{
	struct xlate_out xo;
	struct ukey *uk;

	if (retranslate(br, &d->full->match, &d->full->actions, &xo) != 1) {
		d->verdict = DELETE;
		d->why = "unknown flow that does not translate the same";
	} else {
		uk = ukey_insert(&br->ukeys, d->ufid, &d->full->match, &xo, now);
		if (uk) {
			uk->packets = d->packets;
			uk->bytes = d->bytes;
			uk->seen = true;
			vswd_count(&reval_c->flows_adopted, 1);
		} else {
			d->verdict = DELETE;
			d->why = "out of memory";
		}
	}
	xlate_out_uninit(&xo);
}

/* A FIX needs the match and the new actions once the mutex is dropped. */
static void set_fix(struct dumped *d, const struct ukey *uk,
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

static void revalidate_one(struct bridge *br, struct dumped *d, long long now)
{
	struct ukey *uk = ukey_find(&br->ukeys, d->ufid);
	struct xlate_out xo;
	int r;

	d->idle_ms = d->used_ms >= 0 ? d->used_ms : 0;
	if (!uk) {
		adopt(br, d, now);	/* full dumps only: see decide() */
		return;
	}
	uk->seen = true;
	d->in_port = uk->mf.flow.in_port;
	push_stats(br, uk, d, now);
	if (d->used_ms < 0)
		d->idle_ms = now - uk->created_ms;
	if (d->idle_ms > br->set.idle_timeout_ms) {
		d->verdict = DELETE;
		d->why = "idle";
		return;
	}
	if (!uk->dirty)
		return;
	r = retranslate(br, &uk->mf, uk->acts, &xo);
	if (r < 0) {
		d->verdict = DELETE;
		d->why = "its mask is too wide now";
	} else {
		if (r == 0)
			set_fix(d, uk, &xo.actions);
		ukey_set_deps(uk, &xo);
	}
	xlate_out_uninit(&xo);
}

static int cmp_idle(const void *a, const void *b)
{
	const struct dumped *x = *(const struct dumped *const *)a;
	const struct dumped *y = *(const struct dumped *const *)b;

	return x->idle_ms < y->idle_ms ? 1 : x->idle_ms > y->idle_ms ? -1 : 0;
}

/* Over the flow limit: the most idle flows go first. */
static void enforce_limit(struct bridge *br, struct dump *d)
{
	struct dumped **v;
	size_t i, n = 0, kept = 0;

	for (i = 0; i < d->n; i++)
		kept += d->v[i].verdict != DELETE;
	if (kept <= br->set.flow_limit)
		return;
	v = malloc(kept * sizeof(*v));
	if (!v)
		return;
	for (i = 0; i < d->n; i++)
		if (d->v[i].verdict != DELETE)
			v[n++] = &d->v[i];
	qsort(v, n, sizeof(*v), cmp_idle);
	for (i = 0; i < n - br->set.flow_limit; i++) {
		v[i]->verdict = DELETE;
		v[i]->why = "over the flow limit";
	}
	free(v);
}

static void clear_seen(struct ukey *uk, void *aux)
{
	uk->seen = false;
}

struct sweep_aux {
	struct ukey_table *t;
	long long dump_start;
};

/* A record whose flow the kernel no longer has (and which is older than
 * the dump, so not just being installed) is dropped. */
static void sweep_unseen(struct ukey *uk, void *aux_)
{
	struct sweep_aux *a = aux_;

	/* a period of grace: its install may have raced with the dump */
	if (!uk->seen && uk->created_ms < a->dump_start - REVAL_PERIOD_MS)
		ukey_remove(a->t, uk);
}

/* True when a terse dump has a flow without a record: only a full dump
 * can adopt or judge it. */
static bool needs_full_dump(struct bridge *br, const struct dump *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!d->v[i].full && !ukey_find(&br->ukeys, d->v[i].ufid))
			return true;
	return false;
}

/*
 * Before adopting flows it has no record of (after a restart, every flow),
 * the daemon learns from them what their packets taught it when they were
 * set up: the source MAC of each flow that matched it exactly, on its
 * input port. NORMAL's flows then translate as they did, and are adopted,
 * instead of being replaced by floods until traffic teaches the MACs again.
 * Both directions of a conversation are learned before either is judged.
 */
static void relearn(struct bridge *br, const struct dump *d)
{
	static const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct xlate_bridge xb;
	struct xlate_out xo;
	size_t i;

	bridge_xlate_view(br, &xb);
	for (i = 0; i < d->n; i++) {
		const struct match *m = d->v[i].full ? &d->v[i].full->match : NULL;
		uint64_t mac_v;

		if (!m || memcmp(m->mask.eth_src, ones, 6) ||
		    ukey_find(&br->ukeys, d->v[i].ufid))
			continue;
		mac_v = mac_table_version(br->macs);
		xlate_flow(&xb, &m->flow, true, &xo, NULL);
		if (xo.learned) {
			/* targeted marks, as the handlers do */
			reval_mark_mac(br, m->flow.eth_src);
			if (mac_v == br->seen_mac_version)
				br->seen_mac_version = mac_table_version(br->macs);
		}
		xlate_out_uninit(&xo);
	}
}

static void decide(struct bridge *br, struct dump *d, long long dump_start)
{
	struct sweep_aux sa = { &br->ukeys, dump_start };
	long long now = vsw_time_msec();
	size_t i;

	relearn(br, d);
	ukey_foreach_safe(&br->ukeys, clear_seen, NULL);
	for (i = 0; i < d->n; i++)
		revalidate_one(br, &d->v[i], now);
	enforce_limit(br, d);
	for (i = 0; i < d->n; i++) {
		struct ukey *uk;

		if (d->v[i].verdict != DELETE)
			continue;
		uk = ukey_find(&br->ukeys, d->v[i].ufid);
		/* a flow without UFID is deleted by its match */
		if (uk && !d->v[i].has_ufid && !d->v[i].match) {
			d->v[i].match = malloc(sizeof(*d->v[i].match));
			if (d->v[i].match)
				*d->v[i].match = uk->mf;
		}
		if (uk)
			ukey_remove(&br->ukeys, uk);
	}
	if (!d->oom)
		ukey_foreach_safe(&br->ukeys, sweep_unseen, &sa);
}

/* Carries out the verdicts without the mutex. */
static void apply(const char *dp, struct dump *d)
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

/* Dumps @name's flows, tersely unless @full; -EAGAIN when a terse dump
 * found a flow without a record. */
static int revalidate_pass(const char *name, bool full)
{
	struct dump d = { NULL, 0, 0, false };
	long long start = vsw_time_msec();
	bool decided = false;
	struct bridge *br;
	char err[256];
	int ret = dpif_flow_dump(reval_dpif, name, !full, dump_cb, &d, err,
				 sizeof(err));

	/* An interrupted dump (flows changed meanwhile) is still worth
	 * processing; it may have missed flows, so nothing is swept. */
	if (ret == -EINTR)
		d.oom = true;
	else if (ret && !d.oom) {
		log_debug("%s: flow dump: %s", name, err);
		dump_free(&d);
		return 0;
	}
	ret = 0;
	vswd_lock();
	br = bridge_find(name);
	if (br && br->dp_ok && !full && needs_full_dump(br, &d))
		ret = -EAGAIN;
	else if (br && br->dp_ok) {
		decide(br, &d, start);
		decided = true;
	}
	vswd_unlock();
	if (decided)
		apply(name, &d);
	dump_free(&d);
	return ret;
}

static void revalidate_bridge(const char *name)
{
	if (revalidate_pass(name, false) == -EAGAIN) {
		vswd_count(&reval_c->reval_full_dumps, 1);
		revalidate_pass(name, true);
	}
}

/* ---- targeted passes: the marked records only, no dump ---- */
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
	x = dump_push(a->d);
	if (!x)
		return;
	memcpy(x->ufid, uk->ufid, VSW_UFID_LEN);
	x->has_ufid = false;
	x->in_port = uk->mf.flow.in_port;
	r = retranslate(a->br, &uk->mf, uk->acts, &xo);
	if (r == 0)
		set_fix(x, uk, &xo.actions);
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
	x = dump_push(d);
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
			push_stats(br, uk, &d->v[i], now);
	}
}

/* After a kick between periodic passes: only the records reval_mark_*()
 * marked are credited their kernel counters, translated again and fixed
 * or removed, by match, without a dump or a walk over the other records
 * (cost: what the change touched). Expiry, the limit, unknown flows and
 * records still marked (out of memory here) wait for the next periodic
 * pass. */
static void revalidate_marked(const char *name)
{
	struct dump d = { NULL, 0, 0, false }, counts = d;
	struct marked_aux a = { NULL, &d };

	vswd_lock();
	a.br = bridge_find(name);
	if (a.br && a.br->dp_ok)
		ukey_foreach_marked_safe(&a.br->ukeys, list_marked_cb, &counts);
	vswd_unlock();
	read_counts(name, &counts);
	vswd_lock();
	a.br = bridge_find(name);
	if (a.br && a.br->dp_ok) {
		credit_marked(a.br, &counts);
		ukey_foreach_marked_safe(&a.br->ukeys, marked_cb, &a);
	}
	vswd_unlock();
	dump_free(&counts);
	apply(name, &d);
	dump_free(&d);
}

/* One pass over every bridge: a periodic one dumps each datapath
 * (revalidate_bridge()), a kicked one between them only handles what
 * changes marked (revalidate_marked()). */
static void run_once(bool periodic)
{
	char (*names)[IFNAMSIZ] = NULL;
	size_t n = 0, i;
	struct bridge *br;
	uint64_t t0 = vsw_elapsed_usec(), cpu0 = vswd_thread_cpu_us();
	long long now = vsw_time_msec();
	uint64_t us;

	vswd_lock();
	for (br = vswd.bridges; br; br = br->next)
		n++;
	names = calloc(n ? n : 1, sizeof(*names));
	n = 0;
	for (br = vswd.bridges; names && br; br = br->next) {
		upkeep(br, now);
		if (br->dp_ok)
			snprintf(names[n++], IFNAMSIZ, "%s", br->name);
	}
	vswd_unlock();
	for (i = 0; reval_dpif && i < n; i++) {
		if (periodic)
			revalidate_bridge(names[i]);
		else
			revalidate_marked(names[i]);
	}
	free(names);
	us = vsw_elapsed_usec() - t0;
	if (!periodic) {
		vswd_count(&reval_c->reval_targeted, 1);
		vswd_count(&reval_c->reval_targeted_cpu_us,
			   vswd_thread_cpu_us() - cpu0);
		return;
	}
	vswd_count(&reval_c->reval_runs, 1);
	vswd_count_set(&reval_c->reval_last_us, us);
	vswd_count(&reval_c->reval_total_us, us);
	vswd_count_max(&reval_c->reval_max_us, us);
}

/* Waits for a kick or until @due (ms); false when stopping. *periodic:
 * that time has come (else a kick woke it). */
static bool wait_kick(long long due, bool *periodic)
{
	struct timespec ts;
	bool go;

	ts.tv_sec = due / 1000;
	ts.tv_nsec = (due % 1000) * 1000000L;
	pthread_mutex_lock(&kick_mutex);
	while (!kicked && !reval_stopping)
		if (pthread_cond_timedwait(&kick_cond, &kick_mutex, &ts) == ETIMEDOUT)
			break;
	kicked = false;
	go = !reval_stopping;
	passes_begun += go;
	pthread_mutex_unlock(&kick_mutex);
	*periodic = vsw_time_msec() >= due;
	return go;
}

/* Periodic passes begin REVAL_PERIOD_MS apart, or twice the last one's
 * length when it took more than half of that (a large table): at most
 * about half a CPU instead of back to back, and kicks between passes get
 * targeted passes at once; counters and idle expiry come that much later. */
static long long next_periodic(long long start_ms, long long end_ms)
{
	long long len = end_ms - start_ms;

	return start_ms + (2 * len > REVAL_PERIOD_MS ? 2 * len : REVAL_PERIOD_MS);
}

static void *reval_main(void *arg)
{
	uint64_t cpu0 = vswd_thread_cpu_us(), cpu;
	long long due = vsw_time_msec() + REVAL_PERIOD_MS, start;
	bool periodic;

	while (wait_kick(due, &periodic)) {
		start = vsw_time_msec();
		run_once(periodic);
		if (periodic)
			due = next_periodic(start, vsw_time_msec());
		pthread_mutex_lock(&kick_mutex);
		passes_done++;
		pthread_mutex_unlock(&kick_mutex);
		cpu = vswd_thread_cpu_us();
		vswd_count(&reval_c->reval_cpu_us, cpu - cpu0);
		cpu0 = cpu;
	}
	return NULL;
}

void reval_kick(void)
{
	pthread_mutex_lock(&kick_mutex);
	kicked = true;
	pthread_cond_signal(&kick_cond);
	pthread_mutex_unlock(&kick_mutex);
}

uint64_t reval_sync_ticket(void)
{
	uint64_t t;

	pthread_mutex_lock(&kick_mutex);
	t = passes_begun + 1;
	kicked = true;
	pthread_cond_signal(&kick_cond);
	pthread_mutex_unlock(&kick_mutex);
	return t;
}

bool reval_sync_done(uint64_t ticket)
{
	bool done;

	pthread_mutex_lock(&kick_mutex);
	done = passes_done >= ticket || !reval_running;
	pthread_mutex_unlock(&kick_mutex);
	return done;
}

int reval_start(void)
{
	pthread_condattr_t ca;
	char err[256];
	int ret;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&kick_cond, &ca);
	pthread_condattr_destroy(&ca);
	reval_c = vswd_counters_new();
	if (!reval_c)
		return -ENOMEM;
	if (vswd.dp_available && dpif_open(&reval_dpif, err, sizeof(err)))
		log_warn("revalidator: %s", err);
	ret = pthread_create(&reval_thread, NULL, reval_main, NULL);
	if (ret) {
		dpif_close(reval_dpif);
		reval_dpif = NULL;
		vswd_counters_retire(reval_c);
		reval_c = NULL;
		return -ret;
	}
	reval_running = true;
	return 0;
}

void reval_stop(void)
{
	if (!reval_running)
		return;
	pthread_mutex_lock(&kick_mutex);
	reval_stopping = true;
	pthread_cond_signal(&kick_cond);
	pthread_mutex_unlock(&kick_mutex);
	pthread_join(reval_thread, NULL);
	dpif_close(reval_dpif);
	reval_dpif = NULL;
	vswd_counters_retire(reval_c);
	reval_c = NULL;
	reval_running = false;
}
