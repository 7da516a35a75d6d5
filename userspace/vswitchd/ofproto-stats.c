// SPDX-License-Identifier: GPL-2.0
/*
 * OpenFlow 1.3 MULTIPART replies: DESC, FLOW, AGGREGATE, TABLE, PORT_DESC
 * PORT_STATS and the GROUP ones (ofproto-group.c). Rule counters are the pipeline's (the revalidator pushes
 * the datapath's into them every pass); port counters are the kernel
 * datapath's. Every other multipart type is BAD_REQUEST/BAD_MULTIPART.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bridge.h"
#include "dpif.h"
#include "ofp-multipart.h"
#include "ofproto.h"
#include "patch-port.h"
#include "pipeline.h"
#include "util.h"
#include "vswitchd.h"

static bool ifinfo(const char *name, uint8_t mac[6], bool *up)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd < 0)
		return false;
	ok = !ioctl(fd, SIOCGIFHWADDR, &ifr);
	if (ok)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ok && up)
		*up = !ioctl(fd, SIOCGIFFLAGS, &ifr) && (ifr.ifr_flags & IFF_RUNNING);
	close(fd);
	return ok;
}

uint64_t ofproto_datapath_id(const struct bridge *br)
{
	uint8_t mac[6];
	uint64_t id = 0;

	if (!ifinfo(br->name, mac, NULL)) {
		for (const char *p = br->name; *p; p++)
			id = hash_mix(id, (uint8_t)*p);
		return id & 0xffffffffffffULL;
	}
	for (int i = 0; i < 6; i++)
		id = id << 8 | mac[i];
	return id;
}

static void put_desc(struct ofp13_mp_writer *w, const struct bridge *br)
{
	struct ofp13_desc d;

	memset(&d, 0, sizeof(d));
	snprintf(d.mfr_desc, sizeof(d.mfr_desc), "vswitch");
	snprintf(d.hw_desc, sizeof(d.hw_desc), "vswitch kernel datapath");
	snprintf(d.sw_desc, sizeof(d.sw_desc), "vswitchd");
	snprintf(d.serial_num, sizeof(d.serial_num), "None");
	snprintf(d.dp_desc, sizeof(d.dp_desc), "%s", br->name);
	ofp13_mp_add(w, &d, sizeof(d));
}

struct flow_aux {
	struct ofp13_mp_writer *w;
	struct ofpbuf scratch;
	long long now;
	uint64_t packets, bytes;
	uint32_t n;
	uint32_t err;
};

static void flow_cb(const struct rule *r, void *aux_)
{
	struct flow_aux *aux = aux_;
	struct ofp13_flow_stats_entry e = {
		&r->spec, r->n_packets, r->n_bytes, aux->now - r->created_ms,
		r->spec.send_flow_rem ? OFPFF13_SEND_FLOW_REM : 0
	};
	uint32_t err;

	if (aux->err)
		return;
	err = ofp13_encode_flow_stats(&aux->scratch, &e);
	if (err)	/* a rule OpenFlow 1.3 cannot express: refuse the dump */
		aux->err = err;
	else
		ofp13_mp_add(aux->w, aux->scratch.data, aux->scratch.size);
}

static void aggregate_cb(const struct rule *r, void *aux_)
{
	struct flow_aux *aux = aux_;

	aux->packets += r->n_packets;
	aux->bytes += r->n_bytes;
	aux->n++;
}

static uint32_t put_flows(struct ofp13_mp_writer *w, struct bridge *br,
			  const struct ofp13_mp_request *r, bool aggregate)
{
	struct flow_aux aux = { w, .now = vsw_time_msec() };
	struct ofp13_aggregate_stats a;
	struct ofp_rule_spec filter;
	uint32_t out_group, err;

	err = ofp13_decode_flow_stats_request(r, &filter, &out_group);
	if (err)
		return err;
	ofpbuf_init(&aux.scratch);
	(void)out_group;	/* in the filter */
	pipeline_foreach(br->pl, &filter, aggregate ? aggregate_cb : flow_cb, &aux);
	ofpbuf_free(&aux.scratch);
	if (aggregate) {
		memset(&a, 0, sizeof(a));
		a.packet_count = ofp_htonll(aux.packets);
		a.byte_count = ofp_htonll(aux.bytes);
		a.flow_count = htonl(aux.n);
		ofp13_mp_add(w, &a, sizeof(a));
	}
	return aux.err;
}

