// SPDX-License-Identifier: GPL-2.0
/* OpenFlow group commands: add-group(s), mod-group, del-groups,
 * dump-groups, dump-group-stats (ovs-ofctl's words and syntax). */
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "commands.h"
#include "group-mod.h"
#include "json.h"
#include "ofp-group.h"
#include "revalidator.h"
#include "vswitchd.h"

/* Applies @cmd with group @g, naming the group and the OpenFlow error in
 * the message when refused. */
static int apply(struct cmd_ctx *ctx, struct bridge *br, uint16_t cmd,
		 struct ofp_group *g, const char *where)
{
	char why[256];
	uint32_t id = g->id;
	ofperr e = group_mod_apply(br, cmd, g, why, sizeof(why), NULL);

	if (e)
		return cmd_err(ctx, "%sgroup %u: %s (%s)", where, id, why,
			       ofperr_name(e));
	ctx->changed = true;
	reval_kick();
	return 0;
}

static int add_or_mod(struct cmd_ctx *ctx, uint16_t cmd)
{
	struct bridge *br = cmd_bridge(ctx);
	struct ofp_group g;
	int ret;

	if (!br)
		return -1;
	if (ofp_group_parse(ctx->argv[2], bridge_port_lookup, br, &g, ctx->err,
			    sizeof(ctx->err)))
		return -1;
	ret = apply(ctx, br, cmd, &g, "");
	ofp_group_uninit(&g);
	return ret;
}

int cmd_add_group(struct cmd_ctx *ctx)
{
	return add_or_mod(ctx, OFPGC_ADD);
}

int cmd_mod_group(struct cmd_ctx *ctx)
{
	return add_or_mod(ctx, OFPGC_MODIFY);
}

static bool skip_line(const char *l)
{
	l += strspn(l, " \t\r");
	return !*l || *l == '#';
}

/* Removes the groups added so far (in reverse: later ones may chain to
 * earlier ones). */
static void undo_adds(struct bridge *br, const uint32_t *ids, size_t n)
{
	struct ofp_group g;
	char why[256];

	while (n--) {
		ofp_group_init(&g);
		g.id = ids[n];
		group_mod_apply(br, OFPGC_DELETE, &g, why, sizeof(why), NULL);
	}
}

/* One group per line, each an add; all or nothing. */
int cmd_add_groups(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	size_t lineno = 0, n = 0, cap = 0;
	char *p, *nl, where[32];
	uint32_t *ids = NULL, *v;
	struct ofp_group g;
	int ret = 0;

	if (!br)
		return -1;
	for (p = ctx->argv[2]; !ret && p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		if (skip_line(p))
			continue;
		snprintf(where, sizeof(where), "line %zu: ", lineno);
		if (ofp_group_parse(p, bridge_port_lookup, br, &g, ctx->err,
				    sizeof(ctx->err))) {
			char msg[sizeof(ctx->err)];

			snprintf(msg, sizeof(msg), "%s", ctx->err);
			ret = cmd_err(ctx, "%s%s", where, msg);
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = realloc(ids, cap * sizeof(*v));
			if (!v) {
				ofp_group_uninit(&g);
				ret = cmd_err(ctx, "out of memory");
				break;
			}
			ids = v;
		}
		ids[n] = g.id;
		ret = apply(ctx, br, OFPGC_ADD, &g, where);
		n += !ret;
		ofp_group_uninit(&g);
	}
	if (ret)
		undo_adds(br, ids, n);
	free(ids);
	ctx->changed = !ret && n;
	return ret;
}

int cmd_del_groups(struct cmd_ctx *ctx)
{
	struct bridge *br = cmd_bridge(ctx);
	struct ofp_group g;

	if (!br)
		return -1;
	ofp_group_init(&g);
	g.id = OFPG_ALL;
	if (ctx->argc > 2 &&
	    ofp_group_parse_id(ctx->argv[2], &g.id, ctx->err, sizeof(ctx->err)))
		return -1;
	return apply(ctx, br, OFPGC_DELETE, &g, "");
}

/* The group asked for in argv[2] (OFPG_ALL without one). */
static int dump_filter(struct cmd_ctx *ctx, uint32_t *id)
{
	*id = OFPG_ALL;
	return ctx->argc > 2 ? ofp_group_parse_id(ctx->argv[2], id, ctx->err,
						  sizeof(ctx->err)) : 0;
}

static void dump_one(struct cmd_ctx *ctx, struct bridge *br,
		     const struct ofp_group *g, struct json_writer *w)
{
	struct strbuf sb;

	strbuf_init(&sb);
	ofp_group_format(&sb, g, NULL, NULL);
	if (w) {
		json_obj_begin(w, NULL);
		json_u64(w, "group_id", g->id);
		json_str(w, "type", ofp_group_type_name(g->type));
		json_str(w, "group", strbuf_str(&sb));
		json_obj_end(w);
	} else {
		strbuf_printf(&ctx->out, " %s\n", strbuf_str(&sb));
	}
	strbuf_free(&sb);
}

static void stats_one(struct cmd_ctx *ctx, struct bridge *br,
		      const struct ofp_group *g, struct json_writer *w)
{
	double age = (vsw_time_msec() - g->created_ms) / 1000.0;
	uint32_t refs = group_ref_count(br, g->id);

	if (w) {
		json_obj_begin(w, NULL);
		json_u64(w, "group_id", g->id);
		json_double(w, "duration", age);
		json_u64(w, "ref_count", refs);
		json_u64(w, "packet_count", g->packets);
		json_u64(w, "byte_count", g->bytes);
		json_arr_begin(w, "buckets");
		for (size_t i = 0; i < g->n_buckets; i++) {
			json_obj_begin(w, NULL);
			json_u64(w, "packet_count", g->buckets[i].packets);
			json_u64(w, "byte_count", g->buckets[i].bytes);
			json_obj_end(w);
		}
		json_arr_end(w);
		json_obj_end(w);
		return;
	}
	strbuf_printf(&ctx->out, " group_id=%u,duration=%.3fs,ref_count=%u,"
		      "packet_count=%llu,byte_count=%llu", g->id, age, refs,
		      (unsigned long long)g->packets, (unsigned long long)g->bytes);
	for (size_t i = 0; i < g->n_buckets; i++)
		strbuf_printf(&ctx->out, ",bucket%zu:packet_count=%llu,"
			      "byte_count=%llu", i,
			      (unsigned long long)g->buckets[i].packets,
			      (unsigned long long)g->buckets[i].bytes);
	strbuf_putc(&ctx->out, '\n');
}

static int dump(struct cmd_ctx *ctx,
		void (*one)(struct cmd_ctx *, struct bridge *,
			    const struct ofp_group *, struct json_writer *))
{
	struct bridge *br = cmd_bridge(ctx);
	struct json_out jo;
	struct ofp_group *g;
	uint32_t id;

	if (!br || dump_filter(ctx, &id))
		return -1;
	if (ctx->json) {
		if (cmd_json_start(ctx, &jo))
			return -1;
		json_arr_begin(&jo.w, NULL);
	}
	for (size_t i = 0; (g = group_table_at(br->groups, i)); i++)
		if (id == OFPG_ALL || id == g->id)
			one(ctx, br, g, ctx->json ? &jo.w : NULL);
	if (ctx->json) {
		json_arr_end(&jo.w);
		cmd_json_finish(ctx, &jo);
	}
	return 0;
}

int cmd_dump_groups(struct cmd_ctx *ctx)
{
	return dump(ctx, dump_one);
}

int cmd_dump_group_stats(struct cmd_ctx *ctx)
{
	return dump(ctx, stats_one);
}
