/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OpenFlow 1.3 codec: messages between their wire form (ofp13.h) and
 * vswitch's own model (struct match, struct ofpacts, struct ofp_rule_spec).
 *
 * Decoders take a whole message (header included) and its length as
 * received, trust nothing in it, and return 0 or an ofperr: the OpenFlow
 * error type and code the switch answers with. Anything vswitch does not
 * support decodes to an error, never to a silently narrower rule.
 *
 * Encoders append to a struct ofpbuf; ofp13_msg_start()/ofp13_msg_finish()
 * bracket one message and fill in its length.
 */
#ifndef VSW_LIB_OFP_MSG_H
#define VSW_LIB_OFP_MSG_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "ofp13.h"
#include "ofp-parse.h"
#include "ofpact.h"

/* An OpenFlow error (type, code), or 0 for success. Bit 30 keeps
 * (HELLO_FAILED, INCOMPATIBLE) = (0, 0) distinct from success. */
typedef uint32_t ofperr;
#define OFPERR(type, code) (0x40000000u | (uint32_t)(type) << 16 | (uint16_t)(code))
static inline uint16_t ofperr_type(ofperr e) { return (e >> 16) & 0x3fff; }
static inline uint16_t ofperr_code(ofperr e) { return e & 0xffff; }
/* "OFPBMC_BAD_PREREQ" and the like; "OFPET_n/n" for ones it does not name. */
const char *ofperr_name(ofperr);

static inline uint64_t ofp_htonll(uint64_t v)
{
	return ((uint64_t)htonl((uint32_t)v) << 32) | htonl((uint32_t)(v >> 32));
}
#define ofp_ntohll ofp_htonll

/* A growable byte buffer. After an allocation failure @oom is set and
 * further puts are dropped; users check it once when the message is done. */
struct ofpbuf {
	uint8_t *data;
	size_t size, cap;
	bool oom;
};

void ofpbuf_init(struct ofpbuf *);
void ofpbuf_free(struct ofpbuf *);
void ofpbuf_clear(struct ofpbuf *);
/* Appends @n zero bytes; returns them, or NULL after an allocation failure. */
void *ofpbuf_put_zeros(struct ofpbuf *, size_t n);
void ofpbuf_put(struct ofpbuf *, const void *, size_t n);
/* Pads with zeros so that (size - @start) is a multiple of 8. */
void ofpbuf_pad8(struct ofpbuf *, size_t start);

/* Starts a message of @type at the end of @b; returns its offset for
 * ofp13_msg_finish(), which writes the length. finish fails (an ofperr of
 * BAD_REQUEST/BAD_LEN) when the message outgrew 65535 bytes or @b ran out
 * of memory; the caller then drops the message. */
size_t ofp13_msg_start(struct ofpbuf *b, uint8_t type, uint32_t xid);
ofperr ofp13_msg_finish(struct ofpbuf *b, size_t start);

/* Checks the header of @msg (@len bytes received, at least 8): length
 * field >= 8 and <= @len. Does not check the version (HELLO may carry
 * any). */
ofperr ofp13_check_header(const void *msg, size_t len);

/* Ports: the 32-bit OpenFlow 1.3 numbers to vswitch's 16-bit (OpenFlow
 * 1.0) numbering of lib/ofpact.h and back. Returns BAD_REQUEST/BAD_PORT
 * for numbers that name no port (0, above OFPP_MAX and not reserved). */
ofperr ofp13_port_from_wire(uint32_t wire, uint32_t *port);
uint32_t ofp13_port_to_wire(uint32_t port);

/* HELLO: offers OpenFlow 1.3 in a version bitmap. */
void ofp13_encode_hello(struct ofpbuf *, uint32_t xid);
/* OK when the peer's HELLO allows 1.3: its bitmap has bit 4, or, without
 * a bitmap, its header version is 4 or later. HELLO_FAILED/INCOMPATIBLE
 * otherwise, BAD_REQUEST/BAD_LEN for malformed elements. */
ofperr ofp13_decode_hello(const void *msg, size_t len);

/* ERROR carrying up to 64 bytes of the request @req that failed. */
void ofp13_encode_error(struct ofpbuf *, uint32_t xid, ofperr,
			const void *req, size_t req_len);
ofperr ofp13_decode_error(const void *msg, size_t len, uint16_t *type,
			  uint16_t *code);

/* ECHO_REQUEST or ECHO_REPLY with @n bytes of @data. */
void ofp13_encode_echo(struct ofpbuf *, uint8_t type, uint32_t xid,
		       const void *data, size_t n);

struct ofp13_features {
	uint64_t datapath_id;
	uint32_t n_buffers;
	uint8_t n_tables;
	uint32_t capabilities;
};
void ofp13_encode_features_reply(struct ofpbuf *, uint32_t xid,
				 const struct ofp13_features *);
