// SPDX-License-Identifier: GPL-2.0
/* Flag fields as named bits (ofp-flags.h), and tun_flags. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vswitch.h>
#include "ofp-flags.h"

static uint32_t flag_bit(const char *s, size_t len, const char *const *names,
			 unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strlen(names[i]) == len && !strncmp(s, names[i], len))
			return 1u << i;
	return 0;
}

int ofp_flags_parse(const char *s, const char *const *names, unsigned n,
		    uint32_t *val, uint32_t *mask)
{
	*val = *mask = 0;
	if (!*s)
		return -1;
	while (*s) {
		char sign = *s++;
		size_t len = strcspn(s, "+-");
		uint32_t bit = flag_bit(s, len, names, n);

		if ((sign != '+' && sign != '-') || !bit || (*mask & bit))
			return -1;
		*mask |= bit;
		if (sign == '+')
			*val |= bit;
		s += len;
	}
	return 0;
}

void ofp_flags_format(struct strbuf *sb, const char *const *names,
		      unsigned n, uint32_t val, uint32_t mask)
{
	for (unsigned i = 0; i < n; i++)
		if (mask & (1u << i))
			strbuf_printf(sb, "%c%s", val & (1u << i) ? '+' : '-',
				      names[i]);
}

int ofp_flags_number(const char *s, uint32_t max, uint32_t *val,
		     uint32_t *mask)
{
	unsigned long x, y = max;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	x = strtoul(s, &end, 0);
	if (*end == '/') {
		if (!isdigit((unsigned char)end[1]))
			return -1;
		y = strtoul(end + 1, &end, 0);
	}
	if (errno || *end || (x | y) & ~(unsigned long)max)
		return -1;
	*val = x & y;
	*mask = y;
	return 0;
}

/* Bit i is VSW_TUNNEL_F_* 1 << i. */
static const char *const tun_flag_names[] = { "df", "csum", "key" };
#define N_TUN_FLAGS (sizeof(tun_flag_names) / sizeof(tun_flag_names[0]))

static int tun_number(const char *s, uint16_t *val, uint16_t *mask)
{
	uint32_t v, m;

	if (ofp_flags_number(s, VSW_TUNNEL_F_MASK, &v, &m))
		return -1;
	*val = v;
	*mask = m;
	return 0;
}

int ofp_tun_flags_parse(const char *name, const char *s, int allow_mask,
			uint16_t *val, uint16_t *mask, char *err,
			size_t errlen)
{
	uint32_t v, m;

	if (*s == '+' || *s == '-') {
		if (strstr(s, "oam")) {
			snprintf(err, errlen, "'%s=%s': the oam flag is not "
				 "supported (vswitch's: df, csum, key)", name, s);
			return -1;
		}
		if (ofp_flags_parse(s, tun_flag_names, N_TUN_FLAGS, &v, &m))
			goto bad;
		*val = v;
		*mask = m;
	} else if (tun_number(s, val, mask)) {
		goto bad;
	}
	if (!allow_mask && *mask != VSW_TUNNEL_F_MASK) {
		snprintf(err, errlen, "'%s=%s' must give every flag (df, csum "
			 "and key): no mask here", name, s);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "invalid tun_flags in '%s=%s' (flags as "
		 "+df-csum+key, or a number up to %#x with an optional /mask)",
		 name, s, VSW_TUNNEL_F_MASK);
	return -1;
}

void ofp_tun_flags_format(struct strbuf *sb, uint16_t val, uint16_t mask)
{
	ofp_flags_format(sb, tun_flag_names, N_TUN_FLAGS, val, mask);
}
