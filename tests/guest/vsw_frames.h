/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-test helper: well-formed Ethernet frames of every kind the
 * module's parser reads (kmod/flow_key.c), with the offsets where each
 * header starts and where its length fields sit, so tests can cut a frame
 * at every header boundary or lie in its length fields. Also the short
 * tagged test frames the flow tests send and look for, and the AF_PACKET
 * sockets that carry them.
 *
 * Header-only (static inline) because each guest test is built from one
 * source file.
 */
#ifndef _VSW_TEST_FRAMES_H
#define _VSW_TEST_FRAMES_H

#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/time.h>

#define VF_MAX		512
#define VF_MAX_MARKS	24

/* Where a length-like field sits: one byte, a nibble of one, or a be16. */
enum vf_field { VF_BYTE, VF_LO_NIBBLE, VF_HI_NIBBLE, VF_BE16 };

struct vf_lenfield {
	uint16_t off;
	uint8_t kind;		/* enum vf_field */
};

struct vf_frame {
	uint8_t b[VF_MAX];
	unsigned int len;
	unsigned int bound[VF_MAX_MARKS];	/* offsets where a header starts */
	unsigned int n_bound;
	struct vf_lenfield lenf[VF_MAX_MARKS];
	unsigned int n_lenf;
	uint16_t key_eth_type;	/* host order: what the parser calls ETH_TYPE
				 * for this frame sent without VLAN offload */
	uint8_t key_ip_proto;	/* what it calls IP_PROTO, 0 = none */
};

/* Frame kinds: each a different path through the parser. */
enum vf_kind {
	VF_RAW,			/* experimental ethertype, no L3 */
	VF_8023,		/* 802.3 length field + LLC */
	VF_ARP,
	VF_RARP,
	VF_ARP_NOT_IPV4,	/* ARP with other hardware/protocol lengths */
	VF_IP4_TCP,
	VF_IP4_UDP,
	VF_IP4_SCTP,
	VF_IP4_ICMP,
	VF_IP4_OPTS_TCP,	/* IHL 8: 12 bytes of options */
	VF_IP4_FRAG_FIRST,	/* MF, offset 0: L4 still parsed */
	VF_IP4_FRAG_LATER,	/* offset != 0: no L4 */
	VF_IP4_GRE,		/* a protocol without L4 parsing */
	VF_IP4_ICMPV6,		/* ICMPv6 number inside IPv4 */
	VF_IP6_TCP,
	VF_IP6_UDP,
	VF_IP6_SCTP,
	VF_IP6_ICMP6,
	VF_IP6_ND_NS,
	VF_IP6_ND_NA,
	VF_IP6_EXTS,		/* hop-by-hop, dest, routing, AH, then TCP */
	VF_IP6_FRAG_FIRST,
	VF_IP6_FRAG_LATER,
	VF_IP6_MANY_EXTS,	/* more extension headers than the parser walks */
	VF_IP6_ICMP4,		/* ICMP (v4) number inside IPv6 */
	VF_N_KINDS
};

/* VLAN tags in front of the ethertype. */
enum vf_tags { VF_UNTAGGED, VF_VLAN, VF_QINQ, VF_DOUBLE_VLAN, VF_N_TAGS };

static inline const char *vf_kind_name(unsigned int k)
{
	static const char *const names[VF_N_KINDS] = {
		"raw", "802.3", "arp", "rarp", "arp-not-ipv4", "ipv4-tcp",
		"ipv4-udp", "ipv4-sctp", "ipv4-icmp", "ipv4-options-tcp",
		"ipv4-first-fragment", "ipv4-later-fragment", "ipv4-gre",
		"ipv4-icmpv6", "ipv6-tcp", "ipv6-udp", "ipv6-sctp", "ipv6-icmpv6",
		"ipv6-nd-solicit", "ipv6-nd-advert", "ipv6-ext-headers",
		"ipv6-first-fragment", "ipv6-later-fragment", "ipv6-9-ext-headers",
		"ipv6-icmpv4",
	};

	return k < VF_N_KINDS ? names[k] : "?";
}

