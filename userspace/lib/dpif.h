/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's client of vswitch.ko: one generic netlink socket (libmnl)
 * speaking include/uapi/linux/vswitch.h. Every call that can fail takes
 * @err/@errlen and fills them with a one-line message: the kernel's
 * extended-ack text when the kernel gave one, otherwise strerror. Calls
 * return 0 or a negative errno.
 *
 * A struct dpif is not thread-safe: each thread (handler, revalidator,
 * control) opens its own. Upcalls arrive on the socket whose port id was
 * registered with dpif_dp_set_upcall_pids().
 */
#ifndef VSW_LIB_DPIF_H
#define VSW_LIB_DPIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "flow.h"
#include "odp.h"

struct dpif;

/* Which settable datapath attributes a config carries. */
enum {
	DPIF_CFG_MICROFLOW_SIZE	= 1 << 0,
	DPIF_CFG_FLOW_LIMIT	= 1 << 1,
	DPIF_CFG_UPCALL_RATE	= 1 << 2,
	DPIF_CFG_UPCALL_BURST	= 1 << 3,
};

struct dpif_dp_config {
	unsigned int set;		/* DPIF_CFG_* */
	uint32_t microflow_size;
	uint32_t flow_limit;
	uint32_t upcall_rate;
	uint32_t upcall_burst;
};

struct dpif_dp_stats {
	uint64_t microflow_hit, megaflow_hit, missed, lost, masks_probed;
	uint64_t recirc, recirc_dropped;
	/* CT actions: packets, and of those committed, translated (NAT),
	 * left invalid, refused by conntrack (also invalid), dropped;
	 * fragments taken for reassembly, datagrams reassembled, OUTPUTs
	 * of them fragmented again */
	uint64_t ct, ct_committed, ct_nat, ct_invalid, ct_refused, ct_dropped;
	uint64_t ct_fragments, ct_reassembled, ct_refragmented;
	uint32_t flows, masks;
};

struct dpif_dp_info {
	char name[IFNAMSIZ];
	uint32_t ifindex;
	uint32_t n_upcall_pids;
	struct dpif_dp_config cfg;
	struct dpif_dp_stats stats;
};

struct dpif_port_stats {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes, tx_dropped;
	uint64_t upcall_sent, upcall_limited, upcall_lost;
	uint64_t flows;			/* megaflows with this IN_PORT */
};

struct dpif_port_info {
	uint32_t port_no;
	uint32_t ifindex;
	uint32_t type;			/* enum vsw_port_type */
	char ifname[IFNAMSIZ];		/* a patch port's: its own name */
	char peer[IFNAMSIZ];		/* a patch port's peer, else "" */
	uint32_t upcall_rate, upcall_burst;
	struct dpif_port_stats stats;
};

struct dpif_flow {
	struct match match;		/* not filled in a terse reply */
	struct odp_actions actions;	/* not filled in a terse reply */
	uint8_t ufid[VSW_UFID_LEN];
	bool has_ufid;
	bool terse;			/* counters only: no KEY, MASK, ACTIONS */
	uint64_t packets, bytes;
	int64_t used_ms;		/* ms since last packet, -1 = never */
	uint16_t tcp_flags;
};

struct dpif_upcall {
	uint8_t cmd;			/* VSW_CMD_MISS or VSW_CMD_ACTION */
	char dp_name[IFNAMSIZ];
	uint32_t in_port;
	struct flow key;
	const uint8_t *packet;		/* points into the caller's buffer */
	size_t packet_len;
	uint32_t orig_len;		/* 0 unless the packet was truncated */
	uint16_t mru;			/* VSW_PACKET_ATTR_MRU, 0 if none */
	uint64_t cookie;
};

/* -ENOENT (with a message) when the "vswitch" family is not registered:
 * the module is not loaded. */
