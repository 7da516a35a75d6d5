// SPDX-License-Identifier: GPL-2.0
/*
 * The ovs-ofctl flow syntax: every field, alias and shorthand read and
 * printed back in ovs-ofctl's canonical form; masks and CIDR; port names;
 * every action; the three parse modes; and each error message.
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"

static int lookup_port(void *aux, const char *name, uint32_t *port)
{
	(void)aux;
	if (!strcmp(name, "eth1")) {
		*port = 7;
		return 0;
	}
	if (!strcmp(name, "vm-a")) {
		*port = 12;
		return 0;
	}
	return -1;
}

static const char *port_name(void *aux, uint32_t port)
{
	(void)aux;
	return port == 7 ? "eth1" : NULL;
}

/* Parses @in (a match, with actions=drop added) and returns the printed
 * match, or the error prefixed by "ERR: ". */
static char *roundtrip(const char *in, enum ofp_parse_mode mode)
{
	struct ofp_rule_spec s;
	char text[512], err[256], *out;

	snprintf(text, sizeof(text), mode == OFP_PARSE_ADD ? "%s,actions=drop" : "%s", in);
	if (ofp_parse_flow(text, mode, lookup_port, NULL, &s, err, sizeof(err))) {
		char *e = malloc(strlen(err) + 6);

		sprintf(e, "ERR: %s", err);
		return e;
	}
	out = ofp_format_match(&s.match, NULL, NULL);
	ofp_rule_spec_free(&s);
	return out;
}

