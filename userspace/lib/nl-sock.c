// SPDX-License-Identifier: GPL-2.0
#include "nl-sock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define NL_RCVBUF_LEN (64 * 1024)

int genl_sock_open(struct genl_sock *s, char *err, size_t errlen)
{
	return nl_sock_open(s, NETLINK_GENERIC, err, errlen);
}

int nl_sock_open(struct genl_sock *s, int bus, char *err, size_t errlen)
{
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->nl = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!s->nl) {
		int e = errno;

		snprintf(err, errlen, "opening netlink socket: %s", strerror(e));
		return -e;
	}
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		snprintf(err, errlen, "binding netlink socket: %s", strerror(e));
		mnl_socket_close(s->nl);
		return -e;
	}
	/* Best effort: old kernels lack them and then give plain errnos. */
	mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	s->portid = mnl_socket_get_portid(s->nl);
	s->seq = (uint32_t)random();
	s->buflen = NL_RCVBUF_LEN;
	s->buf = malloc(s->buflen);
	if (!s->buf) {
		mnl_socket_close(s->nl);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

void genl_sock_close(struct genl_sock *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	free(s->buf);
	s->nl = NULL;
	s->buf = NULL;
}

int genl_sock_fd(const struct genl_sock *s)
{
	return mnl_socket_get_fd(s->nl);
}

int genl_sock_join(struct genl_sock *s, uint32_t grp, char *err, size_t errlen)
{
	int g = grp;

	if (mnl_socket_setsockopt(s->nl, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g))) {
		int e = errno;

		snprintf(err, errlen, "joining netlink group %u: %s", grp,
			 strerror(e));
		return -e;
	}
	return 0;
}

static int ack_attr_cb(const struct nlattr *a, void *data)
{
	struct nl_ack *ack = data;

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG:
		if (!mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			snprintf(ack->msg, sizeof(ack->msg), "%s",
				 mnl_attr_get_str(a));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (!mnl_attr_validate(a, MNL_TYPE_U32))
			ack->off = mnl_attr_get_u32(a);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (!mnl_attr_validate(a, MNL_TYPE_U32))
			ack->miss_type = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

/* The errno of an NLMSG_ERROR or NLMSG_DONE and where its TLVs start
 * (an error echoes the request unless NLM_F_CAPPED); -EPROTO if short. */
static int ack_header(const struct nlmsghdr *nlh, int *error, size_t *tlvs)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == NLMSG_DONE) {
		*tlvs = sizeof(int);
		*error = 0;
		if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(int)))
			memcpy(error, e, sizeof(int));
		return 0;
	}
	*tlvs = sizeof(*e);
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EPROTO;
	*error = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= sizeof(struct nlmsghdr))
		*tlvs += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(struct nlmsghdr);
	return 0;
}

int nl_parse_ack(const struct nlmsghdr *nlh, struct nl_ack *ack)
{
	size_t tlvs;

	memset(ack, 0, sizeof(*ack));
	if (ack_header(nlh, &ack->error, &tlvs)) {
		ack->error = -EPROTO;
		return -EPROTO;
	}
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS &&
	    mnl_nlmsg_size(tlvs) <= nlh->nlmsg_len)
		mnl_attr_parse(nlh, tlvs, ack_attr_cb, ack);
	return ack->error;
}

static void ack_describe(const struct nl_ack *ack, char *err, size_t errlen)
{
	if (ack->msg[0])
		snprintf(err, errlen, "%s", ack->msg);
	else
		snprintf(err, errlen, "%s", strerror(-ack->error));
}

int nl_parse_error(const struct nlmsghdr *nlh, char *err, size_t errlen)
{
	struct nl_ack ack;
	int e = nl_parse_ack(nlh, &ack);

	if (e)
		ack_describe(&ack, err, errlen);
	return e;
}

/* One datagram's messages; 1 = transaction finished, 0 = keep reading. */
static int handle_batch(struct genl_sock *s, ssize_t len, uint32_t seq,
			nl_msg_cb cb, void *aux, int *result, char *err,
			size_t errlen)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)s->buf;
	int rem = len;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != s->portid)
			continue;	/* stale reply of an earlier request */
		if (nlh->nlmsg_type == NLMSG_ERROR ||
		    nlh->nlmsg_type == NLMSG_DONE) {
			int e = nl_parse_ack(nlh, &s->ack);

			if (e && !*result) {
				*result = e;
				ack_describe(&s->ack, err, errlen);
			}
			return 1;
		}
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR && !*result) {
			*result = -EINTR;
			snprintf(err, errlen, "dump interrupted by a change");
		}
		if (cb && !*result) {
			int e = cb(nlh, aux);

			if (e < 0 && errlen && !err[0])
				snprintf(err, errlen, "bad reply: %s",
					 strerror(-e));
			if (e < 0)
				*result = e;
		}
	}
	return 0;
}

int genl_sock_transact(struct genl_sock *s, struct nlmsghdr *nlh, nl_msg_cb cb,
		     void *aux, char *err, size_t errlen)
{
	/* a dump ends with NLMSG_DONE; anything else with its ack */
	int dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	int result = 0;
	uint32_t seq = ++s->seq;

	memset(&s->ack, 0, sizeof(s->ack));
	if (errlen)
		err[0] = '\0';
	nlh->nlmsg_seq = seq;
	if (!dump)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0) {
		int e = errno;

		snprintf(err, errlen, "netlink send: %s", strerror(e));
		return -e;
	}
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(s->nl, s->buf, s->buflen);

		if (len < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			snprintf(err, errlen, "netlink receive: %s", strerror(e));
			return -e;
		}
		if (handle_batch(s, len, seq, cb, aux, &result, err, errlen))
			return result;
	}
}

struct nlmsghdr *genl_msg_start(void *buf, uint16_t family, uint16_t flags,
				uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

struct family_reply {
	uint16_t id;
	const char *grp;
	uint32_t grp_id;
};

static void parse_groups(const struct nlattr *nest, struct family_reply *fr)
{
	const struct nlattr *g, *a;

	mnl_attr_for_each_nested(g, nest) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, g) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
			    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
				 !mnl_attr_validate(a, MNL_TYPE_U32))
				id = mnl_attr_get_u32(a);
		}
		if (name && fr->grp && !strcmp(name, fr->grp))
			fr->grp_id = id;
	}
}

static int family_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct family_reply *fr = aux;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (!mnl_attr_validate(a, MNL_TYPE_U16))
				fr->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			parse_groups(a, fr);
			break;
		}
	}
	return 0;
}

int genl_resolve(struct genl_sock *s, const char *family, uint16_t *id,
		 const char *grp, uint32_t *grp_id, char *err, size_t errlen)
{
	char buf[4096];
	struct family_reply fr = { 0, grp, 0 };
	struct nlmsghdr *nlh;
	int ret;

	nlh = genl_msg_start(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	ret = genl_sock_transact(s, nlh, family_cb, &fr, err, errlen);
	if (ret == -ENOENT || (!ret && !fr.id)) {
		snprintf(err, errlen, "generic netlink family '%s' not found "
			 "(is the module loaded?)", family);
		return -ENOENT;
	}
	if (ret)
		return ret;
	*id = fr.id;
	if (grp_id)
		*grp_id = fr.grp_id;
	return 0;
}
