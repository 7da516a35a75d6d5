// SPDX-License-Identifier: GPL-2.0
/*
 * Datapaths: create, get, list, set, delete; the local port netdev comes
 * and goes with its datapath; duplicates and bad names are refused with a
 * message; datapaths are per network namespace and die with it.
 *
 * Each test runs in its own network namespace (unshare in the setup).
 * vsw-timeout: 300
 */
#include <sched.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "vsw_nl.h"

FIXTURE(dp) {
	struct vsw_nl h;
};

FIXTURE_SETUP(dp)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, vsw_nl_open(&self->h)) TH_LOG("vswitch family not found");
}

FIXTURE_TEARDOWN(dp)
{
	vsw_nl_close(&self->h);
}

struct dp_info {
	char name[IFNAMSIZ];
	uint32_t ifindex, microflow, flow_limit, rate, burst, n_pids, pid0;
	int count;
};

static int dp_info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_DP_ATTR_MAX + 1];
	struct dp_info *d = data;

	vsw_nl_parse(nlh, tb, VSW_DP_ATTR_MAX);
	d->count++;
	if (tb[VSW_DP_ATTR_DP_NAME])
		snprintf(d->name, sizeof(d->name), "%s",
			 mnl_attr_get_str(tb[VSW_DP_ATTR_DP_NAME]));
	if (tb[VSW_DP_ATTR_IFINDEX])
		d->ifindex = mnl_attr_get_u32(tb[VSW_DP_ATTR_IFINDEX]);
	if (tb[VSW_DP_ATTR_MICROFLOW_SIZE])
		d->microflow = mnl_attr_get_u32(tb[VSW_DP_ATTR_MICROFLOW_SIZE]);
	if (tb[VSW_DP_ATTR_FLOW_LIMIT])
		d->flow_limit = mnl_attr_get_u32(tb[VSW_DP_ATTR_FLOW_LIMIT]);
	if (tb[VSW_DP_ATTR_UPCALL_RATE])
		d->rate = mnl_attr_get_u32(tb[VSW_DP_ATTR_UPCALL_RATE]);
	if (tb[VSW_DP_ATTR_UPCALL_BURST])
		d->burst = mnl_attr_get_u32(tb[VSW_DP_ATTR_UPCALL_BURST]);
	if (tb[VSW_DP_ATTR_UPCALL_PIDS]) {
		d->n_pids = mnl_attr_get_payload_len(tb[VSW_DP_ATTR_UPCALL_PIDS]) / 4;
		if (d->n_pids)
			memcpy(&d->pid0, mnl_attr_get_payload(tb[VSW_DP_ATTR_UPCALL_PIDS]), 4);
	}
	return MNL_CB_OK;
}

static int dp_get(struct vsw_nl *h, const char *name, struct dp_info *d)
{
	struct nlmsghdr *nlh = vsw_nl_req(h, VSW_CMD_DP_GET, 0);

	memset(d, 0, sizeof(*d));
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, name);
	return vsw_nl_talk(h, nlh, dp_info_cb, d);
}

TEST_F(dp, create_get_delete)
{
	struct dp_info d;

	ASSERT_EQ(0, vsw_dp_add(&self->h, "br-t0")) TH_LOG("%s", self->h.msg);
	ASSERT_EQ(0, dp_get(&self->h, "br-t0", &d));
	EXPECT_STREQ("br-t0", d.name);
	/* the local port netdev exists, named after the datapath */
	EXPECT_NE(0, d.ifindex);
	EXPECT_EQ(d.ifindex, if_nametoindex("br-t0"));
	EXPECT_EQ(VSW_MICROFLOW_DEFAULT, d.microflow);
	EXPECT_EQ(VSW_FLOW_LIMIT_DEFAULT, d.flow_limit);
	EXPECT_EQ(VSW_UPCALL_RATE_DEFAULT, d.rate);
	EXPECT_EQ(VSW_UPCALL_BURST_DEFAULT, d.burst);
	EXPECT_EQ(0, d.n_pids);

	ASSERT_EQ(0, vsw_dp_del(&self->h, "br-t0"));
	EXPECT_EQ(0, if_nametoindex("br-t0"));
	EXPECT_EQ(-ENODEV, dp_get(&self->h, "br-t0", &d));
	EXPECT_STREQ("datapath not found", self->h.msg);
	EXPECT_EQ(-ENODEV, vsw_dp_del(&self->h, "br-t0"));
}

