// SPDX-License-Identifier: GPL-2.0
/*
 * Open vSwitch's extensions over OpenFlow 1.3: Debian's ovs-ofctl (Open
 * vSwitch 3.1) programs a real vswitchd (config-only, the host has no
 * module) with the Nicira ct fields (NXM_NX_CT_STATE...CT_TP_DST in the
 * OXM match), actions (NXAST_CT with nested NXAST_NAT and loads,
 * NXAST_CT_CLEAR) and tunnel fields (NXM_NX_TUN_IPV4_SRC...IPV6_DST),
 * and reads them back: what ovs-ofctl dumps is the rule it sent, and
 * vswitchctl shows the same rule. What vswitch does not have is refused
 * with the code Open vSwitch gives.
 *
 * vsw-timeout: 120
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "daemon_helpers.h"

FIXTURE(nx) {
	char dir[300];
	char bin[256];
	char out[8192];
};

FIXTURE_SETUP(nx)
{
	ASSERT_EQ(0, test_bindir(self->bin, sizeof(self->bin)));
	ASSERT_EQ(0, test_scratch(self->bin, "ofpnx", self->dir, sizeof(self->dir)));
	ASSERT_EQ(0, sh("'%s/vswitchd' --state-dir '%s/st' --socket '%s/sock' "
			"--pidfile '%s/pid' --detach --log-level err 2>'%s/err'",
			self->bin, self->dir, self->dir, self->dir, self->dir));
	ASSERT_EQ(0, sh("VSWITCH_SOCKET='%s/sock' '%s/vswitchctl' add-br nx0",
			self->dir, self->bin));
	ASSERT_EQ(0, test_wait_socket(self->dir, "nx0.mgmt"));
}

FIXTURE_TEARDOWN(nx)
{
	sh("kill $(cat '%s/pid') 2>/dev/null; sleep 0.2; rm -rf '%s'", self->dir,
	   self->dir);
}

/* Runs @cmd (one %s: the bridge's management socket, or the control
 * socket for vswitchctl) with stdout and stderr in self->out; its status. */
static int run(FIXTURE_DATA(nx) *self, const char *fmt, const char *arg)
{
	char cmd[2048], path[400];
	FILE *f;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), fmt, self->dir, arg);
	snprintf(path, sizeof(path), "%s/out", self->dir);
	st = sh("%s >'%s' 2>&1", cmd, path);
	f = fopen(path, "r");
	n = f ? fread(self->out, 1, sizeof(self->out) - 1, f) : 0;
	self->out[n] = '\0';
	if (f)
		fclose(f);
	return st;
}

#define OFCTL "timeout 20 ovs-ofctl -O OpenFlow13 "

static int add(FIXTURE_DATA(nx) *self, const char *flow)
{
	return run(self, OFCTL "add-flow unix:%s/nx0.mgmt '%s'", flow);
}

/* The one rule's line as ovs-ofctl dumps it, without the leading space. */
static const char *dumped(FIXTURE_DATA(nx) *self)
{
	char *nl;

	if (run(self, OFCTL "dump-flows --no-stats unix:%s/nx0.mgmt%s", ""))
		return "(dump failed)";
	nl = strchr(self->out, '\n');
	if (nl)
		*nl = '\0';
	return self->out + (self->out[0] == ' ');
}

/* vswitchctl's dump-flows line for the rule, after its counters. */
static const char *ctl_dumped(FIXTURE_DATA(nx) *self)
{
	char *p, *nl;

	if (run(self, "VSWITCH_SOCKET='%s/sock' '%s/vswitchctl' dump-flows nx0",
		self->bin))
		return "(vswitchctl failed)";
	p = strstr(self->out, "n_bytes=");
	p = p ? strchr(p, ' ') : NULL;
	if (!p)
		return self->out;
	nl = strchr(++p, '\n');
	if (nl)
		*nl = '\0';
	return p;
}

