// SPDX-License-Identifier: GPL-2.0
/*
 * dp-flush: delete every megaflow of a vswitch datapath straight in the
 * kernel (VSW_CMD_FLOW_FLUSH), behind vswitchd's back, as another tool
 * or an operator with a netlink library could. The tests use it to check
 * that the daemon recovers: its records of those flows must not stop the
 * next miss from installing them again.
 *
 *   dp-flush DP
 */
#include <stdio.h>
#include "dpif.h"

int main(int argc, char **argv)
{
	struct dpif *dpif;
	char err[256];

	if (argc != 2) {
		fprintf(stderr, "usage: dp-flush DP\n");
		return 2;
	}
	if (dpif_open(&dpif, err, sizeof(err)) ||
	    dpif_flow_flush(dpif, argv[1], err, sizeof(err))) {
		fprintf(stderr, "dp-flush: %s: %s\n", argv[1], err);
		return 1;
	}
	dpif_close(dpif);
	return 0;
}
