/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Translation: runs a flow through a bridge's pipeline (and NORMAL) and
 * produces the datapath actions plus the megaflow, i.e. the flow with a
 * mask of every bit the decision consulted (in_port always exact), so that
 * every packet inside the megaflow gets the same actions.
 *
 * Semantics follow Open vSwitch: a table miss drops; resubmit/goto_table
 * nest up to XLATE_MAX_DEPTH (and XLATE_MAX_RESUBMITS in total), beyond
 * which translation stops with an error and a drop; output to the ingress
 * port is skipped unless IN_PORT asks for it; set actions are committed
 * lazily before each output; VLAN changes become pop_vlan/push_vlan.
 *
 * ct(table=N) freezes translation: the datapath runs ct and recirculates
 * with recirc_id N + 1 (xlate-ct.c), and the recirculated packet's miss
 * is translated from table N with the connection fields conntrack gave.
 * Nothing else is carried over, so the id is the table alone, the same
 * across daemon restarts and for every bridge.
 *
 * An output to a patch port continues in the peer bridge's table 0 with
 * in_port = the peer port, tunnel and conntrack fields cleared, as in
 * Open vSwitch; the peer's lookups widen the same megaflow, and the
 * crossing counts as one level of depth, so a loop of patch ports ends
 * at XLATE_MAX_DEPTH with an error (xlate-patch.c).
 */
#ifndef VSW_LIB_XLATE_H
#define VSW_LIB_XLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "odp.h"
#include "mac-learning.h"
#include "pipeline.h"

#define XLATE_MAX_DEPTH		64
#define XLATE_MAX_RESUBMITS	4096

struct trace_buf;
struct group_table;

struct xlate_port {
	uint32_t port_no;
	char name[16];
	enum xlate_vlan_mode {
		XVLAN_TRUNK_ALL,	/* default: no tag, no trunks given */
		XVLAN_ACCESS,		/* untagged port in VLAN @tag */
		XVLAN_TRUNK,		/* tagged port carrying @trunks only */
	} mode;
	uint16_t tag;
	const uint16_t *trunks;
	size_t n_trunks;
	bool present;			/* interface exists and is attached */
	/* tunnel ports (tnl.type set): the datapath port of the shared
	 * tunnel device they send and receive through (xlate-tunnel.c) */
	struct tnl_port_cfg tnl;
	uint32_t odp_port;
	/* a patch port: output continues in the peer bridge (xlate-patch.c) */
	bool patch;
	/* its link is down: fast_failover buckets watching it are not live */
	bool down;
};

struct xlate_bridge {
	const char *name;
	struct pipeline *pl;
	struct mac_table *macs;
	const struct xlate_port *ports;
	size_t n_ports;
	/* A hidden rule that table 0 applies to every packet ahead of its
	 * own rules, consulting no field (the daemon's fail-open fallback),
	 * or NULL. Its id is 0: no pipeline rule has it. */
	const struct rule *fail_open;
	/* The bridge's groups (lib/ofp-group.h), or NULL: none. */
	const struct group_table *groups;
	/* Patch ports: how an output to @p goes on (enum xlate_patch_how).
	 * XPATCH_CROSS: fills @peer with the bridge at the other end and
	 * *@peer_port with the port a packet enters it by. XPATCH_KERNEL: the
	 * peer is another kernel datapath and both ends are kernel patch
	 * ports: the output is an OUTPUT to @p, the kernel hands the packet
	 * to the peer's datapath; sets *@peer_port and @peer's name, and, in
	 * a trace, the rest of @peer, so the trace follows the packet there.
	 * XPATCH_NONE: *@why says why it forwards nothing. NULL here: no
	 * patch port forwards. @aux is the caller's. */
	int (*patch_peer)(const struct xlate_bridge *br,
			  const struct xlate_port *p, struct xlate_bridge *peer,
			  uint32_t *peer_port, const char **why);
	void *aux;
	/* kernel patch crossings a trace followed to get here */
	uint8_t patch_hops;
};

enum xlate_patch_how { XPATCH_NONE, XPATCH_CROSS, XPATCH_KERNEL };

enum xlate_error {
	XLATE_OK,
	XLATE_RECURSION_TOO_DEEP,	/* resubmit/goto depth limit */
	XLATE_TOO_MANY_RESUBMITS,
	XLATE_TOO_MANY_ACTIONS,		/* datapath action list full */
	XLATE_BAD_RECIRC,		/* a recirc_id no ct(table=N) gives */
	XLATE_UNSUPPORTED,		/* e.g. ct(table=N) with registers set */
};

struct xlate_out {
	struct odp_actions actions;
	struct match megaflow;		/* flow + consulted-bits mask */
	uint64_t *rule_ids;		/* rules matched, for stats push */
	size_t n_rules;
	/* buckets run, XLATE_GROUP_USE() each: what a group change marks
	 * and what the group counters are credited */
	uint64_t *group_uses;
	size_t n_group_uses;
	uint8_t tables_visited[32];	/* bitmap of table ids */
	/* tables one of whose lookups matched no rule (bitmap): their miss
	 * counts, as the rules' counters, grow by the megaflow's packets */
	uint8_t tables_missed[32];
	bool consulted_macs;		/* NORMAL looked up the MAC table */
	bool learned;			/* NORMAL changed the MAC table */
	bool rewritten;			/* a table was looked up on fields an
					 * action had changed (or with another
					 * in_port): the megaflow's match says
					 * nothing of what that table saw */
	bool tnl_unmatched;		/* came by a tunnel device, but no
					 * tunnel port takes its remote and
					 * key: dropped */
	/* crossed a patch port in translation: other bridges' rules and
	 * tables are in neither rule_ids nor the table bitmaps, which are
	 * the first bridge's */
	bool patched;
	int error;			/* enum xlate_error */
	struct flow final_flow;		/* the packet after all set actions */
	size_t rules_cap, groups_cap;	/* private */
};

/* A group's bucket that ran; @first: the first bucket of that run of the
 * group (the group's own counters count it). */
#define XLATE_GROUP_USE(id, bucket, first) \
	((uint64_t)(id) << 32 | (uint64_t)!!(first) << 31 | (uint32_t)(bucket))
#define XLATE_GROUP_USE_ID(u)		((uint32_t)((u) >> 32))
#define XLATE_GROUP_USE_BUCKET(u)	((uint32_t)(u) & 0x7fffffff)
#define XLATE_GROUP_USE_FIRST(u)	(((u) >> 31) & 1)

/* Where translation errors (depth limit...) are logged; the default
 * writes one line to stderr. */
extern void (*xlate_log)(const char *msg);

/* Translates @flow through @br. With @may_learn, NORMAL updates the MAC
 * table. Returns 0, or -1 with out->error set (the actions are then a
 * drop and the megaflow still valid). Always call xlate_out_uninit(). */
int xlate_flow(const struct xlate_bridge *, const struct flow *,
	       bool may_learn, struct xlate_out *out, struct trace_buf *trace);
/* A PACKET_OUT's @acts applied to @flow (output:TABLE runs the
 * pipeline; MACs are not learned); out->actions are for PACKET_EXECUTE,
 * the megaflow means nothing. As xlate_flow() otherwise. */
int xlate_packet_out(const struct xlate_bridge *, const struct flow *,
		     const struct ofpacts *acts, struct xlate_out *out);
void xlate_out_uninit(struct xlate_out *);
const char *xlate_strerror(int error);

#endif /* VSW_LIB_XLATE_H */
