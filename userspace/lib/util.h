/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the library: a growable string, hashing, and
 * the monotonic clock (which tests may pin).
 */
#ifndef VSW_LIB_UTIL_H
#define VSW_LIB_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

struct strbuf {
	char *s;		/* always NUL-terminated once anything is added */
	size_t len, cap;
	bool oom;		/* an allocation failed; contents truncated */
};

void strbuf_init(struct strbuf *);
void strbuf_free(struct strbuf *);
void strbuf_printf(struct strbuf *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vprintf(struct strbuf *, const char *fmt, va_list);
void strbuf_puts(struct strbuf *, const char *);
void strbuf_putc(struct strbuf *, char);
/* Drops a trailing @c if present. */
void strbuf_chomp(struct strbuf *, char c);
const char *strbuf_str(const struct strbuf *);	/* "" when empty */
/* Hands the string to the caller (malloc'd, never NULL unless OOM). */
char *strbuf_steal(struct strbuf *);

static inline uint64_t hash_mix(uint64_t h, uint64_t v)
{
	v *= 0x9e3779b97f4a7c15ULL;
	v ^= v >> 29;
	h ^= v;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

/* CLOCK_MONOTONIC in ms, or the value pinned with vsw_time_set(). */
long long vsw_time_msec(void);
/* Pins the clock (tests); a negative value unpins it. */
void vsw_time_set(long long ms);
/* CLOCK_MONOTONIC in µs, never pinned: for measuring how long work took. */
uint64_t vsw_elapsed_usec(void);

#endif /* VSW_LIB_UTIL_H */
