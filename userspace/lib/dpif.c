// SPDX-License-Identifier: GPL-2.0
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

int dpif_open(struct dpif **dpifp, char *err, size_t errlen)
{
	struct dpif *d = calloc(1, sizeof(*d));
	int ret;

	if (!d) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = genl_sock_open(&d->sock, err, errlen);
	if (ret)
		goto err_free_dpif;
	ret = genl_resolve(&d->sock, VSWITCH_GENL_NAME, &d->family, NULL, NULL,
			   err, errlen);
	if (ret)
		goto err_close_sock;
	*dpifp = d;
	return 0;

err_close_sock:
	genl_sock_close(&d->sock);
err_free_dpif:
	free(d);
	return ret;
}

void dpif_close(struct dpif *dpif)
{
	if (!dpif)
		return;
	genl_sock_close(&dpif->sock);
	free(dpif);
}

int dpif_fd(const struct dpif *dpif)
{
	return genl_sock_fd(&dpif->sock);
}

uint32_t dpif_portid(const struct dpif *dpif)
{
	return dpif->sock.portid;
}

void dpif_set_rcvbuf(struct dpif *dpif, int bytes)
{
	int fd = dpif_fd(dpif);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

static struct nlmsghdr *msg_start(struct dpif *d, void *buf, uint8_t cmd,
				  uint16_t flags)
{
	return genl_msg_start(buf, d->family, flags, cmd, VSWITCH_GENL_VERSION);
}

/* ---- datapaths ---- */

static void put_dp_config(struct nlmsghdr *nlh, const struct dpif_dp_config *c)
{
	if (!c)
		return;
	if (c->set & DPIF_CFG_MICROFLOW_SIZE)
		mnl_attr_put_u32(nlh, VSW_DP_ATTR_MICROFLOW_SIZE, c->microflow_size);
	if (c->set & DPIF_CFG_FLOW_LIMIT)
		mnl_attr_put_u32(nlh, VSW_DP_ATTR_FLOW_LIMIT, c->flow_limit);
	if (c->set & DPIF_CFG_UPCALL_RATE)
		mnl_attr_put_u32(nlh, VSW_DP_ATTR_UPCALL_RATE, c->upcall_rate);
	if (c->set & DPIF_CFG_UPCALL_BURST)
		mnl_attr_put_u32(nlh, VSW_DP_ATTR_UPCALL_BURST, c->upcall_burst);
}

static uint64_t attr_uint(const struct nlattr *a)
{
	switch (mnl_attr_get_payload_len(a)) {
	case 8: return mnl_attr_get_u64(a);
	case 4: return mnl_attr_get_u32(a);
	case 2: return mnl_attr_get_u16(a);
	case 1: return mnl_attr_get_u8(a);
	}
	return 0;
}

static void parse_dp_stats(const struct nlattr *nest, struct dpif_dp_stats *s)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		uint64_t v = attr_uint(a);

		switch (mnl_attr_get_type(a)) {
		case VSW_DP_STATS_ATTR_MICROFLOW_HIT: s->microflow_hit = v; break;
		case VSW_DP_STATS_ATTR_MEGAFLOW_HIT: s->megaflow_hit = v; break;
		case VSW_DP_STATS_ATTR_MISSED: s->missed = v; break;
		case VSW_DP_STATS_ATTR_LOST: s->lost = v; break;
		case VSW_DP_STATS_ATTR_MASKS_PROBED: s->masks_probed = v; break;
		case VSW_DP_STATS_ATTR_FLOWS: s->flows = v; break;
		case VSW_DP_STATS_ATTR_MASKS: s->masks = v; break;
		case VSW_DP_STATS_ATTR_RECIRC: s->recirc = v; break;
		case VSW_DP_STATS_ATTR_RECIRC_DROPPED: s->recirc_dropped = v; break;
		case VSW_DP_STATS_ATTR_CT: s->ct = v; break;
		case VSW_DP_STATS_ATTR_CT_COMMITTED: s->ct_committed = v; break;
		case VSW_DP_STATS_ATTR_CT_NAT: s->ct_nat = v; break;
		case VSW_DP_STATS_ATTR_CT_INVALID: s->ct_invalid = v; break;
		case VSW_DP_STATS_ATTR_CT_REFUSED: s->ct_refused = v; break;
		case VSW_DP_STATS_ATTR_CT_DROPPED: s->ct_dropped = v; break;
		case VSW_DP_STATS_ATTR_CT_FRAGMENTS: s->ct_fragments = v; break;
		case VSW_DP_STATS_ATTR_CT_REASSEMBLED: s->ct_reassembled = v; break;
		case VSW_DP_STATS_ATTR_CT_REFRAGMENTED: s->ct_refragmented = v; break;
		}
	}
}

