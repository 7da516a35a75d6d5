// SPDX-License-Identifier: GPL-2.0
/*
 * Random generic netlink requests to every command of the "vswitch"
 * family, tens of thousands per run, while frames flow through the
 * datapath being fuzzed. Then a fresh datapath still forwards a ping, and
 * the fuzzer's datapaths are gone.
 *
 * The requests follow the kernel's own policies, read back with
 * CTRL_CMD_GETPOLICY (types, ranges, lengths, nesting), so most of them
 * get past the policy check into the handlers; the nests the handlers
 * parse themselves (KEY, MASK, ACTIONS: no published policy) follow the
 * uapi header. On top: unknown and repeated attributes, wrong lengths and
 * types, lying nla_len, cut messages, odd flags and versions, and for the
 * flow and packet commands keys that agree with a real frame (for the
 * port commands, a spare device) so the install, execute and attach paths
 * run too.
 *
 * Every request must get a well-formed reply and its ack (or a dump's
 * DONE) within REPLY_TIMEOUT_S; a hang or a malformed reply fails the
 * test, naming the message. The run stops after VSW_FUZZ_MSGS messages
 * or VSW_FUZZ_SECS seconds, whichever comes first; the seed is printed
 * and VSW_FUZZ_SEED replays a run.
 *
 *            private netns of the test
 *   fzw0 <-veth-> fzv0 -1-[ fz0 ]-2- fzv1 <-veth-> fzw1   (frames injected
 *                 fzv2, fzv3: free for PORT_NEW             on fzw0/fzw1)
 *   afterwards:
 *   vswz-a: fzq0 <-> fzp0 -1-[ fzok ]-2- fzp1 <-> fzq1 :vswz-b   (ping)
 *
 * vsw-timeout: 300
 */
#include <poll.h>
#include <sched.h>
#include <signal.h>
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

#define FUZZ_MSGS_DEFAULT	40000
#define FUZZ_SECS_DEFAULT	50
#define REPLY_TIMEOUT_S		10
#define MAX_POL			16
#define MAX_ATTR		31
#define MAX_DEPTH		4
#define MAX_OPS			32
#define REQ_MAX			8192
#define NS_A			"vswz-a"
#define NS_B			"vswz-b"

/* What a value means, for picking values a handler will act on. */
enum hint {
	H_NONE, H_NAME, H_PORT, H_ETHTYPE, H_MAC, H_IP4, H_IP6, H_TCI,
	H_PROTO, H_FRAG, H_TPPORT, H_PID, H_PIDS, H_UFID, H_PACKET,
};

struct pattr {
	uint8_t type;		/* NL_ATTR_TYPE_*; 0: not in the policy */
	uint8_t hint;
	bool has_range, has_len;
	uint64_t min, max;
	uint32_t min_len, max_len;
	int sub;		/* policy of a nest's content, -1: none */
};

struct policy {
	struct pattr a[MAX_ATTR + 1];
	int max;
};

struct op {
	uint8_t cmd;
	int do_pol, dump_pol;
};

struct fuzz {
	struct vsw_nl h;
	int fd, sink;			/* fuzzing and upcall sockets */
	uint32_t portid, sink_portid;
	uint32_t seq;			/* of the last fuzzing request */
	struct policy pol[MAX_POL];
	int n_pol, key_pol, act_pol, us_pol;
	struct op ops[MAX_OPS];
	int n_ops;
	uint64_t rng;
	int wrong_pct;			/* chance of a wrong attribute */
	uint8_t req[REQ_MAX];
	uint8_t rbuf[1 << 17];
	unsigned long ok[256], fail[256], replies, upcalls;
	char why[256];
};

static struct fuzz fz;

/* --- deterministic PRNG (xorshift64*) ------------------------------------ */

static uint64_t rnd(void)
{
	fz.rng ^= fz.rng >> 12;
	fz.rng ^= fz.rng << 25;
	fz.rng ^= fz.rng >> 27;
	return fz.rng * 2685821657736338717ULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(int pct)
{
	return rn(100) < (uint32_t)pct;
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : dflt;
}

/* --- the kernel's policies ------------------------------------------------- */

static void parse_pattr(struct pattr *p, const struct nlattr *nest)
{
	const struct nlattr *a;

	memset(p, 0, sizeof(*p));
	p->sub = -1;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case NL_POLICY_TYPE_ATTR_TYPE:
			p->type = mnl_attr_get_u32(a);
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			p->min = mnl_attr_get_u64(a);
			p->has_range = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			p->max = mnl_attr_get_u64(a);
			p->has_range = true;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			p->min_len = mnl_attr_get_u32(a);
			p->has_len = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			p->max_len = mnl_attr_get_u32(a);
			p->has_len = true;
			break;
		case NL_POLICY_TYPE_ATTR_POLICY_IDX:
			p->sub = mnl_attr_get_u32(a);
			break;
		}
	}
}

static void parse_op_policies(const struct nlattr *a)
{
	const struct nlattr *op, *b;

	mnl_attr_for_each_nested(op, a) {
		struct op *o = &fz.ops[fz.n_ops];

		if (fz.n_ops == MAX_OPS)
			return;
		o->cmd = mnl_attr_get_type(op);
		o->do_pol = o->dump_pol = -1;
		mnl_attr_for_each_nested(b, op) {
			if (mnl_attr_get_type(b) == CTRL_ATTR_POLICY_DO)
				o->do_pol = mnl_attr_get_u32(b);
			if (mnl_attr_get_type(b) == CTRL_ATTR_POLICY_DUMP)
				o->dump_pol = mnl_attr_get_u32(b);
		}
		fz.n_ops++;
	}
}

