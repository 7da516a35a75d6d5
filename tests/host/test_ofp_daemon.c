// SPDX-License-Identifier: GPL-2.0
/*
 * vswitchd's OpenFlow channel under hostile peers, on a real daemon in
 * config-only mode (the host has no module): garbage and mislabelled
 * messages get errors and the channel lives on; a bad length or a HELLO
 * without 1.3 closes only that connection; a peer that never reads its
 * replies is held back while another peer is served.
 *
 * vsw-timeout: 120
 * vsw-sanitizers: tsan (the channel runs beside the revalidator thread)
 */
#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "daemon_helpers.h"
#include "ulib_helpers.h"
#include "ofp-group.h"
#include "ofp-msg.h"

FIXTURE(ofd) {
	char dir[300];
	char bin[256];
};

FIXTURE_SETUP(ofd)
{
	ASSERT_EQ(0, test_bindir(self->bin, sizeof(self->bin)));
	ASSERT_EQ(0, test_scratch(self->bin, "ofd", self->dir, sizeof(self->dir)));
	ASSERT_EQ(0, sh("'%s/vswitchd' --state-dir '%s/st' --socket '%s/sock' "
			"--pidfile '%s/pid' --detach --log-level err 2>'%s/err'",
			self->bin, self->dir, self->dir, self->dir, self->dir));
	ASSERT_EQ(0, sh("VSWITCH_SOCKET='%s/sock' '%s/vswitchctl' add-br ofd0",
			self->dir, self->bin));
	ASSERT_EQ(0, test_wait_socket(self->dir, "ofd0.mgmt"));
}

FIXTURE_TEARDOWN(ofd)
{
	sh("kill $(cat '%s/pid') 2>/dev/null; sleep 0.2; rm -rf '%s'", self->dir,
	   self->dir);
}

static int peer(FIXTURE_DATA(ofd) *self)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timeval tv = { 10, 0 };

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.90s/ofd0.mgmt", self->dir);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Reads one message into @buf; returns its type, or -1 at EOF/error. */
static int recv_msg(int fd, uint8_t *buf, size_t cap, uint32_t *xid)
{
	size_t got = 0, len = 8;

	while (got < len) {
		ssize_t n = recv(fd, buf + got, len - got, 0);

		if (n <= 0)
			return -1;
		got += n;
		if (got == 8) {
			len = (size_t)(buf[2] << 8 | buf[3]);
			if (len < 8 || len > cap)
				return -1;
		}
	}
	if (xid)
		*xid = ntohl(((struct ofp13_header *)buf)->xid);
	return buf[1];
}

static void send_raw(int fd, const void *p, size_t n)
{
	(void)!send(fd, p, n, MSG_NOSIGNAL);
}

/* HELLO both ways. */
static int handshake(int fd)
{
	uint8_t buf[65536];
	struct ofpbuf b;

	if (recv_msg(fd, buf, sizeof(buf), NULL) != OFPT13_HELLO)
		return -1;
	ofpbuf_init(&b);
	ofp13_encode_hello(&b, 1);
	send_raw(fd, b.data, b.size);
	ofpbuf_free(&b);
	return 0;
}

/* An echo round trip with @xid: the channel is alive; false too when a
 * message of type @unwanted (-1: none) comes before the reply. */
static bool echo_before(int fd, uint32_t xid, int unwanted)
{
	uint8_t buf[65536];
	struct ofpbuf b;
	uint32_t got;
	int type;

	ofpbuf_init(&b);
	ofp13_encode_echo(&b, OFPT13_ECHO_REQUEST, xid, "x", 1);
	send_raw(fd, b.data, b.size);
	ofpbuf_free(&b);
	while ((type = recv_msg(fd, buf, sizeof(buf), &got)) >= 0 &&
	       type != unwanted)
		if (type == OFPT13_ECHO_REPLY && got == xid)
			return true;
	return false;
}

/* An echo round trip with @xid: the channel is alive. */
static bool echo_ok(int fd, uint32_t xid)
{
	return echo_before(fd, xid, -1);
}

/* The error answering the message with @xid: "TYPE/CODE" as ofperr_name. */
static const char *error_for(int fd, uint32_t xid)
{
	static uint8_t buf[65536];
	uint32_t got;
	int type;

	while ((type = recv_msg(fd, buf, sizeof(buf), &got)) >= 0)
		if (type == OFPT13_ERROR && got == xid)
			return ofperr_name(OFPERR(buf[8] << 8 | buf[9], buf[10] << 8 | buf[11]));
	return "no error";
}

