/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's connection tracker over ctnetlink (NETLINK_NETFILTER,
 * subsystem CTNETLINK), with libmnl through nl-sock.h: list connections
 * and delete them. Everything happens in the network namespace of the
 * caller's socket: vswitchd's, where its datapaths and so their
 * connections are. Needs nf_conntrack_netlink (the kernel loads it on
 * the first request when it can).
 */
#ifndef VSW_LIB_CT_NETLINK_H
#define VSW_LIB_CT_NETLINK_H

#include <stddef.h>

#include "ct-conn.h"
#include "nl-sock.h"

/* Opens a ctnetlink socket: 0, or a negative errno with @err set. */
int ct_netlink_open(struct genl_sock *s, char *err, size_t errlen);

/* Calls @cb for every connection (IPv4 and IPv6) that @f matches (NULL:
 * all); @cb returns 0 to go on or a negative errno to stop the dump with
 * it. Returns 0 or a negative errno with @err set.
 */
typedef int (*ct_conn_cb)(const struct ct_conn *c, void *aux);
int ct_netlink_dump(struct genl_sock *s, const struct ct_filter *f,
		    ct_conn_cb cb, void *aux, char *err, size_t errlen);

/* Deletes the connections @f matches (all of them when it is empty, in
 * one request); *@n_deleted counts them (-1 after a flush of all, which
 * the kernel does not count). A connection gone meanwhile is not an
 * error. Returns 0 or a negative errno with @err set.
 */
int ct_netlink_flush(struct genl_sock *s, const struct ct_filter *f,
		     long *n_deleted, char *err, size_t errlen);

/* Parses one ctnetlink IPCTNL_MSG_CT_NEW message into @c: 0, or
 * -EPROTO when it lacks a tuple or an attribute is malformed.
 */
int ct_netlink_parse(const struct nlmsghdr *nlh, struct ct_conn *c);

#endif /* VSW_LIB_CT_NETLINK_H */
