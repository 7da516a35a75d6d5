// SPDX-License-Identifier: GPL-2.0
/*
 * Flows and the packet path: flows installed by hand steer raw frames and
 * pings; stats count exactly; EEXIST/REPLACE/CLEAR; dumps span several
 * messages; the flow limit; microflow cache on and off; a miss is an
 * upcall with the right key and packet; PACKET_EXECUTE sends a frame;
 * the per-port upcall rate limit refuses a flooding port's misses while
 * another port's still arrive; output ports numbered above and below the
 * datapath's port array.
 *
 *   netns vswf-a            test netns                 netns vswf-b
 * vsw-timeout: 900
 *
 *   pb0 10.77.0.1 <--veth--> pa0 -1-[ br-f ]-2- pa1 <--veth--> pb1 10.77.0.2
 */
#include <poll.h>
#include <sched.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"
#include "vsw_frames.h"

#define DP "br-f"
#define NS_A "vswf-a"
#define NS_B "vswf-b"

FIXTURE(flow) {
	struct vsw_nl h;
	int tx_a, rx_b, tx_b, rx_a;	/* AF_PACKET on pb0 and pb1 */
};

#define TAG "vswtest"

static void make_frame(uint8_t *f, uint8_t src_last, uint32_t seq)
{
	vf_test_frame(f, 0, src_last, TAG, seq);
}

static int send_frame(int fd, uint8_t src_last, uint32_t seq)
{
	uint8_t f[VF_TEST_LEN];

	make_frame(f, src_last, seq);
	return send(fd, f, VF_TEST_LEN, 0) == VF_TEST_LEN ? 0 : -errno;
}

/* Waits for our test frame with @seq; returns 1 if seen, 0 on timeout. */
static int recv_frame(int fd, uint32_t seq)
{
	return vf_recv_test_frame(fd, TAG, seq);
}

static void drain(int fd)
{
	uint8_t f[2048];

	while (recv(fd, f, sizeof(f), MSG_DONTWAIT) > 0)
		;
}

FIXTURE_SETUP(flow)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h));
	vsw_sh("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null");
	ASSERT_EQ(0, vsw_sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1"));
	ASSERT_EQ(0, vsw_sh("ip netns add " NS_A " && ip netns add " NS_B));
	ASSERT_EQ(0, vsw_sh("for n in " NS_A " " NS_B "; do ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done"));
	ASSERT_EQ(0, vsw_sh("ip link add pa0 type veth peer name pb0 netns " NS_A
			    " && ip link add pa1 type veth peer name pb1 netns " NS_B));
	ASSERT_EQ(0, vsw_sh("ip link set pa0 up && ip link set pa1 up"
			    " && ip -n " NS_A " link set pb0 up && ip -n " NS_B " link set pb1 up"
			    " && ip -n " NS_A " addr add 10.77.0.1/24 dev pb0"
			    " && ip -n " NS_B " addr add 10.77.0.2/24 dev pb1"));
	ASSERT_EQ(0, vsw_dp_add(&self->h, DP));
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 1));
	ASSERT_EQ(2, vsw_port_add(&self->h, DP, "pa1", 2));
	self->tx_a = vf_packet_sock(NS_A, "pb0", 2);
	self->rx_a = vf_packet_sock(NS_A, "pb0", 2);
	self->tx_b = vf_packet_sock(NS_B, "pb1", 2);
	self->rx_b = vf_packet_sock(NS_B, "pb1", 2);
	ASSERT_GE(self->tx_a, 0);
	ASSERT_GE(self->rx_b, 0);
	ASSERT_GE(self->tx_b, 0);
	ASSERT_GE(self->rx_a, 0);
}

FIXTURE_TEARDOWN(flow)
{
	close(self->tx_a);
	close(self->rx_a);
	close(self->tx_b);
	close(self->rx_b);
	vsw_sh("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null");
	vsw_nl_close(&self->h);
}

struct flow_spec {
	uint32_t in_port;
	uint16_t eth_type;	/* 0 = not matched */
	uint32_t ipv4_dst;	/* host order; 0 = not matched */
	uint8_t src_last;	/* eth_src 02:..:xx matched when non-zero */
	uint32_t out[4];
	int n_out;
	const uint8_t *ufid;
};

static void put_match(struct nlmsghdr *nlh, const struct flow_spec *f)
{
	uint8_t src[6] = { 0x02, 0, 0, 0, 0, f->src_last };
	uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, f->in_port);
	if (f->eth_type)
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(f->eth_type));
	if (f->ipv4_dst)
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IPV4_DST, htonl(f->ipv4_dst));
	if (f->src_last)
		mnl_attr_put(nlh, VSW_KEY_ATTR_ETH_SRC, 6, src);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	if (f->eth_type)
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, 0xffff);
	if (f->ipv4_dst)
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IPV4_DST, 0xffffffff);
	if (f->src_last)
		mnl_attr_put(nlh, VSW_KEY_ATTR_ETH_SRC, 6, ones);
	mnl_attr_nest_end(nlh, n);
}

static void put_outputs(struct nlmsghdr *nlh, int type, const uint32_t *out,
			int n_out)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);
	int i;

	for (i = 0; i < n_out; i++)
		mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, out[i]);
	mnl_attr_nest_end(nlh, n);
}

static int flow_new(struct vsw_nl *h, const struct flow_spec *f, bool replace,
		    bool clear)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_NEW, 0);

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	put_match(nlh, f);
	put_outputs(nlh, VSW_FLOW_ATTR_ACTIONS, f->out, f->n_out);
	if (f->ufid)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_UFID, VSW_UFID_LEN, f->ufid);
	if (replace)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_REPLACE, 0, NULL);
	if (clear)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_CLEAR, 0, NULL);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

struct flow_reply {
	int count;
	uint64_t packets, bytes;
	uint32_t out0;			/* first OUTPUT action */
	int has_used, has_ufid;
	uint32_t ipv4_dst;
};