static void parse_policies(const struct nlattr *a)
{
	const struct nlattr *pol, *attr;

	mnl_attr_for_each_nested(pol, a) {
		int idx = mnl_attr_get_type(pol);

		if (idx >= MAX_POL - 3)
			continue;
		if (idx >= fz.n_pol)
			fz.n_pol = idx + 1;
		mnl_attr_for_each_nested(attr, pol) {
			int t = mnl_attr_get_type(attr);

			if (t > MAX_ATTR)
				continue;
			parse_pattr(&fz.pol[idx].a[t], attr);
			if (t > fz.pol[idx].max)
				fz.pol[idx].max = t;
		}
	}
}

static int policy_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_OP_POLICY)
			parse_op_policies(a);
		if (mnl_attr_get_type(a) == CTRL_ATTR_POLICY)
			parse_policies(a);
	}
	return MNL_CB_OK;
}

static int dump_policies(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(fz.h.buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETPOLICY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VSWITCH_GENL_NAME);
	return vsw_nl_talk(&fz.h, nlh, policy_msg_cb, NULL);
}

/* --- the nests the handlers parse themselves, from the uapi ------------------ */

struct uapi_attr {
	uint8_t attr, type, hint;
	uint32_t len;		/* exact length of a binary, 0: none */
};

static const struct uapi_attr key_attrs[] = {
	{ VSW_KEY_ATTR_IN_PORT, NL_ATTR_TYPE_U32, H_PORT },
	{ VSW_KEY_ATTR_ETH_SRC, NL_ATTR_TYPE_BINARY, H_MAC, 6 },
	{ VSW_KEY_ATTR_ETH_DST, NL_ATTR_TYPE_BINARY, H_MAC, 6 },
	{ VSW_KEY_ATTR_ETH_TYPE, NL_ATTR_TYPE_U16, H_ETHTYPE },
	{ VSW_KEY_ATTR_VLAN_TCI, NL_ATTR_TYPE_U16, H_TCI },
	{ VSW_KEY_ATTR_IPV4_SRC, NL_ATTR_TYPE_U32, H_IP4 },
	{ VSW_KEY_ATTR_IPV4_DST, NL_ATTR_TYPE_U32, H_IP4 },
	{ VSW_KEY_ATTR_IPV6_SRC, NL_ATTR_TYPE_BINARY, H_IP6, 16 },
	{ VSW_KEY_ATTR_IPV6_DST, NL_ATTR_TYPE_BINARY, H_IP6, 16 },
	{ VSW_KEY_ATTR_IPV6_LABEL, NL_ATTR_TYPE_U32, H_NONE },
	{ VSW_KEY_ATTR_IP_PROTO, NL_ATTR_TYPE_U8, H_PROTO },
	{ VSW_KEY_ATTR_IP_TOS, NL_ATTR_TYPE_U8, H_NONE },
	{ VSW_KEY_ATTR_IP_TTL, NL_ATTR_TYPE_U8, H_NONE },
	{ VSW_KEY_ATTR_IP_FRAG, NL_ATTR_TYPE_U8, H_FRAG },
	{ VSW_KEY_ATTR_TP_SRC, NL_ATTR_TYPE_U16, H_TPPORT },
	{ VSW_KEY_ATTR_TP_DST, NL_ATTR_TYPE_U16, H_TPPORT },
	{ VSW_KEY_ATTR_TCP_FLAGS, NL_ATTR_TYPE_U16, H_NONE },
	{ VSW_KEY_ATTR_ICMP_TYPE, NL_ATTR_TYPE_U8, H_NONE },
	{ VSW_KEY_ATTR_ICMP_CODE, NL_ATTR_TYPE_U8, H_NONE },
	{ VSW_KEY_ATTR_ARP_OP, NL_ATTR_TYPE_U16, H_NONE },
	{ VSW_KEY_ATTR_ARP_SPA, NL_ATTR_TYPE_U32, H_IP4 },
	{ VSW_KEY_ATTR_ARP_TPA, NL_ATTR_TYPE_U32, H_IP4 },
	{ VSW_KEY_ATTR_ARP_SHA, NL_ATTR_TYPE_BINARY, H_MAC, 6 },
	{ VSW_KEY_ATTR_ARP_THA, NL_ATTR_TYPE_BINARY, H_MAC, 6 },
	{ VSW_KEY_ATTR_ND_TARGET, NL_ATTR_TYPE_BINARY, H_IP6, 16 },
	{ 0 }
};

static const struct uapi_attr action_attrs[] = {
	{ VSW_ACTION_ATTR_OUTPUT, NL_ATTR_TYPE_U32, H_PORT },
	{ VSW_ACTION_ATTR_USERSPACE, NL_ATTR_TYPE_NESTED, H_NONE },
	{ VSW_ACTION_ATTR_PUSH_VLAN, NL_ATTR_TYPE_U16, H_TCI },
	{ VSW_ACTION_ATTR_POP_VLAN, NL_ATTR_TYPE_FLAG, H_NONE },
	{ VSW_ACTION_ATTR_SET_ETH_SRC, NL_ATTR_TYPE_BINARY, H_MAC, 6 },
	{ VSW_ACTION_ATTR_SET_ETH_DST, NL_ATTR_TYPE_BINARY, H_MAC, 6 },
	{ VSW_ACTION_ATTR_SET_IPV4_SRC, NL_ATTR_TYPE_U32, H_IP4 },
	{ VSW_ACTION_ATTR_SET_IPV4_DST, NL_ATTR_TYPE_U32, H_IP4 },
	{ VSW_ACTION_ATTR_SET_IP_DSCP, NL_ATTR_TYPE_U8, H_NONE },
	{ VSW_ACTION_ATTR_SET_IP_TTL, NL_ATTR_TYPE_U8, H_NONE },
	{ VSW_ACTION_ATTR_SET_IPV6_SRC, NL_ATTR_TYPE_BINARY, H_IP6, 16 },
	{ VSW_ACTION_ATTR_SET_IPV6_DST, NL_ATTR_TYPE_BINARY, H_IP6, 16 },
	{ VSW_ACTION_ATTR_SET_IPV6_LABEL, NL_ATTR_TYPE_U32, H_NONE },
	{ VSW_ACTION_ATTR_SET_TP_SRC, NL_ATTR_TYPE_U16, H_TPPORT },
	{ VSW_ACTION_ATTR_SET_TP_DST, NL_ATTR_TYPE_U16, H_TPPORT },
	{ VSW_ACTION_ATTR_DEC_TTL, NL_ATTR_TYPE_FLAG, H_NONE },
	{ VSW_ACTION_ATTR_SET_VLAN_TCI, NL_ATTR_TYPE_U16, H_TCI },
	{ 0 }
};

