// SPDX-License-Identifier: GPL-2.0
/*
 * The shared tunnel devices, made and removed over rtnetlink with
 * libnl-route-3: vxlan and geneve through libnl's link types; gretap
 * through a plain RTM_NEWLINK built with libnl's message API, since
 * libnl-route-3 has no setter for IFLA_GRE_COLLECT_METADATA. Each is
 * created up, in flow-based ("external", collect-metadata) mode: it
 * serves every remote and key, the datapath gives the metadata per
 * packet.
 */
#include "tunnel-port.h"

#include <net/if.h>
#include <stdio.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/route/link.h>
#include <netlink/route/link/geneve.h>
#include <netlink/route/link/vxlan.h>

#include "log.h"

static struct nl_sock *route_sock(char *err, size_t errlen)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ret = nl_connect(sk, NETLINK_ROUTE);
	if (ret) {
		snprintf(err, errlen, "rtnetlink: %s", nl_geterror(ret));
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

/* A vxlan or geneve link object for @c, or NULL. */
static struct rtnl_link *udp_link(const struct tnl_port_cfg *c)
{
	struct rtnl_link *l;

	if (c->type == TNL_VXLAN) {
		l = rtnl_link_vxlan_alloc();
		if (l && (rtnl_link_vxlan_set_port(l, c->dst_port) ||
			  rtnl_link_vxlan_set_collect_metadata(l, 1)))
			goto err_put;
	} else {
		l = rtnl_link_geneve_alloc();
		if (l && (rtnl_link_geneve_set_port(l, c->dst_port) ||
			  rtnl_link_geneve_set_flags(l,
				RTNL_LINK_GENEVE_F_COLLECT_METADATA, 1)))
			goto err_put;
	}
	return l;

err_put:
	rtnl_link_put(l);
	return NULL;
}

static int create_udp(struct nl_sock *sk, const struct tnl_port_cfg *c,
		      const char *name)
{
	struct rtnl_link *l = udp_link(c);
	int ret;

	if (!l)
		return -NLE_NOMEM;
	rtnl_link_set_name(l, name);
	rtnl_link_set_flags(l, IFF_UP);
	ret = rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(l);
	return ret;
}

static int create_gretap(struct nl_sock *sk, const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP,
				 .ifi_change = IFF_UP };
	struct nlattr *info, *data;
	struct nl_msg *msg;
	int ret = -NLE_NOMEM;

	msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	if (!msg)
		return ret;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) ||
	    nla_put_string(msg, IFLA_IFNAME, name))
		goto out_free;
	info = nla_nest_start(msg, IFLA_LINKINFO);
	if (!info || nla_put_string(msg, IFLA_INFO_KIND, "gretap"))
		goto out_free;
	data = nla_nest_start(msg, IFLA_INFO_DATA);
	if (!data || nla_put_flag(msg, IFLA_GRE_COLLECT_METADATA))
		goto out_free;
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	ret = nl_send_sync(sk, msg);	/* sends, waits for the ack, frees */
	return ret;

out_free:
	nlmsg_free(msg);
	return ret;
}

int tnl_dev_create(const struct tnl_port_cfg *c, const char *name,
		   char *err, size_t errlen)
{
	struct nl_sock *sk = route_sock(err, errlen);
	int ret;

	if (!sk)
		return -1;
	ret = c->type == TNL_GRE ? create_gretap(sk, name) :
				   create_udp(sk, c, name);
	nl_socket_free(sk);
	if (ret) {
		snprintf(err, errlen, "creating tunnel device %s: %s (is the "
			 "kernel's %s module available?)", name, nl_geterror(ret),
			 c->type == TNL_VXLAN ? "vxlan" :
			 c->type == TNL_GENEVE ? "geneve" : "ip_gre");
		return -1;
	}
	log_info("created tunnel device %s", name);
	return 0;
}

void tnl_dev_delete(const char *name)
{
	struct rtnl_link *l;
	struct nl_sock *sk;
	char err[256];
	int ret;

	sk = route_sock(err, sizeof(err));
	if (!sk) {
		log_warn("deleting tunnel device %s: %s", name, err);
		return;
	}
	l = rtnl_link_alloc();
	if (l) {
		rtnl_link_set_name(l, name);
		ret = rtnl_link_delete(sk, l);
		if (ret && ret != -NLE_NODEV && ret != -NLE_OBJ_NOTFOUND)
			log_warn("deleting tunnel device %s: %s", name,
				 nl_geterror(ret));
		rtnl_link_put(l);
	}
	nl_socket_free(sk);
}
