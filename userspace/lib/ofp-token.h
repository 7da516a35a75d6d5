/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Splitting ovs-ofctl text into key/value pairs, shared by the match and
 * action parsers. Pairs are separated by commas or white space; a key is
 * followed by "=V" or ":V" (V ends at a comma or space outside
 * parentheses), by "(V)", or by nothing.
 */
#ifndef VSW_LIB_OFP_TOKEN_H
#define VSW_LIB_OFP_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-parse.h"

/* Cuts the next pair out of *pos (writable; NULs are written). Returns
 * false at the end. @value is "" for a bare key. */
bool ofp_next_token(char **pos, char **key, char **value);

/* Port number, reserved name (LOCAL, IN_PORT, NORMAL...) or a name given
 * to @lookup. Returns 0 or -1 with @err naming @name=@s. */
int ofp_parse_port(const char *name, const char *s, ofp_port_lookup_fn lookup,
		   void *aux, uint32_t *port, char *err, size_t errlen);

#endif /* VSW_LIB_OFP_TOKEN_H */