static inline void vf_put(struct vf_frame *f, const void *p, unsigned int n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static inline void vf_put16(struct vf_frame *f, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	vf_put(f, b, 2);
}

static inline void vf_fill(struct vf_frame *f, uint8_t c, unsigned int n)
{
	memset(f->b + f->len, c, n);
	f->len += n;
}

static inline void vf_mark(struct vf_frame *f)
{
	if (f->n_bound < VF_MAX_MARKS)
		f->bound[f->n_bound++] = f->len;
}

static inline void vf_lenfield(struct vf_frame *f, unsigned int off,
			       enum vf_field kind)
{
	if (f->n_lenf < VF_MAX_MARKS) {
		f->lenf[f->n_lenf].off = off;
		f->lenf[f->n_lenf].kind = kind;
		f->n_lenf++;
	}
}

static inline void vf_set16(struct vf_frame *f, unsigned int off, uint16_t v)
{
	f->b[off] = v >> 8;
	f->b[off + 1] = v & 0xff;
}

/* An L4 header of @proto (and 8 bytes of payload). */
static inline void vf_l4(struct vf_frame *f, uint8_t proto, uint8_t icmp_type)
{
	unsigned int start;

	vf_mark(f);
	start = f->len;
	switch (proto) {
	case 6:				/* TCP: ports, seq, ack, doff 5, SYN */
		vf_put16(f, 40000);
		vf_put16(f, 80);
		vf_fill(f, 0, 8);
		vf_put16(f, 0x5002);
		vf_put16(f, 0xffff);
		vf_fill(f, 0, 4);
		vf_lenfield(f, start + 12, VF_HI_NIBBLE);
		break;
	case 17:			/* UDP */
		vf_put16(f, 40000);
		vf_put16(f, 53);
		vf_put16(f, 16);
		vf_put16(f, 0);
		vf_lenfield(f, start + 4, VF_BE16);
		break;
	case 132:			/* SCTP common header */
		vf_put16(f, 40000);
		vf_put16(f, 9);
		vf_fill(f, 0, 8);
		break;
	case 1:
	case 58:			/* ICMP/ICMPv6 */
		f->b[f->len++] = icmp_type;
		f->b[f->len++] = 0;
		vf_fill(f, 0, 6);
		if (icmp_type == 135 || icmp_type == 136) {	/* ND target */
			vf_mark(f);
			f->b[f->len++] = 0x20;
			vf_fill(f, 0x01, 15);
		}
		break;
	}
	vf_fill(f, 0xa5, 8);
}

static inline void vf_ipv4(struct vf_frame *f, uint8_t proto, unsigned int opts,
			   uint16_t frag, uint8_t icmp_type)
{
	unsigned int start = f->len;

	vf_mark(f);
	f->b[f->len++] = 0x40 | (5 + opts / 4);
	f->b[f->len++] = 0x10;
	vf_put16(f, 0);			/* total length, fixed below */
	vf_put16(f, 0x1234);
	vf_put16(f, frag);
	f->b[f->len++] = 64;
	f->b[f->len++] = proto;
	vf_put16(f, 0);
	vf_put(f, "\xc6\x33\x64\x01\xc6\x33\x64\x02", 8);	/* 198.51.100.1 -> .2 */
	vf_lenfield(f, start, VF_LO_NIBBLE);
	vf_lenfield(f, start + 2, VF_BE16);
	if (opts) {
		vf_mark(f);
		f->b[f->len++] = 0x94;	/* router alert, then NOPs */
		f->b[f->len++] = 4;
		vf_fill(f, 0, 2);
		vf_fill(f, 1, opts - 4);
	}
	if (frag & 0x1fff)
		vf_fill(f, 0x5a, 16);
	else
		vf_l4(f, proto, icmp_type);
	vf_set16(f, start + 2, f->len - start);
}

/* An IPv6 extension header of @type whose next header is @next: 8 bytes
 * (AH: 16, its length byte counting 4-byte units minus 2). */
static inline void vf_ext6(struct vf_frame *f, uint8_t type, uint8_t next)
{
	unsigned int start = f->len, n;

	vf_mark(f);
	f->b[f->len++] = next;
	if (type == 44) {		/* fragment header: fixed 8 bytes */
		f->b[f->len++] = 0;
		vf_fill(f, 0, 6);
		return;
	}
	f->b[f->len++] = type == 51 ? 2 : 0;	/* AH: 16 bytes, others 8 */
	n = type == 51 ? 16 : 8;
	vf_fill(f, type == 51 ? 0x11 : 0x01, n - 2);	/* PadN-ish */
	if (type != 51) {
		f->b[start + 2] = 1;	/* PadN option of 4 bytes */
		f->b[start + 3] = 4;
	}
	vf_lenfield(f, start + 1, VF_BYTE);
}

static inline void vf_ipv6(struct vf_frame *f, unsigned int kind)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	unsigned int start = f->len, i;
	uint8_t proto = 17, icmp = 0;

	vf_mark(f);
	vf_put(f, "\x60\x01\x23\x45", 4);
	vf_put16(f, 0);			/* payload length, fixed below */
	f->b[f->len++] = 0;		/* next header, fixed below */
	f->b[f->len++] = 64;
	vf_put(f, src, 16);
	vf_put(f, dst, 16);
	vf_lenfield(f, start + 4, VF_BE16);
	switch (kind) {
	case VF_IP6_TCP: proto = 6; break;
	case VF_IP6_SCTP: proto = 132; break;
	case VF_IP6_ICMP6: proto = 58; icmp = 128; break;
	case VF_IP6_ND_NS: proto = 58; icmp = 135; break;
	case VF_IP6_ND_NA: proto = 58; icmp = 136; break;
	case VF_IP6_ICMP4: proto = 1; icmp = 8; break;
	}
	f->key_ip_proto = proto;
	switch (kind) {
	case VF_IP6_EXTS:
		f->b[start + 6] = 0;
		vf_ext6(f, 0, 60);
		vf_ext6(f, 60, 43);
		vf_ext6(f, 43, 51);
		vf_ext6(f, 51, 6);
		f->key_ip_proto = 6;
		vf_l4(f, 6, 0);
		break;
	case VF_IP6_FRAG_FIRST:
	case VF_IP6_FRAG_LATER:
		f->b[start + 6] = 44;
		vf_ext6(f, 44, 17);
		if (kind == VF_IP6_FRAG_LATER) {
			vf_set16(f, f->len - 6, 0x0101);	/* offset 32, MF */
			vf_fill(f, 0x5a, 16);
		} else {
			vf_set16(f, f->len - 6, 0x0001);	/* MF */
			vf_l4(f, 17, 0);
		}
		break;
	case VF_IP6_MANY_EXTS:
		f->b[start + 6] = 60;
		for (i = 0; i < 9; i++)
			vf_ext6(f, 60, i < 8 ? 60 : 17);
		f->key_ip_proto = 0;
		vf_l4(f, 17, 0);
		break;
	default:
		f->b[start + 6] = proto;
		vf_l4(f, proto, icmp);
	}
	vf_set16(f, start + 4, f->len - start - 40);
}

