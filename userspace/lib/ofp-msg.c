// SPDX-License-Identifier: GPL-2.0
/*
 * OpenFlow 1.3 messages: the byte buffer, headers, ports, errors, and the
 * fixed-format messages (HELLO, ERROR, ECHO, FEATURES, SWITCH_CONFIG,
 * FLOW_MOD). Matches are in ofp-oxm.c, instructions in ofp-inst.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-msg.h"
#include "util.h"

static ofperr bad_len(void)
{
	return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
}

void ofpbuf_init(struct ofpbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void ofpbuf_free(struct ofpbuf *b)
{
	free(b->data);
	ofpbuf_init(b);
}

void ofpbuf_clear(struct ofpbuf *b)
{
	b->size = 0;
	b->oom = false;
}

void *ofpbuf_put_zeros(struct ofpbuf *b, size_t n)
{
	void *p;

	if (b->oom)
		return NULL;
	if (b->size + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *d;

		while (cap < b->size + n)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d) {
			b->oom = true;
			return NULL;
		}
		b->data = d;
		b->cap = cap;
	}
	p = b->data + b->size;
	memset(p, 0, n);
	b->size += n;
	return p;
}

void ofpbuf_put(struct ofpbuf *b, const void *p, size_t n)
{
	void *dst = ofpbuf_put_zeros(b, n);

	if (dst && n)
		memcpy(dst, p, n);
}

void ofpbuf_pad8(struct ofpbuf *b, size_t start)
{
	size_t len = b->size - start;

	ofpbuf_put_zeros(b, (len + 7) / 8 * 8 - len);
}

static const struct {
	uint16_t type;
	const char *prefix;
	const char *codes[16];
} err_names[] = {
	{ OFPET13_HELLO_FAILED, "OFPHFC", { "INCOMPATIBLE", "EPERM" } },
	{ OFPET13_BAD_REQUEST, "OFPBRC", { "BAD_VERSION", "BAD_TYPE",
	  "BAD_MULTIPART", "BAD_EXPERIMENTER", "BAD_EXP_TYPE", "EPERM",
	  "BAD_LEN", "BUFFER_EMPTY", "BUFFER_UNKNOWN", "BAD_TABLE_ID",
	  "IS_SLAVE", "BAD_PORT", "BAD_PACKET", "MULTIPART_BUFFER_OVERFLOW" } },
	{ OFPET13_BAD_ACTION, "OFPBAC", { "BAD_TYPE", "BAD_LEN",
	  "BAD_EXPERIMENTER", "BAD_EXP_TYPE", "BAD_OUT_PORT", "BAD_ARGUMENT",
	  "EPERM", "TOO_MANY", "BAD_QUEUE", "BAD_OUT_GROUP",
	  "MATCH_INCONSISTENT", "UNSUPPORTED_ORDER", "BAD_TAG", "BAD_SET_TYPE",
	  "BAD_SET_LEN", "BAD_SET_ARGUMENT" } },
	{ OFPET13_BAD_INSTRUCTION, "OFPBIC", { "UNKNOWN_INST", "UNSUP_INST",
	  "BAD_TABLE_ID", "UNSUP_METADATA", "UNSUP_METADATA_MASK",
	  "BAD_EXPERIMENTER", "BAD_EXP_TYPE", "BAD_LEN", "EPERM" } },
	{ OFPET13_BAD_MATCH, "OFPBMC", { "BAD_TYPE", "BAD_LEN", "BAD_TAG",
	  "BAD_DL_ADDR_MASK", "BAD_NW_ADDR_MASK", "BAD_WILDCARDS",
	  "BAD_FIELD", "BAD_VALUE", "BAD_MASK", "BAD_PREREQ", "DUP_FIELD",
	  "EPERM" } },
	{ OFPET13_FLOW_MOD_FAILED, "OFPFMFC", { "UNKNOWN", "TABLE_FULL",
	  "BAD_TABLE_ID", "OVERLAP", "EPERM", "BAD_TIMEOUT", "BAD_COMMAND",
	  "BAD_FLAGS" } },
	{ OFPET13_GROUP_MOD_FAILED, "OFPGMFC", { "GROUP_EXISTS",
	  "INVALID_GROUP", "WEIGHT_UNSUPPORTED", "OUT_OF_GROUPS",
	  "OUT_OF_BUCKETS", "CHAINING_UNSUPPORTED", "WATCH_UNSUPPORTED", "LOOP",
	  "UNKNOWN_GROUP", "CHAINED_GROUP", "BAD_TYPE", "BAD_COMMAND",
	  "BAD_BUCKET", "BAD_WATCH", "EPERM" } },
	{ OFPET13_SWITCH_CONFIG_FAILED, "OFPSCFC", { "BAD_FLAGS", "BAD_LEN",
	  "EPERM" } },
	{ OFPET13_ROLE_REQUEST_FAILED, "OFPRRFC", { "STALE", "UNSUP",
	  "BAD_ROLE" } },
};

const char *ofperr_name(ofperr e)
{
	static __thread char buf[48];
	uint16_t type = ofperr_type(e), code = ofperr_code(e);

	if (!e)
		return "OK";
	for (size_t i = 0; i < ARRAY_SIZE(err_names); i++) {
		if (err_names[i].type != type)
			continue;
		if (code < 16 && err_names[i].codes[code]) {
			snprintf(buf, sizeof(buf), "%s_%s", err_names[i].prefix,
				 err_names[i].codes[code]);
			return buf;
		}
	}
	snprintf(buf, sizeof(buf), "OFPET_%u/%u", type, code);
	return buf;
}

size_t ofp13_msg_start(struct ofpbuf *b, uint8_t type, uint32_t xid)
{
	size_t start = b->size;
	struct ofp13_header *h = ofpbuf_put_zeros(b, sizeof(*h));

	if (h) {
		h->version = OFP13_VERSION;
		h->type = type;
		h->xid = htonl(xid);
	}
	return start;
}

ofperr ofp13_msg_finish(struct ofpbuf *b, size_t start)
{
	struct ofp13_header *h;
	size_t len;

	if (b->oom || b->size - start > OFP13_MAX_MSG) {
		if (!b->oom)
			b->size = start;
		return bad_len();
	}
	len = b->size - start;
	h = (struct ofp13_header *)(b->data + start);
	h->length = htons((uint16_t)len);
	return 0;
}

ofperr ofp13_check_header(const void *msg, size_t len)
{
	const struct ofp13_header *h = msg;

	if (len < sizeof(*h) || ntohs(h->length) < sizeof(*h) ||
	    ntohs(h->length) > len)
		return bad_len();
	return 0;
}

ofperr ofp13_port_from_wire(uint32_t wire, uint32_t *port)
{
	if (wire >= OFPP13_IN_PORT) {
		*port = wire - OFPP13_IN_PORT + OFPP_IN_PORT;
		return 0;
	}
	if (wire && wire < OFPP_MAX) {
		*port = wire;
		return 0;
	}
	return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_PORT);
}

uint32_t ofp13_port_to_wire(uint32_t port)
{
	if (port >= OFPP_IN_PORT && port <= OFPP_NONE)
		return port - OFPP_IN_PORT + OFPP13_IN_PORT;
	return port;
}

void ofp13_encode_hello(struct ofpbuf *b, uint32_t xid)
{
	size_t start = ofp13_msg_start(b, OFPT13_HELLO, xid);
	uint8_t elem[8] = { 0, OFPHET_VERSIONBITMAP, 0, 8, 0, 0, 0, 1 << OFP13_VERSION };

	ofpbuf_put(b, elem, sizeof(elem));
	ofp13_msg_finish(b, start);
}

ofperr ofp13_decode_hello(const void *msg, size_t len)
{
	const struct ofp13_header *h = msg;
	const uint8_t *p = msg;
	size_t off = sizeof(*h), n;
	uint16_t type, elen;

	if (ofp13_check_header(msg, len))
		return bad_len();
	n = ntohs(h->length);

	for (; off < n; off += (elen + 7u) / 8 * 8) {
		if (n - off < 4)
			return bad_len();
		type = (uint16_t)(p[off] << 8 | p[off + 1]);
		elen = (uint16_t)(p[off + 2] << 8 | p[off + 3]);
		if (elen < 4 || elen > n - off)
			return bad_len();
		if (type != OFPHET_VERSIONBITMAP)
			continue;	/* unknown elements are ignored (5.5.1) */
		if (elen < 8 || (elen - 4) % 4)
			return bad_len();
		/* bit 4 is in the first 32-bit bitmap word */
		if (p[off + 7] & (1 << OFP13_VERSION))
			return 0;
		return OFPERR(OFPET13_HELLO_FAILED, OFPHFC13_INCOMPATIBLE);
	}
	return h->version >= OFP13_VERSION ? 0
		: OFPERR(OFPET13_HELLO_FAILED, OFPHFC13_INCOMPATIBLE);
}

