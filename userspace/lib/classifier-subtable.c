// SPDX-License-Identifier: GPL-2.0
/*
 * A classifier subtable: its ranges (the stages its mask uses), the stage
 * indexes, the prefix lengths its tries see, its ports trie and its rule
 * hash table (see classifier-private.h).
 */
#include <stdlib.h>
#include <string.h>
#include "classifier-private.h"
#include "util.h"

/* Stage field layout, built once from offsetof. */
static struct flow stage_fields[N_STAGES];

static const struct {
	size_t off, len;
	int stage;
} stage_layout[] = {
	{ offsetof(struct flow, in_port), 4, 0 },
	{ offsetof(struct flow, recirc_id), 4, 0 },
	{ offsetof(struct flow, ct_state), 1, 0 },
	{ offsetof(struct flow, ct_zone), 2, 0 },
	{ offsetof(struct flow, ct_mark), 4, 0 },
	{ offsetof(struct flow, ct_label), 16, 0 },
	{ offsetof(struct flow, ct_orig), sizeof(struct flow_ct_orig), 0 },
	{ offsetof(struct flow, tunnel), sizeof(struct flow_tnl), 0 },
	{ offsetof(struct flow, regs), sizeof(((struct flow *)0)->regs), 0 },
	{ offsetof(struct flow, metadata), 8, 0 },
	{ offsetof(struct flow, eth_type), 2, 1 },
	{ offsetof(struct flow, vlan_tci), 2, 1 },
	{ offsetof(struct flow, eth_src), 6, 1 },
	{ offsetof(struct flow, eth_dst), 6, 1 },
	{ offsetof(struct flow, ip_proto), 1, 2 },
	{ offsetof(struct flow, ip_tos), 1, 2 },
	{ offsetof(struct flow, ip_ttl), 1, 2 },
	{ offsetof(struct flow, ip_frag), 1, 2 },
	{ offsetof(struct flow, ipv4_src), 4, 2 },
	{ offsetof(struct flow, ipv4_dst), 4, 2 },
	{ offsetof(struct flow, tcp_flags), 2, 2 },
	{ offsetof(struct flow, ipv6_label), 4, 2 },
	{ offsetof(struct flow, arp_op), 2, 2 },
	{ offsetof(struct flow, arp_spa), 4, 2 },
	{ offsetof(struct flow, arp_tpa), 4, 2 },
	{ offsetof(struct flow, arp_sha), 6, 2 },
	{ offsetof(struct flow, arp_tha), 6, 2 },
	{ offsetof(struct flow, ipv6_src), 16, 2 },
	{ offsetof(struct flow, ipv6_dst), 16, 2 },
	{ offsetof(struct flow, nd_target), 16, 2 },
	{ offsetof(struct flow, tp_src), 2, 3 },
	{ offsetof(struct flow, tp_dst), 2, 3 },
	{ offsetof(struct flow, icmp_type), 1, 3 },
	{ offsetof(struct flow, icmp_code), 1, 3 },
};

/* The prefix-trie fields, all in the L3 stage, in Open vSwitch's default
 * order (destinations first), which decides which trie un-wildcards when
 * several could rule a subtable out. */
const struct cls_trie_field cls_trie_fields[N_TRIES] = {
	{ offsetof(struct flow, ipv4_dst), 4 },
	{ offsetof(struct flow, ipv4_src), 4 },
	{ offsetof(struct flow, ipv6_dst), 16 },
	{ offsetof(struct flow, ipv6_src), 16 },
};
void cls_init_stage_fields(void)
{
	static bool done;

	if (done)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(stage_layout); i++)
		memset((char *)&stage_fields[stage_layout[i].stage] +
		       stage_layout[i].off, 0xff, stage_layout[i].len);
	done = true;
}

/* --- hash multiset (the stage indexes) --------------------------------- */

static int hset_grow(struct hset *s)
{
	struct hset n = { 0 };

	n.cap = s->cap ? s->cap * 2 : 16;
	n.e = calloc(n.cap, sizeof(*n.e));
	if (!n.e)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		if (s->e[i].count) {
			n.e[hset_slot(&n, s->e[i].h)] = s->e[i];
			n.n++;
		}
	}
	free(s->e);
	*s = n;
	return 0;
}

int cls_hset_add(struct hset *s, uint64_t h)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap && hset_grow(s))
		return -1;
	i = hset_slot(s, h);
	if (!s->e[i].count) {
		s->e[i].h = h;
		s->n++;
	}
	s->e[i].count++;
	return 0;
}

/* Removal with linear probing: re-insert the cluster after the hole. */
void cls_hset_del(struct hset *s, uint64_t h)
{
	size_t i, j;

	if (!s->cap)
		return;
	i = hset_slot(s, h);
	if (!s->e[i].count || --s->e[i].count)
		return;
	s->n--;
	for (j = (i + 1) & (s->cap - 1); s->e[j].count; j = (j + 1) & (s->cap - 1)) {
		struct hset_entry e = s->e[j];

		s->e[j].count = 0;
		s->e[hset_slot(s, e.h)] = e;
	}
}

