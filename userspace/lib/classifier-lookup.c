// SPDX-License-Identifier: GPL-2.0
/*
 * Classifier lookup. Without wildcard tracking one hash table probe per
 * subtable; with it, the staged lookup, the prefix tries and the ports
 * trie decide which bits the result depended on (see classifier.h).
 */
#include <endian.h>
#include <string.h>
#include "classifier-private.h"

struct trie_ctx {
	bool done;
	unsigned maskbits;
	struct ptrie_plens plens;
	uint64_t m[2];			/* the maskbits leading bits, as bytes */
};

/* Per-lookup trie results, computed lazily: each trie is walked at most
 * once per classifier lookup, whatever the number of subtables. */
static void trie_compute(const struct classifier *cls, struct trie_ctx *ctx,
			 int t, const struct flow *flow)
{
	unsigned n = ptrie_lookup(&cls->tries[t],
				  (const uint8_t *)flow + cls_trie_fields[t].off,
				  &ctx->plens);

	ctx->maskbits = n;
	/* n leading one bits, stored big-endian (as the field's bytes) */
	ctx->m[0] = htobe64(n >= 64 ? ~0ull : n ? ~0ull << (64 - n) : 0);
	ctx->m[1] = htobe64(n >= 128 ? ~0ull : n > 64 ? ~0ull << (128 - n) : 0);
	ctx->done = true;
}

/* Are the trie's maskbits all un-wildcarded in @wc already? */
static inline bool prefix_bits_set(const struct flow *wc, int t,
				   const struct trie_ctx *ctx)
{
	const uint8_t *p = (const uint8_t *)wc + cls_trie_fields[t].off;

	if (cls_trie_fields[t].n_bytes == 4) {
		uint32_t w, m;

		memcpy(&w, p, 4);
		memcpy(&m, ctx->m, 4);
		return (w & m) == m;
	} else {
		uint64_t w[2];

		memcpy(w, p, 16);
		return (w[0] & ctx->m[0]) == ctx->m[0] &&
		       (w[1] & ctx->m[1]) == ctx->m[1];
	}
}

static inline void set_prefix_bits(struct flow *wc, int t,
				   const struct trie_ctx *ctx)
{
	uint8_t *p = (uint8_t *)wc + cls_trie_fields[t].off;

	if (cls_trie_fields[t].n_bytes == 4) {
		uint32_t w, m;

		memcpy(&w, p, 4);
		memcpy(&m, ctx->m, 4);
		w |= m;
		memcpy(p, &w, 4);
	} else {
		uint64_t w[2];

		memcpy(w, p, 16);
		w[0] |= ctx->m[0];
		w[1] |= ctx->m[1];
		memcpy(p, w, 16);
	}
}

/* True when the tries prove no rule of @st matches; then the trie bits
 * that prove it are set in @wc. A trie whose bits are already consulted
 * wins (it costs nothing); otherwise the first usable one, in OVS order.
 * A trie rules @st out when the packet matches no stored prefix of the
 * subtable's length; it is usable when that answer depends on no more
 * bits than the subtable itself would un-wildcard. */
static bool check_tries(const struct classifier *cls,
			const struct cls_subtable *st, struct trie_ctx *ctx,
			const struct flow *flow, struct flow *wc)
{
	int first = -1;

	for (unsigned i = 0; i < st->n_tries; i++) {
		int t = st->tries[i];
		unsigned plen = (unsigned)st->trie_plen[t];

		if (!ctx[t].done)
			trie_compute(cls, &ctx[t], t, flow);
		if (ptrie_plens_has(&ctx[t].plens, plen))
			continue;
		if (prefix_bits_set(wc, t, &ctx[t]))
			return true;
		if (first < 0 && ctx[t].maskbits <= plen)
			first = t;
	}
	if (first < 0)
		return false;
	set_prefix_bits(wc, first, &ctx[first]);
	return true;
}

/* A miss in the final (L4) range: un-wildcard only the port bits up to
 * the first one that differs from every rule's. */
static void ports_miss(const struct cls_subtable *st, const struct flow *flow,
		       struct flow *wc)
{
	struct ptrie_plens plens;
	uint32_t v = ports_value(st->ports, flow) & st->ports_mask;
	uint32_t be = htonl(v), m;
	unsigned bits;

	/* Already consulted in full: the trie could only add nothing. */
	if ((ports_value(st->ports, wc) & st->ports_mask) == st->ports_mask)
		return;
	bits = ptrie_lookup(&st->ports_trie, (const uint8_t *)&be, &plens);

	m = st->ports_mask & (bits ? ~0u << (32 - bits) : 0);
	if (bits >= 32)
		m = st->ports_mask;
	if (st->ports == PORTS_TP) {
		wc->tp_src |= htons((uint16_t)(m >> 16));
		wc->tp_dst |= htons((uint16_t)m);
	} else {
		wc->icmp_type |= (uint8_t)(m >> 16);
		wc->icmp_code |= (uint8_t)m;
	}
}

static const struct cls_rule *lookup_subtable_wc(const struct classifier *cls,
						 const struct cls_subtable *st,
						 const struct flow *flow,
						 struct flow *wc,
						 struct trie_ctx *tctx)
{
	uint64_t h = HASH_BASIS;
	int last = st->n_ranges - 1, i;
	const struct cls_rule *r;

	for (i = 0; i < last; i++) {
		if (i == st->l3_range && cls->use_tries && st->n_tries &&
		    check_tries(cls, st, tctx, flow, wc))
			goto no_match;
		h = range_hash(&st->range[i], flow, h);
		if (cls->use_stages && !hset_contains(&st->index[i], h)) {
			i++;		/* this range was consulted too */
			goto no_match;
		}
	}
	if (last == st->l3_range && cls->use_tries && st->n_tries &&
	    check_tries(cls, st, tctx, flow, wc))
		goto no_match;
	h = range_hash(&st->range[last], flow, h);
	r = find_head(st, h, flow);
	if (!r && cls->use_tries && st->ports != PORTS_NONE) {
		ports_miss(st, flow, wc);
		goto no_match;
	}
	fold_ranges(st, st->n_ranges, wc);
	return r;

no_match:
	fold_ranges(st, i, wc);
	return NULL;
}

static const struct cls_rule *lookup_subtable(const struct cls_subtable *st,
					      const struct flow *flow)
{
	uint64_t h = HASH_BASIS;

	/* Nothing to un-wildcard: no stage probes, one hash table probe. */
	for (int i = 0; i < st->n_ranges; i++)
		h = range_hash(&st->range[i], flow, h);
	return find_head(st, h, flow);
}

const struct cls_rule *classifier_lookup(const struct classifier *cls,
					 const struct flow *flow,
					 struct flow *wc)
{
	struct trie_ctx tctx[N_TRIES];
	const struct cls_rule *best = NULL;

	memset(tctx, 0, sizeof(tctx));
	for (size_t s = 0; s < cls->n_subtables; s++) {
		const struct cls_subtable *st = cls->subtables[s];
		const struct cls_rule *r;

		if (best && best->priority >= st->max_priority)
			break;
		r = wc ? lookup_subtable_wc(cls, st, flow, wc, tctx)
		       : lookup_subtable(st, flow);
		if (r && (!best || r->priority > best->priority))
			best = r;
	}
	return best;
}

