// SPDX-License-Identifier: GPL-2.0
/* Tunnel ports: their options, and their share of a kernel device. */
#include "tunnel-port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "dpif.h"
#include "handler.h"
#include "log.h"
#include "vswitchd.h"

#define KNOWN_OPTIONS "remote_ip, key, local_ip, dst_port, ttl, tos, csum, " \
		      "df_default"

static const char *const type_names[] = {
	[TNL_VXLAN] = "vxlan", [TNL_GENEVE] = "geneve", [TNL_GRE] = "gre",
};

static int parse_uint(const char *s, unsigned long long max,
		      unsigned long long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end || *out > max ? -1 : 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "true"))
		*out = true;
	else if (!strcmp(s, "false"))
		*out = false;
	else
		return -1;
	return 0;
}

/* An IPv4 or IPv6 address into @v4 or @v6; *@is6 says which. */
static int parse_ip(const char *s, uint32_t *v4, struct in6_addr *v6,
		    bool *is6)
{
	if (inet_pton(AF_INET, s, v4) == 1 && *v4) {
		*is6 = false;
		return 0;
	}
	if (inet_pton(AF_INET6, s, v6) == 1 && !IN6_IS_ADDR_UNSPECIFIED(v6)) {
		*is6 = true;
		return 0;
	}
	return -1;
}

static int parse_type(struct tnl_port_cfg *c, const char *v, char *err,
		      size_t errlen)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(type_names); i++) {
		if (!strcmp(v, type_names[i])) {
			c->type = i;
			return 0;
		}
	}
	snprintf(err, errlen, "unknown port type '%s' (known: vxlan, geneve, "
		 "gre, patch)", v);
	return -1;
}

static int parse_remote(struct tnl_port_cfg *c, const char *v)
{
	if (!strcmp(v, "flow")) {
		c->remote_flow = true;
		return 0;
	}
	return parse_ip(v, &c->out.ipv4_dst, &c->out.ipv6_dst, &c->ipv6);
}

static int parse_local(struct tnl_port_cfg *c, const char *v)
{
	bool is6;

	if (parse_ip(v, &c->out.ipv4_src, &c->out.ipv6_src, &is6))
		return -1;
	c->local6 = is6;
	return 0;
}

static int parse_key(struct tnl_port_cfg *c, const char *v)
{
	unsigned long long k;

	if (!strcmp(v, "flow")) {
		c->key_flow = true;
		return 0;
	}
	if (parse_uint(v, UINT32_MAX, &k))
		return -1;
	c->key = k;
	return 0;
}

/* options:KEY=VALUE; @k and @v point into the option. */
static int parse_tnl_opt(struct tnl_port_cfg *c, const char *k, size_t klen,
			 const char *v)
{
	unsigned long long n;
	bool b;

#define IS(name) (klen == strlen(name) && !strncmp(k, name, klen))
	if (IS("remote_ip"))
		return parse_remote(c, v);
	if (IS("local_ip"))
		return parse_local(c, v);
	if (IS("key"))
		return parse_key(c, v);
	if (IS("dst_port")) {
		if (parse_uint(v, 65535, &n) || !n)
			return -1;
		c->dst_port = n;
	} else if (IS("ttl")) {
		if (parse_uint(v, 255, &n) || !n)
			return -1;
		c->out.ttl = n;
	} else if (IS("tos")) {
		if (parse_uint(v, 255, &n))
			return -1;
		c->out.tos = n;
	} else if (IS("csum")) {
		if (parse_bool(v, &b))
			return -1;
		c->out.flags = b ? c->out.flags | VSW_TUNNEL_F_CSUM :
				   c->out.flags & ~VSW_TUNNEL_F_CSUM;
		c->csum_given = true;
	} else if (IS("df_default")) {
		if (parse_bool(v, &b))
			return -1;
		c->no_df = !b;
	} else {
		return 1;
	}
#undef IS
	return 0;
}

static const char *value_hint(const char *k, size_t klen)
{
	static const struct { const char *k, *hint; } hints[] = {
		{ "remote_ip", "an IPv4 or IPv6 address (not 0) or 'flow'" },
		{ "local_ip", "an IPv4 or IPv6 address (not 0)" },
		{ "key", "a number (vxlan, geneve: 0..16777215; gre: "
			 "0..4294967295) or 'flow'" },
		{ "dst_port", "a UDP port 1..65535" },
		{ "ttl", "1..255" },
		{ "tos", "0..255" },
		{ "csum", "true or false" },
		{ "df_default", "true or false" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hints); i++)
		if (strlen(hints[i].k) == klen && !strncmp(hints[i].k, k, klen))
			return hints[i].hint;
	return "?";
}

