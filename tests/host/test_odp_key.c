// SPDX-License-Identifier: GPL-2.0
/*
 * lib/odp-key: struct flow/match <-> VSW_KEY_ATTR_* and odp_actions <->
 * VSW_ACTION_ATTR_*. Round trips of every field and action, masks that
 * emit only significant fields, strict parsing of malformed nests, and
 * the UFID of a megaflow.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include "kselftest_harness.h"
#include "dpif.h"
#include "odp-key.h"
#include "ofp-print.h"

static char buf[8192];

static struct nlmsghdr *msg(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	return nlh;
}

static const struct nlattr *first_attr(const struct nlmsghdr *nlh)
{
	return mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
}

static void full_flow(struct flow *f)
{
	size_t i;
	uint8_t *b = (uint8_t *)f;

	/* a distinct nonzero byte everywhere but the padding */
	for (i = 0; i < sizeof(*f); i++)
		b[i] = (uint8_t)(i * 7 + 1);
	memset(f->pad, 0, sizeof(f->pad));
	f->pad3 = 0;
	memset(f->ct_orig.pad, 0, sizeof(f->ct_orig.pad));
}

static int count_nested(const struct nlattr *nest)
{
	const struct nlattr *a;
	int n = 0;

	mnl_attr_for_each_nested(a, nest)
		n++;
	return n;
}

TEST(flow_round_trip_every_field)
{
	struct flow in, out;
	struct nlmsghdr *nlh = msg();
	char err[128];

	full_flow(&in);
	odp_flow_put(nlh, 1, &in);
	ASSERT_EQ(VSW_KEY_ATTR_MAX, count_nested(first_attr(nlh)));
	ASSERT_EQ(0, odp_flow_parse(first_attr(nlh), &out, err, sizeof(err)));
	/* registers and metadata are pipeline state, never in the kernel key */
	for (unsigned i = 0; i < FLOW_N_REGS; i++)
		EXPECT_EQ(0u, out.regs[i]);
	EXPECT_EQ(0u, out.metadata);
	memset(in.regs, 0, sizeof(in.regs));
	in.metadata = 0;
	EXPECT_EQ(0, memcmp(&in, &out, sizeof(in)));
}

TEST(zero_fields_are_omitted_but_in_port)
{
	struct flow in = { .in_port = 0 }, out;
	struct nlmsghdr *nlh = msg();
	const struct nlattr *a;
	char err[128];

	in.eth_type = htons(0x0800);
	odp_flow_put(nlh, 1, &in);
	ASSERT_EQ(2, count_nested(first_attr(nlh)));
	a = mnl_attr_get_payload(first_attr(nlh));
	EXPECT_EQ(VSW_KEY_ATTR_IN_PORT, mnl_attr_get_type(a));
	ASSERT_EQ(0, odp_flow_parse(first_attr(nlh), &out, err, sizeof(err)));
	EXPECT_EQ(htons(0x0800), out.eth_type);
}

TEST(match_key_is_masked_and_mask_sparse)
{
	struct match m;
	struct nlmsghdr *nlh = msg();
	const struct nlattr *key, *mask;
	struct flow k, mk;
	char err[128];

	memset(&m, 0, sizeof(m));
	m.flow.in_port = 3;
	m.flow.eth_type = htons(0x0800);
	m.flow.ipv4_src = htonl(0x0a0000ff);
	m.flow.ipv4_dst = htonl(0x0b000001);	/* not in the mask */
	m.mask.in_port = UINT32_MAX;
	m.mask.eth_type = 0xffff;
	m.mask.ipv4_src = htonl(0xffffff00);
	odp_match_put(nlh, VSW_FLOW_ATTR_KEY, VSW_FLOW_ATTR_MASK, &m);
	key = first_attr(nlh);
	mask = mnl_attr_next(key);
	EXPECT_EQ(3, count_nested(key));
	EXPECT_EQ(3, count_nested(mask));
	ASSERT_EQ(0, odp_flow_parse(key, &k, err, sizeof(err)));
	ASSERT_EQ(0, odp_flow_parse(mask, &mk, err, sizeof(err)));
	EXPECT_EQ(htonl(0x0a000000), k.ipv4_src);
	EXPECT_EQ(0u, k.ipv4_dst);
	EXPECT_EQ(htonl(0xffffff00), mk.ipv4_src);
	EXPECT_EQ(UINT32_MAX, mk.in_port);
}

