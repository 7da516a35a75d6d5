/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-test helper for the "vswitch" generic netlink family, on the
 * project's netlink client (userspace/lib/nl-sock.h, in libvsw.a): open a
 * socket with extended acks, resolve the family, build requests (well-
 * formed or deliberately not), run them and keep the kernel's errno,
 * message, attribute offset and missing attribute type for the asserts.
 *
 * Header-only (static inline) because each guest test is built from one
 * source file.
 */
#ifndef _VSW_TEST_NL_H
#define _VSW_TEST_NL_H

#include <errno.h>
#include <poll.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vswitch.h>

#include "nl-sock.h"

/* The harness compares with the expected value's type; tests compare
 * u32/u64 counters against literals. */
#pragma GCC diagnostic ignored "-Wsign-compare"

#define VSW_NL_BUFSZ (1 << 16)

struct vsw_nl {
	struct genl_sock sock;
	uint16_t family;
	uint32_t notify_grp;
	char buf[VSW_NL_BUFSZ];		/* requests are built here */
	/* last request: errno, extack message, offset of the bad attribute
	 * from the start of the request (0 = none), missing attribute type
	 * (copied from sock.ack) */
	int err;
	char msg[256];
	uint32_t off;
	int miss_type;
};

/* Called for each reply message (not errors/DONE); return MNL_CB_OK. */
typedef int (*vsw_nl_cb)(const struct nlmsghdr *nlh, void *data);

/* Starts a request of @cmd; add attributes with mnl_attr_put_*(). */
static inline struct nlmsghdr *vsw_nl_req(struct vsw_nl *h, uint8_t cmd,
					  uint16_t flags)
{
	return genl_msg_start(h->buf, h->family, NLM_F_ACK | flags, cmd,
			      VSWITCH_GENL_VERSION);
}

/* Sends @nlh as built and collects replies; returns 0 or -errno
 * (h->msg/off/miss_type). */
static inline int vsw_nl_talk(struct vsw_nl *h, struct nlmsghdr *nlh,
			      vsw_nl_cb cb, void *data)
{
	char err[256];
	const struct nl_ack *ack = &h->sock.ack;

	h->err = genl_sock_transact(&h->sock, nlh, cb, data, err, sizeof(err));
	snprintf(h->msg, sizeof(h->msg), "%s", ack->msg);
	h->off = ack->off;
	h->miss_type = ack->miss_type;
	return h->err;
}

/* Resolves @family's id on @h's socket; 0 when it is not registered. */
static inline uint16_t vsw_nl_family_id(struct vsw_nl *h, const char *family)
{
	char err[256];
	uint16_t id = 0;

	if (genl_resolve(&h->sock, family, &id, NULL, NULL, err, sizeof(err)))
		return 0;
	return id;
}

static inline int vsw_nl_open(struct vsw_nl *h)
{
	char err[256];
	int ret;

	memset(h, 0, sizeof(*h));
	ret = genl_sock_open(&h->sock, err, sizeof(err));
	if (ret)
		return ret;
	ret = genl_resolve(&h->sock, VSWITCH_GENL_NAME, &h->family,
			   VSWITCH_MCGRP_NOTIFY, &h->notify_grp, err, sizeof(err));
	if (ret)
		genl_sock_close(&h->sock);
	return ret;
}

static inline void vsw_nl_close(struct vsw_nl *h)
{
	genl_sock_close(&h->sock);
}

static inline int vsw_nl_fd(struct vsw_nl *h)
{
	return genl_sock_fd(&h->sock);
}

static inline uint32_t vsw_nl_portid(struct vsw_nl *h)
{
	return h->sock.portid;
}

static inline int vsw_nl_join_notify(struct vsw_nl *h)
{
	char err[256];

	return genl_sock_join(&h->sock, h->notify_grp, err, sizeof(err));
}

/* Receives messages on @up (an upcall socket), passing each to @cb with
 * @data, until *@got is non-zero (@cb counts the messages it wanted) or
 * nothing arrives within @ms. Returns *@got, -1 when a receive fails. */
static inline int vsw_nl_recv_until(struct vsw_nl *up, vsw_nl_cb cb,
				    void *data, const int *got, int ms)
{
	struct pollfd p = { .fd = vsw_nl_fd(up), .events = POLLIN };
	int n;

	while (!*got && poll(&p, 1, ms) == 1) {
		n = mnl_socket_recvfrom(up->sock.nl, up->buf, sizeof(up->buf));
		if (n <= 0)
			return -1;
		mnl_cb_run(up->buf, n, 0, 0, cb, data);
	}
	return *got;
}

/* Parses the attributes of a reply into tb[0..max]. */
struct vsw_nl_tb {
	const struct nlattr **tb;
	int max;
};

static inline int vsw_nl_tb_cb(const struct nlattr *a, void *data)
{
	struct vsw_nl_tb *t = data;

	if (mnl_attr_get_type(a) <= t->max)
		t->tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static inline void vsw_nl_parse(const struct nlmsghdr *nlh,
				const struct nlattr **tb, int max)
{
	struct vsw_nl_tb t = { tb, max };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), vsw_nl_tb_cb, &t);
}

