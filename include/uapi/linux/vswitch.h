/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vswitch generic netlink protocol: the one source of truth shared by
 * vswitch.ko and its userspace (vswitchd, vswitchctl, tests).
 *
 * Family name VSWITCH_GENL_NAME, version VSWITCH_GENL_VERSION. Every
 * command that changes state needs CAP_NET_ADMIN in the user namespace
 * owning the network namespace of the datapath (GENL_UNS_ADMIN_PERM).
 * Errors are negative errnos with an extended-ack message and, where one
 * attribute is to blame, its offset (NLMSGERR_ATTR_OFFS).
 *
 * Kernel memory a command makes live (datapaths, ports, flows, masks,
 * caches, stats) is charged to the memory cgroup of the sending process;
 * past its memory.max a command fails with -ENOMEM and changes nothing.
 * Counts are bounded by module parameters only root of the initial
 * namespace may set: past one, -ENOSPC (see DP_NEW, PORT_NEW); flows per
 * datapath by FLOW_LIMIT (-E2BIG).
 *
 * Conventions
 * - Attribute numbers start at 1; 0 is UNSPEC in every set.
 * - Multi-byte header fields travel in network byte order ("be16",
 *   "be32"); counters and configuration values in host order.
 * - Policies are strict: an unknown attribute, a wrong length or a value
 *   out of range is refused, never ignored. So is a non-zero
 *   genlmsghdr.reserved, and an nlmsg_flags bit other than NLM_F_REQUEST,
 *   NLM_F_ACK, NLM_F_ECHO (NLM_F_DUMP for dumps): the generic netlink core
 *   checks both for every command. NEW commands always create (DP_NEW
 *   and PORT_NEW are -EEXIST on an existing name or number); FLOW_NEW
 *   replaces an existing flow only when asked to with the REPLACE
 *   attribute, not with NLM_F_REPLACE.
 * - A datapath is named by VSW_*_ATTR_DP_NAME in every command that acts
 *   on one; the name is also the name of its local (internal) port netdev.
 *   Datapaths live in the network namespace of the socket that made them.
 * - Replies to GET/NEW reuse the request's command number. Every dump
 *   sets NLM_F_DUMP_INTR on a message when the object set it lists
 *   changed since the dump's previous part: the netns' datapaths
 *   (DP_GET), the datapath's ports (PORT_GET), its flows (FLOW_GET,
 *   FLOW_FLUSH included). Counters and settings changing do not count.
 *
 * Port numbers are OpenFlow port numbers: 1..VSW_PORT_MAX for attached
 * netdevs, VSW_PORT_LOCAL for the datapath's own internal port.
 *
 * Commands and their attribute trees
 * ----------------------------------
 * VSW_CMD_DP_NEW     req: DP_NAME, [UPCALL_PIDS], [MICROFLOW_SIZE],
 *                         [FLOW_LIMIT], [UPCALL_RATE], [UPCALL_BURST]
 *                    rep: the datapath as in DP_GET
 *                    -ENOSPC when the namespace holds max_datapaths
 *                    datapaths already (vswitch.ko module parameter,
 *                    default 256; the message names it)
 * VSW_CMD_DP_DEL     req: DP_NAME           (ports and flows go with it)
 * VSW_CMD_DP_GET     req: DP_NAME, or a dump of all datapaths of the netns
 *                    rep: DP_NAME, IFINDEX, UPCALL_PIDS, MICROFLOW_SIZE,
 *                         FLOW_LIMIT, UPCALL_RATE, UPCALL_BURST,
 *                         STATS { VSW_DP_STATS_ATTR_* }
 * VSW_CMD_DP_SET     req: DP_NAME and any of the settable attributes
 *
 * VSW_CMD_PORT_NEW   req: DP_NAME, IFNAME or IFINDEX, [PORT_NO],
 *                         [UPCALL_RATE], [UPCALL_BURST]
 *                    or, for a patch port (see "Patch ports" below):
 *                         DP_NAME, TYPE = VSW_PORT_TYPE_PATCH, IFNAME
 *                         (the patch port's name), PEER, [PORT_NO],
 *                         [UPCALL_RATE], [UPCALL_BURST]
 *                    rep: the port as in PORT_GET
 *                    -ENOSPC when the datapath has max_ports attached
 *                    ports already (module parameter, default 16384;
 *                    the local port is not counted)
 * VSW_CMD_PORT_DEL   req: DP_NAME, PORT_NO or IFNAME
 * VSW_CMD_PORT_GET   req: DP_NAME, PORT_NO or IFNAME; or a dump (DP_NAME)
 *                    rep: DP_NAME, PORT_NO, IFINDEX, IFNAME, TYPE,
 *                         UPCALL_RATE, UPCALL_BURST, UPCALL_PID,
 *                         STATS { VSW_PORT_STATS_ATTR_* }; a patch
 *                         port has no IFINDEX, and PEER
 * VSW_CMD_PORT_SET   req: DP_NAME, PORT_NO, [UPCALL_RATE], [UPCALL_BURST],
 *                         [UPCALL_PID]
 *   A PORT_DEL is also multicast on VSW_MCGRP_NOTIFY when the kernel
 *   detaches a port by itself (its netdev went away).
 *
 * VSW_CMD_FLOW_NEW   req: DP_NAME, KEY { VSW_KEY_ATTR_* },
 *                         [MASK { VSW_KEY_ATTR_* }], ACTIONS { ... },
 *                         [UFID], [REPLACE], [CLEAR], [PACKET [MRU]]
 *                    -E2BIG at FLOW_LIMIT, and also past 3/4 of it for
 *                    a KEY whose IN_PORT holds FLOW_LIMIT / N flows or
 *                    more, N being the attached ports (or the ports
 *                    holding flows, if more): the last
 *                    quarter of the table is kept for ports under their
 *                    share (kmod/flow_share.c).
 *                    An existing flow with the same mask and masked key
 *                    is -EEXIST unless REPLACE is set, which then
 *                    replaces its actions (and clears its stats with CLEAR).
 *                    PACKET, a frame that matches KEY/MASK (the missed
 *                    packet of an upcall), is run through ACTIONS as if
 *                    it had arrived on KEY's IN_PORT once the request is
 *                    handled, whether or not the flow could be installed
 *                    (EEXIST, flow limit): one request per upcall instead
 *                    of FLOW_NEW plus PACKET_EXECUTE. A PACKET that does
 *                    not parse or match is -EINVAL and nothing happens.
 *                    rep (with NLM_F_ECHO): the flow as in FLOW_GET
 * VSW_CMD_FLOW_DEL   req: DP_NAME, KEY [MASK] or UFID
 *                    rep: the deleted flow's final STATS and USED
 * VSW_CMD_FLOW_GET   req: DP_NAME, KEY [MASK] or UFID; or a dump (DP_NAME,
 *                         [TERSE])
 *                    rep: DP_NAME, UFID (if it had one), KEY, MASK,
 *                         ACTIONS, STATS, USED, TCP_FLAGS; in a TERSE
 *                         dump, a flow with a UFID omits KEY, MASK and
 *                         ACTIONS (a revalidator that knows its flows by
 *                         UFID reads only their counters)
 * VSW_CMD_FLOW_FLUSH req: DP_NAME
 *
 * VSW_CMD_PACKET_EXECUTE req: DP_NAME, PACKET, IN_PORT, ACTIONS { ... },
 *                         [MRU]
 *                    Runs the actions on the frame as if it had arrived
 *                    on IN_PORT; the frame is not looked up.
 *
 * VSW_CMD_MISS       kernel to userspace: DP_NAME, IN_PORT,
 *                    KEY { VSW_KEY_ATTR_* } (exact, all fields), PACKET,
 *                    [LEN] when PACKET was truncated, [MRU] for a
 *                    datagram a CT action reassembled
 * VSW_CMD_ACTION     kernel to userspace (VSW_ACTION_ATTR_USERSPACE):
 *                    as VSW_CMD_MISS plus COOKIE
 *
 * Recirculation
 * -------------
 * VSW_ACTION_ATTR_RECIRC sends a packet through the flow table again,
 * with VSW_KEY_ATTR_RECIRC_ID set to the action's id and every other key
 * field as the actions before it left them (set actions update the key).
 * The new lookup is deferred, never recursive: it runs once the action
 * list that asked for it (and any earlier deferred pass) is done, on the
 * same CPU, in the order the RECIRC actions ran. Its miss is an ordinary
 * VSW_CMD_MISS whose KEY carries RECIRC_ID (the packet as modified so
 * far); its hit runs that flow's actions. A FLOW_NEW with a PACKET and a
 * non-zero RECIRC_ID runs the packet with that RECIRC_ID. A packet
 * recirculated more than VSW_MAX_RECIRC times (a loop among flows), or
 * one that finds the per-CPU queue of pending passes full, is dropped and
 * counted in VSW_DP_STATS_ATTR_RECIRC_DROPPED.
 *
 * Patch ports
 * -----------
 * A port of TYPE VSW_PORT_TYPE_PATCH has no netdev: it joins its datapath
 * to another datapath of the same network namespace. PORT_NEW names it
 * (IFNAME) and its peer (PEER). Patch port names are unique in the
 * namespace and IFNAME must differ from every port name of the datapath
 * (-EEXIST); PEER must differ from IFNAME (-EINVAL). The two ends are
 * joined while each names the other; either may be created first, and
 * deleting one (PORT_DEL, or DP_DEL of its datapath) parts them.
 *
 * An OUTPUT to a joined patch port hands the packet to the peer's
 * datapath as if it had arrived on the peer port: a fresh key (IN_PORT
 * the peer's port number, RECIRC_ID 0, no tunnel metadata, conntrack
 * state cleared as by CT_CLEAR) looked up in the peer's flow table, its
 * miss an ordinary VSW_CMD_MISS with that IN_PORT. Like RECIRC the
 * crossing is deferred, never recursive: it shares the per-CPU queue and
 * the VSW_MAX_RECIRC bound of recirculation (a crossing counts as one
 * pass), so a loop of patch ports ends. Counters: a crossing counts in
 * the sending port's TX_PACKETS/TX_BYTES and the peer's RX_PACKETS/
 * RX_BYTES. A packet that cannot cross is dropped and counted in the
 * sending port's TX_DROPPED: no peer joined (missing, or not naming this
 * port back), a frame whose key cannot be extracted, or past the bound
 * or the queue's length, which also count in the sending datapath's
 * VSW_DP_STATS_ATTR_RECIRC_DROPPED. VSW_DP_STATS_ATTR_RECIRC does not
 * count crossings.
 *
 * What CT actions do is counted per datapath and CPU, summed into
 * VSW_DP_STATS_ATTR_CT...CT_DROPPED.
 *
 * Upcalls are unicast to a netlink port chosen from the datapath's
 * UPCALL_PIDS by the packet's flow hash, so one flow's upcalls arrive in
 * order on one port and new flows spread over all of them. Each
 * ingress port has a token bucket (UPCALL_RATE per second, UPCALL_BURST
 * deep) so one port flooding new flows cannot starve the others; misses
 * refused by the bucket are dropped and counted per port.
 * Fair share (kernel refinement): while a handler socket has recently been
 * found full, time is cut into 20 ms windows and each port that asks for
 * upcalls in a window may send at most the upcalls delivered in the
 * previous window divided by the number of such ports (at least 4);
 * refusals count as UPCALL_LIMITED too. See kmod/upcall.c.
 * Per-port sockets (isolation): a port with an UPCALL_PID sends its misses
 * there only, so a flooding port fills its own socket and no other's;
 * while its socket is full its misses are dropped before a message is
 * built (counted UPCALL_LOST), and it takes no part in the fair share.
 */
