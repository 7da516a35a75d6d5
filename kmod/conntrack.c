// SPDX-License-Identifier: GPL-2.0
/*
 * Connection tracking through nf_conntrack (VSW_ACTION_ATTR_CT).
 *
 * vswitch keeps no tracker of its own: the packet is shown to the netns'
 * nf_conntrack as the PRE_ROUTING hook would show it (data at the IP
 * header, the zone given by a template conntrack), and the connection
 * conntrack attaches to the skb (skb->_nfct) is read back into the key.
 * The skb keeps that reference until it is freed or CT_CLEAR drops it,
 * so a later CT in the same zone (after a recirculation) finds it cached
 * instead of looking it up again; a CT in another zone starts over.
 *
 * A fragment is reassembled before the lookup (conntrack_frag.c), in
 * the action's zone.
 *
 * A zone other than 0 needs a template: allocated with the action list
 * (process context), one per CT action, freed with the list after RCU.
 *
 * Locking: none of ours. nf_conntrack_in() and the confirm take
 * conntrack's own locks and need only BH off, which the packet path has.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/if_vlan.h>
#include <linux/slab.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_labels.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "actions.h"
#include "conntrack.h"
#include "conntrack_frag.h"
#include "conntrack_nat.h"
#include "datapath.h"

/* A parsed CT action. */
struct ct_args {
	u16 zone;
	bool commit, force, has_mark;
	u32 mark, mark_mask;
	const struct nlattr *nat;	/* VSW_CT_ATTR_NAT or NULL */
	const u32 *label, *label_mask;	/* [4] each, or NULL */
};

static void ct_parse(const struct nlattr *attr, struct ct_args *c)
{
	const struct nlattr *a;
	int rem;

	memset(c, 0, sizeof(*c));
	c->mark_mask = 0xffffffff;
	nla_for_each_nested(a, attr, rem) {
		switch (nla_type(a)) {
		case VSW_CT_ATTR_ZONE:
			c->zone = nla_get_u16(a);
			break;
		case VSW_CT_ATTR_COMMIT:
			c->commit = true;
			break;
		case VSW_CT_ATTR_FORCE:
			c->force = true;
			break;
		case VSW_CT_ATTR_MARK:
			c->has_mark = true;
			c->mark = nla_get_u32(a);
			break;
		case VSW_CT_ATTR_MARK_MASK:
			c->mark_mask = nla_get_u32(a);
			break;
		case VSW_CT_ATTR_NAT:
			c->nat = a;
			break;
		case VSW_CT_ATTR_LABEL:
			c->label = nla_data(a);
			break;
		case VSW_CT_ATTR_LABEL_MASK:
			c->label_mask = nla_data(a);
			break;
		}
	}
}

int vsw_ct_check(const struct nlattr *attr, const struct vsw_key *key,
		 struct netlink_ext_ack *extack)
{
	struct ct_args c;

	ct_parse(attr, &c);
	if (c.force && !c.commit) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "CT FORCE needs COMMIT");
		return -EINVAL;
	}
	if (c.has_mark && !c.commit) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "CT MARK needs COMMIT");
		return -EINVAL;
	}
	if (nla_find_nested(attr, VSW_CT_ATTR_MARK_MASK) && !c.has_mark) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "CT MARK_MASK needs MARK");
		return -EINVAL;
	}
	if (c.label && !c.commit) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "CT LABEL needs COMMIT");
		return -EINVAL;
	}
	if (c.label_mask && !c.label) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "CT LABEL_MASK needs LABEL");
		return -EINVAL;
	}
	if (!IS_ENABLED(CONFIG_NF_CONNTRACK_LABELS) && c.label) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "CT LABEL needs a kernel with CONFIG_NF_CONNTRACK_LABELS");
		return -EOPNOTSUPP;
	}
	/* Without these options the kernel would ignore a zone or a mark:
	 * refused, never silently dropped.
	 */
	if (!IS_ENABLED(CONFIG_NF_CONNTRACK_ZONES) && c.zone) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "CT ZONE needs a kernel with CONFIG_NF_CONNTRACK_ZONES");
		return -EOPNOTSUPP;
	}
	if (!IS_ENABLED(CONFIG_NF_CONNTRACK_MARK) && c.has_mark) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "CT MARK needs a kernel with CONFIG_NF_CONNTRACK_MARK");
		return -EOPNOTSUPP;
	}
	if (c.nat)
		return vsw_ct_nat_check(c.nat, c.commit,
					key->eth_type == htons(ETH_P_IPV6),
					extack);
	return 0;
}

