// SPDX-License-Identifier: GPL-2.0
#include "ct-conn.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_conntrack_tcp.h>

#include "ofp-ct.h"

/* ---- arguments ---- */

static int parse_uint(const char *key, const char *v, unsigned long max,
		      unsigned long *out, char *err, size_t errlen)
{
	char *end;

	errno = 0;
	*out = isdigit((unsigned char)*v) ? strtoul(v, &end, 0) : 0;
	if (!isdigit((unsigned char)*v) || errno || *end || *out > max) {
		snprintf(err, errlen, "invalid %s '%s' (0..%lu)", key, v, max);
		return -1;
	}
	return 0;
}

static int parse_addr(struct ct_tuple *t, const char *key, const char *v,
		      int family, uint8_t out[16], char *err, size_t errlen)
{
	if (t->family && t->family != family) {
		snprintf(err, errlen, "%s: IPv4 and IPv6 addresses mixed in "
			 "one tuple", key);
		return -1;
	}
	if (inet_pton(family, v, out) != 1) {
		snprintf(err, errlen, "invalid %s '%s' (an %s address)", key, v,
			 family == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	t->family = (uint8_t)family;
	return 0;
}

/* The tuple fields: name, flag, and the largest value of a number. */
static const struct {
	const char *name;
	unsigned int flag;
	unsigned long max;
	int family;		/* an address of this family */
} tuple_fields[] = {
	{ "ct_nw_src", CT_F_SRC, 0, AF_INET },
	{ "ct_nw_dst", CT_F_DST, 0, AF_INET },
	{ "ct_ipv6_src", CT_F_SRC, 0, AF_INET6 },
	{ "ct_ipv6_dst", CT_F_DST, 0, AF_INET6 },
	{ "ct_nw_proto", CT_F_PROTO, 255, 0 },
	{ "ct_tp_src", CT_F_SPORT, 65535, 0 },
	{ "ct_tp_dst", CT_F_DPORT, 65535, 0 },
	{ "icmp_id", CT_F_ICMP_ID, 65535, 0 },
	{ "icmp_type", CT_F_ICMP_TYPE, 255, 0 },
	{ "icmp_code", CT_F_ICMP_CODE, 255, 0 },
};

static void set_number(struct ct_tuple *t, unsigned int flag, unsigned long v)
{
	switch (flag) {
	case CT_F_PROTO: t->proto = (uint8_t)v; break;
	case CT_F_SPORT: t->sport = (uint16_t)v; break;
	case CT_F_DPORT: t->dport = (uint16_t)v; break;
	case CT_F_ICMP_ID: t->icmp_id = (uint16_t)v; break;
	case CT_F_ICMP_TYPE: t->icmp_type = (uint8_t)v; break;
	case CT_F_ICMP_CODE: t->icmp_code = (uint8_t)v; break;
	}
}

static int tuple_field(struct ct_filter *f, const char *key, const char *v,
		       char *err, size_t errlen)
{
	struct ct_tuple *t = &f->tuple;
	unsigned long n;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tuple_fields); i++)
		if (!strcmp(tuple_fields[i].name, key))
			break;
	if (i == ARRAY_SIZE(tuple_fields)) {
		snprintf(err, errlen, "unknown conntrack field '%s'", key);
		return -1;
	}
	if (f->fields & tuple_fields[i].flag) {
		snprintf(err, errlen, "%s given twice", key);
		return -1;
	}
	f->fields |= tuple_fields[i].flag;
	if (tuple_fields[i].family)
		return parse_addr(t, key, v, tuple_fields[i].family,
				  tuple_fields[i].flag == CT_F_SRC ? t->src : t->dst,
				  err, errlen);
	if (parse_uint(key, v, tuple_fields[i].max, &n, err, errlen))
		return -1;
	set_number(t, tuple_fields[i].flag, n);
	return 0;
}

