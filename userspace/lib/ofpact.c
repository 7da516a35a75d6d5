// SPDX-License-Identifier: GPL-2.0
/* OpenFlow action lists and their ovs-ofctl syntax. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ofpact.h"
#include "ofp-ct.h"
#include "ofp-token.h"

struct ofpacts *ofpacts_new(void)
{
	return calloc(1, sizeof(struct ofpacts));
}

struct ofpact *ofpacts_push(struct ofpacts *o, enum ofpact_type type)
{
	struct ofpact *n = realloc(o->a, (o->n + 1) * sizeof(*n));

	if (!n)
		return NULL;
	o->a = n;
	memset(&n[o->n], 0, sizeof(*n));
	n[o->n].type = type;
	return &n[o->n++];
}

struct ofpacts *ofpacts_clone(const struct ofpacts *src)
{
	struct ofpacts *o = ofpacts_new();

	if (!o || !src || !src->n)
		return o;
	o->a = malloc(src->n * sizeof(*o->a));
	if (!o->a) {
		free(o);
		return NULL;
	}
	memcpy(o->a, src->a, src->n * sizeof(*o->a));
	o->n = src->n;
	return o;
}

bool ofpacts_equal(const struct ofpacts *a, const struct ofpacts *b)
{
	size_t na = a ? a->n : 0, nb = b ? b->n : 0;

	return na == nb && (!na || !memcmp(a->a, b->a, na * sizeof(*a->a)));
}

bool ofpacts_output_to(const struct ofpacts *o, uint32_t port)
{
	for (size_t i = 0; o && i < o->n; i++)
		if (o->a[i].type == OFPACT_OUTPUT && o->a[i].port == port)
			return true;
	return false;
}

bool ofpacts_output_to_group(const struct ofpacts *o, uint32_t id)
{
	for (size_t i = 0; o && i < o->n; i++)
		if (o->a[i].type == OFPACT_GROUP && o->a[i].group_id == id)
			return true;
	return false;
}

void ofpacts_free(struct ofpacts *o)
{
	if (!o)
		return;
	free(o->a);
	free(o);
}

struct act_ctx {
	ofp_port_lookup_fn lookup;
	void *aux;
	struct ofpacts *acts;
	char *err;
	size_t errlen;
};

static int aerr(struct act_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int aerr(struct act_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static struct ofpact *push(struct act_ctx *c, enum ofpact_type t)
{
	struct ofpact *a = ofpacts_push(c->acts, t);

	if (!a)
		aerr(c, "out of memory");
	return a;
}

static int act_uint(struct act_ctx *c, const char *key, const char *s,
		    unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return aerr(c, "invalid value in '%s:%s'", key, *s ? s : "");
	*out = strtoul(s, &end, 0);
	if (errno || *end)
		return aerr(c, "invalid value in '%s:%s'", key, s);
	if (*out > max)
		return aerr(c, "value out of range in '%s:%s' (0..%lu)", key, s, max);
	return 0;
}

static int act_output(struct act_ctx *c, const char *key, const char *s)
{
	struct ofpact *a;
	uint32_t port;

	if (ofp_parse_port(key, s, c->lookup, c->aux, &port, c->err, c->errlen))
		return -1;
	if (port == OFPP_CONTROLLER) {
		a = push(c, OFPACT_CONTROLLER);
		if (a)
			a->max_len = OFPACT_CONTROLLER_ALL;
		return a ? 0 : -1;
	}
	if (port == OFPP_NONE || port == OFPP_TABLE ||
	    (port > OFPP_MAX && port < OFPP_IN_PORT))
		return aerr(c, "unsupported output port '%s' in '%s:%s'", s, key, s);
	a = push(c, OFPACT_OUTPUT);
	if (!a)
		return -1;
	a->port = port;
	return 0;
}

/* resubmit:port, resubmit(port), resubmit(port,table), resubmit(,table) */
static int act_resubmit(struct act_ctx *c, char *s)
{
	char *comma = strchr(s, ','), *tab = NULL;
	uint32_t port = OFPP_IN_PORT;
	unsigned long table = OFP_TABLE_CURRENT;
	struct ofpact *a;

	if (comma) {
		*comma = '\0';
		tab = comma + 1;
		if (strchr(tab, ','))
			return aerr(c, "too many arguments in 'resubmit(%s,%s)'", s, tab);
	}
	if (*s && ofp_parse_port("resubmit", s, c->lookup, c->aux, &port,
				 c->err, c->errlen))
		return -1;
	if (tab && *tab && act_uint(c, "resubmit", tab, OFP_N_TABLES - 1, &table))
		return -1;
	if (!*s && (!tab || !*tab))
		return aerr(c, "resubmit needs a port or a table");
	a = push(c, OFPACT_RESUBMIT);
	if (!a)
		return -1;
	a->resubmit.port = port;
	a->resubmit.table = (uint8_t)table;
	return 0;
}

