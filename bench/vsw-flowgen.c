// SPDX-License-Identifier: GPL-2.0
/*
 * vsw-flowgen: drive vswitch.ko directly over generic netlink for the
 * benchmarks, the way ovs-dpctl drives openvswitch.ko: create a datapath,
 * attach ports, install N megaflows spread over M distinct masks, read the
 * datapath's counters. No daemon is involved, so the comparison with
 * `ovs-dpctl add-flows` is like for like.
 *
 *   vsw-flowgen dp-new DP [MICROFLOW_SIZE]
 *   vsw-flowgen dp-del DP
 *   vsw-flowgen port-add DP IFNAME PORT_NO
 *   vsw-flowgen flows DP IN_PORT OUT_PORT N_FLOWS N_MASKS SRC_IP SPORT_BASE
 *   vsw-flowgen flush DP
 *   vsw-flowgen stats DP
 *   vsw-flowgen ports DP
 *
 * The flows of `flows` match what bench/guest/fastpath.sh installs in
 * openvswitch.ko: in_port, eth_type 0x0800, ip_proto 17, the UDP source
 * port SPORT_BASE + i exactly, and the IPv4 source under mask
 * 255.255.255.(255 - i % N_MASKS), which gives exactly N_MASKS masks
 * (N_MASKS <= 128) that all keep the traffic's source address. Every flow
 * outputs to OUT_PORT.
 *
 * `stats` prints one line of key=value counters (VSW_DP_STATS_ATTR_*),
 * `ports` one line per port (port=N ifname=X and VSW_PORT_STATS_ATTR_*).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vswitch.h>

#include "nl-sock.h"

struct nl {
	struct genl_sock sock;
	uint16_t family;
	char *buf;			/* requests are built here */
};

static const char *prog = "vsw-flowgen";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s dp-new DP [MICROFLOW_SIZE]\n"
		"       %s dp-del DP\n"
		"       %s port-add DP IFNAME PORT_NO\n"
		"       %s flows DP IN_PORT OUT_PORT N_FLOWS N_MASKS SRC_IP SPORT_BASE\n"
		"       %s flush DP\n"
		"       %s stats DP\n"
		"       %s ports DP\n", prog, prog, prog, prog, prog, prog, prog);
}

static int parse_u32(const char *s, const char *what, uint32_t max,
		     uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max) {
		fprintf(stderr, "%s: invalid %s '%s' (0..%u expected)\n",
			prog, what, s, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Sends @nlh and runs @cb on each reply until the ack or the dump ends;
 * a refusal is printed with the kernel's errno and message. */
static int nl_talk(struct nl *nl, struct nlmsghdr *nlh, nl_msg_cb cb,
		   void *cb_data, const char *what)
{
	char err[256];
	int ret = genl_sock_transact(&nl->sock, nlh, cb, cb_data, err, sizeof(err));

	if (!ret)
		return 0;
	if (nl->sock.ack.msg[0])
		fprintf(stderr, "%s: %s: %s: %s\n", prog, what, strerror(-ret),
			nl->sock.ack.msg);
	else
		fprintf(stderr, "%s: %s: %s\n", prog, what, err);
	return -1;
}

static struct nlmsghdr *genl_start(struct nl *nl, uint16_t family,
				   uint8_t cmd, uint16_t flags)
{
	return genl_msg_start(nl->buf, family, flags, cmd, VSWITCH_GENL_VERSION);
}

static int nl_open(struct nl *nl)
{
	char err[256];

	nl->buf = malloc(MNL_SOCKET_BUFFER_SIZE);
	if (!nl->buf) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -1;
	}
	if (genl_sock_open(&nl->sock, err, sizeof(err)) ||
	    genl_resolve(&nl->sock, VSWITCH_GENL_NAME, &nl->family, NULL, NULL,
			 err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return -1;
	}
	return 0;
}

static int cmd_dp_new(struct nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	uint32_t mf;

	if (argc < 1 || argc > 2)
		return usage(), -1;
	nlh = genl_start(nl, nl->family, VSW_CMD_DP_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, argv[0]);
	if (argc == 2) {
		if (parse_u32(argv[1], "MICROFLOW_SIZE", VSW_MICROFLOW_MAX, &mf))
			return -1;
		mnl_attr_put_u32(nlh, VSW_DP_ATTR_MICROFLOW_SIZE, mf);
	}
	return nl_talk(nl, nlh, NULL, NULL, "DP_NEW");
}

static int cmd_dp_del(struct nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh;

	if (argc != 1)
		return usage(), -1;
	nlh = genl_start(nl, nl->family, VSW_CMD_DP_DEL, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, argv[0]);
	return nl_talk(nl, nlh, NULL, NULL, "DP_DEL");
}

static int cmd_port_add(struct nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	uint32_t port;

	if (argc != 3)
		return usage(), -1;
	if (parse_u32(argv[2], "PORT_NO", VSW_PORT_MAX, &port) || !port)
		return -1;
	nlh = genl_start(nl, nl->family, VSW_CMD_PORT_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, argv[0]);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, argv[1]);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port);
	return nl_talk(nl, nlh, NULL, NULL, "PORT_NEW");
}