static inline void vf_arp(struct vf_frame *f, int ipv4)
{
	unsigned int start = f->len;

	vf_mark(f);
	vf_put16(f, 1);
	vf_put16(f, 0x0800);
	f->b[f->len++] = ipv4 ? 6 : 8;
	f->b[f->len++] = ipv4 ? 4 : 16;
	vf_put16(f, 1);
	vf_put(f, "\x02\x00\x00\x00\x00\x01\xc6\x33\x64\x01", 10);
	vf_put(f, "\x00\x00\x00\x00\x00\x00\xc6\x33\x64\x02", 10);
	vf_lenfield(f, start + 4, VF_BYTE);
	vf_lenfield(f, start + 5, VF_BYTE);
	vf_fill(f, 0, 18);		/* Ethernet padding */
}

/* Builds a frame of @kind behind @tags, from 02:..:01 to 02:..:02. */
static inline void vf_build(struct vf_frame *f, unsigned int kind,
			    unsigned int tags)
{
	static const uint16_t ether[VF_N_KINDS] = {
		[VF_RAW] = 0x88b5, [VF_8023] = 0x002e, [VF_ARP] = 0x0806,
		[VF_RARP] = 0x8035, [VF_ARP_NOT_IPV4] = 0x0806,
		[VF_IP4_TCP ... VF_IP4_ICMPV6] = 0x0800,
		[VF_IP6_TCP ... VF_IP6_ICMP4] = 0x86dd,
	};
	uint16_t type = ether[kind % VF_N_KINDS];

	memset(f, 0, sizeof(*f));
	kind %= VF_N_KINDS;
	vf_put(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	f->key_eth_type = type < 0x600 ? 0x05ff : type;
	switch (tags) {
	case VF_VLAN:
		vf_put(f, "\x81\x00\x20\x0a", 4);
		break;
	case VF_QINQ:		/* the parser reads no 802.1ad tag */
		vf_put(f, "\x88\xa8\x00\x64\x81\x00\x20\x0a", 8);
		f->key_eth_type = 0x88a8;
		break;
	case VF_DOUBLE_VLAN:	/* it reads one 802.1Q tag */
		vf_put(f, "\x81\x00\x00\x64\x81\x00\x20\x0a", 8);
		f->key_eth_type = 0x8100;
		break;
	}
	vf_put16(f, type);
	if (type < 0x600)
		vf_lenfield(f, f->len - 2, VF_BE16);
	switch (kind) {
	case VF_RAW:
		vf_mark(f);
		vf_put(f, "vswitch-hostile-frame", 21);
		vf_fill(f, 0, 25);
		break;
	case VF_8023:
		vf_mark(f);
		vf_put(f, "\xaa\xaa\x03\x00\x00\x00\x88\xb5", 8);
		vf_fill(f, 0x33, 38);
		break;
	case VF_ARP:
	case VF_RARP:
	case VF_ARP_NOT_IPV4:
		vf_arp(f, kind != VF_ARP_NOT_IPV4);
		break;
	case VF_IP4_TCP: vf_ipv4(f, 6, 0, 0, 0); break;
	case VF_IP4_UDP: vf_ipv4(f, 17, 0, 0, 0); break;
	case VF_IP4_SCTP: vf_ipv4(f, 132, 0, 0, 0); break;
	case VF_IP4_ICMP: vf_ipv4(f, 1, 0, 0, 8); break;
	case VF_IP4_OPTS_TCP: vf_ipv4(f, 6, 12, 0, 0); break;
	case VF_IP4_FRAG_FIRST: vf_ipv4(f, 17, 0, 0x2000, 0); break;
	case VF_IP4_FRAG_LATER: vf_ipv4(f, 17, 0, 0x0010, 0); break;
	case VF_IP4_GRE: vf_ipv4(f, 47, 0, 0, 0); break;
	case VF_IP4_ICMPV6: vf_ipv4(f, 58, 0, 0, 128); break;
	default:
		vf_ipv6(f, kind);
	}
	if (kind >= VF_IP4_TCP && kind <= VF_IP4_ICMPV6)
		f->key_ip_proto = f->b[f->bound[0] + 9];
	if (f->key_eth_type != type)
		f->key_ip_proto = 0;
}

/* The values a test writes into a length field of @kind: the extremes,
 * off-by-one around the real value @cur, and every nibble. */
static inline unsigned int vf_lies(enum vf_field kind, unsigned int cur,
				   unsigned int out[16])
{
	static const unsigned int be16[] = { 0, 1, 7, 8, 19, 20, 39, 40,
					     0x7fff, 0x8000, 0xffff };
	static const unsigned int byte[] = { 0, 1, 2, 0x7f, 0x80, 0xfe, 0xff };
	unsigned int n = 0, i;

	switch (kind) {
	case VF_LO_NIBBLE:
	case VF_HI_NIBBLE:
		for (i = 0; i < 16; i++)
			out[n++] = i;
		return n;
	case VF_BYTE:
		for (i = 0; i < sizeof(byte) / sizeof(byte[0]); i++)
			out[n++] = byte[i];
		break;
	case VF_BE16:
		for (i = 0; i < sizeof(be16) / sizeof(be16[0]); i++)
			out[n++] = be16[i];
		break;
	}
	out[n++] = cur + 1;
	if (cur)
		out[n++] = cur - 1;
	return n;
}

static inline unsigned int vf_get_field(const struct vf_frame *f,
					const struct vf_lenfield *l)
{
	switch (l->kind) {
	case VF_LO_NIBBLE: return f->b[l->off] & 0x0f;
	case VF_HI_NIBBLE: return f->b[l->off] >> 4;
	case VF_BE16: return f->b[l->off] << 8 | f->b[l->off + 1];
	default: return f->b[l->off];
	}
}

static inline void vf_set_field(struct vf_frame *f,
				const struct vf_lenfield *l, unsigned int v)
{
	switch (l->kind) {
	case VF_LO_NIBBLE:
		f->b[l->off] = (f->b[l->off] & 0xf0) | (v & 0x0f);
		break;
	case VF_HI_NIBBLE:
		f->b[l->off] = (f->b[l->off] & 0x0f) | (v & 0x0f) << 4;
		break;
	case VF_BE16:
		vf_set16(f, l->off, v);
		break;
	default:
		f->b[l->off] = v;
	}
}

/* --- tagged test frames and the sockets that carry them ------------------ */

#define VF_ETH_TEST 0x88b5	/* IEEE local experimental ethertype */
#define VF_TEST_LEN	60

/* A test frame into @f (VF_TEST_LEN bytes): to 02:00:00:00:00:b0 from
 * 02:00:00:00:@hi:@lo, VF_ETH_TEST, then @tag (at most 8 bytes,
 * naming the test) and @seq from offset 22; zeros elsewhere. */
static inline void vf_test_frame(uint8_t *f, uint8_t hi, uint8_t lo,
				 const char *tag, uint32_t seq)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0xb0 };
	uint8_t src[6] = { 0x02, 0, 0, 0, hi, lo };
	uint16_t type = htons(VF_ETH_TEST);

	memset(f, 0, VF_TEST_LEN);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	memcpy(f + 12, &type, 2);
	memcpy(f + 14, tag, strnlen(tag, 8));
	memcpy(f + 22, &seq, 4);
}