static bool is_icmp(uint8_t proto)
{
	return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

/* Ports and ICMP fields say something only with the protocol. */
static int tuple_check(const struct ct_filter *f, char *err, size_t errlen)
{
	const unsigned int ports = CT_F_SPORT | CT_F_DPORT;
	const unsigned int icmp = CT_F_ICMP_ID | CT_F_ICMP_TYPE | CT_F_ICMP_CODE;

	if ((f->fields & (ports | icmp)) && !(f->fields & CT_F_PROTO)) {
		snprintf(err, errlen, "%s needs ct_nw_proto",
			 f->fields & ports ? "ct_tp_src/ct_tp_dst" :
			 "icmp_id/icmp_type/icmp_code");
		return -1;
	}
	if ((f->fields & ports) && is_icmp(f->tuple.proto)) {
		snprintf(err, errlen, "ct_tp_src/ct_tp_dst with ct_nw_proto=%u "
			 "(ICMP has no ports: icmp_id, icmp_type, icmp_code)",
			 f->tuple.proto);
		return -1;
	}
	if ((f->fields & icmp) && !is_icmp(f->tuple.proto)) {
		snprintf(err, errlen, "icmp_id/icmp_type/icmp_code with "
			 "ct_nw_proto=%u (not ICMP)", f->tuple.proto);
		return -1;
	}
	return 0;
}

/* One comma-separated argument: zone=N and tuple fields. */
static int parse_arg(struct ct_filter *f, char *arg, bool allow_tuple,
		     char *err, size_t errlen)
{
	char *save = NULL, *kv;
	unsigned long n;

	for (kv = strtok_r(arg, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');

		if (!eq || eq == kv || !eq[1]) {
			snprintf(err, errlen, "'%s' is not KEY=VALUE", kv);
			return -1;
		}
		*eq = '\0';
		if (!strcmp(kv, "zone")) {
			if (f->has_zone) {
				snprintf(err, errlen, "zone given twice");
				return -1;
			}
			if (parse_uint("zone", eq + 1, 65535, &n, err, errlen))
				return -1;
			f->has_zone = true;
			f->zone = (uint16_t)n;
		} else if (!allow_tuple) {
			snprintf(err, errlen, "unknown argument '%s' (only "
				 "zone=N)", kv);
			return -1;
		} else if (tuple_field(f, kv, eq + 1, err, errlen)) {
			return -1;
		}
	}
	return 0;
}

int ct_filter_parse(struct ct_filter *f, char *const *args, int n,
		    bool allow_tuple, char *err, size_t errlen)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n; i++) {
		char *copy = strdup(args[i]);
		int ret;

		if (!copy) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		ret = parse_arg(f, copy, allow_tuple, err, errlen);
		free(copy);
		if (ret)
			return -1;
	}
	if (tuple_check(f, err, errlen))
		return -1;
	if (f->fields && !f->has_zone)
		f->has_zone = true;	/* zone 0, as ovs-dpctl does */
	return 0;
}

bool ct_filter_is_empty(const struct ct_filter *f)
{
	return !f->has_zone && !f->fields;
}

static size_t addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

bool ct_filter_match(const struct ct_filter *f, const struct ct_conn *c)
{
	const struct ct_tuple *w = &f->tuple, *t = &c->orig;
	unsigned int m = f->fields;

	if (f->has_zone && f->zone != c->zone)
		return false;
	if ((m & (CT_F_SRC | CT_F_DST)) && w->family != t->family)
		return false;
	return !((m & CT_F_SRC && memcmp(w->src, t->src, addr_len(w->family))) ||
		 (m & CT_F_DST && memcmp(w->dst, t->dst, addr_len(w->family))) ||
		 (m & CT_F_PROTO && w->proto != t->proto) ||
		 (m & CT_F_SPORT && w->sport != t->sport) ||
		 (m & CT_F_DPORT && w->dport != t->dport) ||
		 (m & CT_F_ICMP_ID && w->icmp_id != t->icmp_id) ||
		 (m & CT_F_ICMP_TYPE && w->icmp_type != t->icmp_type) ||
		 (m & CT_F_ICMP_CODE && w->icmp_code != t->icmp_code));
}

/* ---- printing ---- */

static const char *proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "icmpv6";
	case IPPROTO_SCTP: return "sctp";
	case IPPROTO_UDPLITE: return "udplite";
	case IPPROTO_DCCP: return "dccp";
	case IPPROTO_IGMP: return "igmp";
	default: return NULL;
	}
}

/* The kernel's TCP states under Open vSwitch's names, folded as its
 * non-verbose dump-conntrack folds them (SYN_RECV shows ESTABLISHED).
 */
