// SPDX-License-Identifier: GPL-2.0
/*
 * OpenFlow 1.3 requests against a bridge: ECHO, FEATURES, GET/SET_CONFIG,
 * BARRIER, FLOW_MOD, GROUP_MOD (ofproto-group.c), MULTIPART (ofproto-stats.c). Every other message
 * gets the ERROR the specification names for it. Rule changes go through
 * the pipeline and mark the megaflows they may affect, as vswitchctl's
 * add-flow/del-flows do; a barrier then waits for a revalidator pass.
 */
#include "ofproto.h"

#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "group-mod.h"
#include "log.h"
#include "ofp-msg.h"
#include "ofp-multipart.h"
#include "pipeline.h"
#include "revalidator.h"
#include "util.h"
#include "vswitchd.h"

#define OFP_DEFAULT_MISS_SEND_LEN 128

static bool dirty;

/* OpenFlow 1.3.5, 7.3.10: what a new connection receives. */
static const struct ofp13_async default_async = {
	.packet_in = { 0x3, 0 },	/* NO_MATCH, ACTION; none as slave */
	.port_status = { 0x7, 0x7 },	/* ADD, DELETE, MODIFY */
	.flow_removed = { 0xf, 0 },	/* every reason; none as slave */
};

void ofp_session_init(struct ofp_session *s, struct ofp_roles *roles)
{
	memset(s, 0, sizeof(*s));
	s->roles = roles;
	s->role = OFPCR13_ROLE_EQUAL;
	s->async = default_async;
	s->miss_send_len = OFP_DEFAULT_MISS_SEND_LEN;
}

bool ofproto_take_dirty(void)
{
	bool d = dirty;

	dirty = false;
	return d;
}

static void rule_changed(struct bridge *br, struct ofp_session *s,
			 uint8_t table, const struct match *m)
{
	reval_mark_rule(br, table, m);
	s->changed = true;
	dirty = true;
}

/* --- FLOW_MOD ----------------------------------------------------------- */

static bool overlaps(const struct match *a, const struct match *b)
{
	const uint64_t *af = (const void *)&a->flow, *am = (const void *)&a->mask;
	const uint64_t *bf = (const void *)&b->flow, *bm = (const void *)&b->mask;

	for (size_t i = 0; i < FLOW_WORDS; i++)
		if ((af[i] ^ bf[i]) & am[i] & bm[i])
			return false;
	return true;
}

struct overlap_aux {
	const struct ofp_rule_spec *spec;
	bool found;
};

static void overlap_cb(const struct rule *r, void *aux_)
{
	struct overlap_aux *aux = aux_;

	if (r->spec.priority == aux->spec->priority &&
	    !match_equal(&r->spec.match, &aux->spec->match) &&
	    overlaps(&r->spec.match, &aux->spec->match))
		aux->found = true;
}

static uint32_t flow_add(struct bridge *br, struct ofp_session *s,
			 struct ofp13_flow_mod_msg *fm)
{
	struct ofp_rule_spec all = { .table = fm->spec.table, .table_set = true,
				     .out_port = OFPP_NONE };
	char err[256];
	uint32_t gerr = group_check_rule(br, fm->spec.acts, err, sizeof(err));

	if (gerr)
		return gerr;
	if (fm->flags & OFPFF13_CHECK_OVERLAP) {
		struct overlap_aux aux = { &fm->spec, false };

		pipeline_foreach(br->pl, &all, overlap_cb, &aux);
		if (aux.found)
			return OFPERR(OFPET13_FLOW_MOD_FAILED, OFPFMFC13_OVERLAP);
	}
	/* a replaced rule's counters stay unless RESET_COUNTS (1.3.5, 6.4) */
	if ((fm->flags & OFPFF13_RESET_COUNTS ? pipeline_add :
	     pipeline_add_keep_counts)(br->pl, &fm->spec, err, sizeof(err))) {
		log_info("%s: OpenFlow flow_mod refused: %s", br->name, err);
		return OFPERR(OFPET13_FLOW_MOD_FAILED, OFPFMFC13_UNKNOWN);
	}
	rule_changed(br, s, fm->spec.table, &fm->spec.match);
	return 0;
}

