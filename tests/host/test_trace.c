// SPDX-License-Identifier: GPL-2.0
/*
 * ofproto/trace text: the whole trace for the rule set of Open vSwitch's
 * tracing guide (Documentation/topics/tracing.rst), nested resubmits laid
 * out as OVS lays them out, and the Megaflow / Datapath actions lines for
 * more rule sets, plus our explanation of each megaflow field.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"
#include "trace.h"

FIXTURE(tr) {
	struct test_bridge t;
};

FIXTURE_SETUP(tr)
{
	tb_init(&self->t, 4);
	xlate_log = NULL;
}

FIXTURE_TEARDOWN(tr)
{
	tb_uninit(&self->t);
}

static char *trace(FIXTURE_DATA(tr) *self, const char *pkt)
{
	struct flow f;

	if (tb_packet(pkt, &f))
		return strdup("bad packet");
	return trace_flow(&self->t.br, &f);
}

/* The line of @text starting with @prefix, without the prefix. */
static char *line_of(const char *text, const char *prefix)
{
	static char buf[512];
	const char *p = strstr(text, prefix), *e;

	if (!p)
		return "(missing)";
	p += strlen(prefix);
	e = strchr(p, '\n');
	snprintf(buf, sizeof(buf), "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
	return buf;
}

static void guide_rules(FIXTURE_DATA(tr) *self)
{
	tb_add(&self->t, "table=3,ip,tcp,tcp_dst=80,action=output:2");
	tb_add(&self->t, "table=2,ip,tcp,tcp_dst=22,action=output:1");
	tb_add(&self->t, "table=0,in_port=3,ip,nw_src=192.0.2.0/24,action=resubmit(,2)");
	tb_add(&self->t, "table=0,in_port=3,ip,nw_src=198.51.100.0/24,action=resubmit(,3)");
}

TEST_F(tr, tracing_guide_first_example)
{
	char *t;

	guide_rules(self);
	t = trace(self, "in_port=3,tcp,nw_src=192.0.2.2,tcp_dst=22");
	EXPECT_STREQ(
"Flow: tcp,in_port=3,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=192.0.2.2,nw_dst=0.0.0.0,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=0,tp_dst=22,tcp_flags=0\n"
"\n"
"bridge(\"br0\")\n"
"-------------\n"
" 0. ip,in_port=3,nw_src=192.0.2.0/24, priority 32768\n"
"    resubmit(,2)\n"
" 2. tcp,tp_dst=22, priority 32768\n"
"    output:1\n"
"\n"
"Final flow: unchanged\n"
"Megaflow: recirc_id=0,eth,tcp,in_port=3,nw_src=192.0.2.0/24,nw_frag=no,tp_dst=22\n"
"Datapath actions: 1\n"
"\n"
"Megaflow fields consulted:\n"
"  in_port: table 0 lookup (matched priority 32768)\n"
"  dl_type: table 0 lookup (matched priority 32768)\n"
"  nw_src: table 0 lookup (matched priority 32768)\n"
"  nw_proto: table 2 lookup (matched priority 32768)\n"
"  nw_frag: always exact (as in Open vSwitch)\n"
"  tp_dst: table 2 lookup (matched priority 32768)\n", t);
	free(t);
}

TEST_F(tr, tracing_guide_second_example_ports_trie)
{
	char *t;

	guide_rules(self);
	t = trace(self, "in_port=3,tcp,nw_src=192.0.2.2,tcp_dst=80");
	EXPECT_NE(NULL, strstr(t, " 2. No match.\n    drop\n"));
	EXPECT_STREQ("recirc_id=0,eth,tcp,in_port=3,nw_src=192.0.2.0/24,nw_frag=no,"
		     "tp_dst=0x40/0xffc0", line_of(t, "Megaflow: "));
	EXPECT_STREQ("drop", line_of(t, "Datapath actions: "));
	free(t);
}

TEST_F(tr, nested_resubmit_layout)
{
	char *t;

	tb_add(&self->t, "table=0,actions=resubmit(,1),output:3");
	tb_add(&self->t, "table=1,cookie=0x2a,actions=resubmit(,2),output:2");
	tb_add(&self->t, "table=2,priority=7,udp,actions=drop");
	t = trace(self, "in_port=1,udp");
	EXPECT_NE(NULL, strstr(t,
"-------------\n"
" 0. priority 32768\n"
"    resubmit(,1)\n"
"     1. priority 32768, cookie 0x2a\n"
"            resubmit(,2)\n"
"             2. udp, priority 7\n"
"                    drop\n"
"            output:2\n"
"    output:3\n"
"\n"));
	EXPECT_STREQ("2,3", line_of(t, "Datapath actions: "));
	EXPECT_STREQ("recirc_id=0,eth,udp,in_port=1,nw_frag=no", line_of(t, "Megaflow: "));
	free(t);
}

TEST_F(tr, set_actions_and_final_flow)
{
	char *t;

	tb_add(&self->t, "priority=10,ip,nw_dst=10.0.0.0/8,actions=mod_nw_dst:10.9.9.9,"
	       "dec_ttl,mod_vlan_vid:4,output:2");
	t = trace(self, "in_port=1,udp,nw_dst=10.1.2.3,nw_ttl=9");
	EXPECT_STREQ("recirc_id=0,eth,udp,in_port=1,"
		     "nw_dst=10.0.0.0/8,nw_ttl=9,nw_frag=no", line_of(t, "Megaflow: "));
	EXPECT_STREQ("set(ipv4(dst=10.9.9.9,ttl=8)),push_vlan(vid=4,pcp=0),2",
		     line_of(t, "Datapath actions: "));
	EXPECT_STREQ("udp,in_port=1,dl_vlan=4,dl_vlan_pcp=0,vlan_tci1=0x0000,"
		     "dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=0.0.0.0,"
		     "nw_dst=10.9.9.9,nw_tos=0,nw_ecn=0,nw_ttl=8,nw_frag=no,tp_src=0,"
		     "tp_dst=0", line_of(t, "Final flow: "));
	EXPECT_STREQ("table 0 lookup (matched priority 10)", line_of(t, "  nw_dst: "));
	EXPECT_STREQ("dec_ttl", line_of(t, "  nw_ttl: "));
	free(t);
}

/* Registers: the actions that write them, the rules that match them,
 * the final flow with them; never the megaflow. */
TEST_F(tr, registers_in_the_trace_not_the_megaflow)
{
	char *t;

	tb_add(&self->t, "table=0,actions=set_field:5->reg0,load:1->reg1[0],"
	       "write_metadata:0x10,goto_table:1");
	tb_add(&self->t, "table=1,reg0=5,metadata=0x10,actions=output:2");
	t = trace(self, "in_port=1,udp");
	EXPECT_STREQ("recirc_id=0,eth,ip,in_port=1,nw_frag=no", line_of(t, "Megaflow: "));
	EXPECT_STREQ("2", line_of(t, "Datapath actions: "));
	EXPECT_NE(NULL, strstr(t, "set_field:0x5->reg0\n")) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "load:0x1->NXM_NX_REG1[0]\n")) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, " 1. reg0=0x5,metadata=0x10, priority 32768")) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(line_of(t, "Final flow: "), "udp,reg0=0x5,reg1=0x1,metadata=0x10,"
			       "in_port=1,")) TH_LOG("%s", t);
	free(t);
}

