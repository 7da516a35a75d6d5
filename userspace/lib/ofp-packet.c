// SPDX-License-Identifier: GPL-2.0
/*
 * PACKET_IN, PACKET_OUT, PORT_STATUS and FLOW_REMOVED (ofp-msg.h).
 * vswitch buffers no packets: a PACKET_IN always carries buffer_id
 * NO_BUFFER and its frame (cut to the action's max_len), a PACKET_OUT
 * must carry its frame.
 */
#include <stdlib.h>
#include <string.h>
#include "ofp-msg.h"

#define ETH_HLEN_MIN 14

ofperr ofp13_encode_packet_in(struct ofpbuf *b, const struct ofp13_pin *pin)
{
	size_t start = ofp13_msg_start(b, OFPT13_PACKET_IN, 0);
	struct ofp13_packet_in *pi;
	struct match m;
	ofperr err;

	pi = ofpbuf_put_zeros(b, sizeof(*pi) - sizeof(pi->h));
	if (!pi)
		return ofp13_msg_finish(b, start);
	pi = (struct ofp13_packet_in *)(b->data + start);
	pi->buffer_id = htonl(OFP13_NO_BUFFER);
	pi->total_len = htons(pin->total_len > 0xffff ? 0xffff
						      : (uint16_t)pin->total_len);
	pi->reason = pin->reason;
	pi->table_id = pin->table_id;
	pi->cookie = ofp_htonll(pin->cookie);
	memset(&m, 0, sizeof(m));
	m.flow.in_port = pin->in_port;
	m.mask.in_port = UINT32_MAX;
	err = ofp13_encode_match(b, &m);
	if (err) {
		b->size = start;
		return err;
	}
	ofpbuf_put_zeros(b, 2);
	ofpbuf_put(b, pin->data, pin->len);
	return ofp13_msg_finish(b, start);
}

ofperr ofp13_decode_packet_in(const void *msg, size_t len, struct ofp13_pin *pin)
{
	const struct ofp13_packet_in *pi = msg;
	const uint8_t *p = msg;
	size_t n, off = sizeof(*pi), used;
	struct match m;
	ofperr err;

	memset(pin, 0, sizeof(*pin));
	if (ofp13_check_header(msg, len))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	n = ntohs(pi->h.length);
	if (n < sizeof(*pi) + sizeof(struct ofp13_match))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	if (ntohl(pi->buffer_id) != OFP13_NO_BUFFER)
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BUFFER_UNKNOWN);
	memset(&m, 0, sizeof(m));
	err = ofp13_decode_match(p + off, n - off, &m, &used);
	if (err)
		return err;
	off += used;
	if (n - off < 2)
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	pin->total_len = ntohs(pi->total_len);
	pin->reason = pi->reason;
	pin->table_id = pi->table_id;
	pin->cookie = ofp_ntohll(pi->cookie);
	pin->in_port = m.mask.in_port ? m.flow.in_port : OFPP_NONE;
	pin->data = p + off + 2;
	pin->len = n - off - 2;
	return 0;
}

ofperr ofp13_decode_packet_out(const void *msg, size_t len,
			       struct ofp13_pout *po)
{
	const struct ofp13_packet_out *o = msg;
	const uint8_t *p = msg;
	size_t n, alen;
	ofperr err;

	memset(po, 0, sizeof(*po));
	if (ofp13_check_header(msg, len))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	n = ntohs(o->h.length);
	if (n < sizeof(*o))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	if (ntohl(o->buffer_id) != OFP13_NO_BUFFER)
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BUFFER_UNKNOWN);
	/* a port, LOCAL, CONTROLLER or ANY (OFPP_NONE): where it came from */
	if (ofp13_port_from_wire(ntohl(o->in_port), &po->in_port) ||
	    (po->in_port > OFPP_MAX && po->in_port != OFPP_LOCAL &&
	     po->in_port != OFPP_CONTROLLER && po->in_port != OFPP_NONE))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_PORT);
	alen = ntohs(o->actions_len);
	if (alen > n - sizeof(*o))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	if (n - sizeof(*o) - alen < ETH_HLEN_MIN)
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_PACKET);
	po->acts = ofpacts_new();
	if (!po->acts)
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	err = ofp13_decode_actions(p + sizeof(*o), alen, NULL, true, po->acts);
	if (err) {
		ofpacts_free(po->acts);
		po->acts = NULL;
		return err;
	}
	po->data = p + sizeof(*o) + alen;
	po->len = n - sizeof(*o) - alen;
	return 0;
}

