// SPDX-License-Identifier: GPL-2.0
/* Bridge, port and settings commands. */
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "ofconn.h"
#include "commands.h"
#include "datapath.h"
#include "fail-open.h"
#include "json.h"
#include "mac-learning.h"
#include "ofp-parse.h"
#include "dpif.h"
#include "patch-port.h"
#include "pipeline.h"
#include "revalidator.h"
#include "tunnel-port.h"
#include "vswitchd.h"

static int add_default_rule(struct bridge *br, char *err, size_t errlen)
{
	struct ofp_rule_spec spec;
	int ret;

	if (ofp_parse_flow("table=0,priority=0,actions=NORMAL", OFP_PARSE_ADD,
			   NULL, NULL, &spec, err, errlen))
		return -1;
	ret = pipeline_add(br->pl, &spec, err, errlen);
	ofp_rule_spec_free(&spec);
	return ret;
}

int cmd_add_br(struct cmd_ctx *ctx)
{
	struct bridge *br = bridge_create(ctx->argv[1], ctx->err, sizeof(ctx->err));

	if (!br)
		return -1;
	if (add_default_rule(br, ctx->err, sizeof(ctx->err)) ||
	    dp_bridge_up(br, ctx->err, sizeof(ctx->err))) {
		dp_bridge_down(br, true);
		bridge_destroy(br);
		return -1;
	}
	ctx->changed = true;
	return 0;
}

int cmd_del_br(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	size_t i;

	if (!br)
		return -1;
	for (i = 0; i < br->n_ports; i++)	/* their shared devices go */
		if (br->ports[i].tnl.type)
			dp_port_detach(br, &br->ports[i]);
	dp_bridge_down(br, true);
	bridge_destroy(br);
	ctx->changed = true;
	return 0;
}

int cmd_list_br(struct cmd_ctx *ctx)
{
	struct json_out jo;
	struct bridge *br;

	if (!ctx->json) {
		for (br = vswd.bridges; br; br = br->next)
			strbuf_printf(&ctx->out, "%s\n", br->name);
		return 0;
	}
	if (cmd_json_start(ctx, &jo))
		return -1;
	json_arr_begin(&jo.w, NULL);
	for (br = vswd.bridges; br; br = br->next)
		json_str(&jo.w, NULL, br->name);
	json_arr_end(&jo.w);
	cmd_json_finish(ctx, &jo);
	return 0;
}

int cmd_add_port(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct port p = { 0 }, *np;
	int i, ret = -1;

	if (!br)
		return -1;
	if (strlen(ctx->argv[2]) >= sizeof(p.name))
		return cmd_err(ctx, "invalid interface name '%s': at most %zu "
			       "characters", ctx->argv[2], sizeof(p.name) - 1);
	snprintf(p.name, sizeof(p.name), "%s", ctx->argv[2]);
	for (i = 3; i < ctx->argc; i++)
		if (port_parse_option(&p, ctx->argv[i], ctx->err, sizeof(ctx->err)))
			goto out;
	np = bridge_add_port(br, &p, ctx->err, sizeof(ctx->err));
	if (!np)
		goto out;
	if (dp_port_attach(br, np, ctx->err, sizeof(ctx->err))) {
		bridge_del_port(br, np);
		goto out;
	}
	reval_mark_all(br);
	patch_changed(np);
	ctx->changed = true;
	ret = 0;
out:
	free(p.trunks);
	return ret;
}

int cmd_del_port(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct port *p;

	if (!br)
		return -1;
	p = bridge_find_port(br, ctx->argv[2]);
	if (!p)
		return cmd_err(ctx, "bridge '%s' has no port '%s'", br->name,
			       ctx->argv[2]);
	dp_port_detach(br, p);
	mac_table_flush_port(br->macs, p->ofport);
	patch_changed(p);
	bridge_del_port(br, p);
	reval_mark_all(br);
	ctx->changed = true;
	return 0;
}

static int cmp_port_name(const void *a, const void *b)
{
	return strcmp((*(const struct port *const *)a)->name,
		      (*(const struct port *const *)b)->name);
}

