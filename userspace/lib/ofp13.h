/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenFlow 1.3 on the wire, as the ONF's OpenFlow Switch Specification
 * 1.3.5 defines it: message types, the fixed parts of the messages vswitch
 * reads or writes, and the error types and codes it answers with. Every
 * multi-byte field is big-endian on the wire; the structs below are packed
 * and hold the raw (network order) values, so they are read and written
 * with ntohs()/htonl()/be64 helpers only.
 *
 * Only what vswitch speaks is here; lib/ofp-msg.h is the codec built on it.
 */
#ifndef VSW_LIB_OFP13_H
#define VSW_LIB_OFP13_H

#include <stdint.h>

#define OFP13_VERSION		0x04
#define OFP13_TCP_PORT		6653
#define OFP13_MAX_MSG		0xffff	/* length is a 16-bit field */

enum ofp13_type {
	OFPT13_HELLO = 0,
	OFPT13_ERROR = 1,
	OFPT13_ECHO_REQUEST = 2,
	OFPT13_ECHO_REPLY = 3,
	OFPT13_EXPERIMENTER = 4,
	OFPT13_FEATURES_REQUEST = 5,
	OFPT13_FEATURES_REPLY = 6,
	OFPT13_GET_CONFIG_REQUEST = 7,
	OFPT13_GET_CONFIG_REPLY = 8,
	OFPT13_SET_CONFIG = 9,
	OFPT13_PACKET_IN = 10,
	OFPT13_FLOW_REMOVED = 11,
	OFPT13_PORT_STATUS = 12,
	OFPT13_PACKET_OUT = 13,
	OFPT13_FLOW_MOD = 14,
	OFPT13_GROUP_MOD = 15,
	OFPT13_PORT_MOD = 16,
	OFPT13_TABLE_MOD = 17,
	OFPT13_MULTIPART_REQUEST = 18,
	OFPT13_MULTIPART_REPLY = 19,
	OFPT13_BARRIER_REQUEST = 20,
	OFPT13_BARRIER_REPLY = 21,
	OFPT13_QUEUE_GET_CONFIG_REQUEST = 22,
	OFPT13_QUEUE_GET_CONFIG_REPLY = 23,
	OFPT13_ROLE_REQUEST = 24,
	OFPT13_ROLE_REPLY = 25,
	OFPT13_GET_ASYNC_REQUEST = 26,
	OFPT13_GET_ASYNC_REPLY = 27,
	OFPT13_SET_ASYNC = 28,
	OFPT13_METER_MOD = 29,
};

struct ofp13_header {
	uint8_t version;
	uint8_t type;
	uint16_t length;	/* including this header */
	uint32_t xid;
} __attribute__((packed));

/* HELLO elements: type, length (without padding), body, padded to 8. */
#define OFPHET_VERSIONBITMAP	1

struct ofp13_error {
	struct ofp13_header h;
	uint16_t type;
	uint16_t code;
	/* data: at least the first 64 bytes of the failed request */
} __attribute__((packed));

/* Reserved ports (32-bit in OpenFlow 1.1+). */
#define OFPP13_MAX		0xffffff00u
#define OFPP13_IN_PORT		0xfffffff8u
#define OFPP13_TABLE		0xfffffff9u
#define OFPP13_NORMAL		0xfffffffau
#define OFPP13_FLOOD		0xfffffffbu
#define OFPP13_ALL		0xfffffffcu
#define OFPP13_CONTROLLER	0xfffffffdu
#define OFPP13_LOCAL		0xfffffffeu
#define OFPP13_ANY		0xffffffffu
#define OFPG13_ANY		0xffffffffu
#define OFPTT13_ALL		0xff
#define OFP13_NO_BUFFER		0xffffffffu
#define OFPCML13_NO_BUFFER	0xffff
#define OFPCML13_MAX		0xffe5	/* largest max_len that is a length */

/* PACKET_IN: then an ofp_match (in_port), 2 bytes of zeros, the frame. */
struct ofp13_packet_in {
	struct ofp13_header h;
	uint32_t buffer_id;
	uint16_t total_len;	/* of the frame, before max_len cut it */
	uint8_t reason;		/* OFPR13_* */
	uint8_t table_id;
	uint64_t cookie;
} __attribute__((packed));

