# SPDX-License-Identifier: GPL-2.0
# Fast-path report: reads fastpath.tsv (bench/guest/fastpath.sh), prints
# the Markdown section, and writes gnuplot data to the file named by -v dat=.
#
#   awk -f bench/stats.awk -f bench/report-fastpath.awk -v dat=F fastpath.tsv
#
# Ratios are computed per round (candidates of one round ran back to back)
# and then summarised by their median, so slow drift of the machine cancels.

BEGIN {
	FS = "\t"
	ncand = split("floor bridge ovs vsw vswnomf", cands, " ")
	label["floor"] = "direct veth (floor)"
	label["bridge"] = "Linux bridge"
	label["ovs"] = "openvswitch.ko"
	label["vsw"] = "vswitch (microflow on)"
	label["vswnomf"] = "vswitch (microflow off)"
}

$1 == "skip" { skipped[$3] = $4; next }
$1 == "fail" { failed[$2 SUBSEP $3] = $4; next }

{
	c = $1; r = $2; k = $3
	if (!(c in seen)) { seen[c] = 1; cases[++ncase] = c }
	pps[c, k] = push(pps[c, k], $4)
	at[c, k, r] = $4
	if ($6 != "-")
		mpp[c, k] = push(mpp[c, k], $6)
	if ($7 != "-") { flows[c, k] = $7; masks[c, k] = $8 }
	if (r > nround[c]) nround[c] = r
}

# Median over rounds of pps(a)/pps(b), or "" if never both measured.
function ratio(c, a, b,    r, s) {
	s = ""
	for (r = 1; r <= nround[c]; r++)
		if (at[c, a, r] > 0 && at[c, b, r] > 0)
			s = push(s, at[c, a, r] / at[c, b, r])
	return median(s)
}

# Median over rounds of b's switch time / a's: nanoseconds per packet above
# that round's floor (1e9/pps - 1e9/pps_floor), i.e. how many times less
# time a spends per packet than b once pktgen and the veths are taken out.
function time_ratio(c, a, b,    r, s, fa, fb) {
	s = ""
	for (r = 1; r <= nround[c]; r++) {
		if (!(at[c, a, r] > 0 && at[c, b, r] > 0 && at[c, "floor", r] > 0))
			continue
		fa = 1e9 / at[c, a, r] - 1e9 / at[c, "floor", r]
		fb = 1e9 / at[c, b, r] - 1e9 / at[c, "floor", r]
		if (fa > 0 && fb > 0)
			s = push(s, fb / fa)
	}
	return median(s)
}

function fmt_ratio(x) { return x == "" ? "–" : sprintf("%.2fx", x) }

function case_table(c,    i, k, m, floor_m, ns) {
	printf "\n#### %s (flows/masks), %d round(s)\n\n", c, nround[c]
	print "| candidate | pps median | min–max | ns/pkt above floor | masks probed/pkt | flows / masks | vs openvswitch.ko | vs bridge |"
	print "|---|---:|---:|---:|---:|---:|---:|---:|"
	floor_m = median(pps[c, "floor"])
	for (i = 1; i <= ncand; i++) {
		k = cands[i]
		if (pps[c, k] == "") {
			if ((c SUBSEP k) in failed)
				printf "| %s | failed: %s | | | | | | |\n", label[k], failed[c, k]
			continue
		}
		m = median(pps[c, k])
		ns = (floor_m > 0 && k != "floor") ? sprintf("%.0f", 1e9 / m - 1e9 / floor_m) : "–"
		printf "| %s | %s | %s–%s | %s | %s | %s | %s | %s |\n", label[k],
			thousands(m), thousands(minof(pps[c, k])), thousands(maxof(pps[c, k])),
			ns, mpp[c, k] == "" ? "–" : sprintf("%.2f", median(mpp[c, k])),
			(c, k) in flows ? flows[c, k] " / " masks[c, k] : "–",
			k == "ovs" ? "1.00x" : fmt_ratio(ratio(c, k, "ovs")),
			k == "bridge" ? "1.00x" : fmt_ratio(ratio(c, k, "bridge"))

	}
}

