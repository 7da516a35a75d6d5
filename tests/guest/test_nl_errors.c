// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed requests, one table row each, for every command: missing
 * required attributes, wrong types and lengths, unknown or misplaced
 * attributes, values out of range. Each row checks the error code, the
 * extack message (a substring) and where the kernel points: at the bad
 * attribute (NLMSGERR_ATTR_OFFS, inside it for nests), or the missing
 * attribute type (NLMSGERR_ATTR_MISS_TYPE). Then: without CAP_NET_ADMIN
 * every change is refused with EPERM while reads still work.
 *
 * vsw-timeout: 300
 */
#include <sched.h>
#include <arpa/inet.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"

#define DP "br-e"

enum kind { END, U32, U16, U8, STR, BIN, FLAG, NEST_U32, KEY, ACT };

struct attr {
	int type;
	enum kind kind;
	uint32_t u;		/* U32/U16/U8 value; BIN length; NEST_U32 value */
	const char *s;		/* STR */
	int inner;		/* NEST_U32: inner attribute type */
};

struct err_case {
	const char *name;
	uint8_t cmd;
	uint16_t flags;
	struct attr a[7];
	int bad;		/* index in a[] the offset must point at, -1: none */
	int err;
	const char *msg;	/* substring of the extack message, or NULL */
	int miss;		/* NLMSGERR_ATTR_MISS_TYPE, or 0 */
};

#define NAME(t) { t, STR, 0, DP }
#define Z { 0, END }

