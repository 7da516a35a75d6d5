// SPDX-License-Identifier: GPL-2.0
/*
 * OpenFlow channels (ofconn.h). Listeners, connections and one timer sit
 * in an epoll set whose fd the main loop polls. Sockets are opened by
 * reconcile(), each run: a bridge gets its management listener, a
 * passive target its listener, an active target a connection attempt
 * once its backoff has passed (1 s doubling to 8 s). A bridge that went
 * away takes its listeners and connections with it.
 */
#include "ofconn.h"
#include "ofconn-private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "bridge.h"
#include "fail-open.h"
#include "log.h"
#include "ofp-msg.h"
#include "ofp-target.h"
#include "ofproto.h"
#include "revalidator.h"
#include "state.h"
#include "util.h"
#include "vswitchd.h"

struct ofbr *ofbrs;
struct ofconn *conns;
static unsigned int n_conns;
static int epoll_fd = -1, timer_fd = -1, pin_fd = -1, removed_fd = -1;
static struct ep timer_ep = { EP_TIMER };
static struct ep pin_ep = { EP_PIN };
static struct ep removed_ep = { EP_REMOVED };
static char rundir[PATH_MAX];
static long long save_after_ms;

static struct ofbr *ofbr_find(const char *name, bool create)
{
	struct ofbr *b;

	for (b = ofbrs; b; b = b->next)
		if (!strcmp(b->name, name))
			return b;
	if (!create)
		return NULL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->probe_ms = OFCONN_PROBE_MS;
	b->up_ms = vsw_time_msec();
	b->next = ofbrs;
	ofbrs = b;
	return b;
}

static int ep_add(int fd, uint32_t events, struct ep *ep)
{
	struct epoll_event ev = { .events = events, .data.ptr = ep };

	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

static void ep_mod(int fd, uint32_t events, struct ep *ep)
{
	struct epoll_event ev = { .events = events, .data.ptr = ep };

	epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev);
}

/* --- connections ------------------------------------------------------ */

