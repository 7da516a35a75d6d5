// SPDX-License-Identifier: GPL-2.0
/* ovs-ofctl flow syntax: rule specs, filters and trace packets. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "classifier.h"
#include "ofp-parse.h"
#include "ofp-token.h"

struct parse_ctx {
	enum ofp_parse_mode mode;
	ofp_port_lookup_fn lookup;
	void *aux;
	struct ofp_rule_spec *spec;
	char *err;
	size_t errlen;
	bool in_port_set;
	/* Fields given, for the prerequisite check once all are known. */
	const struct ofp_field *given[64];
	unsigned n_given;
};

static const struct {
	const char *name;
	uint16_t eth_type;
	int proto;			/* -1: none */
} shorthands[] = {
	{ "ip", ETH_TYPE_IP, -1 },
	{ "ipv4", ETH_TYPE_IP, -1 },
	{ "ip4", ETH_TYPE_IP, -1 },
	{ "ipv6", ETH_TYPE_IPV6, -1 },
	{ "ip6", ETH_TYPE_IPV6, -1 },
	{ "arp", ETH_TYPE_ARP, -1 },
	{ "rarp", ETH_TYPE_RARP, -1 },
	{ "tcp", ETH_TYPE_IP, IPPROTO_TCP },
	{ "udp", ETH_TYPE_IP, IPPROTO_UDP },
	{ "sctp", ETH_TYPE_IP, IPPROTO_SCTP },
	{ "icmp", ETH_TYPE_IP, IPPROTO_ICMP },
	{ "tcp6", ETH_TYPE_IPV6, IPPROTO_TCP },
	{ "udp6", ETH_TYPE_IPV6, IPPROTO_UDP },
	{ "sctp6", ETH_TYPE_IPV6, IPPROTO_SCTP },
	{ "icmp6", ETH_TYPE_IPV6, IPPROTO_ICMPV6_ },
};

static int perr(struct parse_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct parse_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void ofp_rule_spec_init(struct ofp_rule_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->priority = OFP_DEFAULT_PRIORITY;
	s->out_port = OFPP_NONE;
}

void ofp_rule_spec_free(struct ofp_rule_spec *s)
{
	if (!s)
		return;
	ofpacts_free(s->acts);
	s->acts = NULL;
	s->has_actions = false;
}

static int parse_shorthand(struct parse_ctx *c, unsigned i)
{
	struct match *m = &c->spec->match;

	m->flow.eth_type = htons(shorthands[i].eth_type);
	m->mask.eth_type = 0xffff;
	if (shorthands[i].proto >= 0) {
		m->flow.ip_proto = (uint8_t)shorthands[i].proto;
		m->mask.ip_proto = 0xff;
	}
	return 0;
}

static int parse_u64(struct parse_ctx *c, const char *key, const char *s,
		     unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return perr(c, "invalid value in '%s=%s'", key, s);
	*out = strtoull(s, &end, 0);
	if (errno || *end)
		return perr(c, "invalid value in '%s=%s'", key, s);
	if (*out > max)
		return perr(c, "value out of range in '%s=%s' (0..%llu)", key, s, max);
	return 0;
}

static int parse_cookie(struct parse_ctx *c, const char *s)
{
	struct ofp_rule_spec *spec = c->spec;
	unsigned long long v, m = ~0ull;
	char buf[64], *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash) {
		if (c->mode != OFP_PARSE_FILTER)
			return perr(c, "cookie mask only allowed in a filter: 'cookie=%s'", s);
		*slash = '\0';
		if (parse_u64(c, "cookie", slash + 1, ~0ull, &m))
			return -1;
	}
	if (parse_u64(c, "cookie", buf, ~0ull, &v))
		return -1;
	spec->cookie = v & m;
	spec->cookie_mask = m;
	return 0;
}

