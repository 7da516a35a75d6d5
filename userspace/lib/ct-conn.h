/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connections of the kernel's tracker as vswitchctl dump-conntrack and
 * flush-conntrack see them: a plain data model (filled from ctnetlink by
 * ct-netlink.c), the filter their arguments give, and the text Open
 * vSwitch's dpctl/dump-conntrack prints. Nothing here talks to the kernel.
 */
#ifndef VSW_LIB_CT_CONN_H
#define VSW_LIB_CT_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "util.h"

/* One direction of a connection. Addresses are in network order, an
 * IPv4 one in the first 4 bytes; ports and the ICMP id in host order.
 */
struct ct_tuple {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t proto;			/* IPPROTO_* */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;		/* protocols with ports */
	uint16_t icmp_id;		/* ICMP and ICMPv6 */
	uint8_t icmp_type, icmp_code;
	bool has_ports;			/* the kernel gave sport and dport */
};

struct ct_conn {
	struct ct_tuple orig, reply;
	uint16_t zone;
	uint32_t mark;
	uint8_t labels[16];		/* least significant byte first */
	int tcp_state;			/* TCP_CONNTRACK_*, -1 if unknown */
};

/* Which fields of ct_filter.tuple were given. */
enum ct_filter_field {
	CT_F_SRC	= 1 << 0,
	CT_F_DST	= 1 << 1,
	CT_F_PROTO	= 1 << 2,
	CT_F_SPORT	= 1 << 3,
	CT_F_DPORT	= 1 << 4,
	CT_F_ICMP_ID	= 1 << 5,
	CT_F_ICMP_TYPE	= 1 << 6,
	CT_F_ICMP_CODE	= 1 << 7,
};

/* What dump-conntrack and flush-conntrack select: a zone and (flush
 * only) fields of the original direction's tuple.
 */
struct ct_filter {
	bool has_zone;
	uint16_t zone;
	unsigned int fields;		/* enum ct_filter_field */
	struct ct_tuple tuple;		/* original direction */
};

/* Parses @n arguments, each "zone=N" or a comma-separated list of
 * ct_nw_src=, ct_nw_dst=, ct_ipv6_src=, ct_ipv6_dst=, ct_nw_proto=,
 * ct_tp_src=, ct_tp_dst=, icmp_id=, icmp_type=, icmp_code= (only when
 * @allow_tuple). A tuple without zone= selects zone 0, as Open vSwitch
 * does. Returns 0, or -1 with @err naming what is wrong.
 */
int ct_filter_parse(struct ct_filter *f, char *const *args, int n,
		    bool allow_tuple, char *err, size_t errlen);

/* Whether @c is in the filter's zone (if any) and its original
 * direction has every field the filter gives.
 */
bool ct_filter_match(const struct ct_filter *f, const struct ct_conn *c);

/* True when the filter selects every connection. */
bool ct_filter_is_empty(const struct ct_filter *f);

/* One line (no newline) as ovs-appctl dpctl/dump-conntrack prints it:
 * tcp,orig=(src=..,dst=..,sport=..,dport=..),reply=(...),zone=N,
 * mark=N,labels=0x..,protoinfo=(state=ESTABLISHED); zone, mark and
 * labels only when not 0.
 */
void ct_conn_format(struct strbuf *sb, const struct ct_conn *c);

/* The same as one JSON object (every field, zeros included). */
void ct_conn_json(struct json_writer *w, const struct ct_conn *c);

#endif /* VSW_LIB_CT_CONN_H */
