/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MAC learning table behind the NORMAL action: (MAC, VLAN) -> port,
 * with aging and a size limit. When full, learning a new address evicts
 * the least recently used entry. A MAC seen on another port moves at once.
 * Every change (learn, move, expiry, flush) bumps the version, which the
 * daemon uses to revalidate megaflows that consulted the table.
 */
#ifndef VSW_LIB_MAC_LEARNING_H
#define VSW_LIB_MAC_LEARNING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAC_DEFAULT_MAX		8192
#define MAC_DEFAULT_AGING	300	/* seconds */

struct mac_entry {
	uint8_t mac[6];
	uint16_t vlan;			/* VID, 0 for untagged */
	uint32_t port;
	long long used_ms;		/* last learned (CLOCK_MONOTONIC ms) */
};

struct mac_table;

struct mac_table *mac_table_create(unsigned max_entries, unsigned aging_s);
void mac_table_destroy(struct mac_table *);

/* Records that @mac on @vlan was seen on @port. Returns true when the
 * table changed (new entry or a move), false for a refresh. */
bool mac_table_learn(struct mac_table *, const uint8_t mac[6], uint16_t vlan,
		     uint32_t port, long long now_ms);
/* Finds the port of @mac on @vlan; entries older than the aging time do
 * not count. Returns 0 and sets @port, or -1. */
int mac_table_lookup(const struct mac_table *, const uint8_t mac[6],
		     uint16_t vlan, long long now_ms, uint32_t *port);
/* Drops entries idle longer than the aging time; returns how many. */
unsigned mac_table_expire(struct mac_table *, long long now_ms);
/* Drops the entries on @port; returns how many. */
unsigned mac_table_flush_port(struct mac_table *, uint32_t port);
/* In most-recently-used-first order. */
void mac_table_foreach(const struct mac_table *,
		       void (*cb)(const struct mac_entry *, void *aux),
		       void *aux);
unsigned mac_table_count(const struct mac_table *);
uint64_t mac_table_version(const struct mac_table *);
void mac_table_set_limits(struct mac_table *, unsigned max_entries,
			  unsigned aging_s);

#endif /* VSW_LIB_MAC_LEARNING_H */
