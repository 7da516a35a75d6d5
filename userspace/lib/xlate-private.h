/* SPDX-License-Identifier: GPL-2.0 */
/* Translation context shared by xlate.c and xlate-normal.c. */
#ifndef VSW_LIB_XLATE_PRIVATE_H
#define VSW_LIB_XLATE_PRIVATE_H

#include "trace.h"
#include "xlate.h"

/* Fields written by actions and not yet committed to the datapath. */
enum {
	D_ETH_SRC = 1 << 0,
	D_ETH_DST = 1 << 1,
	D_IP4_SRC = 1 << 2,
	D_IP4_DST = 1 << 3,
	D_IP6_SRC = 1 << 4,
	D_IP6_DST = 1 << 5,
	D_IP6_LABEL = 1 << 6,
	D_DSCP = 1 << 7,
	D_TTL = 1 << 8,
	D_TP_SRC = 1 << 9,
	D_TP_DST = 1 << 10,
	D_VLAN = 1 << 11,
};

struct xctx {
	const struct xlate_bridge *br;
	const struct flow *orig;	/* the packet as it arrived */
	struct flow flow;		/* with every action applied so far */
	struct flow base;		/* as the datapath has it (committed) */
	struct flow *wc;		/* = &out->megaflow.mask */
	struct xlate_out *out;
	struct trace_buf *tr;
	bool may_learn;
	int depth, resubmits;
	uint8_t table;
	const struct rule *rule;	/* whose actions run (NULL: PACKET_OUT's) */
	bool exit;			/* error: stop translating */
	bool stop_list;			/* stop the current action list */
	bool ct_clear_pending;		/* CT_CLEAR before the next action */
	unsigned dirty;
	unsigned tun_set;		/* XTUN_*: tunnel fields an action set */
	uint8_t patch_hops;		/* xlate_bridge.patch_hops of the first */
	const struct pipeline *home_pl;	/* the first bridge's (a patch to a
					 * port of the same bridge stays home) */
};

/* Tunnel fields a set_field wrote: an output to a tunnel port sends with
 * them where the port has no option of its own (xlate-tunnel.c). */
enum {
	XTUN_SRC = 1 << 0,		/* tun_src or tun_ipv6_src */
	XTUN_TOS = 1 << 1,
	XTUN_TTL = 1 << 2,
};

/* Fails the translation with @error (enum xlate_error): stops it, logs the
 * message with the packet, and shows it in a trace. */
__attribute__((format(printf, 3, 4)))
void xlate_error(struct xctx *, int error, const char *fmt, ...);
/* Un-wildcards bits, recording @who for the trace. */
void xlate_wc(struct xctx *, const struct flow *add_mask, const char *who);
const struct xlate_port *xlate_find_port(const struct xlate_bridge *, uint32_t);
/* Outputs to port @p of the bridge (already checked against in_port),
 * committing sets; callers hold the record, so floods stay linear. */
void xlate_output_raw(struct xctx *, const struct xlate_port *p);
/* Sets the current VLAN TCI (host order), un-wildcarding what it needs. */
void xlate_set_tci(struct xctx *, uint16_t tci, const char *who);
void xlate_normal(struct xctx *);
/* Appends a datapath action (NULL when the list is full: error set). */
struct odp_action *xlate_odp_put(struct xctx *, uint16_t type);
/* Emits the pending set actions (and a fork's CT_CLEAR). */
void xlate_commit(struct xctx *);
/* xlate-ct.c: ct(...), ct_clear, and where a recirculated pass starts. */
void xlate_ct(struct xctx *, const struct ofpact *);
void xlate_ct_clear(struct xctx *);
uint8_t xlate_ct_resume_table(const struct flow *);
/* Zeroes @f's conntrack fields (state, zone, mark, label, original
 * tuple), as a ct() leaves them for the actions after it and a patch
 * crossing for the peer bridge. */
void xlate_clear_ct_fields(struct flow *f);
/* xlate-tunnel.c: a packet on a shared tunnel device's datapath port is
 * given the tunnel port its metadata names as in_port (in @orig, which is
 * ctx->orig, and ctx->flow/base); returns the device's port, or 0 when
 * in_port is no tunnel device. *@none: no tunnel port takes it (drop). */
uint32_t xlate_tnl_in(struct xctx *, struct flow *orig, bool *none);
/* Output to tunnel port @p: SET_TUNNEL + OUTPUT to its device. */
void xlate_tnl_output(struct xctx *, const struct xlate_port *p);

/* xlate-patch.c: output to patch port @p, translated on in the peer. */
void xlate_patch_output(struct xctx *, const struct xlate_port *p);
/* Looks @table up with @in_port (OFPP_IN_PORT: the packet's) and runs the
 * matching rule's actions (xlate.c). */
void xlate_table(struct xctx *, uint8_t table, uint32_t in_port);
/* Runs an action list (xlate.c). */
void xlate_actions(struct xctx *, const struct ofpacts *acts);
/* False (error set) when one more level or resubmit is over the limits. */
bool xlate_resource_check(struct xctx *);
/* Writes the whole of packet field @mf (not vlan_vid/pcp) as set_field
 * does: checks its prerequisite on the packet, marks it for commit. */
void xlate_set_packet_field(struct xctx *, const struct ofp_field *mf,
			    const union ofp_field_value *v);
/* xlate-regs.c: load, move and write_metadata. */
void xlate_regs(struct xctx *, const struct ofpact *);
/* xlate-group.c: the GROUP action. */
void xlate_group(struct xctx *, uint32_t group_id);

#endif /* VSW_LIB_XLATE_PRIVATE_H */
