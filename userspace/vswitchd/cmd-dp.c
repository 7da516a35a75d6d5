// SPDX-License-Identifier: GPL-2.0
/* Datapath views: dump-dp-flows, dp-stats, fdb-show. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "commands.h"
#include "counters.h"
#include "dp-format.h"
#include "dpif.h"
#include "json.h"
#include "mac-learning.h"
#include "ofp-print.h"
#include "vswitchd.h"

/* The datapath of @br must be reachable for kernel views. */
static int need_dp(struct cmd_ctx *ctx, struct bridge *br)
{
	if (!vswd.dp_available)
		return cmd_err(ctx, "%s: no kernel datapath (config-only mode: "
			       "the vswitch module is not loaded)", br->name);
	if (!br->dp_ok)
		return cmd_err(ctx, "%s: the kernel datapath is missing", br->name);
	return 0;
}

struct dpflow_aux {
	struct cmd_ctx *ctx;
	struct json_writer *w;
};

static void used_text(struct strbuf *sb, int64_t used_ms)
{
	if (used_ms < 0)
		strbuf_puts(sb, "never");
	else
		strbuf_printf(sb, "%.3fs", used_ms / 1000.0);
}

static int dpflow_cb(const struct dpif_flow *f, void *aux_)
{
	struct dpflow_aux *aux = aux_;
	char *acts = odp_format_actions_flow(&f->actions, &f->match.flow);
	struct strbuf m;

	strbuf_init(&m);
	dp_format_match(&m, &f->match);
	if (aux->w) {
		json_obj_begin(aux->w, NULL);
		json_str(aux->w, "match", strbuf_str(&m));
		json_u64(aux->w, "packets", f->packets);
		json_u64(aux->w, "bytes", f->bytes);
		if (f->used_ms < 0)
			json_null(aux->w, "used_ms");
		else
			json_i64(aux->w, "used_ms", f->used_ms);
		json_str(aux->w, "actions", acts ? acts : "");
		json_obj_end(aux->w);
	} else {
		struct strbuf *o = &aux->ctx->out;

		strbuf_printf(o, "%s, packets:%" PRIu64 ", bytes:%" PRIu64
			      ", used:", strbuf_str(&m), f->packets, f->bytes);
		used_text(o, f->used_ms);
		strbuf_printf(o, ", actions:%s\n", acts ? acts : "?");
	}
	strbuf_free(&m);
	free(acts);
	return 0;
}

/* A dump interrupted by flow changes is taken again (a few times), so
 * the listing is consistent. */
#define DUMP_TRIES 5

static int dump_dp_flows_once(struct cmd_ctx *ctx, const char *dp)
{
	struct dpflow_aux aux = { ctx, NULL };
	struct json_out jo;
	int ret;

	if (ctx->json) {
		if (cmd_json_start(ctx, &jo))
			return -ENOMEM;
		json_arr_begin(&jo.w, NULL);
		aux.w = &jo.w;
	}
	ret = dpif_flow_dump(vswd.dpif, dp, false, dpflow_cb, &aux, ctx->err,
			     sizeof(ctx->err));
	if (ctx->json) {
		json_arr_end(&jo.w);
		cmd_json_finish(ctx, &jo);
	}
	return ret;
}

/* The dump reads the kernel's flows only, on the main thread's own
 * socket, so it runs without vswd.mutex: with a large table it takes
 * seconds, which upcalls and the revalidator would otherwise wait. */
int cmd_dump_dp_flows(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	char name[IFNAMSIZ];
	int ret, tries = 0;

	if (!br || need_dp(ctx, br))
		return -1;
	snprintf(name, sizeof(name), "%s", br->name);
	vswd_unlock();
	do {
		strbuf_free(&ctx->out);
		strbuf_init(&ctx->out);
		ret = dump_dp_flows_once(ctx, name);
	} while (ret == -EINTR && ++tries < DUMP_TRIES);
	vswd_lock();
	return ret ? -1 : 0;
}

/* ---- dp-stats ---- */

struct port_stats_aux {
	struct cmd_ctx *ctx;
	struct bridge *br;
	struct json_writer *w;
};

/* The daemon's drops of port @port_no's upcalls. */
static uint64_t port_dropped(struct bridge *br, uint32_t port_no)
{
	size_t i;

	for (i = 0; i < br->n_ports; i++)
		if (br->ports[i].ofport == port_no)
			return br->ports[i].upcalls_dropped;
	return 0;
}