struct table_aux {
	uint32_t active[OFP_N_TABLES];
	uint64_t matched[OFP_N_TABLES];
};

static void table_cb(const struct rule *r, void *aux_)
{
	struct table_aux *aux = aux_;

	aux->active[r->spec.table]++;
	aux->matched[r->spec.table] += r->n_packets;
}

/* matched_count: the packets the table's present rules matched (a
 * deleted rule's go with it); lookup_count: those plus the packets that
 * matched no rule of the table (pipeline_credit_misses()). */
static void put_tables(struct ofp13_mp_writer *w, struct bridge *br)
{
	static struct table_aux aux;
	struct ofp13_table_stats t;

	memset(&aux, 0, sizeof(aux));
	pipeline_foreach(br->pl, NULL, table_cb, &aux);
	for (int i = 0; i < OFP_N_TABLES - 1; i++) {
		memset(&t, 0, sizeof(t));
		t.table_id = (uint8_t)i;
		t.active_count = htonl(aux.active[i]);
		t.lookup_count = ofp_htonll(aux.matched[i] +
					     pipeline_table_misses(br->pl, (uint8_t)i));
		t.matched_count = ofp_htonll(aux.matched[i]);
		ofp13_mp_add(w, &t, sizeof(t));
	}
}

void ofproto_port_desc(const char *name, uint32_t ofport, bool present,
		       struct ofp13_port *p)
{
	uint8_t mac[6] = { 0 };
	bool up = false;

	memset(p, 0, sizeof(*p));
	p->port_no = htonl(ofp13_port_to_wire(ofport));
	if (present && ifinfo(name, mac, &up))
		memcpy(p->hw_addr, mac, 6);
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->state = htonl(up ? OFPPS13_LIVE : OFPPS13_LINK_DOWN);
}

static void put_port_descs(struct ofp13_mp_writer *w, struct bridge *br)
{
	struct ofp13_port p;

	ofproto_port_desc(br->name, OFPP_LOCAL, br->dp_ok, &p);
	ofp13_mp_add(w, &p, sizeof(p));
	for (size_t i = 0; i < br->n_ports; i++) {
		ofproto_bridge_port_desc(br, &br->ports[i], &p);
		ofp13_mp_add(w, &p, sizeof(p));
	}
}

void ofproto_bridge_port_desc(const struct bridge *br, const struct port *bp,
			      struct ofp13_port *p)
{
	ofproto_port_desc(bp->name, bp->ofport, bp->present && !bp->patch, p);
	if (patch_live(br, bp))	/* no device: live when it forwards */
		p->state = htonl(OFPPS13_LIVE);
}


struct port_stats_aux {
	struct ofp13_mp_writer *w;
	uint32_t port;
	bool found;
};

static int port_stats_cb(const struct dpif_port_info *p, void *aux_)
{
	struct port_stats_aux *aux = aux_;
	struct ofp13_port_stats s;

	if (aux->port != OFPP_NONE && aux->port != p->port_no)
		return 0;
	aux->found = true;
	memset(&s, 0, sizeof(s));
	s.port_no = htonl(ofp13_port_to_wire(p->port_no));
	s.rx_packets = ofp_htonll(p->stats.rx_packets);
	s.tx_packets = ofp_htonll(p->stats.tx_packets);
	s.rx_bytes = ofp_htonll(p->stats.rx_bytes);
	s.tx_bytes = ofp_htonll(p->stats.tx_bytes);
	s.tx_dropped = ofp_htonll(p->stats.tx_dropped);
	ofp13_mp_add(aux->w, &s, sizeof(s));
	return 0;
}

/* Patch ports without a kernel patch port (the dump had the others):
 * nothing crossed them in the kernel. */