static int dp_info_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct dpif_dp_info *info = aux;
	const struct nlattr *a;

	if (!info)
		return 0;
	memset(info, 0, sizeof(*info));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case VSW_DP_ATTR_DP_NAME:
			snprintf(info->name, sizeof(info->name), "%.*s",
				 (int)mnl_attr_get_payload_len(a),
				 (const char *)mnl_attr_get_payload(a));
			break;
		case VSW_DP_ATTR_IFINDEX:
			info->ifindex = attr_uint(a);
			break;
		case VSW_DP_ATTR_UPCALL_PIDS:
			info->n_upcall_pids = mnl_attr_get_payload_len(a) / 4;
			break;
		case VSW_DP_ATTR_MICROFLOW_SIZE:
			info->cfg.microflow_size = attr_uint(a);
			info->cfg.set |= DPIF_CFG_MICROFLOW_SIZE;
			break;
		case VSW_DP_ATTR_FLOW_LIMIT:
			info->cfg.flow_limit = attr_uint(a);
			info->cfg.set |= DPIF_CFG_FLOW_LIMIT;
			break;
		case VSW_DP_ATTR_UPCALL_RATE:
			info->cfg.upcall_rate = attr_uint(a);
			info->cfg.set |= DPIF_CFG_UPCALL_RATE;
			break;
		case VSW_DP_ATTR_UPCALL_BURST:
			info->cfg.upcall_burst = attr_uint(a);
			info->cfg.set |= DPIF_CFG_UPCALL_BURST;
			break;
		case VSW_DP_ATTR_STATS:
			parse_dp_stats(a, &info->stats);
			break;
		}
	}
	return 0;
}

int dpif_dp_new(struct dpif *dpif, const char *name,
		const struct dpif_dp_config *cfg, struct dpif_dp_info *info,
		char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_DP_NEW, 0);

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, name);
	put_dp_config(nlh, cfg);
	return genl_sock_transact(&dpif->sock, nlh, dp_info_cb, info, err, errlen);
}

int dpif_dp_del(struct dpif *dpif, const char *name, char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_DP_DEL, 0);

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, name);
	return genl_sock_transact(&dpif->sock, nlh, NULL, NULL, err, errlen);
}

int dpif_dp_get(struct dpif *dpif, const char *name, struct dpif_dp_info *info,
		char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_DP_GET, 0);

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, name);
	return genl_sock_transact(&dpif->sock, nlh, dp_info_cb, info, err, errlen);
}

int dpif_dp_set(struct dpif *dpif, const char *name,
		const struct dpif_dp_config *cfg, char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_DP_SET, 0);

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, name);
	put_dp_config(nlh, cfg);
	return genl_sock_transact(&dpif->sock, nlh, NULL, NULL, err, errlen);
}

int dpif_dp_set_upcall_pids(struct dpif *dpif, const char *name,
			    const uint32_t *pids, size_t n, char *err,
			    size_t errlen)
{
	char buf[DPIF_MSG_LEN + VSW_MAX_UPCALL_PIDS * 4];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_DP_SET, 0);

	if (n > VSW_MAX_UPCALL_PIDS) {
		snprintf(err, errlen, "%zu upcall sockets, at most %d", n,
			 VSW_MAX_UPCALL_PIDS);
		return -E2BIG;
	}
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, name);
	mnl_attr_put(nlh, VSW_DP_ATTR_UPCALL_PIDS, n * 4, pids);
	return genl_sock_transact(&dpif->sock, nlh, NULL, NULL, err, errlen);
}

