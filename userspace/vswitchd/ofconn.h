/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenFlow channels (ofconn.c): each bridge's management socket
 * (punix:RUNDIR/BR.mgmt) and the targets set with set-controller, their
 * connections, HELLO negotiation, echo probes, reconnection with backoff
 * and barriers. Messages after HELLO go to ofproto.c.
 *
 * Everything here runs on the main thread. A connection is non-blocking
 * with a bounded output queue: while a peer does not read, its requests
 * are not read either, and a peer whose queue still outgrows the bound is
 * disconnected; no peer can stall the handlers or the other peers.
 */
#ifndef VSWD_OFCONN_H
#define VSWD_OFCONN_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

#define OFCONN_MAX_TARGETS	8
#define OFCONN_PROBE_MS		5000	/* default inactivity-probe: echo after
					 * this much silence */

/* Opens the epoll set; sockets follow from the bridges (and their targets)
 * at each ofmgr_run(). @rundir holds the management sockets. */
int ofmgr_open(const char *rundir, char *err, size_t errlen);
void ofmgr_close(void);
/* An fd to poll for POLLIN. */
int ofmgr_fd(void);
/* Accepts, reads, handles, writes, probes, reconnects: what is ready. */
void ofmgr_run(void);

/* The targets of @br (replacing any; n = 0 removes them). Checked here,
 * opened at the next ofmgr_run(). Called with vswd.mutex held (commands,
 * state loading); works before ofmgr_open(). */
int ofmgr_set_controllers(const char *br, char **targets, int n, char *err,
			  size_t errlen);
/* One target per line; with @status, "TARGET: STATE" as show prints. */
void ofmgr_format_controllers(const char *br, struct strbuf *out, bool status);
/* The state file's "controller BR TARGET..." record, if any. */
void ofmgr_save(struct strbuf *sb, const char *br);

#endif /* VSWD_OFCONN_H */