#ifndef _UAPI_LINUX_VSWITCH_H
#define _UAPI_LINUX_VSWITCH_H

#include <linux/types.h>

#define VSWITCH_GENL_NAME	"vswitch"
#define VSWITCH_GENL_VERSION	1
#define VSWITCH_MCGRP_NOTIFY	"notify"

/* Port numbers. */
#define VSW_PORT_MAX		0xfeff	/* highest number of an attached port */
#define VSW_PORT_LOCAL		0xfffe	/* the datapath's internal port */

/* Limits, each refused with -E2BIG or -EINVAL and an extack message. */
#define VSW_FLOW_LIMIT_DEFAULT	200000
#define VSW_MAX_MASKS		4096	/* distinct megaflow masks per datapath */
#define VSW_MAX_ACTIONS		64	/* actions in one action list */
#define VSW_MICROFLOW_DEFAULT	4096	/* entries per CPU */
#define VSW_MICROFLOW_MAX	(1 << 20)/* power of two, or 0 to disable */
#define VSW_UPCALL_RATE_DEFAULT	20000	/* per port, upcalls per second */
#define VSW_UPCALL_BURST_DEFAULT 2000
#define VSW_MAX_UPCALL_PIDS	1024
#define VSW_UFID_LEN		16
#define VSW_MAX_RECIRC		8	/* recirculations of one packet */

