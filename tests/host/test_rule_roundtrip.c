// SPDX-License-Identifier: GPL-2.0
/*
 * Whatever the daemon writes, it reads back (issue 12): a property test
 * over a corpus of rules generated from the parser's own tables. Every
 * field of the field table (exact, and masked where it is maskable, by
 * name and by alias, with a protocol that meets its prerequisite), every
 * action keyword of the action table, every table, cookies, timeouts,
 * priorities, reset_counts and dump-flows' statistics. For each rule:
 *
 *   parse -> print (the state file's form) -> parse gives the same rule,
 *   and printing that again gives the same text (a fixed point);
 *   parse -> print (dump-flows' form) -> parse gives the same rule;
 *
 * and a pipeline holding the whole corpus, saved as state records and
 * loaded back, holds the same rules in the same order. trace's Flow:
 * line reads back as the packet it shows. The generator must
 * cover each table entry: a field or action keyword added later without
 * generator support fails the coverage assertions.
 *
 * The seed is fixed (VSW_SEED=N overrides it) and printed with any failure.
 */
#include <ctype.h>
#include <stdio.h>
#include <sys/stat.h>
#include "kselftest_harness.h"
#include "ulib_helpers.h"
#include "ofp-field.h"
#include "ofp-rule.h"
#include "persist.h"

#define N_RULES		4000
#define MAX_REPORTS	8

static uint64_t seed = 0x5eed0012;
/* set_field targets generated so far, so each rule picks the least used. */
static unsigned set_field_uses[MFF_N_IDS];


static void set_seed(void)
{
	const char *s = getenv("VSW_SEED");

	if (s && *s)
		seed = strtoull(s, NULL, 0);
	rng_state = seed ? seed : 1;
	memset(set_field_uses, 0, sizeof(set_field_uses));
}

static int lookup_port(void *aux, const char *name, uint32_t *port)
{
	(void)aux;
	if (strcmp(name, "vm-a"))
		return -1;
	*port = 12;
	return 0;
}

/* Which table entries the corpus exercised (counted once they round trip). */
struct coverage {
	unsigned exact[MFF_N_IDS], masked[MFF_N_IDS], alias[MFF_N_IDS];
	unsigned set_field[MFF_N_IDS];
	unsigned keyword[64];
	unsigned type[OFPACT_N_TYPES];
	unsigned tables[OFP_N_TABLES];
};

/* What one generated rule used, credited to struct coverage on success. */
struct gen_rule {
	struct strbuf text;
	int exact[8], masked[8], alias[8], set_field[8], keyword[8];
	unsigned n_exact, n_masked, n_alias, n_set, n_kw;
	uint8_t table;
	struct match base;	/* the match so far: prerequisites, overlaps */
};

/* Protocols a field's prerequisite can be met with. */
static const char *const bases[] = {
	"", "ip", "ipv6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "tcp6",
	"udp6", "sctp6", "icmp6", "dl_type=0x0800", "dl_type=0x86dd",
	"eth_type=0x0806", "dl_type=0x88cc", "ip,nw_proto=47", "ipv6,nw_proto=6",
	"ipv6,ip_proto=58", "ip,nw_proto=1", "icmp6,icmp_type=135",
	"icmp6,icmpv6_type=136", "icmp6,icmp_type=136,icmp_code=0",
	"ct_state=+trk+est", "ip,ct_state=+new+trk", "ipv6,ct_state=+trk-inv",
	"tcp,ct_state=+rpl+trk", "ct_state=+trk+dnat",
};

static int parse_match(const char *m, struct match *out)
{
	struct ofp_rule_spec s;
	char text[256], err[256];

	snprintf(text, sizeof(text), "%s%sactions=drop", m, *m ? "," : "");
	if (ofp_parse_flow(text, OFP_PARSE_ADD, NULL, NULL, &s, err, sizeof(err)))
		return -1;
	*out = s.match;
	ofp_rule_spec_free(&s);
	return 0;
}

/* The bits of struct flow that field @mf occupies. */
static void field_bits(const struct ofp_field *mf, struct flow *bits)
{
	union ofp_field_value v, m;
	struct match probe;

	memset(&probe, 0, sizeof(probe));
	memset(&v, 0, sizeof(v));
	ofp_field_exact_mask(mf, &m);
	ofp_field_set_match(mf, &v, &m, &probe);
	*bits = probe.mask;
	/* dl_vlan and dl_vlan_pcp both imply a tag: they combine */
	if (mf->id == MFF_VLAN_VID || mf->id == MFF_VLAN_PCP)
		bits->vlan_tci &= htons(~VSW_VLAN_PRESENT);
}

static bool overlaps(const struct flow *a, const struct flow *b)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;

	for (size_t i = 0; i < sizeof(*a); i++)
		if (x[i] & y[i])
			return true;
	return false;
}

static void add_bits(struct flow *acc, const struct flow *b)
{
	uint8_t *x = (uint8_t *)acc;
	const uint8_t *y = (const uint8_t *)b;

	for (size_t i = 0; i < sizeof(*acc); i++)
		x[i] |= y[i];
}

/* True when @mf can join @m: its prerequisite met, its bits still free. */
static bool field_fits(const struct ofp_field *mf, const struct match *m)
{
	struct flow bits;

	field_bits(mf, &bits);
	return ofp_field_prereq_ok(ofp_field_resolve(mf, m), m) &&
	       !overlaps(&bits, &m->mask);
}

static void put_num(struct strbuf *sb, unsigned long long v)
{
	strbuf_printf(sb, rnd(2) ? "%llu" : "0x%llx", v);
}

