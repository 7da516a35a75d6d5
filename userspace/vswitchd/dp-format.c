// SPDX-License-Identifier: GPL-2.0
#include "dp-format.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>
#include "ofp-ct.h"
#include "ofp-flags.h"

/* One parenthesised group being written: "name(" opened lazily. */
struct group {
	struct strbuf *sb;
	const char *name;
	bool open;
};

static void field_start(struct group *g, const char *field)
{
	strbuf_printf(g->sb, "%s%s=", g->open ? "," : g->name, field);
	g->open = true;
}

static void group_end(struct group *g)
{
	if (g->open)
		strbuf_puts(g->sb, ")");
}

static bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static bool ones(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++ != 0xff)
			return false;
	return true;
}

static void put_mac(struct strbuf *sb, const uint8_t *m)
{
	strbuf_printf(sb, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		      m[3], m[4], m[5]);
}

static void mac_field(struct group *g, const char *f, const uint8_t *v,
		      const uint8_t *m)
{
	if (zero(m, 6))
		return;
	field_start(g, f);
	put_mac(g->sb, v);
	if (!ones(m, 6)) {
		strbuf_putc(g->sb, '/');
		put_mac(g->sb, m);
	}
}

static void ip4_field(struct group *g, const char *f, uint32_t v, uint32_t m)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (!m)
		return;
	field_start(g, f);
	inet_ntop(AF_INET, &v, a, sizeof(a));
	inet_ntop(AF_INET, &m, b, sizeof(b));
	strbuf_printf(g->sb, m == 0xffffffff ? "%s" : "%s/%s", a, b);
}

static void ip6_field(struct group *g, const char *f,
		      const struct in6_addr *v, const struct in6_addr *m)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (zero(m, 16))
		return;
	field_start(g, f);
	inet_ntop(AF_INET6, v, a, sizeof(a));
	inet_ntop(AF_INET6, m, b, sizeof(b));
	strbuf_printf(g->sb, ones(m, 16) ? "%s" : "%s/%s", a, b);
}

/* A number of @bits width: decimal when exact, hex value/mask otherwise. */
static void num_field(struct group *g, const char *f, uint32_t v, uint32_t m,
		      uint32_t full)
{
	if (!m)
		return;
	field_start(g, f);
	if (m == full)
		strbuf_printf(g->sb, "%u", v);
	else
		strbuf_printf(g->sb, "%#x/%#x", v, m);
}

static const char *frag_name(uint8_t v)
{
	return v & VSW_FRAG_LATER ? "later" : v & VSW_FRAG_ANY ? "first" : "no";
}

static void format_l2(struct strbuf *sb, const struct match *ma)
{
	const struct flow *v = &ma->flow, *m = &ma->mask;
	struct group g = { sb, ",eth(", false };

	mac_field(&g, "src", v->eth_src, m->eth_src);
	mac_field(&g, "dst", v->eth_dst, m->eth_dst);
	group_end(&g);
	if (m->vlan_tci) {
		uint16_t tv = ntohs(v->vlan_tci), tm = ntohs(m->vlan_tci);

		if (!(tv & VSW_VLAN_PRESENT) && (tm & VSW_VLAN_PRESENT)) {
			strbuf_puts(sb, ",vlan(none)");
		} else {
			g = (struct group){ sb, ",vlan(", false };
			num_field(&g, "vid", tv & VSW_VLAN_VID_MASK,
				  tm & VSW_VLAN_VID_MASK, VSW_VLAN_VID_MASK);
			num_field(&g, "pcp", tv >> VSW_VLAN_PCP_SHIFT,
				  tm >> VSW_VLAN_PCP_SHIFT, 7);
			group_end(&g);
		}
	}
	if (m->eth_type)
		strbuf_printf(sb, ",eth_type(0x%04x)", ntohs(v->eth_type));
}

static void format_ip_common(struct group *g, const struct match *ma)
{
	const struct flow *v = &ma->flow, *m = &ma->mask;

	num_field(g, "proto", v->ip_proto, m->ip_proto, 0xff);
	num_field(g, "tos", v->ip_tos, m->ip_tos, 0xff);
	num_field(g, "ttl", v->ip_ttl, m->ip_ttl, 0xff);
	if (m->ip_frag) {
		field_start(g, "frag");
		strbuf_puts(g->sb, frag_name(v->ip_frag));
	}
}

