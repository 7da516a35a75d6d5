// SPDX-License-Identifier: GPL-2.0
/*
 * OpenFlow groups in lib: the text syntax read back from what it prints,
 * its errors naming the culprit; GROUP_MOD and GROUP_DESC encoded and
 * decoded back, malformed ones refused with the specification's codes;
 * the table's checks (types, buckets, watch ports, chains and loops);
 * the group action in text and on the wire.
 */
#include <string.h>
#include "kselftest_harness.h"
#include "ofp-group.h"
#include "ofp-msg.h"
#include "ofp-print.h"
#include "util.h"

static const char *const roundtrip[] = {
	"group_id=1,type=all,bucket=actions=output:1,bucket=actions=output:2",
	"group_id=2,type=select,bucket=weight:10,actions=output:1,"
	"bucket=weight:20,actions=set_field:00:00:00:00:00:01->eth_dst,output:2",
	"group_id=3,type=indirect,bucket=actions=push_vlan:0x8100,"
	"set_field:10->vlan_vid,output:3",
	"group_id=4,type=fast_failover,bucket=watch_port:1,actions=output:1,"
	"bucket=watch_port:2,actions=output:2,bucket=watch_port:LOCAL,actions=LOCAL",
	"group_id=5,type=all,bucket=actions=group:1,bucket=actions=drop",
	"group_id=4294967040,type=all",
	"group_id=6,type=select,bucket=weight:0,actions=ct(commit,zone=5),output:1",
};

static char *fmt(const struct ofp_group *g)
{
	struct strbuf sb;

	strbuf_init(&sb);
	ofp_group_format(&sb, g, NULL, NULL);
	return strbuf_steal(&sb);
}

TEST(text_roundtrip)
{
	for (size_t i = 0; i < ARRAY_SIZE(roundtrip); i++) {
		struct ofp_group g;
		char err[256] = "";
		char *s;

		ASSERT_EQ(0, ofp_group_parse(roundtrip[i], NULL, NULL, &g, err,
					     sizeof(err))) TH_LOG("%s: %s", roundtrip[i], err);
		s = fmt(&g);
		EXPECT_STREQ(roundtrip[i], s);
		free(s);
		ofp_group_uninit(&g);
	}
}

TEST(text_defaults_and_spellings)
{
	struct ofp_group g;
	char err[256];
	char *s;

	/* ovs-ofctl's dump: "ff", select without weight: (1) */
	ASSERT_EQ(0, ofp_group_parse("group_id=8,type=ff,bucket=watch_port:1,"
				     "actions=output:1", NULL, NULL, &g, err,
				     sizeof(err)));
	EXPECT_EQ(OFPGT_FF, g.type);
	ofp_group_uninit(&g);
	/* select's default weight is 1; "actions=" is optional; '=' or ':' */
	ASSERT_EQ(0, ofp_group_parse("type=select, group_id=7,bucket=output:1,"
				     "bucket=weight=3,output:2", NULL, NULL, &g,
				     err, sizeof(err)));
	EXPECT_EQ(7u, g.id);
	ASSERT_EQ(2u, g.n_buckets);
	EXPECT_EQ(1u, g.buckets[0].weight);
	EXPECT_EQ(3u, g.buckets[1].weight);
	EXPECT_EQ((uint32_t)OFPP_NONE, g.buckets[0].watch_port);
	EXPECT_EQ(OFPG_ANY, g.buckets[0].watch_group);
	s = fmt(&g);
	EXPECT_STREQ("group_id=7,type=select,bucket=weight:1,actions=output:1,"
		     "bucket=weight:3,actions=output:2", s);
	free(s);
	ofp_group_uninit(&g);
}

static void expect_parse_error(struct __test_metadata *_metadata,
			       const char *text, const char *needle)
{
	struct ofp_group g;
	char err[256] = "";

	EXPECT_EQ(-1, ofp_group_parse(text, NULL, NULL, &g, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, needle)) TH_LOG("'%s' gave '%s'", text, err);
}

