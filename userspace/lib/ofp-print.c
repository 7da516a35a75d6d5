// SPDX-License-Identifier: GPL-2.0
/* Matches, flows and megaflows in Open vSwitch's text format. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-ct.h"
#include "ofp-flags.h"
#include "ofp-field.h"
#include "ofp-print.h"
#include "util.h"

/* How fmt_match is printing: a rule's match, a megaflow, or a packet. */
enum fmt_kind { FMT_RULE, FMT_MEGAFLOW, FMT_PACKET };

static void put_port(struct strbuf *sb, uint32_t port, ofp_port_name_fn fn,
		     void *aux)
{
	static const char *const reserved[] = {
		"IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER",
		"LOCAL", "NONE",
	};
	const char *name = fn ? fn(aux, port) : NULL;

	if (name)
		strbuf_puts(sb, name);
	else if (port >= OFPP_IN_PORT && port <= OFPP_NONE)
		strbuf_puts(sb, reserved[port - OFPP_IN_PORT]);
	else
		strbuf_printf(sb, "%u", port);
}

static bool all_ones(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0xff)
			return false;
	return true;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static void put_mac(struct strbuf *sb, const uint8_t m[6])
{
	strbuf_printf(sb, "%02x:%02x:%02x:%02x:%02x:%02x",
		      m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void fmt_eth(struct strbuf *sb, const char *name, const uint8_t *v,
		    const uint8_t *m)
{
	if (all_zero(m, 6))
		return;
	strbuf_printf(sb, "%s=", name);
	put_mac(sb, v);
	if (!all_ones(m, 6)) {
		strbuf_putc(sb, '/');
		put_mac(sb, m);
	}
	strbuf_putc(sb, ',');
}

/* Prefix length of @mask (bytes), or -1 when it is not a prefix. */
static int prefix_len(const uint8_t *mask, size_t n)
{
	int len = 0;
	size_t i;

	for (i = 0; i < n && mask[i] == 0xff; i++)
		len += 8;
	if (i == n)
		return len;
	for (uint8_t b = mask[i]; b & 0x80; b <<= 1)
		len++;
	if ((uint8_t)(mask[i] << (len % 8)))
		return -1;
	for (i++; i < n; i++)
		if (mask[i])
			return -1;
	return len;
}

static void put_ipv4(struct strbuf *sb, uint32_t be)
{
	char buf[INET_ADDRSTRLEN];

	strbuf_puts(sb, inet_ntop(AF_INET, &be, buf, sizeof(buf)));
}

static void fmt_ipv4(struct strbuf *sb, const char *name, uint32_t v, uint32_t m)
{
	int plen;

	if (!m)
		return;
	strbuf_printf(sb, "%s=", name);
	put_ipv4(sb, v);
	plen = prefix_len((const uint8_t *)&m, 4);
	if (plen == 32)
		;
	else if (plen >= 0)
		strbuf_printf(sb, "/%d", plen);
	else {
		strbuf_putc(sb, '/');
		put_ipv4(sb, m);
	}
	strbuf_putc(sb, ',');
}

static void put_ipv6(struct strbuf *sb, const struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	strbuf_puts(sb, inet_ntop(AF_INET6, a, buf, sizeof(buf)));
}

static void fmt_ipv6(struct strbuf *sb, const char *name,
		     const struct in6_addr *v, const struct in6_addr *m)
{
	int plen;

	if (all_zero(m, 16))
		return;
	strbuf_printf(sb, "%s=", name);
	put_ipv6(sb, v);
	plen = prefix_len(m->s6_addr, 16);
	if (plen == 128)
		;
	else if (plen >= 0)
		strbuf_printf(sb, "/%d", plen);
	else {
		strbuf_putc(sb, '/');
		put_ipv6(sb, m);
	}
	strbuf_putc(sb, ',');
}

/* OVS's format_be16_masked on a host-order value. */
static void fmt_u16(struct strbuf *sb, const char *name, uint16_t v,
		    uint16_t m, uint16_t full)
{
	if (!m)
		return;
	if (m == full)
		strbuf_printf(sb, "%s=%u,", name, v);
	else
		strbuf_printf(sb, "%s=0x%x/0x%x,", name, v, m);
}

/* Open vSwitch's form: "syn|ack" (every bit named) when exact, else
 * "+syn-ack" over the mask's bits; both read back (ofp-value.c). */
static void fmt_tcp_flags(struct strbuf *sb, uint16_t v, uint16_t m)
{
	bool exact = m == 0x0fff, first = true;

	strbuf_puts(sb, "tcp_flags=");
	if (exact && !v)
		strbuf_putc(sb, '0');
	for (unsigned i = 0; i < 12; i++) {
		uint16_t bit = 1u << i;

		if (exact ? !(v & bit) : !(m & bit))
			continue;
		if (exact && !first)
			strbuf_putc(sb, '|');
		else if (!exact)
			strbuf_putc(sb, v & bit ? '+' : '-');
		first = false;
		strbuf_puts(sb, ofp_tcp_flag_name(bit));
	}
	strbuf_putc(sb, ',');
}

/* The protocol keyword for the match, or NULL; sets *skip_proto. */
static const char *proto_keyword(const struct match *m, bool *skip_proto)
{
	uint16_t type = ntohs(m->flow.eth_type);
	bool proto = m->mask.ip_proto != 0;
	uint8_t p = m->flow.ip_proto;

	*skip_proto = false;
	if (type == ETH_TYPE_IP || type == ETH_TYPE_IPV6) {
		bool v6 = type == ETH_TYPE_IPV6;
		const char *kw = NULL;

		if (proto) {
			if (p == IPPROTO_TCP) kw = v6 ? "tcp6" : "tcp";
			else if (p == IPPROTO_UDP) kw = v6 ? "udp6" : "udp";
			else if (p == IPPROTO_SCTP) kw = v6 ? "sctp6" : "sctp";
			else if (!v6 && p == IPPROTO_ICMP) kw = "icmp";
			else if (v6 && p == IPPROTO_ICMPV6_) kw = "icmp6";
		}
		*skip_proto = kw != NULL;
		return kw ? kw : v6 ? "ipv6" : "ip";
	}
	if (type == ETH_TYPE_ARP)
		return "arp";
	if (type == ETH_TYPE_RARP)
		return "rarp";
	return NULL;
}

/* Open vSwitch's datapath flows always tell tagged from untagged frames,
 * so its Megaflow lines never show "untagged"; ours needs the present bit
 * for that and omits it from the text the same way. A tagged packet shows
 * OVS's (empty) second VLAN header too. */
static void fmt_vlan(struct strbuf *sb, const struct match *m, enum fmt_kind kind)
{
	uint16_t v = ntohs(m->flow.vlan_tci), mk = ntohs(m->mask.vlan_tci);
	uint16_t vid = mk & VSW_VLAN_VID_MASK, pcp = mk & VSW_VLAN_PCP_MASK;

	if (!mk || (kind == FMT_MEGAFLOW && mk == VSW_VLAN_PRESENT && !v))
		return;
	if (kind == FMT_PACKET && (v & VSW_VLAN_PRESENT)) {
		strbuf_printf(sb, "dl_vlan=%u,dl_vlan_pcp=%u,vlan_tci1=0x0000,",
			      v & VSW_VLAN_VID_MASK, v >> VSW_VLAN_PCP_SHIFT);
		return;
	}
	if ((mk & VSW_VLAN_PRESENT) && (v & VSW_VLAN_PRESENT) &&
	    (!vid || vid == VSW_VLAN_VID_MASK) &&
	    (!pcp || pcp == VSW_VLAN_PCP_MASK) && (vid || pcp)) {
		if (vid)
			strbuf_printf(sb, "dl_vlan=%u,", v & VSW_VLAN_VID_MASK);
		if (pcp)
			strbuf_printf(sb, "dl_vlan_pcp=%u,", v >> VSW_VLAN_PCP_SHIFT);
	} else if (mk == 0xffff) {
		strbuf_printf(sb, "vlan_tci=0x%04x,", v);
	} else {
		strbuf_printf(sb, "vlan_tci=0x%04x/0x%04x,", v, mk);
	}
}

static void fmt_l3(struct strbuf *sb, const struct match *m, bool skip_proto)
{
	const struct flow *f = &m->flow, *k = &m->mask;
	uint16_t type = ntohs(f->eth_type);
	bool arp = type == ETH_TYPE_ARP || type == ETH_TYPE_RARP;

	if (type == ETH_TYPE_IPV6) {
		fmt_ipv6(sb, "ipv6_src", &f->ipv6_src, &k->ipv6_src);
		fmt_ipv6(sb, "ipv6_dst", &f->ipv6_dst, &k->ipv6_dst);
		if (k->ipv6_label == htonl(0xfffff))
			strbuf_printf(sb, "ipv6_label=0x%05x,", ntohl(f->ipv6_label));
		else if (k->ipv6_label)
			strbuf_printf(sb, "ipv6_label=0x%05x/0x%05x,",
				      ntohl(f->ipv6_label), ntohl(k->ipv6_label));
	} else if (arp) {
		fmt_ipv4(sb, "arp_spa", f->arp_spa, k->arp_spa);
		fmt_ipv4(sb, "arp_tpa", f->arp_tpa, k->arp_tpa);
	} else {
		fmt_ipv4(sb, "nw_src", f->ipv4_src, k->ipv4_src);
		fmt_ipv4(sb, "nw_dst", f->ipv4_dst, k->ipv4_dst);
	}
	if (arp) {
		if (k->arp_op)
			strbuf_printf(sb, "arp_op=%u,", ntohs(f->arp_op));
		fmt_eth(sb, "arp_sha", f->arp_sha, k->arp_sha);
		fmt_eth(sb, "arp_tha", f->arp_tha, k->arp_tha);
	} else if (!skip_proto && k->ip_proto) {
		strbuf_printf(sb, "nw_proto=%u,", f->ip_proto);
	}
	if (k->ip_tos & 0xfc)
		strbuf_printf(sb, "nw_tos=%u,", f->ip_tos & 0xfc);
	if (k->ip_tos & 3)
		strbuf_printf(sb, "nw_ecn=%u,", f->ip_tos & 3);
	if (k->ip_ttl)
		strbuf_printf(sb, "nw_ttl=%u,", f->ip_ttl);
	switch (k->ip_frag & VSW_FRAG_MASK) {
	case VSW_FRAG_MASK:
		strbuf_printf(sb, "nw_frag=%s,", f->ip_frag & VSW_FRAG_ANY ?
			      (f->ip_frag & VSW_FRAG_LATER ? "later" : "first") :
			      (f->ip_frag & VSW_FRAG_LATER ? "<error>" : "no"));
		break;
	case VSW_FRAG_ANY:
		strbuf_printf(sb, "nw_frag=%s,", f->ip_frag & VSW_FRAG_ANY ? "yes" : "no");
		break;
	case VSW_FRAG_LATER:
		strbuf_printf(sb, "nw_frag=%s,",
			      f->ip_frag & VSW_FRAG_LATER ? "later" : "not_later");
		break;
	}
}

/* Megaflows carry ICMP type/code as 8 bits of a 16-bit field in Open
 * vSwitch, so it prints them as value/mask. */
static void fmt_icmp(struct strbuf *sb, const char *name, uint8_t v, uint8_t m,
		     bool megaflow)
{
	if (megaflow && m)
		strbuf_printf(sb, "%s=0x%x/0x%x,", name, v, m);
	else
		fmt_u16(sb, name, v, m, 0xff);
}

static void fmt_l4(struct strbuf *sb, const struct match *m, bool megaflow)
{
	const struct flow *f = &m->flow, *k = &m->mask;
	uint16_t type = ntohs(f->eth_type);
	bool ip = type == ETH_TYPE_IP, ip6 = type == ETH_TYPE_IPV6;

	if ((ip && f->ip_proto == IPPROTO_ICMP) ||
	    (ip6 && f->ip_proto == IPPROTO_ICMPV6_)) {
		fmt_icmp(sb, "icmp_type", f->icmp_type, k->icmp_type, megaflow);
		fmt_icmp(sb, "icmp_code", f->icmp_code, k->icmp_code, megaflow);
		if (ip6)
			fmt_ipv6(sb, "nd_target", &f->nd_target, &k->nd_target);
	} else {
		fmt_u16(sb, "tp_src", ntohs(f->tp_src), ntohs(k->tp_src), 0xffff);
		fmt_u16(sb, "tp_dst", ntohs(f->tp_dst), ntohs(k->tp_dst), 0xffff);
	}
	if ((ip || ip6) && f->ip_proto == IPPROTO_TCP && k->tcp_flags)
		fmt_tcp_flags(sb, ntohs(f->tcp_flags), ntohs(k->tcp_flags) & 0x0fff);
}

/* The connection's original-direction tuple. */
static void fmt_ct_orig(struct strbuf *sb, const struct flow_ct_orig *f,
			const struct flow_ct_orig *k)
{
	fmt_ipv4(sb, "ct_nw_src", f->nw_src, k->nw_src);
	fmt_ipv4(sb, "ct_nw_dst", f->nw_dst, k->nw_dst);
	fmt_ipv6(sb, "ct_ipv6_src", &f->ipv6_src, &k->ipv6_src);
	fmt_ipv6(sb, "ct_ipv6_dst", &f->ipv6_dst, &k->ipv6_dst);
	if (k->nw_proto)
		strbuf_printf(sb, "ct_nw_proto=%u,", f->nw_proto);
	fmt_u16(sb, "ct_tp_src", ntohs(f->tp_src), ntohs(k->tp_src), 0xffff);
	fmt_u16(sb, "ct_tp_dst", ntohs(f->tp_dst), ntohs(k->tp_dst), 0xffff);
}

/* The connection fields, first as in Open vSwitch. */
static void fmt_ct(struct strbuf *sb, const struct match *m,
		   enum fmt_kind kind)
{
	const struct flow *f = &m->flow, *k = &m->mask;

	if (k->ct_state && kind == FMT_PACKET) {
		strbuf_puts(sb, "ct_state=");
		ofp_ct_state_format_flags(sb, f->ct_state);
		strbuf_putc(sb, ',');
	} else if (k->ct_state) {
		strbuf_puts(sb, "ct_state=");
		ofp_ct_state_format(sb, f->ct_state, k->ct_state);
		strbuf_putc(sb, ',');
	}
	if (k->ct_zone)
		strbuf_printf(sb, "ct_zone=%u,", ntohs(f->ct_zone));
	if (k->ct_mark) {
		strbuf_printf(sb, "ct_mark=%#x", ntohl(f->ct_mark));
		if (k->ct_mark != 0xffffffff)
			strbuf_printf(sb, "/%#x", ntohl(k->ct_mark));
		strbuf_putc(sb, ',');
	}
	if (!ofp_ct_label_is_zero(k->ct_label)) {
		strbuf_puts(sb, "ct_label=");
		ofp_ct_label_format(sb, f->ct_label, k->ct_label);
		strbuf_putc(sb, ',');
	}
	fmt_ct_orig(sb, &f->ct_orig, &k->ct_orig);
}

/* NAME=0x..[/0x..], for a 64-bit field in network order; nothing when
 * wildcarded. */
static void fmt_be64(struct strbuf *sb, const char *name, uint64_t v,
		     uint64_t mask)
{
	if (!mask)
		return;
	strbuf_printf(sb, "%s=%#llx", name, (unsigned long long)be64toh(v));
	if (mask != ~0ull)
		strbuf_printf(sb, "/%#llx", (unsigned long long)be64toh(mask));
	strbuf_putc(sb, ',');
}

/* The tunnel metadata, as Open vSwitch prints it before the packet's. */
static void fmt_tun(struct strbuf *sb, const struct match *m)
{
	const struct flow_tnl *f = &m->flow.tunnel, *k = &m->mask.tunnel;

	fmt_be64(sb, "tun_id", f->tun_id, k->tun_id);
	fmt_ipv4(sb, "tun_src", f->ipv4_src, k->ipv4_src);
	fmt_ipv4(sb, "tun_dst", f->ipv4_dst, k->ipv4_dst);
	fmt_ipv6(sb, "tun_ipv6_src", &f->ipv6_src, &k->ipv6_src);
	fmt_ipv6(sb, "tun_ipv6_dst", &f->ipv6_dst, &k->ipv6_dst);
	fmt_u16(sb, "tun_tos", f->tos, k->tos, 0xff);
	fmt_u16(sb, "tun_ttl", f->ttl, k->ttl, 0xff);
	fmt_u16(sb, "tun_tp_src", ntohs(f->tp_src), ntohs(k->tp_src), 0xffff);
	fmt_u16(sb, "tun_tp_dst", ntohs(f->tp_dst), ntohs(k->tp_dst), 0xffff);
	if (k->flags) {
		strbuf_puts(sb, "tun_flags=");
		ofp_tun_flags_format(sb, f->flags, k->flags);
		strbuf_putc(sb, ',');
	}
}

/* Registers and metadata, as Open vSwitch prints them: each register on
 * its own (an xreg match reads back as two), hex, "/mask" unless exact. */
static void fmt_pipeline(struct strbuf *sb, const struct match *m)
{
	const struct flow *f = &m->flow, *k = &m->mask;

	for (unsigned i = 0; i < FLOW_N_REGS; i++) {
		if (!k->regs[i])
			continue;
		strbuf_printf(sb, "reg%u=%#x", i, ntohl(f->regs[i]));
		if (k->regs[i] != ~0u)
			strbuf_printf(sb, "/%#x", ntohl(k->regs[i]));
		strbuf_putc(sb, ',');
	}
	fmt_be64(sb, "metadata", f->metadata, k->metadata);
}

static void fmt_match(struct strbuf *sb, const struct match *m,
		      enum fmt_kind kind, ofp_port_name_fn fn, void *aux)
{
	bool megaflow = kind == FMT_MEGAFLOW;
	const char *kw = NULL;
	bool skip_proto = false;

	if (megaflow || (kind == FMT_PACKET && m->flow.recirc_id))
		strbuf_printf(sb, "recirc_id=%#x,", m->flow.recirc_id);
	fmt_ct(sb, m, kind);
	fmt_tun(sb, m);
	if (megaflow)
		strbuf_puts(sb, "eth,");
	if (m->mask.eth_type) {
		kw = proto_keyword(m, &skip_proto);
		if (kw)
			strbuf_printf(sb, "%s,", kw);
	}
	fmt_pipeline(sb, m);
	if (m->mask.in_port) {
		strbuf_puts(sb, "in_port=");
		put_port(sb, m->flow.in_port, fn, aux);
		strbuf_putc(sb, ',');
	}
	fmt_vlan(sb, m, kind);
	fmt_eth(sb, "dl_src", m->flow.eth_src, m->mask.eth_src);
	fmt_eth(sb, "dl_dst", m->flow.eth_dst, m->mask.eth_dst);
	if (!kw && m->mask.eth_type)
		strbuf_printf(sb, "dl_type=0x%04x,", ntohs(m->flow.eth_type));
	fmt_l3(sb, m, skip_proto);
	fmt_l4(sb, m, megaflow);
	strbuf_chomp(sb, ',');
}

char *ofp_format_match(const struct match *m, ofp_port_name_fn fn, void *aux)
{
	struct strbuf sb;

	strbuf_init(&sb);
	fmt_match(&sb, m, FMT_RULE, fn, aux);
	return strbuf_steal(&sb);
}

char *ofp_format_megaflow(const struct match *m)
{
	struct strbuf sb;

	strbuf_init(&sb);
	fmt_match(&sb, m, FMT_MEGAFLOW, NULL, NULL);
	return strbuf_steal(&sb);
}

/* The fields a packet of this protocol has, as ofproto/trace's Flow:. */
/* A packet's connection fields are shown when conntrack gave it any. */
static void packet_ct_mask(const struct flow *f, struct flow *k)
{
	static const struct flow_ct_orig none;

	if (f->ct_state)
		k->ct_state = 0xff;
	if (f->ct_zone)
		k->ct_zone = 0xffff;
	if (f->ct_mark)
		k->ct_mark = ~0u;
	if (!ofp_ct_label_is_zero(f->ct_label))
		memset(k->ct_label, 0xff, sizeof(k->ct_label));
	if (!memcmp(&f->ct_orig, &none, sizeof(none)))
		return;
	if (ntohs(f->eth_type) == ETH_TYPE_IPV6) {
		memset(&k->ct_orig.ipv6_src, 0xff, 16);
		memset(&k->ct_orig.ipv6_dst, 0xff, 16);
	} else {
		k->ct_orig.nw_src = k->ct_orig.nw_dst = ~0u;
	}
	k->ct_orig.nw_proto = 0xff;
	k->ct_orig.tp_src = k->ct_orig.tp_dst = 0xffff;
}

static void packet_mask(const struct flow *f, struct flow *k)
{
	uint16_t type = ntohs(f->eth_type);

	memset(k, 0, sizeof(*k));
	packet_ct_mask(f, k);
	for (unsigned i = 0; i < FLOW_N_REGS; i++)	/* shown when set */
		k->regs[i] = f->regs[i] ? ~0u : 0;
	k->metadata = f->metadata ? ~0ull : 0;
	k->in_port = ~0u;
	k->vlan_tci = 0xffff;
	memset(k->eth_src, 0xff, 6);
	memset(k->eth_dst, 0xff, 6);
	k->eth_type = 0xffff;
	if (type == ETH_TYPE_ARP || type == ETH_TYPE_RARP) {
		k->arp_spa = k->arp_tpa = ~0u;
		k->arp_op = 0xffff;
		memset(k->arp_sha, 0xff, 6);
		memset(k->arp_tha, 0xff, 6);
		return;
	}
	if (type == ETH_TYPE_IPV6) {
		memset(&k->ipv6_src, 0xff, 16);
		memset(&k->ipv6_dst, 0xff, 16);
		k->ipv6_label = htonl(0xfffff);
	} else if (type == ETH_TYPE_IP) {
		k->ipv4_src = k->ipv4_dst = ~0u;
	} else {
		return;
	}
	k->ip_tos = k->ip_ttl = k->ip_proto = 0xff;
	k->ip_frag = VSW_FRAG_MASK;
	if (f->ip_frag & VSW_FRAG_LATER)
		return;
	switch (f->ip_proto) {
	case IPPROTO_TCP:
		k->tcp_flags = htons(0x0fff);
		/* fall through */
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
		k->tp_src = k->tp_dst = 0xffff;
		break;
	case IPPROTO_ICMP:
		if (type == ETH_TYPE_IP)
			k->icmp_type = k->icmp_code = 0xff;
		break;
	case IPPROTO_ICMPV6_:
		if (type != ETH_TYPE_IPV6)
			break;
		k->icmp_type = k->icmp_code = 0xff;
		if (f->icmp_type == 135 || f->icmp_type == 136)
			memset(&k->nd_target, 0xff, 16);
		break;
	}
}

char *ofp_format_flow(const struct flow *f)
{
	struct match m;

	struct strbuf sb;

	m.flow = *f;
	packet_mask(f, &m.mask);
	strbuf_init(&sb);
	fmt_match(&sb, &m, FMT_PACKET, NULL, NULL);
	return strbuf_steal(&sb);
}
