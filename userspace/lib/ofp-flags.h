/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flag fields written as named bits, the way ovs-ofctl writes tcp_flags,
 * ct_state and tun_flags: "+syn-ack", "+trk+est-rel", "+df-csum". Bit i
 * of a field is named names[i].
 */
#ifndef VSW_LIB_OFP_FLAGS_H
#define VSW_LIB_OFP_FLAGS_H

#include <stdint.h>
#include "util.h"

/* "+a-b...": each named bit set (+) or clear (-), none twice; the bits
 * not named are wildcarded (0 in *@mask). 0, or -1 if @s is not that. */
int ofp_flags_parse(const char *s, const char *const *names, unsigned n,
		    uint32_t *val, uint32_t *mask);

/* "V" or "V/M", numbers (0x.. too) with no bit above @max; a missing
 * mask is @max. 0, or -1 if @s is not that. */
int ofp_flags_number(const char *s, uint32_t max, uint32_t *val,
		     uint32_t *mask);

/* Appends "+a-b..." for each bit of @mask, in bit order. */
void ofp_flags_format(struct strbuf *sb, const char *const *names,
		      unsigned n, uint32_t val, uint32_t mask);

/* tun_flags (VSW_TUNNEL_F_*): "+df-csum", or a number with an optional
 * /mask; host order. Errors name the value and the flags there are. */
int ofp_tun_flags_parse(const char *name, const char *s, int allow_mask,
			uint16_t *val, uint16_t *mask, char *err,
			size_t errlen);
void ofp_tun_flags_format(struct strbuf *sb, uint16_t val, uint16_t mask);

#endif /* VSW_LIB_OFP_FLAGS_H */
