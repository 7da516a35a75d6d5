// SPDX-License-Identifier: GPL-2.0
/*
 * Batches of datapath requests (dpif.h): many requests in one sendmsg(),
 * one final ack, the replies of those that have one read as they come.
 */
#include "dpif.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "dpif-private.h"
#include "nl-sock.h"
#include "odp-key.h"

int dpif_batch_init(struct dpif_batch *b)
{
	memset(b, 0, sizeof(*b));
	b->cap = DPIF_BATCH_BUF;
	b->buf = malloc(b->cap);
	return b->buf ? 0 : -ENOMEM;
}

void dpif_batch_uninit(struct dpif_batch *b)
{
	free(b->buf);
	free(b->reply);
	b->buf = NULL;
	b->reply = NULL;
}

/* Room for one more message of at most @need bytes, or NULL. The family
 * (nlmsg_type), sequence numbers and the final NLM_F_ACK are filled in at
 * commit. */
static struct nlmsghdr *batch_msg(struct dpif_batch *b, size_t need,
				  uint8_t cmd, uint16_t flags)
{
	if (b->n == DPIF_BATCH_MAX || b->len + need > b->cap)
		return NULL;
	return genl_msg_start(b->buf + b->len, 0, flags, cmd,
			      VSWITCH_GENL_VERSION);
}

static int batch_done(struct dpif_batch *b, struct nlmsghdr *nlh)
{
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	b->result[b->n] = 0;
	b->msg[b->n][0] = '\0';
	return b->n++;
}

int dpif_batch_flow_put(struct dpif_batch *b, const char *dp,
			const struct match *match,
			const struct odp_actions *acts, const uint8_t *ufid,
			const void *packet, size_t len, uint16_t mru)
{
	size_t need = DPIF_MSG_LEN + (packet ? MNL_ALIGN(len) + MNL_ATTR_HDRLEN : 0);
	struct nlmsghdr *nlh = batch_msg(b, need, VSW_CMD_FLOW_NEW, 0);

	if (!nlh)
		return -E2BIG;
	dpif_put_flow_new(nlh, DPIF_MSG_LEN, dp, match, acts, ufid);
	if (packet)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_PACKET, len, packet);
	if (packet && mru)
		mnl_attr_put_u16(nlh, VSW_FLOW_ATTR_MRU, mru);
	return batch_done(b, nlh);
}

int dpif_batch_flow_set(struct dpif_batch *b, const char *dp,
			const struct match *match,
			const struct odp_actions *acts, const uint8_t *ufid)
{
	struct nlmsghdr *nlh = batch_msg(b, DPIF_MSG_LEN, VSW_CMD_FLOW_NEW,
					 NLM_F_ECHO);

	if (!nlh)
		return -E2BIG;
	dpif_put_flow_new(nlh, DPIF_MSG_LEN, dp, match, acts, ufid);
	mnl_attr_put(nlh, VSW_FLOW_ATTR_REPLACE, 0, NULL);
	return batch_done(b, nlh);
}

static int batch_flow_id(struct dpif_batch *b, uint8_t cmd, const char *dp,
			 const struct match *match, const uint8_t *ufid)
{
	struct nlmsghdr *nlh = batch_msg(b, DPIF_MSG_LEN, cmd, 0);

	if (!nlh)
		return -E2BIG;
	dpif_put_flow_id(nlh, dp, match, ufid);
	return batch_done(b, nlh);
}

int dpif_batch_flow_del(struct dpif_batch *b, const char *dp,
			const struct match *match, const uint8_t *ufid)
{
	return batch_flow_id(b, VSW_CMD_FLOW_DEL, dp, match, ufid);
}

int dpif_batch_flow_get(struct dpif_batch *b, const char *dp,
			const struct match *match, const uint8_t *ufid)
{
	return batch_flow_id(b, VSW_CMD_FLOW_GET, dp, match, ufid);
}

static int put_execute(struct nlmsghdr *nlh, size_t buflen, const char *dp,
		       uint32_t in_port, const void *packet, size_t len,
		       const struct odp_actions *acts, uint16_t mru)
{
	if (nlh->nlmsg_len + len + 256 + (size_t)acts->n * 24 > buflen)
		return -E2BIG;
	mnl_attr_put_strz(nlh, VSW_PACKET_ATTR_DP_NAME, dp);
	mnl_attr_put_u32(nlh, VSW_PACKET_ATTR_IN_PORT, in_port);
	mnl_attr_put(nlh, VSW_PACKET_ATTR_PACKET, len, packet);
	if (mru)
		mnl_attr_put_u16(nlh, VSW_PACKET_ATTR_MRU, mru);
	return odp_actions_put(nlh, buflen, VSW_PACKET_ATTR_ACTIONS, acts);
}

