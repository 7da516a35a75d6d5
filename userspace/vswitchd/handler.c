// SPDX-License-Identifier: GPL-2.0
#include "handler.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "counters.h"
#include "dpif.h"
#include "group-mod.h"
#include "log.h"
#include "mac-learning.h"
#include "ofp-pin.h"
#include "ofproto.h"
#include "pipeline.h"
#include "revalidator.h"
#include "tunnel-port.h"
#include "util.h"
#include "vswitchd.h"
#include "xlate.h"

#define HANDLER_RCVBUF	(4 << 20)
/* A port's own socket: ~1000 small upcalls, a fraction of a second of a
 * handler's work, so a flooder's backlog is bounded and shed early. */
#define PORT_RCVBUF	(1 << 20)
#define UPCALL_BUF	(66 * 1024)	/* a 64 KiB frame plus attributes */

/* The upcall socket of one datapath port (see handler.h). */
struct port_sock {
	uint32_t port_no;
	struct dpif *dpif;
	bool dead;			/* the port went: the owner closes it */
};

struct handler {
	pthread_t thread;
	struct dpif *dpif;		/* upcalls arrive here */
	/* The port sockets this thread serves: the list changes under
	 * lock (gen counts changes); only this thread closes a socket,
	 * so its copy in pfds/pdpifs stays valid until it looks again. */
	pthread_mutex_t lock;
	struct port_sock *socks;
	unsigned int n_socks, gen;
	/* this thread's view: [0] is dpif, then the live port sockets */
	unsigned int seen_gen, n_pfds, rr;
	struct pollfd *pfds;
	struct dpif **pdpifs;
	struct dpif *cmd;		/* installs and executes, so waiting for
					 * their acks never swallows an upcall */
	struct handlers *hs;
	struct vswd_counters *c;	/* written by this thread only */
	bool started;
	/* per batch */
	uint8_t *bufs;			/* HANDLER_BATCH slots of UPCALL_BUF */
	struct dpif_upcall up[HANDLER_BATCH];
	struct xlate_out xo[HANDLER_BATCH];
	bool install[HANDLER_BATCH];
	bool cut[HANDLER_BATCH];	/* to send, but cut short by the kernel */
	uint8_t ufid[HANDLER_BATCH][VSW_UFID_LEN];
	int put_op[HANDLER_BATCH], exec_op[HANDLER_BATCH];
	struct dpif_batch batch;
	bool marked;			/* learning marked megaflows: kick */
};

struct handlers {
	struct bridge *br;		/* valid while the threads run */
	char dp[IFNAMSIZ];
	unsigned int n;
	atomic_bool stop;
	struct handler h[];
};

/* Reads up to @max upcalls from @dpif in arrival order, with one system
 * call, into the slots of bufs from *@slots on, and appends the misses
 * to h->up from @n on. Returns the new number of misses. */
static unsigned int recv_from(struct handler *h, struct dpif *dpif,
			      unsigned int n, unsigned int *slots,
			      unsigned int max)
{
	struct dpif_upcall up[HANDLER_BATCH];
	int errs[HANDLER_BATCH];
	unsigned int i;
	int got;

	got = dpif_recv_upcalls(dpif, h->bufs + (size_t)*slots * UPCALL_BUF,
				UPCALL_BUF, max, up, errs);
	if (got == -ENOBUFS)
		vswd_count(&h->c->upcall_overruns, 1);
	for (i = 0; got > 0 && i < (unsigned int)got; i++) {
		if (errs[i]) {
			vswd_count(&h->c->upcalls_failed, 1);
			log_debug("%s: bad upcall: %s", h->hs->dp,
				  strerror(-errs[i]));
			continue;
		}
		if (up[i].cmd == VSW_CMD_ACTION) {	/* a controller action */
			ofproto_pin_submit(h->hs->dp, &up[i]);
			continue;
		}
		if (up[i].cmd != VSW_CMD_MISS)
			continue;
		h->up[n++] = up[i];	/* packet stays in its slot of bufs */
	}
	if (got > 0)
		*slots += got;
	return n;
}

