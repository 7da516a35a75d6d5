// SPDX-License-Identifier: GPL-2.0
/*
 * The megaflow + microflow cache (kmod/flow_table.c and its flow_*.c) against a
 * deliberately naive model: a linear list of (masked key, mask). Random
 * flows (kept overlap-free, as userspace guarantees), random removals and
 * random packets: every lookup, find, UFID find, dump and count must agree
 * with the model, with the microflow cache on, off, resized, and fed
 * colliding or absent hashes.
 */
#include <stdio.h>
#include <arpa/inet.h>
#include "kselftest_harness.h"
#include "flow_lookup.h"
#include "flow_microflow.h"
#include "flow_rebalance.h"
#include "flow_stats.h"
#include "flow_table.h"

#define MAX_MODEL	4096

/* The table owner's mutex, as the datapath's is in the module. */
static DEFINE_MUTEX(tbl_lock);

struct model_flow {
	struct vsw_key key;		/* masked */
	struct vsw_key mask;
	struct vsw_flow *flow;
};

struct model {
	struct model_flow f[MAX_MODEL];
	unsigned int n;
};

static u64 rng_state = 88172645463325252ull;

static u32 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u32)(rng_state >> 11);
}

static void apply_mask(struct vsw_key *dst, const struct vsw_key *k,
		       const struct vsw_key *m)
{
	const u64 *a = (const u64 *)k, *b = (const u64 *)m;
	u64 *d = (u64 *)dst;
	unsigned int i;

	for (i = 0; i < VSW_KEY_WORDS; i++)
		d[i] = a[i] & b[i];
}

static bool matches(const struct model_flow *mf, const struct vsw_key *pkt)
{
	struct vsw_key k;

	apply_mask(&k, pkt, &mf->mask);
	return !memcmp(&k, &mf->key, sizeof(k));
}

/* Two flows overlap when some packet matches both. */
static bool overlap(const struct vsw_key *k1, const struct vsw_key *m1,
		    const struct vsw_key *k2, const struct vsw_key *m2)
{
	const u64 *a = (const u64 *)k1, *b = (const u64 *)m1;
	const u64 *c = (const u64 *)k2, *d = (const u64 *)m2;
	unsigned int i;

	for (i = 0; i < VSW_KEY_WORDS; i++)
		if ((a[i] ^ c[i]) & b[i] & d[i])
			return false;
	return true;
}

/* Packets from a small domain so that random flows and packets meet. */
static void random_packet(struct vsw_key *k)
{
	static const u16 types[] = { 0x0800, 0x86dd, 0x0806 };

	memset(k, 0, sizeof(*k));
	k->in_port = 1 + rnd() % 3;
	k->eth_type = htons(types[rnd() % 3]);
	if (rnd() % 2)
		k->vlan_tci = htons(VSW_VLAN_PRESENT | 10);
	k->eth_src[5] = rnd() % 2;
	k->eth_dst[5] = rnd() % 2;
	k->ip_proto = rnd() % 2 ? 6 : 17;
	k->ip_tos = (rnd() % 2) << 2;
	k->ipv4_src = htonl(0x0a000000 | (rnd() % 4));
	k->ipv4_dst = htonl(0x0a000000 | (rnd() % 2));
	k->tp_src = htons(rnd() % 2);
	k->tp_dst = htons(80 + rnd() % 2);
	k->ipv6_src.s6_addr[15] = rnd() % 2;
	k->nd_target.s6_addr[0] = rnd() % 2;
}

/* Field masks a random megaflow mask is made of; in_port always exact. */
static void random_mask(struct vsw_key *m)
{
	unsigned int bits = rnd();

	memset(m, 0, sizeof(*m));
	m->in_port = 0xffffffff;
	m->eth_type = 0xffff;
	if (bits & 2)
		m->vlan_tci = 0xffff;
	if (bits & 4)
		memset(m->eth_src, 0xff, 6);
	if (bits & 8)
		memset(m->eth_dst, 0xff, 6);
	if (bits & 16)
		m->ip_proto = 0xff;
	if (bits & 32)
		m->ipv4_src = htonl(0xfffffffe);	/* a prefix */
	if (bits & 64)
		m->ipv4_dst = 0xffffffff;
	if (bits & 128)
		m->tp_dst = 0xffff;
	if (bits & 256)
		m->tp_src = 0xffff;
	if (bits & 512)
		memset(&m->ipv6_src, 0xff, 16);
	if (bits & 1024)
		m->nd_target.s6_addr[0] = 0xff;		/* last word only */
	if (bits & 2048)
		m->ip_tos = 0xfc;
}

