// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnel ports in the kernel datapath: a flow-based (external) vxlan,
 * geneve or gretap device attached as a TUNNEL port; SET_TUNNEL + OUTPUT
 * encapsulates towards a plain Linux tunnel device of the same type in
 * another namespace (the "remote hypervisor"), which decapsulates only
 * its own key; what that device sends arrives with its tunnel metadata in
 * the key (upcall) and is forwarded by a flow matching the tunnel id.
 * Malformed tunnel keys and SET_TUNNEL actions are refused, named.
 *
 *  netns tunv-vm        test netns                          netns tunv-r
 *  pb0 <-veth-> pa0 -1-[ br-tun ]-2- vsw-tun (external)
 *                                   underlay u0 <-veth-> u1, remote dev "rt"
 *                                   192.0.2.1 / 2001:db8::1    .2 / ::2
 * vsw-timeout: 600
 */
#include <sched.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "kselftest_harness.h"
#include "vsw_nl.h"
#include "vsw_frames.h"
#include "harness_scale.h"

#define DP "br-tun"
#define NS_VM "tunv-vm"
#define NS_R "tunv-r"
#define VNI 42

FIXTURE(tun) {
	struct vsw_nl h;
	int vm, remote;		/* AF_PACKET on pb0 and on the remote device */
	uint32_t tun_port;
};

FIXTURE_VARIANT(tun) {
	const char *ours;	/* our external device, named vsw-tun */
	const char *theirs;	/* the remote's fixed device, named rt */
	int v6;			/* IPv6 underlay */
	uint16_t tp_dst;	/* UDP destination port; 0 for GRE */
	uint16_t flags;		/* SET_TUNNEL flags */
};

FIXTURE_VARIANT_ADD(tun, vxlan) {
	.ours = "type vxlan dstport 4789 external",
	.theirs = "type vxlan id 42 remote 192.0.2.1 local 192.0.2.2 dstport 4789",
	.tp_dst = 4789,
};

FIXTURE_VARIANT_ADD(tun, geneve) {
	.ours = "type geneve dstport 6081 external",
	.theirs = "type geneve id 42 remote 192.0.2.1",
	.tp_dst = 6081,
};

FIXTURE_VARIANT_ADD(tun, gretap) {
	.ours = "type gretap external",
	.theirs = "type gretap key 42 remote 192.0.2.1 local 192.0.2.2",
	.flags = VSW_TUNNEL_F_KEY,
};

FIXTURE_VARIANT_ADD(tun, vxlan_ipv6_underlay) {
	.ours = "type vxlan dstport 4789 external",
	.theirs = "type vxlan id 42 remote 2001:db8::1 local 2001:db8::2 dstport 4789",
	.v6 = 1,
	.tp_dst = 4789,
	/* a Linux receiver drops IPv6 UDP with a zero checksum by default */
	.flags = VSW_TUNNEL_F_CSUM,
};

#define TAG "vswtun"

static void make_frame(uint8_t *f, uint32_t seq)
{
	vf_test_frame(f, 0, 0xa0, TAG, seq);
}

static int send_frame(int fd, uint32_t seq)
{
	uint8_t f[VF_TEST_LEN];

	make_frame(f, seq);
	return send(fd, f, VF_TEST_LEN, 0) == VF_TEST_LEN ? 0 : -errno;
}

/* 1 when our frame @seq arrives on @fd (each try waits 1 s), else 0. */
static int recv_frame(int fd, uint32_t seq)
{
	return vf_recv_test_frame(fd, TAG, seq);
}

FIXTURE_SETUP(tun)
{
	const char *a = variant->v6 ? "2001:db8::1/64 nodad" : "192.0.2.1/24";
	const char *b = variant->v6 ? "2001:db8::2/64 nodad" : "192.0.2.2/24";
	char cmd[512];

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h));
	vsw_sh("ip netns del " NS_VM " 2>/dev/null; ip netns del " NS_R " 2>/dev/null");
	ASSERT_EQ(0, vsw_sh("ip link set lo up && ip netns add " NS_VM " && ip netns add " NS_R));
	ASSERT_EQ(0, vsw_sh("ip link add pa0 type veth peer name pb0 netns " NS_VM
			    " && ip link set pa0 up && ip -n " NS_VM " link set pb0 up"));
	snprintf(cmd, sizeof(cmd),
		 "ip link add u0 type veth peer name u1 netns " NS_R
		 " && ip addr add %s dev u0 && ip link set u0 up"
		 " && ip -n " NS_R " addr add %s dev u1 && ip -n " NS_R " link set u1 up"
		 " && ip link add vsw-tun %s && ip link set vsw-tun up"
		 " && ip -n " NS_R " link add rt %s && ip -n " NS_R " link set rt up",
		 a, b, variant->ours, variant->theirs);
	ASSERT_EQ(0, vsw_sh("%s", cmd));
	ASSERT_EQ(0, vsw_dp_add(&self->h, DP));
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 1));
	ASSERT_EQ(2, vsw_port_add(&self->h, DP, "vsw-tun", 2));
	self->tun_port = 2;
	self->vm = vf_packet_sock(NS_VM, "pb0", 1);
	self->remote = vf_packet_sock(NS_R, "rt", 1);
	ASSERT_GE(self->vm, 0);
	ASSERT_GE(self->remote, 0);
}

