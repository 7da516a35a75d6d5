// SPDX-License-Identifier: GPL-2.0
/*
 * Groups in ovs-ofctl's text syntax: "group_id=1,type=select,
 * bucket=weight:10,actions=output:1,bucket=weight:20,actions=output:2".
 * A bucket runs from its "bucket=" to the next one at the top level (not
 * inside parentheses); its weight:, watch_port: and watch_group: come
 * first, then its actions, with or without "actions=".
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ofp-group.h"
#include "ofp-print.h"
#include "ofp-token.h"
#include "util.h"

static __attribute__((format(printf, 3, 4))) int
gerr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_u32(const char *key, const char *s, unsigned long max,
		     uint32_t *out, char *err, size_t errlen)
{
	unsigned long v;
	char *end;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return gerr(err, errlen, "invalid value in '%s=%s'", key, s);
	v = strtoul(s, &end, 0);
	if (errno || *end)
		return gerr(err, errlen, "invalid value in '%s=%s'", key, s);
	if (v > max)
		return gerr(err, errlen, "value out of range in '%s=%s' (0..%lu)",
			    key, s, max);
	*out = (uint32_t)v;
	return 0;
}

int ofp_group_parse_id(const char *text, uint32_t *id, char *err, size_t errlen)
{
	const char *v = text;

	if (!strncmp(v, "group_id=", 9))
		v += 9;
	else if (!strncmp(v, "group_id:", 9))
		v += 9;
	if (!strcasecmp(v, "all")) {
		*id = OFPG_ALL;
		return 0;
	}
	if (strchr(v, ','))
		return gerr(err, errlen, "only group_id=N is taken here, not '%s'",
			    text);
	return parse_u32("group_id", v, OFPG_MAX, id, err, errlen);
}

static int parse_type(const char *s, uint8_t *type, char *err, size_t errlen)
{
	if (!strcmp(s, "ff")) {		/* what ovs-ofctl prints */
		*type = OFPGT_FF;
		return 0;
	}
	for (uint8_t t = OFPGT_ALL; t <= OFPGT_FF; t++)
		if (!strcmp(s, ofp_group_type_name(t))) {
			*type = t;
			return 0;
		}
	return gerr(err, errlen, "unknown group type '%s' (all, select, "
		    "indirect, fast_failover or ff)", s);
}

/* The offset of the next top-level "bucket=" in @s from @from, or the
 * string's length. */
static size_t next_bucket(const char *s, size_t from)
{
	int depth = 0;

	for (size_t i = from; s[i]; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')')
			depth--;
		else if (!depth && (i == 0 || s[i - 1] == ',') &&
			 !strncmp(s + i, "bucket=", 7))
			return i;
	}
	return strlen(s);
}

/* "weight:10", "watch_port=2"...: the key's length when @s starts with
 * one of a bucket's own keys, else 0. */
static size_t bucket_key(const char *s)
{
	static const char *const keys[] = { "weight", "watch_port", "watch_group" };

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		size_t n = strlen(keys[i]);

		if (!strncmp(s, keys[i], n) && (s[n] == ':' || s[n] == '='))
			return n;
	}
	return 0;
}

static int bucket_field(struct ofp_bucket *b, char *kv, size_t klen,
			ofp_port_lookup_fn lookup, void *aux, char *err,
			size_t errlen)
{
	char *v = kv + klen + 1;
	uint32_t n;

	kv[klen] = '\0';
	if (!strcmp(kv, "weight")) {
		if (parse_u32(kv, v, 0xffff, &n, err, errlen))
			return -1;
		b->weight = (uint16_t)n;
		return 0;
	}
	if (!strcmp(kv, "watch_port"))
		return ofp_parse_port(kv, v, lookup, aux, &b->watch_port, err, errlen);
	return parse_u32(kv, v, OFPG_MAX, &b->watch_group, err, errlen);
}

