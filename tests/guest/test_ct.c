// SPDX-License-Identifier: GPL-2.0
/*
 * The CT action on nf_conntrack, with hand-made flows: a stateful
 * firewall in a zone (the inside may open connections, the outside may
 * only answer), the mark committed with the connection and matched on
 * the replies, zones isolating, the connection fields in an upcall's key,
 * CT_CLEAR, NAT (a source translated and reversed on the replies, the
 * translated key), the connection's original tuple in the key and in a
 * flow's match, IPv4 fragments reassembled before conntrack and the
 * datagram refragmented with its MRU, and bad CT and NAT actions refused
 * with a message.
 *
 *   netns vswc-a (inside)    test netns             netns vswc-b (outside)
 *   pb0 10.79.0.1 <--veth--> pa0 -1-[ br-c ]-2- pa1 <--veth--> pb1 10.79.0.2
 *
 * vsw-timeout: 300
 */
#include <sched.h>
#include <arpa/inet.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"

#define DP "br-c"
#define NS_A "vswc-a"
#define NS_B "vswc-b"
#define PING_AB "ip netns exec " NS_A " ping -c 2 -i 0.3 -W 2 10.79.0.2 > /dev/null"
#define PING_BA "ip netns exec " NS_B " ping -c 2 -i 0.3 -W 1 10.79.0.1 > /dev/null"
#define TRK VSW_CT_STATE_TRK
#define EST VSW_CT_STATE_EST
#define NEW VSW_CT_STATE_NEW
#define RPL VSW_CT_STATE_RPL

FIXTURE(ct) {
	struct vsw_nl h;
};

FIXTURE_SETUP(ct)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h));
	vsw_sh("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null");
	ASSERT_EQ(0, vsw_sh("ip netns add " NS_A " && ip netns add " NS_B));
	ASSERT_EQ(0, vsw_sh("ip link add pa0 type veth peer name pb0 netns " NS_A
			    " && ip link add pa1 type veth peer name pb1 netns " NS_B));
	ASSERT_EQ(0, vsw_sh("ip link set pa0 up && ip link set pa1 up"
			    " && ip -n " NS_A " link set pb0 up && ip -n " NS_B " link set pb1 up"
			    " && ip -n " NS_A " addr add 10.79.0.1/24 dev pb0"
			    " && ip -n " NS_B " addr add 10.79.0.2/24 dev pb1"));
	ASSERT_EQ(0, vsw_dp_add(&self->h, DP));
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "pa0", 1));
	ASSERT_EQ(2, vsw_port_add(&self->h, DP, "pa1", 2));
}

FIXTURE_TEARDOWN(ct)
{
	vsw_sh("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null");
	vsw_nl_close(&self->h);
}

/* A CT action's NAT nest. */
struct natspec {
	int src, dst, persistent, hash, random;
	int ip_len, has_max;		/* bytes of IP_MIN (0: none), IP_MAX */
	uint8_t ip_min[16], ip_max[16];
	uint16_t port_min, port_max;	/* host order; 0: none */
};

/* A flow: in_port, recirc_id, IPv4 or ARP, optionally ct_state/mask and
 * ct_mark; then its actions.
 */
struct ctact {
	int ct;			/* 1: a CT action */
	int clear;		/* 1: CT_CLEAR */
	uint16_t zone;
	int commit, force, has_mark, has_mask;
	uint32_t mark, mark_mask;
	uint32_t recirc;	/* RECIRC when nonzero */
	uint32_t out;		/* OUTPUT when nonzero */
	uint64_t user;		/* USERSPACE(cookie) when nonzero */
	const struct natspec *nat;	/* with ct */
	const uint8_t *label, *label_mask;	/* [16] each, with ct */
};

struct cflow {
	uint32_t in_port, recirc_id;
	uint16_t eth_type;
	uint8_t ct_state, ct_state_mask;
	int match_mark;
	uint32_t ct_mark;
	struct ctact a[4];
	int n;
};

static void put_flag(struct nlmsghdr *nlh, int type, int set)
{
	if (set)
		mnl_attr_put(nlh, type, 0, NULL);
}

static void put_nat(struct nlmsghdr *nlh, const struct natspec *s)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, VSW_CT_ATTR_NAT);

	put_flag(nlh, VSW_NAT_ATTR_SRC, s->src);
	put_flag(nlh, VSW_NAT_ATTR_DST, s->dst);
	if (s->ip_len)
		mnl_attr_put(nlh, VSW_NAT_ATTR_IP_MIN, s->ip_len, s->ip_min);
	if (s->has_max)
		mnl_attr_put(nlh, VSW_NAT_ATTR_IP_MAX, s->ip_len, s->ip_max);
	if (s->port_min)
		mnl_attr_put_u16(nlh, VSW_NAT_ATTR_PROTO_MIN, htons(s->port_min));
	if (s->port_max)
		mnl_attr_put_u16(nlh, VSW_NAT_ATTR_PROTO_MAX, htons(s->port_max));
	put_flag(nlh, VSW_NAT_ATTR_PERSISTENT, s->persistent);
	put_flag(nlh, VSW_NAT_ATTR_PROTO_HASH, s->hash);
	put_flag(nlh, VSW_NAT_ATTR_PROTO_RANDOM, s->random);
	mnl_attr_nest_end(nlh, n);
}

