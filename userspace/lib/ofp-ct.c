// SPDX-License-Identifier: GPL-2.0
/* ct_state values and ct(...) arguments in ovs-ofctl syntax. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-ct.h"
#include "ofp-ct-nat.h"
#include "ofp-flags.h"
#include "ofp-token.h"
#include "ofpact.h"

/* Bit i is VSW_CT_STATE_* 1 << i, in Open vSwitch's order and names. */
static const char *const ct_flag_names[8] = {
	"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat",
};

static int ct_flags(const char *s, uint8_t *val, uint8_t *mask)
{
	uint32_t v, m;

	if (ofp_flags_parse(s, ct_flag_names, 8, &v, &m))
		return -1;
	*val = v;
	*mask = m;
	return 0;
}

static int ct_number(const char *s, uint8_t *val, uint8_t *mask)
{
	uint32_t v, m;

	if (ofp_flags_number(s, 0xff, &v, &m))
		return -1;
	*val = v;
	*mask = m;
	return 0;
}

/* Why no packet can match @v under @m, or NULL. */
static const char *ct_impossible(uint8_t v, uint8_t m)
{
	const uint8_t states = VSW_CT_STATE_NEW | VSW_CT_STATE_EST |
			       VSW_CT_STATE_REL | VSW_CT_STATE_RPL;

	if ((m & VSW_CT_STATE_TRK) && !(v & VSW_CT_STATE_TRK) &&
	    (v & (uint8_t)~VSW_CT_STATE_TRK))
		return "a state flag with -trk (an untracked packet has none)";
	if ((v & VSW_CT_STATE_INV) && (v & states))
		return "+inv with +new, +est, +rel or +rpl";
	if ((v & VSW_CT_STATE_NEW) && (v & (VSW_CT_STATE_EST | VSW_CT_STATE_REL)))
		return "+new with +est or +rel";
	if ((v & VSW_CT_STATE_EST) && (v & VSW_CT_STATE_REL))
		return "+est with +rel";
	if ((v & VSW_CT_STATE_NEW) && (v & VSW_CT_STATE_RPL))
		return "+new with +rpl (a new connection's packets are originals)";
	return NULL;
}

static int ct_flag_bit(const char *name, size_t len)
{
	for (unsigned i = 0; i < 8; i++)
		if (strlen(ct_flag_names[i]) == len &&
		    !strncmp(name, ct_flag_names[i], len))
			return (int)i;
	return -1;
}

/* "trk|new" (names separated by any of @seps) into *@v. Returns 0, or -1
 * with *@bad and *@bad_len naming the unknown or repeated flag (length 0:
 * none at all). */
static int ct_names(const char *s, const char *seps, uint8_t *v,
		    const char **bad, size_t *bad_len, bool *twice)
{
	*v = 0;
	*bad = s;
	*bad_len = 0;
	*twice = false;
	while (*s) {
		size_t n = strcspn(s, seps);
		int bit = n ? ct_flag_bit(s, n) : -1;

		if (n && (bit < 0 || (*v & (1u << bit)))) {
			*bad = s;
			*bad_len = n;
			*twice = bit >= 0;
			return -1;
		}
		if (n)
			*v |= (uint8_t)(1u << bit);
		s += n;
		s += !!*s;
	}
	return 0;
}

/* "new|trk", as a packet's state is printed: those flags, exactly. */
static int ct_exact(const char *s, uint8_t *val, uint8_t *mask)
{
	const char *bad;
	size_t n;
	bool twice;

	*mask = 0xff;
	return ct_names(s, "|", val, &bad, &n, &twice) || !*val ? -1 : 0;
}

int ofp_ct_state_parse(const char *name, const char *s, bool allow_mask,
		       union ofp_field_value *v, union ofp_field_value *m,
		       char *err, size_t errlen)
{
	uint8_t val, mask;
	const char *why;
	int bad;

	if (*s == '+' || *s == '-')
		bad = ct_flags(s, &val, &mask);
	else if (isdigit((unsigned char)*s))
		bad = ct_number(s, &val, &mask);
	else
		bad = ct_exact(s, &val, &mask);
	if (bad) {
		snprintf(err, errlen, "invalid ct_state in '%s=%s' (flags as "
			 "+trk+est-rel, exactly as new|trk, or a number with an "
			 "optional /mask)", name, s);
		return -1;
	}
	if (!allow_mask && mask != 0xff) {
		snprintf(err, errlen, "field '%s' does not take a mask in '%s=%s'",
			 name, name, s);
		return -1;
	}
	why = ct_impossible(val, mask);
	if (why) {
		snprintf(err, errlen, "'%s=%s' can never match: %s", name, s, why);
		return -1;
	}
	v->u8 = val;
	m->u8 = mask;
	return 0;
}

