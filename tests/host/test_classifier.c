// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier against a deliberately naive model (a linear scan for the
 * highest priority match) on random rule sets, with and without wildcard
 * tracking and optimizations, through inserts, replaces and removals; the
 * soundness of the tracked wildcards (every flow agreeing on them finds
 * the same rule), tunnel and conntrack fields included; and the widths
 * staged lookup and the tries give.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"

#define MAX_RULES 256

struct ruleset {
	struct cls_rule r[MAX_RULES];
	bool in[MAX_RULES];
	int n;
};

static const struct cls_rule *naive(const struct ruleset *rs, const struct flow *f)
{
	const struct cls_rule *best = NULL;

	for (int i = 0; i < rs->n; i++) {
		if (!rs->in[i] || !match_matches_flow(&rs->r[i].match, f))
			continue;
		if (!best || rs->r[i].priority > best->priority)
			best = &rs->r[i];
	}
	return best;
}

/* Tunnel and conntrack metadata, which rnd_flow() leaves zero: a few
 * values, so rules on them match some flows and miss others. */
static void rnd_meta(struct flow *f)
{
	if (rnd(3) == 0)
		return;
	f->tunnel.tun_id = htobe64(rnd(3));
	f->tunnel.ipv4_dst = htonl(0xc6336400 | rnd(4));	/* 198.51.100.x */
	f->tunnel.tos = (uint8_t)(rnd(2) << 5);
	f->tunnel.flags = (uint16_t)rnd(8);
	f->ct_state = (uint8_t)rnd(4) << 4;
	f->ct_mark = htonl(rnd(3));
	f->ct_orig.nw_dst = htonl(0xcb007100 | rnd(4));	/* 203.0.113.x */
	f->ct_orig.tp_dst = htons(80 + rnd(2));
}

/* rnd_match(), and sometimes a tunnel or conntrack field too. */
static void rnd_match_meta(struct match *m)
{
	rnd_match(m);
	rnd_meta(&m->flow);
	if (rnd(6) == 0)
		m->mask.tunnel.tun_id = ~0ull;
	if (rnd(8) == 0)
		m->mask.tunnel.ipv4_dst = htonl(rnd(2) ? 0xffffffff : 0xfffffffc);
	if (rnd(8) == 0)
		m->mask.tunnel.tos = 0xff;
	if (rnd(8) == 0)
		m->mask.tunnel.flags = (uint16_t)(1 + rnd(7));
	if (rnd(10) == 0)
		m->mask.ct_mark = ~0u;
	if (rnd(10) == 0)
		m->mask.ct_orig.nw_dst = htonl(rnd(2) ? 0xffffffff : 0xfffffffe);
	if (rnd(10) == 0)
		m->mask.ct_orig.tp_dst = 0xffff;
	match_normalize(m);
}

/* Distinct priorities, so "the" best rule is well defined. */
static void fill(struct classifier *cls, struct ruleset *rs, int n)
{
	int prio[MAX_RULES];

	for (int i = 0; i < n; i++)
		prio[i] = i * 3 + 1;
	for (int i = n - 1; i > 0; i--) {
		int j = rnd(i + 1), t = prio[i];

		prio[i] = prio[j];
		prio[j] = t;
	}
	rs->n = n;
	for (int i = 0; i < n; i++) {
		memset(&rs->r[i], 0, sizeof(rs->r[i]));
		rnd_match_meta(&rs->r[i].match);
		rs->r[i].priority = prio[i];
		rs->in[i] = classifier_replace(cls, &rs->r[i]) == NULL;
	}
}

static void probe(struct __test_metadata *_metadata, const struct classifier *cls,
		  const struct ruleset *rs, const struct flow *f)
{
	const struct cls_rule *want = naive(rs, f), *got, *again;
	struct flow wc, g;

	got = classifier_lookup(cls, f, NULL);
	ASSERT_EQ(want, got);
	memset(&wc, 0, sizeof(wc));
	got = classifier_lookup(cls, f, &wc);
	ASSERT_EQ(want, got);
	/* Every flow that agrees with f on the consulted bits gets the same. */
	for (int k = 0; k < 8; k++) {
		struct match m = { *f, wc };

		match_normalize(&m);
		rnd_flow_in(&m, &g);
		again = naive(rs, &g);
		ASSERT_EQ(want, again);
	}
}

static void probe_many(struct __test_metadata *_metadata,
		       const struct classifier *cls, const struct ruleset *rs)
{
	struct flow f;

	for (int p = 0; p < 60; p++) {
		if (p % 2 && rs->n) {
			int i = rnd(rs->n);

			rnd_flow_in(&rs->r[i].match, &f);	/* near a rule */
		} else {
			rnd_flow(&f);
			rnd_meta(&f);
		}
		probe(_metadata, cls, rs, &f);
	}
}

TEST(priority_wins_over_specificity)
{
	struct classifier *cls = classifier_create();
	struct cls_rule lo = { 0 }, hi = { 0 };
	struct flow f = { 0 };

	lo.match.mask.ipv4_src = ~0u;
	lo.match.flow.ipv4_src = htonl(0x0a000001);
	lo.priority = 10;
	hi.priority = 20;			/* catch-all */
	classifier_replace(cls, &lo);
	classifier_replace(cls, &hi);
	f.ipv4_src = htonl(0x0a000001);
	ASSERT_EQ(&hi, classifier_lookup(cls, &f, NULL));
	classifier_remove(cls, &hi);
	ASSERT_EQ(&lo, classifier_lookup(cls, &f, NULL));
	f.ipv4_src = htonl(0x0a000002);
	ASSERT_EQ(NULL, classifier_lookup(cls, &f, NULL));
	ASSERT_EQ(1u, classifier_count(cls));
	classifier_destroy(cls);
}