static int flow_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_FLOW_ATTR_MAX + 1], *st[VSW_FLOW_STATS_ATTR_MAX + 1];
	const struct nlattr *kt[VSW_KEY_ATTR_MAX + 1], *a;
	struct flow_reply *r = data;

	vsw_nl_parse(nlh, tb, VSW_FLOW_ATTR_MAX);
	r->count++;
	if (tb[VSW_FLOW_ATTR_STATS]) {
		vsw_nl_parse_nested(tb[VSW_FLOW_ATTR_STATS], st, VSW_FLOW_STATS_ATTR_MAX);
		if (st[VSW_FLOW_STATS_ATTR_PACKETS])
			r->packets = mnl_attr_get_u64(st[VSW_FLOW_STATS_ATTR_PACKETS]);
		if (st[VSW_FLOW_STATS_ATTR_BYTES])
			r->bytes = mnl_attr_get_u64(st[VSW_FLOW_STATS_ATTR_BYTES]);
	}
	if (tb[VSW_FLOW_ATTR_ACTIONS]) {
		mnl_attr_for_each_nested(a, tb[VSW_FLOW_ATTR_ACTIONS]) {
			if (mnl_attr_get_type(a) == VSW_ACTION_ATTR_OUTPUT) {
				r->out0 = mnl_attr_get_u32(a);
				break;
			}
		}
	}
	if (tb[VSW_FLOW_ATTR_KEY]) {
		vsw_nl_parse_nested(tb[VSW_FLOW_ATTR_KEY], kt, VSW_KEY_ATTR_MAX);
		if (kt[VSW_KEY_ATTR_IPV4_DST])
			r->ipv4_dst = ntohl(mnl_attr_get_u32(kt[VSW_KEY_ATTR_IPV4_DST]));
	}
	r->has_used = !!tb[VSW_FLOW_ATTR_USED];
	r->has_ufid = !!tb[VSW_FLOW_ATTR_UFID];
	return MNL_CB_OK;
}

static int flow_get(struct vsw_nl *h, uint8_t cmd, const struct flow_spec *f,
		    const uint8_t *ufid, struct flow_reply *r)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, cmd, 0);

	memset(r, 0, sizeof(*r));
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	if (ufid)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_UFID, VSW_UFID_LEN, ufid);
	else
		put_match(nlh, f);
	return vsw_nl_talk(h, nlh, flow_reply_cb, r);
}

static int dp_set_u32(struct vsw_nl *h, int attr, uint32_t v)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_DP_SET, 0);

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, attr, v);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static uint64_t hits(struct vsw_nl *h)
{
	struct vsw_stats_req r;

	if (vsw_dp_stats(h, DP, &r))
		return ~0ULL;
	return r.v[VSW_DP_STATS_ATTR_MICROFLOW_HIT] + r.v[VSW_DP_STATS_ATTR_MEGAFLOW_HIT];
}

TEST_F(flow, raw_frames_follow_flows_and_count_exactly)
{
	struct flow_spec f = { .in_port = 1, .eth_type = VF_ETH_TEST, .out = { 2 }, .n_out = 1 };
	struct flow_reply r;
	uint64_t h0;
	int i;

	ASSERT_EQ(0, flow_new(&self->h, &f, false, false)) TH_LOG("%s", self->h.msg);
	h0 = hits(&self->h);
	drain(self->rx_b);
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(0, send_frame(self->tx_a, 1, i));
		EXPECT_EQ(1, recv_frame(self->rx_b, i)) TH_LOG("frame %d not forwarded", i);
	}
	ASSERT_EQ(0, flow_get(&self->h, VSW_CMD_FLOW_GET, &f, NULL, &r));
	EXPECT_EQ(1, r.count);
	EXPECT_EQ(10, r.packets);
	EXPECT_EQ(10 * VF_TEST_LEN, r.bytes);
	EXPECT_EQ(2, r.out0);
	EXPECT_TRUE(r.has_used);
	EXPECT_EQ(10, hits(&self->h) - h0);

	/* nothing installed for the other direction: not forwarded */
	drain(self->rx_a);
	ASSERT_EQ(0, send_frame(self->tx_b, 2, 100));
	EXPECT_EQ(0, recv_frame(self->rx_a, 100));
}

static int port_del(struct vsw_nl *h, uint32_t port_no)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_DEL, 0);

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

/* Output ports are found through a direct array below 256 and the IDR
 * above it: both forward, in and out, and a deleted number forwards
 * nothing even while a flow still names it.
 */
TEST_F(flow, output_ports_above_and_below_the_port_cache)
{
	struct flow_spec to300 = { .in_port = 1, .eth_type = VF_ETH_TEST,
				   .src_last = 0x11, .out = { 300 }, .n_out = 1 };
	struct flow_spec from300 = { .in_port = 300, .eth_type = VF_ETH_TEST,
				     .out = { 1 }, .n_out = 1 };
	struct flow_spec to255 = { .in_port = 1, .eth_type = VF_ETH_TEST,
				   .src_last = 0x12, .out = { 255 }, .n_out = 1 };

	ASSERT_EQ(0, port_del(&self->h, 2)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(300, vsw_port_add(&self->h, DP, "pa1", 300)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, flow_new(&self->h, &to300, false, false)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, flow_new(&self->h, &from300, false, false)) TH_LOG("%s", self->h.msg);
	drain(self->rx_b);
	ASSERT_EQ(0, send_frame(self->tx_a, 0x11, 1));
	EXPECT_EQ(1, recv_frame(self->rx_b, 1)) TH_LOG("not forwarded to port 300");
	drain(self->rx_a);
	ASSERT_EQ(0, send_frame(self->tx_b, 0x22, 2));
	EXPECT_EQ(1, recv_frame(self->rx_a, 2)) TH_LOG("not forwarded from port 300");

	ASSERT_EQ(0, port_del(&self->h, 300)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(255, vsw_port_add(&self->h, DP, "pa1", 255)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, flow_new(&self->h, &to255, false, false)) TH_LOG("%s", self->h.msg);
	drain(self->rx_b);
	ASSERT_EQ(0, send_frame(self->tx_a, 0x12, 3));
	EXPECT_EQ(1, recv_frame(self->rx_b, 3)) TH_LOG("not forwarded to port 255");
	/* port 300 is gone: its flow forwards nothing */
	ASSERT_EQ(0, send_frame(self->tx_a, 0x11, 4));
	EXPECT_EQ(0, recv_frame(self->rx_b, 4));

	ASSERT_EQ(0, port_del(&self->h, 255)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, send_frame(self->tx_a, 0x12, 5));
	EXPECT_EQ(0, recv_frame(self->rx_b, 5)) TH_LOG("forwarded to a deleted port");
}

TEST_F(flow, ping_across)
{
	struct flow_spec ab = { .in_port = 1, .out = { 2 }, .n_out = 1 };
	struct flow_spec ba = { .in_port = 2, .out = { 1 }, .n_out = 1 };
	struct vsw_stats_req p1;

	ASSERT_EQ(0, flow_new(&self->h, &ab, false, false)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, flow_new(&self->h, &ba, false, false));
	EXPECT_EQ(0, vsw_sh("ip netns exec " NS_A " ping -c 3 -i 0.3 -W 2 10.77.0.2 > /dev/null"));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 1, &p1));
	EXPECT_GE(p1.v[VSW_PORT_STATS_ATTR_RX_PACKETS], 3);
	EXPECT_GE(p1.v[VSW_PORT_STATS_ATTR_TX_PACKETS], 3);
}

