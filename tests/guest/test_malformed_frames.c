// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed frames into a port, tens of thousands, with the megaflow and
 * upcall paths live: frames of every kind the parser reads
 * (tests/guest/vsw_frames.h: 802.3, ARP/RARP, IPv4 with options and
 * fragments, IPv6 with extension headers and fragments, TCP, UDP, SCTP,
 * ICMP, ICMPv6, ND; untagged, 802.1Q, 802.1ad, double 802.1Q), each cut
 * at every byte and with every length field lied about (IHL, total and
 * payload lengths, extension header lengths, TCP data offset, UDP length,
 * ARP address lengths), then random byte corruption until the budget is
 * spent. Frames enter through AF_PACKET on the veth peer of port 1 and,
 * so that the parser's own VLAN path runs too (a veth strips tags before
 * the switch sees them), through PACKET_EXECUTE.
 *
 * Megaflows with set actions at every layer match some frames (the
 * actions meet truncated headers); the others miss, and this test's
 * handler answers each upcall like vswitchd does: FLOW_NEW with the
 * upcall's key as an exact match and the upcall's packet. The kernel must
 * accept its own key and packet back. Afterwards a frame still crosses
 * the switch; run-tests checks the kernel log.
 *
 *   frq0 --veth-- frp0 -1-[ fr0 ]-2- frp1 --veth-- frq1
 *   (inject)                                   (receive)
 *
 * VSW_FRAMES_MAX / VSW_FRAMES_SECS bound the run (default 40000 / 60 s);
 * VSW_FUZZ_SEED replays the random part.
 *
 * vsw-timeout: 300
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"
#include "vsw_frames.h"

#define DP		"fr0"
#define FRAMES_MAX	40000
#define FRAMES_SECS	60
#define EXEC_EVERY	4	/* every 4th frame also through PACKET_EXECUTE */

struct handler {
	struct vsw_nl up;	/* upcalls arrive here */
	struct vsw_nl req;	/* FLOW_NEW requests */
	pthread_t thread;
	volatile int stop;
	unsigned long misses, installed, exists, refused;
	char first_refusal[512];
};

static struct handler hd;

/* --- the upcall handler ------------------------------------------------------ */

static void refuse(const char *what, const struct nlattr *pkt)
{
	hd.refused++;
	if (hd.first_refusal[0])
		return;
	snprintf(hd.first_refusal, sizeof(hd.first_refusal), "%s (packet of %u bytes)",
		 what, pkt ? mnl_attr_get_payload_len(pkt) : 0);
	if (pkt) {
		const uint8_t *b = mnl_attr_get_payload(pkt);
		unsigned int i, n = mnl_attr_get_payload_len(pkt), o;

		o = strlen(hd.first_refusal);
		for (i = 0; i < n && i < 96 && o + 3 < sizeof(hd.first_refusal); i++)
			o += snprintf(hd.first_refusal + o,
				      sizeof(hd.first_refusal) - o, "%s%02x",
				      i ? "" : ": ", b[i]);
	}
}

/* Installs the upcall's key as an exact flow to port 2, with its packet. */
static void handle_miss(const struct nlmsghdr *msg)
{
	const struct nlattr *tb[VSW_PACKET_ATTR_MAX + 1];
	struct nlmsghdr *nlh;
	struct nlattr *n;
	int ret;

	vsw_nl_parse(msg, tb, VSW_PACKET_ATTR_MAX);
	hd.misses++;
	if (vsw_nl_cmd(msg) != VSW_CMD_MISS || !tb[VSW_PACKET_ATTR_KEY] ||
	    !tb[VSW_PACKET_ATTR_PACKET] || !tb[VSW_PACKET_ATTR_IN_PORT]) {
		refuse("upcall without MISS, KEY, PACKET or IN_PORT",
		       tb[VSW_PACKET_ATTR_PACKET]);
		return;
	}
	if (mnl_attr_get_u32(tb[VSW_PACKET_ATTR_IN_PORT]) != 1) {
		refuse("upcall from a port other than 1", tb[VSW_PACKET_ATTR_PACKET]);
		return;
	}
	nlh = vsw_nl_req(&hd.req, VSW_CMD_FLOW_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	mnl_attr_put(nlh, VSW_FLOW_ATTR_KEY | NLA_F_NESTED,
		     mnl_attr_get_payload_len(tb[VSW_PACKET_ATTR_KEY]),
		     mnl_attr_get_payload(tb[VSW_PACKET_ATTR_KEY]));
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, 2);
	mnl_attr_nest_end(nlh, n);
	if (!tb[VSW_PACKET_ATTR_LEN])	/* the whole frame came up */
		mnl_attr_put(nlh, VSW_FLOW_ATTR_PACKET,
			     mnl_attr_get_payload_len(tb[VSW_PACKET_ATTR_PACKET]),
			     mnl_attr_get_payload(tb[VSW_PACKET_ATTR_PACKET]));
	ret = vsw_nl_talk(&hd.req, nlh, NULL, NULL);
	if (!ret)
		hd.installed++;
	else if (ret == -EEXIST || ret == -E2BIG)
		hd.exists++;
	else
		refuse(hd.req.msg[0] ? hd.req.msg : strerror(-ret),
		       tb[VSW_PACKET_ATTR_PACKET]);
}

