/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ofconn.c shares with ofconn-async.c, which sends the channels'
 * asynchronous messages (PACKET_IN, PORT_STATUS). Main thread only.
 */
#ifndef VSWD_OFCONN_PRIVATE_H
#define VSWD_OFCONN_PRIVATE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/un.h>

#include "ofp-msg.h"
#include "ofp-target.h"
#include "ofconn.h"
#include "ofproto.h"

#define RX_MAX		(OFP13_MAX_MSG + 1)
#define TX_PAUSE	(256 * 1024)	/* stop reading requests above this */
#define TX_LIMIT	(4 * 1024 * 1024)	/* disconnect above this */
#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	8000
#define TICK_MS		100
#define BARRIER_TICK_MS	2
#define MAX_CONNS	64

enum ep_kind { EP_TIMER, EP_LISTENER, EP_CONN, EP_PIN, EP_REMOVED };
struct ep { enum ep_kind kind; };

struct ofbr;

struct listener {
	struct ep ep;
	int fd;
	struct ofbr *br;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];	/* punix */
};

struct target {
	char text[128];
	struct ofp_target t;
	struct listener *l;		/* passive */
	struct ofconn *conn;		/* active: the connection, if any */
	long long retry_ms;		/* next attempt (open or connect) */
	int backoff_ms;
	const char *status;		/* for show */
};

struct ofconn {
	struct ep ep;
	int fd;
	struct ofbr *br;
	struct target *target;		/* active connections only */
	bool connecting, hello_done, closing;
	uint8_t *rx;
	size_t rx_len;
	struct ofpbuf tx;
	size_t tx_off;
	long long last_rx_ms, probe_ms;
	struct ofp_session s;
	struct ofconn *next;
};

struct ofbr {
	char name[IFNAMSIZ];
	struct target targets[OFCONN_MAX_TARGETS];
	size_t n_targets;
	struct listener *mgmt;
	struct ofp_roles roles;
	struct ofproto_ports ports;	/* as PORT_STATUS last told them */
	long long mgmt_retry_ms;
	bool mgmt_warned;
	uint32_t probe_ms;		/* the bridge's inactivity-probe; 0 none */
	long long up_ms;		/* an active connection last up (fail-open.c) */
	bool gone;
	struct ofbr *next;
};

extern struct ofbr *ofbrs;
extern struct ofconn *conns;

/* Handles what @events say is ready on @c (0: only flushes and takes
 * held requests); may free @c. */
void conn_event(struct ofconn *c, uint32_t events);

/* ofconn-async.c */
void ofconn_deliver_pins(void);
void ofconn_deliver_removed(void);
/* At most every TICK_MS. */
void ofconn_port_status(void);

#endif /* VSWD_OFCONN_PRIVATE_H */
