// SPDX-License-Identifier: GPL-2.0
/*
 * Patch ports (VSW_PORT_TYPE_PATCH): an OUTPUT to one enters the peer's
 * datapath with a fresh key whose IN_PORT is the peer's; bad PORT_NEW
 * attributes are refused with a message; a patch without a joined peer
 * drops and counts; a loop of patch ports ends at VSW_MAX_RECIRC passes,
 * counted; deleting the peer datapath or port while packets cross is
 * safe (run under KASAN and lockdep by make check-debug).
 *
 *   br-pa                              br-pb
 *   LOCAL -- [ a1 (PATCH, peer b1) ]==[ b1 (PATCH, peer a1) ]
 *
 * Frames enter br-pa by PACKET_EXECUTE; what reaches br-pb is seen as its
 * upcalls (a miss, or a USERSPACE action).
 */
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"

#define DPA "br-pa"
#define DPB "br-pb"
#define ETH_TEST 0x88b5
#define FRAME_LEN 60
#define LOCAL VSW_PORT_LOCAL
#define A1 7			/* port numbers of the two ends */
#define B1 9

FIXTURE(patch) {
	struct vsw_nl h;
	struct vsw_nl up;	/* both datapaths' upcalls */
};

FIXTURE_SETUP(patch)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h));
	ASSERT_EQ(0, vsw_nl_open(&self->up));
	ASSERT_EQ(0, vsw_dp_add(&self->h, DPA)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, vsw_dp_add(&self->h, DPB)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DPA, vsw_nl_portid(&self->up)));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DPB, vsw_nl_portid(&self->up)));
}

FIXTURE_TEARDOWN(patch)
{
	vsw_nl_close(&self->up);
	vsw_nl_close(&self->h);
}

/* PORT_NEW of patch port @name on @dp naming @peer; @port_no 0 = any.
 * Returns the port number or -errno (h->msg, h->off).
 */
static int patch_add(struct vsw_nl *h, const char *dp, const char *name,
		     const char *peer, uint32_t port_no)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_NEW, 0);
	uint32_t got = 0;
	int ret;

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, dp);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_TYPE, VSW_PORT_TYPE_PATCH);
	if (name)
		mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, name);
	if (peer)
		mnl_attr_put_strz(nlh, VSW_PORT_ATTR_PEER, peer);
	if (port_no)
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	ret = vsw_nl_talk(h, nlh, vsw_port_no_cb, &got);
	return ret ? ret : (int)got;
}

static int port_del(struct vsw_nl *h, const char *dp, uint32_t port_no)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_DEL, 0);

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, dp);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

/* Both ends, joined. */
static int join(struct vsw_nl *h)
{
	if (patch_add(h, DPA, "a1", "b1", A1) != A1)
		return -1;
	return patch_add(h, DPB, "b1", "a1", B1) == B1 ? 0 : -1;
}

static void put_actions(struct nlmsghdr *nlh, int type, uint16_t act,
			uint32_t arg)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);
	struct nlattr *u;

	if (act == VSW_ACTION_ATTR_USERSPACE) {
		u = mnl_attr_nest_start(nlh, act);
		mnl_attr_put_u64(nlh, VSW_USERSPACE_ATTR_COOKIE, arg);
		mnl_attr_nest_end(nlh, u);
	} else if (act) {
		mnl_attr_put_u32(nlh, act, arg);
	}
	mnl_attr_nest_end(nlh, n);
}

/* A flow on @dp matching @in_port (and @recirc_id) whose one action is
 * @act (@arg: its port, id or cookie).
 */
static int flow_add(struct vsw_nl *h, const char *dp, uint32_t in_port,
		    uint32_t recirc_id, uint16_t act, uint32_t arg)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_NEW, 0);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, dp);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, in_port);
	if (recirc_id)
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_RECIRC_ID, recirc_id);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	mnl_attr_nest_end(nlh, n);
	put_actions(nlh, VSW_FLOW_ATTR_ACTIONS, act, arg);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

