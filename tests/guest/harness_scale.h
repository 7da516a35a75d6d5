/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kselftest harness's per-case time limits, scaled like the whole
 * program's: scripts/run-tests exports VSW_TIMEOUT_SCALE (3 on the debug
 * kernel, where KASAN and lockdep slow every kernel path several times),
 * and a guest test ends with VSW_HARNESS_MAIN instead of TEST_HARNESS_MAIN.
 * Include after kselftest_harness.h.
 */
#ifndef VSW_HARNESS_SCALE_H
#define VSW_HARNESS_SCALE_H

#include <stdlib.h>

static inline void vsw_scale_case_timeouts(void)
{
	const char *s = getenv("VSW_TIMEOUT_SCALE");
	struct __fixture_metadata *f;
	struct __test_metadata *t;
	int scale = s ? atoi(s) : 1;

	if (scale <= 1)
		return;
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout *= scale;
}

#define VSW_HARNESS_MAIN					\
	int main(int argc, char **argv)				\
	{							\
		vsw_scale_case_timeouts();			\
		return test_harness_run(argc, argv);		\
	}

#endif
