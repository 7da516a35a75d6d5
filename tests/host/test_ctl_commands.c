// SPDX-License-Identifier: GPL-2.0
/*
 * lib/ctl-commands: the one table of control commands. The bash
 * completion, the vswitchctl(8) man page and README's command table are
 * written by hand; these tests hold them to the table: every command
 * appears in each, nothing else does, and the man page's --json list is
 * the table's listings. Run from the repository root (scripts/run-tests
 * does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kselftest_harness.h"
#include "ctl-commands.h"

#define COMPLETION	"scripts/vswitchctl.bash-completion"
#define MANPAGE		"docs/vswitchctl.8"
#define README		"README.md"
#define MAX_NAMES	64

struct names {
	int n;
	char v[MAX_NAMES][32];
};

static void add_name(struct names *ns, const char *s, size_t len)
{
	if (ns->n < MAX_NAMES && len < sizeof(ns->v[0])) {
		memcpy(ns->v[ns->n], s, len);
		ns->v[ns->n++][len] = '\0';
	}
}

static int count_name(const struct names *ns, const char *name)
{
	int i, n = 0;

	for (i = 0; i < ns->n; i++)
		n += !strcmp(ns->v[i], name);
	return n;
}

/* Splits @s at blanks, commas, quotes and parentheses into @ns. */
static void add_words(struct names *ns, const char *s)
{
	const char *sep = " \t\n\",()";

	while (*s) {
		size_t len;

		s += strspn(s, sep);
		len = strcspn(s, sep);
		if (len)
			add_name(ns, s, len);
		s += len;
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, len + 1);
	if (buf && fread(buf, 1, len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The words of the completion's `local commands="..."`. */
static int completion_commands(struct names *ns)
{
	char *text = slurp(COMPLETION), *start, *end;

	if (!text)
		return -1;
	start = strstr(text, "local commands=\"");
	end = start ? strchr(start + 16, '"') : NULL;
	if (!end) {
		free(text);
		return -1;
	}
	*end = '\0';
	add_words(ns, start + 16);
	free(text);
	return 0;
}

/* Roff to plain text: drops font escapes and quotes, \- becomes -. */
static void unroff(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	while (*in && *in != '\n' && o + 1 < outlen) {
		if (in[0] == '\\' && in[1] == 'f' && in[2]) {
			in += 3;
		} else if (in[0] == '\\' && in[1] == '-') {
			out[o++] = '-';
			in += 2;
		} else if (*in == '"') {
			in++;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

/* The first word of each tagged paragraph (.TP) of the COMMANDS
 * section, leaving out nested lists (.RS/.RE: the keys of set). */
static int manpage_commands(struct names *ns)
{
	char *text = slurp(MANPAGE), *line, *save = NULL;
	bool in_section = false, tag_next = false;
	int depth = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char plain[512], *word;

		if (!strncmp(line, ".SH ", 4)) {
			in_section = !strcmp(line, ".SH COMMANDS");
			continue;
		}
		if (!in_section)
			continue;
		depth += !strcmp(line, ".RS") - !strcmp(line, ".RE");
		if (!strcmp(line, ".TP")) {
			tag_next = !depth;
			continue;
		}
		if (!tag_next)
			continue;
		tag_next = false;
		/* skip the macro (.B, .BI, .RI ...) */
		unroff(line[0] == '.' ? line + strcspn(line, " ") : line,
		       plain, sizeof(plain));
		word = plain + strspn(plain, " ");
		add_name(ns, word, strcspn(word, " "));
	}
	free(text);
	return 0;
}

/* The commands named after --json in OPTIONS: "Print a listing (...)". */
static int manpage_json_list(struct names *ns)
{
	char *text = slurp(MANPAGE), *p, *end;
	char plain[512];

	if (!text)
		return -1;
	p = strstr(text, ".B \\-\\-json\n");
	p = p ? strchr(p, '(') : NULL;
	end = p ? strchr(p, ')') : NULL;
	if (!end) {
		free(text);
		return -1;
	}
	*end = '\0';
	for (end = p; *end; end++)
		if (*end == '\n')
			*end = ' ';
	unroff(p + 1, plain, sizeof(plain));
	add_words(ns, plain);
	free(text);
	return 0;
}

/* The first word of each `...` in the first column of the table under
 * "## vswitchctl reference": "| `add-br BR` / `list-br` | ...". */
static int readme_commands(struct names *ns)
{
	char *text = slurp(README), *line, *save = NULL;
	bool in_section = false;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *p, *end;

		if (!strncmp(line, "## ", 3)) {
			in_section = !strcmp(line, "## vswitchctl reference");
			continue;
		}
		if (!in_section || strncmp(line, "| `", 3))
			continue;
		end = strstr(line, "` | ");
		for (p = line + 3; p && p < end; p = strstr(p, "` / `")) {
			if (*p == '`')
				p += 5;		/* past "` / `" */
			add_name(ns, p, strcspn(p, " `"));
		}
	}
	free(text);
	return 0;
}

static void expect_same_commands(struct __test_metadata *_metadata,
				 const struct names *ns, unsigned int flags,
				 const char *extra, const char *what)
{
	size_t i;
	int j, want = 0;

	for (i = 0; i < ctl_n_commands; i++) {
		const struct ctl_command *c = &ctl_commands[i];

		if ((c->flags & flags) != flags)
			continue;
		want++;
		EXPECT_EQ(1, count_name(ns, c->name))
			TH_LOG("%s: command '%s' appears %d times", what,
			       c->name, count_name(ns, c->name));
	}
	for (j = 0; j < ns->n; j++) {
		const struct ctl_command *c = ctl_command_find(ns->v[j]);
		bool known = (extra && !strcmp(ns->v[j], extra)) ||
			     (c && (c->flags & flags) == flags);

		EXPECT_TRUE(known)
			TH_LOG("%s: '%s' is not a command of the table%s", what,
			       ns->v[j], flags ? " with that flag" : "");
	}
	EXPECT_EQ(want + (extra ? 1 : 0), ns->n)
		TH_LOG("%s: %d names for %d commands", what, ns->n, want);
}

TEST(completion_offers_exactly_the_table_and_help)
{
	struct names ns = { 0 };

	ASSERT_EQ(0, completion_commands(&ns))
		TH_LOG("no 'local commands=\"...\"' in " COMPLETION);
	/* help is the client's own command, not the daemon's */
	expect_same_commands(_metadata, &ns, 0, "help", COMPLETION);
}

TEST(man_page_describes_exactly_the_table)
{
	struct names ns = { 0 };

	ASSERT_EQ(0, manpage_commands(&ns)) TH_LOG("cannot read " MANPAGE);
	ASSERT_LT(0, ns.n) TH_LOG("no commands found in " MANPAGE);
	expect_same_commands(_metadata, &ns, 0, NULL, MANPAGE);
}

TEST(readme_lists_exactly_the_table)
{
	struct names ns = { 0 };

	ASSERT_EQ(0, readme_commands(&ns)) TH_LOG("cannot read " README);
	expect_same_commands(_metadata, &ns, 0, NULL, README);
}

TEST(man_page_json_list_is_the_table_listings)
{
	struct names ns = { 0 };

	ASSERT_EQ(0, manpage_json_list(&ns))
		TH_LOG("no --json command list in " MANPAGE);
	expect_same_commands(_metadata, &ns, CTL_F_LISTING, NULL,
			     MANPAGE " --json");
}

TEST(table_is_consistent)
{
	size_t i, j;

	ASSERT_LT(0u, ctl_n_commands);
	for (i = 0; i < ctl_n_commands; i++) {
		const struct ctl_command *c = &ctl_commands[i];

		EXPECT_LE(0, c->min_args) TH_LOG("%s", c->name);
		EXPECT_LE(c->min_args, c->max_args) TH_LOG("%s", c->name);
		EXPECT_TRUE(c->args && c->help && c->details) TH_LOG("%s", c->name);
		EXPECT_TRUE(c->file_arg >= 0 && c->file_arg <= c->max_args)
			TH_LOG("%s", c->name);
		for (j = 0; j < i; j++) {
			EXPECT_STRNE(c->name, ctl_commands[j].name);
		}
		EXPECT_EQ(c, ctl_command_find(c->name));
	}
	EXPECT_EQ(NULL, ctl_command_find("add"));	/* no prefixes */
	EXPECT_EQ(NULL, ctl_command_find("help"));
}

TEST(check_names_the_command_and_the_problem)
{
	const struct ctl_command *c = ctl_command_find("del-flows");
	char err[128];

	ASSERT_NE(NULL, c);
	EXPECT_EQ(0, ctl_command_check(c, 1, CTL_F_STRICT, err, sizeof(err)));
	EXPECT_EQ(0, ctl_command_check(c, 2, 0, err, sizeof(err)));
	EXPECT_EQ(-1, ctl_command_check(c, 0, 0, err, sizeof(err)));
	EXPECT_STREQ("del-flows: wrong number of arguments", err);
	EXPECT_EQ(-1, ctl_command_check(c, 3, 0, err, sizeof(err)));
	EXPECT_EQ(-1, ctl_command_check(c, 1, CTL_F_LISTING, err, sizeof(err)));
	EXPECT_STREQ("del-flows: --json applies only to listings", err);
	c = ctl_command_find("dump-flows");
	ASSERT_NE(NULL, c);
	EXPECT_EQ(0, ctl_command_check(c, 1, CTL_F_LISTING, err, sizeof(err)));
	EXPECT_EQ(-1, ctl_command_check(c, 1, CTL_F_LISTING | CTL_F_STRICT,
					err, sizeof(err)));
	EXPECT_STREQ("dump-flows: --strict applies only to del-flows and mod-flows", err);
	EXPECT_EQ(-1, ctl_command_check(c, 1, CTL_F_CT_NEXT, err, sizeof(err)));
	EXPECT_STREQ("dump-flows: --ct-next applies only to trace", err);
	c = ctl_command_find("trace");
	ASSERT_NE(NULL, c);
	EXPECT_EQ(0, ctl_command_check(c, 2, CTL_F_CT_NEXT, err, sizeof(err)));
}

TEST_HARNESS_MAIN
