// SPDX-License-Identifier: GPL-2.0
/* MAC learning: a hash of (MAC, VLAN) entries on an LRU list. */
#include <stdlib.h>
#include <string.h>
#include "mac-learning.h"
#include "util.h"

struct mac_node {
	struct mac_entry e;
	struct mac_node *hnext;
	struct mac_node *prev, *next;	/* LRU: head = most recent */
};

struct mac_table {
	struct mac_node **buckets;
	size_t n_buckets;
	struct mac_node *head, *tail;
	unsigned count, max_entries, aging_s;
	uint64_t version;
};

static uint64_t mac_hash(const uint8_t mac[6], uint16_t vlan)
{
	uint64_t v = 0;

	memcpy(&v, mac, 6);
	return hash_mix(hash_mix(0x2545f491u, v), vlan);
}

struct mac_table *mac_table_create(unsigned max_entries, unsigned aging_s)
{
	struct mac_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->n_buckets = 256;
	t->buckets = calloc(t->n_buckets, sizeof(*t->buckets));
	if (!t->buckets) {
		free(t);
		return NULL;
	}
	t->max_entries = max_entries ? max_entries : MAC_DEFAULT_MAX;
	t->aging_s = aging_s ? aging_s : MAC_DEFAULT_AGING;
	t->version = 1;
	return t;
}

static void lru_unlink(struct mac_table *t, struct mac_node *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else
		t->head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		t->tail = n->prev;
	n->prev = n->next = NULL;
}

static void lru_push_head(struct mac_table *t, struct mac_node *n)
{
	n->prev = NULL;
	n->next = t->head;
	if (t->head)
		t->head->prev = n;
	t->head = n;
	if (!t->tail)
		t->tail = n;
}

static struct mac_node **find_slot(const struct mac_table *t,
				   const uint8_t mac[6], uint16_t vlan)
{
	struct mac_node **p = &t->buckets[mac_hash(mac, vlan) & (t->n_buckets - 1)];

	for (; *p; p = &(*p)->hnext)
		if ((*p)->e.vlan == vlan && !memcmp((*p)->e.mac, mac, 6))
			break;
	return p;
}

static void remove_node(struct mac_table *t, struct mac_node *n)
{
	struct mac_node **p = find_slot(t, n->e.mac, n->e.vlan);

	*p = n->hnext;
	lru_unlink(t, n);
	free(n);
	t->count--;
	t->version++;
}

static void mac_table_flush(struct mac_table *t)
{
	while (t->head)
		remove_node(t, t->head);
}

void mac_table_destroy(struct mac_table *t)
{
	if (!t)
		return;
	mac_table_flush(t);
	free(t->buckets);
	free(t);
}

static void grow(struct mac_table *t)
{
	size_t n = t->n_buckets * 2;
	struct mac_node **b = calloc(n, sizeof(*b));

	if (!b)
		return;
	for (size_t i = 0; i < t->n_buckets; i++) {
		struct mac_node *x = t->buckets[i], *next;

		for (; x; x = next) {
			size_t j = mac_hash(x->e.mac, x->e.vlan) & (n - 1);

			next = x->hnext;
			x->hnext = b[j];
			b[j] = x;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->n_buckets = n;
}

bool mac_table_learn(struct mac_table *t, const uint8_t mac[6], uint16_t vlan,
		     uint32_t port, long long now_ms)
{
	struct mac_node **p = find_slot(t, mac, vlan), *n = *p;

	if (n) {
		bool moved = n->e.port != port;

		n->e.port = port;
		n->e.used_ms = now_ms;
		lru_unlink(t, n);
		lru_push_head(t, n);
		if (moved)
			t->version++;
		return moved;
	}
	if (mac[0] & 1)			/* never learn group addresses */
		return false;
	while (t->count >= t->max_entries && t->tail)
		remove_node(t, t->tail);
	n = calloc(1, sizeof(*n));
	if (!n)
		return false;
	memcpy(n->e.mac, mac, 6);
	n->e.vlan = vlan;
	n->e.port = port;
	n->e.used_ms = now_ms;
	p = find_slot(t, mac, vlan);
	*p = n;
	lru_push_head(t, n);
	t->count++;
	t->version++;
	if (t->count > t->n_buckets)
		grow(t);
	return true;
}

static bool aged(const struct mac_table *t, const struct mac_node *n,
		 long long now_ms)
{
	return now_ms - n->e.used_ms >= (long long)t->aging_s * 1000;
}

int mac_table_lookup(const struct mac_table *t, const uint8_t mac[6],
		     uint16_t vlan, long long now_ms, uint32_t *port)
{
	struct mac_node *n = *find_slot(t, mac, vlan);

	if (!n || aged(t, n, now_ms))
		return -1;
	*port = n->e.port;
	return 0;
}

unsigned mac_table_expire(struct mac_table *t, long long now_ms)
{
	unsigned k = 0;

	/* The LRU tail is the oldest entry. */
	while (t->tail && aged(t, t->tail, now_ms)) {
		remove_node(t, t->tail);
		k++;
	}
	return k;
}

unsigned mac_table_flush_port(struct mac_table *t, uint32_t port)
{
	struct mac_node *n = t->head, *next;
	unsigned k = 0;

	for (; n; n = next) {
		next = n->next;
		if (n->e.port == port) {
			remove_node(t, n);
			k++;
		}
	}
	return k;
}

void mac_table_foreach(const struct mac_table *t,
		       void (*cb)(const struct mac_entry *, void *), void *aux)
{
	for (const struct mac_node *n = t->head; n; n = n->next)
		cb(&n->e, aux);
}

unsigned mac_table_count(const struct mac_table *t)
{
	return t->count;
}

uint64_t mac_table_version(const struct mac_table *t)
{
	return t->version;
}

void mac_table_set_limits(struct mac_table *t, unsigned max_entries,
			  unsigned aging_s)
{
	if (max_entries)
		t->max_entries = max_entries;
	if (aging_s)
		t->aging_s = aging_s;
	while (t->count > t->max_entries && t->tail)
		remove_node(t, t->tail);
	t->version++;
}