static const struct uapi_attr userspace_attrs[] = {
	{ VSW_USERSPACE_ATTR_PID, NL_ATTR_TYPE_U32, H_PID },
	{ VSW_USERSPACE_ATTR_COOKIE, NL_ATTR_TYPE_U64, H_NONE },
	{ 0 }
};

static int add_uapi_policy(const struct uapi_attr *t)
{
	struct policy *p = &fz.pol[fz.n_pol];

	for (; t->attr; t++) {
		struct pattr *a = &p->a[t->attr];

		a->type = t->type;
		a->hint = t->hint;
		a->sub = -1;
		if (t->len) {
			a->has_len = true;
			a->min_len = a->max_len = t->len;
		}
		if (t->attr > p->max)
			p->max = t->attr;
	}
	return fz.n_pol++;
}

static bool is_flow_cmd(uint8_t cmd)
{
	return cmd == VSW_CMD_FLOW_NEW || cmd == VSW_CMD_FLOW_DEL ||
	       cmd == VSW_CMD_FLOW_GET;
}

/* Hints for the kernel's attributes (from what the policy says of them),
 * and the uapi policy of each opaque nest. */
static void annotate(void)
{
	int i, t;

	fz.key_pol = add_uapi_policy(key_attrs);
	fz.act_pol = add_uapi_policy(action_attrs);
	fz.us_pol = add_uapi_policy(userspace_attrs);
	fz.pol[fz.act_pol].a[VSW_ACTION_ATTR_USERSPACE].sub = fz.us_pol;
	for (i = 0; i < fz.n_pol - 3; i++) {
		for (t = 1; t <= fz.pol[i].max; t++) {
			struct pattr *a = &fz.pol[i].a[t];

			if (a->type == NL_ATTR_TYPE_NUL_STRING)
				a->hint = H_NAME;
			else if (a->type == NL_ATTR_TYPE_BINARY &&
				 a->min_len == ETH_HLEN)
				a->hint = H_PACKET;
			else if (a->type == NL_ATTR_TYPE_BINARY &&
				 a->max_len == VSW_MAX_UPCALL_PIDS * 4)
				a->hint = H_PIDS;
			else if (a->type == NL_ATTR_TYPE_BINARY &&
				 a->min_len == VSW_UFID_LEN)
				a->hint = H_UFID;
			else if (a->type == NL_ATTR_TYPE_U32 && a->has_range &&
				 a->max >= VSW_PORT_MAX && a->max <= 0xffff)
				a->hint = H_PORT;
		}
	}
	for (i = 0; i < fz.n_ops; i++) {
		struct op *o = &fz.ops[i];
		struct policy *p;

		if (o->do_pol < 0 || o->do_pol >= fz.n_pol)
			continue;
		p = &fz.pol[o->do_pol];
		if (is_flow_cmd(o->cmd)) {
			p->a[VSW_FLOW_ATTR_KEY].sub = fz.key_pol;
			p->a[VSW_FLOW_ATTR_MASK].sub = fz.key_pol;
			p->a[VSW_FLOW_ATTR_ACTIONS].sub = fz.act_pol;
		}
		if (o->cmd == VSW_CMD_PACKET_EXECUTE)
			p->a[VSW_PACKET_ATTR_ACTIONS].sub = fz.act_pol;
	}
}

/* --- values ---------------------------------------------------------------- */

/* Datapath and device names: the first six exist or may; then the
 * loopback, a peer, a long valid name and invalid ones. */
static const char *const names[] = {
	"fz0", "fz1", "fzv0", "fzv1", "fzv2", "fzv3", "fz2", "lo", "fzw0",
	"", "x/y", "fz0 ", "abcdefghijklmno", "..",
};

static uint64_t pick_hinted(uint8_t hint, uint64_t v)
{
	static const uint16_t ethtypes[] = { 0x0800, 0x86dd, 0x0806, 0x8035,
		0x8100, 0x88a8, 0x05ff, 0x88b5, 0x0000, 0xffff };
	static const uint32_t ports[] = { 1, 2, 3, 4, VSW_PORT_MAX,
		VSW_PORT_MAX + 1, VSW_PORT_LOCAL, 0xffff, 0, 0x10000 };
	static const uint8_t protos[] = { 6, 17, 132, 1, 58, 47, 0, 255 };

	switch (hint) {
	case H_PORT: return ports[rn(10)];
	case H_ETHTYPE: return htons(ethtypes[rn(10)]);
	case H_IP4: return htonl(0xc6336400 | rn(4));	/* 198.51.100.0-3 */
	case H_TCI: return htons(chance(70) ? VSW_VLAN_PRESENT | rn(4) :
					     (uint16_t)v);
	case H_PROTO: return protos[rn(8)];
	case H_FRAG: return rn(5);
	case H_TPPORT: return htons(chance(70) ? 80 - rn(2) * 27 : (uint16_t)v);
	case H_PID: return chance(80) ? fz.sink_portid : v;
	}
	return v;
}

