// SPDX-License-Identifier: GPL-2.0
/*
 * Flow commands: FLOW_NEW, FLOW_DEL, FLOW_GET (and a resumable,
 * consistency-checked dump), FLOW_FLUSH.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/vswitch.h>

#include "actions.h"
#include "datapath.h"
#include "flow_lookup.h"
#include "flow_netlink.h"
#include "flow_stats.h"
#include "flow_table.h"
#include "netlink.h"
#include "netlink_flow.h"
#include "netlink_packet.h"
#include "netlink_priv.h"
#include "vport.h"

const struct nla_policy vsw_flow_new_policy[VSW_FLOW_ATTR_MAX + 1] = {
	[VSW_FLOW_ATTR_DP_NAME]	= VSW_NAME_POLICY,
	[VSW_FLOW_ATTR_KEY]	= { .type = NLA_NESTED },
	[VSW_FLOW_ATTR_MASK]	= { .type = NLA_NESTED },
	[VSW_FLOW_ATTR_ACTIONS]	= { .type = NLA_NESTED },
	[VSW_FLOW_ATTR_UFID]	= NLA_POLICY_EXACT_LEN(VSW_UFID_LEN),
	[VSW_FLOW_ATTR_CLEAR]	= { .type = NLA_FLAG },
	[VSW_FLOW_ATTR_REPLACE]	= { .type = NLA_FLAG },
	[VSW_FLOW_ATTR_PACKET]	= NLA_POLICY_MIN_LEN(ETH_HLEN),
	[VSW_FLOW_ATTR_MRU]	= NLA_POLICY_MIN(NLA_U16, 68),
};

/* FLOW_GET (and its dump) and FLOW_DEL; TERSE is for dumps only. */
const struct nla_policy vsw_flow_get_policy[VSW_FLOW_ATTR_MAX + 1] = {
	[VSW_FLOW_ATTR_DP_NAME]	= VSW_NAME_POLICY,
	[VSW_FLOW_ATTR_KEY]	= { .type = NLA_NESTED },
	[VSW_FLOW_ATTR_MASK]	= { .type = NLA_NESTED },
	[VSW_FLOW_ATTR_UFID]	= NLA_POLICY_EXACT_LEN(VSW_UFID_LEN),
	[VSW_FLOW_ATTR_TERSE]	= { .type = NLA_FLAG },
};

const struct nla_policy vsw_flow_flush_policy[VSW_FLOW_ATTR_MAX + 1] = {
	[VSW_FLOW_ATTR_DP_NAME]	= VSW_NAME_POLICY,
};

static size_t flow_msg_size(const struct vsw_actions *acts)
{
	return NLMSG_ALIGN(GENL_HDRLEN)
		+ nla_total_size(IFNAMSIZ)		/* DP_NAME */
		+ nla_total_size(VSW_UFID_LEN)		/* UFID */
		+ vsw_key_attr_size() * 2		/* KEY, MASK */
		+ nla_total_size(acts ? acts->len : 0)	/* ACTIONS */
		+ nla_total_size(0)			/* STATS */
		+ nla_total_size_64bit(sizeof(u64)) * 2	/* PACKETS, BYTES */
		+ nla_total_size_64bit(sizeof(u64))	/* USED */
		+ nla_total_size(sizeof(u16));		/* TCP_FLAGS */
}

