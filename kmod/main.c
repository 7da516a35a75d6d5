// SPDX-License-Identifier: GPL-2.0
/*
 * Module wiring only: each subsystem has an _init/_uninit pair, brought
 * up in dependency order and torn down in reverse.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <uapi/linux/vswitch.h>

#include "datapath.h"
#include "flow_stats.h"
#include "netlink.h"
#include "vport.h"

static int __init vsw_mod_init(void)
{
	int ret;

	vsw_flow_stats_init();

	ret = vsw_vport_init();
	if (ret < 0)
		goto err_uninit_flow_stats;

	ret = vsw_dp_init();
	if (ret < 0)
		goto err_uninit_vport;

	ret = vsw_genl_init();
	if (ret < 0)
		goto err_uninit_dp;

	pr_info("vswitch: generic netlink family \"%s\" registered\n",
		VSWITCH_GENL_NAME);
	return 0;

err_uninit_dp:
	vsw_dp_uninit();
err_uninit_vport:
	vsw_vport_uninit();
err_uninit_flow_stats:
	vsw_flow_stats_uninit();
	return ret;
}

static void __exit vsw_mod_exit(void)
{
	vsw_genl_uninit();
	vsw_dp_uninit();
	vsw_vport_uninit();
	/* Wait for every call_rcu() (flows, actions, ports) to finish. */
	rcu_barrier();
	/* Last: every flow, including those freed by call_rcu(), is gone. */
	vsw_flow_stats_uninit();
}

module_init(vsw_mod_init);
module_exit(vsw_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vswitch: a virtual switch datapath");
MODULE_ALIAS_GENL_FAMILY(VSWITCH_GENL_NAME);
