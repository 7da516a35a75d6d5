/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ovs-ofctl flow syntax: "table=0,priority=100,ip,nw_src=10.0.0.0/8,
 * actions=output:2". One parser serves add-flow (match and actions),
 * del-flows/dump-flows filters (match, table, cookie/mask) and trace
 * (a packet description). Bad input is refused with a one-line message
 * that names the offending token; nothing is silently ignored.
 */
#ifndef VSW_LIB_OFP_PARSE_H
#define VSW_LIB_OFP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "ofpact.h"

#define OFP_DEFAULT_PRIORITY 32768

enum ofp_parse_mode {
	OFP_PARSE_ADD,		/* match + actions= required */
	OFP_PARSE_FILTER,	/* match, table, cookie[/mask], out_port; no actions */
	OFP_PARSE_PACKET,	/* a packet: fields exact, missing fields 0,
				 * in_port required, no masks */
};

struct ofp_rule_spec {
	uint8_t table;
	bool table_set;
	uint16_t priority;		/* OFP_DEFAULT_PRIORITY unless given */
	bool priority_set;
	uint64_t cookie, cookie_mask;	/* ADD: cookie_mask is all ones */
	uint16_t idle_timeout, hard_timeout;	/* seconds, 0 = none */
	bool send_flow_rem;		/* FLOW_REMOVED when it goes */
	uint32_t out_port;		/* FILTER: out_port=, OFPP_NONE if unset */
	bool out_group_set;		/* FILTER: out_group= (OpenFlow's out_group */
	uint32_t out_group;		/* other than ANY): rules forwarding to it */
	struct match match;
	struct ofpacts *acts;		/* owned; NULL without actions */
	bool has_actions;
};

/* Resolves a port name to its number; returns 0 or -1 if unknown. */
typedef int (*ofp_port_lookup_fn)(void *aux, const char *name,
				  uint32_t *port_no);

/* Parses @text into @out (which it initializes). Returns 0, or -1 with a
 * one-line message in @err. @lookup may be NULL (only numbers then). */
int ofp_parse_flow(const char *text, enum ofp_parse_mode mode,
		   ofp_port_lookup_fn lookup, void *aux,
		   struct ofp_rule_spec *out, char *err, size_t errlen);

/* Parses just an action list ("output:1,mod_vlan_vid:5"). */
int ofp_parse_actions(const char *text, ofp_port_lookup_fn lookup, void *aux,
		      struct ofpacts **out, char *err, size_t errlen);

void ofp_rule_spec_init(struct ofp_rule_spec *);
void ofp_rule_spec_free(struct ofp_rule_spec *);

#endif /* VSW_LIB_OFP_PARSE_H */
