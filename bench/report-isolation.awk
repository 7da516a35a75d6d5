# SPDX-License-Identifier: GPL-2.0
# Isolation report: reads isolation.tsv (bench/guest/isolation.sh).
#   iso ROUND CAND PLACEMENT VICTIM_SENT VICTIM_DELIVERED FLOODER_FLOWS_PER_S FLOWS_AT_END

BEGIN {
	FS = "\t"
	label["ovs"] = "Open vSwitch 3.1 (ovs-vswitchd + openvswitch.ko)"
	label["vsw"] = "vswitch (vswitchd + vswitch.ko)"
	place["split"] = "separate CPUs"
	place["same"] = "same CPU"
}

$1 == "skip" { skipped[$3] = $4; next }
$1 == "iso" {
	k = $3 SUBSEP $4
	pct[k] = push(pct[k], $5 ? 100 * $6 / $5 : 0)
	sent[k] = push(sent[k], $5); dl[k] = push(dl[k], $6)
	rate[k] = push(rate[k], $7); flows[k] = push(flows[k], $8)
	seen[k] = 1
	if ($2 > nr) nr = $2
}

END {
	print "### Noisy-neighbour isolation (guest, one boot)"
	print ""
	print "Port 1 floods 60-byte frames from random source MACs (pktgen, as fast as it can); after a warm-up, port 2 sends new flows at 300/s, each from a new source MAC; a rule on dl_src makes each a megaflow. Default settings. Victim delivered = its frames that reached their sink / those that reached the switch (medians over " nr " round(s), min–max)."
	print ""
	print "| switch | placement | victim delivered | of sent | flooder megaflows/s | flows at end |"
	print "|---|---|---:|---:|---:|---:|"
	for (c in label) for (p in place) {
		k = c SUBSEP p
		if (!seen[k]) continue
		printf "| %s | %s | %.1f%% (%.1f–%.1f) | %d of %d | %d | %d |\n", label[c], place[p],
			median(pct[k]), minof(pct[k]), maxof(pct[k]), median(dl[k]), median(sent[k]),
			median(rate[k]), median(flows[k])
	}
	for (c in skipped)
		print "\n" label[c] ": " skipped[c]
}
