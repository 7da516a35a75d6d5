// SPDX-License-Identifier: GPL-2.0
/*
 * trace through ct(table=N): each recirculated pass is traced after the
 * one that froze it, with the ct_state --ct-next gives (trk|new by
 * default), the zone and committed mark of the ct action, and the
 * original-direction tuple of the packet's connection; recirculation
 * loops stop where the datapath stops them; --ct-next's flags are checked.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"
#include "ofp-ct.h"
#include "trace.h"

FIXTURE(tc) {
	struct test_bridge t;
};

FIXTURE_SETUP(tc)
{
	tb_init(&self->t, 4);
	xlate_log = NULL;
}

FIXTURE_TEARDOWN(tc)
{
	tb_uninit(&self->t);
}

static char *trace_ct(FIXTURE_DATA(tc) *self, const char *pkt,
		      const char *const *next, size_t n)
{
	uint8_t st[8];
	char err[256];
	struct flow f;

	for (size_t i = 0; i < n; i++)
		if (ofp_ct_next_parse(next[i], &st[i], err, sizeof(err)))
			return strdup(err);
	if (tb_packet(pkt, &f))
		return strdup("bad packet");
	return trace_flow_ct(&self->t.br, &f, st, n);
}

/* How many times @needle occurs in @hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* The @k-th (0-based) line of @text starting with @prefix. */
static char *nth_line(const char *text, const char *prefix, int k)
{
	static char buf[1024];
	const char *p = text, *e;

	for (;; p++) {
		p = strstr(p, prefix);
		if (!p)
			return "(missing)";
		if ((p == text || p[-1] == '\n') && !k--)
			break;
	}
	p += strlen(prefix);
	e = strchr(p, '\n');
	snprintf(buf, sizeof(buf), "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
	return buf;
}

/* A stateful firewall in zone 5: new connections committed with mark 7
 * to port 2, established ones to port 3. 0, or the failing rule's -1. */
static int firewall(FIXTURE_DATA(tc) *self)
{
	return tb_add(&self->t, "table=0,priority=10,ip,ct_state=-trk,"
		      "actions=ct(zone=5,table=1)") ||
	       tb_add(&self->t, "table=1,priority=10,ip,ct_state=+trk+new,"
		      "actions=ct(commit,zone=5,exec(set_field:0x7->ct_mark)),"
		      "output:2") ||
	       tb_add(&self->t, "table=1,priority=10,ip,ct_state=+trk+est,"
		      "actions=output:3") ||
	       tb_add(&self->t, "table=1,priority=5,ip,actions=drop") ? -1 : 0;
}

#define PKT "in_port=1,tcp,nw_src=192.0.2.2,nw_dst=192.0.2.1,tp_src=40000,tp_dst=80"

TEST_F(tc, second_pass_defaults_to_trk_new)
{
	char *t;

	ASSERT_EQ(0, firewall(self));
	t = trace_ct(self, PKT, NULL, 0);
	EXPECT_STREQ("ct(zone=5),recirc(0x2)", nth_line(t, "Datapath actions: ", 0));
	EXPECT_NE(NULL, strstr(t, "recirc(0x2) - resume conntrack with the "
			       "default ct_state=new|trk (set it with --ct-next)"));
	EXPECT_NE(NULL, strstr(nth_line(t, "Flow: ", 1),
			       "recirc_id=0x2,ct_state=new|trk,ct_zone=5,"));
	EXPECT_NE(NULL, strstr(nth_line(t, "Megaflow: ", 1),
			       "recirc_id=0x2,ct_state=+new+trk,"));
	EXPECT_STREQ("ct(commit,zone=5,mark=0x7/0xffffffff),2",
		     nth_line(t, "Datapath actions: ", 1));
	EXPECT_NE(NULL, strstr(t, "  ct_state: table 1 lookup"));
	EXPECT_EQ(2, count(t, "Datapath actions: "));
	free(t);
}

TEST_F(tc, ct_next_gives_the_state)
{
	const char *next[] = { "trk,est" };
	char *t;

	ASSERT_EQ(0, firewall(self));
	t = trace_ct(self, PKT, next, 1);
	EXPECT_NE(NULL, strstr(t, "resume conntrack with ct_state=est|trk (--ct-next)"));
	EXPECT_STREQ("3", nth_line(t, "Datapath actions: ", 1));
	free(t);
}

/* The second pass's Flow: line describes that pass to trace again. */
TEST_F(tc, resumed_flow_line_reads_back)
{
	char *t, *t2, line[1024];

	ASSERT_EQ(0, firewall(self));
	t = trace_ct(self, PKT, NULL, 0);
	snprintf(line, sizeof(line), "%s", nth_line(t, "Flow: ", 1));
	t2 = trace_ct(self, line, NULL, 0);
	EXPECT_STREQ(line, nth_line(t2, "Flow: ", 0));
	EXPECT_STREQ(nth_line(t, "Megaflow: ", 1), nth_line(t2, "Megaflow: ", 0));
	EXPECT_STREQ("ct(commit,zone=5,mark=0x7/0xffffffff),2",
		     nth_line(t2, "Datapath actions: ", 0));
	free(t);
	free(t2);
}

/* A reply's connection was opened the other way: ct_nw_src is the
 * reply's destination. */
TEST_F(tc, reply_gets_the_original_tuple)
{
	const char *next[] = { "trk,est,rpl" };
	char *t;

	ASSERT_EQ(0, tb_add(&self->t, "table=0,ip,ct_state=-trk,"
			    "actions=ct(zone=1,table=1)"));
	ASSERT_EQ(0, tb_add(&self->t, "table=1,priority=10,tcp,ct_state=+trk+est+rpl,"
			    "ct_nw_src=192.0.2.1,ct_tp_dst=40000,actions=output:4"));
	ASSERT_EQ(0, tb_add(&self->t, "table=1,priority=5,ip,actions=drop"));
	t = trace_ct(self, PKT, next, 1);
	EXPECT_STREQ("4", nth_line(t, "Datapath actions: ", 1));
	EXPECT_NE(NULL, strstr(nth_line(t, "Flow: ", 1),
			       "ct_nw_src=192.0.2.1,ct_nw_dst=192.0.2.2,"
			       "ct_nw_proto=6,ct_tp_src=80,ct_tp_dst=40000"));
	free(t);
}

/* Each ct(table=N) takes the next --ct-next, in order. */
TEST_F(tc, ct_next_in_order_of_recirculation)
{
	const char *next[] = { "trk,new", "trk,est" };
	char *t;

	ASSERT_EQ(0, tb_add(&self->t, "table=0,ip,actions=ct(zone=1,table=1)"));
	ASSERT_EQ(0, tb_add(&self->t, "table=1,ip,ct_state=+new,"
			    "actions=ct(zone=2,table=2)"));
	ASSERT_EQ(0, tb_add(&self->t, "table=2,ip,ct_zone=2,ct_state=+est,"
			    "actions=output:2"));
	t = trace_ct(self, PKT, next, 2);
	EXPECT_EQ(3, count(t, "Datapath actions: "));
	EXPECT_STREQ("2", nth_line(t, "Datapath actions: ", 2));
	free(t);
}

/* ct(table=0) in table 0 would recirculate forever: the datapath drops
 * the packet past VSW_MAX_RECIRC, and the trace stops there. */
TEST_F(tc, recirculation_loop_ends_at_the_datapath_limit)
{
	char *t;

	ASSERT_EQ(0, tb_add(&self->t, "table=0,ip,actions=ct(table=0)"));
	t = trace_ct(self, PKT, NULL, 0);
	EXPECT_EQ(VSW_MAX_RECIRC + 1, count(t, "Datapath actions: "));
	EXPECT_EQ(1, count(t, "not traced: the datapath drops a packet "
			      "recirculated more than 8 times"));
	free(t);
}

/* A non-IP packet is not shown to conntrack; it still recirculates. */
TEST_F(tc, non_ip_resumes_untracked)
{
	char *t;

	ASSERT_EQ(0, tb_add(&self->t, "table=0,actions=ct(table=1)"));
	ASSERT_EQ(0, tb_add(&self->t, "table=1,ct_state=-trk,actions=output:2"));
	t = trace_ct(self, "in_port=1,arp,arp_spa=192.0.2.1", NULL, 0);
	EXPECT_NE(NULL, strstr(t, "resume without conntrack (not an IP packet)"));
	EXPECT_STREQ("2", nth_line(t, "Datapath actions: ", 1));
	free(t);
}

TEST(ct_next_flags_are_checked)
{
	char err[256];
	uint8_t st;

	EXPECT_EQ(0, ofp_ct_next_parse("trk,est", &st, err, sizeof(err)));
	EXPECT_EQ(VSW_CT_STATE_TRK | VSW_CT_STATE_EST, st);
	EXPECT_EQ(0, ofp_ct_next_parse("trk|new|dnat", &st, err, sizeof(err)));
	EXPECT_EQ(VSW_CT_STATE_TRK | VSW_CT_STATE_NEW | VSW_CT_STATE_DNAT, st);
	EXPECT_EQ(-1, ofp_ct_next_parse("est", &st, err, sizeof(err)));
	EXPECT_STREQ("--ct-next 'est' is a state no packet can have: no trk "
		     "(conntrack always marks the packets it saw tracked)", err);
	EXPECT_EQ(-1, ofp_ct_next_parse("trk,new,est", &st, err, sizeof(err)));
	EXPECT_STREQ("--ct-next 'trk,new,est' is a state no packet can have: "
		     "+new with +est or +rel", err);
	EXPECT_EQ(-1, ofp_ct_next_parse("trk,bogus", &st, err, sizeof(err)));
	EXPECT_STREQ("--ct-next 'trk,bogus': unknown flag 'bogus' (trk, new, "
		     "est, rel, rpl, inv, snat, dnat)", err);
	EXPECT_EQ(-1, ofp_ct_next_parse("trk,trk", &st, err, sizeof(err)));
	EXPECT_STREQ("--ct-next 'trk,trk': 'trk' given twice", err);
	EXPECT_EQ(-1, ofp_ct_next_parse("", &st, err, sizeof(err)));
}

TEST_HARNESS_MAIN
