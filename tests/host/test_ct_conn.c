// SPDX-License-Identifier: GPL-2.0
/*
 * dump-conntrack and flush-conntrack without a kernel: their arguments
 * (lib/ct-conn.c: what is accepted, each bad input refused naming it),
 * the filter they make, the lines Open vSwitch's dpctl/dump-conntrack
 * prints, and ctnetlink messages built here as the kernel builds them
 * read back (lib/ct-netlink.c), malformed ones refused.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include "kselftest_harness.h"
#include "ct-netlink.h"

static int parse(struct ct_filter *f, bool tuple, char *err, size_t len,
		 const char *a, const char *b)
{
	char *args[2] = { (char *)a, (char *)b };

	return ct_filter_parse(f, args, b ? 2 : (a ? 1 : 0), tuple, err, len);
}

TEST(arguments_make_the_filter)
{
	struct ct_filter f;
	char err[256] = "";

	ASSERT_EQ(0, parse(&f, false, err, sizeof(err), NULL, NULL)) TH_LOG("%s", err);
	EXPECT_TRUE(ct_filter_is_empty(&f));
	ASSERT_EQ(0, parse(&f, false, err, sizeof(err), "zone=5", NULL)) TH_LOG("%s", err);
	EXPECT_TRUE(f.has_zone);
	EXPECT_EQ(5, f.zone);
	EXPECT_EQ(0u, f.fields);

	ASSERT_EQ(0, parse(&f, true, err, sizeof(err), "zone=7",
			   "ct_nw_src=192.0.2.1,ct_nw_dst=192.0.2.2,ct_nw_proto=6,"
			   "ct_tp_src=40000,ct_tp_dst=80")) TH_LOG("%s", err);
	EXPECT_EQ(7, f.zone);
	EXPECT_EQ((unsigned)(CT_F_SRC | CT_F_DST | CT_F_PROTO | CT_F_SPORT |
			     CT_F_DPORT), f.fields);
	EXPECT_EQ(AF_INET, f.tuple.family);
	EXPECT_EQ(6, f.tuple.proto);
	EXPECT_EQ(40000, f.tuple.sport);
	EXPECT_EQ(80, f.tuple.dport);

	/* a tuple without zone= is zone 0's, as ovs-dpctl's */
	ASSERT_EQ(0, parse(&f, true, err, sizeof(err), "ct_ipv6_src=2001:db8::1",
			   NULL)) TH_LOG("%s", err);
	EXPECT_TRUE(f.has_zone);
	EXPECT_EQ(0, f.zone);
	EXPECT_EQ(AF_INET6, f.tuple.family);

	ASSERT_EQ(0, parse(&f, true, err, sizeof(err),
			   "ct_nw_proto=1,icmp_type=8,icmp_id=77", NULL)) TH_LOG("%s", err);
	EXPECT_EQ(8, f.tuple.icmp_type);
	EXPECT_EQ(77, f.tuple.icmp_id);
}

static const struct { bool tuple; const char *arg, *want; } bad_args[] = {
	{ false, "zone=65536", "invalid zone '65536'" },
	{ false, "zone=x", "invalid zone 'x'" },
	{ false, "zone=", "'zone=' is not KEY=VALUE" },
	{ false, "ct_nw_src=192.0.2.1", "unknown argument 'ct_nw_src' (only zone=N)" },
	{ true, "zone=1,zone=2", "zone given twice" },
	{ true, "ct_nw_src=192.0.2.300", "invalid ct_nw_src '192.0.2.300' (an IPv4 address)" },
	{ true, "ct_ipv6_dst=192.0.2.1", "invalid ct_ipv6_dst '192.0.2.1' (an IPv6 address)" },
	{ true, "ct_nw_src=192.0.2.1,ct_ipv6_dst=2001:db8::1",
	  "ct_ipv6_dst: IPv4 and IPv6 addresses mixed in one tuple" },
	{ true, "ct_nw_src=192.0.2.1,ct_nw_src=192.0.2.2", "ct_nw_src given twice" },
	{ true, "ct_nw_proto=256", "invalid ct_nw_proto '256' (0..255)" },
	{ true, "ct_nw_proto=6,ct_tp_dst=65536", "invalid ct_tp_dst '65536' (0..65535)" },
	{ true, "ct_tp_dst=80", "ct_tp_src/ct_tp_dst needs ct_nw_proto" },
	{ true, "ct_nw_proto=1,ct_tp_dst=80", "ct_tp_src/ct_tp_dst with ct_nw_proto=1" },
	{ true, "ct_nw_proto=6,icmp_type=8", "icmp_id/icmp_type/icmp_code with ct_nw_proto=6" },
	{ true, "ct_tos=1", "unknown conntrack field 'ct_tos'" },
	{ true, "ct_nw_src", "'ct_nw_src' is not KEY=VALUE" },
};

