/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the userspace library's host tests: a seeded PRNG, random
 * matches/flows/actions over small value pools (so rules and packets
 * collide often), and a bridge fixture.
 */
#ifndef VSW_TESTS_ULIB_HELPERS_H
#define VSW_TESTS_ULIB_HELPERS_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "classifier.h"
#include "util.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "pipeline.h"
#include "xlate.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static inline uint64_t rnd64(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static inline unsigned rnd(unsigned n)
{
	return n ? (unsigned)(rnd64() % n) : 0;
}

static inline uint32_t prefix32(unsigned plen)
{
	return plen ? htonl(~0u << (32 - plen)) : 0;
}

static const uint16_t pool_types[] = { 0x0800, 0x86dd, 0x0806, 0x0800, 0x0800 };
static const uint8_t pool_protos[] = { 6, 17, 1, 6, 58, 132 };
static const uint16_t pool_ports[] = { 0, 22, 80, 443, 8080, 53, 1024, 65535 };

static inline void rnd_mac(uint8_t *m)
{
	memset(m, 0, 6);
	m[0] = rnd(4) == 0 ? 0x01 : 0x02;
	m[5] = (uint8_t)rnd(4);
}

static inline void rnd_ip6(struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[0] = 0x20;
	a->s6_addr[1] = 0x01;
	a->s6_addr[7] = (uint8_t)rnd(3);
	a->s6_addr[15] = (uint8_t)rnd(4);
}

/* A packet-like flow: consistent protocol layers, small value pools. */
static inline void rnd_flow(struct flow *f)
{
	uint16_t type = pool_types[rnd(ARRAY_SIZE(pool_types))];

	memset(f, 0, sizeof(*f));
	f->in_port = 1 + rnd(4);
	rnd_mac(f->eth_src);
	rnd_mac(f->eth_dst);
	if (rnd(3) == 0)
		f->vlan_tci = htons(VSW_VLAN_PRESENT | rnd(4) | (rnd(8) << 13));
	f->eth_type = htons(type);
	if (type == 0x0806) {
		f->arp_op = htons(1 + rnd(2));
		f->arp_spa = htonl(0x0a000000 | rnd(8));
		f->arp_tpa = htonl(0x0a000000 | rnd(8));
		rnd_mac(f->arp_sha);
		return;
	}
	f->ip_proto = pool_protos[rnd(ARRAY_SIZE(pool_protos))];
	f->ip_tos = (uint8_t)(rnd(4) << 2 | rnd(4));
	f->ip_ttl = (uint8_t)rnd(4);
	f->ip_frag = rnd(8) == 0 ? (uint8_t)(VSW_FRAG_ANY | (rnd(2) ? VSW_FRAG_LATER : 0)) : 0;
	if (type == 0x0800) {
		f->ipv4_src = htonl(0x0a000000 | rnd(2) << 8 | rnd(8));
		f->ipv4_dst = htonl(0x0a000000 | rnd(2) << 8 | rnd(8));
	} else {
		rnd_ip6(&f->ipv6_src);
		rnd_ip6(&f->ipv6_dst);
		f->ipv6_label = htonl(rnd(3));
	}
	if (f->ip_frag & VSW_FRAG_LATER)
		return;
	if (f->ip_proto == 1 || f->ip_proto == 58) {
		f->icmp_type = (uint8_t)rnd(10);
		f->icmp_code = (uint8_t)rnd(2);
	} else {
		f->tp_src = htons(pool_ports[rnd(ARRAY_SIZE(pool_ports))] + rnd(2));
		f->tp_dst = htons(pool_ports[rnd(ARRAY_SIZE(pool_ports))] + rnd(2));
		if (f->ip_proto == 6)
			f->tcp_flags = htons(rnd(0x40));
	}
}

/* Random match: fields of a random flow, each kept with some probability
 * and a random (often prefix, sometimes arbitrary) mask. */