static void put_ct(struct nlmsghdr *nlh, const struct ctact *c)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, VSW_ACTION_ATTR_CT);

	if (c->zone)
		mnl_attr_put_u16(nlh, VSW_CT_ATTR_ZONE, c->zone);
	if (c->commit)
		mnl_attr_put(nlh, VSW_CT_ATTR_COMMIT, 0, NULL);
	if (c->force)
		mnl_attr_put(nlh, VSW_CT_ATTR_FORCE, 0, NULL);
	if (c->has_mark)
		mnl_attr_put_u32(nlh, VSW_CT_ATTR_MARK, c->mark);
	if (c->has_mask)
		mnl_attr_put_u32(nlh, VSW_CT_ATTR_MARK_MASK, c->mark_mask);
	if (c->nat)
		put_nat(nlh, c->nat);
	if (c->label)
		mnl_attr_put(nlh, VSW_CT_ATTR_LABEL, 16, c->label);
	if (c->label_mask)
		mnl_attr_put(nlh, VSW_CT_ATTR_LABEL_MASK, 16, c->label_mask);
	mnl_attr_nest_end(nlh, n);
}

static void put_actions(struct nlmsghdr *nlh, int type, const struct cflow *f)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type), *u;
	int i;

	for (i = 0; i < f->n; i++) {
		const struct ctact *c = &f->a[i];

		if (c->ct)
			put_ct(nlh, c);
		if (c->clear)
			mnl_attr_put(nlh, VSW_ACTION_ATTR_CT_CLEAR, 0, NULL);
		if (c->recirc)
			mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_RECIRC, c->recirc);
		if (c->out)
			mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, c->out);
		if (c->user) {
			u = mnl_attr_nest_start(nlh, VSW_ACTION_ATTR_USERSPACE);
			mnl_attr_put_u64(nlh, VSW_USERSPACE_ATTR_COOKIE, c->user);
			mnl_attr_nest_end(nlh, u);
		}
	}
	mnl_attr_nest_end(nlh, n);
}

static int cflow_add(struct vsw_nl *h, const struct cflow *f)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_NEW, 0);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, f->in_port);
	if (f->recirc_id)
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_RECIRC_ID, f->recirc_id);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(f->eth_type));
	if (f->ct_state_mask)
		mnl_attr_put_u8(nlh, VSW_KEY_ATTR_CT_STATE, f->ct_state);
	if (f->match_mark)
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_CT_MARK, htonl(f->ct_mark));
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, 0xffff);
	if (f->ct_state_mask)
		mnl_attr_put_u8(nlh, VSW_KEY_ATTR_CT_STATE, f->ct_state_mask);
	if (f->match_mark)
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_CT_MARK, 0xffffffff);
	mnl_attr_nest_end(nlh, n);
	put_actions(nlh, VSW_FLOW_ATTR_ACTIONS, f);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

/* ARP both ways, unconditionally. */
static int arp_flows(struct vsw_nl *h)
{
	struct cflow ab = { .in_port = 1, .eth_type = 0x0806, .n = 1, .a = { { .out = 2 } } };
	struct cflow ba = { .in_port = 2, .eth_type = 0x0806, .n = 1, .a = { { .out = 1 } } };

	return cflow_add(h, &ab) ?: cflow_add(h, &ba);
}

/* The firewall: the inside's IPv4 is committed in @zone_in (with mark
 * 0x2a when @mark) and sent out; the outside's is looked up in
 * @zone_out and recirculated; pass 2 forwards it only when established
 * (and marked 0x2a, when @mark), and drops new connections explicitly.
 */
static int firewall(struct vsw_nl *h, uint16_t zone_in, uint16_t zone_out,
		    int mark)
{
	struct cflow in = { .in_port = 1, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = zone_in, .commit = 1, .has_mark = mark, .mark = 0x2a },
		{ .out = 2 } } };
	struct cflow out = { .in_port = 2, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = zone_out }, { .recirc = 2 } } };
	struct cflow est = { .in_port = 2, .recirc_id = 2, .eth_type = 0x0800,
			     .ct_state = TRK | EST, .ct_state_mask = TRK | EST,
			     .match_mark = mark, .ct_mark = 0x2a,
			     .n = 1, .a = { { .out = 1 } } };
	struct cflow new = { .in_port = 2, .recirc_id = 2, .eth_type = 0x0800,
			     .ct_state = TRK | NEW, .ct_state_mask = TRK | NEW };

	return arp_flows(h) ?: cflow_add(h, &in) ?: cflow_add(h, &out) ?:
	       cflow_add(h, &est) ?: cflow_add(h, &new);
}

/* The datapath's counter VSW_DP_STATS_ATTR_@attr, ~0 if unreadable. */
static uint64_t dp_stat(struct vsw_nl *h, int attr)
{
	struct vsw_stats_req r;

	if (vsw_dp_stats(h, DP, &r) || !r.found)
		return ~0ULL;
	return r.v[attr];
}