int vsw_ct_net_init(struct net *net)
{
	/* every connection of @net gets room for a label from now on
	 * (nf_conntrack adds the extension only when labels are in use)
	 */
	return nf_connlabels_get(net, VSW_CT_LABEL_BITS - 1);
}

void vsw_ct_net_exit(struct net *net)
{
	nf_connlabels_put(net);
}

/* The connection's label into @key (zero without one). */
static void label_to_key(const struct nf_conn *ct, struct vsw_key *key)
{
	struct nf_conn_labels *cl = ct ? nf_ct_labels_find(ct) : NULL;

	BUILD_BUG_ON(sizeof(key->ct_label) * 8 != VSW_CT_LABEL_BITS);
	if (cl)
		memcpy(key->ct_label, cl->bits, sizeof(key->ct_label));
	else
		memset(key->ct_label, 0, sizeof(key->ct_label));
}

/* Sets the label bits the action asks for; -ENOSPC when the connection
 * has no room for a label (it predates vswitch in its netns).
 */
static int commit_label(struct nf_conn *ct, const struct ct_args *c)
{
	static const u32 all[VSW_CT_LABEL_BITS / 32] = { ~0U, ~0U, ~0U, ~0U };
	const u32 *mask = c->label_mask ? c->label_mask : all;
	struct nf_conn_labels *cl;
	unsigned int i;
	u32 *bits;

	if (!IS_ENABLED(CONFIG_NF_CONNTRACK_LABELS) || !c->label)
		return 0;	/* vsw_ct_check() refused a label without */
	if (nf_ct_is_confirmed(ct))	/* cmpxchg per word, notifies */
		return nf_connlabels_replace(ct, c->label, mask,
					     VSW_CT_LABEL_BITS / 32);
	cl = nf_ct_labels_find(ct) ?: nf_ct_labels_ext_add(ct);
	if (!cl)
		return -ENOSPC;
	bits = (u32 *)cl->bits;	/* not shared yet: plain writes */
	for (i = 0; i < VSW_CT_LABEL_BITS / 32; i++)
		bits[i] = (bits[i] & ~mask[i]) | (c->label[i] & mask[i]);
	return 0;
}

/* The connection's mark; 0 on a kernel without mark support. */
static u32 ct_mark_of(const struct nf_conn *ct)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK_MARK)
	return ct ? READ_ONCE(ct->mark) : 0;
#else
	return 0;
#endif
}

int vsw_ct_tmpls_create(struct vsw_actions *acts, struct net *net)
{
	struct nf_conntrack_zone zone;
	const struct nlattr *a;
	unsigned int i = 0, n = 0;
	struct ct_args c;
	int rem;

	nla_for_each_attr(a, acts->attrs, acts->len, rem)
		n += nla_type(a) == VSW_ACTION_ATTR_CT;
	acts->ct_tmpl = NULL;
	if (!n)
		return 0;
	acts->n_ct = n;
	acts->ct_tmpl = kcalloc(n, sizeof(*acts->ct_tmpl), GFP_KERNEL_ACCOUNT);
	if (!acts->ct_tmpl)
		return -ENOMEM;
	nla_for_each_attr(a, acts->attrs, acts->len, rem) {
		if (nla_type(a) != VSW_ACTION_ATTR_CT)
			continue;
		ct_parse(a, &c);
		if (c.zone) {
			nf_ct_zone_init(&zone, c.zone, NF_CT_DEFAULT_ZONE_DIR, 0);
			acts->ct_tmpl[i] = nf_ct_tmpl_alloc(net, &zone,
							    GFP_KERNEL_ACCOUNT);
			if (!acts->ct_tmpl[i])
				goto err_free_tmpls;
			__set_bit(IPS_CONFIRMED_BIT, &acts->ct_tmpl[i]->status);
		}
		i++;
	}
	return 0;

err_free_tmpls:
	vsw_ct_tmpls_free(acts);
	return -ENOMEM;
}

