// SPDX-License-Identifier: GPL-2.0
/* Growable strings, hashing and the (pinnable) monotonic clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util.h"

void strbuf_init(struct strbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void strbuf_free(struct strbuf *sb)
{
	free(sb->s);
	strbuf_init(sb);
}

static bool strbuf_reserve(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	char *n;

	if (sb->oom)
		return false;
	if (need <= sb->cap)
		return true;
	if (need < 2 * sb->cap)
		need = 2 * sb->cap;
	if (need < 64)
		need = 64;
	n = realloc(sb->s, need);
	if (!n) {
		sb->oom = true;
		return false;
	}
	sb->s = n;
	sb->cap = need;
	return true;
}

void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !strbuf_reserve(sb, (size_t)n))
		return;
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);

	if (!strbuf_reserve(sb, n))
		return;
	memcpy(sb->s + sb->len, s, n + 1);
	sb->len += n;
}

void strbuf_putc(struct strbuf *sb, char c)
{
	if (!strbuf_reserve(sb, 1))
		return;
	sb->s[sb->len++] = c;
	sb->s[sb->len] = '\0';
}

void strbuf_chomp(struct strbuf *sb, char c)
{
	if (sb->len && sb->s[sb->len - 1] == c)
		sb->s[--sb->len] = '\0';
}

const char *strbuf_str(const struct strbuf *sb)
{
	return sb->s ? sb->s : "";
}

char *strbuf_steal(struct strbuf *sb)
{
	char *s = sb->s;

	if (sb->oom) {
		free(s);
		s = NULL;
	} else if (!s) {
		s = strdup("");
	}
	strbuf_init(sb);
	return s;
}

static long long pinned_ms = -1;

long long vsw_time_msec(void)
{
	struct timespec ts;

	if (pinned_ms >= 0)
		return pinned_ms;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t vsw_elapsed_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void vsw_time_set(long long ms)
{
	pinned_ms = ms;
}