FIXTURE_TEARDOWN(tun)
{
	close(self->vm);
	close(self->remote);
	vsw_sh("ip netns del " NS_VM " 2>/dev/null; ip netns del " NS_R " 2>/dev/null");
	vsw_nl_close(&self->h);
}

static void put_addr(struct nlmsghdr *nlh, int v6, int v4_type, int v6_type,
		     int last)
{
	struct in6_addr a6;
	struct in_addr a4;
	char s[32];

	if (v6) {
		snprintf(s, sizeof(s), "2001:db8::%d", last);
		inet_pton(AF_INET6, s, &a6);
		mnl_attr_put(nlh, v6_type, sizeof(a6), &a6);
	} else {
		snprintf(s, sizeof(s), "192.0.2.%d", last);
		inet_pton(AF_INET, s, &a4);
		mnl_attr_put(nlh, v4_type, sizeof(a4), &a4);
	}
}

/* FLOW_NEW in_port=1 -> [SET_TUNNEL(@vni to the remote)] -> OUTPUT tunnel. */
static int flow_encap(FIXTURE_DATA(tun) *self,
		      const FIXTURE_VARIANT(tun) *variant, uint64_t vni,
		      bool set)
{
	struct nlmsghdr *nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_NEW, 0);
	struct nlattr *n, *t;

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	/* our test frames only: not the VM stack's own (IPv6 ND, ...) */
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 1);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(VF_ETH_TEST));
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, 0xffff);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	if (set) {
		t = mnl_attr_nest_start(nlh, VSW_ACTION_ATTR_SET_TUNNEL);
		mnl_attr_put_u64(nlh, VSW_TUNNEL_ATTR_ID, htobe64(vni));
		put_addr(nlh, variant->v6, VSW_TUNNEL_ATTR_IPV4_DST,
			 VSW_TUNNEL_ATTR_IPV6_DST, 2);
		if (variant->flags)
			mnl_attr_put_u16(nlh, VSW_TUNNEL_ATTR_FLAGS,
					 variant->flags);
		mnl_attr_nest_end(nlh, t);
	}
	mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, self->tun_port);
	mnl_attr_nest_end(nlh, n);
	return vsw_nl_talk(&self->h, nlh, NULL, NULL);
}

static int flow_del_all(struct vsw_nl *h)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_FLUSH, 0);

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static int port_type_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PORT_ATTR_MAX + 1];

	vsw_nl_parse(nlh, tb, VSW_PORT_ATTR_MAX);
	if (tb[VSW_PORT_ATTR_TYPE])
		*(uint32_t *)data = mnl_attr_get_u32(tb[VSW_PORT_ATTR_TYPE]);
	return MNL_CB_OK;
}

static uint32_t port_type(struct vsw_nl *h, uint32_t port_no)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_GET, 0);
	uint32_t type = 0;

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	if (vsw_nl_talk(h, nlh, port_type_cb, &type))
		return 0;
	return type;
}

TEST_F(tun, external_device_is_a_tunnel_port_fixed_one_a_netdev)
{
	EXPECT_EQ(VSW_PORT_TYPE_TUNNEL, port_type(&self->h, self->tun_port));
	EXPECT_EQ(VSW_PORT_TYPE_NETDEV, port_type(&self->h, 1));
	/* the same kind with a fixed remote is an ordinary Ethernet port */
	ASSERT_EQ(0, vsw_sh("ip link add fixed type vxlan id 7 remote 192.0.2.9 dstport 4790"));
	ASSERT_EQ(3, vsw_port_add(&self->h, DP, "fixed", 3));
	EXPECT_EQ(VSW_PORT_TYPE_NETDEV, port_type(&self->h, 3));
}

