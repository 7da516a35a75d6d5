# SPDX-License-Identifier: GPL-2.0
# Markdown section for bench/guest/scale.sh's scale.tsv:
#   scale CAND WHAT VALUE UNIT GUEST_LOAD   or   skip CAND REASON
# One table, a column per switch, and a ratio where both measured.
BEGIN { FS = "\t" }
$1 == "skip" { skip[$2] = $3; next }
$1 != "scale" { next }
{
	v[$2, $3] = $4; unit[$3] = $5; ld[$2, $3] = $6
	if (!($3 in seen)) { seen[$3] = 1; order[++n] = $3 }
}
# Megaflows per second while the table grew through each quarter of
# what it reached (first pass), from "t:flows,..." samples.
function quarters(tl,    a, i, k, q, t, f, last, out, t0, f0, p) {
	k = split(tl, a, ",")
	split(a[k], p, ":"); last = p[2]
	t0 = 0; f0 = 0; q = 1; out = ""
	for (i = 1; i <= k && q <= 4; i++) {
		split(a[i], p, ":"); t = p[1]; f = p[2]
		if (t < t0) break	# second pass: starts again at 1 s
		while (q <= 4 && f >= last * q / 4) {
			out = out sprintf("%s%.0f", out == "" ? "" : " / ", t > t0 ? (f - f0) / (t - t0) : 0)
			t0 = t; f0 = f; q++
		}
	}
	return out
}
function cell(c, w) { return ((c, w) in v) ? v[c, w] : "-" }
END {
	print "## Scale: a full megaflow table (guest)"
	print ""
	for (c in skip) print "- " c ": " skip[c]
	print "Method: docs/performance.md (scale). Guest load (1 min) at each figure in raw/scale.tsv."
	print ""
	before = 0
	for (i = 1; i <= n; i++)
		if (("vsw0", order[i]) in v)
			before = 1
	printf "| figure | unit |%s vswitch | Open vSwitch | vswitch / OVS |\n", before ? " vswitch before |" : ""
	printf "|---|---|%s---:|---:|---:|\n", before ? "---:|" : ""
	for (i = 1; i <= n; i++) {
		w = order[i]
		if (w == "fill_timeline") {
			printf "| setup rate by quarter of the fill | megaflows/s |%s %s | %s | |\n",
				before ? " " ((("vsw0", w) in v) ? quarters(v["vsw0", w]) : "-") " |" : "",
				(("vsw", w) in v) ? quarters(v["vsw", w]) : "-",
				(("ovs", w) in v) ? quarters(v["ovs", w]) : "-"
			continue
		}
		a = cell("vsw", w); b = cell("ovs", w); r = ""
		if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b + 0 > 0)
			r = sprintf("%.3g", a / b)
		printf "| %s | %s |%s %s | %s | %s |\n", w, unit[w],
			before ? " " cell("vsw0", w) " |" : "", a, b, r
	}
}