static uint64_t pick_uint(const struct pattr *p, unsigned int bits)
{
	uint64_t lim = bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
	uint64_t lo = p->has_range ? p->min : 0;
	uint64_t hi = p->has_range ? p->max : lim;

	if (p->hint != H_NONE && chance(80))
		return pick_hinted(p->hint, rnd()) & lim;
	switch (rn(8)) {
	case 0: return lo;
	case 1: return (lo - 1) & lim;
	case 2: return (hi + 1) & lim;
	case 3: /* the top of a huge range (a 2^20-entry table per CPU)
		 * costs seconds under emulation: rarely */
		return hi > 0xffff && !chance(3) ? lo + rn(64) : hi;
	case 4: return rnd() & lim;
	case 5: return (1ULL << rn(13)) & lim;
	default: return lo + rn(hi - lo < 16 ? hi - lo + 1 : 16);
	}
}

static void put_bytes(struct nlmsghdr *nlh, int type, const struct pattr *p)
{
	uint8_t b[1600];
	uint32_t len, i, max = p->max_len ? p->max_len : 256;
	struct vf_frame f;

	switch (p->hint) {
	case H_NAME:
		snprintf((char *)b, sizeof(b), "%s", names[rn(chance(80) ? 6 :
						sizeof(names) / sizeof(names[0]))]);
		mnl_attr_put_strz(nlh, type, (char *)b);
		return;
	case H_PACKET:
		vf_build(&f, rn(VF_N_KINDS), rn(VF_N_TAGS));
		len = chance(20) ? ETH_HLEN + rn(f.len - ETH_HLEN + 1) : f.len;
		mnl_attr_put(nlh, type, len, f.b);
		return;
	case H_PIDS:
		len = rn(5);
		for (i = 0; i < len; i++)
			((uint32_t *)b)[i] = chance(80) ? fz.sink_portid : rnd();
		mnl_attr_put(nlh, type, len * 4, b);
		return;
	case H_UFID:
		memset(b, 0x40 + rn(4), VSW_UFID_LEN);
		mnl_attr_put(nlh, type, VSW_UFID_LEN, b);
		return;
	case H_MAC:
	case H_IP6:
		memset(b, 0, p->max_len);
		b[0] = 0x02;
		b[p->max_len - 1] = rn(4);
		mnl_attr_put(nlh, type, p->max_len, b);
		return;
	}
	if (p->has_len && p->min_len == p->max_len)
		len = p->min_len;
	else
		len = p->min_len + rn(max - p->min_len + 1);
	if (len > sizeof(b))
		len = sizeof(b);
	for (i = 0; i < len; i++)
		b[i] = rnd();
	if (p->type == NL_ATTR_TYPE_NUL_STRING && len)
		b[len - 1] = 0;
	mnl_attr_put(nlh, type, len, b);
}

static void put_attrs(struct nlmsghdr *nlh, int pol, int depth);

/* Something other than what the policy asks for. */
static void put_wrong(struct nlmsghdr *nlh, int type, const struct pattr *p)
{
	uint8_t b[40];
	struct nlattr *n;
	uint32_t i, len = rn(sizeof(b));

	for (i = 0; i < len; i++)
		b[i] = rnd();
	switch (rn(5)) {
	case 0:			/* random bytes, random length */
		mnl_attr_put(nlh, type, len, b);
		break;
	case 1:			/* a nest of random attributes */
		n = mnl_attr_nest_start(nlh, type);
		put_attrs(nlh, rn(fz.n_pol), MAX_DEPTH - 1);
		mnl_attr_nest_end(nlh, n);
		break;
	case 2:			/* a string without its NUL, or too long */
		memset(b, 'a', sizeof(b));
		mnl_attr_put(nlh, type, chance(50) ? 3 : 16 + rn(8), b);
		break;
	case 3:			/* one byte short or long */
		len = p->max_len ? p->max_len : p->type == NL_ATTR_TYPE_U64 ? 8 : 4;
		len += chance(50) ? 1 : -1;
		mnl_attr_put(nlh, type, len < sizeof(b) ? len : sizeof(b), b);
		break;
	default:		/* byte-order flag on a plain attribute */
		mnl_attr_put_u32(nlh, type | NLA_F_NET_BYTEORDER, rnd());
	}
}

static void put_attr(struct nlmsghdr *nlh, int type, const struct pattr *p,
		     int depth)
{
	struct nlattr *n;

	if (nlh->nlmsg_len > REQ_MAX - 2048)	/* room for any one attribute */
		return;
	if (!p->type || chance(fz.wrong_pct)) {
		put_wrong(nlh, type, p);
		return;
	}
	switch (p->type) {
	case NL_ATTR_TYPE_FLAG:
		mnl_attr_put(nlh, type, 0, NULL);
		break;
	case NL_ATTR_TYPE_U8:
	case NL_ATTR_TYPE_S8:
		mnl_attr_put_u8(nlh, type, pick_uint(p, 8));
		break;
	case NL_ATTR_TYPE_U16:
	case NL_ATTR_TYPE_S16:
		mnl_attr_put_u16(nlh, type, pick_uint(p, 16));
		break;
	case NL_ATTR_TYPE_U32:
	case NL_ATTR_TYPE_S32:
		mnl_attr_put_u32(nlh, type, pick_uint(p, 32));
		break;
	case NL_ATTR_TYPE_U64:
	case NL_ATTR_TYPE_S64:
		mnl_attr_put_u64(nlh, type, pick_uint(p, 64));
		break;
	case NL_ATTR_TYPE_NESTED:
	case NL_ATTR_TYPE_NESTED_ARRAY:
		n = mnl_attr_nest_start(nlh, type);
		if (p->sub >= 0 && depth < MAX_DEPTH)
			put_attrs(nlh, p->sub, depth + 1);
		mnl_attr_nest_end(nlh, n);
		break;
	default:
		put_bytes(nlh, type, p);
	}
}

