// SPDX-License-Identifier: GPL-2.0
/*
 * Fail mode and the fail-open fallback (fail-open.h).
 *
 * When to fail open: every controller must get the chance to miss a
 * probe and to be reconnected before the bridge stops obeying the rules,
 * so the bridge waits three inactivity-probe intervals (the idle time
 * before an echo request, the time given to its reply, the time to
 * reconnect) from the last moment an active connection was up, or from
 * when the targets were set (and the daemon started). With probes off
 * (inactivity-probe=0) it waits three default intervals.
 */
#include "fail-open.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "json.h"
#include "log.h"
#include "ofconn-private.h"
#include "ofpact.h"
#include "pipeline.h"
#include "revalidator.h"
#include "util.h"
#include "vswitchd.h"

static struct ofpact normal_action = {
	.type = OFPACT_OUTPUT, .port = OFPP_NORMAL,
};
static struct ofpacts normal_actions = { .n = 1, .a = &normal_action };

/* Read-only once built; id 0 belongs to no pipeline rule, so the stats
 * the megaflows it made push back find no rule to credit. */
static const struct rule hidden_rule = {
	.cr.priority = FAIL_OPEN_PRIORITY,
	.id = 0,
	.spec = { .priority_set = true, .acts = &normal_actions,
		  .has_actions = true, .out_port = OFPP_NONE },
};

static const char *const mode_names[] = {
	[FAIL_MODE_UNSET] = "",
	[FAIL_MODE_STANDALONE] = "standalone",
	[FAIL_MODE_SECURE] = "secure",
};

int fail_mode_parse(const char *s, uint8_t *mode, char *err, size_t errlen)
{
	if (!strcmp(s, "standalone"))
		*mode = FAIL_MODE_STANDALONE;
	else if (!strcmp(s, "secure"))
		*mode = FAIL_MODE_SECURE;
	else {
		snprintf(err, errlen, "invalid fail mode '%s': want secure or "
			 "standalone", s);
		return -1;
	}
	return 0;
}

const char *fail_mode_name(uint8_t mode)
{
	return mode < ARRAY_SIZE(mode_names) ? mode_names[mode] : "";
}

const struct rule *fail_open_rule(void)
{
	return &hidden_rule;
}

/* Puts the hidden rule in or out of force and has every megaflow of the
 * bridge translated again. */
static void fail_open_switch(struct bridge *br, bool on, const char *why)
{
	vswd_assert_locked();
	br->fail_open = on;
	reval_mark_all(br);
	if (on)
		log_warn("%s: %s: failing open (NORMAL switching)", br->name, why);
	else
		log_warn("%s: %s: no longer failing open", br->name, why);
}

void fail_open_set_mode(struct bridge *br, uint8_t mode)
{
	vswd_assert_locked();
	br->fail_mode = mode;
	if (mode == FAIL_MODE_SECURE && br->fail_open)
		fail_open_switch(br, false, "fail mode secure");
}

/* How many active targets @b has; *@up when one's connection is up. */
static size_t active_targets(const struct ofbr *b, bool *up)
{
	size_t i, n = 0;

	*up = false;
	for (i = 0; i < b->n_targets; i++) {
		const struct target *t = &b->targets[i];

		if (t->t.passive)
			continue;
		n++;
		if (t->conn && t->conn->hello_done)
			*up = true;
	}
	return n;
}

void fail_open_run(struct bridge *br, struct ofbr *b, long long now)
{
	long long probe = br->set.inactivity_probe_ms ?
			  br->set.inactivity_probe_ms : OFCONN_PROBE_MS;
	char why[128];
	size_t n;
	bool up;

	vswd_assert_locked();
	n = active_targets(b, &up);
	if (up)
		b->up_ms = now;
	if (br->fail_open && !n)
		fail_open_switch(br, false, "no controller targets");
	else if (br->fail_open && up)
		fail_open_switch(br, false, "controller connected");
	else if (!br->fail_open && n && !up &&
		 br->fail_mode != FAIL_MODE_SECURE && now - b->up_ms >= 3 * probe) {
		snprintf(why, sizeof(why), "no controller connected for %lld ms "
			 "(3 inactivity probes of %lld ms)", now - b->up_ms, probe);
		fail_open_switch(br, true, why);
	}
}

void fail_open_save(struct strbuf *sb, const struct bridge *br)
{
	if (br->fail_mode != FAIL_MODE_UNSET)
		strbuf_printf(sb, "fail-mode %s %s\n", br->name,
			      fail_mode_name(br->fail_mode));
}

static bool has_targets(const struct bridge *br)
{
	const struct ofbr *b;

	for (b = ofbrs; b; b = b->next)
		if (!strcmp(b->name, br->name))
			return b->n_targets > 0;
	return false;
}

void fail_open_show(struct strbuf *out, const struct bridge *br)
{
	if (br->fail_mode != FAIL_MODE_UNSET)
		strbuf_printf(out, "    fail_mode: %s\n",
			      fail_mode_name(br->fail_mode));
	else if (has_targets(br))
		strbuf_puts(out, "    fail_mode: standalone (default)\n");
	if (br->fail_open)
		strbuf_puts(out, "    fail_open: active (no controller connected: "
			    "NORMAL switching)\n");
}

void fail_open_show_json(struct json_writer *w, const struct bridge *br)
{
	if (br->fail_mode == FAIL_MODE_UNSET)
		json_null(w, "fail_mode");
	else
		json_str(w, "fail_mode", fail_mode_name(br->fail_mode));
	json_bool(w, "fail_open", br->fail_open);
}
