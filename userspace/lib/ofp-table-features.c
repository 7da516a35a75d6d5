// SPDX-License-Identifier: GPL-2.0
/*
 * OpenFlow 1.3 TABLE_FEATURES replies, built from what the codec accepts
 * so the two cannot drift: the OXM table (ofp-oxm.c) for match, wildcard
 * and set_field properties; ofp-inst.c's instructions and actions.
 */
#include <string.h>
#include "ofp-multipart.h"
#include "util.h"

enum {
	TFPT_INSTRUCTIONS = 0,
	TFPT_NEXT_TABLES = 2,
	TFPT_WRITE_ACTIONS = 4,
	TFPT_APPLY_ACTIONS = 6,
	TFPT_MATCH = 8,
	TFPT_WILDCARDS = 10,
	TFPT_WRITE_SETFIELD = 12,
	TFPT_APPLY_SETFIELD = 14,
};

struct ofp13_table_features {
	uint16_t length;
	uint8_t table_id;
	uint8_t pad[5];
	char name[32];
	uint64_t metadata_match;
	uint64_t metadata_write;
	uint32_t config;
	uint32_t max_entries;
} __attribute__((packed));

static const uint16_t instructions[] = {
	OFPIT13_GOTO_TABLE, OFPIT13_WRITE_METADATA, OFPIT13_WRITE_ACTIONS,
	OFPIT13_APPLY_ACTIONS, OFPIT13_CLEAR_ACTIONS,
};

/* write_actions takes the action-set kinds only (ofp-inst.c's set_rank) */
static const uint16_t write_actions[] = {
	OFPAT13_OUTPUT, OFPAT13_PUSH_VLAN, OFPAT13_POP_VLAN,
	OFPAT13_SET_NW_TTL, OFPAT13_DEC_NW_TTL, OFPAT13_SET_FIELD,
};

static const uint16_t apply_actions[] = {
	OFPAT13_OUTPUT, OFPAT13_PUSH_VLAN, OFPAT13_POP_VLAN,
	OFPAT13_SET_NW_TTL, OFPAT13_DEC_NW_TTL, OFPAT13_SET_FIELD,
};

static void prop_begin(struct ofpbuf *b, uint16_t type, size_t *start)
{
	uint16_t t = htons(type), zero = 0;

	*start = b->size;
	ofpbuf_put(b, &t, 2);
	ofpbuf_put(b, &zero, 2);
}

static void prop_end(struct ofpbuf *b, size_t start)
{
	uint16_t len = htons((uint16_t)(b->size - start));

	if (!b->oom)
		memcpy(b->data + start + 2, &len, 2);
	ofpbuf_pad8(b, start);
}

/* A list of 4-byte instruction or action headers. */
static void prop_tlvs(struct ofpbuf *b, uint16_t type, const uint16_t *v, size_t n)
{
	size_t start;

	prop_begin(b, type, &start);
	for (size_t i = 0; i < n; i++) {
		struct ofp13_tlv t = { htons(v[i]), htons(4) };

		ofpbuf_put(b, &t, sizeof(t));
	}
	prop_end(b, start);
}

static void prop_oxms(struct ofpbuf *b, uint16_t type, bool writable)
{
	uint32_t hdrs[128];
	size_t n = ofp13_oxm_headers(hdrs, ARRAY_SIZE(hdrs), writable), start;

	prop_begin(b, type, &start);
	ofpbuf_put(b, hdrs, n * sizeof(hdrs[0]));
	prop_end(b, start);
}

static void put_one(struct ofpbuf *b, uint8_t id, uint8_t n_tables,
		    uint32_t max_entries)
{
	struct ofp13_table_features tf;
	size_t start;

	ofpbuf_clear(b);
	memset(&tf, 0, sizeof(tf));
	tf.table_id = id;
	tf.metadata_match = ~0ull;	/* every bit of metadata, both ways */
	tf.metadata_write = ~0ull;
	tf.max_entries = htonl(max_entries);
	ofpbuf_put(b, &tf, sizeof(tf));
	prop_tlvs(b, TFPT_INSTRUCTIONS, instructions, ARRAY_SIZE(instructions));
	prop_begin(b, TFPT_NEXT_TABLES, &start);
	for (unsigned t = id + 1u; t < n_tables; t++) {
		uint8_t v = (uint8_t)t;

		ofpbuf_put(b, &v, 1);
	}
	prop_end(b, start);
	prop_tlvs(b, TFPT_WRITE_ACTIONS, write_actions, ARRAY_SIZE(write_actions));
	prop_tlvs(b, TFPT_APPLY_ACTIONS, apply_actions, ARRAY_SIZE(apply_actions));
	prop_oxms(b, TFPT_MATCH, false);
	prop_oxms(b, TFPT_WILDCARDS, false);
	prop_oxms(b, TFPT_WRITE_SETFIELD, true);
	prop_oxms(b, TFPT_APPLY_SETFIELD, true);
	if (!b->oom) {
		uint16_t len = htons((uint16_t)b->size);

		memcpy(b->data, &len, 2);
	}
}

void ofp13_put_table_features(struct ofp13_mp_writer *w, uint8_t n_tables,
			      uint32_t max_entries)
{
	struct ofpbuf b;

	ofpbuf_init(&b);
	for (unsigned id = 0; id < n_tables; id++) {
		put_one(&b, (uint8_t)id, n_tables, max_entries);
		ofp13_mp_add(w, b.data, b.size);
	}
	ofpbuf_free(&b);
}