/* The ports of @br sorted by name; malloc'd (NULL when none). */
static struct port **sorted_ports(struct bridge *br)
{
	struct port **v = calloc(br->n_ports + 1, sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < br->n_ports; i++)
		v[i] = &br->ports[i];
	qsort(v, br->n_ports, sizeof(*v), cmp_port_name);
	return v;
}

int cmd_list_ports(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct port **v;
	struct json_out jo;
	size_t i;

	if (!br)
		return -1;
	v = sorted_ports(br);
	if (!v)
		return cmd_err(ctx, "out of memory");
	if (!ctx->json) {
		for (i = 0; i < br->n_ports; i++)
			strbuf_printf(&ctx->out, "%s\n", v[i]->name);
		free(v);
		return 0;
	}
	if (cmd_json_start(ctx, &jo)) {
		free(v);
		return -1;
	}
	json_arr_begin(&jo.w, NULL);
	for (i = 0; i < br->n_ports; i++)
		json_str(&jo.w, NULL, v[i]->name);
	json_arr_end(&jo.w);
	cmd_json_finish(ctx, &jo);
	free(v);
	return 0;
}

static const char *dp_state(const struct bridge *br)
{
	if (!vswd.dp_available)
		return "config-only (vswitch module not loaded)";
	return br->dp_ok ? "kernel" : "missing";
}

/* "        tunnel: type=vxlan options:... (device vsw-vxlan-4789)" */
static void show_tunnel(struct cmd_ctx *ctx, const struct port *p)
{
	char dev[16];

	if (!p->tnl.type)
		return;
	tnl_dev_name(&p->tnl, dev);
	strbuf_puts(&ctx->out, "        tunnel:");
	tnl_format(&p->tnl, &ctx->out);
	strbuf_printf(&ctx->out, " (device %s", dev);
	if (p->present)
		strbuf_printf(&ctx->out, ", datapath port %u", p->dp_port);
	strbuf_puts(&ctx->out, ")\n");
}

/* "        patch: peer=X (bridge br-ex)" or "..., error: why", and what
 * crossed it in the kernel */
static void show_patch(struct cmd_ctx *ctx, const struct bridge *br,
		       const struct port *p)
{
	struct dpif_port_stats st;
	struct bridge *ob;
	struct port *o;
	const char *why;
	int how;

	if (!p->patch)
		return;
	why = patch_status(br, p, &ob, &o);
	how = why ? XPATCH_NONE : patch_how(br, p, ob, o, &why);
	strbuf_printf(&ctx->out, "        patch: peer=%s", p->peer);
	if (how == XPATCH_NONE)
		strbuf_printf(&ctx->out, ", error: \"%s\"\n", why);
	else
		strbuf_printf(&ctx->out, " (bridge %s%s)\n", ob->name,
			      how == XPATCH_KERNEL ? ", another kernel datapath: "
			      "kernel patch port" : "");
	if (!patch_kernel_stats(br, p, &st))
		strbuf_printf(&ctx->out, "        crossed: tx packets:%llu "
			      "bytes:%llu dropped:%llu, rx packets:%llu "
			      "bytes:%llu\n",
			      (unsigned long long)st.tx_packets,
			      (unsigned long long)st.tx_bytes,
			      (unsigned long long)st.tx_dropped,
			      (unsigned long long)st.rx_packets,
			      (unsigned long long)st.rx_bytes);
}

static const char *iface_state(const struct port *p)
{
	if (p->patch)
		return "none (patch)";
	return p->present ? "attached" : "absent";
}

static void show_text(struct cmd_ctx *ctx, struct bridge *br)
{
	struct port **v = sorted_ports(br);
	char vlan[256];
	size_t i;

	strbuf_printf(&ctx->out, "Bridge %s\n", br->name);
	strbuf_printf(&ctx->out, "    datapath: %s\n", dp_state(br));
	fail_open_show(&ctx->out, br);
	ofmgr_format_controllers(br->name, &ctx->out, true);
	strbuf_printf(&ctx->out, "    Port %s\n        ofport: LOCAL (%u), type: "
		      "internal\n", br->name, VSW_PORT_LOCAL);
	for (i = 0; v && i < br->n_ports; i++) {
		port_vlan_desc(v[i], vlan, sizeof(vlan));
		strbuf_printf(&ctx->out, "    Port %s\n        ofport: %u, "
			      "interface: %s, vlan: %s\n", v[i]->name,
			      v[i]->ofport, iface_state(v[i]), vlan);
		show_tunnel(ctx, v[i]);
		show_patch(ctx, br, v[i]);
	}
	free(v);
}

