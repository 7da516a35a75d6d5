// SPDX-License-Identifier: GPL-2.0
/*
 * PACKET_IN and PACKET_OUT without a kernel: the controller action in
 * both syntaxes, its translation into the datapath's userspace action
 * (reason, table, rule, max_len in the cookie), a PACKET_OUT's actions
 * through the pipeline, the wire codec and its errors, the flow of a
 * userspace frame, and the PACKET_IN rate limit.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"
#include "flow-extract.h"
#include "ofp-msg.h"
#include "ofp-pin.h"

#define BE16(v) (uint8_t)((v) >> 8), (uint8_t)(v)
#define BE32(v) BE16((v) >> 16), BE16(v)

static char *acts_text(const char *text, char *err, size_t errlen)
{
	struct ofpacts *acts;
	char *out;

	if (ofp_parse_actions(text, NULL, NULL, &acts, err, errlen))
		return NULL;
	out = ofp_format_actions(acts, NULL, NULL);
	ofpacts_free(acts);
	return out;
}

TEST(controller_action_syntax)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "CONTROLLER", "CONTROLLER:65535" },
		{ "controller", "CONTROLLER:65535" },
		{ "output:CONTROLLER", "CONTROLLER:65535" },
		{ "CONTROLLER:128", "CONTROLLER:128" },
		{ "controller(max_len=64)", "CONTROLLER:64" },
		{ "controller()", "CONTROLLER:65535" },
		{ "output:1,CONTROLLER:0", "output:1,CONTROLLER:0" },
	};
	static const struct { const char *in, *msg; } bad[] = {
		{ "controller(reason=no_match)", "'reason' is not supported" },
		{ "controller(userdata=00.11)", "'userdata' is not supported" },
		{ "CONTROLLER:65536", "out of range" },
		{ "controller(max_len=x)", "invalid value" },
	};
	char err[256], *s;

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		s = acts_text(ok[i].in, err, sizeof(err));
		ASSERT_NE(NULL, s) TH_LOG("%s: %s", ok[i].in, err);
		EXPECT_STREQ(ok[i].out, s);
		free(s);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		s = acts_text(bad[i].in, err, sizeof(err));
		EXPECT_EQ(NULL, s) TH_LOG("%s accepted", bad[i].in);
		free(s);
		EXPECT_NE(NULL, strstr(err, bad[i].msg)) TH_LOG("%s: %s", bad[i].in, err);
	}
}

/* Decodes one OFPAT_OUTPUT to CONTROLLER with @max_len. */
static ofperr dec_controller(uint16_t max_len, struct ofpacts *acts)
{
	const uint8_t a[] = { BE16(OFPAT13_OUTPUT), BE16(16), BE32(OFPP13_CONTROLLER),
			      BE16(max_len), 0, 0, 0, 0, 0, 0 };

	return ofp13_decode_actions(a, sizeof(a), NULL, false, acts);
}

TEST(controller_action_wire)
{
	struct ofpacts *acts = ofpacts_new();
	struct ofpbuf b;
	struct match any;

	ASSERT_EQ(0u, dec_controller(200, acts));
	ASSERT_EQ(1u, acts->n);
	EXPECT_EQ((int)OFPACT_CONTROLLER, (int)acts->a[0].type);
	EXPECT_EQ(200, acts->a[0].max_len);
	ASSERT_EQ(0u, dec_controller(OFPCML13_NO_BUFFER, acts));
	EXPECT_EQ(OFPCML13_NO_BUFFER, acts->a[1].max_len);
	EXPECT_STREQ("OFPBAC_BAD_ARGUMENT", ofperr_name(dec_controller(0xfff0, acts)));
	memset(&any, 0, sizeof(any));
	ofpbuf_init(&b);
	ASSERT_EQ(0u, ofp13_encode_actions(&b, acts, &any));
	ASSERT_EQ(32u, b.size);
	EXPECT_EQ(0xfd, b.data[7]);		/* port CONTROLLER */
	EXPECT_EQ(200, b.data[8] << 8 | b.data[9]);	/* max_len */
	EXPECT_EQ(0xff, b.data[24]);
	EXPECT_EQ(0xff, b.data[25]);
	ofpbuf_free(&b);
	ofpacts_free(acts);
}

