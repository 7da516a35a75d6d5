// SPDX-License-Identifier: GPL-2.0
/*
 * FLOW_REMOVED (ofproto.h). A rule added with SEND_FLOW_REM that expires
 * (the revalidator thread) or is deleted (OpenFlow, vswitchctl) is
 * described here, under vswd.mutex, while it still exists; the main
 * thread (ofconn-async.c) sends the descriptions. At most REM_QUEUE_MAX
 * wait; more are dropped and counted (a controller that deletes a
 * million flagged rules at once gets the first ones).
 *
 * Locking: rem.lock guards the queue; a leaf lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ofproto.h"
#include "pipeline.h"
#include "util.h"
#include "vswitchd.h"

#define REM_QUEUE_MAX 65536

static struct {
	pthread_mutex_t lock;
	int efd;
	struct ofproto_removed *head, **tail;
	size_t n;
	uint64_t dropped;
} rem = { .lock = PTHREAD_MUTEX_INITIALIZER, .efd = -1, .tail = &rem.head };

int ofproto_removed_open(void)
{
	rem.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return rem.efd < 0 ? -errno : rem.efd;
}

void ofproto_removed_close(void)
{
	struct ofproto_removed *r = ofproto_removed_take(), *next;

	for (; r; r = next) {
		next = r->next;
		free(r);
	}
	if (rem.efd >= 0)
		close(rem.efd);
	rem.efd = -1;
}

void ofproto_rule_removed(const char *br, const struct rule *r, uint8_t reason,
			  long long now_ms)
{
	struct ofproto_removed *x;
	bool wake;

	vswd_assert_locked();
	if (!r->spec.send_flow_rem)
		return;
	x = calloc(1, sizeof(*x));
	pthread_mutex_lock(&rem.lock);
	if (!x || rem.n >= REM_QUEUE_MAX) {
		rem.dropped++;
		pthread_mutex_unlock(&rem.lock);
		free(x);
		return;
	}
	snprintf(x->br, sizeof(x->br), "%s", br);
	x->m.spec = r->spec;
	x->m.spec.acts = NULL;		/* the rule's: not kept */
	x->m.reason = reason;
	x->m.age_ms = now_ms - r->created_ms;
	x->m.packets = r->n_packets;
	x->m.bytes = r->n_bytes;
	wake = !rem.head;
	*rem.tail = x;
	rem.tail = &x->next;
	rem.n++;
	pthread_mutex_unlock(&rem.lock);
	if (wake && rem.efd >= 0) {
		uint64_t one = 1;

		(void)!write(rem.efd, &one, sizeof(one));
	}
}

uint8_t ofproto_expiry_reason(const struct rule *r, long long now_ms)
{
	if (r->spec.hard_timeout &&
	    now_ms - r->created_ms >= (long long)r->spec.hard_timeout * 1000)
		return OFPRR13_HARD_TIMEOUT;
	return OFPRR13_IDLE_TIMEOUT;
}

struct ofproto_removed *ofproto_removed_take(void)
{
	struct ofproto_removed *x;
	uint64_t v;

	if (rem.efd >= 0)
		(void)!read(rem.efd, &v, sizeof(v));
	pthread_mutex_lock(&rem.lock);
	x = rem.head;
	rem.head = NULL;
	rem.tail = &rem.head;
	rem.n = 0;
	pthread_mutex_unlock(&rem.lock);
	return x;
}
