// SPDX-License-Identifier: GPL-2.0
/*
 * lib/nl-sock, the generic netlink client: acks read the way the kernel
 * writes them (the echoed request skipped unless NLM_F_CAPPED, the TLVs
 * after it, a dump's NLMSG_DONE with its own TLVs, short messages
 * refused), then real transactions with the host kernel's own nlctrl
 * family: family resolution, a dump, and a hand-built malformed request
 * whose refusal names the bad attribute by its offset.
 */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "kselftest_harness.h"
#include "nl-sock.h"

static char req_buf[4096], ack_buf[8192];

/* A request whose first attribute has type NLMSGERR_ATTR_MSG: a parser
 * that took the echoed request for the TLVs would report "decoy". */
static struct nlmsghdr *decoy_request(void)
{
	struct nlmsghdr *nlh = genl_msg_start(req_buf, 0x42, 0, 7, 1);

	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "decoy");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 12345);
	return nlh;
}

struct ext {
	const char *msg;	/* NULL: no TLVs at all */
	uint32_t off, miss;
};

/* An NLMSG_ERROR as netlink_ack() builds it. */
static struct nlmsghdr *error_msg(int error, const struct nlmsghdr *req,
				  bool capped, const struct ext *x)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(ack_buf);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	nlh->nlmsg_type = NLMSG_ERROR;
	e->error = error;
	memcpy(&e->msg, req, sizeof(*req));
	if (capped) {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	} else {
		size_t len = req->nlmsg_len - sizeof(*req);

		memcpy(mnl_nlmsg_put_extra_header(nlh, len),
		       mnl_nlmsg_get_payload(req), len);
	}
	if (x && x->msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, x->msg);
		if (x->off)
			mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, x->off);
		if (x->miss)
			mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, x->miss);
	}
	return nlh;
}

TEST(uncapped_error_skips_the_echoed_request)
{
	struct ext x = { "bad port number", 28, 0 };
	struct nl_ack ack;

	ASSERT_EQ(-EINVAL, nl_parse_ack(error_msg(-EINVAL, decoy_request(),
						  false, &x), &ack));
	EXPECT_EQ(-EINVAL, ack.error);
	EXPECT_STREQ("bad port number", ack.msg);
	EXPECT_EQ(28u, ack.off);
	EXPECT_EQ(0u, ack.miss_type);
}

TEST(capped_error_reads_tlvs_after_the_header)
{
	struct ext x = { "missing attribute", 0, 3 };
	struct nl_ack ack;

	ASSERT_EQ(-EINVAL, nl_parse_ack(error_msg(-EINVAL, decoy_request(),
						  true, &x), &ack));
	EXPECT_STREQ("missing attribute", ack.msg);
	EXPECT_EQ(0u, ack.off);
	EXPECT_EQ(3u, ack.miss_type);
}

TEST(ack_may_carry_a_warning)
{
	struct ext x = { "deprecated attribute", 0, 0 };
	struct nl_ack ack;

	ASSERT_EQ(0, nl_parse_ack(error_msg(0, decoy_request(), true, &x), &ack));
	EXPECT_STREQ("deprecated attribute", ack.msg);
}

TEST(error_without_extack_is_described_by_strerror)
{
	struct nlmsghdr *nlh = error_msg(-ENODEV, decoy_request(), false, NULL);
	struct nl_ack ack;
	char err[128];

	ASSERT_EQ(-ENODEV, nl_parse_ack(nlh, &ack));
	EXPECT_STREQ("", ack.msg);
	EXPECT_EQ(0u, ack.off);
	ASSERT_EQ(-ENODEV, nl_parse_error(nlh, err, sizeof(err)));
	EXPECT_STREQ(strerror(ENODEV), err);
}

TEST(dump_done_carries_errno_and_extack)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(ack_buf);
	int *error = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	struct nl_ack ack;
	char err[128];

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	*error = -ENOENT;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "datapath not found");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	ASSERT_EQ(-ENOENT, nl_parse_ack(nlh, &ack));
	EXPECT_STREQ("datapath not found", ack.msg);
	EXPECT_EQ(20u, ack.off);
	ASSERT_EQ(-ENOENT, nl_parse_error(nlh, err, sizeof(err)));
	EXPECT_STREQ("datapath not found", err);
}