static int port_stats_cb(const struct dpif_port_info *p, void *aux_)
{
	struct port_stats_aux *aux = aux_;
	const struct dpif_port_stats *s = &p->stats;
	uint64_t dropped = port_dropped(aux->br, p->port_no);

	if (aux->w) {
		struct json_writer *w = aux->w;

		json_obj_begin(w, NULL);
		json_u64(w, "port", p->port_no);
		json_str(w, "name", p->ifname);
		json_u64(w, "upcall_sent", s->upcall_sent);
		json_u64(w, "upcall_limited", s->upcall_limited);
		json_u64(w, "upcall_lost", s->upcall_lost);
		json_u64(w, "upcall_dropped_by_daemon", dropped);
		json_u64(w, "flows", s->flows);
		json_u64(w, "rx_packets", s->rx_packets);
		json_u64(w, "rx_bytes", s->rx_bytes);
		json_u64(w, "tx_packets", s->tx_packets);
		json_u64(w, "tx_bytes", s->tx_bytes);
		json_u64(w, "tx_dropped", s->tx_dropped);
		json_obj_end(w);
		return 0;
	}
	char num[16];

	if (p->port_no == VSW_PORT_LOCAL)
		snprintf(num, sizeof(num), "LOCAL");
	else
		snprintf(num, sizeof(num), "%u", p->port_no);
	strbuf_printf(&aux->ctx->out, "  port %s (%s): upcalls: sent:%" PRIu64
		      " limited:%" PRIu64 " lost:%" PRIu64 " dropped:%" PRIu64
		      "  flows:%" PRIu64 "  rx:%" PRIu64 " tx:%" PRIu64
		      " tx_dropped:%" PRIu64 "\n", num, p->ifname,
		      s->upcall_sent, s->upcall_limited, s->upcall_lost, dropped,
		      s->flows, s->rx_packets, s->tx_packets, s->tx_dropped);
	return 0;
}

static double per_pkt(const struct dpif_dp_stats *s)
{
	uint64_t n = s->megaflow_hit + s->missed;

	return n ? (double)s->masks_probed / n : 0.0;
}

static void kernel_stats_text(struct cmd_ctx *ctx, const struct dpif_dp_info *i)
{
	const struct dpif_dp_stats *s = &i->stats;

	strbuf_printf(&ctx->out, "%s:\n  lookups: hit:%" PRIu64 " missed:%"
		      PRIu64 " lost:%" PRIu64 "\n", i->name,
		      s->microflow_hit + s->megaflow_hit, s->missed, s->lost);
	strbuf_printf(&ctx->out, "  microflow: hit:%" PRIu64 " (size %u per "
		      "CPU)  megaflow: hit:%" PRIu64 "\n", s->microflow_hit,
		      i->cfg.microflow_size, s->megaflow_hit);
	strbuf_printf(&ctx->out, "  flows: %u (limit %u)\n  masks: total:%u "
		      "probed:%" PRIu64 " probed/pkt:%.2f\n", s->flows,
		      i->cfg.flow_limit, s->masks, s->masks_probed, per_pkt(s));
	strbuf_printf(&ctx->out, "  recirculated: %" PRIu64 " dropped:%" PRIu64
		      "\n", s->recirc, s->recirc_dropped);
	strbuf_printf(&ctx->out, "  conntrack: packets:%" PRIu64 " committed:%"
		      PRIu64 " nat:%" PRIu64 " invalid:%" PRIu64 " refused:%"
		      PRIu64 " dropped:%" PRIu64 "\n", s->ct, s->ct_committed,
		      s->ct_nat, s->ct_invalid, s->ct_refused, s->ct_dropped);
	strbuf_printf(&ctx->out, "  fragments: conntrack:%" PRIu64
		      " reassembled:%" PRIu64 " refragmented:%" PRIu64 "\n",
		      s->ct_fragments, s->ct_reassembled, s->ct_refragmented);
}

static void kernel_stats_json(struct json_writer *w, const struct dpif_dp_info *i)
{
	const struct dpif_dp_stats *s = &i->stats;

	json_obj_begin(w, "datapath");
	json_u64(w, "microflow_hit", s->microflow_hit);
	json_u64(w, "megaflow_hit", s->megaflow_hit);
	json_u64(w, "missed", s->missed);
	json_u64(w, "lost", s->lost);
	json_u64(w, "flows", s->flows);
	json_u64(w, "flow_limit", i->cfg.flow_limit);
	json_u64(w, "masks", s->masks);
	json_u64(w, "masks_probed", s->masks_probed);
	json_double(w, "masks_probed_per_packet", per_pkt(s));
	json_u64(w, "microflow_size", i->cfg.microflow_size);
	json_u64(w, "recirculated", s->recirc);
	json_u64(w, "recirc_dropped", s->recirc_dropped);
	json_u64(w, "ct_packets", s->ct);
	json_u64(w, "ct_committed", s->ct_committed);
	json_u64(w, "ct_nat", s->ct_nat);
	json_u64(w, "ct_invalid", s->ct_invalid);
	json_u64(w, "ct_refused", s->ct_refused);
	json_u64(w, "ct_dropped", s->ct_dropped);
	json_u64(w, "ct_fragments", s->ct_fragments);
	json_u64(w, "ct_reassembled", s->ct_reassembled);
	json_u64(w, "ct_refragmented", s->ct_refragmented);
	json_obj_end(w);
}

