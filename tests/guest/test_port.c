// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: attach veths whose peers live in another network namespace;
 * lowest-free and chosen port numbers; devices we must not take are
 * refused with a message naming why (loopback, non-Ethernet, bridge port,
 * openvswitch port, another datapath's port or local port); deleting a
 * device detaches its port and multicasts PORT_DEL; counters count.
 *
 * vsw-timeout: 900
 *
 *   netns "test" (unshared)            netns vswp-peer
 *   [ br-p ]--1-- pa0 <--veth--> pb0
 *          --2-- pa1 <--veth--> pb1
 *          --3-- pa2 <--veth--> pb2
 */
#include <sched.h>
#include <sys/wait.h>
#include <linux/openvswitch.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"

#define DP "br-p"
#define PEER "vswp-peer"

FIXTURE(port) {
	struct vsw_nl h;
};

FIXTURE_SETUP(port)
{
	int i;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h));
	vsw_sh("ip netns del " PEER " 2>/dev/null");
	ASSERT_EQ(0, vsw_sh("ip netns add " PEER));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, vsw_sh("ip link add pa%d type veth peer name pb%d netns " PEER
				    " && ip link set pa%d up && ip -n " PEER " link set pb%d up",
				    i, i, i, i));
	ASSERT_EQ(0, vsw_dp_add(&self->h, DP));
}

FIXTURE_TEARDOWN(port)
{
	vsw_sh("ip netns del " PEER " 2>/dev/null");
	vsw_nl_close(&self->h);
}

static int port_del(struct vsw_nl *h, uint32_t port_no, const char *ifname)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_DEL, 0);

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	if (port_no)
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	if (ifname)
		mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, ifname);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

TEST_F(port, numbers_lowest_free_and_chosen)
{
	EXPECT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 0)) TH_LOG("%s", self->h.msg);
	EXPECT_EQ(2, vsw_port_add(&self->h, DP, "pa1", 0));
	EXPECT_EQ(0, port_del(&self->h, 1, NULL));
	EXPECT_EQ(1, vsw_port_add(&self->h, DP, "pa2", 0));
	EXPECT_EQ(0, port_del(&self->h, 0, "pa2"));
	EXPECT_EQ(65279, vsw_port_add(&self->h, DP, "pa2", 65279));
	EXPECT_EQ(0, port_del(&self->h, 65279, NULL));
	EXPECT_EQ(100, vsw_port_add(&self->h, DP, "pa0", 100));
	EXPECT_EQ(-EEXIST, vsw_port_add(&self->h, DP, "pa2", 2));
	EXPECT_STREQ("vswitch: port number already in use", self->h.msg);
	/* a failed attach leaves the device free; 1 is the lowest free */
	EXPECT_EQ(1, vsw_port_add(&self->h, DP, "pa2", 0));
	EXPECT_EQ(-ENODEV, port_del(&self->h, 5, NULL));
	EXPECT_EQ(-EINVAL, port_del(&self->h, VSW_PORT_LOCAL, NULL));
	EXPECT_NE(NULL, strstr(self->h.msg, "local port"));
}

TEST_F(port, promiscuous_while_attached)
{
	EXPECT_EQ(0, vsw_promiscuity("pa0"));
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 0));
	EXPECT_EQ(1, vsw_promiscuity("pa0"));
	ASSERT_EQ(0, port_del(&self->h, 1, NULL));
	EXPECT_EQ(0, vsw_promiscuity("pa0"));
}

TEST_F(port, by_ifindex)
{
	struct nlmsghdr *nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_NEW, 0);
	uint32_t got = 0;

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_IFINDEX, if_nametoindex("pa1"));
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, vsw_port_no_cb, &got));
	EXPECT_EQ(1, got);

	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_IFINDEX, 99999);
	EXPECT_EQ(-ENODEV, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	EXPECT_STREQ("no such network device", self->h.msg);
	EXPECT_NE(0, self->h.off);
}

struct port_list {
	int n;
	uint32_t no[8], type[8], ifindex[8];
	char name[8][IFNAMSIZ];
};