enum { OFPR13_NO_MATCH = 0, OFPR13_ACTION = 1, OFPR13_INVALID_TTL = 2 };

/* PACKET_OUT: then actions_len bytes of actions, then the frame. */
struct ofp13_packet_out {
	struct ofp13_header h;
	uint32_t buffer_id;
	uint32_t in_port;
	uint16_t actions_len;
	uint8_t pad[6];
} __attribute__((packed));

struct ofp13_switch_features {
	struct ofp13_header h;
	uint64_t datapath_id;
	uint32_t n_buffers;
	uint8_t n_tables;
	uint8_t auxiliary_id;
	uint8_t pad[2];
	uint32_t capabilities;	/* OFPC13_* */
	uint32_t reserved;
} __attribute__((packed));

#define OFPC13_FLOW_STATS	(1 << 0)
#define OFPC13_TABLE_STATS	(1 << 1)
#define OFPC13_PORT_STATS	(1 << 2)
#define OFPC13_GROUP_STATS	(1 << 3)
#define OFPC13_IP_REASM		(1 << 5)
#define OFPC13_QUEUE_STATS	(1 << 6)
#define OFPC13_PORT_BLOCKED	(1 << 8)

struct ofp13_switch_config {
	struct ofp13_header h;
	uint16_t flags;		/* OFPC13_FRAG_*: vswitch knows only NORMAL */
	uint16_t miss_send_len;
} __attribute__((packed));

#define OFPC13_FRAG_MASK	3

/* The match: type OXM, length without padding, TLVs, padded to 8. */
#define OFPMT13_OXM		1
struct ofp13_match {
	uint16_t type;
	uint16_t length;
} __attribute__((packed));

/* An OXM TLV header: class(16) field(7) hasmask(1) length(8). */
#define OFPXMC13_NXM_0		0x0000
#define OFPXMC13_NXM_1		0x0001
#define OFPXMC13_OPENFLOW_BASIC	0x8000
#define OFPXMC13_PACKET_REGS	0x8001	/* xreg0..7 (OpenFlow 1.5, OVS) */
#define OFPXMC13_EXPERIMENTER	0xffff

enum ofp13_oxm_field {
	OFPXMT13_IN_PORT = 0,
	OFPXMT13_IN_PHY_PORT = 1,
	OFPXMT13_METADATA = 2,
	OFPXMT13_ETH_DST = 3,
	OFPXMT13_ETH_SRC = 4,
	OFPXMT13_ETH_TYPE = 5,
	OFPXMT13_VLAN_VID = 6,
	OFPXMT13_VLAN_PCP = 7,
	OFPXMT13_IP_DSCP = 8,
	OFPXMT13_IP_ECN = 9,
	OFPXMT13_IP_PROTO = 10,
	OFPXMT13_IPV4_SRC = 11,
	OFPXMT13_IPV4_DST = 12,
	OFPXMT13_TCP_SRC = 13,
	OFPXMT13_TCP_DST = 14,
	OFPXMT13_UDP_SRC = 15,
	OFPXMT13_UDP_DST = 16,
	OFPXMT13_SCTP_SRC = 17,
	OFPXMT13_SCTP_DST = 18,
	OFPXMT13_ICMPV4_TYPE = 19,
	OFPXMT13_ICMPV4_CODE = 20,
	OFPXMT13_ARP_OP = 21,
	OFPXMT13_ARP_SPA = 22,
	OFPXMT13_ARP_TPA = 23,
	OFPXMT13_ARP_SHA = 24,
	OFPXMT13_ARP_THA = 25,
	OFPXMT13_IPV6_SRC = 26,
	OFPXMT13_IPV6_DST = 27,
	OFPXMT13_IPV6_FLABEL = 28,
	OFPXMT13_ICMPV6_TYPE = 29,
	OFPXMT13_ICMPV6_CODE = 30,
	OFPXMT13_IPV6_ND_TARGET = 31,
	OFPXMT13_IPV6_ND_SLL = 32,
	OFPXMT13_IPV6_ND_TLL = 33,
	OFPXMT13_MPLS_LABEL = 34,
	OFPXMT13_MPLS_TC = 35,
	OFPXMT13_MPLS_BOS = 36,
	OFPXMT13_PBB_ISID = 37,
	OFPXMT13_TUNNEL_ID = 38,
	OFPXMT13_IPV6_EXTHDR = 39,
};

