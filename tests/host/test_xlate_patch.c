// SPDX-License-Identifier: GPL-2.0
/*
 * Patch ports in translation: an output to one continues in the peer
 * bridge's table 0 with in_port = the peer port; rules, NORMAL (learning
 * and flooding) of the peer; one megaflow for both bridges; the packet
 * restored for the first bridge's later actions; a loop of patch ports
 * bounded by the depth limit; an incomplete patch forwarding nothing; the
 * crossing in the trace with the peer bridge's name.
 *
 * br0: ports 1, 2 and patch port 3 ("patch-ex"); br1: ports 11, 12 and
 * patch port 13 ("patch-int"), peers of each other.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"
#include "trace.h"

struct patch_pair {
	struct test_bridge a, b;
	bool broken;			/* the peer does not name us back */
	bool kernel;			/* the peer is another kernel datapath */
};

static int pair_peer(const struct xlate_bridge *br, const struct xlate_port *p,
		     struct xlate_bridge *peer, uint32_t *peer_port,
		     const char **why)
{
	struct patch_pair *pp = br->aux;
	bool from_a = !strcmp(br->name, "br0");	/* @br may be a copy */

	if (pp->broken) {
		*why = "peer patch-int names another port";
		return XPATCH_NONE;
	}
	*peer = from_a ? pp->b.br : pp->a.br;
	*peer_port = from_a ? 13 : 3;
	(void)p;
	return pp->kernel ? XPATCH_KERNEL : XPATCH_CROSS;
}

FIXTURE(pp) {
	struct patch_pair pp;
	char acts[512], mega[512];
};

FIXTURE_SETUP(pp)
{
	struct test_bridge *a = &self->pp.a, *b = &self->pp.b;

	memset(&self->pp, 0, sizeof(self->pp));
	tb_init(a, 3);
	tb_init(b, 3);
	snprintf(a->ports[2].name, sizeof(a->ports[2].name), "patch-ex");
	a->ports[2].patch = true;
	b->br.name = "br1";
	for (int i = 0; i < 3; i++)
		b->ports[i].port_no = 11 + i;
	snprintf(b->ports[2].name, sizeof(b->ports[2].name), "patch-int");
	b->ports[2].patch = true;
	a->br.patch_peer = b->br.patch_peer = pair_peer;
	a->br.aux = b->br.aux = &self->pp;
	xlate_log = NULL;
}

FIXTURE_TEARDOWN(pp)
{
	tb_uninit(&self->pp.a);
	tb_uninit(&self->pp.b);
}

#define XL(pkt) tb_xlate(&self->pp.a, pkt, true, self->acts, self->mega, \
			 sizeof(self->acts))

TEST_F(pp, output_continues_in_peer_table_0_as_the_peer_port)
{
	ASSERT_EQ(0, tb_add(&self->pp.a, "in_port=1,actions=output:3"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "in_port=13,tcp,actions=output:12"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "in_port=11,actions=output:12"));
	ASSERT_EQ(0, XL("in_port=1,tcp"));
	EXPECT_STREQ("12", self->acts);
	/* br1's tcp match is in the megaflow of br0's packet */
	EXPECT_STREQ("recirc_id=0,eth,tcp,in_port=1,nw_frag=no", self->mega);
	ASSERT_EQ(0, XL("in_port=1,udp"));
	EXPECT_STREQ("drop", self->acts);
	EXPECT_STREQ("recirc_id=0,eth,udp,in_port=1,nw_frag=no", self->mega);
}

TEST_F(pp, normal_learns_and_floods_in_both_bridges)
{
	uint32_t port;

	ASSERT_EQ(0, tb_add(&self->pp.a, "actions=NORMAL"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "actions=NORMAL"));
	/* unknown destination: flooded in br0 (2, patch) and in br1 (11, 12),
	 * never back out of the patch port it came by */
	ASSERT_EQ(0, XL("in_port=1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02"));
	EXPECT_STREQ("2,11,12", self->acts);
	ASSERT_EQ(0, mac_table_lookup(self->pp.b.macs,
				      (const uint8_t *)"\x02\0\0\0\0\x01", 0,
				      vsw_time_msec(), &port));
	EXPECT_EQ(13u, port);
	/* the answer from br1's port 12 crosses back and reaches port 1 */
	ASSERT_EQ(0, tb_xlate(&self->pp.b, "in_port=12,dl_src=02:00:00:00:00:02,"
			      "dl_dst=02:00:00:00:00:01", true, self->acts,
			      self->mega, sizeof(self->acts)));
	EXPECT_STREQ("1", self->acts);
	ASSERT_EQ(0, mac_table_lookup(self->pp.a.macs,
				      (const uint8_t *)"\x02\0\0\0\0\x02", 0,
				      vsw_time_msec(), &port));
	EXPECT_EQ(3u, port);
}

