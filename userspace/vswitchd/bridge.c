// SPDX-License-Identifier: GPL-2.0
#include "bridge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fail-open.h"
#include "mac-learning.h"
#include "ofconn.h"
#include "ofp-group.h"
#include "patch-port.h"
#include "ofpact.h"
#include "pipeline.h"
#include "tunnel-port.h"
#include "util.h"
#include "vswitchd.h"

/* ---- settings ---- */

static int parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return -1;
	*out = v;
	return 0;
}

/* "500ms", "10s", or a bare number of milliseconds. */
static int parse_ms(const char *s, uint32_t *out)
{
	char num[32];
	size_t n = strspn(s, "0123456789");
	uint32_t v, mult;

	if (!n || n >= sizeof(num))
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	if (parse_u32(num, &v))
		return -1;
	if (!strcmp(s + n, "") || !strcmp(s + n, "ms"))
		mult = 1;
	else if (!strcmp(s + n, "s"))
		mult = 1000;
	else
		return -1;
	if ((uint64_t)v * mult > UINT32_MAX)
		return -1;
	*out = v * mult;
	return 0;
}

struct setting {
	const char *key;
	size_t off;
	bool ms;			/* a duration: ms or s suffix */
	uint32_t min, max;
	bool pow2_or_zero;
	bool zero_or_range;		/* 0 also allowed (off) */
	const char *what;		/* for the error message */
};

#define S(k, field, ms, lo, hi, p2, w) \
	{ k, offsetof(struct bridge_settings, field), ms, lo, hi, p2, false, w }

static const struct setting settings[] = {
	S("flow-limit", flow_limit, false, 1, 10000000, false,
	  "a number of megaflows, 1..10000000"),
	S("idle-timeout", idle_timeout_ms, true, 100, 3600000, false,
	  "a duration of 100ms..3600s (e.g. 500ms, 10s; a bare number is ms)"),
	S("microflow-size", microflow_size, false, 0, VSW_MICROFLOW_MAX, true,
	  "0 or a power of two up to 1048576"),
	S("upcall-rate", upcall_rate, false, 0, 100000000, false,
	  "upcalls per second per port, 0 = unlimited"),
	S("upcall-burst", upcall_burst, false, 1, 100000000, false,
	  "a bucket depth of at least 1"),
	S("handler-threads", handler_threads, false, 1, 64, false,
	  "a thread count of 1..64"),
	{ "inactivity-probe", offsetof(struct bridge_settings,
				       inactivity_probe_ms), true, 100, 3600000,
	  false, true, "0 (no probes) or a duration of 100ms..3600s" },
};
#undef S

static void bridge_settings_default(struct bridge_settings *s)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	s->flow_limit = VSW_FLOW_LIMIT_DEFAULT;
	s->idle_timeout_ms = 10000;
	s->microflow_size = VSW_MICROFLOW_DEFAULT;
	s->upcall_rate = VSW_UPCALL_RATE_DEFAULT;
	s->upcall_burst = VSW_UPCALL_BURST_DEFAULT;
	s->handler_threads = ncpu < 1 ? 1 : ncpu > 8 ? 8 : ncpu;
	s->inactivity_probe_ms = OFCONN_PROBE_MS;
}

int bridge_settings_parse(struct bridge_settings *s, const char *kv,
			  char *err, size_t errlen)
{
	const char *eq = strchr(kv, '=');
	size_t i, klen;
	uint32_t v;

	if (!eq) {
		snprintf(err, errlen, "expected KEY=VALUE, got '%s'", kv);
		return -1;
	}
	klen = eq - kv;
	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		const struct setting *st = &settings[i];

		if (strlen(st->key) != klen || strncmp(st->key, kv, klen))
			continue;
		if ((st->ms ? parse_ms(eq + 1, &v) : parse_u32(eq + 1, &v)) ||
		    ((v < st->min || v > st->max) && !(st->zero_or_range && !v)) ||
		    (st->pow2_or_zero && (v & (v - 1)))) {
			snprintf(err, errlen, "invalid value '%s' for %s: want %s",
				 eq + 1, st->key, st->what);
			return -1;
		}
		*(uint32_t *)((char *)s + st->off) = v;
		return 0;
	}
	snprintf(err, errlen, "unknown setting '%.*s' (known: flow-limit, "
		 "idle-timeout, microflow-size, upcall-rate, upcall-burst, "
		 "handler-threads, inactivity-probe)", (int)klen, kv);
	return -1;
}

