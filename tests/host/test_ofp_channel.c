// SPDX-License-Identifier: GPL-2.0
/*
 * What the OpenFlow channel is built on: connection targets as
 * set-controller reads them, MULTIPART requests and the reply writer's
 * split over 64 KiB messages, flow stats entries and TABLE_FEATURES
 * properties that walk to their declared ends.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"
#include "ofp-multipart.h"
#include "ofp-target.h"

static const char *target_err(const char *s)
{
	static char err[256];
	struct ofp_target t;

	if (!ofp_target_parse(s, &t, err, sizeof(err)))
		return "OK";
	return err;
}

TEST(targets)
{
	struct ofp_target t;
	char err[256];

	ASSERT_EQ(0, ofp_target_parse("tcp:192.0.2.1", &t, err, sizeof(err)));
	EXPECT_EQ((unsigned)OFPT_TCP, t.kind);
	EXPECT_FALSE(t.passive);
	EXPECT_EQ(6653, ntohs(t.in.sin_port));
	EXPECT_EQ(htonl(0xc0000201), t.in.sin_addr.s_addr);
	ASSERT_EQ(0, ofp_target_parse("tcp:192.0.2.1:6633", &t, err, sizeof(err)));
	EXPECT_EQ(6633, ntohs(t.in.sin_port));
	ASSERT_EQ(0, ofp_target_parse("ptcp:", &t, err, sizeof(err)));
	EXPECT_TRUE(t.passive);
	EXPECT_EQ(6653, ntohs(t.in.sin_port));
	EXPECT_EQ(0u, t.in.sin_addr.s_addr);
	ASSERT_EQ(0, ofp_target_parse("ptcp:16653:127.0.0.1", &t, err, sizeof(err)));
	EXPECT_EQ(16653, ntohs(t.in.sin_port));
	EXPECT_EQ(htonl(0x7f000001), t.in.sin_addr.s_addr);
	ASSERT_EQ(0, ofp_target_parse("punix:/run/vswitch/br0.mgmt", &t, err, sizeof(err)));
	EXPECT_EQ((unsigned)OFPT_PUNIX, t.kind);
	EXPECT_STREQ("/run/vswitch/br0.mgmt", t.path);
	ASSERT_EQ(0, ofp_target_parse("unix:/tmp/c.sock", &t, err, sizeof(err)));
	EXPECT_EQ((unsigned)OFPT_UNIX, t.kind);

	EXPECT_STREQ("invalid IPv4 address '192.0.2' in 'tcp:192.0.2'", target_err("tcp:192.0.2"));
	EXPECT_STREQ("'tcp:' needs an IPv4 address: tcp:IP[:PORT]", target_err("tcp:"));
	EXPECT_STREQ("invalid port '70000' in 'tcp:192.0.2.1:70000' (0..65535)",
		     target_err("tcp:192.0.2.1:70000"));
	EXPECT_STREQ("invalid port 'x' in 'ptcp:x' (0..65535)", target_err("ptcp:x"));
	EXPECT_STREQ("invalid port '-1' in 'ptcp:-1' (0..65535)", target_err("ptcp:-1"));
	EXPECT_STREQ("invalid IPv4 address 'host' in 'ptcp:1:host'", target_err("ptcp:1:host"));
	EXPECT_NE(NULL, strstr(target_err("unix:"), "needs a socket path"));
	EXPECT_NE(NULL, strstr(target_err("ssl:192.0.2.1"), "unknown connection target 'ssl:192.0.2.1'"));
}

static void mp_request(struct ofpbuf *b, uint16_t type, uint16_t flags,
		       const void *body, size_t n)
{
	size_t start = ofp13_msg_start(b, OFPT13_MULTIPART_REQUEST, 3);
	uint16_t tf[2] = { htons(type), htons(flags) };
	uint8_t pad[4] = { 0 };

	ofpbuf_put(b, tf, sizeof(tf));
	ofpbuf_put(b, pad, sizeof(pad));
	ofpbuf_put(b, body, n);
	ofp13_msg_finish(b, start);
}

TEST(multipart_requests)
{
	struct ofp13_flow_stats_request q = { .table_id = 3,
		.out_port = htonl(OFPP13_ANY), .out_group = htonl(OFPG13_ANY),
		.cookie = ofp_htonll(5), .cookie_mask = ofp_htonll(0xff) };
	uint8_t match_ip[16] = { 0, 1, 0, 10, 0x80, 0, 5 << 1, 2, 0x08, 0x00 };
	struct ofp13_port_stats_request ps = { htonl(OFPP13_LOCAL) };
	struct ofp13_mp_request r;
	struct ofp_rule_spec f;
	uint8_t body[sizeof(q) + sizeof(match_ip)];
	uint32_t group, port;
	struct ofpbuf b;

	memcpy(body, &q, sizeof(q));
	memcpy(body + sizeof(q), match_ip, sizeof(match_ip));
	ofpbuf_init(&b);
	mp_request(&b, OFPMP13_FLOW, 0, body, sizeof(body));
	ASSERT_EQ(0u, ofp13_decode_mp_request(b.data, b.size, &r));
	EXPECT_EQ(OFPMP13_FLOW, r.type);
	ASSERT_EQ(0u, ofp13_decode_flow_stats_request(&r, &f, &group));
	EXPECT_TRUE(f.table_set);
	EXPECT_EQ(3, f.table);
	EXPECT_EQ((uint32_t)OFPP_NONE, f.out_port);
	EXPECT_EQ(0xffu, f.cookie_mask);
	EXPECT_EQ(htons(0x0800), f.match.flow.eth_type);
	/* a body longer than its match */
	r.body_len += 8;
	EXPECT_STREQ("OFPBRC_BAD_LEN", ofperr_name(ofp13_decode_flow_stats_request(&r, &f, &group)));
	r.body_len -= 24;
	EXPECT_STREQ("OFPBRC_BAD_LEN", ofperr_name(ofp13_decode_flow_stats_request(&r, &f, &group)));

	ofpbuf_clear(&b);
	mp_request(&b, OFPMP13_PORT_STATS, 0, &ps, sizeof(ps));
	ASSERT_EQ(0u, ofp13_decode_mp_request(b.data, b.size, &r));
	ASSERT_EQ(0u, ofp13_decode_port_stats_request(&r, &port));
	EXPECT_EQ((uint32_t)OFPP_LOCAL, port);
	ps.port_no = htonl(0xffff0000);
	ofpbuf_clear(&b);
	mp_request(&b, OFPMP13_PORT_STATS, 0, &ps, sizeof(ps));
	ASSERT_EQ(0u, ofp13_decode_mp_request(b.data, b.size, &r));
	EXPECT_STREQ("OFPBRC_BAD_PORT", ofperr_name(ofp13_decode_port_stats_request(&r, &port)));

	ofpbuf_clear(&b);
	mp_request(&b, OFPMP13_TABLE_FEATURES, 1 /* REQ_MORE */, NULL, 0);
	EXPECT_STREQ("OFPBRC_BAD_MULTIPART", ofperr_name(ofp13_decode_mp_request(b.data, b.size, &r)));
	EXPECT_STREQ("OFPBRC_BAD_LEN", ofperr_name(ofp13_decode_mp_request(b.data, 12, &r)));
	ofpbuf_free(&b);
}