TEST_F(ofd, garbage_gets_errors_and_the_channel_lives)
{
	uint8_t msg[256];
	int fd = peer(self);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, handshake(fd));
	memcpy(msg, (uint8_t[]){ 4, 99, 0, 8, 0, 0, 0, 11 }, 8);
	send_raw(fd, msg, 8);
	EXPECT_STREQ("OFPBRC_BAD_TYPE", error_for(fd, 11));
	memcpy(msg, (uint8_t[]){ 1, OFPT13_ECHO_REQUEST, 0, 8, 0, 0, 0, 12 }, 8);
	send_raw(fd, msg, 8);
	EXPECT_STREQ("OFPBRC_BAD_VERSION", error_for(fd, 12));
	memcpy(msg, (uint8_t[]){ 4, OFPT13_BARRIER_REQUEST, 0, 12, 0, 0, 0, 13, 1, 2, 3, 4 }, 12);
	send_raw(fd, msg, 12);
	EXPECT_STREQ("OFPBRC_BAD_LEN", error_for(fd, 13));
	/* random FLOW_MOD and MULTIPART bodies: an error or an accepted rule,
	 * and the channel still answers */
	for (int i = 0; i < 300; i++) {
		size_t n = 8 + rnd(sizeof(msg) - 8);

		for (size_t j = 0; j < n; j++)
			msg[j] = (uint8_t)rnd64();
		msg[0] = OFP13_VERSION;
		msg[1] = (uint8_t[]){ OFPT13_FLOW_MOD, OFPT13_MULTIPART_REQUEST,
				      OFPT13_PACKET_OUT }[rnd(3)];
		msg[2] = (uint8_t)(n >> 8);
		msg[3] = (uint8_t)n;
		send_raw(fd, msg, n);
	}
	EXPECT_TRUE(echo_ok(fd, 0x5151));
	close(fd);
}

/* A PACKET_OUT of a 60-byte frame from @in_port, with @acts. */
static void send_packet_out(int fd, uint32_t xid, uint32_t buffer,
			    uint32_t in_port, const uint8_t *acts, size_t alen)
{
	struct ofp13_packet_out o = { .h = { OFP13_VERSION, OFPT13_PACKET_OUT } };
	uint8_t msg[256] = { 0 };
	size_t n = sizeof(o) + alen + 60;

	o.h.length = htons((uint16_t)n);
	o.h.xid = htonl(xid);
	o.buffer_id = htonl(buffer);
	o.in_port = htonl(in_port);
	o.actions_len = htons((uint16_t)alen);
	memcpy(msg, &o, sizeof(o));
	memcpy(msg + sizeof(o), acts, alen);
	memset(msg + sizeof(o) + alen, 0xff, 12);	/* broadcast, from ff.. */
	send_raw(fd, msg, n);
}

TEST_F(ofd, packet_out_errors_are_answered)
{
	static const uint8_t flood[] = { 0, OFPAT13_OUTPUT, 0, 16, 0xff, 0xff, 0xff, 0xfb,
					 0xff, 0xff, 0, 0, 0, 0, 0, 0 };
	static const uint8_t group[] = { 0, OFPAT13_GROUP, 0, 8, 0, 0, 0, 1 };
	int fd = peer(self);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, handshake(fd));
	send_packet_out(fd, 21, 5, OFPP13_CONTROLLER, flood, sizeof(flood));
	EXPECT_STREQ("OFPBRC_BUFFER_UNKNOWN", error_for(fd, 21));
	send_packet_out(fd, 22, OFP13_NO_BUFFER, 77, flood, sizeof(flood));
	EXPECT_STREQ("OFPBRC_BAD_PORT", error_for(fd, 22));
	send_packet_out(fd, 23, OFP13_NO_BUFFER, OFPP13_CONTROLLER, group, sizeof(group));
	EXPECT_STREQ("OFPBAC_BAD_OUT_GROUP", error_for(fd, 23));
	/* config-only mode: no datapath to send it through */
	send_packet_out(fd, 24, OFP13_NO_BUFFER, OFPP13_CONTROLLER, flood, sizeof(flood));
	EXPECT_STREQ("OFPBRC_EPERM", error_for(fd, 24));
	EXPECT_TRUE(echo_ok(fd, 0x5252));
	close(fd);
}