void vsw_ct_tmpls_free(struct vsw_actions *acts)
{
	unsigned int i;

	if (!acts->ct_tmpl)
		return;
	for (i = 0; i < acts->n_ct; i++)
		if (acts->ct_tmpl[i])
			nf_ct_tmpl_free(acts->ct_tmpl[i]);
	kfree(acts->ct_tmpl);
	acts->ct_tmpl = NULL;
}

/* Is the connection already on the skb the one a lookup in @zone would
 * give? (A previous CT of this packet in the same zone.)
 */
static bool cached(const struct sk_buff *skb, u16 zone)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	return ct && !nf_ct_is_template(ct) &&
	       nf_ct_zone_id(nf_ct_zone(ct), CTINFO2DIR(ctinfo)) == zone;
}

/* Returns BIT(VSW_CT_COUNT_REFUSED) when conntrack refused the packet
 * (NF_DROP: no room for a new connection, or its protocol tracker's
 * verdict), 0 otherwise.
 */
static u32 lookup(struct net *net, struct sk_buff *skb, u8 pf,
		  struct nf_conn *tmpl)
{
	struct nf_hook_state state = {
		.hook = NF_INET_PRE_ROUTING,
		.pf = pf,
		.net = net,
	};
	unsigned int verdict;

	if (tmpl) {
		nf_conntrack_get(&tmpl->ct_general);
		nf_ct_set(skb, tmpl, IP_CT_NEW);
	}
	/* nf_conntrack_in() drops the template from the skb. Anything but
	 * NF_ACCEPT: conntrack refused the packet, which leaves it without
	 * a connection, as an invalid one does.
	 */
	verdict = nf_conntrack_in(skb, &state);
	if (verdict == NF_ACCEPT)
		return 0;
	nf_reset_ct(skb);
	return verdict == NF_DROP ? BIT(VSW_CT_COUNT_REFUSED) : 0;
}

static u8 state_of(const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	u8 s = VSW_CT_STATE_TRK;

	if (!ct)
		return s | VSW_CT_STATE_INV;
	switch (ctinfo) {
	case IP_CT_ESTABLISHED:
	case IP_CT_ESTABLISHED_REPLY:
		s |= VSW_CT_STATE_EST;
		break;
	case IP_CT_RELATED:
	case IP_CT_RELATED_REPLY:
		s |= VSW_CT_STATE_REL;
		break;
	case IP_CT_NEW:
		s |= VSW_CT_STATE_NEW;
		break;
	default:
		break;
	}
	if (CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY)
		s |= VSW_CT_STATE_RPL;
	return s;
}

/* The original-direction tuple of @ct (of its master for a related
 * connection) into @key; zero without a connection.
 */
