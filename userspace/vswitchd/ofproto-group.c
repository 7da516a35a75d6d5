// SPDX-License-Identifier: GPL-2.0
/*
 * OpenFlow 1.3 groups: GROUP_MOD (group-mod.c does the change) and the
 * GROUP, GROUP_DESC and GROUP_FEATURES replies. A group's packet and
 * byte counts, and its buckets', are what the megaflows that ran it
 * counted (credited as rule counters are: group_credit()).
 */
#include "ofproto.h"

#include "bridge.h"
#include "group-mod.h"
#include "log.h"
#include "ofp-multipart.h"
#include "util.h"
#include "vswitchd.h"

uint32_t ofproto_group_mod(struct bridge *br, const uint8_t *msg, size_t len)
{
	struct ofp13_group_mod_msg gm;
	char why[256];
	ofperr err = ofp13_decode_group_mod(msg, len, &gm);

	if (err)
		return err;
	err = group_mod_apply(br, gm.command, &gm.g, why, sizeof(why), NULL);
	if (err)
		log_info("%s: OpenFlow group_mod refused: %s: %s", br->name,
			 ofperr_name(err), why);
	ofp_group_uninit(&gm.g);
	return err;
}

uint32_t ofproto_put_group_stats(struct ofp13_mp_writer *w, struct bridge *br,
				 const struct ofp13_mp_request *r)
{
	long long now = vsw_time_msec();
	struct ofpbuf scratch;
	struct ofp_group *g;
	uint32_t id;
	ofperr err = ofp13_decode_group_stats_request(r->body, r->body_len, &id);

	if (err)
		return err;
	ofpbuf_init(&scratch);
	for (size_t i = 0; (g = group_table_at(br->groups, i)); i++) {
		if (id != OFPG_ALL && id != g->id)
			continue;
		ofp13_encode_group_stats(&scratch, g, group_ref_count(br, g->id), now);
		ofp13_mp_add(w, scratch.data, scratch.size);
	}
	err = scratch.oom ? OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN) : 0;
	ofpbuf_free(&scratch);
	return err;
}

uint32_t ofproto_put_group_descs(struct ofp13_mp_writer *w, struct bridge *br,
				 const struct ofp13_mp_request *r)
{
	struct ofpbuf scratch;
	struct ofp_group *g;
	ofperr err = 0;

	ofpbuf_init(&scratch);
	for (size_t i = 0; !err && (g = group_table_at(br->groups, i)); i++) {
		err = ofp13_encode_group_desc(&scratch, g);
		if (!err)
			ofp13_mp_add(w, scratch.data, scratch.size);
	}
	ofpbuf_free(&scratch);
	return err;
}

uint32_t ofproto_put_group_features(struct ofp13_mp_writer *w, struct bridge *br,
				    const struct ofp13_mp_request *r)
{
	uint8_t f[40];

	ofp13_group_features(f);
	ofp13_mp_add(w, f, sizeof(f));
	return 0;
}