TEST_F(tr, miss_on_prefix_gives_short_prefix)
{
	char *t;

	tb_add(&self->t, "priority=10,ip,nw_src=10.1.0.0/16,actions=output:2");
	tb_add(&self->t, "priority=0,actions=output:3");
	t = trace(self, "in_port=1,ip,nw_src=10.200.0.1");
	EXPECT_STREQ("recirc_id=0,eth,ip,in_port=1,nw_src=10.128.0.0/9,nw_frag=no",
		     line_of(t, "Megaflow: "));
	EXPECT_STREQ("3", line_of(t, "Datapath actions: "));
	free(t);
}

TEST_F(tr, normal_and_skipped_ingress)
{
	char *t;

	tb_add(&self->t, "priority=0,actions=NORMAL");
	tb_add(&self->t, "priority=5,in_port=2,actions=output:2");
	t = trace(self, "in_port=1,dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff");
	EXPECT_NE(NULL, strstr(t, " 0. priority 0\n    NORMAL\n"
			       "     -> no learned MAC for destination, flooding\n"));
	EXPECT_STREQ("recirc_id=0,eth,in_port=1,"
		     "dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000",
		     line_of(t, "Megaflow: "));
	EXPECT_STREQ("2,3,4", line_of(t, "Datapath actions: "));
	EXPECT_STREQ("NORMAL (learning switch: VLAN, dl_src, dl_dst)",
		     line_of(t, "  dl_dst: "));
	free(t);
	t = trace(self, "in_port=2");
	EXPECT_NE(NULL, strstr(t, "    output:2\n     >> skipping output to input port\n"));
	EXPECT_STREQ("drop", line_of(t, "Datapath actions: "));
	free(t);
}

TEST_F(tr, depth_limit_is_reported)
{
	char *t;

	tb_add(&self->t, "actions=resubmit(,0)");
	t = trace(self, "in_port=1");
	EXPECT_NE(NULL, strstr(t, " >>>> over max translation depth 64 <<<<\n"));
	EXPECT_NE(NULL, strstr(t, "\nTranslation failed (Recursion too deep), "
			       "packet is dropped.\n"));
	EXPECT_STREQ("drop", line_of(t, "Datapath actions: "));
	free(t);
}

TEST_HARNESS_MAIN