enum vsw_cmd {
	VSW_CMD_UNSPEC,
	VSW_CMD_DP_NEW,
	VSW_CMD_DP_DEL,
	VSW_CMD_DP_GET,
	VSW_CMD_DP_SET,
	VSW_CMD_PORT_NEW,
	VSW_CMD_PORT_DEL,
	VSW_CMD_PORT_GET,
	VSW_CMD_PORT_SET,
	VSW_CMD_FLOW_NEW,
	VSW_CMD_FLOW_DEL,
	VSW_CMD_FLOW_GET,
	VSW_CMD_FLOW_FLUSH,
	VSW_CMD_PACKET_EXECUTE,
	VSW_CMD_MISS,
	VSW_CMD_ACTION,
	__VSW_CMD_MAX
};
#define VSW_CMD_MAX (__VSW_CMD_MAX - 1)

/* Datapath. */
enum vsw_dp_attr {
	VSW_DP_ATTR_UNSPEC,
	VSW_DP_ATTR_DP_NAME,		/* string, < IFNAMSIZ: required */
	VSW_DP_ATTR_IFINDEX,		/* u32: ifindex of the local port (reply) */
	VSW_DP_ATTR_UPCALL_PIDS,	/* binary: array of u32 netlink port ids,
					 * 1..VSW_MAX_UPCALL_PIDS entries; an
					 * empty array (or none) sends no upcalls
					 * and counts every miss as lost */
	VSW_DP_ATTR_MICROFLOW_SIZE,	/* u32: microflow entries per CPU, a
					 * power of two <= VSW_MICROFLOW_MAX, or 0
					 * to disable the microflow cache */
	VSW_DP_ATTR_FLOW_LIMIT,		/* u32: max megaflows, >= 1 */
	VSW_DP_ATTR_UPCALL_RATE,	/* u32: default per-port upcall rate,
					 * upcalls/s; 0 means unlimited */
	VSW_DP_ATTR_UPCALL_BURST,	/* u32: default per-port bucket depth */
	VSW_DP_ATTR_STATS,		/* nest: VSW_DP_STATS_ATTR_* (reply) */
	VSW_DP_ATTR_PAD,
	__VSW_DP_ATTR_MAX
};
#define VSW_DP_ATTR_MAX (__VSW_DP_ATTR_MAX - 1)

enum vsw_dp_stats_attr {
	VSW_DP_STATS_ATTR_UNSPEC,
	VSW_DP_STATS_ATTR_MICROFLOW_HIT,	/* u64: packets found by the microflow cache */
	VSW_DP_STATS_ATTR_MEGAFLOW_HIT,	/* u64: packets found by the mask search */
	VSW_DP_STATS_ATTR_MISSED,	/* u64: packets that matched no flow */
	VSW_DP_STATS_ATTR_LOST,		/* u64: misses not delivered to userspace
					 * (no socket, socket full, rate limit) */
	VSW_DP_STATS_ATTR_MASKS_PROBED,	/* u64: masks probed by mask searches;
					 * per packet = MASKS_PROBED /
					 * (MEGAFLOW_HIT + MISSED) */
	VSW_DP_STATS_ATTR_FLOWS,	/* u32: megaflows installed */
	VSW_DP_STATS_ATTR_MASKS,	/* u32: distinct masks in use */
	VSW_DP_STATS_ATTR_PAD,
	VSW_DP_STATS_ATTR_RECIRC,	/* u64: packets recirculated (RECIRC
					 * actions that queued a packet) */
	VSW_DP_STATS_ATTR_RECIRC_DROPPED, /* u64: RECIRC actions whose packet
					 * was dropped: past VSW_MAX_RECIRC
					 * passes (a loop) or the per-CPU queue
					 * full */
	/* What the CT actions did (VSW_ACTION_ATTR_CT); a packet counts
	 * once per CT action it went through. */
	VSW_DP_STATS_ATTR_CT,		/* u64: packets through a CT action */
	VSW_DP_STATS_ATTR_CT_COMMITTED,	/* u64: ... that COMMIT confirmed
					 * (a connection stored or kept) */
	VSW_DP_STATS_ATTR_CT_NAT,	/* u64: ... that NAT translated */
	VSW_DP_STATS_ATTR_CT_INVALID,	/* u64: ... left without a connection:
					 * CT_STATE INV (includes CT_REFUSED) */
	VSW_DP_STATS_ATTR_CT_REFUSED,	/* u64: ... conntrack refused, most
					 * often for want of room for a new
					 * connection (nf_conntrack_max reached,
					 * no memory); they go on as INV */
	VSW_DP_STATS_ATTR_CT_DROPPED,	/* u64: ... the CT action dropped (a
					 * commit or NAT that failed, a label
					 * without room, a truncated header, a
					 * fragment reassembly refused) */
	VSW_DP_STATS_ATTR_CT_FRAGMENTS,	/* u64: ... that were IP fragments,
					 * taken for reassembly (see
					 * "Fragments" at VSW_CT_ATTR_*) */
	VSW_DP_STATS_ATTR_CT_REASSEMBLED, /* u64: datagrams reassembled from
					 * them and tracked whole */
	VSW_DP_STATS_ATTR_CT_REFRAGMENTED, /* u64: OUTPUTs of a reassembled
					 * packet sent as fragments again */
	__VSW_DP_STATS_ATTR_MAX
};
#define VSW_DP_STATS_ATTR_MAX (__VSW_DP_STATS_ATTR_MAX - 1)