/* The next PORT_STATUS: its reason and port number. */
static int port_status(int fd, uint32_t *port_no)
{
	static uint8_t buf[65536];
	int type;

	while ((type = recv_msg(fd, buf, sizeof(buf), NULL)) >= 0)
		if (type == OFPT13_PORT_STATUS) {
			*port_no = (uint32_t)buf[16] << 24 | buf[17] << 16 |
				   buf[18] << 8 | buf[19];
			return buf[8];
		}
	return -1;
}

TEST_F(ofd, port_status_follows_ports_added_and_deleted)
{
	int fd = peer(self);
	uint32_t port = 0;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, handshake(fd));
	ASSERT_TRUE(echo_ok(fd, 0x6161));	/* connected before the change */
	usleep(300 * 1000);			/* the view is taken at a tick */
	ASSERT_EQ(0, sh("VSWITCH_SOCKET='%s/sock' '%s/vswitchctl' add-port ofd0 pst9 ofport=9",
			self->dir, self->bin));
	EXPECT_EQ(OFPPR13_ADD, port_status(fd, &port));
	EXPECT_EQ(9u, port);
	ASSERT_EQ(0, sh("VSWITCH_SOCKET='%s/sock' '%s/vswitchctl' del-port ofd0 pst9",
			self->dir, self->bin));
	EXPECT_EQ(OFPPR13_DELETE, port_status(fd, &port));
	EXPECT_EQ(9u, port);
	close(fd);
}

/* FLOW_MOD @command of "priority=@prio,udp,actions=drop" with @flags. */
static void send_flow_mod(int fd, uint32_t xid, uint8_t command, uint16_t prio,
			  uint16_t hard, uint16_t flags, uint64_t cookie)
{
	struct ofp13_flow_mod_msg fm = { .command = command, .flags = flags,
					 .out_group = OFPG13_ANY };
	struct ofpbuf b;
	char text[128], err[256];

	snprintf(text, sizeof(text), "priority=%u,cookie=%#llx,hard_timeout=%u,udp,actions=drop",
		 prio, (unsigned long long)cookie, hard);
	if (ofp_parse_flow(text, OFP_PARSE_ADD, NULL, NULL, &fm.spec, err, sizeof(err)))
		return;
	if (command != OFPFC13_ADD)
		fm.spec.cookie_mask = 0;
	ofpbuf_init(&b);
	if (!ofp13_encode_flow_mod(&b, xid, &fm))
		send_raw(fd, b.data, b.size);
	ofpbuf_free(&b);
	ofp_rule_spec_free(&fm.spec);
}

/* The next FLOW_REMOVED, decoded; -1 when none came. */
static int flow_removed(int fd, struct ofp13_flow_removed_msg *fr)
{
	static uint8_t buf[65536];
	int type;

	while ((type = recv_msg(fd, buf, sizeof(buf), NULL)) >= 0)
		if (type == OFPT13_FLOW_REMOVED)
			return ofp13_decode_flow_removed(buf, sizeof(buf), fr) ? -1 : 0;
	return -1;
}

TEST_F(ofd, flow_removed_on_delete_and_hard_timeout)
{
	struct ofp13_flow_removed_msg fr;
	int fd = peer(self);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, handshake(fd));
	/* without the flag: deleted silently */
	send_flow_mod(fd, 31, OFPFC13_ADD, 50, 0, 0, 0x50);
	send_flow_mod(fd, 32, OFPFC13_ADD, 60, 0, OFPFF13_SEND_FLOW_REM, 0x60);
	send_flow_mod(fd, 33, OFPFC13_DELETE, 50, 0, 0, 0);	/* both */
	ASSERT_EQ(0, flow_removed(fd, &fr));
	EXPECT_EQ(OFPRR13_DELETE, fr.reason);
	EXPECT_EQ(0x60u, fr.spec.cookie);
	EXPECT_EQ(60, fr.spec.priority);
	EXPECT_EQ(htons(0x0800), fr.spec.match.flow.eth_type);
	/* a hard timeout of 1 s: removed by the revalidator, with its reason */
	send_flow_mod(fd, 34, OFPFC13_ADD, 70, 1, OFPFF13_SEND_FLOW_REM, 0x70);
	ASSERT_EQ(0, flow_removed(fd, &fr));
	EXPECT_EQ(OFPRR13_HARD_TIMEOUT, fr.reason);
	EXPECT_EQ(0x70u, fr.spec.cookie);
	EXPECT_EQ(1, fr.spec.hard_timeout);
	EXPECT_GE(fr.age_ms, 1000);
	/* and nothing for the first rule */
	EXPECT_TRUE(echo_before(fd, 0x7171, OFPT13_FLOW_REMOVED));
	close(fd);
}