TEST_F(flow, eexist_replace_clear)
{
	struct flow_spec f = { .in_port = 1, .eth_type = VF_ETH_TEST, .out = { 2 }, .n_out = 1 };
	struct nlmsghdr *nlh;
	struct flow_reply r;

	ASSERT_EQ(0, flow_new(&self->h, &f, false, false));
	EXPECT_EQ(-EEXIST, flow_new(&self->h, &f, false, false));
	EXPECT_NE(NULL, strstr(self->h.msg, "flow already exists"));

	ASSERT_EQ(0, send_frame(self->tx_a, 1, 1));
	EXPECT_EQ(1, recv_frame(self->rx_b, 1));

	/* replace the actions (drop) and keep the stats */
	f.n_out = 0;
	ASSERT_EQ(0, flow_new(&self->h, &f, true, false)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, flow_get(&self->h, VSW_CMD_FLOW_GET, &f, NULL, &r));
	EXPECT_EQ(0, r.out0);
	EXPECT_EQ(1, r.packets);
	drain(self->rx_b);
	ASSERT_EQ(0, send_frame(self->tx_a, 1, 2));
	EXPECT_EQ(0, recv_frame(self->rx_b, 2));

	/* replace again with CLEAR: stats zeroed */
	f.n_out = 1;
	ASSERT_EQ(0, flow_new(&self->h, &f, true, true));
	ASSERT_EQ(0, flow_get(&self->h, VSW_CMD_FLOW_GET, &f, NULL, &r));
	EXPECT_EQ(0, r.packets);
	EXPECT_EQ(2, r.out0);

	/* NLM_F_ECHO returns the flow */
	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_NEW, NLM_F_ECHO);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	f.eth_type = 0x0806;
	put_match(nlh, &f);
	put_outputs(nlh, VSW_FLOW_ATTR_ACTIONS, f.out, 1);
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, flow_reply_cb, &r));
	EXPECT_EQ(1, r.count);
	EXPECT_EQ(2, r.out0);
}

TEST_F(flow, delete_returns_stats_and_ufid_lookup)
{
	static const uint8_t ufid[VSW_UFID_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct flow_spec f = { .in_port = 1, .eth_type = VF_ETH_TEST, .out = { 2 },
			       .n_out = 1, .ufid = ufid };
	struct flow_spec g = { .in_port = 2, .eth_type = VF_ETH_TEST, .out = { 1 },
			       .n_out = 1, .ufid = ufid };
	struct flow_reply r;
	struct vsw_stats_req s;

	ASSERT_EQ(0, flow_new(&self->h, &f, false, false));
	EXPECT_EQ(-EEXIST, flow_new(&self->h, &g, false, false));
	EXPECT_NE(NULL, strstr(self->h.msg, "UFID"));
	ASSERT_EQ(0, send_frame(self->tx_a, 1, 5));
	ASSERT_EQ(1, recv_frame(self->rx_b, 5));
	ASSERT_EQ(0, flow_get(&self->h, VSW_CMD_FLOW_GET, NULL, ufid, &r));
	EXPECT_TRUE(r.has_ufid);
	EXPECT_EQ(1, r.packets);
	ASSERT_EQ(0, flow_get(&self->h, VSW_CMD_FLOW_DEL, NULL, ufid, &r));
	EXPECT_EQ(1, r.packets);
	EXPECT_EQ(VF_TEST_LEN, r.bytes);
	EXPECT_EQ(-ENOENT, flow_get(&self->h, VSW_CMD_FLOW_GET, &f, NULL, &r));
	EXPECT_STREQ("flow not found", self->h.msg);
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &s));
	EXPECT_EQ(0, s.v[VSW_DP_STATS_ATTR_FLOWS]);
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	uint8_t *seen = data;
	struct flow_reply r = {};

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		seen[0] = 0xee;
	flow_reply_cb(nlh, &r);
	if (r.ipv4_dst >= 0x0a000001 && r.ipv4_dst <= 0x0a000001 + 999)
		seen[1 + r.ipv4_dst - 0x0a000001]++;
	return MNL_CB_OK;
}

TEST_F_TIMEOUT(flow, dump_spans_messages_and_sees_each_flow_once, 240)
{
	struct flow_spec f = { .in_port = 1, .eth_type = 0x0800, .out = { 2 }, .n_out = 1 };
	static uint8_t seen[1 + 1000 + 8];
	struct vsw_stats_req s;
	struct nlmsghdr *nlh;
	int i;

	for (i = 0; i < 1000; i++) {
		f.ipv4_dst = 0x0a000001 + i;
		ASSERT_EQ(0, flow_new(&self->h, &f, false, false)) TH_LOG("%d: %s", i, self->h.msg);
	}
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &s));
	EXPECT_EQ(1000, s.v[VSW_DP_STATS_ATTR_FLOWS]);
	EXPECT_EQ(1, s.v[VSW_DP_STATS_ATTR_MASKS]);

	memset(seen, 0, sizeof(seen));
	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_GET, NLM_F_DUMP);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, dump_cb, seen));
	EXPECT_EQ(0, seen[0]);
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(1, seen[1 + i]) TH_LOG("flow %d seen %d times", i, seen[1 + i]);

	/* flush empties the table */
	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_FLUSH, 0);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &s));
	EXPECT_EQ(0, s.v[VSW_DP_STATS_ATTR_FLOWS]);
	EXPECT_EQ(0, s.v[VSW_DP_STATS_ATTR_MASKS]);
}

