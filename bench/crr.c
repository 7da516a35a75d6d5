// SPDX-License-Identifier: GPL-2.0
/*
 * crr: a TCP connect/request/response/close loop in the spirit of netperf
 * TCP_CRR, to time how long a new connection's first packets take through
 * a switch that must set up a flow for each one.
 *
 *   crr server PORT                 serve until killed
 *   crr client IP PORT COUNT [TIMEOUT_MS]
 *
 * The client opens COUNT connections one after the other; each connects
 * (a new source port: a new flow), sends one byte, waits for one byte back
 * and closes. It prints one line:
 *
 *   transactions=N failed=F seconds=S tps=T connect_us_median=M
 *   connect_us_p90=P connect_us_max=X rr_us_median=R
 *
 * connect_us is the time of connect() (SYN out, SYN-ACK back: the first
 * packet of each direction); rr_us the request/response that follows on
 * the same, now established, flows. A connection that fails or exceeds
 * TIMEOUT_MS (default 2000) counts as failed and the loop goes on.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int parse_int(const char *s, const char *what, long min, long max,
		     long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end || *out < min || *out > max) {
		fprintf(stderr, "crr: invalid %s '%s' (%ld..%ld expected)\n",
			what, s, min, max);
		return -1;
	}
	return 0;
}

static int serve(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	int one = 1, ls, c;
	char b;

	signal(SIGPIPE, SIG_IGN);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 ||
	    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(ls, 128) < 0) {
		fprintf(stderr, "crr: server on port %d: %s\n", port,
			strerror(errno));
		return 1;
	}
	for (;;) {
		c = accept(ls, NULL, NULL);
		if (c < 0)
			continue;
		if (read(c, &b, 1) == 1 && write(c, &b, 1) != 1)
			fprintf(stderr, "crr: server write: %s\n",
				strerror(errno));
		close(c);
	}
}

/* Waits for @fd to be ready for @events, up to @deadline (now_us time). */
static int wait_fd(int fd, short events, double deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int left = (deadline - now_us()) / 1000;

	if (left <= 0)
		return -1;
	return poll(&p, 1, left) == 1 ? 0 : -1;
}

/* One transaction; fills *conn_us and *rr_us. Returns 0 or -1. */
static int transact(const struct sockaddr_in *dst, int timeout_ms,
		    double *conn_us, double *rr_us)
{
	double t0 = now_us(), deadline = t0 + timeout_ms * 1000.0, t1;
	int fd, err = 0, ret = -1;
	socklen_t len = sizeof(err);
	char b = 'x';

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)dst, sizeof(*dst)) < 0 &&
	    errno != EINPROGRESS)
		goto out_close;
	if (wait_fd(fd, POLLOUT, deadline) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err)
		goto out_close;
	t1 = now_us();
	*conn_us = t1 - t0;
	if (write(fd, &b, 1) != 1 || wait_fd(fd, POLLIN, deadline) < 0 ||
	    read(fd, &b, 1) != 1)
		goto out_close;
	*rr_us = now_us() - t1;
	ret = 0;
out_close:
	close(fd);
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double pct(double *v, long n, double p)
{
	long i = (long)(p * (n - 1) + 0.5);

	return n ? v[i] : 0;
}

static int client(const char *ip, int port, long count, long timeout_ms)
{
	struct sockaddr_in dst = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	double *conn = calloc(count, sizeof(*conn));
	double *rr = calloc(count, sizeof(*rr));
	double t0, secs;
	long i, ok = 0;

	if (!conn || !rr) {
		fprintf(stderr, "crr: out of memory\n");
		return 1;
	}
	if (inet_pton(AF_INET, ip, &dst.sin_addr) != 1) {
		fprintf(stderr, "crr: invalid IP '%s'\n", ip);
		return 1;
	}
	t0 = now_us();
	for (i = 0; i < count; i++)
		if (transact(&dst, timeout_ms, &conn[ok], &rr[ok]) == 0)
			ok++;
	secs = (now_us() - t0) / 1e6;
	qsort(conn, ok, sizeof(*conn), cmp_double);
	qsort(rr, ok, sizeof(*rr), cmp_double);
	printf("transactions=%ld failed=%ld seconds=%.3f tps=%.1f "
	       "connect_us_median=%.0f connect_us_p90=%.0f connect_us_max=%.0f "
	       "rr_us_median=%.0f\n", ok, count - ok, secs, ok / secs,
	       pct(conn, ok, 0.5), pct(conn, ok, 0.9), pct(conn, ok, 1.0),
	       pct(rr, ok, 0.5));
	free(conn);
	free(rr);
	return ok ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: crr server PORT\n"
			"       crr client IP PORT COUNT [TIMEOUT_MS]\n");
}

int main(int argc, char **argv)
{
	long port, count, timeout_ms = 2000;

	if (argc == 3 && !strcmp(argv[1], "server")) {
		if (parse_int(argv[2], "PORT", 1, 65535, &port))
			return 1;
		return serve(port);
	}
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "client")) {
		if (parse_int(argv[3], "PORT", 1, 65535, &port) ||
		    parse_int(argv[4], "COUNT", 1, 10000000, &count) ||
		    (argc == 6 && parse_int(argv[5], "TIMEOUT_MS", 1, 600000,
					    &timeout_ms)))
			return 1;
		return client(argv[2], port, count, timeout_ms);
	}
	usage();
	return 1;
}
