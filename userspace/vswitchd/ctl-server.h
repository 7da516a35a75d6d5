/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket (lib/ctl-proto.h): a Unix stream socket, mode 0600,
 * accepting only root or the daemon's own user. Each client has its own
 * non-blocking state and a deadline (10 s to send its request, 10 s to
 * read the reply), so none can hold up the others; commands run on the
 * main thread, one at a time.
 */
#ifndef VSWD_CTL_SERVER_H
#define VSWD_CTL_SERVER_H

#include <stddef.h>

/* Refuses to start when another daemon answers on @path. */
int ctl_server_open(const char *path, char *err, size_t errlen);
void ctl_server_close(void);
/* An fd to poll for POLLIN: readable when a connection, a client or a
 * deadline needs attention. */
int ctl_server_fd(void);
/* Does what is ready without blocking: accepts, reads, runs complete
 * requests, writes replies, drops clients past their deadline. */
void ctl_server_run(void);

#endif /* VSWD_CTL_SERVER_H */