TEST(bad_arguments_are_refused_by_name)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_args); i++) {
		struct ct_filter f;
		char err[256] = "";

		EXPECT_EQ(-1, parse(&f, bad_args[i].tuple, err, sizeof(err),
				    bad_args[i].arg, NULL)) TH_LOG("%s", bad_args[i].arg);
		EXPECT_NE(NULL, strstr(err, bad_args[i].want))
			TH_LOG("%s: got '%s', want '%s'", bad_args[i].arg, err,
			       bad_args[i].want);
	}
}

static void v4(uint8_t *a, const char *s)
{
	inet_pton(AF_INET, s, a);
}

static struct ct_conn tcp_conn(void)
{
	struct ct_conn c = { .zone = 5, .mark = 1, .tcp_state = TCP_CONNTRACK_ESTABLISHED };

	c.orig = (struct ct_tuple){ .family = AF_INET, .proto = IPPROTO_TCP,
				    .sport = 40000, .dport = 80, .has_ports = true };
	v4(c.orig.src, "192.0.2.1");
	v4(c.orig.dst, "192.0.2.2");
	c.reply = c.orig;
	memcpy(c.reply.src, c.orig.dst, 4);
	memcpy(c.reply.dst, c.orig.src, 4);
	c.reply.sport = 80;
	c.reply.dport = 40000;
	return c;
}

TEST(filter_matches_the_original_direction)
{
	struct ct_conn c = tcp_conn();
	struct ct_filter f;
	char err[256];

	ASSERT_EQ(0, parse(&f, true, err, sizeof(err), "zone=5",
			   "ct_nw_src=192.0.2.1,ct_nw_proto=6,ct_tp_dst=80"));
	EXPECT_TRUE(ct_filter_match(&f, &c));
	c.zone = 6;
	EXPECT_FALSE(ct_filter_match(&f, &c));
	c.zone = 5;
	/* the reply direction's source is not the original's */
	ASSERT_EQ(0, parse(&f, true, err, sizeof(err), "zone=5", "ct_nw_src=192.0.2.2"));
	EXPECT_FALSE(ct_filter_match(&f, &c));
	ASSERT_EQ(0, parse(&f, true, err, sizeof(err), "zone=5", "ct_ipv6_src=::"));
	EXPECT_FALSE(ct_filter_match(&f, &c));
	ASSERT_EQ(0, parse(&f, true, err, sizeof(err), "zone=5", "ct_tp_src=1,ct_nw_proto=6"));
	EXPECT_FALSE(ct_filter_match(&f, &c));
	ASSERT_EQ(0, parse(&f, false, err, sizeof(err), NULL, NULL));
	EXPECT_TRUE(ct_filter_match(&f, &c));
}

static void expect_line(struct __test_metadata *_metadata,
			const struct ct_conn *c, const char *want)
{
	struct strbuf sb;

	strbuf_init(&sb);
	ct_conn_format(&sb, c);
	EXPECT_STREQ(want, strbuf_str(&sb));
	strbuf_free(&sb);
}

