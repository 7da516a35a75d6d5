// SPDX-License-Identifier: GPL-2.0
/*
 * Recirculation (VSW_ACTION_ATTR_RECIRC, VSW_KEY_ATTR_RECIRC_ID): a packet
 * goes through the flow table again with the key its actions left; a
 * flow of pass 0 never matches a recirculated packet; a miss in a later
 * pass is an upcall whose key carries the pass; a loop among flows and a
 * full per-CPU queue drop the packet and count it; bad RECIRC ids and
 * wildcarded RECIRC_ID masks are refused with a message.
 *
 * Frames enter with PACKET_EXECUTE on the local port, or from a veth
 * (ping); what comes out is seen as USERSPACE action upcalls (the packet
 * as the last pass left it) or as replies to the ping.
 *
 *   netns vswr-a            test netns                 netns vswr-b
 *   pb0 10.78.0.1 <--veth--> pa0 -1-[ br-r ]-2- pa1 <--veth--> pb1 10.78.0.2
 */
#include <sched.h>
#include <arpa/inet.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"
#include "vsw_frames.h"

#define DP "br-r"
#define NS_A "vswr-a"
#define NS_B "vswr-b"
#define LOCAL VSW_PORT_LOCAL

static const uint8_t mac_aa[6] = { 2, 0, 0, 0, 0, 0xaa };

FIXTURE(recirc) {
	struct vsw_nl h;
	struct vsw_nl up;	/* upcalls: misses and USERSPACE actions */
};

FIXTURE_SETUP(recirc)
{
	uint32_t pid;
	struct nlmsghdr *nlh;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h));
	ASSERT_EQ(0, vsw_nl_open(&self->up));
	ASSERT_EQ(0, vsw_dp_add(&self->h, DP)) TH_LOG("%s", self->h.msg);
	pid = vsw_nl_portid(&self->up);
	nlh = vsw_nl_req(&self->h, VSW_CMD_DP_SET, 0);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, DP);
	mnl_attr_put(nlh, VSW_DP_ATTR_UPCALL_PIDS, sizeof(pid), &pid);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));
}

FIXTURE_TEARDOWN(recirc)
{
	vsw_sh("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null");
	vsw_nl_close(&self->up);
	vsw_nl_close(&self->h);
}

/* A flow: what it matches (in_port, recirc_id, optionally eth_src and
 * VF_ETH_TEST) and its actions, a list of (type, u32 or mac) pairs.
 */
struct act {
	uint16_t type;
	uint32_t v;
	const uint8_t *mac;
};

struct fspec {
	uint32_t in_port;
	uint32_t recirc_id;
	const uint8_t *eth_src;		/* NULL: wildcarded */
	int eth_test;			/* match ETH_TYPE VF_ETH_TEST */
	struct act a[64];
	int n;
};

static void put_acts(struct nlmsghdr *nlh, int type, const struct fspec *f)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);
	struct nlattr *u;
	int i;

	for (i = 0; i < f->n; i++) {
		const struct act *a = &f->a[i];

		if (a->type == VSW_ACTION_ATTR_USERSPACE) {
			u = mnl_attr_nest_start(nlh, a->type);
			mnl_attr_put_u64(nlh, VSW_USERSPACE_ATTR_COOKIE, a->v);
			mnl_attr_nest_end(nlh, u);
		} else if (a->mac) {
			mnl_attr_put(nlh, a->type, 6, a->mac);
		} else {
			mnl_attr_put_u32(nlh, a->type, a->v);
		}
	}
	mnl_attr_nest_end(nlh, n);
}

static void put_fmatch(struct nlmsghdr *nlh, const struct fspec *f)
{
	static const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, f->in_port);
	if (f->recirc_id)
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_RECIRC_ID, f->recirc_id);
	if (f->eth_src)
		mnl_attr_put(nlh, VSW_KEY_ATTR_ETH_SRC, 6, f->eth_src);
	if (f->eth_test)
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(VF_ETH_TEST));
	mnl_attr_nest_end(nlh, n);
	/* RECIRC_ID absent from the mask: the kernel matches it exactly */
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	if (f->eth_src)
		mnl_attr_put(nlh, VSW_KEY_ATTR_ETH_SRC, 6, ones);
	if (f->eth_test)
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, 0xffff);
	mnl_attr_nest_end(nlh, n);
}

static int flow_add(struct vsw_nl *h, const struct fspec *f)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_NEW, 0);

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	put_fmatch(nlh, f);
	put_acts(nlh, VSW_FLOW_ATTR_ACTIONS, f);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static void make_frame(uint8_t *f, uint8_t src_last, uint32_t seq)
{
	vf_test_frame(f, 0, src_last, "recirc", seq);
}

/* Runs @f's actions on a test frame from ...:@src_last entering on the
 * local port.
 */
