// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into the ASan builds of the host tests (make asan), with
 * -Wl,--wrap=_exit. The kselftest harness runs each test in a forked
 * child that ends with _exit(), which skips LeakSanitizer's at-exit check:
 * a leak in the code under test would go unseen. The wrapper runs that
 * check first; a leak ends the child with LeakSanitizer's report (to the
 * log_path scripts/run-tests sets) and a non-zero status.
 */
#include <sanitizer/lsan_interface.h>

void __real__exit(int status) __attribute__((noreturn));
void __wrap__exit(int status) __attribute__((noreturn));

void __wrap__exit(int status)
{
	__lsan_do_leak_check();
	__real__exit(status);
}
