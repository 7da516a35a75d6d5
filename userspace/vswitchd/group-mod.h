/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Group changes on a bridge, for OpenFlow's GROUP_MOD and vswitchctl's
 * add-group/mod-group/del-groups alike (group-mod.c), and what follows
 * from them: the megaflows that used a changed group are marked for the
 * revalidator; deleting a group deletes the rules that forward to it
 * (FLOW_REMOVED with reason GROUP_DELETE for those that asked). Called
 * with vswd.mutex held.
 */
#ifndef VSWD_GROUP_MOD_H
#define VSWD_GROUP_MOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofp-group.h"

struct bridge;
struct ofpacts;

/* Adds (OFPGC_ADD), replaces (OFPGC_MODIFY) or deletes (OFPGC_DELETE;
 * g->id OFPG_ALL deletes all) a group. Takes @g's contents on success.
 * Returns 0 or the OpenFlow error, with @why saying what is wrong; a
 * refused change changes nothing. *@rules_deleted (may be NULL) gets how
 * many rules a delete took with it. */
ofperr group_mod_apply(struct bridge *br, uint16_t command, struct ofp_group *g,
		       char *why, size_t whylen, size_t *rules_deleted);

/* A rule's actions name a group that does not exist: the OpenFlow error
 * (BAD_ACTION/BAD_OUT_GROUP) with @why, else 0. */
ofperr group_check_rule(struct bridge *br, const struct ofpacts *acts,
			char *why, size_t whylen);

/* Credits @packets/@bytes to the groups and buckets of @uses (xlate_out's
 * group_uses). */
void group_credit(struct bridge *br, const uint64_t *uses, size_t n,
		  uint64_t packets, uint64_t bytes);

/* How many rules forward to group @id (GROUP stats' ref_count). */
uint32_t group_ref_count(struct bridge *br, uint32_t id);

/* The state file's group records, "group BR GROUP\n" each (GROUP in
 * add-group syntax), a group after the groups it forwards to; and one
 * read back (TEXT is what follows "group BR"): 0 or -1 with @err. */
struct strbuf;
void group_save_records(struct strbuf *sb, struct bridge *br);
int group_load_record(struct bridge *br, const char *text, char *err,
		      size_t errlen);

#endif /* VSWD_GROUP_MOD_H */