struct terse_seen {
	int with_ufid, with_ufid_bodies, without_ufid, without_ufid_bodies;
	uint64_t ufid_packets;
};

static int terse_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_FLOW_ATTR_MAX + 1];
	struct terse_seen *t = data;
	struct flow_reply r = {};
	int body;

	vsw_nl_parse(nlh, tb, VSW_FLOW_ATTR_MAX);
	flow_reply_cb(nlh, &r);
	body = !!tb[VSW_FLOW_ATTR_KEY] + !!tb[VSW_FLOW_ATTR_MASK] +
	       !!tb[VSW_FLOW_ATTR_ACTIONS];
	if (tb[VSW_FLOW_ATTR_UFID]) {
		t->with_ufid++;
		t->with_ufid_bodies += body;
		t->ufid_packets += r.packets;
		if (!tb[VSW_FLOW_ATTR_STATS])
			t->with_ufid_bodies += 100;	/* counters are required */
	} else {
		t->without_ufid++;
		t->without_ufid_bodies += body;
	}
	return MNL_CB_OK;
}

static int dump_flows(struct vsw_nl *h, int terse, struct terse_seen *t)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_GET, NLM_F_DUMP);

	memset(t, 0, sizeof(*t));
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	if (terse)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_TERSE, 0, NULL);
	return vsw_nl_talk(h, nlh, terse_cb, t);
}

/* A TERSE dump leaves out KEY, MASK and ACTIONS of flows with a UFID (the
 * revalidator knows them) but keeps their counters, and still sends flows
 * without a UFID in full; TERSE anywhere but in a dump is refused. */
TEST_F(flow, terse_dump_sends_counters_of_flows_with_ufid)
{
	static const uint8_t ufid[VSW_UFID_LEN] = { 7, 7, 7 };
	struct flow_spec f = { .in_port = 1, .eth_type = VF_ETH_TEST, .out = { 2 },
			       .n_out = 1, .ufid = ufid };
	struct flow_spec g = { .in_port = 2, .eth_type = VF_ETH_TEST, .out = { 1 },
			       .n_out = 1 };
	struct terse_seen t;
	struct nlmsghdr *nlh;

	ASSERT_EQ(0, flow_new(&self->h, &f, false, false));
	ASSERT_EQ(0, flow_new(&self->h, &g, false, false));
	ASSERT_EQ(0, send_frame(self->tx_a, 1, 9));
	ASSERT_EQ(1, recv_frame(self->rx_b, 9));

	ASSERT_EQ(0, dump_flows(&self->h, 1, &t));
	EXPECT_EQ(1, t.with_ufid);
	EXPECT_EQ(0, t.with_ufid_bodies);
	EXPECT_EQ(1, t.ufid_packets);
	EXPECT_EQ(1, t.without_ufid);
	EXPECT_EQ(3, t.without_ufid_bodies);

	ASSERT_EQ(0, dump_flows(&self->h, 0, &t));
	EXPECT_EQ(1, t.with_ufid);
	EXPECT_EQ(3, t.with_ufid_bodies);
	EXPECT_EQ(3, t.without_ufid_bodies);

	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_GET, 0);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	mnl_attr_put(nlh, VSW_FLOW_ATTR_UFID, VSW_UFID_LEN, ufid);
	mnl_attr_put(nlh, VSW_FLOW_ATTR_TERSE, 0, NULL);
	EXPECT_EQ(-EINVAL, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	EXPECT_STREQ("TERSE applies to flow dumps only", self->h.msg);
}

static int flow_new_packet(struct vsw_nl *h, const struct flow_spec *f,
			   const uint8_t *frame, size_t len)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_NEW, 0);

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	put_match(nlh, f);
	put_outputs(nlh, VSW_FLOW_ATTR_ACTIONS, f->out, f->n_out);
	mnl_attr_put(nlh, VSW_FLOW_ATTR_PACKET, len, frame);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

/* FLOW_NEW with PACKET installs the flow and sends the packet through its
 * actions; the packet goes out even when the flow exists already; a
 * packet the flow does not match is refused and changes nothing. */
TEST_F(flow, flow_new_with_packet_installs_and_forwards)
{
	struct flow_spec f = { .in_port = 1, .eth_type = VF_ETH_TEST, .src_last = 1,
			       .out = { 2 }, .n_out = 1 };
	uint8_t frame[VF_TEST_LEN];
	struct vsw_stats_req s;
	struct flow_reply r;

	drain(self->rx_b);
	make_frame(frame, 1, 41);
	ASSERT_EQ(0, flow_new_packet(&self->h, &f, frame, sizeof(frame)))
		TH_LOG("%s", self->h.msg);
	EXPECT_EQ(1, recv_frame(self->rx_b, 41));
	ASSERT_EQ(0, flow_get(&self->h, VSW_CMD_FLOW_GET, &f, NULL, &r));
	EXPECT_EQ(2, r.out0);
	EXPECT_EQ(0, r.packets);	/* like PACKET_EXECUTE: not a hit */

	make_frame(frame, 1, 42);
	EXPECT_EQ(-EEXIST, flow_new_packet(&self->h, &f, frame, sizeof(frame)));
	EXPECT_EQ(1, recv_frame(self->rx_b, 42));

	/* a flow for eth_src ...:02 with a frame from ...:05 */
	make_frame(frame, 5, 43);
	f.src_last = 2;
	EXPECT_EQ(-EINVAL, flow_new_packet(&self->h, &f, frame, sizeof(frame)));
	EXPECT_STREQ("PACKET does not match the flow's KEY and MASK", self->h.msg);
	EXPECT_EQ(0, recv_frame(self->rx_b, 43));
	EXPECT_EQ(-ERANGE, flow_new_packet(&self->h, &f, frame, 10)); /* < ETH_HLEN */
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &s));
	EXPECT_EQ(1, s.v[VSW_DP_STATS_ATTR_FLOWS]);

	/* at the flow limit the install fails, the packet still goes out */
	ASSERT_EQ(0, dp_set_u32(&self->h, VSW_DP_ATTR_FLOW_LIMIT, 1));
	make_frame(frame, 2, 44);
	EXPECT_EQ(-E2BIG, flow_new_packet(&self->h, &f, frame, sizeof(frame)));
	EXPECT_EQ(1, recv_frame(self->rx_b, 44));
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &s));
	EXPECT_EQ(1, s.v[VSW_DP_STATS_ATTR_FLOWS]);
}