static void put_mac(struct strbuf *sb)
{
	for (int i = 0; i < 6; i++)
		strbuf_printf(sb, "%s%02x", i ? ":" : "", rnd(3) ? (unsigned)rnd(256) : 0);
}

static void put_ipv4(struct strbuf *sb, bool masked)
{
	strbuf_printf(sb, "%u.%u.%u.%u", rnd(256), rnd(256), rnd(256), rnd(256));
	if (masked && rnd(2))
		strbuf_printf(sb, "/%u", rnd(33));
	else if (masked)
		strbuf_printf(sb, "/%u.%u.%u.%u", rnd(256), rnd(256), rnd(256), rnd(256));
}

static void put_in6(struct strbuf *sb)
{
	struct in6_addr a;
	char buf[INET6_ADDRSTRLEN];

	for (int i = 0; i < 16; i++)
		a.s6_addr[i] = rnd(3) ? 0 : (uint8_t)rnd(256);
	strbuf_puts(sb, inet_ntop(AF_INET6, &a, buf, sizeof(buf)));
}

static void put_ipv6(struct strbuf *sb, bool masked)
{
	put_in6(sb);
	if (masked && rnd(2)) {
		strbuf_printf(sb, "/%u", rnd(129));
	} else if (masked) {
		strbuf_putc(sb, '/');
		put_in6(sb);
	}
}

static const char *const frag_exact[] = { "first", "later" };
static const char *const frag_masked[] = { "no", "yes", "not_later" };

static void put_tcp_flags(struct strbuf *sb, bool masked)
{
	uint16_t v = (uint16_t)rnd(0x1000), m = (uint16_t)(1 + rnd(0xfff));
	bool first = true;

	if (rnd(3) == 0) {		/* numbers */
		if (masked)
			strbuf_printf(sb, "0x%x/0x%x", v, m);
		else
			put_num(sb, v);
		return;
	}
	for (unsigned i = 0; i < 12; i++) {
		uint16_t bit = 1u << i;

		if (masked && (m & bit))
			strbuf_printf(sb, "%c%s", v & bit ? '+' : '-',
				      ofp_tcp_flag_name(bit));
		else if (!masked && (v & bit))
			strbuf_printf(sb, "%s%s", first ? "" : "|",
				      ofp_tcp_flag_name(bit));
		else
			continue;
		first = false;
	}
	if (first)
		strbuf_putc(sb, '0');
}

/* A ct_state any packet could have: flags or numbers. */
static void put_ct_state(struct strbuf *sb, bool masked)
{
	static const char *const flags[] = {
		"+trk", "-trk", "+trk+est", "+new+trk", "+trk+est-rel",
		"+rel+trk", "+inv+trk", "+est+rpl+trk", "-new+trk", "-inv",
	};
	static const uint8_t exact[] = { 0, 0x21, 0x22, 0x2a, 0x24, 0x30 };

	if (masked && rnd(3))
		strbuf_puts(sb, flags[rnd(ARRAY_SIZE(flags))]);
	else if (masked)
		strbuf_printf(sb, "0x%x/0x%x", exact[rnd(ARRAY_SIZE(exact))] & 0x2f,
			      0x2f);
	else
		strbuf_printf(sb, "0x%x", exact[rnd(ARRAY_SIZE(exact))]);
}

/* A 128-bit ct_label, hex, with a mask when @masked. */
static void put_ct_label(struct strbuf *sb, bool masked)
{
	strbuf_printf(sb, "0x%llx%016llx", (unsigned long long)rnd64() >> rnd(64),
		      (unsigned long long)rnd64());
	if (masked)
		strbuf_printf(sb, "/0x%llx", (unsigned long long)rnd64() | 1);
}

/* tun_flags: any combination of +/- names, or a number (with a mask). */
static void put_tun_flags(struct strbuf *sb, bool masked)
{
	static const char *const names[] = { "df", "csum", "key" };
	unsigned v = rnd(8), m = masked ? rnd(8) : 7, i;

	if (masked && !m)
		m = 1;
	if (rnd(2)) {
		for (i = 0; i < 3; i++)
			if (m & (1u << i))
				strbuf_printf(sb, "%c%s", v & (1u << i) ? '+' : '-',
					      names[i]);
	} else if (masked) {
		strbuf_printf(sb, "0x%x/0x%x", v & m, m);
	} else {
		strbuf_printf(sb, "%u", v);
	}
}

/* ct(...) with a random subset of what it takes. */
static void put_ct_action(struct strbuf *sb)
{
	bool commit = rnd(2), first = true;
	const char *arg[4];
	char zone[16], table[16], mark[48];
	unsigned n = 0;

	if (commit)
		arg[n++] = rnd(3) ? "commit" : "commit,force";
	if (rnd(2)) {
		snprintf(zone, sizeof(zone), "zone=%u", rnd(65536));
		arg[n++] = zone;
	}
	if (rnd(2)) {
		snprintf(table, sizeof(table), "table=%u", rnd(OFP_N_TABLES));
		arg[n++] = table;
	}
	if (commit && rnd(2)) {
		if (rnd(2))
			snprintf(mark, sizeof(mark), "exec(set_field:%#x->ct_mark)",
				 (unsigned)rnd64());
		else
			snprintf(mark, sizeof(mark), "exec(set_field:%u/0xffff->ct_mark)",
				 rnd(65536));
		arg[n++] = mark;
	}
	if (!n) {
		strbuf_puts(sb, "ct");
		return;
	}
	strbuf_puts(sb, "ct(");
	for (unsigned i = n; i-- > 0; first = false)	/* any order reads */
		strbuf_printf(sb, "%s%s", first ? "" : ",", arg[i]);
	strbuf_putc(sb, ')');
}