/* Attributes of policy @pol: each defined one with even odds (an action
 * list: a random sequence), now and then an unknown or repeated one. */
static void put_attrs(struct nlmsghdr *nlh, int pol, int depth)
{
	const struct policy *p = &fz.pol[pol];
	int t, i, n;

	if (pol == fz.act_pol) {
		for (n = rn(6), i = 0; i < n; i++) {
			t = 1 + rn(p->max);
			put_attr(nlh, t, &p->a[t], depth);
		}
	} else {
		for (t = 1; t <= p->max; t++)
			if (p->a[t].type && chance(t == 1 ? 90 : 45))
				put_attr(nlh, t, &p->a[t], depth);
	}
	if (chance(fz.wrong_pct))	/* unknown type, or 0 */
		put_attr(nlh, chance(20) ? 0 : p->max + 1 + rn(4),
			 &p->a[0], depth);
	if (chance(fz.wrong_pct) && p->max) {	/* repeated */
		t = 1 + rn(p->max);
		put_attr(nlh, t, &p->a[t], depth);
	}
}

/* --- coherent flow and packet requests ---------------------------------------- */

/* KEY and MASK that a frame of @f arriving on @in_port matches. */
static void put_match(struct nlmsghdr *nlh, const struct vf_frame *f,
		      uint32_t in_port)
{
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 };
	static const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	bool type = chance(85), proto = type && f->key_ip_proto && chance(70);
	bool mac = chance(30);
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, in_port);
	if (type)
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(f->key_eth_type));
	if (proto)
		mnl_attr_put_u8(nlh, VSW_KEY_ATTR_IP_PROTO, f->key_ip_proto);
	if (mac)
		mnl_attr_put(nlh, VSW_KEY_ATTR_ETH_DST, 6, dst);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	if (type)
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, 0xffff);
	if (proto)
		mnl_attr_put_u8(nlh, VSW_KEY_ATTR_IP_PROTO, 0xff);
	if (mac)
		mnl_attr_put(nlh, VSW_KEY_ATTR_ETH_DST, 6, ones);
	mnl_attr_nest_end(nlh, n);
}

/* PORT_NEW/PORT_DEL of fz0's spare devices, which the handler carries
 * out (random ones rarely name a free device and nothing else). */
static void put_coherent_port(struct nlmsghdr *nlh, uint8_t cmd)
{
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, "fz0");
	if (cmd == VSW_CMD_PORT_DEL && chance(50)) {
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, 3 + rn(2));
		return;
	}
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, chance(50) ? "fzv2" : "fzv3");
	if (cmd == VSW_CMD_PORT_NEW && chance(50))
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, 3 + rn(2));
}

/* A flow or packet request whose parts agree with each other, so that
 * the handler installs, finds or executes it. */
static void put_coherent(struct nlmsghdr *nlh, uint8_t cmd)
{
	static const uint32_t ports[] = { 1, 2, 1, 2, 3, VSW_PORT_LOCAL };
	uint32_t in_port = ports[rn(6)];
	struct vf_frame f;
	struct nlattr *n;
	uint8_t ufid[VSW_UFID_LEN];

	vf_build(&f, rn(VF_N_KINDS), rn(VF_N_TAGS));
	memset(ufid, 0x40 + rn(4), sizeof(ufid));
	mnl_attr_put_strz(nlh, 1, chance(90) ? "fz0" : "fz1");	/* DP_NAME */
	if (cmd == VSW_CMD_PACKET_EXECUTE) {
		mnl_attr_put_u32(nlh, VSW_PACKET_ATTR_IN_PORT, in_port);
		mnl_attr_put(nlh, VSW_PACKET_ATTR_PACKET, f.len, f.b);
		n = mnl_attr_nest_start(nlh, VSW_PACKET_ATTR_ACTIONS);
		put_attrs(nlh, fz.act_pol, 1);
		mnl_attr_nest_end(nlh, n);
		return;
	}
	if (cmd != VSW_CMD_FLOW_NEW && chance(40)) {
		mnl_attr_put(nlh, VSW_FLOW_ATTR_UFID, sizeof(ufid), ufid);
		return;
	}
	put_match(nlh, &f, in_port);
	if (cmd != VSW_CMD_FLOW_NEW)
		return;
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	put_attrs(nlh, fz.act_pol, 1);
	mnl_attr_nest_end(nlh, n);
	if (chance(40))
		mnl_attr_put(nlh, VSW_FLOW_ATTR_UFID, sizeof(ufid), ufid);
	if (chance(50))
		mnl_attr_put(nlh, VSW_FLOW_ATTR_PACKET, f.len, f.b);
	if (chance(20))
		mnl_attr_put(nlh, VSW_FLOW_ATTR_REPLACE, 0, NULL);
	if (chance(10))
		mnl_attr_put(nlh, VSW_FLOW_ATTR_CLEAR, 0, NULL);
}

/* --- one request ------------------------------------------------------------ */

/* How often each command is picked: datapath churn (netdev registration,
 * RCU grace periods) is slow under emulation, flows and packets are not. */
static int weight(uint8_t cmd)
{
	switch (cmd) {
	case VSW_CMD_DP_NEW: case VSW_CMD_DP_DEL: case VSW_CMD_FLOW_FLUSH:
		return 2;
	case VSW_CMD_FLOW_NEW: case VSW_CMD_PACKET_EXECUTE:
		return 20;
	case VSW_CMD_FLOW_DEL: case VSW_CMD_FLOW_GET:
		return 8;
	}
	return 4;
}