/* ---- ports ---- */

static void parse_port_stats(const struct nlattr *nest, struct dpif_port_stats *s)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		uint64_t v = attr_uint(a);

		switch (mnl_attr_get_type(a)) {
		case VSW_PORT_STATS_ATTR_RX_PACKETS: s->rx_packets = v; break;
		case VSW_PORT_STATS_ATTR_RX_BYTES: s->rx_bytes = v; break;
		case VSW_PORT_STATS_ATTR_TX_PACKETS: s->tx_packets = v; break;
		case VSW_PORT_STATS_ATTR_TX_BYTES: s->tx_bytes = v; break;
		case VSW_PORT_STATS_ATTR_TX_DROPPED: s->tx_dropped = v; break;
		case VSW_PORT_STATS_ATTR_UPCALL_SENT: s->upcall_sent = v; break;
		case VSW_PORT_STATS_ATTR_UPCALL_LIMITED: s->upcall_limited = v; break;
		case VSW_PORT_STATS_ATTR_UPCALL_LOST: s->upcall_lost = v; break;
		case VSW_PORT_STATS_ATTR_FLOWS: s->flows = v; break;
		}
	}
}

static void parse_port(const struct nlmsghdr *nlh, struct dpif_port_info *p)
{
	const struct nlattr *a;

	memset(p, 0, sizeof(*p));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case VSW_PORT_ATTR_PORT_NO: p->port_no = attr_uint(a); break;
		case VSW_PORT_ATTR_IFINDEX: p->ifindex = attr_uint(a); break;
		case VSW_PORT_ATTR_TYPE: p->type = attr_uint(a); break;
		case VSW_PORT_ATTR_UPCALL_RATE: p->upcall_rate = attr_uint(a); break;
		case VSW_PORT_ATTR_UPCALL_BURST: p->upcall_burst = attr_uint(a); break;
		case VSW_PORT_ATTR_IFNAME:
			snprintf(p->ifname, sizeof(p->ifname), "%.*s",
				 (int)mnl_attr_get_payload_len(a),
				 (const char *)mnl_attr_get_payload(a));
			break;
		case VSW_PORT_ATTR_PEER:
			snprintf(p->peer, sizeof(p->peer), "%.*s",
				 (int)mnl_attr_get_payload_len(a),
				 (const char *)mnl_attr_get_payload(a));
			break;
		case VSW_PORT_ATTR_STATS:
			parse_port_stats(a, &p->stats);
			break;
		}
	}
}

static int port_info_cb(const struct nlmsghdr *nlh, void *aux)
{
	if (aux)
		parse_port(nlh, aux);
	return 0;
}

int dpif_port_new(struct dpif *dpif, const char *dp, const char *ifname,
		  uint32_t port_no, struct dpif_port_info *info, char *err,
		  size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_PORT_NEW, 0);

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, dp);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, ifname);
	if (port_no)
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	return genl_sock_transact(&dpif->sock, nlh, port_info_cb, info, err, errlen);
}

int dpif_port_new_patch(struct dpif *dpif, const char *dp, const char *name,
			const char *peer, uint32_t port_no,
			struct dpif_port_info *info, char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_PORT_NEW, 0);

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, dp);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_TYPE, VSW_PORT_TYPE_PATCH);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, name);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_PEER, peer);
	if (port_no)
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	return genl_sock_transact(&dpif->sock, nlh, port_info_cb, info, err, errlen);
}

int dpif_port_set_upcall_pid(struct dpif *dpif, const char *dp,
			     uint32_t port_no, uint32_t pid, char *err,
			     size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_PORT_SET, 0);

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, dp);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_UPCALL_PID, pid);
	return genl_sock_transact(&dpif->sock, nlh, NULL, NULL, err, errlen);
}

int dpif_port_del(struct dpif *dpif, const char *dp, uint32_t port_no,
		  char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_PORT_DEL, 0);

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, dp);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_PORT_NO, port_no);
	return genl_sock_transact(&dpif->sock, nlh, NULL, NULL, err, errlen);
}