/* vswitchctl's del-flows removes rules as a FLOW_MOD delete does: with
 * a FLOW_REMOVED for those that asked for one. */
TEST_F(ofd, flow_removed_on_vswitchctl_del_flows)
{
	struct ofp13_flow_removed_msg fr;
	int fd = peer(self);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, handshake(fd));
	send_flow_mod(fd, 41, OFPFC13_ADD, 80, 0, OFPFF13_SEND_FLOW_REM, 0x80);
	send_flow_mod(fd, 42, OFPFC13_ADD, 90, 0, OFPFF13_SEND_FLOW_REM, 0x90);
	EXPECT_TRUE(echo_ok(fd, 0x4141));	/* both are in */
	/* --strict: the priority 80 rule alone */
	ASSERT_EQ(0, sh("VSWITCH_SOCKET='%s/sock' '%s/vswitchctl' del-flows ofd0 "
			"'priority=80,udp' --strict", self->dir, self->bin));
	ASSERT_EQ(0, flow_removed(fd, &fr));
	EXPECT_EQ(OFPRR13_DELETE, fr.reason);
	EXPECT_EQ(0x80u, fr.spec.cookie);
	EXPECT_EQ(80, fr.spec.priority);
	ASSERT_EQ(0, sh("VSWITCH_SOCKET='%s/sock' '%s/vswitchctl' del-flows ofd0",
			self->dir, self->bin));
	ASSERT_EQ(0, flow_removed(fd, &fr));
	EXPECT_EQ(OFPRR13_DELETE, fr.reason);
	EXPECT_EQ(0x90u, fr.spec.cookie);
	EXPECT_TRUE(echo_before(fd, 0x4242, OFPT13_FLOW_REMOVED));	/* no third */
	close(fd);
}

TEST_F(ofd, bad_length_closes_only_that_connection)
{
	static const uint8_t bad[] = { 4, OFPT13_ECHO_REQUEST, 0, 4, 0, 0, 0, 21 };
	uint8_t buf[65536];
	int a = peer(self), b = peer(self);

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, handshake(a));
	ASSERT_EQ(0, handshake(b));
	send_raw(a, bad, sizeof(bad));
	EXPECT_STREQ("OFPBRC_BAD_LEN", error_for(a, 21));
	EXPECT_EQ(-1, recv_msg(a, buf, sizeof(buf), NULL));	/* closed */
	EXPECT_TRUE(echo_ok(b, 22));
	close(a);
	close(b);
}

TEST_F(ofd, hello_without_1_3_is_refused)
{
	static const uint8_t v10[] = { 1, OFPT13_HELLO, 0, 8, 0, 0, 0, 31 };
	uint8_t buf[65536];
	int fd = peer(self);

	ASSERT_LE(0, fd);
	ASSERT_EQ(OFPT13_HELLO, recv_msg(fd, buf, sizeof(buf), NULL));
	send_raw(fd, v10, sizeof(v10));
	EXPECT_STREQ("OFPHFC_INCOMPATIBLE", error_for(fd, 31));
	EXPECT_EQ(-1, recv_msg(fd, buf, sizeof(buf), NULL));
	close(fd);
}

/* A peer floods echo requests and reads nothing: the daemon stops
 * reading it once its replies pile up, and another peer is served. */
TEST_F(ofd, a_peer_that_never_reads_does_not_stall_others)
{
	uint8_t payload[8192];
	struct ofpbuf req;
	int hog = peer(self), b = peer(self);
	size_t sent = 0;

	ASSERT_LE(0, hog);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, handshake(hog));
	ASSERT_EQ(0, handshake(b));
	memset(payload, 0xab, sizeof(payload));
	ofpbuf_init(&req);
	ofp13_encode_echo(&req, OFPT13_ECHO_REQUEST, 1, payload, sizeof(payload));
	for (int i = 0; i < 4096; i++) {	/* up to 32 MiB, until it blocks */
		ssize_t n = send(hog, req.data, req.size, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0)
			break;
		sent += (size_t)n;
	}
	TH_LOG("the hog got %zu bytes in before its socket filled", sent);
	EXPECT_GT(32u * 1024 * 1024, sent);
	EXPECT_TRUE(echo_ok(b, 41));
	ofpbuf_free(&req);
	close(hog);
	close(b);
}