TEST_F(ct, inside_opens_outside_only_answers)
{
	ASSERT_EQ(0, firewall(&self->h, 5, 5, 0)) TH_LOG("%s", self->h.msg);
	EXPECT_EQ(0, vsw_sh(PING_AB)) TH_LOG("the inside could not open");
	EXPECT_NE(0, vsw_sh(PING_BA)) TH_LOG("the outside opened a connection");
	EXPECT_EQ(0, vsw_sh(PING_AB)) TH_LOG("the inside could not open again");
	/* 4 requests committed, their 4 replies and B's request tracked */
	EXPECT_LE(4, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_COMMITTED));
	EXPECT_LE(dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_COMMITTED) + 5,
		  dp_stat(&self->h, VSW_DP_STATS_ATTR_CT));
	EXPECT_EQ(0, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_INVALID));
	EXPECT_EQ(0, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_NAT));
	EXPECT_EQ(0, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_DROPPED));
}

TEST_F(ct, mark_committed_is_matched_on_replies)
{
	ASSERT_EQ(0, firewall(&self->h, 7, 7, 1)) TH_LOG("%s", self->h.msg);
	EXPECT_EQ(0, vsw_sh(PING_AB)) TH_LOG("replies did not carry ct_mark 0x2a");
}

TEST_F(ct, zones_isolate)
{
	/* committed in zone 5, looked up in zone 6: every reply is new */
	ASSERT_EQ(0, firewall(&self->h, 5, 6, 0)) TH_LOG("%s", self->h.msg);
	EXPECT_NE(0, vsw_sh(PING_AB)) TH_LOG("a reply in zone 6 saw zone 5's connection");
}

struct upcall {
	int got;
	uint8_t cmd, ct_state;
	uint16_t ct_zone;
	uint32_t ct_mark, recirc_id, ipv4_src;
	int has_ct_state, has_label;
	uint8_t ct_label[16];
	int has_orig;			/* any CT_NW_SRC...CT_TP_DST */
	uint32_t ipv4_dst, ct_nw_src, ct_nw_dst;	/* network order */
	uint16_t ct_tp_src, ct_tp_dst;			/* host order */
	uint8_t ct_nw_proto;
};

/* The original-direction tuple attributes of key @kt into @u. */
static void upcall_orig(const struct nlattr **kt, struct upcall *u)
{
	int t;

	for (t = VSW_KEY_ATTR_CT_NW_SRC; t <= VSW_KEY_ATTR_CT_TP_DST; t++)
		u->has_orig |= !!kt[t];
	if (kt[VSW_KEY_ATTR_CT_NW_SRC])
		u->ct_nw_src = mnl_attr_get_u32(kt[VSW_KEY_ATTR_CT_NW_SRC]);
	if (kt[VSW_KEY_ATTR_CT_NW_DST])
		u->ct_nw_dst = mnl_attr_get_u32(kt[VSW_KEY_ATTR_CT_NW_DST]);
	if (kt[VSW_KEY_ATTR_CT_NW_PROTO])
		u->ct_nw_proto = mnl_attr_get_u8(kt[VSW_KEY_ATTR_CT_NW_PROTO]);
	if (kt[VSW_KEY_ATTR_CT_TP_SRC])
		u->ct_tp_src = ntohs(mnl_attr_get_u16(kt[VSW_KEY_ATTR_CT_TP_SRC]));
	if (kt[VSW_KEY_ATTR_CT_TP_DST])
		u->ct_tp_dst = ntohs(mnl_attr_get_u16(kt[VSW_KEY_ATTR_CT_TP_DST]));
	if (kt[VSW_KEY_ATTR_IPV4_DST])
		u->ipv4_dst = mnl_attr_get_u32(kt[VSW_KEY_ATTR_IPV4_DST]);
}

static int upcall_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PACKET_ATTR_MAX + 1], *kt[VSW_KEY_ATTR_MAX + 1];
	struct upcall *u = data;

	vsw_nl_parse(nlh, tb, VSW_PACKET_ATTR_MAX);
	u->cmd = vsw_nl_cmd(nlh);
	if (!tb[VSW_PACKET_ATTR_KEY])
		return MNL_CB_OK;
	vsw_nl_parse_nested(tb[VSW_PACKET_ATTR_KEY], kt, VSW_KEY_ATTR_MAX);
	/* only IPv4 misses of pass 3 (no IPv6 or ARP chatter) */
	if (!kt[VSW_KEY_ATTR_RECIRC_ID] ||
	    mnl_attr_get_u32(kt[VSW_KEY_ATTR_RECIRC_ID]) != 3)
		return MNL_CB_OK;
	u->got++;
	u->has_ct_state = !!kt[VSW_KEY_ATTR_CT_STATE];
	if (kt[VSW_KEY_ATTR_CT_STATE])
		u->ct_state = mnl_attr_get_u8(kt[VSW_KEY_ATTR_CT_STATE]);
	if (kt[VSW_KEY_ATTR_CT_ZONE])
		u->ct_zone = ntohs(mnl_attr_get_u16(kt[VSW_KEY_ATTR_CT_ZONE]));
	if (kt[VSW_KEY_ATTR_CT_MARK])
		u->ct_mark = ntohl(mnl_attr_get_u32(kt[VSW_KEY_ATTR_CT_MARK]));
	if (kt[VSW_KEY_ATTR_IPV4_SRC])
		u->ipv4_src = mnl_attr_get_u32(kt[VSW_KEY_ATTR_IPV4_SRC]);
	upcall_orig(kt, u);
	u->has_label = !!kt[VSW_KEY_ATTR_CT_LABEL];
	if (u->has_label)
		memcpy(u->ct_label, mnl_attr_get_payload(kt[VSW_KEY_ATTR_CT_LABEL]), 16);
	return MNL_CB_OK;
}