static struct model_flow *model_find_exact(struct model *md,
					   const struct vsw_key *k,
					   const struct vsw_key *m)
{
	unsigned int i;

	for (i = 0; i < md->n; i++)
		if (!memcmp(&md->f[i].mask, m, sizeof(*m)) &&
		    !memcmp(&md->f[i].key, k, sizeof(*k)))
			return &md->f[i];
	return NULL;
}

static bool model_overlaps(struct model *md, const struct vsw_key *k,
			   const struct vsw_key *m)
{
	unsigned int i;

	for (i = 0; i < md->n; i++)
		if (overlap(&md->f[i].key, &md->f[i].mask, k, m))
			return true;
	return false;
}

static struct model_flow *model_lookup(struct model *md,
				       const struct vsw_key *pkt)
{
	unsigned int i;

	for (i = 0; i < md->n; i++)
		if (matches(&md->f[i], pkt))
			return &md->f[i];
	return NULL;
}

static unsigned int model_masks(struct model *md)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < md->n; i++) {
		for (j = 0; j < i; j++)
			if (!memcmp(&md->f[i].mask, &md->f[j].mask,
				    sizeof(struct vsw_key)))
				break;
		n += j == i;
	}
	return n;
}

/* A third each: random, repeated (so the microflow cache can answer),
 * and inside a random installed flow (so the mask search finds it). */
static void test_packet(struct model *md, struct vsw_key *pkt)
{
	static struct vsw_key pool[64];
	static unsigned int pool_n;
	unsigned int r = rnd() % 3, i;

	random_packet(pkt);
	if (r == 1 && pool_n) {
		*pkt = pool[rnd() % pool_n];
	} else if (r == 2 && md->n) {
		const struct model_flow *f = &md->f[rnd() % md->n];
		const u64 *k = (const u64 *)&f->key, *m = (const u64 *)&f->mask;
		u64 *p = (u64 *)pkt;

		for (i = 0; i < VSW_KEY_WORDS; i++)
			p[i] = k[i] | (p[i] & ~m[i]);
	}
	if (pool_n < 64)
		pool[pool_n++] = *pkt;
	else
		pool[rnd() % 64] = *pkt;
}

enum hash_mode { HASH_RANDOMISH, HASH_CONSTANT, HASH_ABSENT };

static u32 packet_hash(const struct vsw_key *k, enum hash_mode mode)
{
	if (mode == HASH_CONSTANT)
		return 0x5a5a5a5a;	/* every packet collides */
	if (mode == HASH_ABSENT)
		return 0;		/* the table hashes the key */
	/* a 5-tuple-like hash that ignores most fields, as skb hashes do */
	return (ntohl(k->ipv4_src) * 31 + ntohl(k->ipv4_dst)) * 2654435761u +
	       ntohs(k->tp_dst);
}

FIXTURE(table) {
	struct vsw_flow_table *tbl;
	struct model *md;
	long allocs_before;
};

FIXTURE_VARIANT(table) {
	u32 microflow;
	enum hash_mode hash;
	unsigned int cpus;
};

FIXTURE_VARIANT_ADD(table, microflow_off) {
	.microflow = 0, .hash = HASH_RANDOMISH, .cpus = 1,
};
FIXTURE_VARIANT_ADD(table, microflow_4096) {
	.microflow = 4096, .hash = HASH_RANDOMISH, .cpus = 2,
};
FIXTURE_VARIANT_ADD(table, microflow_tiny_colliding) {
	.microflow = 2, .hash = HASH_RANDOMISH, .cpus = 4,
};
FIXTURE_VARIANT_ADD(table, microflow_constant_hash) {
	.microflow = 256, .hash = HASH_CONSTANT, .cpus = 2,
};
FIXTURE_VARIANT_ADD(table, microflow_absent_hash) {
	.microflow = 256, .hash = HASH_ABSENT, .cpus = 2,
};

