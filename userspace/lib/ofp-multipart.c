// SPDX-License-Identifier: GPL-2.0
/* OpenFlow 1.3 MULTIPART messages (ofp-multipart.h). */
#include <string.h>
#include "ofp-multipart.h"

#define OFPMPF13_REQ_MORE 1

static ofperr bad_len(void)
{
	return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
}

ofperr ofp13_decode_mp_request(const void *msg, size_t len,
			       struct ofp13_mp_request *r)
{
	const struct ofp13_multipart *mp = msg;
	size_t n;

	if (ofp13_check_header(msg, len))
		return bad_len();
	n = ntohs(mp->h.length);
	if (n < sizeof(*mp))
		return bad_len();
	r->type = ntohs(mp->type);
	r->flags = ntohs(mp->flags);
	r->body = (const uint8_t *)msg + sizeof(*mp);
	r->body_len = n - sizeof(*mp);
	if (r->flags & OFPMPF13_REQ_MORE)
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_MULTIPART);
	return 0;
}

ofperr ofp13_decode_flow_stats_request(const struct ofp13_mp_request *r,
				       struct ofp_rule_spec *f,
				       uint32_t *out_group)
{
	const struct ofp13_flow_stats_request *q = (const void *)r->body;
	uint32_t out_port;
	size_t used;
	ofperr err;

	ofp_rule_spec_init(f);
	if (r->body_len < sizeof(*q) + sizeof(struct ofp13_match))
		return bad_len();
	f->table = q->table_id;
	f->table_set = q->table_id != OFPTT13_ALL;
	f->cookie = ofp_ntohll(q->cookie);
	f->cookie_mask = ofp_ntohll(q->cookie_mask);
	out_port = ntohl(q->out_port);
	if (out_port != OFPP13_ANY && ofp13_port_from_wire(out_port, &f->out_port))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_PORT);
	*out_group = ntohl(q->out_group);
	if (*out_group != OFPG13_ANY) {
		f->out_group_set = true;
		f->out_group = *out_group;
	}
	err = ofp13_decode_match(r->body + sizeof(*q), r->body_len - sizeof(*q),
				 &f->match, &used);
	if (!err && sizeof(*q) + used != r->body_len)
		err = bad_len();
	return err;
}

ofperr ofp13_decode_port_stats_request(const struct ofp13_mp_request *r,
				       uint32_t *port)
{
	const struct ofp13_port_stats_request *q = (const void *)r->body;
	uint32_t wire;

	if (r->body_len != sizeof(*q))
		return bad_len();
	wire = ntohl(q->port_no);
	if (wire == OFPP13_ANY) {
		*port = OFPP_NONE;
		return 0;
	}
	if (ofp13_port_from_wire(wire, port) ||
	    (*port > OFPP_MAX && *port != OFPP_LOCAL))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_PORT);
	return 0;
}

static void mp_open(struct ofp13_mp_writer *w)
{
	w->start = ofp13_msg_start(w->b, OFPT13_MULTIPART_REPLY, w->xid);
	ofpbuf_put_zeros(w->b, sizeof(struct ofp13_multipart) -
			       sizeof(struct ofp13_header));
	if (!w->b->oom) {
		struct ofp13_multipart *mp = (void *)(w->b->data + w->start);

		mp->type = htons(w->type);
	}
}

void ofp13_mp_begin(struct ofp13_mp_writer *w, struct ofpbuf *b, uint16_t type,
		    uint32_t xid)
{
	w->b = b;
	w->type = type;
	w->xid = xid;
	mp_open(w);
}

void ofp13_mp_add(struct ofp13_mp_writer *w, const void *entry, size_t n)
{
	if (!w->b->oom && w->b->size - w->start + n > OFP13_MAX_MSG) {
		struct ofp13_multipart *mp = (void *)(w->b->data + w->start);

		mp->flags = htons(OFPMPF13_MORE);
		ofp13_msg_finish(w->b, w->start);
		mp_open(w);
	}
	ofpbuf_put(w->b, entry, n);
}

ofperr ofp13_mp_end(struct ofp13_mp_writer *w)
{
	return ofp13_msg_finish(w->b, w->start);
}

ofperr ofp13_encode_flow_stats(struct ofpbuf *b,
			       const struct ofp13_flow_stats_entry *e)
{
	const struct ofp_rule_spec *s = e->spec;
	struct ofp13_flow_stats *fs;
	long long age = e->age_ms > 0 ? e->age_ms : 0;
	ofperr err;

	ofpbuf_clear(b);
	if (!ofpbuf_put_zeros(b, sizeof(*fs)))
		return bad_len();
	fs = (void *)b->data;
	fs->table_id = s->table;
	fs->duration_sec = htonl((uint32_t)(age / 1000));
	fs->duration_nsec = htonl((uint32_t)(age % 1000 * 1000000));
	fs->priority = htons(s->priority);
	fs->idle_timeout = htons(s->idle_timeout);
	fs->hard_timeout = htons(s->hard_timeout);
	fs->flags = htons(e->flags);
	fs->cookie = ofp_htonll(s->cookie);
	fs->packet_count = ofp_htonll(e->packets);
	fs->byte_count = ofp_htonll(e->bytes);
	err = ofp13_encode_match(b, &s->match);
	if (!err)
		err = ofp13_encode_instructions(b, s->acts, &s->match);
	if (!err && (b->oom || b->size > OFP13_MAX_MSG - sizeof(struct ofp13_multipart)))
		err = bad_len();
	if (err)
		return err;
	fs = (void *)b->data;
	fs->length = htons((uint16_t)b->size);
	return 0;
}