ofperr ofp13_decode_features_reply(const void *msg, size_t len,
				   struct ofp13_features *);

/* GET_CONFIG_REPLY / SET_CONFIG. Decoding SET_CONFIG refuses fragment
 * handling other than OFPC_FRAG_NORMAL (SWITCH_CONFIG_FAILED/BAD_FLAGS). */
void ofp13_encode_switch_config(struct ofpbuf *, uint8_t type, uint32_t xid,
				uint16_t flags, uint16_t miss_send_len);
ofperr ofp13_decode_switch_config(const void *msg, size_t len,
				  uint16_t *flags, uint16_t *miss_send_len);

/* ROLE_REQUEST / ROLE_REPLY. Decoding refuses a role above SLAVE with
 * ROLE_REQUEST_FAILED/BAD_ROLE. */
void ofp13_encode_role(struct ofpbuf *, uint8_t type, uint32_t xid,
		       uint32_t role, uint64_t generation_id);
ofperr ofp13_decode_role(const void *msg, size_t len, uint32_t *role,
			 uint64_t *generation_id);

/* GET_ASYNC_REPLY / SET_ASYNC: three pairs of masks (master/equal, slave):
 * packet-in reasons, port-status reasons, flow-removed reasons. */
struct ofp13_async {
	uint32_t packet_in[2], port_status[2], flow_removed[2];
};
void ofp13_encode_async(struct ofpbuf *, uint8_t type, uint32_t xid,
			const struct ofp13_async *);
ofperr ofp13_decode_async(const void *msg, size_t len, struct ofp13_async *);

/* A message with nothing after its header (FEATURES_REQUEST, BARRIER_*,
 * GET_CONFIG_REQUEST...): BAD_REQUEST/BAD_LEN if it carries a body. */
ofperr ofp13_decode_empty(const void *msg, size_t len);

/* FLOW_MOD in vswitch's terms (ofp-flow-mod.c). spec.table_set is false
 * for table OFPTT_ALL (deletes only); spec.out_port is OFPP_NONE for
 * OFPP_ANY; spec.cookie/cookie_mask are the message's (a filter for
 * modify and delete; an add's mask is all ones). spec.acts is decoded for
 * adds and modifies (never NULL then; empty is drop) and NULL for deletes,
 * whose instructions OpenFlow ignores. A buffer_id other than NO_BUFFER is
 * BAD_REQUEST/BUFFER_UNKNOWN: vswitch buffers no packets. */
struct ofp13_flow_mod_msg {
	uint8_t command;		/* OFPFC13_* */
	uint16_t flags;			/* OFPFF13_* */
	uint32_t buffer_id;		/* always OFP13_NO_BUFFER once decoded */
	uint32_t out_group;		/* deletes: a group filter; OFPG13_ANY */
	struct ofp_rule_spec spec;	/* owned: ofp_rule_spec_free() */
};

/* Decodes @msg. On success the caller owns @fm->spec; on error nothing is
 * left to free. */
ofperr ofp13_decode_flow_mod(const void *msg, size_t len,
			     struct ofp13_flow_mod_msg *fm);
ofperr ofp13_encode_flow_mod(struct ofpbuf *, uint32_t xid,
			     const struct ofp13_flow_mod_msg *);

/* The OXM match (ofp-oxm.c). Decode reads the ofp_match at @p (@avail
 * bytes left in the message), sets @m and the bytes it took, padding
 * included, in @consumed. Encode appends the padded ofp_match; it fails
 * (BAD_MATCH/BAD_WILDCARDS) for a mask OpenFlow 1.3 cannot express. */
ofperr ofp13_decode_match(const uint8_t *p, size_t avail, struct match *m,
			  size_t *consumed);
ofperr ofp13_encode_match(struct ofpbuf *, const struct match *);
/* One OXM TLV at @p (@avail bytes) into @m, as inside a match or a
 * set_field (the caller checks prerequisites); @len gets its size. */
ofperr ofp13_decode_oxm(const uint8_t *p, size_t avail, struct match *m,
			enum ofp_field_id *id, size_t *len);
/* The OXM TLV of set_field @id := @v (no mask); 0 or an ofperr. */
ofperr ofp13_encode_set_field_oxm(struct ofpbuf *, enum ofp_field_id id,
				  const union ofp_field_value *v,
				  const struct match *m);

/* The OXM headers (network order, no mask) of every match field, or of
 * the set_field-writable ones, for TABLE_FEATURES; returns the count. */
size_t ofp13_oxm_headers(uint32_t *out, size_t max, bool writable_only);

/* Instructions and actions (ofp-inst.c). @table is the rule's table (for
 * goto_table's check), @m its match (for set_field's prerequisites).
 * Apply-actions come first, then a write-actions set in the order the
 * specification gives the action set, then goto_table. */
