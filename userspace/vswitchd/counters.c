// SPDX-License-Identifier: GPL-2.0
#include "counters.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Blocks are cache-line aligned: writers on different CPUs never share
 * a line. */
struct block {
	struct vswd_counters c;
	struct block *next;
} __attribute__((aligned(64)));

#define N_SUMMED	(offsetof(struct vswd_counters, reval_last_us) / \
			 sizeof(uint64_t))
#define N_WORDS		(sizeof(struct vswd_counters) / sizeof(uint64_t))

_Static_assert(sizeof(struct vswd_counters) % sizeof(uint64_t) == 0,
	       "struct vswd_counters holds only uint64_t");

/* The registry: protects the list and the retired block's stores. */
static pthread_mutex_t registry_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct block retired;
static struct block main_block = { .next = &retired };
static struct block *blocks = &main_block;

struct vswd_counters *const vswd_main_counters = &main_block.c;

struct vswd_counters *vswd_counters_new(void)
{
	struct block *b = aligned_alloc(64, sizeof(*b));

	if (!b)
		return NULL;
	memset(b, 0, sizeof(*b));
	pthread_mutex_lock(&registry_mutex);
	b->next = blocks;
	blocks = b;
	pthread_mutex_unlock(&registry_mutex);
	return &b->c;
}

/* Adds (or, for the single-writer fields, takes the larger of) @from's
 * words into @to's, which only the caller writes. */
static void fold(uint64_t *to, const struct vswd_counters *from)
{
	const uint64_t *f = (const uint64_t *)from;
	size_t i;

	for (i = 0; i < N_WORDS; i++) {
		uint64_t v = __atomic_load_n(&f[i], __ATOMIC_RELAXED);
		uint64_t t = __atomic_load_n(&to[i], __ATOMIC_RELAXED);

		__atomic_store_n(&to[i], i < N_SUMMED ? t + v : t > v ? t : v,
				 __ATOMIC_RELAXED);
	}
}

void vswd_counters_retire(struct vswd_counters *c)
{
	struct block *b = (struct block *)c, **pp;

	if (!c)
		return;
	pthread_mutex_lock(&registry_mutex);
	for (pp = &blocks; *pp && *pp != b; pp = &(*pp)->next)
		;
	if (*pp) {
		*pp = b->next;
		fold((uint64_t *)&retired.c, c);
	}
	pthread_mutex_unlock(&registry_mutex);
	free(b);
}

void vswd_counters_sum(struct vswd_counters *out)
{
	const struct block *b;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&registry_mutex);
	for (b = blocks; b; b = b->next)
		fold((uint64_t *)out, &b->c);
	pthread_mutex_unlock(&registry_mutex);
}