/* Takes in changes to this thread's port sockets, closing dead ones. */
static void refresh_socks(struct handler *h)
{
	unsigned int i, n;

	pthread_mutex_lock(&h->lock);
	if (h->seen_gen == h->gen)
		goto out_unlock;
	for (i = 0; i < h->n_socks;) {
		if (h->socks[i].dead) {
			dpif_close(h->socks[i].dpif);
			h->socks[i] = h->socks[--h->n_socks];
		} else {
			i++;
		}
	}
	n = h->n_socks + 1;
	free(h->pfds);
	free(h->pdpifs);
	h->pfds = calloc(n, sizeof(*h->pfds));
	h->pdpifs = calloc(n, sizeof(*h->pdpifs));
	if (!h->pfds || !h->pdpifs)
		n = 0;		/* retried at the next round */
	else
		h->seen_gen = h->gen;
	for (i = 0; i < n; i++) {
		h->pdpifs[i] = i ? h->socks[i - 1].dpif : h->dpif;
		h->pfds[i].fd = dpif_fd(h->pdpifs[i]);
		h->pfds[i].events = POLLIN;
	}
	h->n_pfds = n;
out_unlock:
	pthread_mutex_unlock(&h->lock);
}

/* One round over the ready sockets, each read at most its equal part of
 * a batch, starting one socket further each round: a port flooding its
 * socket gets its part, never the quiet ports' (round-robin). */
static unsigned int recv_round(struct handler *h)
{
	unsigned int i, k, ready = 0, quota, n = 0, slots = 0;

	for (i = 0; i < h->n_pfds; i++)
		ready += !!(h->pfds[i].revents & POLLIN);
	if (!ready)
		return 0;
	quota = HANDLER_BATCH / ready ? HANDLER_BATCH / ready : 1;
	for (k = 0; k < h->n_pfds && slots < HANDLER_BATCH; k++) {
		i = (h->rr + k) % h->n_pfds;
		if (!(h->pfds[i].revents & POLLIN))
			continue;
		if (quota > HANDLER_BATCH - slots)
			quota = HANDLER_BATCH - slots;
		n = recv_from(h, h->pdpifs[i], n, &slots, quota);
	}
	h->rr = (h->rr + 1) % h->n_pfds;
	return n;
}

/* The missed packet itself counts for the rules it matched and for the
 * tables where it matched none. */
static void credit_rules(struct bridge *br, const struct xlate_out *xo,
			 const struct dpif_upcall *up, long long now)
{
	uint64_t bytes = up->orig_len ? up->orig_len : up->packet_len;
	size_t i;

	for (i = 0; i < xo->n_rules; i++) {
		struct rule *r = pipeline_find_rule(br->pl, xo->rule_ids[i]);

		if (r)
			rule_credit(r, 1, bytes, now);
	}
	pipeline_credit_misses(br->pl, xo->tables_missed, 1);
	group_credit(br, xo->group_uses, xo->n_group_uses, 1, bytes);
}

/* Translates the batch and records new megaflows; h->marked when a MAC
 * learned or moved marked megaflows. Called with the mutex. */
static void xlate_batch(struct handler *h, unsigned int n)
{
	struct bridge *br = h->hs->br;
	struct xlate_bridge xb;
	long long now = vsw_time_msec();
	unsigned int i;

	vswd_assert_locked();
	bridge_xlate_view(br, &xb);
	for (i = 0; i < n; i++) {
		struct xlate_out *xo = &h->xo[i];
		struct match *mf = &xo->megaflow;

		uint64_t mac_v = mac_table_version(br->macs);

		memset(xo, 0, sizeof(*xo));
		xlate_flow(&xb, &h->up[i].key, true, xo, NULL);
		if (xo->tnl_unmatched)
			vswd_count(&h->c->tnl_unmatched, 1);
		if (xo->learned) {
			/* targeted: only flows that looked this MAC up change */
			if (reval_mark_mac(br, h->up[i].key.eth_src))
				h->marked = true;
			if (mac_v == br->seen_mac_version)
				br->seen_mac_version = mac_table_version(br->macs);
		}
		mf->mask.in_port = UINT32_MAX;
		mf->flow.in_port = h->up[i].in_port;
		dpif_ufid_for_match(mf, h->ufid[i]);
		/* A record without a kernel flow (flushed behind our back, or
		 * an install that raced with a dump) must not stop the
		 * install: a second upcall of a flow being installed costs one
		 * FLOW_NEW answered EEXIST, a skipped install costs every
		 * later packet of the flow an upcall. */
		h->install[i] = ukey_find(&br->ukeys, h->ufid[i]) ||
				ukey_insert(&br->ukeys, h->ufid[i], mf, xo, now);
		credit_rules(br, xo, &h->up[i], now);
		vswd_count(&h->c->upcalls_handled, 1);
	}
}