static int cmd_flush(struct nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh;

	if (argc != 1)
		return usage(), -1;
	nlh = genl_start(nl, nl->family, VSW_CMD_FLOW_FLUSH, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, argv[0]);
	return nl_talk(nl, nlh, NULL, NULL, "FLOW_FLUSH");
}

struct flow_spec {
	uint32_t in_port, out_port;
	uint32_t src_ip;		/* network order */
	uint32_t src_mask;		/* network order */
	uint16_t sport;			/* host order */
};

/* Puts the KEY (@mask false) or MASK (@mask true) nest of @f. */
static void put_match(struct nlmsghdr *nlh, const struct flow_spec *f,
		      bool mask)
{
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, mask ? VSW_FLOW_ATTR_MASK
					     : VSW_FLOW_ATTR_KEY);
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT,
			 mask ? 0xffffffff : f->in_port);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE,
			 mask ? 0xffff : htons(0x0800));
	mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IPV4_SRC,
			 mask ? f->src_mask : f->src_ip & f->src_mask);
	mnl_attr_put_u8(nlh, VSW_KEY_ATTR_IP_PROTO, mask ? 0xff : 17);
	mnl_attr_put_u16(nlh, VSW_KEY_ATTR_TP_SRC,
			 mask ? 0xffff : htons(f->sport));
	mnl_attr_nest_end(nlh, nest);
}

static int flow_new(struct nl *nl, const char *dp, const struct flow_spec *f)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = genl_start(nl, nl->family, VSW_CMD_FLOW_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, dp);
	put_match(nlh, f, false);
	put_match(nlh, f, true);
	nest = mnl_attr_nest_start(nlh, VSW_FLOW_ATTR_ACTIONS);
	mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, f->out_port);
	mnl_attr_nest_end(nlh, nest);
	return nl_talk(nl, nlh, NULL, NULL, "FLOW_NEW");
}

static int cmd_flows(struct nl *nl, int argc, char **argv)
{
	uint32_t n_flows, n_masks, base, i;
	struct flow_spec f;
	struct in_addr src;

	if (argc != 7)
		return usage(), -1;
	if (parse_u32(argv[1], "IN_PORT", VSW_PORT_MAX, &f.in_port) ||
	    parse_u32(argv[2], "OUT_PORT", VSW_PORT_MAX, &f.out_port) ||
	    parse_u32(argv[3], "N_FLOWS", 65535, &n_flows) ||
	    parse_u32(argv[4], "N_MASKS", 128, &n_masks) ||
	    parse_u32(argv[6], "SPORT_BASE", 65535, &base))
		return -1;
	if (!n_masks || n_masks > n_flows || base + n_flows > 65536) {
		fprintf(stderr, "%s: need 1 <= N_MASKS <= N_FLOWS and "
			"SPORT_BASE + N_FLOWS <= 65536\n", prog);
		return -1;
	}
	if (inet_pton(AF_INET, argv[5], &src) != 1) {
		fprintf(stderr, "%s: invalid SRC_IP '%s'\n", prog, argv[5]);
		return -1;
	}
	f.src_ip = src.s_addr;
	for (i = 0; i < n_flows; i++) {
		f.src_mask = htonl(0xffffff00 | (255 - i % n_masks));
		f.sport = base + i;
		if (flow_new(nl, argv[0], &f) < 0)
			return -1;
	}
	return 0;
}

static const char *const stat_names[VSW_DP_STATS_ATTR_MAX + 1] = {
	[VSW_DP_STATS_ATTR_MICROFLOW_HIT] = "microflow_hit",
	[VSW_DP_STATS_ATTR_MEGAFLOW_HIT] = "megaflow_hit",
	[VSW_DP_STATS_ATTR_MISSED] = "missed",
	[VSW_DP_STATS_ATTR_LOST] = "lost",
	[VSW_DP_STATS_ATTR_MASKS_PROBED] = "masks_probed",
	[VSW_DP_STATS_ATTR_FLOWS] = "flows",
	[VSW_DP_STATS_ATTR_MASKS] = "masks",
};

