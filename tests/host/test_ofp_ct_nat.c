// SPDX-License-Identifier: GPL-2.0
/*
 * ct(...)'s nat in the ovs-ofctl syntax (lib/ofp-ct-nat.c): every form
 * read and printed back as Open vSwitch prints it, each bad input refused
 * naming what is wrong, +snat/+dnat matches; and its translation
 * (xlate-ct.c): the datapath's ct action carries the NAT, which goes to
 * the kernel as VSW_CT_ATTR_NAT and comes back equal (odp-key.c).
 */
#include <stdio.h>
#include <libmnl/libmnl.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"
#include "odp-key.h"

static const struct { const char *in, *out; } nat_cases[] = {
	{ "ct(nat)", "ct(nat)" },
	{ "ct(table=1,nat)", "ct(table=1,nat)" },
	{ "ct(commit,nat(src=192.0.2.1))", "ct(commit,nat(src=192.0.2.1))" },
	{ "ct(commit,zone=5,nat(src=192.0.2.1-192.0.2.10:5000-6000,random))",
	  "ct(commit,zone=5,nat(src=192.0.2.1-192.0.2.10:5000-6000,random))" },
	{ "ct(nat(dst=198.51.100.7:8080),commit)",
	  "ct(commit,nat(dst=198.51.100.7:8080))" },
	{ "ct(commit,nat(dst=198.51.100.7:80-80))", "ct(commit,nat(dst=198.51.100.7:80))" },
	{ "ct(commit,nat(src=192.0.2.1-192.0.2.1))", "ct(commit,nat(src=192.0.2.1))" },
	{ "ct(commit,nat(src=192.0.2.1,hash,persistent))",
	  "ct(commit,nat(src=192.0.2.1,persistent,hash))" },
	{ "ct(commit,nat(src))", "ct(commit,nat(src))" },
	{ "ct(commit,nat(src=2001:db8::1-2001:db8::9))",
	  "ct(commit,nat(src=2001:db8::1-2001:db8::9))" },
	{ "ct(commit,nat(dst=[2001:db8::7]:80-90))", "ct(commit,nat(dst=[2001:db8::7]:80-90))" },
	{ "ct(commit,nat(dst=[2001:db8::7]))", "ct(commit,nat(dst=2001:db8::7))" },
	{ "ct(commit,nat(src=203.0.113.1),exec(set_field:1->ct_mark))",
	  "ct(commit,nat(src=203.0.113.1),exec(set_field:0x1->ct_mark))" },
};

TEST(nat_reads_and_prints_back)
{
	for (size_t i = 0; i < ARRAY_SIZE(nat_cases); i++) {
		struct ofpacts *o = NULL;
		char err[256] = "", *got;

		ASSERT_EQ(0, ofp_parse_actions(nat_cases[i].in, NULL, NULL, &o,
					       err, sizeof(err)))
			TH_LOG("%s: %s", nat_cases[i].in, err);
		got = ofp_format_actions(o, NULL, NULL);
		EXPECT_STREQ(nat_cases[i].out, got) TH_LOG("%s", nat_cases[i].in);
		free(got);
		ofpacts_free(o);
	}
}

