/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control commands: one table, shared by vswitchctl (usage, help,
 * argument checks) and vswitchd (the same checks, then the handler it
 * attaches by name). The bash completion and the man page are checked
 * against it by tests/host/test_ctl_commands.c.
 */
#ifndef VSW_LIB_CTL_COMMANDS_H
#define VSW_LIB_CTL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

enum ctl_command_flags {
	CTL_F_LISTING	= 1 << 0,	/* accepts --json */
	CTL_F_STRICT	= 1 << 1,	/* accepts --strict */
	CTL_F_CT_NEXT	= 1 << 2,	/* accepts --ct-next FLAGS, repeated */
};

/* --ct-next options one request may carry (one per recirculation). */
#define CTL_MAX_CT_NEXT	8

struct ctl_command {
	const char *name;
	int min_args, max_args;		/* positional, after the name */
	const char *args;		/* usage synopsis */
	const char *help;		/* one line, for the command list */
	const char *details;		/* for COMMAND --help */
	unsigned int flags;		/* enum ctl_command_flags */
	int file_arg;			/* index of a FILE argument the client
					 * replaces by its contents, or 0 */
};

/* In the order of the usage text. */
extern const struct ctl_command ctl_commands[];
extern const size_t ctl_n_commands;

/* The command named exactly @name, or NULL. */
const struct ctl_command *ctl_command_find(const char *name);

/* Checks @nargs positional arguments (after the name) and the options
 * given against @c: @opts has CTL_F_LISTING for --json, CTL_F_STRICT for
 * --strict, CTL_F_CT_NEXT for --ct-next. Returns 0, or -1 with @err set
 * to "NAME: what is wrong". */
int ctl_command_check(const struct ctl_command *c, int nargs, unsigned opts,
		      char *err, size_t errlen);

#endif /* VSW_LIB_CTL_COMMANDS_H */