ofperr ofp13_decode_instructions(const uint8_t *p, size_t len, uint8_t table,
				 const struct match *m, struct ofpacts **out);
ofperr ofp13_encode_instructions(struct ofpbuf *, const struct ofpacts *,
				 const struct match *m);
/* A bare action list (PACKET_OUT, inside an instruction). @packet_out
 * allows output to OFPP_TABLE. Appends to @acts. */
ofperr ofp13_decode_actions(const uint8_t *p, size_t len,
			    const struct match *m, bool packet_out,
			    struct ofpacts *acts);
ofperr ofp13_encode_actions(struct ofpbuf *, const struct ofpacts *,
			    const struct match *m);

/* Nicira's ct (NXAST_CT, @p its whole action of @len bytes) and ct_clear
 * into @acts, and back (ofp-nx-ct.c). */
ofperr ofp13_decode_nx_ct(const uint8_t *p, size_t len, struct ofpacts *acts);
ofperr ofp13_decode_nx_ct_clear(size_t len, struct ofpacts *acts);
void ofp13_encode_nx_ct(struct ofpbuf *, const struct ofpact *ct);
void ofp13_encode_nx_ct_clear(struct ofpbuf *);

/* Nicira's register actions (ofp-nx-reg.c): NXAST_REG_LOAD and
 * NXAST_REG_MOVE (@p the whole action, @len bytes, @m the rule's match
 * for prerequisites or NULL) into @acts, and back; a load goes out as one
 * REG_LOAD per run of its mask (64 bits at most each). The
 * OFPIT_WRITE_METADATA instruction likewise. */
bool ofp13_is_nx_reg(uint16_t subtype);
ofperr ofp13_decode_nx_reg(uint16_t subtype, const uint8_t *p, size_t len,
			   const struct match *m, struct ofpacts *acts);
void ofp13_encode_nx_load(struct ofpbuf *, const struct ofpact *load);
void ofp13_encode_nx_move(struct ofpbuf *, const struct ofpact *move);
ofperr ofp13_decode_write_metadata(const uint8_t *p, size_t len,
				   struct ofpacts *acts);
void ofp13_encode_write_metadata(struct ofpbuf *, const struct ofpact *wm);

/* PACKET_IN (ofp-packet.c): buffer_id NO_BUFFER, the match only in_port
 * (vswitch numbering), @data the frame as sent (already cut to max_len),
 * @total_len its length before the cut. Decode is for tests and tools;
 * @data then points into the message. */
struct ofp13_pin {
	uint8_t reason;			/* OFPR13_* */
	uint8_t table_id;
	uint64_t cookie;
	uint32_t in_port;
	size_t total_len;
	const uint8_t *data;
	size_t len;
};

ofperr ofp13_encode_packet_in(struct ofpbuf *, const struct ofp13_pin *);
ofperr ofp13_decode_packet_in(const void *msg, size_t len, struct ofp13_pin *);

/* PACKET_OUT: @in_port a port, OFPP_LOCAL, OFPP_CONTROLLER or OFPP_NONE
 * (OFPP_ANY on the wire; whether a port exists is the switch's to check);
 * @acts owned by the caller once decoded (ofpacts_free()), output:TABLE
 * allowed; @data points into the message. A buffer_id other than
 * NO_BUFFER is BAD_REQUEST/BUFFER_UNKNOWN, a frame shorter than an
 * Ethernet header BAD_REQUEST/BAD_PACKET. */
struct ofp13_pout {
	uint32_t in_port;
	struct ofpacts *acts;
	const uint8_t *data;
	size_t len;
};

ofperr ofp13_decode_packet_out(const void *msg, size_t len, struct ofp13_pout *);
ofperr ofp13_encode_packet_out(struct ofpbuf *, uint32_t xid,
			       const struct ofp13_pout *);

/* PORT_STATUS (ofp-packet.c): @reason OFPPR13_*, @desc as PORT_DESC. */
ofperr ofp13_encode_port_status(struct ofpbuf *, uint8_t reason,
				const struct ofp13_port *desc);

/* FLOW_REMOVED: the rule as it was (@spec's cookie, priority, table,
 * timeouts and match), why it went, how long it lived, its counters. */
struct ofp13_flow_removed_msg {
	struct ofp_rule_spec spec;	/* acts unused (may be NULL) */
	uint8_t reason;			/* OFPRR13_* */
	long long age_ms;
	uint64_t packets, bytes;
};

ofperr ofp13_encode_flow_removed(struct ofpbuf *,
				 const struct ofp13_flow_removed_msg *);
ofperr ofp13_decode_flow_removed(const void *msg, size_t len,
				 struct ofp13_flow_removed_msg *);

#endif /* VSW_LIB_OFP_MSG_H */
