/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control-socket protocol between vswitchctl and vswitchd.
 *
 * A stream Unix socket (default VSW_CTL_SOCKET_DEFAULT, mode 0600). One
 * request and one reply per connection:
 *
 *   request: u32 magic VSW_CTL_MAGIC, u32 length, then @length bytes of
 *            NUL-terminated strings: argv[0] is the command, the others its
 *            arguments exactly as the operator typed them, except that a
 *            FILE argument (add-flows, replace-flows, diff-flows) is
 *            replaced by the file's contents
 *            (the client reads it; the daemon never opens operator paths).
 *   reply:   u32 magic, u32 status, u32 length, then @length bytes of
 *            text: the output on success (status 0) or on
 *            VSW_CTL_STATUS_DIFFER (a success whose answer is "they differ",
 *            which vswitchctl exits with, as diff(1) does), a one-line
 *            message naming the culprit on failure (any other status).
 *
 * All integers are in host order (both ends are on the same host).
 */
#ifndef VSW_LIB_CTL_PROTO_H
#define VSW_LIB_CTL_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define VSW_CTL_SOCKET_DEFAULT	"/run/vswitch/vswitchd.sock"
#define VSW_CTL_MAGIC		0x56535731u	/* "VSW1" */
#define VSW_CTL_MAX_MSG		(64u << 20)
#define VSW_CTL_MAX_ARGS	256
#define VSW_CTL_STATUS_DIFFER	2	/* diff-flows: output, exit status 2 */

struct ctl_request {
	int argc;
	char *argv[VSW_CTL_MAX_ARGS];
	char *buf;			/* owns the strings argv points into */
};

struct ctl_reply {
	uint32_t status;
	char *text;			/* malloc'd, NUL-terminated */
	size_t len;
};

int ctl_send_request(int fd, int argc, char *const argv[]);
/* Returns 0, or a negative errno with @err set to a message. */
int ctl_recv_request(int fd, struct ctl_request *req, char *err, size_t errlen);
void ctl_request_free(struct ctl_request *req);
/* Splits the @len bytes of req->buf (which holds one more, a NUL) into
 * req->argv; 0, or a negative errno with @err set. For servers that read
 * requests themselves. */
int ctl_request_split(struct ctl_request *req, size_t len, char *err,
		      size_t errlen);

int ctl_send_reply(int fd, uint32_t status, const char *text, size_t len);
int ctl_recv_reply(int fd, struct ctl_reply *rep);
void ctl_reply_free(struct ctl_reply *rep);

#endif /* VSW_LIB_CTL_PROTO_H */