FIXTURE_SETUP(table)
{
	kshim_set_cpus(variant->cpus);
	self->allocs_before = kshim_live_allocs;
	self->md = calloc(1, sizeof(*self->md));
	vsw_flow_stats_init();
	self->tbl = vsw_flow_table_create(variant->microflow, &tbl_lock);
	ASSERT_FALSE(IS_ERR(self->tbl));
}

FIXTURE_TEARDOWN(table)
{
	vsw_flow_table_destroy(self->tbl, NULL);
	vsw_flow_stats_uninit();	/* the stats pool, as at unload */
	EXPECT_EQ(self->allocs_before, kshim_live_allocs);
	EXPECT_EQ(0u, kshim_warnings);
	free(self->md);
}

/* Tries to insert a random flow into both; returns the table's result. */
static int insert_random(struct vsw_flow_table *tbl, struct model *md,
			 bool with_ufid, int *model_said)
{
	struct vsw_key pkt, mask, mkey;
	struct vsw_flow *flow, *existing;
	struct model_flow *same;
	int err;

	random_packet(&pkt);
	random_mask(&mask);
	apply_mask(&mkey, &pkt, &mask);
	same = model_find_exact(md, &mkey, &mask);
	if (!same && (model_overlaps(md, &mkey, &mask) || md->n == MAX_MODEL))
		return *model_said = 1;		/* not a valid install */
	flow = vsw_flow_alloc(&pkt);
	if (IS_ERR(flow))
		return PTR_ERR(flow);
	if (with_ufid) {
		u32 id[4] = { rnd(), rnd(), rnd(), rnd() };

		memcpy(flow->ufid, id, sizeof(id));
		flow->has_ufid = true;
	}
	err = vsw_flow_insert(tbl, flow, &mask, &existing);
	*model_said = same ? -EEXIST : 0;
	if (err) {
		if (err == -EEXIST && (!same || existing != same->flow))
			*model_said = 2;	/* wrong existing flow */
		vsw_flow_free(flow);
		return err;
	}
	md->f[md->n].key = mkey;
	md->f[md->n].mask = mask;
	md->f[md->n++].flow = flow;
	return 0;
}

static void remove_at(struct vsw_flow_table *tbl, struct model *md,
		      unsigned int i)
{
	vsw_flow_remove(tbl, md->f[i].flow, NULL);
	md->f[i] = md->f[--md->n];
}

/* Checks everything the table can tell against the model. */
static int check_all(struct vsw_flow_table *tbl, struct model *md)
{
	struct vsw_flow *f;
	unsigned int i, seen = 0;
	u64 pos = 0;

	if (vsw_flow_table_count(tbl) != md->n)
		return 1;
	if (vsw_flow_table_mask_count(tbl) != model_masks(md))
		return 2;
	for (i = 0; i < md->n; i++) {
		unsigned int j, refs = 0;

		if (vsw_flow_find(tbl, &md->f[i].key, &md->f[i].mask) !=
		    md->f[i].flow)
			return 3;
		if (md->f[i].flow->has_ufid &&
		    vsw_flow_find_ufid(tbl, md->f[i].flow->ufid) !=
		    md->f[i].flow)
			return 4;
		for (j = 0; j < md->n; j++)
			refs += md->f[j].flow->mask == md->f[i].flow->mask;
		if (md->f[i].flow->mask->ref_count != (int)refs)
			return 5;
		if (memcmp(&md->f[i].flow->mask->key, &md->f[i].mask,
			   sizeof(struct vsw_key)))
			return 6;
	}
	while ((f = vsw_flow_table_next(tbl, &pos))) {
		for (i = 0; i < md->n && md->f[i].flow != f; i++)
			;
		if (i == md->n)
			return 7;
		seen++;
	}
	return seen == md->n ? 0 : 8;
}