static int port_list_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PORT_ATTR_MAX + 1];
	struct port_list *l = data;

	vsw_nl_parse(nlh, tb, VSW_PORT_ATTR_MAX);
	if (l->n >= 8 || !tb[VSW_PORT_ATTR_PORT_NO])
		return MNL_CB_OK;
	l->no[l->n] = mnl_attr_get_u32(tb[VSW_PORT_ATTR_PORT_NO]);
	l->type[l->n] = tb[VSW_PORT_ATTR_TYPE] ? mnl_attr_get_u32(tb[VSW_PORT_ATTR_TYPE]) : 0;
	l->ifindex[l->n] = tb[VSW_PORT_ATTR_IFINDEX] ? mnl_attr_get_u32(tb[VSW_PORT_ATTR_IFINDEX]) : 0;
	if (tb[VSW_PORT_ATTR_IFNAME])
		snprintf(l->name[l->n], IFNAMSIZ, "%s",
			 mnl_attr_get_str(tb[VSW_PORT_ATTR_IFNAME]));
	l->n++;
	return MNL_CB_OK;
}

TEST_F(port, dump_lists_local_and_attached)
{
	struct port_list l = {};
	struct nlmsghdr *nlh;

	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 0));
	ASSERT_EQ(7, vsw_port_add(&self->h, DP, "pa1", 7));
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_GET, NLM_F_DUMP);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, port_list_cb, &l));
	ASSERT_EQ(3, l.n);
	EXPECT_EQ(1, l.no[0]);
	EXPECT_STREQ("pa0", l.name[0]);
	EXPECT_EQ(VSW_PORT_TYPE_NETDEV, l.type[0]);
	EXPECT_EQ(if_nametoindex("pa0"), l.ifindex[0]);
	EXPECT_EQ(7, l.no[1]);
	EXPECT_EQ(VSW_PORT_LOCAL, l.no[2]);
	EXPECT_STREQ(DP, l.name[2]);
	EXPECT_EQ(VSW_PORT_TYPE_INTERNAL, l.type[2]);

	/* a dump needs its datapath */
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_GET, NLM_F_DUMP);
	EXPECT_EQ(-EINVAL, vsw_nl_talk(&self->h, nlh, NULL, NULL));
}

TEST_F(port, refuse_loopback)
{
	EXPECT_EQ(-EINVAL, vsw_port_add(&self->h, DP, "lo", 0));
	EXPECT_STREQ("vswitch: cannot attach a loopback device", self->h.msg);
}

TEST_F(port, refuse_non_ethernet)
{
	ASSERT_EQ(0, vsw_sh("ip tuntap add tun-l3 mode tun"));
	EXPECT_EQ(-EINVAL, vsw_port_add(&self->h, DP, "tun-l3", 0));
	EXPECT_STREQ("vswitch: device is not an Ethernet device", self->h.msg);
	/* a tap (Ethernet) is fine */
	ASSERT_EQ(0, vsw_sh("ip tuntap add tap-l2 mode tap"));
	EXPECT_EQ(1, vsw_port_add(&self->h, DP, "tap-l2", 0));
}

TEST_F(port, refuse_bridge_port)
{
	ASSERT_EQ(0, vsw_sh("ip link add brx type bridge && ip link set pa0 master brx"));
	EXPECT_EQ(-EBUSY, vsw_port_add(&self->h, DP, "pa0", 0));
	EXPECT_STREQ("vswitch: device is a bridge port", self->h.msg);
	/* the bridge itself is an Ethernet device and may be attached */
	EXPECT_EQ(1, vsw_port_add(&self->h, DP, "brx", 0)) TH_LOG("%s", self->h.msg);
}

TEST_F(port, bridge_cannot_take_our_port)
{
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 0));
	ASSERT_EQ(0, vsw_sh("ip link add bry type bridge"));
	EXPECT_NE(0, vsw_sh("ip link set pa0 master bry 2>/dev/null"));
}

static struct nlmsghdr *ovs_req(struct vsw_nl *h, uint16_t family, uint8_t cmd,
				int dp_ifindex)
{
	struct nlmsghdr *nlh = genl_msg_start(h->buf, family, NLM_F_ACK, cmd, 1);
	struct ovs_header *oh;

	oh = mnl_nlmsg_put_extra_header(nlh, sizeof(*oh));
	oh->dp_ifindex = dp_ifindex;
	return nlh;
}

