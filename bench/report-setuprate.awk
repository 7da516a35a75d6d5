# SPDX-License-Identifier: GPL-2.0
# Flow setup report: reads setuprate.tsv (bench/guest/setuprate.sh).
#   udp ROUND CAND SENT FLOWS SECONDS RATE LOST DELIVERED
#   crr ROUND CAND OK FAILED TPS CONNECT_US_MEDIAN CONNECT_US_P90

BEGIN {
	FS = "\t"
	label["ovs"] = "Open vSwitch (ovs-vswitchd + openvswitch.ko)"
	label["vsw"] = "vswitch (vswitchd + vswitch.ko)"
	ncand = split("ovs vsw", cands, " ")
}

$1 == "skip" { skipped[$3] = $4; next }
$1 == "udp" {
	c = $3
	rate[c] = push(rate[c], $7); flows[c] = push(flows[c], $5)
	sent[c] = $4; lost[c] = push(lost[c], $8); dl[c] = push(dl[c], $9)
	nd[c] = push(nd[c], $4 > $9 ? $4 - $9 : 0)
	rate_at[c, $2] = $7; lost_at[c, $2] = $8
	if ($2 > nr) nr = $2
}
$1 == "crr" {
	c = $3
	tps[c] = push(tps[c], $6); cmed[c] = push(cmed[c], $7)
	cp90[c] = push(cp90[c], $8); failed[c] = push(failed[c], $5)
	tps_at[c, $2] = $6; cmed_at[c, $2] = $7
	if ($2 > nr) nr = $2
}

function rmed(kind, a, b,    r, s, x, y) {
	s = ""
	for (r = 1; r <= nr; r++) {
		if (kind == "rate") { x = rate_at[a, r]; y = rate_at[b, r] }
		else if (kind == "tps") { x = tps_at[a, r]; y = tps_at[b, r] }
		else { x = cmed_at[a, r]; y = cmed_at[b, r] }
		if (x > 0 && y > 0) s = push(s, x / y)
	}
	return median(s)
}

function mm(s, fmt) {
	return s == "" ? "–" : sprintf(fmt " (" fmt "–" fmt ")", median(s), minof(s), maxof(s))
}

END {
	print "### Flow setup rate (guest, one boot)"
	for (i = 1; i <= ncand; i++)
		if (cands[i] in skipped)
			printf "\n- %s: %s\n", label[cands[i]], skipped[cands[i]]
	print ""
	print "UDP: every packet from a new source port, each needing its own megaflow (medians, min–max over rounds)."
	print ""
	print "| switch | megaflows/s | megaflows installed | upcalls lost (datapath counter) | frames not delivered |"
	print "|---|---:|---:|---:|---:|"
	for (i = 1; i <= ncand; i++) {
		c = cands[i]
		if (rate[c] == "") continue
		printf "| %s | %s | %s of %d | %s | %s |\n", label[c], mm(rate[c], "%.0f"),
			mm(flows[c], "%.0f"), sent[c], mm(lost[c], "%.0f"), mm(nd[c], "%.0f")
	}
	print ""
	print "TCP connect/request/response/close loop (bench/crr): the connect time is the first packets' trip through upcall and install."
	print ""
	print "| switch | connections/s | connect µs median | connect µs p90 | failed |"
	print "|---|---:|---:|---:|---:|"
	for (i = 1; i <= ncand; i++) {
		c = cands[i]
		if (tps[c] == "") continue
		printf "| %s | %s | %s | %s | %s |\n", label[c], mm(tps[c], "%.1f"),
			mm(cmed[c], "%.0f"), mm(cp90[c], "%.0f"), mm(failed[c], "%.0f")
	}
	x = rmed("rate", "vsw", "ovs")
	print "\n#### Goal: at least 2x Open vSwitch's setup rate with no more loss\n"
	if (x == "")
		print "- not measured (both switches are needed in the same boot)"
	else {
		printf "- setup rate vswitch / OVS: %.2fx (median of per-round ratios); upcalls lost: vswitch %s, OVS %s; frames not delivered: vswitch %s, OVS %s (medians)\n",
			x, median(lost["vsw"]), median(lost["ovs"]), median(nd["vsw"]), median(nd["ovs"])
		ok = x >= 2 && median(lost["vsw"]) <= median(lost["ovs"]) && median(nd["vsw"]) <= median(nd["ovs"])
		printf "- %s\n", ok ? "**met**" : "**not met**"
		y = rmed("tps", "vsw", "ovs")
		if (y != "")
			printf "- TCP connections/s vswitch / OVS: %.2fx\n", y
	}
}
