/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bridge's fail mode, as ovs-vsctl's fail_mode (fail-open.c).
 *
 * secure: nothing changes when the controllers are gone; the rules (and
 * the megaflows cached from them) go on deciding, table misses included.
 *
 * standalone (the default, also when unset): a bridge with at least one
 * active controller target (tcp:, unix:) none of whose connections has
 * been up (HELLO done) for three inactivity-probe intervals fails open:
 * table 0 applies a hidden rule of the highest priority, matching every
 * packet, with actions=NORMAL, until one connects again. The rule is no
 * pipeline rule: dump-flows, FLOW_STATS and the state file never see it;
 * trace names it. Every megaflow of the bridge is revalidated when it
 * comes and when it goes. Passive targets (ptcp:, punix:) and the
 * management socket do not count, as Open vSwitch's service connections.
 *
 * The mode lives in struct bridge (vswd.mutex); the decision runs on the
 * main thread, from ofconn.c, with vswd.mutex held.
 */
#ifndef VSWD_FAIL_OPEN_H
#define VSWD_FAIL_OPEN_H

#include <stddef.h>
#include <stdint.h>

struct bridge;
struct json_writer;
struct ofbr;
struct rule;
struct strbuf;

enum fail_mode {
	FAIL_MODE_UNSET,		/* behaves as standalone */
	FAIL_MODE_STANDALONE,
	FAIL_MODE_SECURE,
};

/* The priority of the hidden rule: above any OpenFlow priority. */
#define FAIL_OPEN_PRIORITY	0xf0f0f0

/* "secure" or "standalone" into *@mode; -1 with @err naming @s. */
int fail_mode_parse(const char *s, uint8_t *mode, char *err, size_t errlen);
/* "secure", "standalone", or "" when unset. */
const char *fail_mode_name(uint8_t mode);

/* The hidden rule (actions=NORMAL), for struct xlate_bridge. */
const struct rule *fail_open_rule(void);

/* Sets @br's mode; secure ends a fail-open at once. */
void fail_open_set_mode(struct bridge *br, uint8_t mode);

/* Enters or leaves fail-open for @br, whose channels are @b, at @now.
 * Called every ofconn tick with vswd.mutex held. */
void fail_open_run(struct bridge *br, struct ofbr *b, long long now);

/* The state file's "fail-mode BR MODE" record, when set. */
void fail_open_save(struct strbuf *sb, const struct bridge *br);
/* show: a "fail_mode:" line when the mode is set or the bridge has
 * controller targets, a "fail_open: active" line while it is. */
void fail_open_show(struct strbuf *out, const struct bridge *br);
/* show --json: "fail_mode" (null when unset) and "fail_open". */
void fail_open_show_json(struct json_writer *w, const struct bridge *br);

#endif /* VSWD_FAIL_OPEN_H */