static void conn_free(struct ofconn *c)
{
	struct ofconn **p;

	for (p = &conns; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	if (c->target && c->hello_done)
		c->br->up_ms = vsw_time_msec();
	if (c->target) {
		c->target->conn = NULL;
		c->target->status = "disconnected";
		c->target->retry_ms = vsw_time_msec() + c->target->backoff_ms;
	}
	close(c->fd);
	free(c->rx);
	ofpbuf_free(&c->tx);
	free(c);
	n_conns--;
}

static struct ofconn *conn_new(int fd, struct ofbr *br, struct target *t,
			       bool connecting)
{
	struct ofconn *c = calloc(1, sizeof(*c));

	if (!c || n_conns >= MAX_CONNS || !(c->rx = malloc(RX_MAX))) {
		free(c);
		close(fd);
		return NULL;
	}
	c->ep.kind = EP_CONN;
	c->fd = fd;
	c->br = br;
	c->target = t;
	c->connecting = connecting;
	c->last_rx_ms = vsw_time_msec();
	ofpbuf_init(&c->tx);
	ofp_session_init(&c->s, &br->roles);
	if (ep_add(fd, EPOLLIN | EPOLLOUT, &c->ep)) {
		close(fd);
		free(c->rx);
		free(c);
		return NULL;
	}
	c->next = conns;
	conns = c;
	n_conns++;
	if (t)
		t->conn = c;
	ofp13_encode_hello(&c->tx, 0);
	return c;
}

/* Writes what the peer accepts; false when the connection is dead. */
static bool conn_flush(struct ofconn *c)
{
	while (c->tx_off < c->tx.size) {
		ssize_t n = send(c->fd, c->tx.data + c->tx_off,
				 c->tx.size - c->tx_off, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		c->tx_off += n;
	}
	ofpbuf_clear(&c->tx);
	c->tx_off = 0;
	return true;
}

static void conn_error(struct ofconn *c, uint32_t err, const uint8_t *msg,
		       size_t len, bool fatal)
{
	const struct ofp13_header *h = (const void *)msg;

	ofp13_encode_error(&c->tx, h ? ntohl(h->xid) : 0, err, msg, len);
	if (fatal)
		c->closing = true;
}

static void conn_message(struct ofconn *c, const uint8_t *msg, size_t len)
{
	const struct ofp13_header *h = (const void *)msg;
	uint32_t err;

	c->last_rx_ms = vsw_time_msec();
	c->probe_ms = 0;
	if (!c->hello_done) {
		err = h->type == OFPT13_HELLO ? ofp13_decode_hello(msg, len)
			: OFPERR(OFPET13_HELLO_FAILED, OFPHFC13_INCOMPATIBLE);
		if (err) {
			log_info("%s: OpenFlow peer refused: %s", c->br->name,
				 ofperr_name(err));
			conn_error(c, err, msg, len, true);
			return;
		}
		c->hello_done = true;
		if (c->target)
			c->target->status = "connected";
		if (c->target)
			c->target->backoff_ms = BACKOFF_MIN_MS;
		return;
	}
	if (h->type == OFPT13_HELLO)
		return;
	ofproto_handle(c->br->name, &c->s, msg, len, &c->tx);
	if (c->s.became_master) {	/* one master per bridge */
		struct ofconn *o;

		c->s.became_master = false;
		for (o = conns; o; o = o->next)
			if (o != c && o->br == c->br && o->s.role == OFPCR13_ROLE_MASTER)
				o->s.role = OFPCR13_ROLE_SLAVE;
	}
}

/* Handles the complete messages in rx, unless a barrier or the peer's
 * unread replies hold them back. */
static void conn_process(struct ofconn *c)
{
	size_t off = 0, n;

	while (!c->closing && !c->s.barrier_wait &&
	       c->tx.size - c->tx_off < TX_PAUSE && c->rx_len - off >= 8) {
		n = (size_t)(c->rx[off + 2] << 8 | c->rx[off + 3]);
		if (n < 8) {
			conn_error(c, OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN),
				   c->rx + off, c->rx_len - off, true);
			break;
		}
		if (c->rx_len - off < n)
			break;
		conn_message(c, c->rx + off, n);
		off += n;
	}
	memmove(c->rx, c->rx + off, c->rx_len - off);
	c->rx_len -= off;
}

/* false when the connection is to be dropped */
static bool conn_read(struct ofconn *c)
{
	ssize_t n;

	if (c->rx_len == RX_MAX)
		return true;	/* full: process() first */
	n = recv(c->fd, c->rx + c->rx_len, RX_MAX - c->rx_len, 0);
	if (n == 0)
		return false;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	c->rx_len += n;
	return true;
}

static bool conn_finish_connect(struct ofconn *c)
{
	int soerr = 0;
	socklen_t sl = sizeof(soerr);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) || soerr) {
		log_debug("%s: %s: %s", c->br->name, c->target->text,
			  strerror(soerr));
		return false;
	}
	c->connecting = false;
	c->target->status = "connecting (HELLO)";
	log_info("%s: connected to %s", c->br->name, c->target->text);
	return true;
}

/* Level-triggered interest: output only while some is queued (or the
 * connect is pending), input only while requests are being taken. */
static void conn_update_events(struct ofconn *c)
{
	bool out = c->connecting || c->tx_off < c->tx.size;
	bool in = !c->closing && !c->s.barrier_wait &&
		  c->tx.size - c->tx_off < TX_PAUSE && c->rx_len < RX_MAX;

	ep_mod(c->fd, (in ? EPOLLIN : 0) | (out ? EPOLLOUT : 0), &c->ep);
}

void conn_event(struct ofconn *c, uint32_t events)
{
	bool ok = true;

	if (c->connecting) {
		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		ok = conn_finish_connect(c);
	}
	if (ok && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		ok = conn_read(c);
	if (ok)
		conn_process(c);
	if (ok)
		ok = conn_flush(c);
	if (!ok || c->tx.size - c->tx_off > TX_LIMIT ||
	    (c->closing && c->tx_off == c->tx.size)) {
		if (!ok && c->target && c->hello_done)
			log_info("%s: connection to %s closed", c->br->name,
				 c->target->text);
		conn_free(c);
		return;
	}
	conn_update_events(c);
}

/* --- sockets ---------------------------------------------------------- */

static int open_socket(const struct ofp_target *t, bool *in_progress)
{
	int fam = t->kind == OFPT_TCP || t->kind == OFPT_PTCP ? AF_INET : AF_UNIX;
	int fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const struct sockaddr *sa = (const void *)&t->in;
	socklen_t sl = sizeof(t->in);

	if (fd < 0)
		return -1;
	if (fam == AF_UNIX) {
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", t->path);
		sa = (const void *)&sun;
		sl = sizeof(sun);
	}
	if (t->passive) {
		if (fam == AF_UNIX)
			unlink(t->path);
		else
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, sa, sl) || listen(fd, 16))
			goto err_close;
		if (fam == AF_UNIX)
			chmod(t->path, 0600);
		return fd;
	}
	*in_progress = false;
	if (connect(fd, sa, sl)) {
		if (errno != EINPROGRESS)
			goto err_close;
		*in_progress = true;
	}
	return fd;
