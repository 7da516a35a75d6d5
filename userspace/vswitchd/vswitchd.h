/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's global state.
 *
 * DOC: Locking
 * One mutex, vswd.mutex, protects every bridge, its ports, pipeline, MAC
 * table and megaflow records (ukeys), and the counters below. The main
 * thread (control socket, link monitor) takes it per command; each
 * handler thread takes it per upcall batch around translation and ukey
 * bookkeeping (never across a netlink round trip); the revalidator takes
 * it to process a datapath dump it gathered without it. Nothing sleeps or
 * does netlink I/O with the mutex held except the main thread's own
 * datapath calls for the command being executed (the handlers' sockets
 * are separate, so they cannot deadlock on it). Functions that need the
 * mutex say "Called with vswd.mutex held" and assert it with
 * vswd_assert_locked().
 */
#ifndef VSWD_VSWITCHD_H
#define VSWD_VSWITCHD_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct bridge;
struct dpif;

struct vswd_counters {
	uint64_t upcalls_handled;	/* misses translated */
	uint64_t upcalls_failed;	/* bad upcalls or failed executes */
	uint64_t upcall_overruns;	/* ENOBUFS on a handler socket */
	uint64_t flows_installed;
	uint64_t flows_install_exists;	/* EEXIST races, normal */
	uint64_t flows_install_failed;
	uint64_t flows_removed;		/* idle, limit, or revalidated away */
	uint64_t flows_fixed;		/* actions replaced by revalidation */
	uint64_t flows_adopted;		/* kept after a restart */
	uint64_t reval_runs;
	uint64_t reval_last_us, reval_max_us, reval_total_us;
	uint64_t reval_checked;		/* megaflows re-translated, total */
	uint64_t reval_full_dumps;	/* passes that needed keys and masks */
	uint64_t rule_changes;		/* add/del/modify of rules */
	uint64_t rule_change_touched;	/* megaflows marked by them, total */
	uint64_t rule_change_last_touched;
	uint64_t handler_cpu_us, reval_cpu_us;
	/* handler wall time by phase: reading upcalls, translating (with
	 * the wait for the mutex), installing and executing (the netlink
	 * batch, kernel work included) */
	uint64_t handler_batches;
	uint64_t handler_recv_us, handler_xlate_us, handler_lockwait_us;
	uint64_t handler_commit_us;
	/* the longest hold of vswd.mutex: how long handlers can be stalled */
	uint64_t lock_max_hold_us;
	const char *lock_max_holder;	/* function that took it */
};

struct vswd {
	pthread_mutex_t mutex;
	struct bridge *bridges;		/* sorted by name */
	char state_dir[PATH_MAX];
	bool dp_available;		/* the "vswitch" family exists */
	struct dpif *dpif;		/* main thread's kernel socket */
	unsigned int default_handlers;
	struct vswd_counters c;
	bool stopping;
	pthread_t owner;		/* holder of mutex, for assertions */
	bool locked;
	const char *holder;		/* function that took the mutex */
	uint64_t held_since_us;
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
