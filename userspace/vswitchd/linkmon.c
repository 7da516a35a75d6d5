// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink is libnl-route-3's in this project: the link events arrive on
 * a libnl socket and are parsed into rtnl_link objects by libnl, so the
 * monitor only decides what an event means for a port.
 */
#include "linkmon.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/route/link.h>

#include "datapath.h"
#include "log.h"
#include "vswitchd.h"

/* The event socket, NULL when closed; the main thread's alone. */
static struct nl_sock *lm;

/* One link of an event; @arg: does the device exist (RTM_NEWLINK)? */
static void link_obj(struct nl_object *obj, void *arg)
{
	struct rtnl_link *link = (struct rtnl_link *)obj;
	const bool *exists = arg;
	const char *name = rtnl_link_get_name(link);

	/* AF_BRIDGE and other families report a link's role, not whether
	 * the device exists (RTM_DELLINK/AF_BRIDGE: it left a bridge). */
	if (!name || rtnl_link_get_family(link) != AF_UNSPEC)
		return;
	log_debug("link %s %s", name, *exists ? "up/changed" : "removed");
	vswd_lock();
	dp_link_event(name, rtnl_link_get_ifindex(link), *exists);
	if (*exists)
		dp_link_state(name, rtnl_link_get_flags(link) & IFF_RUNNING);
	vswd_unlock();
}

static int link_msg(struct nl_msg *msg, void *arg)
{
	int type = nlmsg_hdr(msg)->nlmsg_type;
	bool exists = type == RTM_NEWLINK;
	int ret;

	if (type != RTM_NEWLINK && type != RTM_DELLINK)
		return NL_OK;
	ret = nl_msg_parse(msg, link_obj, &exists);
	if (ret < 0)
		log_debug("link event not understood: %s", nl_geterror(ret));
	return NL_OK;
}

int linkmon_open(char *err, size_t errlen)
{
	int ret;

	lm = nl_socket_alloc();
	if (!lm) {
		snprintf(err, errlen, "out of memory");
		return -NLE_NOMEM;
	}
	/* events carry no sequence numbers of ours */
	nl_socket_disable_seq_check(lm);
	nl_socket_modify_cb(lm, NL_CB_VALID, NL_CB_CUSTOM, link_msg, NULL);
	ret = nl_connect(lm, NETLINK_ROUTE);
	if (!ret)
		ret = nl_socket_add_membership(lm, RTNLGRP_LINK);
	if (!ret)
		ret = nl_socket_set_nonblocking(lm);
	if (ret) {
		snprintf(err, errlen, "rtnetlink link events: %s",
			 nl_geterror(ret));
		linkmon_close();
	}
	return ret;
}

void linkmon_close(void)
{
	if (lm)
		nl_socket_free(lm);
	lm = NULL;
}

int linkmon_fd(void)
{
	return lm ? nl_socket_get_fd(lm) : -1;
}

void linkmon_run(void)
{
	int ret;

	if (!lm)
		return;
	do
		ret = nl_recvmsgs_default(lm);	/* one datagram each */
	while (!ret);
	/* libnl reports the socket's ENOBUFS as NLE_NOMEM */
	if (ret == -NLE_NOMEM)
		log_warn("link monitor overrun; some link events lost");
	else if (ret != -NLE_AGAIN)
		log_warn("link monitor: %s", nl_geterror(ret));
}