/* The datapath cookie of the single userspace action in @acts_text. */
static bool pin_cookie(const char *acts, struct ofp_pin_cookie *c)
{
	const char *p = strstr(acts, "userspace(cookie=");

	if (!p)
		return false;
	*c = ofp_pin_cookie_unpack(strtoull(p + 17, NULL, 0));
	return true;
}

TEST(controller_action_translation)
{
	struct test_bridge t;
	struct ofp_pin_cookie c;
	char acts[512];

	tb_init(&t, 3);
	ASSERT_EQ(0, tb_add(&t, "table=0,priority=0,actions=goto_table:3"));
	ASSERT_EQ(0, tb_add(&t, "table=3,priority=0,actions=CONTROLLER:128"));
	ASSERT_EQ(0, tb_add(&t, "table=3,priority=10,in_port=2,actions=mod_dl_src:02:00:00:00:00:09,controller,output:1"));
	/* the table-miss rule of table 3: reason NO_MATCH */
	ASSERT_EQ(0, tb_xlate(&t, "in_port=1,ip", false, acts, NULL, sizeof(acts)));
	ASSERT_TRUE(pin_cookie(acts, &c)) TH_LOG("%s", acts);
	EXPECT_EQ(OFPR13_NO_MATCH, c.reason);
	EXPECT_EQ(3, c.table);
	EXPECT_EQ(128, c.max_len);
	EXPECT_NE(0u, c.rule_id);
	/* another rule: reason ACTION, the modified frame, then the output */
	ASSERT_EQ(0, tb_xlate(&t, "in_port=2,ip", false, acts, NULL, sizeof(acts)));
	EXPECT_NE(NULL, strstr(acts, "set(eth(src=02:00:00:00:00:09)),userspace(")) TH_LOG("%s", acts);
	EXPECT_NE(NULL, strstr(acts, "),1")) TH_LOG("%s", acts);
	ASSERT_TRUE(pin_cookie(acts, &c));
	EXPECT_EQ(OFPR13_ACTION, c.reason);
	EXPECT_EQ(OFPACT_CONTROLLER_ALL, c.max_len);
	tb_uninit(&t);
}

static struct ofpacts *parse(const char *text)
{
	struct ofpacts *a;
	char err[256];

	return ofp_parse_actions(text, NULL, NULL, &a, err, sizeof(err)) ? NULL : a;
}

TEST(packet_out_translation)
{
	struct test_bridge t;
	struct xlate_out xo;
	struct ofpacts *a;
	struct flow f;
	char *s;

	tb_init(&t, 3);
	ASSERT_EQ(0, tb_add(&t, "priority=5,in_port=2,actions=output:3"));
	ASSERT_EQ(0, tb_packet("in_port=2,udp", &f));
	/* output:TABLE: the pipeline decides */
	a = ofpacts_new();
	ASSERT_NE(NULL, ofpacts_push(a, OFPACT_OUTPUT));
	a->a[0].port = OFPP_TABLE;
	ASSERT_EQ(0, xlate_packet_out(&t.br, &f, a, &xo));
	s = odp_format_actions_flow(&xo.actions, &f);
	EXPECT_STREQ("3", s);
	free(s);
	xlate_out_uninit(&xo);
	ofpacts_free(a);
	/* from the controller: FLOOD reaches every port */
	f.in_port = OFPP_CONTROLLER;
	a = parse("FLOOD");
	ASSERT_NE(NULL, a);
	ASSERT_EQ(0, xlate_packet_out(&t.br, &f, a, &xo));
	s = odp_format_actions_flow(&xo.actions, &f);
	EXPECT_STREQ("1,2,3", s);
	free(s);
	xlate_out_uninit(&xo);
	ofpacts_free(a);
	tb_uninit(&t);
}