void ofp_ct_state_format(struct strbuf *sb, uint8_t value, uint8_t mask)
{
	ofp_flags_format(sb, ct_flag_names, 8, value, mask);
}

int ofp_ct_next_parse(const char *s, uint8_t *state, char *err, size_t errlen)
{
	const char *why, *bad;
	bool twice;
	size_t n;
	uint8_t v;

	if (ct_names(s, ",| ", &v, &bad, &n, &twice)) {
		if (twice)
			snprintf(err, errlen, "--ct-next '%s': '%.*s' given twice",
				 s, (int)n, bad);
		else
			snprintf(err, errlen, "--ct-next '%s': unknown flag '%.*s' "
				 "(trk, new, est, rel, rpl, inv, snat, dnat)",
				 s, (int)n, bad);
		return -1;
	}
	why = !(v & VSW_CT_STATE_TRK) ?
	      "no trk (conntrack always marks the packets it saw tracked)" :
	      ct_impossible(v, 0xff);
	if (why) {
		snprintf(err, errlen, "--ct-next '%s' is a state no packet can "
			 "have: %s", s, why);
		return -1;
	}
	*state = v;
	return 0;
}

void ofp_ct_state_format_flags(struct strbuf *sb, uint8_t state)
{
	const char *sep = "";

	for (unsigned i = 0; i < 8; i++) {
		if (!(state & (1u << i)))
			continue;
		strbuf_printf(sb, "%s%s", sep, ct_flag_names[i]);
		sep = "|";
	}
}

static int ct_uint(const char *key, const char *s, unsigned long max,
		   unsigned long *out, char *err, size_t errlen)
{
	char *end;

	errno = 0;
	*out = isdigit((unsigned char)*s) ? strtoul(s, &end, 0) : 0;
	if (!isdigit((unsigned char)*s) || errno || *end || *out > max) {
		snprintf(err, errlen, "invalid %s in 'ct(%s=%s)' (0..%lu)", key,
			 key, s, max);
		return -1;
	}
	return 0;
}

bool ofp_ct_label_is_zero(const uint8_t l[16])
{
	for (unsigned i = 0; i < 16; i++)
		if (l[i])
			return false;
	return true;
}

/* @n characters of @s as a 128-bit number, least significant byte
 * first: 0x and up to 32 hex digits, or a decimal below 2^64.
 */
static int label_number(const char *s, size_t n, uint8_t out[16])
{
	unsigned long long v;
	char buf[24], *end;

	memset(out, 0, 16);
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
		if (n > 32)
			return -1;
		for (size_t i = 0; i < n; i++) {
			char c = s[n - 1 - i];

			if (!isxdigit((unsigned char)c))
				return -1;
			c = (char)tolower((unsigned char)c);
			out[i / 2] |= (uint8_t)((c <= '9' ? c - '0' : c - 'a' + 10)
						<< (4 * (i % 2)));
		}
		return 0;
	}
	if (!n || n >= sizeof(buf) || !isdigit((unsigned char)*s))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || *end)
		return -1;
	for (unsigned i = 0; i < 8; i++)
		out[i] = (uint8_t)(v >> (8 * i));
	return 0;
}

int ofp_ct_label_parse(const char *name, const char *s, bool allow_mask,
		       uint8_t v[16], uint8_t m[16], char *err, size_t errlen)
{
	const char *slash = strchr(s, '/');

	if (label_number(s, slash ? (size_t)(slash - s) : strlen(s), v) ||
	    (slash && label_number(slash + 1, strlen(slash + 1), m))) {
		snprintf(err, errlen, "invalid %s in '%s=%s' (a 128-bit number: "
			 "0x and up to 32 hex digits, with an optional /mask)",
			 name, name, s);
		return -1;
	}
	if (slash && !allow_mask) {
		snprintf(err, errlen, "field '%s' does not take a mask in '%s=%s'",
			 name, name, s);
		return -1;
	}
	if (!slash)
		memset(m, 0xff, 16);
	for (unsigned i = 0; i < 16; i++)
		v[i] &= m[i];
	return 0;
}