/* Walks the MULTIPART_REPLY messages in @b: each well formed, all but the
 * last flagged MORE; returns the number of messages and the body bytes. */
static int walk_replies(struct __test_metadata *_metadata, const struct ofpbuf *b,
			size_t *body)
{
	size_t off = 0;
	int n = 0;

	*body = 0;
	while (off < b->size) {
		const struct ofp13_multipart *mp = (const void *)(b->data + off);
		size_t len = ntohs(mp->h.length);

		EXPECT_EQ(OFPT13_MULTIPART_REPLY, mp->h.type);
		EXPECT_LE(sizeof(*mp), len);
		EXPECT_LE(off + len, b->size);
		if (len < sizeof(*mp) || off + len > b->size)
			return -1;
		off += len;
		*body += len - sizeof(*mp);
		EXPECT_EQ(off < b->size ? OFPMPF13_MORE : 0, ntohs(mp->flags));
		n++;
	}
	return n;
}

TEST(reply_writer_splits_at_64k)
{
	struct ofp13_mp_writer w;
	uint8_t entry[1000];
	struct ofpbuf b;
	size_t body;

	memset(entry, 0x11, sizeof(entry));
	ofpbuf_init(&b);
	ofp13_mp_begin(&w, &b, OFPMP13_FLOW, 9);
	for (int i = 0; i < 200; i++)
		ofp13_mp_add(&w, entry, sizeof(entry));
	ASSERT_EQ(0u, ofp13_mp_end(&w));
	EXPECT_EQ(4, walk_replies(_metadata, &b, &body));	/* 65 per message */
	EXPECT_EQ(200u * sizeof(entry), body);
	ofpbuf_clear(&b);
	ofp13_mp_begin(&w, &b, OFPMP13_DESC, 9);
	ASSERT_EQ(0u, ofp13_mp_end(&w));
	EXPECT_EQ(1, walk_replies(_metadata, &b, &body));
	EXPECT_EQ(0u, body);
	ofpbuf_free(&b);
}

