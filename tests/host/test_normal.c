// SPDX-License-Identifier: GPL-2.0
/*
 * NORMAL, the learning switch: flooding unknown and broadcast
 * destinations to every port but the ingress, learning, aging (with a
 * pinned clock), the size limit (least recently used goes), a MAC moving
 * to another port at once, VLAN access ports and trunks with allowed
 * lists, and the megaflow bits NORMAL consults.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"

#define A "02:00:00:00:00:0a"
#define B "02:00:00:00:00:0b"
#define C "02:00:00:00:00:0c"
#define BCAST "ff:ff:ff:ff:ff:ff"

FIXTURE(sw) {
	struct test_bridge t;
	char acts[512], mega[512];
};

FIXTURE_SETUP(sw)
{
	tb_init(&self->t, 4);
	vsw_time_set(1000000);
	ASSERT_EQ(0, tb_add(&self->t, "table=0,priority=0,actions=NORMAL"));
}

FIXTURE_TEARDOWN(sw)
{
	vsw_time_set(-1);
	tb_uninit(&self->t);
}

static int tx(FIXTURE_DATA(sw) *self, int in, const char *src, const char *dst,
		const char *extra)
{
	char pkt[256];

	snprintf(pkt, sizeof(pkt), "in_port=%d,dl_src=%s,dl_dst=%s%s%s", in, src,
		 dst, extra ? "," : "", extra ? extra : "");
	return tb_xlate(&self->t, pkt, true, self->acts, self->mega, sizeof(self->acts));
}

TEST_F(sw, unknown_destination_floods_then_learns)
{
	ASSERT_EQ(0, tx(self, 1, A, B, NULL));
	EXPECT_STREQ("2,3,4", self->acts);
	EXPECT_STREQ("recirc_id=0,eth,in_port=1,"
		     "dl_src=" A ",dl_dst=" B ",dl_type=0x0000", self->mega);
	/* B answers: A is known now. */
	ASSERT_EQ(0, tx(self, 2, B, A, NULL));
	EXPECT_STREQ("1", self->acts);
	ASSERT_EQ(0, tx(self, 1, A, B, NULL));
	EXPECT_STREQ("2", self->acts);
	EXPECT_EQ(2u, mac_table_count(self->t.macs));
}

TEST_F(sw, broadcast_floods_and_is_never_learned)
{
	ASSERT_EQ(0, tx(self, 3, A, BCAST, NULL));
	EXPECT_STREQ("1,2,4", self->acts);
	ASSERT_EQ(0, tx(self, 1, BCAST, A, NULL));
	EXPECT_STREQ("3", self->acts);
	EXPECT_EQ(1u, mac_table_count(self->t.macs));
}

TEST_F(sw, learned_port_is_input_port_drops)
{
	ASSERT_EQ(0, tx(self, 1, A, BCAST, NULL));
	ASSERT_EQ(0, tx(self, 1, B, A, NULL));
	EXPECT_STREQ("drop", self->acts);
}

TEST_F(sw, mac_move_is_immediate)
{
	uint64_t v;

	ASSERT_EQ(0, tx(self, 1, A, BCAST, NULL));
	v = mac_table_version(self->t.macs);
	ASSERT_EQ(0, tx(self, 3, A, BCAST, NULL));	/* A moved to 3 */
	EXPECT_GT(mac_table_version(self->t.macs), v);
	ASSERT_EQ(0, tx(self, 2, B, A, NULL));
	EXPECT_STREQ("3", self->acts);
}

TEST_F(sw, aging_forgets_idle_macs)
{
	ASSERT_EQ(0, tx(self, 1, A, BCAST, NULL));
	vsw_time_set(1000000 + 299 * 1000);
	ASSERT_EQ(0, tx(self, 2, B, A, NULL));
	EXPECT_STREQ("1", self->acts);
	vsw_time_set(1000000 + 300 * 1000);
	ASSERT_EQ(0, tx(self, 2, B, A, NULL));
	EXPECT_STREQ("1,3,4", self->acts);		/* aged: flood */
	EXPECT_EQ(1u, mac_table_expire(self->t.macs, vsw_time_msec()));
	EXPECT_EQ(1u, mac_table_count(self->t.macs));	/* B stays */
}

TEST_F(sw, size_limit_evicts_least_recently_used)
{
	mac_table_set_limits(self->t.macs, 2, 0);
	ASSERT_EQ(0, tx(self, 1, A, BCAST, NULL));
	vsw_time_set(1000001);
	ASSERT_EQ(0, tx(self, 2, B, BCAST, NULL));
	vsw_time_set(1000002);
	ASSERT_EQ(0, tx(self, 1, A, BCAST, NULL));	/* refresh A */
	ASSERT_EQ(0, tx(self, 3, C, BCAST, NULL));	/* evicts B */
	EXPECT_EQ(2u, mac_table_count(self->t.macs));
	ASSERT_EQ(0, tx(self, 4, C, B, NULL));
	EXPECT_STREQ("1,2,3", self->acts);
	ASSERT_EQ(0, tx(self, 4, C, A, NULL));
	EXPECT_STREQ("1", self->acts);
}

