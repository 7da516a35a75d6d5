/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A controller action in the datapath: the translator (xlate.c) turns
 * it into VSW_ACTION_ATTR_USERSPACE whose 64-bit cookie says what the
 * PACKET_IN will carry; the kernel echoes it in the VSW_CMD_ACTION
 * upcall and the daemon (ofproto-pin.c) builds the message from it.
 *
 * Layout: max_len (16 bits) | reason (8) | table (8) | rule id (32, the
 * low bits of the pipeline's id of the rule that sent the packet, 0 for
 * a PACKET_OUT's actions). The rule's OpenFlow cookie is looked up when
 * the PACKET_IN is sent: a rule changed meanwhile reports cookie -1.
 */
#ifndef VSW_LIB_OFP_PIN_H
#define VSW_LIB_OFP_PIN_H

#include <stdbool.h>
#include <stdint.h>

struct ofp_pin_cookie {
	uint16_t max_len;		/* OFPACT_CONTROLLER_ALL: whole frame */
	uint8_t reason;			/* OFPR13_NO_MATCH, OFPR13_ACTION */
	uint8_t table;
	uint32_t rule_id;
};

static inline uint64_t ofp_pin_cookie_pack(const struct ofp_pin_cookie *c)
{
	return (uint64_t)c->max_len << 48 | (uint64_t)c->reason << 40 |
	       (uint64_t)c->table << 32 | c->rule_id;
}

static inline struct ofp_pin_cookie ofp_pin_cookie_unpack(uint64_t v)
{
	struct ofp_pin_cookie c = {
		.max_len = (uint16_t)(v >> 48),
		.reason = (uint8_t)(v >> 40),
		.table = (uint8_t)(v >> 32),
		.rule_id = (uint32_t)v,
	};

	return c;
}

/* The PACKET_IN rate limit (ofp-pin.c): a token bucket per ingress port
 * of OFP_PIN_RATE packets a second and bursts of OFP_PIN_BURST. */
#define OFP_PIN_RATE	500
#define OFP_PIN_BURST	100

struct ofp_pin_bucket {
	uint64_t milli;			/* tokens, in thousandths */
	long long last_ms;		/* 0: never used (full) */
};

/* True (and one token spent) when a packet may go at @now_ms. */
bool ofp_pin_bucket_take(struct ofp_pin_bucket *, long long now_ms);

#endif /* VSW_LIB_OFP_PIN_H */
