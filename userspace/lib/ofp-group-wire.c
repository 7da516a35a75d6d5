// SPDX-License-Identifier: GPL-2.0
/* Groups on the wire: GROUP_MOD, GROUP_DESC, GROUP stats, GROUP_FEATURES. */
#include <string.h>
#include "ofp-group.h"

static ofperr bad_len(void)
{
	return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
}

/* Buckets have no match: set_field prerequisites are the packet's. */
static const struct match no_match;

static ofperr dec_bucket(const uint8_t *p, size_t avail, struct ofp_group *g,
			 size_t *used)
{
	struct ofp13_bucket bh;
	struct ofp_bucket *b;
	size_t len;
	uint32_t wp;

	if (avail < sizeof(bh))
		return ofp_gm_err(OFPGMFC13_BAD_BUCKET);
	memcpy(&bh, p, sizeof(bh));
	len = ntohs(bh.len);
	if (len < sizeof(bh) || len % 8 || len > avail)
		return ofp_gm_err(OFPGMFC13_BAD_BUCKET);
	b = ofp_group_add_bucket(g);
	if (!b)
		return ofp_gm_err(OFPGMFC13_OUT_OF_BUCKETS);
	b->weight = ntohs(bh.weight);
	wp = ntohl(bh.watch_port);
	if (wp != OFPP13_ANY && ofp13_port_from_wire(wp, &b->watch_port))
		return ofp_gm_err(OFPGMFC13_BAD_WATCH);
	b->watch_group = ntohl(bh.watch_group);
	b->acts = ofpacts_new();
	if (!b->acts)
		return ofp_gm_err(OFPGMFC13_OUT_OF_BUCKETS);
	*used = len;
	return ofp13_decode_actions(p + sizeof(bh), len - sizeof(bh), NULL,
				    false, b->acts);
}

static ofperr dec_buckets(const uint8_t *p, size_t len, struct ofp_group *g)
{
	size_t off = 0, used = 0;
	ofperr err;

	while (off < len) {
		if (g->n_buckets >= GROUP_MAX_BUCKETS)
			return ofp_gm_err(OFPGMFC13_OUT_OF_BUCKETS);
		err = dec_bucket(p + off, len - off, g, &used);
		if (err)
			return err;
		off += used;
	}
	return 0;
}

ofperr ofp13_decode_group_mod(const void *msg, size_t len,
			      struct ofp13_group_mod_msg *gm)
{
	const struct ofp13_group_mod *h = msg;
	size_t n;
	ofperr err;

	memset(gm, 0, sizeof(*gm));
	if (ofp13_check_header(msg, len))
		return bad_len();
	n = ntohs(h->h.length);
	if (n < sizeof(*h))
		return bad_len();
	gm->command = ntohs(h->command);
	gm->g.id = ntohl(h->group_id);
	gm->g.type = h->type;
	if (gm->command > OFPGC_DELETE)
		return ofp_gm_err(OFPGMFC13_BAD_COMMAND);
	if (gm->command == OFPGC_DELETE)	/* type and buckets: unused */
		return 0;
	if (!ofp_group_type_name(gm->g.type))
		return ofp_gm_err(OFPGMFC13_BAD_TYPE);
	err = dec_buckets((const uint8_t *)msg + sizeof(*h), n - sizeof(*h), &gm->g);
	if (err)
		ofp_group_uninit(&gm->g);
	return err;
}

static ofperr put_buckets(struct ofpbuf *b, const struct ofp_group *g)
{
	for (size_t i = 0; i < g->n_buckets; i++) {
		const struct ofp_bucket *bk = &g->buckets[i];
		size_t start = b->size;
		struct ofp13_bucket *bh;
		ofperr err;

		if (!ofpbuf_put_zeros(b, sizeof(*bh)))
			return bad_len();
		err = ofp13_encode_actions(b, bk->acts, &no_match);
		if (err)
			return err;
		if (b->oom)
			return bad_len();
		bh = (void *)(b->data + start);
		bh->len = htons((uint16_t)(b->size - start));
		bh->weight = htons(bk->weight);
		bh->watch_port = htonl(bk->watch_port == OFPP_NONE ? OFPP13_ANY
					: ofp13_port_to_wire(bk->watch_port));
		bh->watch_group = htonl(bk->watch_group);
	}
	return 0;
}