TEST(truncated_error_is_a_protocol_error)
{
	struct nlmsghdr *nlh = error_msg(-EINVAL, decoy_request(), true, NULL);
	struct nl_ack ack;

	nlh->nlmsg_len = mnl_nlmsg_size(sizeof(int));
	EXPECT_EQ(-EPROTO, nl_parse_ack(nlh, &ack));
	EXPECT_EQ(-EPROTO, ack.error);
}

/* --- against the host kernel's nlctrl family ------------------------------ */

FIXTURE(ctrl) {
	struct genl_sock s;
	char err[256];
};

FIXTURE_SETUP(ctrl)
{
	ASSERT_EQ(0, genl_sock_open(&self->s, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
}

FIXTURE_TEARDOWN(ctrl)
{
	genl_sock_close(&self->s);
}

TEST_F(ctrl, resolves_a_family_and_its_group)
{
	uint32_t grp = 0;
	uint16_t id = 0;

	ASSERT_EQ(0, genl_resolve(&self->s, "nlctrl", &id, "notify", &grp,
				  self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	EXPECT_EQ(GENL_ID_CTRL, id);
	EXPECT_NE(0u, grp);
}

TEST_F(ctrl, unknown_family_is_named)
{
	uint16_t id = 0;

	EXPECT_EQ(-ENOENT, genl_resolve(&self->s, "no-such-family", &id, NULL,
					NULL, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "'no-such-family' not found"))
		TH_LOG("%s", self->err);
}

static int count_nlctrl(const struct nlmsghdr *nlh, void *aux)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_NAME &&
		    !strcmp(mnl_attr_get_str(a), "nlctrl"))
			++*(int *)aux;
	return 0;
}

TEST_F(ctrl, dump_reaches_done_and_sees_every_family)
{
	struct nlmsghdr *nlh = genl_msg_start(req_buf, GENL_ID_CTRL, NLM_F_DUMP,
					      CTRL_CMD_GETFAMILY, 1);
	int seen = 0;

	ASSERT_EQ(0, genl_sock_transact(&self->s, nlh, count_nlctrl, &seen,
					self->err, sizeof(self->err)));
	EXPECT_EQ(1, seen);
	EXPECT_EQ(0, self->s.ack.error);
}

static int refuse_replies(const struct nlmsghdr *nlh, void *aux)
{
	return -EBADMSG;
}

TEST_F(ctrl, failing_callback_fails_the_transaction_with_a_message)
{
	struct nlmsghdr *nlh = genl_msg_start(req_buf, GENL_ID_CTRL, 0,
					      CTRL_CMD_GETFAMILY, 1);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	EXPECT_EQ(-EBADMSG, genl_sock_transact(&self->s, nlh, refuse_replies,
					       NULL, self->err, sizeof(self->err)));
	EXPECT_STREQ("bad reply: Bad message", self->err);
	/* the ack was read: the next request gets its own answer */
	nlh = genl_msg_start(req_buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	EXPECT_EQ(0, genl_sock_transact(&self->s, nlh, NULL, NULL, self->err,
					sizeof(self->err)));
}

/* A family name that is no string: the kernel's policy refuses it and
 * points at it, as the guest tests' malformed requests rely on. */
TEST_F(ctrl, malformed_request_is_refused_at_its_offset)
{
	struct nlmsghdr *nlh = genl_msg_start(req_buf, GENL_ID_CTRL, 0,
					      CTRL_CMD_GETFAMILY, 1);
	uint32_t off = nlh->nlmsg_len;

	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_NAME, 0x41414141);
	EXPECT_EQ(-EINVAL, genl_sock_transact(&self->s, nlh, NULL, NULL,
					      self->err, sizeof(self->err)));
	EXPECT_EQ(-EINVAL, self->s.ack.error);
	EXPECT_EQ(off, self->s.ack.off);
	EXPECT_NE(0, self->s.ack.msg[0]);
	EXPECT_STREQ(self->s.ack.msg, self->err);
}

TEST_HARNESS_MAIN