static int put_flow_stats(struct sk_buff *skb, const struct vsw_flow *flow)
{
	struct vsw_flow_stats st;
	struct nlattr *nest;

	vsw_flow_stats_get(flow, &st);
	nest = nla_nest_start(skb, VSW_FLOW_ATTR_STATS);
	if (!nest ||
	    nla_put_u64_64bit(skb, VSW_FLOW_STATS_ATTR_PACKETS, st.packets,
			      VSW_FLOW_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_FLOW_STATS_ATTR_BYTES, st.bytes,
			      VSW_FLOW_STATS_ATTR_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	if (st.used &&
	    nla_put_u64_64bit(skb, VSW_FLOW_ATTR_USED,
			      jiffies_to_msecs(jiffies - st.used),
			      VSW_FLOW_ATTR_PAD))
		return -EMSGSIZE;
	return nla_put_u16(skb, VSW_FLOW_ATTR_TCP_FLAGS, st.tcp_flags);
}

static int put_flow_body(struct sk_buff *skb, const struct vsw_flow *flow)
{
	const struct vsw_actions *acts;

	acts = rcu_dereference_check(flow->actions, lockdep_vsw_is_held());
	if (vsw_nla_put_key(skb, VSW_FLOW_ATTR_KEY, &flow->key,
			    &flow->mask->key) ||
	    vsw_nla_put_key(skb, VSW_FLOW_ATTR_MASK, &flow->mask->key,
			    &flow->mask->key) ||
	    vsw_actions_put(skb, VSW_FLOW_ATTR_ACTIONS, acts))
		return -EMSGSIZE;
	return 0;
}

/* vsw_mutex or RCU. @terse leaves out KEY, MASK and ACTIONS of a flow
 * with a UFID (dumps that asked for TERSE).
 */
static int flow_fill(struct sk_buff *skb, struct vsw_datapath *dp,
		     struct vsw_flow *flow, u32 portid, u32 seq, int flags,
		     u8 cmd, struct netlink_callback *cb, bool terse)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vsw_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, VSW_FLOW_ATTR_DP_NAME, dp->name) ||
	    (flow->has_ufid &&
	     nla_put(skb, VSW_FLOW_ATTR_UFID, VSW_UFID_LEN, flow->ufid)) ||
	    (!(terse && flow->has_ufid) && put_flow_body(skb, flow)) ||
	    put_flow_stats(skb, flow)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* A parsed FLOW_NEW, built entirely before the lock is taken. The mask
 * stays here: vsw_flow_insert() shares the table's equal mask, or copies
 * it into a new one.
 */
struct flow_request {
	struct vsw_key key, mask;
	struct vsw_actions *acts;
	struct vsw_flow *flow;
	struct sk_buff *reply;
	struct sk_buff *packet;		/* PACKET, to run through acts */
	struct vsw_key pkt_key;		/* its own key, unmasked */
};

/* PACKET must parse and match the flow: the actions were checked against
 * KEY/MASK only. The tunnel metadata is not in the frame: the packet is
 * taken to have arrived with KEY's (the upcall's key it came with).
 */
static int flow_request_packet(struct genl_info *info, struct flow_request *r)
{
	const struct nlattr *attr = info->attrs[VSW_FLOW_ATTR_PACKET];
	const u64 *k = (const u64 *)&r->key, *m = (const u64 *)&r->mask;
	const u64 *p = (const u64 *)&r->pkt_key;
	unsigned int i;

	r->packet = vsw_nl_packet_skb(attr, info->attrs[VSW_FLOW_ATTR_MRU]);
	if (!r->packet)
		return -ENOMEM;
	if (vsw_key_extract(r->packet, r->key.in_port, &r->pkt_key)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "PACKET is not a frame the datapath can parse");
		return -EINVAL;
	}
	/* metadata the frame cannot carry comes from KEY */
	r->pkt_key.recirc_id = r->key.recirc_id;
	r->pkt_key.ct_state = r->key.ct_state;
	r->pkt_key.ct_zone = r->key.ct_zone;
	r->pkt_key.ct_mark = r->key.ct_mark;
	r->pkt_key.tun = r->key.tun;
	memcpy(r->pkt_key.ct_label, r->key.ct_label, sizeof(r->key.ct_label));
	r->pkt_key.ct_orig = r->key.ct_orig;
	for (i = 0; i < VSW_KEY_WORDS; i++) {
		if ((p[i] & m[i]) != k[i]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "PACKET does not match the flow's KEY and MASK");
			return -EINVAL;
		}
	}
	return 0;
}