/* A VLAN TCI the parser accepts: a clear present bit under the mask
 * comes with zero VID and PCP (an untagged frame's TCI). */
static void put_vlan_tci(struct strbuf *sb, bool masked)
{
	uint16_t v = (uint16_t)rnd(0x10000), m = masked ? (uint16_t)rnd(0x10000) : 0xffff;

	if ((m & VSW_VLAN_PRESENT) && !(v & VSW_VLAN_PRESENT))
		v = rnd(2) ? 0 : v | VSW_VLAN_PRESENT;
	strbuf_printf(sb, "0x%04x", v);
	if (masked)
		strbuf_printf(sb, "/0x%04x", m);
}

/* Numbers: the field's width, the few fields with rules of their own. */
static void put_number(struct strbuf *sb, const struct ofp_field *mf,
		       bool masked, bool set_field)
{
	unsigned long long max = mf->n_bits >= 64 ? ~0ull :
				 (1ull << mf->n_bits) - 1;
	static const uint16_t types[] = {
		0x0800, 0x86dd, 0x0806, 0x8035, 0x88cc, 0x1234, 0x8100,
	};

	switch (mf->id) {
	case MFF_ETH_TYPE:
		strbuf_printf(sb, "0x%04x", types[rnd(ARRAY_SIZE(types))]);
		return;
	case MFF_VLAN_TCI:
		put_vlan_tci(sb, masked);
		return;
	case MFF_VLAN_VID:
		if (!set_field && rnd(8) == 0)
			strbuf_puts(sb, "0xffff");	/* OFP_VLAN_NONE */
		else
			put_num(sb, rnd(4096));
		return;
	case MFF_IP_DSCP:
		put_num(sb, rnd(64) << 2);
		return;
	default:
		break;
	}
	put_num(sb, rnd64() & max);
	if (masked) {
		strbuf_putc(sb, '/');
		put_num(sb, rnd64() & max);
	}
}

static void put_port(struct strbuf *sb)
{
	static const char *const words[] = { "LOCAL", "CONTROLLER", "local" };

	if (rnd(6) == 0)
		strbuf_puts(sb, words[rnd(ARRAY_SIZE(words))]);
	else
		put_num(sb, rnd(OFPP_MAX + 1));
}

/* Writes a value for @mf (masked if asked); false when the generator
 * does not know the field's format. */
static bool put_value(struct strbuf *sb, const struct ofp_field *mf,
		      bool masked, bool set_field)
{
	switch (mf->fmt) {
	case OFPF_PORT:
		put_port(sb);
		return true;
	case OFPF_DEC:
	case OFPF_HEX:
		put_number(sb, mf, masked, set_field);
		return true;
	case OFPF_MAC:
		put_mac(sb);
		if (masked) {
			strbuf_putc(sb, '/');
			put_mac(sb);
		}
		return true;
	case OFPF_IPV4:
		put_ipv4(sb, masked);
		return true;
	case OFPF_IPV6:
		put_ipv6(sb, masked);
		return true;
	case OFPF_FRAG:
		strbuf_puts(sb, masked ? frag_masked[rnd(3)] : frag_exact[rnd(2)]);
		return true;
	case OFPF_TCP_FLAGS:
		put_tcp_flags(sb, masked);
		return true;
	case OFPF_CT_STATE:
		put_ct_state(sb, masked);
		return true;
	case OFPF_CT_LABEL:
		put_ct_label(sb, masked);
		return true;
	case OFPF_TUN_FLAGS:
		put_tun_flags(sb, masked);
		return true;
	}
	return false;
}

/* Match tokens, separated later: the base's and the fields'. */
struct tokens {
	char *t[16];
	unsigned n;
};

static void tokens_add(struct tokens *tk, struct strbuf *sb)
{
	if (tk->n < ARRAY_SIZE(tk->t))
		tk->t[tk->n++] = strbuf_steal(sb);
	else
		strbuf_free(sb);
	strbuf_init(sb);
}

/* Adds field @mf to the rule; false if the generator cannot write it. */
static bool gen_field(struct gen_rule *g, struct tokens *tk,
		      const struct ofp_field *mf, bool masked)
{
	bool alias = mf->alias && rnd(2);
	struct strbuf sb;
	struct flow bits;

	strbuf_init(&sb);
	strbuf_printf(&sb, "%s=", alias ? mf->alias : mf->name);
	if (!put_value(&sb, mf, masked, false)) {
		strbuf_free(&sb);
		return false;
	}
	tokens_add(tk, &sb);
	field_bits(mf, &bits);
	add_bits(&g->base.mask, &bits);
	if (masked && g->n_masked < ARRAY_SIZE(g->masked))
		g->masked[g->n_masked++] = mf->id;
	else if (!masked && g->n_exact < ARRAY_SIZE(g->exact))
		g->exact[g->n_exact++] = mf->id;
	if (alias && g->n_alias < ARRAY_SIZE(g->alias))
		g->alias[g->n_alias++] = mf->id;
	return true;
}

/* The match: a base that meets @primary's prerequisite, @primary, then a
 * few more fields that fit. */