/* Runs one action (@act, @arg) on a test frame entering @dp's LOCAL. */
static int execute(struct vsw_nl *h, const char *dp, uint16_t act,
		   uint32_t arg)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PACKET_EXECUTE, 0);
	uint8_t frame[FRAME_LEN] = { 2, 0, 0, 0, 0, 0xb0, 2, 0, 0, 0, 0, 0xa0 };
	uint16_t type = htons(ETH_TEST);

	memcpy(frame + 12, &type, 2);
	mnl_attr_put_strz(nlh, VSW_PACKET_ATTR_DP_NAME, dp);
	mnl_attr_put_u32(nlh, VSW_PACKET_ATTR_IN_PORT, LOCAL);
	mnl_attr_put(nlh, VSW_PACKET_ATTR_PACKET, FRAME_LEN, frame);
	put_actions(nlh, VSW_PACKET_ATTR_ACTIONS, act, arg);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

struct upcall {
	int got;
	uint8_t cmd;
	char dp[16];
	uint64_t cookie;
	uint32_t in_port;
	int has_recirc, has_tunnel;
};

static int upcall_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PACKET_ATTR_MAX + 1];
	const struct nlattr *kt[VSW_KEY_ATTR_MAX + 1];
	struct upcall *u = data;

	vsw_nl_parse(nlh, tb, VSW_PACKET_ATTR_MAX);
	u->got++;
	u->cmd = vsw_nl_cmd(nlh);
	if (tb[VSW_PACKET_ATTR_DP_NAME])
		snprintf(u->dp, sizeof(u->dp), "%s",
			 mnl_attr_get_str(tb[VSW_PACKET_ATTR_DP_NAME]));
	if (tb[VSW_PACKET_ATTR_COOKIE])
		u->cookie = mnl_attr_get_u64(tb[VSW_PACKET_ATTR_COOKIE]);
	if (tb[VSW_PACKET_ATTR_KEY]) {
		vsw_nl_parse_nested(tb[VSW_PACKET_ATTR_KEY], kt, VSW_KEY_ATTR_MAX);
		if (kt[VSW_KEY_ATTR_IN_PORT])
			u->in_port = mnl_attr_get_u32(kt[VSW_KEY_ATTR_IN_PORT]);
		u->has_recirc = kt[VSW_KEY_ATTR_RECIRC_ID] &&
				mnl_attr_get_u32(kt[VSW_KEY_ATTR_RECIRC_ID]);
		u->has_tunnel = !!kt[VSW_KEY_ATTR_TUNNEL];
	}
	return MNL_CB_OK;
}

/* One upcall within @ms; returns 1 if one arrived. */
static int recv_upcall(struct vsw_nl *up, struct upcall *u, int ms)
{
	struct pollfd p = { .fd = vsw_nl_fd(up), .events = POLLIN };
	int n;

	memset(u, 0, sizeof(*u));
	if (poll(&p, 1, ms) != 1)
		return 0;
	n = mnl_socket_recvfrom(up->sock.nl, up->buf, sizeof(up->buf));
	if (n <= 0)
		return 0;
	mnl_cb_run(up->buf, n, 0, 0, (mnl_cb_t)upcall_cb, u);
	return u->got;
}

/* The last request's extack message contains @text. */
#define EXPECT_MSG(text) \
	EXPECT_NE(NULL, strstr(self->h.msg, text)) TH_LOG("message: %s", self->h.msg)

static uint64_t port_stat(struct vsw_nl *h, const char *dp, uint32_t port,
			  int attr)
{
	struct vsw_stats_req s;

	if (vsw_port_stats(h, dp, port, &s))
		return ~0ULL;
	return s.v[attr];
}

static uint64_t dp_stat(struct vsw_nl *h, const char *dp, int attr)
{
	struct vsw_stats_req s;

	if (vsw_dp_stats(h, dp, &s))
		return ~0ULL;
	return s.v[attr];
}

/* The packet reaches br-pa's flow through a RECIRC, so its key there has
 * a RECIRC_ID; in br-pb it misses as a fresh packet of port b1.
 */
