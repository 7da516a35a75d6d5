// SPDX-License-Identifier: GPL-2.0
#include "datapath.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "dpif.h"
#include "handler.h"
#include "log.h"
#include "mac-learning.h"
#include "revalidator.h"
#include "tunnel-port.h"
#include "vswitchd.h"

static void dp_config(const struct bridge *br, struct dpif_dp_config *c)
{
	c->set = DPIF_CFG_MICROFLOW_SIZE | DPIF_CFG_FLOW_LIMIT |
		 DPIF_CFG_UPCALL_RATE | DPIF_CFG_UPCALL_BURST;
	c->microflow_size = br->set.microflow_size;
	c->flow_limit = br->set.flow_limit;
	c->upcall_rate = br->set.upcall_rate;
	c->upcall_burst = br->set.upcall_burst;
}

struct kport_aux {
	struct bridge *br;
	uint32_t stale[256];
	size_t n_stale;
};

/* Matches the kernel's ports after an adoption against the config. */
static int kport_cb(const struct dpif_port_info *kp, void *aux_)
{
	struct kport_aux *aux = aux_;
	struct port *p;

	if (kp->port_no == VSW_PORT_LOCAL || tnl_port_adopt(aux->br, kp))
		return 0;
	p = bridge_find_port(aux->br, kp->ifname);
	if (p && p->ofport == kp->port_no &&
	    p->patch == (kp->type == VSW_PORT_TYPE_PATCH) &&
	    (!p->patch || !strcmp(kp->peer, p->peer))) {
		p->present = true;
		p->ifindex = kp->ifindex;
	} else if (aux->n_stale < 256) {
		aux->stale[aux->n_stale++] = kp->port_no;
	}
	return 0;
}

static void sync_ports(struct bridge *br)
{
	struct kport_aux aux = { br, { 0 }, 0 };
	char err[256];
	size_t i;

	if (dpif_port_dump(vswd.dpif, br->name, kport_cb, &aux, err, sizeof(err)))
		log_warn("%s: listing kernel ports: %s", br->name, err);
	for (i = 0; i < aux.n_stale; i++) {
		log_info("%s: detaching unconfigured kernel port %u", br->name,
			 aux.stale[i]);
		dpif_port_del(vswd.dpif, br->name, aux.stale[i], err, sizeof(err));
	}
	for (i = 0; i < br->n_ports; i++)
		if (!br->ports[i].present &&
		    dp_port_attach(br, &br->ports[i], err, sizeof(err)))
			log_warn("%s: port %s: %s", br->name, br->ports[i].name, err);
}

int dp_bridge_up(struct bridge *br, char *err, size_t errlen)
{
	struct dpif_dp_config cfg;
	int ret;

	vswd_assert_locked();
	if (!vswd.dp_available)
		return 0;
	dp_config(br, &cfg);
	ret = dpif_dp_new(vswd.dpif, br->name, &cfg, NULL, err, errlen);
	if (ret == -EEXIST) {
		/* left by a previous daemon: keep it and its flows */
		log_info("%s: adopting the existing kernel datapath", br->name);
		ret = dpif_dp_set(vswd.dpif, br->name, &cfg, err, errlen);
	}
	if (ret)
		return ret;
	br->dp_ok = true;
	sync_ports(br);
	bridge_refresh(br);
	return handlers_start(br, br->set.handler_threads, err, errlen);
}

void dp_bridge_down(struct bridge *br, bool delete)
{
	struct handlers *hs = br->handlers;
	char err[256];

	vswd_assert_locked();
	br->handlers = NULL;
	if (hs) {
		vswd_unlock();
		handlers_stop(hs);
		vswd_lock();
	}
	if (delete && br->dp_ok &&
	    dpif_dp_del(vswd.dpif, br->name, err, sizeof(err)))
		log_warn("%s: deleting datapath: %s", br->name, err);
	if (delete) {
		br->dp_ok = false;
		ukey_table_destroy(&br->ukeys);
	}
}

