// SPDX-License-Identifier: GPL-2.0
#include "linkmon.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "datapath.h"
#include "log.h"
#include "nl-sock.h"
#include "vswitchd.h"

static struct nl_sock lm;
static bool lm_open;

int linkmon_open(char *err, size_t errlen)
{
	int grp = RTNLGRP_LINK, ret;

	ret = nl_sock_open(&lm, NETLINK_ROUTE, err, errlen);
	if (ret)
		return ret;
	if (mnl_socket_setsockopt(lm.nl, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp))) {
		ret = -errno;
		nl_sock_close(&lm);
		return ret;
	}
	lm_open = true;
	return 0;
}

void linkmon_close(void)
{
	if (lm_open)
		nl_sock_close(&lm);
	lm_open = false;
}

int linkmon_fd(void)
{
	return lm_open ? mnl_socket_get_fd(lm.nl) : -1;
}

static void link_msg(const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	const char *name = NULL;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
		if (mnl_attr_get_type(a) == IFLA_IFNAME &&
		    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			name = mnl_attr_get_str(a);
	if (!name)
		return;
	log_debug("link %s %s", name,
		  nlh->nlmsg_type == RTM_NEWLINK ? "up/changed" : "removed");
	vswd_lock();
	dp_link_event(name, ifi->ifi_index, nlh->nlmsg_type == RTM_NEWLINK);
	vswd_unlock();
}

void linkmon_run(void)
{
	for (;;) {
		ssize_t len = recv(linkmon_fd(), lm.buf, lm.buflen, MSG_DONTWAIT);
		const struct nlmsghdr *nlh = (const void *)lm.buf;
		int rem = len;

		if (len < 0) {
			if (errno == ENOBUFS)
				log_warn("link monitor overrun; some link events lost");
			return;
		}
		for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
			link_msg(nlh);
	}
}