/* mod_* shorthands: the field they write. */
static const struct {
	const char *name;
	enum ofp_field_id field;
} mod_actions[] = {
	{ "mod_dl_src", MFF_ETH_SRC },
	{ "mod_dl_dst", MFF_ETH_DST },
	{ "mod_nw_src", MFF_IPV4_SRC },
	{ "mod_nw_dst", MFF_IPV4_DST },
	{ "mod_nw_tos", MFF_IP_DSCP },
	{ "mod_nw_ttl", MFF_IP_TTL },
	{ "mod_tp_src", MFF_TP_SRC },
	{ "mod_tp_dst", MFF_TP_DST },
};

const char *ofpact_mod_name(enum ofp_field_id id)
{
	unsigned i;

	for (i = 0; i < sizeof(mod_actions) / sizeof(mod_actions[0]); i++)
		if (mod_actions[i].field == id)
			return mod_actions[i].name;
	return ofp_field_from_id(id)->name;
}

static int act_set(struct act_ctx *c, const char *key, enum ofp_field_id id,
		   const char *s, enum ofpact_spelling sp)
{
	const struct ofp_field *mf = ofp_field_from_id(id);
	union ofp_field_value v, m;
	struct ofpact *a;

	if (!*s)
		return aerr(c, "missing value for '%s'", key);
	if (ofp_field_parse(mf, key, s, false, &v, &m, c->err, c->errlen))
		return -1;
	a = push(c, OFPACT_SET_FIELD);
	if (!a)
		return -1;
	a->spelling = sp;
	a->set.field = id;
	a->set.value = v;
	return 0;
}

/* set_field:VALUE->FIELD */
static int act_set_field(struct act_ctx *c, char *s)
{
	char *arrow = strstr(s, "->");
	const struct ofp_field *mf;

	if (!arrow)
		return aerr(c, "set_field needs VALUE->FIELD in 'set_field:%s'", s);
	*arrow = '\0';
	mf = ofp_field_by_name(arrow + 2);
	if (!mf)
		return aerr(c, "unknown field '%s' in set_field", arrow + 2);
	if (!mf->writable)
		return aerr(c, "field '%s' cannot be set with set_field", arrow + 2);
	if (strchr(s, '/')) {	/* a masked write: a load of the mask's bits */
		struct ofpact *a = push(c, OFPACT_LOAD);

		return a ? ofpact_set_field_masked(mf, arrow + 2, s, a, c->err,
						   c->errlen) : -1;
	}
	return act_set(c, arrow + 2, mf->id, s, OFPACT_SP_SET_FIELD);
}

static int act_vlan(struct act_ctx *c, const char *key, const char *s)
{
	unsigned long v;
	struct ofpact *a;

	if (!strcmp(key, "strip_vlan") || !strcmp(key, "pop_vlan")) {
		if (*s)
			return aerr(c, "'%s' takes no argument", key);
		a = push(c, OFPACT_STRIP_VLAN);
		if (a && !strcmp(key, "pop_vlan"))
			a->spelling = OFPACT_SP_POP_VLAN;
		return a ? 0 : -1;
	}
	if (!strcmp(key, "push_vlan")) {
		if (act_uint(c, key, s, 0xffff, &v))
			return -1;
		if (v != ETH_TYPE_VLAN)
			return aerr(c, "push_vlan: only ethertype 0x8100 is "
				    "supported, not '%s'", s);
		a = push(c, OFPACT_PUSH_VLAN);
		if (a)
			a->ethertype = (uint16_t)v;
		return a ? 0 : -1;
	}
	if (!strcmp(key, "mod_vlan_vid")) {
		if (act_uint(c, key, s, VSW_VLAN_VID_MASK, &v))
			return -1;
		a = push(c, OFPACT_SET_VLAN_VID);
		if (a)
			a->vid = (uint16_t)v;
		return a ? 0 : -1;
	}
	if (act_uint(c, key, s, 7, &v))		/* mod_vlan_pcp */
		return -1;
	a = push(c, OFPACT_SET_VLAN_PCP);
	if (a)
		a->pcp = (uint8_t)v;
	return a ? 0 : -1;
}

static int kw_output(struct act_ctx *c, const char *key, char *value)
{
	return act_output(c, key, value);
}

/* NORMAL, FLOOD, ALL, IN_PORT, LOCAL: output to that port. */
static int kw_port_word(struct act_ctx *c, const char *key, char *value)
{
	if (*value)
		return aerr(c, "unexpected argument in '%s:%s'", key, value);
	return act_output(c, "output", key);
}

/* CONTROLLER, CONTROLLER:max_len, controller(max_len=N): a PACKET_IN
 * with at most max_len bytes of the packet (default: all of it). The
 * other controller() arguments of Open vSwitch are refused. */