static int execute(struct vsw_nl *h, const struct fspec *f, uint8_t src_last,
		   uint32_t seq)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PACKET_EXECUTE, 0);
	uint8_t frame[VF_TEST_LEN];

	make_frame(frame, src_last, seq);
	mnl_attr_put_strz(nlh, VSW_PACKET_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PACKET_ATTR_IN_PORT, LOCAL);
	mnl_attr_put(nlh, VSW_PACKET_ATTR_PACKET, VF_TEST_LEN, frame);
	put_acts(nlh, VSW_PACKET_ATTR_ACTIONS, f);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

struct upcall {
	int got;
	uint8_t cmd;
	uint64_t cookie;
	int has_recirc;
	uint32_t recirc_id;
	uint8_t eth_src[6];
	uint8_t pkt[VF_TEST_LEN];
};

static int upcall_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PACKET_ATTR_MAX + 1], *kt[VSW_KEY_ATTR_MAX + 1];
	struct upcall *u = data;

	vsw_nl_parse(nlh, tb, VSW_PACKET_ATTR_MAX);
	u->got++;
	u->cmd = vsw_nl_cmd(nlh);
	if (tb[VSW_PACKET_ATTR_COOKIE])
		u->cookie = mnl_attr_get_u64(tb[VSW_PACKET_ATTR_COOKIE]);
	if (tb[VSW_PACKET_ATTR_KEY]) {
		vsw_nl_parse_nested(tb[VSW_PACKET_ATTR_KEY], kt, VSW_KEY_ATTR_MAX);
		u->has_recirc = !!kt[VSW_KEY_ATTR_RECIRC_ID];
		if (kt[VSW_KEY_ATTR_RECIRC_ID])
			u->recirc_id = mnl_attr_get_u32(kt[VSW_KEY_ATTR_RECIRC_ID]);
		if (kt[VSW_KEY_ATTR_ETH_SRC])
			memcpy(u->eth_src, mnl_attr_get_payload(kt[VSW_KEY_ATTR_ETH_SRC]), 6);
	}
	if (tb[VSW_PACKET_ATTR_PACKET] &&
	    mnl_attr_get_payload_len(tb[VSW_PACKET_ATTR_PACKET]) >= VF_TEST_LEN)
		memcpy(u->pkt, mnl_attr_get_payload(tb[VSW_PACKET_ATTR_PACKET]),
		       VF_TEST_LEN);
	return MNL_CB_OK;
}

/* One upcall within @ms; returns 1 if one arrived. */
static int recv_upcall(struct vsw_nl *up, struct upcall *u, int ms)
{
	memset(u, 0, sizeof(*u));
	return vsw_nl_recv_until(up, upcall_cb, u, &u->got, ms) > 0;
}

static uint64_t stat(struct vsw_nl *h, int attr)
{
	struct vsw_stats_req s;

	if (vsw_dp_stats(h, DP, &s))
		return ~0ULL;
	return s.v[attr];
}

#define A_RECIRC(id)	{ VSW_ACTION_ATTR_RECIRC, (id), NULL }
#define A_USER(c)	{ VSW_ACTION_ATTR_USERSPACE, (c), NULL }
#define A_OUT(p)	{ VSW_ACTION_ATTR_OUTPUT, (p), NULL }

/* Pass 5 rewrites eth_src and recirculates; pass 7 matches the new
 * eth_src, which it could only see if the key came along. (The frame
 * reaches a lookup from PACKET_EXECUTE through a first RECIRC, to 5.)
 */