/* table, priority, cookie, timeouts, out_port: 1 handled, 0 not, -1 error. */
static int parse_rule_key(struct parse_ctx *c, const char *key, const char *s)
{
	struct ofp_rule_spec *spec = c->spec;
	unsigned long long v;

	if (strcmp(key, "table") && strcmp(key, "priority") &&
	    strcmp(key, "cookie") && strcmp(key, "idle_timeout") &&
	    strcmp(key, "hard_timeout") && strcmp(key, "out_port") &&
	    strcmp(key, "out_group"))
		return 0;
	if (c->mode == OFP_PARSE_PACKET)
		return perr(c, "'%s' is not part of a packet description", key);
	if (!*s)
		return perr(c, "missing value for '%s'", key);
	if (!strcmp(key, "table")) {
		if (parse_u64(c, key, s, OFP_N_TABLES - 1, &v))
			return -1;
		spec->table = (uint8_t)v;
		spec->table_set = true;
	} else if (!strcmp(key, "priority")) {
		if (parse_u64(c, key, s, 65535, &v))
			return -1;
		spec->priority = (uint16_t)v;
		spec->priority_set = true;
	} else if (!strcmp(key, "cookie")) {
		return parse_cookie(c, s) ? -1 : 1;
	} else if (!strcmp(key, "out_port")) {
		if (c->mode != OFP_PARSE_FILTER)
			return perr(c, "'out_port' is only allowed in a filter");
		return ofp_parse_port(key, s, c->lookup, c->aux, &spec->out_port,
				      c->err, c->errlen) ? -1 : 1;
	} else if (!strcmp(key, "out_group")) {
		if (c->mode != OFP_PARSE_FILTER)
			return perr(c, "'out_group' is only allowed in a filter");
		if (parse_u64(c, key, s, 0xffffff00u, &v))
			return -1;
		spec->out_group = (uint32_t)v;
		spec->out_group_set = true;
	} else {
		if (c->mode != OFP_PARSE_ADD)
			return perr(c, "'%s' is not allowed in a filter", key);
		if (parse_u64(c, key, s, 65535, &v))
			return -1;
		if (!strcmp(key, "idle_timeout"))
			spec->idle_timeout = (uint16_t)v;
		else
			spec->hard_timeout = (uint16_t)v;
	}
	return 1;
}

/* True when @s is a decimal count or, with @seconds, a duration as
 * dump-flows prints it: digits, optionally '.' and digits, then 's'. */
static bool stat_value_ok(const char *s, bool seconds)
{
	size_t n = strspn(s, "0123456789");

	if (!n)
		return false;
	s += n;
	if (!seconds)
		return !*s;
	if (*s == '.') {
		n = strspn(++s, "0123456789");
		if (!n)
			return false;
		s += n;
	}
	return !strcmp(s, "s");
}

/*
 * The statistics dump-flows prints (duration=1.234s, n_packets=N,
 * n_bytes=N, idle_age=N, hard_age=N) are ignored on input, as ovs-ofctl
 * ignores them, so dump-flows output can be fed to add-flows as it is.
 * Only the form dump-flows writes is ignored; anything else in them is an
 * error. 1 handled, 0 not a statistic, -1 error.
 */
static int parse_stat_key(struct parse_ctx *c, const char *key, const char *s)
{
	bool duration = !strcmp(key, "duration");

	if (!duration && strcmp(key, "n_packets") && strcmp(key, "n_bytes") &&
	    strcmp(key, "idle_age") && strcmp(key, "hard_age"))
		return 0;
	if (c->mode == OFP_PARSE_PACKET)
		return perr(c, "'%s' is not part of a packet description", key);
	if (!stat_value_ok(s, duration))
		return perr(c, "invalid statistic in '%s=%s' (want %s)", key, s,
			    duration ? "SECONDS.FRACTIONs" : "a decimal count");
	return 1;
}

/*
 * ovs-ofctl's flow_mod flags and importance, which its dump-flows prints
 * when set. reset_counts is what add does here anyway (a replaced rule's
 * counters restart, as in OpenFlow 1.0), so it is accepted on add; the
 * others ask for what vswitch does not have and are refused by name.
 * 1 handled, 0 not a flag, -1 error.
 */
