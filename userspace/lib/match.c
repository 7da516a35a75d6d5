// SPDX-License-Identifier: GPL-2.0
/* Helpers on struct match (see classifier.h). */
#include <string.h>
#include "classifier.h"

static inline const uint64_t *words(const struct flow *f)
{
	return (const uint64_t *)f;
}

void match_normalize(struct match *m)
{
	uint64_t *f = (uint64_t *)&m->flow;
	const uint64_t *k = words(&m->mask);

	for (unsigned i = 0; i < FLOW_WORDS; i++)
		f[i] &= k[i];
}

bool match_equal(const struct match *a, const struct match *b)
{
	return !memcmp(a, b, sizeof(*a));
}

bool match_matches_flow(const struct match *m, const struct flow *f)
{
	const uint64_t *mf = words(&m->flow), *mk = words(&m->mask), *w = words(f);

	for (unsigned i = 0; i < FLOW_WORDS; i++)
		if ((w[i] & mk[i]) != mf[i])
			return false;
	return true;
}

bool match_is_subset(const struct match *a, const struct match *b)
{
	const uint64_t *af = words(&a->flow), *ak = words(&a->mask);
	const uint64_t *bf = words(&b->flow), *bk = words(&b->mask);

	for (unsigned i = 0; i < FLOW_WORDS; i++) {
		if ((bk[i] & ~ak[i]) || ((af[i] ^ bf[i]) & bk[i]))
			return false;
	}
	return true;
}