TEST_F(tun, encap_reaches_the_remote_device_and_only_with_its_key)
{
	struct vsw_stats_req s, s2;
	int i;

	ASSERT_EQ(0, flow_encap(self, variant, VNI, true)) TH_LOG("%s", self->h.msg);
	/* the first frames may wait for neighbour resolution */
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, send_frame(self->vm, 100 + i));
		if (recv_frame(self->remote, 100 + i))
			break;
	}
	ASSERT_LT(i, 5);
	ASSERT_EQ(0, send_frame(self->vm, 200));
	EXPECT_EQ(1, recv_frame(self->remote, 200));

	/* another key: encapsulated, but the remote device takes only 42 */
	ASSERT_EQ(0, flow_del_all(&self->h));
	ASSERT_EQ(0, flow_encap(self, variant, VNI + 1, true));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, self->tun_port, &s));
	ASSERT_EQ(0, send_frame(self->vm, 300));
	EXPECT_EQ(0, recv_frame(self->remote, 300));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, self->tun_port, &s2));
	EXPECT_EQ(s.v[VSW_PORT_STATS_ATTR_TX_PACKETS] + 1,
		  s2.v[VSW_PORT_STATS_ATTR_TX_PACKETS]);

	/* no SET_TUNNEL before the output: dropped and counted */
	ASSERT_EQ(0, flow_del_all(&self->h));
	ASSERT_EQ(0, flow_encap(self, variant, VNI, false));
	ASSERT_EQ(0, send_frame(self->vm, 301));
	EXPECT_EQ(0, recv_frame(self->remote, 301));
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, self->tun_port, &s));
	EXPECT_EQ(s2.v[VSW_PORT_STATS_ATTR_TX_DROPPED] + 1,
		  s.v[VSW_PORT_STATS_ATTR_TX_DROPPED]);
	EXPECT_EQ(s2.v[VSW_PORT_STATS_ATTR_TX_PACKETS],
		  s.v[VSW_PORT_STATS_ATTR_TX_PACKETS]);
}

struct tun_miss {
	int got;
	uint32_t in_port;
	int has_tunnel;
	uint64_t id;		/* host order */
	uint8_t src[16], dst[16];
	int src_len, dst_len;
	uint16_t tp_dst, flags;
};

static int miss_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PACKET_ATTR_MAX + 1];
	const struct nlattr *kt[VSW_KEY_ATTR_MAX + 1];
	const struct nlattr *tt[VSW_TUNNEL_ATTR_MAX + 1];
	struct tun_miss *m = data;
	const struct nlattr *s, *d;

	vsw_nl_parse(nlh, tb, VSW_PACKET_ATTR_MAX);
	if (vsw_nl_cmd(nlh) != VSW_CMD_MISS || !tb[VSW_PACKET_ATTR_KEY])
		return MNL_CB_OK;
	m->got++;
	m->in_port = mnl_attr_get_u32(tb[VSW_PACKET_ATTR_IN_PORT]);
	vsw_nl_parse_nested(tb[VSW_PACKET_ATTR_KEY], kt, VSW_KEY_ATTR_MAX);
	if (!kt[VSW_KEY_ATTR_TUNNEL])
		return MNL_CB_OK;
	m->has_tunnel = 1;
	vsw_nl_parse_nested(kt[VSW_KEY_ATTR_TUNNEL], tt, VSW_TUNNEL_ATTR_MAX);
	if (tt[VSW_TUNNEL_ATTR_ID])
		m->id = be64toh(mnl_attr_get_u64(tt[VSW_TUNNEL_ATTR_ID]));
	s = tt[VSW_TUNNEL_ATTR_IPV4_SRC] ?: tt[VSW_TUNNEL_ATTR_IPV6_SRC];
	d = tt[VSW_TUNNEL_ATTR_IPV4_DST] ?: tt[VSW_TUNNEL_ATTR_IPV6_DST];
	if (s) {
		m->src_len = mnl_attr_get_payload_len(s);
		memcpy(m->src, mnl_attr_get_payload(s), m->src_len);
	}
	if (d) {
		m->dst_len = mnl_attr_get_payload_len(d);
		memcpy(m->dst, mnl_attr_get_payload(d), m->dst_len);
	}
	if (tt[VSW_TUNNEL_ATTR_TP_DST])
		m->tp_dst = ntohs(mnl_attr_get_u16(tt[VSW_TUNNEL_ATTR_TP_DST]));
	if (tt[VSW_TUNNEL_ATTR_FLAGS])
		m->flags = mnl_attr_get_u16(tt[VSW_TUNNEL_ATTR_FLAGS]);
	return MNL_CB_OK;
}

