/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenFlow actions as parsed from ovs-ofctl syntax: a plain array. The
 * translator (xlate.c) turns them into datapath actions; ofp-print.c
 * writes them back in the syntax they came from.
 */
#ifndef VSW_LIB_OFPACT_H
#define VSW_LIB_OFPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-field.h"
#include "ofp-subfield.h"
#include "odp.h"

/* Reserved OpenFlow port numbers (OpenFlow 1.0 numbering, which is what
 * ovs-ofctl and Open vSwitch use internally). OFPP_LOCAL equals
 * VSW_PORT_LOCAL, the datapath's internal port. */
#define OFPP_MAX	0xff00
#define OFPP_IN_PORT	0xfff8
#define OFPP_TABLE	0xfff9
#define OFPP_NORMAL	0xfffa
#define OFPP_FLOOD	0xfffb
#define OFPP_ALL	0xfffc
#define OFPP_CONTROLLER	0xfffd
#define OFPP_LOCAL	0xfffe
#define OFPP_NONE	0xffff

#define OFP_N_TABLES	255	/* tables 0..254 */
#define OFP_TABLE_CURRENT 255	/* resubmit(port,) : the current table */

enum ofpact_type {
	OFPACT_OUTPUT,		/* output:N, NORMAL, FLOOD, ALL, IN_PORT, LOCAL */
	OFPACT_RESUBMIT,	/* resubmit:port, resubmit(port,table) */
	OFPACT_GOTO_TABLE,	/* goto_table:N */
	OFPACT_PUSH_VLAN,	/* push_vlan:ethertype */
	OFPACT_SET_VLAN_VID,	/* mod_vlan_vid:N (pushes a tag if none) */
	OFPACT_SET_VLAN_PCP,	/* mod_vlan_pcp:N (pushes a tag if none) */
	OFPACT_STRIP_VLAN,	/* strip_vlan, pop_vlan */
	OFPACT_SET_FIELD,	/* set_field:V->F and the mod_* shorthands */
	OFPACT_DEC_TTL,		/* dec_ttl */
	OFPACT_CT,		/* ct(commit,zone=N,table=N,exec(...)) */
	OFPACT_CT_CLEAR,	/* ct_clear */
	OFPACT_CONTROLLER,	/* output:CONTROLLER, controller(max_len=N) */
	OFPACT_GROUP,		/* group:N (lib/ofp-group.h) */
	OFPACT_LOAD,		/* load:V->F[a..b], set_field:V/M->F */
	OFPACT_MOVE,		/* move:SRC[a..b]->DST[c..d] */
	OFPACT_WRITE_METADATA,	/* write_metadata:V[/M] (an instruction) */
};
#define OFPACT_N_TYPES	(OFPACT_WRITE_METADATA + 1)
#define OFPACT_CONTROLLER_ALL	0xffff	/* max_len: the whole packet */

/* The keyword an action was written with, so it prints back the same. */
enum ofpact_spelling {
	OFPACT_SP_DEFAULT,
	OFPACT_SP_POP_VLAN,	/* pop_vlan rather than strip_vlan */
	OFPACT_SP_MOD,		/* mod_dl_src:..., mod_nw_tos:..., ... */
	OFPACT_SP_SET_FIELD,	/* set_field:V->F */
};

struct ofpact {
	enum ofpact_type type;
	enum ofpact_spelling spelling;
	/* OUTPUT: the max_len an OpenFlow OUTPUT action carried (meaningless
	 * but for CONTROLLER), sent back as given; 0 from the text syntax. */
	uint16_t out_max_len;
	union {
		uint32_t port;			/* OUTPUT */
		struct {
			uint32_t port;		/* OFPP_IN_PORT: keep in_port */
			uint8_t table;		/* OFP_TABLE_CURRENT: same */
		} resubmit;
		uint8_t table;			/* GOTO_TABLE */
		uint16_t ethertype;		/* PUSH_VLAN, host order */
		uint16_t vid;			/* SET_VLAN_VID, host order */
		uint8_t pcp;			/* SET_VLAN_PCP */
		struct {
			enum ofp_field_id field;
			union ofp_field_value value;
		} set;				/* SET_FIELD */
		struct {
			uint16_t zone;
			/* zone=NXM_NX_REG13[0..15]: read from 16 bits of a
			 * field when translating (then @zone is 0) */
			bool zone_from_field;
			struct ofp_subfield zone_src;
			bool commit, force;
			bool has_table;		/* recirculate to @table */
			uint8_t table;
			bool has_mark;		/* exec(set_field:->ct_mark) */
			uint32_t mark, mark_mask;	/* host order */
			struct odp_ct_nat nat;	/* nat, nat(src=...) */
			bool has_label;		/* exec(set_field:->ct_label) */
			uint8_t label[16], label_mask[16];	/* as flow's */
		} ct;				/* CT (ofp-ct.c) */
		uint16_t max_len;		/* CONTROLLER: bytes sent */
		uint32_t group_id;		/* GROUP */
		struct {
			enum ofp_field_id field;
			/* field representation, value already ANDed with
			 * mask; the mask's 1 bits are written */
			union ofp_field_value value, mask;
		} load;				/* LOAD (ofp-subfield.c) */
		struct {
			struct ofp_subfield src, dst;	/* same n_bits */
		} move;				/* MOVE */
		struct {
			uint64_t value, mask;	/* be64, value & mask */
		} metadata;			/* WRITE_METADATA */
	};
};

struct ofpacts {
	size_t n;
	struct ofpact *a;
};

/* The action keywords ofp_parse_actions() reads ("output", "NORMAL",
 * "set_field"...), by index from 0; NULL past the last. Besides these it
 * reads "drop" (alone), a bare port number and a bare port name. */
const char *ofpact_keyword(size_t i);

/* The mod_* keyword that sets @id (mod_nw_src...), else the field name. */
const char *ofpact_mod_name(enum ofp_field_id id);
struct ofpacts *ofpacts_new(void);
/* Appends a zeroed action of @type; returns NULL on allocation failure. */
struct ofpact *ofpacts_push(struct ofpacts *, enum ofpact_type type);
struct ofpacts *ofpacts_clone(const struct ofpacts *);
bool ofpacts_equal(const struct ofpacts *, const struct ofpacts *);
/* True when some action outputs to @port (for out_port filters). */
bool ofpacts_output_to(const struct ofpacts *, uint32_t port);
/* True when some action forwards to group @id (for out_group filters). */
bool ofpacts_output_to_group(const struct ofpacts *, uint32_t id);
void ofpacts_free(struct ofpacts *);

#endif /* VSW_LIB_OFPACT_H */