TEST(text_errors_name_the_culprit)
{
	expect_parse_error(_metadata, "type=all", "group_id=N is required");
	expect_parse_error(_metadata, "group_id=1", "type= is required");
	expect_parse_error(_metadata, "group_id=1,type=any", "unknown group type 'any'");
	expect_parse_error(_metadata, "group_id=1,type=all,colour=red",
			   "unknown group field 'colour'");
	expect_parse_error(_metadata, "group_id=x,type=all", "group_id=x");
	expect_parse_error(_metadata, "group_id=4294967295,type=all",
			   "out of range");
	expect_parse_error(_metadata, "group_id=1,type=all,bucket=actions=frobnicate",
			   "bucket 1: unknown or unsupported action 'frobnicate'");
	expect_parse_error(_metadata, "group_id=1,type=select,bucket=output:1,"
			   "bucket=weight:70000,output:2", "bucket 2: value out of range");
	expect_parse_error(_metadata, "group_id=1,type=failover", "unknown group type");
	expect_parse_error(_metadata, "group_id=1,type=fast_failover,"
			   "bucket=watch_port:nope,output:1", "bucket 1:");
}

TEST(parse_id)
{
	char err[128];
	uint32_t id;

	ASSERT_EQ(0, ofp_group_parse_id("group_id=12", &id, err, sizeof(err)));
	EXPECT_EQ(12u, id);
	ASSERT_EQ(0, ofp_group_parse_id("7", &id, err, sizeof(err)));
	EXPECT_EQ(7u, id);
	ASSERT_EQ(0, ofp_group_parse_id("group_id=all", &id, err, sizeof(err)));
	EXPECT_EQ(OFPG_ALL, id);
	EXPECT_EQ(-1, ofp_group_parse_id("group_id=1,type=all", &id, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "only group_id=N"));
}

TEST(group_action_text_and_wire)
{
	struct ofpacts *acts, *back;
	struct ofpbuf b;
	struct match m;
	char err[128], *s;

	ASSERT_EQ(0, ofp_parse_actions("group:42,output:1", NULL, NULL, &acts,
				       err, sizeof(err)));
	ASSERT_TRUE(acts->a[0].type == OFPACT_GROUP);
	EXPECT_EQ(42u, acts->a[0].group_id);
	EXPECT_TRUE(ofpacts_output_to_group(acts, 42));
	EXPECT_FALSE(ofpacts_output_to_group(acts, 41));
	s = ofp_format_actions(acts, NULL, NULL);
	EXPECT_STREQ("group:42,output:1", s);
	free(s);
	EXPECT_EQ(-1, ofp_parse_actions("group:4294967040x", NULL, NULL, &back,
					err, sizeof(err)));
	EXPECT_EQ(-1, ofp_parse_actions("group:4294967295", NULL, NULL, &back,
					err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "out of range"));

	memset(&m, 0, sizeof(m));
	ofpbuf_init(&b);
	ASSERT_EQ(0u, ofp13_encode_actions(&b, acts, &m));
	ASSERT_EQ(24u, b.size);		/* GROUP is 8 bytes, OUTPUT 16 */
	back = ofpacts_new();
	ASSERT_EQ(0u, ofp13_decode_actions(b.data, b.size, &m, false, back));
	EXPECT_TRUE(ofpacts_equal(acts, back));
	/* a reserved group number is BAD_OUT_GROUP */
	b.data[4] = b.data[5] = b.data[6] = b.data[7] = 0xff;
	ofpacts_free(back);
	back = ofpacts_new();
	EXPECT_EQ(OFPERR(OFPET13_BAD_ACTION, OFPBAC13_BAD_OUT_GROUP),
		  ofp13_decode_actions(b.data, b.size, &m, false, back));
	ofpacts_free(back);
	ofpacts_free(acts);
	ofpbuf_free(&b);
}

static void parse_ok(struct __test_metadata *_metadata, const char *text,
		     struct ofp_group *g)
{
	char err[256] = "";

	ASSERT_EQ(0, ofp_group_parse(text, NULL, NULL, g, err, sizeof(err)))
		TH_LOG("%s: %s", text, err);
}

TEST(group_mod_roundtrip)
{
	for (size_t i = 0; i < ARRAY_SIZE(roundtrip); i++) {
		struct ofp13_group_mod_msg gm = { .command = OFPGC_MODIFY }, back;
		struct ofpbuf b;
		char *a, *z;

		if (strstr(roundtrip[i], "ct("))	/* not in OpenFlow 1.3 */
			continue;
		parse_ok(_metadata, roundtrip[i], &gm.g);
		ofpbuf_init(&b);
		ASSERT_EQ(0u, ofp13_encode_group_mod(&b, 7, &gm));
		ASSERT_EQ(0u, ofp13_decode_group_mod(b.data, b.size, &back));
		EXPECT_EQ((uint16_t)OFPGC_MODIFY, back.command);
		a = fmt(&gm.g);
		z = fmt(&back.g);
		EXPECT_STREQ(a, z);
		free(a);
		free(z);
		ofp_group_uninit(&gm.g);
		ofp_group_uninit(&back.g);
		ofpbuf_free(&b);
	}
}

