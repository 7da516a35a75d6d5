/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Megaflows as ovs-dpctl dump-flows prints them: "in_port(1),eth(src=..,
 * dst=..),eth_type(0x0800),ipv4(src=10.0.0.0/255.0.0.0,frag=no)". Only
 * fields the mask cares about are printed; a partial mask as value/mask.
 */
#ifndef VSWD_DP_FORMAT_H
#define VSWD_DP_FORMAT_H

#include "flow.h"
#include "util.h"

void dp_format_match(struct strbuf *sb, const struct match *m);

#endif /* VSWD_DP_FORMAT_H */
