// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket. Every client has its own non-blocking state (the
 * request read so far, the reply written so far) and a deadline, so a
 * client that stalls, trickles or never reads its reply holds only its
 * own slot: others are served meanwhile, and it is dropped when its
 * deadline passes. The listening socket, the clients and a timer for the
 * nearest deadline sit in one epoll set, whose fd the main loop polls.
 * Commands run on the main thread, one at a time, as before.
 */
#include "ctl-server.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "commands.h"
#include "ctl-proto.h"
#include "log.h"
#include "util.h"

#define CTL_MAX_CLIENTS		64
#define CTL_DEADLINE_MS		10000	/* to send a request; again to read the reply */
#define CTL_READ_CHUNK		65536

/* READING the request, WRITING the reply, then (a reply sent before the
 * whole request was read) DRAINING what the client still sends: closing
 * over unread data would reset the connection and lose the reply. */
enum client_state { READING, WRITING, DRAINING };

struct client {
	int fd;
	enum client_state state;
	bool drain;			/* the request was not read in full */
	uint64_t deadline_ms;
	uint32_t hdr[2];		/* magic, length */
	size_t hdr_got;
	char *buf;			/* request body, then the reply */
	size_t cap, len, done;		/* allocated, expected, read/written */
	struct client *next;
};

static int listen_fd = -1, epoll_fd = -1, timer_fd = -1;
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static struct client *clients;
static unsigned int n_clients;
/* epoll tags of the two fds that are not clients */
static char tag_listen, tag_timer;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

static int make_parent(const char *path)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

/* A socket file left by a dead daemon is removed; a live one refused. */
static int check_stale(const struct sockaddr_un *sa, char *err, size_t errlen)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int live;

	if (fd < 0)
		return 0;
	live = !connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (live) {
		snprintf(err, errlen, "another vswitchd is running on %s",
			 sa->sun_path);
		return -1;
	}
	unlink(sa->sun_path);
	return 0;
}