/* Sends from the remote until one of our frames is an upcall (the first
 * may wait for neighbour resolution); 1 if one arrived.
 */
static int remote_miss(FIXTURE_DATA(tun) *self, struct vsw_nl *up,
		       struct tun_miss *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < 5 && !m->got; i++) {
		if (send_frame(self->remote, 400 + i) ||
		    vsw_nl_recv_until(up, miss_cb, m, &m->got, 1000) < 0)
			return 0;
	}
	return m->got;
}

/* FLOW_NEW in_port=tunnel, TUNNEL ID=@vni (only the id matched) -> 1. */
static int flow_decap(FIXTURE_DATA(tun) *self, uint64_t vni)
{
	struct nlmsghdr *nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_NEW, 0);
	struct nlattr *n, *t;

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, self->tun_port);
	t = mnl_attr_nest_start(nlh, VSW_KEY_ATTR_TUNNEL);
	mnl_attr_put_u64(nlh, VSW_TUNNEL_ATTR_ID, htobe64(vni));
	mnl_attr_nest_end(nlh, t);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	t = mnl_attr_nest_start(nlh, VSW_KEY_ATTR_TUNNEL);
	mnl_attr_put_u64(nlh, VSW_TUNNEL_ATTR_ID, ~0ULL);
	mnl_attr_nest_end(nlh, t);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, 1);
	mnl_attr_nest_end(nlh, n);
	return vsw_nl_talk(&self->h, nlh, NULL, NULL);
}

/* Counts the attributes of each flow's MASK TUNNEL nest in a dump. */
static int mask_tunnel_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_FLOW_ATTR_MAX + 1];
	const struct nlattr *kt[VSW_KEY_ATTR_MAX + 1], *a;
	int *n = data;

	vsw_nl_parse(nlh, tb, VSW_FLOW_ATTR_MAX);
	if (!tb[VSW_FLOW_ATTR_MASK])
		return MNL_CB_OK;
	vsw_nl_parse_nested(tb[VSW_FLOW_ATTR_MASK], kt, VSW_KEY_ATTR_MAX);
	if (!kt[VSW_KEY_ATTR_TUNNEL])
		return MNL_CB_OK;
	*n = 0;
	mnl_attr_for_each_nested(a, kt[VSW_KEY_ATTR_TUNNEL])
		if (mnl_attr_get_type(a) != VSW_TUNNEL_ATTR_PAD)
			(*n)++;
	return MNL_CB_OK;
}

TEST_F(tun, decap_puts_the_tunnel_in_the_key_and_flows_match_its_id)
{
	uint8_t ours[16], theirs[16];
	int alen = variant->v6 ? 16 : 4, n_mask = -1, i;
	struct nlmsghdr *nlh;
	struct tun_miss m;
	struct vsw_nl up;

	inet_pton(variant->v6 ? AF_INET6 : AF_INET,
		  variant->v6 ? "2001:db8::1" : "192.0.2.1", ours);
	inet_pton(variant->v6 ? AF_INET6 : AF_INET,
		  variant->v6 ? "2001:db8::2" : "192.0.2.2", theirs);
	ASSERT_EQ(0, vsw_nl_open(&up));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&up)));
	ASSERT_EQ(1, remote_miss(self, &up, &m));
	EXPECT_EQ(self->tun_port, m.in_port);
	ASSERT_TRUE(m.has_tunnel);
	EXPECT_EQ(VNI, m.id);
	ASSERT_EQ(alen, m.src_len);
	ASSERT_EQ(alen, m.dst_len);
	EXPECT_EQ(0, memcmp(theirs, m.src, alen));
	EXPECT_EQ(0, memcmp(ours, m.dst, alen));
	EXPECT_EQ(variant->tp_dst, m.tp_dst);
	EXPECT_TRUE(m.flags & VSW_TUNNEL_F_KEY);
	vsw_nl_close(&up);

	/* a flow on the tunnel id alone forwards to the VM */
	ASSERT_EQ(0, flow_decap(self, VNI)) TH_LOG("%s", self->h.msg);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, send_frame(self->remote, 500 + i));
		EXPECT_EQ(1, recv_frame(self->vm, 500 + i));
	}
	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_GET, NLM_F_DUMP);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, mask_tunnel_cb, &n_mask));
	EXPECT_EQ(1, n_mask);	/* the megaflow's tunnel mask: the id only */

	/* another id matches nothing: back to a miss, not to the VM */
	ASSERT_EQ(0, flow_del_all(&self->h));
	ASSERT_EQ(0, flow_decap(self, VNI + 1));
	ASSERT_EQ(0, send_frame(self->remote, 600));
	EXPECT_EQ(0, recv_frame(self->vm, 600));
}

