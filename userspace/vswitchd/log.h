/* SPDX-License-Identifier: GPL-2.0 */
/* Daemon logging: to stderr or syslog, filtered by level. Thread-safe. */
#ifndef VSWD_LOG_H
#define VSWD_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* Levels are syslog's: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG. */
void vlog_init(bool use_syslog, int level);
/* Parses "err", "warn", "info", "debug"; -1 if unknown. */
int vlog_parse_level(const char *name);
void vlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)	vlog(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	vlog(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	vlog(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	vlog(LOG_DEBUG, __VA_ARGS__)

#endif /* VSWD_LOG_H */