void ofp13_encode_error(struct ofpbuf *b, uint32_t xid, ofperr e,
			const void *req, size_t req_len)
{
	size_t start = ofp13_msg_start(b, OFPT13_ERROR, xid);
	uint16_t tc[2] = { htons(ofperr_type(e)), htons(ofperr_code(e)) };

	ofpbuf_put(b, tc, sizeof(tc));
	if (req)
		ofpbuf_put(b, req, req_len < 64 ? req_len : 64);
	ofp13_msg_finish(b, start);
}

ofperr ofp13_decode_error(const void *msg, size_t len, uint16_t *type,
			  uint16_t *code)
{
	const struct ofp13_error *e = msg;

	if (ofp13_check_header(msg, len))
		return bad_len();

	if (ntohs(e->h.length) < sizeof(*e))
		return bad_len();
	*type = ntohs(e->type);
	*code = ntohs(e->code);
	return 0;
}

void ofp13_encode_echo(struct ofpbuf *b, uint8_t type, uint32_t xid,
		       const void *data, size_t n)
{
	size_t start = ofp13_msg_start(b, type, xid);

	ofpbuf_put(b, data, n);
	if (ofp13_msg_finish(b, start))
		b->size = start;
}

void ofp13_encode_features_reply(struct ofpbuf *b, uint32_t xid,
				 const struct ofp13_features *f)
{
	size_t start = ofp13_msg_start(b, OFPT13_FEATURES_REPLY, xid);
	struct ofp13_switch_features *sf;

	if (!ofpbuf_put_zeros(b, sizeof(*sf) - sizeof(sf->h)))
		return;
	sf = (struct ofp13_switch_features *)(b->data + start);
	sf->datapath_id = ofp_htonll(f->datapath_id);
	sf->n_buffers = htonl(f->n_buffers);
	sf->n_tables = f->n_tables;
	sf->capabilities = htonl(f->capabilities);
	ofp13_msg_finish(b, start);
}

