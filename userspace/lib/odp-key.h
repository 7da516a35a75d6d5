/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct flow / struct match <-> VSW_KEY_ATTR_* nests, and
 * struct odp_actions <-> VSW_ACTION_ATTR_* nests (include/uapi/linux/
 * vswitch.h). One field table drives both directions, so the two cannot
 * drift. Parsers are strict like the kernel: an unknown attribute, a
 * wrong length or a repeated attribute is an error naming it.
 */
#ifndef VSW_LIB_ODP_KEY_H
#define VSW_LIB_ODP_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <libmnl/libmnl.h>

#include "flow.h"
#include "odp.h"

/* Appends a nest of type @type holding every nonzero field of @flow
 * (IN_PORT always): absent fields are 0 in a key, wildcarded in a mask. */
void odp_flow_put(struct nlmsghdr *nlh, uint16_t type, const struct flow *flow);

/* Appends KEY (the masked value) and MASK nests for @match. */
void odp_match_put(struct nlmsghdr *nlh, uint16_t key_type,
		   uint16_t mask_type, const struct match *match);

/* Fills @flow (zeroed first) from a VSW_KEY_ATTR_* nest. */
int odp_flow_parse(const struct nlattr *nest, struct flow *flow,
		   char *err, size_t errlen);

/* Appends a nest of @type with @acts in order; 0 or -E2BIG if @nlh has no
 * room (the caller sized the buffer). An empty list is an empty nest. */
int odp_actions_put(struct nlmsghdr *nlh, size_t buflen, uint16_t type,
		    const struct odp_actions *acts);

int odp_actions_parse(const struct nlattr *nest, struct odp_actions *acts,
		      char *err, size_t errlen);


bool odp_actions_equal(const struct odp_actions *a, const struct odp_actions *b);

#endif /* VSW_LIB_ODP_KEY_H */
