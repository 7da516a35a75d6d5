// SPDX-License-Identifier: GPL-2.0
/*
 * Translation of ct(...) and ct_clear (lib/xlate-ct.c): ct(table=N)
 * becomes the datapath's ct then recirc(N + 1); the recirculated pass is
 * translated from table N with the connection fields the datapath gave;
 * its megaflow pins recirc_id and the ct_state bits the rules consulted;
 * a fork's remaining actions run untracked (ct_clear first); a non-IP
 * packet is recirculated without ct; a recirc_id no ct(table) gives is an
 * error. ct_label: matches and exec(set_field:...->ct_label) read and
 * print back, reach the datapath action, and bad values are refused.
 */
#include "kselftest_harness.h"
#include "ulib_helpers.h"

#define PKT "in_port=1,ip,nw_src=192.0.2.1,nw_dst=192.0.2.2,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02"
#define REPLY "in_port=2,ip,nw_src=192.0.2.2,nw_dst=192.0.2.1,dl_src=02:00:00:00:00:02,dl_dst=02:00:00:00:00:01"

static const char *const rules[] = {
	"table=0,priority=100,arp,actions=ct(table=3),output:4",
	"table=0,priority=90,ip,ct_state=-trk,actions=ct(zone=5,table=1)",
	"table=1,priority=100,ct_state=+new+trk,ip,in_port=1,"
	"actions=ct(commit,zone=5,exec(set_field:0x2a->ct_mark)),output:2",
	"table=1,priority=100,ct_state=+est+trk,ct_mark=0x2a,ip,actions=output:1",
	"table=1,priority=0,actions=drop",
	"table=2,priority=0,actions=ct(zone=7,table=1),ct_clear,output:3",
	"table=3,priority=0,actions=output:3",
};

/* Translates @pkt (pass @recirc_id, connection state @ct_state) and
 * returns its datapath actions, printed. */
static char *xlate(struct test_bridge *tb, const char *pkt, uint32_t recirc_id,
		   uint8_t ct_state, uint32_t ct_mark, struct xlate_out *out)
{
	struct flow f;

	if (tb_packet(pkt, &f))
		return NULL;
	f.recirc_id = recirc_id;
	f.ct_state = ct_state;
	f.ct_mark = htonl(ct_mark);
	xlate_flow(&tb->br, &f, false, out, NULL);
	return odp_format_actions(&out->actions);
}

FIXTURE(ct) {
	struct test_bridge tb;
	struct xlate_out out;
	char *acts;
};

FIXTURE_SETUP(ct)
{
	tb_init(&self->tb, 4);
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		ASSERT_EQ(0, tb_add(&self->tb, rules[i]));
	self->acts = NULL;
}

FIXTURE_TEARDOWN(ct)
{
	free(self->acts);
	xlate_out_uninit(&self->out);
	tb_uninit(&self->tb);
}

TEST_F(ct, ct_table_becomes_ct_then_recirc_to_table_plus_one)
{
	char *mf;

	self->acts = xlate(&self->tb, PKT, 0, 0, 0, &self->out);
	ASSERT_NE(NULL, self->acts);
	EXPECT_STREQ("ct(zone=5),recirc(0x2)", self->acts);
	mf = ofp_format_megaflow(&self->out.megaflow);
	EXPECT_STREQ("recirc_id=0,ct_state=-trk,eth,ip,in_port=1,nw_frag=no", mf);
	EXPECT_EQ(~0u, self->out.megaflow.mask.recirc_id);
	free(mf);
}

TEST_F(ct, second_pass_resumes_in_the_table_with_the_connection)
{
	char *mf;

	/* new, from the inside: committed with the mark, forwarded */
	self->acts = xlate(&self->tb, PKT, 2, VSW_CT_STATE_NEW | VSW_CT_STATE_TRK,
			   0, &self->out);
	EXPECT_STREQ("ct(commit,zone=5,mark=0x2a/0xffffffff),2", self->acts);
	mf = ofp_format_megaflow(&self->out.megaflow);
	EXPECT_EQ(0, strncmp(mf, "recirc_id=0x2,ct_state=+new", 27)) TH_LOG("%s", mf);
	free(mf);
	free(self->acts);
	xlate_out_uninit(&self->out);

	/* established and marked: the reply goes back to port 1 */
	self->acts = xlate(&self->tb, REPLY, 2, VSW_CT_STATE_EST | VSW_CT_STATE_TRK,
			   0x2a, &self->out);
	EXPECT_STREQ("1", self->acts);
	EXPECT_EQ(htonl(0xffffffff), self->out.megaflow.mask.ct_mark);
	free(self->acts);
	xlate_out_uninit(&self->out);

	/* established but unmarked, or invalid: dropped */
	self->acts = xlate(&self->tb, REPLY, 2, VSW_CT_STATE_EST | VSW_CT_STATE_TRK,
			   0, &self->out);
	EXPECT_STREQ("drop", self->acts);
	free(self->acts);
	xlate_out_uninit(&self->out);
	self->acts = xlate(&self->tb, REPLY, 2, VSW_CT_STATE_INV | VSW_CT_STATE_TRK,
			   0, &self->out);
	EXPECT_STREQ("drop", self->acts);
}