/* openvswitch.ko loaded next to us: its port is refused by name. */
TEST_F(port, refuse_openvswitch_port)
{
	uint16_t dpf, vpf;
	struct nlmsghdr *nlh;

	dpf = vsw_nl_family_id(&self->h, OVS_DATAPATH_FAMILY);
	vpf = vsw_nl_family_id(&self->h, OVS_VPORT_FAMILY);
	if (!dpf || !vpf)
		SKIP(return, "openvswitch module not available");

	nlh = ovs_req(&self->h, dpf, OVS_DP_CMD_NEW, 0);
	mnl_attr_put_strz(nlh, OVS_DP_ATTR_NAME, "ovs-t");
	mnl_attr_put_u32(nlh, OVS_DP_ATTR_UPCALL_PID, 0);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL)) TH_LOG("%s", self->h.msg);

	nlh = ovs_req(&self->h, vpf, OVS_VPORT_CMD_NEW, if_nametoindex("ovs-t"));
	mnl_attr_put_strz(nlh, OVS_VPORT_ATTR_NAME, "pa0");
	mnl_attr_put_u32(nlh, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
	mnl_attr_put_u32(nlh, OVS_VPORT_ATTR_UPCALL_PID, 0);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL)) TH_LOG("%s", self->h.msg);

	EXPECT_EQ(-EBUSY, vsw_port_add(&self->h, DP, "pa0", 0));
	EXPECT_STREQ("vswitch: device is an openvswitch port", self->h.msg);
	/* and openvswitch cannot take ours */
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa1", 0));
	nlh = ovs_req(&self->h, vpf, OVS_VPORT_CMD_NEW, if_nametoindex("ovs-t"));
	mnl_attr_put_strz(nlh, OVS_VPORT_ATTR_NAME, "pa1");
	mnl_attr_put_u32(nlh, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
	mnl_attr_put_u32(nlh, OVS_VPORT_ATTR_UPCALL_PID, 0);
	EXPECT_NE(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));

	nlh = ovs_req(&self->h, dpf, OVS_DP_CMD_DEL, 0);
	mnl_attr_put_strz(nlh, OVS_DP_ATTR_NAME, "ovs-t");
	EXPECT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));
}

TEST_F(port, refuse_other_datapaths_ports)
{
	ASSERT_EQ(0, vsw_dp_add(&self->h, "br-q"));
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 0));
	EXPECT_EQ(-EBUSY, vsw_port_add(&self->h, "br-q", "pa0", 0));
	EXPECT_STREQ("vswitch: device is already a port of a vswitch datapath",
		     self->h.msg);
	EXPECT_EQ(-EBUSY, vsw_port_add(&self->h, DP, "pa0", 0));
	EXPECT_EQ(-EBUSY, vsw_port_add(&self->h, DP, "br-q", 0));
	EXPECT_STREQ("vswitch: device is the local port of a vswitch datapath",
		     self->h.msg);
	EXPECT_EQ(-EBUSY, vsw_port_add(&self->h, DP, DP, 0));
	EXPECT_EQ(-ENODEV, vsw_port_add(&self->h, "br-none", "pa1", 0));
	EXPECT_STREQ("datapath not found", self->h.msg);
}

static int port_del_notify_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PORT_ATTR_MAX + 1];
	uint32_t *port_no = data;

	if (vsw_nl_cmd(nlh) != VSW_CMD_PORT_DEL)
		return MNL_CB_OK;
	vsw_nl_parse(nlh, tb, VSW_PORT_ATTR_MAX);
	if (tb[VSW_PORT_ATTR_PORT_NO] && tb[VSW_PORT_ATTR_DP_NAME] &&
	    !strcmp(mnl_attr_get_str(tb[VSW_PORT_ATTR_DP_NAME]), DP))
		*port_no = mnl_attr_get_u32(tb[VSW_PORT_ATTR_PORT_NO]);
	return MNL_CB_OK;
}

TEST_F(port, device_deleted_detaches_and_notifies)
{
	struct vsw_nl mon;
	struct vsw_stats_req r;
	uint32_t seen = 0;
	int n;

	ASSERT_EQ(0, vsw_nl_open(&mon));
	ASSERT_NE(0, mon.notify_grp);
	ASSERT_EQ(0, vsw_nl_join_notify(&mon));
	ASSERT_EQ(4, vsw_port_add(&self->h, DP, "pa1", 4));
	ASSERT_EQ(0, vsw_sh("ip link del pa1"));

	n = mnl_socket_recvfrom(mon.sock.nl, mon.buf, sizeof(mon.buf));
	ASSERT_GT(n, 0);
	mnl_cb_run(mon.buf, n, 0, 0, (mnl_cb_t)port_del_notify_cb, &seen);
	EXPECT_EQ(4, seen);
	EXPECT_EQ(-ENODEV, vsw_port_stats(&self->h, DP, 4, &r));
	/* the number is free again */
	EXPECT_EQ(4, vsw_port_add(&self->h, DP, "pa2", 4));
	/* moving a port's device to another netns detaches it too */
	ASSERT_EQ(0, vsw_sh("ip link set pa2 netns " PEER));
	EXPECT_EQ(-ENODEV, vsw_port_stats(&self->h, DP, 4, &r));
	vsw_nl_close(&mon);
}