TEST_F(patch, crossing_delivers_with_the_peers_in_port)
{
	struct upcall u;

	ASSERT_EQ(0, join(&self->h)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, flow_add(&self->h, DPA, LOCAL, 5, VSW_ACTION_ATTR_OUTPUT, A1))
		TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, execute(&self->h, DPA, VSW_ACTION_ATTR_RECIRC, 5))
		TH_LOG("%s", self->h.msg);
	ASSERT_EQ(1, recv_upcall(&self->up, &u, 2000));
	EXPECT_EQ(VSW_CMD_MISS, u.cmd);
	EXPECT_STREQ(DPB, u.dp);
	EXPECT_EQ(B1, u.in_port);
	EXPECT_EQ(0, u.has_recirc);
	EXPECT_EQ(0, u.has_tunnel);
	EXPECT_EQ(1, port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_PACKETS));
	EXPECT_EQ(FRAME_LEN, port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_BYTES));
	EXPECT_EQ(1, port_stat(&self->h, DPB, B1, VSW_PORT_STATS_ATTR_RX_PACKETS));
	EXPECT_EQ(1, port_stat(&self->h, DPB, B1, VSW_PORT_STATS_ATTR_UPCALL_SENT));
	EXPECT_EQ(1, dp_stat(&self->h, DPB, VSW_DP_STATS_ATTR_MISSED));

	/* with a flow in br-pb the crossing makes no upcall of a miss */
	ASSERT_EQ(0, flow_add(&self->h, DPB, B1, 0, VSW_ACTION_ATTR_USERSPACE, 0xb1));
	ASSERT_EQ(0, execute(&self->h, DPA, VSW_ACTION_ATTR_OUTPUT, A1));
	ASSERT_EQ(1, recv_upcall(&self->up, &u, 2000));
	EXPECT_EQ(VSW_CMD_ACTION, u.cmd);
	EXPECT_EQ(0xb1, u.cookie);
	EXPECT_EQ(B1, u.in_port);
	EXPECT_EQ(1, dp_stat(&self->h, DPB, VSW_DP_STATS_ATTR_MISSED));
	EXPECT_EQ(0, dp_stat(&self->h, DPA, VSW_DP_STATS_ATTR_MISSED));
	EXPECT_EQ(0, port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_DROPPED));
}

struct port_info {
	uint32_t type, ifindex_present;
	char name[16], peer[16];
};

static int port_info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PORT_ATTR_MAX + 1];
	struct port_info *p = data;

	vsw_nl_parse(nlh, tb, VSW_PORT_ATTR_MAX);
	if (tb[VSW_PORT_ATTR_TYPE])
		p->type = mnl_attr_get_u32(tb[VSW_PORT_ATTR_TYPE]);
	p->ifindex_present = !!tb[VSW_PORT_ATTR_IFINDEX];
	if (tb[VSW_PORT_ATTR_IFNAME])
		snprintf(p->name, sizeof(p->name), "%s",
			 mnl_attr_get_str(tb[VSW_PORT_ATTR_IFNAME]));
	if (tb[VSW_PORT_ATTR_PEER])
		snprintf(p->peer, sizeof(p->peer), "%s",
			 mnl_attr_get_str(tb[VSW_PORT_ATTR_PEER]));
	return MNL_CB_OK;
}

TEST_F(patch, get_by_name_and_delete_by_name)
{
	struct port_info p = { 0 };
	struct nlmsghdr *nlh;

	ASSERT_EQ(0, join(&self->h));
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_GET, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DPA);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, "a1");
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, port_info_cb, &p));
	EXPECT_EQ(VSW_PORT_TYPE_PATCH, p.type);
	EXPECT_EQ(0, p.ifindex_present);
	EXPECT_STREQ("a1", p.name);
	EXPECT_STREQ("b1", p.peer);
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_DEL, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DPA);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, "a1");
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL)) TH_LOG("%s", self->h.msg);
	/* the name is free again in the namespace */
	EXPECT_EQ(A1, patch_add(&self->h, DPA, "a1", "b1", A1)) TH_LOG("%s", self->h.msg);
}