TEST_F(table, random_ops_agree_with_naive_model)
{
	unsigned int round, op, hits = 0, mf_hits = 0, lookups = 0;
	struct vsw_key pkt;
	int err, model_said;

	for (round = 0; round < 40; round++) {
		for (op = 0; op < 600; op++) {
			unsigned int r = rnd() % 10;

			if (r < 3) {
				err = insert_random(self->tbl, self->md,
						    rnd() % 2, &model_said);
				if (model_said == 1)
					continue;
				ASSERT_EQ(model_said, err);
			} else if (r < 5 && self->md->n) {
				remove_at(self->tbl, self->md,
					  rnd() % self->md->n);
			} else {
				struct model_flow *want;
				struct vsw_flow *got;
				bool mf_hit;
				u32 probed;

				test_packet(self->md, &pkt);
				kshim_set_cpu(rnd() % variant->cpus);
				want = model_lookup(self->md, &pkt);
				got = vsw_flow_lookup(self->tbl, &pkt,
						      packet_hash(&pkt, variant->hash),
						      &probed, &mf_hit);
				ASSERT_EQ(want ? want->flow : NULL, got);
				ASSERT_LE(probed, vsw_flow_table_mask_count(self->tbl));
				if (mf_hit) {
					ASSERT_EQ(0u, probed);
				}
				lookups++;
				hits += !!got;
				mf_hits += mf_hit;
			}
		}
		ASSERT_EQ(0, check_all(self->tbl, self->md));
		if (round % 8 == 7)
			vsw_flow_table_rebalance(self->tbl);
		if (round == 20 && variant->microflow)
			ASSERT_EQ(0, vsw_flow_table_set_microflow(self->tbl,
						variant->microflow * 2));
	}
	TH_LOG("%u lookups, %u hits, %u microflow hits, %u flows, %u masks",
	       lookups, hits, mf_hits, self->md->n,
	       vsw_flow_table_mask_count(self->tbl));
	ASSERT_GT(hits, lookups / 4);
	if (variant->microflow) {
		ASSERT_GT(mf_hits, lookups / 100);
	} else {
		ASSERT_EQ(0u, mf_hits);
	}
	while (self->md->n)
		remove_at(self->tbl, self->md, 0);
	ASSERT_EQ(0u, vsw_flow_table_mask_count(self->tbl));
	ASSERT_EQ(0u, vsw_flow_table_count(self->tbl));
}

/* A microflow entry outliving its flow: removed, then a different flow
 * with a different mask takes over the same packets (and maybe the same
 * index). The cached entry must never answer for the old flow. */
TEST_F(table, microflow_never_wrong_after_remove_and_reinsert)
{
	struct vsw_key pkt, m1, m2;
	struct vsw_flow *a, *b, *got;
	bool mf_hit;
	u32 probed, h;
	int i;

	random_packet(&pkt);
	h = packet_hash(&pkt, variant->hash);
	memset(&m1, 0, sizeof(m1));
	m1.in_port = 0xffffffff;
	m1.ipv4_dst = 0xffffffff;
	m2 = m1;
	m2.tp_dst = 0xffff;
	for (i = 0; i < 50; i++) {
		a = vsw_flow_alloc(&pkt);
		ASSERT_EQ(0, vsw_flow_insert(self->tbl, a, i % 2 ? &m1 : &m2,
					     NULL));
		got = vsw_flow_lookup(self->tbl, &pkt, h, &probed, &mf_hit);
		ASSERT_EQ(a, got);
		got = vsw_flow_lookup(self->tbl, &pkt, h, &probed, &mf_hit);
		ASSERT_EQ(a, got);
		ASSERT_EQ(!!variant->microflow, mf_hit);
		vsw_flow_remove(self->tbl, a, NULL);
		got = vsw_flow_lookup(self->tbl, &pkt, h, &probed, &mf_hit);
		ASSERT_EQ(NULL, got);
		ASSERT_FALSE(mf_hit);
		/* a flow that does not match the packet reuses the index */
		pkt.tp_dst ^= htons(1);
		b = vsw_flow_alloc(&pkt);
		pkt.tp_dst ^= htons(1);
		ASSERT_EQ(0, vsw_flow_insert(self->tbl, b, &m2, NULL));
		got = vsw_flow_lookup(self->tbl, &pkt, h, &probed, &mf_hit);
		ASSERT_EQ(NULL, got);
		vsw_flow_remove(self->tbl, b, NULL);
	}
}