TEST(wrong_length_is_refused_by_name)
{
	struct nlmsghdr *nlh = msg();
	struct nlattr *nest = mnl_attr_nest_start(nlh, 1);
	struct flow out;
	char err[128];

	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_ETH_TYPE, 0x800);	/* be16 */
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-1, odp_flow_parse(first_attr(nlh), &out, err, sizeof(err)));
	EXPECT_STREQ("key attribute eth_type has length 4, want 2", err);
}

TEST(unknown_and_repeated_attributes_are_refused)
{
	struct nlmsghdr *nlh = msg();
	struct nlattr *nest = mnl_attr_nest_start(nlh, 1);
	struct flow out;
	char err[128];

	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_MAX + 1, 0);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-1, odp_flow_parse(first_attr(nlh), &out, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "unknown key attribute"));

	nlh = msg();
	nest = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 1);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 2);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-1, odp_flow_parse(first_attr(nlh), &out, err, sizeof(err)));
	EXPECT_STREQ("key attribute in_port repeated", err);
}

static void add(struct odp_actions *a, uint16_t type)
{
	memset(&a->a[a->n], 0, sizeof(a->a[0]));
	a->a[a->n++].type = type;
}

TEST(actions_round_trip_every_type)
{
	struct odp_actions in = { 0 }, out;
	struct nlmsghdr *nlh = msg();
	char err[128];
	unsigned int t;

	for (t = 1; t <= VSW_ACTION_ATTR_MAX; t++) {
		add(&in, t);
		memset(&in.a[in.n - 1].u, (int)t, sizeof(in.a[0].u));
	}
	/* keep only each member's own bytes meaningful */
	for (t = 0; t < in.n; t++) {
		struct odp_action *a = &in.a[t], c = *a;

		memset(&a->u, 0, sizeof(a->u));
		switch (a->type) {
		case VSW_ACTION_ATTR_OUTPUT: a->u.port = c.u.port; break;
		case VSW_ACTION_ATTR_USERSPACE: a->u.cookie = c.u.cookie; break;
		case VSW_ACTION_ATTR_PUSH_VLAN: case VSW_ACTION_ATTR_SET_TP_SRC:
		case VSW_ACTION_ATTR_SET_TP_DST: case VSW_ACTION_ATTR_SET_VLAN_TCI:
			a->u.be16 = c.u.be16; break;
		case VSW_ACTION_ATTR_SET_IPV4_SRC: case VSW_ACTION_ATTR_SET_IPV4_DST:
		case VSW_ACTION_ATTR_SET_IPV6_LABEL:
			a->u.be32 = c.u.be32; break;
		case VSW_ACTION_ATTR_SET_IP_DSCP: case VSW_ACTION_ATTR_SET_IP_TTL:
			a->u.u8 = c.u.u8; break;
		case VSW_ACTION_ATTR_SET_ETH_SRC: case VSW_ACTION_ATTR_SET_ETH_DST:
			memcpy(a->u.mac, c.u.mac, 6); break;
		case VSW_ACTION_ATTR_SET_IPV6_SRC: case VSW_ACTION_ATTR_SET_IPV6_DST:
			a->u.ip6 = c.u.ip6; break;
		case VSW_ACTION_ATTR_SET_TUNNEL: a->u.tun = c.u.tun; break;
		}
	}
	ASSERT_EQ(0, odp_actions_put(nlh, sizeof(buf), 1, &in));
	ASSERT_EQ(0, odp_actions_parse(first_attr(nlh), &out, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(in.n, out.n);
	EXPECT_TRUE(odp_actions_equal(&in, &out));
	out.a[0].u.port ^= 1;
	EXPECT_FALSE(odp_actions_equal(&in, &out));
}

TEST(empty_actions_are_an_empty_nest)
{
	struct odp_actions in = { 0 }, out;
	struct nlmsghdr *nlh = msg();
	char err[128];

	ASSERT_EQ(0, odp_actions_put(nlh, sizeof(buf), 1, &in));
	EXPECT_EQ(0, count_nested(first_attr(nlh)));
	ASSERT_EQ(0, odp_actions_parse(first_attr(nlh), &out, err, sizeof(err)));
	EXPECT_EQ(0u, out.n);
}

TEST(action_with_wrong_length_is_refused)
{
	struct nlmsghdr *nlh = msg();
	struct nlattr *nest = mnl_attr_nest_start(nlh, 1);
	struct odp_actions out;
	char err[128];

	mnl_attr_put_u16(nlh, VSW_ACTION_ATTR_OUTPUT, 1);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-1, odp_actions_parse(first_attr(nlh), &out, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "length 2, want 4"));
}

TEST(tunnel_nest_is_parsed_strictly)
{
	struct nlmsghdr *nlh = msg();
	struct nlattr *nest = mnl_attr_nest_start(nlh, 1), *t;
	struct flow out;
	char err[128];

	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 1);
	t = mnl_attr_nest_start(nlh, VSW_KEY_ATTR_TUNNEL);
	mnl_attr_put_u32(nlh, VSW_TUNNEL_ATTR_ID, 5);	/* be64 wanted */
	mnl_attr_nest_end(nlh, t);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-1, odp_flow_parse(first_attr(nlh), &out, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "tunnel attribute id has length 4, want 8"));

	nlh = msg();
	nest = mnl_attr_nest_start(nlh, 1);
	t = mnl_attr_nest_start(nlh, VSW_KEY_ATTR_TUNNEL);
	mnl_attr_put_u32(nlh, VSW_TUNNEL_ATTR_MAX + 1, 5);
	mnl_attr_nest_end(nlh, t);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-1, odp_flow_parse(first_attr(nlh), &out, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "unknown tunnel attribute"));

	/* the kernel's 64-bit alignment padding is not a field */
	nlh = msg();
	nest = mnl_attr_nest_start(nlh, 1);
	t = mnl_attr_nest_start(nlh, VSW_KEY_ATTR_TUNNEL);
	mnl_attr_put(nlh, VSW_TUNNEL_ATTR_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, VSW_TUNNEL_ATTR_ID, htobe64(42));
	mnl_attr_nest_end(nlh, t);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, odp_flow_parse(first_attr(nlh), &out, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(htobe64(42), out.tunnel.tun_id);
}