ofperr ofp13_encode_packet_out(struct ofpbuf *b, uint32_t xid,
			       const struct ofp13_pout *po)
{
	size_t start = ofp13_msg_start(b, OFPT13_PACKET_OUT, xid), astart;
	struct ofp13_packet_out *o;
	struct match any;
	ofperr err;

	memset(&any, 0, sizeof(any));
	if (!ofpbuf_put_zeros(b, sizeof(*o) - sizeof(o->h)))
		return ofp13_msg_finish(b, start);
	astart = b->size;
	err = ofp13_encode_actions(b, po->acts, &any);
	if (err) {
		b->size = start;
		return err;
	}
	o = (struct ofp13_packet_out *)(b->data + start);
	o->buffer_id = htonl(OFP13_NO_BUFFER);
	o->in_port = htonl(ofp13_port_to_wire(po->in_port));
	o->actions_len = htons((uint16_t)(b->size - astart));
	ofpbuf_put(b, po->data, po->len);
	return ofp13_msg_finish(b, start);
}

ofperr ofp13_encode_port_status(struct ofpbuf *b, uint8_t reason,
				const struct ofp13_port *desc)
{
	size_t start = ofp13_msg_start(b, OFPT13_PORT_STATUS, 0);
	uint8_t head[8] = { reason };

	ofpbuf_put(b, head, sizeof(head));
	ofpbuf_put(b, desc, sizeof(*desc));
	return ofp13_msg_finish(b, start);
}

ofperr ofp13_encode_flow_removed(struct ofpbuf *b,
				 const struct ofp13_flow_removed_msg *fr)
{
	size_t start = ofp13_msg_start(b, OFPT13_FLOW_REMOVED, 0);
	const struct ofp_rule_spec *s = &fr->spec;
	struct ofp13_flow_removed *o;
	long long age = fr->age_ms > 0 ? fr->age_ms : 0;
	ofperr err;

	if (!ofpbuf_put_zeros(b, sizeof(*o) - sizeof(o->h)))
		return ofp13_msg_finish(b, start);
	o = (struct ofp13_flow_removed *)(b->data + start);
	o->cookie = ofp_htonll(s->cookie);
	o->priority = htons(s->priority);
	o->reason = fr->reason;
	o->table_id = s->table;
	o->duration_sec = htonl((uint32_t)(age / 1000));
	o->duration_nsec = htonl((uint32_t)(age % 1000) * 1000000u);
	o->idle_timeout = htons(s->idle_timeout);
	o->hard_timeout = htons(s->hard_timeout);
	o->packet_count = ofp_htonll(fr->packets);
	o->byte_count = ofp_htonll(fr->bytes);
	err = ofp13_encode_match(b, &s->match);
	if (err) {
		b->size = start;
		return err;
	}
	return ofp13_msg_finish(b, start);
}

ofperr ofp13_decode_flow_removed(const void *msg, size_t len,
				 struct ofp13_flow_removed_msg *fr)
{
	const struct ofp13_flow_removed *o = msg;
	const uint8_t *p = msg;
	size_t n, used;

	memset(fr, 0, sizeof(*fr));
	if (ofp13_check_header(msg, len))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	n = ntohs(o->h.length);
	if (n < sizeof(*o) + sizeof(struct ofp13_match))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	fr->spec.cookie = ofp_ntohll(o->cookie);
	fr->spec.priority = ntohs(o->priority);
	fr->spec.table = o->table_id;
	fr->spec.idle_timeout = ntohs(o->idle_timeout);
	fr->spec.hard_timeout = ntohs(o->hard_timeout);
	fr->reason = o->reason;
	fr->age_ms = (long long)ntohl(o->duration_sec) * 1000 +
		     ntohl(o->duration_nsec) / 1000000;
	fr->packets = ofp_ntohll(o->packet_count);
	fr->bytes = ofp_ntohll(o->byte_count);
	return ofp13_decode_match(p + sizeof(*o), n - sizeof(*o), &fr->spec.match,
				  &used);
}
