// SPDX-License-Identifier: GPL-2.0
/*
 * Following a trace through ct(table=N): the passes translation froze,
 * and what conntrack is assumed to answer in each (--ct-next), laid out
 * as ofproto/trace lays out a recirculation.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "ofp-ct.h"
#include "trace.h"

#define ICMP_ECHOREPLY_TYPE	0
#define ICMP_ECHO_TYPE		8
#define ICMP6_ECHO_REQUEST_TYPE	128
#define ICMP6_ECHO_REPLY_TYPE	129

void trace_freeze(struct trace_buf *tb, const char *bridge,
		  const struct flow *flow, bool tracked)
{
	struct trace_resumes *q = tb->resumes;
	struct trace_resume *r;

	if (!q)
		return;
	if (q->n == TRACE_MAX_RESUMES) {
		q->lost++;
		return;
	}
	r = &q->v[q->n++];
	r->flow = *flow;
	r->tracked = tracked;
	r->depth = q->depth + 1;
	r->other_bridge[0] = '\0';
	if (q->bridge && strcmp(bridge, q->bridge))
		snprintf(r->other_bridge, sizeof(r->other_bridge), "%s", bridge);
}

/* An echo reply's connection was opened by the request. */
static uint16_t icmp_orig_type(const struct flow *f, bool reply)
{
	bool v6 = ntohs(f->eth_type) == ETH_TYPE_IPV6;

	if (reply && !v6 && f->icmp_type == ICMP_ECHOREPLY_TYPE)
		return ICMP_ECHO_TYPE;
	if (reply && v6 && f->icmp_type == ICMP6_ECHO_REPLY_TYPE)
		return ICMP6_ECHO_REQUEST_TYPE;
	return f->icmp_type;
}

/* The original direction of the connection @f belongs to, as the kernel
 * would report it for a connection the packet opened (or answers). */
static void fill_ct_orig(struct flow *f)
{
	bool reply = f->ct_state & VSW_CT_STATE_RPL;
	struct flow_ct_orig *o = &f->ct_orig;
	bool icmp = f->ip_proto == IPPROTO_ICMP || f->ip_proto == IPPROTO_ICMPV6;

	memset(o, 0, sizeof(*o));
	if (f->ct_state & VSW_CT_STATE_REL)
		return;
	if (ntohs(f->eth_type) == ETH_TYPE_IPV6) {
		o->ipv6_src = reply ? f->ipv6_dst : f->ipv6_src;
		o->ipv6_dst = reply ? f->ipv6_src : f->ipv6_dst;
	} else {
		o->nw_src = reply ? f->ipv4_dst : f->ipv4_src;
		o->nw_dst = reply ? f->ipv4_src : f->ipv4_dst;
	}
	o->nw_proto = f->ip_proto;
	if (icmp) {
		o->tp_src = htons(icmp_orig_type(f, reply));
		o->tp_dst = htons(f->icmp_code);
	} else if (f->ip_proto == IPPROTO_TCP || f->ip_proto == IPPROTO_UDP ||
		   f->ip_proto == IPPROTO_SCTP) {
		o->tp_src = reply ? f->tp_dst : f->tp_src;
		o->tp_dst = reply ? f->tp_src : f->tp_dst;
	}
}

static void banner(struct strbuf *sb, const struct trace_resume *r)
{
	strbuf_puts(sb, "\n");
	for (int i = 0; i < 79; i++)
		strbuf_putc(sb, '=');
	strbuf_printf(sb, "\nrecirc(%#x) - ", r->flow.recirc_id);
}

static void banner_end(struct strbuf *sb)
{
	for (int i = 0; i < 79; i++)
		strbuf_putc(sb, '=');
	strbuf_putc(sb, '\n');
}

bool trace_resume_begin(struct trace_resume *r, uint8_t state, bool given,
			struct strbuf *sb)
{
	banner(sb, r);
	if (r->depth > VSW_MAX_RECIRC) {
		strbuf_printf(sb, "not traced: the datapath drops a packet "
			      "recirculated more than %d times\n", VSW_MAX_RECIRC);
		banner_end(sb);
		return false;
	}
	if (r->other_bridge[0]) {
		strbuf_printf(sb, "resumes in bridge(\"%s\") (behind a patch "
			      "port), which this trace does not follow\n",
			      r->other_bridge);
		banner_end(sb);
		return false;
	}
	if (!r->tracked) {
		strbuf_puts(sb, "resume without conntrack (not an IP packet)\n");
	} else {
		r->flow.ct_state = state;
		fill_ct_orig(&r->flow);
		strbuf_puts(sb, "resume conntrack with ");
		strbuf_puts(sb, given ? "ct_state=" : "the default ct_state=");
		ofp_ct_state_format_flags(sb, state);
		strbuf_puts(sb, given ? " (--ct-next)\n" :
			    " (set it with --ct-next)\n");
	}
	banner_end(sb);
	return true;
}