/* Nicira NXM fields that Open vSwitch also sends inside OpenFlow 1.3
 * matches, in class OFPXMC13_NXM_1: fragments, TCP flags, the outer
 * addresses of a tunnel and the connection tracking fields
 * (ovs-fields(7)). The tunnel key also has NXM_NX_TUN_ID, read as an
 * alias of OXM_OF_TUNNEL_ID. */
#define NXM13_NX_TUN_ID		16
#define NXM13_NX_IP_FRAG	26
#define NXM13_NX_TUN_IPV4_SRC	31
#define NXM13_NX_TUN_IPV4_DST	32
#define NXM13_NX_TCP_FLAGS	34
#define NXM13_NX_CT_STATE	105	/* 32 bits on the wire */
#define NXM13_NX_CT_ZONE	106
#define NXM13_NX_CT_MARK	107
#define NXM13_NX_CT_LABEL	108	/* 128 bits, most significant first */
#define NXM13_NX_TUN_IPV6_SRC	109
#define NXM13_NX_TUN_IPV6_DST	110
#define NXM13_NX_CT_NW_PROTO	119
#define NXM13_NX_CT_NW_SRC	120
#define NXM13_NX_CT_NW_DST	121
#define NXM13_NX_CT_IPV6_SRC	122
#define NXM13_NX_CT_IPV6_DST	123
#define NXM13_NX_CT_TP_SRC	124
#define NXM13_NX_CT_TP_DST	125

#define OFPVID13_PRESENT	0x1000
#define OFPVID13_NONE		0x0000

enum ofp13_flow_mod_command {
	OFPFC13_ADD = 0,
	OFPFC13_MODIFY = 1,
	OFPFC13_MODIFY_STRICT = 2,
	OFPFC13_DELETE = 3,
	OFPFC13_DELETE_STRICT = 4,
};

#define OFPFF13_SEND_FLOW_REM	(1 << 0)
#define OFPFF13_CHECK_OVERLAP	(1 << 1)
#define OFPFF13_RESET_COUNTS	(1 << 2)
#define OFPFF13_NO_PKT_COUNTS	(1 << 3)
#define OFPFF13_NO_BYT_COUNTS	(1 << 4)

struct ofp13_flow_mod {
	struct ofp13_header h;
	uint64_t cookie;
	uint64_t cookie_mask;
	uint8_t table_id;
	uint8_t command;
	uint16_t idle_timeout;
	uint16_t hard_timeout;
	uint16_t priority;
	uint32_t buffer_id;
	uint32_t out_port;
	uint32_t out_group;
	uint16_t flags;
	uint8_t pad[2];
	/* struct ofp13_match, then instructions */
} __attribute__((packed));

enum ofp13_instruction_type {
	OFPIT13_GOTO_TABLE = 1,
	OFPIT13_WRITE_METADATA = 2,
	OFPIT13_WRITE_ACTIONS = 3,
	OFPIT13_APPLY_ACTIONS = 4,
	OFPIT13_CLEAR_ACTIONS = 5,
	OFPIT13_METER = 6,
	OFPIT13_EXPERIMENTER = 0xffff,
};

/* Every instruction and action starts with type and length. */
struct ofp13_tlv {
	uint16_t type;
	uint16_t len;
} __attribute__((packed));

enum ofp13_action_type {
	OFPAT13_OUTPUT = 0,
	OFPAT13_COPY_TTL_OUT = 11,
	OFPAT13_COPY_TTL_IN = 12,
	OFPAT13_SET_MPLS_TTL = 15,
	OFPAT13_DEC_MPLS_TTL = 16,
	OFPAT13_PUSH_VLAN = 17,
	OFPAT13_POP_VLAN = 18,
	OFPAT13_PUSH_MPLS = 19,
	OFPAT13_POP_MPLS = 20,
	OFPAT13_SET_QUEUE = 21,
	OFPAT13_GROUP = 22,
	OFPAT13_SET_NW_TTL = 23,
	OFPAT13_DEC_NW_TTL = 24,
	OFPAT13_SET_FIELD = 25,
	OFPAT13_PUSH_PBB = 26,
	OFPAT13_POP_PBB = 27,
	OFPAT13_EXPERIMENTER = 0xffff,
};