ofperr ofp13_decode_features_reply(const void *msg, size_t len,
				   struct ofp13_features *f)
{
	const struct ofp13_switch_features *sf = msg;

	if (ofp13_check_header(msg, len))
		return bad_len();

	if (ntohs(sf->h.length) != sizeof(*sf))
		return bad_len();
	f->datapath_id = ofp_ntohll(sf->datapath_id);
	f->n_buffers = ntohl(sf->n_buffers);
	f->n_tables = sf->n_tables;
	f->capabilities = ntohl(sf->capabilities);
	return 0;
}

void ofp13_encode_switch_config(struct ofpbuf *b, uint8_t type, uint32_t xid,
				uint16_t flags, uint16_t miss_send_len)
{
	size_t start = ofp13_msg_start(b, type, xid);
	uint16_t body[2] = { htons(flags), htons(miss_send_len) };

	ofpbuf_put(b, body, sizeof(body));
	ofp13_msg_finish(b, start);
}

ofperr ofp13_decode_switch_config(const void *msg, size_t len,
				  uint16_t *flags, uint16_t *miss_send_len)
{
	const struct ofp13_switch_config *sc = msg;

	if (ofp13_check_header(msg, len))
		return bad_len();

	if (ntohs(sc->h.length) != sizeof(*sc))
		return bad_len();
	*flags = ntohs(sc->flags);
	*miss_send_len = ntohs(sc->miss_send_len);
	if (*flags)	/* only OFPC_FRAG_NORMAL: fragments are not reassembled */
		return OFPERR(OFPET13_SWITCH_CONFIG_FAILED, OFPSCFC13_BAD_FLAGS);
	return 0;
}

ofperr ofp13_decode_empty(const void *msg, size_t len)
{
	const struct ofp13_header *h = msg;

	if (ofp13_check_header(msg, len))
		return bad_len();

	return ntohs(h->length) == sizeof(*h) ? 0 : bad_len();
}

void ofp13_encode_role(struct ofpbuf *b, uint8_t type, uint32_t xid,
		       uint32_t role, uint64_t generation_id)
{
	size_t start = ofp13_msg_start(b, type, xid);
	struct ofp13_role_request *r;

	if (!ofpbuf_put_zeros(b, sizeof(*r) - sizeof(r->h)))
		return;
	r = (struct ofp13_role_request *)(b->data + start);
	r->role = htonl(role);
	r->generation_id = ofp_htonll(generation_id);
	ofp13_msg_finish(b, start);
}

ofperr ofp13_decode_role(const void *msg, size_t len, uint32_t *role,
			 uint64_t *generation_id)
{
	const struct ofp13_role_request *r = msg;

	if (ofp13_check_header(msg, len) || ntohs(r->h.length) != sizeof(*r))
		return bad_len();
	*role = ntohl(r->role);
	*generation_id = ofp_ntohll(r->generation_id);
	if (*role > OFPCR13_ROLE_SLAVE)
		return OFPERR(OFPET13_ROLE_REQUEST_FAILED, OFPRRFC13_BAD_ROLE);
	return 0;
}

void ofp13_encode_async(struct ofpbuf *b, uint8_t type, uint32_t xid,
			const struct ofp13_async *a)
{
	size_t start = ofp13_msg_start(b, type, xid);
	uint32_t v[6];

	for (int i = 0; i < 2; i++) {
		v[i] = htonl(a->packet_in[i]);
		v[2 + i] = htonl(a->port_status[i]);
		v[4 + i] = htonl(a->flow_removed[i]);
	}
	ofpbuf_put(b, v, sizeof(v));
	ofp13_msg_finish(b, start);
}

ofperr ofp13_decode_async(const void *msg, size_t len, struct ofp13_async *a)
{
	const struct ofp13_async_config *c = msg;

	if (ofp13_check_header(msg, len) || ntohs(c->h.length) != sizeof(*c))
		return bad_len();
	for (int i = 0; i < 2; i++) {
		a->packet_in[i] = ntohl(c->packet_in_mask[i]);
		a->port_status[i] = ntohl(c->port_status_mask[i]);
		a->flow_removed[i] = ntohl(c->flow_removed_mask[i]);
	}
	return 0;
}
