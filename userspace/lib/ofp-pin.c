// SPDX-License-Identifier: GPL-2.0
/* The PACKET_IN token bucket (ofp-pin.h). */
#include "ofp-pin.h"

#define MILLI_MAX ((uint64_t)OFP_PIN_BURST * 1000)

bool ofp_pin_bucket_take(struct ofp_pin_bucket *b, long long now_ms)
{
	if (!b->last_ms) {
		b->milli = MILLI_MAX;
	} else if (now_ms > b->last_ms) {
		/* OFP_PIN_RATE per second is OFP_PIN_RATE thousandths per ms */
		uint64_t add = (uint64_t)(now_ms - b->last_ms) * OFP_PIN_RATE;

		b->milli = add >= MILLI_MAX - b->milli ? MILLI_MAX : b->milli + add;
	}
	if (now_ms > b->last_ms || !b->last_ms)
		b->last_ms = now_ms ? now_ms : 1;
	if (b->milli < 1000)
		return false;
	b->milli -= 1000;
	return true;
}
