// SPDX-License-Identifier: GPL-2.0
/*
 * The patch relay: a packet that leaves one kernel datapath by a patch
 * port whose peer is on another (patch-port.h) comes to a handler as a
 * USERSPACE upcall with a patch cookie (ofp-pin.h). It is translated in
 * the peer bridge as if it had arrived by the peer port, as Open
 * vSwitch's crossing does, and executed in the peer's datapath. Every
 * such packet takes this path: nothing of the peer bridge is cached in a
 * megaflow, so the peer's rules and MAC table apply to each packet as
 * they are at that moment.
 *
 * A loop of patch ports across datapaths would relay forever; the cookie
 * counts the relays and the packet is dropped, and logged, after
 * PATCH_RELAY_MAX_HOPS.
 */
#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "dpif.h"
#include "flow-extract.h"
#include "log.h"
#include "ofp-pin.h"
#include "patch-port.h"
#include "revalidator.h"
#include "vswitchd.h"

#define PATCH_RELAY_MAX_HOPS	16

static void relay_execute(struct bridge *ob, const struct dpif_upcall *up,
			  const struct odp_actions *acts)
{
	struct dpif_batch batch;
	int ret;

	if (dpif_batch_init(&batch))
		return;
	/* the peer port is no kernel port: enter by the local port, as a
	 * PACKET_OUT from the controller does */
	ret = dpif_batch_execute(&batch, ob->name, VSW_PORT_LOCAL, up->packet,
				 up->packet_len, acts);
	if (ret >= 0)
		ret = dpif_batch_commit(vswd.dpif, &batch) ?: batch.result[ret];
	if (ret)
		log_info("%s: patch relay: %s", ob->name,
			 batch.n ? batch.msg[0] : strerror(-ret));
	dpif_batch_uninit(&batch);
}

/* Translates and executes in @ob. Called with the mutex. */
static void relay_one(struct port *p, struct bridge *ob, struct port *o,
		      const struct dpif_upcall *up, uint8_t hops)
{
	struct xlate_bridge xb;
	struct xlate_out xo;
	struct flow flow;

	p->patch_packets++;
	p->patch_bytes += up->packet_len;
	flow_extract(up->packet, up->packet_len, o->ofport, &flow);
	bridge_xlate_view(ob, &xb);
	xb.relay_hops = hops;
	xlate_flow(&xb, &flow, true, &xo, NULL);
	if (xo.learned)
		reval_mark_mac(ob, flow.eth_src);
	if (!xo.error && xo.actions.n && vswd.dpif && ob->dp_ok)
		relay_execute(ob, up, &xo.actions);
	xlate_out_uninit(&xo);
}

void patch_relay(const char *dp, const struct dpif_upcall *up)
{
	struct ofp_pin_cookie c = ofp_pin_cookie_unpack(up->cookie);
	struct bridge *br, *ob;
	struct port *p, *o;

	vswd_lock();
	br = bridge_find(dp);
	p = br ? bridge_find_port_no(br, c.rule_id) : NULL;
	if (!p || !p->patch || patch_status(br, p, &ob, &o))
		goto out_unlock;	/* removed meanwhile: forwards nothing */
	if (c.table >= PATCH_RELAY_MAX_HOPS) {
		p->patch_loops++;
		if (p->patch_loops == 1 || !(p->patch_loops % 1000))
			log_warn("%s: patch port %s: a packet relayed %u times "
				 "between datapaths (a loop of patch ports?) is "
				 "dropped (%llu so far)", br->name, p->name,
				 c.table, (unsigned long long)p->patch_loops);
		goto out_unlock;
	}
	relay_one(p, ob, o, up, c.table);
out_unlock:
	vswd_unlock();
}