/* The rules a modify or delete selects, copied out of the pipeline. */
struct selection {
	const struct ofp13_flow_mod_msg *fm;
	bool strict;
	struct ofp_rule_spec *specs;
	uint64_t *ids;
	size_t n, cap;
	bool oom;
};

static void select_cb(const struct rule *r, void *aux)
{
	struct selection *sel = aux;

	if (sel->strict && (r->spec.priority != sel->fm->spec.priority ||
			    !match_equal(&r->spec.match, &sel->fm->spec.match)))
		return;
	if (sel->n == sel->cap) {
		size_t cap = sel->cap ? sel->cap * 2 : 16;
		struct ofp_rule_spec *sp = realloc(sel->specs, cap * sizeof(*sp));
		uint64_t *ids = sp ? realloc(sel->ids, cap * sizeof(*ids)) : NULL;

		if (sp)
			sel->specs = sp;
		if (!ids) {
			sel->oom = true;
			return;
		}
		sel->ids = ids;
		sel->cap = cap;
	}
	sel->specs[sel->n] = r->spec;		/* acts borrowed, not owned */
	sel->ids[sel->n++] = r->id;
}

static void select_rules(struct bridge *br, struct selection *sel)
{
	pipeline_foreach(br->pl, &sel->fm->spec, select_cb, sel);
}

static void selection_free(struct selection *sel)
{
	free(sel->specs);
	free(sel->ids);
}

/* OpenFlow 1.3 modify: new instructions for every selected rule; its
 * cookie, timeouts and (unless RESET_COUNTS) counters stay. No rule
 * selected is no change and no error. */
static uint32_t flow_modify(struct bridge *br, struct ofp_session *s,
			    struct ofp13_flow_mod_msg *fm, bool strict)
{
	struct selection sel = { fm, strict };
	char err[256];
	uint32_t ret = group_check_rule(br, fm->spec.acts, err, sizeof(err));

	if (ret)
		return ret;
	select_rules(br, &sel);
	if (sel.oom)
		ret = OFPERR(OFPET13_FLOW_MOD_FAILED, OFPFMFC13_UNKNOWN);
	for (size_t i = 0; !ret && i < sel.n; i++) {
		struct ofp_rule_spec spec = sel.specs[i];

		spec.acts = fm->spec.acts;
		if ((fm->flags & OFPFF13_RESET_COUNTS ? pipeline_add :
		     pipeline_modify)(br->pl, &spec, err, sizeof(err))) {
			log_info("%s: OpenFlow modify refused: %s", br->name, err);
			ret = OFPERR(OFPET13_FLOW_MOD_FAILED, OFPFMFC13_UNKNOWN);
			break;
		}
		rule_changed(br, s, spec.table, &spec.match);
	}
	selection_free(&sel);
	return ret;
}

static uint32_t flow_delete(struct bridge *br, struct ofp_session *s,
			    struct ofp13_flow_mod_msg *fm, bool strict)
{
	struct selection sel = { fm, strict };

	select_rules(br, &sel);
	if (sel.oom) {
		selection_free(&sel);
		return OFPERR(OFPET13_FLOW_MOD_FAILED, OFPFMFC13_UNKNOWN);
	}
	for (size_t i = 0; i < sel.n; i++) {
		ofproto_rule_removed(br->name, pipeline_find_rule(br->pl, sel.ids[i]),
				     OFPRR13_DELETE, vsw_time_msec());
		rule_changed(br, s, sel.specs[i].table, &sel.specs[i].match);
	}
	selection_free(&sel);
	pipeline_delete(br->pl, &fm->spec, strict);
	return 0;
}

static uint32_t handle_flow_mod(struct bridge *br, struct ofp_session *s,
				const uint8_t *msg, size_t len)
{
	struct ofp13_flow_mod_msg fm;
	uint32_t err = ofp13_decode_flow_mod(msg, len, &fm);

	if (err)
		return err;
	if (fm.command == OFPFC13_ADD)
		err = flow_add(br, s, &fm);
	else if (fm.command == OFPFC13_MODIFY || fm.command == OFPFC13_MODIFY_STRICT)
		err = flow_modify(br, s, &fm, fm.command == OFPFC13_MODIFY_STRICT);
	else
		err = flow_delete(br, s, &fm, fm.command == OFPFC13_DELETE_STRICT);
	ofp_rule_spec_free(&fm.spec);
	if (!err)
		reval_kick();
	return err;
}

