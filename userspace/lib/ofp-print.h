/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text output in Open vSwitch's formats: matches and actions as
 * ovs-ofctl dump-flows prints them, megaflows as ofproto/trace's
 * "Megaflow:" line, datapath actions as "Datapath actions:". Every
 * function returns a malloc'd string the caller frees.
 */
#ifndef VSW_LIB_OFP_PRINT_H
#define VSW_LIB_OFP_PRINT_H

#include "flow.h"
#include "odp.h"
#include "ofpact.h"

/* Returns the name of @port_no or NULL to print the number. */
typedef const char *(*ofp_port_name_fn)(void *aux, uint32_t port_no);

/* "priority" is not part of a match; ovs-ofctl style, e.g.
 * "tcp,in_port=1,nw_src=10.0.0.0/8,tp_dst=80". Empty string for catch-all. */
char *ofp_format_match(const struct match *, ofp_port_name_fn, void *aux);

/* "output:2,mod_vlan_vid:10", "NORMAL", "drop" when empty. */
char *ofp_format_actions(const struct ofpacts *, ofp_port_name_fn, void *aux);

struct strbuf;
/* Appends one action (as in ofp_format_actions) to @sb. */
void ofpact_format(struct strbuf *sb, const struct ofpact *a,
		   ofp_port_name_fn fn, void *aux);

/* "drop" when empty; outputs as port numbers; OVS set(...) syntax. */
char *odp_format_actions(const struct odp_actions *);
/* Same, naming the L4 header of set(tcp(...)) from @flow's ip_proto. */
char *odp_format_actions_flow(const struct odp_actions *,
			      const struct flow *flow);

/* ofproto/trace's Megaflow: line body, e.g.
 * "recirc_id=0,eth,ip,in_port=1,nw_src=192.0.2.0/24,nw_frag=no". */
char *ofp_format_megaflow(const struct match *);

/* ofproto/trace's Flow: line body: every field of the packet's protocol. */
char *ofp_format_flow(const struct flow *);

#endif /* VSW_LIB_OFP_PRINT_H */