/* Port. */
enum vsw_port_type {
	VSW_PORT_TYPE_UNSPEC,
	VSW_PORT_TYPE_NETDEV,		/* an existing Ethernet netdev */
	VSW_PORT_TYPE_INTERNAL,		/* the datapath's local port */
	VSW_PORT_TYPE_TUNNEL,		/* a flow-based tunnel device: see below */
	VSW_PORT_TYPE_PATCH,		/* no netdev: joins two datapaths, see
					 * "Patch ports" below */
	__VSW_PORT_TYPE_MAX
};

enum vsw_port_attr {
	VSW_PORT_ATTR_UNSPEC,
	VSW_PORT_ATTR_DP_NAME,		/* string: required */
	VSW_PORT_ATTR_PORT_NO,		/* u32: 1..VSW_PORT_MAX or VSW_PORT_LOCAL;
					 * on NEW, absent means the lowest free */
	VSW_PORT_ATTR_IFINDEX,		/* u32: the netdev to attach */
	VSW_PORT_ATTR_IFNAME,		/* string: the netdev to attach, by name */
	VSW_PORT_ATTR_TYPE,		/* u32: enum vsw_port_type (reply); in
					 * PORT_NEW only VSW_PORT_TYPE_PATCH */
	VSW_PORT_ATTR_UPCALL_RATE,	/* u32: this port's upcall rate, /s; 0 =
					 * unlimited; absent = datapath default */
	VSW_PORT_ATTR_UPCALL_BURST,	/* u32: this port's bucket depth */
	VSW_PORT_ATTR_STATS,		/* nest: VSW_PORT_STATS_ATTR_* (reply) */
	VSW_PORT_ATTR_PAD,
	VSW_PORT_ATTR_UPCALL_PID,	/* u32: netlink port receiving this
					 * port's misses (PORT_SET, reply); 0 =
					 * the datapath's UPCALL_PIDS */
	VSW_PORT_ATTR_PEER,		/* string, < IFNAMSIZ: the peer patch
					 * port's name (PORT_NEW of a PATCH,
					 * required; reply) */
	__VSW_PORT_ATTR_MAX
};
#define VSW_PORT_ATTR_MAX (__VSW_PORT_ATTR_MAX - 1)

enum vsw_port_stats_attr {
	VSW_PORT_STATS_ATTR_UNSPEC,
	VSW_PORT_STATS_ATTR_RX_PACKETS,		/* u64: received from the netdev */
	VSW_PORT_STATS_ATTR_RX_BYTES,		/* u64 */
	VSW_PORT_STATS_ATTR_TX_PACKETS,		/* u64: sent out of the netdev */
	VSW_PORT_STATS_ATTR_TX_BYTES,		/* u64 */
	VSW_PORT_STATS_ATTR_TX_DROPPED,		/* u64: transmit failures */
	VSW_PORT_STATS_ATTR_UPCALL_SENT,	/* u64: misses queued to userspace */
	VSW_PORT_STATS_ATTR_UPCALL_LIMITED,	/* u64: misses refused by the rate
						 * limit or the fair share */
	VSW_PORT_STATS_ATTR_UPCALL_LOST,	/* u64: misses lost (socket full, no
						 * socket, no memory) */
	VSW_PORT_STATS_ATTR_PAD,
	VSW_PORT_STATS_ATTR_FLOWS,		/* u64: megaflows whose IN_PORT is
						 * this port (see FLOW_NEW) */
	__VSW_PORT_STATS_ATTR_MAX
};
#define VSW_PORT_STATS_ATTR_MAX (__VSW_PORT_STATS_ATTR_MAX - 1)

/* Flow. */
enum vsw_flow_attr {
	VSW_FLOW_ATTR_UNSPEC,
	VSW_FLOW_ATTR_DP_NAME,		/* string: required */
	VSW_FLOW_ATTR_KEY,		/* nest: VSW_KEY_ATTR_*; an absent field is 0 */
	VSW_FLOW_ATTR_MASK,		/* nest: VSW_KEY_ATTR_*; an absent field is
					 * wildcarded; no MASK at all = exact match.
					 * IN_PORT must be exact. A masked L3 field
					 * needs an exact ETH_TYPE, a masked L4 field
					 * an exact IP_PROTO (-EINVAL otherwise). */
	VSW_FLOW_ATTR_ACTIONS,		/* nest: VSW_ACTION_ATTR_*, in order;
					 * empty = drop */
	VSW_FLOW_ATTR_UFID,		/* binary, VSW_UFID_LEN: userspace's id of
					 * the flow, kept and echoed by the kernel */
	VSW_FLOW_ATTR_STATS,		/* nest: VSW_FLOW_STATS_ATTR_* (reply) */
	VSW_FLOW_ATTR_USED,		/* u64: ms since the last packet; absent
					 * if never used (reply) */
	VSW_FLOW_ATTR_TCP_FLAGS,	/* u16: OR of TCP flags seen (reply) */
	VSW_FLOW_ATTR_CLEAR,		/* flag: with REPLACE, zero stats */
	VSW_FLOW_ATTR_PAD,
	VSW_FLOW_ATTR_TERSE,		/* flag: in a FLOW_GET dump request only
					 * (-EINVAL elsewhere); see FLOW_GET */
	VSW_FLOW_ATTR_PACKET,		/* binary: FLOW_NEW only; see FLOW_NEW */
	VSW_FLOW_ATTR_REPLACE,		/* flag: FLOW_NEW only: replace an
					 * existing flow's actions instead of
					 * failing with -EEXIST */
	VSW_FLOW_ATTR_MRU,		/* u16, 68..65535: with PACKET only:
					 * the MRU of the upcall it came with
					 * (VSW_PACKET_ATTR_MRU) */
	__VSW_FLOW_ATTR_MAX
};
#define VSW_FLOW_ATTR_MAX (__VSW_FLOW_ATTR_MAX - 1)