/* Upcalls on @up for up to @ms, until one of pass 3 arrived. */
static int recv_pass3(struct vsw_nl *up, struct upcall *u, int ms)
{
	memset(u, 0, sizeof(*u));
	return vsw_nl_recv_until(up, upcall_cb, u, &u->got, ms) > 0;
}

/* A miss after CT carries the connection's state, zone and mark; after
 * CT_CLEAR it carries none.
 */
TEST_F(ct, miss_key_carries_the_connection_and_clear_forgets_it)
{
	struct cflow in = { .in_port = 1, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 9, .commit = 1, .has_mark = 1, .mark = 0x1234,
		  .has_mask = 1, .mark_mask = 0xffff },
		{ .recirc = 3 } } };
	struct vsw_nl up;
	struct upcall u;

	ASSERT_EQ(0, vsw_nl_open(&up));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&up)));
	ASSERT_EQ(0, arp_flows(&self->h));
	ASSERT_EQ(0, cflow_add(&self->h, &in)) TH_LOG("%s", self->h.msg);
	vsw_sh("ip netns exec " NS_A " ping -c 1 -W 1 10.79.0.2 > /dev/null");
	ASSERT_EQ(1, recv_pass3(&up, &u, 3000));
	EXPECT_EQ(VSW_CMD_MISS, u.cmd);
	EXPECT_EQ(TRK | NEW, u.ct_state);
	EXPECT_EQ(9, u.ct_zone);
	EXPECT_EQ(0x1234, u.ct_mark);
	/* one echo request, committed; its reply never came (no flow) */
	EXPECT_EQ(1, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT));
	EXPECT_EQ(1, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_COMMITTED));

	/* now CT, CT_CLEAR, RECIRC */
	in.a[1] = (struct ctact){ .clear = 1 };
	in.a[2] = (struct ctact){ .recirc = 3 };
	in.n = 3;
	in.in_port = 2;
	ASSERT_EQ(0, cflow_add(&self->h, &in)) TH_LOG("%s", self->h.msg);
	vsw_sh("ip netns exec " NS_B " ping -c 1 -W 1 10.79.0.1 > /dev/null");
	ASSERT_EQ(1, recv_pass3(&up, &u, 3000));
	EXPECT_EQ(0, u.has_ct_state);
	EXPECT_EQ(0, u.ct_zone);
	EXPECT_EQ(0, u.has_orig) TH_LOG("CT_CLEAR left the original tuple");
	/* B's request: tracked (zone 9 has no connection of B), committed */
	EXPECT_EQ(2, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT));
	EXPECT_EQ(2, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_COMMITTED));
	vsw_nl_close(&up);
}

/* A pass-3 upcall's frame, MRU and fragment fields. */
struct frag_upcall {
	int got;
	uint16_t mru;
	uint8_t ip_frag, icmp_type, has_frag;
	uint32_t len;
	uint8_t pkt[4096];
};

static int frag_upcall_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PACKET_ATTR_MAX + 1], *kt[VSW_KEY_ATTR_MAX + 1];
	struct frag_upcall *u = data;

	vsw_nl_parse(nlh, tb, VSW_PACKET_ATTR_MAX);
	if (!tb[VSW_PACKET_ATTR_KEY] || !tb[VSW_PACKET_ATTR_PACKET])
		return MNL_CB_OK;
	vsw_nl_parse_nested(tb[VSW_PACKET_ATTR_KEY], kt, VSW_KEY_ATTR_MAX);
	if (!kt[VSW_KEY_ATTR_RECIRC_ID] ||
	    mnl_attr_get_u32(kt[VSW_KEY_ATTR_RECIRC_ID]) != 3)
		return MNL_CB_OK;
	u->got++;
	u->has_frag = !!kt[VSW_KEY_ATTR_IP_FRAG];
	if (kt[VSW_KEY_ATTR_IP_FRAG])
		u->ip_frag = mnl_attr_get_u8(kt[VSW_KEY_ATTR_IP_FRAG]);
	if (kt[VSW_KEY_ATTR_ICMP_TYPE])
		u->icmp_type = mnl_attr_get_u8(kt[VSW_KEY_ATTR_ICMP_TYPE]);
	if (tb[VSW_PACKET_ATTR_MRU])
		u->mru = mnl_attr_get_u16(tb[VSW_PACKET_ATTR_MRU]);
	u->len = mnl_attr_get_payload_len(tb[VSW_PACKET_ATTR_PACKET]);
	if (u->len <= sizeof(u->pkt))
		memcpy(u->pkt, mnl_attr_get_payload(tb[VSW_PACKET_ATTR_PACKET]), u->len);
	return MNL_CB_OK;
}

