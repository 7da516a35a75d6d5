/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink client (libmnl underneath), the only one in the
 * project: vswitchd (through dpif), tests/tools, the guest tests and the
 * bench tools all open their sockets, resolve families and read the
 * kernel's answers here. (rtnetlink is libnl-route-3's: linkmon.)
 *
 * A socket has NETLINK_EXT_ACK and NETLINK_CAP_ACK set, so a refused
 * request comes back with the kernel's message, the offset of the
 * attribute it blames and the type of a missing one (struct nl_ack).
 * Requests are any message the caller built, well-formed or not: the
 * client only sets the sequence number (and NLM_F_ACK on a non-dump).
 */
#ifndef VSW_LIB_NL_SOCK_H
#define VSW_LIB_NL_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* The kernel's answer to the last request: its errno and extended ack.
 * Every field is 0 or empty when the kernel did not say it. */
struct nl_ack {
	int error;		/* 0 or a negative errno */
	char msg[256];		/* NLMSGERR_ATTR_MSG (a warning on success) */
	uint32_t off;		/* NLMSGERR_ATTR_OFFS: the bad attribute's
				 * byte offset from the request's start */
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE: a missing
				 * attribute's type */
};

struct genl_sock {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;		/* of the last request sent */
	char *buf;		/* receive buffer */
	size_t buflen;
	struct nl_ack ack;	/* of the last genl_sock_transact() */
};

/* Opens and binds a generic netlink socket with NETLINK_EXT_ACK and
 * NETLINK_CAP_ACK set. */
int genl_sock_open(struct genl_sock *s, char *err, size_t errlen);
/* The same on another netlink bus (NETLINK_NETFILTER: ctnetlink); the
 * transactions below work on any bus, genl_resolve() only on generic. */
int nl_sock_open(struct genl_sock *s, int bus, char *err, size_t errlen);
void genl_sock_close(struct genl_sock *s);
int genl_sock_fd(const struct genl_sock *s);

/* Joins multicast group @grp (from genl_resolve()). */
int genl_sock_join(struct genl_sock *s, uint32_t grp, char *err, size_t errlen);

/* Called for every reply message of a transaction; returns >= 0 to go
 * on, or a negative errno to fail the transaction (the rest of its
 * replies are still read). A callback may write its own message into the
 * transact's @err (cleared at the start); if it leaves it empty, the
 * message is "bad reply: " and the errno's text. */
typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *aux);

/* Sends @nlh (sequence number and, unless it is a dump, NLM_F_ACK set
 * here) and feeds replies to @cb until the ack (or NLMSG_DONE of a dump).
 * Returns 0 or a negative errno. s->ack gets the kernel's answer; on an
 * error @err gets its extack message if there was one, else strerror
 * (or what failed locally: sending, receiving). */
int genl_sock_transact(struct genl_sock *s, struct nlmsghdr *nlh, nl_msg_cb cb,
		     void *aux, char *err, size_t errlen);

/* Reads an NLMSG_ERROR (or a dump's NLMSG_DONE) into @ack; returns the
 * negative errno it carries, 0 for an ack, -EPROTO if truncated. */
int nl_parse_ack(const struct nlmsghdr *nlh, struct nl_ack *ack);

/* nl_parse_ack() for whoever needs only the text: the extack message
 * in @err (strerror when there is none). */
int nl_parse_error(const struct nlmsghdr *nlh, char *err, size_t errlen);

/* Resolves a generic netlink family, and optionally the id of one of its
 * multicast groups (*grp_id = 0 if it has no such group). -ENOENT with a
 * message when the family is not registered. */
int genl_resolve(struct genl_sock *s, const char *family, uint16_t *id,
		 const char *grp, uint32_t *grp_id, char *err, size_t errlen);

/* Starts a generic netlink request in @buf. */
struct nlmsghdr *genl_msg_start(void *buf, uint16_t family, uint16_t flags,
				uint8_t cmd, uint8_t version);

#endif /* VSW_LIB_NL_SOCK_H */