/* Nicira's experimenter id and the Nicira actions vswitch speaks:
 * resubmit(port,table), which Open vSwitch sends for resubmit, and
 * conntrack's ct(...) with its nested nat and loads, and ct_clear
 * (ofp-nx-ct.c). Every Nicira action starts with a 10-byte header:
 * type, len, vendor, subtype. */
#define NX13_VENDOR_ID		0x00002320
#define NX13_HEADER_LEN		10
#define NXAST13_RESUBMIT	1
#define NXAST13_REG_LOAD	7	/* ofs_nbits, NXM dst, be64 value */
#define NXAST13_RESUBMIT_TABLE	14
#define NXAST13_REG_LOAD2	33	/* an OXM with its mask */
#define NXAST13_CT		35
#define NXAST13_NAT		36
#define NXAST13_CT_CLEAR	43

/* NXAST13_CT: flags, zone_src (an NXM header, 0: immediate zone),
 * zone_ofs_nbits (or the zone), recirc_table (NX13_CT_RECIRC_NONE:
 * none), 3 pad, alg; nested actions follow. */
#define NX13_CT_LEN		24
#define NX13_CT_F_COMMIT	(1 << 0)
#define NX13_CT_F_FORCE		(1 << 1)
#define NX13_CT_RECIRC_NONE	0xff

/* NXAST13_NAT: 2 pad, flags, range_present, then the ranges present in
 * this order: IPv4 min, max, IPv6 min, max, port min, max. */
#define NX13_NAT_LEN		16
#define NX13_NAT_F_SRC		(1 << 0)
#define NX13_NAT_F_DST		(1 << 1)
#define NX13_NAT_F_PERSISTENT	(1 << 2)
#define NX13_NAT_F_PROTO_HASH	(1 << 3)
#define NX13_NAT_F_PROTO_RANDOM	(1 << 4)
#define NX13_NAT_RANGE_IPV4_MIN	(1 << 0)
#define NX13_NAT_RANGE_IPV4_MAX	(1 << 1)
#define NX13_NAT_RANGE_IPV6_MIN	(1 << 2)
#define NX13_NAT_RANGE_IPV6_MAX	(1 << 3)
#define NX13_NAT_RANGE_PROTO_MIN (1 << 4)
#define NX13_NAT_RANGE_PROTO_MAX (1 << 5)

struct ofp13_multipart {
	struct ofp13_header h;
	uint16_t type;		/* OFPMP13_* */
	uint16_t flags;		/* OFPMPF13_*_MORE */
	uint8_t pad[4];
} __attribute__((packed));

#define OFPMPF13_MORE		1

enum ofp13_multipart_type {
	OFPMP13_DESC = 0,
	OFPMP13_FLOW = 1,
	OFPMP13_AGGREGATE = 2,
	OFPMP13_TABLE = 3,
	OFPMP13_PORT_STATS = 4,
	OFPMP13_QUEUE = 5,
	OFPMP13_GROUP = 6,
	OFPMP13_GROUP_DESC = 7,
	OFPMP13_GROUP_FEATURES = 8,
	OFPMP13_METER = 9,
	OFPMP13_METER_CONFIG = 10,
	OFPMP13_METER_FEATURES = 11,
	OFPMP13_TABLE_FEATURES = 12,
	OFPMP13_PORT_DESC = 13,
	OFPMP13_EXPERIMENTER = 0xffff,
};

/* FLOW and AGGREGATE requests share this body. */
struct ofp13_flow_stats_request {
	uint8_t table_id;
	uint8_t pad[3];
	uint32_t out_port;
	uint32_t out_group;
	uint8_t pad2[4];
	uint64_t cookie;
	uint64_t cookie_mask;
	/* struct ofp13_match */
} __attribute__((packed));

