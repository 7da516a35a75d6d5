// SPDX-License-Identifier: GPL-2.0
/*
 * dp-watch: time a burst of flow setups from the datapath's own counters,
 * for vswitch.ko and openvswitch.ko alike (bench/guest/setuprate.sh).
 *
 *   dp-watch vsw|ovs DP EXPECT QUIET_MS TIMEOUT_MS
 *
 * Reads the datapath's counters (missed, lost, flows) once, prints
 * "ready" on stdout (the caller then starts the traffic), and polls them
 * every POLL_US over one netlink socket: one process and one request per
 * poll, so the watcher costs the switch under test far less than a shell
 * loop forking a CLI would, and it costs both switches the same.
 *
 * The burst starts at the first poll that sees the missed counter move
 * (the first upcall) and ends at the first poll that sees the flow count
 * grown by EXPECT (the burst's flows), where dp-watch stops. If that
 * never happens (upcalls lost, flows refused), the burst ends at the last
 * poll that saw the flow count grow, and dp-watch stops when the count
 * has not grown for QUIET_MS after the first miss, or at TIMEOUT_MS.
 * Stray flows of other traffic (ARP, say) therefore never stretch a
 * complete burst. It prints one line:
 *
 *   flows=N seconds=S rate=R missed=M lost=L
 *
 * N is the growth of the flow count, S the burst's length (first miss to
 * last growth, to POLL_US), R = N / S, M and L the growth of the missed
 * and lost counters. Exit status 0, or 1 with a message on stderr.
 *
 * With DPWATCH_TRACE set in the environment, every poll that saw a
 * counter move is also written to stderr as "ms missed flows lost"
 * (ms since the first miss): the shape of the burst.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/openvswitch.h>
#include <linux/vswitch.h>

#include "nl-sock.h"

#define POLL_US 2000

static const char *prog = "dp-watch";

struct counters {
	uint64_t missed, lost, flows;
	int found;
};

struct watch {
	struct genl_sock sock;
	uint16_t family;
	int ovs;
	const char *dp;
	char buf[8192];
};

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int open_watch(struct watch *w)
{
	const char *name = w->ovs ? OVS_DATAPATH_FAMILY : VSWITCH_GENL_NAME;
	char err[256];

	if (genl_sock_open(&w->sock, err, sizeof(err)) ||
	    genl_resolve(&w->sock, name, &w->family, NULL, NULL, err,
			 sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return -1;
	}
	return 0;
}

static int vsw_stat_cb(const struct nlattr *a, void *data)
{
	struct counters *c = data;
	uint64_t v;

	if (mnl_attr_get_payload_len(a) == 8)
		v = mnl_attr_get_u64(a);
	else if (mnl_attr_get_payload_len(a) == 4)
		v = mnl_attr_get_u32(a);
	else
		return MNL_CB_OK;
	switch (mnl_attr_get_type(a)) {
	case VSW_DP_STATS_ATTR_MISSED:
		c->missed = v;
		break;
	case VSW_DP_STATS_ATTR_LOST:
		c->lost = v;
		break;
	case VSW_DP_STATS_ATTR_FLOWS:
		c->flows = v;
		break;
	}
	return MNL_CB_OK;
}

static int dp_attr_cb(const struct nlattr *a, void *data)
{
	struct counters *c = data;

	if (c->found < 0 && mnl_attr_get_type(a) == OVS_DP_ATTR_STATS &&
	    mnl_attr_get_payload_len(a) >= sizeof(struct ovs_dp_stats)) {
		const struct ovs_dp_stats *s = mnl_attr_get_payload(a);

		c->missed = s->n_missed;
		c->lost = s->n_lost;
		c->flows = s->n_flows;
		c->found = 1;
	} else if (c->found >= 0 && mnl_attr_get_type(a) == VSW_DP_ATTR_STATS &&
		   !mnl_attr_validate(a, MNL_TYPE_NESTED)) {
		c->found = 1;
		return mnl_attr_parse_nested(a, vsw_stat_cb, c) < 0 ?
		       MNL_CB_ERROR : MNL_CB_OK;
	}
	return MNL_CB_OK;
}

static int dp_cb(const struct nlmsghdr *nlh, void *data)
{
	size_t hdr = sizeof(struct genlmsghdr);

	if (((struct counters *)data)->found < 0)
		hdr += sizeof(struct ovs_header);
	return mnl_attr_parse(nlh, hdr, dp_attr_cb, data) < 0 ? -EPROTO : 0;
}

static int read_counters(struct watch *w, struct counters *c)
{
	struct nlmsghdr *nlh;
	char err[256];
	int ret;

	memset(c, 0, sizeof(*c));
	if (w->ovs) {
		struct ovs_header *oh;

		nlh = genl_msg_start(w->buf, w->family, 0, OVS_DP_CMD_GET,
				     OVS_DATAPATH_VERSION);
		oh = mnl_nlmsg_put_extra_header(nlh, sizeof(*oh));
		oh->dp_ifindex = 0;
		mnl_attr_put_strz(nlh, OVS_DP_ATTR_NAME, w->dp);
		c->found = -1;	/* tells the callbacks which family */
	} else {
		nlh = genl_msg_start(w->buf, w->family, 0, VSW_CMD_DP_GET,
				     VSWITCH_GENL_VERSION);
		mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, w->dp);
	}
	ret = genl_sock_transact(&w->sock, nlh, dp_cb, c, err, sizeof(err));
	if (ret || c->found != 1) {
		fprintf(stderr, "%s: reading datapath %s: %s\n", prog, w->dp,
			ret ? err : "no stats in the reply");
		return -1;
	}
	return 0;
}