static void *handler_main(void *arg)
{
	static char buf[1 << 16];

	while (!hd.stop) {
		int n = recv(vsw_nl_fd(&hd.up), buf, sizeof(buf), 0);
		const struct nlmsghdr *nlh = (void *)buf;

		if (n < 0)
			continue;	/* timeout (stop flag) or overrun */
		for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n))
			if (nlh->nlmsg_type == hd.up.family)
				handle_miss(nlh);
	}
	return NULL;
}

/* --- megaflows with set actions at every layer -------------------------------- */

struct act {
	uint16_t type;
	uint8_t len;		/* 0 flag, 1/2/4 integer, 6/16 address */
	uint32_t v;
};

struct megaflow {
	uint16_t eth_type;
	uint8_t ip_proto;
	bool unfragmented, tagged;
	struct act act[7];
};

#define OUT2 { VSW_ACTION_ATTR_OUTPUT, 4, 2 }

static const struct megaflow megaflows[] = {
	{ 0x0800, 6, true, false, { { VSW_ACTION_ATTR_SET_IPV4_DST, 4, 0xc6336409 },
	  { VSW_ACTION_ATTR_SET_TP_DST, 2, 8080 }, { VSW_ACTION_ATTR_SET_IP_TTL, 1, 9 },
	  { VSW_ACTION_ATTR_DEC_TTL, 0 }, { VSW_ACTION_ATTR_SET_IP_DSCP, 1, 10 }, OUT2 } },
	{ 0x0800, 17, true, false, { { VSW_ACTION_ATTR_SET_IPV4_SRC, 4, 0xc6336408 },
	  { VSW_ACTION_ATTR_SET_TP_SRC, 2, 5353 }, OUT2 } },
	{ 0x0800, 132, true, false, { { VSW_ACTION_ATTR_SET_TP_DST, 2, 99 }, OUT2 } },
	{ 0x0800, 1, false, false, { { VSW_ACTION_ATTR_SET_IPV4_SRC, 4, 0xc6336407 },
	  { VSW_ACTION_ATTR_DEC_TTL, 0 }, OUT2 } },
	{ 0x86dd, 6, true, false, { { VSW_ACTION_ATTR_SET_IPV6_DST, 16, 9 },
	  { VSW_ACTION_ATTR_SET_TP_DST, 2, 8080 }, { VSW_ACTION_ATTR_SET_IPV6_LABEL, 4, 0x12345 },
	  { VSW_ACTION_ATTR_DEC_TTL, 0 }, OUT2 } },
	{ 0x86dd, 17, true, false, { { VSW_ACTION_ATTR_SET_IPV6_SRC, 16, 8 },
	  { VSW_ACTION_ATTR_SET_TP_SRC, 2, 5353 }, { VSW_ACTION_ATTR_SET_IP_DSCP, 1, 3 }, OUT2 } },
	{ 0x86dd, 58, false, false, { { VSW_ACTION_ATTR_SET_IPV6_SRC, 16, 7 },
	  { VSW_ACTION_ATTR_SET_IP_TTL, 1, 1 }, OUT2 } },
	{ 0x0806, 0, false, false, { { VSW_ACTION_ATTR_SET_ETH_SRC, 6, 5 },
	  { VSW_ACTION_ATTR_PUSH_VLAN, 2, 0x1005 }, OUT2,
	  { VSW_ACTION_ATTR_SET_VLAN_TCI, 2, 0x1006 }, { VSW_ACTION_ATTR_POP_VLAN, 0 }, OUT2 } },
	{ 0x0800, 0, false, true, { { VSW_ACTION_ATTR_SET_VLAN_TCI, 2, 0x1007 },
	  { VSW_ACTION_ATTR_POP_VLAN, 0 }, { VSW_ACTION_ATTR_SET_IPV4_DST, 4, 0xc6336406 }, OUT2 } },
};

static void put_act(struct nlmsghdr *nlh, const struct act *a)
{
	uint8_t addr[16] = { 0x02 };

	switch (a->len) {
	case 0: mnl_attr_put(nlh, a->type, 0, NULL); break;
	case 1: mnl_attr_put_u8(nlh, a->type, a->v); break;
	case 2: mnl_attr_put_u16(nlh, a->type, htons(a->v)); break;
	case 4: mnl_attr_put_u32(nlh, a->type, a->type == VSW_ACTION_ATTR_OUTPUT ?
				 a->v : htonl(a->v)); break;
	default:
		addr[a->len - 1] = a->v;
		mnl_attr_put(nlh, a->type, a->len, addr);
	}
}