TEST_F(table, duplicate_is_eexist_with_existing)
{
	struct vsw_key pkt, mask, other;
	struct vsw_flow *a, *b, *c, *existing;

	random_packet(&pkt);
	memset(&mask, 0, sizeof(mask));
	mask.in_port = 0xffffffff;
	mask.ipv4_dst = 0xffffffff;
	a = vsw_flow_alloc(&pkt);
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, a, &mask, &existing));
	ASSERT_EQ(NULL, existing);
	/* same masked key from a packet differing in wildcarded fields */
	other = pkt;
	other.tp_dst ^= htons(7);
	other.eth_src[0] ^= 1;
	b = vsw_flow_alloc(&other);
	ASSERT_EQ(-EEXIST, vsw_flow_insert(self->tbl, b, &mask, &existing));
	ASSERT_EQ(a, existing);
	vsw_flow_free(b);
	/* a different masked key shares the mask */
	other.in_port = pkt.in_port + 100;
	c = vsw_flow_alloc(&other);
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, c, &mask, NULL));
	ASSERT_EQ(1u, vsw_flow_table_mask_count(self->tbl));
	ASSERT_EQ(2, a->mask->ref_count);
	ASSERT_EQ(a->mask, c->mask);
	vsw_flow_remove(self->tbl, a, NULL);
	ASSERT_EQ(1, c->mask->ref_count);
	vsw_flow_remove(self->tbl, c, NULL);
	ASSERT_EQ(0u, vsw_flow_table_mask_count(self->tbl));
}

TEST_F(table, ufid_duplicate_is_eexist)
{
	struct vsw_key pkt, mask;
	struct vsw_flow *a, *b, *existing;

	random_packet(&pkt);
	random_mask(&mask);
	a = vsw_flow_alloc(&pkt);
	memset(a->ufid, 0xab, VSW_UFID_LEN);
	a->has_ufid = true;
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, a, &mask, NULL));
	pkt.in_port += 10;
	b = vsw_flow_alloc(&pkt);
	memset(b->ufid, 0xab, VSW_UFID_LEN);
	b->has_ufid = true;
	ASSERT_EQ(-EEXIST, vsw_flow_insert(self->tbl, b, &mask, &existing));
	ASSERT_EQ(a, existing);
	b->ufid[3] = 1;
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, b, &mask, NULL));
	ASSERT_EQ(b, vsw_flow_find_ufid(self->tbl, b->ufid));
	ASSERT_EQ(a, vsw_flow_find_ufid(self->tbl, a->ufid));
}

TEST_F(table, grows_past_many_flows_and_shrinks_back)
{
	struct vsw_key pkt, mask, probe;
	struct vsw_flow **flows = calloc(30000, sizeof(*flows));
	struct vsw_flow *got;
	bool mf_hit;
	u32 probed, i;

	memset(&mask, 0, sizeof(mask));
	mask.in_port = 0xffffffff;
	mask.ipv4_src = 0xffffffff;
	memset(&pkt, 0, sizeof(pkt));
	for (i = 0; i < 30000; i++) {
		pkt.in_port = 1 + i % 7;
		pkt.ipv4_src = htonl(i);
		flows[i] = vsw_flow_alloc(&pkt);
		ASSERT_EQ(0, vsw_flow_insert(self->tbl, flows[i], &mask, NULL));
	}
	ASSERT_EQ(30000u, vsw_flow_table_count(self->tbl));
	for (i = 0; i < 30000; i++) {
		probe = pkt;
		probe.in_port = 1 + i % 7;
		probe.ipv4_src = htonl(i);
		probe.tp_dst = htons(i);	/* wildcarded */
		got = vsw_flow_lookup(self->tbl, &probe, i * 2654435761u,
				      &probed, &mf_hit);
		ASSERT_EQ(flows[i], got);
	}
	for (i = 0; i < 30000; i += 2)
		vsw_flow_remove(self->tbl, flows[i], NULL);
	for (i = 0; i < 30000; i++) {
		probe.in_port = 1 + i % 7;
		probe.ipv4_src = htonl(i);
		got = vsw_flow_lookup(self->tbl, &probe, 0, &probed, &mf_hit);
		ASSERT_EQ(i % 2 ? flows[i] : NULL, got);
	}
	for (i = 1; i < 30000; i += 2)
		vsw_flow_remove(self->tbl, flows[i], NULL);
	ASSERT_EQ(0u, vsw_flow_table_count(self->tbl));
	free(flows);
}