static int epoll_add(int fd, uint32_t events, void *tag)
{
	struct epoll_event ev = { .events = events, .data.ptr = tag };

	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

static int open_epoll(void)
{
	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (epoll_fd < 0 || timer_fd < 0 ||
	    epoll_add(listen_fd, EPOLLIN, &tag_listen) ||
	    epoll_add(timer_fd, EPOLLIN, &tag_timer))
		return -1;
	return 0;
}

int ctl_server_open(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path '%s' is too long", path);
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (make_parent(path)) {
		snprintf(err, errlen, "creating the directory of %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (check_stale(&sa, err, errlen))
		return -1;
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (listen_fd < 0 ||
	    bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(path, 0600) || listen(listen_fd, 16) || open_epoll()) {
		snprintf(err, errlen, "control socket %s: %s", path,
			 strerror(errno));
		ctl_server_close();
		return -1;
	}
	snprintf(sock_path, sizeof(sock_path), "%s", path);
	return 0;
}

static void client_free(struct client *c)
{
	struct client **p;

	for (p = &clients; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	close(c->fd);		/* also leaves the epoll set */
	free(c->buf);
	free(c);
	n_clients--;
}

void ctl_server_close(void)
{
	while (clients)
		client_free(clients);
	if (epoll_fd >= 0)
		close(epoll_fd);
	if (timer_fd >= 0)
		close(timer_fd);
	epoll_fd = timer_fd = -1;
	if (listen_fd < 0)
		return;
	close(listen_fd);
	if (sock_path[0])
		unlink(sock_path);
	sock_path[0] = '\0';
	listen_fd = -1;
}

int ctl_server_fd(void)
{
	return epoll_fd;
}

static bool peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return false;
	return cred.uid == 0 || cred.uid == geteuid();
}

/* --- replies ---------------------------------------------------------------- */

/* Discards what the client sends until it closes (or its deadline). */
static void client_drain(struct client *c)
{
	char buf[4096];
	ssize_t n;

	while ((n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	client_free(c);
}

static void client_done(struct client *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	if (!c->drain) {
		client_free(c);
		return;
	}
	shutdown(c->fd, SHUT_WR);	/* the client sees EOF after the reply */
	c->state = DRAINING;
	epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &ev);
	client_drain(c);
}

/* Writes what the socket takes; done once all is written, freed if the
 * peer is gone. */
static void client_write(struct client *c)
{
	while (c->done < c->len) {
		ssize_t n = send(c->fd, c->buf + c->done, c->len - c->done,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;		/* EPOLLOUT brings us back */
		if (n <= 0) {
			client_free(c);
			return;
		}
		c->done += n;
	}
	client_done(c);
}

/* Replaces the client's buffer with the reply and starts writing it. */
static void client_reply(struct client *c, uint32_t status, const char *text,
			 size_t len)
{
	uint32_t hdr[3] = { VSW_CTL_MAGIC, status, len };
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
	char *buf = malloc(sizeof(hdr) + len);

	if (!buf || len > VSW_CTL_MAX_MSG) {
		log_warn("control socket: cannot build a reply of %zu bytes", len);
		free(buf);
		client_free(c);
		return;
	}
	memcpy(buf, hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), text, len);
	free(c->buf);
	c->buf = buf;
	c->len = sizeof(hdr) + len;
	c->done = 0;
	c->state = WRITING;
	c->deadline_ms = now_ms() + CTL_DEADLINE_MS;
	epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &ev);
	client_write(c);
}

/* An error reply; the client may still be sending its request. */
static void client_error(struct client *c, const char *msg)
{
	log_debug("control socket: %s", msg);
	c->drain = true;
	client_reply(c, 1, msg, strlen(msg));
}

/* --- requests --------------------------------------------------------------- */

static void client_run(struct client *c)
{
	struct ctl_request req = { .buf = c->buf };
	struct strbuf out;
	char err[1024];
	int ret;

	c->buf = NULL;		/* req owns it now */
	if (ctl_request_split(&req, c->len, err, sizeof(err))) {
		ctl_request_free(&req);
		client_error(c, err);
		return;
	}
	ret = cmd_run(req.argc, req.argv, &out, err, sizeof(err));
	if (ret && ret != VSW_CTL_STATUS_DIFFER) {
		log_debug("command %s failed: %s", req.argv[0], err);
		ctl_request_free(&req);
		client_reply(c, 1, err, strlen(err));
		return;
	}
	ctl_request_free(&req);
	client_reply(c, (uint32_t)ret, strbuf_str(&out), out.len);
	strbuf_free(&out);
}

/* The header is in: check it and size the body. False once answered. */
static bool header_ok(struct client *c)
{
	char err[128];

	if (c->hdr[0] != VSW_CTL_MAGIC) {
		snprintf(err, sizeof(err), "bad request magic 0x%08x", c->hdr[0]);
		client_error(c, err);
		return false;
	}
	if (c->hdr[1] > VSW_CTL_MAX_MSG) {
		snprintf(err, sizeof(err), "request of %u bytes is too large",
			 c->hdr[1]);
		client_error(c, err);
		return false;
	}
	c->len = c->hdr[1];
	return true;
}

/* Grows the body buffer as data arrives (a header's claim alone costs no
 * memory); keeps room for the terminating NUL. */
static bool body_room(struct client *c)
{
	size_t want = c->done + CTL_READ_CHUNK;
	char *p;

	if (want > c->len)
		want = c->len;
	if (c->buf && want + 1 <= c->cap)
		return true;
	p = realloc(c->buf, want + 1);
	if (!p)
		return false;
	c->buf = p;
	c->cap = want + 1;
	return true;
}

/* Reads what is there; runs the command once the request is complete. */
static void client_read(struct client *c)
{
	for (;;) {
		bool in_hdr = c->hdr_got < sizeof(c->hdr);
		ssize_t n;

		if (!in_hdr && !body_room(c)) {
			client_error(c, "out of memory");
			return;
		}
		if (!in_hdr && c->done == c->len) {
			c->buf[c->len] = '\0';
			client_run(c);
			return;
		}
		n = in_hdr ? recv(c->fd, (char *)c->hdr + c->hdr_got,
				  sizeof(c->hdr) - c->hdr_got, MSG_DONTWAIT) :
			     recv(c->fd, c->buf + c->done, c->cap - 1 - c->done,
				  MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {		/* the client went away mid-request */
			client_free(c);
			return;
		}
		if (!in_hdr) {
			c->done += n;
		} else if ((c->hdr_got += n) == sizeof(c->hdr) && !header_ok(c)) {
			return;
		}
	}
}

/* --- connections and deadlines ------------------------------------------------ */

static void accept_one(int fd)
{
	struct client *c = calloc(1, sizeof(*c));

	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->state = READING;
	c->deadline_ms = now_ms() + CTL_DEADLINE_MS;
	c->next = clients;
	clients = c;
	n_clients++;
	if (epoll_add(fd, EPOLLIN, c)) {
		client_free(c);
		return;
	}
	if (!peer_allowed(fd))
		client_error(c, "permission denied: root only");
	else if (n_clients > CTL_MAX_CLIENTS)
		client_error(c, "too many control connections; try again");
}

static void accept_all(void)
{
	for (;;) {
		int fd = accept4(listen_fd, NULL, NULL,
				 SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0)
			return;
		accept_one(fd);
	}
}

/* Drops clients past their deadline; arms the timer for the next one. */
static void expire(void)
{
	struct itimerspec its = { 0 };
	uint64_t now = now_ms(), next = 0;
	struct client *c, *n;

	for (c = clients; c; c = n) {
		n = c->next;
		if (c->deadline_ms <= now) {
			log_debug("control socket: client dropped after %d ms %s",
				  CTL_DEADLINE_MS, c->state == READING ?
				  "without a complete request" :
				  "without reading its reply or closing");
			client_free(c);
		} else if (!next || c->deadline_ms < next) {
			next = c->deadline_ms;
		}
	}
	if (next) {
		its.it_value.tv_sec = (next - now) / 1000;
		its.it_value.tv_nsec = (next - now) % 1000 * 1000000;
	}
	timerfd_settime(timer_fd, 0, &its, NULL);
}

void ctl_server_run(void)
{
	struct epoll_event ev[16];
	uint64_t ticks;
	int n, i;

	n = epoll_wait(epoll_fd, ev, 16, 0);
	for (i = 0; i < n; i++) {
		void *tag = ev[i].data.ptr;
		struct client *c = tag;

		if (tag == &tag_listen)
			accept_all();
		else if (tag == &tag_timer)
			(void)!read(timer_fd, &ticks, sizeof(ticks));
		else if (c->state == READING)
			client_read(c);
		else if (c->state == WRITING)
			client_write(c);
		else
			client_drain(c);
	}
	expire();
}