# One line per goal of the issue, with what was measured.
function goals(    i, c, x, t, ok, okt, any, n32, v, parts, lst) {
	print "\n#### Goals (vswitch with the microflow cache on)\n"
	ok = 1; any = 0
	for (i = 1; i <= ncase; i++) {
		c = cases[i]
		x = ratio(c, "vsw", "ovs")
		if (x == "") continue
		any = 1
		if (x <= 1) ok = 0
	}
	printf "- ahead of openvswitch.ko in every case: %s\n", !any ? "not measured" : ok ? "**met**" : "**not met**"
	x = ratio("1f/1m", "vsw", "bridge")
	if (x == "")
		v = "not measured"
	else if (x > 1)
		v = "**met** (" fmt_ratio(x) " in pps; switch time " fmt_ratio(time_ratio("1f/1m", "vsw", "bridge")) " less)"
	else
		v = "**not met** (" fmt_ratio(x) " in pps; switch time " fmt_ratio(time_ratio("1f/1m", "vsw", "bridge")) " less)"
	printf "- ahead of the Linux bridge with one mask: %s\n", v
	# Two readings: packets per second, and switch time per packet (ns
	# above the floor). pps carries the fixed cost of pktgen and the veths,
	# the same for every switch, so a switch can double openvswitch.ko's
	# pps only if it costs less than half of OVS's switch time minus the
	# floor itself; both are printed and judged separately.
	ok = 1; okt = 1; any = 0; lst = ""
	for (i = 1; i <= ncase; i++) {
		c = cases[i]
		split(c, parts, "/"); n32 = parts[2] + 0
		if (n32 < 32) continue
		x = ratio(c, "vsw", "ovs")
		if (x == "") continue
		t = time_ratio(c, "vsw", "ovs")
		any = 1
		if (x < 2) ok = 0
		if (t == "" || t < 2) okt = 0
		lst = lst sprintf("%s%s: %s in pps, %s in switch time", lst == "" ? "" : "; ", c, fmt_ratio(x), fmt_ratio(t))
	}
	if (!any) {
		print "- at least 2x openvswitch.ko with 32 masks or more: not measured"
		return
	}
	printf "- at least 2x openvswitch.ko with 32 masks or more, in switch time per packet (ns above the floor): %s\n", okt ? "**met**" : "**not met**"
	printf "- the same in packets per second: %s\n", ok ? "**met**" : "**not met**"
	printf "  (%s)\n", lst
}

END {
	print "### Fast path: 64-byte packets per second (guest, one boot)"
	for (i = 1; i <= ncand; i++)
		if (cands[i] in skipped)
			printf "\n- %s not measured: %s\n", label[cands[i]], skipped[cands[i]]
	for (i = 1; i <= ncase; i++)
		case_table(cases[i])
	goals()
	if (dat == "")
		exit
	# gnuplot data: case, then median min max per candidate (0 = absent)
	printf "case" > dat
	for (j = 1; j <= ncand; j++)
		printf " \"%s\" min max", label[cands[j]] > dat
	printf "\n" > dat
	for (i = 1; i <= ncase; i++) {
		c = cases[i]
		printf "\"%s\"", c > dat
		for (j = 1; j <= ncand; j++) {
			k = cands[j]
			if (pps[c, k] == "")
				printf " 0 0 0" > dat
			else
				printf " %s %s %s", median(pps[c, k]) / 1000, minof(pps[c, k]) / 1000, maxof(pps[c, k]) / 1000 > dat
		}
		printf "\n" > dat
	}
	close(dat)
	# masks probed per packet: case, then median per switch ("-" = none)
	mdat = dat; sub(/\.dat$/, "", mdat); mdat = mdat "-masks.dat"
	printf "case \"openvswitch.ko\" \"vswitch (microflow on)\" \"vswitch (microflow off)\"\n" > mdat
	for (i = 1; i <= ncase; i++) {
		c = cases[i]
		printf "\"%s\" %s %s %s\n", c, mpp[c, "ovs"] == "" ? "-" : median(mpp[c, "ovs"]),
			mpp[c, "vsw"] == "" ? "-" : median(mpp[c, "vsw"]),
			mpp[c, "vswnomf"] == "" ? "-" : median(mpp[c, "vswnomf"]) > mdat
	}
	close(mdat)
}
