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

/* The inside of "ct(...)" into @a (type OFPACT_CT): commit, force,
 * zone=N, table=N, nat[(...)] (ofp-ct-nat.h), exec(set_field:V[/M]->
 * ct_mark). alg, a zone from a register, ct_label, and nat(src=...) or
 * nat(dst=...) without commit are refused with a message. */
int ofpact_ct_parse(char *args, struct ofpact *a, char *err, size_t errlen);
void ofpact_ct_format(struct strbuf *sb, const struct ofpact *a);

#endif /* VSW_LIB_OFP_CT_H */