static int flow_request_parse(struct genl_info *info, struct flow_request *r)
{
	struct nlattr **a = info->attrs;
	int ret;

	if (VSW_REQUIRE(info, VSW_FLOW_ATTR_DP_NAME) ||
	    VSW_REQUIRE(info, VSW_FLOW_ATTR_KEY) ||
	    VSW_REQUIRE(info, VSW_FLOW_ATTR_ACTIONS))
		return -EINVAL;
	ret = vsw_nla_get_match(a[VSW_FLOW_ATTR_KEY], a[VSW_FLOW_ATTR_MASK],
				&r->key, &r->mask, info->extack);
	if (ret)
		return ret;
	r->acts = vsw_actions_create(genl_info_net(info),
				     a[VSW_FLOW_ATTR_ACTIONS], &r->key,
				     &r->mask, info->extack);
	if (IS_ERR(r->acts))
		return PTR_ERR(r->acts);
	r->flow = vsw_flow_alloc(&r->key);
	if (IS_ERR(r->flow)) {
		ret = PTR_ERR(r->flow);
		goto err_free_acts;
	}
	if (a[VSW_FLOW_ATTR_UFID]) {
		memcpy(r->flow->ufid, nla_data(a[VSW_FLOW_ATTR_UFID]),
		       VSW_UFID_LEN);
		r->flow->has_ufid = true;
	}
	if (a[VSW_FLOW_ATTR_PACKET]) {
		ret = flow_request_packet(info, r);
		if (ret)
			goto err_free_packet;
	} else if (a[VSW_FLOW_ATTR_MRU]) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[VSW_FLOW_ATTR_MRU],
				    "MRU needs PACKET");
		ret = -EINVAL;
		goto err_free_packet;
	}
	if (info->nlhdr->nlmsg_flags & NLM_F_ECHO) {
		r->reply = genlmsg_new(flow_msg_size(r->acts), GFP_KERNEL);
		if (!r->reply) {
			ret = -ENOMEM;
			goto err_free_packet;
		}
	}
	return 0;

err_free_packet:
	kfree_skb(r->packet);
	vsw_flow_free(r->flow);
err_free_acts:
	vsw_actions_free_now(r->acts);
	return ret;
}

/* Replaces the actions of @old with those of request @r (vsw_mutex). */
static void flow_replace(struct vsw_flow *old, struct flow_request *r,
			 bool clear)
{
	struct vsw_actions *prev;

	prev = rcu_dereference_protected(old->actions, lockdep_vsw_is_held());
	rcu_assign_pointer(old->actions, r->acts);
	vsw_actions_free(prev);
	if (clear)
		vsw_flow_stats_clear(old);
	vsw_flow_free(r->flow);
	r->flow = old;
}

/* Inserts or replaces under vsw_mutex; on success r->flow is the live
 * flow. On error the request still owns r->flow and r->acts.
 */
static int flow_install(struct vsw_datapath *dp, struct flow_request *r,
			struct genl_info *info)
{
	struct vsw_flow_table *tbl = vsw_dp_table(dp);
	struct vsw_flow *old, *other;
	int ret;

	old = vsw_flow_find(tbl, &r->key, &r->mask);
	if (r->flow->has_ufid) {
		other = vsw_flow_find_ufid(tbl, r->flow->ufid);
		if (other && other != old) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[VSW_FLOW_ATTR_UFID],
					    "UFID is used by another flow");
			return -EEXIST;
		}
	}
	if (old) {
		if (!info->attrs[VSW_FLOW_ATTR_REPLACE]) {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "flow already exists (REPLACE not set)");
			return -EEXIST;
		}
		flow_replace(old, r, !!info->attrs[VSW_FLOW_ATTR_CLEAR]);
		return 0;
	}
	ret = vsw_flow_share_charge(&dp->flow_share, r->key.in_port,
				    vsw_flow_table_count(tbl),
				    READ_ONCE(dp->flow_limit), dp->n_ports,
				    info->extack);
	if (ret)
		return ret;
	RCU_INIT_POINTER(r->flow->actions, r->acts);
	ret = vsw_flow_insert(tbl, r->flow, &r->mask, &old);
	if (ret) {
		RCU_INIT_POINTER(r->flow->actions, NULL);
		vsw_flow_share_uncharge(&dp->flow_share, r->key.in_port);
	}
	if (ret == -E2BIG)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "too many distinct masks in the datapath");
	else if (ret == -EEXIST)
		NL_SET_ERR_MSG_MOD(info->extack, "flow already exists");
	return ret;
}

/* Runs the request's PACKET through its actions (RCU: the actions may
 * belong to the installed flow by now, which RCU keeps alive).
 */
static void flow_run_packet(struct vsw_datapath *dp, struct flow_request *r)
{
	local_bh_disable();
	r->packet->dev = vsw_dp_input_dev(dp, r->key.in_port);
	if (r->packet->dev)
		vsw_execute_actions(dp, r->packet, &r->pkt_key, r->acts);
	else
		kfree_skb(r->packet);
	r->packet = NULL;	/* consumed */
	local_bh_enable();
}