static bool gen_match(struct gen_rule *g, struct tokens *tk,
		      const struct ofp_field *primary, bool masked)
{
	const char *fit[ARRAY_SIZE(bases)];
	unsigned n_fit = 0, extra;
	struct strbuf sb;
	char *copy, *p, *tok;

	for (unsigned i = 0; i < ARRAY_SIZE(bases); i++) {
		struct match m;

		if (!parse_match(bases[i], &m) && field_fits(primary, &m))
			fit[n_fit++] = bases[i];
	}
	if (!n_fit)
		return false;
	p = (char *)fit[rnd(n_fit)];
	if (parse_match(p, &g->base))
		return false;
	copy = strdup(p);
	strbuf_init(&sb);
	for (char *save = NULL, *s = copy; (tok = strtok_r(s, ",", &save)); s = NULL) {
		strbuf_puts(&sb, tok);
		tokens_add(tk, &sb);
	}
	free(copy);
	if (!field_fits(primary, &g->base) || !gen_field(g, tk, primary, masked))
		return false;
	for (extra = rnd(4); extra; extra--) {
		const struct ofp_field *mf = ofp_field_from_id(rnd(MFF_N_IDS));

		if (field_fits(mf, &g->base))
			gen_field(g, tk, mf, mf->maskable && rnd(2));
	}
	return true;
}

static void put_random_port_word(struct strbuf *sb)
{
	static const char *const w[] = { "IN_PORT", "LOCAL", "NORMAL", "CONTROLLER" };

	strbuf_puts(sb, w[rnd(ARRAY_SIZE(w))]);
}

static bool gen_resubmit(struct strbuf *sb)
{
	switch (rnd(4)) {
	case 0:
		strbuf_puts(sb, "resubmit:");
		put_num(sb, 1 + rnd(OFPP_MAX));
		break;
	case 1:
		strbuf_printf(sb, "resubmit(,%u)", rnd(OFP_N_TABLES));
		break;
	case 2:
		strbuf_puts(sb, "resubmit(");
		if (rnd(2))
			put_random_port_word(sb);
		else
			put_num(sb, rnd(OFPP_MAX + 1));
		strbuf_printf(sb, ",%u)", rnd(OFP_N_TABLES));
		break;
	default:
		strbuf_puts(sb, "resubmit(");
		put_random_port_word(sb);
		strbuf_putc(sb, ')');
		break;
	}
	return true;
}

/* set_field to a writable field whose prerequisite the match meets. */
static bool gen_set_field(struct gen_rule *g, struct strbuf *sb)
{
	const struct ofp_field *mf = NULL;

	for (int id = 0; id < MFF_N_IDS; id++) {
		const struct ofp_field *f = ofp_field_from_id(id);

		if (f->writable && ofp_field_prereq_ok(f, &g->base) &&
		    (!mf || set_field_uses[id] < set_field_uses[mf->id]))
			mf = f;
	}
	if (!mf)
		return false;
	set_field_uses[mf->id]++;
	strbuf_puts(sb, "set_field:");
	put_value(sb, mf, false, true);
	strbuf_printf(sb, "->%s", mf->alias && rnd(2) ? mf->alias : mf->name);
	if (g->n_set < ARRAY_SIZE(g->set_field))
		g->set_field[g->n_set++] = mf->id;
	return true;
}

/* A register sub-field in either spelling: reg3[a..b] or NXM_NX_REG3[a..b]
 * (bits [ofs, ofs + n)), or the whole register. */
static void put_reg_subfield(struct strbuf *sb, unsigned ofs, unsigned n)
{
	unsigned r = rnd(16);

	strbuf_printf(sb, rnd(2) ? "reg%u" : "NXM_NX_REG%u", r);
	if (ofs == 0 && n == 32)
		strbuf_puts(sb, rnd(2) ? "[]" : "");
	else if (n == 1)
		strbuf_printf(sb, "[%u]", ofs);
	else
		strbuf_printf(sb, "[%u..%u]", ofs, ofs + n - 1);
}

/* load:V->REG[a..b], or into metadata; move between registers, or from
 * the Ethernet source (no prerequisite); write_metadata:V[/M] last. */
static bool gen_subfield(const char *kw, bool last, struct strbuf *sb)
{
	unsigned n = 1 + rnd(32), ofs = rnd(33 - n);

	if (!strcmp(kw, "write_metadata")) {
		if (!last)
			return false;
		strbuf_printf(sb, "write_metadata:%#x", rnd(1u << 31));
		if (rnd(2))
			strbuf_printf(sb, "/%#x", rnd(1u << 31) | 1);
		return true;
	}
	if (!strcmp(kw, "load")) {
		uint32_t v = rnd(1u << 31) & (n == 32 ? ~0u : (1u << n) - 1);

		strbuf_printf(sb, "load:%#x->", v);
		if (rnd(4) == 0)
			strbuf_puts(sb, "OXM_OF_METADATA[]");
		else
			put_reg_subfield(sb, ofs, n);
		return true;
	}
	strbuf_puts(sb, "move:");
	if (rnd(4) == 0)
		strbuf_printf(sb, "NXM_OF_ETH_SRC[%u..%u]", 48 - n, 47);
	else
		put_reg_subfield(sb, ofs, n);
	strbuf_puts(sb, "->");
	put_reg_subfield(sb, rnd(33 - n), n);
	return true;
}

/* mod_nw_src and friends: the field they set, if @kw is one. */
static const struct ofp_field *mod_field(const char *kw)
{
	for (int id = 0; id < MFF_N_IDS; id++)
		if (!strcmp(ofpact_mod_name(id), kw) && strncmp(kw, "mod_", 4) == 0)
			return ofp_field_from_id(id);
	return NULL;
}

/* One action for keyword @kw; false when it cannot apply to this rule
 * (or the generator does not know it: the coverage check catches that). */
static bool gen_action(struct gen_rule *g, const char *kw, bool last,
		       struct strbuf *sb)
{
	const struct ofp_field *mf = mod_field(kw);