/* Called with vswd.mutex held (the longest hold is kept under it). */
static void daemon_stats_text(struct cmd_ctx *ctx, struct bridge *br)
{
	struct vswd_counters sum, *c = &sum;
	struct strbuf *o = &ctx->out;

	vswd_counters_sum(&sum);
	strbuf_printf(o, "daemon:\n  megaflows tracked (%s): %zu\n", br->name,
		      br->ukeys.n);
	strbuf_printf(o, "  upcalls: handled:%" PRIu64 " failed:%" PRIu64
		      " overruns:%" PRIu64 "\n", c->upcalls_handled,
		      c->upcalls_failed, c->upcall_overruns);
	strbuf_printf(o, "  tunnel-unmatched: %" PRIu64 " packets (no tunnel "
		      "port takes their remote and key)\n", c->tnl_unmatched);
	strbuf_printf(o, "  flows: installed:%" PRIu64 " exists:%" PRIu64
		      " failed:%" PRIu64 " removed:%" PRIu64 " fixed:%" PRIu64
		      " adopted:%" PRIu64 "\n", c->flows_installed,
		      c->flows_install_exists, c->flows_install_failed,
		      c->flows_removed, c->flows_fixed, c->flows_adopted);
	strbuf_printf(o, "  revalidation: runs:%" PRIu64 " last:%" PRIu64
		      "us max:%" PRIu64 "us checked:%" PRIu64 " full dumps:%"
		      PRIu64 " targeted:%" PRIu64 " (cpu %" PRIu64 "us)\n",
		      c->reval_runs, c->reval_last_us, c->reval_max_us,
		      c->reval_checked, c->reval_full_dumps, c->reval_targeted,
		      c->reval_targeted_cpu_us);
	strbuf_printf(o, "  rule changes: %" PRIu64 " megaflows touched: total:%"
		      PRIu64 " last:%" PRIu64 "\n", c->rule_changes,
		      c->rule_change_touched, c->rule_change_last_touched);
	strbuf_printf(o, "  cpu: handlers:%" PRIu64 "ms revalidator:%" PRIu64
		      "ms\n", c->handler_cpu_us / 1000, c->reval_cpu_us / 1000);
	strbuf_printf(o, "  handler time: batches:%" PRIu64 " (%.1f upcalls/batch)"
		      " recv:%" PRIu64 "ms xlate:%" PRIu64 "ms (lock wait:%"
		      PRIu64 "ms) install+execute:%" PRIu64 "ms\n",
		      c->handler_batches, c->handler_batches ?
		      (double)c->upcalls_handled / c->handler_batches : 0.0,
		      c->handler_recv_us / 1000, c->handler_xlate_us / 1000,
		      c->handler_lockwait_us / 1000, c->handler_commit_us / 1000);
	strbuf_printf(o, "  mutex: longest hold:%" PRIu64 "us (%s)\n",
		      vswd.lock_max_hold_us, vswd.lock_max_holder ?
		      vswd.lock_max_holder : "-");
}

/* Called with vswd.mutex held, as daemon_stats_text(). */
static void daemon_stats_json(struct json_writer *w, struct bridge *br)
{
	struct vswd_counters sum, *c = &sum;

	vswd_counters_sum(&sum);
	json_obj_begin(w, "daemon");
	json_u64(w, "megaflows_tracked", br->ukeys.n);
	json_u64(w, "upcalls_handled", c->upcalls_handled);
	json_u64(w, "upcalls_failed", c->upcalls_failed);
	json_u64(w, "upcall_overruns", c->upcall_overruns);
	json_u64(w, "tunnel_unmatched", c->tnl_unmatched);
	json_u64(w, "flows_installed", c->flows_installed);
	json_u64(w, "flows_install_exists", c->flows_install_exists);
	json_u64(w, "flows_install_failed", c->flows_install_failed);
	json_u64(w, "flows_removed", c->flows_removed);
	json_u64(w, "flows_fixed", c->flows_fixed);
	json_u64(w, "flows_adopted", c->flows_adopted);
	json_u64(w, "reval_runs", c->reval_runs);
	json_u64(w, "reval_last_us", c->reval_last_us);
	json_u64(w, "reval_max_us", c->reval_max_us);
	json_u64(w, "reval_checked", c->reval_checked);
	json_u64(w, "rule_changes", c->rule_changes);
	json_u64(w, "rule_change_touched", c->rule_change_touched);
	json_u64(w, "rule_change_last_touched", c->rule_change_last_touched);
	json_u64(w, "handler_cpu_us", c->handler_cpu_us);
	json_u64(w, "reval_cpu_us", c->reval_cpu_us);
	json_u64(w, "reval_full_dumps", c->reval_full_dumps);
	json_u64(w, "reval_targeted", c->reval_targeted);
	json_u64(w, "reval_targeted_cpu_us", c->reval_targeted_cpu_us);
	json_u64(w, "handler_batches", c->handler_batches);
	json_u64(w, "handler_recv_us", c->handler_recv_us);
	json_u64(w, "handler_xlate_us", c->handler_xlate_us);
	json_u64(w, "handler_lockwait_us", c->handler_lockwait_us);
	json_u64(w, "handler_commit_us", c->handler_commit_us);
	json_u64(w, "lock_max_hold_us", vswd.lock_max_hold_us);
	json_str(w, "lock_max_holder", vswd.lock_max_holder ?
		 vswd.lock_max_holder : "");
	json_obj_end(w);
}