/* PACKET_EXECUTE of @pkt out of port 2, with MRU @mru unless 0. */
static int execute_mru(struct vsw_nl *h, const uint8_t *pkt, uint32_t len,
		       uint16_t mru)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PACKET_EXECUTE, 0);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VSW_PACKET_ATTR_DP_NAME, DP);
	mnl_attr_put_u32(nlh, VSW_PACKET_ATTR_IN_PORT, 1);
	mnl_attr_put(nlh, VSW_PACKET_ATTR_PACKET, len, pkt);
	if (mru)
		mnl_attr_put_u16(nlh, VSW_PACKET_ATTR_MRU, mru);
	n = mnl_attr_nest_start(nlh, VSW_PACKET_ATTR_ACTIONS);
	mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, 2);
	mnl_attr_nest_end(nlh, n);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

/* Datagrams the outside's IP stack reassembled (its IpReasmOKs). */
static long reasm_oks_b(void)
{
	char line[256];
	long v = -1;
	FILE *f = popen("ip netns exec " NS_B " nstat -az IpReasmOKs", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "IpReasmOKs %ld", &v) == 1)
			break;
	pclose(f);
	return v;
}

/* A 3000-byte ping is three IPv4 fragments: CT holds the first two
 * (no upcall, no error) and goes on with the datagram the third
 * completes, whose miss has the whole frame, an unfragmented key with
 * its ICMP type, and the MRU. Executed back with that MRU it leaves as
 * fragments the outside reassembles; without it, it is too big for the
 * port and dropped, as before.
 */
TEST_F(ct, fragments_are_reassembled_and_the_datagram_upcalled)
{
	struct cflow in = { .in_port = 1, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 9 }, { .recirc = 3 } } };
	struct vsw_stats_req ps;
	struct frag_upcall *u = calloc(1, sizeof(*u));
	struct vsw_nl up;
	long oks;

	ASSERT_NE(NULL, u);
	ASSERT_EQ(0, vsw_nl_open(&up));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&up)));
	ASSERT_EQ(0, arp_flows(&self->h));
	ASSERT_EQ(0, cflow_add(&self->h, &in)) TH_LOG("%s", self->h.msg);
	vsw_sh("ip netns exec " NS_A " ping -c 1 -W 1 -s 3000 10.79.0.2 > /dev/null");
	vsw_nl_recv_until(&up, frag_upcall_cb, u, &u->got, 2000);
	ASSERT_EQ(1, u->got) TH_LOG("want one upcall of the datagram, not of fragments");
	EXPECT_EQ(14 + 20 + 8 + 3000, u->len);
	EXPECT_EQ(1500, u->mru);
	EXPECT_EQ(1, u->has_frag);
	EXPECT_EQ(0, u->ip_frag) TH_LOG("IP_FRAG 0x%x after reassembly", u->ip_frag);
	EXPECT_EQ(8, u->icmp_type);
	EXPECT_EQ(3, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT));
	EXPECT_EQ(3, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_FRAGMENTS));
	EXPECT_EQ(1, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_REASSEMBLED));
	EXPECT_EQ(0, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_DROPPED));
	EXPECT_EQ(0, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_INVALID));

	/* back with its MRU: refragmented, reassembled by the outside */
	oks = reasm_oks_b();
	ASSERT_LE(0, oks);
	ASSERT_EQ(0, execute_mru(&self->h, u->pkt, u->len, u->mru)) TH_LOG("%s", self->h.msg);
	EXPECT_EQ(1, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_REFRAGMENTED));
	EXPECT_EQ(oks + 1, reasm_oks_b());
	/* without: too big for the port */
	ASSERT_EQ(0, execute_mru(&self->h, u->pkt, u->len, 0)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, vsw_port_stats(&self->h, DP, 2, &ps));
	EXPECT_EQ(1, ps.v[VSW_PORT_STATS_ATTR_TX_DROPPED]);
	EXPECT_EQ(1, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_REFRAGMENTED));
	/* an MRU out of range is refused by the policy */
	EXPECT_EQ(-ERANGE, execute_mru(&self->h, u->pkt, u->len, 67));
	vsw_nl_close(&up);
	free(u);
}