static const struct op *pick_op(void)
{
	static struct op unknown;
	int i, total = 0, r;

	if (chance(2)) {	/* a command the family may not have */
		unknown.cmd = rn(256);
		unknown.do_pol = unknown.dump_pol = rn(fz.n_pol - 3);
		return &unknown;
	}
	for (i = 0; i < fz.n_ops; i++)
		total += weight(fz.ops[i].cmd);
	r = rn(total);
	for (i = 0; i < fz.n_ops; i++) {
		r -= weight(fz.ops[i].cmd);
		if (r < 0)
			break;
	}
	return &fz.ops[i < fz.n_ops ? i : 0];
}

/* Lies about one attribute's length, or cuts the message short (never
 * below the netlink header: such a message is dropped without an ack). */
static void corrupt(struct nlmsghdr *nlh)
{
	unsigned int hdr = NLMSG_HDRLEN + GENL_HDRLEN, off, len;
	struct nlattr *a;

	if (nlh->nlmsg_len <= hdr)
		return;
	if (chance(50)) {
		nlh->nlmsg_len = NLMSG_HDRLEN + rn(nlh->nlmsg_len - NLMSG_HDRLEN);
		return;
	}
	/* any 4-aligned offset inside the attributes: often an nla_len */
	off = hdr + 4 * rn((nlh->nlmsg_len - hdr) / 4);
	a = (struct nlattr *)((uint8_t *)nlh + off);
	len = a->nla_len;
	switch (rn(5)) {
	case 0: a->nla_len = rn(4); break;
	case 1: a->nla_len = len + 1 + rn(8); break;
	case 2: a->nla_len = len ? len - 1 : 0; break;
	case 3: a->nla_len = 0xffff; break;
	default: a->nla_type ^= NLA_F_NESTED;
	}
}

static struct nlmsghdr *gen_request(uint8_t *cmd)
{
	const struct op *o = pick_op();
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(fz.req);
	struct genlmsghdr *g;
	bool dump = o->dump_pol >= 0 ? chance(30) : chance(3);

	nlh->nlmsg_type = fz.h.family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (dump)
		nlh->nlmsg_flags |= NLM_F_DUMP;
	else if (chance(30))
		nlh->nlmsg_flags |= chance(50) ? NLM_F_REPLACE : NLM_F_ECHO;
	nlh->nlmsg_seq = ++fz.seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = o->cmd;
	g->version = chance(97) ? VSWITCH_GENL_VERSION : rn(256);
	*cmd = o->cmd;
	fz.wrong_pct = 8;
	if ((is_flow_cmd(o->cmd) || o->cmd == VSW_CMD_PACKET_EXECUTE) &&
	    !dump && chance(50)) {
		fz.wrong_pct = 0;
		put_coherent(nlh, o->cmd);
		fz.wrong_pct = 8;
	} else if ((o->cmd == VSW_CMD_PORT_NEW || o->cmd == VSW_CMD_PORT_DEL) &&
		   !dump && chance(30)) {
		put_coherent_port(nlh, o->cmd);
	} else {
		put_attrs(nlh, dump && o->dump_pol >= 0 ? o->dump_pol : o->do_pol, 0);
	}
	if (chance(4))
		corrupt(nlh);
	return nlh;
}

/* --- replies ----------------------------------------------------------------- */

/* Attributes fill @len bytes at @p exactly, each one well-formed. */
static bool attrs_well_formed(const uint8_t *p, size_t len)
{
	while (len >= sizeof(struct nlattr)) {
		const struct nlattr *a = (const void *)p;
		size_t step = MNL_ALIGN(a->nla_len);

		if (a->nla_len < sizeof(*a) || a->nla_len > len)
			return false;
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return len == 0;
}

/* Receives until the ack of @seq (a dump: its DONE); returns its errno
 * (<= 0), or 1 with fz.why set when the reply is missing or malformed. */
static int collect(uint32_t seq, uint8_t cmd)
{
	for (;;) {
		ssize_t n = recv(fz.fd, fz.rbuf, sizeof(fz.rbuf), 0);
		const struct nlmsghdr *nlh = (const void *)fz.rbuf;
		int left = n;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(fz.why, sizeof(fz.why), "no reply within %ds: %s",
				 REPLY_TIMEOUT_S, strerror(errno));
			return 1;
		}
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_seq != seq) {
				snprintf(fz.why, sizeof(fz.why),
					 "reply with sequence %u, expected %u",
					 nlh->nlmsg_seq, seq);
				return 1;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				int err = e->error;

				if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int) ||
				    err > 0 || err < -4095) {
					snprintf(fz.why, sizeof(fz.why),
						 "malformed ack (error %d)", err);
					return 1;
				}
				return err;
			}
			if (nlh->nlmsg_type != fz.h.family ||
			    mnl_nlmsg_get_payload_len(nlh) < sizeof(*g) ||
			    g->cmd != cmd ||
			    !attrs_well_formed((const uint8_t *)g + GENL_HDRLEN,
					       mnl_nlmsg_get_payload_len(nlh) -
					       GENL_HDRLEN)) {
				snprintf(fz.why, sizeof(fz.why),
					 "malformed reply: type %u, cmd %u",
					 nlh->nlmsg_type, g->cmd);
				return 1;
			}
			fz.replies++;
		}
		if (left) {
			snprintf(fz.why, sizeof(fz.why),
				 "%d bytes of garbage after the replies", left);
			return 1;
		}
	}
}

/* Reads whatever upcalls the sink socket holds; false if one is
 * malformed. */