/* KEY or MASK (@mask) nest of @f. */
static void put_mf_key(struct nlmsghdr *nlh, const struct megaflow *f, bool mask)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, mask ? VSW_FLOW_ATTR_MASK :
					       VSW_FLOW_ATTR_KEY);

	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, mask ? 0xffffffff : 1);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, mask ? 0xffff : htons(f->eth_type));
	if (f->ip_proto)
		mnl_attr_put_u8(nlh, VSW_KEY_ATTR_IP_PROTO, mask ? 0xff : f->ip_proto);
	if (f->unfragmented)
		mnl_attr_put_u8(nlh, VSW_KEY_ATTR_IP_FRAG, mask ? VSW_FRAG_LATER : 0);
	if (f->tagged)
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_VLAN_TCI, htons(VSW_VLAN_PRESENT));
	mnl_attr_nest_end(nlh, n);
}

static int add_megaflow(struct vsw_nl *h, const struct megaflow *f)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_FLOW_NEW, 0);
	struct nlattr *n;
	int i;

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
	put_mf_key(nlh, f, false);
	put_mf_key(nlh, f, true);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	for (i = 0; i < 7 && f->act[i].type; i++)
		put_act(nlh, &f->act[i]);
	mnl_attr_nest_end(nlh, n);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

/* --- injection ------------------------------------------------------------- */

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static int packet_sock(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct timeval tv = { .tv_sec = 3 };
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = if_nametoindex(ifname);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

struct inject {
	struct vsw_nl *h;
	int tx, rx;
	unsigned long sent, executed, exec_refused, max;
	time_t deadline;
	char exec_err[320];
};

static void drain(int fd)
{
	static uint8_t buf[4096];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/* The frame through PACKET_EXECUTE, as if it came in on port 1. */
static void execute(struct inject *in, const uint8_t *b, unsigned int len)
{
	int ret = vsw_packet_out(in->h, DP, 1, b, len, 2);

	if (!ret) {
		in->executed++;
	} else {
		in->exec_refused++;
		snprintf(in->exec_err, sizeof(in->exec_err), "%d %s (%u bytes)",
			 ret, in->h->msg, len);
	}
}

/* Sends one frame; false once the budget is spent. */
static bool inject(struct inject *in, const uint8_t *b, unsigned int len)
{
	if (in->sent >= in->max || time(NULL) >= in->deadline)
		return false;
	if (len < ETH_HLEN)	/* AF_PACKET refuses less than a header */
		return true;
	if (send(in->tx, b, len, 0) < 0 && errno != ENOBUFS)
		return false;
	if (!(in->sent % EXEC_EVERY))
		execute(in, b, len);
	if (!(in->sent % 256))
		drain(in->rx);
	in->sent++;
	return true;
}

/* Every kind behind every tag: cut at every byte, then every lie in
 * every length field. */
static bool systematic(struct inject *in)
{
	unsigned int k, t, l, i, j, n, lies[16];
	struct vf_frame f, g;

	for (k = 0; k < VF_N_KINDS; k++) {
		for (t = 0; t < VF_N_TAGS; t++) {
			vf_build(&f, k, t);
			for (l = f.len; l >= ETH_HLEN; l--)
				if (!inject(in, f.b, l))
					return false;
			for (i = 0; i < f.n_lenf; i++) {
				n = vf_lies(f.lenf[i].kind,
					    vf_get_field(&f, &f.lenf[i]), lies);
				for (j = 0; j < n; j++) {
					g = f;
					vf_set_field(&g, &g.lenf[i], lies[j]);
					if (!inject(in, g.b, g.len))
						return false;
				}
			}
		}
	}
	return true;
}

/* Random corruption: a few bytes changed, a random cut, a random lie. */
static void random_frames(struct inject *in)
{
	struct vf_frame f;
	unsigned int i, n, len;

	do {
		vf_build(&f, rnd() % VF_N_KINDS, rnd() % VF_N_TAGS);
		for (n = rnd() % 4, i = 0; i < n; i++)
			f.b[ETH_HLEN + rnd() % (f.len - ETH_HLEN)] = rnd();
		if (f.n_lenf && rnd() % 2)
			vf_set_field(&f, &f.lenf[rnd() % f.n_lenf], rnd());
		len = rnd() % 3 ? f.len : ETH_HLEN + rnd() % (f.len - ETH_HLEN + 1);
	} while (inject(in, f.b, len));
}

/* --- the test -------------------------------------------------------------- */

FIXTURE(frames) {
	struct vsw_nl h;
	int tx, rx;
};

FIXTURE_SETUP(frames)
{
	struct nlmsghdr *nlh;
	uint32_t pid;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1"));
	ASSERT_EQ(0, vsw_sh("ip link add frp0 type veth peer name frq0 && "
			    "ip link add frp1 type veth peer name frq1 && "
			    "for d in frp0 frq0 frp1 frq1; do ip link set $d up || exit 1; done"));
	ASSERT_EQ(0, vsw_nl_open(&self->h));
	ASSERT_EQ(0, vsw_nl_open(&hd.up));
	ASSERT_EQ(0, vsw_nl_open(&hd.req));
	pid = vsw_nl_portid(&hd.up);
	nlh = vsw_nl_req(&self->h, VSW_CMD_DP_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, DP);
	mnl_attr_put(nlh, VSW_DP_ATTR_UPCALL_PIDS, 4, &pid);
	mnl_attr_put_u32(nlh, VSW_DP_ATTR_UPCALL_RATE, 0);	/* unlimited */
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "frp0", 1));
	ASSERT_EQ(2, vsw_port_add(&self->h, DP, "frp1", 2));
	self->tx = packet_sock("frq0");
	self->rx = packet_sock("frq1");
	ASSERT_GE(self->tx, 0);
	ASSERT_GE(self->rx, 0);
}