static inline void rnd_match(struct match *m)
{
	struct flow f;

	rnd_flow(&f);
	memset(m, 0, sizeof(*m));
	m->flow = f;
	if (rnd(3) == 0)
		m->mask.in_port = ~0u;
	if (rnd(2))
		m->mask.eth_type = 0xffff;
	if (rnd(5) == 0)
		memset(m->mask.eth_src, 0xff, 6);
	if (rnd(5) == 0) {
		memset(m->mask.eth_dst, 0xff, 6);
		if (rnd(2))
			memset(m->mask.eth_dst, 0, 5);	/* low byte only */
	}
	if (rnd(6) == 0)
		m->mask.vlan_tci = htons(rnd(2) ? 0xffff : VSW_VLAN_PRESENT |
					 VSW_VLAN_VID_MASK);
	if (rnd(3) == 0)
		m->mask.ip_proto = 0xff;
	if (rnd(3) == 0)
		m->mask.ipv4_src = prefix32(8 + rnd(25));
	if (rnd(3) == 0)
		m->mask.ipv4_dst = rnd(4) ? prefix32(16 + rnd(17)) : htonl(0x00ff00ff);
	if (rnd(6) == 0)
		memset(&m->mask.ipv6_src, 0xff, 8 + rnd(9));
	if (rnd(8) == 0)
		memset(&m->mask.ipv6_dst, 0xff, 16);
	if (rnd(6) == 0)
		m->mask.ip_tos = rnd(2) ? 0xfc : 0x03;
	if (rnd(8) == 0)
		m->mask.ip_ttl = 0xff;
	if (rnd(6) == 0)
		m->mask.ip_frag = (uint8_t)(1 + rnd(3));
	if (rnd(3) == 0)
		m->mask.tp_dst = rnd(3) ? 0xffff : htons((uint16_t)(0xffff << rnd(16)));
	if (rnd(5) == 0)
		m->mask.tp_src = rnd(2) ? 0xffff : htons(0xff00);
	if (rnd(8) == 0)
		m->mask.tcp_flags = htons(rnd(2) ? 0x0fff : 0x0012);
	if (rnd(6) == 0)
		m->mask.icmp_type = 0xff;
	if (rnd(10) == 0)
		m->mask.icmp_code = 0xff;
	if (rnd(8) == 0)
		m->mask.arp_spa = prefix32(24 + rnd(9));
	if (rnd(10) == 0)
		m->mask.arp_op = 0xffff;
	match_normalize(m);
}

/* A flow equal to @m's flow on @m's mask bits and random elsewhere. */
static inline void rnd_flow_in(const struct match *m, struct flow *out)
{
	uint64_t *w = (uint64_t *)out;
	const uint64_t *v = (const uint64_t *)&m->flow;
	const uint64_t *k = (const uint64_t *)&m->mask;
	struct flow pool;

	rnd_flow(&pool);
	for (unsigned i = 0; i < FLOW_WORDS; i++) {
		uint64_t r = rnd(2) ? ((uint64_t *)&pool)[i] : rnd64();

		w[i] = (v[i] & k[i]) | (r & ~k[i]);
	}
}

/* A bridge with ports 1..n (all present, trunks of every VLAN). */
struct test_bridge {
	struct pipeline *pl;
	struct mac_table *macs;
	struct xlate_port ports[8];
	struct xlate_bridge br;
};

static inline void tb_init(struct test_bridge *t, int n_ports)
{
	memset(t, 0, sizeof(*t));
	t->pl = pipeline_create();
	t->macs = mac_table_create(0, 0);
	for (int i = 0; i < n_ports; i++) {
		t->ports[i].port_no = 1 + i;
		snprintf(t->ports[i].name, sizeof(t->ports[i].name), "p%d", i + 1);
		t->ports[i].present = true;
	}
	t->br.name = "br0";
	t->br.pl = t->pl;
	t->br.macs = t->macs;
	t->br.ports = t->ports;
	t->br.n_ports = (size_t)n_ports;
}

static inline void tb_uninit(struct test_bridge *t)
{
	pipeline_destroy(t->pl);
	mac_table_destroy(t->macs);
}

/* Adds one rule in ovs-ofctl syntax; returns 0 or -1 (message on stderr). */
static inline int tb_add(struct test_bridge *t, const char *text)
{
	struct ofp_rule_spec s;
	char err[256];
	int r;

	if (ofp_parse_flow(text, OFP_PARSE_ADD, NULL, NULL, &s, err, sizeof(err))) {
		fprintf(stderr, "# parse '%s': %s\n", text, err);
		return -1;
	}
	r = pipeline_add(t->pl, &s, err, sizeof(err));
	if (r)
		fprintf(stderr, "# add '%s': %s\n", text, err);
	ofp_rule_spec_free(&s);
	return r;
}

static inline int tb_packet(const char *text, struct flow *f)
{
	struct ofp_rule_spec s;
	char err[256];

	if (ofp_parse_flow(text, OFP_PARSE_PACKET, NULL, NULL, &s, err, sizeof(err))) {
		fprintf(stderr, "# packet '%s': %s\n", text, err);
		return -1;
	}
	*f = s.match.flow;
	ofp_rule_spec_free(&s);
	return 0;
}

/* Translates the packet @text; fills @acts and @mega (static buffers). */
static inline int tb_xlate(struct test_bridge *t, const char *text, bool learn,
			   char *acts, char *mega, size_t len)
{
	struct xlate_out out;
	struct flow f;
	char *a, *m;
	int r;

	if (tb_packet(text, &f))
		return -2;
	r = xlate_flow(&t->br, &f, learn, &out, NULL);
	a = odp_format_actions_flow(&out.actions, &f);
	m = ofp_format_megaflow(&out.megaflow);
	snprintf(acts, len, "%s", a);
	if (mega)
		snprintf(mega, len, "%s", m);
	free(a);
	free(m);
	xlate_out_uninit(&out);
	return r;
}

#endif /* VSW_TESTS_ULIB_HELPERS_H */