static bool drain_upcalls(void)
{
	for (;;) {
		ssize_t n = recv(fz.sink, fz.rbuf, sizeof(fz.rbuf), MSG_DONTWAIT);
		const struct nlmsghdr *nlh = (const void *)fz.rbuf;
		int left = n;

		if (n < 0)
			return errno == EAGAIN || errno == ENOBUFS;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != fz.h.family ||
			    (g->cmd != VSW_CMD_MISS && g->cmd != VSW_CMD_ACTION) ||
			    !attrs_well_formed((const uint8_t *)g + GENL_HDRLEN,
					       mnl_nlmsg_get_payload_len(nlh) -
					       GENL_HDRLEN)) {
				snprintf(fz.why, sizeof(fz.why),
					 "malformed upcall: type %u cmd %u",
					 nlh->nlmsg_type, g->cmd);
				return false;
			}
			fz.upcalls++;
		}
	}
}

static void hexdump(const void *p, unsigned int len)
{
	const uint8_t *b = p;
	char line[80];
	unsigned int i, o = 0;

	for (i = 0; i < len && i < 512; i++) {
		o += snprintf(line + o, sizeof(line) - o, "%02x", b[i]);
		if (i % 32 == 31 || i + 1 == len) {
			ksft_print_msg("  %s\n", line);
			o = 0;
		}
	}
}

/* --- setup -------------------------------------------------------------------- */

static int open_raw(struct mnl_socket **s, uint32_t *portid, int rcvbuf)
{
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	int one = 1, fd;

	*s = mnl_socket_open(NETLINK_GENERIC);
	if (!*s || mnl_socket_bind(*s, 0, MNL_SOCKET_AUTOPID) < 0)
		return -1;
	fd = mnl_socket_get_fd(*s);
	*portid = mnl_socket_get_portid(*s);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

/* Frames of every kind, cut or lied about now and then, into fz0's two
 * ports until killed: the fuzzed flows and actions meet real packets. */
static void traffic(uint64_t seed)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd[2], i;

	fz.rng = seed ^ 0x5eed;
	for (i = 0; i < 2; i++) {
		fd[i] = socket(AF_PACKET, SOCK_RAW, 0);
		sll.sll_ifindex = if_nametoindex(i ? "fzw1" : "fzw0");
		if (fd[i] < 0 || bind(fd[i], (void *)&sll, sizeof(sll)))
			_exit(1);
	}
	for (;;) {
		struct vf_frame f;
		unsigned int len;

		vf_build(&f, rn(VF_N_KINDS), rn(VF_N_TAGS));
		if (f.n_lenf && chance(20))
			vf_set_field(&f, &f.lenf[rn(f.n_lenf)], rnd());
		len = chance(20) ? ETH_HLEN + rn(f.len - ETH_HLEN + 1) : f.len;
		if (send(fd[rn(2)], f.b, len, 0) < 0 && errno != ENOBUFS)
			_exit(1);
		usleep(500);
	}
}

FIXTURE(fuzz) {
	struct mnl_socket *fuzz_nl, *sink_nl;
	pid_t traffic;
};

FIXTURE_SETUP(fuzz)
{
	struct nlmsghdr *nlh;
	int i;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&fz.h));
	ASSERT_EQ(0, vsw_sh("ip link set lo up"));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, vsw_sh("ip link add fzv%d type veth peer name fzw%d"
				    " && ip link set fzv%d up && ip link set fzw%d up",
				    i, i, i, i));
	fz.fd = open_raw(&self->fuzz_nl, &fz.portid, 1 << 20);
	fz.sink = open_raw(&self->sink_nl, &fz.sink_portid, 1 << 16);
	ASSERT_GE(fz.fd, 0);
	ASSERT_GE(fz.sink, 0);
	nlh = vsw_nl_req(&fz.h, VSW_CMD_DP_NEW, 0);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, "fz0");
	mnl_attr_put(nlh, VSW_DP_ATTR_UPCALL_PIDS, 4, &fz.sink_portid);
	ASSERT_EQ(0, vsw_nl_talk(&fz.h, nlh, NULL, NULL));
	ASSERT_EQ(1, vsw_port_add(&fz.h, "fz0", "fzv0", 1));
	ASSERT_EQ(2, vsw_port_add(&fz.h, "fz0", "fzv1", 2));
	self->traffic = -1;
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->traffic > 0) {
		kill(self->traffic, SIGKILL);
		waitpid(self->traffic, NULL, 0);
	}
	vsw_sh("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null");
	if (self->fuzz_nl)
		mnl_socket_close(self->fuzz_nl);
	if (self->sink_nl)
		mnl_socket_close(self->sink_nl);
	vsw_nl_close(&fz.h);
}

struct dp_names {
	char name[16][IFNAMSIZ];
	int n;
};

static int dp_name_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_DP_ATTR_MAX + 1];
	struct dp_names *d = data;

	vsw_nl_parse(nlh, tb, VSW_DP_ATTR_MAX);
	if (tb[VSW_DP_ATTR_DP_NAME] && d->n < 16)
		snprintf(d->name[d->n++], IFNAMSIZ, "%s",
			 mnl_attr_get_str(tb[VSW_DP_ATTR_DP_NAME]));
	return MNL_CB_OK;
}

/* The datapaths of this netns, or -errno. */
static int list_datapaths(struct dp_names *d)
{
	struct nlmsghdr *nlh = vsw_nl_req(&fz.h, VSW_CMD_DP_GET, NLM_F_DUMP);

	d->n = 0;
	return vsw_nl_talk(&fz.h, nlh, dp_name_cb, d) ?: d->n;
}

static void log_counts(void)
{
	int i;

	for (i = 0; i < fz.n_ops; i++)
		ksft_print_msg("  cmd %2u: %6lu accepted, %6lu refused\n",
			       fz.ops[i].cmd, fz.ok[fz.ops[i].cmd],
			       fz.fail[fz.ops[i].cmd]);
	ksft_print_msg("  %lu replies, %lu upcalls read\n", fz.replies, fz.upcalls);
}