TEST_F(table, max_masks_enforced)
{
	struct vsw_key pkt, mask;
	struct vsw_flow *f, *first = NULL;
	u32 i;

	memset(&pkt, 0, sizeof(pkt));
	memset(&mask, 0, sizeof(mask));
	mask.in_port = 0xffffffff;
	for (i = 1; i <= VSW_MAX_MASKS; i++) {
		mask.ipv4_src = htonl(i);	/* a distinct mask each */
		f = vsw_flow_alloc(&pkt);
		ASSERT_EQ(0, vsw_flow_insert(self->tbl, f, &mask, NULL));
		if (!first)
			first = f;
	}
	ASSERT_EQ((u32)VSW_MAX_MASKS, vsw_flow_table_mask_count(self->tbl));
	mask.ipv4_src = htonl(VSW_MAX_MASKS + 1);
	f = vsw_flow_alloc(&pkt);
	ASSERT_EQ(-E2BIG, vsw_flow_insert(self->tbl, f, &mask, NULL));
	vsw_flow_free(f);
	/* an existing mask still takes flows */
	pkt.in_port = 9;
	mask.ipv4_src = htonl(1);
	f = vsw_flow_alloc(&pkt);
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, f, &mask, NULL));
	/* freeing one mask makes room for a new one */
	vsw_flow_remove(self->tbl, f, NULL);
	vsw_flow_remove(self->tbl, first, NULL);
	mask.ipv4_src = htonl(VSW_MAX_MASKS + 1);
	f = vsw_flow_alloc(&pkt);
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, f, &mask, NULL));
	ASSERT_EQ((u32)VSW_MAX_MASKS, vsw_flow_table_mask_count(self->tbl));
}

TEST_F(table, rebalance_puts_busy_mask_first)
{
	struct vsw_key pkt, mask;
	struct vsw_flow *f, *got;
	bool mf_hit;
	u32 probed, i;

	memset(&pkt, 0, sizeof(pkt));
	memset(&mask, 0, sizeof(mask));
	mask.in_port = 0xffffffff;
	for (i = 1; i <= 32; i++) {
		mask.ipv4_src = htonl(i << 8);
		pkt.ipv4_src = htonl(i << 8);
		f = vsw_flow_alloc(&pkt);
		ASSERT_EQ(0, vsw_flow_insert(self->tbl, f, &mask, NULL));
	}
	/* f: the last mask, probed last */
	ASSERT_EQ(0, vsw_flow_table_set_microflow(self->tbl, 0));
	for (i = 0; i < 100; i++) {
		got = vsw_flow_lookup(self->tbl, &pkt, 1, &probed, &mf_hit);
		ASSERT_EQ(f, got);
	}
	ASSERT_EQ(32u, probed);
	vsw_flow_table_rebalance(self->tbl);
	got = vsw_flow_lookup(self->tbl, &pkt, 1, &probed, &mf_hit);
	ASSERT_EQ(f, got);
	ASSERT_EQ(1u, probed);
	ASSERT_EQ(-EINVAL, vsw_flow_table_set_microflow(self->tbl, 3));
	ASSERT_EQ(-EINVAL, vsw_flow_table_set_microflow(self->tbl,
							VSW_MICROFLOW_MAX * 2));
}

TEST_F(table, stats_sum_over_cpus)
{
	struct vsw_key pkt, mask;
	struct vsw_flow_stats st;
	struct vsw_flow *f;
	unsigned int cpu;

	random_packet(&pkt);
	random_mask(&mask);
	f = vsw_flow_alloc(&pkt);
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, f, &mask, NULL));
	vsw_flow_stats_get(f, &st);
	ASSERT_EQ(0u, st.packets);
	ASSERT_EQ(0u, st.used);
	for (cpu = 0; cpu < variant->cpus; cpu++) {
		kshim_set_cpu(cpu);
		jiffies = 100 + cpu;
		vsw_flow_stats_update(f, 100, 0x02);
		vsw_flow_stats_update(f, 50, cpu ? 0x10 : 0);
	}
	vsw_flow_stats_get(f, &st);
	ASSERT_EQ(2u * variant->cpus, st.packets);
	ASSERT_EQ(150u * variant->cpus, st.bytes);
	ASSERT_EQ(100u + variant->cpus - 1, st.used);
	ASSERT_EQ(variant->cpus > 1 ? 0x12 : 0x02, st.tcp_flags);
	vsw_flow_stats_clear(f);
	vsw_flow_stats_get(f, &st);
	ASSERT_EQ(0u, st.packets);
	ASSERT_EQ(0u, st.bytes);
}