static const struct err_case cases[] = {
	/* datapath */
	{ "dp_new_missing_name", VSW_CMD_DP_NEW, 0, { Z }, -1, -EINVAL,
	  "missing attribute VSW_DP_ATTR_DP_NAME", VSW_DP_ATTR_DP_NAME },
	{ "dp_new_name_not_a_string", VSW_CMD_DP_NEW, 0,
	  { { VSW_DP_ATTR_DP_NAME, U32, 0x41414141 }, Z }, 0, -EINVAL, NULL, 0 },
	{ "dp_new_name_too_long", VSW_CMD_DP_NEW, 0,
	  { { VSW_DP_ATTR_DP_NAME, STR, 0, "abcdefghijklmnopq" }, Z }, 0, -EINVAL, NULL, 0 },
	{ "dp_new_bad_name", VSW_CMD_DP_NEW, 0,
	  { { VSW_DP_ATTR_DP_NAME, STR, 0, "x/y" }, Z }, 0, -EINVAL, "invalid datapath name", 0 },
	{ "dp_new_unknown_attr", VSW_CMD_DP_NEW, 0,
	  { { 99, U32, 1 }, NAME(VSW_DP_ATTR_DP_NAME), Z }, 0, -EINVAL, NULL, 0 },
	{ "dp_new_reply_only_ifindex", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_IFINDEX, U32, 1 }, Z }, 1, -EINVAL, NULL, 0 },
	{ "dp_new_reply_only_stats", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_STATS, NEST_U32, 0, NULL, 1 }, Z }, 1, -EINVAL, NULL, 0 },
	{ "dp_new_microflow_too_big", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_MICROFLOW_SIZE, U32, (1 << 21) }, Z }, 1, -ERANGE, NULL, 0 },
	{ "dp_new_microflow_not_pow2", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_MICROFLOW_SIZE, U32, 100 }, Z }, 1, -EINVAL, "power of two", 0 },
	{ "dp_new_microflow_wrong_length", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_MICROFLOW_SIZE, U16, 64 }, Z }, 1, -EINVAL, NULL, 0 },
	{ "dp_new_flow_limit_zero", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_FLOW_LIMIT, U32, 0 }, Z }, 1, -ERANGE, NULL, 0 },
	{ "dp_new_burst_zero", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_UPCALL_BURST, U32, 0 }, Z }, 1, -ERANGE, NULL, 0 },
	{ "dp_new_rate_wrong_length", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_UPCALL_RATE, U8, 1 }, Z }, 1, -EINVAL, NULL, 0 },
	{ "dp_new_pids_not_u32_array", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_UPCALL_PIDS, BIN, 6 }, Z }, 1, -EINVAL, "array of u32", 0 },
	{ "dp_new_too_many_pids", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_UPCALL_PIDS, BIN, 4 * 1025 }, Z }, 1, -ERANGE, NULL, 0 },
	{ "dp_new_exists", VSW_CMD_DP_NEW, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), Z }, -1, -EEXIST, "datapath already exists", 0 },
	{ "dp_get_settable_attr_refused", VSW_CMD_DP_GET, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_FLOW_LIMIT, U32, 5 }, Z }, 1, -EINVAL, NULL, 0 },
	{ "dp_get_missing_name", VSW_CMD_DP_GET, 0, { Z }, -1, -EINVAL,
	  "missing attribute", VSW_DP_ATTR_DP_NAME },
	{ "dp_get_unknown", VSW_CMD_DP_GET, 0,
	  { { VSW_DP_ATTR_DP_NAME, STR, 0, "nope" }, Z }, 0, -ENODEV, "datapath not found", 0 },
	{ "dp_del_missing_name", VSW_CMD_DP_DEL, 0, { Z }, -1, -EINVAL,
	  "missing attribute", VSW_DP_ATTR_DP_NAME },
	{ "dp_del_unknown", VSW_CMD_DP_DEL, 0,
	  { { VSW_DP_ATTR_DP_NAME, STR, 0, "nope" }, Z }, 0, -ENODEV, "datapath not found", 0 },
	{ "dp_set_missing_name", VSW_CMD_DP_SET, 0,
	  { { VSW_DP_ATTR_FLOW_LIMIT, U32, 5 }, Z }, -1, -EINVAL, "missing attribute", VSW_DP_ATTR_DP_NAME },
	{ "dp_set_unknown", VSW_CMD_DP_SET, 0,
	  { { VSW_DP_ATTR_DP_NAME, STR, 0, "nope" }, Z }, 0, -ENODEV, "datapath not found", 0 },
	{ "dp_set_flow_limit_zero", VSW_CMD_DP_SET, 0,
	  { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_FLOW_LIMIT, U32, 0 }, Z }, 1, -ERANGE, NULL, 0 },

	/* ports */
	{ "port_new_missing_dp", VSW_CMD_PORT_NEW, 0,
	  { { VSW_PORT_ATTR_IFNAME, STR, 0, "ea1" }, Z }, -1, -EINVAL, "missing attribute", VSW_PORT_ATTR_DP_NAME },
	{ "port_new_no_device", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), Z }, -1, -EINVAL, "IFINDEX or IFNAME required", 0 },
	{ "port_new_both_device_attrs", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFINDEX, U32, 1 },
	    { VSW_PORT_ATTR_IFNAME, STR, 0, "ea1" }, Z }, 2, -EINVAL, "not both", 0 },
	{ "port_new_no_such_device", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFNAME, STR, 0, "nodev0" }, Z }, 1,
	  -ENODEV, "no such network device", 0 },
	{ "port_new_ifindex_zero", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFINDEX, U32, 0 }, Z }, 1, -ERANGE, NULL, 0 },
	{ "port_new_port_no_zero", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFNAME, STR, 0, "ea1" },
	    { VSW_PORT_ATTR_PORT_NO, U32, 0 }, Z }, 2, -ERANGE, NULL, 0 },
	{ "port_new_port_no_local", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFNAME, STR, 0, "ea1" },
	    { VSW_PORT_ATTR_PORT_NO, U32, VSW_PORT_LOCAL }, Z }, 2, -ERANGE, NULL, 0 },
	{ "port_new_port_no_above_max", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFNAME, STR, 0, "ea1" },
	    { VSW_PORT_ATTR_PORT_NO, U32, VSW_PORT_MAX + 1 }, Z }, 2, -ERANGE, NULL, 0 },
	{ "port_new_port_no_in_use", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFNAME, STR, 0, "ea1" },
	    { VSW_PORT_ATTR_PORT_NO, U32, 1 }, Z }, -1, -EEXIST, "port number already in use", 0 },
	{ "port_new_burst_zero", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFNAME, STR, 0, "ea1" },
	    { VSW_PORT_ATTR_UPCALL_BURST, U32, 0 }, Z }, 2, -ERANGE, NULL, 0 },
	{ "port_new_reply_only_type", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFNAME, STR, 0, "ea1" },
	    { VSW_PORT_ATTR_TYPE, U32, 1 }, Z }, 2, -EINVAL, NULL, 0 },
	{ "port_new_unknown_attr", VSW_CMD_PORT_NEW, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { 77, U32, 0 }, Z }, 1, -EINVAL, NULL, 0 },
	{ "port_new_unknown_dp", VSW_CMD_PORT_NEW, 0,
	  { { VSW_PORT_ATTR_DP_NAME, STR, 0, "nope" }, { VSW_PORT_ATTR_IFNAME, STR, 0, "ea1" }, Z },
	  0, -ENODEV, "datapath not found", 0 },
	{ "port_del_no_selector", VSW_CMD_PORT_DEL, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), Z }, -1, -EINVAL, "PORT_NO or IFNAME required", 0 },
	{ "port_del_no_such_port", VSW_CMD_PORT_DEL, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_PORT_NO, U32, 9 }, Z }, 1,
	  -ENODEV, "no such port", 0 },
	{ "port_del_port_no_out_of_range", VSW_CMD_PORT_DEL, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_PORT_NO, U32, 0x10000 }, Z }, 1, -ERANGE, NULL, 0 },
	{ "port_del_ifindex_not_allowed", VSW_CMD_PORT_DEL, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFINDEX, U32, 1 }, Z }, 1, -EINVAL, NULL, 0 },
	{ "port_del_local", VSW_CMD_PORT_DEL, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_PORT_NO, U32, VSW_PORT_LOCAL }, Z }, -1,
	  -EINVAL, "local port", 0 },
	{ "port_get_no_such_name", VSW_CMD_PORT_GET, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFNAME, STR, 0, "ea9" }, Z }, 1,
	  -ENODEV, "no such port", 0 },
	{ "port_set_missing_port_no", VSW_CMD_PORT_SET, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_UPCALL_RATE, U32, 1 }, Z }, -1,
	  -EINVAL, "missing attribute VSW_PORT_ATTR_PORT_NO", VSW_PORT_ATTR_PORT_NO },
	{ "port_set_ifname_not_allowed", VSW_CMD_PORT_SET, 0,
	  { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_PORT_NO, U32, 1 },
	    { VSW_PORT_ATTR_IFNAME, STR, 0, "ea0" }, Z }, 2, -EINVAL, NULL, 0 },

	/* flows */
	{ "flow_new_missing_key", VSW_CMD_FLOW_NEW, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_ACTIONS, ACT }, Z }, -1,
	  -EINVAL, "missing attribute VSW_FLOW_ATTR_KEY", VSW_FLOW_ATTR_KEY },
	{ "flow_new_missing_actions", VSW_CMD_FLOW_NEW, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY }, Z }, -1,
	  -EINVAL, "missing attribute VSW_FLOW_ATTR_ACTIONS", VSW_FLOW_ATTR_ACTIONS },
	{ "flow_new_missing_dp", VSW_CMD_FLOW_NEW, 0,
	  { { VSW_FLOW_ATTR_KEY, KEY }, { VSW_FLOW_ATTR_ACTIONS, ACT }, Z }, -1,
	  -EINVAL, "missing attribute", VSW_FLOW_ATTR_DP_NAME },
	{ "flow_new_key_not_nested", VSW_CMD_FLOW_NEW, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, U16, 1 }, { VSW_FLOW_ATTR_ACTIONS, ACT }, Z },
	  1, -EINVAL, NULL, 0 },
	{ "flow_new_unknown_key_field", VSW_CMD_FLOW_NEW, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, NEST_U32, 1, NULL, 60 },
	    { VSW_FLOW_ATTR_ACTIONS, ACT }, Z }, 1, -EINVAL, NULL, 0 },
	{ "flow_new_key_without_in_port", VSW_CMD_FLOW_NEW, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, NEST_U32, 0x01020304, NULL, VSW_KEY_ATTR_IPV4_DST },
	    { VSW_FLOW_ATTR_ACTIONS, ACT }, Z }, -1, -EINVAL, "IN_PORT", 0 },
	{ "flow_new_mask_in_port_not_exact", VSW_CMD_FLOW_NEW, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY },
	    { VSW_FLOW_ATTR_MASK, NEST_U32, 0xff, NULL, VSW_KEY_ATTR_IN_PORT },
	    { VSW_FLOW_ATTR_ACTIONS, ACT }, Z }, 2, -EINVAL, "IN_PORT must be exact", 0 },
	{ "flow_new_ufid_wrong_length", VSW_CMD_FLOW_NEW, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY }, { VSW_FLOW_ATTR_ACTIONS, ACT },
	    { VSW_FLOW_ATTR_UFID, BIN, 8 }, Z }, 3, -ERANGE, "size out of range", 0 },
	{ "flow_new_action_output_wrong_length", VSW_CMD_FLOW_NEW, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY },
	    { VSW_FLOW_ATTR_ACTIONS, NEST_U32, 2, NULL, VSW_ACTION_ATTR_PUSH_VLAN }, Z }, 2, -EINVAL, NULL, 0 },
	{ "flow_new_reply_only_stats", VSW_CMD_FLOW_NEW, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY }, { VSW_FLOW_ATTR_ACTIONS, ACT },
	    { VSW_FLOW_ATTR_USED, U32, 1 }, Z }, 3, -EINVAL, NULL, 0 },
	{ "flow_new_unknown_dp", VSW_CMD_FLOW_NEW, 0,
	  { { VSW_FLOW_ATTR_DP_NAME, STR, 0, "nope" }, { VSW_FLOW_ATTR_KEY, KEY },
	    { VSW_FLOW_ATTR_ACTIONS, ACT }, Z }, 0, -ENODEV, "datapath not found", 0 },
	{ "flow_get_no_selector", VSW_CMD_FLOW_GET, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), Z }, -1, -EINVAL, "KEY or UFID required", 0 },
	{ "flow_get_actions_not_allowed", VSW_CMD_FLOW_GET, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY }, { VSW_FLOW_ATTR_ACTIONS, ACT }, Z },
	  2, -EINVAL, NULL, 0 },
	{ "flow_get_not_found", VSW_CMD_FLOW_GET, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY }, Z }, 1, -ENOENT, "flow not found", 0 },
	{ "flow_del_not_found", VSW_CMD_FLOW_DEL, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_UFID, BIN, 16 }, Z }, 1, -ENOENT, "flow not found", 0 },
	{ "flow_dump_missing_dp", VSW_CMD_FLOW_GET, NLM_F_DUMP, { Z }, -1, -EINVAL,
	  "DP_NAME required", 0 },
	{ "flow_flush_missing_dp", VSW_CMD_FLOW_FLUSH, 0, { Z }, -1, -EINVAL,
	  "missing attribute", VSW_FLOW_ATTR_DP_NAME },
	{ "flow_flush_key_not_allowed", VSW_CMD_FLOW_FLUSH, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY }, Z }, 1, -EINVAL, NULL, 0 },

	/* packet execute */
	{ "execute_missing_packet", VSW_CMD_PACKET_EXECUTE, 0,
	  { NAME(VSW_PACKET_ATTR_DP_NAME), { VSW_PACKET_ATTR_IN_PORT, U32, 1 },
	    { VSW_PACKET_ATTR_ACTIONS, ACT }, Z }, -1, -EINVAL,
	  "missing attribute VSW_PACKET_ATTR_PACKET", VSW_PACKET_ATTR_PACKET },
	{ "execute_missing_in_port", VSW_CMD_PACKET_EXECUTE, 0,
	  { NAME(VSW_PACKET_ATTR_DP_NAME), { VSW_PACKET_ATTR_PACKET, BIN, 60 },
	    { VSW_PACKET_ATTR_ACTIONS, ACT }, Z }, -1, -EINVAL, "missing attribute", VSW_PACKET_ATTR_IN_PORT },
	{ "execute_packet_too_short", VSW_CMD_PACKET_EXECUTE, 0,
	  { NAME(VSW_PACKET_ATTR_DP_NAME), { VSW_PACKET_ATTR_IN_PORT, U32, 1 },
	    { VSW_PACKET_ATTR_PACKET, BIN, 10 }, { VSW_PACKET_ATTR_ACTIONS, ACT }, Z }, 2, -ERANGE,
	  "size out of range", 0 },
	{ "execute_in_port_zero", VSW_CMD_PACKET_EXECUTE, 0,
	  { NAME(VSW_PACKET_ATTR_DP_NAME), { VSW_PACKET_ATTR_IN_PORT, U32, 0 },
	    { VSW_PACKET_ATTR_PACKET, BIN, 60 }, { VSW_PACKET_ATTR_ACTIONS, ACT }, Z }, 1, -ERANGE, NULL, 0 },
	{ "execute_in_port_reserved", VSW_CMD_PACKET_EXECUTE, 0,
	  { NAME(VSW_PACKET_ATTR_DP_NAME), { VSW_PACKET_ATTR_IN_PORT, U32, 0xff00 },
	    { VSW_PACKET_ATTR_PACKET, BIN, 60 }, { VSW_PACKET_ATTR_ACTIONS, ACT }, Z }, 1, -EINVAL,
	  "IN_PORT is not a valid port number", 0 },
	{ "execute_key_not_allowed", VSW_CMD_PACKET_EXECUTE, 0,
	  { NAME(VSW_PACKET_ATTR_DP_NAME), { VSW_PACKET_ATTR_IN_PORT, U32, 1 },
	    { VSW_PACKET_ATTR_PACKET, BIN, 60 }, { VSW_PACKET_ATTR_ACTIONS, ACT },
	    { VSW_PACKET_ATTR_KEY, KEY }, Z }, 4, -EINVAL, NULL, 0 },
	{ "execute_unknown_dp", VSW_CMD_PACKET_EXECUTE, 0,
	  { { VSW_PACKET_ATTR_DP_NAME, STR, 0, "nope" }, { VSW_PACKET_ATTR_IN_PORT, U32, 1 },
	    { VSW_PACKET_ATTR_PACKET, BIN, 60 }, { VSW_PACKET_ATTR_ACTIONS, ACT }, Z }, 0,
	  -ENODEV, "datapath not found", 0 },

	/* header checks the genetlink core makes for every command
	 * (resv_start_op 0): no create/replace semantics in nlmsg_flags */
	{ "flow_new_nlm_f_replace_refused", VSW_CMD_FLOW_NEW, NLM_F_REPLACE,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY }, { VSW_FLOW_ATTR_ACTIONS, ACT }, Z },
	  -1, -EINVAL, "nlmsg_flags", 0 },
	{ "dp_new_nlm_f_create_refused", VSW_CMD_DP_NEW, NLM_F_CREATE | NLM_F_EXCL,
	  { NAME(VSW_DP_ATTR_DP_NAME), Z }, -1, -EINVAL, "nlmsg_flags", 0 },
	{ "flow_get_replace_not_allowed", VSW_CMD_FLOW_GET, 0,
	  { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY }, { VSW_FLOW_ATTR_REPLACE, FLAG }, Z },
	  2, -EINVAL, NULL, 0 },

	/* commands userspace may not send */
	{ "miss_from_userspace", VSW_CMD_MISS, 0, { Z }, -1, -EOPNOTSUPP, NULL, 0 },
	{ "action_from_userspace", VSW_CMD_ACTION, 0, { Z }, -1, -EOPNOTSUPP, NULL, 0 },
	{ "unknown_command", 99, 0, { Z }, -1, -EOPNOTSUPP, NULL, 0 },
};

