// SPDX-License-Identifier: GPL-2.0
#include "ctl-server.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "commands.h"
#include "ctl-proto.h"
#include "log.h"
#include "util.h"

static int listen_fd = -1;
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

static int make_parent(const char *path)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

/* A socket file left by a dead daemon is removed; a live one refused. */
static int check_stale(const struct sockaddr_un *sa, char *err, size_t errlen)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int live;

	if (fd < 0)
		return 0;
	live = !connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (live) {
		snprintf(err, errlen, "another vswitchd is running on %s",
			 sa->sun_path);
		return -1;
	}
	unlink(sa->sun_path);
	return 0;
}

int ctl_server_open(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path '%s' is too long", path);
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (make_parent(path)) {
		snprintf(err, errlen, "creating the directory of %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (check_stale(&sa, err, errlen))
		return -1;
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 ||
	    bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(path, 0600) || listen(listen_fd, 16)) {
		snprintf(err, errlen, "control socket %s: %s", path,
			 strerror(errno));
		if (listen_fd >= 0)
			close(listen_fd);
		listen_fd = -1;
		return -1;
	}
	snprintf(sock_path, sizeof(sock_path), "%s", path);
	return 0;
}

void ctl_server_close(void)
{
	if (listen_fd < 0)
		return;
	close(listen_fd);
	unlink(sock_path);
	listen_fd = -1;
}

int ctl_server_fd(void)
{
	return listen_fd;
}

static bool peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return false;
	return cred.uid == 0 || cred.uid == geteuid();
}

static void serve(int fd)
{
	struct timeval tv = { .tv_sec = 10 };
	struct ctl_request req;
	struct strbuf out;
	char err[1024];

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!peer_allowed(fd)) {
		snprintf(err, sizeof(err), "permission denied: root only");
		ctl_send_reply(fd, 1, err, strlen(err));
		return;
	}
	if (ctl_recv_request(fd, &req, err, sizeof(err))) {
		ctl_send_reply(fd, 1, err, strlen(err));
		return;
	}
	if (cmd_run(req.argc, req.argv, &out, err, sizeof(err))) {
		log_debug("command %s failed: %s", req.argv[0], err);
		ctl_send_reply(fd, 1, err, strlen(err));
	} else {
		ctl_send_reply(fd, 0, strbuf_str(&out), out.len);
		strbuf_free(&out);
	}
	ctl_request_free(&req);
}

void ctl_server_run(void)
{
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	serve(fd);
	close(fd);
}