TEST_F(patch, bad_port_new_is_refused_with_a_message)
{
	struct nlmsghdr *nlh;

	EXPECT_EQ(-EINVAL, patch_add(&self->h, DPA, "a1", NULL, 0));
	EXPECT_MSG("missing attribute VSW_PORT_ATTR_PEER");
	EXPECT_EQ(-EINVAL, patch_add(&self->h, DPA, NULL, "b1", 0));
	EXPECT_MSG("missing attribute VSW_PORT_ATTR_IFNAME");
	EXPECT_EQ(-EINVAL, patch_add(&self->h, DPA, "a1", "a1", 0));
	EXPECT_MSG("a patch port cannot be its own peer (PEER equals IFNAME)");

	/* PEER without TYPE PATCH; a TYPE other than PATCH */
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DPA);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, "lo");
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_PEER, "b1");
	EXPECT_EQ(-EINVAL, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	EXPECT_MSG("PEER is only for a patch port (TYPE PATCH)");
	EXPECT_NE(0, self->h.off);
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DPA);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_TYPE, VSW_PORT_TYPE_NETDEV);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, "x1");
	EXPECT_EQ(-EINVAL, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	EXPECT_MSG("TYPE PATCH only");
	EXPECT_NE(0, self->h.off);
	/* a patch port has no netdev to name by index */
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DPA);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_TYPE, VSW_PORT_TYPE_PATCH);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, "a1");
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_PEER, "b1");
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_IFINDEX, 1);
	EXPECT_EQ(-EINVAL, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	EXPECT_MSG("a patch port has no netdev: IFINDEX refused");
	/* a name longer than IFNAMSIZ - 1: the policy */
	EXPECT_GT(0, patch_add(&self->h, DPA, "a1", "a-very-long-peer-name", 0));
	EXPECT_NE(0, self->h.off);

	/* name clashes: in the namespace, on the datapath, port numbers */
	ASSERT_EQ(A1, patch_add(&self->h, DPA, "a1", "b1", A1)) TH_LOG("%s", self->h.msg);
	EXPECT_EQ(-EEXIST, patch_add(&self->h, DPB, "a1", "b1", 0));
	EXPECT_MSG("a patch port of this name exists in this namespace");
	EXPECT_EQ(-EEXIST, patch_add(&self->h, DPA, DPA, "b1", 0));
	EXPECT_MSG("the datapath has a port of this name");
	EXPECT_EQ(-EEXIST, patch_add(&self->h, DPA, "a2", "b2", A1));
	EXPECT_MSG("port number already in use");
	EXPECT_EQ(-ENODEV, patch_add(&self->h, "br-none", "a3", "b3", 0));
	/* nothing of the refused requests was left behind */
	EXPECT_EQ(B1, patch_add(&self->h, DPB, "b1", "a1", B1)) TH_LOG("%s", self->h.msg);
}

/* No peer, then a peer that names another port: dropped, counted in
 * TX_DROPPED, nothing reaches br-pb; once joined, packets cross.
 */
TEST_F(patch, missing_peer_drops_and_counts)
{
	struct upcall u;

	ASSERT_EQ(A1, patch_add(&self->h, DPA, "a1", "b1", A1));
	ASSERT_EQ(0, execute(&self->h, DPA, VSW_ACTION_ATTR_OUTPUT, A1));
	EXPECT_EQ(1, port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_DROPPED));
	ASSERT_EQ(B1, patch_add(&self->h, DPB, "b1", "other", B1));
	ASSERT_EQ(0, execute(&self->h, DPA, VSW_ACTION_ATTR_OUTPUT, A1));
	EXPECT_EQ(2, port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_DROPPED));
	EXPECT_EQ(0, port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_PACKETS));
	EXPECT_EQ(0, port_stat(&self->h, DPB, B1, VSW_PORT_STATS_ATTR_RX_PACKETS));
	EXPECT_EQ(0, recv_upcall(&self->up, &u, 300));

	ASSERT_EQ(0, port_del(&self->h, DPB, B1));
	ASSERT_EQ(B1, patch_add(&self->h, DPB, "b1", "a1", B1));
	ASSERT_EQ(0, execute(&self->h, DPA, VSW_ACTION_ATTR_OUTPUT, A1));
	ASSERT_EQ(1, recv_upcall(&self->up, &u, 2000));
	EXPECT_EQ(B1, u.in_port);
	EXPECT_EQ(1, port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_PACKETS));

	/* deleting the far end parts the patch again */
	ASSERT_EQ(0, vsw_dp_del(&self->h, DPB));
	ASSERT_EQ(0, execute(&self->h, DPA, VSW_ACTION_ATTR_OUTPUT, A1));
	EXPECT_EQ(3, port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_DROPPED));
}

/* br-pa sends what comes from b1 back to it, br-pb likewise: the packet
 * crosses VSW_MAX_RECIRC times, then br-pa (where pass 8 runs) drops it.
 */
