// SPDX-License-Identifier: GPL-2.0
/*
 * PORT_STATUS (ofproto.h): a bridge's ports compared with the view the
 * channels last had. ofconn.c calls it every tick (100 ms) for bridges
 * with connections, so a port added or deleted, a link going up or down
 * or a MAC change reaches the controllers within a tick, whichever path
 * made it (vswitchctl, the kernel detaching a port, a cable).
 */
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "ofproto.h"
#include "vswitchd.h"

static const struct ofp13_port *find(const struct ofp13_port *v, size_t n,
				     uint32_t port_no)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].port_no == port_no)
			return &v[i];
	return NULL;
}

/* LOCAL first, then the ports; NULL on allocation failure. */
static struct ofp13_port *snapshot(struct bridge *br, size_t *n)
{
	struct ofp13_port *v = calloc(br->n_ports + 1, sizeof(*v));

	if (!v)
		return NULL;
	ofproto_port_desc(br->name, OFPP_LOCAL, br->dp_ok, &v[0]);
	for (size_t i = 0; i < br->n_ports; i++)
		ofproto_bridge_port_desc(br, &br->ports[i], &v[i + 1]);
	*n = br->n_ports + 1;
	return v;
}

void ofproto_ports_diff(struct bridge *br, struct ofproto_ports *ps,
			ofproto_port_emit *emit, void *aux)
{
	const struct ofp13_port *o;
	struct ofp13_port *now;
	size_t n;

	vswd_assert_locked();
	now = snapshot(br, &n);
	if (!now)
		return;		/* compared again at the next tick */
	for (size_t i = 0; ps->valid && i < n; i++) {
		o = find(ps->v, ps->n, now[i].port_no);
		if (!o)
			emit(OFPPR13_ADD, &now[i], aux);
		else if (memcmp(o, &now[i], sizeof(*o)))
			emit(OFPPR13_MODIFY, &now[i], aux);
	}
	for (size_t i = 0; ps->valid && i < ps->n; i++)
		if (!find(now, n, ps->v[i].port_no))
			emit(OFPPR13_DELETE, &ps->v[i], aux);
	free(ps->v);
	ps->v = now;
	ps->n = n;
	ps->valid = true;
}

void ofproto_ports_clear(struct ofproto_ports *ps)
{
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}