TEST_F(flow, flow_limit)
{
	struct flow_spec f = { .in_port = 1, .eth_type = 0x0800, .out = { 2 }, .n_out = 1 };
	int i;

	ASSERT_EQ(0, dp_set_u32(&self->h, VSW_DP_ATTR_FLOW_LIMIT, 3));
	for (i = 0; i < 3; i++) {
		f.ipv4_dst = 0x0a000001 + i;
		ASSERT_EQ(0, flow_new(&self->h, &f, false, false));
	}
	f.ipv4_dst = 0x0a0000ff;
	EXPECT_EQ(-E2BIG, flow_new(&self->h, &f, false, false));
	EXPECT_STREQ("vswitch: flow limit reached", self->h.msg);
	/* replacing an existing flow is not a new one */
	f.ipv4_dst = 0x0a000001;
	EXPECT_EQ(0, flow_new(&self->h, &f, true, false));
	/* 5, not 4: with two ports attached, port 1 alone may fill 3/4 of
	 * the table (flow_limit_is_shared_between_ports) */
	ASSERT_EQ(0, dp_set_u32(&self->h, VSW_DP_ATTR_FLOW_LIMIT, 5));
	f.ipv4_dst = 0x0a0000ff;
	EXPECT_EQ(0, flow_new(&self->h, &f, false, false));
}

/* The flow limit is shared: past 3/4 of it, a port holding its share
 * (limit / attached ports) is refused while another port still gets
 * flows up to the hard limit; deleting and flushing give the share back. */
TEST_F(flow, flow_limit_is_shared_between_ports)
{
	struct flow_spec f = { .in_port = 1, .eth_type = 0x0800, .out = { 2 }, .n_out = 1 };
	struct vsw_stats_req s1, s2;
	struct nlmsghdr *nlh;
	struct flow_reply r;
	int i, got = 0;

	ASSERT_EQ(0, dp_set_u32(&self->h, VSW_DP_ATTR_FLOW_LIMIT, 8));
	for (i = 0; i < 8; i++) {	/* port 1 alone: up to 3/4 of 8 */
		f.ipv4_dst = 0x0a000001 + i;
		if (flow_new(&self->h, &f, false, false))
			break;
		got++;
	}
	EXPECT_EQ(6, got);
	EXPECT_STREQ("vswitch: IN_PORT holds its share of the flow limit",
		     self->h.msg);
	f.in_port = 2;
	f.out[0] = 1;
	for (i = 0; i < 2; i++) {
		f.ipv4_dst = 0x0a000101 + i;
		ASSERT_EQ(0, flow_new(&self->h, &f, false, false)) TH_LOG("%s", self->h.msg);
	}
	f.ipv4_dst = 0x0a0001ff;
	EXPECT_EQ(-E2BIG, flow_new(&self->h, &f, false, false));
	EXPECT_STREQ("vswitch: flow limit reached", self->h.msg);
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 1, &s1));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 2, &s2));
	EXPECT_EQ(6, s1.v[VSW_PORT_STATS_ATTR_FLOWS]);
	EXPECT_EQ(2, s2.v[VSW_PORT_STATS_ATTR_FLOWS]);

	/* a deleted flow of port 2 is port 2's to take again */
	f.ipv4_dst = 0x0a000101;
	ASSERT_EQ(0, flow_get(&self->h, VSW_CMD_FLOW_DEL, &f, NULL, &r));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 2, &s2));
	EXPECT_EQ(1, s2.v[VSW_PORT_STATS_ATTR_FLOWS]);
	f.in_port = 1;
	f.out[0] = 2;
	f.ipv4_dst = 0x0a0000ff;
	EXPECT_EQ(-E2BIG, flow_new(&self->h, &f, false, false));
	f.in_port = 2;
	f.out[0] = 1;
	EXPECT_EQ(0, flow_new(&self->h, &f, false, false));

	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_FLUSH, 0);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 1, &s1));
	EXPECT_EQ(0, s1.v[VSW_PORT_STATS_ATTR_FLOWS]);
	f.in_port = 1;
	f.out[0] = 2;
	EXPECT_EQ(0, flow_new(&self->h, &f, false, false));
}

TEST_F(flow, microflow_off_and_on_both_forward)
{
	struct flow_spec f = { .in_port = 1, .eth_type = VF_ETH_TEST, .out = { 2 }, .n_out = 1 };
	struct vsw_stats_req s0, s1;
	int i;

	ASSERT_EQ(0, flow_new(&self->h, &f, false, false));
	ASSERT_EQ(0, dp_set_u32(&self->h, VSW_DP_ATTR_MICROFLOW_SIZE, 0));
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &s0));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, send_frame(self->tx_a, 1, i));
		EXPECT_EQ(1, recv_frame(self->rx_b, i));
	}
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &s1));
	EXPECT_EQ(0, s1.v[VSW_DP_STATS_ATTR_MICROFLOW_HIT] - s0.v[VSW_DP_STATS_ATTR_MICROFLOW_HIT]);
	EXPECT_EQ(5, s1.v[VSW_DP_STATS_ATTR_MEGAFLOW_HIT] - s0.v[VSW_DP_STATS_ATTR_MEGAFLOW_HIT]);
	EXPECT_GE(s1.v[VSW_DP_STATS_ATTR_MASKS_PROBED] - s0.v[VSW_DP_STATS_ATTR_MASKS_PROBED], 5);

	ASSERT_EQ(0, dp_set_u32(&self->h, VSW_DP_ATTR_MICROFLOW_SIZE, 256));
	for (i = 10; i < 30; i++) {
		ASSERT_EQ(0, send_frame(self->tx_a, 1, i));
		EXPECT_EQ(1, recv_frame(self->rx_b, i));
	}
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &s0));
	EXPECT_EQ(20, s0.v[VSW_DP_STATS_ATTR_MICROFLOW_HIT] + s0.v[VSW_DP_STATS_ATTR_MEGAFLOW_HIT]
		  - s1.v[VSW_DP_STATS_ATTR_MICROFLOW_HIT] - s1.v[VSW_DP_STATS_ATTR_MEGAFLOW_HIT]);
	EXPECT_GT(s0.v[VSW_DP_STATS_ATTR_MICROFLOW_HIT], 0);
}