static int parse_flag_key(struct parse_ctx *c, const char *key, const char *s)
{
	static const struct { const char *name, *why; } refused[] = {
		{ "check_overlap", "overlapping rules are not checked" },
		{ "no_packet_counts", "every rule counts packets" },
		{ "no_byte_counts", "every rule counts bytes" },
		{ "importance", "no rule is ever evicted" },
	};
	unsigned i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (!strcmp(key, refused[i].name))
			return perr(c, "'%s' is not supported: %s", key,
				    refused[i].why);
	if (strcmp(key, "reset_counts") && strcmp(key, "send_flow_rem"))
		return 0;
	if (c->mode != OFP_PARSE_ADD)
		return perr(c, "'%s' is only allowed when adding a rule", key);
	if (*s)
		return perr(c, "'%s' takes no value in '%s=%s'", key, key, s);
	if (!strcmp(key, "send_flow_rem"))
		c->spec->send_flow_rem = true;
	return 1;
}

static int parse_in_port(struct parse_ctx *c, const char *key, const char *s)
{
	uint32_t port;

	if (ofp_parse_port(key, s, c->lookup, c->aux, &port, c->err, c->errlen))
		return -1;
	if (port == OFPP_NONE || (port > OFPP_MAX && port != OFPP_LOCAL &&
				  port != OFPP_CONTROLLER))
		return perr(c, "port '%s' cannot be matched in '%s=%s'", s, key, s);
	c->spec->match.flow.in_port = port;
	c->spec->match.mask.in_port = ~0u;
	c->in_port_set = true;
	return 0;
}

/* An untagged frame's TCI is 0: a match that wants the present bit clear
 * and some VID or PCP bit set matches nothing. (A mask without the present
 * bit leaves it free, and the value's bit is masked away.) */
static bool vlan_tci_never_matches(uint16_t v, uint16_t m)
{
	return (m & VSW_VLAN_PRESENT) && !(v & VSW_VLAN_PRESENT) &&
	       (v & m & ~VSW_VLAN_PRESENT);
}

static int parse_field(struct parse_ctx *c, const struct ofp_field *mf,
		       const char *key, const char *s)
{
	union ofp_field_value v, m;
	bool allow_mask = c->mode != OFP_PARSE_PACKET;
	struct match *match = &c->spec->match;

	if (mf->id == MFF_IN_PORT)
		return parse_in_port(c, key, s);
	if (mf->id == MFF_VLAN_VID && (!strcmp(s, "0xffff") || !strcmp(s, "65535"))) {
		/* dl_vlan=0xffff: no VLAN tag (OpenFlow 1.0's OFP_VLAN_NONE). */
		match->flow.vlan_tci = 0;
		match->mask.vlan_tci = 0xffff;
		return 0;
	}
	if (ofp_field_parse(mf, key, s, allow_mask, &v, &m, c->err, c->errlen))
		return -1;
	if (mf->id == MFF_VLAN_TCI && c->mode != OFP_PARSE_PACKET &&
	    vlan_tci_never_matches(ntohs(v.be16), ntohs(m.be16)))
		return perr(c, "vlan_tci without the 0x1000 (tag present) bit "
			    "cannot match VID or PCP in 'vlan_tci=%s'", s);
	ofp_field_set_match(mf, &v, &m, match);
	if (c->n_given < sizeof(c->given) / sizeof(c->given[0]))
		c->given[c->n_given++] = mf;
	return 0;
}

/* trace's Flow: line shows Open vSwitch's second VLAN header as
 * "vlan_tci1=0x0000" (none): a packet description may say so; anything
 * else would need QinQ, which vswitch does not parse. */
static int parse_vlan_tci1(struct parse_ctx *c, const char *s)
{
	unsigned long long v;
	char *end;

	if (c->mode != OFP_PARSE_PACKET)
		return perr(c, "'vlan_tci1' (a second VLAN header) is not supported");
	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *end || errno || v)
		return perr(c, "only 'vlan_tci1=0x0000' (no second VLAN header) is "
			    "supported, not 'vlan_tci1=%s'", s);
	return 0;
}