FIXTURE_TEARDOWN(frames)
{
	hd.stop = 1;
	close(self->tx);
	close(self->rx);
	vsw_nl_close(&self->h);
}

TEST_F_TIMEOUT(frames, every_kind_cut_and_lied_about_then_forwarding, 280)
{
	const char *s = getenv("VSW_FUZZ_SEED");
	uint64_t seed = s && *s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) ^ getpid();
	struct inject in = { .h = &self->h, .tx = self->tx, .rx = self->rx };
	struct timeval tv = { .tv_usec = 200000 };
	time_t start = time(NULL);
	struct vf_frame f;
	unsigned int i;
	uint8_t buf[2048];
	ssize_t n;

	s = getenv("VSW_FRAMES_MAX");
	in.max = s && *s ? strtoul(s, NULL, 0) : FRAMES_MAX;
	s = getenv("VSW_FRAMES_SECS");
	in.deadline = start + (s && *s ? strtoul(s, NULL, 0) : FRAMES_SECS);
	rng = seed ? seed : 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_msg("seed %llu (VSW_FUZZ_SEED=%llu replays the random part)\n",
		       (unsigned long long)seed, (unsigned long long)seed);

	for (i = 0; i < sizeof(megaflows) / sizeof(megaflows[0]); i++)
		ASSERT_EQ(0, add_megaflow(&self->h, &megaflows[i]))
			TH_LOG("megaflow %u: %s", i, self->h.msg);
	setsockopt(vsw_nl_fd(&hd.up), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = 4 << 20;
	setsockopt(vsw_nl_fd(&hd.up), SOL_SOCKET, SO_RCVBUF, &n, sizeof(int));
	ASSERT_EQ(0, pthread_create(&hd.thread, NULL, handler_main, NULL));

	if (systematic(&in))
		random_frames(&in);
	sleep(1);			/* the last upcalls */
	hd.stop = 1;
	pthread_join(hd.thread, NULL);
	ksft_print_msg("%lu frames in %lds; %lu also executed (%lu refused%s%s)\n",
		       in.sent, (long)(time(NULL) - start), in.executed,
		       in.exec_refused, in.exec_refused ? ": last " : "", in.exec_err);
	ksft_print_msg("upcalls %lu: %lu flows installed, %lu already there, %lu refused\n",
		       hd.misses, hd.installed, hd.exists, hd.refused);
	EXPECT_GE(in.sent, 1000);
	EXPECT_GT(hd.misses, 0);
	EXPECT_GT(hd.installed, 0);
	EXPECT_EQ(0, hd.refused) TH_LOG("first: %s", hd.first_refusal);
	EXPECT_EQ(0, in.exec_refused) TH_LOG("last: %s", in.exec_err);

	/* forwarding still works: a fresh flow table, a frame across */
	{
		struct nlmsghdr *nlh = vsw_nl_req(&self->h, VSW_CMD_FLOW_FLUSH, 0);

		mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, DP);
		ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	}
	ASSERT_EQ(0, add_megaflow(&self->h, &(struct megaflow){ 0x88b5, 0, false, false, { OUT2 } }));
	drain(self->rx);
	vf_build(&f, VF_RAW, VF_UNTAGGED);
	ASSERT_EQ((ssize_t)f.len, send(self->tx, f.b, f.len, 0));
	for (;;) {
		n = recv(self->rx, buf, sizeof(buf), 0);
		ASSERT_GT(n, 0) TH_LOG("the test frame did not come out of port 2");
		if (n == (ssize_t)f.len && !memcmp(buf, f.b, f.len))
			break;
	}
}

VSW_HARNESS_MAIN
