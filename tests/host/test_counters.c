// SPDX-License-Identifier: GPL-2.0
/*
 * vswitchd's per-thread counters (userspace/vswitchd/counters.c, built
 * into this test: it is not part of libvsw.a). Writers count in their own
 * blocks without a lock while a reader sums; totals are exact once the
 * writers stop, never go down while they run, and survive a block's
 * retirement.
 */
#include <pthread.h>
#include <stdatomic.h>
#include "kselftest_harness.h"
#include "../../userspace/vswitchd/counters.c"

#define WRITERS	4
#define ROUNDS	200000

struct writer {
	pthread_t thread;
	struct vswd_counters *c;
	unsigned int id;
};

static atomic_bool writers_done;

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	unsigned int i;

	for (i = 1; i <= ROUNDS; i++) {
		vswd_count(&w->c->upcalls_handled, 1);
		vswd_count(&w->c->handler_recv_us, 2);
		if (w->id == 0)		/* a single-writer field */
			vswd_count_max(&w->c->reval_max_us, i);
	}
	return NULL;
}

/* Sums while the writers run: no total may go down. */
static void *reader_main(void *arg)
{
	uint64_t *went_down = arg, last = 0;
	struct vswd_counters sum;

	while (!atomic_load(&writers_done)) {
		vswd_counters_sum(&sum);
		if (sum.upcalls_handled < last)
			(*went_down)++;
		last = sum.upcalls_handled;
	}
	return NULL;
}

TEST(writers_count_without_a_lock_and_the_sum_is_exact)
{
	struct writer w[WRITERS];
	struct vswd_counters sum, base;
	uint64_t went_down = 0, handled = (uint64_t)WRITERS * ROUNDS;
	pthread_t reader;
	unsigned int i;

	vswd_counters_sum(&base);
	atomic_store(&writers_done, false);
	for (i = 0; i < WRITERS; i++) {
		w[i].id = i;
		w[i].c = vswd_counters_new();
		ASSERT_NE(NULL, w[i].c);
	}
	ASSERT_EQ(0, pthread_create(&reader, NULL, reader_main, &went_down));
	for (i = 0; i < WRITERS; i++)
		ASSERT_EQ(0, pthread_create(&w[i].thread, NULL, writer_main, &w[i]));
	for (i = 0; i < WRITERS; i++)
		pthread_join(w[i].thread, NULL);
	atomic_store(&writers_done, true);
	pthread_join(reader, NULL);
	EXPECT_EQ(0u, went_down);

	vswd_counters_sum(&sum);
	EXPECT_EQ(base.upcalls_handled + handled, sum.upcalls_handled);
	EXPECT_EQ((uint64_t)ROUNDS, sum.reval_max_us);

	/* retiring blocks keeps their counts in the totals */
	vswd_counters_retire(w[0].c);
	vswd_counters_retire(w[1].c);
	vswd_counters_sum(&sum);
	EXPECT_EQ(base.upcalls_handled + handled, sum.upcalls_handled);
	EXPECT_EQ((uint64_t)ROUNDS, sum.reval_max_us);
	vswd_counters_retire(w[2].c);
	vswd_counters_retire(w[3].c);
	vswd_counters_sum(&sum);
	EXPECT_EQ(base.upcalls_handled + handled, sum.upcalls_handled);
	EXPECT_EQ(base.handler_recv_us + 2 * handled, sum.handler_recv_us);
	vswd_counters_retire(NULL);
}

TEST(main_block_and_single_writer_fields)
{
	struct vswd_counters sum, *c = vswd_counters_new();

	ASSERT_NE(NULL, c);
	vswd_count(&vswd_main_counters->rule_changes, 3);
	vswd_count_set(&vswd_main_counters->rule_change_last_touched, 7);
	vswd_count_set(&vswd_main_counters->rule_change_last_touched, 5);
	vswd_count_set(&c->reval_last_us, 40);
	vswd_count_max(&c->reval_max_us, 90);
	vswd_count_max(&c->reval_max_us, 60);
	vswd_counters_sum(&sum);
	EXPECT_EQ(3u, sum.rule_changes);
	EXPECT_EQ(5u, sum.rule_change_last_touched);	/* the last, not the sum */
	EXPECT_EQ(40u, sum.reval_last_us);
	EXPECT_EQ(90u, sum.reval_max_us);
	vswd_counters_retire(c);
}

TEST_HARNESS_MAIN
