// SPDX-License-Identifier: GPL-2.0
/* The daemon's global state and its mutex (see vswitchd.h). */
#include "vswitchd.h"

#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "util.h"

struct vswd vswd = { .mutex = PTHREAD_MUTEX_INITIALIZER };

void vswd_lock_at(const char *who)
{
	pthread_mutex_lock(&vswd.mutex);
	vswd.owner = pthread_self();
	vswd.locked = true;
	vswd.holder = who;
	vswd.held_since_us = vsw_elapsed_usec();
}

void vswd_unlock(void)
{
	uint64_t held = vsw_elapsed_usec() - vswd.held_since_us;

	if (held >= 50000)	/* long enough to stall upcall handling */
		log_debug("mutex held %" PRIu64 " ms by %s", held / 1000,
			  vswd.holder);
	if (held > vswd.lock_max_hold_us) {
		vswd.lock_max_hold_us = held;
		vswd.lock_max_holder = vswd.holder;
	}
	vswd.locked = false;
	pthread_mutex_unlock(&vswd.mutex);
}

void vswd_assert_locked(void)
{
	if (!vswd.locked || !pthread_equal(vswd.owner, pthread_self())) {
		log_err("BUG: vswd.mutex not held");
		abort();
	}
}

uint64_t vswd_thread_cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000ull + ts.tv_nsec / 1000;
}
