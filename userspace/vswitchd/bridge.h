/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration model: bridges, their ports and settings, their
 * OpenFlow pipeline and MAC table. Plain data, independent of whether the
 * kernel datapath is there (config-only mode); datapath.c mirrors it into
 * the kernel. Everything here is called with vswd.mutex held.
 */
#ifndef VSWD_BRIDGE_H
#define VSWD_BRIDGE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ukey.h"
#include "xlate.h"

#define BRIDGE_MAX_TRUNKS 4094

struct port {
	char name[IFNAMSIZ];
	uint32_t ofport;		/* OpenFlow = datapath port number */
	enum xlate_vlan_mode mode;
	uint16_t tag;			/* XVLAN_ACCESS */
	uint16_t *trunks;		/* XVLAN_TRUNK, sorted */
	size_t n_trunks;
	bool present;			/* attached to the kernel datapath */
	bool link_down;			/* present, but its link is down */
	int ifindex;
	/* this port's misses the daemon received but could not send on
	 * (execute refused, frame cut short, too big for a batch): the
	 * daemon's part of dp-stats' "lost"; vswd.mutex */
	uint64_t upcalls_dropped;
	/* tunnel ports (tnl.type set; tunnel-port.h): no interface of their
	 * own; present when their shared device is attached as @dp_port */
	struct tnl_port_cfg tnl;
	uint32_t dp_port;
	/* patch ports (patch-port.h): no interface; present when their
	 * kernel patch port is */
	bool patch;
	char peer[IFNAMSIZ];
	char patch_other[48];		/* parsing only: a refused options: */
};

/* Settings, each settable with "vswitchctl set BR KEY=VALUE". */
struct bridge_settings {
	uint32_t flow_limit;
	uint32_t idle_timeout_ms;
	uint32_t microflow_size;
	uint32_t upcall_rate;
	uint32_t upcall_burst;
	uint32_t handler_threads;
	uint32_t inactivity_probe_ms;	/* OpenFlow echo probe; 0 = none */
};

struct handlers;

struct bridge {
	char name[IFNAMSIZ];
	struct port *ports;
	size_t n_ports;
	struct pipeline *pl;
	struct group_table *groups;	/* OpenFlow groups (ofp-group.h) */
	struct mac_table *macs;
	struct bridge_settings set;
	bool dp_ok;			/* the kernel datapath exists */
	struct xlate_port *xports;	/* rebuilt by bridge_refresh() */
	size_t n_xports;
	struct ukey_table ukeys;
	struct handlers *handlers;
	uint64_t seen_mac_version;	/* MAC table version last revalidated */
	bool reval_all;			/* a port change: re-check every flow */
	uint8_t fail_mode;		/* enum fail_mode (fail-open.h) */
	bool fail_open;			/* its hidden NORMAL rule is in force */
	long long created_ms;
	struct bridge *next;
};

/* Applies "KEY=VALUE" to @s; -1 with @err naming the key or value. */
int bridge_settings_parse(struct bridge_settings *s, const char *kv,
			  char *err, size_t errlen);
/* Writes the settings as "key=value" words separated by blanks. */
void bridge_settings_format(const struct bridge_settings *s, char *buf,
			    size_t len);

struct bridge *bridge_find(const char *name);
/* Creates an empty bridge (no rules) and links it into vswd.bridges. */
struct bridge *bridge_create(const char *name, char *err, size_t errlen);
void bridge_destroy(struct bridge *br);

struct port *bridge_find_port(struct bridge *br, const char *name);
struct port *bridge_find_port_no(struct bridge *br, uint32_t port_no);
/* Finds @name on any bridge. */
struct port *port_find_any(const char *name, struct bridge **brp);

/* Parses add-port's options: "ofport=N", "tag=VID", "trunks=V,V,...".
 * Fills @p (name set by the caller); -1 with @err naming the option. */
int port_parse_option(struct port *p, const char *opt, char *err,
		      size_t errlen);
/* Adds a copy of @p (trunks copied), allocating ofport when 0. */
struct port *bridge_add_port(struct bridge *br, const struct port *p,
			     char *err, size_t errlen);
void bridge_del_port(struct bridge *br, struct port *p);
/* Describes a port's VLAN mode: "trunk (all VLANs)", "access tag=10"... */
void port_vlan_desc(const struct port *p, char *buf, size_t len);

/* Rebuilds the translation view (after any port change). */
void bridge_refresh(struct bridge *br);
void bridge_xlate_view(struct bridge *br, struct xlate_bridge *xb);

/* ofp_port_lookup_fn / ofp_port_name_fn over a bridge's ports. */
int bridge_port_lookup(void *br, const char *name, uint32_t *port_no);
const char *bridge_port_name(void *br, uint32_t port_no);

#endif /* VSWD_BRIDGE_H */