/* Open vSwitch's tunnel options and values that vswitch does not have:
 * refused as such, not as unknown or malformed (value NULL: any value). */
static const struct { const char *k, *v; } not_supported[] = {
	{ "local_ip", "flow" }, { "tos", "inherit" }, { "ttl", "inherit" },
	{ "in_key", NULL }, { "out_key", NULL }, { "exts", NULL },
	{ "egress_pkt_mark", NULL }, { "packet_type", NULL }, { "seq", NULL },
	{ "pmtud", NULL }, { "remote_cert", NULL }, { "psk", NULL },
	{ "erspan_ver", NULL }, { "erspan_idx", NULL }, { "erspan_dir", NULL },
	{ "erspan_hwid", NULL },
};

static bool unsupported(const char *k, size_t klen, const char *v, char *err,
			size_t errlen)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(not_supported); i++) {
		if (strlen(not_supported[i].k) != klen ||
		    strncmp(not_supported[i].k, k, klen))
			continue;
		if (!not_supported[i].v)
			snprintf(err, errlen, "tunnel option '%.*s' is not "
				 "supported (vswitch has: " KNOWN_OPTIONS ")",
				 (int)klen, k);
		else if (!strcmp(not_supported[i].v, v))
			snprintf(err, errlen, "options:%.*s=%s is not "
				 "supported: want %s", (int)klen, k, v,
				 value_hint(k, klen));
		else
			continue;
		return true;
	}
	return false;
}

int tnl_parse_option(struct tnl_port_cfg *c, const char *opt, char *err,
		     size_t errlen)
{
	const char *k, *eq;
	int ret;

	if (!strncmp(opt, "type=", 5))
		return parse_type(c, opt + 5, err, errlen);
	if (strncmp(opt, "options:", 8))
		return 1;
	k = opt + 8;
	eq = strchr(k, '=');
	if (!eq) {
		snprintf(err, errlen, "expected options:KEY=VALUE, got '%s'", opt);
		return -1;
	}
	c->has_opts = true;
	if (unsupported(k, eq - k, eq + 1, err, errlen))
		return -1;
	ret = parse_tnl_opt(c, k, eq - k, eq + 1);
	if (ret > 0)
		snprintf(err, errlen, "unknown tunnel option '%.*s' (known: "
			 KNOWN_OPTIONS ")", (int)(eq - k), k);
	else if (ret < 0)
		snprintf(err, errlen, "invalid value '%s' for options:%.*s: want "
			 "%s", eq + 1, (int)(eq - k), k, value_hint(k, eq - k));
	return ret ? -1 : 0;
}

/* Another bridge with a port on @c's device, or NULL. */
static struct bridge *device_owner(struct bridge *br, const char *name,
				   const struct tnl_port_cfg *c)
{
	char mine[16], theirs[16];
	struct bridge *o;
	size_t i;

	tnl_dev_name(c, mine);
	for (o = vswd.bridges; o; o = o->next) {
		for (i = 0; o != br && i < o->n_ports; i++) {
			if (!o->ports[i].tnl.type || !strcmp(o->ports[i].name, name))
				continue;
			tnl_dev_name(&o->ports[i].tnl, theirs);
			if (!strcmp(mine, theirs))
				return o;
		}
	}
	return NULL;
}

static int check_values(const struct tnl_port_cfg *c, char *err,
			size_t errlen)
{
	uint64_t kmax = c->type == TNL_GRE ? UINT32_MAX : 0xffffff;

	if (!c->remote_flow && !c->out.ipv4_dst &&
	    IN6_IS_ADDR_UNSPECIFIED(&c->out.ipv6_dst)) {
		snprintf(err, errlen, "a %s port needs options:remote_ip=IP or "
			 "options:remote_ip=flow", type_names[c->type]);
		return -1;
	}
	if (c->key > kmax) {
		snprintf(err, errlen, "options:key=%llu out of range for %s: "
			 "at most %llu", (unsigned long long)c->key,
			 type_names[c->type], (unsigned long long)kmax);
		return -1;
	}
	if (c->type == TNL_GRE && c->dst_port) {
		snprintf(err, errlen, "options:dst_port is for vxlan and geneve, "
			 "not gre");
		return -1;
	}
	if (c->type == TNL_GRE && c->ipv6) {
		snprintf(err, errlen, "type=gre with an IPv6 remote_ip is not "
			 "supported yet (ip6gretap)");
		return -1;
	}
	if ((c->out.ipv4_src || !IN6_IS_ADDR_UNSPECIFIED(&c->out.ipv6_src)) &&
	    !c->remote_flow && c->local6 != c->ipv6) {
		snprintf(err, errlen, "options:local_ip and options:remote_ip "
			 "are of different address families");
		return -1;
	}
	return 0;
}

