// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's megaflow records (userspace/vswitchd/ukey.c, built into
 * this test): insert/find/remove against a naive list with random UFIDs
 * across table growth, dependency copies, the marked list and the index
 * by exact destination MAC against the same model, and match_intersects()
 * against a bit-by-bit model, which targeted revalidation relies on.
 */
#include <stdlib.h>
#include <string.h>
#include "kselftest_harness.h"
#include "../../userspace/vswitchd/ukey.c"

static void rand_bytes(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = random();
}

TEST(insert_find_remove_match_a_naive_model)
{
	enum { N = 3000 };
	static uint8_t ids[N][VSW_UFID_LEN];
	static bool live[N];
	struct ukey_table t;
	struct xlate_out xo;
	struct match m;
	int i, round;

	srandom(1);
	memset(&xo, 0, sizeof(xo));
	memset(&m, 0, sizeof(m));
	ukey_table_init(&t);
	for (i = 0; i < N; i++) {
		rand_bytes(ids[i], VSW_UFID_LEN);
		ASSERT_NE(NULL, ukey_insert(&t, ids[i], &m, &xo, i));
		live[i] = true;
	}
	ASSERT_EQ((size_t)N, t.n);
	for (round = 0; round < 4 * N; round++) {
		i = random() % N;
		if (live[i]) {
			struct ukey *uk = ukey_find(&t, ids[i]);

			ASSERT_NE(NULL, uk);
			ASSERT_EQ(0, memcmp(uk->ufid, ids[i], VSW_UFID_LEN));
			ukey_remove(&t, uk);
			live[i] = false;
		} else {
			ASSERT_EQ(NULL, ukey_find(&t, ids[i]));
			ASSERT_NE(NULL, ukey_insert(&t, ids[i], &m, &xo, 0));
			live[i] = true;
		}
	}
	for (i = 0; i < N; i++)
		EXPECT_EQ(live[i], ukey_find(&t, ids[i]) != NULL);
	ukey_table_destroy(&t);
	EXPECT_EQ(0u, t.n);
}

TEST(deps_are_copied_not_borrowed)
{
	uint64_t ids[3] = { 7, 8, 9 };
	uint8_t ufid[VSW_UFID_LEN] = { 1 };
	struct ukey_table t;
	struct xlate_out xo;
	struct match m;
	struct ukey *uk;

	memset(&xo, 0, sizeof(xo));
	memset(&m, 0, sizeof(m));
	xo.rule_ids = ids;
	xo.n_rules = 3;
	xo.tables_visited[0] = 0x5;
	xo.consulted_macs = true;
	xo.actions.n = 1;
	xo.actions.a[0].type = VSW_ACTION_ATTR_OUTPUT;
	xo.actions.a[0].u.port = 4;
	ukey_table_init(&t);
	uk = ukey_insert(&t, ufid, &m, &xo, 0);
	ASSERT_NE(NULL, uk);
	ids[1] = 99;
	EXPECT_EQ(8u, uk->rule_ids[1]);
	EXPECT_EQ(3u, uk->n_rules);
	EXPECT_EQ(0x5, uk->tables[0]);
	EXPECT_TRUE(uk->consulted_macs);
	EXPECT_EQ(4u, uk->acts->a[0].u.port);
	EXPECT_FALSE(uk->dirty);
	ukey_table_destroy(&t);
}

struct visits {
	struct ukey_table *t;
	int n;
	bool remove;			/* the callback removes what it sees */
	struct ukey *seen[4096];
};

static void visit_cb(struct ukey *uk, void *aux)
{
	struct visits *v = aux;

	v->seen[v->n++] = uk;
	if (v->remove)
		ukey_remove(v->t, uk);
}

static bool visited(const struct visits *v, const struct ukey *uk)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (v->seen[i] == uk)
			return true;
	return false;
}

/* Records with one of 8 destination MACs, exact or wildcarded; random
 * marks, unmarks (new deps) and removals across growth: the marked walk
 * sees exactly the dirty records, the MAC walk exactly those matching
 * that MAC exactly, each once. */