/* Builds the request; returns the [start, end) offsets of attribute @want. */
static struct nlmsghdr *build(struct vsw_nl *h, const struct err_case *c,
			      uint32_t *start, uint32_t *end)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, c->cmd, c->flags);
	static const uint8_t zeros[8192];
	const struct attr *a;
	struct nlattr *n;
	int i;

	for (i = 0, a = c->a; a->kind != END; i++, a++) {
		uint32_t off = nlh->nlmsg_len;

		switch (a->kind) {
		case U32: mnl_attr_put_u32(nlh, a->type, a->u); break;
		case U16: mnl_attr_put_u16(nlh, a->type, a->u); break;
		case U8: mnl_attr_put_u8(nlh, a->type, a->u); break;
		case STR: mnl_attr_put_strz(nlh, a->type, a->s); break;
		case BIN: mnl_attr_put(nlh, a->type, a->u, zeros); break;
		case FLAG: mnl_attr_put(nlh, a->type, 0, NULL); break;
		case NEST_U32:
			n = mnl_attr_nest_start(nlh, a->type);
			mnl_attr_put_u32(nlh, a->inner, a->u);
			mnl_attr_nest_end(nlh, n);
			break;
		case KEY:
			n = mnl_attr_nest_start(nlh, a->type);
			mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, 1);
			mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(0x88b5));
			mnl_attr_nest_end(nlh, n);
			break;
		case ACT:
			n = mnl_attr_nest_start(nlh, a->type);
			mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, 1);
			mnl_attr_nest_end(nlh, n);
			break;
		case END:
			break;
		}
		if (i == c->bad) {
			*start = off;
			*end = nlh->nlmsg_len;
		}
	}
	return nlh;
}

