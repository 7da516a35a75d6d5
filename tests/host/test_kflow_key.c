// SPDX-License-Identifier: GPL-2.0
/*
 * Flow key extraction (kmod/flow_key.c) on hand-built frames: every field
 * of every protocol, then every truncation of every frame (fields of a
 * cut header and of later layers must be zero, and nothing may be read
 * past the end: each frame is copied into an exactly sized heap buffer so
 * AddressSanitizer catches an over-read), then random mutations; and
 * userspace's extractor (lib/flow-extract.c, for PACKET_OUT frames) must
 * give the same key as the kernel's on all of them.
 */
#include <stdio.h>
#include <arpa/inet.h>
#include "kselftest_harness.h"
#include "flow.h"
#include "xkey.h"

struct frame {
	u8 b[256];
	unsigned int len;
};

static void put(struct frame *f, const void *p, unsigned int n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void put8(struct frame *f, u8 v) { put(f, &v, 1); }
static void put16(struct frame *f, u16 v) { v = htons(v); put(f, &v, 2); }
static void put32(struct frame *f, u32 v) { v = htonl(v); put(f, &v, 4); }
static void putn(struct frame *f, u8 v, unsigned int n)
{
	memset(f->b + f->len, v, n);
	f->len += n;
}

static const u8 MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const u8 MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const u8 V6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const u8 V6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const u8 V6_T[16] = { 0xfe, 0x80, [14] = 0xab, [15] = 0xcd };

static void eth(struct frame *f, int vlan_tci, u16 type)
{
	f->len = 0;
	put(f, MAC_B, 6);		/* dst */
	put(f, MAC_A, 6);		/* src */
	if (vlan_tci >= 0) {
		put16(f, 0x8100);
		put16(f, vlan_tci);
	}
	put16(f, type);
}

/* IPv4 header with @opt_words of options (NOP-filled); checksum 0. */
static void ipv4(struct frame *f, u8 proto, u16 frag, unsigned int opt_words)
{
	put8(f, 0x45 + opt_words);
	put8(f, 0xb9);			/* DSCP 46, ECN 1 */
	put16(f, 100);
	put16(f, 0x1234);
	put16(f, frag);
	put8(f, 63);
	put8(f, proto);
	put16(f, 0);
	put32(f, 0x0a000001);
	put32(f, 0x0a000002);
	putn(f, 1, opt_words * 4);
}

static void ipv6(struct frame *f, u8 next)
{
	put32(f, 6u << 28 | 0x5au << 20 | 0xbcdef);
	put16(f, 64);
	put8(f, next);
	put8(f, 17);			/* hop limit */
	put(f, V6_A, 16);
	put(f, V6_B, 16);
}

static void tcp(struct frame *f)
{
	put16(f, 40000);
	put16(f, 80);
	put32(f, 1);
	put32(f, 0);
	put16(f, 5 << 12 | 0x012);	/* SYN|ACK */
	put16(f, 1000);
	put32(f, 0);
}

static void udp(struct frame *f)
{
	put16(f, 5353);
	put16(f, 53);
	put16(f, 8);
	put16(f, 0);
}

/* A key with every field set from the frames above, per protocol. */
static void expect_eth(struct vsw_key *k, u16 type, int vlan_tci)
{
	memset(k, 0, sizeof(*k));
	k->in_port = 7;
	memcpy(k->eth_src, MAC_A, 6);
	memcpy(k->eth_dst, MAC_B, 6);
	k->eth_type = htons(type);
	if (vlan_tci >= 0)
		k->vlan_tci = htons(vlan_tci | VSW_VLAN_PRESENT);
}

static void expect_ipv4(struct vsw_key *k, u8 proto, u8 frag)
{
	k->ip_proto = proto;
	k->ip_tos = 0xb9;
	k->ip_ttl = 63;
	k->ip_frag = frag;
	k->ipv4_src = htonl(0x0a000001);
	k->ipv4_dst = htonl(0x0a000002);
}

static void expect_ipv6(struct vsw_key *k, u8 proto, u8 frag)
{
	k->ip_proto = proto;
	k->ip_tos = 0x5a;
	k->ip_ttl = 17;
	k->ip_frag = frag;
	k->ipv6_label = htonl(0xbcdef);
	memcpy(&k->ipv6_src, V6_A, 16);
	memcpy(&k->ipv6_dst, V6_B, 16);
}

static void expect_tcp(struct vsw_key *k)
{
	k->tp_src = htons(40000);
	k->tp_dst = htons(80);
	k->tcp_flags = htons(0x012);
}

static void expect_udp(struct vsw_key *k)
{
	k->tp_src = htons(5353);
	k->tp_dst = htons(53);
}

/* Field groups cleared when a header is cut. */
static void clear_l4(struct vsw_key *k)
{
	k->tp_src = k->tp_dst = k->tcp_flags = 0;
	k->icmp_type = k->icmp_code = 0;
	memset(&k->nd_target, 0, 16);
}

static void clear_nd(struct vsw_key *k)
{
	memset(&k->nd_target, 0, 16);
}

static void clear_proto(struct vsw_key *k)
{
	k->ip_proto = 0;
	k->ip_frag = 0;
	clear_l4(k);
}

static void clear_l3(struct vsw_key *k)
{
	u32 port = k->in_port;
	__be16 type = k->eth_type, tci = k->vlan_tci;
	u8 src[6], dst[6];

	memcpy(src, k->eth_src, 6);
	memcpy(dst, k->eth_dst, 6);
	memset(k, 0, sizeof(*k));
	k->in_port = port;
	k->eth_type = type;
	k->vlan_tci = tci;
	memcpy(k->eth_src, src, 6);
	memcpy(k->eth_dst, dst, 6);
}

static void clear_vlan(struct vsw_key *k)
{
	clear_l3(k);
	k->eth_type = 0;
	k->vlan_tci = 0;
}

static void clear_eth(struct vsw_key *k)
{
	u32 port = k->in_port;

	memset(k, 0, sizeof(*k));
	k->in_port = port;
}

/* A header ending at @end: cutting the frame before it applies @clear. */
struct layer {
	unsigned int end;
	void (*clear)(struct vsw_key *k);
};

struct kcase {
	const char *name;
	struct frame f;
	struct vsw_key want;
	struct layer layers[6];
	unsigned int n_layers;
};

static void layer(struct kcase *c, void (*clear)(struct vsw_key *k))
{
	c->layers[c->n_layers].end = c->f.len;
	c->layers[c->n_layers++].clear = clear;
}

/* Builds every test frame with its expected key and header boundaries. */
static unsigned int build_cases(struct kcase *cs)
{
	struct kcase *c = cs;

	memset(cs, 0, sizeof(*cs) * 24);

	c->name = "ipv4_tcp";
	eth(&c->f, -1, 0x0800); layer(c, clear_eth);
	ipv4(&c->f, 6, 0, 0); layer(c, clear_l3);
	tcp(&c->f); layer(c, clear_l4);
	putn(&c->f, 0xee, 6);		/* payload */
	expect_eth(&c->want, 0x0800, -1);
	expect_ipv4(&c->want, 6, 0);
	expect_tcp(&c->want);
	c++;

	c->name = "vlan_ipv4_udp";
	eth(&c->f, 0xa064, 0x0800);	/* PCP 5, VID 100 */
	c->layers[c->n_layers].end = 14;
	c->layers[c->n_layers++].clear = clear_eth;
	layer(c, clear_vlan);
	ipv4(&c->f, 17, 0, 0); layer(c, clear_l3);
	udp(&c->f); layer(c, clear_l4);
	expect_eth(&c->want, 0x0800, 0xa064);
	expect_ipv4(&c->want, 17, 0);
	expect_udp(&c->want);
	c++;

	c->name = "ipv4_options_sctp";
	eth(&c->f, -1, 0x0800); layer(c, clear_eth);
	ipv4(&c->f, 132, 0, 3); layer(c, clear_l3);
	put16(&c->f, 2905); put16(&c->f, 2906); put32(&c->f, 0xabcdef);
	put32(&c->f, 0); layer(c, clear_l4);
	expect_eth(&c->want, 0x0800, -1);
	expect_ipv4(&c->want, 132, 0);
	c->want.tp_src = htons(2905);
	c->want.tp_dst = htons(2906);
	c++;

	c->name = "ipv4_icmp_echo";
	eth(&c->f, -1, 0x0800); layer(c, clear_eth);
	ipv4(&c->f, 1, 0, 0); layer(c, clear_l3);
	put8(&c->f, 8); put8(&c->f, 0); put16(&c->f, 0); put32(&c->f, 0x10001);
	layer(c, clear_l4);
	expect_eth(&c->want, 0x0800, -1);
	expect_ipv4(&c->want, 1, 0);
	c->want.icmp_type = 8;
	c++;

	c->name = "ipv4_first_fragment";
	eth(&c->f, -1, 0x0800); layer(c, clear_eth);
	ipv4(&c->f, 17, 0x2000, 0); layer(c, clear_l3);
	udp(&c->f); layer(c, clear_l4);
	expect_eth(&c->want, 0x0800, -1);
	expect_ipv4(&c->want, 17, VSW_FRAG_ANY);
	expect_udp(&c->want);
	c++;

	c->name = "ipv4_later_fragment";
	eth(&c->f, -1, 0x0800); layer(c, clear_eth);
	ipv4(&c->f, 17, 0x2000 | 185, 0); layer(c, clear_l3);
	udp(&c->f);			/* looks like ports, must be ignored */
	expect_eth(&c->want, 0x0800, -1);
	expect_ipv4(&c->want, 17, VSW_FRAG_ANY | VSW_FRAG_LATER);
	c++;

	c->name = "arp_request";
	eth(&c->f, -1, 0x0806); layer(c, clear_eth);
	put16(&c->f, 1); put16(&c->f, 0x0800); put8(&c->f, 6); put8(&c->f, 4);
	put16(&c->f, 1);
	put(&c->f, MAC_A, 6); put32(&c->f, 0xc0a80001);
	putn(&c->f, 0, 6); put32(&c->f, 0xc0a80002);
	layer(c, clear_l3);
	putn(&c->f, 0, 18);		/* Ethernet padding */
	expect_eth(&c->want, 0x0806, -1);
	c->want.arp_op = htons(1);
	memcpy(c->want.arp_sha, MAC_A, 6);
	c->want.arp_spa = htonl(0xc0a80001);
	c->want.arp_tpa = htonl(0xc0a80002);
	c++;

	c->name = "vlan_arp_reply";
	eth(&c->f, 0x0005, 0x0806);
	c->layers[c->n_layers].end = 14;
	c->layers[c->n_layers++].clear = clear_eth;
	layer(c, clear_vlan);
	put16(&c->f, 1); put16(&c->f, 0x0800); put8(&c->f, 6); put8(&c->f, 4);
	put16(&c->f, 2);
	put(&c->f, MAC_B, 6); put32(&c->f, 0xc0a80002);
	put(&c->f, MAC_A, 6); put32(&c->f, 0xc0a80001);
	layer(c, clear_l3);
	expect_eth(&c->want, 0x0806, 0x0005);
	c->want.arp_op = htons(2);
	memcpy(c->want.arp_sha, MAC_B, 6);
	memcpy(c->want.arp_tha, MAC_A, 6);
	c->want.arp_spa = htonl(0xc0a80002);
	c->want.arp_tpa = htonl(0xc0a80001);
	c++;

	c->name = "ethernet_8023_llc";
	eth(&c->f, -1, 46); layer(c, clear_eth);
	putn(&c->f, 0x42, 46);
	expect_eth(&c->want, 0x05ff, -1);
	c++;

	c->name = "ipv6_udp";
	eth(&c->f, -1, 0x86dd); layer(c, clear_eth);
	ipv6(&c->f, 17); layer(c, clear_l3);
	udp(&c->f); layer(c, clear_l4);
	expect_eth(&c->want, 0x86dd, -1);
	expect_ipv6(&c->want, 17, 0);
	expect_udp(&c->want);
	c++;

	c->name = "ipv6_exthdrs_tcp";
	eth(&c->f, -1, 0x86dd); layer(c, clear_eth);
	ipv6(&c->f, 0); layer(c, clear_proto);
	/* hop-by-hop, 8 bytes, then destination options, 16 bytes */
	put8(&c->f, 60); put8(&c->f, 0); putn(&c->f, 0, 6);
	put8(&c->f, 43); put8(&c->f, 1); putn(&c->f, 0, 14);
	/* routing header type 0 segments left 0, 8 bytes; AH, 12 bytes */
	put8(&c->f, 51); put8(&c->f, 0); putn(&c->f, 0, 6);
	put8(&c->f, 6); put8(&c->f, 1); putn(&c->f, 0, 10);
	c->layers[1].end = c->f.len;	/* protocol known only here */
	c->layers[0].end = 14;
	c->n_layers = 1;
	c->layers[c->n_layers].end = 14 + 40;
	c->layers[c->n_layers++].clear = clear_l3;
	layer(c, clear_proto);
	tcp(&c->f); layer(c, clear_l4);
	expect_eth(&c->want, 0x86dd, -1);
	expect_ipv6(&c->want, 6, 0);
	expect_tcp(&c->want);
	c++;

	c->name = "ipv6_nd_solicit";
	eth(&c->f, -1, 0x86dd); layer(c, clear_eth);
	ipv6(&c->f, 58); layer(c, clear_l3);
	put8(&c->f, 135); put8(&c->f, 0); put16(&c->f, 0); put32(&c->f, 0);
	layer(c, clear_l4);
	put(&c->f, V6_T, 16); layer(c, clear_nd);
	put8(&c->f, 1); put8(&c->f, 1); put(&c->f, MAC_A, 6);	/* SLL */
	expect_eth(&c->want, 0x86dd, -1);
	expect_ipv6(&c->want, 58, 0);
	c->want.icmp_type = 135;
	memcpy(&c->want.nd_target, V6_T, 16);
	c++;

	c->name = "ipv6_nd_advert";
	eth(&c->f, -1, 0x86dd); layer(c, clear_eth);
	ipv6(&c->f, 58); layer(c, clear_l3);
	put8(&c->f, 136); put8(&c->f, 0); put16(&c->f, 0);
	put32(&c->f, 0x60000000);
	layer(c, clear_l4);
	put(&c->f, V6_T, 16); layer(c, clear_nd);
	expect_eth(&c->want, 0x86dd, -1);
	expect_ipv6(&c->want, 58, 0);
	c->want.icmp_type = 136;
	memcpy(&c->want.nd_target, V6_T, 16);
	c++;

	c->name = "ipv6_echo_no_target";
	eth(&c->f, -1, 0x86dd); layer(c, clear_eth);
	ipv6(&c->f, 58); layer(c, clear_l3);
	put8(&c->f, 128); put8(&c->f, 0); put16(&c->f, 0); put32(&c->f, 7);
	layer(c, clear_l4);
	put(&c->f, V6_T, 16);		/* payload, not a target */
	expect_eth(&c->want, 0x86dd, -1);
	expect_ipv6(&c->want, 58, 0);
	c->want.icmp_type = 128;
	c++;

	c->name = "ipv6_first_fragment";
	eth(&c->f, -1, 0x86dd); layer(c, clear_eth);
	ipv6(&c->f, 44); layer(c, clear_l3);
	put8(&c->f, 17); put8(&c->f, 0); put16(&c->f, 1); put32(&c->f, 99);
	layer(c, clear_proto);
	udp(&c->f); layer(c, clear_l4);
	expect_eth(&c->want, 0x86dd, -1);
	expect_ipv6(&c->want, 17, VSW_FRAG_ANY);
	expect_udp(&c->want);
	c++;

	c->name = "ipv6_later_fragment";
	eth(&c->f, -1, 0x86dd); layer(c, clear_eth);
	ipv6(&c->f, 44); layer(c, clear_l3);
	put8(&c->f, 17); put8(&c->f, 0); put16(&c->f, 0x100); put32(&c->f, 99);
	layer(c, clear_proto);
	udp(&c->f);
	expect_eth(&c->want, 0x86dd, -1);
	expect_ipv6(&c->want, 17, VSW_FRAG_ANY | VSW_FRAG_LATER);
	c++;

	return c - cs;
}

/* Extracts from an exactly sized heap copy, so ASan sees any over-read. */
static void extract(const u8 *frame, unsigned int len, struct vsw_key *k)
{
	u8 *copy = malloc(len ? len : 1);

	memcpy(copy, frame, len);
	vsw_key_extract_buf(copy, len, 7, k);
	free(copy);
}

static void dump_diff(const struct vsw_key *a, const struct vsw_key *b)
{
	const u8 *x = (const void *)a, *y = (const void *)b;
	unsigned int i;

	for (i = 0; i < sizeof(*a); i++)
		if (x[i] != y[i])
			fprintf(stderr, "  byte %u: got %02x want %02x\n",
				i, x[i], y[i]);
}

TEST(key_layout)
{
	ASSERT_EQ(248u, sizeof(struct vsw_key));	/* +48: ct_orig */
	ASSERT_EQ(31u, VSW_KEY_WORDS);
}

TEST(every_field_of_every_protocol)
{
	struct kcase cs[24];
	unsigned int n = build_cases(cs), i;
	struct vsw_key k;

	ASSERT_GE(n, 15u);
	for (i = 0; i < n; i++) {
		extract(cs[i].f.b, cs[i].f.len, &k);
		if (memcmp(&k, &cs[i].want, sizeof(k))) {
			fprintf(stderr, "case %s:\n", cs[i].name);
			dump_diff(&k, &cs[i].want);
		}
		EXPECT_EQ(0, memcmp(&k, &cs[i].want, sizeof(k)));
	}
}

TEST(truncation_at_every_length_zeroes_cut_layers)
{
	struct kcase cs[24];
	unsigned int n = build_cases(cs), i, len, l, fails = 0;
	struct vsw_key k, want;

	for (i = 0; i < n; i++) {
		for (len = 0; len <= cs[i].f.len; len++) {
			want = cs[i].want;
			for (l = cs[i].n_layers; l-- > 0;)
				if (cs[i].layers[l].end > len)
					cs[i].layers[l].clear(&want);
			extract(cs[i].f.b, len, &k);
			if (memcmp(&k, &want, sizeof(k))) {
				fprintf(stderr, "case %s cut at %u:\n",
					cs[i].name, len);
				dump_diff(&k, &want);
				fails++;
			}
		}
	}
	EXPECT_EQ(0u, fails);
}

TEST(malformed_headers_leave_fields_zero)
{
	struct vsw_key k, want;
	struct frame f;

	/* IHL 4: not an IPv4 header */
	eth(&f, -1, 0x0800);
	ipv4(&f, 6, 0, 0);
	tcp(&f);
	f.b[14] = 0x44;
	extract(f.b, f.len, &k);
	expect_eth(&want, 0x0800, -1);
	EXPECT_EQ(0, memcmp(&k, &want, sizeof(k)));

	/* IHL 15 but only 20 header bytes and a TCP header follow */
	eth(&f, -1, 0x0800);
	ipv4(&f, 6, 0, 0);
	f.b[14] = 0x4f;
	putn(&f, 0, 30);
	extract(f.b, f.len, &k);
	EXPECT_EQ(0, memcmp(&k, &want, sizeof(k)));

	/* version 6 in an IPv4 ethertype */
	eth(&f, -1, 0x0800);
	ipv6(&f, 17);
	udp(&f);
	extract(f.b, f.len, &k);
	EXPECT_EQ(0, memcmp(&k, &want, sizeof(k)));

	/* ARP for a non-Ethernet hardware type is not parsed */
	eth(&f, -1, 0x0806);
	put16(&f, 6); put16(&f, 0x0800); put8(&f, 6); put8(&f, 4);
	putn(&f, 0x11, 22);
	extract(f.b, f.len, &k);
	expect_eth(&want, 0x0806, -1);
	EXPECT_EQ(0, memcmp(&k, &want, sizeof(k)));

	/* ICMP (proto 1) inside IPv6 is not ICMPv6: no type/code */
	eth(&f, -1, 0x86dd);
	ipv6(&f, 1);
	put8(&f, 8); put8(&f, 0); putn(&f, 0, 6);
	extract(f.b, f.len, &k);
	expect_eth(&want, 0x86dd, -1);
	expect_ipv6(&want, 1, 0);
	EXPECT_EQ(0, memcmp(&k, &want, sizeof(k)));

	/* an extension header claiming more bytes than the frame has */
	eth(&f, -1, 0x86dd);
	ipv6(&f, 60);
	put8(&f, 17); put8(&f, 4); putn(&f, 0, 6);
	udp(&f);
	extract(f.b, f.len, &k);
	expect_ipv6(&want, 0, 0);
	EXPECT_EQ(0, memcmp(&k, &want, sizeof(k)));
}

TEST(too_many_ipv6_extension_headers_leave_proto_zero)
{
	struct vsw_key k, want;
	struct frame f;
	int i;

	eth(&f, -1, 0x86dd);
	ipv6(&f, 60);
	for (i = 0; i < 12; i++) {
		put8(&f, i == 11 ? 17 : 60);
		put8(&f, 0);
		putn(&f, 0, 6);
	}
	udp(&f);
	extract(f.b, f.len, &k);
	expect_eth(&want, 0x86dd, -1);
	expect_ipv6(&want, 0, 0);
	EXPECT_EQ(0, memcmp(&k, &want, sizeof(k)));
}

TEST(double_tag_keeps_inner_tpid_as_ethertype)
{
	struct vsw_key k, want;
	struct frame f;

	eth(&f, 0x0064, 0x8100);
	put16(&f, 0x00c8);
	put16(&f, 0x0800);
	ipv4(&f, 6, 0, 0);
	extract(f.b, f.len, &k);
	expect_eth(&want, 0x8100, 0x0064);
	EXPECT_EQ(0, memcmp(&k, &want, sizeof(k)));
}

/* An 802.1ad outer tag is the key's tag, as when a device strips it: the
 * upcall of such a frame (tag back in band) parses to the same key. */
TEST(qinq_outer_tag_is_the_tag)
{
	struct vsw_key k, want;
	struct frame f;

	f.len = 0;
	put(&f, MAC_B, 6);
	put(&f, MAC_A, 6);
	put16(&f, 0x88a8);
	put16(&f, 0x0064);
	put16(&f, 0x8100);
	put16(&f, 0x00c8);
	put16(&f, 0x0800);
	ipv4(&f, 6, 0, 0);
	extract(f.b, f.len, &k);
	expect_eth(&want, 0x8100, 0x0064);
	EXPECT_EQ(0, memcmp(&k, &want, sizeof(k)));
}

/* Random mutations of every frame at random lengths: no over-read (ASan)
 * and the key's padding and never-written bytes stay zero. */
TEST(random_mutations_never_read_past_the_frame)
{
	struct kcase cs[24];
	unsigned int n = build_cases(cs), iter, j;
	struct vsw_key k;
	u64 seed = 12345;

	for (iter = 0; iter < 200000; iter++) {
		struct frame f = cs[iter % n].f;
		unsigned int flips, len;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		flips = (seed >> 33) % 6;
		for (j = 0; j < flips; j++) {
			seed = seed * 6364136223846793005ull + 1;
			f.b[(seed >> 33) % f.len] ^= (u8)(seed >> 20);
		}
		len = (seed >> 40) % (f.len + 1);
		extract(f.b, len, &k);
		ASSERT_EQ(7u, k.in_port);
		ASSERT_EQ(0, k.pad[0] | k.pad[1]);
		ASSERT_EQ(0u, k.recirc_id);
		ASSERT_EQ(0u, k.ct_state | k.pad3 | k.ct_zone | k.ct_mark);
		if (!(k.ip_frag & VSW_FRAG_ANY))
			ASSERT_EQ(0, k.ip_frag);
	}
}

static void xkey_kernel(const struct vsw_key *k, struct xkey *x)
{
	memset(x, 0, sizeof(*x));
#define S(n) XKEY_GET_S(x, k, n)
#define A(n) XKEY_GET_A(x, k, n)
	XKEY_FIELDS(S, A)
#undef S
#undef A
#define S(n) XKEY_GET_S(&x->tun, &k->tun, n)
#define A(n) XKEY_GET_A(&x->tun, &k->tun, n)
	XKEY_TUN_FIELDS(S, A)
#undef S
#undef A
}

/* 0 when both extractors agree on @len bytes of @frame; else reports it. */
static int agree(const char *name, const u8 *frame, unsigned int len)
{
	struct xkey kx, ux;
	struct vsw_key k;

	extract(frame, len, &k);
	xkey_kernel(&k, &kx);
	xkey_userspace_extract(frame, len, 7, &ux);
	if (!memcmp(&kx, &ux, sizeof(kx)))
		return 0;
	fprintf(stderr, "%s, %u bytes: userspace's key differs:\n", name, len);
#define S(n) if (kx.n != ux.n) fprintf(stderr, "  %s: kernel %#llx userspace %#llx\n", #n, \
				       (unsigned long long)kx.n, (unsigned long long)ux.n);
#define A(n) if (memcmp(kx.n, ux.n, 16)) fprintf(stderr, "  %s differs\n", #n);
	XKEY_FIELDS(S, A)
#undef S
#undef A
	if (memcmp(&kx.tun, &ux.tun, sizeof(kx.tun)))
		fprintf(stderr, "  tunnel metadata differs\n");
	return 1;
}

/* Every frame above, cut at every length and mutated at random. */
TEST(userspace_extractor_agrees_with_the_kernel)
{
	struct kcase cs[24];
	unsigned int n = build_cases(cs), i, len, iter, j, fails = 0;
	u64 seed = 777;

	for (i = 0; i < n; i++)
		for (len = 0; len <= cs[i].f.len; len++)
			fails += agree(cs[i].name, cs[i].f.b, len);
	for (iter = 0; iter < 50000 && fails < 10; iter++) {
		struct frame f = cs[iter % n].f;
		unsigned int flips;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		flips = (seed >> 33) % 6;
		for (j = 0; j < flips; j++) {
			seed = seed * 6364136223846793005ull + 1;
			f.b[(seed >> 33) % f.len] ^= (u8)(seed >> 20);
		}
		fails += agree("mutated", f.b, (seed >> 40) % (f.len + 1));
	}
	EXPECT_EQ(0u, fails);
}

TEST_HARNESS_MAIN
