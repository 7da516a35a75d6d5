// SPDX-License-Identifier: GPL-2.0
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool log_syslog;
static int log_level = LOG_INFO;

static const struct {
	const char *name;
	int level;
} levels[] = {
	{ "err", LOG_ERR }, { "warn", LOG_WARNING },
	{ "info", LOG_INFO }, { "debug", LOG_DEBUG },
};

void vlog_init(bool use_syslog, int level)
{
	log_syslog = use_syslog;
	log_level = level;
	if (use_syslog)
		openlog("vswitchd", LOG_PID, LOG_DAEMON);
}

int vlog_parse_level(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcmp(name, levels[i].name))
			return levels[i].level;
	return -1;
}

static const char *level_name(int level)
{
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (levels[i].level == level)
			return levels[i].name;
	return "?";
}

void vlog(int level, const char *fmt, ...)
{
	char msg[1024], ts[32];
	struct timespec now;
	struct tm tm;
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_syslog) {
		syslog(level, "%s", msg);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	/* one fprintf per line keeps lines whole across threads */
	fprintf(stderr, "%s.%03ldZ vswitchd %s: %s\n", ts,
		now.tv_nsec / 1000000, level_name(level), msg);
}
