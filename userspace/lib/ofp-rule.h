/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A rule as one line of text, in the two forms the daemon writes: the
 * state file's record and dump-flows' listing. Whatever these print,
 * ofp_parse_flow(OFP_PARSE_ADD) reads back into the same rule (the
 * listing's statistics are ignored on input, as ovs-ofctl does), so a
 * state file the daemon wrote always loads and dump-flows output can be
 * fed to add-flows. tests/host/test_rule_roundtrip.c holds them to it.
 */
#ifndef VSW_LIB_OFP_RULE_H
#define VSW_LIB_OFP_RULE_H

#include <stdint.h>
#include "ofp-parse.h"

struct pipeline;
struct strbuf;

/* "table=T,priority=P[,cookie=0xC][,idle_timeout=S][,hard_timeout=S]
 * [,MATCH],actions=A", ports as numbers. */
void ofp_format_rule(struct strbuf *, const struct ofp_rule_spec *);

struct ofp_rule_stats {
	double duration_s;
	uint64_t n_packets, n_bytes;
};

/* dump-flows' line, as ovs-ofctl prints it (leading blank, no newline):
 * " cookie=0xC, duration=D.DDDs, table=T, n_packets=N, n_bytes=N,
 * [idle_timeout=S, ][hard_timeout=S, ]priority=P,MATCH actions=A". */
void ofp_format_rule_stats(struct strbuf *, const struct ofp_rule_spec *,
			   const struct ofp_rule_stats *);

/* The state file's rule records: "flow BR RULE\n" for each rule of @pl
 * in pipeline_foreach() order (table, priority, age), so reloading keeps
 * which of two equal-priority overlapping rules is older. */
void ofp_rule_save_records(struct strbuf *, const char *br, struct pipeline *);

/* Adds the rule of one record (RULE, the text after "flow BR") to @pl.
 * Returns 0 or -1 with @err set. */
int ofp_rule_load(struct pipeline *, const char *text,
		  ofp_port_lookup_fn lookup, void *aux, char *err, size_t errlen);

#endif /* VSW_LIB_OFP_RULE_H */