int tnl_check(struct bridge *br, const char *name, struct tnl_port_cfg *c,
	      char *err, size_t errlen)
{
	struct bridge *o;

	if (!c->type) {
		if (c->has_opts) {
			snprintf(err, errlen, "options:... are for tunnel ports: "
				 "give type=vxlan, geneve or gre");
			return -1;
		}
		return 0;
	}
	if (check_values(c, err, errlen))
		return -1;
	if (!c->dst_port && c->type != TNL_GRE)
		c->dst_port = c->type == TNL_VXLAN ? 4789 : 6081;
	if (c->remote_flow)
		c->ipv6 = c->local6;
	c->out.tun_id = htobe64(c->key);
	c->out.flags &= ~VSW_TUNNEL_F_DF;
	if (!c->no_df && !c->ipv6)
		c->out.flags |= VSW_TUNNEL_F_DF;
	/* a receiver drops IPv6 UDP with no checksum (udp6zerocsumrx) */
	if (c->ipv6 && !c->csum_given)
		c->out.flags |= VSW_TUNNEL_F_CSUM;
	o = device_owner(br, name, c);
	if (o) {
		char dev[16];

		tnl_dev_name(c, dev);
		snprintf(err, errlen, "bridge '%s' has ports on tunnel device "
			 "%s already; a device serves one bridge", o->name, dev);
		return -1;
	}
	return 0;
}

static void format_ip(struct strbuf *sb, const char *key, bool is6,
		      uint32_t v4, const struct in6_addr *v6)
{
	char buf[INET6_ADDRSTRLEN];

	if (is6)
		inet_ntop(AF_INET6, v6, buf, sizeof(buf));
	else
		inet_ntop(AF_INET, &v4, buf, sizeof(buf));
	strbuf_printf(sb, " options:%s=%s", key, buf);
}

void tnl_format(const struct tnl_port_cfg *c, struct strbuf *sb)
{
	if (!c->type)
		return;
	strbuf_printf(sb, " type=%s", type_names[c->type]);
	if (c->remote_flow)
		strbuf_puts(sb, " options:remote_ip=flow");
	else
		format_ip(sb, "remote_ip", c->ipv6, c->out.ipv4_dst,
			  &c->out.ipv6_dst);
	if (c->out.ipv4_src || !IN6_IS_ADDR_UNSPECIFIED(&c->out.ipv6_src))
		format_ip(sb, "local_ip", c->local6, c->out.ipv4_src,
			  &c->out.ipv6_src);
	if (c->key_flow)
		strbuf_puts(sb, " options:key=flow");
	else if (c->key)
		strbuf_printf(sb, " options:key=%llu", (unsigned long long)c->key);
	if (c->dst_port)
		strbuf_printf(sb, " options:dst_port=%u", c->dst_port);
	if (c->out.ttl)
		strbuf_printf(sb, " options:ttl=%u", c->out.ttl);
	if (c->out.tos)
		strbuf_printf(sb, " options:tos=%u", c->out.tos);
	if (c->csum_given || (c->out.flags & VSW_TUNNEL_F_CSUM))
		strbuf_printf(sb, " options:csum=%s",
			      c->out.flags & VSW_TUNNEL_F_CSUM ? "true" : "false");
	if (c->no_df)
		strbuf_puts(sb, " options:df_default=false");
}

void tnl_dev_name(const struct tnl_port_cfg *c, char name[16])
{
	if (c->type == TNL_VXLAN)
		snprintf(name, 16, "vsw-vxlan-%u", c->dst_port);
	else if (c->type == TNL_GENEVE)
		snprintf(name, 16, "vsw-gnv-%u", c->dst_port);
	else
		snprintf(name, 16, "vsw-gre");
}

/* A port of @br other than @p on @p's device that is attached. */
static struct port *attached_peer(struct bridge *br, const struct port *p)
{
	char mine[16], theirs[16];
	size_t i;