TEST_F(ct, bad_ct_actions_are_refused_with_a_message)
{
	struct cflow f = { .in_port = 1, .eth_type = 0x0800, .n = 1 };

	f.a[0] = (struct ctact){ .ct = 1, .has_mark = 1, .mark = 1 };
	EXPECT_EQ(-EINVAL, cflow_add(&self->h, &f));
	EXPECT_STREQ("CT MARK needs COMMIT", self->h.msg);
	f.a[0] = (struct ctact){ .ct = 1, .force = 1 };
	EXPECT_EQ(-EINVAL, cflow_add(&self->h, &f));
	EXPECT_STREQ("CT FORCE needs COMMIT", self->h.msg);
	f.a[0] = (struct ctact){ .ct = 1, .commit = 1, .has_mask = 1, .mark_mask = 1 };
	EXPECT_EQ(-EINVAL, cflow_add(&self->h, &f));
	EXPECT_STREQ("CT MARK_MASK needs MARK", self->h.msg);
	f.a[0] = (struct ctact){ .ct = 1, .commit = 1 };
	f.eth_type = 0x0806;
	EXPECT_EQ(-EINVAL, cflow_add(&self->h, &f));
	EXPECT_STREQ("CT needs an exact IPv4 or IPv6 ETH_TYPE in the match", self->h.msg);
	EXPECT_NE(0, self->h.off);
	f.eth_type = 0x0800;
	EXPECT_EQ(0, cflow_add(&self->h, &f)) TH_LOG("%s", self->h.msg);
}

#define SNAT_ADDR "10.79.0.100"
#define MAC_A "02:00:00:79:00:01"
#define MAC_B "02:00:00:79:00:02"

static struct natspec snat_to(const char *addr)
{
	struct natspec s = { .src = 1, .ip_len = 4 };

	inet_pton(AF_INET, addr, s.ip_min);
	return s;
}

/* B knows the inside only as SNAT_ADDR: its own address is a /32 with
 * a route to SNAT_ADDR alone, and the neighbours are static (no ARP).
 */
static int snat_topology(void)
{
	return vsw_sh("ip -n " NS_A " link set pb0 address " MAC_A
		      " && ip -n " NS_B " link set pb1 address " MAC_B
		      " && ip -n " NS_B " addr flush dev pb1"
		      " && ip -n " NS_B " addr add 10.79.0.2/32 dev pb1"
		      " && ip -n " NS_B " route add " SNAT_ADDR " dev pb1"
		      " && ip -n " NS_B " neigh add " SNAT_ADDR " lladdr " MAC_A " dev pb1"
		      " && ip -n " NS_A " neigh add 10.79.0.2 lladdr " MAC_B " dev pb0");
}

/* Out: CT(commit, zone 4, SNAT to SNAT_ADDR), output 2. In: CT(zone 4,
 * NAT), RECIRC 2; pass 2 forwards only an established reply whose
 * destination was translated back (DNAT).
 */
TEST_F(ct, snat_is_reversed_on_replies)
{
	struct natspec snat = snat_to(SNAT_ADDR), existing = { 0 };
	struct cflow out = { .in_port = 1, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 4, .commit = 1, .nat = &snat }, { .out = 2 } } };
	struct cflow in = { .in_port = 2, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 4, .nat = &existing }, { .recirc = 2 } } };
	struct cflow rpl = { .in_port = 2, .recirc_id = 2, .eth_type = 0x0800,
			     .ct_state = TRK | EST | VSW_CT_STATE_DNAT,
			     .ct_state_mask = TRK | EST | VSW_CT_STATE_DNAT,
			     .n = 1, .a = { { .out = 1 } } };

	ASSERT_EQ(0, snat_topology());
	ASSERT_EQ(0, cflow_add(&self->h, &out)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, cflow_add(&self->h, &in)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, cflow_add(&self->h, &rpl)) TH_LOG("%s", self->h.msg);
	EXPECT_EQ(0, vsw_sh(PING_AB)) TH_LOG("no answer through the SNAT");
	/* both requests and both replies translated */
	EXPECT_LE(4, dp_stat(&self->h, VSW_DP_STATS_ATTR_CT_NAT));
	/* B cannot open a connection to the SNAT address */
	EXPECT_NE(0, vsw_sh("ip netns exec " NS_B " ping -c 1 -W 1 " SNAT_ADDR
			    " > /dev/null"));
}

/* A miss after a translating CT has the translated source and SNAT. */
TEST_F(ct, miss_after_nat_carries_the_translated_key)
{
	struct natspec snat = snat_to(SNAT_ADDR);
	struct cflow out = { .in_port = 1, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 4, .commit = 1, .nat = &snat },
		{ .recirc = 3 } } };
	struct in_addr want;
	struct vsw_nl up;
	struct upcall u;

	inet_pton(AF_INET, SNAT_ADDR, &want);
	ASSERT_EQ(0, vsw_nl_open(&up));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&up)));
	ASSERT_EQ(0, snat_topology());
	ASSERT_EQ(0, cflow_add(&self->h, &out)) TH_LOG("%s", self->h.msg);
	vsw_sh("ip netns exec " NS_A " ping -c 1 -W 1 10.79.0.2 > /dev/null");
	ASSERT_EQ(1, recv_pass3(&up, &u, 3000));
	EXPECT_EQ(TRK | NEW | VSW_CT_STATE_SNAT, u.ct_state);
	EXPECT_EQ(want.s_addr, u.ipv4_src);
	vsw_nl_close(&up);
}