/* Reads AF_PACKET socket @fd until the test frame @tag/@seq comes, from
 * any source; 1 then, 0 once a receive times out (vf_packet_sock()). */
static inline int vf_recv_test_frame(int fd, const char *tag, uint32_t seq)
{
	uint8_t f[2048], want[VF_TEST_LEN];

	vf_test_frame(want, 0, 0, tag, seq);
	for (;;) {
		ssize_t n = recv(fd, f, sizeof(f), 0);

		if (n < 0)
			return 0;
		if (n >= VF_TEST_LEN &&
		    !memcmp(f + 12, want + 12, VF_TEST_LEN - 12))
			return 1;
	}
}

static inline int vf_bind_packet_sock(const char *ifname, int timeout_s)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };
	struct timeval tv = { .tv_sec = timeout_s };
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	if (fd < 0)
		return -1;
	sll.sll_ifindex = if_nametoindex(ifname);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* An AF_PACKET socket for every ethertype, bound to @ifname in network
 * namespace @ns (a name under /run/netns; NULL: the caller's), whose
 * receives wait at most @timeout_s seconds; -1 on failure. The caller
 * is back in its own namespace on return. */
static inline int vf_packet_sock(const char *ns, const char *ifname,
				 int timeout_s)
{
	int orig = -1, nsfd = -1, fd = -1;
	char path[64];

	if (!ns)
		return vf_bind_packet_sock(ifname, timeout_s);
	orig = open("/proc/self/ns/net", O_RDONLY);
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	nsfd = open(path, O_RDONLY);
	if (orig >= 0 && nsfd >= 0 && !setns(nsfd, CLONE_NEWNET)) {
		fd = vf_bind_packet_sock(ifname, timeout_s);
		setns(orig, CLONE_NEWNET);
	}
	if (orig >= 0)
		close(orig);
	if (nsfd >= 0)
		close(nsfd);
	return fd;
}

#endif /* _VSW_TEST_FRAMES_H */