static void format_l3(struct strbuf *sb, const struct match *ma)
{
	const struct flow *v = &ma->flow, *m = &ma->mask;
	uint16_t type = ntohs(v->eth_type);
	struct group g;

	if (type == 0x0800) {
		g = (struct group){ sb, ",ipv4(", false };
		ip4_field(&g, "src", v->ipv4_src, m->ipv4_src);
		ip4_field(&g, "dst", v->ipv4_dst, m->ipv4_dst);
		format_ip_common(&g, ma);
		group_end(&g);
	} else if (type == 0x86dd) {
		g = (struct group){ sb, ",ipv6(", false };
		ip6_field(&g, "src", &v->ipv6_src, &m->ipv6_src);
		ip6_field(&g, "dst", &v->ipv6_dst, &m->ipv6_dst);
		num_field(&g, "label", ntohl(v->ipv6_label), ntohl(m->ipv6_label),
			  0xfffff);
		format_ip_common(&g, ma);
		group_end(&g);
	} else if (type == 0x0806) {
		g = (struct group){ sb, ",arp(", false };
		ip4_field(&g, "sip", v->arp_spa, m->arp_spa);
		ip4_field(&g, "tip", v->arp_tpa, m->arp_tpa);
		num_field(&g, "op", ntohs(v->arp_op), ntohs(m->arp_op), 0xffff);
		mac_field(&g, "sha", v->arp_sha, m->arp_sha);
		mac_field(&g, "tha", v->arp_tha, m->arp_tha);
		group_end(&g);
	}
}

static void format_l4(struct strbuf *sb, const struct match *ma)
{
	const struct flow *v = &ma->flow, *m = &ma->mask;
	const char *name = NULL;
	struct group g;

	if (!m->ip_proto)
		return;
	switch (v->ip_proto) {
	case 6: name = ",tcp("; break;
	case 17: name = ",udp("; break;
	case 132: name = ",sctp("; break;
	case 1: name = ",icmp("; break;
	case 58: name = ",icmpv6("; break;
	default: return;
	}
	g = (struct group){ sb, name, false };
	if (v->ip_proto == 1 || v->ip_proto == 58) {
		num_field(&g, "type", v->icmp_type, m->icmp_type, 0xff);
		num_field(&g, "code", v->icmp_code, m->icmp_code, 0xff);
		group_end(&g);
		if (v->ip_proto == 58 && !zero(&m->nd_target, 16)) {
			g = (struct group){ sb, ",nd(", false };
			ip6_field(&g, "target", &v->nd_target, &m->nd_target);
			group_end(&g);
		}
		return;
	}
	num_field(&g, "src", ntohs(v->tp_src), ntohs(m->tp_src), 0xffff);
	num_field(&g, "dst", ntohs(v->tp_dst), ntohs(m->tp_dst), 0xffff);
	group_end(&g);
	if (v->ip_proto == 6 && m->tcp_flags)
		strbuf_printf(sb, ",tcp_flags(%#x/%#x)", ntohs(v->tcp_flags),
			      ntohs(m->tcp_flags));
}

/* ct_tuple4(src=..,dst=..,proto=..,tp_src=..,tp_dst=..) or ct_tuple6(...),
 * as Open vSwitch's datapath flows show the original-direction tuple; the
 * IPv4 group also when a flow matches addresses of both families. */
