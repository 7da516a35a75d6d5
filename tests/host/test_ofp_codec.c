// SPDX-License-Identifier: GPL-2.0
/*
 * The OpenFlow 1.3 codec: messages round-trip through vswitch's model;
 * malformed matches, instructions and actions decode to the OpenFlow
 * error the specification names; truncated, mislabelled and random bytes
 * are errors, never a crash or a read past the message (run under ASan).
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"
#include "ofp-msg.h"

#define BE16(v) (uint8_t)((v) >> 8), (uint8_t)(v)
#define BE32(v) BE16((v) >> 16), BE16(v)
#define OXM(f, hm, len) 0x80, 0x00, (uint8_t)((f) << 1 | (hm)), (len)
#define NXM(f, hm, len) 0x00, 0x01, (uint8_t)((f) << 1 | (hm)), (len)

/* A FLOW_MOD (table 0, priority 100) with @oxm as its match's TLVs and
 * @inst as its instructions, in a buffer of exactly its length. */
static uint8_t *build_fm(uint8_t command, uint8_t table, const uint8_t *oxm,
			 size_t oxm_len, const uint8_t *inst, size_t inst_len,
			 size_t *len)
{
	struct ofpbuf b;
	size_t start, mstart;
	struct ofp13_flow_mod *ofm;
	uint16_t mlen = htons((uint16_t)(4 + oxm_len)), type = htons(OFPMT13_OXM);
	uint8_t *out;

	ofpbuf_init(&b);
	start = ofp13_msg_start(&b, OFPT13_FLOW_MOD, 7);
	ofpbuf_put_zeros(&b, sizeof(*ofm) - sizeof(ofm->h));
	ofm = (struct ofp13_flow_mod *)b.data;
	ofm->table_id = table;
	ofm->command = command;
	ofm->priority = htons(100);
	ofm->buffer_id = htonl(OFP13_NO_BUFFER);
	ofm->out_port = htonl(OFPP13_ANY);
	ofm->out_group = htonl(OFPG13_ANY);
	mstart = b.size;
	ofpbuf_put(&b, &type, 2);
	ofpbuf_put(&b, &mlen, 2);
	ofpbuf_put(&b, oxm, oxm_len);
	ofpbuf_pad8(&b, mstart);
	ofpbuf_put(&b, inst, inst_len);
	ofp13_msg_finish(&b, start);
	*len = b.size;
	out = malloc(b.size);
	memcpy(out, b.data, b.size);
	ofpbuf_free(&b);
	return out;
}

/* Decodes a FLOW_MOD built from @oxm and @inst; returns the error name. */
static const char *fm_err(uint8_t command, const uint8_t *oxm, size_t oxm_len,
			  const uint8_t *inst, size_t inst_len)
{
	struct ofp13_flow_mod_msg fm;
	size_t len;
	uint8_t *msg = build_fm(command, 0, oxm, oxm_len, inst, inst_len, &len);
	ofperr e = ofp13_decode_flow_mod(msg, len, &fm);

	free(msg);
	if (!e)
		ofp_rule_spec_free(&fm.spec);
	return ofperr_name(e);
}

#define MATCH_ERR(expect, ...) do {					\
	static const uint8_t oxm_[] = { __VA_ARGS__ };			\
	EXPECT_STREQ(expect, fm_err(OFPFC13_ADD, oxm_, sizeof(oxm_), NULL, 0)); \
} while (0)

#define INST_ERR(expect, oxm_arr, ...) do {				\
	static const uint8_t inst_[] = { __VA_ARGS__ };			\
	EXPECT_STREQ(expect, fm_err(OFPFC13_ADD, oxm_arr, sizeof(oxm_arr), \
				    inst_, sizeof(inst_)));		\
} while (0)

static const uint8_t no_oxm[0];
static const uint8_t ip_oxm[] = { OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x0800) };

/* Text -> spec -> FLOW_MOD -> spec: the match is identical and the
 * actions print as @acts_out; the re-encoded message has the same bytes. */
static void roundtrip(struct __test_metadata *_metadata, const char *text,
		      const char *acts_out)
{
	struct ofp13_flow_mod_msg fm = { .command = OFPFC13_ADD,
					 .out_group = OFPG13_ANY }, back;
	struct ofpbuf b1, b2;
	char err[256], *printed;

	ASSERT_EQ(0, ofp_parse_flow(text, OFP_PARSE_ADD, NULL, NULL, &fm.spec,
				    err, sizeof(err))) TH_LOG("%s: %s", text, err);
	ofpbuf_init(&b1);
	ofpbuf_init(&b2);
	ASSERT_EQ(0u, ofp13_encode_flow_mod(&b1, 9, &fm)) TH_LOG("%s", text);
	ASSERT_EQ(0u, ofp13_decode_flow_mod(b1.data, b1.size, &back))
		TH_LOG("%s: %s", text, ofperr_name(ofp13_decode_flow_mod(b1.data, b1.size, &back)));
	EXPECT_TRUE(match_equal(&fm.spec.match, &back.spec.match)) TH_LOG("%s", text);
	EXPECT_EQ(fm.spec.priority, back.spec.priority);
	EXPECT_EQ(fm.spec.table, back.spec.table);
	EXPECT_EQ(fm.spec.cookie, back.spec.cookie);
	EXPECT_EQ(fm.spec.idle_timeout, back.spec.idle_timeout);
	printed = ofp_format_actions(back.spec.acts, NULL, NULL);
	EXPECT_STREQ(acts_out, printed) TH_LOG("%s", text);
	free(printed);
	ASSERT_EQ(0u, ofp13_encode_flow_mod(&b2, 9, &back));
	EXPECT_EQ(b1.size, b2.size);
	if (b1.size == b2.size)
		EXPECT_EQ(0, memcmp(b1.data, b2.data, b1.size)) TH_LOG("%s", text);
	ofp_rule_spec_free(&fm.spec);
	ofp_rule_spec_free(&back.spec);
	ofpbuf_free(&b1);
	ofpbuf_free(&b2);
}