static int kw_controller(struct act_ctx *c, const char *key, char *value)
{
	unsigned long max_len = OFPACT_CONTROLLER_ALL;
	char *pos = value, *k, *v;
	struct ofpact *a;

	if (isdigit((unsigned char)*value)) {
		if (act_uint(c, key, value, OFPACT_CONTROLLER_ALL, &max_len))
			return -1;
	} else {
		while (ofp_next_token(&pos, &k, &v)) {
			if (strcmp(k, "max_len"))
				return aerr(c, "'%s' is not supported in controller(...)", k);
			if (act_uint(c, "max_len", v, OFPACT_CONTROLLER_ALL, &max_len))
				return -1;
		}
	}
	a = push(c, OFPACT_CONTROLLER);
	if (a)
		a->max_len = (uint16_t)max_len;
	return a ? 0 : -1;
}

static int kw_resubmit(struct act_ctx *c, const char *key, char *value)
{
	return act_resubmit(c, value);
}

static int kw_goto_table(struct act_ctx *c, const char *key, char *value)
{
	unsigned long v;
	struct ofpact *a;

	if (act_uint(c, key, value, OFP_N_TABLES - 1, &v))
		return -1;
	a = push(c, OFPACT_GOTO_TABLE);
	if (a)
		a->table = (uint8_t)v;
	return a ? 0 : -1;
}

static int kw_vlan(struct act_ctx *c, const char *key, char *value)
{
	return act_vlan(c, key, value);
}

static int kw_mod(struct act_ctx *c, const char *key, char *value)
{
	unsigned i;

	for (i = 0; strcmp(key, mod_actions[i].name); i++)
		;
	return act_set(c, key, mod_actions[i].field, value, OFPACT_SP_MOD);
}

static int kw_set_field(struct act_ctx *c, const char *key, char *value)
{
	return act_set_field(c, value);
}

/* set_tunnel:N (32 bits, as in ovs-ofctl) and set_tunnel64:N write
 * tun_id; they read back as set_field:N->tun_id. */
static int kw_set_tunnel(struct act_ctx *c, const char *key, char *value)
{
	char *end;

	if (!strcmp(key, "set_tunnel") && *value &&
	    strtoull(value, &end, 0) > UINT32_MAX && !*end)
		return aerr(c, "set_tunnel takes 32 bits in 'set_tunnel:%s' "
			    "(set_tunnel64 takes 64)", value);
	return act_set(c, key, MFF_TUN_ID, value, OFPACT_SP_SET_FIELD);
}

static int kw_dec_ttl(struct act_ctx *c, const char *key, char *value)
{
	if (*value)
		return aerr(c, "dec_ttl with controller ids is not "
			    "supported in 'dec_ttl(%s)'", value);
	return push(c, OFPACT_DEC_TTL) ? 0 : -1;
}

static int kw_ct(struct act_ctx *c, const char *key, char *value)
{
	struct ofpact *a = push(c, OFPACT_CT);

	return a ? ofpact_ct_parse(value, a, c->err, c->errlen) : -1;
}

/* group:N, N a group number (0..0xffffff00) */
static int kw_group(struct act_ctx *c, const char *key, char *value)
{
	unsigned long v;
	struct ofpact *a;

	if (act_uint(c, key, value, 0xffffff00UL, &v))
		return -1;
	a = push(c, OFPACT_GROUP);
	if (a)
		a->group_id = (uint32_t)v;
	return a ? 0 : -1;
}

/* load:V->F[a..b], move:SRC[a..b]->DST[c..d], write_metadata:V[/M] */
static int kw_subfield(struct act_ctx *c, const char *key, char *value)
{
	enum ofpact_type t = !strcmp(key, "load") ? OFPACT_LOAD :
			     !strcmp(key, "move") ? OFPACT_MOVE :
			     OFPACT_WRITE_METADATA;
	struct ofpact *a = push(c, t);

	if (!a)
		return -1;
	if (t == OFPACT_LOAD)
		return ofpact_load_parse(value, a, c->err, c->errlen);
	if (t == OFPACT_MOVE)
		return ofpact_move_parse(value, a, c->err, c->errlen);
	return ofpact_write_metadata_parse(value, a, c->err, c->errlen);
}

static int kw_ct_clear(struct act_ctx *c, const char *key, char *value)
{
	if (*value)
		return aerr(c, "ct_clear takes no argument in 'ct_clear:%s'", value);
	return push(c, OFPACT_CT_CLEAR) ? 0 : -1;
}

/* Every action keyword the parser reads. Port words match in any case,
 * as in ovs-ofctl; the others exactly. */