static void label_hex(struct strbuf *sb, const uint8_t l[16])
{
	int i = 15;

	while (i > 0 && !l[i])
		i--;
	strbuf_printf(sb, "%#x", l[i]);
	if (!l[i])
		strbuf_puts(sb, "x0");	/* "0" alone: print 0x0 */
	while (--i >= 0)
		strbuf_printf(sb, "%02x", l[i]);
}

void ofp_ct_label_format(struct strbuf *sb, const uint8_t v[16],
			 const uint8_t m[16])
{
	static const uint8_t ones[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};

	label_hex(sb, v);
	if (memcmp(m, ones, 16)) {
		strbuf_putc(sb, '/');
		label_hex(sb, m);
	}
}

/* set_field:V[/M]->ct_mark */
static int exec_mark(const char *value, const char *whole, struct ofpact *a,
		     char *err, size_t errlen)
{
	unsigned long long v, m = 0xffffffffull;
	char *end;

	errno = 0;
	v = strtoull(value, &end, 0);
	if (*end == '/')
		m = strtoull(end + 1, &end, 0);
	if (errno || *end || !isdigit((unsigned char)*value) ||
	    v > 0xffffffffull || m > 0xffffffffull) {
		snprintf(err, errlen, "invalid ct_mark value in 'ct(exec(%s))'",
			 whole);
		return -1;
	}
	a->ct.has_mark = true;
	a->ct.mark = (uint32_t)(v & m);
	a->ct.mark_mask = (uint32_t)m;
	return 0;
}

/* One action of exec(...): set_field:V[/M]->ct_mark or ->ct_label. */
static int exec_one(const char *key, char *value, const char *whole,
		    struct ofpact *a, char *err, size_t errlen)
{
	char *arrow = strstr(value, "->");

	if (strcmp(key, "set_field") || !arrow) {
		snprintf(err, errlen, "unsupported action in 'ct(exec(%s))': only "
			 "set_field:V[/M]->ct_mark and ->ct_label are supported",
			 whole);
		return -1;
	}
	*arrow = '\0';
	if (!strcmp(arrow + 2, "ct_mark"))
		return exec_mark(value, whole, a, err, errlen);
	if (strcmp(arrow + 2, "ct_label")) {
		snprintf(err, errlen, "unsupported field in 'ct(exec(%s))': only "
			 "ct_mark and ct_label can be set", whole);
		return -1;
	}
	a->ct.has_label = true;
	return ofp_ct_label_parse("ct_label", value, true, a->ct.label,
				  a->ct.label_mask, err, errlen);
}

/* exec(set_field:...,set_field:...) */
static int ct_exec(char *s, struct ofpact *a, char *err, size_t errlen)
{
	char *whole = strdup(s), *pos = s, *key, *value;
	int ret = 0;

	if (!whole) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (!ret && ofp_next_token(&pos, &key, &value))
		ret = exec_one(key, value, whole, a, err, errlen);
	free(whole);
	return ret;
}

/* zone=NXM_NX_REG13[0..15] (or reg13[0..15]): 16 bits of a field. */
static int ct_zone_field(struct ofpact *a, const char *value, char *err,
			 size_t errlen)
{
	if (ofp_subfield_parse(value, &a->ct.zone_src, err, errlen))
		return -1;
	if (a->ct.zone_src.n_bits != 16) {
		snprintf(err, errlen, "'ct(zone=%s)': a zone is 16 bits, the "
			 "field slice is %u", value, a->ct.zone_src.n_bits);
		return -1;
	}
	a->ct.zone_from_field = true;
	a->ct.zone = 0;
	return 0;
}

