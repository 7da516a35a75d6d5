/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the datapath client (dpif.h): what dpif.c, the single requests
 * and dumps, shares with dpif-batch.c, the batches.
 */
#ifndef VSW_LIB_DPIF_PRIVATE_H
#define VSW_LIB_DPIF_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "dpif.h"
#include "nl-sock.h"

#define DPIF_MSG_LEN	16384		/* room for any one request */
#define DPIF_BATCH_BUF	(512 * 1024)

struct dpif {
	struct genl_sock sock;
	uint16_t family;
};

/* FLOW_NEW's DP_NAME, KEY, MASK, ACTIONS and (when non-NULL) UFID. */
void dpif_put_flow_new(struct nlmsghdr *nlh, size_t buflen, const char *dp,
		       const struct match *match,
		       const struct odp_actions *acts, const uint8_t *ufid);
/* DP_NAME and the flow's identity: @ufid when non-NULL, else @match. */
void dpif_put_flow_id(struct nlmsghdr *nlh, const char *dp,
		      const struct match *match, const uint8_t *ufid);
/* Reads a flow message (a reply or a dump's) into @f; -EPROTO with a
 * message in @err when an attribute does not parse. */
int dpif_parse_flow(const struct nlmsghdr *nlh, struct dpif_flow *f,
		    char *err, size_t errlen);

#endif /* VSW_LIB_DPIF_PRIVATE_H */