/* GROUP_MOD @command of the group @text. */
static void send_group_mod(int fd, uint32_t xid, uint16_t command, const char *text)
{
	struct ofp13_group_mod_msg gm = { .command = command };
	struct ofpbuf b;
	char err[256];

	if (ofp_group_parse(text, NULL, NULL, &gm.g, err, sizeof(err)))
		return;
	ofpbuf_init(&b);
	if (!ofp13_encode_group_mod(&b, xid, &gm))
		send_raw(fd, b.data, b.size);
	ofpbuf_free(&b);
	ofp_group_uninit(&gm.g);
}

/* FLOW_MOD add of "priority=@prio,actions=@acts" with SEND_FLOW_REM. */
static void send_flow_acts(int fd, uint32_t xid, uint16_t prio, const char *acts)
{
	struct ofp13_flow_mod_msg fm = { .command = OFPFC13_ADD,
					 .flags = OFPFF13_SEND_FLOW_REM,
					 .out_group = OFPG13_ANY };
	struct ofpbuf b;
	char text[128], err[256];

	snprintf(text, sizeof(text), "priority=%u,actions=%s", prio, acts);
	if (ofp_parse_flow(text, OFP_PARSE_ADD, NULL, NULL, &fm.spec, err, sizeof(err)))
		return;
	ofpbuf_init(&b);
	if (!ofp13_encode_flow_mod(&b, xid, &fm))
		send_raw(fd, b.data, b.size);
	ofpbuf_free(&b);
	ofp_rule_spec_free(&fm.spec);
}

/* A MULTIPART request of @type with @body; the first reply's body is
 * copied to @out (returns its length, -1 when none came). */
static int multipart(int fd, uint32_t xid, uint16_t type, const void *body,
		     size_t n, uint8_t *out, size_t cap)
{
	static uint8_t buf[65536];
	struct ofp13_multipart mp;
	struct ofpbuf b;
	uint32_t got;
	size_t start;
	int t;

	ofpbuf_init(&b);
	start = ofp13_msg_start(&b, OFPT13_MULTIPART_REQUEST, xid);
	memset(&mp, 0, sizeof(mp));
	mp.type = htons(type);
	ofpbuf_put(&b, (uint8_t *)&mp + sizeof(mp.h), sizeof(mp) - sizeof(mp.h));
	ofpbuf_put(&b, body, n);
	ofp13_msg_finish(&b, start);
	send_raw(fd, b.data, b.size);
	ofpbuf_free(&b);
	while ((t = recv_msg(fd, buf, sizeof(buf), &got)) >= 0) {
		size_t len = (size_t)(buf[2] << 8 | buf[3]) - sizeof(mp);

		if (got != xid || t != OFPT13_MULTIPART_REPLY)
			continue;
		if (len > cap)
			return -1;
		memcpy(out, buf + sizeof(mp), len);
		return (int)len;
	}
	return -1;
}

/* AGGREGATE's flow_count of the rules forwarding to group @group. */
static int flows_to_group(int fd, uint32_t xid, uint32_t group)
{
	struct ofp13_flow_stats_request q;
	struct ofp13_aggregate_stats a;
	uint8_t body[64], reply[64];
	struct match all;
	struct ofpbuf b;

	memset(&q, 0, sizeof(q));
	q.table_id = OFPTT13_ALL;
	q.out_port = htonl(OFPP13_ANY);
	q.out_group = htonl(group);
	memset(&all, 0, sizeof(all));
	ofpbuf_init(&b);
	ofpbuf_put(&b, &q, sizeof(q));
	ofp13_encode_match(&b, &all);
	memcpy(body, b.data, b.size);
	if (multipart(fd, xid, OFPMP13_AGGREGATE, body, b.size, reply,
		      sizeof(reply)) != (int)sizeof(a)) {
		ofpbuf_free(&b);
		return -1;
	}
	ofpbuf_free(&b);
	memcpy(&a, reply, sizeof(a));
	return (int)ntohl(a.flow_count);
}