TEST(replace_same_match_and_priority)
{
	struct classifier *cls = classifier_create();
	struct cls_rule a = { 0 }, b = { 0 };

	a.match.mask.tp_dst = 0xffff;
	a.match.flow.tp_dst = htons(80);
	a.priority = 5;
	b = a;
	ASSERT_EQ(NULL, classifier_replace(cls, &a));
	ASSERT_EQ(&a, classifier_replace(cls, &b));
	ASSERT_EQ(1u, classifier_count(cls));
	ASSERT_EQ(&b, classifier_find_exact(cls, &b.match, 5));
	classifier_destroy(cls);
}

TEST(random_rulesets_match_naive_model)
{
	for (int round = 0; round < 300; round++) {
		struct classifier *cls = classifier_create();
		struct ruleset *rs = calloc(1, sizeof(*rs));

		ASSERT_NE(NULL, rs);
		if (round % 3 == 1)
			classifier_set_optimizations(cls, false, false);
		fill(cls, rs, 1 + rnd(round % 5 == 0 ? MAX_RULES : 40));
		probe_many(_metadata, cls, rs);
		/* Remove a random half, then check again. */
		for (int i = 0; i < rs->n; i++) {
			if (rs->in[i] && rnd(2)) {
				classifier_remove(cls, &rs->r[i]);
				rs->in[i] = false;
			}
		}
		probe_many(_metadata, cls, rs);
		classifier_destroy(cls);
		free(rs);
	}
}

TEST(miss_on_prefix_rule_is_not_exact)
{
	struct classifier *cls = classifier_create();
	struct cls_rule r = { 0 }, other = { 0 };
	struct flow f = { 0 }, wc = { 0 };

	r.match.mask.eth_type = 0xffff;
	r.match.flow.eth_type = htons(0x0800);
	r.match.mask.ipv4_src = prefix32(24);
	r.match.flow.ipv4_src = htonl(0x0a010000);	/* 10.1.0.0/24 */
	r.priority = 100;
	other.priority = 0;				/* catch-all */
	classifier_replace(cls, &r);
	classifier_replace(cls, &other);
	f.eth_type = htons(0x0800);
	f.ipv4_src = htonl(0x0a020005);			/* 10.2.0.5 */
	ASSERT_EQ(&other, classifier_lookup(cls, &f, &wc));
	/* 10.1 and 10.2 differ at bit 14: a /15, not a /32 (nor a /24). */
	ASSERT_EQ(prefix32(15), wc.ipv4_src);
	classifier_destroy(cls);
}

TEST(ports_trie_unwildcards_up_to_first_difference)
{
	struct classifier *cls = classifier_create();
	struct cls_rule r = { 0 };
	struct flow f = { 0 }, wc = { 0 };

	r.match.mask.eth_type = 0xffff;
	r.match.flow.eth_type = htons(0x0800);
	r.match.mask.ip_proto = 0xff;
	r.match.flow.ip_proto = 6;
	r.match.mask.tp_dst = 0xffff;
	r.match.flow.tp_dst = htons(22);
	r.priority = 1;
	classifier_replace(cls, &r);
	f.eth_type = htons(0x0800);
	f.ip_proto = 6;
	f.tp_dst = htons(80);
	ASSERT_EQ(NULL, classifier_lookup(cls, &f, &wc));
	ASSERT_EQ(htons(0xffc0), wc.tp_dst);		/* as OVS: 0x40/0xffc0 */
	ASSERT_EQ(0u, wc.tp_src);
	ASSERT_EQ(0xffff, wc.eth_type);
	classifier_destroy(cls);
}

TEST(staged_lookup_stops_at_first_failing_stage)
{
	struct classifier *cls = classifier_create();
	struct cls_rule r = { 0 };
	struct flow f = { 0 }, wc = { 0 };

	r.match.mask.in_port = ~0u;
	r.match.flow.in_port = 1;
	r.match.mask.eth_type = 0xffff;
	r.match.flow.eth_type = htons(0x0800);
	r.match.mask.ipv4_dst = ~0u;
	r.match.flow.ipv4_dst = htonl(0x0a000001);
	r.match.mask.tp_dst = 0xffff;
	r.match.flow.tp_dst = htons(80);
	r.priority = 1;
	classifier_replace(cls, &r);
	f.in_port = 2;
	f.eth_type = htons(0x0800);
	ASSERT_EQ(NULL, classifier_lookup(cls, &f, &wc));
	ASSERT_EQ(~0u, wc.in_port);
	ASSERT_EQ(0u, wc.eth_type);
	ASSERT_EQ(0u, wc.ipv4_dst);
	ASSERT_EQ(0u, wc.tp_dst);
	classifier_destroy(cls);
}

TEST(lower_priority_subtables_are_not_consulted)
{
	struct classifier *cls = classifier_create();
	struct cls_rule hi = { 0 }, lo = { 0 };
	struct flow f = { 0 }, wc = { 0 };

	hi.match.mask.in_port = ~0u;
	hi.match.flow.in_port = 1;
	hi.priority = 100;
	lo.match.mask.tp_dst = 0xffff;
	lo.match.flow.tp_dst = htons(80);
	lo.priority = 50;
	classifier_replace(cls, &hi);
	classifier_replace(cls, &lo);
	f.in_port = 1;
	f.tp_dst = htons(80);
	ASSERT_EQ(&hi, classifier_lookup(cls, &f, &wc));
	ASSERT_EQ(0u, wc.tp_dst);
	classifier_destroy(cls);
}

TEST_HARNESS_MAIN
