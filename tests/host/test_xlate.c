// SPDX-License-Identifier: GPL-2.0
/*
 * Translation of each action into datapath actions and megaflow bits:
 * outputs and reserved ports, IN_PORT and skipping the ingress port,
 * resubmit/goto and their depth limits, VLAN push/pop/rewrite, lazily
 * committed set actions and set_field, dec_ttl, table misses, what an
 * output to a tunnel port sends with.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"

FIXTURE(br) {
	struct test_bridge t;
	char acts[512], mega[512];
};

FIXTURE_SETUP(br)
{
	tb_init(&self->t, 4);
	xlate_log = NULL;
}

FIXTURE_TEARDOWN(br)
{
	tb_uninit(&self->t);
}

#define XL(pkt) tb_xlate(&self->t, pkt, false, self->acts, self->mega, sizeof(self->acts))

TEST_F(br, table_miss_drops)
{
	ASSERT_EQ(0, XL("in_port=1,tcp"));
	EXPECT_STREQ("drop", self->acts);
	EXPECT_STREQ("recirc_id=0,eth,ip,in_port=1,nw_frag=no", self->mega);
}

TEST_F(br, output_and_skip_ingress)
{
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=output:2,output:1,output:3"));
	ASSERT_EQ(0, XL("in_port=1"));
	EXPECT_STREQ("2,3", self->acts);
	EXPECT_STREQ("recirc_id=0,eth,in_port=1,dl_type=0x0000", self->mega);
}

TEST_F(br, in_port_action_outputs_to_ingress)
{
	ASSERT_EQ(0, tb_add(&self->t, "actions=IN_PORT,output:4"));
	ASSERT_EQ(0, XL("in_port=3"));
	EXPECT_STREQ("3,4", self->acts);
}

TEST_F(br, flood_all_local_and_missing_ports)
{
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=FLOOD"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=2,actions=ALL"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=3,actions=output:9,LOCAL"));
	ASSERT_EQ(0, XL("in_port=1"));
	EXPECT_STREQ("2,3,4", self->acts);
	ASSERT_EQ(0, XL("in_port=2"));
	EXPECT_STREQ("1,3,4", self->acts);
	/* Port 9 and LOCAL are not on this bridge: skipped. */
	ASSERT_EQ(0, XL("in_port=3"));
	EXPECT_STREQ("drop", self->acts);
	self->t.ports[3].port_no = OFPP_LOCAL;
	ASSERT_EQ(0, XL("in_port=3"));
	EXPECT_STREQ("65534", self->acts);
}

TEST_F(br, resubmit_and_goto)
{
	ASSERT_EQ(0, tb_add(&self->t, "table=0,in_port=1,actions=resubmit(,1),output:2"));
	ASSERT_EQ(0, tb_add(&self->t, "table=1,ip,actions=output:3,goto_table:2"));
	ASSERT_EQ(0, tb_add(&self->t, "table=2,actions=output:4"));
	ASSERT_EQ(0, XL("in_port=1,ip"));
	EXPECT_STREQ("3,4,2", self->acts);
	ASSERT_EQ(0, XL("in_port=1,arp"));
	EXPECT_STREQ("2", self->acts);
	EXPECT_STREQ("recirc_id=0,eth,arp,in_port=1", self->mega);
}

TEST_F(br, resubmit_with_port_looks_up_as_that_port)
{
	ASSERT_EQ(0, tb_add(&self->t, "table=0,in_port=1,actions=resubmit(2,1)"));
	ASSERT_EQ(0, tb_add(&self->t, "table=1,in_port=2,actions=output:1,output:2"));
	/* in_port is restored for the actions: output:1 is the ingress. */
	ASSERT_EQ(0, XL("in_port=1"));
	EXPECT_STREQ("2", self->acts);
}

TEST_F(br, resubmit_loop_hits_depth_limit)
{
	struct flow f;
	struct xlate_out out;

	ASSERT_EQ(0, tb_add(&self->t, "actions=output:2,resubmit(,0)"));
	ASSERT_EQ(0, tb_packet("in_port=1", &f));
	ASSERT_EQ(-1, xlate_flow(&self->t.br, &f, false, &out, NULL));
	EXPECT_EQ(XLATE_RECURSION_TOO_DEEP, out.error);
	EXPECT_EQ(0u, out.actions.n);
	EXPECT_STREQ("Recursion too deep", xlate_strerror(out.error));
	xlate_out_uninit(&out);
}

