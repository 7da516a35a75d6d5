// SPDX-License-Identifier: GPL-2.0
/*
 * The GROUP action in translation: ALL runs every bucket on the packet as
 * the group got it, INDIRECT its bucket, SELECT one bucket by a hash of
 * the L2-L4 fields with those fields exact in the megaflow and the
 * buckets chosen in proportion to their weights, FAST_FAILOVER the first
 * bucket whose watch port is live; chains of groups; the buckets run are
 * recorded for marking and counters.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ofp-group.h"
#include "ulib_helpers.h"

FIXTURE(grp) {
	struct test_bridge t;
	struct group_table *groups;
	char acts[512], mega[512];
};

FIXTURE_SETUP(grp)
{
	tb_init(&self->t, 4);
	self->groups = group_table_create();
	self->t.br.groups = self->groups;
	xlate_log = NULL;
}

FIXTURE_TEARDOWN(grp)
{
	group_table_destroy(self->groups);
	tb_uninit(&self->t);
}

#define XL(pkt) tb_xlate(&self->t, pkt, false, self->acts, self->mega, sizeof(self->acts))

static int add_group(struct group_table *t, const char *text)
{
	struct ofp_group g;
	char err[256];
	int r;

	if (ofp_group_parse(text, NULL, NULL, &g, err, sizeof(err))) {
		fprintf(stderr, "# group '%s': %s\n", text, err);
		return -1;
	}
	r = group_check(t, &g, NULL, NULL, err, sizeof(err)) ? -1
		: group_table_put(t, &g, false);
	if (r)
		fprintf(stderr, "# group '%s': %s\n", text, err);
	ofp_group_uninit(&g);
	return r;
}

TEST_F(grp, all_runs_every_bucket_on_the_original_packet)
{
	ASSERT_EQ(0, add_group(self->groups, "group_id=1,type=all,"
			       "bucket=actions=mod_dl_dst:00:00:00:00:00:02,output:2,"
			       "bucket=actions=output:3"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=group:1,output:4"));
	ASSERT_EQ(0, XL("in_port=1,dl_dst=00:00:00:00:00:09"));
	/* bucket 1's rewrite reaches neither bucket 2 nor output:4 */
	EXPECT_STREQ("set(eth(dst=00:00:00:00:00:02)),2,"
		     "set(eth(dst=00:00:00:00:00:09)),3,4", self->acts);
	/* ALL reads no field */
	EXPECT_STREQ("recirc_id=0,eth,in_port=1,dl_type=0x0000", self->mega);
}