static int ct_arg(const char *key, char *value, struct ofpact *a, char *err,
		  size_t errlen)
{
	unsigned long v;

	if (!strcmp(key, "commit") && !*value) {
		a->ct.commit = true;
	} else if (!strcmp(key, "force") && !*value) {
		a->ct.force = true;
	} else if (!strcmp(key, "zone")) {
		if (!isdigit((unsigned char)*value))
			return ct_zone_field(a, value, err, errlen);
		if (ct_uint(key, value, 0xffff, &v, err, errlen))
			return -1;
		a->ct.zone = (uint16_t)v;
	} else if (!strcmp(key, "table")) {
		if (ct_uint(key, value, OFP_N_TABLES - 1, &v, err, errlen))
			return -1;
		a->ct.has_table = true;
		a->ct.table = (uint8_t)v;
	} else if (!strcmp(key, "exec")) {
		return ct_exec(value, a, err, errlen);
	} else if (!strcmp(key, "nat")) {
		if (a->ct.nat.kind != ODP_NAT_NONE) {
			snprintf(err, errlen, "more than one nat in ct(...)");
			return -1;
		}
		return ofp_ct_nat_parse(value, &a->ct.nat, err, errlen);
	} else if (!strcmp(key, "alg")) {
		snprintf(err, errlen, "'ct(alg=%s)' is not supported (no "
			 "helpers in vswitch yet)", value);
		return -1;
	} else {
		snprintf(err, errlen, "unknown ct argument '%s'", key);
		return -1;
	}
	return 0;
}

int ofpact_ct_parse(char *args, struct ofpact *a, char *err, size_t errlen)
{
	char *pos = args, *key, *value;

	while (ofp_next_token(&pos, &key, &value))
		if (ct_arg(key, value, a, err, errlen))
			return -1;
	return ofpact_ct_check(a, err, errlen);
}

int ofpact_ct_check(const struct ofpact *a, char *err, size_t errlen)
{
	if (a->ct.force && !a->ct.commit) {
		snprintf(err, errlen, "'ct(force)' needs commit");
		return -1;
	}
	if ((a->ct.has_mark || a->ct.has_label) && !a->ct.commit) {
		snprintf(err, errlen, "'ct(exec(set_field:...->%s))' needs "
			 "commit", a->ct.has_mark ? "ct_mark" : "ct_label");
		return -1;
	}
	if ((a->ct.nat.kind == ODP_NAT_SRC || a->ct.nat.kind == ODP_NAT_DST) &&
	    !a->ct.commit) {
		snprintf(err, errlen, "'ct(nat(%s=...))' needs commit (a new "
			 "connection's translation is set up when it is "
			 "committed); plain 'nat' applies existing ones",
			 a->ct.nat.kind == ODP_NAT_SRC ? "src" : "dst");
		return -1;
	}
	return 0;
}

void ofpact_ct_format(struct strbuf *sb, const struct ofpact *a)
{
	if (!a->ct.commit && !a->ct.force && !a->ct.has_table && !a->ct.zone &&
	    !a->ct.zone_from_field &&
	    !a->ct.has_mark && !a->ct.has_label &&
	    a->ct.nat.kind == ODP_NAT_NONE) {
		strbuf_puts(sb, "ct");
		return;
	}
	strbuf_puts(sb, "ct(");
	if (a->ct.commit)
		strbuf_puts(sb, "commit,");
	if (a->ct.force)
		strbuf_puts(sb, "force,");
	if (a->ct.has_table)
		strbuf_printf(sb, "table=%u,", a->ct.table);
	if (a->ct.zone_from_field) {
		strbuf_puts(sb, "zone=");
		ofp_subfield_format(sb, &a->ct.zone_src);
		strbuf_putc(sb, ',');
	} else if (a->ct.zone) {
		strbuf_printf(sb, "zone=%u,", a->ct.zone);
	}
	if (a->ct.nat.kind != ODP_NAT_NONE) {
		ofp_ct_nat_format(sb, &a->ct.nat);
		strbuf_putc(sb, ',');
	}
	if (a->ct.has_mark || a->ct.has_label) {
		strbuf_puts(sb, "exec(");
		if (a->ct.has_mark) {
			strbuf_printf(sb, "set_field:%#x", a->ct.mark);
			if (a->ct.mark_mask != 0xffffffff)
				strbuf_printf(sb, "/%#x", a->ct.mark_mask);
			strbuf_puts(sb, "->ct_mark,");
		}
		if (a->ct.has_label) {
			strbuf_puts(sb, "set_field:");
			ofp_ct_label_format(sb, a->ct.label, a->ct.label_mask);
			strbuf_puts(sb, "->ct_label,");
		}
		strbuf_chomp(sb, ',');
		strbuf_puts(sb, "),");
	}
	strbuf_chomp(sb, ',');
	strbuf_putc(sb, ')');
}