TEST(flow_mod_roundtrip)
{
	static const struct { const char *in, *acts; } cases[] = {
		{ "priority=5,actions=drop", "drop" },
		{ "in_port=3,actions=output:1", "output:1" },
		{ "in_port=LOCAL,actions=NORMAL", "NORMAL" },
		{ "table=2,cookie=0x1234,idle_timeout=30,hard_timeout=60,dl_src=00:11:22:33:44:55,"
		  "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=FLOOD", "FLOOD" },
		{ "dl_vlan=10,dl_vlan_pcp=3,actions=strip_vlan,output:2", "pop_vlan,output:2" },
		{ "vlan_tci=0,actions=IN_PORT", "IN_PORT" },
		{ "vlan_tci=0x1000/0x1000,actions=ALL", "ALL" },
		{ "ip,nw_src=192.0.2.0/24,nw_dst=198.51.100.7,nw_tos=16,nw_ecn=1,"
		  "actions=mod_nw_ttl:9,dec_ttl,LOCAL", "mod_nw_ttl:9,dec_ttl,LOCAL" },
		{ "tcp,tp_src=80,tp_dst=0x1000/0xf000,actions=set_field:8080->tcp_dst,output:1",
		  "set_field:8080->tcp_dst,output:1" },
		{ "udp6,ipv6_src=2001:db8::/32,ipv6_label=0x12345,udp_dst=53,"
		  "actions=set_field:2001:db8::1->ipv6_dst,output:4",
		  "set_field:2001:db8::1->ipv6_dst,output:4" },
		{ "sctp,sctp_dst=9,actions=output:1", "output:1" },
		{ "icmp,icmp_type=8,icmp_code=0,actions=output:1", "output:1" },
		{ "icmp6,icmp_type=135,nd_target=2001:db8::9,actions=output:1", "output:1" },
		{ "arp,arp_op=1,arp_spa=192.0.2.1,arp_tpa=192.0.2.0/25,"
		  "arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:00/ff:ff:ff:00:00:00,"
		  "actions=output:1", "output:1" },
		{ "ip,nw_frag=later,actions=output:1", "output:1" },
		{ "tcp,tcp_flags=+syn-ack,actions=output:1", "output:1" },
		{ "ip,actions=set_field:198.51.100.1->ip_src,set_field:00:00:5e:00:53:01->eth_dst,"
		  "set_field:10->vlan_vid,set_field:5->vlan_pcp,set_field:10->ip_dscp,output:1",
		  "set_field:198.51.100.1->ip_src,set_field:00:00:5e:00:53:01->eth_dst,"
		  "set_field:10->vlan_vid,set_field:5->vlan_pcp,"
		  "set_field:10->ip_dscp,output:1" },
		{ "actions=mod_vlan_vid:7,mod_vlan_pcp:2,output:1",
		  "push_vlan:0x8100,set_field:7->vlan_vid,set_field:2->vlan_pcp,output:1" },
		{ "dl_vlan=5,actions=mod_vlan_vid:7,output:1", "set_field:7->vlan_vid,output:1" },
		{ "actions=push_vlan:0x8100,output:1,resubmit(,3)",
		  "push_vlan:0x8100,output:1,resubmit(,3)" },
		{ "actions=resubmit:4", "resubmit:4" },
		{ "table=1,actions=output:2,goto_table:4", "output:2,goto_table:4" },
		{ "table=1,actions=goto_table:2", "goto_table:2" },
		{ "tun_id=0x3039,actions=output:1", "output:1" },
		{ "ip,tun_id=0x3000/0xff00,actions=set_field:0x1a0a->tun_id,output:2",
		  "set_field:0x1a0a->tun_id,output:2" },
		/* registers and metadata: NXM_NX_REGn / OXM_OF_METADATA in the
		 * match, set_field, NXAST_REG_LOAD/REG_MOVE, write_metadata */
		{ "reg0=5,reg3=0x10/0xf0,metadata=0x1/0xff,actions=set_field:1->reg0,"
		  "load:1->NXM_NX_REG1[3],load:0x5->reg2[0..7],"
		  "move:NXM_OF_ETH_SRC[0..31]->NXM_NX_REG3[],write_metadata:0x5/0xff,"
		  "goto_table:1",
		  "set_field:0x1->reg0,load:0x1->NXM_NX_REG1[3],"
		  "load:0x5->NXM_NX_REG2[0..7],move:NXM_OF_ETH_SRC[0..31]->NXM_NX_REG3[],"
		  "write_metadata:0x5/0xff,goto_table:1" },
		{ "tcp,reg15=0xffffffff,actions=load:0x1->OXM_OF_METADATA[],"
		  "move:NXM_OF_TCP_DST[]->NXM_NX_REG0[0..15],set_field:3->xreg0,"
		  "load:0xabcdef->OXM_OF_PKT_REG1[8..40],output:1",
		  "load:0x1->OXM_OF_METADATA[],move:NXM_OF_TCP_DST[]->NXM_NX_REG0[0..15],"
		  "set_field:0x3->xreg0,load:0xabcdef->OXM_OF_PKT_REG1[8..40],output:1" },
		{ "ipv6,actions=load:0x1234567890abcdef1234->NXM_NX_IPV6_SRC[0..79],output:1",
		  /* one REG_LOAD per 64 bits, as ovs-ofctl sends and prints it */
		  "load:0x567890abcdef1234->NXM_NX_IPV6_SRC[0..63],"
		  "load:0x1234->NXM_NX_IPV6_SRC[64..79],output:1" },
		{ "actions=write_metadata:0x7", "write_metadata:0x7" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		roundtrip(_metadata, cases[i].in, cases[i].acts);
}

TEST(hello_negotiation)
{
	struct ofpbuf b;
	static const uint8_t v10_only[] = { 1, 0, 0, 16, 0, 0, 0, 1,
					    0, 1, 0, 8, BE32(1 << 1) };
	static const uint8_t v14_plain[] = { 5, 0, 0, 8, 0, 0, 0, 1 };
	static const uint8_t v10_plain[] = { 1, 0, 0, 8, 0, 0, 0, 1 };
	static const uint8_t unknown_elem[] = { 4, 0, 0, 16, 0, 0, 0, 1,
						0, 9, 0, 5, 1, 0, 0, 0 };
	static const uint8_t short_elem[] = { 4, 0, 0, 12, 0, 0, 0, 1,
					      0, 1, 0, 2 };
	static const uint8_t long_elem[] = { 4, 0, 0, 16, 0, 0, 0, 1,
					     0, 1, 0, 40, BE32(1 << 4) };

	ofpbuf_init(&b);
	ofp13_encode_hello(&b, 1);
	EXPECT_EQ(16u, b.size);
	EXPECT_STREQ("OK", ofperr_name(ofp13_decode_hello(b.data, b.size)));
	EXPECT_STREQ("OFPHFC_INCOMPATIBLE", ofperr_name(ofp13_decode_hello(v10_only, sizeof(v10_only))));
	EXPECT_STREQ("OK", ofperr_name(ofp13_decode_hello(v14_plain, sizeof(v14_plain))));
	EXPECT_STREQ("OFPHFC_INCOMPATIBLE", ofperr_name(ofp13_decode_hello(v10_plain, sizeof(v10_plain))));
	EXPECT_STREQ("OK", ofperr_name(ofp13_decode_hello(unknown_elem, sizeof(unknown_elem))));
	EXPECT_STREQ("OFPBRC_BAD_LEN", ofperr_name(ofp13_decode_hello(short_elem, sizeof(short_elem))));
	EXPECT_STREQ("OFPBRC_BAD_LEN", ofperr_name(ofp13_decode_hello(long_elem, sizeof(long_elem))));
	EXPECT_STREQ("OFPBRC_BAD_LEN", ofperr_name(ofp13_decode_hello(v14_plain, 4)));
	ofpbuf_free(&b);
}

TEST(fixed_messages)
{
	struct ofp13_features f = { 0x0000aabbccddeeffULL, 0, 254, OFPC13_FLOW_STATS }, g;
	uint8_t req[100];
	uint16_t type, code, flags, miss;
	struct ofpbuf b;

	memset(req, 0x5a, sizeof(req));
	ofpbuf_init(&b);
	ofp13_encode_error(&b, 3, OFPERR(OFPET13_BAD_MATCH, OFPBMC13_BAD_PREREQ), req, sizeof(req));
	EXPECT_EQ(12u + 64, b.size);	/* the request is cut at 64 bytes */
	ASSERT_EQ(0u, ofp13_decode_error(b.data, b.size, &type, &code));
	EXPECT_EQ(OFPET13_BAD_MATCH, type);
	EXPECT_EQ(OFPBMC13_BAD_PREREQ, code);

	ofpbuf_clear(&b);
	ofp13_encode_features_reply(&b, 4, &f);
	EXPECT_EQ(32u, b.size);
	ASSERT_EQ(0u, ofp13_decode_features_reply(b.data, b.size, &g));
	EXPECT_EQ(f.datapath_id, g.datapath_id);
	EXPECT_EQ(254, g.n_tables);

	ofpbuf_clear(&b);
	ofp13_encode_switch_config(&b, OFPT13_SET_CONFIG, 5, 0, 128);
	ASSERT_EQ(0u, ofp13_decode_switch_config(b.data, b.size, &flags, &miss));
	EXPECT_EQ(128, miss);
	ofpbuf_clear(&b);
	ofp13_encode_switch_config(&b, OFPT13_SET_CONFIG, 5, 1, 128);	/* FRAG_DROP */
	EXPECT_STREQ("OFPSCFC_BAD_FLAGS",
		     ofperr_name(ofp13_decode_switch_config(b.data, b.size, &flags, &miss)));
	EXPECT_STREQ("OFPBRC_BAD_LEN",
		     ofperr_name(ofp13_decode_switch_config(b.data, 8, &flags, &miss)));

	ofpbuf_clear(&b);
	ofp13_encode_echo(&b, OFPT13_ECHO_REQUEST, 6, "ping", 4);
	EXPECT_EQ(12u, b.size);
	EXPECT_STREQ("OFPBRC_BAD_LEN", ofperr_name(ofp13_decode_empty(b.data, b.size)));
	b.size = 8;
	((struct ofp13_header *)b.data)->length = htons(8);
	EXPECT_STREQ("OK", ofperr_name(ofp13_decode_empty(b.data, b.size)));
	ofpbuf_free(&b);
}

TEST(role_and_async)
{
	struct ofp13_async a = { { 1, 2 }, { 3, 4 }, { 5, 6 } }, a2;
	struct ofpbuf b;
	uint64_t gen;
	uint32_t role;

	ofpbuf_init(&b);
	ofp13_encode_role(&b, OFPT13_ROLE_REQUEST, 7, OFPCR13_ROLE_MASTER, 1ull << 63);
	EXPECT_EQ(24u, b.size);
	ASSERT_EQ(0u, ofp13_decode_role(b.data, b.size, &role, &gen));
	EXPECT_EQ((uint32_t)OFPCR13_ROLE_MASTER, role);
	EXPECT_EQ(1ull << 63, gen);
	((struct ofp13_role_request *)b.data)->role = htonl(4);
	EXPECT_STREQ("OFPRRFC_BAD_ROLE", ofperr_name(ofp13_decode_role(b.data, b.size, &role, &gen)));
	EXPECT_STREQ("OFPBRC_BAD_LEN", ofperr_name(ofp13_decode_role(b.data, 16, &role, &gen)));
	ofpbuf_clear(&b);
	ofp13_encode_async(&b, OFPT13_SET_ASYNC, 8, &a);
	EXPECT_EQ(32u, b.size);
	ASSERT_EQ(0u, ofp13_decode_async(b.data, b.size, &a2));
	EXPECT_EQ(0, memcmp(&a, &a2, sizeof(a)));
	ofpbuf_free(&b);
}

TEST(bad_oxm)
{
	/* unknown class / field, and fields vswitch does not have */
	MATCH_ERR("OFPBMC_BAD_FIELD", 0x00, 0x05, 0x00, 2, 0, 0);
	MATCH_ERR("OFPBMC_BAD_FIELD", OXM(OFPXMT13_PBB_ISID, 0, 3), 0, 0, 1);
	MATCH_ERR("OFPBMC_BAD_FIELD", OXM(OFPXMT13_MPLS_LABEL, 0, 4), 0, 0, 0, 1);
	MATCH_ERR("OFPBMC_BAD_FIELD", OXM(OFPXMT13_IPV6_EXTHDR, 0, 2), 0, 1);
	/* lengths */
	MATCH_ERR("OFPBMC_BAD_LEN", OXM(OFPXMT13_ETH_TYPE, 0, 4), 0, 0, 8, 0);
	MATCH_ERR("OFPBMC_BAD_LEN", OXM(OFPXMT13_ETH_TYPE, 0, 2), 8);
	MATCH_ERR("OFPBMC_BAD_LEN", OXM(OFPXMT13_ETH_TYPE, 0, 2));
	MATCH_ERR("OFPBMC_BAD_LEN", 0x80, 0x00);
	MATCH_ERR("OFPBMC_BAD_LEN", OXM(OFPXMT13_ETH_SRC, 1, 6), 1, 2, 3, 4, 5, 6);
	/* masks and values */
	MATCH_ERR("OFPBMC_BAD_MASK", OXM(OFPXMT13_ETH_TYPE, 1, 4), BE16(0x0800), BE16(0xffff));
	MATCH_ERR("OFPBMC_BAD_WILDCARDS", OXM(OFPXMT13_ETH_SRC, 1, 12),
		  1, 0, 0, 0, 0, 1, 0xff, 0, 0, 0, 0, 0);
	MATCH_ERR("OFPBMC_BAD_VALUE", OXM(OFPXMT13_VLAN_VID, 0, 2), BE16(0x2000));
	MATCH_ERR("OFPBMC_BAD_VALUE", OXM(OFPXMT13_VLAN_VID, 0, 2), BE16(0x1001),
		  OXM(OFPXMT13_VLAN_PCP, 0, 1), 8);
	MATCH_ERR("OFPBMC_BAD_VALUE", OXM(OFPXMT13_IN_PORT, 0, 4), BE32(0));
	MATCH_ERR("OFPBMC_BAD_VALUE", OXM(OFPXMT13_IN_PORT, 0, 4), BE32(OFPP13_CONTROLLER));
	MATCH_ERR("OFPBMC_BAD_VALUE", OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x86dd),
		  OXM(OFPXMT13_IPV6_FLABEL, 0, 4), BE32(0x100000));
	MATCH_ERR("OFPBMC_BAD_VALUE", OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x0800),
		  OXM(OFPXMT13_IP_DSCP, 0, 1), 64);
	/* duplicates and prerequisites */
	MATCH_ERR("OFPBMC_DUP_FIELD", OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x0800),
		  OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x0800));
	MATCH_ERR("OFPBMC_BAD_PREREQ", OXM(OFPXMT13_IPV4_SRC, 0, 4), 192, 0, 2, 1);
	MATCH_ERR("OFPBMC_BAD_PREREQ", OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x86dd),
		  OXM(OFPXMT13_IPV4_SRC, 0, 4), 192, 0, 2, 1);
	MATCH_ERR("OFPBMC_BAD_PREREQ", OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x0800),
		  OXM(OFPXMT13_TCP_SRC, 0, 2), BE16(80));
	MATCH_ERR("OFPBMC_BAD_PREREQ", OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x0800),
		  OXM(OFPXMT13_IP_PROTO, 0, 1), 17, OXM(OFPXMT13_TCP_SRC, 0, 2), BE16(80));
	MATCH_ERR("OFPBMC_BAD_PREREQ", OXM(OFPXMT13_VLAN_PCP, 0, 1), 3);
	MATCH_ERR("OFPBMC_BAD_PREREQ", OXM(OFPXMT13_VLAN_VID, 0, 2), BE16(0),
		  OXM(OFPXMT13_VLAN_PCP, 0, 1), 3);
	MATCH_ERR("OFPBMC_BAD_PREREQ", OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x86dd),
		  OXM(OFPXMT13_IP_PROTO, 0, 1), 58, OXM(OFPXMT13_ICMPV6_TYPE, 0, 1), 1,
		  OXM(OFPXMT13_IPV6_ND_TARGET, 0, 16), 0x20, 1, 0xd, 0xb8,
		  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	MATCH_ERR("OFPBMC_BAD_PREREQ", OXM(OFPXMT13_ARP_OP, 0, 2), BE16(1));
	/* and the same fields, well formed */
	MATCH_ERR("OK", OXM(OFPXMT13_IP_PROTO, 0, 1), 6, OXM(OFPXMT13_TCP_SRC, 0, 2), BE16(80),
		  OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x0800));
	MATCH_ERR("OK", OXM(OFPXMT13_VLAN_VID, 1, 4), BE16(0x1000), BE16(0x1000),
		  OXM(OFPXMT13_VLAN_PCP, 0, 1), 3);
	MATCH_ERR("OK", OXM(OFPXMT13_IN_PORT, 0, 4), BE32(OFPP13_LOCAL));
}