TEST_F(grp, indirect_and_chain)
{
	ASSERT_EQ(0, add_group(self->groups, "group_id=1,type=all,"
			       "bucket=output:2,bucket=output:3"));
	ASSERT_EQ(0, add_group(self->groups, "group_id=2,type=indirect,"
			       "bucket=actions=push_vlan:0x8100,mod_vlan_vid:10,group:1"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=group:2"));
	ASSERT_EQ(0, XL("in_port=1"));
	EXPECT_STREQ("push_vlan(vid=10,pcp=0),2,3", self->acts);
}

TEST_F(grp, empty_and_missing_groups_drop)
{
	struct flow f;
	struct xlate_out out;

	ASSERT_EQ(0, add_group(self->groups, "group_id=1,type=all"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=group:1"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=2,actions=group:7,output:3"));
	ASSERT_EQ(0, XL("in_port=1"));
	EXPECT_STREQ("drop", self->acts);
	ASSERT_EQ(0, XL("in_port=2"));		/* a group gone: nothing */
	EXPECT_STREQ("3", self->acts);
	ASSERT_EQ(0, tb_packet("in_port=1", &f));
	ASSERT_EQ(0, xlate_flow(&self->t.br, &f, false, &out, NULL));
	EXPECT_EQ(0u, out.n_group_uses);	/* no bucket ran */
	xlate_out_uninit(&out);
}

static const char *const tcp_pkt =
	"in_port=1,tcp,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,"
	"nw_src=192.0.2.1,nw_dst=198.51.100.%u,tp_src=%u,tp_dst=80";

TEST_F(grp, select_unwildcards_what_it_hashes)
{
	char pkt[256];

	ASSERT_EQ(0, add_group(self->groups, "group_id=1,type=select,"
			       "bucket=output:2,bucket=output:3"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=group:1"));
	snprintf(pkt, sizeof(pkt), tcp_pkt, 7u, 1234u);
	ASSERT_EQ(0, XL(pkt));
	EXPECT_STREQ("recirc_id=0,eth,tcp,in_port=1,dl_src=02:00:00:00:00:01,"
		     "dl_dst=02:00:00:00:00:02,nw_src=192.0.2.1,"
		     "nw_dst=198.51.100.7,nw_frag=no,tp_src=1234,tp_dst=80",
		     self->mega);
	/* no L4 ports for a non-TCP/UDP/SCTP packet; ARP: L2 only */
	ASSERT_EQ(0, XL("in_port=1,icmp,nw_src=192.0.2.1,nw_dst=192.0.2.2"));
	EXPECT_STREQ("recirc_id=0,eth,icmp,in_port=1,dl_src=00:00:00:00:00:00,"
		     "dl_dst=00:00:00:00:00:00,nw_src=192.0.2.1,nw_dst=192.0.2.2,"
		     "nw_frag=no", self->mega);
	ASSERT_EQ(0, XL("in_port=1,arp"));
	EXPECT_STREQ("recirc_id=0,eth,arp,in_port=1,dl_src=00:00:00:00:00:00,"
		     "dl_dst=00:00:00:00:00:00", self->mega);
}

/* Which port the select group sent @n different flows to. */
static void spread(struct __test_metadata *_metadata, struct test_bridge *t,
		   unsigned n, unsigned counts[8])
{
	char pkt[256], acts[64];

	memset(counts, 0, 8 * sizeof(*counts));
	for (unsigned i = 0; i < n; i++) {
		unsigned port;

		snprintf(pkt, sizeof(pkt), tcp_pkt, i % 250 + 1, 1024 + i);
		ASSERT_EQ(0, tb_xlate(t, pkt, false, acts, NULL, sizeof(acts)));
		ASSERT_EQ(1, sscanf(acts, "%u", &port)) TH_LOG("%s", acts);
		ASSERT_LT(port, 8u);
		counts[port]++;
	}
}

TEST_F(grp, select_spreads_by_weight_and_sticks)
{
	char pkt[256], first[512];
	unsigned c[8];

	ASSERT_EQ(0, add_group(self->groups, "group_id=1,type=select,"
			       "bucket=weight:1,output:2,bucket=weight:3,output:3,"
			       "bucket=weight:0,output:4"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=group:1"));
	spread(_metadata, &self->t, 2000, c);
	EXPECT_EQ(0u, c[4]);			/* weight 0: never */
	EXPECT_EQ(2000u, c[2] + c[3]);
	/* 1:3 within a wide margin (expected 500 and 1500) */
	EXPECT_GT(c[2], 350u);
	EXPECT_LT(c[2], 650u);
	/* the same flow always goes the same way */
	snprintf(pkt, sizeof(pkt), tcp_pkt, 9u, 4321u);
	ASSERT_EQ(0, XL(pkt));
	snprintf(first, sizeof(first), "%s", self->acts);
	for (int i = 0; i < 5; i++) {
		ASSERT_EQ(0, XL(pkt));
		EXPECT_STREQ(first, self->acts);
	}
}

TEST_F(grp, select_skips_dead_buckets)
{
	unsigned c[8];

	ASSERT_EQ(0, add_group(self->groups, "group_id=1,type=select,"
			       "bucket=watch_port:2,output:2,"
			       "bucket=watch_port:3,output:3"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=group:1"));
	self->t.ports[1].down = true;		/* port 2's link */
	spread(_metadata, &self->t, 200, c);
	EXPECT_EQ(0u, c[2]);
	EXPECT_EQ(200u, c[3]);
}

TEST_F(grp, fast_failover_takes_the_first_live_bucket)
{
	ASSERT_EQ(0, add_group(self->groups, "group_id=1,type=fast_failover,"
			       "bucket=watch_port:2,output:2,"
			       "bucket=watch_port:3,output:3"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=group:1"));
	ASSERT_EQ(0, XL("in_port=1,tcp,tp_dst=80"));
	EXPECT_STREQ("2", self->acts);
	/* liveness is no packet field: nothing more is exact */
	EXPECT_STREQ("recirc_id=0,eth,ip,in_port=1,nw_frag=no", self->mega);
	self->t.ports[1].down = true;		/* link down */
	ASSERT_EQ(0, XL("in_port=1,tcp,tp_dst=80"));
	EXPECT_STREQ("3", self->acts);
	self->t.ports[1].down = false;
	self->t.ports[1].present = false;	/* detached */
	ASSERT_EQ(0, XL("in_port=1,tcp,tp_dst=80"));
	EXPECT_STREQ("3", self->acts);
	self->t.ports[2].down = true;		/* none live: dropped */
	ASSERT_EQ(0, XL("in_port=1,tcp,tp_dst=80"));
	EXPECT_STREQ("drop", self->acts);
	self->t.ports[1].present = true;
	ASSERT_EQ(0, XL("in_port=1,tcp,tp_dst=80"));
	EXPECT_STREQ("2", self->acts);
}

TEST_F(grp, buckets_run_are_recorded)
{
	struct xlate_out out;
	struct flow f;

	ASSERT_EQ(0, add_group(self->groups, "group_id=5,type=all,"
			       "bucket=output:2,bucket=output:3"));
	ASSERT_EQ(0, add_group(self->groups, "group_id=6,type=indirect,"
			       "bucket=group:5"));
	ASSERT_EQ(0, tb_add(&self->t, "in_port=1,actions=group:6"));
	ASSERT_EQ(0, tb_packet("in_port=1", &f));
	ASSERT_EQ(0, xlate_flow(&self->t.br, &f, false, &out, NULL));
	ASSERT_EQ(3u, out.n_group_uses);
	EXPECT_EQ(6u, XLATE_GROUP_USE_ID(out.group_uses[0]));
	EXPECT_EQ(1u, XLATE_GROUP_USE_FIRST(out.group_uses[0]));
	EXPECT_EQ(5u, XLATE_GROUP_USE_ID(out.group_uses[1]));
	EXPECT_EQ(0u, XLATE_GROUP_USE_BUCKET(out.group_uses[1]));
	EXPECT_EQ(1u, XLATE_GROUP_USE_FIRST(out.group_uses[1]));
	EXPECT_EQ(5u, XLATE_GROUP_USE_ID(out.group_uses[2]));
	EXPECT_EQ(1u, XLATE_GROUP_USE_BUCKET(out.group_uses[2]));
	EXPECT_EQ(0u, XLATE_GROUP_USE_FIRST(out.group_uses[2]));
	xlate_out_uninit(&out);
}

TEST_HARNESS_MAIN