TEST(lines_are_printed_as_ovs_dpctl_prints_them)
{
	struct ct_conn c = tcp_conn();

	expect_line(_metadata, &c,
		    "tcp,orig=(src=192.0.2.1,dst=192.0.2.2,sport=40000,dport=80),"
		    "reply=(src=192.0.2.2,dst=192.0.2.1,sport=80,dport=40000),"
		    "zone=5,mark=1,protoinfo=(state=ESTABLISHED)");
	c.zone = 0;
	c.mark = 0;
	c.labels[0] = 0x01;
	c.labels[15] = 0x80;
	c.tcp_state = TCP_CONNTRACK_SYN_SENT;
	expect_line(_metadata, &c,
		    "tcp,orig=(src=192.0.2.1,dst=192.0.2.2,sport=40000,dport=80),"
		    "reply=(src=192.0.2.2,dst=192.0.2.1,sport=80,dport=40000),"
		    "labels=0x80000000000000000000000000000001,"
		    "protoinfo=(state=SYN_SENT)");

	memset(&c, 0, sizeof(c));
	c.tcp_state = -1;
	c.orig = (struct ct_tuple){ .family = AF_INET6, .proto = IPPROTO_ICMPV6,
				    .icmp_id = 9, .icmp_type = 128 };
	inet_pton(AF_INET6, "2001:db8::1", c.orig.src);
	inet_pton(AF_INET6, "2001:db8::2", c.orig.dst);
	c.reply = c.orig;
	memcpy(c.reply.src, c.orig.dst, 16);
	memcpy(c.reply.dst, c.orig.src, 16);
	c.reply.icmp_type = 129;
	c.zone = 65535;
	expect_line(_metadata, &c,
		    "icmpv6,orig=(src=2001:db8::1,dst=2001:db8::2,id=9,type=128,code=0),"
		    "reply=(src=2001:db8::2,dst=2001:db8::1,id=9,type=129,code=0),"
		    "zone=65535");
	c.orig.proto = c.reply.proto = 250;
	c.zone = 0;
	expect_line(_metadata, &c,
		    "250,orig=(src=2001:db8::1,dst=2001:db8::2,sport=0,dport=0),"
		    "reply=(src=2001:db8::2,dst=2001:db8::1,sport=0,dport=0)");
}

/* ---- ctnetlink messages, as the kernel's ctnetlink_fill_info() ---- */

static void put_tuple(struct nlmsghdr *nlh, int type, const char *src,
		      const char *dst, uint16_t sport, uint16_t dport)
{
	struct nlattr *t = mnl_attr_nest_start(nlh, type), *n;
	uint8_t a[4];

	n = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	v4(a, src);
	mnl_attr_put(nlh, CTA_IP_V4_SRC, 4, a);
	v4(a, dst);
	mnl_attr_put(nlh, CTA_IP_V4_DST, 4, a);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(sport));
	mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(dport));
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, t);
}

static struct nlmsghdr *ct_msg(char *buf, bool with_reply)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;
	struct nlattr *pi, *tcp;
	uint8_t labels[16] = { 0x01 };

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_INET;
	put_tuple(nlh, CTA_TUPLE_ORIG, "192.0.2.1", "192.0.2.2", 40000, 80);
	if (with_reply)
		put_tuple(nlh, CTA_TUPLE_REPLY, "192.0.2.2", "192.0.2.1", 80, 40000);
	pi = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	tcp = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	mnl_attr_nest_end(nlh, tcp);
	mnl_attr_nest_end(nlh, pi);
	mnl_attr_put_u32(nlh, CTA_MARK, htonl(1));
	mnl_attr_put_u16(nlh, CTA_ZONE, htons(5));
	mnl_attr_put(nlh, CTA_LABELS, sizeof(labels), labels);
	mnl_attr_put_u32(nlh, CTA_SECCTX + 100, 0);	/* unknown: skipped */
	return nlh;
}

TEST(kernel_message_reads_back)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ct_conn c;
	struct strbuf sb;

	ASSERT_EQ(0, ct_netlink_parse(ct_msg(buf, true), &c));
	strbuf_init(&sb);
	ct_conn_format(&sb, &c);
	EXPECT_STREQ("tcp,orig=(src=192.0.2.1,dst=192.0.2.2,sport=40000,dport=80),"
		     "reply=(src=192.0.2.2,dst=192.0.2.1,sport=80,dport=40000),"
		     "zone=5,mark=1,labels=0x1,protoinfo=(state=ESTABLISHED)",
		     strbuf_str(&sb));
	strbuf_free(&sb);
	EXPECT_TRUE(c.orig.has_ports);
}

TEST(malformed_kernel_message_is_refused)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ct_conn c;

	/* no reply tuple */
	EXPECT_EQ(-EPROTO, ct_netlink_parse(ct_msg(buf, false), &c));
	/* a mark of the wrong size */
	nlh = ct_msg(buf, true);
	mnl_attr_put_u16(nlh, CTA_MARK, 1);
	EXPECT_EQ(-EPROTO, ct_netlink_parse(nlh, &c));
	/* another message type */
	nlh = ct_msg(buf, true);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE;
	EXPECT_EQ(-EPROTO, ct_netlink_parse(nlh, &c));
}

TEST_HARNESS_MAIN
