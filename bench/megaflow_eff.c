// SPDX-License-Identifier: GPL-2.0
/*
 * megaflow_eff: how many megaflows (and masks) vswitch's translator needs
 * to cover a traffic mix under a rule set, printed per packet so that
 * bench/host/megaflow.sh can compare each megaflow with Open vSwitch's
 * `ofproto/trace` "Megaflow:" line for the same rules and packet.
 *
 *   megaflow_eff RULES PACKETS [WARMUP]
 *
 * RULES holds ovs-ofctl add-flow lines; PACKETS and WARMUP hold packets in
 * ofproto/trace syntax ("in_port=1,tcp,nw_src=10.0.0.1,tp_dst=80"). Blank
 * lines and lines starting with '#' are skipped. The bridge has ports 1-4
 * (p1..p4), untagged, and a MAC table. WARMUP packets are translated first
 * with MAC learning and not reported (so NORMAL knows the hosts); PACKETS
 * are then translated with learning too, the way upcalls are.
 *
 * Output, one line per packet of PACKETS, tab separated:
 *   vsw  INDEX  HIT  MEGAFLOW  DATAPATH_ACTIONS
 * HIT is 1 when an earlier packet's megaflow already covered this packet
 * (a megaflow cache hit), else 0 and the megaflow is added to the cache.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flow.h"
#include "mac-learning.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "pipeline.h"
#include "xlate.h"

#define N_PORTS 4

static int port_lookup(void *aux, const char *name, uint32_t *port_no)
{
	(void)aux;
	if (strlen(name) == 2 && name[0] == 'p' && name[1] >= '1' &&
	    name[1] < '1' + N_PORTS) {
		*port_no = name[1] - '0';
		return 0;
	}
	return -1;
}

/* Calls @fn on each non-comment line of @path; stops at the first error. */
static int for_each_line(const char *path,
			 int (*fn)(const char *line, int lineno, void *aux),
			 void *aux)
{
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, ret = 0;
	ssize_t n;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return -1;
	}
	while (!ret && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		ret = fn(line, lineno, aux);
		if (ret)
			fprintf(stderr, "megaflow_eff: %s:%d: rejected\n", path,
				lineno);
	}
	free(line);
	fclose(f);
	return ret;
}

static int add_rule(const char *line, int lineno, void *aux)
{
	struct pipeline *pl = aux;
	struct ofp_rule_spec spec;
	char err[256];
	int ret;

	(void)lineno;
	if (ofp_parse_flow(line, OFP_PARSE_ADD, port_lookup, NULL, &spec,
			   err, sizeof(err)) < 0) {
		fprintf(stderr, "megaflow_eff: rule '%s': %s\n", line, err);
		return -1;
	}
	ret = pipeline_add(pl, &spec, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, "megaflow_eff: rule '%s': %s\n", line, err);
	ofp_rule_spec_free(&spec);
	return ret < 0 ? -1 : 0;
}

/* The megaflow cache as the datapath would hold it. */
struct mf_cache {
	struct match *m;
	size_t n, cap;
};

static bool match_covers(const struct match *m, const struct flow *f)
{
	const uint64_t *fw = (const uint64_t *)f;
	const uint64_t *vw = (const uint64_t *)&m->flow;
	const uint64_t *mw = (const uint64_t *)&m->mask;
	size_t i;

	for (i = 0; i < FLOW_WORDS; i++)
		if ((fw[i] & mw[i]) != vw[i])
			return false;
	return true;
}

static bool cache_hit(const struct mf_cache *c, const struct flow *f)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (match_covers(&c->m[i], f))
			return true;
	return false;
}

static int cache_add(struct mf_cache *c, const struct match *m)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct match *nm = realloc(c->m, cap * sizeof(*nm));

		if (!nm)
			return -1;
		c->m = nm;
		c->cap = cap;
	}
	c->m[c->n++] = *m;
	return 0;
}

struct run {
	const struct xlate_bridge *br;
	struct mf_cache cache;
	bool report;
	int index;
};

static int run_packet(const char *line, int lineno, void *aux)
{
	struct run *r = aux;
	struct ofp_rule_spec pkt;
	struct xlate_out out;
	char err[256], *mf, *acts;
	bool hit;

	(void)lineno;
	if (ofp_parse_flow(line, OFP_PARSE_PACKET, port_lookup, NULL, &pkt,
			   err, sizeof(err)) < 0) {
		fprintf(stderr, "megaflow_eff: packet '%s': %s\n", line, err);
		return -1;
	}
	hit = cache_hit(&r->cache, &pkt.match.flow);
	memset(&out, 0, sizeof(out));
	if (xlate_flow(r->br, &pkt.match.flow, true, &out, NULL) < 0)
		fprintf(stderr, "megaflow_eff: packet '%s': %s\n", line,
			xlate_strerror(out.error));
	if (r->report) {
		mf = ofp_format_megaflow(&out.megaflow);
		acts = odp_format_actions_flow(&out.actions, &pkt.match.flow);
		printf("vsw\t%d\t%d\t%s\t%s\n", r->index++, hit,
		       mf ? mf : "?", acts ? acts : "?");
		free(mf);
		free(acts);
		if (!hit && cache_add(&r->cache, &out.megaflow) < 0) {
			fprintf(stderr, "megaflow_eff: out of memory\n");
			xlate_out_uninit(&out);
			ofp_rule_spec_free(&pkt);
			return -1;
		}
	}
	xlate_out_uninit(&out);
	ofp_rule_spec_free(&pkt);
	return 0;
}

int main(int argc, char **argv)
{
	struct xlate_port ports[N_PORTS];
	struct xlate_bridge br = { .name = "br0" };
	struct run run = { .br = &br };
	int i, ret = 1;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: megaflow_eff RULES PACKETS [WARMUP]\n");
		return 1;
	}
	memset(ports, 0, sizeof(ports));
	for (i = 0; i < N_PORTS; i++) {
		ports[i].port_no = i + 1;
		snprintf(ports[i].name, sizeof(ports[i].name), "p%d", i + 1);
		ports[i].mode = XVLAN_TRUNK_ALL;
		ports[i].present = true;
	}
	br.ports = ports;
	br.n_ports = N_PORTS;
	br.pl = pipeline_create();
	br.macs = mac_table_create(MAC_DEFAULT_MAX, MAC_DEFAULT_AGING);
	if (!br.pl || !br.macs) {
		fprintf(stderr, "megaflow_eff: out of memory\n");
		goto out_destroy;
	}
	if (for_each_line(argv[1], add_rule, br.pl))
		goto out_destroy;
	if (argc == 4 && for_each_line(argv[3], run_packet, &run))
		goto out_destroy;
	run.report = true;
	if (for_each_line(argv[2], run_packet, &run))
		goto out_destroy;
	ret = 0;
out_destroy:
	free(run.cache.m);
	if (br.macs)
		mac_table_destroy(br.macs);
	if (br.pl)
		pipeline_destroy(br.pl);
	return ret;
}
