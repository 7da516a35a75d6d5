// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycle: unload the module with datapaths, ports and flows present
 * (and while traffic flows), then reload it; delete a port's device while
 * a ping flood crosses the switch. The kernel log is checked for
 * BUG/WARNING/Oops by the test runner (and vm-run) after the tier.
 *
 *   netns vswl-a                  test netns                  netns vswl-b
 *   pb0 10.78.0.1 <--veth--> pa0 -1-[ br-l ]-2- pa1 <--veth--> pb1 10.78.0.2
 *
 * vsw-timeout: 600
 */
#include <sched.h>
#include <signal.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"

#define DP "br-l"
#define NS_A "vswl-a"
#define NS_B "vswl-b"

static const char *module_path(void)
{
	const char *m = getenv("VS_MODULE");

	return m && *m ? m : "kmod/vswitch.ko";
}

static int loaded(void)
{
	return vsw_sh("grep -q '^vswitch ' /proc/modules") == 0;
}

static int flow_port(struct vsw_nl *h, uint32_t in, uint32_t out, uint32_t ipv4_dst)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_NEW, 0);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, in);
	if (ipv4_dst) {
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(0x0800));
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IPV4_DST, htonl(ipv4_dst));
	}
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	if (ipv4_dst) {
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, 0xffff);
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IPV4_DST, 0xffffffff);
	}
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, out);
	mnl_attr_nest_end(nlh, n);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

FIXTURE(life) {
	struct vsw_nl h;
	pid_t flood;
};

FIXTURE_SETUP(life)
{
	self->flood = 0;
	if (!loaded())
		ASSERT_EQ(0, vsw_sh("insmod %s", module_path()));
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h));
	vsw_sh("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null");
	ASSERT_EQ(0, vsw_sh("ip netns add " NS_A " && ip netns add " NS_B
			    " && ip link add pa0 type veth peer name pb0 netns " NS_A
			    " && ip link add pa1 type veth peer name pb1 netns " NS_B
			    " && ip link set pa0 up && ip link set pa1 up"
			    " && ip -n " NS_A " link set pb0 up && ip -n " NS_B " link set pb1 up"
			    " && ip -n " NS_A " addr add 10.78.0.1/24 dev pb0"
			    " && ip -n " NS_B " addr add 10.78.0.2/24 dev pb1"));
	ASSERT_EQ(0, vsw_dp_add(&self->h, DP));
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 1));
	ASSERT_EQ(2, vsw_port_add(&self->h, DP, "pa1", 2));
	ASSERT_EQ(0, flow_port(&self->h, 1, 2, 0));
	ASSERT_EQ(0, flow_port(&self->h, 2, 1, 0));
}

FIXTURE_TEARDOWN(life)
{
	if (self->flood > 0) {
		kill(self->flood, SIGKILL);
		waitpid(self->flood, NULL, 0);
	}
	vsw_nl_close(&self->h);
	vsw_sh("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null");
	if (!loaded())
		vsw_sh("insmod %s", module_path());
}

/* A ping flood from A to B in the background (killed in teardown). */
static pid_t start_flood(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		/* 500 packets/s: traffic without starving the emulated CPUs */
		execlp("ip", "ip", "netns", "exec", NS_A, "ping", "-q", "-i",
		       "0.002", "-w", "20", "10.78.0.2", (char *)NULL);
		_exit(127);
	}
	usleep(500 * 1000);
	return pid;
}

TEST_F(life, ping_crosses_before_anything)
{
	EXPECT_EQ(0, vsw_sh("ip netns exec " NS_A " ping -c 2 -W 2 10.78.0.2 > /dev/null"));
}