int dpif_open(struct dpif **dpifp, char *err, size_t errlen);
void dpif_close(struct dpif *dpif);
int dpif_fd(const struct dpif *dpif);
uint32_t dpif_portid(const struct dpif *dpif);
/* Sets the socket receive buffer (upcall sockets want megabytes). */
void dpif_set_rcvbuf(struct dpif *dpif, int bytes);

int dpif_dp_new(struct dpif *dpif, const char *name,
		const struct dpif_dp_config *cfg, struct dpif_dp_info *info,
		char *err, size_t errlen);
int dpif_dp_del(struct dpif *dpif, const char *name, char *err, size_t errlen);
int dpif_dp_get(struct dpif *dpif, const char *name, struct dpif_dp_info *info,
		char *err, size_t errlen);
int dpif_dp_set(struct dpif *dpif, const char *name,
		const struct dpif_dp_config *cfg, char *err, size_t errlen);
int dpif_dp_set_upcall_pids(struct dpif *dpif, const char *name,
			    const uint32_t *pids, size_t n, char *err,
			    size_t errlen);

/* @port_no 0 = the lowest free number. */
int dpif_port_new(struct dpif *dpif, const char *dp, const char *ifname,
		  uint32_t port_no, struct dpif_port_info *info, char *err,
		  size_t errlen);
/* A patch port @name of @dp whose peer is patch port @peer (of another
 * datapath); the kernel joins the two once both exist. */
int dpif_port_new_patch(struct dpif *dpif, const char *dp, const char *name,
			const char *peer, uint32_t port_no,
			struct dpif_port_info *info, char *err, size_t errlen);
/* Sends port @port_no's misses to netlink port @pid (0: the datapath's). */
int dpif_port_set_upcall_pid(struct dpif *dpif, const char *dp,
			     uint32_t port_no, uint32_t pid, char *err,
			     size_t errlen);
int dpif_port_del(struct dpif *dpif, const char *dp, uint32_t port_no,
		  char *err, size_t errlen);
typedef int (*dpif_port_cb)(const struct dpif_port_info *port, void *aux);
int dpif_port_dump(struct dpif *dpif, const char *dp, dpif_port_cb cb,
		   void *aux, char *err, size_t errlen);

enum {
	DPIF_FP_REPLACE	= 1 << 0,	/* REPLACE: update actions */
	DPIF_FP_CLEAR	= 1 << 1,	/* with REPLACE: zero the stats */
};
int dpif_flow_put(struct dpif *dpif, const char *dp, const struct match *match,
		  const struct odp_actions *acts, const uint8_t *ufid,
		  unsigned int flags, char *err, size_t errlen);
/* Deletes by @ufid when non-NULL, else by @match; @final gets the
 * flow's last stats when non-NULL. */
int dpif_flow_del(struct dpif *dpif, const char *dp, const struct match *match,
		  const uint8_t *ufid, struct dpif_flow *final, char *err,
		  size_t errlen);
/* Reads one flow (its counters, key, mask and actions) into @flow, by
 * @ufid when non-NULL, else by @match; -ENOENT when the kernel has none. */
int dpif_flow_get(struct dpif *dpif, const char *dp, const struct match *match,
		  const uint8_t *ufid, struct dpif_flow *flow, char *err,
		  size_t errlen);
typedef int (*dpif_flow_cb)(const struct dpif_flow *flow, void *aux);
/* Dumps the datapath's flows to @cb. @terse asks the kernel to leave out
 * KEY, MASK and ACTIONS of flows that have a UFID (f->terse is then set):
 * a caller that knows its flows by UFID reads only their counters. */
int dpif_flow_dump(struct dpif *dpif, const char *dp, bool terse,
		   dpif_flow_cb cb, void *aux, char *err, size_t errlen);
int dpif_flow_flush(struct dpif *dpif, const char *dp, char *err, size_t errlen);