int dp_port_attach(struct bridge *br, struct port *p, char *err,
		   size_t errlen)
{
	struct dpif_port_info info;
	int ret;

	vswd_assert_locked();
	if (!vswd.dp_available || !br->dp_ok || p->present)
		return 0;
	if (p->tnl.type)
		return tnl_port_attach(br, p, err, errlen);
	if (p->patch) {		/* the kernel joins it to its peer */
		ret = dpif_port_new_patch(vswd.dpif, br->name, p->name, p->peer,
					  p->ofport, &info, err, errlen);
	} else {
		if (!if_nametoindex(p->name))
			return 0;	/* not there yet: attach when it appears */
		ret = dpif_port_new(vswd.dpif, br->name, p->name, p->ofport,
				    &info, err, errlen);
		if (ret == -ENODEV)
			return 0;
	}
	if (ret)
		return ret;
	p->present = true;
	p->ifindex = info.ifindex;
	log_info("%s: attached %s as port %u%s", br->name, p->name, p->ofport,
		 p->patch ? " (kernel patch port)" : "");
	/* without a socket of its own the port still has the shared ones */
	if (br->handlers &&
	    handlers_port_add(br->handlers, p->ofport, err, errlen))
		log_warn("%s: port %s: upcall socket: %s", br->name, p->name,
			 err);
	bridge_refresh(br);
	return 0;
}

void dp_port_detach(struct bridge *br, struct port *p)
{
	char err[256];

	vswd_assert_locked();
	if (p->tnl.type) {
		tnl_port_detach(br, p);
		return;
	}
	if (p->present && br->dp_ok &&
	    dpif_port_del(vswd.dpif, br->name, p->ofport, err, sizeof(err)))
		log_warn("%s: detaching %s: %s", br->name, p->name, err);
	if (p->present && br->handlers)
		handlers_port_del(br->handlers, p->ofport);
	p->present = false;
	p->ifindex = 0;
	bridge_refresh(br);
}

int dp_apply_settings(struct bridge *br, const struct bridge_settings *old,
		      char *err, size_t errlen)
{
	struct dpif_dp_config cfg;
	struct handlers *hs;
	char local[256];
	int ret;

	vswd_assert_locked();
	if (!err) {
		err = local;
		errlen = sizeof(local);
	}
	if (!vswd.dp_available || !br->dp_ok)
		return 0;
	dp_config(br, &cfg);
	if (old && old->microflow_size == br->set.microflow_size)
		cfg.set &= ~DPIF_CFG_MICROFLOW_SIZE;
	if (old && old->flow_limit == br->set.flow_limit)
		cfg.set &= ~DPIF_CFG_FLOW_LIMIT;
	if (old && old->upcall_rate == br->set.upcall_rate)
		cfg.set &= ~DPIF_CFG_UPCALL_RATE;
	if (old && old->upcall_burst == br->set.upcall_burst)
		cfg.set &= ~DPIF_CFG_UPCALL_BURST;
	ret = cfg.set ? dpif_dp_set(vswd.dpif, br->name, &cfg, err, errlen) : 0;
	if (ret)
		return ret;
	hs = br->handlers;
	if (hs && handlers_count(hs) == br->set.handler_threads)
		return 0;
	br->handlers = NULL;
	if (hs) {
		vswd_unlock();
		handlers_stop(hs);
		vswd_lock();
	}
	return handlers_start(br, br->set.handler_threads, err, errlen);
}

void dp_link_state(const char *ifname, bool running)
{
	struct bridge *br;
	struct port *p = port_find_any(ifname, &br);

	vswd_assert_locked();
	if (!p || p->link_down == !running)
		return;
	log_info("%s: link of %s %s", br->name, ifname, running ? "up" : "down");
	p->link_down = !running;
	bridge_refresh(br);
	reval_mark_all(br);
}

void dp_link_event(const char *ifname, int ifindex, bool exists)
{
	struct bridge *br;
	struct port *p = port_find_any(ifname, &br);
	char err[256];

	vswd_assert_locked();
	if (!p || !br->dp_ok || p->tnl.type || p->patch)
		return;
	if (exists && !p->present) {
		if (dp_port_attach(br, p, err, sizeof(err)))
			log_warn("%s: attaching %s: %s", br->name, ifname, err);
		else if (p->present)
			reval_mark_all(br);
	} else if (!exists && p->present) {
		log_info("%s: interface %s went away; port %u kept configured",
			 br->name, ifname, p->ofport);
		/* the kernel detached it with the netdev */
		if (br->handlers)
			handlers_port_del(br->handlers, p->ofport);
		p->present = false;
		p->ifindex = 0;
		bridge_refresh(br);
		mac_table_flush_port(br->macs, p->ofport);
		reval_mark_all(br);
	}
}