TEST_F(dp, new_replies_with_the_datapath)
{
	struct nlmsghdr *nlh = vsw_nl_req(&self->h, VSW_CMD_DP_NEW, 0);
	struct dp_info d = {};

	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, "br-reply");
	mnl_attr_put_u32(nlh, VSW_DP_ATTR_FLOW_LIMIT, 77);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, dp_info_cb, &d));
	EXPECT_EQ(1, d.count);
	EXPECT_STREQ("br-reply", d.name);
	EXPECT_EQ(77, d.flow_limit);
	EXPECT_EQ(if_nametoindex("br-reply"), d.ifindex);
}

TEST_F(dp, duplicate_refused)
{
	ASSERT_EQ(0, vsw_dp_add(&self->h, "br-dup"));
	EXPECT_EQ(-EEXIST, vsw_dp_add(&self->h, "br-dup"));
	EXPECT_NE(NULL, strstr(self->h.msg, "datapath already exists"))
		TH_LOG("msg: %s", self->h.msg);
}

TEST_F(dp, name_of_existing_netdev_refused)
{
	ASSERT_EQ(0, vsw_sh("ip link add taken0 type veth peer name taken1"));
	EXPECT_EQ(-EEXIST, vsw_dp_add(&self->h, "taken0"));
	EXPECT_NE(NULL, strstr(self->h.msg, "network device"))
		TH_LOG("msg: %s", self->h.msg);
	/* nothing left behind: the name can be reused once free */
	ASSERT_EQ(0, vsw_sh("ip link del taken0"));
	EXPECT_EQ(0, vsw_dp_add(&self->h, "taken0"));
}

TEST_F(dp, bad_names_refused)
{
	EXPECT_EQ(-EINVAL, vsw_dp_add(&self->h, ""));
	EXPECT_EQ(-EINVAL, vsw_dp_add(&self->h, "a/b"));
	EXPECT_NE(NULL, strstr(self->h.msg, "invalid datapath name"));
	EXPECT_NE(0, self->h.off);
	EXPECT_EQ(-EINVAL, vsw_dp_add(&self->h, "a b"));
	/* IFNAMSIZ - 1 characters is the longest */
	EXPECT_EQ(-EINVAL, vsw_dp_add(&self->h, "abcdefghijklmnop"));
	EXPECT_NE(0, self->h.off);
	EXPECT_EQ(0, vsw_dp_add(&self->h, "abcdefghijklmno"));
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_DP_ATTR_MAX + 1];
	char *seen = data;

	vsw_nl_parse(nlh, tb, VSW_DP_ATTR_MAX);
	if (tb[VSW_DP_ATTR_DP_NAME]) {
		strcat(seen, mnl_attr_get_str(tb[VSW_DP_ATTR_DP_NAME]));
		strcat(seen, ",");
	}
	return MNL_CB_OK;
}

TEST_F(dp, dump_lists_all)
{
	char seen[4096] = "";
	struct nlmsghdr *nlh;
	char name[16];
	int i;

	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "brd%d", i);
		ASSERT_EQ(0, vsw_dp_add(&self->h, name));
	}
	nlh = vsw_nl_req(&self->h, VSW_CMD_DP_GET, NLM_F_DUMP);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, count_cb, seen));
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "brd%d,", i);
		EXPECT_NE(NULL, strstr(seen, name)) TH_LOG("missing %s", name);
	}
}