struct miss {
	int got;
	uint8_t cmd;
	uint32_t in_port, key_in_port;
	uint16_t eth_type;
	uint8_t eth_src[6];
	uint8_t pkt[VF_TEST_LEN];
	int pkt_len;
};

static int miss_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PACKET_ATTR_MAX + 1], *kt[VSW_KEY_ATTR_MAX + 1];
	struct miss *m = data;

	vsw_nl_parse(nlh, tb, VSW_PACKET_ATTR_MAX);
	m->got++;
	m->cmd = vsw_nl_cmd(nlh);
	if (tb[VSW_PACKET_ATTR_IN_PORT])
		m->in_port = mnl_attr_get_u32(tb[VSW_PACKET_ATTR_IN_PORT]);
	if (tb[VSW_PACKET_ATTR_KEY]) {
		vsw_nl_parse_nested(tb[VSW_PACKET_ATTR_KEY], kt, VSW_KEY_ATTR_MAX);
		if (kt[VSW_KEY_ATTR_IN_PORT])
			m->key_in_port = mnl_attr_get_u32(kt[VSW_KEY_ATTR_IN_PORT]);
		if (kt[VSW_KEY_ATTR_ETH_TYPE])
			m->eth_type = ntohs(mnl_attr_get_u16(kt[VSW_KEY_ATTR_ETH_TYPE]));
		if (kt[VSW_KEY_ATTR_ETH_SRC])
			memcpy(m->eth_src, mnl_attr_get_payload(kt[VSW_KEY_ATTR_ETH_SRC]), 6);
	}
	if (tb[VSW_PACKET_ATTR_PACKET]) {
		m->pkt_len = mnl_attr_get_payload_len(tb[VSW_PACKET_ATTR_PACKET]);
		memcpy(m->pkt, mnl_attr_get_payload(tb[VSW_PACKET_ATTR_PACKET]),
		       m->pkt_len < VF_TEST_LEN ? m->pkt_len : VF_TEST_LEN);
	}
	return MNL_CB_OK;
}

/* Receives one upcall on @up within 2 s; returns 1 if one arrived. */
static int recv_upcall(struct vsw_nl *up, struct miss *m)
{
	memset(m, 0, sizeof(*m));
	return vsw_nl_recv_until(up, miss_cb, m, &m->got, 2000) > 0;
}

TEST_F(flow, miss_is_upcall_with_key_and_packet)
{
	uint8_t want[VF_TEST_LEN];
	struct vsw_stats_req s;
	struct vsw_nl up;
	struct miss m;

	ASSERT_EQ(0, vsw_nl_open(&up));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&up)));
	ASSERT_EQ(0, send_frame(self->tx_a, 0x33, 77));
	ASSERT_EQ(1, recv_upcall(&up, &m));
	EXPECT_EQ(VSW_CMD_MISS, m.cmd);
	EXPECT_EQ(1, m.in_port);
	EXPECT_EQ(1, m.key_in_port);
	EXPECT_EQ(VF_ETH_TEST, m.eth_type);
	EXPECT_EQ(0x33, m.eth_src[5]);
	EXPECT_EQ(VF_TEST_LEN, m.pkt_len);
	make_frame(want, 0x33, 77);
	EXPECT_EQ(0, memcmp(want, m.pkt, VF_TEST_LEN));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 1, &s));
	EXPECT_EQ(1, s.v[VSW_PORT_STATS_ATTR_UPCALL_SENT]);
	EXPECT_EQ(0, s.v[VSW_PORT_STATS_ATTR_UPCALL_LOST]);
	vsw_nl_close(&up);
}

TEST_F(flow, packet_execute_sends_frame)
{
	uint8_t f[VF_TEST_LEN];

	make_frame(f, 0x44, 999);
	drain(self->rx_b);
	ASSERT_EQ(0, vsw_packet_out(&self->h, DP, 1, f, VF_TEST_LEN, 2))
		TH_LOG("%s", self->h.msg);
	EXPECT_EQ(1, recv_frame(self->rx_b, 999));

	/* to the local port: the host stack sees it on br-f */
	EXPECT_EQ(0, vsw_packet_out(&self->h, DP, 1, f, VF_TEST_LEN,
				    VSW_PORT_LOCAL));
}

/* A packet from userspace whose IN_PORT is not attached still enters
 * through a device (the local port's): a USERSPACE action without PID
 * hashes it to pick the socket, and the flow dissector needs the
 * device's netns (the debug kernel's DEBUG_NET warned, found by
 * test_genl_fuzz). The upcall keeps IN_PORT.
 */
TEST_F(flow, userspace_action_for_a_packet_on_an_unattached_port)
{
	struct nlmsghdr *nlh;
	struct nlattr *acts;
	uint8_t f[VF_TEST_LEN];
	struct vsw_nl up;
	struct miss m;

	ASSERT_EQ(0, vsw_nl_open(&up));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&up)));
	make_frame(f, 0x45, 1001);
	nlh = vsw_nl_req(&self->h, VSW_CMD_PACKET_EXECUTE, 0);
	mnl_attr_put_strz(nlh, VSW_PACKET_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PACKET_ATTR_IN_PORT, 77);
	mnl_attr_put(nlh, VSW_PACKET_ATTR_PACKET, VF_TEST_LEN, f);
	acts = mnl_attr_nest_start(nlh, VSW_PACKET_ATTR_ACTIONS);
	mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, VSW_ACTION_ATTR_USERSPACE));
	mnl_attr_nest_end(nlh, acts);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(1, recv_upcall(&up, &m));
	EXPECT_EQ(VSW_CMD_ACTION, m.cmd);
	EXPECT_EQ(77, m.in_port);
	EXPECT_EQ(0x45, m.eth_src[5]);
	vsw_nl_close(&up);
}

/* Port 1 floods new flows; its bucket (burst 5, 1/s) refuses most of
 * them; port 2's misses still reach userspace. */
/* A UDP/IPv4 frame 10.77.0.1:@sport -> 10.77.0.2:9 (checksums are not
 * checked on this path). */