/* Every property of every table ends where the table says it does. */
TEST(table_features_are_well_formed)
{
	struct ofp13_mp_writer w;
	struct ofpbuf b;
	size_t off = 0, body, tables = 0;

	ofpbuf_init(&b);
	ofp13_mp_begin(&w, &b, OFPMP13_TABLE_FEATURES, 1);
	ofp13_put_table_features(&w, 254, 1000);
	ASSERT_EQ(0u, ofp13_mp_end(&w));
	ASSERT_LT(1, walk_replies(_metadata, &b, &body));
	while (off < b.size) {
		const struct ofp13_multipart *mp = (const void *)(b.data + off);
		size_t end = off + ntohs(mp->h.length), t = off + sizeof(*mp);

		while (t < end) {
			size_t tlen = (size_t)(b.data[t] << 8 | b.data[t + 1]), p = t + 64;

			ASSERT_LE(64u, tlen);
			ASSERT_LE(t + tlen, end);
			EXPECT_EQ(0u, tlen % 8);
			EXPECT_EQ(tables, b.data[t + 2]);
			while (p < t + tlen) {
				size_t plen = (size_t)(b.data[p + 2] << 8 | b.data[p + 3]);

				ASSERT_LE(4u, plen);
				p += (plen + 7) / 8 * 8;
			}
			EXPECT_EQ(t + tlen, p);
			t += tlen;
			tables++;
		}
		off = end;
	}
	EXPECT_EQ(254u, tables);
	ofpbuf_free(&b);
}

TEST(flow_stats_entry)
{
	struct ofp_rule_spec s;
	struct ofp13_flow_stats_entry e = { &s, 7, 700, 2500, 0 };
	const struct ofp13_flow_stats *fs;
	char err[128];
	struct ofpbuf b;

	ASSERT_EQ(0, ofp_parse_flow("table=2,priority=9,cookie=0x77,tcp,tp_dst=22,actions=output:3",
				    OFP_PARSE_ADD, NULL, NULL, &s, err, sizeof(err)));
	ofpbuf_init(&b);
	ASSERT_EQ(0u, ofp13_encode_flow_stats(&b, &e));
	fs = (const void *)b.data;
	EXPECT_EQ(b.size, ntohs(fs->length));
	EXPECT_EQ(0u, b.size % 8);
	EXPECT_EQ(2, fs->table_id);
	EXPECT_EQ(9, ntohs(fs->priority));
	EXPECT_EQ(2u, ntohl(fs->duration_sec));
	EXPECT_EQ(500000000u, ntohl(fs->duration_nsec));
	EXPECT_EQ(7u, ofp_ntohll(fs->packet_count));
	EXPECT_EQ(0x77u, ofp_ntohll(fs->cookie));
	ofp_rule_spec_free(&s);
	ofpbuf_free(&b);
}

TEST_HARNESS_MAIN
