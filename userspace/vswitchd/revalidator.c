// SPDX-License-Identifier: GPL-2.0
/*
 * The revalidator thread (revalidator.h): its wake-ups, barriers and
 * lifecycle, and the periodic pass, which dumps each datapath and judges
 * every flow. The targeted pass is reval-targeted.c; the verdicts both
 * fill are reval-verdict.c (reval-private.h).
 */
#include "revalidator.h"
#include "reval-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge.h"
#include "counters.h"
#include "dpif.h"
#include "log.h"
#include "mac-learning.h"
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

/* ---- the periodic pass ---- */

static int dump_cb(const struct dpif_flow *f, void *aux)
{
	struct dump *d = aux;
	struct dumped *x = reval_dump_push(d);

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

static void adopt(struct bridge *br, struct dumped *d, long long now)
{
	struct xlate_out xo;
	struct ukey *uk;

	if (reval_retranslate(br, &d->full->match, &d->full->actions, &xo) != 1) {
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
	reval_push_stats(br, uk, d, now);
	if (d->used_ms < 0)
		d->idle_ms = now - uk->created_ms;
	if (d->idle_ms > br->set.idle_timeout_ms) {
		d->verdict = DELETE;
		d->why = "idle";
		return;
	}
	if (!uk->dirty)
		return;
	r = reval_retranslate(br, &uk->mf, uk->acts, &xo);
	if (r < 0) {
		d->verdict = DELETE;
		d->why = "its mask is too wide now";
	} else {
		if (r == 0)
			reval_set_fix(d, uk, &xo.actions);
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
		reval_dump_free(&d);
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
		reval_apply(name, &d);
	reval_dump_free(&d);
	return ret;
}

static void revalidate_bridge(const char *name)
{
	if (revalidate_pass(name, false) == -EAGAIN) {
		vswd_count(&reval_c->reval_full_dumps, 1);
		revalidate_pass(name, true);
	}
}

/* ---- the thread ---- */

/* One pass over every bridge: a periodic one dumps each datapath
 * (revalidate_bridge()), a kicked one between them only handles what
 * changes marked (reval_targeted_pass()). */
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
			reval_targeted_pass(names[i]);
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
	/* A batch of fixes and removals (reval_apply()) queues a reply per
	 * request before the thread reads any: room for several batches. */
	if (reval_dpif)
		dpif_set_rcvbuf(reval_dpif, 1 << 20);
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