/* A reply of a source-translated connection: its key has the packet as
 * translated back (to the inside's address) and the connection's
 * original tuple, the inside's address before the translation; a flow
 * that matches the tuple takes the reply, one with another address not.
 */
TEST_F(ct, nat_reply_key_has_the_original_tuple)
{
	struct natspec snat = snat_to(SNAT_ADDR), existing = { 0 };
	struct cflow out = { .in_port = 1, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 4, .commit = 1, .nat = &snat }, { .out = 2 } } };
	struct cflow in = { .in_port = 2, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 4, .nat = &existing }, { .recirc = 3 } } };
	struct in_addr a, b;
	struct vsw_nl up;
	struct upcall u;

	inet_pton(AF_INET, "10.79.0.1", &a);
	inet_pton(AF_INET, "10.79.0.2", &b);
	ASSERT_EQ(0, vsw_nl_open(&up));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&up)));
	ASSERT_EQ(0, snat_topology());
	ASSERT_EQ(0, cflow_add(&self->h, &out)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, cflow_add(&self->h, &in)) TH_LOG("%s", self->h.msg);
	vsw_sh("ip netns exec " NS_A " ping -c 1 -W 1 10.79.0.2 > /dev/null");
	ASSERT_EQ(1, recv_pass3(&up, &u, 3000));
	EXPECT_EQ(TRK | EST | RPL | VSW_CT_STATE_DNAT, u.ct_state);
	EXPECT_EQ(a.s_addr, u.ipv4_dst);	/* translated back */
	EXPECT_EQ(a.s_addr, u.ct_nw_src);	/* who opened it, untranslated */
	EXPECT_EQ(b.s_addr, u.ct_nw_dst);
	EXPECT_EQ(IPPROTO_ICMP, u.ct_nw_proto);
	EXPECT_EQ(8, u.ct_tp_src);		/* echo request */
	EXPECT_EQ(0, u.ct_tp_dst);
	vsw_nl_close(&up);
}

/* A flow matching CT_NW_SRC (masked /24) and CT_NW_PROTO: the replies
 * of the inside's connections pass, with the wrong source they do not.
 */
static int orig_flow(struct vsw_nl *h, const char *src, uint32_t mask)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_NEW, 0);
	struct nlattr *n, *acts;
	struct in_addr s;

	inet_pton(AF_INET, src, &s);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 2);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_RECIRC_ID, 2);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(0x0800));
	mnl_attr_put_u8(nlh, VSW_KEY_ATTR_CT_STATE, TRK | EST);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_CT_NW_SRC, s.s_addr & htonl(mask));
	mnl_attr_put_u8(nlh, VSW_KEY_ATTR_CT_NW_PROTO, IPPROTO_ICMP);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, 0xffff);
	mnl_attr_put_u8(nlh, VSW_KEY_ATTR_CT_STATE, TRK | EST);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_CT_NW_SRC, htonl(mask));
	mnl_attr_put_u8(nlh, VSW_KEY_ATTR_CT_NW_PROTO, 0xff);
	mnl_attr_nest_end(nlh, n);
	acts = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, 1);
	mnl_attr_nest_end(nlh, acts);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

TEST_F(ct, flow_matches_the_original_tuple)
{
	struct cflow in = { .in_port = 1, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 3, .commit = 1 }, { .out = 2 } } };
	struct cflow out = { .in_port = 2, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 3 }, { .recirc = 2 } } };

	ASSERT_EQ(0, arp_flows(&self->h));
	ASSERT_EQ(0, cflow_add(&self->h, &in)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, cflow_add(&self->h, &out)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, orig_flow(&self->h, "10.79.1.0", 0xffffff00)) TH_LOG("%s", self->h.msg);
	EXPECT_NE(0, vsw_sh(PING_AB)) TH_LOG("a reply passed a flow for another source");
	ASSERT_EQ(0, orig_flow(&self->h, "10.79.0.0", 0xffffff00)) TH_LOG("%s", self->h.msg);
	EXPECT_EQ(0, vsw_sh(PING_AB)) TH_LOG("the reply did not match its original tuple");
}

/* The label is set under its mask at commit and read into the key; a
 * reply finds it on the connection.
 */
TEST_F(ct, label_committed_is_in_the_key)
{
	static const uint8_t label[16] = { 0x2a, 0, 0, 0, 0, 0, 0, 0,
					   0, 0, 0, 0, 0, 0, 0, 0x81 };
	static const uint8_t mask[16] = { 0xff, 0, 0, 0, 0, 0, 0, 0,
					  0, 0, 0, 0, 0, 0, 0, 0x80 };
	static const uint8_t want[16] = { 0x2a, 0, 0, 0, 0, 0, 0, 0,
					  0, 0, 0, 0, 0, 0, 0, 0x80 };
	struct cflow in = { .in_port = 1, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 9, .commit = 1, .label = label,
		  .label_mask = mask },
		{ .out = 2 } } };
	struct cflow rpl = { .in_port = 2, .eth_type = 0x0800, .n = 2, .a = {
		{ .ct = 1, .zone = 9 }, { .recirc = 3 } } };
	struct vsw_nl up;
	struct upcall u;

	ASSERT_EQ(0, vsw_nl_open(&up));
	ASSERT_EQ(0, vsw_dp_set_pid(&self->h, DP, vsw_nl_portid(&up)));
	ASSERT_EQ(0, arp_flows(&self->h));
	ASSERT_EQ(0, cflow_add(&self->h, &in)) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, cflow_add(&self->h, &rpl)) TH_LOG("%s", self->h.msg);
	vsw_sh("ip netns exec " NS_A " ping -c 1 -W 1 10.79.0.2 > /dev/null");
	ASSERT_EQ(1, recv_pass3(&up, &u, 3000));
	EXPECT_EQ(TRK | EST | RPL, u.ct_state);
	ASSERT_TRUE(u.has_label);
	EXPECT_EQ(0, memcmp(want, u.ct_label, 16));
	vsw_nl_close(&up);
}

