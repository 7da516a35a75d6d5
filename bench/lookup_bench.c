// SPDX-License-Identifier: GPL-2.0
/*
 * lookup_bench: nanoseconds per flow lookup of the module's flow table
 * (kmod/flow_table.c built for the host), for a microflow hit and for
 * mask searches over 1, 8, 32 and 128 masks, against the 10 Gb/s budget
 * of 67.2 ns per minimum-size packet (14.88 Mpps). Figures, not a test.
 *
 *   build/bench/lookup_bench [lookups-per-case]
 *
 *   build/bench/lookup_bench N CASE    runs only case CASE (0..5)
 *
 * Instructions per lookup: run one case under valgrind --tool=callgrind
 * with N and with 0 lookups; (Ir(N) - Ir(0)) / (3 * N), as each case runs
 * three timed rounds.
 */
#include <stdio.h>
#include <time.h>
#include <arpa/inet.h>
#include "flow_lookup.h"
#include "flow_table.h"

#define N_PACKETS	1024	/* distinct packets cycled through */
#define FLOWS_PER_MASK	4
#define BUDGET_NS	67.2

static u64 rng = 0x2545f4914f6cdd1dull;

static u32 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (u32)(rng >> 16);
}

/* Distinct mask @i: exact in_port and eth_type, an IPv4 destination
 * prefix of 1..32 bits, and an exact ip_proto / tp_dst / tp_src depending
 * on i / 32 (so up to 256 distinct masks over the first 5 key words). */
static void make_mask(struct vsw_key *m, unsigned int i)
{
	memset(m, 0, sizeof(*m));
	m->in_port = 0xffffffff;
	m->eth_type = 0xffff;
	m->ipv4_dst = htonl(~0u << (i % 32));
	if ((i / 32) & 1)
		m->ip_proto = 0xff;
	if ((i / 32) & 2)
		m->tp_dst = 0xffff;
	if ((i / 32) & 4)
		m->tp_src = 0xffff;
}

static void random_packet(struct vsw_key *k)
{
	memset(k, 0, sizeof(*k));
	k->in_port = 1;
	k->eth_type = htons(0x0800);
	k->eth_src[5] = rnd();
	k->eth_dst[5] = rnd();
	k->ip_proto = 17;
	k->ip_ttl = 64;
	k->ipv4_src = rnd();
	k->ipv4_dst = rnd();
	k->tp_src = rnd();
	k->tp_dst = rnd();
}

/* The table owner's mutex (the module passes the datapath's). */
static DEFINE_MUTEX(bench_lock);

struct setup {
	struct vsw_flow_table *tbl;
	struct vsw_key pkts[N_PACKETS];
	u32 hashes[N_PACKETS];
};

/* @n_masks masks with FLOWS_PER_MASK flows each; packets spread evenly
 * over all flows, each inside its flow (other fields random). */
static int build(struct setup *s, unsigned int n_masks, u32 microflow)
{
	struct vsw_flow *flows[256 * FLOWS_PER_MASK];
	unsigned int i, n = 0;
	struct vsw_key mask, pkt;

	s->tbl = vsw_flow_table_create(microflow, &bench_lock);
	if (IS_ERR(s->tbl))
		return -1;
	for (i = 0; i < n_masks * FLOWS_PER_MASK; i++) {
		struct vsw_flow *f;

		make_mask(&mask, i / FLOWS_PER_MASK);
		random_packet(&pkt);
		f = vsw_flow_alloc(&pkt);
		if (IS_ERR(f))
			return -1;
		if (vsw_flow_insert(s->tbl, f, &mask, NULL)) {
			vsw_flow_free(f);	/* a rare duplicate */
			continue;
		}
		flows[n++] = f;
	}
	for (i = 0; i < N_PACKETS; i++) {
		const struct vsw_flow *f = flows[rnd() % n];
		const u64 *fk = (const u64 *)&f->key;
		const u64 *mk = (const u64 *)&f->mask->key;
		u64 *p = (u64 *)&s->pkts[i];
		unsigned int w;

		random_packet(&s->pkts[i]);
		for (w = 0; w < VSW_KEY_WORDS; w++)
			p[w] = fk[w] | (p[w] & ~mk[w]);
		/* what skb_get_hash would give: a 5-tuple hash */
		s->hashes[i] = (s->pkts[i].ipv4_src * 2654435761u) ^
			       s->pkts[i].ipv4_dst ^
			       ((u32)s->pkts[i].tp_src << 16 | s->pkts[i].tp_dst);
		if (!s->hashes[i])
			s->hashes[i] = 1;
	}
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static volatile uintptr_t sink;

static void run(const char *name, unsigned int n_masks, u32 microflow,
		unsigned long n)
{
	static struct setup s;
	unsigned long i, found = 0, probed = 0, mf = 0;
	double t0, t1, ns = 0;
	unsigned int round;
	bool mf_hit;
	u32 np;

	if (build(&s, n_masks, microflow)) {
		fprintf(stderr, "%s: setup failed\n", name);
		return;
	}
	/* warm the caches (and the microflow cache) */
	for (i = 0; i < 4 * N_PACKETS; i++)
		sink += (uintptr_t)vsw_flow_lookup(s.tbl, &s.pkts[i % N_PACKETS],
						   s.hashes[i % N_PACKETS],
						   &np, &mf_hit);
	/* best of three rounds: other work on the host only adds time */
	for (round = 0; round < 3; round++) {
		found = probed = mf = 0;
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			unsigned int j = i % N_PACKETS;
			struct vsw_flow *f;

			f = vsw_flow_lookup(s.tbl, &s.pkts[j], s.hashes[j],
					    &np, &mf_hit);
			found += !!f;
			probed += np;
			mf += mf_hit;
			sink += (uintptr_t)f;
		}
		t1 = now_ns();
		if (!round || (t1 - t0) / n < ns)
			ns = (t1 - t0) / n;
	}
	printf("%-28s %6u %10.1f %9.2f %7.1f%% %8.1f%% %9.1f%%\n", name,
	       vsw_flow_table_mask_count(s.tbl), ns, (double)probed / n,
	       100.0 * mf / n, 100.0 * found / n, 100.0 * ns / BUDGET_NS);
	vsw_flow_table_destroy(s.tbl, NULL);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 4000000;
	int only = argc > 2 ? atoi(argv[2]) : -1;	/* one case, 0..5 */
	int c = 0;

	printf("flow lookups, %lu per case, %d distinct packets; budget %.1f ns/packet (10 Gb/s, 64-byte frames)\n\n",
	       n, N_PACKETS, BUDGET_NS);
	printf("%-28s %6s %10s %9s %8s %9s %10s\n", "case", "masks",
	       "ns/lookup", "probes", "mf-hit", "found", "of budget");
#define CASE(...) do { if (only < 0 || only == c) run(__VA_ARGS__); c++; } while (0)
	CASE("microflow hit (1 mask)", 1, 4096, n);
	CASE("megaflow, 1 mask", 1, 0, n);
	CASE("megaflow, 8 masks", 8, 0, n);
	CASE("megaflow, 32 masks", 32, 0, n);
	CASE("megaflow, 128 masks", 128, 0, n);
	CASE("microflow on, 128 masks", 128, 4096, n);
	return 0;
}
