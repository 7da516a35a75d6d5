/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flow key in plain types, for comparing the kernel's extractor
 * (kmod/flow_key.c, struct vsw_key) with userspace's (lib/flow-extract.c,
 * struct flow, which PACKET_OUT frames go through). The two structs are
 * never included in one file (both headers are "flow.h"); each side
 * converts its key to this one, field by field and by name, so the
 * comparison does not depend on the two layouts staying alike.
 */
#ifndef VSW_TESTS_XKEY_H
#define VSW_TESTS_XKEY_H

#include <stddef.h>
#include <stdint.h>

/* Every field both keys have under the same name: scalars (S) and byte
 * arrays (A). The tunnel metadata is named differently and listed apart. */
#define XKEY_FIELDS(S, A)						\
	S(in_port) S(recirc_id) S(eth_type) S(vlan_tci)			\
	A(eth_src) A(eth_dst)						\
	S(ip_proto) S(ip_tos) S(ip_ttl) S(ip_frag)			\
	S(ipv4_src) S(ipv4_dst) S(tp_src) S(tp_dst) S(tcp_flags)		\
	S(icmp_type) S(icmp_code) S(ct_state) S(ct_zone) S(ct_mark)	\
	S(ipv6_label) S(arp_op) S(arp_spa) S(arp_tpa)			\
	A(arp_sha) A(arp_tha) A(ipv6_src) A(ipv6_dst) A(nd_target)
#define XKEY_TUN_FIELDS(S, A)						\
	S(tun_id) S(ipv4_src) S(ipv4_dst) A(ipv6_src) A(ipv6_dst)	\
	S(tp_src) S(tp_dst) S(flags) S(tos) S(ttl)

#define XKEY_SCALAR(f)	uint64_t f;
#define XKEY_ARRAY(f)	uint8_t f[16];
struct xkey_tun {
	XKEY_TUN_FIELDS(XKEY_SCALAR, XKEY_ARRAY)
};
struct xkey {
	XKEY_FIELDS(XKEY_SCALAR, XKEY_ARRAY)
	struct xkey_tun tun;
};

/* Copies field @f of key @k into @x, which must be zeroed first (arrays
 * shorter than 16 bytes leave the rest zero). */
#define XKEY_GET_S(x, k, f)	(x)->f = (k)->f;
#define XKEY_GET_A(x, k, f)						\
	do {								\
		_Static_assert(sizeof((k)->f) <= 16, #f " too long");	\
		memcpy((x)->f, &(k)->f, sizeof((k)->f));		\
	} while (0);

/* userspace's flow_extract() of the @len bytes at @frame, as an xkey */
void xkey_userspace_extract(const uint8_t *frame, size_t len,
			    uint32_t in_port, struct xkey *x);

#endif /* VSW_TESTS_XKEY_H */