	if (mf) {
		if (!ofp_field_prereq_possible(mf->prereq, &g->base))
			return false;
		strbuf_printf(sb, "%s:", kw);
		return put_value(sb, mf, false, true);
	}
	if (!strcmp(kw, "output")) {
		strbuf_puts(sb, "output:");
		if (rnd(4) == 0)
			strbuf_puts(sb, "LOCAL");
		else
			put_num(sb, rnd(OFPP_MAX + 1));
	} else if (!strcmp(kw, "NORMAL") || !strcmp(kw, "FLOOD") ||
		   !strcmp(kw, "ALL") || !strcmp(kw, "IN_PORT") ||
		   !strcmp(kw, "LOCAL")) {
		for (const char *c = kw; *c; c++)	/* any case */
			strbuf_putc(sb, rnd(4) ? *c : (char)tolower((unsigned char)*c));
	} else if (!strcmp(kw, "resubmit")) {
		return gen_resubmit(sb);
	} else if (!strcmp(kw, "goto_table")) {
		if (!last || g->table >= OFP_N_TABLES - 1)
			return false;
		strbuf_printf(sb, "goto_table:%u",
			      g->table + 1 + rnd(OFP_N_TABLES - 1 - g->table));
	} else if (!strcmp(kw, "strip_vlan") || !strcmp(kw, "pop_vlan") ||
		   !strcmp(kw, "dec_ttl")) {
		if (!strcmp(kw, "dec_ttl") &&
		    !ofp_field_prereq_possible(PREREQ_IP_ANY, &g->base))
			return false;
		strbuf_puts(sb, kw);
	} else if (!strcmp(kw, "push_vlan")) {
		strbuf_puts(sb, rnd(2) ? "push_vlan:0x8100" : "push_vlan:33024");
	} else if (!strcmp(kw, "mod_vlan_vid")) {
		strbuf_printf(sb, "mod_vlan_vid:%u", rnd(4096));
	} else if (!strcmp(kw, "mod_vlan_pcp")) {
		strbuf_printf(sb, "mod_vlan_pcp:%u", rnd(8));
	} else if (!strcmp(kw, "set_field")) {
		return gen_set_field(g, sb);
	} else if (!strcmp(kw, "load") || !strcmp(kw, "move") ||
		   !strcmp(kw, "write_metadata")) {
		return gen_subfield(kw, last, sb);
	} else if (!strcmp(kw, "ct")) {
		put_ct_action(sb);
	} else if (!strcmp(kw, "ct_clear")) {
		strbuf_puts(sb, "ct_clear");
	} else if (!strcmp(kw, "group")) {
		strbuf_printf(sb, "group:%u", rnd(3) ? rnd(100) : 0xffffff00u - rnd(3));
	} else if (!strcmp(kw, "set_tunnel")) {
		strbuf_printf(sb, "set_tunnel:%u", rnd(1u << 31));
	} else if (!strcmp(kw, "set_tunnel64")) {
		strbuf_printf(sb, "set_tunnel64:%#llx",
			      (unsigned long long)rnd(1u << 31) << 32);
	} else if (!strcmp(kw, "CONTROLLER")) {
		if (rnd(3) == 0)
			strbuf_puts(sb, rnd(2) ? "controller" : "output:CONTROLLER");
		else if (rnd(2))
			strbuf_printf(sb, "CONTROLLER:%u", rnd(65536));
		else
			strbuf_printf(sb, "controller(max_len=%u)", rnd(65536));
	} else {
		return false;
	}
	return true;
}

static size_t n_keywords(void)
{
	size_t n = 0;

	while (ofpact_keyword(n))
		n++;
	return n;
}

/* actions=...: @first's keyword first (if it applies), up to 4 in all;
 * sometimes a bare number or port name, sometimes drop. */
static void gen_actions(struct gen_rule *g, size_t first)
{
	size_t nk = n_keywords(), want = 1 + rnd(4), n = 0;
	struct strbuf sb;

	strbuf_puts(&g->text, "actions=");
	if (rnd(20) == 0) {
		strbuf_puts(&g->text, "drop");
		return;
	}
	for (size_t tries = 0; n < want && tries < 12; tries++) {
		size_t k = tries ? rnd(nk) : first;

		strbuf_init(&sb);
		if (rnd(15) == 0)
			strbuf_puts(&sb, rnd(2) ? "vm-a" : "7");
		else if (!gen_action(g, ofpact_keyword(k), n + 1 == want, &sb)) {
			strbuf_free(&sb);
			continue;
		} else if (g->n_kw < ARRAY_SIZE(g->keyword)) {
			g->keyword[g->n_kw++] = (int)k;
		}
		strbuf_printf(&g->text, "%s%s", n ? "," : "", strbuf_str(&sb));
		strbuf_free(&sb);
		n++;
	}
	if (!n)
		strbuf_puts(&g->text, "drop");
}

static const char *sep(void)
{
	static const char *const s[] = { ",", ", ", " ", ",  " };

	return s[rnd(ARRAY_SIZE(s))];
}

/* "KEY=N" in decimal or hex, then a separator. */
static void put_key_num(struct strbuf *sb, const char *key, unsigned long long v)
{
	strbuf_printf(sb, "%s=", key);
	put_num(sb, v);
	strbuf_puts(sb, sep());
}

/* Rule @i of the corpus: its primary field and first action keyword walk
 * the tables, exact and masked in turn. False if the generator cannot
 * build it (a table entry it does not know). */
