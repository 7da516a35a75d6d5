// SPDX-License-Identifier: GPL-2.0
/*
 * The prefix trie against a naive model (a list of stored prefixes) on
 * random prefix sets that share long leading runs (as addresses in one
 * subnet do, which is where the trie's single-child shortcuts matter),
 * through inserts and removals, for 32- and 128-bit keys.
 *
 * The model: a value matches a stored prefix of length L when their first
 * L bits agree. The trie walk reaches depth d, the longest agreement of
 * the value with any stored prefix (capped by its length); the answer
 * depends on d + 1 bits when some stored prefix goes deeper than d (the
 * walk had to look at bit d to leave it), else on d bits.
 */
#include <stdio.h>
#include <string.h>
#include "kselftest_harness.h"
#include "prefix-trie.h"

#define MAX_PFX 160

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd_n(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static unsigned bit_of(const uint8_t *v, unsigned i)
{
	return (v[i / 8] >> (7 - i % 8)) & 1;
}

static unsigned common_bits(const uint8_t *a, const uint8_t *b, unsigned max)
{
	unsigned i = 0;

	while (i < max && bit_of(a, i) == bit_of(b, i))
		i++;
	return i;
}

struct model {
	uint8_t val[MAX_PFX][16];
	unsigned plen[MAX_PFX];
	int count[MAX_PFX];		/* times inserted */
	unsigned n;
};

static unsigned model_lookup(const struct model *m, const uint8_t *v,
			     unsigned n_bits, struct ptrie_plens *plens)
{
	unsigned d = 0;
	bool any = false, deeper = false;

	memset(plens, 0, sizeof(*plens));
	for (unsigned i = 0; i < m->n; i++) {
		unsigned c;

		if (!m->count[i])
			continue;
		c = common_bits(v, m->val[i], m->plen[i]);
		if (c == m->plen[i])
			plens->w[c / 64] |= 1ull << (c % 64);
		if (!any || c > d)
			d = c;
		any = true;
	}
	if (!any)
		return 0;
	for (unsigned i = 0; i < m->n; i++)
		if (m->count[i] && m->plen[i] > d &&
		    common_bits(v, m->val[i], d) == d)
			deeper = true;
	return deeper && d < n_bits ? d + 1 : d;
}

static void flip_some(uint8_t *v, unsigned from, unsigned n_bits, unsigned one_in)
{
	for (unsigned k = from; k < n_bits; k++)
		if (rnd_n(one_in) == 0)
			v[k / 8] ^= (uint8_t)(0x80 >> (k % 8));
}

static int run_round(struct __test_metadata *_metadata, unsigned n_bits)
{
	static struct model m;
	unsigned varying = 1 + rnd_n(n_bits);
	uint8_t base[16];
	struct ptrie t;

	memset(&m, 0, sizeof(m));
	for (int i = 0; i < 16; i++)
		base[i] = (uint8_t)rnd_n(256);
	m.n = 1 + rnd_n(MAX_PFX);
	for (unsigned i = 0; i < m.n; i++) {
		memcpy(m.val[i], base, 16);
		flip_some(m.val[i], n_bits - varying, n_bits, 2);
		m.plen[i] = rnd_n(4) ? n_bits - rnd_n(varying + 1) : rnd_n(n_bits + 1);
	}
	ptrie_init(&t, n_bits);
	for (int op = 0; op < 2000; op++) {
		unsigned i = rnd_n(m.n), got, want;
		struct ptrie_plens pg, pw;
		uint8_t q[16];

		if (rnd_n(3)) {
			if (!m.count[i] || rnd_n(2)) {
				ASSERT_EQ(0, ptrie_insert(&t, m.val[i], m.plen[i]));
				m.count[i]++;
			} else {
				ptrie_remove(&t, m.val[i], m.plen[i]);
				m.count[i]--;
			}
		}
		memcpy(q, m.val[rnd_n(m.n)], 16);
		flip_some(q, 0, n_bits, n_bits / 2 + 1);
		got = ptrie_lookup(&t, q, &pg);
		want = model_lookup(&m, q, n_bits, &pw);
		EXPECT_EQ(want, got);
		EXPECT_EQ(0, memcmp(&pw, &pg, sizeof(pw)));
		if (want != got || memcmp(&pw, &pg, sizeof(pw))) {
			ptrie_destroy(&t);
			return -1;
		}
	}
	ptrie_destroy(&t);
	return 0;
}

TEST(ipv4_width_matches_model)
{
	for (int round = 0; round < 150; round++)
		ASSERT_EQ(0, run_round(_metadata, 32));
}

TEST(ipv6_width_matches_model)
{
	for (int round = 0; round < 150; round++)
		ASSERT_EQ(0, run_round(_metadata, 128));
}

/* A chain longer than one shortcut (64 levels): /128 prefixes that differ
 * only in their last bit, looked up with a difference at every depth. */
TEST(long_single_child_runs)
{
	uint8_t a[16], b[16], q[16];
	struct ptrie_plens p;
	struct ptrie t;

	memset(a, 0x5a, 16);
	memcpy(b, a, 16);
	b[15] ^= 1;
	ptrie_init(&t, 128);
	ASSERT_EQ(0, ptrie_insert(&t, a, 128));
	ASSERT_EQ(0, ptrie_insert(&t, a, 3));
	ASSERT_EQ(0, ptrie_insert(&t, b, 128));
	for (unsigned k = 0; k < 127; k++) {
		memcpy(q, a, 16);
		q[k / 8] ^= (uint8_t)(0x80 >> (k % 8));
		/* the walk stops at bit k, which it had to look at */
		EXPECT_EQ(k + 1, ptrie_lookup(&t, q, &p));
		EXPECT_EQ(k >= 3, ptrie_plens_has(&p, 3));
		EXPECT_FALSE(ptrie_plens_has(&p, 128));
	}
	EXPECT_EQ(128u, ptrie_lookup(&t, a, &p));
	EXPECT_TRUE(ptrie_plens_has(&p, 128));
	EXPECT_EQ(128u, ptrie_lookup(&t, b, &p));
	EXPECT_TRUE(ptrie_plens_has(&p, 128));
	ptrie_remove(&t, b, 128);
	memcpy(q, a, 16);
	q[15] ^= 1;
	EXPECT_EQ(128u, ptrie_lookup(&t, q, &p));	/* bit 127 still decides */
	ptrie_destroy(&t);
}

TEST_HARNESS_MAIN