static const struct { const char *in, *out; } match_cases[] = {
	{ "in_port=1", "in_port=1" },
	{ "in_port=LOCAL", "in_port=LOCAL" },
	{ "in_port=eth1", "in_port=7" },
	{ "dl_src=00:11:22:33:44:55", "dl_src=00:11:22:33:44:55" },
	{ "eth_src=00:11:22:33:44:55", "dl_src=00:11:22:33:44:55" },
	{ "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
	  "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00" },
	{ "eth_dst=aa:bb:cc:dd:ee:ff", "dl_dst=aa:bb:cc:dd:ee:ff" },
	{ "dl_type=0x0800", "ip" },
	{ "eth_type=0x0806", "arp" },
	{ "dl_type=0x88cc", "dl_type=0x88cc" },
	{ "dl_vlan=10", "dl_vlan=10" },
	{ "vlan_vid=10", "dl_vlan=10" },
	{ "dl_vlan_pcp=3", "dl_vlan_pcp=3" },
	{ "dl_vlan=10,dl_vlan_pcp=3", "dl_vlan=10,dl_vlan_pcp=3" },
	{ "dl_vlan=0xffff", "vlan_tci=0x0000" },
	{ "vlan_tci=0x1005/0x1fff", "dl_vlan=5" },
	{ "vlan_tci=0x1005/0x1f0f", "vlan_tci=0x1005/0x1f0f" },
	{ "vlan_tci=0x0000", "vlan_tci=0x0000" },
	{ "vlan_tci=0x0000/0x1000", "vlan_tci=0x0000/0x1000" },
	{ "ip", "ip" }, { "ipv6", "ipv6" }, { "arp", "arp" }, { "rarp", "rarp" },
	{ "tcp", "tcp" }, { "udp", "udp" }, { "sctp", "sctp" }, { "icmp", "icmp" },
	{ "tcp6", "tcp6" }, { "udp6", "udp6" }, { "sctp6", "sctp6" },
	{ "icmp6", "icmp6" },
	{ "ip,nw_proto=6", "tcp" },
	{ "ip,nw_proto=89", "ip,nw_proto=89" },
	{ "ipv6,nw_proto=17", "udp6" },
	{ "ip,nw_src=10.0.0.0/8", "ip,nw_src=10.0.0.0/8" },
	{ "ip,nw_src=10.1.2.3/8", "ip,nw_src=10.0.0.0/8" },
	{ "ip,nw_src=10.0.0.0/255.255.0.0", "ip,nw_src=10.0.0.0/16" },
	{ "ip,nw_dst=10.1.2.3/255.0.255.0", "ip,nw_dst=10.0.2.0/255.0.255.0" },
	{ "ip,nw_dst=192.0.2.1", "ip,nw_dst=192.0.2.1" },
	{ "ip,ip_src=1.2.3.4,ip_dst=5.6.7.8", "ip,nw_src=1.2.3.4,nw_dst=5.6.7.8" },
	{ "ip,nw_src=0.0.0.0/0", "ip" },
	{ "ip,nw_tos=16", "ip,nw_tos=16" },
	{ "ip,ip_dscp=4", "ip,nw_tos=16" },
	{ "ip,nw_ecn=2", "ip,nw_ecn=2" },
	{ "ip,ip_ecn=1", "ip,nw_ecn=1" },
	{ "ip,nw_ttl=64", "ip,nw_ttl=64" },
	{ "ip,nw_frag=no", "ip,nw_frag=no" },
	{ "ip,nw_frag=yes", "ip,nw_frag=yes" },
	{ "ip,nw_frag=first", "ip,nw_frag=first" },
	{ "ip,nw_frag=later", "ip,nw_frag=later" },
	{ "ip,nw_frag=not_later", "ip,nw_frag=not_later" },
	{ "tcp,tp_src=80", "tcp,tp_src=80" },
	{ "tcp,tp_dst=0x1000/0xf000", "tcp,tp_dst=0x1000/0xf000" },
	{ "udp,udp_dst=53", "udp,tp_dst=53" },
	{ "tcp,tcp_src=1,tcp_dst=2", "tcp,tp_src=1,tp_dst=2" },
	{ "sctp,sctp_src=5,sctp_dst=6", "sctp,tp_src=5,tp_dst=6" },
	{ "udp6,udp_src=67", "udp6,tp_src=67" },
	{ "tcp,tcp_flags=+syn-ack", "tcp,tcp_flags=+syn-ack" },
	{ "tcp,tcp_flags=0x002/0x012", "tcp,tcp_flags=+syn-ack" },
	{ "tcp,tcp_flags=0x012", "tcp,tcp_flags=syn|ack" },
	{ "tcp,tcp_flags=0", "tcp,tcp_flags=0" },
	{ "tcp,tcp_flags=syn|ack", "tcp,tcp_flags=syn|ack" },
	{ "tcp,tcp_flags=syn|0x10", "tcp,tcp_flags=syn|ack" },
	{ "tcp,tcp_flags=0x201", "tcp,tcp_flags=fin|[200]" },
	{ "tcp,tcp_flags=+[800]-fin", "tcp,tcp_flags=-fin+[800]" },
	{ "ip,nw_proto=2", "ip,nw_proto=2" },	/* no "igmp": ovs-ofctl cannot read it */
	{ "ipv4", "ip" }, { "ip4", "ip" }, { "ip6", "ipv6" },
	{ "vlan_tci=0x1005/0x0fff", "vlan_tci=0x0005/0x0fff" },
	{ "vlan_tci=0x0005/0x0fff", "vlan_tci=0x0005/0x0fff" },
	{ "icmp,icmp_type=8,icmp_code=0", "icmp,icmp_type=8,icmp_code=0" },
	{ "icmp6,icmpv6_type=135,nd_target=fe80::1",
	  "icmp6,icmp_type=135,nd_target=fe80::1" },
	/* Under icmp6, icmp_type/icmp_code name the ICMPv6 fields (ovs-ofctl
	 * reads and prints them so); the printed form must read back. */
	{ "icmp6,icmp_type=135,icmp_code=0", "icmp6,icmp_type=135,icmp_code=0" },
	{ "icmp_type=136,nd_target=fe80::2,icmp6",
	  "icmp6,icmp_type=136,nd_target=fe80::2" },
	{ "icmp6,icmpv6_type=134,icmpv6_code=0", "icmp6,icmp_type=134,icmp_code=0" },
	{ "arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24",
	  "arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_op=1" },
	{ "arp,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:02",
	  "arp,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:02" },
	{ "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=::1",
	  "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=::1" },
	{ "ipv6,ipv6_dst=2001:db8::1/ffff::ffff", "ipv6,ipv6_dst=2001::1/ffff::ffff" },
	{ "ipv6,ipv6_label=0x12345", "ipv6,ipv6_label=0x12345" },
	{ "ipv6,ipv6_label=0x5/0xf", "ipv6,ipv6_label=0x00005/0x0000f" },
	/* Canonical order, whatever the input order. */
	{ "tp_dst=443,nw_dst=10.0.0.1,tcp,dl_vlan=5,in_port=2,nw_tos=8,tcp_flags=+syn",
	  "tcp,in_port=2,dl_vlan=5,nw_dst=10.0.0.1,nw_tos=8,tp_dst=443,tcp_flags=+syn" },
	{ "priority=5 ip nw_src=10.0.0.1", "ip,nw_src=10.0.0.1" },
	/* connection fields lead, as in ovs-ofctl */
	{ "ip,ct_state=+trk+est-rel", "ct_state=+est-rel+trk,ip" },
	{ "ct_state=0x21/0x21,ct_zone=5,ct_mark=0x2a", "ct_state=+new+trk,ct_zone=5,ct_mark=0x2a" },
	{ "ct_mark=0x1/0xff,ct_state=-trk", "ct_state=-trk,ct_mark=0x1/0xff" },
	/* as ovs-ofctl 3.1 prints them: an xreg is two registers */
	{ "reg0=5,reg3=0x10/0xf0,xreg1=0x1234,metadata=0x1/0xff",
	  "reg0=0x5,reg2=0,reg3=0x1234,metadata=0x1/0xff" },
	{ "tcp,reg15=0xffffffff,in_port=1", "tcp,reg15=0xffffffff,in_port=1" },
	{ "metadata=0x8000000000000000/0x8000000000000000,reg7=0/1",
	  "reg7=0/0x1,metadata=0x8000000000000000/0x8000000000000000" },
	{ "ip,ct_nw_dst=203.0.113.1,ct_state=+trk+est",
	  "ct_state=+est+trk,ct_nw_dst=203.0.113.1,ip" },
	{ "ct_state=+trk-inv,ct_nw_src=192.0.2.0/24,ct_nw_proto=6,ct_tp_dst=80,ct_tp_src=0x400/0xff00",
	  "ct_state=-inv+trk,ct_nw_src=192.0.2.0/24,ct_nw_proto=6,ct_tp_src=0x400/0xff00,ct_tp_dst=80" },
	{ "ipv6,ct_state=+rpl+trk,ct_ipv6_src=2001:db8::1,ct_ipv6_dst=2001:db8::/32",
	  "ct_state=+rpl+trk,ct_ipv6_src=2001:db8::1,ct_ipv6_dst=2001:db8::/32,ipv6" },
	{ "tun_flags=+df-csum", "tun_flags=+df-csum" },
	{ "tun_flags=+key+df", "tun_flags=+df+key" },
	{ "tun_flags=0x5/0x5", "tun_flags=+df+key" },
	{ "tun_flags=2", "tun_flags=-df+csum-key" },
	{ "tun_id=0x5,tun_flags=-csum", "tun_id=0x5,tun_flags=-csum" },
};

TEST(every_field_reads_and_prints_back)
{
	for (size_t i = 0; i < ARRAY_SIZE(match_cases); i++) {
		char *got = roundtrip(match_cases[i].in, OFP_PARSE_ADD), *again;

		if (strcmp(got, match_cases[i].out))
			fprintf(stderr, "# '%s' -> '%s', want '%s'\n",
				match_cases[i].in, got, match_cases[i].out);
		EXPECT_STREQ(match_cases[i].out, got);
		again = roundtrip(got, OFP_PARSE_ADD);	/* what we print reads back */
		EXPECT_STREQ(got, again);
		free(again);
		free(got);
	}
}