static bool gen_rule(struct gen_rule *g, unsigned i)
{
	const struct ofp_field *primary = ofp_field_from_id(i % MFF_N_IDS);
	bool masked = primary->maskable && (i / MFF_N_IDS) % 2;
	struct tokens tk = { .n = 0 };
	bool ok;

	memset(g, 0, sizeof(*g));
	strbuf_init(&g->text);
	g->table = (uint8_t)(i % OFP_N_TABLES);
	if (g->table || rnd(2))
		put_key_num(&g->text, "table", g->table);
	if (rnd(4))
		put_key_num(&g->text, "priority", rnd(65536));
	if (rnd(2))
		put_key_num(&g->text, "cookie", rnd(3) ? rnd64() : 0);
	if (rnd(3) == 0)
		put_key_num(&g->text, "idle_timeout", rnd(65536));
	if (rnd(3) == 0)
		put_key_num(&g->text, "hard_timeout", rnd(65536));
	if (rnd(10) == 0)
		strbuf_printf(&g->text, "reset_counts%s", sep());
	if (rnd(10) == 0)
		strbuf_printf(&g->text, "duration=%u.%03us, n_packets=%u, "
			      "n_bytes=%u, idle_age=%u%s", rnd(100000), rnd(1000),
			      rnd(1000), rnd(100000), rnd(1000), sep());
	ok = gen_match(g, &tk, primary, masked);
	/* shuffled: the parser must not care about token order */
	for (unsigned j = tk.n; j > 1; j--) {
		unsigned k = rnd(j);
		char *t = tk.t[j - 1];

		tk.t[j - 1] = tk.t[k];
		tk.t[k] = t;
	}
	for (unsigned j = 0; j < tk.n; j++) {
		strbuf_printf(&g->text, "%s%s", tk.t[j], sep());
		free(tk.t[j]);
	}
	if (ok)
		gen_actions(g, i % n_keywords());
	return ok;
}

static void credit(struct coverage *cv, const struct gen_rule *g,
		   const struct ofp_rule_spec *s)
{
	unsigned j;

	for (j = 0; j < g->n_exact; j++)
		cv->exact[g->exact[j]]++;
	for (j = 0; j < g->n_masked; j++)
		cv->masked[g->masked[j]]++;
	for (j = 0; j < g->n_alias; j++)
		cv->alias[g->alias[j]]++;
	for (j = 0; j < g->n_set; j++)
		cv->set_field[g->set_field[j]]++;
	for (j = 0; j < g->n_kw; j++)
		cv->keyword[g->keyword[j]]++;
	for (j = 0; j < s->acts->n; j++)
		cv->type[s->acts->a[j].type]++;
	cv->tables[s->table]++;
}

/* The same rule: everything add-flow sets (not the parse-only *_set flags). */
static bool spec_equal(const struct ofp_rule_spec *a, const struct ofp_rule_spec *b)
{
	return a->table == b->table && a->priority == b->priority &&
	       a->cookie == b->cookie && a->cookie_mask == b->cookie_mask &&
	       a->idle_timeout == b->idle_timeout &&
	       a->hard_timeout == b->hard_timeout &&
	       a->has_actions == b->has_actions &&
	       !memcmp(&a->match, &b->match, sizeof(a->match)) &&
	       ofpacts_equal(a->acts, b->acts);
}

/* Parses @text (ADD) and checks it is @want; NULL or a message. */
static const char *reads_back(const char *text, const struct ofp_rule_spec *want,
			      struct ofp_rule_spec *got, char *err, size_t errlen)
{
	if (ofp_parse_flow(text, OFP_PARSE_ADD, lookup_port, NULL, got, err, errlen))
		return err;
	if (!spec_equal(want, got)) {
		ofp_rule_spec_free(got);
		return "parsed into a different rule";
	}
	return NULL;
}

/* Checks the round trips of one parsed rule; NULL or what failed (with
 * the offending text in @bad). */
static const char *check_rule(const struct ofp_rule_spec *s1, struct strbuf *bad,
			      char *err, size_t errlen)
{
	struct ofp_rule_stats st = { rnd(100000) / 1000.0, rnd64() >> rnd(64),
				     rnd64() >> rnd(64) };
	struct strbuf t1, t2, d;
	struct ofp_rule_spec s2;
	const char *why;

	strbuf_init(&t1);
	strbuf_init(&t2);
	strbuf_init(&d);
	ofp_format_rule(&t1, s1);
	strbuf_puts(bad, strbuf_str(&t1));
	why = reads_back(strbuf_str(&t1), s1, &s2, err, errlen);
	if (!why) {
		ofp_format_rule(&t2, &s2);
		ofp_rule_spec_free(&s2);
		if (strcmp(strbuf_str(&t1), strbuf_str(&t2)))
			why = "printing the reparsed rule gives other text";
	}
	if (!why) {
		ofp_format_rule_stats(&d, s1, &st);
		strbuf_free(bad);
		strbuf_init(bad);
		strbuf_puts(bad, strbuf_str(&d));
		why = reads_back(strbuf_str(&d), s1, &s2, err, errlen);
		if (!why)
			ofp_rule_spec_free(&s2);
	}
	strbuf_free(&t1);
	strbuf_free(&t2);
	strbuf_free(&d);
	return why;
}

/* Builds the corpus: @specs[i] parsed from generated text; every rule
 * round-trips (else a failure is reported with the seed). */
static unsigned build_corpus(struct __test_metadata *_metadata,
			     struct ofp_rule_spec *specs, struct coverage *cv)
{
	unsigned i, failures = 0;
	char err[256];