static void hset_free(struct hset *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static void setup_folds(struct cls_subtable *st)
{
	for (int n = 0; n <= st->n_ranges; n++) {
		uint64_t acc[FLOW_WORDS] = { 0 };

		for (int r = 0; r < n; r++)
			for (unsigned i = 0; i < st->range[r].n; i++)
				acc[st->range[r].idx[i]] |= st->range[r].mask[i];
		st->fold_n[n] = 0;
		for (unsigned i = 0; i < FLOW_WORDS; i++) {
			if (acc[i]) {
				st->fold_idx[n][st->fold_n[n]] = (uint8_t)i;
				st->fold_mask[n][st->fold_n[n]++] = acc[i];
			}
		}
	}
}

static int field_prefix_len(const uint8_t *m, unsigned n_bytes)
{
	unsigned len = 0, i;

	for (i = 0; i < n_bytes && m[i] == 0xff; i++)
		len += 8;
	if (i < n_bytes) {
		uint8_t b = m[i];

		while (b & 0x80) {
			len++;
			b <<= 1;
		}
		if (b)
			return -1;
		for (i++; i < n_bytes; i++)
			if (m[i])
				return -1;
	}
	return (int)len;
}

static void setup_ports(struct cls_subtable *st)
{
	const struct flow *m = &st->mask;
	bool tp = m->tp_src || m->tp_dst, icmp = m->icmp_type || m->icmp_code;

	st->ports = PORTS_NONE;
	/* tp == icmp: both masked, or neither (the catch-all's empty final
	 * range): no one port value to trie. */
	if (st->range[st->n_ranges - 1].stage != L4_STAGE || tp == icmp)
		return;
	st->ports = tp ? PORTS_TP : PORTS_ICMP;
	st->ports_mask = ports_value(st->ports, m);
	st->ports_plen = 32 - (unsigned)__builtin_ctz(st->ports_mask);
	ptrie_init(&st->ports_trie, 32);
}

static void setup_ranges(struct cls_subtable *st)
{
	const uint64_t *m = words(&st->mask);

	st->n_ranges = 0;
	for (int s = 0; s < N_STAGES; s++) {
		struct stage_range *r = &st->range[st->n_ranges];
		const uint64_t *sf = words(&stage_fields[s]);

		r->stage = s;
		r->n = 0;
		for (unsigned i = 0; i < FLOW_WORDS; i++) {
			if (m[i] & sf[i]) {
				r->idx[r->n] = (uint8_t)i;
				r->mask[r->n++] = m[i] & sf[i];
			}
		}
		if (r->n)
			st->n_ranges++;
	}
	if (!st->n_ranges) {		/* catch-all: one empty final range */
		st->range[0].stage = N_STAGES - 1;
		st->range[0].n = 0;
		st->n_ranges = 1;
	}
}

struct cls_subtable *cls_subtable_create(const struct flow *mask)
{
	struct cls_subtable *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->mask = *mask;
	for (unsigned i = 0; i < FLOW_WORDS; i++)
		if (words(mask)[i])
			st->word_idx[st->n_words++] = (uint8_t)i;
	setup_ranges(st);
	setup_folds(st);
	st->l3_range = -1;
	for (int r = 0; r < st->n_ranges; r++)
		if (st->range[r].stage == L3_STAGE)
			st->l3_range = (int8_t)r;
	for (int t = 0; t < N_TRIES; t++) {
		int plen = field_prefix_len((const uint8_t *)mask + cls_trie_fields[t].off,
					    cls_trie_fields[t].n_bytes);

		st->trie_plen[t] = plen > 0 ? plen : 0;
		if (plen > 0)
			st->tries[st->n_tries++] = (uint8_t)t;
	}
	setup_ports(st);
	st->n_buckets = 16;
	st->buckets = calloc(st->n_buckets, sizeof(*st->buckets));
	if (!st->buckets) {
		free(st);
		return NULL;
	}
	return st;
}

void cls_subtable_destroy(struct cls_subtable *st)
{
	for (int i = 0; i < N_STAGES - 1; i++)
		hset_free(&st->index[i]);
	if (st->ports != PORTS_NONE)
		ptrie_destroy(&st->ports_trie);
	free(st->buckets);
	free(st);
}

int cls_buckets_grow(struct cls_subtable *st)
{
	size_t n = st->n_buckets * 2;
	struct cls_rule **b = calloc(n, sizeof(*b));

	if (!b)
		return -1;
	for (size_t i = 0; i < st->n_buckets; i++) {
		struct cls_rule *r = st->buckets[i], *next;

		for (; r; r = next) {
			next = r->hnext;
			r->hnext = b[r->hash & (n - 1)];
			b[r->hash & (n - 1)] = r;
		}
	}
	free(st->buckets);
	st->buckets = b;
	st->n_buckets = n;
	return 0;
}

