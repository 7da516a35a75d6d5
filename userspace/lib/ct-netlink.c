// SPDX-License-Identifier: GPL-2.0
#include "ct-netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#define CT_MSG(type) ((NFNL_SUBSYS_CTNETLINK << 8) | (type))

/* What to tell when ctnetlink itself is missing. */
static void describe_missing(int ret, char *err, size_t errlen)
{
	if (ret == -EPROTONOSUPPORT || ret == -EOPNOTSUPP)
		snprintf(err, errlen, "ctnetlink is not available (load the "
			 "nf_conntrack_netlink module): %s", strerror(-ret));
}

int ct_netlink_open(struct genl_sock *s, char *err, size_t errlen)
{
	int ret = nl_sock_open(s, NETLINK_NETFILTER, err, errlen);

	describe_missing(ret, err, errlen);
	return ret;
}

/* ---- parsing: one callback per nesting level fills its table ---- */

struct attr_table {
	const struct nlattr **tb;
	unsigned int max;
};

static int table_cb(const struct nlattr *a, void *data)
{
	const struct attr_table *t = data;
	unsigned int type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;	/* unknown ones are skipped */
	return MNL_CB_OK;
}

static int parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		      unsigned int max)
{
	struct attr_table t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse_nested(nest, table_cb, &t) < 0 ? -EPROTO : 0;
}

/* @a must hold exactly @len bytes. */
static int get_exact(const struct nlattr *a, void *out, size_t len)
{
	if (!a || mnl_attr_get_payload_len(a) != len)
		return -EPROTO;
	memcpy(out, mnl_attr_get_payload(a), len);
	return 0;
}

static int parse_ip(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *tb[CTA_IP_MAX + 1];

	if (parse_nest(nest, tb, CTA_IP_MAX))
		return -EPROTO;
	if (tb[CTA_IP_V4_SRC]) {
		t->family = AF_INET;
		return get_exact(tb[CTA_IP_V4_SRC], t->src, 4) ?:
		       get_exact(tb[CTA_IP_V4_DST], t->dst, 4);
	}
	t->family = AF_INET6;
	return get_exact(tb[CTA_IP_V6_SRC], t->src, 16) ?:
	       get_exact(tb[CTA_IP_V6_DST], t->dst, 16);
}

static int get_be16(const struct nlattr *a, uint16_t *out)
{
	uint16_t v;

	if (get_exact(a, &v, sizeof(v)))
		return -EPROTO;
	*out = ntohs(v);
	return 0;
}

/* The ICMP fields (ICMP's or ICMPv6's attributes), if there are. */
static int parse_icmp(const struct nlattr **tb, struct ct_tuple *t)
{
	bool v6 = tb[CTA_PROTO_ICMPV6_TYPE] != NULL;
	const struct nlattr *id = tb[v6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID];
	const struct nlattr *type = tb[v6 ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE];
	const struct nlattr *code = tb[v6 ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE];

	if (!type)
		return 0;
	return get_be16(id, &t->icmp_id) ?:
	       get_exact(type, &t->icmp_type, 1) ?:
	       get_exact(code, &t->icmp_code, 1);
}

static int parse_proto(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *tb[CTA_PROTO_MAX + 1];

	if (parse_nest(nest, tb, CTA_PROTO_MAX) ||
	    get_exact(tb[CTA_PROTO_NUM], &t->proto, 1))
		return -EPROTO;
	if (tb[CTA_PROTO_SRC_PORT]) {
		if (get_be16(tb[CTA_PROTO_SRC_PORT], &t->sport) ||
		    get_be16(tb[CTA_PROTO_DST_PORT], &t->dport))
			return -EPROTO;
		t->has_ports = true;
	}
	return parse_icmp(tb, t);
}

static int parse_tuple(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1];

	if (!nest || parse_nest(nest, tb, CTA_TUPLE_MAX) ||
	    !tb[CTA_TUPLE_IP] || !tb[CTA_TUPLE_PROTO])
		return -EPROTO;
	return parse_ip(tb[CTA_TUPLE_IP], t) ?: parse_proto(tb[CTA_TUPLE_PROTO], t);
}

static int parse_tcp_state(const struct nlattr *nest, int *state)
{
	const struct nlattr *pi[CTA_PROTOINFO_MAX + 1];
	const struct nlattr *tcp[CTA_PROTOINFO_TCP_MAX + 1];
	uint8_t s;

	if (parse_nest(nest, pi, CTA_PROTOINFO_MAX))
		return -EPROTO;
	if (!pi[CTA_PROTOINFO_TCP])
		return 0;
	if (parse_nest(pi[CTA_PROTOINFO_TCP], tcp, CTA_PROTOINFO_TCP_MAX) ||
	    get_exact(tcp[CTA_PROTOINFO_TCP_STATE], &s, 1))
		return -EPROTO;
	*state = s;
	return 0;
}

/* The optional scalars: zone, mark, labels (absent means 0). */
static int parse_extras(const struct nlattr **tb, struct ct_conn *c)
{
	uint32_t mark;

	if (tb[CTA_ZONE] && get_be16(tb[CTA_ZONE], &c->zone))
		return -EPROTO;
	if (tb[CTA_MARK]) {
		if (get_exact(tb[CTA_MARK], &mark, sizeof(mark)))
			return -EPROTO;
		c->mark = ntohl(mark);
	}
	/* the kernel's bitmap, bit i of byte i / 8 on little-endian hosts:
	 * the order of ct_label's bytes (and of the datapath key's)
	 */
	if (tb[CTA_LABELS] && get_exact(tb[CTA_LABELS], c->labels, 16))
		return -EPROTO;
	if (tb[CTA_PROTOINFO])
		return parse_tcp_state(tb[CTA_PROTOINFO], &c->tcp_state);
	return 0;
}