TEST_F(pp, actions_after_the_patch_see_the_packet_as_before)
{
	ASSERT_EQ(0, tb_add(&self->pp.a, "in_port=1,actions=mod_nw_dst:192.0.2.9,"
			    "output:3,output:2"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "in_port=13,actions=mod_nw_dst:192.0.2.7,"
			    "output:11"));
	ASSERT_EQ(0, XL("in_port=1,udp,nw_dst=192.0.2.1"));
	EXPECT_STREQ("set(ipv4(dst=192.0.2.7)),11,set(ipv4(dst=192.0.2.9)),2",
		     self->acts);
}

TEST_F(pp, the_peer_sees_no_tunnel_or_conntrack_fields)
{
	ASSERT_EQ(0, tb_add(&self->pp.a, "in_port=1,actions=output:3"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "priority=10,ct_state=+trk,actions=output:11"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "priority=9,tun_id=5,actions=output:11"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "priority=8,ct_mark=7,actions=output:11"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "priority=1,actions=output:12"));
	ASSERT_EQ(0, XL("in_port=1,ip,ct_state=0x22,ct_mark=7,tun_id=5"));
	EXPECT_STREQ("12", self->acts);
}

TEST_F(pp, peer_rules_are_not_counted_as_the_home_bridges)
{
	struct xlate_out out;
	struct flow f;

	ASSERT_EQ(0, tb_add(&self->pp.a, "in_port=1,actions=output:3"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "in_port=13,actions=output:11"));
	ASSERT_EQ(0, tb_packet("in_port=1", &f));
	ASSERT_EQ(0, xlate_flow(&self->pp.a.br, &f, false, &out, NULL));
	EXPECT_EQ(1u, out.n_rules);
	EXPECT_TRUE(out.patched);
	xlate_out_uninit(&out);
}

TEST_F(pp, a_patch_within_one_bridge_counts_its_rules)
{
	struct xlate_out out;
	struct flow f;

	/* both ends on br0: the peer view is br0 itself */
	self->pp.b.br.pl = self->pp.a.pl;
	ASSERT_EQ(0, tb_add(&self->pp.a, "in_port=1,actions=output:3"));
	ASSERT_EQ(0, tb_add(&self->pp.a, "in_port=13,actions=resubmit(,5)"));
	ASSERT_EQ(0, tb_add(&self->pp.a, "table=5,actions=output:2"));
	ASSERT_EQ(0, tb_packet("in_port=1", &f));
	ASSERT_EQ(0, xlate_flow(&self->pp.a.br, &f, false, &out, NULL));
	EXPECT_EQ(3u, out.n_rules);
	EXPECT_NE(0, out.tables_visited[0] & (1 << 5));
	EXPECT_TRUE(out.rewritten);	/* in_port changed: any change marks */
	xlate_out_uninit(&out);
}

TEST_F(pp, a_loop_through_patch_ports_hits_the_depth_limit)
{
	struct xlate_out out;
	struct flow f;

	ASSERT_EQ(0, tb_add(&self->pp.a, "actions=output:3"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "actions=IN_PORT"));
	ASSERT_EQ(0, tb_packet("in_port=1", &f));
	/* br0 port 1 -> br1 -> IN_PORT back to br0 port 3 -> output:3 is
	 * the ingress, skipped; make br0 send it back too */
	ASSERT_EQ(0, tb_add(&self->pp.a, "priority=40000,in_port=3,actions=IN_PORT"));
	ASSERT_EQ(-1, xlate_flow(&self->pp.a.br, &f, false, &out, NULL));
	EXPECT_EQ(XLATE_RECURSION_TOO_DEEP, out.error);
	EXPECT_EQ(0u, out.actions.n);
	xlate_out_uninit(&out);
}

