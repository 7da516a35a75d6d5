/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's global state (vswitchd.c); its counters are in counters.h.
 *
 * DOC: Locking
 * One mutex, vswd.mutex, protects every bridge, its ports, pipeline, MAC
 * table and megaflow records (ukeys), and the fields of struct vswd
 * (the per-thread counters take no lock: counters.h). The main thread
 * (control socket, link monitor) takes it per command; each
 * handler thread takes it per upcall batch around translation and ukey
 * bookkeeping (never across a netlink round trip); the revalidator takes
 * it to process a datapath dump it gathered without it. Nothing sleeps or
 * does netlink I/O with the mutex held except the main thread's own
 * datapath calls for the command being executed (the handlers' sockets
 * are separate, so they cannot deadlock on it). Functions that need the
 * mutex say "Called with vswd.mutex held" and assert it with
 * vswd_assert_locked(). One command drops it for its netlink I/O:
 * dump-dp-flows, which reads only the kernel's flows (cmd-dp.c).
 */
#ifndef VSWD_VSWITCHD_H
#define VSWD_VSWITCHD_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct bridge;
struct dpif;

struct vswd {
	pthread_mutex_t mutex;
	struct bridge *bridges;		/* sorted by name */
	char state_dir[PATH_MAX];
	bool dp_available;		/* the "vswitch" family exists */
	struct dpif *dpif;		/* main thread's kernel socket */
	unsigned int default_handlers;
	bool stopping;
	pthread_t owner;		/* holder of mutex, for assertions */
	bool locked;
	const char *holder;		/* function that took the mutex */
	uint64_t held_since_us;
	/* the longest hold of the mutex: how long handlers can be stalled */
	uint64_t lock_max_hold_us;
	const char *lock_max_holder;	/* function that took it */
};

extern struct vswd vswd;

/* vswd_lock() records its caller, for the longest-hold counter. */
void vswd_lock_at(const char *who);
#define vswd_lock() vswd_lock_at(__func__)
void vswd_unlock(void);
/* Aborts unless the calling thread holds vswd.mutex. */
void vswd_assert_locked(void);
/* Microseconds of CPU this thread used. */
uint64_t vswd_thread_cpu_us(void);

#endif /* VSWD_VSWITCHD_H */