/* Queues upcall @i's install and execute: one FLOW_NEW carrying the
 * packet when both are due. False when the batch has no room left. */
static bool queue_ops(struct handler *h, unsigned int i)
{
	const struct dpif_upcall *up = &h->up[i];
	const struct xlate_out *xo = &h->xo[i];
	/* a frame the kernel cut short is not sent on cut */
	bool exec = xo->actions.n && !(up->orig_len > up->packet_len);

	h->cut[i] = xo->actions.n && !exec;
	h->put_op[i] = h->exec_op[i] = -1;
	if (h->install[i]) {
		h->put_op[i] = dpif_batch_flow_put(&h->batch, h->hs->dp,
						   &xo->megaflow, &xo->actions,
						   h->ufid[i],
						   exec ? up->packet : NULL,
						   up->packet_len, up->mru);
		return h->put_op[i] >= 0;
	}
	if (exec)
		h->exec_op[i] = dpif_batch_execute(&h->batch, h->hs->dp,
						   up->in_port, up->packet,
						   up->packet_len, &xo->actions,
						   up->mru);
	return !exec || h->exec_op[i] >= 0;
}

/* Counts upcall @i's packet as dropped by the daemon, on its port.
 * Called with the mutex. */
static void count_dropped(struct handler *h, unsigned int i)
{
	struct bridge *br = h->hs->br;
	size_t k;

	vswd_count(&h->c->upcalls_failed, 1);
	for (k = 0; k < br->n_ports; k++)
		if (br->ports[k].ofport == h->up[i].in_port)
			br->ports[k].upcalls_dropped++;
}

/* Accounts for the acks of the batch. Called with the mutex. */
static void account(struct handler *h, unsigned int i)
{
	struct bridge *br = h->hs->br;
	struct ukey *uk;
	int r;

	if (h->put_op[i] >= 0) {
		r = h->batch.result[h->put_op[i]];
		if (!r) {
			vswd_count(&h->c->flows_installed, 1);
		} else if (r == -EEXIST) {
			vswd_count(&h->c->flows_install_exists, 1);
		} else {
			vswd_count(&h->c->flows_install_failed, 1);
			log_debug("%s: installing megaflow: %s", h->hs->dp,
				  h->batch.msg[h->put_op[i]]);
			uk = ukey_find(&br->ukeys, h->ufid[i]);
			if (uk)
				ukey_remove(&br->ukeys, uk);
		}
	}
	if (h->put_op[i] >= 0 && h->batch.result[h->put_op[i]] == -EINVAL)
		count_dropped(h, i);	/* PACKET refused with the flow */
	if (h->cut[i])
		count_dropped(h, i);
	if (h->exec_op[i] >= 0 && h->batch.result[h->exec_op[i]]) {
		count_dropped(h, i);
		log_debug("%s: executing packet: %s", h->hs->dp,
			  h->batch.msg[h->exec_op[i]]);
	}
}

/* Phase times of one batch, added to the thread's counters. */
struct phase_us {
	uint64_t xlate, lockwait, commit;
};

static void handle_batch(struct handler *h, unsigned int n,
			 struct phase_us *t)
{
	unsigned int i, done = 0;
	uint64_t t0 = vsw_elapsed_usec(), t1;