TEST_F(ct, fork_goes_on_untracked_and_ct_clear_clears)
{
	/* pass 3 (table 2): ct forks to table 1, then ct_clear, output:3 */
	self->acts = xlate(&self->tb, PKT, 3, VSW_CT_STATE_EST | VSW_CT_STATE_TRK,
			   0, &self->out);
	EXPECT_STREQ("ct(zone=7),recirc(0x2),ct_clear,3", self->acts);
	EXPECT_EQ(0, self->out.final_flow.ct_state);
}

TEST_F(ct, non_ip_recirculates_without_ct)
{
	self->acts = xlate(&self->tb, "in_port=2,arp,arp_spa=192.0.2.2,arp_tpa=192.0.2.1",
			   0, 0, 0, &self->out);
	EXPECT_STREQ("recirc(0x4),4", self->acts);
}

TEST_F(ct, unknown_recirc_id_is_an_error)
{
	self->acts = xlate(&self->tb, PKT, 300, 0, 0, &self->out);
	EXPECT_STREQ("drop", self->acts);
	EXPECT_EQ(XLATE_BAD_RECIRC, self->out.error);
}

static const struct { const char *in, *out; } label_cases[] = {
	{ "ct_label=0x2a,ip,actions=drop", "ct_label=0x2a,ip actions=drop" },
	{ "ct_label=42/0xff,ip,actions=drop", "ct_label=0x2a/0xff,ip actions=drop" },
	{ "ct_label=0x80000000000000000000000000000001,ip,actions=drop",
	  "ct_label=0x80000000000000000000000000000001,ip actions=drop" },
	{ "ct_label=0x1/0x1,ct_mark=0x2,ip,actions=drop",
	  "ct_mark=0x2,ct_label=0x1/0x1,ip actions=drop" },
	{ "ip,actions=ct(commit,exec(set_field:0x5->ct_mark,set_field:0x10/0xf0->ct_label))",
	  "ip actions=ct(commit,exec(set_field:0x5->ct_mark,set_field:0x10/0xf0->ct_label))" },
	{ "ip,actions=ct(commit,exec(set_field:0xffffffffffffffffffffffffffffffff->ct_label))",
	  "ip actions=ct(commit,exec(set_field:0xffffffffffffffffffffffffffffffff->ct_label))" },
};

static char *rule_text(const char *in, char *err, size_t errlen)
{
	struct ofp_rule_spec s;
	struct strbuf sb;
	char *m, *a;

	if (ofp_parse_flow(in, OFP_PARSE_ADD, NULL, NULL, &s, err, errlen))
		return NULL;
	m = ofp_format_match(&s.match, NULL, NULL);
	a = ofp_format_actions(s.acts, NULL, NULL);
	strbuf_init(&sb);
	strbuf_printf(&sb, "%s actions=%s", m, a);
	free(m);
	free(a);
	ofp_rule_spec_free(&s);
	return strbuf_steal(&sb);
}

TEST(ct_label_reads_and_prints_back)
{
	for (size_t i = 0; i < ARRAY_SIZE(label_cases); i++) {
		char err[256] = "", *got = rule_text(label_cases[i].in, err, sizeof(err));

		ASSERT_NE(NULL, got) TH_LOG("%s: %s", label_cases[i].in, err);
		EXPECT_STREQ(label_cases[i].out, got);
		free(got);
	}
}

TEST(bad_ct_label_is_refused)
{
	static const struct { const char *in, *err; } cases[] = {
		{ "ct_label=0x1g,actions=drop",
		  "invalid ct_label in 'ct_label=0x1g' (a 128-bit number: 0x and up "
		  "to 32 hex digits, with an optional /mask)" },
		{ "ct_label=0x100000000000000000000000000000000,actions=drop",
		  "invalid ct_label in 'ct_label=0x100000000000000000000000000000000' "
		  "(a 128-bit number: 0x and up to 32 hex digits, with an optional /mask)" },
		{ "ip,actions=ct(exec(set_field:1->ct_label))",
		  "'ct(exec(set_field:...->ct_label))' needs commit" },
		{ "ip,actions=ct(commit,exec(set_field:zz->ct_label))",
		  "invalid ct_label in 'ct_label=zz' (a 128-bit number: 0x and up to "
		  "32 hex digits, with an optional /mask)" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char err[256] = "", *got = rule_text(cases[i].in, err, sizeof(err));

		EXPECT_EQ(NULL, got) TH_LOG("%s", cases[i].in);
		EXPECT_STREQ(cases[i].err, err);
		free(got);
	}
}

TEST(ct_label_reaches_the_datapath_action)
{
	struct test_bridge tb;
	struct xlate_out out;
	struct flow f;
	char *acts;

	tb_init(&tb, 2);
	ASSERT_EQ(0, tb_add(&tb, "ip,actions=ct(commit,zone=2,"
				 "exec(set_field:0x100/0x300->ct_label)),output:2"));
	ASSERT_EQ(0, tb_packet(PKT, &f));
	xlate_flow(&tb.br, &f, false, &out, NULL);
	acts = odp_format_actions(&out.actions);
	EXPECT_STREQ("ct(commit,zone=2,label=0x100/0x300),2", acts);
	ASSERT_EQ(VSW_ACTION_ATTR_CT, out.actions.a[0].type);
	EXPECT_EQ(1, out.actions.a[0].u.ct.has_label);
	EXPECT_EQ(0x01, out.actions.a[0].u.ct.label[1]);
	EXPECT_EQ(0x03, out.actions.a[0].u.ct.label_mask[1]);
	free(acts);
	xlate_out_uninit(&out);
	tb_uninit(&tb);
}

TEST_HARNESS_MAIN
