/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OpenFlow 1.3 switch behind a channel (ofproto.c, ofproto-stats.c):
 * one message in, its replies (or an ERROR) out. See docs/openflow.md for
 * what is answered and with which error the rest is refused.
 */
#ifndef VSWD_OFPROTO_H
#define VSWD_OFPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net/if.h>

#include "ofp-msg.h"
#include "ofp-pin.h"

struct ofpbuf;
struct bridge;
struct port;
struct ofp13_mp_request;
struct dpif_upcall;

/* A bridge's master election: the highest generation id seen. */
struct ofp_roles {
	bool gen_set;
	uint64_t gen;
};

/* What ofproto.c keeps of a connection between messages. */
struct ofp_session {
	struct ofp_roles *roles;	/* the bridge's, owned by ofconn.c */
	uint32_t role;			/* OFPCR13_ROLE_EQUAL, MASTER, SLAVE */
	bool became_master;		/* ofconn.c demotes the other masters */
	struct ofp13_async async;	/* SET_ASYNC's masks */
	uint16_t miss_send_len;		/* SET_CONFIG's, default 128 */
	bool changed;			/* a rule changed since the last barrier */
	bool barrier_wait;		/* a BARRIER_REQUEST waits for ... */
	uint32_t barrier_xid;
	uint64_t barrier_ticket;	/* ... this revalidator pass */
};

void ofp_session_init(struct ofp_session *, struct ofp_roles *);

/* Handles @msg (a whole message, header checked, version not) from a peer
 * of bridge @br; appends replies to @tx. Takes vswd.mutex. A
 * BARRIER_REQUEST sets barrier_wait: the caller holds further messages
 * and sends the reply once reval_sync_done(barrier_ticket). */
void ofproto_handle(const char *br, struct ofp_session *, const uint8_t *msg,
		    size_t len, struct ofpbuf *tx);

/* Rules changed through OpenFlow since the last call: the caller saves
 * the state (at most once a second). */
bool ofproto_take_dirty(void);

/* MULTIPART replies (ofproto-stats.c). Called with vswd.mutex held;
 * return 0 or the error to answer with. */
uint32_t ofproto_multipart(struct bridge *br, const struct ofp13_mp_request *,
			   uint32_t xid, struct ofpbuf *tx);
/* Groups (ofproto-group.c): GROUP_MOD, and the GROUP, GROUP_DESC and
 * GROUP_FEATURES replies. Called with vswd.mutex held. */
uint32_t ofproto_group_mod(struct bridge *br, const uint8_t *msg, size_t len);
struct ofp13_mp_writer;
uint32_t ofproto_put_group_stats(struct ofp13_mp_writer *, struct bridge *,
				 const struct ofp13_mp_request *);
uint32_t ofproto_put_group_descs(struct ofp13_mp_writer *, struct bridge *,
				 const struct ofp13_mp_request *);
uint32_t ofproto_put_group_features(struct ofp13_mp_writer *, struct bridge *,
				    const struct ofp13_mp_request *);
/* PACKET_OUT (ofproto-packet-out.c). Called with vswd.mutex held;
 * returns 0 or the error to answer with. */
uint32_t ofproto_packet_out(struct bridge *br, const uint8_t *msg, size_t len);
/* FLOW_REMOVED (ofproto-removed.c). ofproto_rule_removed() describes
 * rule @r of bridge @br, about to go for @reason (OFPRR13_*), if it was
 * added with SEND_FLOW_REM; any thread, with vswd.mutex held. The main
 * thread polls ofproto_removed_open()'s eventfd and takes the
 * descriptions, oldest first, each to free(). */
struct rule;
struct ofproto_removed {
	struct ofproto_removed *next;
	char br[IFNAMSIZ];
	struct ofp13_flow_removed_msg m;
};

int ofproto_removed_open(void);		/* the eventfd, or -errno */
void ofproto_removed_close(void);
void ofproto_rule_removed(const char *br, const struct rule *r, uint8_t reason,
			  long long now_ms);
/* Why expiring rule @r goes: OFPRR13_HARD_TIMEOUT or IDLE_TIMEOUT. */
uint8_t ofproto_expiry_reason(const struct rule *r, long long now_ms);
struct ofproto_removed *ofproto_removed_take(void);

/* @name's ofp_port as PORT_DESC and PORT_STATUS describe it: MAC and
 * link state from the interface when @present (ofproto-stats.c). */
void ofproto_port_desc(const char *name, uint32_t ofport, bool present,
		       struct ofp13_port *p);
/* Bridge port @bp's: as ofproto_port_desc(), and a patch port is LIVE
 * while it forwards. */
void ofproto_bridge_port_desc(const struct bridge *br, const struct port *bp,
			      struct ofp13_port *p);

/* PORT_STATUS (ofproto-ports.c): the ports of a bridge as last seen.
 * ofproto_ports_diff() compares them with the bridge's ports now and
 * calls @emit for each port added, deleted or modified (link state, MAC,
 * name), then keeps the new view; its first call only takes the view.
 * Called with vswd.mutex held. */
struct ofproto_ports {
	struct ofp13_port *v;
	size_t n;
	bool valid;
};

typedef void ofproto_port_emit(uint8_t reason, const struct ofp13_port *,
			       void *aux);
void ofproto_ports_diff(struct bridge *br, struct ofproto_ports *,
			ofproto_port_emit *emit, void *aux);
void ofproto_ports_clear(struct ofproto_ports *);

/* The datapath id: the local port's MAC (low 48 bits), else a hash of
 * the bridge name. */
uint64_t ofproto_datapath_id(const struct bridge *br);

/* PACKET_IN (ofproto-pin.c; the limits are described there). The
 * handler threads submit the packets of VSW_CMD_ACTION upcalls; the main
 * thread (ofconn.c) polls ofproto_pin_open()'s eventfd and takes them
 * all, oldest first, each to free(). */
struct ofproto_pin {
	struct ofproto_pin *next;
	char br[IFNAMSIZ];
	struct ofp_pin_cookie c;
	uint32_t in_port;
	size_t total_len, len;		/* the frame's, and what is kept */
	uint64_t cookie;		/* the rule's: ofproto_pin_resolve() */
	uint8_t data[];
};

struct ofproto_pin_stats {
	uint64_t queued;		/* handed to the channels */
	uint64_t dropped_rate;		/* over a port's rate */
	uint64_t dropped_queue;		/* the queue was full */
	uint64_t dropped_channel;	/* a controller's queue was full */
};

int ofproto_pin_open(void);		/* the eventfd, or -errno */
void ofproto_pin_close(void);
/* Any thread, vswd.mutex not needed. */
void ofproto_pin_submit(const char *dp, const struct dpif_upcall *up);
struct ofproto_pin *ofproto_pin_take(void);
void ofproto_pin_count_unsent(uint64_t n);
struct ofproto_pin_stats ofproto_pin_stats(void);
/* Sets @p->cookie from the rule that sent it (-1 when it is gone or was
 * a PACKET_OUT's). Called with vswd.mutex held (ofproto.c). */
void ofproto_pin_resolve(struct ofproto_pin *p);

#endif /* VSWD_OFPROTO_H */