static void orig_to_key(const struct nf_conn *ct, struct vsw_key *key)
{
	const struct nf_conntrack_tuple *t;
	struct vsw_key_ct_orig *o = &key->ct_orig;

	memset(o, 0, sizeof(*o));
	if (!ct)
		return;
	if (ct->master)
		ct = ct->master;
	t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	if (t->src.l3num == NFPROTO_IPV4) {
		o->nw_src = t->src.u3.ip;
		o->nw_dst = t->dst.u3.ip;
	} else if (t->src.l3num == NFPROTO_IPV6) {
		o->ipv6_src = t->src.u3.in6;
		o->ipv6_dst = t->dst.u3.in6;
	}
	o->nw_proto = t->dst.protonum;
	switch (o->nw_proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
	case IPPROTO_UDPLITE:
		o->tp_src = t->src.u.all;
		o->tp_dst = t->dst.u.all;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		o->tp_src = htons(t->dst.u.icmp.type);
		o->tp_dst = htons(t->dst.u.icmp.code);
		break;
	}
}

/* Sets the bits of the mark the action asks for (vsw_ct_check() refused
 * a mark on a kernel without mark support).
 */
static void commit_mark(struct nf_conn *ct, const struct ct_args *c)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK_MARK)
	u32 mark;

	if (!c->has_mark)
		return;
	mark = (READ_ONCE(ct->mark) & ~c->mark_mask) | (c->mark & c->mark_mask);
	if (READ_ONCE(ct->mark) != mark) {
		WRITE_ONCE(ct->mark, mark);
		if (nf_ct_is_confirmed(ct))
			nf_conntrack_event_cache(IPCT_MARK, ct);
	}
#endif
}

/* The packet's connection, confirmed, with the mark set. */
static int commit(struct sk_buff *skb, const struct ct_args *c)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	int err;

	if (!ct)
		return 0;		/* invalid: nothing to commit */
	commit_mark(ct, c);
	err = commit_label(ct, c);
	if (err)
		return err;
	return nf_conntrack_confirm(skb) == NF_ACCEPT ? 0 : -EINVAL;
}

/* Cuts Ethernet padding after the IP packet at @skb->data, which
 * conntrack would take for payload. -EINVAL if the header is short.
 */
static int trim_to_ip(struct sk_buff *skb, bool ipv6)
{
	unsigned int len;

	if (ipv6) {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return -EINVAL;
		len = sizeof(struct ipv6hdr) + ntohs(ipv6_hdr(skb)->payload_len);
	} else {
		if (!pskb_may_pull(skb, sizeof(struct iphdr)))
			return -EINVAL;
		len = ntohs(ip_hdr(skb)->tot_len);
	}
	if (len > skb->len)
		return -EINVAL;
	return pskb_trim_rcsum(skb, len);
}

static unsigned int l3_offset(const struct sk_buff *skb)
{
	__be16 proto, *p;

	p = skb_header_pointer(skb, 12, sizeof(proto), &proto);
	return p && eth_type_vlan(*p) ? VLAN_ETH_HLEN : ETH_HLEN;
}

/* Gives @skb (data at the IP header) its connection in the action's
 * zone: the one a previous CT of the packet in that zone found, else a
 * lookup (anew as originator for FORCE). Sets *@nat_done to the NAT a
 * previous CT in the zone did; returns the VSW_CT_COUNT_* events.
 */
static u32 track(struct net *net, struct sk_buff *skb,
		 const struct vsw_key *key, const struct ct_args *c,
		 struct nf_conn *tmpl, u8 *nat_done)
{
	u8 pf = key->eth_type == htons(ETH_P_IPV6) ? NFPROTO_IPV6 : NFPROTO_IPV4;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;
	u32 events = 0;

	*nat_done = 0;
	if (cached(skb, c->zone)) {
		/* translated already in this zone: not again */
		*nat_done = key->ct_state &
			    (VSW_CT_STATE_SNAT | VSW_CT_STATE_DNAT);
	} else {
		nf_reset_ct(skb);
		events |= lookup(net, skb, pf, tmpl);
	}
	ct = nf_ct_get(skb, &ctinfo);
	if (c->force && ct && CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL) {
		/* the packet starts the connection anew, as originator */
		nf_ct_kill(ct);
		nf_reset_ct(skb);
		*nat_done = 0;
		events |= lookup(net, skb, pf, tmpl);
	}
	return events;
}