int vsw_nl_flow_new(struct sk_buff *skb, struct genl_info *info)
{
	struct flow_request r = {};
	struct vsw_datapath *dp;
	int ret, err = 0;

	ret = flow_request_parse(info, &r);
	if (ret)
		return ret;

	vsw_lock();
	dp = vsw_nl_dp(genl_info_net(info), info->attrs, VSW_FLOW_ATTR_DP_NAME,
		       info->extack);
	ret = IS_ERR(dp) ? PTR_ERR(dp) : flow_install(dp, &r, info);
	if (!ret && r.reply) {
		/* installed: on a fill failure (a bug in flow_msg_size())
		 * the flow stays and the request fails
		 */
		err = flow_fill(r.reply, dp, r.flow, info->snd_portid,
				info->snd_seq, 0, VSW_CMD_FLOW_NEW, NULL, false);
		WARN_ON_ONCE(err);
	}
	/* The packet goes out even if the flow could not be installed; it
	 * runs after the mutex is dropped, under RCU, which keeps the
	 * datapath and the actions alive.
	 */
	rcu_read_lock();
	vsw_unlock();
	if (r.packet && !IS_ERR(dp))
		flow_run_packet(dp, &r);
	rcu_read_unlock();
	kfree_skb(r.packet);
	if (ret)
		goto err_free_request;
	if (err) {
		nlmsg_free(r.reply);
		return err;
	}
	return r.reply ? genlmsg_reply(r.reply, info) : 0;

err_free_request:
	nlmsg_free(r.reply);
	vsw_flow_free(r.flow);
	vsw_actions_free_now(r.acts);
	return ret;
}

/* The flow named by UFID, or by KEY [MASK] (vsw_mutex). */
static struct vsw_flow *find_flow(struct vsw_datapath *dp,
				  struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct vsw_key key, mask;
	struct vsw_flow *flow;
	struct nlattr *bad;
	int ret;

	if (a[VSW_FLOW_ATTR_UFID]) {
		bad = a[VSW_FLOW_ATTR_UFID];
		flow = vsw_flow_find_ufid(vsw_dp_table(dp), nla_data(bad));
	} else if (a[VSW_FLOW_ATTR_KEY]) {
		bad = a[VSW_FLOW_ATTR_KEY];
		ret = vsw_nla_get_match(bad, a[VSW_FLOW_ATTR_MASK], &key, &mask,
					info->extack);
		if (ret)
			return ERR_PTR(ret);
		flow = vsw_flow_find(vsw_dp_table(dp), &key, &mask);
	} else {
		NL_SET_ERR_MSG_MOD(info->extack, "KEY or UFID required");
		return ERR_PTR(-EINVAL);
	}
	if (!flow) {
		NL_SET_ERR_MSG_ATTR(info->extack, bad, "flow not found");
		return ERR_PTR(-ENOENT);
	}
	return flow;
}

/* The reply for @flow, sized by its action list (vsw_mutex). */
static struct sk_buff *flow_reply(struct vsw_datapath *dp,
				  struct vsw_flow *flow, struct genl_info *info)
{
	const struct vsw_actions *acts;
	struct sk_buff *reply;
	int ret;

	acts = rcu_dereference_protected(flow->actions, lockdep_vsw_is_held());
	reply = genlmsg_new(flow_msg_size(acts), GFP_KERNEL);
	if (!reply)
		return ERR_PTR(-ENOMEM);
	ret = flow_fill(reply, dp, flow, info->snd_portid, info->snd_seq, 0,
			info->genlhdr->cmd, NULL, false);
	if (WARN_ON_ONCE(ret)) {	/* flow_msg_size() is too small */
		nlmsg_free(reply);
		return ERR_PTR(ret);
	}
	return reply;
}

/* Removes @flow and its charge on its port's share (vsw_mutex). */
static void flow_remove(struct vsw_datapath *dp, struct vsw_flow *flow)
{
	vsw_flow_share_uncharge(&dp->flow_share, flow->key.in_port);
	vsw_flow_remove(vsw_dp_table(dp), flow, vsw_actions_free);
}

