// SPDX-License-Identifier: GPL-2.0
/* Sub-fields and the load, move and write_metadata actions (see
 * ofp-subfield.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofpact.h"
#include "util.h"

/* NXM/OXM classes, as ovs-ofctl writes them. */
#define NXM_OF	0x0000
#define NXM_NX	0x0001
#define OXM_OF	0x8000
#define OXM_PKT	0x8001		/* OFPXMC_PACKET_REGS: xreg0..7 */

struct nxm_name {
	enum ofp_field_id id;
	const char *name;
	uint16_t class;
	uint8_t field;
	uint8_t len;		/* bytes on the wire */
};

static const struct nxm_name nxm_names[] = {
	{ MFF_ETH_DST, "NXM_OF_ETH_DST", NXM_OF, 1, 6 },
	{ MFF_ETH_SRC, "NXM_OF_ETH_SRC", NXM_OF, 2, 6 },
	{ MFF_ETH_TYPE, "NXM_OF_ETH_TYPE", NXM_OF, 3, 2 },
	{ MFF_VLAN_TCI, "NXM_OF_VLAN_TCI", NXM_OF, 4, 2 },
	{ MFF_IP_PROTO, "NXM_OF_IP_PROTO", NXM_OF, 6, 1 },
	{ MFF_IPV4_SRC, "NXM_OF_IP_SRC", NXM_OF, 7, 4 },
	{ MFF_IPV4_DST, "NXM_OF_IP_DST", NXM_OF, 8, 4 },
	{ MFF_TCP_SRC, "NXM_OF_TCP_SRC", NXM_OF, 9, 2 },
	{ MFF_TCP_DST, "NXM_OF_TCP_DST", NXM_OF, 10, 2 },
	{ MFF_UDP_SRC, "NXM_OF_UDP_SRC", NXM_OF, 11, 2 },
	{ MFF_UDP_DST, "NXM_OF_UDP_DST", NXM_OF, 12, 2 },
	{ MFF_ICMPV4_TYPE, "NXM_OF_ICMP_TYPE", NXM_OF, 13, 1 },
	{ MFF_ICMPV4_CODE, "NXM_OF_ICMP_CODE", NXM_OF, 14, 1 },
	{ MFF_ARP_OP, "NXM_OF_ARP_OP", NXM_OF, 15, 2 },
	{ MFF_ARP_SPA, "NXM_OF_ARP_SPA", NXM_OF, 16, 4 },
	{ MFF_ARP_TPA, "NXM_OF_ARP_TPA", NXM_OF, 17, 4 },
	{ MFF_TUN_ID, "NXM_NX_TUN_ID", NXM_NX, 16, 8 },
	{ MFF_ARP_SHA, "NXM_NX_ARP_SHA", NXM_NX, 17, 6 },
	{ MFF_ARP_THA, "NXM_NX_ARP_THA", NXM_NX, 18, 6 },
	{ MFF_IPV6_SRC, "NXM_NX_IPV6_SRC", NXM_NX, 19, 16 },
	{ MFF_IPV6_DST, "NXM_NX_IPV6_DST", NXM_NX, 20, 16 },
	{ MFF_ICMPV6_TYPE, "NXM_NX_ICMPV6_TYPE", NXM_NX, 21, 1 },
	{ MFF_ICMPV6_CODE, "NXM_NX_ICMPV6_CODE", NXM_NX, 22, 1 },
	{ MFF_ND_TARGET, "NXM_NX_ND_TARGET", NXM_NX, 23, 16 },
	{ MFF_IPV6_LABEL, "NXM_NX_IPV6_LABEL", NXM_NX, 27, 4 },
	{ MFF_IP_TTL, "NXM_NX_IP_TTL", NXM_NX, 29, 1 },
	{ MFF_TUN_SRC, "NXM_NX_TUN_IPV4_SRC", NXM_NX, 31, 4 },
	{ MFF_TUN_DST, "NXM_NX_TUN_IPV4_DST", NXM_NX, 32, 4 },
	{ MFF_CT_ZONE, "NXM_NX_CT_ZONE", NXM_NX, 106, 2 },
	{ MFF_CT_MARK, "NXM_NX_CT_MARK", NXM_NX, 107, 4 },
	{ MFF_METADATA, "OXM_OF_METADATA", OXM_OF, 2, 8 },
	{ MFF_SCTP_SRC, "OXM_OF_SCTP_SRC", OXM_OF, 17, 2 },
	{ MFF_SCTP_DST, "OXM_OF_SCTP_DST", OXM_OF, 18, 2 },
#define R(N) { MFF_REG0 + N, "NXM_NX_REG" #N, NXM_NX, N, 4 }
	R(0), R(1), R(2), R(3), R(4), R(5), R(6), R(7),
	R(8), R(9), R(10), R(11), R(12), R(13), R(14), R(15),
#undef R
#define X(N) { MFF_XREG0 + N, "OXM_OF_PKT_REG" #N, OXM_PKT, N, 8 }
	X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7),