void bridge_settings_format(const struct bridge_settings *s, char *buf,
			    size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(settings) && off < len; i++) {
		uint32_t v = *(const uint32_t *)((const char *)s + settings[i].off);

		off += snprintf(buf + off, len - off, "%s%s=%u%s", i ? " " : "",
				settings[i].key, v, settings[i].ms ? "ms" : "");
	}
}

/* ---- bridges ---- */

struct bridge *bridge_find(const char *name)
{
	struct bridge *br;

	vswd_assert_locked();
	for (br = vswd.bridges; br; br = br->next)
		if (!strcmp(br->name, name))
			return br;
	return NULL;
}

static int check_ifname(const char *what, const char *name, char *err,
			size_t errlen)
{
	size_t i, n = strlen(name);

	if (!n || n >= IFNAMSIZ) {
		snprintf(err, errlen, "invalid %s name '%s': 1..%d characters",
			 what, name, IFNAMSIZ - 1);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (name[i] == '/' || name[i] == ':' || name[i] == ',' ||
		    name[i] == '=' || name[i] <= ' ' || name[i] > '~') {
			snprintf(err, errlen, "invalid %s name '%s': character '%c' "
				 "not allowed", what, name, name[i]);
			return -1;
		}
	}
	if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "LOCAL")) {
		snprintf(err, errlen, "invalid %s name '%s'", what, name);
		return -1;
	}
	return 0;
}

struct bridge *bridge_create(const char *name, char *err, size_t errlen)
{
	struct bridge *br, **pp;

	vswd_assert_locked();
	if (check_ifname("bridge", name, err, errlen))
		return NULL;
	if (bridge_find(name)) {
		snprintf(err, errlen, "bridge '%s' already exists", name);
		return NULL;
	}
	if (port_find_any(name, NULL)) {
		snprintf(err, errlen, "'%s' is already a port", name);
		return NULL;
	}
	br = calloc(1, sizeof(*br));
	if (!br)
		goto err_oom;
	snprintf(br->name, sizeof(br->name), "%s", name);
	br->pl = pipeline_create();
	if (!br->pl)
		goto err_free_br;
	br->groups = group_table_create();
	if (!br->groups)
		goto err_destroy_pl;
	br->macs = mac_table_create(MAC_DEFAULT_MAX, MAC_DEFAULT_AGING);
	if (!br->macs)
		goto err_destroy_groups;
	bridge_settings_default(&br->set);
	if (vswd.default_handlers)
		br->set.handler_threads = vswd.default_handlers;
	ukey_table_init(&br->ukeys);
	br->created_ms = vsw_time_msec();
	for (pp = &vswd.bridges; *pp && strcmp((*pp)->name, name) < 0;
	     pp = &(*pp)->next)
		;
	br->next = *pp;
	*pp = br;
	bridge_refresh(br);
	return br;

err_destroy_groups:
	group_table_destroy(br->groups);
err_destroy_pl:
	pipeline_destroy(br->pl);
err_free_br:
	free(br);
err_oom:
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void bridge_destroy(struct bridge *br)
{
	struct bridge **pp;
	size_t i;

	vswd_assert_locked();
	for (pp = &vswd.bridges; *pp; pp = &(*pp)->next) {
		if (*pp == br) {
			*pp = br->next;
			break;
		}
	}
	for (i = 0; i < br->n_ports; i++)
		free(br->ports[i].trunks);
	free(br->ports);
	free(br->xports);
	ukey_table_destroy(&br->ukeys);
	mac_table_destroy(br->macs);
	group_table_destroy(br->groups);
	pipeline_destroy(br->pl);
	free(br);
}

/* ---- ports ---- */

struct port *bridge_find_port(struct bridge *br, const char *name)
{
	size_t i;

	for (i = 0; i < br->n_ports; i++)
		if (!strcmp(br->ports[i].name, name))
			return &br->ports[i];
	return NULL;
}

struct port *bridge_find_port_no(struct bridge *br, uint32_t port_no)
{
	size_t i;

	for (i = 0; i < br->n_ports; i++)
		if (br->ports[i].ofport == port_no)
			return &br->ports[i];
	return NULL;
}

struct port *port_find_any(const char *name, struct bridge **brp)
{
	struct bridge *br;