TEST_F(pp, an_incomplete_patch_forwards_nothing_and_says_why)
{
	struct flow f;
	char *t;

	self->pp.broken = true;
	ASSERT_EQ(0, tb_add(&self->pp.a, "in_port=1,actions=output:3"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "actions=output:11"));
	ASSERT_EQ(0, XL("in_port=1"));
	EXPECT_STREQ("drop", self->acts);
	ASSERT_EQ(0, tb_packet("in_port=1", &f));
	t = trace_flow(&self->pp.a.br, &f);
	ASSERT_NE(NULL, t);
	EXPECT_NE(NULL, strstr(t, ">> patch port patch-ex: peer patch-int names "
			       "another port; dropped"));
	free(t);
	/* no lookup at all: patch ports forward nothing */
	self->pp.broken = false;
	self->pp.a.br.patch_peer = NULL;
	ASSERT_EQ(0, XL("in_port=1"));
	EXPECT_STREQ("drop", self->acts);
}

/* Another kernel datapath: the crossing is an OUTPUT to the kernel patch
 * port, and the first bridge's translation stops there: nothing of the
 * peer's rules is in its actions or its megaflow. */
TEST_F(pp, another_datapath_gets_an_output_to_the_kernel_patch_port)
{
	self->pp.kernel = true;
	ASSERT_EQ(0, tb_add(&self->pp.a, "in_port=1,actions=mod_dl_dst:02:00:00:00:00:09,"
			    "output:3,output:2"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "in_port=13,tcp,actions=output:11"));
	ASSERT_EQ(0, XL("in_port=1,tcp"));
	EXPECT_STREQ("set(eth(dst=02:00:00:00:00:09)),3,2", self->acts);
	EXPECT_EQ(NULL, strstr(self->mega, "tcp"));
}

/* A trace follows the packet into the peer's datapath, but its Megaflow:
 * and Datapath actions: lines are the first datapath's; a loop of kernel
 * patch ports ends where the kernel ends it. */
TEST_F(pp, trace_follows_a_kernel_crossing_and_tells_the_first_datapaths_truth)
{
	struct flow f;
	char *t;

	self->pp.kernel = true;
	ASSERT_EQ(0, tb_add(&self->pp.a, "in_port=1,actions=output:3"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "in_port=13,ip,nw_src=192.0.2.9,actions=output:11"));
	ASSERT_EQ(0, tb_packet("in_port=1,ip,nw_src=192.0.2.9", &f));
	t = trace_flow(&self->pp.a.br, &f);
	ASSERT_NE(NULL, t);
	EXPECT_NE(NULL, strstr(t, "patch port patch-ex to bridge(\"br1\"), another "
			       "kernel datapath: output to kernel patch port 3; "
			       "there, in_port=13\n")) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "in_port=13,nw_src=192.0.2.9, priority 32768\n"))
		TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "            output:11\n")) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "Datapath actions: 3\n")) TH_LOG("%s", t);
	/* br1's lookup consulted nw_src, br0's megaflow does not */
	EXPECT_NE(NULL, strstr(t, "Megaflow: ")) TH_LOG("%s", t);
	EXPECT_EQ(NULL, strstr(strstr(t, "Megaflow: "), "nw_src")) TH_LOG("%s", t);
	free(t);

	/* br1 sends it back: followed VSW_MAX_RECIRC times, then the note */
	ASSERT_EQ(0, tb_add(&self->pp.b, "priority=40000,in_port=13,actions=in_port"));
	ASSERT_EQ(0, tb_add(&self->pp.a, "priority=40000,in_port=3,actions=in_port"));
	ASSERT_EQ(0, tb_packet("in_port=1,ip", &f));
	t = trace_flow(&self->pp.a.br, &f);
	ASSERT_NE(NULL, t);
	EXPECT_NE(NULL, strstr(t, "the kernel drops a packet after 8 crossings"))
		TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "Datapath actions: 3\n")) TH_LOG("%s", t);
	free(t);
}

TEST_F(pp, trace_shows_the_crossing_and_the_peer_bridge)
{
	struct flow f;
	char *t;

	ASSERT_EQ(0, tb_add(&self->pp.a, "in_port=1,actions=output:3"));
	ASSERT_EQ(0, tb_add(&self->pp.b, "in_port=13,ip,actions=output:11"));
	ASSERT_EQ(0, tb_packet("in_port=1,ip", &f));
	t = trace_flow(&self->pp.a.br, &f);
	ASSERT_NE(NULL, t);
	EXPECT_NE(NULL, strstr(t, "bridge(\"br0\")"));
	EXPECT_NE(NULL, strstr(t, "    output:3\n"
			       "     -> patch port patch-ex to bridge(\"br1\"), "
			       "in_port=13\n"));
	EXPECT_NE(NULL, strstr(t, " 0. ip,in_port=13, priority 32768\n"));
	EXPECT_NE(NULL, strstr(t, "Datapath actions: 11\n"));
	free(t);
}

TEST_HARNESS_MAIN