struct ofp13_flow_stats {
	uint16_t length;
	uint8_t table_id;
	uint8_t pad;
	uint32_t duration_sec;
	uint32_t duration_nsec;
	uint16_t priority;
	uint16_t idle_timeout;
	uint16_t hard_timeout;
	uint16_t flags;
	uint8_t pad2[4];
	uint64_t cookie;
	uint64_t packet_count;
	uint64_t byte_count;
	/* struct ofp13_match, then instructions */
} __attribute__((packed));

struct ofp13_aggregate_stats {
	uint64_t packet_count;
	uint64_t byte_count;
	uint32_t flow_count;
	uint8_t pad[4];
} __attribute__((packed));

struct ofp13_table_stats {
	uint8_t table_id;
	uint8_t pad[3];
	uint32_t active_count;
	uint64_t lookup_count;
	uint64_t matched_count;
} __attribute__((packed));

#define OFP13_DESC_STR_LEN	256
#define OFP13_SERIAL_NUM_LEN	32
struct ofp13_desc {
	char mfr_desc[OFP13_DESC_STR_LEN];
	char hw_desc[OFP13_DESC_STR_LEN];
	char sw_desc[OFP13_DESC_STR_LEN];
	char serial_num[OFP13_SERIAL_NUM_LEN];
	char dp_desc[OFP13_DESC_STR_LEN];
} __attribute__((packed));

#define OFP13_MAX_PORT_NAME_LEN	16
struct ofp13_port {
	uint32_t port_no;
	uint8_t pad[4];
	uint8_t hw_addr[6];
	uint8_t pad2[2];
	char name[OFP13_MAX_PORT_NAME_LEN];
	uint32_t config;	/* OFPPC13_* */
	uint32_t state;		/* OFPPS13_* */
	uint32_t curr, advertised, supported, peer;
	uint32_t curr_speed, max_speed;
} __attribute__((packed));

struct ofp13_port_status {
	struct ofp13_header h;
	uint8_t reason;		/* OFPPR13_* */
	uint8_t pad[7];
	struct ofp13_port desc;
} __attribute__((packed));

enum { OFPPR13_ADD = 0, OFPPR13_DELETE = 1, OFPPR13_MODIFY = 2 };

/* FLOW_REMOVED: then the rule's ofp_match. */
struct ofp13_flow_removed {
	struct ofp13_header h;
	uint64_t cookie;
	uint16_t priority;
	uint8_t reason;		/* OFPRR13_* */
	uint8_t table_id;
	uint32_t duration_sec;
	uint32_t duration_nsec;
	uint16_t idle_timeout;
	uint16_t hard_timeout;
	uint64_t packet_count;
	uint64_t byte_count;
} __attribute__((packed));

enum { OFPRR13_IDLE_TIMEOUT = 0, OFPRR13_HARD_TIMEOUT = 1, OFPRR13_DELETE = 2,
       OFPRR13_GROUP_DELETE = 3 };

#define OFPPC13_PORT_DOWN	(1 << 0)
#define OFPPS13_LINK_DOWN	(1 << 0)
#define OFPPS13_LIVE		(1 << 2)

struct ofp13_port_stats_request {
	uint32_t port_no;
	uint8_t pad[4];
} __attribute__((packed));

struct ofp13_port_stats {
	uint32_t port_no;
	uint8_t pad[4];
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
	uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions;
	uint32_t duration_sec;
	uint32_t duration_nsec;
} __attribute__((packed));

/* Error types and the codes vswitch answers with. */
enum ofp13_error_type {
	OFPET13_HELLO_FAILED = 0,
	OFPET13_BAD_REQUEST = 1,
	OFPET13_BAD_ACTION = 2,
	OFPET13_BAD_INSTRUCTION = 3,
	OFPET13_BAD_MATCH = 4,
	OFPET13_FLOW_MOD_FAILED = 5,
	OFPET13_GROUP_MOD_FAILED = 6,
	OFPET13_PORT_MOD_FAILED = 7,
	OFPET13_TABLE_MOD_FAILED = 8,
	OFPET13_QUEUE_OP_FAILED = 9,
	OFPET13_SWITCH_CONFIG_FAILED = 10,
	OFPET13_ROLE_REQUEST_FAILED = 11,
	OFPET13_METER_MOD_FAILED = 12,
	OFPET13_TABLE_FEATURES_FAILED = 13,
};