static int send_udp(int fd, uint16_t sport)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 0xb0, 2, 0, 0, 0, 0, 1 };
	uint8_t f[14 + 20 + 8 + 18] = { 0 };
	uint16_t v;

	memcpy(f, mac, 12);
	f[12] = 0x08;
	f[14] = 0x45;			/* IPv4, 20-byte header */
	v = htons(sizeof(f) - 14);
	memcpy(f + 16, &v, 2);
	f[22] = 64;			/* TTL */
	f[23] = 17;			/* UDP */
	f[26] = 10; f[27] = 77; f[29] = 1;
	f[30] = 10; f[31] = 77; f[33] = 2;
	v = htons(sport);
	memcpy(f + 34, &v, 2);
	v = htons(9);
	memcpy(f + 36, &v, 2);
	v = htons(8 + 18);
	memcpy(f + 38, &v, 2);
	return send(fd, f, sizeof(f), 0) == sizeof(f) ? 0 : -errno;
}

static int sport_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PACKET_ATTR_MAX + 1], *kt[VSW_KEY_ATTR_MAX + 1];
	int *sport = data;

	vsw_nl_parse(nlh, tb, VSW_PACKET_ATTR_MAX);
	if (!tb[VSW_PACKET_ATTR_KEY])
		return MNL_CB_OK;
	vsw_nl_parse_nested(tb[VSW_PACKET_ATTR_KEY], kt, VSW_KEY_ATTR_MAX);
	if (kt[VSW_KEY_ATTR_TP_SRC])
		*sport = ntohs(mnl_attr_get_u16(kt[VSW_KEY_ATTR_TP_SRC]));
	return MNL_CB_OK;
}

/* Drains the upcalls of @n sockets; which[sport - 2000] = socket + 1. */
static int collect_by_socket(struct vsw_nl *up, int n, uint8_t *which,
			     int *dup)
{
	int got = 0;

	for (;;) {
		struct pollfd p[2];
		int i, ready;

		for (i = 0; i < n; i++) {
			p[i].fd = vsw_nl_fd(&up[i]);
			p[i].events = POLLIN;
		}
		ready = poll(p, n, 1000);
		if (ready <= 0)
			return got;
		for (i = 0; i < n; i++) {
			int sport = -1, len;

			if (!(p[i].revents & POLLIN))
				continue;
			len = mnl_socket_recvfrom(up[i].sock.nl, up[i].buf, sizeof(up[i].buf));
			if (len <= 0)
				continue;
			mnl_cb_run(up[i].buf, len, 0, 0, sport_cb, &sport);
			if (sport < 2000 || sport >= 2064)
				continue;
			if (which[sport - 2000])
				(*dup)++;
			which[sport - 2000] = i + 1;
			got++;
		}
	}
}

/* Misses are spread over the upcall sockets by flow, not by CPU: 64 new
 * flows sent from one CPU reach both sockets, and a flow's second miss
 * goes where its first went (no reordering of one flow's setup). */
TEST_F(flow, misses_spread_over_upcall_sockets_by_flow)
{
	uint8_t first[64] = { 0 }, second[64] = { 0 };
	struct vsw_nl up[2];
	struct nlmsghdr *nlh;
	uint32_t pids[2];
	int i, dup = 0, on1 = 0;

	ASSERT_EQ(0, vsw_nl_open(&up[0]));
	ASSERT_EQ(0, vsw_nl_open(&up[1]));
	pids[0] = vsw_nl_portid(&up[0]);
	pids[1] = vsw_nl_portid(&up[1]);
	nlh = vsw_nl_req(&self->h, VSW_CMD_DP_SET, 0);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, DP);
	mnl_attr_put(nlh, VSW_DP_ATTR_UPCALL_PIDS, sizeof(pids), pids);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));

	for (i = 0; i < 64; i++)
		ASSERT_EQ(0, send_udp(self->tx_a, 2000 + i));
	EXPECT_EQ(64, collect_by_socket(up, 2, first, &dup));
	for (i = 0; i < 64; i++)
		ASSERT_EQ(0, send_udp(self->tx_a, 2000 + i));
	EXPECT_EQ(64, collect_by_socket(up, 2, second, &dup));
	EXPECT_EQ(0, dup);
	for (i = 0; i < 64; i++) {
		EXPECT_EQ(first[i], second[i]) TH_LOG("flow %d changed socket", i);
		on1 += first[i] == 1;
	}
	EXPECT_GT(on1, 0);
	EXPECT_LT(on1, 64);
	vsw_nl_close(&up[0]);
	vsw_nl_close(&up[1]);
}

TEST_F(flow, upcall_rate_limit_protects_other_ports)
{
	struct vsw_stats_req s1, s2;
	struct nlmsghdr *nlh;
	struct vsw_nl up;
	struct miss m;
	int i, from2 = 0;

	ASSERT_EQ(0, vsw_nl_open(&up));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&up)));
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_SET, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, 1);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_UPCALL_RATE, 1);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_UPCALL_BURST, 5);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));

	for (i = 0; i < 200; i++)
		ASSERT_EQ(0, send_frame(self->tx_a, (uint8_t)i, i));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, send_frame(self->tx_b, 0xf0 + i, 1000 + i));

	while (recv_upcall(&up, &m))
		if (m.in_port == 2)
			from2++;
	EXPECT_EQ(3, from2);

	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 1, &s1));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 2, &s2));
	EXPECT_EQ(200, s1.v[VSW_PORT_STATS_ATTR_RX_PACKETS]);
	EXPECT_LE(s1.v[VSW_PORT_STATS_ATTR_UPCALL_SENT], 5 + 10);
	EXPECT_GE(s1.v[VSW_PORT_STATS_ATTR_UPCALL_LIMITED], 200 - 5 - 10);
	EXPECT_EQ(200, s1.v[VSW_PORT_STATS_ATTR_UPCALL_SENT] +
		       s1.v[VSW_PORT_STATS_ATTR_UPCALL_LIMITED] +
		       s1.v[VSW_PORT_STATS_ATTR_UPCALL_LOST]);
	EXPECT_EQ(3, s2.v[VSW_PORT_STATS_ATTR_UPCALL_SENT]);
	EXPECT_EQ(0, s2.v[VSW_PORT_STATS_ATTR_UPCALL_LIMITED]);
	vsw_nl_close(&up);
}

