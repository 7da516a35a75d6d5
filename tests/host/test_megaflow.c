// SPDX-License-Identifier: GPL-2.0
/*
 * The megaflow invariant: every packet inside the megaflow that
 * translation returns gets the same datapath actions under the current
 * rules. Thousands of random rule sets (several tables, resubmits, gotos,
 * set actions, VLAN actions, dec_ttl, NORMAL with a pre-filled MAC table
 * and VLAN access/trunk ports) and packets; for each packet, random
 * packets inside its megaflow are translated again by a deliberately naive
 * reference (the same pipeline switched to linear-scan lookups, no
 * wildcard tracking) and must give identical actions and errors.
 * vsw-timeout: 600
 */
#include <stdio.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"

#define N_TABLES 4

static void rnd_action(struct ofpacts *o, uint8_t table)
{
	struct ofpact *a;

	switch (rnd(16)) {
	case 0: case 1: case 2:
		a = ofpacts_push(o, OFPACT_OUTPUT);
		a->port = 1 + rnd(5);
		break;
	case 3:
		a = ofpacts_push(o, OFPACT_OUTPUT);
		a->port = rnd(2) ? OFPP_NORMAL : OFPP_FLOOD;
		break;
	case 4:
		a = ofpacts_push(o, OFPACT_OUTPUT);
		a->port = rnd(2) ? OFPP_IN_PORT : OFPP_ALL;
		break;
	case 5: case 6:
		a = ofpacts_push(o, OFPACT_RESUBMIT);
		a->resubmit.table = rnd(4) ? (uint8_t)rnd(N_TABLES) : OFP_TABLE_CURRENT;
		a->resubmit.port = rnd(3) ? OFPP_IN_PORT : 1 + rnd(4);
		break;
	case 7:
		a = ofpacts_push(o, OFPACT_SET_VLAN_VID);
		a->vid = (uint16_t)rnd(4);
		break;
	case 8:
		ofpacts_push(o, rnd(2) ? OFPACT_STRIP_VLAN : OFPACT_PUSH_VLAN)->ethertype = 0x8100;
		break;
	case 9:
		a = ofpacts_push(o, OFPACT_SET_VLAN_PCP);
		a->pcp = (uint8_t)rnd(8);
		break;
	case 10:
		ofpacts_push(o, OFPACT_DEC_TTL);
		break;
	default: {
		static const enum ofp_field_id ids[] = {
			MFF_ETH_SRC, MFF_IPV4_SRC, MFF_IPV4_DST, MFF_IP_DSCP,
			MFF_TP_DST, MFF_TCP_SRC, MFF_UDP_DST, MFF_IPV6_DST,
			MFF_IP_TTL, MFF_IPV6_LABEL,
		};
		struct flow f;

		a = ofpacts_push(o, OFPACT_SET_FIELD);
		a->set.field = ids[rnd(ARRAY_SIZE(ids))];
		rnd_flow(&f);
		if (a->set.field == MFF_IPV4_SRC || a->set.field == MFF_IPV4_DST)
			f.ipv4_src = f.ipv4_dst = htonl(0x0a000000 | rnd(8));
		if (a->set.field == MFF_IPV6_DST)
			rnd_ip6(&f.ipv6_dst);
		f.tp_src = f.tp_dst = htons(pool_ports[rnd(ARRAY_SIZE(pool_ports))]);
		f.ip_tos = (uint8_t)(rnd(4) << 2);
		f.ipv6_label = htonl(rnd(4));
		ofp_field_get(ofp_field_from_id(a->set.field), &f, &a->set.value);
		break;
	}
	}
	(void)table;
}

static void add_rules(struct pipeline *pl, int n)
{
	char err[128];

	for (int i = 0; i < n; i++) {
		struct ofp_rule_spec s;
		int n_acts = rnd(4);

		ofp_rule_spec_init(&s);
		s.table = (uint8_t)(rnd(3) ? 0 : rnd(N_TABLES));
		s.priority = (uint16_t)(i * 7 + 1);	/* distinct */
		rnd_match(&s.match);
		s.acts = ofpacts_new();
		for (int k = 0; k < n_acts; k++)
			rnd_action(s.acts, s.table);
		if (rnd(6) == 0 && s.table + 1 < N_TABLES) {
			struct ofpact *a = ofpacts_push(s.acts, OFPACT_GOTO_TABLE);

			a->table = (uint8_t)(s.table + 1 + rnd(N_TABLES - s.table - 1));
		}
		if (pipeline_add(pl, &s, err, sizeof(err)))
			fprintf(stderr, "add: %s\n", err);
		ofp_rule_spec_free(&s);
	}
}

static uint16_t trunk_list[] = { 0, 1, 2 };

static void setup_ports(struct xlate_port *p, int n)
{
	for (int i = 0; i < n; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		p[i].port_no = 1 + i;
		snprintf(p[i].name, sizeof(p[i].name), "p%d", i + 1);
		p[i].present = rnd(8) != 0;
		switch (rnd(3)) {
		case 0: p[i].mode = XVLAN_TRUNK_ALL; break;
		case 1: p[i].mode = XVLAN_ACCESS; p[i].tag = (uint16_t)rnd(3); break;
		case 2:
			p[i].mode = XVLAN_TRUNK;
			p[i].trunks = trunk_list + rnd(2);
			p[i].n_trunks = 1 + rnd(2);
			break;
		}
	}
}

