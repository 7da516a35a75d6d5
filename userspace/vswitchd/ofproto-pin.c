// SPDX-License-Identifier: GPL-2.0
/*
 * PACKET_IN, from the handler threads to the main thread (ofproto.h).
 *
 * A controller action is a USERSPACE action in the datapath: its packets
 * come back as VSW_CMD_ACTION upcalls on the handlers' sockets. A flood
 * of them is held back three times before it can cost the daemon much:
 * the kernel drops what the handlers' sockets cannot take (counted as
 * lost), each (bridge, ingress port) may queue OFP_PIN_RATE packets a
 * second in bursts of OFP_PIN_BURST (ports whose hashes collide share a
 * bucket), and the queue to the main thread holds at most PIN_QUEUE_MAX
 * packets and PIN_QUEUE_BYTES bytes (each cut to its max_len first).
 * What is refused is counted (ofproto_pin_stats()).
 *
 * Locking: pin.lock guards the queue, the buckets and the counters; it
 * is a leaf lock, taken with or without vswd.mutex.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "dpif.h"
#include "ofproto.h"
#include "util.h"

#define PIN_QUEUE_MAX	1024
#define PIN_QUEUE_BYTES	(4 << 20)
#define PIN_BUCKETS	256

static struct {
	pthread_mutex_t lock;
	int efd;
	struct ofproto_pin *head, **tail;
	size_t n, bytes;
	struct ofp_pin_bucket buckets[PIN_BUCKETS];
	struct ofproto_pin_stats stats;
} pin = { .lock = PTHREAD_MUTEX_INITIALIZER, .efd = -1, .tail = &pin.head };

int ofproto_pin_open(void)
{
	pin.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return pin.efd < 0 ? -errno : pin.efd;
}

void ofproto_pin_close(void)
{
	struct ofproto_pin *p = ofproto_pin_take();

	while (p) {
		struct ofproto_pin *next = p->next;

		free(p);
		p = next;
	}
	if (pin.efd >= 0)
		close(pin.efd);
	pin.efd = -1;
}

static unsigned int bucket_of(const char *dp, uint32_t in_port)
{
	uint32_t h = 2166136261u;

	for (; *dp; dp++)
		h = (h ^ (uint8_t)*dp) * 16777619u;
	h = (h ^ in_port) * 16777619u;
	return h % PIN_BUCKETS;
}

/* Refuses (and counts) what the limits do not let in. pin.lock held. */
static bool admit(const char *dp, uint32_t in_port, size_t len)
{
	if (!ofp_pin_bucket_take(&pin.buckets[bucket_of(dp, in_port)],
				 vsw_time_msec())) {
		pin.stats.dropped_rate++;
		return false;
	}
	if (pin.n >= PIN_QUEUE_MAX || pin.bytes + len > PIN_QUEUE_BYTES) {
		pin.stats.dropped_queue++;
		return false;
	}
	return true;
}

void ofproto_pin_submit(const char *dp, const struct dpif_upcall *up)
{
	struct ofp_pin_cookie c = ofp_pin_cookie_unpack(up->cookie);
	size_t len = up->packet_len;
	struct ofproto_pin *p;
	bool wake;

	if (c.max_len != OFPACT_CONTROLLER_ALL && len > c.max_len)
		len = c.max_len;
	pthread_mutex_lock(&pin.lock);
	if (!admit(dp, up->in_port, len)) {
		pthread_mutex_unlock(&pin.lock);
		return;
	}
	p = malloc(sizeof(*p) + len);
	if (!p) {
		pin.stats.dropped_queue++;
		pthread_mutex_unlock(&pin.lock);
		return;
	}
	snprintf(p->br, sizeof(p->br), "%s", dp);
	p->c = c;
	p->in_port = up->in_port;
	p->total_len = up->orig_len ? up->orig_len : up->packet_len;
	p->len = len;
	memcpy(p->data, up->packet, len);
	p->next = NULL;
	wake = !pin.head;
	*pin.tail = p;
	pin.tail = &p->next;
	pin.n++;
	pin.bytes += len;
	pin.stats.queued++;
	pthread_mutex_unlock(&pin.lock);
	if (wake && pin.efd >= 0) {
		uint64_t one = 1;

		(void)!write(pin.efd, &one, sizeof(one));
	}
}

struct ofproto_pin *ofproto_pin_take(void)
{
	struct ofproto_pin *p;
	uint64_t v;

	if (pin.efd >= 0)
		(void)!read(pin.efd, &v, sizeof(v));
	pthread_mutex_lock(&pin.lock);
	p = pin.head;
	pin.head = NULL;
	pin.tail = &pin.head;
	pin.n = pin.bytes = 0;
	pthread_mutex_unlock(&pin.lock);
	return p;
}

void ofproto_pin_count_unsent(uint64_t n)
{
	pthread_mutex_lock(&pin.lock);
	pin.stats.dropped_channel += n;
	pthread_mutex_unlock(&pin.lock);
}

struct ofproto_pin_stats ofproto_pin_stats(void)
{
	struct ofproto_pin_stats s;

	pthread_mutex_lock(&pin.lock);
	s = pin.stats;
	pthread_mutex_unlock(&pin.lock);
	return s;
}