enum vsw_flow_stats_attr {
	VSW_FLOW_STATS_ATTR_UNSPEC,
	VSW_FLOW_STATS_ATTR_PACKETS,	/* u64 */
	VSW_FLOW_STATS_ATTR_BYTES,	/* u64 */
	VSW_FLOW_STATS_ATTR_PAD,
	__VSW_FLOW_STATS_ATTR_MAX
};
#define VSW_FLOW_STATS_ATTR_MAX (__VSW_FLOW_STATS_ATTR_MAX - 1)

/* IP fragment state: VSW_KEY_ATTR_IP_FRAG is a bit set. */
#define VSW_FRAG_ANY		0x01	/* a fragment (first or later) */
#define VSW_FRAG_LATER		0x02	/* not the first fragment: no L4 */
#define VSW_FRAG_MASK		0x03

/* VSW_KEY_ATTR_VLAN_TCI: the 802.1Q TCI with this bit meaning "tagged".
 * An untagged frame has TCI 0. The tag is the outermost one, TPID 0x8100
 * or 0x88a8 (802.1ad) alike; the TPID is not part of the key. */
#define VSW_VLAN_PRESENT	0x1000
#define VSW_VLAN_VID_MASK	0x0fff
#define VSW_VLAN_PCP_MASK	0xe000
#define VSW_VLAN_PCP_SHIFT	13

/*
 * Flow key fields. The same attribute set describes a key (values) and
 * a mask (1 bits are significant). A field that does not apply to the
 * packet (ports of a non-TCP packet, a truncated header) is 0.
 */
enum vsw_key_attr {
	VSW_KEY_ATTR_UNSPEC,
	VSW_KEY_ATTR_IN_PORT,		/* u32: ingress port number */
	VSW_KEY_ATTR_ETH_SRC,		/* binary[6] */
	VSW_KEY_ATTR_ETH_DST,		/* binary[6] */
	VSW_KEY_ATTR_ETH_TYPE,		/* be16: ethertype after any VLAN tag;
					 * < 0x600 frames get 0x05ff (802.3) */
	VSW_KEY_ATTR_VLAN_TCI,		/* be16: see VSW_VLAN_PRESENT */
	VSW_KEY_ATTR_IPV4_SRC,		/* be32 */
	VSW_KEY_ATTR_IPV4_DST,		/* be32 */
	VSW_KEY_ATTR_IPV6_SRC,		/* binary[16] */
	VSW_KEY_ATTR_IPV6_DST,		/* binary[16] */
	VSW_KEY_ATTR_IPV6_LABEL,	/* be32: low 20 bits */
	VSW_KEY_ATTR_IP_PROTO,		/* u8: IPv4 protocol or IPv6 next header
					 * after extension headers */
	VSW_KEY_ATTR_IP_TOS,		/* u8: DSCP << 2 | ECN (IPv6 traffic class) */
	VSW_KEY_ATTR_IP_TTL,		/* u8: TTL or hop limit */
	VSW_KEY_ATTR_IP_FRAG,		/* u8: VSW_FRAG_* bits */
	VSW_KEY_ATTR_TP_SRC,		/* be16: TCP/UDP/SCTP source port */
	VSW_KEY_ATTR_TP_DST,		/* be16: TCP/UDP/SCTP destination port */
	VSW_KEY_ATTR_TCP_FLAGS,		/* be16: low 12 bits of the TCP header's
					 * offset/flags word */
	VSW_KEY_ATTR_ICMP_TYPE,		/* u8: ICMP or ICMPv6 type */
	VSW_KEY_ATTR_ICMP_CODE,		/* u8: ICMP or ICMPv6 code */
	VSW_KEY_ATTR_ARP_OP,		/* be16: ARP opcode */
	VSW_KEY_ATTR_ARP_SPA,		/* be32: ARP sender protocol address */
	VSW_KEY_ATTR_ARP_TPA,		/* be32: ARP target protocol address */
	VSW_KEY_ATTR_ARP_SHA,		/* binary[6]: ARP sender hardware address */
	VSW_KEY_ATTR_ARP_THA,		/* binary[6]: ARP target hardware address */
	VSW_KEY_ATTR_ND_TARGET,		/* binary[16]: IPv6 ND target address */
	VSW_KEY_ATTR_RECIRC_ID,		/* u32: the recirculation pass a packet is
					 * in: 0 when it arrives on a port, the
					 * id of VSW_ACTION_ATTR_RECIRC after.
					 * Metadata, always matched exactly: a
					 * MASK without it matches it exactly,
					 * a MASK with it must give 0xffffffff.
					 * Replies and upcalls put it in KEY
					 * when non-zero, never in MASK. */
	VSW_KEY_ATTR_CT_STATE,		/* u8: VSW_CT_STATE_* bits the last CT
					 * action found; 0 before any (and after
					 * CT_CLEAR). Metadata like RECIRC_ID:
					 * a FLOW_NEW's PACKET takes it from KEY */
	VSW_KEY_ATTR_CT_ZONE,		/* be16: that CT's zone */
	VSW_KEY_ATTR_CT_MARK,		/* be32: the connection's mark */
	VSW_KEY_ATTR_TUNNEL,		/* nest: VSW_TUNNEL_ATTR_*, the metadata
					 * of the tunnel the packet arrived by
					 * (TUNNEL ports only; see below) */
	VSW_KEY_ATTR_CT_LABEL,		/* binary[16]: the connection's 128-bit
					 * label, as nf_conntrack keeps it (bit
					 * N is bit N%8 of byte N/8); metadata
					 * like CT_MARK */
	/*
	 * The original-direction tuple of the packet's connection (of its
	 * master for a related one, e.g. the connection an ICMP error is
	 * about), as the last CT action found it: who opened the connection
	 * to whom, before any NAT. All 0 when that CT found no connection
	 * (INV) and before any CT; cleared by CT_CLEAR. Only the fields of
	 * the connection's family are set. Metadata like CT_MARK.
	 */
	VSW_KEY_ATTR_CT_NW_SRC,		/* be32: IPv4 source */
	VSW_KEY_ATTR_CT_NW_DST,		/* be32: IPv4 destination */
	VSW_KEY_ATTR_CT_IPV6_SRC,	/* binary[16]: IPv6 source */
	VSW_KEY_ATTR_CT_IPV6_DST,	/* binary[16]: IPv6 destination */
	VSW_KEY_ATTR_CT_NW_PROTO,	/* u8: IP protocol */
	VSW_KEY_ATTR_CT_TP_SRC,		/* be16: TCP/UDP/SCTP/DCCP/UDP-Lite
					 * source port; ICMP(v6) type */
	VSW_KEY_ATTR_CT_TP_DST,		/* be16: destination port; ICMP(v6)
					 * code; 0 for other protocols */
	__VSW_KEY_ATTR_MAX
};
#define VSW_KEY_ATTR_MAX (__VSW_KEY_ATTR_MAX - 1)