TEST_F(recirc, second_pass_sees_the_key_the_first_left)
{
	struct fspec first = { .in_port = LOCAL, .recirc_id = 5, .eth_test = 1,
			       .n = 2, .a = {
		{ VSW_ACTION_ATTR_SET_ETH_SRC, 0, mac_aa }, A_RECIRC(7) } };
	struct fspec second = { .in_port = LOCAL, .recirc_id = 7,
				.eth_src = mac_aa, .n = 1, .a = { A_USER(0x77) } };
	struct fspec inject = { .n = 1, .a = { A_RECIRC(5) } };
	struct upcall u;

	ASSERT_EQ(0, flow_add(&self->h, &first)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, flow_add(&self->h, &second)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, execute(&self->h, &inject, 0x11, 1)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(1, recv_upcall(&self->up, &u, 2000));
	EXPECT_EQ(VSW_CMD_ACTION, u.cmd);
	EXPECT_EQ(0x77, u.cookie);
	EXPECT_EQ(1, u.has_recirc);
	EXPECT_EQ(7, u.recirc_id);
	EXPECT_EQ(0, memcmp(u.pkt + 6, mac_aa, 6));
	EXPECT_EQ(0, memcmp(u.eth_src, mac_aa, 6));
	EXPECT_EQ(2, stat(&self->h, VSW_DP_STATS_ATTR_RECIRC));
	EXPECT_EQ(0, stat(&self->h, VSW_DP_STATS_ATTR_RECIRC_DROPPED));
}

/* The pass-0 flow matches every frame of the port; were RECIRC_ID not
 * exact, the recirculated packet would match it again and loop. It
 * misses instead, and the miss says which pass it was in.
 */
TEST_F(recirc, pass_zero_flow_never_matches_a_recirculated_packet)
{
	struct fspec first = { .in_port = 1, .n = 1, .a = { A_RECIRC(9) } };
	struct upcall u;

	/* the flow first: every frame the port gets must meet it */
	ASSERT_EQ(0, flow_add(&self->h, &first)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, vsw_sh("ip link add pa0 type veth peer name pb0 && ip link set pa0 up && ip link set pb0 up"));
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 1));
	/* any frame from pb0: its IPv6 or ARP chatter, or this ping */
	vsw_sh("ip addr add 10.78.9.1/24 dev pb0; ping -c 1 -W 1 10.78.9.2 >/dev/null 2>&1");
	ASSERT_EQ(1, recv_upcall(&self->up, &u, 3000));
	EXPECT_EQ(VSW_CMD_MISS, u.cmd);
	EXPECT_EQ(1, u.has_recirc);
	EXPECT_EQ(9, u.recirc_id);
	EXPECT_EQ(0, stat(&self->h, VSW_DP_STATS_ATTR_RECIRC_DROPPED));
	EXPECT_GE(stat(&self->h, VSW_DP_STATS_ATTR_MISSED), 1);
}

/* A flow that recirculates to its own pass: VSW_MAX_RECIRC passes, then
 * the packet is dropped and counted; nothing reaches userspace.
 */
TEST_F(recirc, loop_is_dropped_and_counted)
{
	struct fspec loop = { .in_port = LOCAL, .recirc_id = 3, .n = 1,
			      .a = { A_RECIRC(3) } };
	struct fspec inject = { .n = 1, .a = { A_RECIRC(3) } };
	struct upcall u;

	ASSERT_EQ(0, flow_add(&self->h, &loop)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, execute(&self->h, &inject, 0x22, 2));
	EXPECT_EQ(VSW_MAX_RECIRC, stat(&self->h, VSW_DP_STATS_ATTR_RECIRC));
	EXPECT_EQ(1, stat(&self->h, VSW_DP_STATS_ATTR_RECIRC_DROPPED));
	EXPECT_EQ(0, recv_upcall(&self->up, &u, 300));
	/* the datapath still works afterwards */
	ASSERT_EQ(0, execute(&self->h, &inject, 0x22, 3));
	EXPECT_EQ(2, stat(&self->h, VSW_DP_STATS_ATTR_RECIRC_DROPPED));
}

/* RECIRC that is not the last action recirculates a copy; 20 of them in
 * one list fill the 16-entry queue: 16 passes run, 4 copies are dropped.
 */
TEST_F(recirc, copies_fan_out_and_a_full_queue_drops)
{
	struct fspec user = { .in_port = LOCAL, .recirc_id = 4, .n = 1,
			      .a = { A_USER(0x44) } };
	struct fspec inject = { .n = 20 };
	struct upcall u;
	int i, n = 0;

	for (i = 0; i < 20; i++)
		inject.a[i] = (struct act)A_RECIRC(4);
	ASSERT_EQ(0, flow_add(&self->h, &user)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, execute(&self->h, &inject, 0x33, 4));
	while (recv_upcall(&self->up, &u, 1000)) {
		EXPECT_EQ(0x44, u.cookie);
		n++;
	}
	EXPECT_EQ(16, n);
	EXPECT_EQ(16, stat(&self->h, VSW_DP_STATS_ATTR_RECIRC));
	EXPECT_EQ(4, stat(&self->h, VSW_DP_STATS_ATTR_RECIRC_DROPPED));

	/* two copies, then the packet itself */
	inject.n = 3;
	ASSERT_EQ(0, execute(&self->h, &inject, 0x33, 5));
	for (n = 0; recv_upcall(&self->up, &u, 1000); n++)
		;
	EXPECT_EQ(3, n);
}