static const uint8_t frame[] = {
	0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,	/* eth */
	0x45, 0x10, 0, 28, 0, 1, 0x20, 0, 64, 17, 0, 0,		/* ipv4, MF */
	192, 0, 2, 1, 198, 51, 100, 7,
	0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0,			/* udp */
};

TEST(packet_in_roundtrip)
{
	struct ofp13_pin in = { .reason = OFPR13_ACTION, .table_id = 7,
				.cookie = 0x1122334455667788ull, .in_port = OFPP_LOCAL,
				.total_len = 1500, .data = frame, .len = sizeof(frame) },
			 out;
	struct ofpbuf b;

	ofpbuf_init(&b);
	ASSERT_EQ(0u, ofp13_encode_packet_in(&b, &in));
	ASSERT_EQ(0u, ofp13_decode_packet_in(b.data, b.size, &out));
	EXPECT_EQ(OFP13_VERSION, b.data[0]);
	EXPECT_EQ(OFPT13_PACKET_IN, b.data[1]);
	EXPECT_EQ(0xffffffffu, (uint32_t)b.data[8] << 24 | b.data[9] << 16 |
			       b.data[10] << 8 | b.data[11]);	/* NO_BUFFER */
	EXPECT_EQ(in.reason, out.reason);
	EXPECT_EQ(in.table_id, out.table_id);
	EXPECT_EQ(in.cookie, out.cookie);
	EXPECT_EQ((uint32_t)OFPP_LOCAL, out.in_port);
	EXPECT_EQ(1500u, out.total_len);
	ASSERT_EQ(sizeof(frame), out.len);
	EXPECT_EQ(0, memcmp(frame, out.data, out.len));
	/* truncated anywhere: an error, never a read past the message */
	for (size_t n = 8; n < b.size; n++) {
		uint8_t *cut = malloc(n);

		memcpy(cut, b.data, n);
		cut[2] = (uint8_t)(n >> 8);
		cut[3] = (uint8_t)n;
		ofp13_decode_packet_in(cut, n, &out);
		free(cut);
	}
	ofpbuf_free(&b);
}

static ofperr pout(uint32_t buffer, uint32_t in_port, const uint8_t *acts,
		   size_t alen, size_t flen, struct ofp13_pout *po)
{
	struct ofp13_packet_out o = { .h = { OFP13_VERSION, OFPT13_PACKET_OUT } };
	uint8_t msg[256];
	size_t n = sizeof(o) + alen + flen;
	ofperr e;

	o.h.length = htons((uint16_t)n);
	o.buffer_id = htonl(buffer);
	o.in_port = htonl(in_port);
	o.actions_len = htons((uint16_t)alen);
	memcpy(msg, &o, sizeof(o));
	if (alen)
		memcpy(msg + sizeof(o), acts, alen);
	memcpy(msg + sizeof(o) + alen, frame, flen);
	e = ofp13_decode_packet_out(msg, n, po);
	if (!e)
		ofpacts_free(po->acts);
	return e;
}