int dpif_batch_execute(struct dpif_batch *b, const char *dp, uint32_t in_port,
		       const void *packet, size_t len,
		       const struct odp_actions *acts, uint16_t mru)
{
	size_t need = len + DPIF_MSG_LEN;
	struct nlmsghdr *nlh = batch_msg(b, need, VSW_CMD_PACKET_EXECUTE, 0);

	if (!nlh)
		return -E2BIG;
	if (put_execute(nlh, need, dp, in_port, packet, len, acts, mru))
		return -E2BIG;
	return batch_done(b, nlh);
}

/* Hands op @i's flow reply to the caller's callback; a reply that does
 * not parse makes the op -EPROTO. */
static void batch_flow_reply(struct dpif_batch *b, uint32_t i,
			     const struct nlmsghdr *nlh)
{
	if (!b->reply_cb)
		return;
	if (!b->reply)
		b->reply = malloc(sizeof(*b->reply));
	if (!b->reply) {
		b->result[i] = -ENOMEM;
		snprintf(b->msg[i], sizeof(b->msg[i]), "out of memory");
		return;
	}
	b->result[i] = dpif_parse_flow(nlh, b->reply, b->msg[i],
				       sizeof(b->msg[i]));
	if (!b->result[i])
		b->reply_cb(i, b->reply, b->aux);
}

/* Records a reply of the batch: an op's flow, or its NLMSG_ERROR; true
 * when it is the final ack. */
static bool batch_reply(struct dpif *d, struct dpif_batch *b, uint32_t base,
			const struct nlmsghdr *nlh, uint32_t *seen)
{
	uint32_t i = nlh->nlmsg_seq - base;

	if (nlh->nlmsg_pid != d->sock.portid || i >= b->n)
		return false;
	if (nlh->nlmsg_type == d->family) {
		batch_flow_reply(b, i, nlh);
		*seen = i + 1;
		return false;
	}
	if (nlh->nlmsg_type != NLMSG_ERROR)
		return false;
	b->result[i] = nl_parse_error(nlh, b->msg[i], sizeof(b->msg[i]));
	*seen = i + 1;
	return i == b->n - 1;
}

/*
 * Only the last request asks for an ACK. The kernel handles the requests
 * of one sendmsg() in order and answers a request without NLM_F_ACK only
 * with its reply, if it has one, or its error, so the final ack means
 * every earlier request is done, and those without an error message
 * succeeded: one ack to wait for per batch instead of one per request.
 * If the socket fails (an overrun lost replies), requests after the last
 * reply seen get its error.
 */
int dpif_batch_commit(struct dpif *dpif, struct dpif_batch *b)
{
	uint32_t base = dpif->sock.seq + 1, seen = 0;
	struct nlmsghdr *nlh = NULL;
	bool done = !b->n;
	unsigned int i;
	size_t off = 0;
	int ret = 0;

	for (i = 0; i < b->n; i++) {
		nlh = (struct nlmsghdr *)(b->buf + off);
		nlh->nlmsg_type = dpif->family;
		nlh->nlmsg_seq = base + i;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	if (nlh)
		nlh->nlmsg_flags |= NLM_F_ACK;
	dpif->sock.seq += b->n;
	if (b->n && mnl_socket_sendto(dpif->sock.nl, b->buf, b->len) < 0)
		ret = -errno;
	while (!ret && !done) {
		ssize_t len = mnl_socket_recvfrom(dpif->sock.nl, dpif->sock.buf,
						  dpif->sock.buflen);
		int rem = len;

		if (len < 0) {
			if (errno != EINTR)
				ret = -errno;
			continue;
		}
		for (nlh = (void *)dpif->sock.buf; mnl_nlmsg_ok(nlh, rem);
		     nlh = mnl_nlmsg_next(nlh, &rem))
			done |= batch_reply(dpif, b, base, nlh, &seen);
	}
	for (i = seen; ret && i < b->n; i++) {
		b->result[i] = ret;
		snprintf(b->msg[i], sizeof(b->msg[i]), "%s", strerror(-ret));
	}
	b->n = 0;
	b->len = 0;
	return ret;
}