	tnl_dev_name(&p->tnl, mine);
	for (i = 0; i < br->n_ports; i++) {
		struct port *q = &br->ports[i];

		if (q == p || !q->tnl.type || !q->present)
			continue;
		tnl_dev_name(&q->tnl, theirs);
		if (!strcmp(mine, theirs))
			return q;
	}
	return NULL;
}

/* The highest datapath port number no port of @br has. */
static uint32_t free_dp_port(struct bridge *br)
{
	uint32_t n;
	size_t i;

	for (n = VSW_PORT_MAX; n > 0; n--) {
		for (i = 0; i < br->n_ports; i++)
			if (br->ports[i].ofport == n ||
			    (br->ports[i].present && br->ports[i].dp_port == n))
				break;
		if (i == br->n_ports)
			return n;
	}
	return 0;
}

static void mark_attached(struct bridge *br, struct port *p,
			  uint32_t dp_port, uint32_t ifindex)
{
	p->present = true;
	p->dp_port = dp_port;
	p->ifindex = ifindex;
	bridge_refresh(br);
}

/* Attaches device @dev, just made or found, as a new datapath port. */
static int attach_dev(struct bridge *br, struct port *p, const char *dev,
		      char *err, size_t errlen)
{
	struct dpif_port_info info;
	uint32_t no = free_dp_port(br);
	int ret;

	ret = dpif_port_new(vswd.dpif, br->name, dev, no, &info, err, errlen);
	if (ret)
		return ret;
	if (info.type != VSW_PORT_TYPE_TUNNEL) {
		dpif_port_del(vswd.dpif, br->name, no, err, errlen);
		snprintf(err, errlen, "device %s exists and is not a flow-based "
			 "(external) tunnel device; delete it first", dev);
		return -EEXIST;
	}
	if (br->handlers && handlers_port_add(br->handlers, no, err, errlen))
		log_warn("%s: tunnel device %s: upcall socket: %s", br->name,
			 dev, err);
	mark_attached(br, p, no, info.ifindex);
	log_info("%s: attached tunnel device %s as datapath port %u for %s",
		 br->name, dev, no, p->name);
	return 0;
}

int tnl_port_attach(struct bridge *br, struct port *p, char *err,
		    size_t errlen)
{
	struct port *peer = attached_peer(br, p);
	bool created = false;
	char dev[16];

	if (peer) {
		mark_attached(br, p, peer->dp_port, peer->ifindex);
		return 0;
	}
	tnl_dev_name(&p->tnl, dev);
	if (!if_nametoindex(dev)) {
		if (tnl_dev_create(&p->tnl, dev, err, errlen))
			return -1;
		created = true;
	}
	if (attach_dev(br, p, dev, err, errlen)) {
		if (created)
			tnl_dev_delete(dev);
		return -1;
	}
	return 0;
}

void tnl_port_detach(struct bridge *br, struct port *p)
{
	char dev[16], err[256];

	if (!p->present)
		return;
	p->present = false;
	if (!attached_peer(br, p)) {
		tnl_dev_name(&p->tnl, dev);
		if (br->dp_ok && dpif_port_del(vswd.dpif, br->name, p->dp_port,
					       err, sizeof(err)))
			log_warn("%s: detaching %s: %s", br->name, dev, err);
		if (br->handlers)
			handlers_port_del(br->handlers, p->dp_port);
		tnl_dev_delete(dev);
		log_info("%s: tunnel device %s removed with its last port %s",
			 br->name, dev, p->name);
	}
	p->dp_port = 0;
	p->ifindex = 0;
	bridge_refresh(br);
}

bool tnl_port_adopt(struct bridge *br, const struct dpif_port_info *kp)
{
	char dev[16];
	bool found = false;
	size_t i;

	for (i = 0; i < br->n_ports; i++) {
		struct port *p = &br->ports[i];

		if (!p->tnl.type)
			continue;
		tnl_dev_name(&p->tnl, dev);
		if (strcmp(dev, kp->ifname))
			continue;
		mark_attached(br, p, kp->port_no, kp->ifindex);
		found = true;
	}
	return found;
}

uint32_t tnl_port_dp_no(const struct bridge *br, size_t i)
{
	const struct port *p = &br->ports[i];
	size_t j;

	if (!p->tnl.type)
		return p->ofport;
	for (j = 0; j < i; j++)
		if (br->ports[j].tnl.type && br->ports[j].present &&
		    br->ports[j].dp_port == p->dp_port)
			return 0;
	return p->dp_port;
}