int ct_netlink_parse(const struct nlmsghdr *nlh, struct ct_conn *c)
{
	const struct nlattr *tb[CTA_MAX + 1] = { 0 };
	struct attr_table t = { tb, CTA_MAX };

	memset(c, 0, sizeof(*c));
	c->tcp_state = -1;
	if (nlh->nlmsg_type != CT_MSG(IPCTNL_MSG_CT_NEW) ||
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), table_cb, &t) < 0)
		return -EPROTO;
	return parse_tuple(tb[CTA_TUPLE_ORIG], &c->orig) ?:
	       parse_tuple(tb[CTA_TUPLE_REPLY], &c->reply) ?:
	       parse_extras(tb, c);
}

/* ---- requests ---- */

static struct nlmsghdr *ct_msg_start(void *buf, uint8_t type, uint16_t flags,
				     uint8_t family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = CT_MSG(type);
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	return nlh;
}

struct dump_aux {
	const struct ct_filter *f;
	ct_conn_cb cb;
	void *aux;
};

static int dump_msg_cb(const struct nlmsghdr *nlh, void *aux_)
{
	struct dump_aux *aux = aux_;
	struct ct_conn c;

	if (ct_netlink_parse(nlh, &c))
		return -EPROTO;
	if (aux->f && !ct_filter_match(aux->f, &c))
		return 0;
	return aux->cb(&c, aux->aux);
}

int ct_netlink_dump(struct genl_sock *s, const struct ct_filter *f,
		    ct_conn_cb cb, void *aux, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_aux a = { f, cb, aux };
	struct nlmsghdr *nlh;
	int ret;

	nlh = ct_msg_start(buf, IPCTNL_MSG_CT_GET, NLM_F_DUMP, AF_UNSPEC);
	ret = genl_sock_transact(s, nlh, dump_msg_cb, &a, err, errlen);
	describe_missing(ret, err, errlen);
	return ret;
}

static void put_tuple(struct nlmsghdr *nlh, const struct ct_tuple *t)
{
	struct nlattr *tuple = mnl_attr_nest_start(nlh, CTA_TUPLE_ORIG);
	struct nlattr *nest = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	bool v4 = t->family == AF_INET;

	mnl_attr_put(nlh, v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, v4 ? 4 : 16, t->src);
	mnl_attr_put(nlh, v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, v4 ? 4 : 16, t->dst);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, t->proto);
	if (t->has_ports) {
		mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(t->sport));
		mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(t->dport));
	} else if (t->proto == IPPROTO_ICMP) {
		mnl_attr_put_u16(nlh, CTA_PROTO_ICMP_ID, htons(t->icmp_id));
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMP_TYPE, t->icmp_type);
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMP_CODE, t->icmp_code);
	} else if (t->proto == IPPROTO_ICMPV6) {
		mnl_attr_put_u16(nlh, CTA_PROTO_ICMPV6_ID, htons(t->icmp_id));
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMPV6_TYPE, t->icmp_type);
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMPV6_CODE, t->icmp_code);
	}
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_nest_end(nlh, tuple);
}

/* Deletes one connection by its original tuple and zone; 0 as well
 * when it is gone already.
 */
static int delete_conn(struct genl_sock *s, const struct ct_conn *c,
		       char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = ct_msg_start(buf, IPCTNL_MSG_CT_DELETE, 0, c->orig.family);
	put_tuple(nlh, &c->orig);
	mnl_attr_put_u16(nlh, CTA_ZONE, htons(c->zone));
	ret = genl_sock_transact(s, nlh, NULL, NULL, err, errlen);
	return ret == -ENOENT ? 0 : ret;
}

/* The connections to delete, gathered by a dump first: deleting during
 * the dump would skip some.
 */
struct conn_list {
	struct ct_conn *v;
	size_t n, cap;
};

static int gather_cb(const struct ct_conn *c, void *aux)
{
	struct conn_list *l = aux;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct ct_conn *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *c;
	return 0;
}

static int flush_all(struct genl_sock *s, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = ct_msg_start(buf, IPCTNL_MSG_CT_DELETE, 0, AF_UNSPEC);
	ret = genl_sock_transact(s, nlh, NULL, NULL, err, errlen);
	describe_missing(ret, err, errlen);
	return ret;
}

int ct_netlink_flush(struct genl_sock *s, const struct ct_filter *f,
		     long *n_deleted, char *err, size_t errlen)
{
	struct conn_list l = { 0 };
	size_t i;
	int ret;

	*n_deleted = -1;
	if (ct_filter_is_empty(f))
		return flush_all(s, err, errlen);
	ret = ct_netlink_dump(s, f, gather_cb, &l, err, errlen);
	for (i = 0; !ret && i < l.n; i++)
		ret = delete_conn(s, &l.v[i], err, errlen);
	*n_deleted = ret ? -1 : (long)l.n;
	free(l.v);
	return ret;
}