FIXTURE(errs) {
	struct vsw_nl h;
};

FIXTURE_SETUP(errs)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h));
	ASSERT_EQ(0, vsw_dp_add(&self->h, DP));
	ASSERT_EQ(0, vsw_sh("ip link add ea0 type veth peer name ea1"));
	ASSERT_EQ(1, vsw_port_add(&self->h, DP, "ea0", 1));
}

FIXTURE_TEARDOWN(errs)
{
	vsw_nl_close(&self->h);
}

TEST_F(errs, every_malformed_request_is_refused_precisely)
{
	unsigned int i, failed = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct err_case *c = &cases[i];
		uint32_t start = 0, end = 0;
		struct nlmsghdr *nlh;
		int ret, ok = 1;

		nlh = build(&self->h, c, &start, &end);
		ret = vsw_nl_talk(&self->h, nlh, NULL, NULL);
		if (ret != c->err)
			ok = 0;
		if (c->msg && !strstr(self->h.msg, c->msg))
			ok = 0;
		if (c->bad >= 0 && (self->h.off < start || self->h.off >= end))
			ok = 0;
		if (c->miss && self->h.miss_type != c->miss)
			ok = 0;
		if (!ok) {
			failed++;
			TH_LOG("%s: got %d (want %d) msg \"%s\" off %u (want [%u,%u)) miss %d (want %d)",
			       c->name, ret, c->err, self->h.msg, self->h.off,
			       start, end, self->h.miss_type, c->miss);
		}
	}
	EXPECT_EQ(0, failed);
}