	for (br = vswd.bridges; br; br = br->next) {
		struct port *p = bridge_find_port(br, name);

		if (p) {
			if (brp)
				*brp = br;
			return p;
		}
	}
	return NULL;
}

static int parse_vid(const char *s, uint16_t *vid)
{
	uint32_t v;

	if (parse_u32(s, &v) || v < 1 || v > 4094)
		return -1;
	*vid = v;
	return 0;
}

static int cmp_u16(const void *a, const void *b)
{
	return *(const uint16_t *)a - *(const uint16_t *)b;
}

static int parse_trunks(struct port *p, const char *list, char *err,
			size_t errlen)
{
	char buf[strlen(list) + 1], *tok, *save = NULL;
	uint16_t *v = calloc(BRIDGE_MAX_TRUNKS, sizeof(*v));
	size_t n = 0, i, j;

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(buf, list, sizeof(buf));
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == BRIDGE_MAX_TRUNKS || parse_vid(tok, &v[n])) {
			snprintf(err, errlen, "invalid VLAN '%s' in trunks=%s: want "
				 "1..4094", tok, list);
			free(v);
			return -1;
		}
		n++;
	}
	if (!n) {
		snprintf(err, errlen, "empty trunks= list");
		free(v);
		return -1;
	}
	qsort(v, n, sizeof(*v), cmp_u16);
	for (i = j = 0; i < n; i++)	/* drop duplicates */
		if (!j || v[j - 1] != v[i])
			v[j++] = v[i];
	free(p->trunks);
	p->trunks = v;
	p->n_trunks = j;
	return 0;
}

int port_parse_option(struct port *p, const char *opt, char *err,
		      size_t errlen)
{
	uint32_t v;
	int ret;

	ret = patch_parse_option(p, opt, err, errlen);
	if (ret <= 0)
		return ret;
	ret = tnl_parse_option(&p->tnl, opt, err, errlen);
	if (ret <= 0)
		return ret;
	if (!strncmp(opt, "ofport=", 7)) {
		if (parse_u32(opt + 7, &v) || v < 1 || v > VSW_PORT_MAX) {
			snprintf(err, errlen, "invalid ofport '%s': want 1..%u",
				 opt + 7, VSW_PORT_MAX);
			return -1;
		}
		p->ofport = v;
		return 0;
	}
	if (!strncmp(opt, "tag=", 4)) {
		if (p->mode == XVLAN_TRUNK) {
			snprintf(err, errlen, "tag= and trunks= exclude each other");
			return -1;
		}
		if (parse_vid(opt + 4, &p->tag)) {
			snprintf(err, errlen, "invalid tag '%s': want a VLAN 1..4094",
				 opt + 4);
			return -1;
		}
		p->mode = XVLAN_ACCESS;
		return 0;
	}
	if (!strncmp(opt, "trunks=", 7)) {
		if (p->mode == XVLAN_ACCESS) {
			snprintf(err, errlen, "tag= and trunks= exclude each other");
			return -1;
		}
		if (parse_trunks(p, opt + 7, err, errlen))
			return -1;
		p->mode = XVLAN_TRUNK;
		return 0;
	}
	snprintf(err, errlen, "unknown port option '%s' (known: ofport=N, "
		 "tag=VID, trunks=VID,..., type=vxlan|geneve|gre|patch, "
		 "options:KEY=VALUE)", opt);
	return -1;
}

static uint32_t alloc_port_no(struct bridge *br)
{
	uint32_t n;

	for (n = 1; n <= VSW_PORT_MAX; n++)
		if (!bridge_find_port_no(br, n))
			return n;
	return 0;
}

struct port *bridge_add_port(struct bridge *br, const struct port *p,
			     char *err, size_t errlen)
{
	struct tnl_port_cfg tnl = p->tnl;	/* completed by tnl_check() */
	struct bridge *other;
	struct port *np, *arr;

	vswd_assert_locked();
	if (check_ifname("interface", p->name, err, errlen))
		return NULL;
	if (bridge_find(p->name)) {
		snprintf(err, errlen, "'%s' is a bridge", p->name);
		return NULL;
	}
	if (port_find_any(p->name, &other)) {
		snprintf(err, errlen, "port '%s' already exists on bridge '%s'",
			 p->name, other->name);
		return NULL;
	}
	if (patch_check(p, err, errlen) ||
	    tnl_check(br, p->name, &tnl, err, errlen))
		return NULL;
	if (p->ofport && bridge_find_port_no(br, p->ofport)) {
		snprintf(err, errlen, "ofport %u already used by '%s'", p->ofport,
			 bridge_find_port_no(br, p->ofport)->name);
		return NULL;
	}
	arr = realloc(br->ports, (br->n_ports + 1) * sizeof(*arr));
	if (!arr) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	br->ports = arr;
	np = &arr[br->n_ports];
	*np = *p;
	np->tnl = tnl;
	np->trunks = NULL;
	np->present = false;
	np->ifindex = 0;
	np->dp_port = 0;
	if (p->n_trunks) {
		np->trunks = malloc(p->n_trunks * sizeof(*np->trunks));
		if (!np->trunks) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		memcpy(np->trunks, p->trunks, p->n_trunks * sizeof(*np->trunks));
	}
	if (!np->ofport)
		np->ofport = alloc_port_no(br);
	if (!np->ofport) {
		free(np->trunks);
		snprintf(err, errlen, "bridge '%s' has no free port number", br->name);
		return NULL;
	}
	br->n_ports++;
	bridge_refresh(br);
	return np;
}

