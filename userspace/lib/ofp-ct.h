/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection tracking in the ovs-ofctl syntax: the ct_state match
 * ("+trk+est-rel") and the ct(...) action's arguments, parsed and printed
 * back the way Open vSwitch writes them.
 */
#ifndef VSW_LIB_OFP_CT_H
#define VSW_LIB_OFP_CT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-field.h"
#include "util.h"

struct ofpact;

/* "+trk+est-rel" (the named bits set or clear, the others wildcarded) or
 * "V[/M]". A combination no packet can show (+new+est, +inv with a state
 * bit, a state bit with -trk) is refused, naming the reason. Returns 0
 * or -1 with @err. */
int ofp_ct_state_parse(const char *name, const char *s, bool allow_mask,
		       union ofp_field_value *v, union ofp_field_value *m,
		       char *err, size_t errlen);
/* "+new+trk-est...": each bit of @mask, in Open vSwitch's order. */
void ofp_ct_state_format(struct strbuf *sb, uint8_t value, uint8_t mask);

/* --ct-next's argument, as ofproto/trace takes it: flag names (trk,
 * new, est, rel, rpl, inv, snat, dnat) separated by ',', '|' or spaces,
 * e.g. "trk,est". trk is required and a combination no packet can have is
 * refused, naming the reason. Returns 0 or -1 with @err. */
int ofp_ct_next_parse(const char *s, uint8_t *state, char *err, size_t errlen);
/* "trk|new": the flags set in @state, in Open vSwitch's order. */
void ofp_ct_state_format_flags(struct strbuf *sb, uint8_t state);

/* ct_label values: a 128-bit number (0x and up to 32 hex digits, or a
 * decimal below 2^64) with an optional /mask, stored least significant
 * byte first as struct flow keeps it; the value is ANDed with the mask.
 * Returns 0 or -1 with @err naming @name=@s. */
int ofp_ct_label_parse(const char *name, const char *s, bool allow_mask,
		       uint8_t v[16], uint8_t m[16], char *err, size_t errlen);
/* "0x2a", and "/0xff" when @m is not all ones. */
void ofp_ct_label_format(struct strbuf *sb, const uint8_t v[16],
			 const uint8_t m[16]);
bool ofp_ct_label_is_zero(const uint8_t l[16]);

/* The inside of "ct(...)" into @a (type OFPACT_CT): commit, force,
 * zone=N, table=N, nat[(...)] (ofp-ct-nat.h), exec(set_field:V[/M]->
 * ct_mark,set_field:V[/M]->ct_label). alg, a zone from a register, and
 * nat(src=...), nat(dst=...) or exec without commit are refused with a
 * message. */
int ofpact_ct_parse(char *args, struct ofpact *a, char *err, size_t errlen);
/* What every ct(...) must be, however it came (text or OpenFlow): force,
 * exec and nat(src=/dst=) only with commit. 0, or -1 with @err. */
int ofpact_ct_check(const struct ofpact *a, char *err, size_t errlen);
void ofpact_ct_format(struct strbuf *sb, const struct ofpact *a);

#endif /* VSW_LIB_OFP_CT_H */