static const struct {
	const char *name;
	int (*parse)(struct act_ctx *, const char *key, char *value);
	bool port_word;
} keywords[] = {
	{ "output", kw_output, false },
	{ "NORMAL", kw_port_word, true },
	{ "FLOOD", kw_port_word, true },
	{ "ALL", kw_port_word, true },
	{ "IN_PORT", kw_port_word, true },
	{ "LOCAL", kw_port_word, true },
	{ "CONTROLLER", kw_controller, true },
	{ "resubmit", kw_resubmit, false },
	{ "goto_table", kw_goto_table, false },
	{ "strip_vlan", kw_vlan, false },
	{ "pop_vlan", kw_vlan, false },
	{ "push_vlan", kw_vlan, false },
	{ "mod_vlan_vid", kw_vlan, false },
	{ "mod_vlan_pcp", kw_vlan, false },
	{ "mod_dl_src", kw_mod, false },
	{ "mod_dl_dst", kw_mod, false },
	{ "mod_nw_src", kw_mod, false },
	{ "mod_nw_dst", kw_mod, false },
	{ "mod_nw_tos", kw_mod, false },
	{ "mod_nw_ttl", kw_mod, false },
	{ "mod_tp_src", kw_mod, false },
	{ "mod_tp_dst", kw_mod, false },
	{ "set_field", kw_set_field, false },
	{ "dec_ttl", kw_dec_ttl, false },
	{ "ct", kw_ct, false },
	{ "ct_clear", kw_ct_clear, false },
	{ "set_tunnel", kw_set_tunnel, false },
	{ "set_tunnel64", kw_set_tunnel, false },
	{ "group", kw_group, false },
	{ "load", kw_subfield, false },
	{ "move", kw_subfield, false },
	{ "write_metadata", kw_subfield, false },
};

const char *ofpact_keyword(size_t i)
{
	return i < sizeof(keywords) / sizeof(keywords[0]) ? keywords[i].name
							  : NULL;
}

static int parse_action(struct act_ctx *c, char *key, char *value)
{
	uint32_t port;
	struct ofpact *a;
	unsigned i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		if (keywords[i].port_word ? !strcasecmp(key, keywords[i].name)
					  : !strcmp(key, keywords[i].name))
			return keywords[i].parse(c, key, value);
	}
	if (isdigit((unsigned char)*key)) {
		if (*value)
			return aerr(c, "unexpected argument in '%s:%s'", key, value);
		return act_output(c, "output", key);
	}
	if (!strcmp(key, "drop"))
		return aerr(c, "'drop' must be the only action");
	if (!strcmp(key, "nat"))
		return aerr(c, "'nat' is an argument of ct, not an action: "
			    "write ct(commit,nat(...))");
	/* A port name given as a bare word outputs to it, as in ovs-ofctl. */
	if (!*value && c->lookup && !c->lookup(c->aux, key, &port)) {
		a = push(c, OFPACT_OUTPUT);
		if (a)
			a->port = port;
		return a ? 0 : -1;
	}
	return aerr(c, "unknown or unsupported action '%s'", key);
}

/* write_metadata is an OpenFlow instruction: as ovs-ofctl requires, it
 * comes once, after the actions, with at most goto_table after it. */
static int check_instruction_order(struct act_ctx *c)
{
	const struct ofpacts *o = c->acts;

	for (size_t i = 0; i < o->n; i++) {
		if (o->a[i].type != OFPACT_WRITE_METADATA)
			continue;
		if (i + 1 < o->n && o->a[i + 1].type != OFPACT_GOTO_TABLE)
			return aerr(c, "write_metadata must come after the other "
				    "actions, followed by goto_table at most "
				    "(OpenFlow instruction order)");
	}
	return 0;
}

int ofp_parse_actions(const char *text, ofp_port_lookup_fn lookup, void *aux,
		      struct ofpacts **out, char *err, size_t errlen)
{
	struct act_ctx c = { lookup, aux, NULL, err, errlen };
	char *copy = strdup(text ? text : ""), *pos, *key, *value, *t;
	int ret = -1;

	*out = NULL;
	c.acts = ofpacts_new();
	if (!copy || !c.acts) {
		aerr(&c, "out of memory");
		goto out;
	}
	for (t = copy; isspace((unsigned char)*t); t++)
		;
	if (!strcmp(t, "drop") || !strncmp(t, "drop ", 5) || !*t) {
		if (!*t) {
			aerr(&c, "empty action list (use actions=drop)");
			goto out;
		}
		for (t += 4; isspace((unsigned char)*t); t++)
			;
		if (*t) {
			aerr(&c, "'drop' must be the only action");
			goto out;
		}
		ret = 0;
		goto out;
	}
	pos = copy;
	while (ofp_next_token(&pos, &key, &value))
		if (parse_action(&c, key, value))
			goto out;
	ret = check_instruction_order(&c);
out:
	free(copy);
	if (ret) {
		ofpacts_free(c.acts);
	} else {
		*out = c.acts;
	}
	return ret;
}
