/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the host tests that run the real vswitchd and vswitchctl
 * (test_vswitchctl, test_fail_open, test_ofp_daemon, test_ofp_nx): where
 * the binaries are, a scratch directory beside them, shell commands, and
 * waiting for a socket the daemon makes.
 */
#ifndef VSW_TESTS_DAEMON_HELPERS_H
#define VSW_TESTS_DAEMON_HELPERS_H

#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs a shell command; its exit status (127 when the shell could not). */
static inline int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st == -1 ? 127 : WEXITSTATUS(st);
}

/*
 * The build directory that holds vswitchd and vswitchctl, from this test's
 * own path (build/tests/host/NAME -> build); 0, or -1 if unknown.
 */
static inline int test_bindir(char *dir, size_t size)
{
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	snprintf(dir, size, "%s", dirname(dirname(dirname(exe))));
	return 0;
}

/*
 * A new scratch directory BINDIR/tests/tmp-TAG-XXXXXX (not under /tmp: the
 * guest tier mounts its own); 0, or -1 with errno.
 */
static inline int test_scratch(const char *bindir, const char *tag, char *dir,
			       size_t size)
{
	snprintf(dir, size, "%s/tests", bindir);
	mkdir(dir, 0755);
	if ((size_t)snprintf(dir, size, "%s/tests/tmp-%s-XXXXXX", bindir, tag) >= size)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

/*
 * Waits up to 10 s (a loaded host: the bridge's management socket follows
 * add-br) until the Unix socket @dir/@name takes a connection (the file
 * is there from bind(), before listen()); 0 then, -1 if it never does.
 */
static inline int test_wait_socket(const char *dir, const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir,
			     name) >= sizeof(sa.sun_path))
		return -1;
	for (int i = 0; i < 1000; i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int ret = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&sa,
						 sizeof(sa));

		if (fd >= 0)
			close(fd);
		if (!ret)
			return 0;
		usleep(10000);
	}
	return -1;
}

#endif