static int stats_attr_cb(const struct nlattr *a, void *data)
{
	unsigned int type = mnl_attr_get_type(a);
	int *printed = data;

	if (type > VSW_DP_STATS_ATTR_MAX || !stat_names[type])
		return MNL_CB_OK;	/* newer counter or padding: skip */
	if (mnl_attr_get_payload_len(a) == 8)
		printf("%s%s=%" PRIu64, *printed ? " " : "", stat_names[type],
		       mnl_attr_get_u64(a));
	else if (mnl_attr_get_payload_len(a) == 4)
		printf("%s%s=%u", *printed ? " " : "", stat_names[type],
		       mnl_attr_get_u32(a));
	else
		return MNL_CB_OK;
	*printed = 1;
	return MNL_CB_OK;
}

static int dp_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) != VSW_DP_ATTR_STATS)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
		return MNL_CB_ERROR;
	return mnl_attr_parse_nested(a, stats_attr_cb, data) < 0 ?
	       MNL_CB_ERROR : MNL_CB_OK;
}

static int dp_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dp_attr_cb,
			      data) < 0 ? -EPROTO : 0;
}

static int cmd_stats(struct nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int printed = 0;

	if (argc != 1)
		return usage(), -1;
	nlh = genl_start(nl, nl->family, VSW_CMD_DP_GET, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, argv[0]);
	if (nl_talk(nl, nlh, dp_cb, &printed, "DP_GET") < 0)
		return -1;
	if (!printed) {
		fprintf(stderr, "%s: DP_GET reply carried no STATS\n", prog);
		return -1;
	}
	printf("\n");
	return 0;
}

static const char *const port_stat_names[VSW_PORT_STATS_ATTR_MAX + 1] = {
	[VSW_PORT_STATS_ATTR_RX_PACKETS] = "rx_packets",
	[VSW_PORT_STATS_ATTR_TX_PACKETS] = "tx_packets",
	[VSW_PORT_STATS_ATTR_TX_DROPPED] = "tx_dropped",
	[VSW_PORT_STATS_ATTR_UPCALL_SENT] = "upcall_sent",
	[VSW_PORT_STATS_ATTR_UPCALL_LIMITED] = "upcall_limited",
	[VSW_PORT_STATS_ATTR_UPCALL_LOST] = "upcall_lost",
};

static int port_stats_attr_cb(const struct nlattr *a, void *data)
{
	unsigned int type = mnl_attr_get_type(a);

	(void)data;
	if (type > VSW_PORT_STATS_ATTR_MAX || !port_stat_names[type] ||
	    mnl_attr_get_payload_len(a) != 8)
		return MNL_CB_OK;
	printf(" %s=%" PRIu64, port_stat_names[type], mnl_attr_get_u64(a));
	return MNL_CB_OK;
}

static int port_attr_cb(const struct nlattr *a, void *data)
{
	switch (mnl_attr_get_type(a)) {
	case VSW_PORT_ATTR_PORT_NO:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		printf("port=%u", mnl_attr_get_u32(a));
		break;
	case VSW_PORT_ATTR_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		printf(" ifname=%s", mnl_attr_get_str(a));
		break;
	case VSW_PORT_ATTR_STATS:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
			return MNL_CB_ERROR;
		return mnl_attr_parse_nested(a, port_stats_attr_cb, data) < 0 ?
		       MNL_CB_ERROR : MNL_CB_OK;
	}
	return MNL_CB_OK;
}

/* One line per port: "port=N ifname=X counter=V ..." (PORT_NO first in
 * the attribute order is not guaranteed; the line holds all of them). */
static int port_cb(const struct nlmsghdr *nlh, void *data)
{
	int ret = mnl_attr_parse(nlh, sizeof(struct genlmsghdr), port_attr_cb,
				 data);

	printf("\n");
	return ret < 0 ? -EPROTO : 0;
}

static int cmd_ports(struct nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh;

	if (argc != 1)
		return usage(), -1;
	nlh = genl_start(nl, nl->family, VSW_CMD_PORT_GET, NLM_F_DUMP);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, argv[0]);
	return nl_talk(nl, nlh, port_cb, NULL, "PORT_GET dump");
}

static const struct {
	const char *name;
	int (*fn)(struct nl *nl, int argc, char **argv);
} cmds[] = {
	{ "dp-new", cmd_dp_new },
	{ "dp-del", cmd_dp_del },
	{ "port-add", cmd_port_add },
	{ "flows", cmd_flows },
	{ "flush", cmd_flush },
	{ "stats", cmd_stats },
	{ "ports", cmd_ports },
};

int main(int argc, char **argv)
{
	struct nl nl = { 0 };
	size_t i;

	if (argc < 2) {
		usage();
		return 1;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		if (nl_open(&nl) < 0)
			return 1;
		return cmds[i].fn(&nl, argc - 2, argv + 2) < 0 ? 1 : 0;
	}
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
	usage();
	return 1;
}