/* Every message with an error carries a message or a pointer. */
TEST_F(errs, every_error_explains_itself)
{
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct err_case *c = &cases[i];
		uint32_t s, e;

		if (c->err == -EOPNOTSUPP)
			continue;	/* refused by the genl core */
		vsw_nl_talk(&self->h, build(&self->h, c, &s, &e), NULL, NULL);
		EXPECT_TRUE(self->h.msg[0] || self->h.off || self->h.miss_type)
			TH_LOG("%s: no extack", c->name);
	}
}

static int drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[0].effective &= ~(1u << CAP_NET_ADMIN);
	data[0].permitted &= ~(1u << CAP_NET_ADMIN);
	return syscall(SYS_capset, &hdr, data);
}

TEST_F(errs, changes_need_cap_net_admin)
{
	static const struct err_case changes[] = {
		{ "dp_new", VSW_CMD_DP_NEW, 0, { { VSW_DP_ATTR_DP_NAME, STR, 0, "br-x" }, Z }, -1 },
		{ "dp_del", VSW_CMD_DP_DEL, 0, { NAME(VSW_DP_ATTR_DP_NAME), Z }, -1 },
		{ "dp_set", VSW_CMD_DP_SET, 0, { NAME(VSW_DP_ATTR_DP_NAME), { VSW_DP_ATTR_FLOW_LIMIT, U32, 5 }, Z }, -1 },
		{ "port_new", VSW_CMD_PORT_NEW, 0, { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_IFNAME, STR, 0, "ea1" }, Z }, -1 },
		{ "port_del", VSW_CMD_PORT_DEL, 0, { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_PORT_NO, U32, 1 }, Z }, -1 },
		{ "port_set", VSW_CMD_PORT_SET, 0, { NAME(VSW_PORT_ATTR_DP_NAME), { VSW_PORT_ATTR_PORT_NO, U32, 1 }, Z }, -1 },
		{ "flow_new", VSW_CMD_FLOW_NEW, 0, { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY }, { VSW_FLOW_ATTR_ACTIONS, ACT }, Z }, -1 },
		{ "flow_del", VSW_CMD_FLOW_DEL, 0, { NAME(VSW_FLOW_ATTR_DP_NAME), { VSW_FLOW_ATTR_KEY, KEY }, Z }, -1 },
		{ "flow_flush", VSW_CMD_FLOW_FLUSH, 0, { NAME(VSW_FLOW_ATTR_DP_NAME), Z }, -1 },
		{ "execute", VSW_CMD_PACKET_EXECUTE, 0, { NAME(VSW_PACKET_ATTR_DP_NAME), { VSW_PACKET_ATTR_IN_PORT, U32, 1 },
		  { VSW_PACKET_ATTR_PACKET, BIN, 60 }, { VSW_PACKET_ATTR_ACTIONS, ACT }, Z }, -1 },
	};
	struct vsw_stats_req r;
	unsigned int i;
	uint32_t s, e;

	ASSERT_EQ(0, drop_net_admin());
	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		int ret = vsw_nl_talk(&self->h, build(&self->h, &changes[i], &s, &e),
				      NULL, NULL);

		if (ret != -EPERM)
			TH_LOG("command %u (%u) not refused: %d", i, changes[i].cmd, ret);
		EXPECT_EQ(-EPERM, ret);
	}
	/* reads need no privilege; nothing was changed */
	ASSERT_EQ(0, vsw_dp_stats(&self->h, DP, &r));
	EXPECT_EQ(0, vsw_port_stats(&self->h, DP, 1, &r));
}

VSW_HARNESS_MAIN
