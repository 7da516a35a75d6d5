// SPDX-License-Identifier: GPL-2.0
/*
 * The pipeline's bookkeeping that the upcall path leans on: finding a rule
 * by id (every upcall credits its rules that way) across index growth,
 * replacement and deletion, and expiry, which skips tables without timed
 * rules but must still expire the ones that have them; and what a
 * replaced rule hands to its replacement.
 */
#include <stdio.h>
#include <string.h>
#include "kselftest_harness.h"
#include "ofp-parse.h"
#include "pipeline.h"
#include "util.h"

static int add(struct pipeline *pl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int add(struct pipeline *pl, const char *fmt, ...)
{
	struct ofp_rule_spec s;
	char text[256], err[256];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (ofp_parse_flow(text, OFP_PARSE_ADD, NULL, NULL, &s, err, sizeof(err))) {
		fprintf(stderr, "parse '%s': %s\n", text, err);
		return -1;
	}
	ret = pipeline_add(pl, &s, err, sizeof(err));
	ofp_rule_spec_free(&s);
	return ret;
}

struct ids {
	uint64_t v[8192];
	size_t n;
};

static void collect_ids(const struct rule *r, void *aux)
{
	struct ids *ids = aux;

	if (ids->n < 8192)
		ids->v[ids->n++] = r->id;
}

TEST(find_rule_by_id_through_growth_replace_and_delete)
{
	struct pipeline *pl = pipeline_create();
	static struct ids before, after;
	struct ofp_rule_spec f;
	char err[256];
	size_t i, found = 0;

	ASSERT_NE(NULL, pl);
	EXPECT_EQ(NULL, pipeline_find_rule(pl, 1));	/* empty: no index yet */
	for (i = 0; i < 5000; i++)
		ASSERT_EQ(0, add(pl, "table=%zu,priority=%zu,udp,udp_src=%zu,actions=drop",
				 i % 3, 100 + i % 7, i));
	ASSERT_EQ(5000u, pipeline_n_rules(pl));
	pipeline_foreach(pl, NULL, collect_ids, &before);
	ASSERT_EQ(5000u, before.n);
	for (i = 0; i < before.n; i++) {
		struct rule *r = pipeline_find_rule(pl, before.v[i]);

		ASSERT_NE(NULL, r);
		ASSERT_EQ(before.v[i], r->id);
	}
	EXPECT_EQ(NULL, pipeline_find_rule(pl, 0));
	EXPECT_EQ(NULL, pipeline_find_rule(pl, 5001));

	/* the same match and priority again: a new rule (new id) replaces it */
	ASSERT_EQ(0, add(pl, "table=0,priority=100,udp,udp_src=0,actions=drop"));
	ASSERT_EQ(5000u, pipeline_n_rules(pl));
	EXPECT_NE(NULL, pipeline_find_rule(pl, 5001));

	/* delete every rule of table 1 */
	ASSERT_EQ(0, ofp_parse_flow("table=1", OFP_PARSE_FILTER, NULL, NULL, &f,
				    err, sizeof(err)));
	EXPECT_GT(pipeline_delete(pl, &f, false), 1600);
	ofp_rule_spec_free(&f);
	pipeline_foreach(pl, NULL, collect_ids, &after);
	EXPECT_EQ(pipeline_n_rules(pl), after.n);
	for (i = 0; i < after.n; i++)
		ASSERT_NE(NULL, pipeline_find_rule(pl, after.v[i]));
	/* exactly the survivors are found among all ids ever given */
	for (i = 1; i <= 5001; i++)
		found += pipeline_find_rule(pl, i) != NULL;
	EXPECT_EQ(after.n, found);
	pipeline_destroy(pl);
}

static void count_cb(const struct rule *r, void *aux)
{
	(*(int *)aux)++;
}

TEST(expiry_reaches_timed_rules_and_only_them)
{
	struct pipeline *pl = pipeline_create();
	int n = 0;

	ASSERT_NE(NULL, pl);
	vsw_time_set(1000);
	ASSERT_EQ(0, add(pl, "table=0,priority=5,in_port=1,actions=drop"));
	ASSERT_EQ(0, add(pl, "table=7,priority=5,in_port=1,idle_timeout=2,actions=drop"));
	ASSERT_EQ(0, add(pl, "table=7,priority=6,in_port=2,hard_timeout=5,actions=drop"));
	EXPECT_EQ(0, pipeline_expire(pl, 2500, count_cb, &n));
	EXPECT_EQ(1, pipeline_expire(pl, 3000, count_cb, &n));	/* idle 2 s */
	EXPECT_EQ(1, n);
	EXPECT_EQ(2u, pipeline_n_rules(pl));
	EXPECT_EQ(1, pipeline_expire(pl, 6000, count_cb, &n));	/* hard 5 s */
	EXPECT_EQ(0, pipeline_expire(pl, 600000, count_cb, &n));
	EXPECT_EQ(1u, pipeline_n_rules(pl));
	/* a timed rule replaced by an untimed one no longer expires */
	ASSERT_EQ(0, add(pl, "table=3,priority=5,in_port=1,hard_timeout=1,actions=drop"));
	ASSERT_EQ(0, add(pl, "table=3,priority=5,in_port=1,actions=drop"));
	EXPECT_EQ(0, pipeline_expire(pl, 900000, count_cb, &n));
	EXPECT_EQ(2u, pipeline_n_rules(pl));
	pipeline_destroy(pl);
	vsw_time_set(0);
}

/* Miss counts (TABLE_STATS lookup_count) grow for the tables of the
 * bitmap only, by the packets given, and do not depend on the rules. */
TEST(miss_counts_per_table)
{
	struct pipeline *pl = pipeline_create();
	uint8_t tables[32] = { 0 };

	ASSERT_NE(NULL, pl);
	tables[0] = 0x01;			/* table 0 */
	tables[254 / 8] = 1u << (254 % 8);	/* table 254, the last */
	pipeline_credit_misses(pl, tables, 3);
	tables[0] = 0x04;			/* table 2 */
	tables[254 / 8] = 0;
	pipeline_credit_misses(pl, tables, 5);
	EXPECT_EQ(3u, pipeline_table_misses(pl, 0));
	EXPECT_EQ(0u, pipeline_table_misses(pl, 1));
	EXPECT_EQ(5u, pipeline_table_misses(pl, 2));
	EXPECT_EQ(3u, pipeline_table_misses(pl, 254));
	EXPECT_EQ(0u, pipeline_table_misses(pl, 255));	/* not a table */
	ASSERT_EQ(0, add(pl, "table=0,actions=drop"));
	ASSERT_EQ(1, pipeline_delete(pl, NULL, false));
	EXPECT_EQ(3u, pipeline_table_misses(pl, 0));
	pipeline_destroy(pl);
}

/* The one rule of @pl (ids grow: the newest replacement). */
static struct rule *only_rule(struct pipeline *pl)
{
	static struct ids one;

	one.n = 0;
	pipeline_foreach(pl, NULL, collect_ids, &one);
	return one.n == 1 ? pipeline_find_rule(pl, one.v[0]) : NULL;
}

/* Replaces the one rule with @replace, having given it known counters and
 * times first; returns the replacement. */
static struct rule *replaced(struct pipeline *pl,
			     int (*replace)(struct pipeline *,
					    const struct ofp_rule_spec *,
					    char *, size_t))
{
	struct ofp_rule_spec s;
	struct rule *r = only_rule(pl);
	char err[256];

	if (!r)
		return NULL;
	r->n_packets = 7;
	r->n_bytes = 700;
	r->created_ms = 1;
	r->used_ms = 2;
	if (ofp_parse_flow("priority=5,udp,actions=output:2", OFP_PARSE_ADD,
			   NULL, NULL, &s, err, sizeof(err)))
		return NULL;
	if (replace(pl, &s, err, sizeof(err)))
		r = NULL;
	ofp_rule_spec_free(&s);
	return r ? only_rule(pl) : NULL;
}

/* An add replaces all (vswitchctl, OpenFlow with RESET_COUNTS); an
 * OpenFlow add without RESET_COUNTS keeps the counters but not the
 * duration (1.3.5, 6.4); a modify keeps both. */
TEST(replacement_keeps_what_openflow_says)
{
	struct pipeline *pl = pipeline_create();
	struct rule *r;

	ASSERT_NE(NULL, pl);
	ASSERT_EQ(0, add(pl, "priority=5,udp,actions=output:1"));

	r = replaced(pl, pipeline_add);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(0u, r->n_packets);
	EXPECT_EQ(0u, r->n_bytes);
	EXPECT_LT(2, r->created_ms);

	r = replaced(pl, pipeline_add_keep_counts);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(7u, r->n_packets);
	EXPECT_EQ(700u, r->n_bytes);
	EXPECT_LT(2, r->created_ms);

	r = replaced(pl, pipeline_modify);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(7u, r->n_packets);
	EXPECT_EQ(700u, r->n_bytes);
	EXPECT_EQ(1, r->created_ms);
	EXPECT_EQ(2, r->used_ms);
	EXPECT_TRUE(ofpacts_output_to(r->spec.acts, 2));
	EXPECT_FALSE(ofpacts_output_to(r->spec.acts, 1));
	pipeline_destroy(pl);
}

TEST_HARNESS_MAIN