TEST_F(ct, bad_label_is_refused_with_a_message)
{
	static const uint8_t label[16] = { 1 };
	struct cflow f = { .in_port = 1, .eth_type = 0x0800, .n = 1 };

	f.a[0] = (struct ctact){ .ct = 1, .label = label };
	EXPECT_EQ(-EINVAL, cflow_add(&self->h, &f));
	EXPECT_STREQ("CT LABEL needs COMMIT", self->h.msg);
	f.a[0] = (struct ctact){ .ct = 1, .commit = 1, .label_mask = label };
	EXPECT_EQ(-EINVAL, cflow_add(&self->h, &f));
	EXPECT_STREQ("CT LABEL_MASK needs LABEL", self->h.msg);
}

TEST_F(ct, bad_nat_is_refused_with_a_message)
{
	static const struct {
		struct natspec nat;
		int commit, eth_type, err;
		const char *msg;
	} cases[] = {
		{ { .src = 1, .dst = 1 }, 1, 0x0800, -EINVAL,
		  "NAT SRC and DST are exclusive" },
		{ { .src = 1, .ip_len = 4 }, 0, 0x0800, -EINVAL,
		  "NAT SRC or DST needs COMMIT" },
		{ { .ip_len = 4 }, 1, 0x0800, -EINVAL,
		  "NAT addresses, ports and flags need SRC or DST" },
		{ { .random = 1 }, 1, 0x0800, -EINVAL,
		  "NAT addresses, ports and flags need SRC or DST" },
		{ { .src = 1, .ip_len = 16 }, 1, 0x0800, -EINVAL,
		  "NAT IP_MIN/IP_MAX of an IPv4 flow are 4 bytes" },
		{ { .src = 1, .ip_len = 4 }, 1, 0x86dd, -EINVAL,
		  "NAT IP_MIN/IP_MAX of an IPv6 flow are 16 bytes" },
		{ { .src = 1, .ip_len = 4, .ip_min = { 10, 0, 0, 9 }, .has_max = 1,
		    .ip_max = { 10, 0, 0, 1 } }, 1, 0x0800, -EINVAL,
		  "NAT IP_MAX is below IP_MIN" },
		{ { .src = 1, .port_min = 5 }, 1, 0x0800, -EINVAL,
		  "NAT PROTO_MIN needs IP_MIN" },
		{ { .src = 1, .ip_len = 4, .port_max = 5 }, 1, 0x0800, -EINVAL,
		  "NAT PROTO_MAX needs PROTO_MIN" },
		{ { .src = 1, .ip_len = 4, .port_min = 9, .port_max = 5 }, 1,
		  0x0800, -EINVAL, "NAT PROTO_MAX is below PROTO_MIN" },
		{ { .src = 1, .ip_len = 4, .hash = 1, .random = 1 }, 1, 0x0800,
		  -EINVAL, "NAT PROTO_HASH and PROTO_RANDOM are exclusive" },
	};
	struct cflow f = { .in_port = 1, .n = 1 };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f.eth_type = cases[i].eth_type;
		f.a[0] = (struct ctact){ .ct = 1, .commit = cases[i].commit,
					 .nat = &cases[i].nat };
		EXPECT_EQ(cases[i].err, cflow_add(&self->h, &f)) TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].msg, self->h.msg) TH_LOG("case %zu", i);
		EXPECT_NE(0, self->h.off) TH_LOG("case %zu: no offset", i);
	}
	/* a port range alone is fine, and so is an empty nest */
	f.eth_type = 0x0800;
	f.a[0] = (struct ctact){ .ct = 1, .commit = 1, .nat = &(struct natspec){
		.src = 1, .ip_len = 4, .ip_min = { 10, 0, 0, 1 },
		.port_min = 1024, .port_max = 2047, .random = 1 } };
	EXPECT_EQ(0, cflow_add(&self->h, &f)) TH_LOG("%s", self->h.msg);
	f.in_port = 2;
	f.a[0] = (struct ctact){ .ct = 1, .nat = &(struct natspec){ 0 } };
	EXPECT_EQ(0, cflow_add(&self->h, &f)) TH_LOG("%s", self->h.msg);
}

VSW_HARNESS_MAIN