#undef X
};

static const struct nxm_name *nxm_by_id(enum ofp_field_id id)
{
	for (size_t i = 0; i < ARRAY_SIZE(nxm_names); i++)
		if (nxm_names[i].id == id)
			return &nxm_names[i];
	return NULL;
}

const char *ofp_nxm_name(enum ofp_field_id id)
{
	const struct nxm_name *n = nxm_by_id(id);

	return n ? n->name : NULL;
}

uint32_t ofp_nxm_header(enum ofp_field_id id)
{
	const struct nxm_name *n = nxm_by_id(id);

	return n ? (uint32_t)n->class << 16 | (uint32_t)n->field << 9 | n->len : 0;
}

const struct ofp_field *ofp_field_by_nxm_header(uint32_t header)
{
	uint16_t class = header >> 16;
	uint8_t field = (header >> 9) & 0x7f;

	for (size_t i = 0; i < ARRAY_SIZE(nxm_names); i++)
		if (nxm_names[i].class == class && nxm_names[i].field == field)
			return ofp_field_from_id(nxm_names[i].id);
	return NULL;
}

static const struct ofp_field *subfield_field(const char *name)
{
	const struct ofp_field *mf;

	for (size_t i = 0; i < ARRAY_SIZE(nxm_names); i++)
		if (!strcmp(nxm_names[i].name, name))
			return ofp_field_from_id(nxm_names[i].id);
	mf = ofp_field_by_name(name);
	return mf && nxm_by_id(mf->id) ? mf : NULL;
}

static int sferr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int sferr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_bit(const char *s, char **end, unsigned long *v)
{
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, end, 10);
	return errno || *v > 1000 ? -1 : 0;
}

/* "[a..b]", "[a]" or "[]" after the name; @n_bits is the field's width. */
static int parse_range(const char *full, const char *s, unsigned n_bits,
		       struct ofp_subfield *sf, char *err, size_t errlen)
{
	unsigned long a, b;
	char *end;

	if (!*s || !strcmp(s, "[]")) {
		sf->ofs = 0;
		sf->n_bits = n_bits;
		return 0;
	}
	if (*s != '[' || parse_bit(s + 1, &end, &a))
		return sferr(err, errlen, "invalid bit range in '%s'", full);
	b = a;
	if (!strncmp(end, "..", 2) && parse_bit(end + 2, &end, &b))
		return sferr(err, errlen, "invalid bit range in '%s'", full);
	if (strcmp(end, "]"))
		return sferr(err, errlen, "invalid bit range in '%s'", full);
	if (a > b)
		return sferr(err, errlen, "%s: starting bit %lu is after ending "
			     "bit %lu", full, a, b);
	if (b >= n_bits)
		return sferr(err, errlen, "%s: ending bit %lu is not valid because "
			     "field is only %u bits wide", full, b, n_bits);
	sf->ofs = (uint8_t)a;
	sf->n_bits = (uint8_t)(b - a + 1);
	return 0;
}

int ofp_subfield_parse(const char *s, struct ofp_subfield *sf, char *err,
		       size_t errlen)
{
	const char *br = strchr(s, '[');
	size_t len = br ? (size_t)(br - s) : strlen(s);
	const struct ofp_field *mf;
	char name[64];

	if (!len || len >= sizeof(name))
		return sferr(err, errlen, "missing or invalid field name in '%s'", s);
	memcpy(name, s, len);
	name[len] = '\0';
	mf = subfield_field(name);
	if (!mf)
		return sferr(err, errlen, "%s: unknown field, or one vswitch "
			     "cannot use as a sub-field, in '%s'", name, s);
	sf->field = mf->id;
	return parse_range(s, s + len, mf->n_bits, sf, err, errlen);
}