/*
 * Actions, executed in order. Set actions change the packet and the key
 * that later actions see; checksums (IPv4 header, TCP/UDP/ICMPv6 L4) are
 * fixed. A set action whose headers the packet lacks is refused at install
 * time when the flow's key does not guarantee them (-EINVAL), so it never
 * writes past a packet's data.
 */
enum vsw_action_attr {
	VSW_ACTION_ATTR_UNSPEC,
	VSW_ACTION_ATTR_OUTPUT,		/* u32: port number; the packet is copied
					 * only when more actions follow */
	VSW_ACTION_ATTR_USERSPACE,	/* nest: VSW_USERSPACE_ATTR_* */
	VSW_ACTION_ATTR_PUSH_VLAN,	/* be16: TCI to push (with 802.1Q TPID);
					 * VSW_VLAN_PRESENT must be set */
	VSW_ACTION_ATTR_POP_VLAN,	/* flag: remove the outer 802.1Q tag */
	VSW_ACTION_ATTR_SET_ETH_SRC,	/* binary[6] */
	VSW_ACTION_ATTR_SET_ETH_DST,	/* binary[6] */
	VSW_ACTION_ATTR_SET_IPV4_SRC,	/* be32 */
	VSW_ACTION_ATTR_SET_IPV4_DST,	/* be32 */
	VSW_ACTION_ATTR_SET_IP_DSCP,	/* u8: 0..63, ECN kept (IPv4 and IPv6) */
	VSW_ACTION_ATTR_SET_IP_TTL,	/* u8: TTL or hop limit */
	VSW_ACTION_ATTR_SET_IPV6_SRC,	/* binary[16] */
	VSW_ACTION_ATTR_SET_IPV6_DST,	/* binary[16] */
	VSW_ACTION_ATTR_SET_IPV6_LABEL,	/* be32: low 20 bits */
	VSW_ACTION_ATTR_SET_TP_SRC,	/* be16: TCP/UDP/SCTP source port */
	VSW_ACTION_ATTR_SET_TP_DST,	/* be16 */
	VSW_ACTION_ATTR_DEC_TTL,	/* flag: decrement TTL/hop limit; a packet
					 * whose TTL would reach 0 is dropped */
	VSW_ACTION_ATTR_SET_VLAN_TCI,	/* be16: rewrite VID/PCP of the outer tag;
					 * VSW_VLAN_PRESENT must be set */
	VSW_ACTION_ATTR_RECIRC,		/* u32: recirculation id, >= 1: the packet
					 * (a copy if more actions follow) is
					 * looked up again, with RECIRC_ID set
					 * to this id and the key as the actions
					 * before left it; see "Recirculation" */
	VSW_ACTION_ATTR_CT,		/* nest: VSW_CT_ATTR_*: send the packet
					 * through the kernel's connection tracker
					 * (nf_conntrack) and set the key's CT_*
					 * fields; needs an exact IPv4 or IPv6
					 * ETH_TYPE in the match. See "Connection
					 * tracking" */
	VSW_ACTION_ATTR_CT_CLEAR,	/* flag: forget the packet's connection;
					 * CT_STATE, CT_ZONE, CT_MARK, CT_LABEL
					 * become 0 */
	VSW_ACTION_ATTR_SET_TUNNEL,	/* nest: VSW_TUNNEL_ATTR_*, where a later
					 * OUTPUT to a TUNNEL port sends the
					 * packet; see below */
	__VSW_ACTION_ATTR_MAX
};
#define VSW_ACTION_ATTR_MAX (__VSW_ACTION_ATTR_MAX - 1)

enum vsw_userspace_attr {
	VSW_USERSPACE_ATTR_UNSPEC,
	VSW_USERSPACE_ATTR_PID,		/* u32: netlink port; absent = as a miss */
	VSW_USERSPACE_ATTR_COOKIE,	/* u64: echoed in VSW_PACKET_ATTR_COOKIE */
	VSW_USERSPACE_ATTR_PAD,
	__VSW_USERSPACE_ATTR_MAX
};
#define VSW_USERSPACE_ATTR_MAX (__VSW_USERSPACE_ATTR_MAX - 1)