TEST(rule_keys_and_values)
{
	struct ofp_rule_spec s;
	char err[256];

	ASSERT_EQ(0, ofp_parse_flow("table=3, priority=100, cookie=0x1f, "
				    "idle_timeout=10, hard_timeout=20, ip, "
				    "actions=output:2", OFP_PARSE_ADD, NULL, NULL,
				    &s, err, sizeof(err)));
	EXPECT_EQ(3, s.table);
	EXPECT_TRUE(s.table_set);
	EXPECT_EQ(100, s.priority);
	EXPECT_TRUE(s.priority_set);
	EXPECT_EQ(0x1fu, s.cookie);
	EXPECT_EQ(~0ull, s.cookie_mask);
	EXPECT_EQ(10, s.idle_timeout);
	EXPECT_EQ(20, s.hard_timeout);
	EXPECT_TRUE(s.has_actions);
	ASSERT_EQ(1u, s.acts->n);
	EXPECT_EQ((int)OFPACT_OUTPUT, (int)s.acts->a[0].type);
	EXPECT_EQ(2u, s.acts->a[0].port);
	ofp_rule_spec_free(&s);

	ASSERT_EQ(0, ofp_parse_flow("ip,action=drop", OFP_PARSE_ADD, NULL, NULL,
				    &s, err, sizeof(err)));
	EXPECT_EQ(OFP_DEFAULT_PRIORITY, s.priority);
	EXPECT_FALSE(s.table_set);
	EXPECT_EQ(0u, s.acts->n);
	ofp_rule_spec_free(&s);
}

/* The issue 12 rule: accepted, printed as ovs-ofctl prints it, and that
 * text (the state file's) parses back into the same match. */
TEST(icmp6_nd_rule_prints_and_reads_back)
{
	struct ofp_rule_spec a, b;
	char err[256], text[256], *m;

	ASSERT_EQ(0, ofp_parse_flow("priority=10,icmp6,icmpv6_type=135,actions=drop",
				    OFP_PARSE_ADD, NULL, NULL, &a, err, sizeof(err)));
	m = ofp_format_match(&a.match, NULL, NULL);
	EXPECT_STREQ("icmp6,icmp_type=135", m);
	snprintf(text, sizeof(text), "priority=10,%s,actions=drop", m);
	free(m);
	ASSERT_EQ(0, ofp_parse_flow(text, OFP_PARSE_ADD, NULL, NULL, &b, err,
				    sizeof(err))) {
		TH_LOG("'%s': %s", text, err);
	}
	EXPECT_EQ(0, memcmp(&a.match, &b.match, sizeof(a.match)));
	EXPECT_EQ(135, b.match.flow.icmp_type);
	EXPECT_EQ(0xff, b.match.mask.icmp_type);
	ofp_rule_spec_free(&a);
	ofp_rule_spec_free(&b);
}

/* dump-flows' statistics are ignored on input, as ovs-ofctl ignores them,
 * in the form ovs-ofctl prints them (with its idle_age and hard_age). */