static const struct { const char *in, *err; } nat_errors[] = {
	{ "ip,actions=ct(commit,nat(src=192.0.2.1,bogus))",
	  "unknown nat argument (src=, dst=, persistent, hash, random) 'bogus' "
	  "in 'ct(nat(src=192.0.2.1,bogus))'" },
	{ "ip,actions=ct(nat(src=192.0.2.1))",
	  "'ct(nat(src=...))' needs commit (a new connection's translation is "
	  "set up when it is committed); plain 'nat' applies existing ones" },
	{ "ip,actions=ct(commit,nat(src=192.0.2.9-192.0.2.1))",
	  "address range ends below its start '192.0.2.9' in "
	  "'ct(nat(src=192.0.2.9-192.0.2.1))'" },
	{ "ip,actions=ct(commit,nat(src=192.0.2.1:6000-5000))",
	  "port range ends below its start '6000' in 'ct(nat(src=192.0.2.1:6000-5000))'" },
	{ "ip,actions=ct(commit,nat(src=192.0.2.1:0))",
	  "invalid port (1..65535) '0' in 'ct(nat(src=192.0.2.1:0))'" },
	{ "ip,actions=ct(commit,nat(src=192.0.2.1:70000))",
	  "invalid port (1..65535) '70000' in 'ct(nat(src=192.0.2.1:70000))'" },
	{ "ip,actions=ct(commit,nat(src=192.0.2.300))",
	  "invalid address '192.0.2.300' in 'ct(nat(src=192.0.2.300))'" },
	{ "ip,actions=ct(commit,nat(src=192.0.2.1-2001:db8::1))",
	  "invalid address (both ends of a range are one family) '2001:db8::1' "
	  "in 'ct(nat(src=192.0.2.1-2001:db8::1))'" },
	{ "ip,actions=ct(commit,nat(src=192.0.2.1,dst=192.0.2.2))",
	  "more than one of src and dst: 'dst' in 'ct(nat(src=192.0.2.1,dst=192.0.2.2))'" },
	{ "ip,actions=ct(commit,nat(src=192.0.2.1,hash,random))",
	  "hash and random exclude each other: 'src=192.0.2.1,hash,random' in "
	  "'ct(nat(src=192.0.2.1,hash,random))'" },
	{ "ip,actions=ct(commit,nat(random))",
	  "flags need src= or dst=: 'random' in 'ct(nat(random))'" },
	{ "ip,actions=ct(commit,nat(src=[2001:db8::1:80))",
	  "invalid address range '[2001:db8::1:80' in 'ct(nat(src=[2001:db8::1:80))'" },
	{ "ip,actions=ct(commit,nat,nat)", "more than one nat in ct(...)" },
	{ "ip,actions=nat(src=192.0.2.1)",
	  "'nat' is an argument of ct, not an action: write ct(commit,nat(...))" },
	{ "actions=ct(commit,nat(src=192.0.2.1))", "'ct(nat)' requires ip in the match" },
	{ "ipv6,actions=ct(commit,nat(src=192.0.2.1))", "'ct(nat)' requires ip in the match" },
	{ "ip,actions=ct(commit,nat(src=2001:db8::1))", "'ct(nat)' requires ipv6 in the match" },
	{ "arp,actions=ct(nat)", "'ct(nat)' requires ip or ipv6 in the match" },
};

TEST(bad_nat_is_refused_naming_it)
{
	for (size_t i = 0; i < ARRAY_SIZE(nat_errors); i++) {
		struct ofp_rule_spec s;
		char err[256] = "";
		int r = ofp_parse_flow(nat_errors[i].in, OFP_PARSE_ADD, NULL,
				       NULL, &s, err, sizeof(err));

		EXPECT_EQ(-1, r) TH_LOG("%s", nat_errors[i].in);
		EXPECT_STREQ(nat_errors[i].err, err) TH_LOG("%s", nat_errors[i].in);
		if (!r)
			ofp_rule_spec_free(&s);
	}
}