/*
 * Connection tracking
 * -------------------
 * VSW_ACTION_ATTR_CT looks the packet up in nf_conntrack of the
 * datapath's network namespace, in zone ZONE (a connection exists once
 * per zone), as the netfilter PRE_ROUTING hook would: its connection
 * state advances. Uncommitted, a new connection is forgotten with the
 * packet; COMMIT confirms it into the table (and sets MARK under
 * MARK_MASK first). FORCE with COMMIT first ends a connection the packet
 * belongs to in the reply direction, so the packet starts a new one as
 * its originator. A packet conntrack cannot track (malformed, an
 * impossible TCP state) gets CT_STATE TRK|INV and goes on: the flows
 * decide. The action does not recirculate: a RECIRC after it looks the
 * packet up again with the new CT_* fields (ovs-ofctl's ct(table=N)).
 * Ethernet padding after the IP packet is removed.
 *
 * NAT (VSW_CT_ATTR_NAT, nf_nat): a nest with SRC or DST sets up a new
 * connection's translation when the CT action commits it, to an address
 * in [IP_MIN, IP_MAX] and, for TCP/UDP/SCTP, a port in [PROTO_MIN,
 * PROTO_MAX] (absent: the original port if free, else any). An empty
 * nest translates nothing new. Either way a packet of a connection that
 * has a translation already (confirmed, or being committed) is
 * translated as its connection says: the original direction forward,
 * replies back, related ICMP errors (the embedded header too). This
 * happens once per packet and zone: the key's CT_STATE then has SNAT
 * and/or DNAT, its addresses and ports are the translated ones, and a
 * later CT in the same zone (after a RECIRC) translates nothing again.
 * An uncommitted new connection is not translated.
 *
 * Fragments: conntrack tracks whole datagrams, so CT first reassembles
 * an IPv4 or IPv6 fragment (a key with VSW_FRAG_ANY) with the kernel's
 * own defragmenter, in a queue of the action's zone (netfilter's user
 * IP_DEFRAG_CONNTRACK_IN / IP6_DEFRAG_CONNTRACK_IN + ZONE), with the
 * netns' limits and timeouts (net.ipv4.ipfrag_*,
 * net.netfilter.nf_conntrack_frag6_*). A fragment that does not
 * complete its datagram is held (not an error: the rest of the action
 * list does not run for it, nothing is sent or upcalled); one the
 * defragmenter refuses (overlapping, oversized, no memory) is dropped
 * and counted in CT_DROPPED. The fragment that completes a datagram
 * continues as the whole datagram: the key's L3 and L4 fields are those
 * of the datagram (IP_FRAG 0, ports and ICMP type known), later actions
 * and RECIRC passes see it, and it remembers its MRU, the size of the
 * largest fragment it was made of. An OUTPUT of such a packet that is
 * longer than the MRU fragments it again into fragments of at most the
 * MRU, when the MRU fits the port's MTU (else it is dropped and counted
 * in the port's TX_DROPPED); a patch port passes it whole to its peer,
 * which does the same. A MISS or ACTION upcall of it carries
 * VSW_PACKET_ATTR_MRU, which userspace gives back with the PACKET
 * (PACKET_EXECUTE's MRU, FLOW_NEW's MRU).
 */
#define VSW_CT_STATE_NEW	0x01	/* the connection's first packet(s) */
#define VSW_CT_STATE_EST	0x02	/* part of a seen-both-ways connection */
#define VSW_CT_STATE_REL	0x04	/* related to one (an ICMP error) */
#define VSW_CT_STATE_RPL	0x08	/* in the reply direction */
#define VSW_CT_STATE_INV	0x10	/* conntrack could not track it */
#define VSW_CT_STATE_TRK	0x20	/* went through a CT action */
#define VSW_CT_STATE_SNAT	0x40	/* source translated (VSW_CT_ATTR_NAT) */
#define VSW_CT_STATE_DNAT	0x80	/* destination translated */

enum vsw_ct_attr {
	VSW_CT_ATTR_UNSPEC,
	VSW_CT_ATTR_ZONE,		/* u16: conntrack zone; absent = 0 */
	VSW_CT_ATTR_COMMIT,		/* flag: confirm the connection */
	VSW_CT_ATTR_FORCE,		/* flag: needs COMMIT; see above */
	VSW_CT_ATTR_MARK,		/* u32: with COMMIT: mark to set ... */
	VSW_CT_ATTR_MARK_MASK,		/* u32: ... under this mask (absent =
					 * 0xffffffff; needs MARK) */
	VSW_CT_ATTR_NAT,		/* nest: VSW_NAT_ATTR_*; see NAT above.
					 * -EOPNOTSUPP without CONFIG_NF_NAT */
	VSW_CT_ATTR_LABEL,		/* binary[16]: with COMMIT: label bits to
					 * set ... (-EOPNOTSUPP without
					 * CONFIG_NF_CONNTRACK_LABELS) */
	VSW_CT_ATTR_LABEL_MASK,		/* binary[16]: ... under this mask
					 * (absent = all ones; needs LABEL) */
	__VSW_CT_ATTR_MAX
};
#define VSW_CT_ATTR_MAX (__VSW_CT_ATTR_MAX - 1)

/* VSW_CT_ATTR_NAT. Everything but SRC/DST needs one of them, SRC or DST
 * needs COMMIT (-EINVAL otherwise, naming it); SRC or DST without IP_MIN
 * gives a new connection a null binding (translated to itself).
 */
enum vsw_nat_attr {
	VSW_NAT_ATTR_UNSPEC,
	VSW_NAT_ATTR_SRC,		/* flag: translate the source ... */
	VSW_NAT_ATTR_DST,		/* flag: ... or the destination */
	VSW_NAT_ATTR_IP_MIN,		/* binary[4] (IPv4 flow) or [16] (IPv6):
					 * lowest address, network order */
	VSW_NAT_ATTR_IP_MAX,		/* same length: highest address, >=
					 * IP_MIN; absent = IP_MIN */
	VSW_NAT_ATTR_PROTO_MIN,		/* be16: lowest port, >= 1 */
	VSW_NAT_ATTR_PROTO_MAX,		/* be16: highest port, >= PROTO_MIN;
					 * needs PROTO_MIN; absent = PROTO_MIN */
	VSW_NAT_ATTR_PERSISTENT,	/* flag: a client keeps its address
					 * (NF_NAT_RANGE_PERSISTENT) */
	VSW_NAT_ATTR_PROTO_HASH,	/* flag: port from a hash of the tuple
					 * (NF_NAT_RANGE_PROTO_RANDOM) */
	VSW_NAT_ATTR_PROTO_RANDOM,	/* flag: fully random port
					 * (NF_NAT_RANGE_PROTO_RANDOM_FULLY);
					 * not with PROTO_HASH */
	__VSW_NAT_ATTR_MAX
};
#define VSW_NAT_ATTR_MAX (__VSW_NAT_ATTR_MAX - 1)