TEST(dump_flows_statistics_are_ignored)
{
	struct ofp_rule_spec a, b;
	char err[256];

	ASSERT_EQ(0, ofp_parse_flow(" cookie=0x5, duration=12.345s, table=2, "
				    "n_packets=7, n_bytes=4242, idle_timeout=9, "
				    "idle_age=3, hard_age=11, priority=10,tcp,"
				    "tp_dst=22 actions=drop", OFP_PARSE_ADD, NULL,
				    NULL, &a, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	ASSERT_EQ(0, ofp_parse_flow("cookie=0x5,table=2,idle_timeout=9,"
				    "priority=10,tcp,tp_dst=22,actions=drop",
				    OFP_PARSE_ADD, NULL, NULL, &b, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(&a.match, &b.match, sizeof(a.match)));
	EXPECT_EQ(b.cookie, a.cookie);
	EXPECT_EQ(b.table, a.table);
	EXPECT_EQ(b.idle_timeout, a.idle_timeout);
	EXPECT_EQ(b.priority, a.priority);
	ofp_rule_spec_free(&a);
	ofp_rule_spec_free(&b);
	/* reset_counts is what add does anyway (ovs-ofctl prints it) */
	ASSERT_EQ(0, ofp_parse_flow("reset_counts,priority=10,tcp,tp_dst=22,"
				    "cookie=0x5,table=2,idle_timeout=9,actions=drop",
				    OFP_PARSE_ADD, NULL, NULL, &a, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(&a.match, &b.match, sizeof(a.match)));
	ofp_rule_spec_free(&a);
	ASSERT_EQ(0, ofp_parse_flow("duration=0s,n_packets=0,tcp", OFP_PARSE_FILTER,
				    NULL, NULL, &a, err, sizeof(err)));
	ofp_rule_spec_free(&a);
}

TEST(filter_mode)
{
	struct ofp_rule_spec s;
	char err[256];

	ASSERT_EQ(0, ofp_parse_flow("table=1,cookie=0x10/0xf0,out_port=eth1,tcp",
				    OFP_PARSE_FILTER, lookup_port, NULL, &s, err,
				    sizeof(err)));
	EXPECT_EQ(0x10u, s.cookie);
	EXPECT_EQ(0xf0u, s.cookie_mask);
	EXPECT_EQ(7u, s.out_port);
	EXPECT_FALSE(s.has_actions);
	ofp_rule_spec_free(&s);
	ASSERT_EQ(0, ofp_parse_flow("", OFP_PARSE_FILTER, NULL, NULL, &s, err,
				    sizeof(err)));
	EXPECT_EQ(0u, s.cookie_mask);
	EXPECT_EQ((uint32_t)OFPP_NONE, s.out_port);
	ofp_rule_spec_free(&s);
}

TEST(packet_mode)
{
	struct ofp_rule_spec s;
	char err[256];

	ASSERT_EQ(0, ofp_parse_flow("in_port=3,tcp,nw_src=192.0.2.2,tcp_dst=22,"
				    "dl_vlan=7,nw_ttl=64", OFP_PARSE_PACKET, NULL,
				    NULL, &s, err, sizeof(err)));
	EXPECT_EQ(3u, s.match.flow.in_port);
	EXPECT_EQ(htons(0x0800), s.match.flow.eth_type);
	EXPECT_EQ(6, s.match.flow.ip_proto);
	EXPECT_EQ(htonl(0xc0000202), s.match.flow.ipv4_src);
	EXPECT_EQ(htons(22), s.match.flow.tp_dst);
	EXPECT_EQ(htons(VSW_VLAN_PRESENT | 7), s.match.flow.vlan_tci);
	EXPECT_EQ(64, s.match.flow.ip_ttl);
	EXPECT_EQ(0u, s.match.flow.ipv4_dst);
	ofp_rule_spec_free(&s);

	/* a packet's tun_flags: every flag said, as a decapsulated one has */
	ASSERT_EQ(0, ofp_parse_flow("in_port=2,tun_id=5,tun_flags=+key-df-csum,icmp",
				    OFP_PARSE_PACKET, NULL, NULL, &s, err,
				    sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(VSW_TUNNEL_F_KEY, s.match.flow.tunnel.flags);
	ofp_rule_spec_free(&s);
	EXPECT_EQ(-1, ofp_parse_flow("in_port=2,tun_flags=+key,icmp", OFP_PARSE_PACKET,
				     NULL, NULL, &s, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "must give every flag"));
}

static const struct { const char *in, *out; } action_cases[] = {
	{ "output:1", "output:1" },
	{ "2", "output:2" },
	{ "output:eth1", "output:eth1" },
	{ "vm-a", "output:12" },
	{ "NORMAL", "NORMAL" }, { "normal", "NORMAL" }, { "FLOOD", "FLOOD" },
	{ "ALL", "ALL" }, { "IN_PORT", "IN_PORT" }, { "LOCAL", "LOCAL" },
	{ "output:LOCAL", "LOCAL" },
	{ "drop", "drop" },
	{ "resubmit:2", "resubmit:2" },
	{ "resubmit(,3)", "resubmit(,3)" },
	{ "resubmit(4,5)", "resubmit(4,5)" },
	{ "resubmit(4)", "resubmit:4" },
	{ "output:1,goto_table:6", "output:1,goto_table:6" },
	{ "push_vlan:0x8100,mod_vlan_vid:10,mod_vlan_pcp:3", "push_vlan:0x8100,mod_vlan_vid:10,mod_vlan_pcp:3" },
	{ "strip_vlan,pop_vlan", "strip_vlan,pop_vlan" },
	{ "mod_dl_src:00:11:22:33:44:55,mod_dl_dst:66:77:88:99:aa:bb",
	  "mod_dl_src:00:11:22:33:44:55,mod_dl_dst:66:77:88:99:aa:bb" },
	{ "mod_nw_src:1.2.3.4,mod_nw_dst:5.6.7.8,mod_nw_tos:16",
	  "mod_nw_src:1.2.3.4,mod_nw_dst:5.6.7.8,mod_nw_tos:16" },
	{ "mod_tp_src:1,mod_tp_dst:2,dec_ttl", "mod_tp_src:1,mod_tp_dst:2,dec_ttl" },
	{ "set_field:1.2.3.4->nw_src", "set_field:1.2.3.4->ip_src" },
	{ "set_field:00:00:00:00:00:09->eth_dst", "set_field:00:00:00:00:00:09->eth_dst" },
	{ "set_field:5->vlan_vid", "set_field:5->vlan_vid" },
	{ "set_field:80->tcp_dst", "set_field:80->tcp_dst" },
	{ "set_field:2001:db8::1->ipv6_src", "set_field:2001:db8::1->ipv6_src" },
	{ "set_field:0x12->ipv6_label", "set_field:0x12->ipv6_label" },
	{ "set_field:63->nw_ttl", "set_field:63->nw_ttl" },
	{ "ct", "ct" },
	{ "ct(table=1,zone=5)", "ct(table=1,zone=5)" },
	{ "ct(zone=5,commit,table=1)", "ct(commit,table=1,zone=5)" },
	{ "ct(commit,exec(set_field:1->ct_mark)),NORMAL",
	  "ct(commit,exec(set_field:0x1->ct_mark)),NORMAL" },
	{ "ct(commit,force,exec(set_field:0x10/0xf0->ct_mark))",
	  "ct(commit,force,exec(set_field:0x10/0xf0->ct_mark))" },
	{ "ct_clear,output:2", "ct_clear,output:2" },
	{ "ct(zone=reg13[16..31],table=2)", "ct(table=2,zone=NXM_NX_REG13[16..31])" },
	/* registers and metadata, as ovs-ofctl 3.1 prints them */
	{ "set_field:1->reg0", "set_field:0x1->reg0" },
	{ "set_field:3->xreg0", "set_field:0x3->xreg0" },
	{ "load:1->NXM_NX_REG1[3]", "load:0x1->NXM_NX_REG1[3]" },
	{ "load:0x5->reg2[0..7]", "load:0x5->NXM_NX_REG2[0..7]" },
	{ "load:1->reg0", "load:0x1->NXM_NX_REG0[]" },
	{ "load:0->reg0[]", "load:0->NXM_NX_REG0[]" },
	{ "load:0xabcdef->xreg1[8..40]", "load:0xabcdef->OXM_OF_PKT_REG1[8..40]" },
	{ "set_field:0x1/0xf->metadata", "load:0x1->OXM_OF_METADATA[0..3]" },
	{ "set_field:5/0xf->reg4", "load:0x5->NXM_NX_REG4[0..3]" },
	{ "set_field:5/0x5->reg4", "set_field:0x5/0x5->reg4" },
	{ "move:reg1[]->reg2[]", "move:NXM_NX_REG1[]->NXM_NX_REG2[]" },
	{ "move:reg0->reg1", "move:NXM_NX_REG0[]->NXM_NX_REG1[]" },
	{ "move:NXM_OF_ETH_SRC[0..31]->NXM_NX_REG3[]",
	  "move:NXM_OF_ETH_SRC[0..31]->NXM_NX_REG3[]" },
	{ "move:OXM_OF_METADATA[0..31]->reg0[]",
	  "move:OXM_OF_METADATA[0..31]->NXM_NX_REG0[]" },
	{ "write_metadata:0x5/0xff", "write_metadata:0x5/0xff" },
	{ "output:1,write_metadata:5,goto_table:1", "output:1,write_metadata:0x5,goto_table:1" },
};

TEST(every_action_reads_and_prints_back)
{
	for (size_t i = 0; i < ARRAY_SIZE(action_cases); i++) {
		struct ofpacts *o = NULL;
		char err[256], *got;

		ASSERT_EQ(0, ofp_parse_actions(action_cases[i].in, lookup_port, NULL,
					       &o, err, sizeof(err)));
		got = ofp_format_actions(o, port_name, NULL);
		if (strcmp(got, action_cases[i].out))
			fprintf(stderr, "# '%s' -> '%s'\n", action_cases[i].in, got);
		EXPECT_STREQ(action_cases[i].out, got);
		free(got);
		ofpacts_free(o);
	}
}

static const struct {
	enum ofp_parse_mode mode;
	const char *in, *err;
} error_cases[] = {
	{ OFP_PARSE_ADD, "nw_srcc=1,actions=drop", "unknown field 'nw_srcc'" },
	{ OFP_PARSE_ADD, "ip,nw_src=10.0.0.0/33,actions=drop",
	  "invalid IPv4 mask in 'nw_src=10.0.0.0/33'" },
	{ OFP_PARSE_ADD, "ip,nw_src=10.0.0.300,actions=drop",
	  "invalid IPv4 address in 'nw_src=10.0.0.300'" },
	{ OFP_PARSE_ADD, "ipv6,ipv6_src=2001:zz::1,actions=drop",
	  "invalid IPv6 address in 'ipv6_src=2001:zz::1'" },
	{ OFP_PARSE_ADD, "ipv6,ipv6_src=::1/129,actions=drop",
	  "invalid IPv6 mask in 'ipv6_src=::1/129'" },
	{ OFP_PARSE_ADD, "dl_src=00:11:22:33:44,actions=drop",
	  "invalid Ethernet address in 'dl_src=00:11:22:33:44'" },
	{ OFP_PARSE_ADD, "nw_src=10.0.0.1,actions=drop", "field 'nw_src' requires ip" },
	{ OFP_PARSE_ADD, "ip,tp_dst=80,actions=drop",
	  "field 'tp_dst' requires tcp, udp or sctp" },
	{ OFP_PARSE_ADD, "udp,tcp_dst=80,actions=drop",
	  "field 'tcp_dst' requires tcp or tcp6" },
	{ OFP_PARSE_ADD, "arp_op=1,actions=drop", "field 'arp_op' requires arp or rarp" },
	{ OFP_PARSE_ADD, "icmp6,nd_target=::1,actions=drop",
	  "field 'nd_target' requires icmp6 with icmp_type=135 or 136" },
	{ OFP_PARSE_ADD, "ip,icmp_type=8,actions=drop", "field 'icmp_type' requires icmp or icmp6" },
	{ OFP_PARSE_ADD, "ipv6,icmp_type=135,actions=drop",
	  "field 'icmp_type' requires icmp or icmp6" },
	{ OFP_PARSE_ADD, "icmp,icmpv6_type=135,actions=drop",
	  "field 'icmpv6_type' requires icmp6" },
	{ OFP_PARSE_ADD, "ipv6_label=1,actions=drop", "field 'ipv6_label' requires ipv6" },
	{ OFP_PARSE_ADD, "vlan_tci=0x0005,actions=drop", "vlan_tci without the 0x1000 "
	  "(tag present) bit cannot match VID or PCP in 'vlan_tci=0x0005'" },
	{ OFP_PARSE_ADD, "tcp,tcp_flags=syn|bogus,actions=drop",
	  "invalid TCP flags in 'tcp_flags=syn|bogus'" },
	{ OFP_PARSE_ADD, "tcp,tcp_flags=syn|,actions=drop",
	  "invalid TCP flags in 'tcp_flags=syn|'" },
	{ OFP_PARSE_ADD, "duration=1.5,actions=drop",
	  "invalid statistic in 'duration=1.5' (want SECONDS.FRACTIONs)" },
	{ OFP_PARSE_ADD, "duration=s,actions=drop",
	  "invalid statistic in 'duration=s' (want SECONDS.FRACTIONs)" },
	{ OFP_PARSE_ADD, "n_packets=-1,actions=drop",
	  "invalid statistic in 'n_packets=-1' (want a decimal count)" },
	{ OFP_PARSE_ADD, "n_bytes=0x10,actions=drop",
	  "invalid statistic in 'n_bytes=0x10' (want a decimal count)" },
	{ OFP_PARSE_ADD, "idle_age=,actions=drop",
	  "invalid statistic in 'idle_age=' (want a decimal count)" },
	{ OFP_PARSE_ADD, "hard_age=lots,actions=drop",
	  "invalid statistic in 'hard_age=lots' (want a decimal count)" },
	{ OFP_PARSE_ADD, "send_flow_rem=1,actions=drop",
	  "'send_flow_rem' takes no value in 'send_flow_rem=1'" },
	{ OFP_PARSE_FILTER, "send_flow_rem",
	  "'send_flow_rem' is only allowed when adding a rule" },
	{ OFP_PARSE_ADD, "check_overlap,actions=drop",
	  "'check_overlap' is not supported: overlapping rules are not checked" },
	{ OFP_PARSE_ADD, "no_packet_counts,actions=drop",
	  "'no_packet_counts' is not supported: every rule counts packets" },
	{ OFP_PARSE_ADD, "no_byte_counts,actions=drop",
	  "'no_byte_counts' is not supported: every rule counts bytes" },
	{ OFP_PARSE_ADD, "importance=5,actions=drop",
	  "'importance' is not supported: no rule is ever evicted" },
	{ OFP_PARSE_ADD, "reset_counts=1,actions=drop",
	  "'reset_counts' takes no value in 'reset_counts=1'" },
	{ OFP_PARSE_FILTER, "reset_counts",
	  "'reset_counts' is only allowed when adding a rule" },
	{ OFP_PARSE_ADD, "vlan_tci1=0,actions=drop",
	  "'vlan_tci1' (a second VLAN header) is not supported" },
	{ OFP_PARSE_PACKET, "in_port=1,vlan_tci1=0x1005", "only 'vlan_tci1=0x0000' "
	  "(no second VLAN header) is supported, not 'vlan_tci1=0x1005'" },
	{ OFP_PARSE_PACKET, "in_port=1,n_packets=3",
	  "'n_packets' is not part of a packet description" },
	{ OFP_PARSE_ADD, "nw_tos=8,actions=drop", "field 'nw_tos' requires ip or ipv6" },
	{ OFP_PARSE_ADD, "dl_vlan=4096,actions=drop",
	  "value 4096 out of range for 'dl_vlan' (0..4095)" },
	{ OFP_PARSE_ADD, "dl_type=0x800/0xfff,actions=drop",
	  "field 'dl_type' does not take a mask in 'dl_type=0x800/0xfff'" },
	{ OFP_PARSE_ADD, "ip,nw_frag=maybe,actions=drop",
	  "invalid nw_frag value (no, yes, first, later or not_later) in 'nw_frag=maybe'" },
	{ OFP_PARSE_ADD, "ip,nw_tos=3,actions=drop",
	  "value 3 for 'nw_tos' has ECN bits set (nw_tos takes the DSCP bits, a multiple of 4)" },
	{ OFP_PARSE_ADD, "tcp,tcp_flags=+syn+bogus,actions=drop",
	  "invalid TCP flags in 'tcp_flags=+syn+bogus'" },
	{ OFP_PARSE_ADD, "in_port=nosuch,actions=drop",
	  "unknown port 'nosuch' in 'in_port=nosuch'" },
	{ OFP_PARSE_ADD, "priority=70000,actions=drop",
	  "value out of range in 'priority=70000' (0..65535)" },
	{ OFP_PARSE_ADD, "table=255,actions=drop",
	  "value out of range in 'table=255' (0..254)" },
	{ OFP_PARSE_ADD, "ip=5,actions=drop", "'ip' takes no value in 'ip=5'" },
	{ OFP_PARSE_ADD, "nw_src,actions=drop", "missing value for 'nw_src'" },
	{ OFP_PARSE_ADD, "cookie=1/1,actions=drop",
	  "cookie mask only allowed in a filter: 'cookie=1/1'" },
	{ OFP_PARSE_ADD, "ip", "must specify actions (actions=...)" },
	{ OFP_PARSE_ADD, "ip,actions=", "empty action list (use actions=drop)" },
	{ OFP_PARSE_ADD, "actions=frobnicate", "unknown or unsupported action 'frobnicate'" },
	{ OFP_PARSE_ADD, "actions=controller(pause)",
	  "'pause' is not supported in controller(...)" },
	{ OFP_PARSE_ADD, "actions=CONTROLLER:70000",
	  "value out of range in 'CONTROLLER:70000' (0..65535)" },
	{ OFP_PARSE_ADD, "actions=output:TABLE",
	  "unsupported output port 'TABLE' in 'output:TABLE'" },
	{ OFP_PARSE_ADD, "actions=output:1,drop", "'drop' must be the only action" },
	{ OFP_PARSE_ADD, "actions=drop,output:1", "'drop' must be the only action" },
	{ OFP_PARSE_ADD, "actions=mod_vlan_vid:5000",
	  "value out of range in 'mod_vlan_vid:5000' (0..4095)" },
	{ OFP_PARSE_ADD, "actions=mod_vlan_pcp:8",
	  "value out of range in 'mod_vlan_pcp:8' (0..7)" },
	{ OFP_PARSE_ADD, "actions=set_field:1.2.3.4->nw_srcc",
	  "unknown field 'nw_srcc' in set_field" },
	{ OFP_PARSE_ADD, "actions=set_field:1.2.3.4",
	  "set_field needs VALUE->FIELD in 'set_field:1.2.3.4'" },
	{ OFP_PARSE_ADD, "actions=set_field:6->nw_proto",
	  "field 'nw_proto' cannot be set with set_field" },
	/* registers, metadata, load, move, write_metadata */
	{ OFP_PARSE_ADD, "reg16=1,actions=drop", "unknown field 'reg16'" },
	{ OFP_PARSE_ADD, "reg0=0x100000000,actions=drop",
	  "value 0x100000000 out of range for 'reg0' (0..4294967295)" },
	{ OFP_PARSE_ADD, "metadata=zz,actions=drop", "invalid value in 'metadata=zz'" },
	{ OFP_PARSE_ADD, "actions=set_field:1->reg16", "unknown field 'reg16' in set_field" },
	{ OFP_PARSE_ADD, "actions=load:1->reg0[3..2]",
	  "reg0[3..2]: starting bit 3 is after ending bit 2" },
	{ OFP_PARSE_ADD, "actions=load:1->reg0[0..32]",
	  "reg0[0..32]: ending bit 32 is not valid because field is only 32 bits wide" },
	{ OFP_PARSE_ADD, "actions=load:0x1ff->reg0[0..7]",
	  "0x1ff->reg0[0..7]: value 0x1ff does not fit into 8 bits" },
	{ OFP_PARSE_ADD, "actions=load:1->NXM_NX_REG99[]",
	  "NXM_NX_REG99: unknown field, or one vswitch cannot use as a sub-field, "
	  "in 'NXM_NX_REG99[]'" },
	{ OFP_PARSE_ADD, "actions=load:zz->reg0[]", "invalid value 'zz' in 'load:zz->reg0[]'" },
	{ OFP_PARSE_ADD, "actions=load:1", "load needs VALUE->DST in 'load:1'" },
	{ OFP_PARSE_ADD, "actions=load:1->reg0[1..x]", "invalid bit range in 'reg0[1..x]'" },
	{ OFP_PARSE_ADD, "actions=load:1->NXM_OF_ETH_TYPE[]",
	  "load: field 'NXM_OF_ETH_TYPE[]' cannot be written" },
	{ OFP_PARSE_ADD, "actions=move:reg0[]->reg1[0..15]",
	  "reg0[]->reg1[0..15]: source field is 32 bits wide but destination is 16 bits wide" },
	{ OFP_PARSE_ADD, "actions=move:reg0[]", "move needs SRC->DST in 'move:reg0[]'" },
	{ OFP_PARSE_ADD, "actions=move:reg0[]->NXM_OF_IP_SRC[]",
	  "move: field 'NXM_OF_IP_SRC' requires ip in the match" },
	{ OFP_PARSE_ADD, "actions=move:NXM_OF_TCP_DST[]->reg0[0..15]",
	  "move: field 'NXM_OF_TCP_DST' requires tcp or tcp6 in the match" },
	{ OFP_PARSE_ADD, "actions=write_metadata:1,output:1",
	  "write_metadata must come after the other actions, followed by "
	  "goto_table at most (OpenFlow instruction order)" },
	{ OFP_PARSE_ADD, "actions=write_metadata:0x1/zz",
	  "invalid mask in 'write_metadata=0x1/zz'" },
	{ OFP_PARSE_ADD, "ip,actions=set_field:1/1->nw_ttl",
	  "set_field: field 'nw_ttl' does not take a mask in 'set_field:1/1->nw_ttl'" },
	{ OFP_PARSE_ADD, "actions=push_vlan:0x88a8",
	  "push_vlan: only ethertype 0x8100 is supported, not '0x88a8'" },
	{ OFP_PARSE_ADD, "actions=mod_nw_src:1.2.3",
	  "invalid IPv4 address in 'mod_nw_src=1.2.3'" },
	{ OFP_PARSE_ADD, "actions=set_field:1.2.3.4->nw_dst,output:1",
	  "set_field to 'nw_dst' requires ip in the match" },
	{ OFP_PARSE_ADD, "ip,actions=set_field:80->tcp_dst",
	  "set_field to 'tcp_dst' requires tcp or tcp6 in the match" },
	{ OFP_PARSE_ADD, "arp,actions=mod_nw_src:10.0.0.1,output:1",
	  "action 'mod_nw_src' can never apply: the match excludes ip" },
	{ OFP_PARSE_ADD, "icmp,actions=mod_tp_dst:80",
	  "action 'mod_tp_dst' can never apply: the match excludes tcp, udp or sctp" },
	{ OFP_PARSE_ADD, "arp,actions=dec_ttl",
	  "action 'dec_ttl' can never apply: the match excludes ip and ipv6" },
	{ OFP_PARSE_ADD, "actions=dec_ttl(1,2)",
	  "dec_ttl with controller ids is not supported in 'dec_ttl(1,2)'" },
	{ OFP_PARSE_ADD, "actions=goto_table:300",
	  "value out of range in 'goto_table:300' (0..254)" },
	{ OFP_PARSE_ADD, "actions=resubmit(1,2,3)",
	  "too many arguments in 'resubmit(1,2,3)'" },
	{ OFP_PARSE_ADD, "actions=output:nosuch",
	  "unknown port 'nosuch' in 'output=nosuch'" },
	{ OFP_PARSE_FILTER, "priority=5,actions=drop", "actions are not allowed in a filter" },
	{ OFP_PARSE_FILTER, "idle_timeout=5", "'idle_timeout' is not allowed in a filter" },
	{ OFP_PARSE_PACKET, "tcp,tp_dst=80", "a packet description needs in_port" },
	{ OFP_PARSE_PACKET, "in_port=1,ip,nw_src=10.0.0.0/8",
	  "field 'nw_src' does not take a mask in 'nw_src=10.0.0.0/8'" },
	{ OFP_PARSE_PACKET, "in_port=1,table=0", "'table' is not part of a packet description" },
	{ OFP_PARSE_PACKET, "in_port=1,tp_dst=80", "field 'tp_dst' requires tcp, udp or sctp" },
	{ OFP_PARSE_ADD, "out_port=1,actions=drop", "'out_port' is only allowed in a filter" },
	{ OFP_PARSE_ADD, "ip,actions=ct(alg=ftp)",
	  "'ct(alg=ftp)' is not supported (no helpers in vswitch yet)" },
	{ OFP_PARSE_ADD, "ip,actions=ct(zone=NXM_NX_REG13[0..7],table=1)",
	  "'ct(zone=NXM_NX_REG13[0..7])': a zone is 16 bits, the field slice is 8" },
	{ OFP_PARSE_ADD, "ip,actions=ct(zone=NXM_NX_REG13[0..40])",
	  "NXM_NX_REG13[0..40]: ending bit 40 is not valid because field is only "
	  "32 bits wide" },
	{ OFP_PARSE_ADD, "ip,actions=ct(zone=65536)", "invalid zone in 'ct(zone=65536)' (0..65535)" },
	{ OFP_PARSE_ADD, "ip,actions=ct(table=255)", "invalid table in 'ct(table=255)' (0..254)" },
	{ OFP_PARSE_ADD, "ip,actions=ct(exec(set_field:1->ct_mark))",
	  "'ct(exec(set_field:...->ct_mark))' needs commit" },
	{ OFP_PARSE_ADD, "ip,actions=ct(force)", "'ct(force)' needs commit" },
	{ OFP_PARSE_ADD, "ip,actions=ct(commit,exec(set_field:1->ct_zone))",
	  "unsupported field in 'ct(exec(set_field:1->ct_zone))': only ct_mark "
	  "and ct_label can be set" },
	{ OFP_PARSE_ADD, "ip,actions=ct(bogus)", "unknown ct argument 'bogus'" },
	{ OFP_PARSE_ADD, "ct_state=+new+est,actions=drop",
	  "'ct_state=+new+est' can never match: +new with +est or +rel" },
	{ OFP_PARSE_ADD, "ct_state=-trk+est,actions=drop",
	  "'ct_state=-trk+est' can never match: a state flag with -trk (an "
	  "untracked packet has none)" },
	{ OFP_PARSE_ADD, "ct_state=+inv+rpl+trk,actions=drop",
	  "'ct_state=+inv+rpl+trk' can never match: +inv with +new, +est, +rel or +rpl" },
	{ OFP_PARSE_ADD, "ct_state=+bogus,actions=drop",
	  "invalid ct_state in 'ct_state=+bogus' (flags as +trk+est-rel, exactly as new|trk, or a number with an optional /mask)" },
	{ OFP_PARSE_ADD, "ct_nw_src=192.0.2.1,actions=drop",
	  "field 'ct_nw_src' requires a tracked connection (ct_state +trk-inv, "
	  "or +new, +est, +rel, +rpl, +snat or +dnat)" },
	{ OFP_PARSE_ADD, "ct_state=+trk,ct_tp_dst=80,actions=drop",
	  "field 'ct_tp_dst' requires a tracked connection (ct_state +trk-inv, "
	  "or +new, +est, +rel, +rpl, +snat or +dnat)" },
	{ OFP_PARSE_ADD, "ct_state=+trk+est,ct_nw_proto=6/0xf,actions=drop",
	  "field 'ct_nw_proto' does not take a mask in 'ct_nw_proto=6/0xf'" },
	{ OFP_PARSE_ADD, "ip,actions=set_field:192.0.2.1->ct_nw_src",
	  "field 'ct_nw_src' cannot be set with set_field" },
	{ OFP_PARSE_ADD, "ct_zone=1/1,actions=drop",
	  "field 'ct_zone' does not take a mask in 'ct_zone=1/1'" },
	{ OFP_PARSE_ADD, "ip,actions=set_field:1->ct_mark",
	  "field 'ct_mark' cannot be set with set_field" },
	{ OFP_PARSE_ADD, "tun_flags=+oam,actions=drop",
	  "'tun_flags=+oam': the oam flag is not supported (vswitch's: df, csum, key)" },
	{ OFP_PARSE_ADD, "tun_flags=+df+df,actions=drop",
	  "invalid tun_flags in 'tun_flags=+df+df' (flags as +df-csum+key, or a number up to 0x7 with an optional /mask)" },
	{ OFP_PARSE_ADD, "tun_flags=8,actions=drop",
	  "invalid tun_flags in 'tun_flags=8' (flags as +df-csum+key, or a number up to 0x7 with an optional /mask)" },
	{ OFP_PARSE_ADD, "actions=set_field:1->tun_flags",
	  "field 'tun_flags' cannot be set with set_field" },
};

TEST(each_error_names_the_culprit)
{
	for (size_t i = 0; i < ARRAY_SIZE(error_cases); i++) {
		struct ofp_rule_spec s;
		char err[256] = "";
		int r = ofp_parse_flow(error_cases[i].in, error_cases[i].mode,
				       lookup_port, NULL, &s, err, sizeof(err));

		if (r != -1 || strcmp(err, error_cases[i].err))
			fprintf(stderr, "# '%s': got %d '%s'\n", error_cases[i].in, r, err);
		EXPECT_EQ(-1, r);
		EXPECT_STREQ(error_cases[i].err, err);
		if (!r)
			ofp_rule_spec_free(&s);
	}
}

TEST(megaflow_and_flow_format)
{
	struct match m = { 0 };
	char *s;

	m.mask.in_port = ~0u;
	m.flow.in_port = 1;
	m.mask.eth_type = 0xffff;
	m.flow.eth_type = htons(0x0800);
	m.mask.ipv4_src = prefix32(24);
	m.flow.ipv4_src = htonl(0xc0000200);
	m.mask.ip_frag = VSW_FRAG_MASK;
	s = ofp_format_megaflow(&m);
	EXPECT_STREQ("recirc_id=0,eth,ip,in_port=1,nw_src=192.0.2.0/24,nw_frag=no", s);
	free(s);
	m.mask.eth_type = 0xffff;
	m.flow.eth_type = htons(0x1234);
	m.mask.ipv4_src = 0;
	m.flow.ipv4_src = 0;
	m.mask.ip_frag = 0;
	s = ofp_format_megaflow(&m);
	EXPECT_STREQ("recirc_id=0,eth,in_port=1,dl_type=0x1234", s);
	free(s);
	s = ofp_format_flow(&m.flow);
	EXPECT_STREQ("in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,"
		     "dl_dst=00:00:00:00:00:00,dl_type=0x1234", s);
	free(s);
}

TEST(datapath_actions_format)
{
	struct odp_actions a = { 0 };
	struct flow f = { 0 };
	char *s;

	s = odp_format_actions(&a);
	EXPECT_STREQ("drop", s);
	free(s);
	a.a[a.n].type = VSW_ACTION_ATTR_SET_IPV4_SRC;
	a.a[a.n++].u.be32 = htonl(0x0a000001);
	a.a[a.n].type = VSW_ACTION_ATTR_SET_IP_TTL;
	a.a[a.n++].u.u8 = 63;
	a.a[a.n].type = VSW_ACTION_ATTR_SET_TP_DST;
	a.a[a.n++].u.be16 = htons(8080);
	a.a[a.n].type = VSW_ACTION_ATTR_PUSH_VLAN;
	a.a[a.n++].u.be16 = htons(VSW_VLAN_PRESENT | 10 | 3 << 13);
	a.a[a.n].type = VSW_ACTION_ATTR_OUTPUT;
	a.a[a.n++].u.port = 2;
	a.a[a.n].type = VSW_ACTION_ATTR_POP_VLAN;
	a.n++;
	a.a[a.n].type = VSW_ACTION_ATTR_OUTPUT;
	a.a[a.n++].u.port = 3;
	f.eth_type = htons(0x0800);
	f.ip_proto = 17;
	s = odp_format_actions_flow(&a, &f);
	EXPECT_STREQ("set(ipv4(src=10.0.0.1,ttl=63)),set(udp(dst=8080)),"
		     "push_vlan(vid=10,pcp=3),2,pop_vlan,3", s);
	free(s);
}

TEST_HARNESS_MAIN
