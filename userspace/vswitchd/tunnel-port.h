/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tunnel ports (add-port BR NAME type=vxlan|geneve|gre options:...).
 *
 * A tunnel port is a name and a configuration, not an interface: every
 * tunnel port of one type and UDP port shares one kernel device in
 * flow-based ("external") mode, which the daemon creates over rtnetlink
 * when the first such port is attached and deletes when the last one
 * goes (tunnel-dev.c). The device is attached to the bridge's datapath
 * under a port number of its own, from the top of the port range down
 * (port->dp_port); translation maps what arrives there to the tunnel
 * port whose remote and key match (lib/xlate-tunnel.c).
 *
 * One device can serve one datapath only: the tunnel ports of one type
 * and UDP port must all be on the same bridge.
 *
 * Everything here runs with vswd.mutex held.
 */
#ifndef VSWD_TUNNEL_PORT_H
#define VSWD_TUNNEL_PORT_H

#include <stdbool.h>
#include <stddef.h>

#include "tunnel.h"
#include "util.h"

struct bridge;
struct port;
struct dpif_port_info;

/* Parses "type=..." or "options:KEY=VALUE" into @c. Returns 1 when @opt
 * is neither (not a tunnel option), 0 when taken, -1 with @err naming the
 * option or value. */
int tnl_parse_option(struct tnl_port_cfg *c, const char *opt, char *err,
		     size_t errlen);

/* After every option: completes @c (default UDP port, DF) and checks it
 * as a whole (remote_ip given, key in range for the type, local_ip of the
 * remote's family), and that no other bridge has ports on the same
 * device. @name is the port's. -1 with @err. */
int tnl_check(struct bridge *br, const char *name, struct tnl_port_cfg *c,
	      char *err, size_t errlen);

/* Appends " type=... options:..." (what tnl_parse_option() reads back). */
void tnl_format(const struct tnl_port_cfg *c, struct strbuf *sb);

/* The shared device's name for @c: "vsw-vxlan-4789", "vsw-gnv-6081",
 * "vsw-gre". */
void tnl_dev_name(const struct tnl_port_cfg *c, char name[16]);

/* Attaches @p (its device created and attached first if no other port of
 * @br has it). On failure nothing is left: a device created here is
 * deleted again. */
int tnl_port_attach(struct bridge *br, struct port *p, char *err,
		    size_t errlen);
/* Detaches @p; the last port of a device detaches and deletes it. */
void tnl_port_detach(struct bridge *br, struct port *p);
/* After an adoption: true when kernel port @kp is the device of tunnel
 * ports of @br (they are then marked present on it). */
bool tnl_port_adopt(struct bridge *br, const struct dpif_port_info *kp);

/* The datapath port of @br's port @i: its ofport, or for a tunnel port
 * its device's port, 0 when an earlier port has the same device. */
uint32_t tnl_port_dp_no(const struct bridge *br, size_t i);

/* tunnel-dev.c: the shared devices over rtnetlink (libnl-route-3). */
int tnl_dev_create(const struct tnl_port_cfg *c, const char *name,
		   char *err, size_t errlen);
void tnl_dev_delete(const char *name);

#endif /* VSWD_TUNNEL_PORT_H */