TEST_F(br, resubmit_fanout_hits_resubmit_limit)
{
	struct flow f;
	struct xlate_out out;

	/* Each level resubmits twice: 2^13 lookups exceed 4096 long before
	 * the depth limit. */
	for (int t = 0; t < 14; t++) {
		char rule[96];

		snprintf(rule, sizeof(rule), "table=%d,actions=resubmit(,%d),resubmit(,%d)",
			 t, t + 1, t + 1);
		ASSERT_EQ(0, tb_add(&self->t, rule));
	}
	ASSERT_EQ(0, tb_packet("in_port=1", &f));
	ASSERT_EQ(-1, xlate_flow(&self->t.br, &f, false, &out, NULL));
	EXPECT_EQ(XLATE_TOO_MANY_RESUBMITS, out.error);
	xlate_out_uninit(&out);
}

TEST_F(br, goto_table_must_go_forward)
{
	struct ofp_rule_spec s;
	char err[256];

	ASSERT_EQ(0, ofp_parse_flow("table=2,actions=goto_table:1", OFP_PARSE_ADD,
				    NULL, NULL, &s, err, sizeof(err)));
	ASSERT_EQ(-1, pipeline_add(self->t.pl, &s, err, sizeof(err)));
	EXPECT_STREQ("goto_table:1 must name a later table than the rule's table 2", err);
	ofp_rule_spec_free(&s);
}

TEST_F(br, vlan_push_rewrite_strip)
{
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=mod_vlan_vid:10,output:2"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=2,actions=mod_vlan_pcp:5,output:3"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=3,actions=strip_vlan,output:4"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=4,actions=push_vlan:0x8100,mod_vlan_vid:7,output:1"));
	ASSERT_EQ(0, XL("in_port=1"));
	EXPECT_STREQ("push_vlan(vid=10,pcp=0),2", self->acts);
	/* Untagged: only the present bit is consulted, and (as in OVS) the
	 * Megaflow text leaves "untagged" implicit. */
	EXPECT_STREQ("recirc_id=0,eth,in_port=1,dl_type=0x0000", self->mega);
	ASSERT_EQ(0, XL("in_port=1,dl_vlan=5,dl_vlan_pcp=3"));
	EXPECT_STREQ("pop_vlan,push_vlan(vid=10,pcp=3),2", self->acts);
	EXPECT_STREQ("recirc_id=0,eth,in_port=1,dl_vlan=5,dl_vlan_pcp=3,dl_type=0x0000", self->mega);
	ASSERT_EQ(0, XL("in_port=2,dl_vlan=5"));
	EXPECT_STREQ("pop_vlan,push_vlan(vid=5,pcp=5),3", self->acts);
	ASSERT_EQ(0, XL("in_port=3,dl_vlan=5"));
	EXPECT_STREQ("pop_vlan,4", self->acts);
	ASSERT_EQ(0, XL("in_port=3"));
	EXPECT_STREQ("4", self->acts);
	ASSERT_EQ(0, XL("in_port=4"));
	EXPECT_STREQ("push_vlan(vid=7,pcp=0),1", self->acts);
}

TEST_F(br, set_actions_commit_lazily_before_output)
{
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=mod_nw_src:10.0.0.9,"
			    "mod_nw_src:10.0.0.10,mod_dl_dst:02:00:00:00:00:99,"
			    "mod_tp_dst:8080,output:2,output:3,mod_nw_tos:32,output:4"));
	ASSERT_EQ(0, XL("in_port=1,tcp,nw_src=192.0.2.1"));
	EXPECT_STREQ("set(eth(dst=02:00:00:00:00:99)),set(ipv4(src=10.0.0.10)),"
		     "set(tcp(dst=8080)),2,3,set(ipv4(tos=0x20/0xfc)),4", self->acts);
	/* The written fields are not consulted: only prerequisites are. */
	EXPECT_STREQ("recirc_id=0,eth,tcp,in_port=1,nw_frag=no", self->mega);
	/* Without the headers the set actions do nothing. */
	ASSERT_EQ(0, XL("in_port=1,arp"));
	EXPECT_STREQ("set(eth(dst=02:00:00:00:00:99)),2,3,4", self->acts);
}