TEST_F(ofd, groups_over_openflow)
{
	static uint8_t reply[65536];
	struct ofp13_flow_removed_msg fr;
	struct ofp13_group_stats gs;
	struct ofp_group g;
	uint8_t any[8] = { 0xff, 0xff, 0xff, 0xfc };	/* OFPG_ALL */
	size_t used;
	int fd = peer(self), n;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, handshake(fd));
	ASSERT_EQ(0, sh("VSWITCH_SOCKET='%s/sock' '%s/vswitchctl' add-port ofd0 "
			"gp1 ofport=1", self->dir, self->bin));
	send_group_mod(fd, 51, OFPGC_ADD, "group_id=1,type=all,bucket=output:1");
	EXPECT_TRUE(echo_before(fd, 0x5151, OFPT13_ERROR));
	/* the specification's errors */
	send_group_mod(fd, 52, OFPGC_ADD, "group_id=1,type=all");
	EXPECT_STREQ("OFPGMFC_GROUP_EXISTS", error_for(fd, 52));
	send_group_mod(fd, 53, OFPGC_MODIFY, "group_id=9,type=all");
	EXPECT_STREQ("OFPGMFC_UNKNOWN_GROUP", error_for(fd, 53));
	send_group_mod(fd, 54, OFPGC_ADD, "group_id=2,type=indirect");
	EXPECT_STREQ("OFPGMFC_INVALID_GROUP", error_for(fd, 54));
	send_group_mod(fd, 55, OFPGC_ADD, "group_id=2,type=fast_failover,"
		       "bucket=watch_port:7,output:1");
	EXPECT_STREQ("OFPGMFC_BAD_WATCH", error_for(fd, 55));
	send_group_mod(fd, 56, OFPGC_MODIFY, "group_id=1,type=all,bucket=group:1");
	EXPECT_STREQ("OFPGMFC_LOOP", error_for(fd, 56));
	send_group_mod(fd, 57, OFPGC_ADD, "group_id=2,type=all,bucket=group:3");
	EXPECT_STREQ("OFPBAC_BAD_OUT_GROUP", error_for(fd, 57));
	send_flow_acts(fd, 58, 100, "group:7");
	EXPECT_STREQ("OFPBAC_BAD_OUT_GROUP", error_for(fd, 58));
	/* a rule forwarding to group 1, and one chained group */
	send_flow_acts(fd, 59, 100, "group:1");
	send_group_mod(fd, 60, OFPGC_ADD, "group_id=2,type=indirect,bucket=group:1");
	EXPECT_TRUE(echo_before(fd, 0x6060, OFPT13_ERROR));
	send_group_mod(fd, 61, OFPGC_DELETE, "group_id=1,type=all");
	EXPECT_STREQ("OFPGMFC_CHAINED_GROUP", error_for(fd, 61));
	EXPECT_EQ(1, flows_to_group(fd, 62, 1));
	EXPECT_EQ(0, flows_to_group(fd, 63, 2));
	/* GROUP_DESC reads back what was added */
	n = multipart(fd, 64, OFPMP13_GROUP_DESC, NULL, 0, reply, sizeof(reply));
	ASSERT_LT(0, n);
	ASSERT_EQ(0u, ofp13_decode_group_desc(reply, (size_t)n, &g, &used));
	EXPECT_EQ(1u, g.id);
	ASSERT_EQ(1u, g.n_buckets);
	EXPECT_EQ(1u, g.buckets[0].acts->a[0].port);
	ofp_group_uninit(&g);
	/* GROUP stats: ref_count is the rules forwarding to it */
	n = multipart(fd, 65, OFPMP13_GROUP, any, sizeof(any), reply, sizeof(reply));
	ASSERT_EQ((int)(2 * (sizeof(gs) + 16)), n);	/* a bucket each */
	memcpy(&gs, reply, sizeof(gs));
	EXPECT_EQ(1u, ntohl(gs.group_id));
	EXPECT_EQ(1u, ntohl(gs.ref_count));
	EXPECT_EQ(40, multipart(fd, 66, OFPMP13_GROUP_FEATURES, NULL, 0, reply,
				sizeof(reply)));
	/* deleting every group takes the rule along: FLOW_REMOVED */
	{
		struct ofp13_group_mod_msg gm = { .command = OFPGC_DELETE };
		struct ofpbuf b;

		gm.g.id = OFPG_ALL;
		ofpbuf_init(&b);
		ASSERT_EQ(0u, ofp13_encode_group_mod(&b, 68, &gm));
		send_raw(fd, b.data, b.size);
		ofpbuf_free(&b);
	}
	ASSERT_EQ(0, flow_removed(fd, &fr));
	EXPECT_EQ(OFPRR13_GROUP_DELETE, fr.reason);
	EXPECT_EQ(100, fr.spec.priority);
	EXPECT_EQ(0, flows_to_group(fd, 69, 1));
	n = multipart(fd, 70, OFPMP13_GROUP_DESC, NULL, 0, reply, sizeof(reply));
	EXPECT_EQ(0, n);
	close(fd);
}

TEST_HARNESS_MAIN