struct port_dump {
	dpif_port_cb cb;
	void *aux;
};

static int port_dump_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct port_dump *pd = aux;
	struct dpif_port_info p;

	parse_port(nlh, &p);
	return pd->cb(&p, pd->aux);
}

int dpif_port_dump(struct dpif *dpif, const char *dp, dpif_port_cb cb,
		   void *aux, char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_PORT_GET, NLM_F_DUMP);
	struct port_dump pd = { cb, aux };

	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_DP_NAME, dp);
	return genl_sock_transact(&dpif->sock, nlh, port_dump_cb, &pd, err, errlen);
}

/* ---- flows ---- */

void dpif_put_flow_new(struct nlmsghdr *nlh, size_t buflen, const char *dp,
		       const struct match *match,
		       const struct odp_actions *acts, const uint8_t *ufid)
{
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, dp);
	odp_match_put(nlh, VSW_FLOW_ATTR_KEY, VSW_FLOW_ATTR_MASK, match);
	odp_actions_put(nlh, buflen, VSW_FLOW_ATTR_ACTIONS, acts);
	if (ufid)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_UFID, VSW_UFID_LEN, ufid);
}

int dpif_flow_put(struct dpif *dpif, const char *dp, const struct match *match,
		  const struct odp_actions *acts, const uint8_t *ufid,
		  unsigned int flags, char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_FLOW_NEW, 0);

	dpif_put_flow_new(nlh, sizeof(buf), dp, match, acts, ufid);
	if (flags & DPIF_FP_REPLACE)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_REPLACE, 0, NULL);
	if (flags & DPIF_FP_CLEAR)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_CLEAR, 0, NULL);
	return genl_sock_transact(&dpif->sock, nlh, NULL, NULL, err, errlen);
}

void dpif_put_flow_id(struct nlmsghdr *nlh, const char *dp,
		      const struct match *match, const uint8_t *ufid)
{
	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, dp);
	if (ufid)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_UFID, VSW_UFID_LEN, ufid);
	else
		odp_match_put(nlh, VSW_FLOW_ATTR_KEY, VSW_FLOW_ATTR_MASK, match);
}

struct flow_reply {
	struct dpif_flow *flow;
	char *err;
	size_t errlen;
};

static int parse_flow_attr(const struct nlattr *a, struct dpif_flow *f,
			   char *err, size_t errlen)
{
	const struct nlattr *s;

	switch (mnl_attr_get_type(a)) {
	case VSW_FLOW_ATTR_KEY:
		return odp_flow_parse(a, &f->match.flow, err, errlen);
	case VSW_FLOW_ATTR_MASK:
		if (odp_flow_parse(a, &f->match.mask, err, errlen))
			return -1;
		/* the kernel matches it exactly and so never puts it */
		f->match.mask.recirc_id = UINT32_MAX;
		return 0;
	case VSW_FLOW_ATTR_ACTIONS:
		return odp_actions_parse(a, &f->actions, err, errlen);
	case VSW_FLOW_ATTR_UFID:
		if (mnl_attr_get_payload_len(a) == VSW_UFID_LEN) {
			memcpy(f->ufid, mnl_attr_get_payload(a), VSW_UFID_LEN);
			f->has_ufid = true;
		}
		break;
	case VSW_FLOW_ATTR_USED:
		f->used_ms = attr_uint(a);
		break;
	case VSW_FLOW_ATTR_TCP_FLAGS:
		f->tcp_flags = attr_uint(a);
		break;
	case VSW_FLOW_ATTR_STATS:
		mnl_attr_for_each_nested(s, a) {
			if (mnl_attr_get_type(s) == VSW_FLOW_STATS_ATTR_PACKETS)
				f->packets = attr_uint(s);
			else if (mnl_attr_get_type(s) == VSW_FLOW_STATS_ATTR_BYTES)
				f->bytes = attr_uint(s);
		}
		break;
	}
	return 0;
}

