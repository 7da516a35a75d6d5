/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Crash-safe state files. A state file is text, one record per line:
 * a first line "vswitch-state VERSION", then records whose first word is
 * their kind; '#' starts a comment line. Writes are atomic (a temporary
 * file in the same directory, fsync, rename over the old file, fsync of
 * the directory), so a crash leaves either the old or the new file.
 *
 * A file that fails to load is never overwritten by this module's
 * callers blindly: persist_set_aside() moves it to NAME.corrupt.EPOCH so
 * the operator keeps it.
 */
#ifndef VSW_LIB_PERSIST_H
#define VSW_LIB_PERSIST_H

#include <stddef.h>

#define PERSIST_VERSION		1
#define PERSIST_MAX_WORDS	64

/* Called once per record. @argv holds the whitespace-separated words of
 * the line (argv[0] is the record kind); @rest points at the text after
 * argv[0] and argv[1] (or "" when there are fewer), for records whose
 * last field may contain blanks. Returns 0, or -1 with @err set to what
 * is wrong (without file or line: the loader adds them). */
typedef int (*persist_record_fn)(void *aux, int argc, char **argv,
				 const char *rest, char *err, size_t errlen);

/* Loads DIR/NAME. Returns 1 if the file does not exist (a fresh start),
 * 0 when every record loaded, -1 with @err = "PATH:LINE: what" otherwise. */
int persist_load(const char *dir, const char *name, persist_record_fn cb,
		 void *aux, char *err, size_t errlen);

/* Atomically replaces DIR/NAME with the header line and then @data.
 * Creates DIR (mode 0700) if missing. Returns 0 or -1 with @err set. */
int persist_save(const char *dir, const char *name, const char *data,
		 size_t len, char *err, size_t errlen);

/* Renames DIR/NAME to DIR/NAME.corrupt.EPOCH; the new path goes to
 * @newpath. Returns 0 or -1 with @err set. */
int persist_set_aside(const char *dir, const char *name, char *newpath,
		      size_t pathlen, char *err, size_t errlen);

#endif /* VSW_LIB_PERSIST_H */