TEST_F(sw, flush_port_forgets_its_macs)
{
	ASSERT_EQ(0, tx(self, 1, A, BCAST, NULL));
	ASSERT_EQ(0, tx(self, 2, B, BCAST, NULL));
	EXPECT_EQ(1u, mac_table_flush_port(self->t.macs, 1));
	ASSERT_EQ(0, tx(self, 2, B, A, NULL));
	EXPECT_STREQ("1,3,4", self->acts);
}

static const uint16_t trunk_10_20[] = { 10, 20 };

static void vlan_ports(FIXTURE_DATA(sw) *self)
{
	/* 1: access VLAN 10; 2: access VLAN 20; 3: trunk 10,20; 4: trunk all. */
	self->t.ports[0].mode = XVLAN_ACCESS;
	self->t.ports[0].tag = 10;
	self->t.ports[1].mode = XVLAN_ACCESS;
	self->t.ports[1].tag = 20;
	self->t.ports[2].mode = XVLAN_TRUNK;
	self->t.ports[2].trunks = trunk_10_20;
	self->t.ports[2].n_trunks = 2;
}

TEST_F(sw, access_port_tags_on_trunks_only)
{
	vlan_ports(self);
	ASSERT_EQ(0, tx(self, 1, A, BCAST, NULL));
	EXPECT_STREQ("push_vlan(vid=10,pcp=0),3,4", self->acts);
	/* From the trunk in VLAN 20: to access port 2 untagged, not to 1. */
	ASSERT_EQ(0, tx(self, 3, B, BCAST, "dl_vlan=20,dl_vlan_pcp=5"));
	EXPECT_STREQ("pop_vlan,2,push_vlan(vid=20,pcp=5),4", self->acts);
	EXPECT_STREQ("recirc_id=0,eth,in_port=3,dl_vlan=20,dl_vlan_pcp=5,"
		     "dl_src=" B ",dl_dst=" BCAST ",dl_type=0x0000", self->mega);
}

TEST_F(sw, learning_is_per_vlan)
{
	vlan_ports(self);
	ASSERT_EQ(0, tx(self, 1, A, BCAST, NULL));		/* A in VLAN 10 */
	ASSERT_EQ(0, tx(self, 3, B, A, "dl_vlan=10"));
	EXPECT_STREQ("pop_vlan,1", self->acts);
	ASSERT_EQ(0, tx(self, 3, B, A, "dl_vlan=20"));	/* unknown in 20 */
	EXPECT_STREQ("pop_vlan,2,push_vlan(vid=20,pcp=0),4", self->acts);
}

TEST_F(sw, tagged_frame_on_access_port_dropped)
{
	vlan_ports(self);
	ASSERT_EQ(0, tx(self, 1, A, BCAST, "dl_vlan=10"));
	EXPECT_STREQ("drop", self->acts);
	EXPECT_EQ(0u, mac_table_count(self->t.macs));
	/* Priority-tagged (VID 0) frames belong to the access VLAN. */
	ASSERT_EQ(0, tx(self, 1, A, BCAST, "dl_vlan=0"));
	EXPECT_STREQ("pop_vlan,push_vlan(vid=10,pcp=0),3,4", self->acts);
}

TEST_F(sw, trunk_refuses_vlans_not_allowed)
{
	vlan_ports(self);
	ASSERT_EQ(0, tx(self, 3, A, BCAST, "dl_vlan=30"));
	EXPECT_STREQ("drop", self->acts);
	ASSERT_EQ(0, tx(self, 3, A, BCAST, NULL));	/* VLAN 0 not in list */
	EXPECT_STREQ("drop", self->acts);
	ASSERT_EQ(0, tx(self, 4, A, BCAST, "dl_vlan=30"));	/* trunk-all */
	EXPECT_STREQ("drop", self->acts);		/* nobody else carries 30 */
}

TEST_F(sw, absent_ports_are_skipped)
{
	self->t.ports[2].present = false;
	ASSERT_EQ(0, tx(self, 1, A, BCAST, NULL));
	EXPECT_STREQ("2,4", self->acts);
	ASSERT_EQ(0, tx(self, 3, B, BCAST, NULL));	/* from an absent port */
	EXPECT_STREQ("drop", self->acts);
}

TEST_HARNESS_MAIN