TEST(marked_list_and_dst_index_match_a_naive_model)
{
	enum { N = 2000 };
	static uint8_t ids[N][VSW_UFID_LEN];
	static struct ukey *uks[N];
	static struct visits v;
	struct ukey_table t;
	struct xlate_out xo;
	struct match m;
	int i, k, round, marked;

	srandom(3);
	memset(&xo, 0, sizeof(xo));
	ukey_table_init(&t);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < N; i++) {
			if (uks[i] && random() % 4 == 0) {
				ukey_remove(&t, uks[i]);
				uks[i] = NULL;
			}
			if (!uks[i]) {
				memset(&m, 0, sizeof(m));
				m.flow.eth_dst[5] = random() % 8;
				if (random() % 3)
					memset(m.mask.eth_dst, 0xff, 6);
				rand_bytes(ids[i], VSW_UFID_LEN);
				uks[i] = ukey_insert(&t, ids[i], &m, &xo, 0);
				ASSERT_NE(NULL, uks[i]);
			}
			if (random() % 5 == 0)
				ukey_mark(&t, uks[i]);
			else if (random() % 5 == 0)
				ukey_set_deps(uks[i], &xo);
		}
		memset(&v, 0, sizeof(v));
		ukey_foreach_marked_safe(&t, visit_cb, &v);
		for (i = 0, marked = 0; i < N; i++) {
			EXPECT_EQ(uks[i]->dirty, visited(&v, uks[i]));
			marked += uks[i]->dirty;
		}
		EXPECT_EQ(marked, v.n);
		EXPECT_GT(marked, 100);
		for (k = 0; k < 8; k++) {
			uint8_t mac[6] = { 0, 0, 0, 0, 0, k };
			int want = 0;

			memset(&v, 0, sizeof(v));
			ukey_foreach_dst_safe(&t, mac, visit_cb, &v);
			for (i = 0; i < N; i++) {
				bool in = uks[i]->mf.mask.eth_dst[0] &&
					  uks[i]->mf.flow.eth_dst[5] == k;

				EXPECT_EQ(in, visited(&v, uks[i]));
				want += in;
			}
			EXPECT_EQ(want, v.n);
		}
	}
	/* a walk whose callback removes each record it is given */
	memset(&v, 0, sizeof(v));
	v.t = &t;
	v.remove = true;
	ukey_foreach_marked_safe(&t, visit_cb, &v);
	EXPECT_EQ(NULL, t.dirty);
	EXPECT_EQ((size_t)(N - v.n), t.n);
	ukey_table_destroy(&t);
}

/* Naive: some flow lies in both iff no bit is fixed to different values. */
static bool naive_intersects(const struct match *a, const struct match *b)
{
	const uint8_t *av = (const void *)&a->flow, *am = (const void *)&a->mask;
	const uint8_t *bv = (const void *)&b->flow, *bm = (const void *)&b->mask;
	size_t i;
	int bit;

	for (i = 0; i < sizeof(struct flow); i++)
		for (bit = 0; bit < 8; bit++) {
			uint8_t k = 1 << bit;

			if ((am[i] & k) && (bm[i] & k) && ((av[i] ^ bv[i]) & k))
				return false;
		}
	return true;
}

static void rand_match(struct match *m)
{
	uint8_t *v = (void *)&m->flow, *k = (void *)&m->mask;
	size_t i;

	memset(m, 0, sizeof(*m));
	/* sparse masks over few distinct values, so both answers occur */
	for (i = 0; i < sizeof(struct flow); i++) {
		if (random() % 8)
			continue;
		k[i] = random() % 2 ? 0xff : random();
		v[i] = (random() % 2) & k[i];
	}
}

TEST(intersection_matches_a_bitwise_model)
{
	struct match a, b;
	int i, yes = 0;

	srandom(2);
	for (i = 0; i < 20000; i++) {
		bool r;

		rand_match(&a);
		rand_match(&b);
		r = match_intersects(&a, &b);
		ASSERT_EQ(naive_intersects(&a, &b), r);
		yes += r;
		ASSERT_TRUE(match_intersects(&a, &a));
	}
	/* both outcomes were exercised */
	EXPECT_GT(yes, 100);
	EXPECT_LT(yes, 19900);
}

TEST_HARNESS_MAIN