/* A group change: marks what group_mod_apply() marks, then the barrier
 * and the state file follow as for a rule change. */
static uint32_t handle_group_mod(struct bridge *br, struct ofp_session *s,
				 const uint8_t *msg, size_t len)
{
	uint32_t err = ofproto_group_mod(br, msg, len);

	if (!err) {
		s->changed = true;
		dirty = true;
		reval_kick();
	}
	return err;
}

/* --- the rest ------------------------------------------------------------- */

static uint32_t handle_features(struct bridge *br, const uint8_t *msg,
				size_t len, uint32_t xid, struct ofpbuf *tx)
{
	struct ofp13_features f = {
		.datapath_id = ofproto_datapath_id(br),
		.n_buffers = 0,
		.n_tables = OFP_N_TABLES - 1,	/* 0..253, as Open vSwitch */
		.capabilities = OFPC13_FLOW_STATS | OFPC13_TABLE_STATS |
				OFPC13_PORT_STATS | OFPC13_GROUP_STATS,
	};
	uint32_t err = ofp13_decode_empty(msg, len);

	if (!err)
		ofp13_encode_features_reply(tx, xid, &f);
	return err;
}

static uint32_t handle_config(struct ofp_session *s, const uint8_t *msg,
			      size_t len, uint8_t type, uint32_t xid,
			      struct ofpbuf *tx)
{
	uint16_t flags, miss;
	uint32_t err;

	if (type == OFPT13_GET_CONFIG_REQUEST) {
		err = ofp13_decode_empty(msg, len);
		if (!err)
			ofp13_encode_switch_config(tx, OFPT13_GET_CONFIG_REPLY, xid,
						   0, s->miss_send_len);
		return err;
	}
	err = ofp13_decode_switch_config(msg, len, &flags, &miss);
	if (!err)
		s->miss_send_len = miss;
	return err;
}

static uint32_t handle_barrier(struct ofp_session *s, const uint8_t *msg,
			       size_t len, uint32_t xid, struct ofpbuf *tx)
{
	uint32_t err = ofp13_decode_empty(msg, len);
	size_t start;

	if (err)
		return err;
	if (!s->changed) {
		start = ofp13_msg_start(tx, OFPT13_BARRIER_REPLY, xid);
		return ofp13_msg_finish(tx, start);
	}
	s->changed = false;
	s->barrier_wait = true;
	s->barrier_xid = xid;
	s->barrier_ticket = reval_sync_ticket();
	return 0;
}

/* Master and slave requests carry a generation id that must not go
 * back (compared as a signed distance, wrapping as the spec says). */
static uint32_t handle_role(struct ofp_session *s, const uint8_t *msg,
			    size_t len, uint32_t xid, struct ofpbuf *tx)
{
	uint64_t gen;
	uint32_t role, err = ofp13_decode_role(msg, len, &role, &gen);
	struct ofp_roles *r = s->roles;

	if (err)
		return err;
	if (role == OFPCR13_ROLE_MASTER || role == OFPCR13_ROLE_SLAVE) {
		if (r->gen_set && (int64_t)(gen - r->gen) < 0)
			return OFPERR(OFPET13_ROLE_REQUEST_FAILED, OFPRRFC13_STALE);
		r->gen_set = true;
		r->gen = gen;
	}
	if (role != OFPCR13_ROLE_NOCHANGE) {
		s->became_master = role == OFPCR13_ROLE_MASTER &&
				   s->role != OFPCR13_ROLE_MASTER;
		s->role = role;
	}
	ofp13_encode_role(tx, OFPT13_ROLE_REPLY, xid, s->role,
			  r->gen_set ? r->gen : 0);
	return 0;
}

