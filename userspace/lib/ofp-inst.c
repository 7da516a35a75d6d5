// SPDX-License-Identifier: GPL-2.0
/*
 * OpenFlow 1.3 instructions and actions <-> struct ofpacts.
 *
 * vswitch's rule carries one action list, executed in order, whose last
 * entry may be goto_table. The instructions map onto it as follows:
 * apply_actions are the list; write_actions, only without goto_table (no
 * action set is carried from table to table), are the action set put in
 * the specification's execution order and appended, as the set runs when
 * the pipeline ends after this table; clear_actions empties a set that is
 * always empty here (no rule can leave actions in it for a later table);
 * write_metadata comes after them (the text syntax puts it last, before
 * goto_table, as ovs-ofctl requires); goto_table ends the list. Meter is
 * refused.
 */
#include <string.h>
#include "ofp-msg.h"
#include "util.h"

static ofperr bad_action(int code)
{
	return OFPERR(OFPET13_BAD_ACTION, code);
}

static ofperr bad_inst(int code)
{
	return OFPERR(OFPET13_BAD_INSTRUCTION, code);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static ofperr push(struct ofpacts *acts, enum ofpact_type t, struct ofpact **a)
{
	*a = ofpacts_push(acts, t);
	return *a ? 0 : OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
}

static ofperr dec_output(const uint8_t *p, size_t len, bool packet_out,
			 struct ofpacts *acts)
{
	uint32_t wire = get32(p + 4), port;
	struct ofpact *a;

	if (len != 16)
		return bad_action(OFPBAC13_BAD_LEN);
	if (ofp13_port_from_wire(wire, &port) || port == OFPP_NONE ||
	    (port == OFPP_TABLE && !packet_out))
		return bad_action(OFPBAC13_BAD_OUT_PORT);
	if (port == OFPP_CONTROLLER) {
		uint16_t max_len = get16(p + 8);

		/* above OFPCML_MAX only NO_BUFFER (the whole packet) */
		if (max_len > OFPCML13_MAX && max_len != OFPCML13_NO_BUFFER)
			return bad_action(OFPBAC13_BAD_ARGUMENT);
		if (push(acts, OFPACT_CONTROLLER, &a))
			return bad_action(OFPBAC13_TOO_MANY);
		a->max_len = max_len;
		return 0;
	}
	if (push(acts, OFPACT_OUTPUT, &a))
		return bad_action(OFPBAC13_TOO_MANY);
	a->port = port;
	a->out_max_len = get16(p + 8);
	return 0;
}

/* BAD_MATCH codes of a set_field's OXM, as BAD_ACTION codes. */
static ofperr set_field_err(ofperr e)
{
	switch (ofperr_code(e)) {
	case OFPBMC13_BAD_LEN: return bad_action(OFPBAC13_BAD_SET_LEN);
	case OFPBMC13_BAD_FIELD: return bad_action(OFPBAC13_BAD_SET_TYPE);
	default: return bad_action(OFPBAC13_BAD_SET_ARGUMENT);
	}
}

static ofperr dec_set_field(const uint8_t *p, size_t len, const struct match *m,
			    struct ofpacts *acts)
{
	const struct ofp_field *mf;
	enum ofp_field_id id;
	struct match tmp;
	struct ofpact *a;
	size_t oxm_len;
	ofperr err;

	if (len < 8)
		return bad_action(OFPBAC13_BAD_LEN);
	if (p[6] & 1)			/* hasmask: OpenFlow 1.3 sets whole fields */
		return bad_action(OFPBAC13_BAD_SET_ARGUMENT);
	memset(&tmp, 0, sizeof(tmp));
	err = ofp13_decode_oxm(p + 4, len - 4, &tmp, &id, &oxm_len);
	if (err)
		return set_field_err(err);
	if ((4 + oxm_len + 7) / 8 * 8 != len)
		return bad_action(OFPBAC13_BAD_SET_LEN);
	mf = ofp_field_from_id(id);
	if (!mf->writable)
		return bad_action(OFPBAC13_BAD_SET_TYPE);
	if (m && id != MFF_VLAN_VID && id != MFF_VLAN_PCP &&
	    !ofp_field_prereq_ok(mf, m))
		return bad_action(OFPBAC13_MATCH_INCONSISTENT);
	if (push(acts, OFPACT_SET_FIELD, &a))
		return bad_action(OFPBAC13_TOO_MANY);
	a->spelling = OFPACT_SP_SET_FIELD;
	a->set.field = id;
	ofp_field_get(mf, &tmp.flow, &a->set.value);
	return 0;
}

/* Nicira's resubmit, ct and ct_clear, as Open vSwitch sends them. */
static ofperr dec_experimenter(const uint8_t *p, size_t len,
			       const struct match *m, struct ofpacts *acts)
{
	uint16_t subtype;
	struct ofpact *a;

	if (len < 16)
		return bad_action(OFPBAC13_BAD_LEN);
	if (get32(p + 4) != NX13_VENDOR_ID)
		return bad_action(OFPBAC13_BAD_EXPERIMENTER);
	subtype = get16(p + 8);
	if (subtype == NXAST13_CT)
		return ofp13_decode_nx_ct(p, len, acts);
	if (subtype == NXAST13_CT_CLEAR)
		return ofp13_decode_nx_ct_clear(len, acts);
	if (ofp13_is_nx_reg(subtype))
		return ofp13_decode_nx_reg(subtype, p, len, m, acts);
	if (subtype != NXAST13_RESUBMIT && subtype != NXAST13_RESUBMIT_TABLE)
		return bad_action(OFPBAC13_BAD_EXP_TYPE);
	if (len != 16)
		return bad_action(OFPBAC13_BAD_LEN);
	if (get16(p + 10) > OFPP_MAX && get16(p + 10) != OFPP_IN_PORT &&
	    get16(p + 10) != OFPP_LOCAL)
		return bad_action(OFPBAC13_BAD_OUT_PORT);
	if (push(acts, OFPACT_RESUBMIT, &a))
		return bad_action(OFPBAC13_TOO_MANY);
	a->resubmit.port = get16(p + 10);
	a->resubmit.table = subtype == NXAST13_RESUBMIT ? OFP_TABLE_CURRENT : p[12];
	return 0;
}

static ofperr dec_simple(uint16_t type, const uint8_t *p, size_t len,
			 struct ofpacts *acts)
{
	struct ofpact *a;
	uint16_t ethertype;

	if (len != 8)
		return bad_action(OFPBAC13_BAD_LEN);
	switch (type) {
	case OFPAT13_PUSH_VLAN:
		ethertype = get16(p + 4);
		if (ethertype != ETH_TYPE_VLAN)	/* 802.1ad not in the datapath yet */
			return bad_action(OFPBAC13_BAD_ARGUMENT);
		if (push(acts, OFPACT_PUSH_VLAN, &a))
			break;
		a->ethertype = ethertype;
		return 0;
	case OFPAT13_POP_VLAN:
		if (push(acts, OFPACT_STRIP_VLAN, &a))
			break;
		a->spelling = OFPACT_SP_POP_VLAN;
		return 0;
	case OFPAT13_SET_NW_TTL:
		if (push(acts, OFPACT_SET_FIELD, &a))
			break;
		a->spelling = OFPACT_SP_MOD;
		a->set.field = MFF_IP_TTL;
		a->set.value.u8 = p[4];
		return 0;
	case OFPAT13_DEC_NW_TTL:
		if (push(acts, OFPACT_DEC_TTL, &a))
			break;
		return 0;
	case OFPAT13_GROUP:	/* whether it exists is the switch's to say */
		if (get32(p + 4) > 0xffffff00u)
			return bad_action(OFPBAC13_BAD_OUT_GROUP);
		if (push(acts, OFPACT_GROUP, &a))
			break;
		a->group_id = get32(p + 4);
		return 0;
	}
	return bad_action(OFPBAC13_TOO_MANY);
}

static ofperr dec_action(const uint8_t *p, size_t len, const struct match *m,
			 bool packet_out, struct ofpacts *acts)
{
	uint16_t type = get16(p);

	switch (type) {
	case OFPAT13_OUTPUT:
		return dec_output(p, len, packet_out, acts);
	case OFPAT13_SET_FIELD:
		return dec_set_field(p, len, m, acts);
	case OFPAT13_PUSH_VLAN:
	case OFPAT13_POP_VLAN:
	case OFPAT13_SET_NW_TTL:
	case OFPAT13_DEC_NW_TTL:
	case OFPAT13_GROUP:
		return dec_simple(type, p, len, acts);
	case OFPAT13_EXPERIMENTER:
		return dec_experimenter(p, len, m, acts);
	default:	/* MPLS, PBB, queues, TTL copies, unknown */
		return bad_action(OFPBAC13_BAD_TYPE);
	}
}

ofperr ofp13_decode_actions(const uint8_t *p, size_t len,
			    const struct match *m, bool packet_out,
			    struct ofpacts *acts)
{
	size_t off, alen;
	ofperr err;

	for (off = 0; off < len; off += alen) {
		if (len - off < 8)
			return bad_action(OFPBAC13_BAD_LEN);
		alen = get16(p + off + 2);
		if (alen < 8 || alen % 8 || alen > len - off)
			return bad_action(OFPBAC13_BAD_LEN);
		err = dec_action(p + off, alen, m, packet_out, acts);
		if (err)
			return err;
	}
	return 0;
}

/* The action set's execution order (OpenFlow 1.3.5, 5.10), for the
 * actions vswitch has. Other actions cannot be in a set. */
static int set_rank(const struct ofpact *a)
{
	switch (a->type) {
	case OFPACT_STRIP_VLAN: return 1;
	case OFPACT_PUSH_VLAN: return 2;
	case OFPACT_DEC_TTL: return 3;
	case OFPACT_SET_FIELD: return 4;
	case OFPACT_OUTPUT: return 5;
	case OFPACT_CONTROLLER: return 5;
	case OFPACT_GROUP: return 6;	/* the set's output is the group's */
	default: return 0;
	}
}

/* Two actions occupy the same slot of a set: one per type, one
 * set_field per field. */
static bool same_slot(const struct ofpact *a, const struct ofpact *b)
{
	if (set_rank(a) == 5 && set_rank(b) == 5)	/* one output */
		return true;
	return a->type == b->type &&
	       (a->type != OFPACT_SET_FIELD || a->set.field == b->set.field);
}

/* write_actions: @list's actions into a set (a later action replaces an
 * earlier one of its slot), appended to @acts in execution order. */
static ofperr append_set(const struct ofpacts *list, struct ofpacts *acts)
{
	struct ofpact set[8];
	size_t n = 0, i, j;
	bool has_group = false;
	struct ofpact *a;

	for (i = 0; i < list->n; i++) {
		if (!set_rank(&list->a[i]))
			return bad_inst(OFPBIC13_UNSUP_INST);
		for (j = 0; j < n && !same_slot(&set[j], &list->a[i]); j++)
			;
		if (j == ARRAY_SIZE(set))
			return bad_action(OFPBAC13_TOO_MANY);
		set[j] = list->a[i];
		n += j == n;
	}
	for (i = 0; i < n; i++)
		has_group |= set[i].type == OFPACT_GROUP;
	for (int rank = 1; rank <= 6; rank++)
		for (i = 0; i < n; i++) {
			if (set_rank(&set[i]) != rank)
				continue;
			if (rank == 5 && has_group)	/* the group wins (5.10) */
				continue;
			if (push(acts, set[i].type, &a))
				return bad_action(OFPBAC13_TOO_MANY);
			*a = set[i];
		}
	return 0;
}

struct inst_state {
	unsigned seen;			/* bit per instruction type */
	int goto_table;			/* -1: none */
	struct ofpacts *written;	/* write_actions, or NULL */
	struct ofpacts *metadata;	/* write_metadata, or NULL */
};

static ofperr dec_instruction(const uint8_t *p, size_t len, uint8_t table,
			      const struct match *m, struct inst_state *st,
			      struct ofpacts *acts)
{
	uint16_t type = get16(p);

	if (type >= OFPIT13_GOTO_TABLE && type <= OFPIT13_METER) {
		if (st->seen & (1u << type))
			return bad_inst(OFPBIC13_UNSUP_INST);
		st->seen |= 1u << type;
	}
	switch (type) {
	case OFPIT13_GOTO_TABLE:
		if (len != 8)
			return bad_inst(OFPBIC13_BAD_LEN);
		if (p[4] <= table || p[4] >= OFP_N_TABLES)
			return bad_inst(OFPBIC13_BAD_TABLE_ID);
		st->goto_table = p[4];
		return 0;
	case OFPIT13_APPLY_ACTIONS:
		return ofp13_decode_actions(p + 8, len - 8, m, false, acts);
	case OFPIT13_WRITE_ACTIONS:
		st->written = ofpacts_new();
		if (!st->written)
			return bad_action(OFPBAC13_TOO_MANY);
		return ofp13_decode_actions(p + 8, len - 8, m, false, st->written);
	case OFPIT13_CLEAR_ACTIONS:
		return len == 8 ? 0 : bad_inst(OFPBIC13_BAD_LEN);
	case OFPIT13_WRITE_METADATA:
		st->metadata = ofpacts_new();
		if (!st->metadata)
			return bad_action(OFPBAC13_TOO_MANY);
		return ofp13_decode_write_metadata(p, len, st->metadata);
	case OFPIT13_METER:
		return bad_inst(OFPBIC13_UNSUP_INST);
	case OFPIT13_EXPERIMENTER:
		return bad_inst(OFPBIC13_BAD_EXPERIMENTER);
	default:
		return bad_inst(OFPBIC13_UNKNOWN_INST);
	}
}

static ofperr finish_instructions(struct inst_state *st, struct ofpacts *acts)
{
	struct ofpact *a;
	ofperr err;

	if (st->written) {
		if (st->goto_table >= 0)
			return bad_inst(OFPBIC13_UNSUP_INST);
		err = append_set(st->written, acts);
		if (err)
			return err;
	}
	/* after the set, which cannot read it: what goto_table's table sees */
	if (st->metadata) {
		if (push(acts, OFPACT_WRITE_METADATA, &a))
			return bad_action(OFPBAC13_TOO_MANY);
		*a = st->metadata->a[0];
	}
	if (st->goto_table >= 0) {
		if (push(acts, OFPACT_GOTO_TABLE, &a))
			return bad_action(OFPBAC13_TOO_MANY);
		a->table = (uint8_t)st->goto_table;
	}
	return 0;
}

ofperr ofp13_decode_instructions(const uint8_t *p, size_t len, uint8_t table,
				 const struct match *m, struct ofpacts **out)
{
	struct inst_state st = { 0, -1, NULL, NULL };
	struct ofpacts *acts = ofpacts_new();
	size_t off, ilen;
	ofperr err = 0;

	if (!acts)
		return bad_action(OFPBAC13_TOO_MANY);
	for (off = 0; off < len && !err; off += ilen) {
		if (len - off < 8) {
			err = bad_inst(OFPBIC13_BAD_LEN);
			break;
		}
		ilen = get16(p + off + 2);
		if (ilen < 8 || ilen % 8 || ilen > len - off) {
			err = bad_inst(OFPBIC13_BAD_LEN);
			break;
		}
		err = dec_instruction(p + off, ilen, table, m, &st, acts);
	}
	if (!err)
		err = finish_instructions(&st, acts);
	ofpacts_free(st.written);
	ofpacts_free(st.metadata);
	if (err) {
		ofpacts_free(acts);
		return err;
	}
	*out = acts;
	return 0;
}

/* --- encoding ----------------------------------------------------------- */

static void put_tlv(struct ofpbuf *b, uint16_t type, uint16_t len)
{
	struct ofp13_tlv t = { htons(type), htons(len) };

	ofpbuf_put(b, &t, sizeof(t));
}

/* An 8-byte action whose body is @v (2 bytes at offset 4) or nothing. */
static void put_short(struct ofpbuf *b, uint16_t type, uint16_t v16, uint8_t v8,
		      bool is16)
{
	uint8_t body[4] = { 0 };

	put_tlv(b, type, 8);
	if (is16) {
		body[0] = (uint8_t)(v16 >> 8);
		body[1] = (uint8_t)v16;
	} else {
		body[0] = v8;
	}
	ofpbuf_put(b, body, sizeof(body));
}

static void put_output(struct ofpbuf *b, uint32_t port, uint16_t max_len_h)
{
	uint8_t body[12] = { 0 };
	uint32_t wire = htonl(ofp13_port_to_wire(port));
	uint16_t max_len = htons(max_len_h);

	put_tlv(b, OFPAT13_OUTPUT, 16);
	memcpy(body, &wire, 4);
	memcpy(body + 4, &max_len, 2);
	ofpbuf_put(b, body, sizeof(body));
}

static void put_group(struct ofpbuf *b, uint32_t id)
{
	uint32_t v = htonl(id);

	put_tlv(b, OFPAT13_GROUP, 8);
	ofpbuf_put(b, &v, sizeof(v));
}

static void put_resubmit(struct ofpbuf *b, const struct ofpact *a)
{
	uint8_t body[12] = { 0 };
	uint32_t vendor = htonl(NX13_VENDOR_ID);
	uint16_t sub = htons(NXAST13_RESUBMIT_TABLE), port = htons((uint16_t)a->resubmit.port);

	put_tlv(b, OFPAT13_EXPERIMENTER, 16);
	memcpy(body, &vendor, 4);
	memcpy(body + 4, &sub, 2);
	memcpy(body + 6, &port, 2);
	body[8] = a->resubmit.table;
	ofpbuf_put(b, body, sizeof(body));
}

static ofperr put_set_field(struct ofpbuf *b, enum ofp_field_id id,
			    const union ofp_field_value *v, const struct match *m)
{
	size_t start = b->size;
	ofperr err;

	put_tlv(b, OFPAT13_SET_FIELD, 0);
	err = ofp13_encode_set_field_oxm(b, id, v, m);
	if (err) {
		b->size = start;
		return err;
	}
	ofpbuf_pad8(b, start);
	if (!b->oom) {
		uint16_t len = htons((uint16_t)(b->size - start));

		memcpy(b->data + start + 2, &len, 2);
	}
	return 0;
}

static bool match_has_tag(const struct match *m)
{
	return m->mask.vlan_tci & m->flow.vlan_tci & htons(VSW_VLAN_PRESENT);
}

/* mod_vlan_vid/mod_vlan_pcp push a tag when there is none: as Open
 * vSwitch does, a push_vlan comes first unless the packet is known to be
 * tagged here (@tagged: the match requires a tag, or an earlier action
 * pushed one). */
static ofperr put_vlan_mod(struct ofpbuf *b, const struct ofpact *a,
			   const struct match *m, bool *tagged)
{
	union ofp_field_value v;

	memset(&v, 0, sizeof(v));
	if (!*tagged)
		put_short(b, OFPAT13_PUSH_VLAN, ETH_TYPE_VLAN, 0, true);
	*tagged = true;
	if (a->type == OFPACT_SET_VLAN_VID) {
		v.be16 = a->vid;
		return put_set_field(b, MFF_VLAN_VID, &v, m);
	}
	v.u8 = a->pcp;
	return put_set_field(b, MFF_VLAN_PCP, &v, m);
}

static ofperr enc_action(struct ofpbuf *b, const struct ofpact *a,
			 const struct match *m, bool *tagged)
{
	switch (a->type) {
	case OFPACT_OUTPUT:
		put_output(b, a->port, a->out_max_len);
		return 0;
	case OFPACT_CONTROLLER:
		put_output(b, OFPP_CONTROLLER, a->max_len);
		return 0;
	case OFPACT_RESUBMIT:
		put_resubmit(b, a);
		return 0;
	case OFPACT_PUSH_VLAN:
		put_short(b, OFPAT13_PUSH_VLAN, a->ethertype, 0, true);
		*tagged = true;
		return 0;
	case OFPACT_STRIP_VLAN:
		put_short(b, OFPAT13_POP_VLAN, 0, 0, false);
		*tagged = false;
		return 0;
	case OFPACT_SET_VLAN_VID:
	case OFPACT_SET_VLAN_PCP:
		return put_vlan_mod(b, a, m, tagged);
	case OFPACT_SET_FIELD:
		if (a->set.field == MFF_IP_TTL) {
			put_short(b, OFPAT13_SET_NW_TTL, 0, a->set.value.u8, false);
			return 0;
		}
		return put_set_field(b, a->set.field, &a->set.value, m);
	case OFPACT_DEC_TTL:
		put_short(b, OFPAT13_DEC_NW_TTL, 0, 0, false);
		return 0;
	case OFPACT_CT:
		ofp13_encode_nx_ct(b, a);
		return 0;
	case OFPACT_GROUP:
		put_group(b, a->group_id);
		return 0;
	case OFPACT_CT_CLEAR:
		ofp13_encode_nx_ct_clear(b);
		return 0;
	case OFPACT_LOAD:
		ofp13_encode_nx_load(b, a);
		return 0;
	case OFPACT_MOVE:
		ofp13_encode_nx_move(b, a);
		return 0;
	case OFPACT_GOTO_TABLE:		/* instructions, never actions */
	case OFPACT_WRITE_METADATA:
		break;
	}
	return bad_inst(OFPBIC13_UNSUP_INST);
}

/* Encodes @acts' first @n actions. */
static ofperr enc_actions_n(struct ofpbuf *b, const struct ofpacts *acts,
			    size_t n, const struct match *m)
{
	bool tagged = match_has_tag(m);
	ofperr err;

	for (size_t i = 0; i < n; i++) {
		err = enc_action(b, &acts->a[i], m, &tagged);
		if (err)
			return err;
	}
	return 0;
}

ofperr ofp13_encode_actions(struct ofpbuf *b, const struct ofpacts *acts,
			    const struct match *m)
{
	return enc_actions_n(b, acts, acts ? acts->n : 0, m);
}

ofperr ofp13_encode_instructions(struct ofpbuf *b, const struct ofpacts *acts,
				 const struct match *m)
{
	size_t n = acts ? acts->n : 0, start = b->size;
	const struct ofpact *last = n ? &acts->a[n - 1] : NULL;
	bool go = last && last->type == OFPACT_GOTO_TABLE;
	const struct ofpact *wm = n > (size_t)go ? &acts->a[n - 1 - go] : NULL;
	uint8_t body[4] = { 0 };
	ofperr err;

	if (wm && wm->type != OFPACT_WRITE_METADATA)
		wm = NULL;
	n -= wm != NULL;
	if (n > (size_t)go) {
		uint16_t len;

		put_tlv(b, OFPIT13_APPLY_ACTIONS, 0);
		ofpbuf_put(b, body, sizeof(body));
		err = enc_actions_n(b, acts, n - go, m);
		if (err) {
			b->size = start;
			return err;
		}
		len = htons((uint16_t)(b->size - start));
		if (!b->oom)
			memcpy(b->data + start + 2, &len, 2);
	}
	if (wm)
		ofp13_encode_write_metadata(b, wm);
	if (go) {
		put_tlv(b, OFPIT13_GOTO_TABLE, 8);
		body[0] = last->table;
		ofpbuf_put(b, body, sizeof(body));
	}
	return 0;
}