static int flow_1to2(uint32_t in, uint32_t out)
{
	struct nlmsghdr *nlh = vsw_nl_req(&fz.h, VSW_CMD_FLOW_NEW, 0);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, "fzok");
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, in);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_MASK);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 0xffffffff);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, out);
	mnl_attr_nest_end(nlh, n);
	return vsw_nl_talk(&fz.h, nlh, NULL, NULL);
}

TEST_F_TIMEOUT(fuzz, every_command_random_requests_then_forwarding, 280)
{
	uint64_t seed = env_u64("VSW_FUZZ_SEED", (uint64_t)time(NULL) * 2654435761u ^ getpid());
	unsigned long max_msgs = env_u64("VSW_FUZZ_MSGS", FUZZ_MSGS_DEFAULT);
	unsigned long max_secs = env_u64("VSW_FUZZ_SECS", FUZZ_SECS_DEFAULT);
	unsigned long sent = 0;
	struct dp_names dps;
	time_t start = time(NULL);
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_msg("seed %llu (VSW_FUZZ_SEED=%llu replays this run)\n",
		       (unsigned long long)seed, (unsigned long long)seed);
	fz.rng = seed ? seed : 1;
	ASSERT_EQ(0, dump_policies()) TH_LOG("CTRL_CMD_GETPOLICY: %s", fz.h.msg);
	ASSERT_GE(fz.n_ops, VSW_CMD_PACKET_EXECUTE) TH_LOG("the kernel lists %d ops", fz.n_ops);
	annotate();

	self->traffic = fork();
	ASSERT_GE(self->traffic, 0);
	if (!self->traffic)
		traffic(seed);

	while (sent < max_msgs && (unsigned long)(time(NULL) - start) < max_secs) {
		uint8_t cmd;
		struct nlmsghdr *nlh = gen_request(&cmd);
		uint32_t seq = nlh->nlmsg_seq;
		int ret;

		/* the request as generated, nlmsg_len possibly cut */
		ret = send(fz.fd, nlh, nlh->nlmsg_len, 0);
		sent++;
		if (ret < 0) {
			fz.fail[cmd]++;
			continue;
		}
		ret = collect(seq, cmd);
		if (ret > 0) {
			ksft_print_msg("message %lu (cmd %u, %u bytes):\n", sent,
				       cmd, nlh->nlmsg_len);
			hexdump(nlh, nlh->nlmsg_len);
		}
		ASSERT_LE(ret, 0) TH_LOG("message %lu: %s (seed %llu)", sent,
					 fz.why, (unsigned long long)seed);
		if (ret)
			fz.fail[cmd]++;
		else
			fz.ok[cmd]++;
		if (!(sent % 64))
			ASSERT_TRUE(drain_upcalls()) TH_LOG("%s", fz.why);
	}
	ksft_print_msg("%lu requests in %lds\n", sent, (long)(time(NULL) - start));
	log_counts();
	kill(self->traffic, SIGKILL);
	waitpid(self->traffic, NULL, 0);
	self->traffic = -1;
	ASSERT_TRUE(drain_upcalls()) TH_LOG("%s", fz.why);

	/* the handlers were reached, not only the policy check */
	EXPECT_GT(fz.ok[VSW_CMD_DP_NEW] + fz.ok[VSW_CMD_DP_SET], 0);
	EXPECT_GT(fz.ok[VSW_CMD_PORT_NEW], 0);
	EXPECT_GT(fz.ok[VSW_CMD_FLOW_NEW], 0);
	EXPECT_GT(fz.ok[VSW_CMD_FLOW_DEL] + fz.ok[VSW_CMD_FLOW_GET], 0);
	EXPECT_GT(fz.ok[VSW_CMD_PACKET_EXECUTE], 0);

	/* the fuzzer's datapaths go, with their netdevs (the random run
	 * may have deleted them all already: some seeds end with none) */
	ASSERT_LE(0, list_datapaths(&dps));
	for (i = 0; i < dps.n; i++) {
		ksft_print_msg("deleting datapath %s\n", dps.name[i]);
		EXPECT_EQ(0, vsw_dp_del(&fz.h, dps.name[i])) TH_LOG("%s", fz.h.msg);
		EXPECT_EQ(0, if_nametoindex(dps.name[i]));
	}
	ASSERT_EQ(0, list_datapaths(&dps));

	/* a fresh datapath forwards a ping */
	ASSERT_EQ(0, vsw_sh("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null;"
			    " ip netns add " NS_A " && ip netns add " NS_B
			    " && ip link add fzp0 type veth peer name fzq0 netns " NS_A
			    " && ip link add fzp1 type veth peer name fzq1 netns " NS_B
			    " && ip link set fzp0 up && ip link set fzp1 up"
			    " && ip -n " NS_A " link set fzq0 up && ip -n " NS_B " link set fzq1 up"
			    " && ip -n " NS_A " addr add 192.0.2.1/24 dev fzq0"
			    " && ip -n " NS_B " addr add 192.0.2.2/24 dev fzq1"));
	ASSERT_EQ(0, vsw_dp_add(&fz.h, "fzok"));
	ASSERT_EQ(1, vsw_port_add(&fz.h, "fzok", "fzp0", 1));
	ASSERT_EQ(2, vsw_port_add(&fz.h, "fzok", "fzp1", 2));
	ASSERT_EQ(0, flow_1to2(1, 2));
	ASSERT_EQ(0, flow_1to2(2, 1));
	ASSERT_EQ(0, vsw_sh("ip netns exec " NS_A " ping -q -c 3 -i 0.2 -W 3 192.0.2.2"));
	ASSERT_EQ(0, vsw_dp_del(&fz.h, "fzok"));
}

VSW_HARNESS_MAIN
