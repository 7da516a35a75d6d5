/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenFlow 1.3 groups: the model (a group and its buckets), a bridge's
 * group table, the checks a GROUP_MOD must pass (OpenFlow 1.3.5, 6.5,
 * 7.3.4.2), the ovs-ofctl text syntax (ofp-group-text.c) and the wire
 * codec (ofp-group-wire.c).
 *
 * Ports are in vswitch's numbering (lib/ofpact.h): watch_port OFPP_NONE
 * is OFPP_ANY on the wire. A group's bucket actions are an action list
 * run in order on a copy of the packet as it was at the group action
 * (lib/xlate-group.c).
 */
#ifndef VSW_LIB_OFP_GROUP_H
#define VSW_LIB_OFP_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-msg.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofpact.h"

#define OFPG_MAX	0xffffff00u	/* the last group number */
#define OFPG_ALL	0xfffffffcu	/* deletes: every group */
#define OFPG_ANY	0xffffffffu	/* filters: any group; watch: none */

enum ofp_group_type {		/* as on the wire */
	OFPGT_ALL = 0,
	OFPGT_SELECT = 1,
	OFPGT_INDIRECT = 2,
	OFPGT_FF = 3,
};

enum ofp_group_command { OFPGC_ADD = 0, OFPGC_MODIFY = 1, OFPGC_DELETE = 2 };

/* A GROUP_MOD_FAILED error with code @code (OFPGMFC13_*, lib/ofp13.h). */
static inline ofperr ofp_gm_err(int code)
{
	return OFPERR(OFPET13_GROUP_MOD_FAILED, code);
}

#define GROUP_MAX_BUCKETS	64
#define GROUP_MAX_GROUPS	65536
#define GROUP_MAX_CHAIN		8	/* groups a packet may pass in a row */

struct ofp_bucket {
	uint16_t weight;		/* SELECT; 0 elsewhere */
	uint32_t watch_port;		/* OFPP_NONE: none */
	uint32_t watch_group;		/* OFPG_ANY: none (the only value taken) */
	struct ofpacts *acts;		/* owned, never NULL once parsed */
	uint64_t packets, bytes;	/* what the megaflows through it counted */
};

struct ofp_group {
	uint32_t id;
	uint8_t type;			/* enum ofp_group_type */
	size_t n_buckets;
	struct ofp_bucket *buckets;	/* owned */
	uint64_t packets, bytes;
	long long created_ms;
};

void ofp_group_init(struct ofp_group *);
/* Frees what @g owns (buckets and their actions), not @g. */
void ofp_group_uninit(struct ofp_group *);
/* Appends a zeroed bucket (watch none, no actions); NULL when out of
 * memory. */
struct ofp_bucket *ofp_group_add_bucket(struct ofp_group *);
const char *ofp_group_type_name(uint8_t type);

/* A bridge's groups by id. */
struct group_table;

struct group_table *group_table_create(void);
void group_table_destroy(struct group_table *);
size_t group_table_count(const struct group_table *);
struct ofp_group *group_find(const struct group_table *, uint32_t id);
/* Takes @g's contents (the caller's struct is left empty): replaces the
 * group of the same id (freeing it; counters restart unless @keep_counts)
 * or adds it. -1 when out of memory (@g untouched). */
int group_table_put(struct group_table *, struct ofp_group *g, bool keep_counts);
/* Removes and frees group @id; false when there was none. */
bool group_table_remove(struct group_table *, uint32_t id);
/* The groups in ascending id order, @i from 0; NULL past the last. */
struct ofp_group *group_table_at(const struct group_table *, size_t i);

/* Whether @g (to be added or to replace the group of its id in @t) is
 * valid: its type and buckets (INDIRECT exactly one, weights only in
 * SELECT, watch ports on FAST_FAILOVER buckets...), the groups its
 * buckets chain to exist (BAD_ACTION/BAD_OUT_GROUP) and no loop forms
 * (LOOP). @port_ok tells whether a watch port exists (NULL: any). */
ofperr group_check(const struct group_table *t, const struct ofp_group *g,
		   bool (*port_ok)(void *aux, uint32_t port), void *aux,
		   char *why, size_t whylen);
/* The first group an action of @acts names that @t lacks, or OFPG_ANY
 * when every one exists. */
uint32_t group_missing(const struct group_table *t, const struct ofpacts *acts);
/* The id of a group whose buckets forward to @id, other than the groups
 * @skip says are going too (NULL: none), or OFPG_ANY. */
uint32_t group_chained_from(const struct group_table *t, uint32_t id,
			    bool (*skip)(void *aux, uint32_t id), void *aux);

/* ---- text (ofp-group-text.c) ---- */

/* "group_id=N,type=all|select|indirect|fast_failover,bucket=[weight:W,]
 * [watch_port:P,][actions=]ACTIONS,bucket=..." as ovs-ofctl add-group.
 * With @id_only (del-groups, dump-groups filters) only group_id= is
 * taken ("group_id=all" is OFPG_ALL). Returns 0, or -1 with @err naming
 * what is wrong. */
int ofp_group_parse(const char *text, ofp_port_lookup_fn lookup, void *aux,
		    struct ofp_group *g, char *err, size_t errlen);
int ofp_group_parse_id(const char *text, uint32_t *id, char *err, size_t errlen);
/* What ofp_group_parse() reads back into the same group (ports as
 * numbers unless @fn names them). */
void ofp_group_format(struct strbuf *, const struct ofp_group *,
		      ofp_port_name_fn fn, void *aux);

/* ---- wire (ofp-group-wire.c) ---- */

struct ofp13_group_mod_msg {
	uint16_t command;		/* enum ofp_group_command */
	struct ofp_group g;		/* owned: ofp_group_uninit() */
};

/* Decodes GROUP_MOD @msg: bad lengths BAD_REQUEST/BAD_LEN or
 * GROUP_MOD_FAILED/BAD_BUCKET, an unknown command BAD_COMMAND, an unknown
 * type BAD_TYPE, bad actions their BAD_ACTION error. Nothing to free on
 * error. Checks against the group table are group_check()'s. */
ofperr ofp13_decode_group_mod(const void *msg, size_t len,
			      struct ofp13_group_mod_msg *gm);
ofperr ofp13_encode_group_mod(struct ofpbuf *, uint32_t xid,
			      const struct ofp13_group_mod_msg *);
/* One ofp_group_desc (GROUP_DESC) entry into @b (cleared first). */
ofperr ofp13_encode_group_desc(struct ofpbuf *b, const struct ofp_group *g);
ofperr ofp13_decode_group_desc(const uint8_t *p, size_t avail,
			       struct ofp_group *g, size_t *used);
/* One ofp_group_stats entry into @b (cleared first). */
void ofp13_encode_group_stats(struct ofpbuf *b, const struct ofp_group *g,
			      uint32_t ref_count, long long now_ms);
/* GROUP stats request: the group asked for (OFPG_ALL: every one). */
ofperr ofp13_decode_group_stats_request(const uint8_t *body, size_t len,
					uint32_t *id);
/* GROUP_FEATURES: what vswitch's groups do. */
void ofp13_group_features(uint8_t entry[40]);

#endif /* VSW_LIB_OFP_GROUP_H */
