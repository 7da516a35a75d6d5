// SPDX-License-Identifier: GPL-2.0
/* OpenFlow actions back to ovs-ofctl syntax. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "ofp-ct.h"
#include "ofp-print.h"
#include "util.h"

static void put_value(struct strbuf *sb, const struct ofp_field *mf,
		      const union ofp_field_value *v)
{
	char buf[INET6_ADDRSTRLEN];

	switch (mf->fmt) {
	case OFPF_MAC:
		strbuf_printf(sb, "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0],
			      v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
		break;
	case OFPF_IPV4:
		strbuf_puts(sb, inet_ntop(AF_INET, &v->be32, buf, sizeof(buf)));
		break;
	case OFPF_IPV6:
		strbuf_puts(sb, inet_ntop(AF_INET6, &v->ipv6, buf, sizeof(buf)));
		break;
	default:
		if (mf->id == MFF_VLAN_VID)
			strbuf_printf(sb, "%u", v->be16);
		else if (mf->n_bytes == 1)
			strbuf_printf(sb, "%u", v->u8);
		else if (mf->n_bytes == 2)
			strbuf_printf(sb, "%u", ntohs(v->be16));
		else if (mf->n_bytes == 8)
			strbuf_printf(sb, "%#llx",
				      (unsigned long long)be64toh(v->be64));
		else if (mf->id == MFF_IPV6_LABEL)
			strbuf_printf(sb, "0x%x", ntohl(v->be32));
		else if (mf->fmt == OFPF_HEX)	/* reg0..15, as ovs-ofctl */
			strbuf_printf(sb, "%#x", ntohl(v->be32));
		else
			strbuf_printf(sb, "%u", ntohl(v->be32));
		break;
	}
}

static const char *mod_name(enum ofp_field_id id)
{
	switch (id) {
	case MFF_ETH_SRC: return "mod_dl_src";
	case MFF_ETH_DST: return "mod_dl_dst";
	case MFF_IPV4_SRC: return "mod_nw_src";
	case MFF_IPV4_DST: return "mod_nw_dst";
	case MFF_IP_DSCP: return "mod_nw_tos";
	case MFF_IP_TTL: return "mod_nw_ttl";
	case MFF_TP_SRC: return "mod_tp_src";
	case MFF_TP_DST: return "mod_tp_dst";
	default: return NULL;
	}
}

/* set_field prints the OXM-style name, as ovs-ofctl does. */
static const char *set_field_name(const struct ofp_field *mf)
{
	switch (mf->id) {
	case MFF_ETH_SRC: case MFF_ETH_DST: case MFF_IPV4_SRC: case MFF_IPV4_DST:
	case MFF_VLAN_VID: case MFF_VLAN_PCP:
		return mf->alias;
	default:
		return mf->name;
	}
}

static void put_set(struct strbuf *sb, const struct ofpact *a)
{
	const struct ofp_field *mf = ofp_field_from_id(a->set.field);
	const char *mod = mod_name(a->set.field);

	if (a->spelling == OFPACT_SP_MOD && mod) {
		strbuf_printf(sb, "%s:", mod);
		put_value(sb, mf, &a->set.value);
		return;
	}
	strbuf_puts(sb, "set_field:");
	put_value(sb, mf, &a->set.value);
	strbuf_printf(sb, "->%s", set_field_name(mf));
}

static void put_out_port(struct strbuf *sb, uint32_t port, ofp_port_name_fn fn,
			 void *aux)
{
	const char *name = fn ? fn(aux, port) : NULL;

	switch (port) {
	case OFPP_NORMAL: strbuf_puts(sb, "NORMAL"); return;
	case OFPP_FLOOD: strbuf_puts(sb, "FLOOD"); return;
	case OFPP_ALL: strbuf_puts(sb, "ALL"); return;
	case OFPP_IN_PORT: strbuf_puts(sb, "IN_PORT"); return;
	case OFPP_LOCAL: strbuf_puts(sb, "LOCAL"); return;
	}
	if (name)
		strbuf_printf(sb, "output:%s", name);
	else
		strbuf_printf(sb, "output:%u", port);
}

static void put_resubmit(struct strbuf *sb, const struct ofpact *a,
			 ofp_port_name_fn fn, void *aux)
{
	const char *name;

	if (a->resubmit.table == OFP_TABLE_CURRENT) {
		strbuf_puts(sb, "resubmit:");
	} else {
		strbuf_puts(sb, "resubmit(");
		if (a->resubmit.port == OFPP_IN_PORT) {
			strbuf_printf(sb, ",%u)", a->resubmit.table);
			return;
		}
	}
	name = fn ? fn(aux, a->resubmit.port) : NULL;
	if (name)
		strbuf_puts(sb, name);
	else if (a->resubmit.port == OFPP_LOCAL)
		strbuf_puts(sb, "LOCAL");
	else if (a->resubmit.port == OFPP_IN_PORT)
		strbuf_puts(sb, "IN_PORT");
	else
		strbuf_printf(sb, "%u", a->resubmit.port);
	if (a->resubmit.table != OFP_TABLE_CURRENT)
		strbuf_printf(sb, ",%u)", a->resubmit.table);
}

void ofpact_format(struct strbuf *sb, const struct ofpact *a,
		   ofp_port_name_fn fn, void *aux)
{
	switch (a->type) {
	case OFPACT_OUTPUT:
		put_out_port(sb, a->port, fn, aux);
		break;
	case OFPACT_RESUBMIT:
		put_resubmit(sb, a, fn, aux);
		break;
	case OFPACT_GOTO_TABLE:
		strbuf_printf(sb, "goto_table:%u", a->table);
		break;
	case OFPACT_PUSH_VLAN:
		strbuf_printf(sb, "push_vlan:0x%04x", a->ethertype);
		break;
	case OFPACT_SET_VLAN_VID:
		strbuf_printf(sb, "mod_vlan_vid:%u", a->vid);
		break;
	case OFPACT_SET_VLAN_PCP:
		strbuf_printf(sb, "mod_vlan_pcp:%u", a->pcp);
		break;
	case OFPACT_STRIP_VLAN:
		strbuf_puts(sb, a->spelling == OFPACT_SP_POP_VLAN ? "pop_vlan"
							       : "strip_vlan");
		break;
	case OFPACT_SET_FIELD:
		put_set(sb, a);
		break;
	case OFPACT_DEC_TTL:
		strbuf_puts(sb, "dec_ttl");
		break;
	case OFPACT_CT:
		ofpact_ct_format(sb, a);
		break;
	case OFPACT_CT_CLEAR:
		strbuf_puts(sb, "ct_clear");
		break;
	case OFPACT_CONTROLLER:
		strbuf_printf(sb, "CONTROLLER:%u", a->max_len);
		break;
	case OFPACT_GROUP:
		strbuf_printf(sb, "group:%u", a->group_id);
		break;
	case OFPACT_LOAD:
		ofpact_load_format(sb, a);
		break;
	case OFPACT_MOVE:
		ofpact_move_format(sb, a);
		break;
	case OFPACT_WRITE_METADATA:
		ofpact_write_metadata_format(sb, a);
		break;
	}
}

char *ofp_format_actions(const struct ofpacts *acts, ofp_port_name_fn fn,
			 void *aux)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if (!acts || !acts->n)
		strbuf_puts(&sb, "drop");
	for (size_t i = 0; acts && i < acts->n; i++) {
		if (i)
			strbuf_putc(&sb, ',');
		ofpact_format(&sb, &acts->a[i], fn, aux);
	}
	return strbuf_steal(&sb);
}