/* One mask, one flow per source address; the flows' mask is @mask. */
static struct vsw_flow *one_mask_flow(struct vsw_key *mask, u32 src)
{
	struct vsw_key pkt;

	memset(&pkt, 0, sizeof(pkt));
	memset(mask, 0, sizeof(*mask));
	mask->in_port = 0xffffffff;
	mask->ipv4_src = 0xffffffff;
	pkt.in_port = 1;
	pkt.ipv4_src = htonl(src);
	pkt.tp_dst = htons(src);		/* wildcarded */
	return vsw_flow_alloc(&pkt);
}

/* The common install, a flow under a mask that exists: no mask node and
 * no per-CPU memory is allocated for it, only the flow itself (the stats
 * come from a pool that grows by many slots at a time).
 */
TEST_F(table, flows_sharing_a_mask_allocate_no_mask)
{
	unsigned long percpu;
	struct vsw_flow *f, *first;
	struct vsw_key mask;
	long live;
	u32 i;

	first = one_mask_flow(&mask, 0);
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, first, &mask, NULL));
	percpu = kshim_percpu_allocs;
	live = kshim_live_allocs;
	f = one_mask_flow(&mask, 1);
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, f, &mask, NULL));
	ASSERT_EQ(percpu, kshim_percpu_allocs);
	ASSERT_EQ(live + 1, kshim_live_allocs);		/* the flow node */
	ASSERT_EQ(first->mask, f->mask);
	for (i = 2; i < 1000; i++) {
		f = one_mask_flow(&mask, i);
		ASSERT_EQ(0, vsw_flow_insert(self->tbl, f, &mask, NULL));
		ASSERT_EQ(first->mask, f->mask);
	}
	ASSERT_EQ(1u, vsw_flow_table_mask_count(self->tbl));
	ASSERT_EQ(1000, first->mask->ref_count);
	/* per-CPU allocations are amortised over many flows */
	ASSERT_LE(kshim_percpu_allocs - percpu, 1000u / 32);
}

/* A slot handed back by a removed flow, or by a flow never inserted, is
 * reused without a new per-CPU allocation and starts at zero on every CPU.
 */
TEST_F(table, reused_stats_slot_starts_at_zero)
{
	struct vsw_flow *keep, *f, *g;
	struct vsw_flow_stats st;
	unsigned long percpu;
	struct vsw_key mask;
	unsigned int cpu;

	keep = one_mask_flow(&mask, 0);
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, keep, &mask, NULL));
	f = one_mask_flow(&mask, 1);
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, f, &mask, NULL));
	g = one_mask_flow(&mask, 2);		/* never inserted */
	for (cpu = 0; cpu < variant->cpus; cpu++) {
		kshim_set_cpu(cpu);
		jiffies = 1000 + cpu;
		vsw_flow_stats_update(f, 1500, 0x12);
		vsw_flow_stats_update(g, 60, 0x01);
	}
	vsw_flow_remove(self->tbl, f, NULL);
	vsw_flow_free(g);
	percpu = kshim_percpu_allocs;
	f = one_mask_flow(&mask, 1);
	g = one_mask_flow(&mask, 2);
	ASSERT_EQ(percpu, kshim_percpu_allocs);
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, f, &mask, NULL));
	ASSERT_EQ(0, vsw_flow_insert(self->tbl, g, &mask, NULL));
	vsw_flow_stats_get(f, &st);
	ASSERT_EQ(0u, st.packets + st.bytes + st.used + st.tcp_flags);
	vsw_flow_stats_get(g, &st);
	ASSERT_EQ(0u, st.packets + st.bytes + st.used + st.tcp_flags);
	kshim_set_cpu(variant->cpus - 1);
	vsw_flow_stats_update(g, 64, 0);
	vsw_flow_stats_get(g, &st);
	ASSERT_EQ(1u, st.packets);
	ASSERT_EQ(64u, st.bytes);
	vsw_flow_stats_get(keep, &st);
	ASSERT_EQ(0u, st.packets);
}