static uint32_t handle_async(struct ofp_session *s, const uint8_t *msg,
			     size_t len, uint8_t type, uint32_t xid,
			     struct ofpbuf *tx)
{
	uint32_t err;

	if (type == OFPT13_SET_ASYNC)
		return ofp13_decode_async(msg, len, &s->async);
	err = ofp13_decode_empty(msg, len);
	if (!err)
		ofp13_encode_async(tx, OFPT13_GET_ASYNC_REPLY, xid, &s->async);
	return err;
}

/* What a slave may not send (OpenFlow 1.3.5, 6.3.5). */
static bool changes_state(uint8_t type)
{
	return type == OFPT13_FLOW_MOD || type == OFPT13_PACKET_OUT ||
	       type == OFPT13_GROUP_MOD || type == OFPT13_PORT_MOD ||
	       type == OFPT13_TABLE_MOD || type == OFPT13_METER_MOD;
}

static uint32_t handle_multipart(struct bridge *br, const uint8_t *msg,
				 size_t len, uint32_t xid, struct ofpbuf *tx)
{
	struct ofp13_mp_request r;
	size_t start = tx->size;
	uint32_t err = ofp13_decode_mp_request(msg, len, &r);

	if (!err)
		err = ofproto_multipart(br, &r, xid, tx);
	if (err)
		tx->size = start;
	return err;
}

static uint32_t dispatch(struct bridge *br, struct ofp_session *s,
			 const uint8_t *msg, size_t len, struct ofpbuf *tx)
{
	const struct ofp13_header *h = (const void *)msg;
	uint32_t xid = ntohl(h->xid);

	if (s->role == OFPCR13_ROLE_SLAVE && changes_state(h->type))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_IS_SLAVE);
	switch (h->type) {
	case OFPT13_ECHO_REQUEST:
		ofp13_encode_echo(tx, OFPT13_ECHO_REPLY, xid, msg + sizeof(*h),
				  len - sizeof(*h));
		return 0;
	case OFPT13_ECHO_REPLY:
		return 0;
	case OFPT13_ERROR:
		log_info("%s: OpenFlow peer sent an error", br->name);
		return 0;
	case OFPT13_FEATURES_REQUEST:
		return handle_features(br, msg, len, xid, tx);
	case OFPT13_GET_CONFIG_REQUEST:
	case OFPT13_SET_CONFIG:
		return handle_config(s, msg, len, h->type, xid, tx);
	case OFPT13_BARRIER_REQUEST:
		return handle_barrier(s, msg, len, xid, tx);
	case OFPT13_FLOW_MOD:
		return handle_flow_mod(br, s, msg, len);
	case OFPT13_PACKET_OUT:
		return ofproto_packet_out(br, msg, len);
	case OFPT13_GROUP_MOD:
		return handle_group_mod(br, s, msg, len);
	case OFPT13_MULTIPART_REQUEST:
		return handle_multipart(br, msg, len, xid, tx);
	case OFPT13_ROLE_REQUEST:
		return handle_role(s, msg, len, xid, tx);
	case OFPT13_GET_ASYNC_REQUEST:
	case OFPT13_SET_ASYNC:
		return handle_async(s, msg, len, h->type, xid, tx);
	case OFPT13_EXPERIMENTER:
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_EXPERIMENTER);
	default:	/* replies, and what vswitch does not do yet */
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_TYPE);
	}
}

void ofproto_handle(const char *brname, struct ofp_session *s,
		    const uint8_t *msg, size_t len, struct ofpbuf *tx)
{
	const struct ofp13_header *h = (const void *)msg;
	struct bridge *br;
	uint32_t err;

	if (h->version != OFP13_VERSION) {
		ofp13_encode_error(tx, ntohl(h->xid),
				   OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_VERSION),
				   msg, len);
		return;
	}
	vswd_lock();
	br = bridge_find(brname);
	err = br ? dispatch(br, s, msg, len, tx)
		 : OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_EPERM);
	vswd_unlock();
	if (err) {
		log_debug("%s: OpenFlow message type %u: %s", brname, h->type,
			  ofperr_name(err));
		ofp13_encode_error(tx, ntohl(h->xid), err, msg, len);
	}
}
