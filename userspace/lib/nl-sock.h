/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A netlink socket with extended acks (libmnl underneath): request/reply
 * transactions whose errors carry the kernel's NLMSGERR_ATTR_MSG text,
 * and generic netlink family resolution.
 */
#ifndef VSW_LIB_NL_SOCK_H
#define VSW_LIB_NL_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct nl_sock {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char *buf;			/* receive buffer */
	size_t buflen;
};

/* Opens and binds a socket on @bus (NETLINK_GENERIC, NETLINK_ROUTE) with
 * NETLINK_EXT_ACK and NETLINK_CAP_ACK set. */
int nl_sock_open(struct nl_sock *s, int bus, char *err, size_t errlen);
void nl_sock_close(struct nl_sock *s);

/* Called for every reply message of a transaction; returns 0 to go on,
 * or a negative errno (with its own message in the transact's @err) to
 * stop. */
typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *aux);

/* Sends @nlh (sequence number and, unless it is a dump, NLM_F_ACK set
 * here) and feeds replies to @cb until the ack (or NLMSG_DONE of a dump).
 * Returns 0 or a negative errno; on a kernel error @err gets the extack
 * message if there was one, else strerror. */
int nl_sock_transact(struct nl_sock *s, struct nlmsghdr *nlh, nl_msg_cb cb,
		     void *aux, char *err, size_t errlen);

/* For an NLMSG_ERROR message: the negative errno it carries (0 for an
 * ack), and its extack message in @err (strerror when there is none). */
int nl_parse_error(const struct nlmsghdr *nlh, char *err, size_t errlen);

/* Resolves a generic netlink family, and optionally the id of one of its
 * multicast groups (*grp_id = 0 if it has no such group). -ENOENT with a
 * message when the family is not registered. */
int genl_resolve(struct nl_sock *s, const char *family, uint16_t *id,
		 const char *grp, uint32_t *grp_id, char *err, size_t errlen);

/* Starts a generic netlink request in @buf. */
struct nlmsghdr *genl_msg_start(void *buf, uint16_t family, uint16_t flags,
				uint8_t cmd, uint8_t version);

#endif /* VSW_LIB_NL_SOCK_H */
