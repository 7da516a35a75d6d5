// SPDX-License-Identifier: GPL-2.0
#include "json.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>

void json_init(struct json_writer *w, FILE *f)
{
	w->f = f;
	w->depth = 0;
	w->need_comma[0] = false;
}

static void json_write_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Comma and key before any value at the current level. */
static void begin_value(struct json_writer *w, const char *key)
{
	if (w->need_comma[w->depth])
		fputc(',', w->f);
	w->need_comma[w->depth] = true;
	if (key) {
		json_write_string(w->f, key);
		fputc(':', w->f);
	}
}

static void open_level(struct json_writer *w, const char *key, char c)
{
	begin_value(w, key);
	fputc(c, w->f);
	assert(w->depth < JSON_MAX_DEPTH);
	w->need_comma[++w->depth] = false;
}

static void close_level(struct json_writer *w, char c)
{
	assert(w->depth > 0);
	w->depth--;
	fputc(c, w->f);
	if (w->depth == 0)
		fputc('\n', w->f);
}

void json_obj_begin(struct json_writer *w, const char *key)
{
	open_level(w, key, '{');
}

void json_obj_end(struct json_writer *w)
{
	close_level(w, '}');
}

void json_arr_begin(struct json_writer *w, const char *key)
{
	open_level(w, key, '[');
}

void json_arr_end(struct json_writer *w)
{
	close_level(w, ']');
}

void json_str(struct json_writer *w, const char *key, const char *value)
{
	begin_value(w, key);
	json_write_string(w->f, value ? value : "");
}

void json_u64(struct json_writer *w, const char *key, uint64_t value)
{
	begin_value(w, key);
	fprintf(w->f, "%" PRIu64, value);
}

void json_i64(struct json_writer *w, const char *key, int64_t value)
{
	begin_value(w, key);
	fprintf(w->f, "%" PRId64, value);
}

void json_double(struct json_writer *w, const char *key, double value)
{
	begin_value(w, key);
	if (isfinite(value))
		fprintf(w->f, "%.3f", value);
	else
		fputs("null", w->f);
}

void json_bool(struct json_writer *w, const char *key, bool value)
{
	begin_value(w, key);
	fputs(value ? "true" : "false", w->f);
}

void json_null(struct json_writer *w, const char *key)
{
	begin_value(w, key);
	fputs("null", w->f);
}