	vswd_lock();
	t1 = vsw_elapsed_usec();
	t->lockwait += t1 - t0;
	h->marked = false;
	xlate_batch(h, n);
	vswd_unlock();
	/* a moved MAC's megaflows get a targeted pass now, not at the next
	 * periodic one (seconds apart with a large table) */
	if (h->marked)
		reval_kick();
	t->xlate += vsw_elapsed_usec() - t0;
	while (done < n) {
		unsigned int first = done;

		/* fill the netlink batch, committing early if it is full */
		for (; done < n; done++)
			if (!queue_ops(h, done))
				break;
		if (done == first) {	/* one op alone does not fit: skip it */
			vswd_lock();
			count_dropped(h, done);
			vswd_unlock();
			done++;
			continue;
		}
		t0 = vsw_elapsed_usec();
		dpif_batch_commit(h->cmd, &h->batch);
		t->commit += vsw_elapsed_usec() - t0;
		vswd_lock();
		for (i = first; i < done; i++)
			account(h, i);
		vswd_unlock();
	}
	for (i = 0; i < n; i++)
		xlate_out_uninit(&h->xo[i]);
}

static void *handler_main(void *arg)
{
	struct handler *h = arg;
	uint64_t cpu0 = vswd_thread_cpu_us(), cpu;

	while (!atomic_load(&h->hs->stop)) {
		struct phase_us t = { 0, 0, 0 };
		uint64_t t0;
		unsigned int n;

		/* a new port socket is served within one poll timeout; its
		 * upcalls wait in it meanwhile */
		refresh_socks(h);
		if (!h->n_pfds || poll(h->pfds, h->n_pfds, 250) <= 0)
			continue;
		t0 = vsw_elapsed_usec();
		n = recv_round(h);
		t0 = vsw_elapsed_usec() - t0;
		if (n)
			handle_batch(h, n, &t);
		cpu = vswd_thread_cpu_us();
		vswd_count(&h->c->handler_cpu_us, cpu - cpu0);
		vswd_count(&h->c->handler_batches, n > 0);
		vswd_count(&h->c->handler_recv_us, t0);
		vswd_count(&h->c->handler_xlate_us, t.xlate);
		vswd_count(&h->c->handler_lockwait_us, t.lockwait);
		vswd_count(&h->c->handler_commit_us, t.commit);
		cpu0 = cpu;
	}
	return NULL;
}

static int handler_init(struct handler *h, struct handlers *hs, char *err,
			size_t errlen)
{
	h->hs = hs;
	pthread_mutex_init(&h->lock, NULL);
	h->gen = 1;		/* seen_gen 0: build the poll set first */
	h->bufs = malloc((size_t)HANDLER_BATCH * UPCALL_BUF);
	h->c = vswd_counters_new();
	if (!h->bufs || !h->c || dpif_batch_init(&h->batch)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (dpif_open(&h->dpif, err, errlen) || dpif_open(&h->cmd, err, errlen))
		return -EIO;
	dpif_set_rcvbuf(h->dpif, HANDLER_RCVBUF);
	return 0;
}

static void handler_uninit(struct handler *h)
{
	unsigned int i;

	for (i = 0; i < h->n_socks; i++)
		dpif_close(h->socks[i].dpif);
	free(h->socks);
	free(h->pfds);
	free(h->pdpifs);
	pthread_mutex_destroy(&h->lock);
	dpif_close(h->dpif);
	dpif_close(h->cmd);
	dpif_batch_uninit(&h->batch);
	free(h->bufs);
	vswd_counters_retire(h->c);
}

/* The handler serving @port_no's socket. */
static struct handler *port_owner(struct handlers *hs, uint32_t port_no)
{
	return &hs->h[port_no % hs->n];
}

int handlers_port_add(struct handlers *hs, uint32_t port_no, char *err,
		      size_t errlen)
{
	struct handler *h = port_owner(hs, port_no);
	struct port_sock *socks;
	struct dpif *dpif;
	int ret;

	vswd_assert_locked();
	ret = dpif_open(&dpif, err, errlen);
	if (ret)
		return ret;
	dpif_set_rcvbuf(dpif, PORT_RCVBUF);
	ret = dpif_port_set_upcall_pid(vswd.dpif, hs->dp, port_no,
				       dpif_portid(dpif), err, errlen);
	if (ret)
		goto err_close;
	pthread_mutex_lock(&h->lock);
	socks = realloc(h->socks, (h->n_socks + 1) * sizeof(*socks));
	if (socks) {
		h->socks = socks;
		socks[h->n_socks++] = (struct port_sock){ port_no, dpif, false };
		h->gen++;
	}
	pthread_mutex_unlock(&h->lock);
	if (socks)
		return 0;
	snprintf(err, errlen, "out of memory");
	ret = -ENOMEM;
	/* the kernel must not keep sending to a socket we close */
	dpif_port_set_upcall_pid(vswd.dpif, hs->dp, port_no, 0, NULL, 0);
err_close:
	dpif_close(dpif);
	return ret;
}

void handlers_port_del(struct handlers *hs, uint32_t port_no)
{
	struct handler *h = port_owner(hs, port_no);
	unsigned int i;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->n_socks; i++) {
		if (h->socks[i].port_no == port_no && !h->socks[i].dead) {
			h->socks[i].dead = true;
			h->gen++;
		}
	}
	pthread_mutex_unlock(&h->lock);
}