TEST(group_desc_roundtrip)
{
	struct ofp_group g, back;
	struct ofpbuf b;
	size_t used;
	char *a, *z;

	parse_ok(_metadata, roundtrip[3], &g);
	ofpbuf_init(&b);
	ASSERT_EQ(0u, ofp13_encode_group_desc(&b, &g));
	ASSERT_EQ(0u, ofp13_decode_group_desc(b.data, b.size, &back, &used));
	EXPECT_EQ(b.size, used);
	a = fmt(&g);
	z = fmt(&back);
	EXPECT_STREQ(a, z);
	free(a);
	free(z);
	ofp_group_uninit(&g);
	ofp_group_uninit(&back);
	ofpbuf_free(&b);
}

/* An encoded GROUP_MOD of @text, to corrupt. */
static void encode(struct __test_metadata *_metadata, const char *text,
		   struct ofpbuf *b)
{
	struct ofp13_group_mod_msg gm = { .command = OFPGC_ADD };

	parse_ok(_metadata, text, &gm.g);
	ofpbuf_init(b);
	ASSERT_EQ(0u, ofp13_encode_group_mod(b, 1, &gm));
	ofp_group_uninit(&gm.g);
}

#define GMF(code) OFPERR(OFPET13_GROUP_MOD_FAILED, OFPGMFC13_##code)

TEST(group_mod_decode_errors)
{
	struct ofp13_group_mod_msg gm;
	struct ofpbuf b;

	encode(_metadata, "group_id=1,type=all,bucket=actions=output:1", &b);
	/* the fixed part: command at 8, type at 10 */
	b.data[9] = 3;
	EXPECT_EQ(GMF(BAD_COMMAND), ofp13_decode_group_mod(b.data, b.size, &gm));
	b.data[9] = 0;
	b.data[10] = 4;
	EXPECT_EQ(GMF(BAD_TYPE), ofp13_decode_group_mod(b.data, b.size, &gm));
	b.data[10] = 0;
	/* a bucket length that is not a multiple of 8, too short, too long */
	b.data[17] = 17;
	EXPECT_EQ(GMF(BAD_BUCKET), ofp13_decode_group_mod(b.data, b.size, &gm));
	b.data[17] = 8;
	EXPECT_EQ(GMF(BAD_BUCKET), ofp13_decode_group_mod(b.data, b.size, &gm));
	b.data[17] = 40;
	EXPECT_EQ(GMF(BAD_BUCKET), ofp13_decode_group_mod(b.data, b.size, &gm));
	b.data[17] = 32;
	ASSERT_EQ(0u, ofp13_decode_group_mod(b.data, b.size, &gm));
	ofp_group_uninit(&gm.g);
	/* an action refused with its own error */
	b.data[32 + 1] = 40;	/* OUTPUT becomes type 40 */
	EXPECT_EQ(OFPERR(OFPET13_BAD_ACTION, OFPBAC13_BAD_TYPE),
		  ofp13_decode_group_mod(b.data, b.size, &gm));
	/* a header shorter than the fixed part */
	EXPECT_EQ(OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN),
		  ofp13_decode_group_mod(b.data, 12, &gm));
	ofpbuf_free(&b);
	/* a delete's type and buckets are not looked at */
	encode(_metadata, "group_id=9,type=all", &b);
	b.data[9] = OFPGC_DELETE;
	b.data[10] = 77;
	ASSERT_EQ(0u, ofp13_decode_group_mod(b.data, b.size, &gm));
	EXPECT_EQ(9u, gm.g.id);
	ofpbuf_free(&b);
}

/* Adds @text to @t after group_check(); returns the check's error. */
static ofperr put(struct __test_metadata *_metadata, struct group_table *t,
		  const char *text)
{
	struct ofp_group g;
	char why[256] = "";
	ofperr e;

	parse_ok(_metadata, text, &g);
	e = group_check(t, &g, NULL, NULL, why, sizeof(why));
	if (!e) {
		EXPECT_EQ(0, group_table_put(t, &g, false));
	} else {
		EXPECT_NE('\0', why[0]);
	}
	ofp_group_uninit(&g);
	return e;
}

static bool only_port_1(void *aux, uint32_t port)
{
	return port == 1;
}