/* Enough flows for several pool chunks, over several masks: every flow
 * counts into its own slot on every CPU (no two slots or CPUs alias), and
 * after removal all slots are reused by the next flows.
 */
TEST_F(table, stats_slots_distinct_across_chunks_and_reused)
{
	enum { N = 300 };
	struct vsw_flow **flows = calloc(N, sizeof(*flows));
	struct vsw_flow_stats st;
	struct vsw_key mask[4];
	unsigned long percpu;
	unsigned int cpu, i;
	u64 want;

	ASSERT_NE(NULL, flows);
	for (i = 0; i < N; i++) {
		flows[i] = one_mask_flow(&mask[i % 4], i);
		mask[i % 4].tp_src = htons(i % 4);	/* 4 masks */
		ASSERT_EQ(0, vsw_flow_insert(self->tbl, flows[i],
					     &mask[i % 4], NULL));
	}
	ASSERT_EQ(4u, vsw_flow_table_mask_count(self->tbl));
	for (cpu = 0; cpu < variant->cpus; cpu++) {
		kshim_set_cpu(cpu);
		for (i = 0; i < N; i++)
			vsw_flow_stats_update(flows[i], i * 8 + cpu + 1, 0);
	}
	for (i = 0; i < N; i++) {
		vsw_flow_stats_get(flows[i], &st);
		want = 0;
		for (cpu = 0; cpu < variant->cpus; cpu++)
			want += i * 8 + cpu + 1;
		ASSERT_EQ(variant->cpus, st.packets);
		ASSERT_EQ(want, st.bytes);
	}
	for (i = 0; i < N; i++)
		vsw_flow_remove(self->tbl, flows[i], NULL);
	percpu = kshim_percpu_allocs;
	for (i = 0; i < N; i++) {
		flows[i] = one_mask_flow(&mask[0], i);
		vsw_flow_stats_get(flows[i], &st);
		ASSERT_EQ(0u, st.packets + st.bytes);
	}
	ASSERT_EQ(percpu, kshim_percpu_allocs);
	for (i = 0; i < N; i++)
		vsw_flow_free(flows[i]);
	free(flows);
}

/* Every allocation in insert failing once in turn: the result is 0 or
 * -ENOMEM, the table stays consistent and nothing leaks. */
TEST_F(table, allocation_failures_leave_table_consistent)
{
	int err, model_said, fails = 0;
	long n;

	for (n = 0; n < 3000; n++) {
		kshim_fail_alloc_after(n % 7);
		err = insert_random(self->tbl, self->md, n % 2, &model_said);
		kshim_fail_alloc_after(-1);
		if (model_said == 1)
			continue;
		if (err == -ENOMEM) {
			fails++;
			continue;
		}
		ASSERT_EQ(model_said, err);
		if (n % 3 == 0 && self->md->n)
			remove_at(self->tbl, self->md, rnd() % self->md->n);
	}
	ASSERT_GT(fails, 0);
	ASSERT_EQ(0, check_all(self->tbl, self->md));
	while (self->md->n)
		remove_at(self->tbl, self->md, 0);
}

/* Table creation and microflow resizing fail cleanly at every allocation. */
TEST(create_and_resize_fail_cleanly)
{
	long before = kshim_live_allocs, n;
	struct vsw_flow_table *tbl;
	int ok = 0, err;

	kshim_set_cpus(3);
	for (n = 0; n < 12; n++) {
		kshim_fail_alloc_after(n);
		tbl = vsw_flow_table_create(64, &tbl_lock);
		kshim_fail_alloc_after(-1);
		if (IS_ERR(tbl)) {
			ASSERT_EQ(-ENOMEM, PTR_ERR(tbl));
			ASSERT_EQ(before, kshim_live_allocs);
			continue;
		}
		ok++;
		kshim_fail_alloc_after(n % 4);
		err = vsw_flow_table_set_microflow(tbl, 128);
		kshim_fail_alloc_after(-1);
		ASSERT_TRUE(err == 0 || err == -ENOMEM);
		vsw_flow_table_destroy(tbl, NULL);
		ASSERT_EQ(before, kshim_live_allocs);
	}
	ASSERT_GT(ok, 0);
}

TEST_HARNESS_MAIN
