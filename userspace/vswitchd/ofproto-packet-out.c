// SPDX-License-Identifier: GPL-2.0
/*
 * PACKET_OUT (ofproto.h): the controller's frame, run through its
 * actions by the kernel datapath (PACKET_EXECUTE). The frame's flow is
 * extracted here as the kernel would, the actions translated like a
 * rule's (output:TABLE runs the pipeline from table 0), and the result
 * executed with in_port the message's; CONTROLLER and ANY enter through
 * the bridge's local port, as the kernel requires an attached number.
 */
#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "group-mod.h"
#include "dpif.h"
#include "flow-extract.h"
#include "log.h"
#include "ofproto.h"
#include "pipeline.h"
#include "vswitchd.h"
#include "xlate.h"

static bool port_exists(const struct bridge *br, uint32_t ofport)
{
	for (size_t i = 0; i < br->n_ports; i++)
		if (br->ports[i].ofport == ofport)
			return true;
	return false;
}

static uint32_t execute(struct bridge *br, const struct ofp13_pout *po,
			const struct odp_actions *acts)
{
	uint32_t dp_in = po->in_port > OFPP_MAX ? VSW_PORT_LOCAL : po->in_port;
	struct dpif_batch batch;
	int ret;

	if (dpif_batch_init(&batch))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	ret = dpif_batch_execute(&batch, br->name, dp_in, po->data, po->len,
				 acts, 0);
	if (ret >= 0)
		ret = dpif_batch_commit(vswd.dpif, &batch) ?: batch.result[ret];
	if (ret)
		log_info("%s: OpenFlow packet_out: %s", br->name,
			 batch.n ? batch.msg[0] : strerror(-ret));
	dpif_batch_uninit(&batch);
	return ret ? OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_PACKET) : 0;
}

uint32_t ofproto_packet_out(struct bridge *br, const uint8_t *msg, size_t len)
{
	struct ofp13_pout po;
	struct xlate_bridge xb;
	struct xlate_out xo;
	struct flow flow;
	char why[128];
	uint32_t err;

	vswd_assert_locked();
	err = ofp13_decode_packet_out(msg, len, &po);
	if (err)
		return err;
	if (po.in_port <= OFPP_MAX && !port_exists(br, po.in_port)) {
		ofpacts_free(po.acts);
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_PORT);
	}
	err = group_check_rule(br, po.acts, why, sizeof(why));
	if (err) {
		ofpacts_free(po.acts);
		return err;
	}
	if (!vswd.dpif || !br->dp_ok) {	/* config-only: nowhere to send it */
		ofpacts_free(po.acts);
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_EPERM);
	}
	flow_extract(po.data, po.len, po.in_port, &flow);
	bridge_xlate_view(br, &xb);
	if (xlate_packet_out(&xb, &flow, po.acts, &xo))
		log_info("%s: OpenFlow packet_out: %s", br->name,
			 xlate_strerror(xo.error));
	else if (xo.actions.n)
		err = execute(br, &po, &xo.actions);
	xlate_out_uninit(&xo);
	ofpacts_free(po.acts);
	return err;
}

void ofproto_pin_resolve(struct ofproto_pin *p)
{
	struct bridge *br = bridge_find(p->br);
	struct rule *r = NULL;

	vswd_assert_locked();
	if (br && p->c.rule_id)
		r = pipeline_find_rule(br->pl, p->c.rule_id);
	p->cookie = r ? r->spec.cookie : UINT64_MAX;
}