TEST_F(dp, set_changes_config)
{
	uint32_t pids[3] = { 1234, 5678, 9 };
	struct nlmsghdr *nlh;
	struct dp_info d;

	ASSERT_EQ(0, vsw_dp_add(&self->h, "br-set"));
	nlh = vsw_nl_req(&self->h, VSW_CMD_DP_SET, 0);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, "br-set");
	mnl_attr_put_u32(nlh, VSW_DP_ATTR_MICROFLOW_SIZE, 0);
	mnl_attr_put_u32(nlh, VSW_DP_ATTR_FLOW_LIMIT, 10);
	mnl_attr_put_u32(nlh, VSW_DP_ATTR_UPCALL_RATE, 5);
	mnl_attr_put_u32(nlh, VSW_DP_ATTR_UPCALL_BURST, 7);
	mnl_attr_put(nlh, VSW_DP_ATTR_UPCALL_PIDS, sizeof(pids), pids);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL)) TH_LOG("%s", self->h.msg);

	ASSERT_EQ(0, dp_get(&self->h, "br-set", &d));
	EXPECT_EQ(0, d.microflow);
	EXPECT_EQ(10, d.flow_limit);
	EXPECT_EQ(5, d.rate);
	EXPECT_EQ(7, d.burst);
	EXPECT_EQ(3, d.n_pids);
	EXPECT_EQ(1234, d.pid0);

	nlh = vsw_nl_req(&self->h, VSW_CMD_DP_SET, 0);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, "br-set");
	mnl_attr_put_u32(nlh, VSW_DP_ATTR_MICROFLOW_SIZE, 1024);
	mnl_attr_put(nlh, VSW_DP_ATTR_UPCALL_PIDS, 0, NULL);
	ASSERT_EQ(0, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	ASSERT_EQ(0, dp_get(&self->h, "br-set", &d));
	EXPECT_EQ(1024, d.microflow);
	EXPECT_EQ(0, d.n_pids);
	EXPECT_EQ(10, d.flow_limit);

	/* a bad value changes nothing */
	nlh = vsw_nl_req(&self->h, VSW_CMD_DP_SET, 0);
	mnl_attr_put_strz(nlh, VSW_DP_ATTR_DP_NAME, "br-set");
	mnl_attr_put_u32(nlh, VSW_DP_ATTR_FLOW_LIMIT, 99);
	mnl_attr_put_u32(nlh, VSW_DP_ATTR_MICROFLOW_SIZE, 1000);
	EXPECT_EQ(-EINVAL, vsw_nl_talk(&self->h, nlh, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->h.msg, "power of two"));
	ASSERT_EQ(0, dp_get(&self->h, "br-set", &d));
	EXPECT_EQ(10, d.flow_limit);
	EXPECT_EQ(1024, d.microflow);
}

TEST_F(dp, stats_start_at_zero)
{
	struct vsw_stats_req r;

	ASSERT_EQ(0, vsw_dp_add(&self->h, "br-st"));
	ASSERT_EQ(0, vsw_dp_stats(&self->h, "br-st", &r));
	ASSERT_TRUE(r.found);
	EXPECT_EQ(0, r.v[VSW_DP_STATS_ATTR_MISSED]);
	EXPECT_EQ(0, r.v[VSW_DP_STATS_ATTR_FLOWS]);
	EXPECT_EQ(0, r.v[VSW_DP_STATS_ATTR_MASKS]);
}

/* A datapath is visible only in its netns; the same name can exist in
 * another one. */
TEST_F(dp, netns_separate)
{
	struct dp_info d;
	int status;
	pid_t pid;

	ASSERT_EQ(0, vsw_dp_add(&self->h, "br-ns"));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct vsw_nl h2;

		if (unshare(CLONE_NEWNET) || vsw_nl_open(&h2))
			_exit(10);
		if (dp_get(&h2, "br-ns", &d) != -ENODEV)
			_exit(11);
		if (vsw_dp_add(&h2, "br-ns"))
			_exit(12);
		if (!if_nametoindex("br-ns"))
			_exit(13);
		_exit(0);	/* the netns dies with its datapath */
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, dp_get(&self->h, "br-ns", &d));
	EXPECT_EQ(if_nametoindex("br-ns"), d.ifindex);
}

/* Deleting a netns that holds datapaths with ports tears them down. */
TEST_F(dp, netns_delete_holding_datapath)
{
	int status, i;
	pid_t pid;

	for (i = 0; i < 3; i++) {
		pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			struct vsw_nl h2;

			if (unshare(CLONE_NEWNET) || vsw_nl_open(&h2))
				_exit(10);
			if (vsw_dp_add(&h2, "br-gone") || vsw_dp_add(&h2, "br-gone2"))
				_exit(11);
			if (vsw_sh("ip link add g0 type veth peer name g1 && ip link set g0 up && ip link set g1 up"))
				_exit(12);
			if (vsw_port_add(&h2, "br-gone", "g0", 0) != 1)
				_exit(13);
			if (vsw_port_add(&h2, "br-gone2", "g1", 7) != 7)
				_exit(14);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	/* our own netns is untouched and still works */
	EXPECT_EQ(0, vsw_dp_add(&self->h, "br-gone"));
}

VSW_HARNESS_MAIN
