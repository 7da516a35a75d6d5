/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mirrors the configuration model into vswitch.ko: datapaths, ports,
 * settings, handler threads. In config-only mode (vswd.dp_available is
 * false) every function here succeeds without doing anything.
 * Called with vswd.mutex held, from the main thread.
 */
#ifndef VSWD_DATAPATH_H
#define VSWD_DATAPATH_H

#include <stdbool.h>
#include <stddef.h>

struct bridge;
struct port;

/* Creates the kernel datapath, or adopts the one left by a previous
 * daemon (its flows are kept for the revalidator to adopt), applies the
 * settings, attaches the ports whose interface exists and starts the
 * handler threads. */
int dp_bridge_up(struct bridge *br, char *err, size_t errlen);
/* Stops the handlers; with @delete also deletes the kernel datapath
 * (only del-br does: a daemon exit leaves the datapath forwarding). May
 * drop and retake vswd.mutex to join threads. */
void dp_bridge_down(struct bridge *br, bool delete);

/* Attaches @p if its interface exists (-ENODEV is not an error then: the
 * port stays configured and attaches when the interface appears). */
int dp_port_attach(struct bridge *br, struct port *p, char *err,
		   size_t errlen);
void dp_port_detach(struct bridge *br, struct port *p);

/* Pushes the settings that differ from @old (all when @old is NULL) to
 * the kernel and restarts the handlers if their count changed. */
struct bridge_settings;
int dp_apply_settings(struct bridge *br, const struct bridge_settings *old,
		      char *err, size_t errlen);

/* A link appeared (@exists) or went away: attach or mark detached. */
void dp_link_event(const char *ifname, int ifindex, bool exists);
/* The link of @ifname is up (IFF_RUNNING) or not: a port's liveness for
 * fast_failover groups; a change revalidates the bridge's megaflows.
 * Called with vswd.mutex held. */
void dp_link_state(const char *ifname, bool running);

#endif /* VSWD_DATAPATH_H */