static void fill_macs(struct mac_table *mt)
{
	for (int i = 0; i < 12; i++) {
		uint8_t mac[6];

		rnd_mac(mac);
		mac[0] &= ~1;
		mac_table_learn(mt, mac, (uint16_t)rnd(3), 1 + rnd(4), vsw_time_msec());
	}
}

static bool same_result(const struct xlate_out *a, const struct xlate_out *b)
{
	return a->error == b->error && a->actions.n == b->actions.n &&
	       !memcmp(a->actions.a, b->actions.a,
		       a->actions.n * sizeof(a->actions.a[0]));
}

static void report(const struct flow *p, const struct flow *q,
		   const struct xlate_out *a, const struct xlate_out *b)
{
	char *fp = ofp_format_flow(p), *fq = ofp_format_flow(q);
	char *mf = ofp_format_megaflow(&a->megaflow);
	char *aa = odp_format_actions(&a->actions), *ab = odp_format_actions(&b->actions);

	fprintf(stderr, "packet   %s\n  actions %s (err %d)\nmegaflow %s\n"
		"inside   %s\n  actions %s (err %d)\n", fp, aa, a->error, mf, fq,
		ab, b->error);
	free(fp); free(fq); free(mf); free(aa); free(ab);
}

/* Returns the number of packets checked inside megaflows. */
static long check_ruleset(struct __test_metadata *_metadata, int n_rules,
			  int n_packets, int n_inside)
{
	struct pipeline *pl = pipeline_create();
	struct mac_table *mt = mac_table_create(64, 300);
	struct xlate_port ports[4];
	struct xlate_bridge br = { "br0", pl, mt, ports, 4 };
	long checked = 0;

	setup_ports(ports, 4);
	fill_macs(mt);
	add_rules(pl, n_rules);
	for (int i = 0; i < n_packets; i++) {
		struct xlate_out out, ref;
		struct flow p, q;

		rnd_flow(&p);
		pipeline_set_linear_lookup(pl, false);
		xlate_flow(&br, &p, false, &out, NULL);
		ASSERT_EQ(~0u, out.megaflow.mask.in_port);
		ASSERT_TRUE(match_matches_flow(&out.megaflow, &p));
		pipeline_set_linear_lookup(pl, true);
		for (int k = 0; k < n_inside; k++) {
			q = p;
			if (k)
				rnd_flow_in(&out.megaflow, &q);
			xlate_flow(&br, &q, false, &ref, NULL);
			if (!same_result(&out, &ref))
				report(&p, &q, &out, &ref);
			ASSERT_TRUE(same_result(&out, &ref));
			xlate_out_uninit(&ref);
			checked++;
		}
		xlate_out_uninit(&out);
	}
	pipeline_destroy(pl);
	mac_table_destroy(mt);
	return checked;
}

TEST(random_rulesets_megaflow_invariant)
{
	long checked = 0;

	xlate_log = NULL;		/* depth-limit errors are expected here */
	for (int round = 0; round < 3000; round++)
		checked += check_ruleset(_metadata, 1 + rnd(30), 12, 12);
	fprintf(stderr, "# %ld packets inside megaflows checked\n", checked);
}

TEST(large_rulesets_megaflow_invariant)
{
	xlate_log = NULL;
	for (int round = 0; round < 40; round++)
		check_ruleset(_metadata, 200 + rnd(300), 40, 10);
}

TEST(megaflow_values_follow_the_packet)
{
	struct pipeline *pl = pipeline_create();
	struct xlate_port ports[2] = {
		{ .port_no = 1, .name = "p1", .present = true },
		{ .port_no = 2, .name = "p2", .present = true },
	};
	struct xlate_bridge br = { "br0", pl, NULL, ports, 2 };
	struct ofp_rule_spec s;
	struct xlate_out out;
	struct flow f = { 0 };
	char err[128];

	ASSERT_EQ(0, ofp_parse_flow("priority=10,ip,nw_dst=10.0.0.0/8,actions=output:2",
				    OFP_PARSE_ADD, NULL, NULL, &s, err, sizeof(err)));
	ASSERT_EQ(0, pipeline_add(pl, &s, err, sizeof(err)));
	ofp_rule_spec_free(&s);
	f.in_port = 1;
	f.eth_type = htons(0x0800);
	f.ipv4_dst = htonl(0x0a010203);
	f.ipv4_src = htonl(0xc0000201);
	ASSERT_EQ(0, xlate_flow(&br, &f, false, &out, NULL));
	ASSERT_EQ(prefix32(8), out.megaflow.mask.ipv4_dst);
	ASSERT_EQ(htonl(0x0a000000), out.megaflow.flow.ipv4_dst);
	ASSERT_EQ(0u, out.megaflow.mask.ipv4_src);
	ASSERT_EQ(0u, out.megaflow.flow.ipv4_src);
	ASSERT_EQ(1u, out.n_rules);
	xlate_out_uninit(&out);
	pipeline_destroy(pl);
}

TEST_HARNESS_MAIN