int cmd_dp_stats(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct port_stats_aux pa = { ctx, br, NULL };
	struct dpif_dp_info info;
	struct json_out jo;
	bool kernel;

	if (!br)
		return -1;
	kernel = vswd.dp_available && br->dp_ok;
	if (kernel && dpif_dp_get(vswd.dpif, br->name, &info, ctx->err,
				  sizeof(ctx->err)))
		return -1;
	if (ctx->json) {
		if (cmd_json_start(ctx, &jo))
			return -1;
		json_obj_begin(&jo.w, NULL);
		json_str(&jo.w, "bridge", br->name);
		if (kernel) {
			kernel_stats_json(&jo.w, &info);
			json_arr_begin(&jo.w, "ports");
			pa.w = &jo.w;
			dpif_port_dump(vswd.dpif, br->name, port_stats_cb, &pa,
				       ctx->err, sizeof(ctx->err));
			json_arr_end(&jo.w);
		} else {
			json_null(&jo.w, "datapath");
		}
		daemon_stats_json(&jo.w, br);
		json_obj_end(&jo.w);
		cmd_json_finish(ctx, &jo);
		return 0;
	}
	if (kernel) {
		size_t mark;
		int ret, tries = 0;

		kernel_stats_text(ctx, &info);
		mark = ctx->out.len;
		do {	/* a port change during the dump: take it again */
			ctx->out.len = mark;
			if (ctx->out.s)
				ctx->out.s[mark] = '\0';
			ret = dpif_port_dump(vswd.dpif, br->name, port_stats_cb,
					     &pa, ctx->err, sizeof(ctx->err));
		} while (ret == -EINTR && ++tries < DUMP_TRIES);
		if (ret)
			return -1;
	} else {
		strbuf_printf(&ctx->out, "%s:\n  datapath: none (config-only "
			      "mode)\n", br->name);
	}
	daemon_stats_text(ctx, br);
	return 0;
}

/* ---- fdb-show ---- */

struct fdb_aux {
	struct cmd_ctx *ctx;
	struct bridge *br;
	struct json_writer *w;
	long long now;
};

static void fdb_cb(const struct mac_entry *e, void *aux_)
{
	struct fdb_aux *a = aux_;
	long long age = (a->now - e->used_ms) / 1000;
	char mac[18], port[24];
	const char *name = bridge_port_name(a->br, e->port);

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", e->mac[0],
		 e->mac[1], e->mac[2], e->mac[3], e->mac[4], e->mac[5]);
	if (e->port == VSW_PORT_LOCAL)
		snprintf(port, sizeof(port), "LOCAL");
	else
		snprintf(port, sizeof(port), "%u", e->port);
	if (a->w) {
		json_obj_begin(a->w, NULL);
		json_str(a->w, "port", port);
		json_str(a->w, "port_name", name ? name : "");
		json_u64(a->w, "vlan", e->vlan);
		json_str(a->w, "mac", mac);
		json_i64(a->w, "age", age);
		json_obj_end(a->w);
		return;
	}
	strbuf_printf(&a->ctx->out, "%5s  %4u  %s  %3lld\n", port, e->vlan, mac,
		      age);
}

int cmd_fdb_show(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct fdb_aux a = { ctx, br, NULL, vsw_time_msec() };
	struct json_out jo;

	if (!br)
		return -1;
	if (ctx->json) {
		if (cmd_json_start(ctx, &jo))
			return -1;
		json_arr_begin(&jo.w, NULL);
		a.w = &jo.w;
		mac_table_foreach(br->macs, fdb_cb, &a);
		json_arr_end(&jo.w);
		cmd_json_finish(ctx, &jo);
		return 0;
	}
	strbuf_puts(&ctx->out, " port  VLAN  MAC                Age\n");
	mac_table_foreach(br->macs, fdb_cb, &a);
	return 0;
}
