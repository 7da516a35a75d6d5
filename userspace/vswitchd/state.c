// SPDX-License-Identifier: GPL-2.0
#include "state.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "fail-open.h"
#include "group-mod.h"
#include "ofconn.h"
#include "ofp-rule.h"
#include "patch-port.h"
#include "persist.h"
#include "pipeline.h"
#include "tunnel-port.h"
#include "util.h"
#include "vswitchd.h"

int state_corrupt;

static void save_port(struct strbuf *sb, const struct bridge *br,
		      const struct port *p)
{
	size_t i;

	strbuf_printf(sb, "port %s %s ofport=%u", br->name, p->name, p->ofport);
	if (p->mode == XVLAN_ACCESS)
		strbuf_printf(sb, " tag=%u", p->tag);
	if (p->mode == XVLAN_TRUNK)
		for (i = 0; i < p->n_trunks; i++)
			strbuf_printf(sb, "%s%u", i ? "," : " trunks=", p->trunks[i]);
	tnl_format(&p->tnl, sb);
	patch_format(p, sb);
	strbuf_putc(sb, '\n');
}

int state_save(char *err, size_t errlen)
{
	struct strbuf sb;
	struct bridge *br;
	char set[512];
	size_t i;
	int ret;

	vswd_assert_locked();
	if (state_corrupt) {
		snprintf(err, errlen, "not saving: %s/%s failed to load; move it "
			 "aside first", vswd.state_dir, STATE_FILE);
		return -1;
	}
	strbuf_init(&sb);
	strbuf_puts(&sb, "# written by vswitchd; edit only while it is stopped\n");
	for (br = vswd.bridges; br; br = br->next) {
		bridge_settings_format(&br->set, set, sizeof(set));
		strbuf_printf(&sb, "bridge %s %s\n", br->name, set);
		for (i = 0; i < br->n_ports; i++)
			save_port(&sb, br, &br->ports[i]);
		group_save_records(&sb, br);	/* before the rules using them */
		ofp_rule_save_records(&sb, br->name, br->pl);
		ofmgr_save(&sb, br->name);
		fail_open_save(&sb, br);
	}
	if (sb.oom) {
		snprintf(err, errlen, "out of memory writing the state");
		ret = -1;
	} else {
		ret = persist_save(vswd.state_dir, STATE_FILE, strbuf_str(&sb),
				   sb.len, err, errlen);
	}
	strbuf_free(&sb);
	return ret;
}

static int load_bridge(int argc, char **argv, char *err, size_t errlen)
{
	struct bridge *br;
	int i;

	if (argc < 2) {
		snprintf(err, errlen, "bridge record without a name");
		return -1;
	}
	br = bridge_create(argv[1], err, errlen);
	if (!br)
		return -1;
	for (i = 2; i < argc; i++)
		if (bridge_settings_parse(&br->set, argv[i], err, errlen))
			return -1;
	return 0;
}

static struct bridge *record_bridge(int argc, char **argv, const char *what,
				    char *err, size_t errlen)
{
	struct bridge *br;

	if (argc < 3) {
		snprintf(err, errlen, "%s record needs a bridge and a value", what);
		return NULL;
	}
	br = bridge_find(argv[1]);
	if (!br)
		snprintf(err, errlen, "%s record for unknown bridge '%s'", what,
			 argv[1]);
	return br;
}

static int load_port(int argc, char **argv, char *err, size_t errlen)
{
	struct bridge *br = record_bridge(argc, argv, "port", err, errlen);
	struct port p = { 0 };
	int i, ret = -1;

	if (!br)
		return -1;
	snprintf(p.name, sizeof(p.name), "%s", argv[2]);
	for (i = 3; i < argc; i++)
		if (port_parse_option(&p, argv[i], err, errlen))
			goto out;
	ret = bridge_add_port(br, &p, err, errlen) ? 0 : -1;
out:
	free(p.trunks);
	return ret;
}

static int load_flow(int argc, char **argv, const char *rest, char *err,
		     size_t errlen)
{
	struct bridge *br = record_bridge(argc, argv, "flow", err, errlen);

	if (!br)
		return -1;
	return ofp_rule_load(br->pl, rest, bridge_port_lookup, br, err, errlen);
}

static int load_group(int argc, char **argv, const char *rest, char *err,
		      size_t errlen)
{
	struct bridge *br = record_bridge(argc, argv, "group", err, errlen);

	if (!br)
		return -1;
	return group_load_record(br, rest, err, errlen);
}

static int load_controller(int argc, char **argv, char *err, size_t errlen)
{
	struct bridge *br = record_bridge(argc, argv, "controller", err, errlen);

	if (!br)
		return -1;
	return ofmgr_set_controllers(br->name, argv + 2, argc - 2, err, errlen);
}

static int load_fail_mode(int argc, char **argv, char *err, size_t errlen)
{
	struct bridge *br = record_bridge(argc, argv, "fail-mode", err, errlen);
	uint8_t mode;

	if (!br)
		return -1;
	if (argc != 3) {
		snprintf(err, errlen, "fail-mode record wants one mode, got %d",
			 argc - 2);
		return -1;
	}
	if (fail_mode_parse(argv[2], &mode, err, errlen))
		return -1;
	fail_open_set_mode(br, mode);
	return 0;
}

static int load_record(void *aux, int argc, char **argv, const char *rest,
		       char *err, size_t errlen)
{
	if (!strcmp(argv[0], "bridge"))
		return load_bridge(argc, argv, err, errlen);
	if (!strcmp(argv[0], "port"))
		return load_port(argc, argv, err, errlen);
	if (!strcmp(argv[0], "flow"))
		return load_flow(argc, argv, rest, err, errlen);
	if (!strcmp(argv[0], "group"))
		return load_group(argc, argv, rest, err, errlen);
	if (!strcmp(argv[0], "controller"))
		return load_controller(argc, argv, err, errlen);
	if (!strcmp(argv[0], "fail-mode"))
		return load_fail_mode(argc, argv, err, errlen);
	snprintf(err, errlen, "unknown record '%s'", argv[0]);
	return -1;
}

int state_load(char *err, size_t errlen)
{
	int ret;

	vswd_assert_locked();
	ret = persist_load(vswd.state_dir, STATE_FILE, load_record, NULL, err,
			   errlen);
	if (ret < 0) {
		while (vswd.bridges)
			bridge_destroy(vswd.bridges);
		state_corrupt = 1;
		return -1;
	}
	return 0;
}