TEST_F(port, rx_counters_and_upcall_lost_without_pids)
{
	struct vsw_stats_req r, d;

	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 0));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 1, &r));
	EXPECT_EQ(0, r.v[VSW_PORT_STATS_ATTR_RX_PACKETS]);
	/* 5 pings from the peer: each frame is a miss; no upcall socket */
	vsw_sh("ip -n " PEER " addr add 10.9.0.2/24 dev pb0");
	vsw_sh("ip -n " PEER " neigh add 10.9.0.1 lladdr 02:00:00:00:00:01 dev pb0");
	vsw_sh("ip netns exec " PEER " ping -c 5 -i 0.2 -W 1 10.9.0.1 > /dev/null 2>&1");
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 1, &r));
	EXPECT_GE(r.v[VSW_PORT_STATS_ATTR_RX_PACKETS], 5);
	EXPECT_GE(r.v[VSW_PORT_STATS_ATTR_RX_BYTES],
		  r.v[VSW_PORT_STATS_ATTR_RX_PACKETS] * 42);
	EXPECT_EQ(r.v[VSW_PORT_STATS_ATTR_RX_PACKETS],
		  r.v[VSW_PORT_STATS_ATTR_UPCALL_LOST]);
	EXPECT_EQ(0, r.v[VSW_PORT_STATS_ATTR_UPCALL_SENT]);
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &d));
	EXPECT_EQ(r.v[VSW_PORT_STATS_ATTR_RX_PACKETS], d.v[VSW_DP_STATS_ATTR_MISSED]);
	EXPECT_EQ(d.v[VSW_DP_STATS_ATTR_MISSED], d.v[VSW_DP_STATS_ATTR_LOST]);
}

static int rate_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PORT_ATTR_MAX + 1];
	uint32_t *rb = data;

	vsw_nl_parse(nlh, tb, VSW_PORT_ATTR_MAX);
	rb[0] = mnl_attr_get_u32(tb[VSW_PORT_ATTR_UPCALL_RATE]);
	rb[1] = mnl_attr_get_u32(tb[VSW_PORT_ATTR_UPCALL_BURST]);
	return MNL_CB_OK;
}

TEST_F(port, upcall_rate_default_and_override)
{
	struct nlmsghdr *nlh;
	uint32_t rb[2];

	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, "pa0");
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_UPCALL_RATE, 10);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, rate_cb, rb));
	EXPECT_EQ(10, rb[0]);
	EXPECT_EQ(VSW_UPCALL_BURST_DEFAULT, rb[1]);

	ASSERT_EQ(2, vsw_port_add(&self->h, DP, "pa1", 0));
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_SET, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, 2);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_UPCALL_BURST, 3);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, rate_cb, rb));
	EXPECT_EQ(VSW_UPCALL_RATE_DEFAULT, rb[0]);
	EXPECT_EQ(3, rb[1]);

	/* a port following the default sees datapath changes */
	ASSERT_EQ(3, vsw_port_add(&self->h, DP, "pa2", 0));
	nlh = vsw_nl_req(&self->h, VSW_CMD_DP_SET, 0);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_DP_ATTR_UPCALL_RATE, 42);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_GET, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, 3);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, rate_cb, rb));
	EXPECT_EQ(42, rb[0]);
	nlh = vsw_nl_req(&self->h, VSW_CMD_PORT_GET, 0);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, 1);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, rate_cb, rb));
	EXPECT_EQ(10, rb[0]);
}

TEST_F(port, delete_datapath_releases_devices)
{
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 0));
	ASSERT_EQ(0, vsw_dp_del(&self->h, DP));
	EXPECT_EQ(0, vsw_promiscuity("pa0"));
	/* the device is free for a bridge again */
	EXPECT_EQ(0, vsw_sh("ip link add brz type bridge && ip link set pa0 master brz"));
}

VSW_HARNESS_MAIN