err_close:
	close(fd);
	return -1;
}

static struct listener *listener_open(struct ofbr *br, const struct ofp_target *t)
{
	struct listener *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->ep.kind = EP_LISTENER;
	l->br = br;
	l->fd = open_socket(t, NULL);
	if (l->fd < 0 || ep_add(l->fd, EPOLLIN, &l->ep)) {
		if (l->fd >= 0)
			close(l->fd);
		free(l);
		return NULL;
	}
	if (t->kind == OFPT_PUNIX)
		snprintf(l->path, sizeof(l->path), "%s", t->path);
	return l;
}

static void listener_close(struct listener *l)
{
	if (!l)
		return;
	close(l->fd);
	if (l->path[0])
		unlink(l->path);
	free(l);
}

static void listener_accept(struct listener *l)
{
	int fd;

	while ((fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
		if (!conn_new(fd, l->br, NULL, false))
			log_warn("%s: OpenFlow connection refused (limit %d)",
				 l->br->name, MAX_CONNS);
}

static void target_close(struct target *t)
{
	listener_close(t->l);
	t->l = NULL;
	if (t->conn)
		conn_free(t->conn);
}

static void target_backoff(struct target *t, long long now)
{
	t->retry_ms = now + t->backoff_ms;
	t->backoff_ms = t->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
							   : t->backoff_ms * 2;
}

static void target_reconcile(struct ofbr *b, struct target *t, long long now)
{
	bool in_progress;
	int fd;

	if (t->l || t->conn || now < t->retry_ms)
		return;
	if (t->t.passive) {
		t->l = listener_open(b, &t->t);
		t->status = t->l ? "listening" : "cannot listen";
		if (!t->l) {
			log_warn("%s: cannot listen on %s: %s", b->name, t->text,
				 strerror(errno));
			target_backoff(t, now);
		}
		return;
	}
	fd = open_socket(&t->t, &in_progress);
	target_backoff(t, now);
	if (fd < 0) {
		t->status = "disconnected";
		log_debug("%s: %s: %s", b->name, t->text, strerror(errno));
		return;
	}
	if (conn_new(fd, b, t, in_progress))
		t->status = in_progress ? "connecting" : "connecting (HELLO)";
}

static void ofbr_free(struct ofbr *b)
{
	struct ofconn *c, *next;

	for (size_t i = 0; i < b->n_targets; i++)
		target_close(&b->targets[i]);
	for (c = conns; c; c = next) {
		next = c->next;
		if (c->br == b)
			conn_free(c);
	}
	listener_close(b->mgmt);
	ofproto_ports_clear(&b->ports);
	free(b);
}

/* The bridge's management listener; retried every BACKOFF_MAX_MS, warned
 * about once. */
static void open_mgmt(struct ofbr *b, long long now)
{
	struct ofp_target t = { .kind = OFPT_PUNIX, .passive = true };
	char path[PATH_MAX + IFNAMSIZ + 8];

	snprintf(path, sizeof(path), "%s/%s.mgmt", rundir, b->name);
	if (strlen(path) < sizeof(t.path)) {
		snprintf(t.path, sizeof(t.path), "%s", path);
		b->mgmt = listener_open(b, &t);
	} else {
		errno = ENAMETOOLONG;
	}
	if (b->mgmt)
		return;
	if (!b->mgmt_warned)
		log_warn("%s: management socket %s: %s", b->name, path,
			 strerror(errno));
	b->mgmt_warned = true;
	b->mgmt_retry_ms = now + BACKOFF_MAX_MS;
}

/* Follows the bridges: a management listener each, targets opened. */
static void reconcile(void)
{
	struct ofbr *b, **p;
	struct bridge *br;
	long long now = vsw_time_msec();

	for (b = ofbrs; b; b = b->next)
		b->gone = true;
	vswd_lock();
	for (br = vswd.bridges; br; br = br->next) {
		b = ofbr_find(br->name, true);
		if (!b)
			continue;
		b->gone = false;
		b->probe_ms = br->set.inactivity_probe_ms;
		fail_open_run(br, b, now);
	}
	vswd_unlock();
	for (p = &ofbrs; *p;) {
		b = *p;
		if (b->gone) {
			*p = b->next;
			ofbr_free(b);
			continue;
		}
		p = &b->next;
		if (!b->mgmt && now >= b->mgmt_retry_ms)
			open_mgmt(b, now);
		for (size_t i = 0; i < b->n_targets; i++)
			target_reconcile(b, &b->targets[i], now);
	}
}

/* --- the loop --------------------------------------------------------- */

static void arm_timer(void)
{
	struct itimerspec its = { 0 };
	bool waiting = false;
	struct ofconn *c;

	for (c = conns; c; c = c->next)
		waiting |= c->s.barrier_wait;
	its.it_value.tv_nsec = (waiting ? BARRIER_TICK_MS : TICK_MS) * 1000000L;
	timerfd_settime(timer_fd, 0, &its, NULL);
}

/* Echo probes, barrier replies and the lazy state save. */
static void tick(void)
{
	long long now = vsw_time_msec();
	struct ofconn *c, *next;
	char err[256];

	for (c = conns; c; c = next) {
		next = c->next;
		if (c->s.barrier_wait && reval_sync_done(c->s.barrier_ticket)) {
			size_t start = ofp13_msg_start(&c->tx, OFPT13_BARRIER_REPLY,
						       c->s.barrier_xid);

			ofp13_msg_finish(&c->tx, start);
			c->s.barrier_wait = false;
			conn_event(c, EPOLLIN);
			continue;
		}
		if (c->connecting || !c->br->probe_ms ||
		    now - c->last_rx_ms < c->br->probe_ms)
			continue;
		if (c->probe_ms && now - c->probe_ms >= c->br->probe_ms) {
			log_info("%s: OpenFlow peer silent for %lld ms; disconnecting",
				 c->br->name, now - c->last_rx_ms);
			conn_free(c);
			continue;
		}
		if (!c->probe_ms) {
			ofp13_encode_echo(&c->tx, OFPT13_ECHO_REQUEST, 0, NULL, 0);
			c->probe_ms = now;
			conn_event(c, 0);
		}
	}
	ofconn_port_status();
	if (ofproto_take_dirty() && !save_after_ms)
		save_after_ms = now + 1000;
	if (save_after_ms && now >= save_after_ms) {
		save_after_ms = 0;
		vswd_lock();
		if (state_save(err, sizeof(err)))
			log_err("state: %s", err);
		vswd_unlock();
	}
}

void ofmgr_run(void)
{
	struct epoll_event ev[32];
	uint64_t expirations;
	int n, i;

	if (epoll_fd < 0)
		return;
	n = epoll_wait(epoll_fd, ev, 32, 0);
	for (i = 0; i < n; i++) {
		struct ep *ep = ev[i].data.ptr;

		if (ep->kind == EP_TIMER)
			(void)!read(timer_fd, &expirations, sizeof(expirations));
		else if (ep->kind == EP_PIN)
			ofconn_deliver_pins();
		else if (ep->kind == EP_REMOVED)
			ofconn_deliver_removed();
		else if (ep->kind == EP_LISTENER)
			listener_accept((struct listener *)ep);
	}
	/* connections after listeners: an event may have freed one, so look
	 * each up again by walking the list */
	for (i = 0; i < n; i++) {
		struct ep *ep = ev[i].data.ptr;
		struct ofconn *c;

		if (ep->kind != EP_CONN)
			continue;
		for (c = conns; c && &c->ep != ep; c = c->next)
			;
		if (c)
			conn_event(c, ev[i].events);
	}
	reconcile();
	tick();
	arm_timer();
}

int ofmgr_open(const char *dir, char *err, size_t errlen)
{
	if (strlen(dir) >= sizeof(rundir)) {
		snprintf(err, errlen, "OpenFlow: run directory '%s' is too long", dir);
		return -1;
	}
	snprintf(rundir, sizeof(rundir), "%s", dir);
	if (mkdir(dir, 0755) && errno != EEXIST)
		log_warn("OpenFlow: creating %s: %s", dir, strerror(errno));
	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	pin_fd = ofproto_pin_open();
	removed_fd = ofproto_removed_open();
	if (epoll_fd < 0 || timer_fd < 0 || pin_fd < 0 || removed_fd < 0 ||
	    ep_add(timer_fd, EPOLLIN, &timer_ep) || ep_add(pin_fd, EPOLLIN, &pin_ep) ||
	    ep_add(removed_fd, EPOLLIN, &removed_ep)) {
		snprintf(err, errlen, "OpenFlow: epoll: %s", strerror(errno));
		ofmgr_close();
		return -1;
	}
	arm_timer();
	return 0;
}

void ofmgr_close(void)
{
	while (ofbrs) {
		struct ofbr *b = ofbrs;

		ofbrs = b->next;
		ofbr_free(b);
	}
	if (epoll_fd >= 0)
		close(epoll_fd);
	if (timer_fd >= 0)
		close(timer_fd);
	if (pin_fd >= 0)
		ofproto_pin_close();
	if (removed_fd >= 0)
		ofproto_removed_close();
	epoll_fd = timer_fd = pin_fd = removed_fd = -1;
}

int ofmgr_fd(void)
{
	return epoll_fd;
}

/* --- configuration ------------------------------------------------------ */

int ofmgr_set_controllers(const char *brname, char **targets, int n,
			  char *err, size_t errlen)
{
	struct target parsed[OFCONN_MAX_TARGETS];
	struct ofbr *b;

	if (n > OFCONN_MAX_TARGETS) {
		snprintf(err, errlen, "at most %d targets per bridge", OFCONN_MAX_TARGETS);
		return -1;
	}
	memset(parsed, 0, sizeof(parsed));
	for (int i = 0; i < n; i++) {
		if (strlen(targets[i]) >= sizeof(parsed[i].text)) {
			snprintf(err, errlen, "target '%.40s...' is too long", targets[i]);
			return -1;
		}
		if (ofp_target_parse(targets[i], &parsed[i].t, err, errlen))
			return -1;
		snprintf(parsed[i].text, sizeof(parsed[i].text), "%s", targets[i]);
		parsed[i].backoff_ms = BACKOFF_MIN_MS;
		parsed[i].status = "not yet opened";
	}
	b = ofbr_find(brname, true);
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < b->n_targets; i++)
		target_close(&b->targets[i]);
	memcpy(b->targets, parsed, sizeof(parsed));
	b->n_targets = (size_t)n;
	b->up_ms = vsw_time_msec();	/* new targets: a fresh grace period */
	return 0;
}

void ofmgr_format_controllers(const char *brname, struct strbuf *out, bool status)
{
	struct ofbr *b = ofbr_find(brname, false);

	for (size_t i = 0; b && i < b->n_targets; i++) {
		if (status)
			strbuf_printf(out, "    Controller \"%s\": %s\n",
				      b->targets[i].text, b->targets[i].status);
		else
			strbuf_printf(out, "%s\n", b->targets[i].text);
	}
	if (status && b && b->n_targets) {
		struct ofproto_pin_stats ps = ofproto_pin_stats();

		strbuf_printf(out, "    packet_in (all bridges): %llu queued, dropped "
			      "%llu over a port's rate, %llu queue full, %llu "
			      "controller busy\n", (unsigned long long)ps.queued,
			      (unsigned long long)ps.dropped_rate,
			      (unsigned long long)ps.dropped_queue,
			      (unsigned long long)ps.dropped_channel);
	}
}

void ofmgr_save(struct strbuf *sb, const char *brname)
{
	struct ofbr *b = ofbr_find(brname, false);

	if (!b || !b->n_targets)
		return;
	strbuf_printf(sb, "controller %s", brname);
	for (size_t i = 0; i < b->n_targets; i++)
		strbuf_printf(sb, " %s", b->targets[i].text);
	strbuf_putc(sb, '\n');
}