static int parse_pos(const char *s, const char *what, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || end == s || *end || *out <= 0) {
		fprintf(stderr, "%s: invalid %s '%s' (an integer > 0)\n",
			prog, what, s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct watch w;
	struct counters c0, c;
	long long expect, quiet, timeout, t0, t, first = 0, last = 0;
	uint64_t flows, prev_missed = 0, prev_flows = 0;
	int trace = getenv("DPWATCH_TRACE") != NULL;

	if (argc != 6 || (strcmp(argv[1], "vsw") && strcmp(argv[1], "ovs"))) {
		fprintf(stderr, "usage: %s vsw|ovs DP EXPECT QUIET_MS TIMEOUT_MS\n",
			prog);
		return 1;
	}
	w.ovs = !strcmp(argv[1], "ovs");
	w.dp = argv[2];
	if (parse_pos(argv[3], "EXPECT (flows)", &expect) ||
	    parse_pos(argv[4], "QUIET_MS", &quiet) ||
	    parse_pos(argv[5], "TIMEOUT_MS", &timeout) || open_watch(&w) ||
	    read_counters(&w, &c0))
		return 1;
	printf("ready\n");
	fflush(stdout);
	flows = c0.flows;
	t0 = now_us();
	for (;;) {
		usleep(POLL_US);
		if (read_counters(&w, &c))
			return 1;
		t = now_us();
		if (!first && c.missed != c0.missed)
			first = last = t;
		if (c.flows > flows) {
			flows = c.flows;
			last = t;
		}
		if (trace && first &&
		    (c.flows != prev_flows || c.missed != prev_missed))
			fprintf(stderr, "%lld %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
				(t - first) / 1000, c.missed - c0.missed,
				c.flows - c0.flows, c.lost - c0.lost);
		prev_missed = c.missed;
		prev_flows = c.flows;
		if (first && flows - c0.flows >= (uint64_t)expect)
			break;
		if (first && t - last >= quiet * 1000)
			break;
		if (t - t0 >= timeout * 1000)
			break;
	}
	t = last - first;
	printf("flows=%" PRIu64 " seconds=%.4f rate=%.0f missed=%" PRIu64
	       " lost=%" PRIu64 "\n", flows - c0.flows, t / 1e6,
	       t > 0 ? (flows - c0.flows) / (t / 1e6) : 0.0,
	       c.missed - c0.missed, c.lost - c0.lost);
	return 0;
}
