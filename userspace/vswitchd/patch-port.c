// SPDX-License-Identifier: GPL-2.0
/* Patch ports: their options, whether a patch is complete, the crossing. */
#include "patch-port.h"

#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "revalidator.h"
#include "vswitchd.h"

int patch_parse_option(struct port *p, const char *opt, char *err,
		       size_t errlen)
{
	const char *v;

	if (!strcmp(opt, "type=patch")) {
		p->patch = true;
		return 0;
	}
	if (strncmp(opt, "options:", 8))
		return 1;
	if (strncmp(opt, "options:peer=", 13)) {
		if (!p->patch_other[0])
			snprintf(p->patch_other, sizeof(p->patch_other), "%s", opt);
		return 1;
	}
	v = opt + 13;
	if (!*v || strlen(v) >= sizeof(p->peer) || strchr(v, '/') ||
	    strchr(v, ' ')) {
		snprintf(err, errlen, "invalid options:peer '%s': want a port "
			 "name of 1..%zu characters", v, sizeof(p->peer) - 1);
		return -1;
	}
	snprintf(p->peer, sizeof(p->peer), "%s", v);
	return 0;
}

int patch_check(const struct port *p, char *err, size_t errlen)
{
	if (!p->patch) {
		if (p->peer[0]) {
			snprintf(err, errlen, "options:peer is for patch ports: "
				 "give type=patch");
			return -1;
		}
		return 0;
	}
	if (p->tnl.type) {
		snprintf(err, errlen, "type= given twice (patch and a tunnel "
			 "type)");
		return -1;
	}
	if (p->patch_other[0]) {
		snprintf(err, errlen, "patch port %s takes only options:peer, "
			 "not '%s'", p->name, p->patch_other);
		return -1;
	}
	if (!p->peer[0]) {
		snprintf(err, errlen, "patch port %s needs options:peer=NAME "
			 "(the patch port at its other end)", p->name);
		return -1;
	}
	if (!strcmp(p->peer, p->name)) {
		snprintf(err, errlen, "patch port %s cannot be its own peer",
			 p->name);
		return -1;
	}
	return 0;
}

void patch_format(const struct port *p, struct strbuf *sb)
{
	if (p->patch)
		strbuf_printf(sb, " type=patch options:peer=%s", p->peer);
}

const char *patch_status(const struct bridge *br, const struct port *p,
			 struct bridge **peer_br, struct port **peer)
{
	static char why[160];
	struct bridge *ob;
	struct port *o;

	(void)br;
	vswd_assert_locked();
	o = port_find_any(p->peer, &ob);
	if (!o) {
		snprintf(why, sizeof(why), "peer '%s' does not exist", p->peer);
		return why;
	}
	if (!o->patch) {
		snprintf(why, sizeof(why), "peer '%s' is not a patch port",
			 p->peer);
		return why;
	}
	if (strcmp(o->peer, p->name)) {
		snprintf(why, sizeof(why), "peer '%s' has peer '%s', not '%s'",
			 p->peer, o->peer, p->name);
		return why;
	}
	if (peer_br)
		*peer_br = ob;
	if (peer)
		*peer = o;
	return NULL;
}

int patch_how(const struct bridge *br, const struct bridge *ob,
	      const char **why)
{
	static char buf[160];

	if (br == ob || (!br->dp_ok && !ob->dp_ok))
		return XPATCH_CROSS;	/* one datapath, or none */
	if (br->dp_ok && ob->dp_ok)
		return XPATCH_RELAY;
	snprintf(buf, sizeof(buf), "bridge %s has no kernel datapath",
		 br->dp_ok ? ob->name : br->name);
	*why = buf;
	return XPATCH_NONE;
}

int patch_xlate_peer(const struct xlate_bridge *xb, const struct xlate_port *xp,
		     struct xlate_bridge *peer, uint32_t *peer_port,
		     const char **why)
{
	struct bridge *br = bridge_find(xb->name), *ob;
	struct port *p = br ? bridge_find_port(br, xp->name) : NULL, *o;
	int how;

	if (!p || !p->patch) {
		*why = "no such patch port";
		return XPATCH_NONE;
	}
	*why = patch_status(br, p, &ob, &o);
	if (*why)
		return XPATCH_NONE;
	how = patch_how(br, ob, why);
	if (how == XPATCH_RELAY)
		peer->name = ob->name;
	if (how != XPATCH_CROSS)
		return how;
	bridge_xlate_view(ob, peer);
	peer->patch_peer = xb->patch_peer;	/* a trace's goes on crossing */
	peer->aux = xb->aux;
	*peer_port = o->ofport;
	return XPATCH_CROSS;
}

void patch_changed(const struct port *p)
{
	struct bridge *ob;

	if (p->patch && port_find_any(p->peer, &ob))
		reval_mark_all(ob);
}

bool patch_live(const struct bridge *br, const struct port *p)
{
	struct bridge *ob;
	const char *why;

	if (!p->patch || patch_status(br, p, &ob, NULL))
		return false;
	return patch_how(br, ob, &why) != XPATCH_NONE;
}

void patch_counts(const struct bridge *br, const struct port *p,
		  struct patch_counts *c)
{
	struct port *o;

	memset(c, 0, sizeof(*c));
	c->tx_packets = p->patch_packets;
	c->tx_bytes = p->patch_bytes;
	if (!patch_status(br, p, NULL, &o)) {
		c->rx_packets = o->patch_packets;
		c->rx_bytes = o->patch_bytes;
	}
}
