// SPDX-License-Identifier: GPL-2.0
/* Datapath actions in Open vSwitch's "Datapath actions:" syntax. Runs of
 * set actions on one header print as one set(hdr(field=...,...)). */
#include <arpa/inet.h>
#include <endian.h>
#include <stdio.h>
#include <string.h>
#include "ofp-ct.h"
#include "ofp-ct-nat.h"
#include "ofp-field.h"
#include "ofp-print.h"
#include "util.h"

enum hdr { H_NONE, H_ETH, H_IP, H_L4 };

static enum hdr header_of(uint16_t type)
{
	switch (type) {
	case VSW_ACTION_ATTR_SET_ETH_SRC:
	case VSW_ACTION_ATTR_SET_ETH_DST:
		return H_ETH;
	case VSW_ACTION_ATTR_SET_IPV4_SRC:
	case VSW_ACTION_ATTR_SET_IPV4_DST:
	case VSW_ACTION_ATTR_SET_IP_DSCP:
	case VSW_ACTION_ATTR_SET_IP_TTL:
	case VSW_ACTION_ATTR_SET_IPV6_SRC:
	case VSW_ACTION_ATTR_SET_IPV6_DST:
	case VSW_ACTION_ATTR_SET_IPV6_LABEL:
		return H_IP;
	case VSW_ACTION_ATTR_SET_TP_SRC:
	case VSW_ACTION_ATTR_SET_TP_DST:
		return H_L4;
	}
	return H_NONE;
}

static void put_set_field(struct strbuf *sb, const struct odp_action *a)
{
	char buf[INET6_ADDRSTRLEN];
	const uint8_t *m = a->u.mac;

	switch (a->type) {
	case VSW_ACTION_ATTR_SET_ETH_SRC:
	case VSW_ACTION_ATTR_SET_ETH_DST:
		strbuf_printf(sb, "%s=%02x:%02x:%02x:%02x:%02x:%02x",
			      a->type == VSW_ACTION_ATTR_SET_ETH_SRC ? "src" : "dst",
			      m[0], m[1], m[2], m[3], m[4], m[5]);
		break;
	case VSW_ACTION_ATTR_SET_IPV4_SRC:
	case VSW_ACTION_ATTR_SET_IPV4_DST:
		strbuf_printf(sb, "%s=%s",
			      a->type == VSW_ACTION_ATTR_SET_IPV4_SRC ? "src" : "dst",
			      inet_ntop(AF_INET, &a->u.be32, buf, sizeof(buf)));
		break;
	case VSW_ACTION_ATTR_SET_IPV6_SRC:
	case VSW_ACTION_ATTR_SET_IPV6_DST:
		strbuf_printf(sb, "%s=%s",
			      a->type == VSW_ACTION_ATTR_SET_IPV6_SRC ? "src" : "dst",
			      inet_ntop(AF_INET6, &a->u.ip6, buf, sizeof(buf)));
		break;
	case VSW_ACTION_ATTR_SET_IPV6_LABEL:
		strbuf_printf(sb, "label=%#x", ntohl(a->u.be32));
		break;
	case VSW_ACTION_ATTR_SET_TP_SRC:
	case VSW_ACTION_ATTR_SET_TP_DST:
		strbuf_printf(sb, "%s=%u",
			      a->type == VSW_ACTION_ATTR_SET_TP_SRC ? "src" : "dst",
			      ntohs(a->u.be16));
		break;
	}
}

/* One set(...) for the run starting at @i; returns the index after it. */
static unsigned put_set_run(struct strbuf *sb, const struct odp_actions *acts,
			    unsigned i, const struct flow *flow)
{
	enum hdr h = header_of(acts->a[i].type);
	bool v6 = flow && flow->eth_type == htons(ETH_TYPE_IPV6);
	const char *name = "eth";

	if (h == H_IP) {
		name = v6 ? "ipv6" : "ipv4";
		/* Without a flow, an IPv6 address action tells. */
		for (unsigned j = i; !flow && j < acts->n &&
		     header_of(acts->a[j].type) == H_IP; j++)
			if (acts->a[j].type >= VSW_ACTION_ATTR_SET_IPV6_SRC &&
			    acts->a[j].type <= VSW_ACTION_ATTR_SET_IPV6_LABEL)
				name = "ipv6", v6 = true;
	} else if (h == H_L4) {
		uint8_t p = flow ? flow->ip_proto : 0;

		name = p == IPPROTO_UDP ? "udp" : p == IPPROTO_SCTP ? "sctp" :
		       p == IPPROTO_TCP ? "tcp" : "tp";
	}
	strbuf_printf(sb, "set(%s(", name);
	for (bool first = true; i < acts->n && header_of(acts->a[i].type) == h;
	     i++, first = false) {
		const struct odp_action *a = &acts->a[i];

		if (!first)
			strbuf_putc(sb, ',');
		if (a->type == VSW_ACTION_ATTR_SET_IP_DSCP)
			strbuf_printf(sb, "%s=0x%x/0xfc", v6 ? "tclass" : "tos",
				      (unsigned)a->u.u8 << 2);
		else if (a->type == VSW_ACTION_ATTR_SET_IP_TTL)
			strbuf_printf(sb, "%s=%u", v6 ? "hlimit" : "ttl", a->u.u8);
		else
			put_set_field(sb, a);
	}
	strbuf_puts(sb, "))");
	return i;
}

