/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket (lib/ctl-proto.h): a Unix stream socket, mode 0600,
 * accepting only root or the daemon's own user. Requests are served one
 * at a time on the main thread.
 */
#ifndef VSWD_CTL_SERVER_H
#define VSWD_CTL_SERVER_H

#include <stddef.h>

/* Refuses to start when another daemon answers on @path. */
int ctl_server_open(const char *path, char *err, size_t errlen);
void ctl_server_close(void);
int ctl_server_fd(void);
/* Accepts and serves one connection. */
void ctl_server_run(void);

#endif /* VSWD_CTL_SERVER_H */
