// SPDX-License-Identifier: GPL-2.0
/*
 * PACKET_IN, PACKET_OUT and PORT_STATUS (ofp-msg.h). vswitch buffers no
 * packets: a PACKET_IN always carries buffer_id NO_BUFFER and its frame
 * (cut to the action's max_len), a PACKET_OUT must carry its frame.
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