/* set(tunnel(...)) as Open vSwitch prints it; zero fields left out. */
static void put_set_tunnel(struct strbuf *sb, const struct flow_tnl *t)
{
	char a[INET6_ADDRSTRLEN];
	bool v6 = !IN6_IS_ADDR_UNSPECIFIED(&t->ipv6_dst);

	strbuf_printf(sb, "set(tunnel(tun_id=%#llx",
		      (unsigned long long)be64toh(t->tun_id));
	if (v6 && !IN6_IS_ADDR_UNSPECIFIED(&t->ipv6_src))
		strbuf_printf(sb, ",ipv6_src=%s",
			      inet_ntop(AF_INET6, &t->ipv6_src, a, sizeof(a)));
	if (v6)
		strbuf_printf(sb, ",ipv6_dst=%s",
			      inet_ntop(AF_INET6, &t->ipv6_dst, a, sizeof(a)));
	if (!v6 && t->ipv4_src)
		strbuf_printf(sb, ",src=%s",
			      inet_ntop(AF_INET, &t->ipv4_src, a, sizeof(a)));
	if (!v6)
		strbuf_printf(sb, ",dst=%s",
			      inet_ntop(AF_INET, &t->ipv4_dst, a, sizeof(a)));
	if (t->tos)
		strbuf_printf(sb, ",tos=%#x", t->tos);
	if (t->ttl)
		strbuf_printf(sb, ",ttl=%u", t->ttl);
	if (t->tp_dst)
		strbuf_printf(sb, ",tp_dst=%u", ntohs(t->tp_dst));
	strbuf_puts(sb, ",flags(");
	for (unsigned i = 0, n = 0; i < 3; i++) {
		static const char *const names[] = { "df", "csum", "key" };

		if (t->flags & (1u << i))
			strbuf_printf(sb, "%s%s", n++ ? "|" : "", names[i]);
	}
	strbuf_puts(sb, ")))");
}

static void put_other(struct strbuf *sb, const struct odp_action *a)
{
	uint16_t tci = ntohs(a->u.be16);

	switch (a->type) {
	case VSW_ACTION_ATTR_OUTPUT:
		strbuf_printf(sb, "%u", a->u.port);
		break;
	case VSW_ACTION_ATTR_USERSPACE:
		strbuf_printf(sb, "userspace(cookie=%#llx)",
			      (unsigned long long)a->u.cookie);
		break;
	case VSW_ACTION_ATTR_PUSH_VLAN:
		strbuf_printf(sb, "push_vlan(vid=%u,pcp=%u)", tci & VSW_VLAN_VID_MASK,
			      tci >> VSW_VLAN_PCP_SHIFT);
		break;
	case VSW_ACTION_ATTR_POP_VLAN:
		strbuf_puts(sb, "pop_vlan");
		break;
	case VSW_ACTION_ATTR_SET_VLAN_TCI:
		strbuf_printf(sb, "set(vlan(vid=%u,pcp=%u))", tci & VSW_VLAN_VID_MASK,
			      tci >> VSW_VLAN_PCP_SHIFT);
		break;
	case VSW_ACTION_ATTR_DEC_TTL:
		strbuf_puts(sb, "dec_ttl");
		break;
	case VSW_ACTION_ATTR_RECIRC:
		strbuf_printf(sb, "recirc(%#x)", a->u.port);
		break;
	case VSW_ACTION_ATTR_CT:
		strbuf_puts(sb, "ct(");
		if (a->u.ct.commit)
			strbuf_puts(sb, "commit,");
		if (a->u.ct.force)
			strbuf_puts(sb, "force,");
		if (a->u.ct.zone)
			strbuf_printf(sb, "zone=%u,", a->u.ct.zone);
		if (a->u.ct.has_mark)
			strbuf_printf(sb, "mark=%#x/%#x,", a->u.ct.mark,
				      a->u.ct.mark_mask);
		if (a->u.ct.has_label) {
			strbuf_puts(sb, "label=");
			ofp_ct_label_format(sb, a->u.ct.label, a->u.ct.label_mask);
			strbuf_putc(sb, ',');
		}
		if (a->u.ct.nat.kind != ODP_NAT_NONE) {
			ofp_ct_nat_format(sb, &a->u.ct.nat);
			strbuf_putc(sb, ',');
		}
		strbuf_chomp(sb, ',');
		strbuf_putc(sb, ')');
		break;
	case VSW_ACTION_ATTR_CT_CLEAR:
		strbuf_puts(sb, "ct_clear");
		break;
	case VSW_ACTION_ATTR_SET_TUNNEL:
		put_set_tunnel(sb, &a->u.tun);
		break;
	default:
		strbuf_printf(sb, "action%u", a->type);
		break;
	}
}

char *odp_format_actions_flow(const struct odp_actions *acts,
			      const struct flow *flow)
{
	struct strbuf sb;
	unsigned i = 0;

	strbuf_init(&sb);
	if (!acts || !acts->n)
		strbuf_puts(&sb, "drop");
	while (acts && i < acts->n) {
		if (i)
			strbuf_putc(&sb, ',');
		if (header_of(acts->a[i].type) != H_NONE) {
			i = put_set_run(&sb, acts, i, flow);
		} else {
			put_other(&sb, &acts->a[i]);
			i++;
		}
	}
	return strbuf_steal(&sb);
}

char *odp_format_actions(const struct odp_actions *acts)
{
	return odp_format_actions_flow(acts, NULL);
}