TEST(set_tunnel_prints_as_ovs_does)
{
	struct odp_actions acts = { .n = 2 };
	char *s;

	acts.a[0].type = VSW_ACTION_ATTR_SET_TUNNEL;
	acts.a[0].u.tun.tun_id = htobe64(42);
	acts.a[0].u.tun.ipv4_dst = htonl(0xc0000202);
	acts.a[0].u.tun.ttl = 64;
	acts.a[0].u.tun.flags = VSW_TUNNEL_F_DF | VSW_TUNNEL_F_KEY;
	acts.a[1].type = VSW_ACTION_ATTR_OUTPUT;
	acts.a[1].u.port = 3;
	s = odp_format_actions(&acts);
	EXPECT_STREQ("set(tunnel(tun_id=0x2a,dst=192.0.2.2,ttl=64,flags(df|key))),3", s);
	free(s);
}

TEST(ufid_depends_on_masked_key_and_mask_only)
{
	struct match a, b;
	uint8_t ua[VSW_UFID_LEN], ub[VSW_UFID_LEN];

	memset(&a, 0, sizeof(a));
	a.flow.in_port = 1;
	a.flow.ipv4_src = htonl(0x0a000001);
	a.mask.in_port = UINT32_MAX;
	a.mask.ipv4_src = htonl(0xff000000);
	b = a;
	b.flow.ipv4_src = htonl(0x0a0000ff);	/* same under the mask */
	dpif_ufid_for_match(&a, ua);
	dpif_ufid_for_match(&b, ub);
	EXPECT_EQ(0, memcmp(ua, ub, sizeof(ua)));
	b.mask.ipv4_src = htonl(0xffff0000);	/* a different mask */
	dpif_ufid_for_match(&b, ub);
	EXPECT_NE(0, memcmp(ua, ub, sizeof(ua)));
	b = a;
	b.flow.in_port = 2;
	dpif_ufid_for_match(&b, ub);
	EXPECT_NE(0, memcmp(ua, ub, sizeof(ua)));
}

TEST_HARNESS_MAIN