ofperr ofp13_encode_group_mod(struct ofpbuf *b, uint32_t xid,
			      const struct ofp13_group_mod_msg *gm)
{
	size_t start = ofp13_msg_start(b, OFPT13_GROUP_MOD, xid);
	struct ofp13_group_mod *h;
	ofperr err;

	if (!ofpbuf_put_zeros(b, sizeof(*h) - sizeof(struct ofp13_header)))
		return bad_len();
	h = (void *)(b->data + start);
	h->command = htons(gm->command);
	h->type = gm->g.type;
	h->group_id = htonl(gm->g.id);
	err = put_buckets(b, &gm->g);
	if (err)
		return err;
	return ofp13_msg_finish(b, start);
}

ofperr ofp13_encode_group_desc(struct ofpbuf *b, const struct ofp_group *g)
{
	struct ofp13_group_desc *d;
	ofperr err;

	ofpbuf_clear(b);
	if (!ofpbuf_put_zeros(b, sizeof(*d)))
		return bad_len();
	err = put_buckets(b, g);
	if (!err && (b->oom || b->size > OFP13_MAX_MSG - sizeof(struct ofp13_multipart)))
		err = bad_len();
	if (err)
		return err;
	d = (void *)b->data;
	d->length = htons((uint16_t)b->size);
	d->type = g->type;
	d->group_id = htonl(g->id);
	return 0;
}

ofperr ofp13_decode_group_desc(const uint8_t *p, size_t avail,
			       struct ofp_group *g, size_t *used)
{
	struct ofp13_group_desc d;
	size_t len;
	ofperr err;

	ofp_group_init(g);
	if (avail < sizeof(d))
		return bad_len();
	memcpy(&d, p, sizeof(d));
	len = ntohs(d.length);
	if (len < sizeof(d) || len > avail)
		return bad_len();
	g->id = ntohl(d.group_id);
	g->type = d.type;
	err = dec_buckets(p + sizeof(d), len - sizeof(d), g);
	if (err) {
		ofp_group_uninit(g);
		return err;
	}
	*used = len;
	return 0;
}

void ofp13_encode_group_stats(struct ofpbuf *b, const struct ofp_group *g,
			      uint32_t ref_count, long long now_ms)
{
	long long age = now_ms - g->created_ms > 0 ? now_ms - g->created_ms : 0;
	struct ofp13_group_stats s;

	ofpbuf_clear(b);
	memset(&s, 0, sizeof(s));
	s.length = htons((uint16_t)(sizeof(s) + g->n_buckets *
				    sizeof(struct ofp13_bucket_counter)));
	s.group_id = htonl(g->id);
	s.ref_count = htonl(ref_count);
	s.packet_count = ofp_htonll(g->packets);
	s.byte_count = ofp_htonll(g->bytes);
	s.duration_sec = htonl((uint32_t)(age / 1000));
	s.duration_nsec = htonl((uint32_t)(age % 1000 * 1000000));
	ofpbuf_put(b, &s, sizeof(s));
	for (size_t i = 0; i < g->n_buckets; i++) {
		struct ofp13_bucket_counter c = {
			ofp_htonll(g->buckets[i].packets),
			ofp_htonll(g->buckets[i].bytes),
		};

		ofpbuf_put(b, &c, sizeof(c));
	}
}

ofperr ofp13_decode_group_stats_request(const uint8_t *body, size_t len,
					uint32_t *id)
{
	struct ofp13_group_stats_request q;

	if (len != sizeof(q))
		return bad_len();
	memcpy(&q, body, sizeof(q));
	*id = ntohl(q.group_id);
	return 0;
}

/* The actions a bucket may hold: those ofp13_decode_actions() takes. */
static uint32_t bucket_actions(void)
{
	return 1u << OFPAT13_OUTPUT | 1u << OFPAT13_PUSH_VLAN |
	       1u << OFPAT13_POP_VLAN | 1u << OFPAT13_GROUP |
	       1u << OFPAT13_SET_NW_TTL | 1u << OFPAT13_DEC_NW_TTL |
	       1u << OFPAT13_SET_FIELD;
}

void ofp13_group_features(uint8_t entry[40])
{
	struct ofp13_group_features f;

	memset(&f, 0, sizeof(f));
	f.types = htonl(1u << OFPGT_ALL | 1u << OFPGT_SELECT |
			1u << OFPGT_INDIRECT | 1u << OFPGT_FF);
	f.capabilities = htonl(OFPGFC13_SELECT_WEIGHT | OFPGFC13_SELECT_LIVENESS |
			       OFPGFC13_CHAINING | OFPGFC13_CHAINING_CHECKS);
	for (int t = 0; t < 4; t++) {
		f.max_groups[t] = htonl(GROUP_MAX_GROUPS);
		f.actions[t] = htonl(bucket_actions());
	}
	memcpy(entry, &f, sizeof(f));
}