enum { OFPHFC13_INCOMPATIBLE = 0, OFPHFC13_EPERM = 1 };

enum {
	OFPBRC13_BAD_VERSION = 0,
	OFPBRC13_BAD_TYPE = 1,
	OFPBRC13_BAD_MULTIPART = 2,
	OFPBRC13_BAD_EXPERIMENTER = 3,
	OFPBRC13_BAD_EXP_TYPE = 4,
	OFPBRC13_EPERM = 5,
	OFPBRC13_BAD_LEN = 6,
	OFPBRC13_BUFFER_EMPTY = 7,
	OFPBRC13_BUFFER_UNKNOWN = 8,
	OFPBRC13_BAD_TABLE_ID = 9,
	OFPBRC13_IS_SLAVE = 10,
	OFPBRC13_BAD_PORT = 11,
	OFPBRC13_BAD_PACKET = 12,
	OFPBRC13_MULTIPART_BUFFER_OVERFLOW = 13,
};

enum {
	OFPBAC13_BAD_TYPE = 0,
	OFPBAC13_BAD_LEN = 1,
	OFPBAC13_BAD_EXPERIMENTER = 2,
	OFPBAC13_BAD_EXP_TYPE = 3,
	OFPBAC13_BAD_OUT_PORT = 4,
	OFPBAC13_BAD_ARGUMENT = 5,
	OFPBAC13_EPERM = 6,
	OFPBAC13_TOO_MANY = 7,
	OFPBAC13_BAD_QUEUE = 8,
	OFPBAC13_BAD_OUT_GROUP = 9,
	OFPBAC13_MATCH_INCONSISTENT = 10,
	OFPBAC13_UNSUPPORTED_ORDER = 11,
	OFPBAC13_BAD_TAG = 12,
	OFPBAC13_BAD_SET_TYPE = 13,
	OFPBAC13_BAD_SET_LEN = 14,
	OFPBAC13_BAD_SET_ARGUMENT = 15,
};

enum {
	OFPBIC13_UNKNOWN_INST = 0,
	OFPBIC13_UNSUP_INST = 1,
	OFPBIC13_BAD_TABLE_ID = 2,
	OFPBIC13_UNSUP_METADATA = 3,
	OFPBIC13_UNSUP_METADATA_MASK = 4,
	OFPBIC13_BAD_EXPERIMENTER = 5,
	OFPBIC13_BAD_EXP_TYPE = 6,
	OFPBIC13_BAD_LEN = 7,
	OFPBIC13_EPERM = 8,
};

enum {
	OFPBMC13_BAD_TYPE = 0,
	OFPBMC13_BAD_LEN = 1,
	OFPBMC13_BAD_TAG = 2,
	OFPBMC13_BAD_DL_ADDR_MASK = 3,
	OFPBMC13_BAD_NW_ADDR_MASK = 4,
	OFPBMC13_BAD_WILDCARDS = 5,
	OFPBMC13_BAD_FIELD = 6,
	OFPBMC13_BAD_VALUE = 7,
	OFPBMC13_BAD_MASK = 8,
	OFPBMC13_BAD_PREREQ = 9,
	OFPBMC13_DUP_FIELD = 10,
	OFPBMC13_EPERM = 11,
};

enum {
	OFPFMFC13_UNKNOWN = 0,
	OFPFMFC13_TABLE_FULL = 1,
	OFPFMFC13_BAD_TABLE_ID = 2,
	OFPFMFC13_OVERLAP = 3,
	OFPFMFC13_EPERM = 4,
	OFPFMFC13_BAD_TIMEOUT = 5,
	OFPFMFC13_BAD_COMMAND = 6,
	OFPFMFC13_BAD_FLAGS = 7,
};