TEST(snat_and_dnat_states_match)
{
	struct ofp_rule_spec s;
	char err[256] = "";

	ASSERT_EQ(0, ofp_parse_flow("ip,ct_state=+trk+snat-dnat,actions=drop",
				    OFP_PARSE_ADD, NULL, NULL, &s, err,
				    sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(VSW_CT_STATE_TRK | VSW_CT_STATE_SNAT, s.match.flow.ct_state);
	EXPECT_EQ(VSW_CT_STATE_TRK | VSW_CT_STATE_SNAT | VSW_CT_STATE_DNAT,
		  s.match.mask.ct_state);
	ofp_rule_spec_free(&s);
}

#define PKT "in_port=1,ip,nw_src=192.0.2.1,nw_dst=198.51.100.2,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02"
#define PKT6 "in_port=1,ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8:1::2,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02"

static const char *const rules[] = {
	"table=0,priority=100,ip,in_port=1,"
	"actions=ct(commit,zone=3,nat(src=203.0.113.1-203.0.113.4:1024-2047,persistent,random)),output:2",
	"table=0,priority=100,ip,in_port=2,actions=ct(zone=3,nat,table=1)",
	"table=0,priority=100,ipv6,in_port=1,"
	"actions=ct(commit,nat(dst=[2001:db8::7]:8080)),output:2",
	"table=1,priority=100,ct_state=+trk+est+dnat,ip,actions=output:1",
	"table=1,priority=0,actions=drop",
};

FIXTURE(nat) {
	struct test_bridge tb;
	struct xlate_out out;
	char *acts;
};

FIXTURE_SETUP(nat)
{
	tb_init(&self->tb, 2);
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		ASSERT_EQ(0, tb_add(&self->tb, rules[i]));
	}
	self->acts = NULL;
}

FIXTURE_TEARDOWN(nat)
{
	free(self->acts);
	xlate_out_uninit(&self->out);
	tb_uninit(&self->tb);
}

/* The actions survive the trip to the kernel's attributes and back. */
static void expect_wire_roundtrip(struct __test_metadata *_metadata,
				  const struct odp_actions *acts)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], err[256] = "";
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct odp_actions back;
	struct nlattr *nest;

	ASSERT_EQ(0, odp_actions_put(nlh, sizeof(buf), VSW_FLOW_ATTR_ACTIONS, acts));
	nest = mnl_nlmsg_get_payload(nlh);
	memset(&back, 0, sizeof(back));
	ASSERT_EQ(0, odp_actions_parse(nest, &back, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(odp_actions_equal(acts, &back));
}

TEST_F(nat, snat_rule_becomes_ct_with_the_nat_range)
{
	struct flow f;

	ASSERT_EQ(0, tb_packet(PKT, &f));
	xlate_flow(&self->tb.br, &f, false, &self->out, NULL);
	self->acts = odp_format_actions(&self->out.actions);
	EXPECT_STREQ("ct(commit,zone=3,nat(src=203.0.113.1-203.0.113.4:1024-2047,"
		     "persistent,random)),2", self->acts);
	expect_wire_roundtrip(_metadata, &self->out.actions);
}

TEST_F(nat, reply_is_unnatted_then_matched_on_dnat)
{
	struct flow f;

	ASSERT_EQ(0, tb_packet("in_port=2,ip,nw_src=198.51.100.2,nw_dst=203.0.113.1", &f));
	xlate_flow(&self->tb.br, &f, false, &self->out, NULL);
	self->acts = odp_format_actions(&self->out.actions);
	EXPECT_STREQ("ct(zone=3,nat),recirc(0x2)", self->acts);
	expect_wire_roundtrip(_metadata, &self->out.actions);
	free(self->acts);
	xlate_out_uninit(&self->out);

	/* the second pass, un-SNATed by the kernel: +dnat */
	ASSERT_EQ(0, tb_packet("in_port=2,ip,nw_src=198.51.100.2,nw_dst=192.0.2.1", &f));
	f.recirc_id = 2;
	f.ct_state = VSW_CT_STATE_TRK | VSW_CT_STATE_EST | VSW_CT_STATE_RPL |
		     VSW_CT_STATE_DNAT;
	xlate_flow(&self->tb.br, &f, false, &self->out, NULL);
	self->acts = odp_format_actions(&self->out.actions);
	EXPECT_STREQ("1", self->acts);
	EXPECT_EQ(VSW_CT_STATE_TRK | VSW_CT_STATE_EST | VSW_CT_STATE_DNAT,
		  self->out.megaflow.mask.ct_state &
		  (VSW_CT_STATE_TRK | VSW_CT_STATE_EST | VSW_CT_STATE_DNAT));
}

TEST_F(nat, ipv6_dnat_goes_to_the_kernel_with_16_byte_addresses)
{
	struct flow f;

	ASSERT_EQ(0, tb_packet(PKT6, &f));
	xlate_flow(&self->tb.br, &f, false, &self->out, NULL);
	self->acts = odp_format_actions(&self->out.actions);
	EXPECT_STREQ("ct(commit,nat(dst=[2001:db8::7]:8080)),2", self->acts);
	expect_wire_roundtrip(_metadata, &self->out.actions);
}

TEST_HARNESS_MAIN