TEST_F(br, set_field_translation)
{
	ASSERT_EQ(0, tb_add(&self->t, "ip,in_port=1,actions=set_field:10.1.1.1->ip_dst,"
			    "set_field:00:00:00:00:00:01->eth_src,mod_tp_dst:53,"
			    "set_field:5->vlan_vid,output:2"));
	ASSERT_EQ(0, tb_add(&self->t, "ipv6,in_port=2,actions=set_field:2001:db8::2->ipv6_dst,"
			    "set_field:0x7->ipv6_label,set_field:12->ip_dscp,output:3"));
	ASSERT_EQ(0, XL("in_port=1,udp"));
	EXPECT_STREQ("set(eth(src=00:00:00:00:00:01)),set(ipv4(dst=10.1.1.1)),"
		     "set(udp(dst=53)),push_vlan(vid=5,pcp=0),2", self->acts);
	/* mod_tp_dst writes whichever L4 header the packet has. */
	ASSERT_EQ(0, XL("in_port=1,tcp"));
	EXPECT_STREQ("set(eth(src=00:00:00:00:00:01)),set(ipv4(dst=10.1.1.1)),"
		     "set(tcp(dst=53)),push_vlan(vid=5,pcp=0),2", self->acts);
	/* No L4 header (IP protocol 47): the port rewrite is a no-op. */
	ASSERT_EQ(0, XL("in_port=1,ip,nw_proto=47"));
	EXPECT_STREQ("set(eth(src=00:00:00:00:00:01)),set(ipv4(dst=10.1.1.1)),"
		     "push_vlan(vid=5,pcp=0),2", self->acts);
	ASSERT_EQ(0, XL("in_port=2,udp6"));
	EXPECT_STREQ("set(ipv6(dst=2001:db8::2,label=0x7,tclass=0x30/0xfc)),3", self->acts);
}

/* The tunnel fields a rule looks at are in the megaflow (they were left
 * out of the classifier's stages, so a megaflow made for one tun_flags,
 * tun_dst or tun_tos took packets with any other). */
TEST_F(br, tunnel_fields_a_rule_looks_at_are_in_the_megaflow)
{
	ASSERT_EQ(0, tb_add(&self->t, "priority=10,in_port=1,tun_flags=+key,"
			    "tun_tos=32,tun_dst=198.51.100.0/24,actions=output:2"));
	ASSERT_EQ(0, tb_add(&self->t, "priority=5,in_port=1,actions=output:3"));
	ASSERT_EQ(0, XL("in_port=1,tun_id=5,tun_flags=+key-df-csum,tun_tos=32,"
			"tun_dst=198.51.100.9"));
	EXPECT_STREQ("2", self->acts);
	EXPECT_STREQ("recirc_id=0,tun_dst=198.51.100.0/24,tun_tos=32,"
		     "tun_flags=+key,eth,in_port=1,dl_type=0x0000", self->mega);
	ASSERT_EQ(0, XL("in_port=1,tun_id=5,tun_flags=-key-df-csum,tun_tos=32,"
			"tun_dst=198.51.100.9"));
	/* the tunnel is one stage with in_port: all of it was consulted */
	EXPECT_STREQ("3", self->acts);
	EXPECT_STREQ("recirc_id=0,tun_dst=198.51.100.0/24,tun_tos=32,"
		     "tun_flags=-key,eth,in_port=1,dl_type=0x0000", self->mega);
}

/* A table looked up on a field an action changed (or with resubmit's
 * in_port) is flagged: a rule change there must mark the megaflow even
 * though its own match (the packet as it came) does not overlap it. */
static bool rewritten(struct test_bridge *t, const char *pkt)
{
	struct xlate_out out;
	struct flow f;
	bool r;

	if (tb_packet(pkt, &f))
		return false;
	xlate_flow(&t->br, &f, false, &out, NULL);
	r = out.rewritten;
	xlate_out_uninit(&out);
	return r;
}

TEST_F(br, lookups_on_rewritten_fields_are_flagged)
{
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=set_field:12345->tun_id,goto_table:1"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=2,actions=resubmit(3,1)"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=3,actions=set_field:12345->tun_id,output:1"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=4,actions=goto_table:1"));
	ASSERT_EQ(0, tb_add(&self->t, "table=1,tun_id=12288/0xff00,actions=output:2"));
	EXPECT_TRUE(rewritten(&self->t, "in_port=1,tcp"));
	EXPECT_TRUE(rewritten(&self->t, "in_port=2,tcp"));
	EXPECT_FALSE(rewritten(&self->t, "in_port=3,tcp"));	/* no lookup after */
	EXPECT_FALSE(rewritten(&self->t, "in_port=4,tcp"));
}

/* Port 4 a vxlan port with remote_ip=flow (its device is datapath port
 * 9): what set_field wrote into the tunnel fields is sent with, except
 * where the port has an option of its own. */
TEST_F(br, tunnel_output_sends_what_actions_set)
{
	struct xlate_port *p = &self->t.ports[3];

	p->tnl.type = TNL_VXLAN;
	p->tnl.remote_flow = true;
	p->tnl.key = 100;
	p->tnl.out.tun_id = htobe64(100);
	p->odp_port = 9;
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=set_field:198.51.100.2->tun_dst,"
			    "set_field:192.0.2.7->tun_src,set_field:32->tun_tos,"
			    "set_field:9->tun_ttl,output:4"));
	ASSERT_EQ(0, XL("in_port=1,udp"));
	EXPECT_STREQ("set(tunnel(tun_id=0x64,src=192.0.2.7,dst=198.51.100.2,"
		     "tos=0x20,ttl=9,flags(key))),9", self->acts);
	/* the port's own tos and local address win */
	p->tnl.out.tos = 0x10;
	p->tnl.out.ipv4_src = htonl(0xc0000201);
	ASSERT_EQ(0, XL("in_port=1,udp"));
	EXPECT_STREQ("set(tunnel(tun_id=0x64,src=192.0.2.1,dst=198.51.100.2,"
		     "tos=0x10,ttl=9,flags(key))),9", self->acts);
}