static void format_ct_orig(struct strbuf *sb, const struct match *ma)
{
	const struct flow_ct_orig *v = &ma->flow.ct_orig, *m = &ma->mask.ct_orig;
	bool v6 = !zero(&m->ipv6_src, 16) || !zero(&m->ipv6_dst, 16);
	struct group g4 = { sb, "ct_tuple4(", false };
	struct group g6 = { sb, "ct_tuple6(", false };
	struct group *g = v6 ? &g6 : &g4;

	ip4_field(&g4, "src", v->nw_src, m->nw_src);
	ip4_field(&g4, "dst", v->nw_dst, m->nw_dst);
	if (v6 && g4.open) {
		group_end(&g4);
		strbuf_putc(sb, ',');
	}
	ip6_field(&g6, "src", &v->ipv6_src, &m->ipv6_src);
	ip6_field(&g6, "dst", &v->ipv6_dst, &m->ipv6_dst);
	num_field(g, "proto", v->nw_proto, m->nw_proto, 0xff);
	num_field(g, "tp_src", ntohs(v->tp_src), ntohs(m->tp_src), 0xffff);
	num_field(g, "tp_dst", ntohs(v->tp_dst), ntohs(m->tp_dst), 0xffff);
	if (g->open) {
		group_end(g);
		strbuf_putc(sb, ',');
	}
}

/* Recirculated passes and connection fields lead, as in Open vSwitch's
 * datapath flows; pass 0 prints no recirc_id. */
static void format_meta(struct strbuf *sb, const struct match *ma)
{
	const struct flow *v = &ma->flow, *m = &ma->mask;

	if (v->recirc_id)
		strbuf_printf(sb, "recirc_id(%#x),", v->recirc_id);
	if (m->ct_state) {
		strbuf_puts(sb, "ct_state(");
		ofp_ct_state_format(sb, v->ct_state, m->ct_state);
		strbuf_puts(sb, "),");
	}
	if (m->ct_zone)
		strbuf_printf(sb, "ct_zone(%#x),", ntohs(v->ct_zone));
	if (m->ct_mark)
		strbuf_printf(sb, "ct_mark(%#x/%#x),", ntohl(v->ct_mark),
			      ntohl(m->ct_mark));
	if (!ofp_ct_label_is_zero(m->ct_label)) {
		strbuf_puts(sb, "ct_label(");
		ofp_ct_label_format(sb, v->ct_label, m->ct_label);
		strbuf_puts(sb, "),");
	}
	format_ct_orig(sb, ma);
}

/* tunnel(tun_id=..,src=..,dst=..,...): the parts the megaflow matches. */
static void format_tunnel(struct strbuf *sb, const struct match *ma)
{
	const struct flow_tnl *v = &ma->flow.tunnel, *m = &ma->mask.tunnel;
	struct group g = { sb, "tunnel(", false };

	if (m->tun_id) {
		field_start(&g, "tun_id");
		strbuf_printf(sb, "%#llx", (unsigned long long)be64toh(v->tun_id));
		if (m->tun_id != ~0ull)
			strbuf_printf(sb, "/%#llx",
				      (unsigned long long)be64toh(m->tun_id));
	}
	ip4_field(&g, "src", v->ipv4_src, m->ipv4_src);
	ip4_field(&g, "dst", v->ipv4_dst, m->ipv4_dst);
	ip6_field(&g, "ipv6_src", &v->ipv6_src, &m->ipv6_src);
	ip6_field(&g, "ipv6_dst", &v->ipv6_dst, &m->ipv6_dst);
	num_field(&g, "tos", v->tos, m->tos, 0xff);
	num_field(&g, "ttl", v->ttl, m->ttl, 0xff);
	num_field(&g, "tp_src", ntohs(v->tp_src), ntohs(m->tp_src), 0xffff);
	num_field(&g, "tp_dst", ntohs(v->tp_dst), ntohs(m->tp_dst), 0xffff);
	if (m->flags) {		/* flags(-df+key), as Open vSwitch */
		strbuf_printf(sb, "%sflags(", g.open ? "," : g.name);
		g.open = true;
		ofp_tun_flags_format(sb, v->flags, m->flags);
		strbuf_putc(sb, ')');
	}
	group_end(&g);
	if (g.open)
		strbuf_putc(sb, ',');
}

void dp_format_match(struct strbuf *sb, const struct match *m)
{
	format_meta(sb, m);
	format_tunnel(sb, m);
	if (m->flow.in_port == VSW_PORT_LOCAL)
		strbuf_puts(sb, "in_port(LOCAL)");
	else
		strbuf_printf(sb, "in_port(%u)", m->flow.in_port);
	format_l2(sb, m);
	format_l3(sb, m);
	format_l4(sb, m);
}
