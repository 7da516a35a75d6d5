// SPDX-License-Identifier: GPL-2.0
/*
 * dp-dump: times one dump of a vswitch datapath's flows, from outside
 * the daemon (bench/guest/scale.sh), and counts the flows whose actions
 * are a single output to a port, so that a benchmark can tell when a
 * rule change has reached every megaflow without asking the daemon (a
 * dump through vswitchctl would run in vswitchd and count as its CPU).
 *
 *   dp-dump DP [terse|full] [src=MAC/MASK] [OUT_PORT...]
 *
 * terse asks for counters and UFID only (what the revalidator reads);
 * full (the default) for keys, masks and actions. src= counts only the
 * flows whose Ethernet source, under MASK, is MAC (full dumps). Prints:
 *   flows=N ms=T [sel=S out_P=M ...]
 * flows: all flows dumped; sel: those src= selects (all without it);
 * out_P: selected flows whose actions are just output:P.
 * Exit 1 when the dump fails or was interrupted by flow changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/vswitch.h>

#include "dpif.h"

#define MAX_PORTS 8

struct count {
	unsigned long flows, sel;
	uint8_t src[6], src_mask[6];
	unsigned int n_ports;
	unsigned long port[MAX_PORTS], out[MAX_PORTS];
};

static int flow_cb(const struct dpif_flow *f, void *aux)
{
	struct count *c = aux;
	unsigned int i;

	c->flows++;
	if (f->terse)
		return 0;
	for (i = 0; i < 6; i++)
		if ((f->match.flow.eth_src[i] & c->src_mask[i]) != c->src[i])
			return 0;
	c->sel++;
	if (f->actions.n != 1 ||
	    f->actions.a[0].type != VSW_ACTION_ATTR_OUTPUT)
		return 0;
	for (i = 0; i < c->n_ports; i++)
		c->out[i] += f->actions.a[0].u.port == c->port[i];
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct count c = { 0 };
	struct dpif *dpif;
	bool terse = false;
	char err[256];
	double t0;
	int i = 2, ret;

	if (argc < 2) {
		fprintf(stderr, "usage: dp-dump DP [terse|full] [OUT_PORT...]\n");
		return 2;
	}
	if (argc > 2 && (!strcmp(argv[2], "terse") || !strcmp(argv[2], "full")))
		terse = !strcmp(argv[i++], "terse");
	if (i < argc && !strncmp(argv[i], "src=", 4)) {
		uint8_t *m = c.src, *k = c.src_mask;

		if (sscanf(argv[i] + 4, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx/%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
			   &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
			   &k[0], &k[1], &k[2], &k[3], &k[4], &k[5]) != 12) {
			fprintf(stderr, "dp-dump: invalid '%s' (src=MAC/MASK)\n", argv[i]);
			return 2;
		}
		for (int j = 0; j < 6; j++)
			m[j] &= k[j];
		i++;
	}
	for (; i < argc; i++) {
		char *end;

		if (c.n_ports == MAX_PORTS) {
			fprintf(stderr, "dp-dump: at most %d ports\n", MAX_PORTS);
			return 2;
		}
		c.port[c.n_ports++] = strtoul(argv[i], &end, 0);
		if (*end || end == argv[i]) {
			fprintf(stderr, "dp-dump: invalid port '%s'\n", argv[i]);
			return 2;
		}
	}
	if (dpif_open(&dpif, err, sizeof(err))) {
		fprintf(stderr, "dp-dump: %s\n", err);
		return 1;
	}
	t0 = now_ms();
	ret = dpif_flow_dump(dpif, argv[1], terse, flow_cb, &c, err, sizeof(err));
	printf("flows=%lu ms=%.0f", c.flows, now_ms() - t0);
	if (!terse)
		printf(" sel=%lu", c.sel);
	for (i = 0; i < (int)c.n_ports; i++)
		printf(" out_%lu=%lu", c.port[i], c.out[i]);
	printf("\n");
	dpif_close(dpif);
	if (ret)
		fprintf(stderr, "dp-dump: %s: %s\n", argv[1],
			ret == -EINTR ? "interrupted by flow changes" : err);
	return ret ? 1 : 0;
}
