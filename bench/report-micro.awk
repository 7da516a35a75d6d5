# SPDX-License-Identifier: GPL-2.0
# Host microbenchmark report: micro.tsv (TOOL <tab> LINE) as one verbatim
# block per tool, in the order they ran.

BEGIN { FS = "\t" }
{
	if (!($1 in seen)) { seen[$1] = 1; tools[++n] = $1 }
	text[$1] = text[$1] substr($0, length($1) + 2) "\n"
}
END {
	print "### Host microbenchmarks (native, no emulation)"
	for (i = 1; i <= n; i++) {
		printf "\n#### %s\n\n```\n%s```\n", tools[i], text[tools[i]]
	}
}