void ofp_subfield_format(struct strbuf *sb, const struct ofp_subfield *sf)
{
	const struct ofp_field *mf = ofp_field_from_id(sf->field);

	strbuf_puts(sb, ofp_nxm_name(sf->field));
	if (sf->ofs == 0 && sf->n_bits == mf->n_bits)
		strbuf_puts(sb, "[]");
	else if (sf->n_bits == 1)
		strbuf_printf(sb, "[%u]", sf->ofs);
	else
		strbuf_printf(sb, "[%u..%u]", sf->ofs, sf->ofs + sf->n_bits - 1);
}

static bool bit_get(const uint8_t *p, unsigned len, unsigned i)
{
	return p[len - 1 - i / 8] & (1u << (i % 8));
}

static void bit_put(uint8_t *p, unsigned len, unsigned i, bool v)
{
	uint8_t *b = &p[len - 1 - i / 8];

	*b = v ? *b | (1u << (i % 8)) : *b & ~(1u << (i % 8));
}

void ofp_bits_copy(const uint8_t *src, unsigned src_len, unsigned src_ofs,
		   uint8_t *dst, unsigned dst_len, unsigned dst_ofs,
		   unsigned n_bits)
{
	for (unsigned i = 0; i < n_bits; i++)
		bit_put(dst, dst_len, dst_ofs + i, bit_get(src, src_len, src_ofs + i));
}

void ofp_bits_fill(uint8_t *p, unsigned len, unsigned ofs, unsigned n_bits)
{
	for (unsigned i = 0; i < n_bits; i++)
		bit_put(p, len, ofs + i, true);
}

/* A number of up to 128 bits ("0x" hex or decimal) into @v, 16 bytes
 * network order; returns its width in bits, or -1. */
static int parse_wide(const char *s, uint8_t v[16])
{
	unsigned long long x;
	int width = 0;
	char *end;

	memset(v, 0, 16);
	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2)) {
		size_t n = strlen(s + 2);

		if (!n || n > 32 || strspn(s + 2, "0123456789abcdefABCDEF") != n)
			return -1;
		for (size_t i = 0; i < n; i++) {
			char c = s[2 + n - 1 - i];
			unsigned d = isdigit((unsigned char)c) ? (unsigned)(c - '0') :
				     (unsigned)(tolower((unsigned char)c) - 'a' + 10);

			v[15 - i / 2] |= d << (4 * (i % 2));
		}
	} else {
		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		x = strtoull(s, &end, 10);
		if (errno || *end)
			return -1;
		for (int i = 0; i < 8; i++)
			v[15 - i] = (uint8_t)(x >> (8 * i));
	}
	for (int i = 127; i >= 0; i--)
		if (bit_get(v, 16, i)) {
			width = i + 1;
			break;
		}
	return width;
}

int ofpact_load_parse(const char *s, struct ofpact *a, char *err, size_t errlen)
{
	const char *arrow = strstr(s, "->");
	const struct ofp_field *mf;
	struct ofp_subfield dst;
	char num[64];
	uint8_t v[16];
	int width;

	if (!arrow || (size_t)(arrow - s) >= sizeof(num))
		return sferr(err, errlen, "load needs VALUE->DST in 'load:%s'", s);
	memcpy(num, s, arrow - s);
	num[arrow - s] = '\0';
	if (ofp_subfield_parse(arrow + 2, &dst, err, errlen))
		return -1;
	mf = ofp_field_from_id(dst.field);
	if (!mf->writable)
		return sferr(err, errlen, "load: field '%s' cannot be written",
			     arrow + 2);
	width = parse_wide(num, v);
	if (width < 0)
		return sferr(err, errlen, "invalid value '%s' in 'load:%s'", num, s);
	if (width > dst.n_bits)
		return sferr(err, errlen, "%s: value %s does not fit into %u bits",
			     s, num, dst.n_bits);
	a->load.field = dst.field;
	ofp_bits_copy(v, 16, 0, a->load.value.bytes, mf->n_bytes, dst.ofs,
		      dst.n_bits);
	ofp_bits_fill(a->load.mask.bytes, mf->n_bytes, dst.ofs, dst.n_bits);
	return 0;
}

