/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenFlow 1.3 MULTIPART requests and replies: the request's type and
 * body, the FLOW/AGGREGATE filter, and a reply writer that splits the
 * entries over as many MULTIPART_REPLY messages as 64 KiB each allow,
 * all but the last flagged OFPMPF_REPLY_MORE.
 */
#ifndef VSW_LIB_OFP_MULTIPART_H
#define VSW_LIB_OFP_MULTIPART_H

#include "ofp-msg.h"

struct ofp13_mp_request {
	uint16_t type;			/* OFPMP13_* */
	uint16_t flags;
	const uint8_t *body;		/* points into the message */
	size_t body_len;
};

/* A request spread over several messages (OFPMPF_REQ_MORE) is refused
 * with BAD_REQUEST/BAD_MULTIPART: no request vswitch answers needs one. */
ofperr ofp13_decode_mp_request(const void *msg, size_t len,
			       struct ofp13_mp_request *);

/* FLOW and AGGREGATE: the filter as a spec for pipeline_foreach() (table,
 * out_port, cookie/cookie_mask, match); @out_group gets the group filter. */
ofperr ofp13_decode_flow_stats_request(const struct ofp13_mp_request *,
				       struct ofp_rule_spec *filter,
				       uint32_t *out_group);
/* PORT_STATS: the port asked for, OFPP_NONE for all (OFPP_ANY). */
ofperr ofp13_decode_port_stats_request(const struct ofp13_mp_request *,
				       uint32_t *port);

struct ofp13_mp_writer {
	struct ofpbuf *b;		/* where finished messages go */
	size_t start;			/* the message being filled */
	uint16_t type;
	uint32_t xid;
};

void ofp13_mp_begin(struct ofp13_mp_writer *, struct ofpbuf *, uint16_t type,
		    uint32_t xid);
/* Appends one entry (never split across messages). */
void ofp13_mp_add(struct ofp13_mp_writer *, const void *entry, size_t n);
/* Finishes the last message; an error (out of memory) means @b holds
 * nothing usable for this reply. */
ofperr ofp13_mp_end(struct ofp13_mp_writer *);

struct ofp13_flow_stats_entry {
	const struct ofp_rule_spec *spec;
	uint64_t packets, bytes;
	long long age_ms;
	uint16_t flags;			/* OFPFF13_* the rule was added with */
};
/* One ofp_flow_stats entry into @b (cleared first). */
ofperr ofp13_encode_flow_stats(struct ofpbuf *b,
			       const struct ofp13_flow_stats_entry *);

/* TABLE_FEATURES for tables 0..@n_tables-1: what the codec accepts
 * (instructions, actions, match and set_field fields), every table able
 * to go to any later one (ofp-table-features.c). */
void ofp13_put_table_features(struct ofp13_mp_writer *, uint8_t n_tables,
			      uint32_t max_entries);

#endif /* VSW_LIB_OFP_MULTIPART_H */
