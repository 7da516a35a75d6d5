/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ct(...)'s nat argument in ovs-ofctl syntax, parsed into and printed
 * from struct odp_ct_nat (odp.h), the form both the OpenFlow action and
 * the datapath action keep.
 */
#ifndef VSW_LIB_OFP_CT_NAT_H
#define VSW_LIB_OFP_CT_NAT_H

#include <stddef.h>
#include "odp.h"
#include "util.h"

/* The inside of "nat(...)" ("" for a bare "nat"; written to): src= or
 * dst= with an optional ADDR[-ADDR][:PORT[-PORT]], flags persistent,
 * hash, random. An unknown word, a bad or reversed range, two families,
 * hash with random, flags without src/dst are refused naming the
 * culprit. Returns 0 or -1 with @err. */
int ofp_ct_nat_parse(char *args, struct odp_ct_nat *n, char *err,
		     size_t errlen);

/* "nat", "nat(src=192.0.2.1-192.0.2.9:5000-5999,random)"... as Open
 * vSwitch writes it; nothing for ODP_NAT_NONE. */
void ofp_ct_nat_format(struct strbuf *sb, const struct odp_ct_nat *n);

#endif /* VSW_LIB_OFP_CT_NAT_H */