TEST_F(br, dec_ttl)
{
	ASSERT_EQ(0, tb_add(&self->t, "actions=dec_ttl,output:2"));
	ASSERT_EQ(0, XL("in_port=1,tcp,nw_ttl=64"));
	EXPECT_STREQ("set(ipv4(ttl=63)),2", self->acts);
	EXPECT_STREQ("recirc_id=0,eth,tcp,in_port=1,nw_ttl=64,nw_frag=no", self->mega);
	/* As Open vSwitch, IP protocol 0 has no L3 header to rewrite. */
	ASSERT_EQ(0, XL("in_port=1,ip,nw_ttl=64"));
	EXPECT_STREQ("2", self->acts);
	EXPECT_STREQ("recirc_id=0,eth,ip,in_port=1,nw_proto=0,nw_ttl=64,nw_frag=no",
		     self->mega);
	ASSERT_EQ(0, XL("in_port=1,udp6,nw_ttl=2"));
	EXPECT_STREQ("set(ipv6(hlimit=1)),2", self->acts);
	/* TTL exhausted: the rest of the action list is skipped. */
	ASSERT_EQ(0, XL("in_port=1,ip,nw_ttl=1"));
	EXPECT_STREQ("drop", self->acts);
	/* Not IP: nothing to decrement. */
	ASSERT_EQ(0, XL("in_port=1,arp"));
	EXPECT_STREQ("2", self->acts);
}

TEST_F(br, rules_matched_are_reported)
{
	struct flow f;
	struct xlate_out out;

	ASSERT_EQ(0, tb_add(&self->t, "table=0,actions=resubmit(,1),resubmit(,1)"));
	ASSERT_EQ(0, tb_add(&self->t, "table=1,actions=output:2"));
	ASSERT_EQ(0, tb_packet("in_port=1", &f));
	ASSERT_EQ(0, xlate_flow(&self->t.br, &f, false, &out, NULL));
	EXPECT_EQ(3u, out.n_rules);
	EXPECT_EQ(3u, out.tables_visited[0]);
	EXPECT_NE(out.rule_ids[0], out.rule_ids[1]);
	EXPECT_EQ(out.rule_ids[1], out.rule_ids[2]);
	EXPECT_NE(NULL, pipeline_find_rule(self->t.pl, out.rule_ids[1]));
	xlate_out_uninit(&out);
}

/* Tables whose lookup matched no rule are reported for TABLE_STATS
 * lookup_count; a table whose lookups all matched is not. */
TEST_F(br, tables_missed_are_reported)
{
	struct flow f;
	struct xlate_out out;

	ASSERT_EQ(0, tb_add(&self->t, "table=0,ip,actions=resubmit(,1),goto_table:9"));
	ASSERT_EQ(0, tb_add(&self->t, "table=1,tcp,actions=output:2"));
	ASSERT_EQ(0, tb_packet("in_port=1,udp", &f));
	ASSERT_EQ(0, xlate_flow(&self->t.br, &f, false, &out, NULL));
	EXPECT_EQ(1u, out.n_rules);
	EXPECT_EQ(0x03u, out.tables_visited[0]);
	EXPECT_EQ(0x02u, out.tables_visited[1]);
	EXPECT_EQ(0x02u, out.tables_missed[0]);	/* table 1 */
	EXPECT_EQ(0x02u, out.tables_missed[1]);	/* table 9 */
	xlate_out_uninit(&out);

	ASSERT_EQ(0, tb_packet("in_port=1,arp", &f));	/* misses table 0 */
	ASSERT_EQ(0, xlate_flow(&self->t.br, &f, false, &out, NULL));
	EXPECT_EQ(0u, out.n_rules);
	EXPECT_EQ(0x01u, out.tables_missed[0]);
	EXPECT_EQ(0u, out.tables_missed[1]);
	xlate_out_uninit(&out);

	ASSERT_EQ(0, tb_packet("in_port=1,tcp", &f));	/* table 9 misses */
	ASSERT_EQ(0, xlate_flow(&self->t.br, &f, false, &out, NULL));
	EXPECT_EQ(2u, out.n_rules);
	EXPECT_EQ(0u, out.tables_missed[0]);
	EXPECT_EQ(0x02u, out.tables_missed[1]);
	xlate_out_uninit(&out);
}

TEST_HARNESS_MAIN
