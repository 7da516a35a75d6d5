// SPDX-License-Identifier: GPL-2.0
/*
 * dpif's batches (userspace/lib/dpif-batch.c) against vswitch.ko: many
 * FLOW_GET, FLOW_DEL and FLOW_NEW-with-REPLACE-and-ECHO requests in one
 * sendmsg(), one final ack. Each request's reply reaches the callback
 * under its own index, a request for a flow the kernel no longer has
 * fails alone (-ENOENT with the kernel's message) while the others of
 * the batch are carried out, a set re-installs a vanished flow, and a
 * batch longer than one sendmsg() holds is committed in parts.
 * No ports: flows are installed and read only. Private netns.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include "kselftest_harness.h"
#include "harness_scale.h"
#include "dpif.h"

#define DP "br-dpb"
#define NFLOWS 300		/* more than two full batches */

FIXTURE(batch) {
	struct dpif *d;
	struct dpif_batch b;
	char err[256];
	/* what the reply callback saw, by op index */
	unsigned int replies[DPIF_BATCH_MAX];
	unsigned int reply_src[DPIF_BATCH_MAX];
};

/* Flow @i: in_port 1, eth_src 02:00:5e:00:@i exact, the rest wild. */
static void flow_match(struct match *m, unsigned int i)
{
	static const uint8_t src[6] = { 0x02, 0x00, 0x5e, 0, 0, 0 };

	memset(m, 0, sizeof(*m));
	m->flow.in_port = 1;
	m->mask.in_port = UINT32_MAX;
	memcpy(m->flow.eth_src, src, 6);
	m->flow.eth_src[4] = i >> 8;
	m->flow.eth_src[5] = i & 0xff;
	memset(m->mask.eth_src, 0xff, 6);
}

static void drop_actions(struct odp_actions *a)
{
	memset(a, 0, sizeof(*a));
}

static void output_actions(struct odp_actions *a, uint32_t port)
{
	memset(a, 0, sizeof(*a));
	a->n = 1;
	a->a[0].type = VSW_ACTION_ATTR_OUTPUT;
	a->a[0].u.port = port;
}

static void reply_cb(unsigned int op, const struct dpif_flow *f, void *aux)
{
	FIXTURE_DATA(batch) *self = aux;

	self->replies[op]++;
	self->reply_src[op] = f->match.flow.eth_src[4] << 8 |
			      f->match.flow.eth_src[5];
}

static int install(FIXTURE_DATA(batch) *self, unsigned int i)
{
	struct odp_actions acts;
	struct match m;

	flow_match(&m, i);
	drop_actions(&acts);
	return dpif_flow_put(self->d, DP, &m, &acts, NULL, 0, self->err,
			     sizeof(self->err));
}

FIXTURE_SETUP(batch)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, dpif_open(&self->d, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	ASSERT_EQ(0, dpif_dp_new(self->d, DP, NULL, NULL, self->err,
				 sizeof(self->err))) TH_LOG("%s", self->err);
	/* a full batch of replies: more than a default receive buffer */
	dpif_set_rcvbuf(self->d, 1 << 20);
	ASSERT_EQ(0, dpif_batch_init(&self->b));
	self->b.reply_cb = reply_cb;
	self->b.aux = self;
	memset(self->replies, 0, sizeof(self->replies));
}

FIXTURE_TEARDOWN(batch)
{
	dpif_batch_uninit(&self->b);
	dpif_dp_del(self->d, DP, self->err, sizeof(self->err));
	dpif_close(self->d);
}

/* get, set, del of flows that exist, then a del and a get of one that
 * does not, then a get again: only the missing flow's requests fail. */