TEST(bad_match_header)
{
	static const uint8_t tlv[] = { OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x0800) };
	struct ofp13_flow_mod_msg fm;
	size_t len;
	uint8_t *msg = build_fm(OFPFC13_ADD, 0, tlv, sizeof(tlv), NULL, 0, &len);
	uint8_t *m = msg + sizeof(struct ofp13_flow_mod);

	m[1] = 0;			/* OFPMT_STANDARD */
	EXPECT_STREQ("OFPBMC_BAD_TYPE", ofperr_name(ofp13_decode_flow_mod(msg, len, &fm)));
	m[1] = 1;
	m[3] = 3;			/* shorter than its own header */
	EXPECT_STREQ("OFPBMC_BAD_LEN", ofperr_name(ofp13_decode_flow_mod(msg, len, &fm)));
	m[3] = 200;			/* past the message */
	EXPECT_STREQ("OFPBMC_BAD_LEN", ofperr_name(ofp13_decode_flow_mod(msg, len, &fm)));
	m[3] = 10;
	EXPECT_STREQ("OK", ofperr_name(ofp13_decode_flow_mod(msg, len, &fm)));
	ofp_rule_spec_free(&fm.spec);
	free(msg);
}

TEST(bad_instructions_and_actions)
{
	INST_ERR("OFPBIC_UNKNOWN_INST", no_oxm, BE16(7), BE16(8), 0, 0, 0, 0);
	INST_ERR("OFPBIC_BAD_LEN", no_oxm, BE16(OFPIT13_WRITE_METADATA), BE16(16),
		 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	INST_ERR("OFPBIC_UNSUP_INST", no_oxm, BE16(OFPIT13_METER), BE16(8), BE32(1));
	INST_ERR("OFPBIC_BAD_EXPERIMENTER", no_oxm, BE16(0xffff), BE16(8), BE32(0x2320));
	INST_ERR("OFPBIC_BAD_TABLE_ID", no_oxm, BE16(OFPIT13_GOTO_TABLE), BE16(8), 0, 0, 0, 0);
	INST_ERR("OFPBIC_BAD_TABLE_ID", no_oxm, BE16(OFPIT13_GOTO_TABLE), BE16(8), 255, 0, 0, 0);
	INST_ERR("OFPBIC_BAD_LEN", no_oxm, BE16(OFPIT13_GOTO_TABLE), BE16(16), 1, 0, 0, 0);
	INST_ERR("OFPBIC_BAD_LEN", no_oxm, BE16(OFPIT13_APPLY_ACTIONS), BE16(12), 0, 0, 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBIC_BAD_LEN", no_oxm, BE16(OFPIT13_CLEAR_ACTIONS), BE16(16),
		 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBIC_BAD_LEN", no_oxm, BE16(OFPIT13_APPLY_ACTIONS));
	INST_ERR("OFPBIC_UNSUP_INST", no_oxm,	/* twice the same instruction */
		 BE16(OFPIT13_GOTO_TABLE), BE16(8), 1, 0, 0, 0,
		 BE16(OFPIT13_GOTO_TABLE), BE16(8), 2, 0, 0, 0);
	INST_ERR("OFPBIC_UNSUP_INST", no_oxm,	/* an action set across tables */
		 BE16(OFPIT13_WRITE_ACTIONS), BE16(24), 0, 0, 0, 0,
		 BE16(OFPAT13_OUTPUT), BE16(16), BE32(1), BE16(0), 0, 0, 0, 0, 0, 0,
		 BE16(OFPIT13_GOTO_TABLE), BE16(8), 1, 0, 0, 0);
	INST_ERR("OK", no_oxm, BE16(OFPIT13_CLEAR_ACTIONS), BE16(8), 0, 0, 0, 0);

#define APPLY(n) BE16(OFPIT13_APPLY_ACTIONS), BE16(8 + (n)), 0, 0, 0, 0
	INST_ERR("OFPBAC_BAD_LEN", no_oxm, APPLY(16), BE16(OFPAT13_OUTPUT), BE16(24),
		 BE32(1), 0, 0, 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_LEN", no_oxm, APPLY(8), BE16(OFPAT13_OUTPUT), BE16(8), BE32(1));
	INST_ERR("OFPBAC_BAD_LEN", no_oxm, APPLY(8), BE16(OFPAT13_POP_VLAN), BE16(4), 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_OUT_PORT", no_oxm, APPLY(16), BE16(OFPAT13_OUTPUT), BE16(16),
		 BE32(0), 0, 0, 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_OUT_PORT", no_oxm, APPLY(16), BE16(OFPAT13_OUTPUT), BE16(16),
		 BE32(OFPP13_ANY), 0, 0, 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_OUT_PORT", no_oxm, APPLY(16), BE16(OFPAT13_OUTPUT), BE16(16),
		 BE32(OFPP13_TABLE), 0, 0, 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_OUT_PORT", no_oxm, APPLY(16), BE16(OFPAT13_OUTPUT), BE16(16),
		 BE32(0xffff0000), 0, 0, 0, 0, 0, 0, 0, 0);
	/* a reserved group number (whether a group exists is the switch's) */
	INST_ERR("OFPBAC_BAD_OUT_GROUP", no_oxm, APPLY(8), BE16(OFPAT13_GROUP), BE16(8),
		 BE32(0xffffff01));
	INST_ERR("OFPBAC_BAD_ARGUMENT", no_oxm, APPLY(8), BE16(OFPAT13_PUSH_VLAN), BE16(8),
		 BE16(0x0800), 0, 0);
	INST_ERR("OFPBAC_BAD_TYPE", no_oxm, APPLY(8), BE16(OFPAT13_SET_MPLS_TTL), BE16(8), 5, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_TYPE", no_oxm, APPLY(8), BE16(OFPAT13_PUSH_MPLS), BE16(8), BE16(0x8847), 0, 0);
	INST_ERR("OFPBAC_BAD_TYPE", no_oxm, APPLY(8), BE16(99), BE16(8), 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_EXPERIMENTER", no_oxm, APPLY(16), BE16(0xffff), BE16(16),
		 BE32(0x1234), 0, 0, 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_EXP_TYPE", no_oxm, APPLY(16), BE16(0xffff), BE16(16),
		 BE32(0x2320), BE16(99), 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_SET_TYPE", no_oxm, APPLY(16), BE16(OFPAT13_SET_FIELD), BE16(16),
		 OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x0800), 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_SET_TYPE", no_oxm, APPLY(16), BE16(OFPAT13_SET_FIELD), BE16(16),
		 OXM(OFPXMT13_ARP_OP, 0, 2), BE16(1), 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_SET_LEN", no_oxm, APPLY(16), BE16(OFPAT13_SET_FIELD), BE16(16),
		 OXM(OFPXMT13_ETH_SRC, 0, 9), 0, 0, 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_SET_LEN", no_oxm, APPLY(24), BE16(OFPAT13_SET_FIELD), BE16(24),
		 OXM(OFPXMT13_ETH_TYPE, 0, 2), BE16(0x0800), 0, 0, 0, 0, 0, 0,
		 0, 0, 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_SET_ARGUMENT", no_oxm, APPLY(16), BE16(OFPAT13_SET_FIELD), BE16(16),
		 OXM(OFPXMT13_VLAN_PCP, 0, 1), 9, 0, 0, 0, 0, 0, 0, 0);
	INST_ERR("OFPBAC_BAD_SET_ARGUMENT", no_oxm, APPLY(24), BE16(OFPAT13_SET_FIELD), BE16(24),
		 OXM(OFPXMT13_ETH_SRC, 1, 12), 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		 0, 0, 0, 0);
	INST_ERR("OFPBAC_MATCH_INCONSISTENT", no_oxm, APPLY(16), BE16(OFPAT13_SET_FIELD), BE16(16),
		 OXM(OFPXMT13_IPV4_SRC, 0, 4), 192, 0, 2, 1, 0, 0, 0, 0);
	INST_ERR("OK", ip_oxm, APPLY(16), BE16(OFPAT13_SET_FIELD), BE16(16),
		 OXM(OFPXMT13_IPV4_SRC, 0, 4), 192, 0, 2, 1, 0, 0, 0, 0);
}

/* write_actions is an action set: execution order, one action per slot. */
TEST(write_actions_order)
{
	static const uint8_t inst[] = {
		BE16(OFPIT13_APPLY_ACTIONS), BE16(24), 0, 0, 0, 0,
		BE16(OFPAT13_OUTPUT), BE16(16), BE32(9), 0, 0, 0, 0, 0, 0, 0, 0,
		BE16(OFPIT13_WRITE_ACTIONS), BE16(8 + 16 + 16 + 8 + 16), 0, 0, 0, 0,
		BE16(OFPAT13_OUTPUT), BE16(16), BE32(1), 0, 0, 0, 0, 0, 0, 0, 0,
		BE16(OFPAT13_SET_FIELD), BE16(16), OXM(OFPXMT13_ETH_SRC, 0, 6), 0, 0, 0, 0, 0, 2, 0, 0,
		BE16(OFPAT13_POP_VLAN), BE16(8), 0, 0, 0, 0,
		BE16(OFPAT13_OUTPUT), BE16(16), BE32(2), 0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct ofp13_flow_mod_msg fm;
	size_t len;
	uint8_t *msg = build_fm(OFPFC13_ADD, 0, no_oxm, 0, inst, sizeof(inst), &len);
	char *s;

	ASSERT_EQ(0u, ofp13_decode_flow_mod(msg, len, &fm));
	s = ofp_format_actions(fm.spec.acts, NULL, NULL);
	EXPECT_STREQ("output:9,pop_vlan,set_field:00:00:00:00:00:02->eth_src,output:2", s);
	free(s);
	ofp_rule_spec_free(&fm.spec);
	free(msg);
}

/* An OUTPUT's max_len comes back as it was sent, whatever the port (a
 * controller compares FLOW_STATS with its FLOW_MOD: os-ken's test tool
 * sends OFPCML_MAX to ordinary ports). */
TEST(output_max_len_roundtrip)
{
	static const uint8_t inst[] = {
		APPLY(48),
		BE16(OFPAT13_OUTPUT), BE16(16), BE32(2), BE16(0xffe5), 0, 0, 0, 0, 0, 0,
		BE16(OFPAT13_OUTPUT), BE16(16), BE32(3), BE16(0), 0, 0, 0, 0, 0, 0,
		BE16(OFPAT13_OUTPUT), BE16(16), BE32(OFPP13_CONTROLLER), BE16(128),
		0, 0, 0, 0, 0, 0,
	};
	struct ofpacts *acts = NULL;
	struct match m;
	struct ofpbuf b;
	char *s;

	memset(&m, 0, sizeof(m));
	ASSERT_EQ(0u, ofp13_decode_instructions(inst, sizeof(inst), 0, &m, &acts));
	s = ofp_format_actions(acts, NULL, NULL);
	EXPECT_STREQ("output:2,output:3,CONTROLLER:128", s);
	free(s);
	ofpbuf_init(&b);
	ASSERT_EQ(0u, ofp13_encode_instructions(&b, acts, &m));
	ASSERT_EQ(sizeof(inst), b.size);
	EXPECT_EQ(0, memcmp(inst, b.data, b.size));
	ofpbuf_free(&b);
	ofpacts_free(acts);
}

/* tunnel_id is OXM field 38: 8 bytes, maskable, settable. */
TEST(tunnel_id_oxm)
{
	static const uint8_t oxm[] = { OXM(OFPXMT13_TUNNEL_ID, 1, 16),
				       BE32(0), BE32(0x3000), BE32(0), BE32(0xff00) };
	static const uint8_t inst[] = {
		APPLY(16), BE16(OFPAT13_SET_FIELD), BE16(16), OXM(OFPXMT13_TUNNEL_ID, 0, 8),
		BE32(0), BE32(12345),
	};
	static const uint8_t loose[] = { OXM(OFPXMT13_TUNNEL_ID, 1, 16),
					 BE32(0), BE32(0x3001), BE32(0), BE32(0xff00) };
	struct ofp13_flow_mod_msg fm;
	struct ofpbuf b;
	size_t len;
	uint8_t *msg = build_fm(OFPFC13_ADD, 0, oxm, sizeof(oxm), inst, sizeof(inst), &len);
	char *s;

	ASSERT_EQ(0u, ofp13_decode_flow_mod(msg, len, &fm));
	s = ofp_format_match(&fm.spec.match, NULL, NULL);
	EXPECT_STREQ("tun_id=0x3000/0xff00", s);
	free(s);
	s = ofp_format_actions(fm.spec.acts, NULL, NULL);
	EXPECT_STREQ("set_field:0x3039->tun_id", s);
	free(s);
	/* FLOW_STATS sends the match back as it came */
	ofpbuf_init(&b);
	ASSERT_EQ(0u, ofp13_encode_match(&b, &fm.spec.match));
	ASSERT_EQ(24u, b.size);
	EXPECT_EQ(0, memcmp(b.data + 4, oxm, sizeof(oxm)));
	ofpbuf_free(&b);
	ofp_rule_spec_free(&fm.spec);
	free(msg);
	EXPECT_STREQ("OFPBMC_BAD_WILDCARDS", fm_err(OFPFC13_ADD, loose, sizeof(loose), NULL, 0));
}

/* A tunnel's outer addresses travel as Open vSwitch sends them (NXM_NX_TUN_
 * IPV4_SRC...IPV6_DST, class NXM_1) in matches and set_field; the key is
 * also read as NXM_NX_TUN_ID, once only. */
TEST(tunnel_outer_fields_nxm)
{
	static const uint8_t nx_id[] = { NXM(NXM13_NX_TUN_ID, 0, 8), BE32(0), BE32(77) };
	static const uint8_t both[] = { OXM(OFPXMT13_TUNNEL_ID, 0, 8), BE32(0), BE32(1),
					NXM(NXM13_NX_TUN_ID, 0, 8), BE32(0), BE32(1) };
	static const uint8_t tos[] = { NXM(NXM13_NX_TUN_IPV4_SRC, 0, 1), 4 };
	struct ofp13_flow_mod_msg fm;
	size_t len;
	uint8_t *msg = build_fm(OFPFC13_ADD, 0, nx_id, sizeof(nx_id), NULL, 0, &len);
	char *s;

	roundtrip(_metadata, "tun_src=192.0.2.1,tun_dst=198.51.100.0/24,"
		  "actions=set_field:203.0.113.9->tun_dst,set_field:192.0.2.2->tun_src",
		  "set_field:203.0.113.9->tun_dst,set_field:192.0.2.2->tun_src");
	roundtrip(_metadata, "tun_ipv6_src=2001:db8::1,tun_ipv6_dst=2001:db8::/32,"
		  "tun_id=0x5/0xff,actions=set_field:2001:db8::9->tun_ipv6_dst",
		  "set_field:2001:db8::9->tun_ipv6_dst");
	ASSERT_EQ(0u, ofp13_decode_flow_mod(msg, len, &fm));
	s = ofp_format_match(&fm.spec.match, NULL, NULL);
	EXPECT_STREQ("tun_id=0x4d", s);
	free(s);
	ofp_rule_spec_free(&fm.spec);
	free(msg);
	EXPECT_STREQ("OFPBMC_DUP_FIELD", fm_err(OFPFC13_ADD, both, sizeof(both), NULL, 0));
	EXPECT_STREQ("OFPBMC_BAD_LEN", fm_err(OFPFC13_ADD, tos, sizeof(tos), NULL, 0));
}

TEST(flow_mod_fixed_fields)
{
	static const uint8_t out1[] = { APPLY(16), BE16(OFPAT13_OUTPUT), BE16(16),
					BE32(1), 0, 0, 0, 0, 0, 0, 0, 0 };
	struct ofp13_flow_mod_msg fm;
	struct ofp13_flow_mod *ofm;
	size_t len;
	uint8_t *msg = build_fm(OFPFC13_ADD, 0, no_oxm, 0, out1, sizeof(out1), &len);

	ofm = (struct ofp13_flow_mod *)msg;
	ofm->command = 5;
	EXPECT_STREQ("OFPFMFC_BAD_COMMAND", ofperr_name(ofp13_decode_flow_mod(msg, len, &fm)));
	ofm->command = OFPFC13_ADD;
	ofm->table_id = OFPTT13_ALL;
	EXPECT_STREQ("OFPFMFC_BAD_TABLE_ID", ofperr_name(ofp13_decode_flow_mod(msg, len, &fm)));
	ofm->table_id = 0;
	ofm->flags = htons(1 << 5);
	EXPECT_STREQ("OFPFMFC_BAD_FLAGS", ofperr_name(ofp13_decode_flow_mod(msg, len, &fm)));
	ofm->flags = 0;
	ofm->buffer_id = htonl(5);
	EXPECT_STREQ("OFPBRC_BUFFER_UNKNOWN", ofperr_name(ofp13_decode_flow_mod(msg, len, &fm)));
	ofm->buffer_id = htonl(OFP13_NO_BUFFER);
	EXPECT_STREQ("OFPBRC_BAD_LEN", ofperr_name(ofp13_decode_flow_mod(msg, 60, &fm)));

	/* a delete over all tables, filtered by out_port and cookie */
	ofm->command = OFPFC13_DELETE;
	ofm->table_id = OFPTT13_ALL;
	ofm->out_port = htonl(3);
	ofm->cookie = ofp_htonll(0x10);
	ofm->cookie_mask = ofp_htonll(0xf0);
	ASSERT_EQ(0u, ofp13_decode_flow_mod(msg, len, &fm));
	EXPECT_FALSE(fm.spec.table_set);
	EXPECT_EQ(3u, fm.spec.out_port);
	EXPECT_EQ(0xf0u, fm.spec.cookie_mask);
	EXPECT_EQ(NULL, fm.spec.acts);
	ofp_rule_spec_free(&fm.spec);
	ofm->out_port = htonl(0xffff0000);
	EXPECT_STREQ("OFPBRC_BAD_PORT", ofperr_name(ofp13_decode_flow_mod(msg, len, &fm)));
	free(msg);
}

/* A rich FLOW_MOD for the hostile-input cases. */
static uint8_t *sample_fm(size_t *len)
{
	struct ofp13_flow_mod_msg fm = { .command = OFPFC13_ADD, .out_group = OFPG13_ANY };
	struct ofpbuf b;
	char err[128];
	uint8_t *out;

	if (ofp_parse_flow("table=1,tcp6,in_port=2,ipv6_src=2001:db8::/48,tcp_dst=22,"
			   "dl_vlan=3,actions=set_field:1->vlan_vid,mod_tp_dst:23,"
			   "output:1,resubmit(,4),goto_table:5",
			   OFP_PARSE_ADD, NULL, NULL, &fm.spec, err, sizeof(err)))
		return NULL;
	ofpbuf_init(&b);
	if (ofp13_encode_flow_mod(&b, 1, &fm))
		return NULL;
	ofp_rule_spec_free(&fm.spec);
	out = malloc(b.size);
	memcpy(out, b.data, b.size);
	*len = b.size;
	ofpbuf_free(&b);
	return out;
}

/* Every prefix, as a message of its own length (header patched) and as
 * bytes cut short under an intact header: errors or valid shorter
 * messages, never a read past the end (ASan). */
TEST(truncated_messages)
{
	struct ofp13_flow_mod_msg fm;
	size_t len, n;
	uint8_t *full = sample_fm(&len);

	ASSERT_NE(NULL, full);
	for (n = 0; n < len; n++) {
		uint8_t *cut = malloc(n ? n : 1);
		ofperr e;

		memcpy(cut, full, n);
		e = ofp13_decode_flow_mod(cut, n, &fm);
		EXPECT_NE(0u, e) TH_LOG("a %zu-byte cut of a %zu-byte header decoded", n, len);
		if (!e)
			ofp_rule_spec_free(&fm.spec);
		if (n >= 8) {
			((struct ofp13_header *)cut)->length = htons((uint16_t)n);
			e = ofp13_decode_flow_mod(cut, n, &fm);
			if (!e)
				ofp_rule_spec_free(&fm.spec);
		}
		ofp13_decode_hello(cut, n);
		ofp13_decode_empty(cut, n);
		free(cut);
	}
	free(full);
}

/* Decoding succeeded => re-encoding succeeds and decodes to the same.
 * Returns whether @msg decoded. */
static bool check_stable(struct __test_metadata *_metadata, const uint8_t *msg,
			 size_t len)
{
	struct ofp13_flow_mod_msg fm, again;
	struct ofpbuf b;

	if (ofp13_decode_flow_mod(msg, len, &fm))
		return false;
	ofpbuf_init(&b);
	ASSERT_EQ(0u, ofp13_encode_flow_mod(&b, 1, &fm));
	ASSERT_EQ(0u, ofp13_decode_flow_mod(b.data, b.size, &again));
	EXPECT_TRUE(match_equal(&fm.spec.match, &again.spec.match));
	EXPECT_TRUE(ofpacts_equal(fm.spec.acts, again.spec.acts));
	ofp_rule_spec_free(&fm.spec);
	ofp_rule_spec_free(&again.spec);
	ofpbuf_free(&b);
	return true;
}

TEST(random_bytes)
{
	struct ofp13_features f;
	uint16_t a, b;
	size_t len;
	uint8_t *sample = sample_fm(&len);
	int decoded = 0;

	ASSERT_NE(NULL, sample);
	for (int i = 0; i < 20000; i++) {
		size_t n = 8 + rnd(200);
		uint8_t *m = malloc(n);

		for (size_t j = 0; j < n; j++)
			m[j] = (uint8_t)rnd64();
		m[0] = OFP13_VERSION;
		if (rnd(2))	/* a plausible length more often than not */
			((struct ofp13_header *)m)->length = htons((uint16_t)(n - rnd(3)));
		check_stable(_metadata, m, n);
		ofp13_decode_hello(m, n);
		ofp13_decode_error(m, n, &a, &b);
		ofp13_decode_features_reply(m, n, &f);
		ofp13_decode_switch_config(m, n, &a, &b);
		free(m);
	}
	/* bit flips in a valid message reach deeper */
	for (int i = 0; i < 20000; i++) {
		uint8_t *m = malloc(len);

		memcpy(m, sample, len);
		for (int k = 1 + rnd(4); k; k--)
			m[8 + rnd(len - 8)] ^= (uint8_t)(1 << rnd(8));
		decoded += check_stable(_metadata, m, len);
		free(m);
	}
	/* the property was exercised, not only the error paths */
	EXPECT_GT(decoded, 1000) TH_LOG("only %d flipped messages decoded", decoded);
	free(sample);
}

TEST_HARNESS_MAIN