static const struct {
	const char *sent;
	const char *back;	/* NULL: as sent */
} cases[] = {
	{ "ct_state=-trk,ip actions=ct(table=1,zone=5)" },
	{ "table=1, ct_state=+new+trk,ip actions=ct(commit,zone=5),output:2" },
	{ "table=1, ct_state=+est+trk,ct_zone=5,ct_mark=0x1/0xff,ip actions=output:3" },
	{ "ct_state=+rpl+trk,ct_label=0x10/0xf0,ip actions=ct_clear,output:1" },
	{ "ct_state=+new+trk,ct_nw_src=192.0.2.0/24,ct_nw_dst=198.51.100.7,"
	  "ct_nw_proto=6,ct_tp_src=0x400/0xfc00,ct_tp_dst=80,ip actions=drop" },
	{ "ct_state=+est+trk,ct_ipv6_src=2001:db8::/32,ct_ipv6_dst=2001:db8::1,ipv6 "
	  "actions=drop" },
	{ "ip actions=ct(commit,table=3,zone=5,nat(src=192.0.2.1-192.0.2.9:"
	  "5000-6000,random),exec(set_field:0x1/0xff->ct_mark,set_field:0x5->ct_label))" },
	{ "ipv6 actions=ct(commit,nat(dst=[2001:db8::1]-[2001:db8::5]:80,persistent))" },
	{ "ip actions=ct(nat),ct(commit,force,zone=65535,exec(set_field:0x7->ct_mark))" },
	{ "ip actions=ct(commit,nat(src=192.0.2.1))" },
	{ "ip actions=ct(commit,nat(dst=192.0.2.5:80,hash))" },
	{ "ip actions=ct(commit,nat(src))" },
	/* tunnels: the key as OXM_OF_TUNNEL_ID, the outer addresses as NXM */
	{ "tun_id=0x5/0xff,tun_src=192.0.2.1,tun_dst=198.51.100.0/24 actions="
	  "set_field:203.0.113.9->tun_dst,set_field:0x7->tun_id,output:1" },
	{ "priority=7,tun_ipv6_src=2001:db8::1,tun_ipv6_dst=2001:db8::/32 actions="
	  "set_field:2001:db8::9->tun_ipv6_dst,set_field:192.0.2.5->tun_src,output:1" },
	/* NXAST_REG_LOAD comes back as the same load written with a mask */
	{ "ip actions=ct(commit,exec(load:0x3->NXM_NX_CT_MARK[4..5]))",
	  "ip actions=ct(commit,exec(set_field:0x30/0x30->ct_mark))" },
	{ "ip actions=ct(commit,exec(load:0x1->NXM_NX_CT_LABEL[64..127]))",
	  "ip actions=ct(commit,exec(set_field:0x10000000000000000/"
	  "0xffffffffffffffff0000000000000000->ct_label))" },
	/* registers and metadata: NXM_NX_REGn, OXM_OF_METADATA, the xregs'
	 * OXM class; set_field, NXAST_REG_LOAD/REG_MOVE, write_metadata, a
	 * ct zone from a register */
	{ "reg0=0x5,reg3=0x10/0xf0,metadata=0x1/0xff actions=set_field:0x1->reg0,"
	  "load:0x1->NXM_NX_REG1[3],load:0x5->NXM_NX_REG2[0..7],"
	  "move:NXM_OF_ETH_SRC[0..31]->NXM_NX_REG3[],write_metadata:0x5/0xff,"
	  "goto_table:1" },
	{ "tcp,reg15=0xffffffff actions=load:0x1->OXM_OF_METADATA[],"
	  "move:NXM_OF_TCP_DST[]->NXM_NX_REG0[0..15],set_field:0x3->xreg0,"
	  "load:0xabcdef->OXM_OF_PKT_REG1[8..40],ct(table=1,zone=NXM_NX_REG13[0..15])" },
	{ "xreg1=0x100000002 actions=drop", "reg2=0x1,reg3=0x2 actions=drop" },
	{ "ip actions=set_field:0x1/0xf->metadata,set_field:0xa/0xff->reg4,output:1",
	  "ip actions=load:0x1->OXM_OF_METADATA[0..3],load:0xa->NXM_NX_REG4[0..7],"
	  "output:1" },
};

TEST_F(nx, ct_rules_read_back_through_ovs_ofctl_and_vswitchctl)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *back = cases[i].back ? cases[i].back : cases[i].sent;
		char want[1024];

		ASSERT_EQ(0, run(self, OFCTL "del-flows unix:%s/nx0.mgmt%s", ""));
		ASSERT_EQ(0, add(self, cases[i].sent)) TH_LOG("%s: %s", cases[i].sent,
							       self->out);
		EXPECT_STREQ(back, dumped(self));
		/* vswitchctl writes the same rule, its table among the counters */
		snprintf(want, sizeof(want), "%s",
			 strncmp(back, "table=", 6) ? back : strchr(back, ' ') + 1);
		EXPECT_STREQ(want, ctl_dumped(self)) TH_LOG("%s", cases[i].sent);
	}
}

/* Rules written with vswitchctl go out as ovs-ofctl reads them. */
TEST_F(nx, vswitchctl_rules_go_out_as_nicira_actions)
{
	ASSERT_EQ(0, run(self, OFCTL "del-flows unix:%s/nx0.mgmt%s", ""));
	ASSERT_EQ(0, run(self, "VSWITCH_SOCKET='%s/sock' '%s/vswitchctl' add-flow nx0 "
			 "'ip,ct_state=+trk+est,ct_zone=9,actions=ct(commit,zone=9,"
			 "exec(set_field:0x2->ct_mark)),ct_clear,output:1'", self->bin))
		TH_LOG("%s", self->out);
	EXPECT_STREQ("ct_state=+est+trk,ct_zone=9,ip actions=ct(commit,zone=9,"
		     "exec(set_field:0x2->ct_mark)),ct_clear,output:1", dumped(self));
}

static const struct {
	const char *flow;
	const char *error;
} refused[] = {
	/* a load into the VLAN TCI: vswitch writes vlan_vid/vlan_pcp only */
	{ "actions=load:0x1->NXM_OF_VLAN_TCI[0..11]", "OFPBAC_BAD_SET_TYPE" },
	/* ct_mark set twice in one exec */
	{ "ip,actions=ct(commit,exec(set_field:1->ct_mark,set_field:2->ct_mark))",
	  "OFPBAC_BAD_ARGUMENT" },
	/* the tuple needs a tracked connection in the match */
	{ "ip,ct_nw_src=192.0.2.1,actions=drop", "OFPBMC_BAD_PREREQ" },
};

TEST_F(nx, what_vswitch_lacks_is_refused_with_its_code)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		EXPECT_NE(0, add(self, refused[i].flow)) TH_LOG("%s", refused[i].flow);
		EXPECT_NE(NULL, strstr(self->out, refused[i].error))
			TH_LOG("%s: %s", refused[i].flow, self->out);
	}
	/* nothing of them was added */
	EXPECT_EQ(0, run(self, OFCTL "dump-flows --no-stats unix:%s/nx0.mgmt%s", ""));
	EXPECT_STREQ(" priority=0 actions=NORMAL\n", self->out);
}

TEST_HARNESS_MAIN