/* The key's connection fields from the packet's connection. */
static void ct_to_key(const struct sk_buff *skb, const struct ct_args *c,
		      u8 nat_done, struct vsw_key *key)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	key->ct_state = state_of(skb) | nat_done;
	key->ct_zone = htons(c->zone);
	key->ct_mark = htonl(ct_mark_of(ct));
	label_to_key(ct, key);
	orig_to_key(ct, key);
}

/* A fragment (data at its IP header) into its datagram; see
 * vsw_ct_defrag(). An -EINPROGRESS (consumed) is counted here.
 */
static int defrag(struct vsw_datapath *dp, struct sk_buff *skb,
		  unsigned int nh, u16 zone, struct vsw_key *key, u32 *events)
{
	bool dropped;
	int err;

	*events |= BIT(VSW_CT_COUNT_FRAGMENTS);
	err = vsw_ct_defrag(dp->net, skb, nh, zone, key, &dropped);
	if (err == -EINPROGRESS) {
		if (dropped)
			*events |= BIT(VSW_CT_COUNT_DROPPED);
		vsw_dp_count_ct(dp, *events | BIT(VSW_CT_COUNT_PACKETS));
	} else if (!err && !(key->ip_frag & VSW_FRAG_ANY)) {
		*events |= BIT(VSW_CT_COUNT_REASSEMBLED);
	}
	return err;
}

int vsw_ct_execute(struct vsw_datapath *dp, struct sk_buff *skb,
		   struct vsw_key *key, const struct nlattr *attr,
		   struct nf_conn *tmpl)
{
	unsigned int nh = l3_offset(skb);
	u8 nat_done, nat_before;
	struct ct_args c;
	u32 events = 0;
	int err;

	ct_parse(attr, &c);
	if (skb->len < nh) {
		err = -EINVAL;
		goto out_count;
	}
	skb_pull_rcsum(skb, nh);
	skb_reset_network_header(skb);
	err = trim_to_ip(skb, key->eth_type == htons(ETH_P_IPV6));
	if (err)
		goto out_push;
	if (key->ip_frag & VSW_FRAG_ANY) {
		err = defrag(dp, skb, nh, c.zone, key, &events);
		if (err == -EINPROGRESS)
			return err;	/* consumed, counted */
		if (err)
			goto out_push;
	}
	events |= track(dp->net, skb, key, &c, tmpl, &nat_done);
	nat_before = nat_done;
	/* NAT before the commit: a new connection's translation must be set
	 * up while it is unconfirmed.
	 */
	if (c.nat)
		err = vsw_ct_nat(skb, key, c.nat, c.commit, &nat_done);
	if (nat_done & ~nat_before)
		events |= BIT(VSW_CT_COUNT_NAT);
	if (c.commit && !err) {
		err = commit(skb, &c);
		if (!err && skb_nfct(skb))
			events |= BIT(VSW_CT_COUNT_COMMITTED);
	}
	ct_to_key(skb, &c, nat_done, key);
	if (key->ct_state & VSW_CT_STATE_INV)
		events |= BIT(VSW_CT_COUNT_INVALID);
out_push:
	skb_push_rcsum(skb, nh);
	skb_reset_mac_header(skb);
out_count:
	if (err)
		events |= BIT(VSW_CT_COUNT_DROPPED);
	vsw_dp_count_ct(dp, events | BIT(VSW_CT_COUNT_PACKETS));
	return err;
}

void vsw_ct_clear(struct sk_buff *skb, struct vsw_key *key)
{
	nf_reset_ct(skb);
	key->ct_state = 0;
	key->ct_zone = 0;
	key->ct_mark = 0;
	memset(key->ct_label, 0, sizeof(key->ct_label));
	memset(&key->ct_orig, 0, sizeof(key->ct_orig));
}