static void show_patch_json(struct json_writer *w, const struct bridge *br,
			    const struct port *p)
{
	struct dpif_port_stats st;
	struct bridge *ob;
	struct port *o;
	const char *why = patch_status(br, p, &ob, &o);
	int how = why ? XPATCH_NONE : patch_how(br, p, ob, o, &why);

	json_str(w, "type", "patch");
	json_str(w, "peer", p->peer);
	if (how == XPATCH_NONE)
		json_str(w, "error", why);
	else
		json_str(w, "peer_bridge", ob->name);
	if (how != XPATCH_NONE)
		json_bool(w, "kernel_patch", how == XPATCH_KERNEL);
	if (patch_kernel_stats(br, p, &st))
		return;
	json_u64(w, "tx_packets", st.tx_packets);
	json_u64(w, "tx_bytes", st.tx_bytes);
	json_u64(w, "tx_dropped", st.tx_dropped);
	json_u64(w, "rx_packets", st.rx_packets);
	json_u64(w, "rx_bytes", st.rx_bytes);
}

static void show_json(struct json_writer *w, struct bridge *br)
{
	struct port **v = sorted_ports(br);
	char vlan[256];
	size_t i, j;

	json_obj_begin(w, NULL);
	json_str(w, "name", br->name);
	json_str(w, "datapath", !vswd.dp_available ? "config-only" :
		 br->dp_ok ? "kernel" : "missing");
	fail_open_show_json(w, br);
	json_arr_begin(w, "ports");
	for (i = 0; v && i < br->n_ports; i++) {
		const struct port *p = v[i];

		json_obj_begin(w, NULL);
		json_str(w, "name", p->name);
		json_u64(w, "ofport", p->ofport);
		json_bool(w, "attached", p->present);
		if (p->patch)
			show_patch_json(w, br, p);
		port_vlan_desc(p, vlan, sizeof(vlan));
		json_str(w, "vlan_mode", p->mode == XVLAN_ACCESS ? "access" :
			 p->mode == XVLAN_TRUNK ? "trunk" : "trunk-all");
		if (p->mode == XVLAN_ACCESS)
			json_u64(w, "tag", p->tag);
		if (p->mode == XVLAN_TRUNK) {
			json_arr_begin(w, "trunks");
			for (j = 0; j < p->n_trunks; j++)
				json_u64(w, NULL, p->trunks[j]);
			json_arr_end(w);
		}
		json_obj_end(w);
	}
	json_arr_end(w);
	json_obj_end(w);
	free(v);
}

int cmd_show(struct cmd_ctx *ctx)
{
	struct bridge *br, *only = NULL;
	struct json_out jo;

	if (ctx->argc > 1 && !(only = cmd_bridge(ctx)))
		return -1;
	if (!ctx->json) {
		for (br = vswd.bridges; br; br = br->next)
			if (!only || br == only)
				show_text(ctx, br);
		return 0;
	}
	if (cmd_json_start(ctx, &jo))
		return -1;
	json_arr_begin(&jo.w, NULL);
	for (br = vswd.bridges; br; br = br->next)
		if (!only || br == only)
			show_json(&jo.w, br);
	json_arr_end(&jo.w);
	cmd_json_finish(ctx, &jo);
	return 0;
}

int cmd_set(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct bridge_settings old;
	int i;

	if (!br)
		return -1;
	old = br->set;
	for (i = 2; i < ctx->argc; i++) {
		if (bridge_settings_parse(&br->set, ctx->argv[i], ctx->err,
					  sizeof(ctx->err))) {
			br->set = old;
			return -1;
		}
	}
	if (dp_apply_settings(br, &old, ctx->err, sizeof(ctx->err))) {
		br->set = old;
		dp_apply_settings(br, NULL, NULL, 0);
		return -1;
	}
	reval_kick();
	ctx->changed = true;
	return 0;
}