void bridge_del_port(struct bridge *br, struct port *p)
{
	size_t i = p - br->ports;

	vswd_assert_locked();
	free(p->trunks);
	memmove(p, p + 1, (br->n_ports - i - 1) * sizeof(*p));
	br->n_ports--;
	bridge_refresh(br);
}

void port_vlan_desc(const struct port *p, char *buf, size_t len)
{
	size_t i, off;

	switch (p->mode) {
	case XVLAN_ACCESS:
		snprintf(buf, len, "access tag=%u", p->tag);
		break;
	case XVLAN_TRUNK:
		off = snprintf(buf, len, "trunks=");
		for (i = 0; i < p->n_trunks && off < len; i++)
			off += snprintf(buf + off, len - off, "%s%u", i ? "," : "",
					p->trunks[i]);
		break;
	default:
		snprintf(buf, len, "trunk (all VLANs)");
	}
}

/* ---- translation view ---- */

void bridge_refresh(struct bridge *br)
{
	struct xlate_port *xp;
	size_t i;

	xp = realloc(br->xports, (br->n_ports + 1) * sizeof(*xp));
	if (!xp)
		return;	/* keep the old view; the next refresh retries */
	br->xports = xp;
	for (i = 0; i < br->n_ports; i++) {
		const struct port *p = &br->ports[i];

		memset(&xp[i], 0, sizeof(xp[i]));
		xp[i].port_no = p->ofport;
		snprintf(xp[i].name, sizeof(xp[i].name), "%s", p->name);
		xp[i].mode = p->mode;
		xp[i].tag = p->tag;
		xp[i].trunks = p->trunks;
		xp[i].n_trunks = p->n_trunks;
		xp[i].present = p->present || p->patch;
		xp[i].down = p->link_down;
		xp[i].patch = p->patch;
		xp[i].tnl = p->tnl;
		xp[i].odp_port = p->dp_port;
	}
	/* the bridge's own internal port, a trunk of all VLANs */
	memset(&xp[i], 0, sizeof(xp[i]));
	xp[i].port_no = VSW_PORT_LOCAL;
	snprintf(xp[i].name, sizeof(xp[i].name), "%s", br->name);
	xp[i].mode = XVLAN_TRUNK_ALL;
	xp[i].present = br->dp_ok;
	br->n_xports = br->n_ports + 1;
	br->reval_all = true;
}

void bridge_xlate_view(struct bridge *br, struct xlate_bridge *xb)
{
	xb->name = br->name;
	xb->pl = br->pl;
	xb->macs = br->macs;
	xb->ports = br->xports;
	xb->n_ports = br->n_xports;
	xb->fail_open = br->fail_open ? fail_open_rule() : NULL;
	xb->groups = br->groups;
	xb->patch_peer = patch_xlate_peer;
	xb->aux = NULL;
	xb->patch_hops = 0;
}

int bridge_port_lookup(void *aux, const char *name, uint32_t *port_no)
{
	struct bridge *br = aux;
	struct port *p;

	if (!strcmp(name, br->name) || !strcmp(name, "LOCAL")) {
		*port_no = VSW_PORT_LOCAL;
		return 0;
	}
	p = bridge_find_port(br, name);
	if (!p)
		return -1;
	*port_no = p->ofport;
	return 0;
}

const char *bridge_port_name(void *aux, uint32_t port_no)
{
	struct bridge *br = aux;
	struct port *p;

	if (port_no == VSW_PORT_LOCAL)
		return "LOCAL";
	p = bridge_find_port_no(br, port_no);
	return p ? p->name : NULL;
}