/* recirc_id: which pass of a packet through ct(table=N) a trace shows
 * (N + 1 resumes in table N), as trace prints it for a resumed pass. A
 * datapath field: no rule matches on it. */
static int parse_recirc_id(struct parse_ctx *c, const char *s)
{
	unsigned long long v;

	if (c->mode != OFP_PARSE_PACKET)
		return perr(c, "'recirc_id' is set by the datapath, not matched "
			    "by rules (ct(table=N) resumes in table N)");
	if (parse_u64(c, "recirc_id", s, 0xffffffffu, &v))
		return -1;
	c->spec->match.flow.recirc_id = (uint32_t)v;
	c->spec->match.mask.recirc_id = ~0u;
	return 0;
}

static int parse_match_token(struct parse_ctx *c, char *key, char *value)
{
	const struct ofp_field *mf;
	unsigned i;
	int r;

	for (i = 0; i < sizeof(shorthands) / sizeof(shorthands[0]); i++) {
		if (!strcmp(key, shorthands[i].name)) {
			if (*value)
				return perr(c, "'%s' takes no value in '%s=%s'",
					    key, key, value);
			return parse_shorthand(c, i);
		}
	}
	r = parse_rule_key(c, key, value);
	if (!r)
		r = parse_stat_key(c, key, value);
	if (!r)
		r = parse_flag_key(c, key, value);
	if (r)
		return r < 0 ? -1 : 0;
	if (!strcmp(key, "vlan_tci1"))
		return parse_vlan_tci1(c, value);
	if (!strcmp(key, "recirc_id"))
		return parse_recirc_id(c, value);
	mf = ofp_field_by_name(key);
	if (!mf)
		return perr(c, "unknown field '%s'", key);
	if (!*value)
		return perr(c, "missing value for '%s'", key);
	return parse_field(c, mf, key, value);
}

static int check_prereqs(struct parse_ctx *c)
{
	unsigned i;

	for (i = 0; i < c->n_given; i++) {
		const struct ofp_field *mf = c->given[i];
		bool icmp = mf->id == MFF_ICMPV4_TYPE || mf->id == MFF_ICMPV4_CODE;

		mf = ofp_field_resolve(mf, &c->spec->match);
		if (!ofp_field_prereq_ok(mf, &c->spec->match))
			return perr(c, "field '%s' requires %s", mf->name,
				    icmp ? "icmp or icmp6" :
				    ofp_field_prereq_name(mf->prereq));
	}
	return 0;
}

/* Finds "actions=" (or "action=") at a token start; returns its position
 * and sets @acts to the text after '='. */
static char *find_actions(char *text, char **acts)
{
	char *p;

	for (p = text; *p; p++) {
		char *q;

		if (p != text && p[-1] != ',' && !isspace((unsigned char)p[-1]))
			continue;
		if (!strncmp(p, "actions", 7))
			q = p + 7;
		else if (!strncmp(p, "action", 6))
			q = p + 6;
		else
			continue;
		while (isspace((unsigned char)*q))
			q++;
		if (*q == '=' || *q == ':') {
			*acts = q + 1;
			return p;
		}
	}
	return NULL;
}

static int parse_match_text(struct parse_ctx *c, char *text)
{
	char *pos = text, *key, *value;

	while (ofp_next_token(&pos, &key, &value))
		if (parse_match_token(c, key, value))
			return -1;
	return check_prereqs(c);
}

/* load and move, as Open vSwitch checks them: each field they read or
 * write has its prerequisite in the match. */
static int check_subfield_prereqs(struct parse_ctx *c, const struct ofpact *a)
{
	enum ofp_field_id ids[2] = {
		a->type == OFPACT_LOAD ? a->load.field : a->move.src.field,
		a->type == OFPACT_LOAD ? a->load.field : a->move.dst.field,
	};

	for (unsigned i = 0; i < 2; i++) {
		const struct ofp_field *mf = ofp_field_from_id(ids[i]);

		if (!ofp_field_prereq_ok(mf, &c->spec->match))
			return perr(c, "%s: field '%s' requires %s in the match",
				    a->type == OFPACT_LOAD ? "load" : "move",
				    ofp_nxm_name(mf->id),
				    ofp_field_prereq_name(mf->prereq));
	}
	return 0;
}