TEST_F_TIMEOUT(life, unload_with_datapaths_ports_flows_then_reload, 150)
{
	struct vsw_nl h2;
	int i;

	ASSERT_EQ(0, vsw_dp_add(&self->h, "br-l2"));
	ASSERT_EQ(0, vsw_sh("ip link add pc0 type veth peer name pc1"));
	ASSERT_EQ(1, vsw_port_add(&self->h, "br-l2", "pc0", 0));
	for (i = 0; i < 200; i++)
		ASSERT_EQ(0, flow_port(&self->h, 1, 2, 0x0a000000 + i));
	vsw_nl_close(&self->h);

	self->flood = start_flood();
	ASSERT_EQ(0, vsw_sh("rmmod vswitch"));
	EXPECT_FALSE(loaded());
	/* the devices are released: no rx_handler, not promiscuous */
	EXPECT_EQ(0, if_nametoindex(DP));
	EXPECT_EQ(0, if_nametoindex("br-l2"));
	EXPECT_EQ(0, vsw_promiscuity("pa0"));
	EXPECT_EQ(0, vsw_promiscuity("pc0"));
	EXPECT_EQ(0, vsw_sh("ip link add brr type bridge && ip link set pa0 master brr"
			    " && ip link set pa0 nomaster && ip link del brr"));
	EXPECT_NE(0, vsw_nl_open(&h2));
	vsw_nl_close(&h2);

	ASSERT_EQ(0, vsw_sh("insmod %s", module_path()));
	ASSERT_EQ(0, vsw_nl_open(&self->h));
	/* the old netns state is gone; everything can be rebuilt */
	EXPECT_EQ(0, vsw_dp_add(&self->h, DP));
	EXPECT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 1));
	EXPECT_EQ(2, vsw_port_add(&self->h, DP, "pa1", 2));
}

TEST_F_TIMEOUT(life, delete_port_device_while_traffic_flows, 150)
{
	struct vsw_stats_req r;
	int status;

	self->flood = start_flood();
	/* the egress device of the flood's flow goes away */
	ASSERT_EQ(0, vsw_sh("ip link del pa1"));
	EXPECT_EQ(-ENODEV, vsw_port_stats(&self->h, DP, 2, &r));
	usleep(500 * 1000);
	/* and the ingress one */
	ASSERT_EQ(0, vsw_sh("ip link del pa0"));
	EXPECT_EQ(-ENODEV, vsw_port_stats(&self->h, DP, 1, &r));
	kill(self->flood, SIGINT);
	waitpid(self->flood, &status, 0);
	self->flood = 0;
	/* the datapath lives on and its flows are intact */
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &r));
	EXPECT_EQ(2, r.v[VSW_DP_STATS_ATTR_FLOWS]);
	EXPECT_GT(r.v[VSW_DP_STATS_ATTR_MEGAFLOW_HIT] + r.v[VSW_DP_STATS_ATTR_MICROFLOW_HIT], 0);
	EXPECT_EQ(0, vsw_dp_del(&self->h, DP));
}

TEST_F_TIMEOUT(life, delete_datapath_while_traffic_flows, 150)
{
	self->flood = start_flood();
	EXPECT_EQ(0, vsw_dp_del(&self->h, DP));
	EXPECT_EQ(0, if_nametoindex(DP));
	EXPECT_EQ(0, vsw_promiscuity("pa0"));
}

TEST_F_TIMEOUT(life, netns_dies_while_traffic_flows, 150)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct vsw_nl h;

		if (unshare(CLONE_NEWNET) || vsw_nl_open(&h))
			_exit(10);
		if (vsw_dp_add(&h, "br-die"))
			_exit(11);
		if (vsw_sh("ip link add pd0 type veth peer name pd1 && ip link set pd0 up"
			   " && ip link set pd1 up && ip addr add 10.79.0.1/24 dev pd1"))
			_exit(12);
		if (vsw_port_add(&h, "br-die", "pd0", 0) != 1)
			_exit(13);
		/* misses keep coming while the netns is torn down */
		vsw_sh("ping -q -i 0.002 -w 1 10.79.0.2 > /dev/null 2>&1");
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, vsw_sh("ip netns exec " NS_A " ping -c 1 -W 2 10.78.0.2 > /dev/null"));
}

VSW_HARNESS_MAIN
