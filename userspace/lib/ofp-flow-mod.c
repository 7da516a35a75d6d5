// SPDX-License-Identifier: GPL-2.0
/* OpenFlow 1.3 FLOW_MOD <-> struct ofp13_flow_mod_msg. */
#include <string.h>
#include "ofp-msg.h"

#define OFPFF13_ALL (OFPFF13_SEND_FLOW_REM | OFPFF13_CHECK_OVERLAP | \
		     OFPFF13_RESET_COUNTS | OFPFF13_NO_PKT_COUNTS | \
		     OFPFF13_NO_BYT_COUNTS)

static ofperr fm_failed(int code)
{
	return OFPERR(OFPET13_FLOW_MOD_FAILED, code);
}

static bool is_delete(uint8_t command)
{
	return command == OFPFC13_DELETE || command == OFPFC13_DELETE_STRICT;
}

/* The fixed part: everything but the match and the instructions. */
static ofperr decode_fixed(const struct ofp13_flow_mod *ofm,
			   struct ofp13_flow_mod_msg *fm)
{
	struct ofp_rule_spec *s = &fm->spec;
	uint32_t out_port = ntohl(ofm->out_port);

	fm->command = ofm->command;
	fm->flags = ntohs(ofm->flags);
	s->send_flow_rem = fm->flags & OFPFF13_SEND_FLOW_REM;
	fm->buffer_id = ntohl(ofm->buffer_id);
	fm->out_group = ntohl(ofm->out_group);
	if (fm->command > OFPFC13_DELETE_STRICT)
		return fm_failed(OFPFMFC13_BAD_COMMAND);
	if (fm->flags & ~OFPFF13_ALL)
		return fm_failed(OFPFMFC13_BAD_FLAGS);
	if (ofm->table_id == OFPTT13_ALL && !is_delete(fm->command))
		return fm_failed(OFPFMFC13_BAD_TABLE_ID);
	if (fm->buffer_id != OFP13_NO_BUFFER && !is_delete(fm->command))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BUFFER_UNKNOWN);
	fm->buffer_id = OFP13_NO_BUFFER;
	s->table = ofm->table_id;
	s->table_set = ofm->table_id != OFPTT13_ALL;
	s->priority = ntohs(ofm->priority);
	s->priority_set = true;
	s->cookie = ofp_ntohll(ofm->cookie);
	s->cookie_mask = fm->command == OFPFC13_ADD ? UINT64_MAX
						   : ofp_ntohll(ofm->cookie_mask);
	s->idle_timeout = ntohs(ofm->idle_timeout);
	s->hard_timeout = ntohs(ofm->hard_timeout);
	s->out_port = OFPP_NONE;
	if (is_delete(fm->command) && out_port != OFPP13_ANY &&
	    ofp13_port_from_wire(out_port, &s->out_port))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_PORT);
	if (is_delete(fm->command) && fm->out_group != OFPG13_ANY) {
		s->out_group_set = true;
		s->out_group = fm->out_group;
	}
	return 0;
}

ofperr ofp13_decode_flow_mod(const void *msg, size_t len,
			     struct ofp13_flow_mod_msg *fm)
{
	const struct ofp13_flow_mod *ofm = msg;
	const uint8_t *p = msg;
	size_t n, off = sizeof(*ofm), used;
	ofperr err;

	memset(fm, 0, sizeof(*fm));
	ofp_rule_spec_init(&fm->spec);
	if (ofp13_check_header(msg, len))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	n = ntohs(ofm->h.length);
	if (n < sizeof(*ofm) + sizeof(struct ofp13_match))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	err = decode_fixed(ofm, fm);
	if (!err)
		err = ofp13_decode_match(p + off, n - off, &fm->spec.match, &used);
	if (err)
		return err;
	off += used;
	if (is_delete(fm->command))
		return 0;
	err = ofp13_decode_instructions(p + off, n - off, fm->spec.table,
					&fm->spec.match, &fm->spec.acts);
	if (err)
		return err;
	fm->spec.has_actions = true;
	return 0;
}

ofperr ofp13_encode_flow_mod(struct ofpbuf *b, uint32_t xid,
			     const struct ofp13_flow_mod_msg *fm)
{
	const struct ofp_rule_spec *s = &fm->spec;
	size_t start = ofp13_msg_start(b, OFPT13_FLOW_MOD, xid);
	struct ofp13_flow_mod *ofm;
	ofperr err;

	if (!ofpbuf_put_zeros(b, sizeof(*ofm) - sizeof(ofm->h)))
		goto oom;
	ofm = (struct ofp13_flow_mod *)(b->data + start);
	ofm->cookie = ofp_htonll(s->cookie);
	ofm->cookie_mask = ofp_htonll(fm->command == OFPFC13_ADD ? 0 : s->cookie_mask);
	ofm->table_id = s->table_set || !is_delete(fm->command) ? s->table
							       : OFPTT13_ALL;
	ofm->command = fm->command;
	ofm->idle_timeout = htons(s->idle_timeout);
	ofm->hard_timeout = htons(s->hard_timeout);
	ofm->priority = htons(s->priority);
	ofm->buffer_id = htonl(OFP13_NO_BUFFER);
	ofm->out_port = htonl(s->out_port == OFPP_NONE ? OFPP13_ANY
				: ofp13_port_to_wire(s->out_port));
	ofm->out_group = htonl(fm->out_group);
	ofm->flags = htons(fm->flags);
	err = ofp13_encode_match(b, &s->match);
	if (!err && !is_delete(fm->command))
		err = ofp13_encode_instructions(b, s->acts, &s->match);
	if (err) {
		b->size = start;
		return err;
	}
	return ofp13_msg_finish(b, start);
oom:
	b->size = start;
	return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
}