int dpif_parse_flow(const struct nlmsghdr *nlh, struct dpif_flow *f,
		    char *err, size_t errlen)
{
	const struct nlattr *a;
	bool body = false, has_mask = false;

	/* Only the counters are cleared up front: a terse reply (the
	 * revalidator's, every flow twice a second) fills nothing else, and
	 * match and actions are most of the structure. */
	memset(f->ufid, 0, sizeof(*f) - offsetof(struct dpif_flow, ufid));
	f->used_ms = -1;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		unsigned int type = mnl_attr_get_type(a);

		if (!body && (type == VSW_FLOW_ATTR_KEY ||
			      type == VSW_FLOW_ATTR_MASK ||
			      type == VSW_FLOW_ATTR_ACTIONS)) {
			memset(f, 0, offsetof(struct dpif_flow, ufid));
			body = true;
		}
		if (parse_flow_attr(a, f, err, errlen))
			return -EPROTO;
		has_mask |= type == VSW_FLOW_ATTR_MASK;
	}
	if (!body && f->has_ufid) {
		f->terse = true;
		return 0;
	}
	if (!body)
		memset(f, 0, offsetof(struct dpif_flow, ufid));
	if (!has_mask)	/* no MASK = exact match */
		memset(&f->match.mask, 0xff, sizeof(f->match.mask));
	return 0;
}

static int flow_reply_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct flow_reply *fr = aux;

	return fr->flow ? dpif_parse_flow(nlh, fr->flow, fr->err, fr->errlen) : 0;
}

/* FLOW_GET or FLOW_DEL of one flow, by @ufid when non-NULL, else by
 * @match; @reply (when non-NULL) gets the flow as the kernel answers. */
static int flow_get_or_del(struct dpif *dpif, uint8_t cmd, const char *dp,
			   const struct match *match, const uint8_t *ufid,
			   struct dpif_flow *reply, char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, cmd, 0);
	struct flow_reply fr = { reply, err, errlen };

	dpif_put_flow_id(nlh, dp, match, ufid);
	if (reply)
		memset(reply, 0, sizeof(*reply));
	return genl_sock_transact(&dpif->sock, nlh, flow_reply_cb, &fr, err, errlen);
}

int dpif_flow_del(struct dpif *dpif, const char *dp, const struct match *match,
		  const uint8_t *ufid, struct dpif_flow *final, char *err,
		  size_t errlen)
{
	return flow_get_or_del(dpif, VSW_CMD_FLOW_DEL, dp, match, ufid, final,
			       err, errlen);
}

int dpif_flow_get(struct dpif *dpif, const char *dp, const struct match *match,
		  const uint8_t *ufid, struct dpif_flow *flow, char *err,
		  size_t errlen)
{
	return flow_get_or_del(dpif, VSW_CMD_FLOW_GET, dp, match, ufid, flow,
			       err, errlen);
}

struct flow_dump {
	dpif_flow_cb cb;
	void *aux;
	char *err;
	size_t errlen;
};

static int flow_dump_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct flow_dump *fd = aux;
	struct dpif_flow f;
	int ret = dpif_parse_flow(nlh, &f, fd->err, fd->errlen);

	return ret ? ret : fd->cb(&f, fd->aux);
}

int dpif_flow_dump(struct dpif *dpif, const char *dp, bool terse,
		   dpif_flow_cb cb, void *aux, char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_FLOW_GET, NLM_F_DUMP);
	struct flow_dump fd = { cb, aux, err, errlen };

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, dp);
	if (terse)
		mnl_attr_put(nlh, VSW_FLOW_ATTR_TERSE, 0, NULL);
	return genl_sock_transact(&dpif->sock, nlh, flow_dump_cb, &fd, err, errlen);
}

int dpif_flow_flush(struct dpif *dpif, const char *dp, char *err, size_t errlen)
{
	char buf[DPIF_MSG_LEN];
	struct nlmsghdr *nlh = msg_start(dpif, buf, VSW_CMD_FLOW_FLUSH, 0);

	mnl_attr_put_strz(nlh, VSW_FLOW_ATTR_DP_NAME, dp);
	return genl_sock_transact(&dpif->sock, nlh, NULL, NULL, err, errlen);
}