	set_seed();
	memset(cv, 0, sizeof(*cv));
	for (i = 0; i < N_RULES; i++) {
		struct gen_rule g;
		struct strbuf bad;
		const char *why = NULL;

		strbuf_init(&bad);
		if (!gen_rule(&g, i))
			why = "the generator cannot build a rule for this field";
		else if (ofp_parse_flow(strbuf_str(&g.text), OFP_PARSE_ADD,
					lookup_port, NULL, &specs[i], err, sizeof(err)))
			why = err;
		else if ((why = check_rule(&specs[i], &bad, err, sizeof(err))))
			ofp_rule_spec_free(&specs[i]);
		else
			credit(cv, &g, &specs[i]);
		if (why) {
			specs[i].acts = NULL;
			if (failures++ < MAX_REPORTS)
				TH_LOG("seed 0x%llx rule %u (field %s): '%s' -> '%s': %s",
				       (unsigned long long)seed, i,
				       ofp_field_from_id(i % MFF_N_IDS)->name,
				       strbuf_str(&g.text), strbuf_str(&bad), why);
		}
		strbuf_free(&g.text);
		strbuf_free(&bad);
	}
	return failures;
}

static void free_corpus(struct ofp_rule_spec *specs)
{
	for (unsigned i = 0; i < N_RULES; i++)
		ofp_rule_spec_free(&specs[i]);
	free(specs);
}

TEST(parse_print_parse_is_the_same_rule)
{
	struct ofp_rule_spec *specs = calloc(N_RULES, sizeof(*specs));
	struct coverage cv;
	unsigned fields = 0, maskable = 0, masked = 0, aliases = 0, aliased = 0;
	unsigned writable = 0, set = 0, kws = 0, types = 0, tables = 0;

	ASSERT_NE(NULL, specs);
	EXPECT_EQ(0u, build_corpus(_metadata, specs, &cv));
	for (int id = 0; id < MFF_N_IDS; id++) {
		const struct ofp_field *mf = ofp_field_from_id(id);

		fields += cv.exact[id] > 0;
		maskable += mf->maskable;
		masked += mf->maskable && cv.masked[id];
		aliases += mf->alias != NULL;
		aliased += mf->alias && cv.alias[id];
		writable += mf->writable;
		set += mf->writable && cv.set_field[id];
		if (mf->writable && !cv.set_field[id])
			TH_LOG("set_field to %s never generated", mf->name);
		if (!cv.exact[id] || (mf->maskable && !cv.masked[id]))
			TH_LOG("field %s: %u exact, %u masked", mf->name,
			       cv.exact[id], cv.masked[id]);
	}
	for (size_t k = 0; k < n_keywords(); k++) {
		kws += cv.keyword[k] > 0;
		if (!cv.keyword[k])
			TH_LOG("action keyword %s never generated", ofpact_keyword(k));
	}
	for (int t = 0; t < OFPACT_N_TYPES; t++)
		types += cv.type[t] > 0;
	for (int t = 0; t < OFP_N_TABLES; t++)
		tables += cv.tables[t] > 0;
	EXPECT_EQ((unsigned)MFF_N_IDS, fields);
	EXPECT_EQ(maskable, masked);
	EXPECT_EQ(aliases, aliased);
	EXPECT_EQ(writable, set);
	EXPECT_EQ(n_keywords(), kws);
	EXPECT_EQ((unsigned)OFPACT_N_TYPES, types);
	EXPECT_EQ((unsigned)OFP_N_TABLES, tables);
	free_corpus(specs);
}

struct load_aux {
	struct pipeline *pl;
	unsigned n;
};

static int load_cb(void *aux_, int argc, char **argv, const char *rest,
		   char *err, size_t errlen)
{
	struct load_aux *aux = aux_;

	if (argc < 3 || strcmp(argv[0], "flow") || strcmp(argv[1], "br0")) {
		snprintf(err, errlen, "unexpected record '%s'", argv[0]);
		return -1;
	}
	aux->n++;
	return ofp_rule_load(aux->pl, rest, lookup_port, NULL, err, errlen);
}

struct rule_list {
	const struct ofp_rule_spec *s[N_RULES];
	unsigned n;
};

static void collect(const struct rule *r, void *aux)
{
	struct rule_list *l = aux;

	if (l->n < N_RULES)
		l->s[l->n] = &r->spec;
	l->n++;
}

static void state_dir(char *dir, size_t len)
{
	mkdir("build/tests", 0755);
	snprintf(dir, len, "build/tests/tmp-roundtrip-XXXXXX");
}

TEST(saved_state_loads_back_the_same_rules)
{
	struct ofp_rule_spec *specs = calloc(N_RULES, sizeof(*specs));
	struct pipeline *pl = pipeline_create(), *pl2 = pipeline_create();
	struct rule_list *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct load_aux aux = { pl2, 0 };
	char dir[256], err[512], cmd[300];
	struct coverage cv;
	struct strbuf sb;
	unsigned i, diffs = 0;

	ASSERT_TRUE(specs && pl && pl2 && a && b);
	EXPECT_EQ(0u, build_corpus(_metadata, specs, &cv));
	for (i = 0; i < N_RULES; i++) {
		if (!specs[i].acts)
			continue;
		EXPECT_EQ(0, pipeline_add(pl, &specs[i], err, sizeof(err))) {
			TH_LOG("rule %u: %s", i, err);
		}
	}
	strbuf_init(&sb);
	ofp_rule_save_records(&sb, "br0", pl);
	ASSERT_FALSE(sb.oom);
	state_dir(dir, sizeof(dir));
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, persist_save(dir, "state.conf", strbuf_str(&sb), sb.len, err,
				  sizeof(err)));
	strbuf_free(&sb);
	EXPECT_EQ(0, persist_load(dir, "state.conf", load_cb, &aux, err,
				  sizeof(err))) {
		TH_LOG("seed 0x%llx: %s", (unsigned long long)seed, err);
	}
	pipeline_foreach(pl, NULL, collect, a);
	pipeline_foreach(pl2, NULL, collect, b);
	EXPECT_LT((unsigned)N_RULES / 2, a->n);	/* a few replace each other */
	EXPECT_EQ(a->n, aux.n);
	ASSERT_EQ(a->n, b->n);
	for (i = 0; i < a->n && i < N_RULES; i++)
		if (!spec_equal(a->s[i], b->s[i]) && diffs++ < MAX_REPORTS)
			TH_LOG("seed 0x%llx: rule %u differs after save and load",
			       (unsigned long long)seed, i);
	EXPECT_EQ(0u, diffs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	EXPECT_EQ(0, system(cmd));
	pipeline_destroy(pl);
	pipeline_destroy(pl2);
	free(a);
	free(b);
	free_corpus(specs);
}

