// SPDX-License-Identifier: GPL-2.0
/*
 * lib/persist: atomic state files. Round trips, the header check, errors
 * that name file and line, a missing file as a fresh start, setting a
 * corrupt file aside, and no temporary files left behind.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "persist.h"

struct rec_log {
	int n;
	char words[16][64];
	char rest[16][128];
	int fail_at;			/* record number that fails, 0 = none */
};

static int record_cb(void *aux, int argc, char **argv, const char *rest,
		     char *err, size_t errlen)
{
	struct rec_log *l = aux;
	int i, off = 0;

	if (++l->n == l->fail_at) {
		snprintf(err, errlen, "record %d refused", l->n);
		return -1;
	}
	for (i = 0; i < argc; i++)
		off += snprintf(l->words[l->n - 1] + off, 64 - off, "%s%s",
				i ? "|" : "", argv[i]);
	snprintf(l->rest[l->n - 1], 128, "%s", rest);
	return 0;
}

FIXTURE(state) {
	char dir[256];
};

FIXTURE_SETUP(state)
{
	snprintf(self->dir, sizeof(self->dir), "build/tests/tmp-persist-XXXXXX");
	mkdir("build/tests", 0755);
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	ASSERT_EQ(0, system(cmd));
}

static void write_raw(const char *dir, const char *text)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/s.conf", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

TEST_F(state, missing_file_is_a_fresh_start)
{
	struct rec_log l = { 0 };
	char err[256] = "";

	EXPECT_EQ(1, persist_load(self->dir, "s.conf", record_cb, &l, err,
				  sizeof(err)));
	EXPECT_EQ(0, l.n);
}

TEST_F(state, save_then_load_round_trip)
{
	const char *data = "# a comment\nbridge br0 flow-limit=5\n\n"
			   "flow br0 table=0,priority=1, actions=drop\n";
	struct rec_log l = { 0 };
	char err[256] = "";

	ASSERT_EQ(0, persist_save(self->dir, "s.conf", data, strlen(data), err,
				  sizeof(err)));
	ASSERT_EQ(0, persist_load(self->dir, "s.conf", record_cb, &l, err,
				  sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, l.n);
	EXPECT_STREQ("bridge|br0|flow-limit=5", l.words[0]);
	EXPECT_STREQ("flow-limit=5", l.rest[0]);
	/* the raw tail keeps its blanks */
	EXPECT_STREQ("table=0,priority=1, actions=drop", l.rest[1]);
	/* only the file itself: the temporary was renamed away */
	EXPECT_EQ(1, count_files(self->dir));
}

TEST_F(state, save_replaces_the_old_file)
{
	struct rec_log l = { 0 };
	char err[256];

	ASSERT_EQ(0, persist_save(self->dir, "s.conf", "a 1\n", 4, err, sizeof(err)));
	ASSERT_EQ(0, persist_save(self->dir, "s.conf", "b 2\n", 4, err, sizeof(err)));
	ASSERT_EQ(0, persist_load(self->dir, "s.conf", record_cb, &l, err,
				  sizeof(err)));
	ASSERT_EQ(1, l.n);
	EXPECT_STREQ("b|2", l.words[0]);
}

TEST_F(state, bad_record_names_file_and_line)
{
	struct rec_log l = { .fail_at = 2 };
	char err[512], want[300];

	write_raw(self->dir, "vswitch-state 1\nx 1\n# c\ny 2\n");
	ASSERT_EQ(-1, persist_load(self->dir, "s.conf", record_cb, &l, err,
				   sizeof(err)));
	snprintf(want, sizeof(want), "%s/s.conf:4: record 2 refused", self->dir);
	EXPECT_STREQ(want, err);
}

TEST_F(state, missing_header_is_refused)
{
	struct rec_log l = { 0 };
	char err[512];

	write_raw(self->dir, "bridge br0\n");
	ASSERT_EQ(-1, persist_load(self->dir, "s.conf", record_cb, &l, err,
				   sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":1: missing 'vswitch-state VERSION' header"))
		TH_LOG("%s", err);
	EXPECT_EQ(0, l.n);
}

TEST_F(state, future_version_is_refused)
{
	struct rec_log l = { 0 };
	char err[512];

	write_raw(self->dir, "vswitch-state 2\n");
	ASSERT_EQ(-1, persist_load(self->dir, "s.conf", record_cb, &l, err,
				   sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "unsupported state version '2'"));
}

TEST_F(state, torn_last_line_is_refused)
{
	struct rec_log l = { 0 };
	char err[512];

	write_raw(self->dir, "vswitch-state 1\nbridge br0\nport br0 et");
	ASSERT_EQ(-1, persist_load(self->dir, "s.conf", record_cb, &l, err,
				   sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":3: truncated last line")) TH_LOG("%s", err);
}

TEST_F(state, empty_file_is_refused)
{
	struct rec_log l = { 0 };
	char err[512];

	write_raw(self->dir, "");
	ASSERT_EQ(-1, persist_load(self->dir, "s.conf", record_cb, &l, err,
				   sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "empty file"));
}

TEST_F(state, set_aside_keeps_the_corrupt_file)
{
	char err[256], aside[512];
	struct stat st;

	write_raw(self->dir, "garbage\n");
	ASSERT_EQ(0, persist_set_aside(self->dir, "s.conf", aside, sizeof(aside),
				       err, sizeof(err)));
	EXPECT_NE(NULL, strstr(aside, "/s.conf.corrupt."));
	EXPECT_EQ(0, stat(aside, &st));
	EXPECT_EQ((off_t)8, st.st_size);
	EXPECT_EQ(1, count_files(self->dir));
}

TEST_F(state, save_creates_the_directory)
{
	char sub[300], err[256];
	struct stat st;

	snprintf(sub, sizeof(sub), "%s/new", self->dir);
	ASSERT_EQ(0, persist_save(sub, "s.conf", "", 0, err, sizeof(err)));
	ASSERT_EQ(0, stat(sub, &st));
	EXPECT_EQ(0700u, st.st_mode & 0777);
}

TEST_F(state, save_into_unwritable_place_fails_with_message)
{
	char err[256] = "";

	EXPECT_EQ(-1, persist_save("/proc/nonexistent/x", "s.conf", "", 0, err,
				   sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "/proc/nonexistent/x")) TH_LOG("%s", err);
}

TEST_HARNESS_MAIN