/* With an unlimited bucket (rate 0) only the congestion fair share can
 * refuse a miss: fill a tiny upcall socket that nobody reads, flood from
 * port 1, and the fair share must start refusing (LIMITED) while the
 * full socket counts the rest as LOST. */
TEST_F_TIMEOUT(flow, congestion_fair_share_limits_flooding_port, 120)
{
	int rcvbuf = 4096, i;
	struct vsw_stats_req s1, d;
	struct nlmsghdr *nlh;
	struct vsw_nl up;

	ASSERT_EQ(0, vsw_nl_open(&up));
	ASSERT_EQ(0, setsockopt(vsw_nl_fd(&up), SOL_SOCKET, SO_RCVBUF,
				&rcvbuf, sizeof(rcvbuf)));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&up)));
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_SET, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, 1);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_UPCALL_RATE, 0);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));

	for (i = 0; i < 300; i++)
		ASSERT_EQ(0, send_frame(self->tx_a, (uint8_t)i, i));
	usleep(300 * 1000);

	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 1, &s1));
	EXPECT_EQ(300, s1.v[VSW_PORT_STATS_ATTR_RX_PACKETS]);
	EXPECT_GT(s1.v[VSW_PORT_STATS_ATTR_UPCALL_SENT], 0);
	EXPECT_GT(s1.v[VSW_PORT_STATS_ATTR_UPCALL_LOST], 0);
	EXPECT_GT(s1.v[VSW_PORT_STATS_ATTR_UPCALL_LIMITED], 0);
	EXPECT_EQ(300, s1.v[VSW_PORT_STATS_ATTR_UPCALL_SENT] +
		       s1.v[VSW_PORT_STATS_ATTR_UPCALL_LIMITED] +
		       s1.v[VSW_PORT_STATS_ATTR_UPCALL_LOST]);
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &d));
	EXPECT_EQ(s1.v[VSW_PORT_STATS_ATTR_UPCALL_LIMITED] +
		  s1.v[VSW_PORT_STATS_ATTR_UPCALL_LOST], d.v[VSW_DP_STATS_ATTR_LOST]);
	vsw_nl_close(&up);
}

/* A port with an upcall socket of its own (PORT_SET UPCALL_PID) sends its
 * misses there only: flooding it fills that socket alone (LOST, and no
 * fair-share refusals: a full port socket is no congestion of the shared
 * ones), while the other port's misses still reach the shared socket. */
TEST_F_TIMEOUT(flow, port_with_own_upcall_socket_floods_only_it, 120)
{
	int rcvbuf = 4096, i, from1 = 0, from2 = 0, other = 0;
	struct vsw_stats_req s1, s2;
	struct vsw_nl shared, own;
	struct nlmsghdr *nlh;
	struct miss m;

	ASSERT_EQ(0, vsw_nl_open(&shared));
	ASSERT_EQ(0, vsw_nl_open(&own));
	ASSERT_EQ(0, setsockopt(vsw_nl_fd(&own), SOL_SOCKET, SO_RCVBUF,
				&rcvbuf, sizeof(rcvbuf)));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&shared)));
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_SET, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, 1);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_UPCALL_RATE, 0);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_UPCALL_PID, vsw_nl_portid(&own));
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL)) TH_LOG("%s", self->h.msg);

	for (i = 0; i < 300; i++)
		ASSERT_EQ(0, send_frame(self->tx_a, (uint8_t)i, i));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, send_frame(self->tx_b, 0xf0 + i, 1000 + i));
	while (recv_upcall(&shared, &m)) {
		from2 += m.in_port == 2;
		other += m.in_port != 2;
	}
	EXPECT_EQ(3, from2);
	EXPECT_EQ(0, other);
	/* the overrun socket first reports ENOBUFS, then its messages */
	for (i = 0; i < 2; i++)
		while (recv_upcall(&own, &m))
			from1 += m.in_port == 1;

	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 1, &s1));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 2, &s2));
	EXPECT_EQ(from1, s1.v[VSW_PORT_STATS_ATTR_UPCALL_SENT]);
	EXPECT_GT(from1, 0);
	EXPECT_GT(s1.v[VSW_PORT_STATS_ATTR_UPCALL_LOST], 0);
	EXPECT_EQ(0, s1.v[VSW_PORT_STATS_ATTR_UPCALL_LIMITED]);
	EXPECT_EQ(300, s1.v[VSW_PORT_STATS_ATTR_UPCALL_SENT] +
		       s1.v[VSW_PORT_STATS_ATTR_UPCALL_LOST]);
	EXPECT_EQ(3, s2.v[VSW_PORT_STATS_ATTR_UPCALL_SENT]);
	EXPECT_EQ(0, s2.v[VSW_PORT_STATS_ATTR_UPCALL_LIMITED]);
	EXPECT_EQ(0, s2.v[VSW_PORT_STATS_ATTR_UPCALL_LOST]);
	vsw_nl_close(&shared);
	vsw_nl_close(&own);
}

/* The host stack sits on the switch through the local port: what it
 * sends on br-f enters as VSW_PORT_LOCAL, output to it reaches the host. */
TEST_F(flow, host_stack_through_local_port)
{
	struct flow_spec in = { .in_port = 1, .out = { VSW_PORT_LOCAL }, .n_out = 1 };
	struct flow_spec out = { .in_port = VSW_PORT_LOCAL, .out = { 1 }, .n_out = 1 };
	struct vsw_stats_req l;

	ASSERT_EQ(0, flow_new(&self->h, &in, false, false)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, flow_new(&self->h, &out, false, false)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, vsw_sh("ip addr add 10.77.0.9/24 dev " DP " && ip link set " DP " up"));
	EXPECT_EQ(0, vsw_sh("ip netns exec " NS_A " ping -c 3 -i 0.3 -W 2 10.77.0.9 > /dev/null"));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, VSW_PORT_LOCAL, &l));
	EXPECT_GE(l.v[VSW_PORT_STATS_ATTR_RX_PACKETS], 3);
	EXPECT_GE(l.v[VSW_PORT_STATS_ATTR_TX_PACKETS], 3);
}

VSW_HARNESS_MAIN
