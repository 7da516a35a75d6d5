// SPDX-License-Identifier: GPL-2.0
/* Patch ports: their options, whether a patch is complete, the crossing. */
#include "patch-port.h"

#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "dpif.h"
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

int patch_how(const struct bridge *br, const struct port *p,
	      const struct bridge *ob, const struct port *o, const char **why)
{
	static char buf[160];

	if (br == ob || (!br->dp_ok && !ob->dp_ok))
		return XPATCH_CROSS;	/* one datapath, or none */
	if (br->dp_ok && ob->dp_ok) {
		if (p->present && o->present)
			return XPATCH_KERNEL;
		snprintf(buf, sizeof(buf), "patch port %s has no kernel patch "
			 "port (see the daemon's log)",
			 p->present ? o->name : p->name);
	} else {
		snprintf(buf, sizeof(buf), "bridge %s has no kernel datapath",
			 br->dp_ok ? ob->name : br->name);
	}
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
	how = patch_how(br, p, ob, o, why);
	if (how == XPATCH_NONE)
		return how;
	*peer_port = o->ofport;
	if (how == XPATCH_KERNEL) {
		peer->name = ob->name;	/* a trace fills in the rest */
		return how;
	}
	bridge_xlate_view(ob, peer);
	peer->patch_peer = xb->patch_peer;	/* a trace's goes on crossing */
	peer->aux = xb->aux;
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

	struct port *o;

	if (!p->patch || patch_status(br, p, &ob, &o))
		return false;
	return patch_how(br, p, ob, o, &why) != XPATCH_NONE;
}

struct kstats_aux {
	uint32_t port_no;
	struct dpif_port_stats *s;
	bool found;
};

static int kstats_cb(const struct dpif_port_info *kp, void *aux_)
{
	struct kstats_aux *aux = aux_;

	if (kp->port_no == aux->port_no && kp->type == VSW_PORT_TYPE_PATCH) {
		*aux->s = kp->stats;
		aux->found = true;
	}
	return 0;
}

int patch_kernel_stats(const struct bridge *br, const struct port *p,
		       struct dpif_port_stats *s)
{
	struct kstats_aux aux = { p->ofport, s, false };
	char err[256];

	memset(s, 0, sizeof(*s));
	if (!p->patch || !p->present || !vswd.dpif ||
	    dpif_port_dump(vswd.dpif, br->name, kstats_cb, &aux, err,
			   sizeof(err)))
		return -1;
	return aux.found ? 0 : -1;
}