/* GROUP_MOD_FAILED codes (OpenFlow 1.3.5, 7.4.4). */
enum {
	OFPGMFC13_GROUP_EXISTS = 0,
	OFPGMFC13_INVALID_GROUP = 1,
	OFPGMFC13_WEIGHT_UNSUPPORTED = 2,
	OFPGMFC13_OUT_OF_GROUPS = 3,
	OFPGMFC13_OUT_OF_BUCKETS = 4,
	OFPGMFC13_CHAINING_UNSUPPORTED = 5,
	OFPGMFC13_WATCH_UNSUPPORTED = 6,
	OFPGMFC13_LOOP = 7,
	OFPGMFC13_UNKNOWN_GROUP = 8,
	OFPGMFC13_CHAINED_GROUP = 9,
	OFPGMFC13_BAD_TYPE = 10,
	OFPGMFC13_BAD_COMMAND = 11,
	OFPGMFC13_BAD_BUCKET = 12,
	OFPGMFC13_BAD_WATCH = 13,
	OFPGMFC13_EPERM = 14,
};

enum { OFPSCFC13_BAD_FLAGS = 0, OFPSCFC13_BAD_LEN = 1, OFPSCFC13_EPERM = 2 };

enum { OFPRRFC13_STALE = 0, OFPRRFC13_UNSUP = 1, OFPRRFC13_BAD_ROLE = 2 };

enum ofp13_controller_role {
	OFPCR13_ROLE_NOCHANGE = 0,
	OFPCR13_ROLE_EQUAL = 1,
	OFPCR13_ROLE_MASTER = 2,
	OFPCR13_ROLE_SLAVE = 3,
};

struct ofp13_role_request {
	struct ofp13_header h;
	uint32_t role;
	uint8_t pad[4];
	uint64_t generation_id;
} __attribute__((packed));

/* GET_ASYNC_REPLY / SET_ASYNC: [0] for master or equal, [1] for slave. */
struct ofp13_async_config {
	struct ofp13_header h;
	uint32_t packet_in_mask[2];
	uint32_t port_status_mask[2];
	uint32_t flow_removed_mask[2];
} __attribute__((packed));

/* Groups (OpenFlow 1.3.5, 7.3.4.2, 7.3.5.9-11). GROUP_MOD: then buckets. */
struct ofp13_group_mod {
	struct ofp13_header h;
	uint16_t command;	/* OFPGC_* */
	uint8_t type;		/* OFPGT_* */
	uint8_t pad;
	uint32_t group_id;
} __attribute__((packed));

/* A bucket: then its actions, up to len. */
struct ofp13_bucket {
	uint16_t len;		/* including this header and the actions */
	uint16_t weight;
	uint32_t watch_port;
	uint32_t watch_group;
	uint8_t pad[4];
} __attribute__((packed));

/* GROUP_DESC reply entry: then buckets. */
struct ofp13_group_desc {
	uint16_t length;
	uint8_t type;
	uint8_t pad;
	uint32_t group_id;
} __attribute__((packed));

/* GROUP stats request and reply entry (then one counter per bucket). */
struct ofp13_group_stats_request {
	uint32_t group_id;
	uint8_t pad[4];
} __attribute__((packed));

struct ofp13_group_stats {
	uint16_t length;
	uint8_t pad[2];
	uint32_t group_id;
	uint32_t ref_count;
	uint8_t pad2[4];
	uint64_t packet_count;
	uint64_t byte_count;
	uint32_t duration_sec;
	uint32_t duration_nsec;
} __attribute__((packed));

struct ofp13_bucket_counter {
	uint64_t packet_count;
	uint64_t byte_count;
} __attribute__((packed));

struct ofp13_group_features {
	uint32_t types;		/* bit per OFPGT_* */
	uint32_t capabilities;	/* OFPGFC13_* */
	uint32_t max_groups[4];
	uint32_t actions[4];	/* bit per OFPAT13_*, per type */
} __attribute__((packed));

#define OFPGFC13_SELECT_WEIGHT		(1 << 0)
#define OFPGFC13_SELECT_LIVENESS	(1 << 1)
#define OFPGFC13_CHAINING		(1 << 2)
#define OFPGFC13_CHAINING_CHECKS	(1 << 3)

#endif /* VSW_LIB_OFP13_H */