TEST(packet_out_errors)
{
	static const uint8_t table[] = { BE16(OFPAT13_OUTPUT), BE16(16), BE32(OFPP13_TABLE),
					 BE16(0), 0, 0, 0, 0, 0, 0 };
	static const uint8_t any[] = { BE16(OFPAT13_OUTPUT), BE16(16), BE32(OFPP13_ANY),
				       BE16(0), 0, 0, 0, 0, 0, 0 };
	static const uint8_t group[] = { BE16(OFPAT13_GROUP), BE16(8), BE32(0xfffffffc) };
	static const uint8_t odd[] = { BE16(OFPAT13_OUTPUT), BE16(12), BE32(1), 0, 0, 0, 0 };
	struct ofp13_pout po;

	EXPECT_EQ(0u, pout(OFP13_NO_BUFFER, OFPP13_CONTROLLER, table, sizeof(table),
			   sizeof(frame), &po));
	EXPECT_EQ((uint32_t)OFPP_CONTROLLER, po.in_port);
	EXPECT_EQ(sizeof(frame), po.len);
	EXPECT_EQ(0u, pout(OFP13_NO_BUFFER, OFPP13_ANY, table, sizeof(table),
			   sizeof(frame), &po));
	EXPECT_EQ((uint32_t)OFPP_NONE, po.in_port);
	EXPECT_EQ(0u, pout(OFP13_NO_BUFFER, 3, NULL, 0, sizeof(frame), &po));
	EXPECT_STREQ("OFPBRC_BUFFER_UNKNOWN",
		     ofperr_name(pout(7, 1, table, sizeof(table), sizeof(frame), &po)));
	EXPECT_STREQ("OFPBRC_BAD_PORT",
		     ofperr_name(pout(OFP13_NO_BUFFER, 0, table, sizeof(table), sizeof(frame), &po)));
	EXPECT_STREQ("OFPBRC_BAD_PORT", ofperr_name(pout(OFP13_NO_BUFFER, OFPP13_TABLE,
							 table, sizeof(table), sizeof(frame), &po)));
	EXPECT_STREQ("OFPBRC_BAD_PACKET",
		     ofperr_name(pout(OFP13_NO_BUFFER, 1, table, sizeof(table), 10, &po)));
	EXPECT_STREQ("OFPBAC_BAD_OUT_PORT",
		     ofperr_name(pout(OFP13_NO_BUFFER, 1, any, sizeof(any), sizeof(frame), &po)));
	EXPECT_STREQ("OFPBAC_BAD_OUT_GROUP",
		     ofperr_name(pout(OFP13_NO_BUFFER, 1, group, sizeof(group), sizeof(frame), &po)));
	EXPECT_STREQ("OFPBAC_BAD_LEN",
		     ofperr_name(pout(OFP13_NO_BUFFER, 1, odd, sizeof(odd), sizeof(frame), &po)));
}

TEST(packet_out_roundtrip)
{
	struct ofp13_pout in = { .in_port = 2, .data = frame, .len = sizeof(frame) }, out;
	struct ofpbuf b;
	char *s;

	in.acts = parse("mod_nw_tos:16,controller(max_len=90),output:1");
	ASSERT_NE(NULL, in.acts);
	ofpbuf_init(&b);
	ASSERT_EQ(0u, ofp13_encode_packet_out(&b, 5, &in));
	ASSERT_EQ(0u, ofp13_decode_packet_out(b.data, b.size, &out));
	EXPECT_EQ(2u, out.in_port);
	s = ofp_format_actions(out.acts, NULL, NULL);
	EXPECT_STREQ("set_field:4->ip_dscp,CONTROLLER:90,output:1", s);
	free(s);
	ASSERT_EQ(sizeof(frame), out.len);
	EXPECT_EQ(0, memcmp(frame, out.data, out.len));
	ofpacts_free(out.acts);
	ofpacts_free(in.acts);
	ofpbuf_free(&b);
}

TEST(flow_of_a_frame)
{
	struct flow f, arp;
	static const uint8_t arp_frame[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x81, 0x00,
		0x20, 0x0a, 0x08, 0x06,				/* vlan 10 pcp 1 */
		0, 1, 0x08, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 1, 192, 0, 2, 1,
		0, 0, 0, 0, 0, 0, 192, 0, 2, 2,
	};

	flow_extract(frame, sizeof(frame), 4, &f);
	EXPECT_EQ(4u, f.in_port);
	EXPECT_EQ(htons(0x0800), f.eth_type);
	EXPECT_EQ(0x02, f.eth_dst[0]);
	EXPECT_EQ(2, f.eth_dst[5]);
	EXPECT_EQ(17, f.ip_proto);
	EXPECT_EQ(0x10, f.ip_tos);
	EXPECT_EQ(64, f.ip_ttl);
	EXPECT_EQ(VSW_FRAG_ANY, f.ip_frag);	/* MF set, offset 0 */
	EXPECT_EQ(htonl(0xc0000201), f.ipv4_src);
	EXPECT_EQ(htons(12345), f.tp_src);
	EXPECT_EQ(htons(53), f.tp_dst);
	flow_extract(arp_frame, sizeof(arp_frame), 1, &arp);
	EXPECT_EQ(htons(0x0806), arp.eth_type);
	EXPECT_EQ(htons(0x200a | VSW_VLAN_PRESENT), arp.vlan_tci);
	EXPECT_EQ(htons(1), arp.arp_op);
	EXPECT_EQ(htonl(0xc0000202), arp.arp_tpa);
	/* truncated: the layers that fit, the rest zero */
	flow_extract(frame, 20, 4, &f);
	EXPECT_EQ(htons(0x0800), f.eth_type);
	EXPECT_EQ(0, f.ip_proto);
	flow_extract(frame, 5, 4, &f);
	EXPECT_EQ(0, f.eth_type);
}