int ofpact_move_parse(const char *s, struct ofpact *a, char *err, size_t errlen)
{
	const char *arrow = strstr(s, "->");
	char src[96];

	if (!arrow || (size_t)(arrow - s) >= sizeof(src))
		return sferr(err, errlen, "move needs SRC->DST in 'move:%s'", s);
	memcpy(src, s, arrow - s);
	src[arrow - s] = '\0';
	if (ofp_subfield_parse(src, &a->move.src, err, errlen) ||
	    ofp_subfield_parse(arrow + 2, &a->move.dst, err, errlen))
		return -1;
	if (!ofp_field_from_id(a->move.dst.field)->writable)
		return sferr(err, errlen, "move: field '%s' cannot be written",
			     arrow + 2);
	if (a->move.src.n_bits != a->move.dst.n_bits)
		return sferr(err, errlen, "%s: source field is %u bits wide but "
			     "destination is %u bits wide", s, a->move.src.n_bits,
			     a->move.dst.n_bits);
	return 0;
}

int ofpact_write_metadata_parse(const char *s, struct ofpact *a, char *err,
				size_t errlen)
{
	const struct ofp_field *mf = ofp_field_from_id(MFF_METADATA);
	union ofp_field_value v, m;

	if (ofp_field_parse(mf, "write_metadata", s, true, &v, &m, err, errlen))
		return -1;
	a->metadata.value = v.be64;
	a->metadata.mask = m.be64;
	return 0;
}

int ofpact_set_field_masked(const struct ofp_field *mf, const char *name,
			    const char *s, struct ofpact *a, char *err,
			    size_t errlen)
{
	union ofp_field_value v, m;

	if (!nxm_by_id(mf->id) || !mf->maskable)
		return sferr(err, errlen, "set_field: field '%s' does not take a "
			     "mask in 'set_field:%s->%s'", name, s, name);
	if (ofp_field_parse(mf, name, s, true, &v, &m, err, errlen))
		return -1;
	a->load.field = mf->id;
	a->load.value = v;
	a->load.mask = m;
	return 0;
}

/* The mask's one run of 1 bits (ofs, n), or false when it has none or
 * several. */
static bool mask_run(const uint8_t *m, unsigned len, unsigned n_bits,
		     unsigned *ofs, unsigned *n)
{
	unsigned i = 0, j;

	while (i < n_bits && !bit_get(m, len, i))
		i++;
	for (j = i; j < n_bits && bit_get(m, len, j); j++)
		;
	*ofs = i;
	*n = j - i;
	for (; j < n_bits; j++)
		if (bit_get(m, len, j))
			return false;
	return *n > 0;
}

static void put_hex(struct strbuf *sb, const uint8_t *v, unsigned len)
{
	unsigned i = 0;

	while (i < len && !v[i])
		i++;
	if (i == len) {
		strbuf_putc(sb, '0');
		return;
	}
	strbuf_printf(sb, "%#x", v[i]);
	for (i++; i < len; i++)
		strbuf_printf(sb, "%02x", v[i]);
}

/* load:V->F[a..b] for one run of mask bits (as ovs-ofctl prints it),
 * else set_field:V/M->F. */
void ofpact_load_format(struct strbuf *sb, const struct ofpact *a)
{
	const struct ofp_field *mf = ofp_field_from_id(a->load.field);
	struct ofp_subfield sf = { .field = a->load.field };
	unsigned ofs, n;
	uint8_t v[16] = { 0 };

	if (!mask_run(a->load.mask.bytes, mf->n_bytes, mf->n_bits, &ofs, &n)) {
		strbuf_puts(sb, "set_field:");
		put_hex(sb, a->load.value.bytes, mf->n_bytes);
		strbuf_putc(sb, '/');
		put_hex(sb, a->load.mask.bytes, mf->n_bytes);
		strbuf_printf(sb, "->%s", mf->name);
		return;
	}
	ofp_bits_copy(a->load.value.bytes, mf->n_bytes, ofs, v, 16, 0, n);
	strbuf_puts(sb, "load:");
	put_hex(sb, v, 16);
	strbuf_puts(sb, "->");
	sf.ofs = (uint8_t)ofs;
	sf.n_bits = (uint8_t)n;
	ofp_subfield_format(sb, &sf);
}

void ofpact_move_format(struct strbuf *sb, const struct ofpact *a)
{
	strbuf_puts(sb, "move:");
	ofp_subfield_format(sb, &a->move.src);
	strbuf_puts(sb, "->");
	ofp_subfield_format(sb, &a->move.dst);
}

void ofpact_write_metadata_format(struct strbuf *sb, const struct ofpact *a)
{
	strbuf_printf(sb, "write_metadata:%#llx",
		      (unsigned long long)be64toh(a->metadata.value));
	if (a->metadata.mask != ~0ull)
		strbuf_printf(sb, "/%#llx",
			      (unsigned long long)be64toh(a->metadata.mask));
}
