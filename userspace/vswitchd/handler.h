/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Upcall handler threads of one bridge. Each owns a netlink socket whose
 * port id is registered in the datapath's UPCALL_PIDS (the kernel picks
 * the socket by the packet's flow hash), and every attached port has a
 * socket of its own (the port's UPCALL_PID), served by handler
 * port_no % threads. A handler polls its sockets and reads at most
 * HANDLER_BATCH upcalls per round, each ready socket an equal part of it
 * (round-robin), so a port flooding new flows fills only its own socket
 * (the kernel sheds the rest) and a quiet port's misses wait for at most
 * one round. It translates them (learning MACs), and sends each megaflow
 * install and packet execute in one batch. A flow's upcalls stay in
 * order (one port, one socket).
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
/* Opens port @port_no's upcall socket and registers it with the kernel
 * (vswd.mutex, after PORT_NEW). */
int handlers_port_add(struct handlers *hs, uint32_t port_no, char *err,
		      size_t errlen);
/* Retires port @port_no's socket, closed by its handler (after PORT_DEL,
 * or once the kernel detached the port). */
void handlers_port_del(struct handlers *hs, uint32_t port_no);

#endif /* VSWD_HANDLER_H */