TEST_F(patch, loop_of_patch_ports_is_bounded_and_counted)
{
	struct upcall u;

	ASSERT_EQ(0, join(&self->h));
	ASSERT_EQ(0, flow_add(&self->h, DPA, A1, 0, VSW_ACTION_ATTR_OUTPUT, A1));
	ASSERT_EQ(0, flow_add(&self->h, DPB, B1, 0, VSW_ACTION_ATTR_OUTPUT, B1));
	ASSERT_EQ(0, execute(&self->h, DPA, VSW_ACTION_ATTR_OUTPUT, A1));
	EXPECT_EQ(VSW_MAX_RECIRC / 2,
		  port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_PACKETS));
	EXPECT_EQ(VSW_MAX_RECIRC / 2,
		  port_stat(&self->h, DPB, B1, VSW_PORT_STATS_ATTR_TX_PACKETS));
	EXPECT_EQ(1, port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_DROPPED));
	EXPECT_EQ(0, port_stat(&self->h, DPB, B1, VSW_PORT_STATS_ATTR_TX_DROPPED));
	EXPECT_EQ(1, dp_stat(&self->h, DPA, VSW_DP_STATS_ATTR_RECIRC_DROPPED));
	EXPECT_EQ(0, dp_stat(&self->h, DPB, VSW_DP_STATS_ATTR_RECIRC_DROPPED));
	EXPECT_EQ(0, dp_stat(&self->h, DPA, VSW_DP_STATS_ATTR_RECIRC));
	EXPECT_EQ(0, recv_upcall(&self->up, &u, 300));
}

/* Sends packets across a1 until killed, from its own socket. */
static void cross_forever(void)
{
	struct vsw_nl h;

	if (vsw_nl_open(&h))
		_exit(1);
	for (;;)
		execute(&h, DPA, VSW_ACTION_ATTR_OUTPUT, A1);
}

/* Packets cross from another CPU while br-pb's end, then br-pb itself,
 * are deleted and made again; KASAN and lockdep watch in the debug tier.
 */
TEST_F(patch, deleting_the_peer_while_packets_cross)
{
	struct upcall u;
	pid_t child;
	int i, st;

	ASSERT_EQ(0, join(&self->h));
	ASSERT_EQ(0, flow_add(&self->h, DPB, B1, 0, VSW_ACTION_ATTR_OUTPUT, LOCAL));
	child = fork();
	ASSERT_LE(0, child);
	if (!child)
		cross_forever();
	for (i = 0; i < 40; i++) {
		if (i % 2) {
			ASSERT_EQ(0, vsw_dp_del(&self->h, DPB));
			ASSERT_EQ(0, vsw_dp_add(&self->h, DPB));
			ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DPB,
						    vsw_nl_portid(&self->up)));
			ASSERT_EQ(0, flow_add(&self->h, DPB, B1, 0,
					      VSW_ACTION_ATTR_OUTPUT, LOCAL));
		} else {
			ASSERT_EQ(0, port_del(&self->h, DPB, B1));
		}
		ASSERT_EQ(B1, patch_add(&self->h, DPB, "b1", "a1", B1));
		usleep(20000);
	}
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	EXPECT_LT(0, port_stat(&self->h, DPA, A1, VSW_PORT_STATS_ATTR_TX_PACKETS));
	EXPECT_LT(0, port_stat(&self->h, DPB, B1, VSW_PORT_STATS_ATTR_RX_PACKETS));

	/* still joined, and the new br-pb's own misses come up */
	while (recv_upcall(&self->up, &u, 0))
		;
	ASSERT_EQ(0, vsw_dp_del(&self->h, DPB));
	ASSERT_EQ(0, vsw_dp_add(&self->h, DPB));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DPB, vsw_nl_portid(&self->up)));
	ASSERT_EQ(B1, patch_add(&self->h, DPB, "b1", "a1", B1));
	ASSERT_EQ(0, execute(&self->h, DPA, VSW_ACTION_ATTR_OUTPUT, A1));
	ASSERT_EQ(1, recv_upcall(&self->up, &u, 2000));
	EXPECT_STREQ(DPB, u.dp);
	EXPECT_EQ(B1, u.in_port);
}

VSW_HARNESS_MAIN