/* A state file the daemon cannot read is still refused, naming file and
 * line, through the same loader. */
TEST(unreadable_flow_record_names_file_and_line)
{
	static const char text[] =
		"flow br0 table=0,priority=5,icmp6,icmp_type=135,actions=drop\n"
		"flow br0 table=0,priority=5,icmp,icmp_type=300,actions=drop\n";
	struct pipeline *pl = pipeline_create();
	struct load_aux aux = { pl, 0 };
	char dir[256], err[512], want[512], cmd[300];

	ASSERT_NE(NULL, pl);
	state_dir(dir, sizeof(dir));
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, persist_save(dir, "state.conf", text, sizeof(text) - 1, err,
				  sizeof(err)));
	EXPECT_EQ(-1, persist_load(dir, "state.conf", load_cb, &aux, err,
				   sizeof(err)));
	snprintf(want, sizeof(want), "%s/state.conf:3: value 300 out of range "
		 "for 'icmp_type' (0..255)", dir);
	EXPECT_STREQ(want, err);
	EXPECT_EQ(1u, pipeline_n_rules(pl));	/* the first record loaded */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	EXPECT_EQ(0, system(cmd));
	pipeline_destroy(pl);
}

/* A third of the IP packets as a pass after ct(table=N) sees them: a
 * recirc_id, a state conntrack can give, a zone and mark, and the
 * connection's original tuple (as trace --ct-next fills them in). */
static void rnd_ct(struct flow *f)
{
	static const uint8_t states[] = {
		VSW_CT_STATE_TRK | VSW_CT_STATE_NEW,
		VSW_CT_STATE_TRK | VSW_CT_STATE_EST,
		VSW_CT_STATE_TRK | VSW_CT_STATE_EST | VSW_CT_STATE_RPL,
		VSW_CT_STATE_TRK | VSW_CT_STATE_REL,
		VSW_CT_STATE_TRK | VSW_CT_STATE_INV,
		VSW_CT_STATE_TRK | VSW_CT_STATE_NEW | VSW_CT_STATE_DNAT,
	};
	uint16_t type = ntohs(f->eth_type);

	if ((type != 0x0800 && type != 0x86dd) || rnd(3))
		return;
	f->recirc_id = 1 + rnd(3);
	f->ct_state = states[rnd(ARRAY_SIZE(states))];
	f->ct_zone = htons(rnd(3));
	f->ct_mark = htonl(rnd(3));
	if (!(f->ct_state & (VSW_CT_STATE_NEW | VSW_CT_STATE_EST)))
		return;
	f->ct_orig.nw_src = f->ipv4_src;
	f->ct_orig.nw_dst = f->ipv4_dst;
	f->ct_orig.ipv6_src = f->ipv6_src;
	f->ct_orig.ipv6_dst = f->ipv6_dst;
	f->ct_orig.nw_proto = f->ip_proto;
	f->ct_orig.tp_src = f->tp_src ? f->tp_src : htons(f->icmp_type);
	f->ct_orig.tp_dst = f->tp_dst ? f->tp_dst : htons(f->icmp_code);
}

/* The fields rnd_ct() sets (the string compare alone would not see a
 * field neither side prints). */
static bool same_ct(const struct flow *a, const struct flow *b)
{
	return a->recirc_id == b->recirc_id && a->ct_state == b->ct_state &&
	       a->ct_zone == b->ct_zone && a->ct_mark == b->ct_mark &&
	       !memcmp(&a->ct_orig, &b->ct_orig, sizeof(a->ct_orig));
}

/* trace prints the packet it traced ("Flow: ..."); that line describes
 * the same packet to trace again, in a pass after ct() too. */
TEST(trace_flow_line_reads_back)
{
	unsigned failures = 0;

	set_seed();
	for (unsigned i = 0; i < N_RULES; i++) {
		struct ofp_rule_spec s;
		char err[512], *t, *t2 = NULL;
		bool same = false;
		struct flow f;

		rnd_flow(&f);
		rnd_ct(&f);
		t = ofp_format_flow(&f);
		if (!ofp_parse_flow(t, OFP_PARSE_PACKET, NULL, NULL, &s, err,
				    sizeof(err))) {
			t2 = ofp_format_flow(&s.match.flow);
			same = same_ct(&s.match.flow, &f);
			ofp_rule_spec_free(&s);
			snprintf(err, sizeof(err), "reads back as '%s'%s", t2,
				 same ? "" : " with other ct fields");
		}
		if ((!t2 || strcmp(t, t2) || !same) && failures++ < MAX_REPORTS)
			TH_LOG("seed 0x%llx packet %u: '%s': %s",
			       (unsigned long long)seed, i, t, err);
		free(t);
		free(t2);
	}
	EXPECT_EQ(0u, failures);
}

TEST_HARNESS_MAIN