/* ---- upcalls ---- */

static int parse_upcall_attr(const struct nlattr *a, struct dpif_upcall *up)
{
	char err[128];

	switch (mnl_attr_get_type(a)) {
	case VSW_PACKET_ATTR_DP_NAME:
		snprintf(up->dp_name, sizeof(up->dp_name), "%.*s",
			 (int)mnl_attr_get_payload_len(a),
			 (const char *)mnl_attr_get_payload(a));
		break;
	case VSW_PACKET_ATTR_IN_PORT:
		up->in_port = attr_uint(a);
		break;
	case VSW_PACKET_ATTR_PACKET:
		up->packet = mnl_attr_get_payload(a);
		up->packet_len = mnl_attr_get_payload_len(a);
		break;
	case VSW_PACKET_ATTR_KEY:
		if (odp_flow_parse(a, &up->key, err, sizeof(err)))
			return -EPROTO;
		break;
	case VSW_PACKET_ATTR_LEN:
		up->orig_len = attr_uint(a);
		break;
	case VSW_PACKET_ATTR_COOKIE:
		up->cookie = attr_uint(a);
		break;
	case VSW_PACKET_ATTR_MRU:
		up->mru = (uint16_t)attr_uint(a);
		break;
	}
	return 0;
}

static int upcall_parse(const struct dpif *dpif, const void *buf, ssize_t len,
			struct dpif_upcall *up)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *g;
	const struct nlattr *a;

	if (!mnl_nlmsg_ok(nlh, len) || nlh->nlmsg_type != dpif->family ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*g)))
		return -EPROTO;
	g = mnl_nlmsg_get_payload(nlh);
	if (g->cmd != VSW_CMD_MISS && g->cmd != VSW_CMD_ACTION)
		return -EPROTO;
	memset(up, 0, sizeof(*up));
	up->cmd = g->cmd;
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (parse_upcall_attr(a, up))
			return -EPROTO;
	if (!up->packet)
		return -EPROTO;
	up->key.in_port = up->in_port;
	return 0;
}

int dpif_recv_upcalls(struct dpif *dpif, uint8_t *bufs, size_t slot,
		      unsigned int max, struct dpif_upcall *ups, int *errs)
{
	struct mmsghdr msgs[max];
	struct iovec iov[max];
	unsigned int i;
	int n;

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < max; i++) {
		iov[i].iov_base = bufs + i * slot;
		iov[i].iov_len = slot;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(dpif_fd(dpif), msgs, max, MSG_DONTWAIT, NULL);
	if (n < 0)
		return -errno;
	for (i = 0; i < (unsigned int)n; i++)
		errs[i] = msgs[i].msg_hdr.msg_flags & MSG_TRUNC ? -EMSGSIZE :
			  upcall_parse(dpif, iov[i].iov_base, msgs[i].msg_len,
				       &ups[i]);
	return n;
}

/* 128-bit FNV-1a-like mix over the masked key and the mask: two
 * independent 64-bit lanes. Stable across daemon restarts, so an adopted
 * flow keeps its id. */
void dpif_ufid_for_match(const struct match *match, uint8_t ufid[VSW_UFID_LEN])
{
	const uint64_t *v = (const uint64_t *)&match->flow;
	const uint64_t *m = (const uint64_t *)&match->mask;
	uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x84222325cbf29ce4ull;
	size_t i;

	for (i = 0; i < FLOW_WORDS; i++) {
		uint64_t w1 = v[i] & m[i], w2 = m[i];

		h1 = (h1 ^ w1) * 0x100000001b3ull;
		h1 ^= h1 >> 29;
		h2 = (h2 ^ w2 ^ (w1 << 7 | w1 >> 57)) * 0xff51afd7ed558ccdull;
		h2 ^= h2 >> 31;
	}
	h1 ^= h2 * 0xc4ceb9fe1a85ec53ull;
	memcpy(ufid, &h1, 8);
	memcpy(ufid + 8, &h2, 8);
}