static const char *tcp_state_name(int state)
{
	switch (state) {
	case TCP_CONNTRACK_NONE: return "CLOSED";
	case TCP_CONNTRACK_SYN_SENT: return "SYN_SENT";
	case TCP_CONNTRACK_SYN_SENT2: return "SYN_SENT";
	case TCP_CONNTRACK_SYN_RECV: return "ESTABLISHED";
	case TCP_CONNTRACK_ESTABLISHED: return "ESTABLISHED";
	case TCP_CONNTRACK_FIN_WAIT: return "FIN_WAIT_1";
	case TCP_CONNTRACK_CLOSE_WAIT: return "CLOSE_WAIT";
	case TCP_CONNTRACK_LAST_ACK: return "LAST_ACK";
	case TCP_CONNTRACK_TIME_WAIT: return "TIME_WAIT";
	case TCP_CONNTRACK_CLOSE: return "CLOSED";
	default: return NULL;
	}
}

static void addr_text(char *buf, size_t len, uint8_t family, const uint8_t *a)
{
	if (!inet_ntop(family == AF_INET ? AF_INET : AF_INET6, a, buf, len))
		snprintf(buf, len, "?");
}

static void tuple_format(struct strbuf *sb, const struct ct_tuple *t)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	addr_text(src, sizeof(src), t->family, t->src);
	addr_text(dst, sizeof(dst), t->family, t->dst);
	strbuf_printf(sb, "src=%s,dst=%s", src, dst);
	if (is_icmp(t->proto))
		strbuf_printf(sb, ",id=%u,type=%u,code=%u", t->icmp_id,
			      t->icmp_type, t->icmp_code);
	else
		strbuf_printf(sb, ",sport=%u,dport=%u", t->sport, t->dport);
}

/* The label as a number, in ct_label='s hex. */
static void labels_text(struct strbuf *sb, const uint8_t labels[16])
{
	static const uint8_t ones[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};

	ofp_ct_label_format(sb, labels, ones);
}

void ct_conn_format(struct strbuf *sb, const struct ct_conn *c)
{
	const char *name = proto_name(c->orig.proto);

	if (name)
		strbuf_puts(sb, name);
	else
		strbuf_printf(sb, "%u", c->orig.proto);
	strbuf_puts(sb, ",orig=(");
	tuple_format(sb, &c->orig);
	strbuf_puts(sb, "),reply=(");
	tuple_format(sb, &c->reply);
	strbuf_putc(sb, ')');
	if (c->zone)
		strbuf_printf(sb, ",zone=%u", c->zone);
	if (c->mark)
		strbuf_printf(sb, ",mark=%u", c->mark);
	if (!ofp_ct_label_is_zero(c->labels)) {
		strbuf_puts(sb, ",labels=");
		labels_text(sb, c->labels);
	}
	if (c->orig.proto == IPPROTO_TCP && c->tcp_state >= 0) {
		const char *s = tcp_state_name(c->tcp_state);

		if (s)
			strbuf_printf(sb, ",protoinfo=(state=%s)", s);
		else
			strbuf_printf(sb, ",protoinfo=(state=[%d])", c->tcp_state);
	}
}

static void tuple_json(struct json_writer *w, const char *key,
		       const struct ct_tuple *t)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	addr_text(src, sizeof(src), t->family, t->src);
	addr_text(dst, sizeof(dst), t->family, t->dst);
	json_obj_begin(w, key);
	json_str(w, "src", src);
	json_str(w, "dst", dst);
	if (is_icmp(t->proto)) {
		json_u64(w, "id", t->icmp_id);
		json_u64(w, "type", t->icmp_type);
		json_u64(w, "code", t->icmp_code);
	} else {
		json_u64(w, "sport", t->sport);
		json_u64(w, "dport", t->dport);
	}
	json_obj_end(w);
}

void ct_conn_json(struct json_writer *w, const struct ct_conn *c)
{
	const char *name = proto_name(c->orig.proto);
	struct strbuf labels;
	char num[8];

	snprintf(num, sizeof(num), "%u", c->orig.proto);
	strbuf_init(&labels);
	labels_text(&labels, c->labels);
	json_obj_begin(w, NULL);
	json_str(w, "proto", name ? name : num);
	tuple_json(w, "orig", &c->orig);
	tuple_json(w, "reply", &c->reply);
	json_u64(w, "zone", c->zone);
	json_u64(w, "mark", c->mark);
	json_str(w, "labels", strbuf_str(&labels));
	if (c->orig.proto == IPPROTO_TCP && tcp_state_name(c->tcp_state))
		json_str(w, "state", tcp_state_name(c->tcp_state));
	json_obj_end(w);
	strbuf_free(&labels);
}
