/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bridge's OpenFlow pipeline: tables 0..254 of rules, each table a
 * classifier. Rules carry their spec (match, priority, actions, cookie,
 * timeouts), counters and timestamps, and a unique id the daemon keeps in
 * its megaflow records to push stats back.
 *
 * Times are milliseconds of CLOCK_MONOTONIC (vsw_time_msec()).
 */
#ifndef VSW_LIB_PIPELINE_H
#define VSW_LIB_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "classifier.h"
#include "ofp-parse.h"

struct rule {
	struct cls_rule cr;		/* private to the classifier */
	uint64_t id;			/* unique for the pipeline's lifetime */
	struct ofp_rule_spec spec;	/* owned; spec.acts never NULL */
	uint64_t n_packets, n_bytes;
	long long created_ms;
	long long used_ms;		/* last hit, created_ms if never */
	struct rule *id_next;		/* private: the pipeline's id index */
};

struct pipeline;

struct pipeline *pipeline_create(void);
void pipeline_destroy(struct pipeline *);

/* OpenFlow add: a rule with the same table, priority and match is
 * replaced (its counters are reset, as OpenFlow 1.0+ does on add). The
 * spec is copied (its actions cloned). Returns 0 or -1 with @err set. */
int pipeline_add(struct pipeline *, const struct ofp_rule_spec *,
		 char *err, size_t errlen);

/* pipeline_add(), but the rule it replaces (same table, priority and
 * match) hands over its counters and times: an OpenFlow modify. */
int pipeline_modify(struct pipeline *, const struct ofp_rule_spec *,
		    char *err, size_t errlen);

/* pipeline_add(), but the rule it replaces hands over its counters, not
 * its duration: an OpenFlow 1.3 add without RESET_COUNTS (1.3.5, 6.4). */
int pipeline_add_keep_counts(struct pipeline *, const struct ofp_rule_spec *,
			     char *err, size_t errlen);

/* Removes the rule with @id; false if there is none. */
bool pipeline_remove_rule(struct pipeline *, uint64_t id);

/* Deletes rules matching @filter (NULL deletes all): non-strict deletes
 * every rule whose match is at least as specific as the filter's (in the
 * filter's table, or all tables when table_set is false), with the cookie
 * under cookie_mask and out_port; strict needs the same match and
 * priority. Returns the number deleted. */
int pipeline_delete(struct pipeline *, const struct ofp_rule_spec *filter,
		    bool strict);

/* Calls @cb for the rules @filter selects (NULL = all) in table order,
 * then descending priority (then insertion order). */
void pipeline_foreach(struct pipeline *, const struct ofp_rule_spec *filter,
		      void (*cb)(const struct rule *, void *aux), void *aux);

struct rule *pipeline_find_rule(struct pipeline *, uint64_t id);

/* Highest priority rule of @table matching @flow; ORs consulted bits into
 * @wc when non-NULL. */
struct rule *pipeline_lookup(const struct pipeline *, uint8_t table,
			     const struct flow *flow, struct flow *wc);

/* Adds to the counters and moves used_ms forward to @now_ms. */
void rule_credit(struct rule *, uint64_t packets, uint64_t bytes,
		 long long now_ms);

/* Adds @packets to the miss count of every table set in the bitmap
 * @tables (table t is bit t % 8 of byte t / 8): packets one of whose
 * lookups there matched no rule (OpenFlow TABLE_STATS lookup_count). */
void pipeline_credit_misses(struct pipeline *, const uint8_t tables[32],
			    uint64_t packets);
/* Packets credited as misses of @table since the pipeline was created. */
uint64_t pipeline_table_misses(const struct pipeline *, uint8_t table);

/* Removes rules whose idle or hard timeout passed at @now_ms, calling
 * @cb (if non-NULL) on each before it is freed. Returns the count. */
int pipeline_expire(struct pipeline *, long long now_ms,
		    void (*cb)(const struct rule *, void *aux), void *aux);

/* Test reference: with @on, lookups scan every rule of the table linearly
 * (highest priority, then oldest) and track no wildcards. */
void pipeline_set_linear_lookup(struct pipeline *, bool on);

size_t pipeline_n_rules(const struct pipeline *);

#endif /* VSW_LIB_PIPELINE_H */