TEST_F(batch, each_request_gets_its_reply_and_its_own_error)
{
	struct odp_actions out;
	struct dpif_flow f;
	struct match m;
	int op[6];

	ASSERT_EQ(0, install(self, 1));
	ASSERT_EQ(0, install(self, 2));
	ASSERT_EQ(0, install(self, 3));
	output_actions(&out, 7);
	flow_match(&m, 1);
	op[0] = dpif_batch_flow_get(&self->b, DP, &m, NULL);
	flow_match(&m, 2);
	op[1] = dpif_batch_flow_set(&self->b, DP, &m, &out, NULL);
	flow_match(&m, 3);
	op[2] = dpif_batch_flow_del(&self->b, DP, &m, NULL);
	flow_match(&m, 9);
	op[3] = dpif_batch_flow_del(&self->b, DP, &m, NULL);
	op[4] = dpif_batch_flow_get(&self->b, DP, &m, NULL);
	flow_match(&m, 1);
	op[5] = dpif_batch_flow_get(&self->b, DP, &m, NULL);
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(i, op[i]);
	ASSERT_EQ(0, dpif_batch_commit(self->d, &self->b));

	EXPECT_EQ(0, self->b.result[0]);
	EXPECT_EQ(0, self->b.result[1]);
	EXPECT_EQ(0, self->b.result[2]);
	EXPECT_EQ(-ENOENT, self->b.result[3]);
	EXPECT_STREQ("flow not found", self->b.msg[3]);
	EXPECT_EQ(-ENOENT, self->b.result[4]);
	EXPECT_EQ(0, self->b.result[5]);
	EXPECT_EQ(1U, self->replies[0]);
	EXPECT_EQ(1U, self->reply_src[0]);
	EXPECT_EQ(1U, self->replies[1]);
	EXPECT_EQ(2U, self->reply_src[1]);
	EXPECT_EQ(1U, self->replies[2]);
	EXPECT_EQ(3U, self->reply_src[2]);
	EXPECT_EQ(0U, self->replies[3]);
	EXPECT_EQ(0U, self->replies[4]);
	EXPECT_EQ(1U, self->replies[5]);

	/* the set took, the delete took, the flows read stayed */
	flow_match(&m, 2);
	ASSERT_EQ(0, dpif_flow_get(self->d, DP, &m, NULL, &f, self->err,
				   sizeof(self->err))) TH_LOG("%s", self->err);
	ASSERT_EQ(1U, f.actions.n);
	EXPECT_EQ((uint16_t)VSW_ACTION_ATTR_OUTPUT, f.actions.a[0].type);
	EXPECT_EQ(7U, f.actions.a[0].u.port);
	flow_match(&m, 3);
	EXPECT_EQ(-ENOENT, dpif_flow_get(self->d, DP, &m, NULL, &f, self->err,
					 sizeof(self->err)));
	flow_match(&m, 1);
	EXPECT_EQ(0, dpif_flow_get(self->d, DP, &m, NULL, &f, self->err,
				   sizeof(self->err)));
}

/* A set of a flow that idled out meanwhile installs it again, with
 * counters from zero. */
TEST_F(batch, set_of_a_vanished_flow_installs_it)
{
	struct odp_actions out;
	struct dpif_flow f;
	struct match m;

	output_actions(&out, 5);
	flow_match(&m, 4);
	ASSERT_EQ(0, dpif_batch_flow_set(&self->b, DP, &m, &out, NULL));
	ASSERT_EQ(0, dpif_batch_commit(self->d, &self->b));
	EXPECT_EQ(0, self->b.result[0]) TH_LOG("%s", self->b.msg[0]);
	EXPECT_EQ(1U, self->replies[0]);
	ASSERT_EQ(0, dpif_flow_get(self->d, DP, &m, NULL, &f, self->err,
				   sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_EQ(5U, f.actions.a[0].u.port);
	EXPECT_EQ(0U, f.packets);
}

/* NFLOWS sets and then NFLOWS deletes, committed whenever the batch is
 * full: every flow is set once and deleted once, each reply under its
 * op, and the datapath ends empty. */
TEST_F(batch, a_long_run_is_committed_in_parts)
{
	unsigned int done = 0, commits = 0, pass, i;
	struct odp_actions out;
	struct dpif_dp_info info;
	struct match m;
	int op;

	for (i = 0; i < NFLOWS; i++)
		ASSERT_EQ(0, install(self, i)) TH_LOG("%s", self->err);
	output_actions(&out, 3);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i <= NFLOWS; i++) {
			unsigned int n = self->b.n, k;

			if (i < NFLOWS) {
				flow_match(&m, i);
				op = pass ? dpif_batch_flow_del(&self->b, DP, &m, NULL)
					  : dpif_batch_flow_set(&self->b, DP, &m,
								&out, NULL);
				if (op >= 0)
					continue;
				ASSERT_EQ(-E2BIG, op);
				ASSERT_EQ((unsigned int)DPIF_BATCH_MAX, n);
			}
			memset(self->replies, 0, sizeof(self->replies));
			ASSERT_EQ(0, dpif_batch_commit(self->d, &self->b));
			commits++;
			for (k = 0; k < n; k++) {
				EXPECT_EQ(0, self->b.result[k]);
				EXPECT_EQ(1U, self->replies[k]);
				EXPECT_EQ((done + k) % NFLOWS, self->reply_src[k]);
			}
			done += n;
			if (i < NFLOWS)
				i--;	/* add it again */
		}
	}
	EXPECT_EQ(2U * NFLOWS, done);
	EXPECT_GE(commits, 4U);
	ASSERT_EQ(0, dpif_dp_get(self->d, DP, &info, self->err,
				 sizeof(self->err)));
	EXPECT_EQ(0U, info.stats.flows);
}

VSW_HARNESS_MAIN
