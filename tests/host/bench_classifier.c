// SPDX-License-Identifier: GPL-2.0
/*
 * bench_classifier: classifier lookups per second, without and with
 * wildcard tracking, and megaflow generation (a full translation) time
 * per upcall, on the shape of Open vSwitch's test-classifier benchmark:
 * N rules (default 1000) spread over M subtables (default 30, distinct
 * masks), random priorities, lookups of random flows drawn near rules.
 *
 *   bench_classifier [N_RULES [N_SUBTABLES [N_PRIORITIES [SECONDS [WHAT]]]]]
 *
 * WHAT (default 7) is a bit set of the parts to run: 1 lookups without
 * wildcard tracking, 2 with, 4 translation. Running one part under
 *   valgrind --tool=callgrind --toggle-collect=classifier_lookup
 * and dividing the collected instructions by the printed lookup count
 * gives instructions per lookup, which a loaded machine does not skew.
 *
 * N_PRIORITIES (default 65536) is how many distinct priorities rules draw
 * from: with few, lookups stop early (no lower subtable can win).
 *
 * Not a test: the runner only runs test_*; build it with
 *   gcc -O2 -Iinclude/uapi -Iuserspace/lib tests/host/bench_classifier.c \
 *       build/libvsw.a -o build/bench/bench_classifier
 */
#include <stdio.h>
#include <time.h>
#include "ulib_helpers.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this thread: on a loaded machine, lookups per CPU second
 * vary far less than per wall second. */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One mask per subtable: a random subset of typical fields. */
static void rnd_mask(struct flow *m)
{
	memset(m, 0, sizeof(*m));
	m->eth_type = 0xffff;
	if (rnd(2)) m->in_port = ~0u;
	if (rnd(4) == 0) memset(m->eth_dst, 0xff, 6);
	if (rnd(2)) m->ipv4_src = prefix32(8 + 8 * rnd(4));
	if (rnd(2)) m->ipv4_dst = prefix32(8 + 8 * rnd(4));
	if (rnd(2)) m->ip_proto = 0xff;
	if (m->ip_proto && rnd(2)) m->tp_dst = 0xffff;
	if (m->ip_proto && rnd(3) == 0) m->tp_src = 0xffff;
	if (rnd(5) == 0) m->vlan_tci = htons(0x1fff);
}

struct bench_rule {
	struct cls_rule cr;
};

int main(int argc, char **argv)
{
	int n_rules = argc > 1 ? atoi(argv[1]) : 1000;
	int n_sub = argc > 2 ? atoi(argv[2]) : 30;
	int n_prio = argc > 3 ? atoi(argv[3]) : 65536;
	double secs = argc > 4 ? atof(argv[4]) : 1.0;
	int what = argc > 5 ? atoi(argv[5]) : 7;
	struct flow *masks = calloc((size_t)n_sub, sizeof(*masks));
	struct bench_rule *rules = calloc((size_t)n_rules, sizeof(*rules));
	struct classifier *cls = classifier_create();
	struct pipeline *pl = pipeline_create();
	struct xlate_port ports[4];
	struct xlate_bridge br = { .name = "br0", .pl = pl, .ports = ports,
				   .n_ports = 4 };
	enum { N_FLOWS = 1 << 14 };
	struct flow *flows = calloc(N_FLOWS, sizeof(*flows));
	volatile uintptr_t sink = 0;
	char err[128];
	long n;
	double t0, t, c0;

	if (!masks || !rules || !cls || !pl || !flows || n_rules < 1 || n_sub < 1 ||
	    n_prio < 1)
		return 1;
	for (int i = 0; i < n_sub; i++)
		rnd_mask(&masks[i]);
	for (int i = 0; i < n_rules; i++) {
		struct flow f;
		struct ofp_rule_spec s;

		rnd_flow(&f);
		f.eth_type = htons(0x0800);
		rules[i].cr.match.flow = f;
		rules[i].cr.match.mask = masks[i % n_sub];
		match_normalize(&rules[i].cr.match);
		rules[i].cr.priority = (int)rnd((unsigned)n_prio);
		classifier_replace(cls, &rules[i].cr);
		ofp_rule_spec_init(&s);
		s.match = rules[i].cr.match;
		s.priority = (uint16_t)rules[i].cr.priority;
		s.acts = ofpacts_new();
		ofpacts_push(s.acts, OFPACT_OUTPUT)->port = 1 + rnd(4);
		pipeline_add(pl, &s, err, sizeof(err));
		ofp_rule_spec_free(&s);
	}
	for (int i = 0; i < 4; i++) {
		memset(&ports[i], 0, sizeof(ports[i]));
		ports[i].port_no = 1 + i;
		ports[i].present = true;
	}
	for (int i = 0; i < N_FLOWS; i++) {
		if (rnd(4)) {
			rnd_flow_in(&rules[rnd(n_rules)].cr.match, &flows[i]);
		} else {
			rnd_flow(&flows[i]);
			flows[i].eth_type = htons(0x0800);
		}
	}
	printf("bench_classifier: %d rules, %zu subtables, %d priorities\n",
	       n_rules, classifier_n_subtables(cls), n_prio);

	for (int wc_on = 0; wc_on < 2; wc_on++) {
		if (!(what & (1 << wc_on)))
			continue;
		n = 0;
		t0 = now();
		c0 = cpu_now();
		do {
			for (int i = 0; i < 4096; i++, n++) {
				struct flow wc;
				const struct flow *f = &flows[n & (N_FLOWS - 1)];

				if (wc_on)
					memset(&wc, 0, sizeof(wc));
				sink += (uintptr_t)classifier_lookup(cls, f, wc_on ? &wc : NULL);
			}
			t = now() - t0;
		} while (t < secs);
		printf("lookups/s %s wildcard tracking: %.2fM, per CPU second %.2fM (%ld lookups)\n",
		       wc_on ? "with" : "without", n / t / 1e6,
		       n / (cpu_now() - c0) / 1e6, n);
	}
	if (!(what & 4))
		goto out;

	n = 0;
	t0 = now();
	do {
		for (int i = 0; i < 1024; i++, n++) {
			struct xlate_out out;

			xlate_flow(&br, &flows[n & (N_FLOWS - 1)], false, &out, NULL);
			sink += out.actions.n;
			xlate_out_uninit(&out);
		}
		t = now() - t0;
	} while (t < secs);
	printf("megaflow generation (translation) per upcall: %.3f us (%.2fM/s)\n",
	       t / n * 1e6, n / t / 1e6);
out:
	(void)sink;
	classifier_destroy(cls);
	pipeline_destroy(pl);
	free(rules);
	free(masks);
	free(flows);
	return 0;
}