/*
 * Tunnels
 * -------
 * vswitch does no encapsulation itself: it uses the kernel's flow-based
 * tunnel devices, created in "external" (collect-metadata) mode, e.g.
 *   ip link add vsw-vxlan type vxlan dstport 4789 external
 *   ip link add vsw-geneve type geneve dstport 6081 external
 *   ip link add vsw-gre type gretap external     (ip6gretap: IPv6 underlay)
 * PORT_NEW on such a device (kind vxlan, geneve, gretap or ip6gretap, in
 * external mode) makes a port of TYPE VSW_PORT_TYPE_TUNNEL; any other
 * device, a tunnel device with a fixed remote included, is an ordinary
 * NETDEV port. One device serves every remote of its type and UDP port.
 *
 * Receive: the metadata the device decapsulated (outer addresses, VNI or
 * key, ...) is the key's VSW_KEY_ATTR_TUNNEL. Packets from other ports
 * have no tunnel metadata (all of its fields 0, no TUNNEL in upcalls).
 * Transmit: VSW_ACTION_ATTR_SET_TUNNEL attaches the metadata; an OUTPUT
 * to a TUNNEL port then encapsulates with it. A packet output to a
 * TUNNEL port without a SET_TUNNEL earlier in the list is dropped and
 * counted in the port's TX_DROPPED. SET_TUNNEL does not change the key
 * later actions see, and its metadata stays on the packet for the later
 * OUTPUTs of the list until the next SET_TUNNEL.
 *
 * The same set describes a key (values) and a mask (1 bits significant);
 * in a FLOW_NEW mask an absent attribute is wildcarded. In a key, an
 * absent attribute is 0. An upcall's key carries every attribute of the
 * packet's address family; a flow dump's those whose mask is non-zero.
 */
enum vsw_tunnel_attr {
	VSW_TUNNEL_ATTR_UNSPEC,
	VSW_TUNNEL_ATTR_ID,		/* be64: tunnel key: VXLAN and Geneve VNI
					 * (24 bits), GRE key (32 bits) */
	VSW_TUNNEL_ATTR_IPV4_SRC,	/* be32: outer source address */
	VSW_TUNNEL_ATTR_IPV4_DST,	/* be32: outer destination address */
	VSW_TUNNEL_ATTR_IPV6_SRC,	/* binary[16]: outer source, IPv6 underlay */
	VSW_TUNNEL_ATTR_IPV6_DST,	/* binary[16]: outer destination */
	VSW_TUNNEL_ATTR_TOS,		/* u8: outer TOS / traffic class */
	VSW_TUNNEL_ATTR_TTL,		/* u8: outer TTL / hop limit */
	VSW_TUNNEL_ATTR_FLAGS,		/* u16: VSW_TUNNEL_F_* */
	VSW_TUNNEL_ATTR_TP_SRC,		/* be16: outer UDP source port (key only) */
	VSW_TUNNEL_ATTR_TP_DST,		/* be16: outer UDP destination port */
	VSW_TUNNEL_ATTR_PAD,		/* aligns ID; ignored, never required */
	__VSW_TUNNEL_ATTR_MAX
};
#define VSW_TUNNEL_ATTR_MAX (__VSW_TUNNEL_ATTR_MAX - 1)

/* VSW_TUNNEL_ATTR_FLAGS: on receive, what the outer headers had; in
 * SET_TUNNEL, what to send. Other bits are refused (-EINVAL). */
#define VSW_TUNNEL_F_DF		0x0001	/* outer IPv4 don't-fragment bit */
#define VSW_TUNNEL_F_CSUM	0x0002	/* outer UDP / GRE checksum */
#define VSW_TUNNEL_F_KEY	0x0004	/* a key is present (GRE: the key
					 * field; VXLAN, Geneve: always) */
#define VSW_TUNNEL_F_MASK	0x0007

/*
 * SET_TUNNEL, attribute by attribute:
 *   IPV4_DST or IPV6_DST  required, exactly one, not 0: the remote end
 *   IPV4_SRC / IPV6_SRC   optional, same family as the destination;
 *                         absent or 0: the route's source address
 *   ID                    optional (0); a VXLAN/Geneve device sends the
 *                         low 24 bits, GRE the low 32 bits
 *   TOS, TTL              optional; TTL 0: the route's default hop limit
 *   FLAGS                 optional VSW_TUNNEL_F_* (KEY: GRE sends a key)
 *   TP_DST                optional; 0: the device's own UDP port
 *   TP_SRC                refused: the device picks the UDP source port
 *                         from the inner flow's hash
 * Each refusal is -EINVAL with a message naming the attribute.
 */

/* Packets: PACKET_EXECUTE, MISS and ACTION. */
enum vsw_packet_attr {
	VSW_PACKET_ATTR_UNSPEC,
	VSW_PACKET_ATTR_DP_NAME,	/* string: required */
	VSW_PACKET_ATTR_IN_PORT,	/* u32: ingress port number */
	VSW_PACKET_ATTR_PACKET,		/* binary: the Ethernet frame */
	VSW_PACKET_ATTR_KEY,		/* nest: VSW_KEY_ATTR_* (upcalls) */
	VSW_PACKET_ATTR_ACTIONS,	/* nest: VSW_ACTION_ATTR_* (execute) */
	VSW_PACKET_ATTR_LEN,		/* u32: original length if PACKET was cut */
	VSW_PACKET_ATTR_COOKIE,		/* u64: from VSW_USERSPACE_ATTR_COOKIE */
	VSW_PACKET_ATTR_PAD,
	VSW_PACKET_ATTR_MRU,		/* u16: a packet a CT action reassembled:
					 * its largest fragment's size (IP
					 * header on); upcalls carry it and
					 * PACKET_EXECUTE takes it back
					 * (68..65535) so that OUTPUT
					 * fragments it again; see "Fragments"
					 * at VSW_CT_ATTR_* */
	__VSW_PACKET_ATTR_MAX
};
#define VSW_PACKET_ATTR_MAX (__VSW_PACKET_ATTR_MAX - 1)

#endif /* _UAPI_LINUX_VSWITCH_H */
