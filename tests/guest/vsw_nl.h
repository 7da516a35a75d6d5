/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-test helper for the "vswitch" generic netlink family: open a
 * socket with extended acks, resolve the family, build requests, run
 * them and collect the kernel's error message and attribute offset.
 *
 * Header-only (static inline) because each guest test is built from one
 * source file.
 */
#ifndef _VSW_TEST_NL_H
#define _VSW_TEST_NL_H

#include <errno.h>
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

/* The harness compares with the expected value's type; tests compare
 * u32/u64 counters against literals. */
#pragma GCC diagnostic ignored "-Wsign-compare"

#define VSW_NL_BUFSZ (1 << 16)

struct vsw_nl {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t notify_grp;
	uint32_t seq;
	char buf[VSW_NL_BUFSZ];
	/* last error: errno, extack message, offset of the bad attribute
	 * from the start of the request (0 = none), missing attribute type */
	int err;
	char msg[256];
	uint32_t off;
	int miss_type;
};

/* Called for each reply message (not errors/DONE); return MNL_CB_OK. */
typedef int (*vsw_nl_cb)(const struct nlmsghdr *nlh, void *data);

static inline int vsw_nl_ctrl_cb(const struct nlattr *attr, void *data)
{
	struct vsw_nl *h = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
		h->family = mnl_attr_get_u16(attr);
	if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GROUPS) {
		const struct nlattr *grp, *a;

		mnl_attr_for_each_nested(grp, attr) {
			uint32_t id = 0;
			const char *name = NULL;

			mnl_attr_for_each_nested(a, grp) {
				if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
					id = mnl_attr_get_u32(a);
				if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
					name = mnl_attr_get_str(a);
			}
			if (name && !strcmp(name, VSWITCH_MCGRP_NOTIFY))
				h->notify_grp = id;
		}
	}
	return MNL_CB_OK;
}

static inline int vsw_nl_ctrl_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), vsw_nl_ctrl_cb,
			      data);
}

static inline void vsw_nl_parse_extack(struct vsw_nl *h,
				       const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int hlen = sizeof(*e);
	const struct nlattr *a;

	h->msg[0] = 0;
	h->off = 0;
	h->miss_type = 0;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	mnl_attr_for_each(a, nlh, hlen) {
		switch (mnl_attr_get_type(a)) {
		case NLMSGERR_ATTR_MSG:
			snprintf(h->msg, sizeof(h->msg), "%s", mnl_attr_get_str(a));
			break;
		case NLMSGERR_ATTR_OFFS:
			h->off = mnl_attr_get_u32(a);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			h->miss_type = mnl_attr_get_u32(a);
			break;
		}
	}
}

/* A dump's end: its payload is the dump's errno, then extack TLVs. */
static inline int vsw_nl_done(struct vsw_nl *h, const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	int err = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(int));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		mnl_attr_for_each(a, nlh, sizeof(int)) {
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
				snprintf(h->msg, sizeof(h->msg), "%s",
					 mnl_attr_get_str(a));
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_OFFS)
				h->off = mnl_attr_get_u32(a);
		}
	}
	h->err = err;
	return err;
}

/* Receives until the ack/DONE for @seq; returns 0 or -errno. */
static inline int vsw_nl_recv(struct vsw_nl *h, uint32_t seq, vsw_nl_cb cb,
			      void *data)
{
	for (;;) {
		int n = mnl_socket_recvfrom(h->nl, h->buf, sizeof(h->buf));
		const struct nlmsghdr *nlh;

		if (n < 0)
			return -errno;
		for (nlh = (void *)h->buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				vsw_nl_parse_extack(h, nlh);
				h->err = e->error;
				return e->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE)
				return vsw_nl_done(h, nlh);
			if (cb && cb(nlh, data) < 0)
				return -EPROTO;
		}
	}
}

/* Starts a request of @cmd; add attributes with mnl_attr_put_*(). */
static inline struct nlmsghdr *vsw_nl_req(struct vsw_nl *h, uint8_t cmd,
					  uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(h->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = h->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++h->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VSWITCH_GENL_VERSION;
	return nlh;
}

/* Sends @nlh and collects replies; returns 0 or -errno (h->msg/off). */
static inline int vsw_nl_talk(struct vsw_nl *h, struct nlmsghdr *nlh,
			      vsw_nl_cb cb, void *data)
{
	uint32_t seq = nlh->nlmsg_seq;

	h->msg[0] = 0;
	h->off = 0;
	h->miss_type = 0;
	if (mnl_socket_sendto(h->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return vsw_nl_recv(h, seq, cb, data);
}

static inline int vsw_nl_open(struct vsw_nl *h)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int one = 1;

	memset(h, 0, sizeof(*h));
	h->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!h->nl)
		return -errno;
	if (mnl_socket_bind(h->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	mnl_socket_setsockopt(h->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(h->nl, NETLINK_CAP_ACK, &one, sizeof(one));

	nlh = mnl_nlmsg_put_header(h->buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++h->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VSWITCH_GENL_NAME);
	return vsw_nl_talk(h, nlh, vsw_nl_ctrl_msg_cb, h);
}

static inline void vsw_nl_close(struct vsw_nl *h)
{
	if (h->nl)
		mnl_socket_close(h->nl);
	h->nl = NULL;
}

static inline uint32_t vsw_nl_portid(struct vsw_nl *h)
{
	return mnl_socket_get_portid(h->nl);
}

static inline int vsw_nl_join_notify(struct vsw_nl *h)
{
	int grp = h->notify_grp;

	return mnl_socket_setsockopt(h->nl, NETLINK_ADD_MEMBERSHIP, &grp,
				     sizeof(grp));
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

struct vsw_stats_req {
	int nest;			/* VSW_DP_ATTR_STATS or VSW_PORT_ATTR_STATS */
	uint64_t v[16];			/* indexed by the stats attribute */
	int found;
};

static inline int vsw_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct vsw_stats_req *r = data;
	const struct nlattr *tb[16], *st[16];
	int i;

	vsw_nl_parse(nlh, tb, 15);
	if (!tb[r->nest])
		return MNL_CB_OK;
	vsw_nl_parse_nested(tb[r->nest], st, 15);
	for (i = 1; i < 16; i++) {
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

#endif /* _VSW_TEST_NL_H */