/*
 * Batches: several flow and packet requests sent with one sendmsg() and
 * answered by one final ack, an error message per failed request and,
 * for the requests that have one (FLOW_GET, FLOW_DEL, dpif_batch_flow_set),
 * their reply, handed to @reply_cb when the caller set it. Each add
 * returns the index of the operation (for b->result and @reply_cb) or
 * -E2BIG when the batch is full (commit it and add again): at
 * DPIF_BATCH_MAX requests, or fewer when they are large (packets). The
 * kernel queues the replies of a whole batch before the commit reads
 * them: a caller that asks for replies gives its socket room for
 * DPIF_BATCH_MAX of them (dpif_set_rcvbuf(); about 1 MB for flows).
 */
#define DPIF_BATCH_MAX 128		/* a put and an execute per upcall */
/* Op @op's reply, parsed; @f is valid during the call only. */
typedef void (*dpif_batch_reply_cb)(unsigned int op, const struct dpif_flow *f,
				    void *aux);
struct dpif_batch {
	char *buf;
	size_t len, cap;
	unsigned int n;
	int result[DPIF_BATCH_MAX];
	char msg[DPIF_BATCH_MAX][128];	/* extack per failed op */
	dpif_batch_reply_cb reply_cb;	/* set by the caller, or NULL */
	void *aux;			/* @reply_cb's */
	struct dpif_flow *reply;	/* where replies are parsed */
};
int dpif_batch_init(struct dpif_batch *b);
void dpif_batch_uninit(struct dpif_batch *b);
/* @packet (may be NULL): a frame matching @match, run through @acts by
 * the kernel once the put is handled, installed or not (FLOW_NEW's
 * PACKET): an upcall's install and execute in one request. @mru: the
 * upcall's (a datagram conntrack reassembled, which OUTPUT fragments
 * again), 0 for none. */
int dpif_batch_flow_put(struct dpif_batch *b, const char *dp,
			const struct match *match,
			const struct odp_actions *acts, const uint8_t *ufid,
			const void *packet, size_t len, uint16_t mru);
/* Gives the flow @match (and @ufid, if not NULL) the actions @acts,
 * installing it if the kernel no longer has it (FLOW_NEW with REPLACE),
 * and asks for the flow back (NLM_F_ECHO): its counters as the replace
 * left them, i.e. what the old actions counted (zero for a flow
 * installed anew). */
int dpif_batch_flow_set(struct dpif_batch *b, const char *dp,
			const struct match *match,
			const struct odp_actions *acts, const uint8_t *ufid);
/* FLOW_DEL (the reply: the flow's final counters) and FLOW_GET of the
 * flow @ufid when non-NULL, else @match; -ENOENT in b->result when the
 * kernel has no such flow. */
int dpif_batch_flow_del(struct dpif_batch *b, const char *dp,
			const struct match *match, const uint8_t *ufid);
int dpif_batch_flow_get(struct dpif_batch *b, const char *dp,
			const struct match *match, const uint8_t *ufid);
int dpif_batch_execute(struct dpif_batch *b, const char *dp, uint32_t in_port,
		       const void *packet, size_t len,
		       const struct odp_actions *acts, uint16_t mru);
/* Sends and waits for the final ack; per-op errnos land in b->result[]
 * (0 = done). Resets the batch for reuse. Returns 0 or a socket-level
 * negative errno, which the ops not known to be done also get. */
int dpif_batch_commit(struct dpif *dpif, struct dpif_batch *b);

/* Receives up to @max queued upcalls with one recvmmsg(), without
 * blocking, the i-th into @bufs + i * @slot (the packet stays there).
 * Returns how many datagrams arrived, with errs[i] 0 or a negative errno
 * for a malformed one; or -EAGAIN when none is queued, -ENOBUFS when the
 * kernel dropped some (the socket overran). */
int dpif_recv_upcalls(struct dpif *dpif, uint8_t *bufs, size_t slot,
		      unsigned int max, struct dpif_upcall *ups, int *errs);

/* A 128-bit id of a megaflow: a hash of its masked key and mask. */
void dpif_ufid_for_match(const struct match *match, uint8_t ufid[VSW_UFID_LEN]);

#endif /* VSW_LIB_DPIF_H */