static void put_patch_stats(struct port_stats_aux *aux, struct bridge *br)
{
	struct ofp13_port_stats s;

	for (size_t i = 0; i < br->n_ports; i++) {
		const struct port *p = &br->ports[i];

		if (!p->patch || p->present ||
		    (aux->port != OFPP_NONE && aux->port != p->ofport))
			continue;
		aux->found = true;
		memset(&s, 0, sizeof(s));
		s.port_no = htonl(ofp13_port_to_wire(p->ofport));
		ofp13_mp_add(aux->w, &s, sizeof(s));
	}
}

static uint32_t put_port_stats(struct ofp13_mp_writer *w, struct bridge *br,
			       const struct ofp13_mp_request *r)
{
	struct port_stats_aux aux = { w, OFPP_NONE, false };
	char err[256];
	uint32_t e = ofp13_decode_port_stats_request(r, &aux.port);

	if (e)
		return e;
	if (!br->dp_ok || !vswd.dpif)
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_PORT);
	if (dpif_port_dump(vswd.dpif, br->name, port_stats_cb, &aux, err, sizeof(err)))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_EPERM);
	put_patch_stats(&aux, br);
	if (aux.port != OFPP_NONE && !aux.found)
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_PORT);
	return 0;
}

/* The replies, one builder each: @empty ones take no request body. */
typedef uint32_t mp_put_fn(struct ofp13_mp_writer *, struct bridge *,
			   const struct ofp13_mp_request *);

static uint32_t mp_desc(struct ofp13_mp_writer *w, struct bridge *br,
			const struct ofp13_mp_request *r)
{
	put_desc(w, br);
	return 0;
}

static uint32_t mp_flow(struct ofp13_mp_writer *w, struct bridge *br,
			const struct ofp13_mp_request *r)
{
	return put_flows(w, br, r, false);
}

static uint32_t mp_aggregate(struct ofp13_mp_writer *w, struct bridge *br,
			     const struct ofp13_mp_request *r)
{
	return put_flows(w, br, r, true);
}

static uint32_t mp_table(struct ofp13_mp_writer *w, struct bridge *br,
			 const struct ofp13_mp_request *r)
{
	put_tables(w, br);
	return 0;
}

static uint32_t mp_port_desc(struct ofp13_mp_writer *w, struct bridge *br,
			     const struct ofp13_mp_request *r)
{
	put_port_descs(w, br);
	return 0;
}

static uint32_t mp_table_features(struct ofp13_mp_writer *w, struct bridge *br,
				  const struct ofp13_mp_request *r)
{
	ofp13_put_table_features(w, OFP_N_TABLES - 1, UINT32_MAX);
	return 0;
}

static const struct {
	uint16_t type;
	bool empty;
	mp_put_fn *put;
} mp_types[] = {
	{ OFPMP13_DESC, true, mp_desc },
	{ OFPMP13_FLOW, false, mp_flow },
	{ OFPMP13_AGGREGATE, false, mp_aggregate },
	{ OFPMP13_TABLE, true, mp_table },
	{ OFPMP13_PORT_STATS, false, put_port_stats },
	{ OFPMP13_GROUP, false, ofproto_put_group_stats },
	{ OFPMP13_GROUP_DESC, true, ofproto_put_group_descs },
	{ OFPMP13_GROUP_FEATURES, true, ofproto_put_group_features },
	{ OFPMP13_PORT_DESC, true, mp_port_desc },
	{ OFPMP13_TABLE_FEATURES, true, mp_table_features },
};

/* Queues, meters, experimenter: BAD_REQUEST/BAD_MULTIPART. */
uint32_t ofproto_multipart(struct bridge *br, const struct ofp13_mp_request *r,
			   uint32_t xid, struct ofpbuf *tx)
{
	struct ofp13_mp_writer w;
	uint32_t err;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mp_types) && mp_types[i].type != r->type; i++)
		;
	if (i == ARRAY_SIZE(mp_types))
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_MULTIPART);
	if (mp_types[i].empty && r->body_len)
		return OFPERR(OFPET13_BAD_REQUEST, OFPBRC13_BAD_LEN);
	ofp13_mp_begin(&w, tx, r->type, xid);
	err = mp_types[i].put(&w, br, r);
	return err ? err : ofp13_mp_end(&w);
}