static inline void vsw_nl_parse_nested(const struct nlattr *nest,
				       const struct nlattr **tb, int max)
{
	struct vsw_nl_tb t = { tb, max };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	mnl_attr_parse_nested(nest, vsw_nl_tb_cb, &t);
}

static inline uint8_t vsw_nl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	return g->cmd;
}

/* --- convenience wrappers used by most tests ----------------------------- */

static inline int vsw_dp_add(struct vsw_nl *h, const char *name)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_DP_NEW, 0);

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, name);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static inline int vsw_dp_del(struct vsw_nl *h, const char *name)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_DP_DEL, 0);

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, name);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

/* Sends datapath @dp's upcalls to netlink port @pid (one socket). */
static inline int vsw_dp_set_pid(struct vsw_nl *h, const char *dp, uint32_t pid)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_DP_SET, 0);

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, dp);
	mnl_attr_put(nlh, VSW_DP_ATTR_UPCALL_PIDS, sizeof(pid), &pid);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

static inline int vsw_port_no_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_PORT_ATTR_MAX + 1];

	vsw_nl_parse(nlh, tb, VSW_PORT_ATTR_MAX);
	if (tb[VSW_PORT_ATTR_PORT_NO])
		*(uint32_t *)data = mnl_attr_get_u32(tb[VSW_PORT_ATTR_PORT_NO]);
	return MNL_CB_OK;
}

/* Attaches @ifname (port number @port_no, 0 = lowest free); returns the
 * port number or -errno. */
static inline int vsw_port_add(struct vsw_nl *h, const char *dp,
			       const char *ifname, uint32_t port_no)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_NEW, 0);
	uint32_t got = 0;
	int ret;

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, dp);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, ifname);
	if (port_no)
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	ret = vsw_nl_talk(h, nlh, vsw_port_no_cb, &got);
	return ret ? ret : (int)got;
}

/* PACKET_EXECUTE: @len bytes at @pkt into datapath @dp as if received
 * on @in_port, with the one action OUTPUT @out_port. */
static inline int vsw_packet_out(struct vsw_nl *h, const char *dp,
				 uint32_t in_port, const void *pkt, size_t len,
				 uint32_t out_port)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PACKET_EXECUTE, 0);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VSW_PACKET_ATTR_DP_NAME, dp);
	mnl_attr_put_u32(nlh, VSW_PACKET_ATTR_IN_PORT, in_port);
	mnl_attr_put(nlh, VSW_PACKET_ATTR_PACKET, len, pkt);
	n = mnl_attr_nest_start(nlh, VSW_PACKET_ATTR_ACTIONS);
	mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, out_port);
	mnl_attr_nest_end(nlh, n);
	return vsw_nl_talk(h, nlh, NULL, NULL);
}

struct vsw_stats_req {
	int nest;			/* VSW_DP_ATTR_STATS or VSW_PORT_ATTR_STATS */
	uint64_t v[32];			/* indexed by the stats attribute */
	int found;
};

static inline int vsw_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct vsw_stats_req *r = data;
	const struct nlattr *tb[32], *st[32];
	int i;

	vsw_nl_parse(nlh, tb, 31);
	if (!tb[r->nest])
		return MNL_CB_OK;
	vsw_nl_parse_nested(tb[r->nest], st, 31);
	for (i = 1; i < 32; i++) {
		if (!st[i])
			continue;
		r->v[i] = mnl_attr_get_payload_len(st[i]) == 8 ?
			  mnl_attr_get_u64(st[i]) : mnl_attr_get_u32(st[i]);
	}
	r->found = 1;
	return MNL_CB_OK;
}

/* Datapath counters, indexed by VSW_DP_STATS_ATTR_*. */
static inline int vsw_dp_stats(struct vsw_nl *h, const char *dp,
			       struct vsw_stats_req *r)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_DP_GET, 0);

	memset(r, 0, sizeof(*r));
	r->nest = VSW_DP_ATTR_STATS;
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, dp);
	return vsw_nl_talk(h, nlh, vsw_stats_cb, r);
}

/* Port counters, indexed by VSW_PORT_STATS_ATTR_*. */
static inline int vsw_port_stats(struct vsw_nl *h, const char *dp,
				 uint32_t port_no, struct vsw_stats_req *r)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_PORT_GET, 0);

	memset(r, 0, sizeof(*r));
	r->nest = VSW_PORT_ATTR_STATS;
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, dp);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	return vsw_nl_talk(h, nlh, vsw_stats_cb, r);
}

/* Runs a shell command, returns its exit status (tests set up veths and
 * namespaces with iproute2). */
static inline int vsw_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ret = system(cmd);
	return ret < 0 ? ret : WEXITSTATUS(ret);
}

/* @ifname's promiscuity count as the kernel keeps it (not visible in the
 * sysfs of another netns nor in SIOCGIFFLAGS), or -1. */
static inline int vsw_promiscuity(const char *ifname)
{
	char cmd[128], line[256];
	int n = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ip -d link show %s", ifname);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		char *s = strstr(line, "promiscuity ");

		if (s)
			n = atoi(s + strlen("promiscuity "));
	}
	pclose(p);
	return n;
}

#endif /* _VSW_TEST_NL_H */
