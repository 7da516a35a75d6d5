/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Patch ports (add-port BR NAME type=patch options:peer=OTHER), as in
 * Open vSwitch: two ports, each naming the other as its peer, join two
 * bridges (or two points of one). There is no kernel device: an output to
 * one is translated on in the bridge of the other (lib/xlate-patch.c).
 *
 * A patch forwards only when it is complete: the peer exists, is a patch
 * port and names this one back. Otherwise `show` gives the reason and the
 * patch forwards nothing.
 *
 * The datapath: each bridge is a kernel datapath of its own (datapath.c),
 * and a datapath's actions can only send to its own ports. So a crossing
 * happens in translation only within one datapath (both ends on one
 * bridge) or where there is none (config-only mode). Between two kernel
 * datapaths each end is a kernel patch port (VSW_PORT_TYPE_PATCH, made by
 * dp_port_attach(), "present" once it is): translation stops at an
 * output to it, the kernel hands the packet to the peer's datapath, and
 * the peer bridge translates its misses there as for any port.
 *
 * Everything here runs with vswd.mutex held.
 */
#ifndef VSWD_PATCH_PORT_H
#define VSWD_PATCH_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "xlate.h"

struct bridge;
struct port;

/* Parses "type=patch" and "options:peer=NAME" into @p. Returns 1 when
 * @opt is neither (the first other options:... is noted for
 * patch_check()), 0 when taken, -1 with @err. */
int patch_parse_option(struct port *p, const char *opt, char *err,
		       size_t errlen);
/* After every option: a patch port needs options:peer, takes no other
 * option:..., and is not its own peer; options:peer needs type=patch.
 * -1 with @err naming what is wrong. */
int patch_check(const struct port *p, char *err, size_t errlen);
/* Appends " type=patch options:peer=NAME" (what patch_parse_option()
 * reads back); nothing for other ports. */
void patch_format(const struct port *p, struct strbuf *sb);

/* NULL when patch port @p of @br is complete, with *@peer_br and *@peer
 * set (either may be NULL); else why it forwards nothing (a static
 * buffer). */
const char *patch_status(const struct bridge *br, const struct port *p,
			 struct bridge **peer_br, struct port **peer);
/* Whether patch port @p forwards (complete, and a way across): its
 * OpenFlow state is LIVE then. */
bool patch_live(const struct bridge *br, const struct port *p);

struct dpif_port_stats;

/* What crossed patch port @p of @br in the kernel (tx: out of it, rx:
 * in from its peer): 0, or -1 (zeros) when it has no kernel patch port.
 * Translation within one datapath counts nothing (the kernel's megaflow
 * counters hold it). */
int patch_kernel_stats(const struct bridge *br, const struct port *p,
		       struct dpif_port_stats *s);

/* How complete patch @p of @br, whose peer is @o of @ob, forwards: enum
 * xlate_patch_how, *@why set for XPATCH_NONE (a static buffer). */
int patch_how(const struct bridge *br, const struct port *p,
	      const struct bridge *ob, const struct port *o, const char **why);
/* xlate_bridge.patch_peer over the daemon's bridges (bridge.c's view). */
int patch_xlate_peer(const struct xlate_bridge *xb, const struct xlate_port *xp,
		     struct xlate_bridge *peer, uint32_t *peer_port,
		     const char **why);
/* A patch port of @br was added or removed: the bridges its peer name
 * points at re-check their megaflows. */
void patch_changed(const struct port *p);

#endif /* VSWD_PATCH_PORT_H */