/*
 * Actions against the match, as Open vSwitch checks them: set_field needs
 * its field's prerequisites in the match; the OpenFlow 1.0 mod_* actions
 * and dec_ttl apply only to packets that have the header (a no-op for
 * the others), but an action the match rules out for every packet
 * (arp,actions=mod_nw_src:...) would be silently dead, so it is refused.
 */
static int check_action_prereqs(struct parse_ctx *c)
{
	const struct match *m = &c->spec->match;
	size_t i;

	for (i = 0; i < c->spec->acts->n; i++) {
		const struct ofpact *a = &c->spec->acts->a[i];
		const struct ofp_field *mf;

		if (a->type == OFPACT_DEC_TTL &&
		    !ofp_field_prereq_possible(PREREQ_IP_ANY, m))
			return perr(c, "action 'dec_ttl' can never apply: "
				    "the match excludes ip and ipv6");
		if (a->type == OFPACT_CT && a->ct.nat.kind != ODP_NAT_NONE) {
			/* as Open vSwitch: the family NAT works in is known */
			mf = ofp_field_from_id(a->ct.nat.af == 4 ? MFF_IPV4_SRC :
					       a->ct.nat.af == 6 ? MFF_IPV6_SRC :
					       MFF_IP_PROTO);
			if (!ofp_field_prereq_ok(mf, m))
				return perr(c, "'ct(nat)' requires %s in the "
					    "match", ofp_field_prereq_name(mf->prereq));
		}
		if (a->type == OFPACT_LOAD || a->type == OFPACT_MOVE) {
			if (check_subfield_prereqs(c, a))
				return -1;
			continue;
		}
		if (a->type != OFPACT_SET_FIELD)
			continue;
		mf = ofp_field_from_id(a->set.field);
		if (a->spelling == OFPACT_SP_SET_FIELD) {
			if (!ofp_field_prereq_ok(mf, m))
				return perr(c, "set_field to '%s' requires %s "
					    "in the match", mf->name,
					    ofp_field_prereq_name(mf->prereq));
		} else if (!ofp_field_prereq_possible(mf->prereq, m)) {
			return perr(c, "action '%s' can never apply: the "
				    "match excludes %s", ofpact_mod_name(mf->id),
				    ofp_field_prereq_name(mf->prereq));
		}
	}
	return 0;
}

int ofp_parse_flow(const char *text, enum ofp_parse_mode mode,
		   ofp_port_lookup_fn lookup, void *aux,
		   struct ofp_rule_spec *out, char *err, size_t errlen)
{
	struct parse_ctx c = {
		.mode = mode, .lookup = lookup, .aux = aux, .spec = out,
		.err = err, .errlen = errlen,
	};
	char *copy, *acts = NULL, *at;
	int ret = -1;

	ofp_rule_spec_init(out);
	if (mode == OFP_PARSE_ADD)
		out->cookie_mask = ~0ull;
	copy = strdup(text ? text : "");
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	at = find_actions(copy, &acts);
	if (at)
		*at = '\0';
	if (at && mode != OFP_PARSE_ADD) {
		perr(&c, "actions are not allowed %s",
		     mode == OFP_PARSE_FILTER ? "in a filter" : "in a packet");
		goto out;
	}
	if (!at && mode == OFP_PARSE_ADD) {
		perr(&c, "must specify actions (actions=...)");
		goto out;
	}
	if (parse_match_text(&c, copy))
		goto out;
	if (mode == OFP_PARSE_PACKET && !c.in_port_set) {
		perr(&c, "a packet description needs in_port");
		goto out;
	}
	if (at) {
		if (ofp_parse_actions(acts, lookup, aux, &out->acts, err, errlen))
			goto out;
		out->has_actions = true;
		if (check_action_prereqs(&c))
			goto out;
	}
	ret = 0;
out:
	free(copy);
	if (ret)
		ofp_rule_spec_free(out);
	return ret;
}
