// SPDX-License-Identifier: GPL-2.0
#include "persist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HEADER_WORD "vswitch-state"

static int split_words(char *line, char **argv, int max, const char **rest)
{
	int argc = 0;
	char *p = line;

	*rest = "";
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (argc == 2) {
			/* remember the raw tail before splitting it further */
			*rest = p;
		}
		if (argc == max)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return argc;
}

/* Parses one non-header line; @lineno only for messages. */
static int load_line(char *line, persist_record_fn cb, void *aux,
		     char *msg, size_t msglen)
{
	char *argv[PERSIST_MAX_WORDS];
	char copy[strlen(line) + 1];
	const char *rest;
	int argc;

	memcpy(copy, line, sizeof(copy));
	argc = split_words(line, argv, PERSIST_MAX_WORDS, &rest);
	if (argc < 0) {
		snprintf(msg, msglen, "more than %d words", PERSIST_MAX_WORDS);
		return -1;
	}
	if (argc == 0 || argv[0][0] == '#')
		return 0;
	/* hand the callback the unsplit tail from the copy */
	if (*rest)
		rest = copy + (rest - line);
	return cb(aux, argc, argv, rest, msg, msglen);
}

static int check_header(char *line, char *msg, size_t msglen)
{
	char *argv[4];
	const char *rest;
	int argc = split_words(line, argv, 4, &rest);
	char *end;
	long v;

	if (argc != 2 || strcmp(argv[0], HEADER_WORD)) {
		snprintf(msg, msglen, "missing '%s VERSION' header", HEADER_WORD);
		return -1;
	}
	errno = 0;
	v = strtol(argv[1], &end, 10);
	if (errno || *end || v != PERSIST_VERSION) {
		snprintf(msg, msglen, "unsupported state version '%s' (want %d)",
			 argv[1], PERSIST_VERSION);
		return -1;
	}
	return 0;
}

int persist_load(const char *dir, const char *name, persist_record_fn cb,
		 void *aux, char *err, size_t errlen)
{
	char path[4096], msg[512];
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, ret = 0;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(f) || n == 0)
			continue;
		else {
			snprintf(msg, sizeof(msg), "truncated last line");
			ret = -1;
			break;
		}
		if (strlen(line) != (size_t)n) {
			snprintf(msg, sizeof(msg), "NUL byte in line");
			ret = -1;
			break;
		}
		ret = lineno == 1 ? check_header(line, msg, sizeof(msg))
				  : load_line(line, cb, aux, msg, sizeof(msg));
		if (ret)
			break;
	}
	if (!ret && ferror(f)) {
		snprintf(msg, sizeof(msg), "read error: %s", strerror(errno));
		ret = -1;
	}
	if (!ret && lineno == 0) {
		snprintf(msg, sizeof(msg), "empty file (missing '%s' header)",
			 HEADER_WORD);
		ret = -1;
	}
	if (ret)
		snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
	free(line);
	fclose(f);
	return ret;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

static int write_file(int fd, const char *data, size_t len)
{
	char hdr[64];
	int hl = snprintf(hdr, sizeof(hdr), "%s %d\n", HEADER_WORD,
			  PERSIST_VERSION);

	if (write(fd, hdr, hl) != hl)
		return -1;
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= n;
	}
	return fsync(fd);
}

int persist_save(const char *dir, const char *name, const char *data,
		 size_t len, char *err, size_t errlen)
{
	char path[4096], tmp[4200];
	int fd;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "creating %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "creating %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_file(fd, data, len)) {
		snprintf(err, errlen, "writing %s: %s", tmp, strerror(errno));
		goto err_unlink_tmp;
	}
	if (close(fd)) {
		fd = -1;
		snprintf(err, errlen, "closing %s: %s", tmp, strerror(errno));
		goto err_unlink_tmp;
	}
	fd = -1;
	if (rename(tmp, path)) {
		snprintf(err, errlen, "renaming %s to %s: %s", tmp, path,
			 strerror(errno));
		goto err_unlink_tmp;
	}
	if (fsync_dir(dir)) {
		snprintf(err, errlen, "syncing %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;

err_unlink_tmp:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

int persist_set_aside(const char *dir, const char *name, char *newpath,
		      size_t pathlen, char *err, size_t errlen)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(newpath, pathlen, "%s.corrupt.%lld", path,
		 (long long)time(NULL));
	if (rename(path, newpath)) {
		snprintf(err, errlen, "renaming %s to %s: %s", path, newpath,
			 strerror(errno));
		return -1;
	}
	fsync_dir(dir);
	return 0;
}