TEST(checks)
{
	struct group_table *t = group_table_create();
	struct ofp_group g;
	char why[256];

	EXPECT_EQ(GMF(INVALID_GROUP), put(_metadata, t, "group_id=1,type=indirect,"
		  "bucket=output:1,bucket=output:2"));
	EXPECT_EQ(GMF(INVALID_GROUP), put(_metadata, t, "group_id=1,type=indirect"));
	EXPECT_EQ(GMF(BAD_BUCKET), put(_metadata, t, "group_id=1,type=all,"
		  "bucket=weight:2,output:1"));
	EXPECT_EQ(GMF(BAD_WATCH), put(_metadata, t, "group_id=1,type=fast_failover,"
		  "bucket=output:1"));
	EXPECT_EQ(GMF(WATCH_UNSUPPORTED), put(_metadata, t, "group_id=1,"
		  "type=fast_failover,bucket=watch_group:2,output:1"));
	EXPECT_EQ(OFPERR(OFPET13_BAD_ACTION, OFPBAC13_BAD_OUT_GROUP),
		  put(_metadata, t, "group_id=1,type=all,bucket=group:2"));
	EXPECT_EQ(GMF(LOOP), put(_metadata, t, "group_id=1,type=all,bucket=group:1"));
	/* a chain 3 -> 2 -> 1, then 1 -> 3 would close a loop */
	EXPECT_EQ(0u, put(_metadata, t, "group_id=1,type=all,bucket=output:1"));
	EXPECT_EQ(0u, put(_metadata, t, "group_id=2,type=indirect,bucket=group:1"));
	EXPECT_EQ(0u, put(_metadata, t, "group_id=3,type=select,bucket=group:2"));
	EXPECT_EQ(GMF(LOOP), put(_metadata, t, "group_id=1,type=all,bucket=group:3"));
	EXPECT_EQ(3u, group_table_count(t));
	EXPECT_EQ(3u, group_chained_from(t, 2, NULL, NULL));
	EXPECT_EQ(OFPG_ANY, group_chained_from(t, 3, NULL, NULL));
	/* watch ports the bridge lacks */
	parse_ok(_metadata, "group_id=4,type=fast_failover,bucket=watch_port:2,"
		 "output:2", &g);
	EXPECT_EQ(GMF(BAD_WATCH), group_check(t, &g, only_port_1, NULL, why,
					      sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "watch_port 2"));
	g.buckets[0].watch_port = 1;
	EXPECT_EQ(0u, group_check(t, &g, only_port_1, NULL, why, sizeof(why)));
	g.id = OFPG_ALL;
	EXPECT_EQ(GMF(INVALID_GROUP), group_check(t, &g, NULL, NULL, why, sizeof(why)));
	g.id = 4;
	g.type = 9;
	EXPECT_EQ(GMF(BAD_TYPE), group_check(t, &g, NULL, NULL, why, sizeof(why)));
	ofp_group_uninit(&g);
	/* the table keeps ids sorted and finds them */
	EXPECT_EQ(1u, group_table_at(t, 0)->id);
	EXPECT_EQ(3u, group_table_at(t, 2)->id);
	EXPECT_TRUE(group_table_remove(t, 2));
	EXPECT_FALSE(group_table_remove(t, 2));
	EXPECT_EQ(NULL, group_find(t, 2));
	EXPECT_EQ(3u, group_find(t, 3)->id);
	group_table_destroy(t);
}

TEST(features_are_what_is_supported)
{
	struct ofp13_group_features f;
	uint8_t raw[40];

	ofp13_group_features(raw);
	memcpy(&f, raw, sizeof(f));
	EXPECT_EQ(0xfu, ntohl(f.types));
	EXPECT_EQ((uint32_t)(OFPGFC13_SELECT_WEIGHT | OFPGFC13_SELECT_LIVENESS |
			     OFPGFC13_CHAINING | OFPGFC13_CHAINING_CHECKS),
		  ntohl(f.capabilities));
	for (int t = 0; t < 4; t++) {
		uint32_t a = ntohl(f.actions[t]);

		EXPECT_TRUE(!!(a & 1u << OFPAT13_OUTPUT));
		EXPECT_TRUE(!!(a & 1u << OFPAT13_GROUP));
		EXPECT_TRUE(!!(a & 1u << OFPAT13_SET_FIELD));
		EXPECT_FALSE(!!(a & 1u << OFPAT13_PUSH_MPLS));	/* refused */
		EXPECT_FALSE(!!(a & 1u << OFPAT13_SET_QUEUE));
	}
}

TEST_HARNESS_MAIN
