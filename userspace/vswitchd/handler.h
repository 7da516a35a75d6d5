/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Upcall handler threads of one bridge. Each owns a netlink socket whose
 * port id is registered in the datapath's UPCALL_PIDS (the kernel picks
 * the socket by the packet's flow hash). A handler reads at most HANDLER_BATCH upcalls
 * in arrival order, translates them (learning MACs), and sends each
 * megaflow install and packet execute in one batch. The kernel's per-port
 * upcall fairness is kept: no reordering, no per-port priority, bounded
 * batches.
 */
#ifndef VSWD_HANDLER_H
#define VSWD_HANDLER_H

#include <stddef.h>
#include <stdint.h>

#define HANDLER_BATCH 64

struct bridge;
struct handlers;

/* Opens @n sockets and starts @n threads for @br, registering their port
 * ids with the kernel datapath through @dpif. Called with vswd.mutex. */
int handlers_start(struct bridge *br, unsigned int n, char *err,
		   size_t errlen);
/* Stops and joins the threads and closes the sockets. Called without
 * vswd.mutex (the threads take it). */
void handlers_stop(struct handlers *h);
unsigned int handlers_count(const struct handlers *h);

#endif /* VSWD_HANDLER_H */