/* FLOW_GET and FLOW_DEL: the reply is built before the flow is removed,
 * so an error leaves the flow in place.
 */
static int flow_get_or_del(struct genl_info *info, bool del)
{
	struct sk_buff *reply;
	struct vsw_datapath *dp;
	struct vsw_flow *flow;
	int ret = 0;

	if (VSW_REQUIRE(info, VSW_FLOW_ATTR_DP_NAME))
		return -EINVAL;
	if (info->attrs[VSW_FLOW_ATTR_TERSE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VSW_FLOW_ATTR_TERSE],
				    "TERSE applies to flow dumps only");
		return -EINVAL;
	}

	vsw_lock();
	dp = vsw_nl_dp(genl_info_net(info), info->attrs, VSW_FLOW_ATTR_DP_NAME,
		       info->extack);
	flow = IS_ERR(dp) ? ERR_CAST(dp) : find_flow(dp, info);
	reply = IS_ERR(flow) ? ERR_CAST(flow) : flow_reply(dp, flow, info);
	if (IS_ERR(reply))
		ret = PTR_ERR(reply);
	else if (del)
		flow_remove(dp, flow);
	vsw_unlock();

	if (ret)
		return ret;
	return genlmsg_reply(reply, info);
}

int vsw_nl_flow_del(struct sk_buff *skb, struct genl_info *info)
{
	return flow_get_or_del(info, true);
}

int vsw_nl_flow_get(struct sk_buff *skb, struct genl_info *info)
{
	return flow_get_or_del(info, false);
}

/* Resumes at position cb->args[0] of the table; the table generation
 * (with the table's identity, which FLOW_FLUSH changes) flags a dump
 * that raced with a change. With TERSE, flows that have a UFID go
 * without KEY, MASK and ACTIONS.
 */
int vsw_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *name = info->attrs[VSW_FLOW_ATTR_DP_NAME];
	bool terse = info->attrs[VSW_FLOW_ATTR_TERSE];
	struct vsw_flow_table *tbl;
	struct vsw_datapath *dp;
	struct vsw_flow *flow;
	u64 pos = cb->args[0];
	int ret;

	if (!name) {
		NL_SET_ERR_MSG_MOD(cb->extack, "DP_NAME required to dump flows");
		return -EINVAL;
	}
	rcu_read_lock();
	dp = vsw_nl_dp(sock_net(skb->sk), info->attrs, VSW_FLOW_ATTR_DP_NAME,
		       cb->extack);
	if (IS_ERR(dp)) {
		ret = PTR_ERR(dp);
		goto out;
	}
	tbl = rcu_dereference(dp->table);
	cb->seq = vsw_dump_seq(vsw_flow_table_gen(tbl), tbl);
	for (;;) {
		u64 next = pos;

		flow = vsw_flow_table_next(tbl, &next);
		if (!flow)
			break;
		if (flow_fill(skb, dp, flow, NETLINK_CB(cb->skb).portid,
			      cb->nlh->nlmsg_seq, NLM_F_MULTI,
			      VSW_CMD_FLOW_GET, cb, terse))
			break;
		pos = next;
	}
	cb->args[0] = pos;
	ret = skb->len;
out:
	rcu_read_unlock();
	return ret;
}

int vsw_nl_flow_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct vsw_flow_table *new, *old;
	struct vsw_datapath *dp;

	if (VSW_REQUIRE(info, VSW_FLOW_ATTR_DP_NAME))
		return -EINVAL;

	vsw_lock();
	dp = vsw_nl_dp(genl_info_net(info), info->attrs, VSW_FLOW_ATTR_DP_NAME,
		       info->extack);
	if (IS_ERR(dp)) {
		vsw_unlock();
		return PTR_ERR(dp);
	}
	/* Allocated under the lock: the size must match the current one. */
	new = vsw_flow_table_create(dp->microflow_size, vsw_dp_mutex());
	if (IS_ERR_OR_NULL(new)) {
		vsw_unlock();
		return -ENOMEM;
	}
	old = vsw_dp_swap_table(dp, new);
	vsw_flow_share_reset(&dp->flow_share);
	vsw_unlock();

	synchronize_rcu();
	vsw_flow_table_destroy(old, vsw_actions_free_now);
	return 0;
}
