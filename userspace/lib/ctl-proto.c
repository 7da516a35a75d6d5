// SPDX-License-Identifier: GPL-2.0
#include "ctl-proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Full-length I/O on a stream socket; return 0 or a negative errno
 * (-EPIPE/-ECONNRESET, or -ENODATA for EOF before the first byte). */
static int ctl_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int ctl_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return got ? -ECONNRESET : -ENODATA;
		got += n;
	}
	return 0;
}

int ctl_send_request(int fd, int argc, char *const argv[])
{
	uint32_t hdr[2] = { VSW_CTL_MAGIC, 0 };
	size_t len = 0;
	int i, err;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (len > VSW_CTL_MAX_MSG || argc > VSW_CTL_MAX_ARGS)
		return -E2BIG;
	hdr[1] = len;
	err = ctl_write_all(fd, hdr, sizeof(hdr));
	for (i = 0; !err && i < argc; i++)
		err = ctl_write_all(fd, argv[i], strlen(argv[i]) + 1);
	return err;
}

int ctl_request_split(struct ctl_request *req, size_t len, char *err,
		      size_t errlen)
{
	size_t off = 0;

	req->argc = 0;
	while (off < len) {
		char *s = req->buf + off;
		size_t l = strnlen(s, len - off);

		if (l == len - off) {
			snprintf(err, errlen, "request argument %d is not terminated",
				 req->argc);
			return -EINVAL;
		}
		if (req->argc == VSW_CTL_MAX_ARGS) {
			snprintf(err, errlen, "more than %d arguments",
				 VSW_CTL_MAX_ARGS);
			return -E2BIG;
		}
		req->argv[req->argc++] = s;
		off += l + 1;
	}
	if (!req->argc) {
		snprintf(err, errlen, "empty request");
		return -EINVAL;
	}
	return 0;
}

int ctl_recv_request(int fd, struct ctl_request *req, char *err, size_t errlen)
{
	uint32_t hdr[2];
	int ret;

	req->buf = NULL;
	req->argc = 0;
	ret = ctl_read_all(fd, hdr, sizeof(hdr));
	if (ret) {
		snprintf(err, errlen, "reading request: %s", strerror(-ret));
		return ret;
	}
	if (hdr[0] != VSW_CTL_MAGIC) {
		snprintf(err, errlen, "bad request magic 0x%08x", hdr[0]);
		return -EPROTO;
	}
	if (hdr[1] > VSW_CTL_MAX_MSG) {
		snprintf(err, errlen, "request of %u bytes is too large", hdr[1]);
		return -E2BIG;
	}
	req->buf = malloc(hdr[1] + 1);
	if (!req->buf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = ctl_read_all(fd, req->buf, hdr[1]);
	if (ret) {
		snprintf(err, errlen, "reading request: %s", strerror(-ret));
		goto err_free_buf;
	}
	req->buf[hdr[1]] = '\0';
	ret = ctl_request_split(req, hdr[1], err, errlen);
	if (ret)
		goto err_free_buf;
	return 0;

err_free_buf:
	free(req->buf);
	req->buf = NULL;
	return ret;
}

void ctl_request_free(struct ctl_request *req)
{
	free(req->buf);
	req->buf = NULL;
	req->argc = 0;
}

int ctl_send_reply(int fd, uint32_t status, const char *text, size_t len)
{
	uint32_t hdr[3] = { VSW_CTL_MAGIC, status, len };
	int err;

	if (len > VSW_CTL_MAX_MSG)
		return -E2BIG;
	err = ctl_write_all(fd, hdr, sizeof(hdr));
	if (!err && len)
		err = ctl_write_all(fd, text, len);
	return err;
}

int ctl_recv_reply(int fd, struct ctl_reply *rep)
{
	uint32_t hdr[3];
	int err;

	rep->text = NULL;
	err = ctl_read_all(fd, hdr, sizeof(hdr));
	if (err)
		return err;
	if (hdr[0] != VSW_CTL_MAGIC || hdr[2] > VSW_CTL_MAX_MSG)
		return -EPROTO;
	rep->status = hdr[1];
	rep->len = hdr[2];
	rep->text = malloc(rep->len + 1);
	if (!rep->text)
		return -ENOMEM;
	err = rep->len ? ctl_read_all(fd, rep->text, rep->len) : 0;
	if (err) {
		free(rep->text);
		rep->text = NULL;
		return err;
	}
	rep->text[rep->len] = '\0';
	return 0;
}

void ctl_reply_free(struct ctl_reply *rep)
{
	free(rep->text);
	rep->text = NULL;
}