/* Gives every attached port of @br its own socket. A port left without
 * one (logged) still sends its misses to the datapath's sockets. */
static void add_present_ports(struct handlers *hs, struct bridge *br)
{
	char err[256];
	size_t i;

	for (i = 0; i < br->n_ports; i++) {
		uint32_t no = tnl_port_dp_no(br, i);

		if (!br->ports[i].present || !no)
			continue;
		if (handlers_port_add(hs, no, err, sizeof(err)))
			log_warn("%s: port %s: upcall socket: %s", br->name,
				 br->ports[i].name, err);
	}
}

int handlers_start(struct bridge *br, unsigned int n, char *err,
		   size_t errlen)
{
	struct handlers *hs = calloc(1, sizeof(*hs) + n * sizeof(hs->h[0]));
	uint32_t pids[n];
	unsigned int i;
	int ret;

	vswd_assert_locked();
	if (!hs) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	hs->br = br;
	hs->n = n;
	snprintf(hs->dp, sizeof(hs->dp), "%s", br->name);
	atomic_init(&hs->stop, false);
	for (i = 0; i < n; i++) {
		ret = handler_init(&hs->h[i], hs, err, errlen);
		if (ret)
			goto err_stop_handlers;
		pids[i] = dpif_portid(hs->h[i].dpif);
	}
	ret = dpif_dp_set_upcall_pids(vswd.dpif, br->name, pids, n, err, errlen);
	if (ret)
		goto err_stop_handlers;
	add_present_ports(hs, br);
	for (i = 0; i < n; i++) {
		ret = -pthread_create(&hs->h[i].thread, NULL, handler_main,
				      &hs->h[i]);
		if (ret) {
			snprintf(err, errlen, "starting handler thread: %s",
				 strerror(-ret));
			goto err_stop_handlers;
		}
		hs->h[i].started = true;
	}
	br->handlers = hs;
	return 0;

err_stop_handlers:
	/* started threads take the mutex: let them see the stop flag */
	vswd_unlock();
	handlers_stop(hs);
	vswd_lock();
	return ret;
}

void handlers_stop(struct handlers *hs)
{
	unsigned int i;

	if (!hs)
		return;
	atomic_store(&hs->stop, true);
	for (i = 0; i < hs->n; i++)
		if (hs->h[i].started)
			pthread_join(hs->h[i].thread, NULL);
	for (i = 0; i < hs->n; i++)
		handler_uninit(&hs->h[i]);
	free(hs);
}

unsigned int handlers_count(const struct handlers *hs)
{
	return hs->n;
}