/* One bucket's text (after "bucket=", cut at the next bucket). */
static int parse_bucket(struct ofp_group *g, char *s, size_t idx,
			ofp_port_lookup_fn lookup, void *aux, char *err,
			size_t errlen)
{
	struct ofp_bucket *b = ofp_group_add_bucket(g);
	char msg[200];
	size_t klen;

	if (!b)
		return gerr(err, errlen, "out of memory");
	b->weight = g->type == OFPGT_SELECT;	/* ovs-ofctl's default: 1 */
	while ((klen = bucket_key(s))) {
		char *comma = strchr(s, ',');

		if (comma)
			*comma = '\0';
		if (bucket_field(b, s, klen, lookup, aux, msg, sizeof(msg)))
			return gerr(err, errlen, "bucket %zu: %s", idx, msg);
		s = comma ? comma + 1 : s + strlen(s);
	}
	if (!strncmp(s, "actions=", 8))
		s += 8;
	if (!*s)
		s = "drop";
	if (ofp_parse_actions(s, lookup, aux, &b->acts, msg, sizeof(msg)))
		return gerr(err, errlen, "bucket %zu: %s", idx, msg);
	return 0;
}

/* group_id= and type=, before the first bucket. */
static int parse_head(struct ofp_group *g, char *s, bool *has_id,
		      bool *has_type, char *err, size_t errlen)
{
	char *key, *value;

	while (ofp_next_token(&s, &key, &value)) {
		if (!strcmp(key, "group_id")) {
			if (parse_u32(key, value, OFPG_MAX, &g->id, err, errlen))
				return -1;
			*has_id = true;
		} else if (!strcmp(key, "type")) {
			if (parse_type(value, &g->type, err, errlen))
				return -1;
			*has_type = true;
		} else {
			return gerr(err, errlen, "unknown group field '%s' "
				    "(group_id, type, bucket)", key);
		}
	}
	return 0;
}

int ofp_group_parse(const char *text, ofp_port_lookup_fn lookup, void *aux,
		    struct ofp_group *g, char *err, size_t errlen)
{
	char *copy = strdup(text ? text : "");
	bool has_id = false, has_type = false;
	size_t at, idx = 0;
	int ret = -1;

	ofp_group_init(g);
	if (!copy)
		return gerr(err, errlen, "out of memory");
	at = next_bucket(copy, 0);
	if (copy[at])
		copy[at - (at > 0)] = '\0';	/* cut the head (its comma) */
	else
		at = strlen(copy);
	if (parse_head(g, copy, &has_id, &has_type, err, errlen))
		goto out;
	if (!has_id) {
		gerr(err, errlen, "group_id=N is required");
		goto out;
	}
	if (!has_type) {
		gerr(err, errlen, "type= is required (all, select, indirect, "
		     "fast_failover)");
		goto out;
	}
	while (text[at]) {
		size_t start = at + 7, end = next_bucket(text, start);
		char *one = strndup(text + start, end - start);

		if (!one) {
			gerr(err, errlen, "out of memory");
			goto out;
		}
		if (end > start && one[end - start - 1] == ',' && text[end])
			one[end - start - 1] = '\0';
		ret = parse_bucket(g, one, ++idx, lookup, aux, err, errlen);
		free(one);
		if (ret)
			goto out;
		ret = -1;
		at = end;
	}
	ret = 0;
out:
	free(copy);
	if (ret)
		ofp_group_uninit(g);
	return ret;
}

void ofp_group_format(struct strbuf *sb, const struct ofp_group *g,
		      ofp_port_name_fn fn, void *aux)
{
	strbuf_printf(sb, "group_id=%u,type=%s", g->id,
		      ofp_group_type_name(g->type) ? ofp_group_type_name(g->type)
						   : "?");
	for (size_t i = 0; i < g->n_buckets; i++) {
		const struct ofp_bucket *b = &g->buckets[i];
		char *acts = ofp_format_actions(b->acts, fn, aux);

		strbuf_puts(sb, ",bucket=");
		if (g->type == OFPGT_SELECT || b->weight)
			strbuf_printf(sb, "weight:%u,", b->weight);
		if (b->watch_port != OFPP_NONE) {
			const char *name = fn ? fn(aux, b->watch_port) : NULL;

			if (name)
				strbuf_printf(sb, "watch_port:%s,", name);
			else if (b->watch_port == OFPP_LOCAL)
				strbuf_puts(sb, "watch_port:LOCAL,");
			else
				strbuf_printf(sb, "watch_port:%u,", b->watch_port);
		}
		if (b->watch_group != OFPG_ANY)
			strbuf_printf(sb, "watch_group:%u,", b->watch_group);
		strbuf_printf(sb, "actions=%s", acts ? acts : "?");
		free(acts);
	}
}