/* FLOW_NEW in_port=1 with one SET_TUNNEL built by @fill; returns -errno. */
static int set_tunnel_with(FIXTURE_DATA(tun) *self,
			   void (*fill)(struct nlmsghdr *nlh))
{
	struct nlmsghdr *nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_NEW, 0);
	struct nlattr *n, *t;

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 1);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	t = mnl_attr_nest_start(nlh, VSW_ACTION_ATTR_SET_TUNNEL);
	fill(nlh);
	mnl_attr_nest_end(nlh, t);
	mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, 2);
	mnl_attr_nest_end(nlh, n);
	return vsw_nl_talk(&self->h, nlh, NULL, NULL);
}

static void fill_no_dst(struct nlmsghdr *nlh)
{
	mnl_attr_put_u64(nlh, VSW_TUNNEL_ATTR_ID, htobe64(1));
}

static void fill_tp_src(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, VSW_TUNNEL_ATTR_IPV4_DST, htonl(0xc0000202));
	mnl_attr_put_u16(nlh, VSW_TUNNEL_ATTR_TP_SRC, htons(1234));
}

static void fill_mixed_families(struct nlmsghdr *nlh)
{
	struct in6_addr a;

	inet_pton(AF_INET6, "2001:db8::2", &a);
	mnl_attr_put(nlh, VSW_TUNNEL_ATTR_IPV6_DST, sizeof(a), &a);
	mnl_attr_put_u32(nlh, VSW_TUNNEL_ATTR_IPV4_SRC, htonl(0xc0000201));
}

static void fill_bad_flags(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, VSW_TUNNEL_ATTR_IPV4_DST, htonl(0xc0000202));
	mnl_attr_put_u16(nlh, VSW_TUNNEL_ATTR_FLAGS, 0x100);
}

static void fill_short_id(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, VSW_TUNNEL_ATTR_ID, htonl(5));
	mnl_attr_put_u32(nlh, VSW_TUNNEL_ATTR_IPV4_DST, htonl(0xc0000202));
}

TEST_F(tun, bad_set_tunnel_and_tunnel_keys_are_refused_by_name)
{
	struct nlmsghdr *nlh;
	struct nlattr *n, *t;
	struct in6_addr a6;

	EXPECT_EQ(-EINVAL, set_tunnel_with(self, fill_no_dst));
	EXPECT_NE(NULL, strstr(self->h.msg, "IPV4_DST or IPV6_DST"));
	EXPECT_EQ(-EINVAL, set_tunnel_with(self, fill_tp_src));
	EXPECT_NE(NULL, strstr(self->h.msg, "TP_SRC"));
	EXPECT_EQ(-EINVAL, set_tunnel_with(self, fill_mixed_families));
	EXPECT_NE(NULL, strstr(self->h.msg, "both IPv4 and IPv6"));
	EXPECT_EQ(-EINVAL, set_tunnel_with(self, fill_bad_flags));
	EXPECT_NE(NULL, strstr(self->h.msg, "FLAGS"));
	/* the policy's own refusal, which names the attribute by offset */
	EXPECT_EQ(-ERANGE, set_tunnel_with(self, fill_short_id));
	EXPECT_NE(0, self->h.off);

	/* a key with addresses of both families */
	nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 2);
	t = mnl_attr_nest_start(nlh, VSW_KEY_ATTR_TUNNEL);
	mnl_attr_put_u32(nlh, VSW_TUNNEL_ATTR_IPV4_SRC, htonl(0xc0000202));
	inet_pton(AF_INET6, "2001:db8::2", &a6);
	mnl_attr_put(nlh, VSW_TUNNEL_ATTR_IPV6_DST, sizeof(a6), &a6);
	mnl_attr_nest_end(nlh, t);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	mnl_attr_nest_end(nlh, n);
	EXPECT_EQ(-EINVAL, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->h.msg, "both IPv4 and IPv6"));
}

VSW_HARNESS_MAIN