/* Ping through a pipeline of two passes in each direction. */
TEST_F(recirc, ping_through_two_passes)
{
	struct fspec ab0 = { .in_port = 1, .n = 1, .a = { A_RECIRC(1) } };
	struct fspec ab1 = { .in_port = 1, .recirc_id = 1, .n = 1, .a = { A_OUT(2) } };
	struct fspec ba0 = { .in_port = 2, .n = 1, .a = { A_RECIRC(2) } };
	struct fspec ba1 = { .in_port = 2, .recirc_id = 2, .n = 1, .a = { A_OUT(1) } };

	ASSERT_EQ(0, vsw_sh("ip netns add " NS_A " && ip netns add " NS_B));
	ASSERT_EQ(0, vsw_sh("ip link add pa0 type veth peer name pb0 netns " NS_A
			    " && ip link add pa1 type veth peer name pb1 netns " NS_B));
	ASSERT_EQ(0, vsw_sh("ip link set pa0 up && ip link set pa1 up"
			    " && ip -n " NS_A " link set pb0 up && ip -n " NS_B " link set pb1 up"
			    " && ip -n " NS_A " addr add 10.78.0.1/24 dev pb0"
			    " && ip -n " NS_B " addr add 10.78.0.2/24 dev pb1"));
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 1));
	ASSERT_EQ(2, vsw_port_add(&self->h, DP, "pa1", 2));
	ASSERT_EQ(0, flow_add(&self->h, &ab0));
	ASSERT_EQ(0, flow_add(&self->h, &ab1));
	ASSERT_EQ(0, flow_add(&self->h, &ba0));
	ASSERT_EQ(0, flow_add(&self->h, &ba1));
	EXPECT_EQ(0, vsw_sh("ip netns exec " NS_A " ping -c 3 -i 0.3 -W 2 10.78.0.2 > /dev/null"));
	EXPECT_GE(stat(&self->h, VSW_DP_STATS_ATTR_RECIRC), 6);
	EXPECT_EQ(0, stat(&self->h, VSW_DP_STATS_ATTR_RECIRC_DROPPED));
}

/* FLOW_NEW's PACKET runs with KEY's RECIRC_ID; a dump puts RECIRC_ID in
 * KEY and never in MASK.
 */
struct dumped {
	int n;
	int key_recirc, mask_recirc;
	uint32_t recirc_id;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_FLOW_ATTR_MAX + 1], *kt[VSW_KEY_ATTR_MAX + 1];
	struct dumped *d = data;

	vsw_nl_parse(nlh, tb, VSW_FLOW_ATTR_MAX);
	d->n++;
	vsw_nl_parse_nested(tb[VSW_FLOW_ATTR_KEY], kt, VSW_KEY_ATTR_MAX);
	if (kt[VSW_KEY_ATTR_RECIRC_ID]) {
		d->key_recirc++;
		d->recirc_id = mnl_attr_get_u32(kt[VSW_KEY_ATTR_RECIRC_ID]);
	}
	vsw_nl_parse_nested(tb[VSW_FLOW_ATTR_MASK], kt, VSW_KEY_ATTR_MAX);
	d->mask_recirc += !!kt[VSW_KEY_ATTR_RECIRC_ID];
	return MNL_CB_OK;
}

TEST_F(recirc, flow_new_packet_and_dump_carry_recirc_id)
{
	struct fspec f = { .in_port = LOCAL, .recirc_id = 0x1234, .n = 1,
			   .a = { A_USER(0x99) } };
	uint8_t frame[VF_TEST_LEN];
	struct nlmsghdr *nlh;
	struct dumped d = { 0 };
	struct upcall u;

	make_frame(frame, 0x55, 6);
	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	put_fmatch(nlh, &f);
	put_acts(nlh, VSW_FLOW_ATTR_ACTIONS, &f);
	mnl_attr_put(nlh, VSW_FLOW_ATTR_PACKET, VF_TEST_LEN, frame);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(1, recv_upcall(&self->up, &u, 2000));
	EXPECT_EQ(0x99, u.cookie);
	EXPECT_EQ(0x1234, u.recirc_id);

	f.recirc_id = 0;
	ASSERT_EQ(0, flow_add(&self->h, &f));
	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_GET, NLM_F_DUMP);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, dump_cb, &d));
	EXPECT_EQ(2, d.n);
	EXPECT_EQ(1, d.key_recirc);
	EXPECT_EQ(0x1234, d.recirc_id);
	EXPECT_EQ(0, d.mask_recirc);
}

TEST_F(recirc, bad_ids_and_masks_are_refused_with_a_message)
{
	struct fspec f = { .in_port = LOCAL, .n = 1, .a = { A_RECIRC(0) } };
	struct nlmsghdr *nlh;
	struct nlattr *n;

	EXPECT_EQ(-ERANGE, flow_add(&self->h, &f));
	EXPECT_NE(0, self->h.off);
	EXPECT_EQ(-ERANGE, execute(&self->h, &f, 1, 1));

	/* a RECIRC_ID mask other than exact */
	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, LOCAL);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_RECIRC_ID, 1);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_RECIRC_ID, 0xff);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	mnl_attr_nest_end(nlh, n);
	EXPECT_EQ(-EINVAL, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	EXPECT_STREQ("RECIRC_ID must be exact (mask 0xffffffff or absent)", self->h.msg);
	EXPECT_NE(0, self->h.off);
}

VSW_HARNESS_MAIN
