// SPDX-License-Identifier: GPL-2.0
/*
 * The channels' asynchronous messages (ofconn-private.h): PACKET_IN
 * from the queue the handler threads fill (ofproto-pin.c), PORT_STATUS
 * from the ports' changes (ofproto-ports.c), each to the connections of
 * its bridge whose SET_ASYNC masks (by role) ask for its reason.
 */
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "ofconn-private.h"
#include "util.h"
#include "vswitchd.h"

/* --- PACKET_IN --------------------------------------------------------- */

/* Whether @c asked for PACKET_INs of @reason (SET_ASYNC, by role). */
static bool wants_pin(const struct ofconn *c, uint8_t reason)
{
	uint32_t mask = c->s.async.packet_in[c->s.role == OFPCR13_ROLE_SLAVE];

	return c->hello_done && !c->closing && reason < 32 &&
	       (mask & (1u << reason));
}

/* Queues @p to every connection of its bridge that wants it; returns how
 * many were skipped because their output queue was full. */
static uint64_t send_pin(const struct ofproto_pin *p)
{
	struct ofp13_pin m = {
		.reason = p->c.reason, .table_id = p->c.table,
		.cookie = p->cookie, .in_port = p->in_port,
		.total_len = p->total_len, .data = p->data, .len = p->len,
	};
	struct ofconn *c, *next;
	uint64_t unsent = 0;

	for (c = conns; c; c = next) {
		next = c->next;
		if (strcmp(c->br->name, p->br) || !wants_pin(c, m.reason))
			continue;
		if (c->tx.size - c->tx_off >= TX_PAUSE) {
			unsent++;
			continue;
		}
		if (ofp13_encode_packet_in(&c->tx, &m))
			unsent++;
		conn_event(c, 0);	/* may free c */
	}
	return unsent;
}

void ofconn_deliver_pins(void)
{
	struct ofproto_pin *all = ofproto_pin_take(), *p, *next;
	uint64_t unsent = 0;

	if (!all)
		return;
	vswd_lock();
	for (p = all; p; p = p->next)
		ofproto_pin_resolve(p);
	vswd_unlock();
	for (p = all; p; p = next) {
		next = p->next;
		unsent += send_pin(p);
		free(p);
	}
	if (unsent)
		ofproto_pin_count_unsent(unsent);
}

/* --- FLOW_REMOVED -------------------------------------------------------- */

void ofconn_deliver_removed(void)
{
	struct ofproto_removed *all = ofproto_removed_take(), *x, *next;
	struct ofconn *c, *cnext;

	for (x = all; x; x = next) {
		next = x->next;
		for (c = conns; c; c = c->next) {
			uint32_t mask = c->s.async.flow_removed[c->s.role == OFPCR13_ROLE_SLAVE];

			if (!strcmp(c->br->name, x->br) && c->hello_done &&
			    !c->closing && c->tx.size - c->tx_off < TX_PAUSE &&
			    (mask & (1u << x->m.reason)))
				ofp13_encode_flow_removed(&c->tx, &x->m);
		}
		free(x);
	}
	for (c = conns; all && c; c = cnext) {
		cnext = c->next;
		if (c->tx_off < c->tx.size)
			conn_event(c, 0);	/* may free c */
	}
}

/* --- PORT_STATUS --------------------------------------------------------- */

static void emit_port_status(uint8_t reason, const struct ofp13_port *desc,
			     void *aux)
{
	struct ofbr *b = aux;
	struct ofconn *c;

	for (c = conns; c; c = c->next) {
		uint32_t mask = c->s.async.port_status[c->s.role == OFPCR13_ROLE_SLAVE];

		if (c->br == b && c->hello_done && !c->closing &&
		    (mask & (1u << reason)))
			ofp13_encode_port_status(&c->tx, reason, desc);
	}
}

/* Tells the connections of each bridge what changed in its ports since
 * the last tick; a bridge without connections keeps no view. */
void ofconn_port_status(void)
{
	struct ofconn *c, *next;
	struct bridge *br;
	struct ofbr *b;
	static long long next_ms;
	long long now = vsw_time_msec();

	if (now < next_ms)
		return;
	next_ms = now + TICK_MS;

	for (b = ofbrs; b; b = b->next) {
		bool connected = false;

		for (c = conns; c && !connected; c = c->next)
			connected = c->br == b && c->hello_done;
		if (!connected) {
			ofproto_ports_clear(&b->ports);
			continue;
		}
		vswd_lock();
		br = bridge_find(b->name);
		if (br)
			ofproto_ports_diff(br, &b->ports, emit_port_status, b);
		vswd_unlock();
	}
	for (c = conns; c; c = next) {
		next = c->next;
		if (c->tx_off < c->tx.size)
			conn_event(c, 0);	/* may free c */
	}
}