TEST(packet_in_rate_limit)
{
	struct ofp_pin_bucket b = { 0 };
	int n = 0;

	/* a burst, then nothing within the same millisecond */
	while (ofp_pin_bucket_take(&b, 1000) && n < 10 * OFP_PIN_BURST)
		n++;
	EXPECT_EQ(OFP_PIN_BURST, n);
	/* one second later: at most the burst again (the rate refilled it) */
	for (n = 0; ofp_pin_bucket_take(&b, 2000) && n < 10 * OFP_PIN_BURST;)
		n++;
	EXPECT_EQ(OFP_PIN_BURST, n);
	/* 10 ms: rate * 10 / 1000 packets */
	for (n = 0; ofp_pin_bucket_take(&b, 2010) && n < 10 * OFP_PIN_BURST;)
		n++;
	EXPECT_EQ(OFP_PIN_RATE / 100, n);
	/* a flood of 50 a millisecond for 2 s: the rate and one burst */
	for (long long t = 3000; t < 5000; t++)
		for (int k = 0; k < 50; k++)
			n += ofp_pin_bucket_take(&b, t);
	EXPECT_LE(n, OFP_PIN_BURST + 2 * OFP_PIN_RATE + OFP_PIN_RATE / 100);
	EXPECT_GE(n, 2 * OFP_PIN_RATE);
}

TEST(flow_removed_roundtrip)
{
	struct ofp13_flow_removed_msg in, out;
	struct ofpbuf b;
	char err[256];

	memset(&in, 0, sizeof(in));
	ASSERT_EQ(0, ofp_parse_flow("table=4,priority=33,cookie=0xabc,idle_timeout=7,"
				    "hard_timeout=9,send_flow_rem,udp,tp_dst=53,actions=drop",
				    OFP_PARSE_ADD, NULL, NULL, &in.spec, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_TRUE(in.spec.send_flow_rem);
	in.reason = OFPRR13_HARD_TIMEOUT;
	in.age_ms = 9250;
	in.packets = 12;
	in.bytes = 3456;
	ofpbuf_init(&b);
	ASSERT_EQ(0u, ofp13_encode_flow_removed(&b, &in));
	EXPECT_EQ(OFPT13_FLOW_REMOVED, b.data[1]);
	ASSERT_EQ(0u, ofp13_decode_flow_removed(b.data, b.size, &out));
	EXPECT_EQ(0xabcu, out.spec.cookie);
	EXPECT_EQ(33, out.spec.priority);
	EXPECT_EQ(4, out.spec.table);
	EXPECT_EQ(7, out.spec.idle_timeout);
	EXPECT_EQ(9, out.spec.hard_timeout);
	EXPECT_EQ(OFPRR13_HARD_TIMEOUT, out.reason);
	EXPECT_EQ(9250, out.age_ms);
	EXPECT_EQ(12u, out.packets);
	EXPECT_EQ(3456u, out.bytes);
	EXPECT_TRUE(match_equal(&in.spec.match, &out.spec.match));
	ofp_rule_spec_free(&in.spec);
	ofpbuf_free(&b);
}

TEST_HARNESS_MAIN
