#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the benchmark harness (`make bench` is not part of
# `make check`): one tiny round of the fast-path comparison proves that
# pktgen, the topologies, ovs-dpctl and vsw-flowgen work together and that
# the report is produced; the report's goal verdicts are checked on
# synthetic rounds with known answers; crr proves the connect loop counts.
#
#   pktgen -> fgen == frx                                   (floor)
#   pktgen -> ogen == op1 [openvswitch.ko] op2 == orx       (ovs)
#   pktgen -> vgen == vp1 [vswitch.ko] vp2 == vrx           (vsw)

. "$(dirname "$0")/../lib.sh"

vs_require_cmd ip awk
vs_require_module veth pktgen

SMOKE_DIR=$VS_ROOT/build/bench/smoke

# build/bench tools come from scripts/bench; build them if missing.
build_tools() {
	[ -x "$VS_ROOT/build/bench/vsw-flowgen" ] && [ -x "$VS_ROOT/build/bench/crr" ] &&
		[ -x "$VS_ROOT/build/bench/dp-watch" ] && return 0
	make -s -C "$VS_ROOT" -f bench/bench.mk build/bench/vsw-flowgen \
		build/bench/crr build/bench/dp-watch
}

# Column $4 (pps) of candidate $1 in fastpath.tsv.
pps_of() { awk -F'\t' -v c="$1" '$3 == c && $1 != "skip" { print $4 }' "$SMOKE_DIR/fastpath.tsv"; }
flows_masks_of() { awk -F'\t' -v c="$1" '$3 == c && $1 != "skip" { print $7 "/" $8 }' "$SMOKE_DIR/fastpath.tsv"; }

fastpath_one_round() {
	local cands="floor ovs" c pps
	build_tools
	grep -q '^vswitch ' /proc/modules && cands="$cands vsw"
	modprobe openvswitch
	rm -rf "$SMOKE_DIR"
	cd "$VS_ROOT"
	BENCH_ROUNDS=1 BENCH_WARM=0.5 BENCH_MEASURE=1 BENCH_CASES=1:1 \
		BENCH_CANDIDATES="$cands" bench/guest/fastpath.sh "$SMOKE_DIR"
	for c in $cands; do
		pps=$(pps_of "$c")
		echo "$c: $pps pps"
		[ -n "$pps" ] && [ "$pps" -gt 0 ] || { echo "$c forwarded nothing"; return 1; }
	done
	vs_assert_eq "1/1" "$(flows_masks_of ovs)" "openvswitch.ko flows/masks"
	if [ "${cands#*vsw}" != "$cands" ]; then
		vs_assert_eq "1/1" "$(flows_masks_of vsw)" "vswitch flows/masks"
	fi
	awk -f bench/stats.awk -f bench/report-fastpath.awk "$SMOKE_DIR/fastpath.tsv" > "$SMOKE_DIR/report.md"
	grep -q '^| openvswitch.ko | ' "$SMOKE_DIR/report.md"
}

crr_counts_transactions() {
	local out pid
	build_tools
	vs_netns_add vs-crr
	vs_ip vs-crr link set lo up
	vs_exec vs-crr "$VS_ROOT/build/bench/crr" server 5001 &
	pid=$!
	vs_defer kill $pid
	sleep 0.5
	out=$(vs_exec vs-crr "$VS_ROOT/build/bench/crr" client 127.0.0.1 5001 20 2000)
	echo "$out"
	case "$out" in *"transactions=20 failed=0 "*) ;; *) return 1 ;; esac
	# nothing listens on 5002: every transaction fails, and it says so
	out=$(vs_exec vs-crr "$VS_ROOT/build/bench/crr" client 127.0.0.1 5002 3 200) && return 1
	case "$out" in *"transactions=0 failed=3 "*) ;; *) return 1 ;; esac
}

# dp-watch (the setup-rate timer) starts its clock at the first miss and
# stops when the flow count has grown by EXPECT: misses from a ping, then
# 40 flows installed by hand, must read as flows=40 over a positive time.
dp_watch_times_a_burst() {
	local fg=$VS_ROOT/build/bench/vsw-flowgen out line wfd wpid
	build_tools
	grep -q '^vswitch ' /proc/modules || { echo "vswitch.ko not loaded"; return 1; }
	"$fg" dp-new smkw && vs_defer "$fg" dp-del smkw
	ip link add smwa type veth peer name smwb && vs_defer ip link del smwa
	ip link add smwc type veth peer name smwd && vs_defer ip link del smwc
	ip link set smwa up && ip link set smwb up && ip link set smwc up
	"$fg" port-add smkw smwa 1 && "$fg" port-add smkw smwc 2 || return 1
	ip addr add 10.79.0.1/24 dev smwb
	# QUIET_MS (15 s) outlasts the ping and vsw-flowgen's start under a
	# loaded TCG guest; a complete burst ends dp-watch at its 40th flow.
	coproc WATCH { "$VS_ROOT/build/bench/dp-watch" vsw smkw 40 15000 30000; }
	# bash closes ${WATCH[0]} and unsets WATCH_PID once dp-watch has
	# exited and been reaped, which a quick burst does before the second
	# read: keep copies.
	wpid=$WATCH_PID
	exec {wfd}<&"${WATCH[0]}"
	read -r -t 10 line <&$wfd
	[ "$line" = ready ] || { echo "dp-watch did not start: $line"; exec {wfd}<&-; return 1; }
	ping -c 2 -i 0.2 -W 1 10.79.0.2 >/dev/null || true	# misses, no reply
	sleep 0.3
	"$fg" flows smkw 1 2 40 1 10.0.0.1 1000 || { exec {wfd}<&-; return 1; }
	read -r -t 40 out <&$wfd
	exec {wfd}<&-
	wait "$wpid"
	echo "$out"
	case "$out" in "flows=40 seconds="*" rate="*" missed="*" lost="*) ;; *) return 1 ;; esac
	awk -v o="$out" 'BEGIN { split(o, f, /[ =]/); exit !(f[4] > 0 && f[6] > 0 && f[8] >= 1) }'
}

# The report's verdicts on rounds whose answers are known: at 32 masks
# floor 200k (5 us), openvswitch.ko 50k (15 us above it), vswitch 80k
# (7.5 us above it): 1.60x in pps, exactly 2x in switch time. At one mask
# the bridge 100k (5 us above), vswitch 125k (3 us above): 1.25x in pps,
# switch time 1.67x less.
report_judges_goals() {
	local d=$SMOKE_DIR/synthetic r c pps
	mkdir -p "$d" && : > "$d/fastpath.tsv"
	for r in 1 2 3; do
		for c in floor:200000 bridge:100000 ovs:60000 vsw:125000; do
			printf '1f/1m\t%s\t%s\t%s\t%s\t-\t1\t1\n' "$r" "${c%:*}" "${c#*:}" "${c#*:}"
		done
		for c in floor:200000 ovs:50000 vsw:80000; do
			printf '1000f/32m\t%s\t%s\t%s\t%s\t-\t1000\t32\n' "$r" "${c%:*}" "${c#*:}" "${c#*:}"
		done
	done >> "$d/fastpath.tsv"
	cd "$VS_ROOT"
	awk -f bench/stats.awk -f bench/report-fastpath.awk "$d/fastpath.tsv" > "$d/report.md"
	sed -n '/Goals/,$p' "$d/report.md"
	grep -qxF -- '- ahead of openvswitch.ko in every case: **met**' "$d/report.md" &&
	grep -qxF -- '- ahead of the Linux bridge with one mask: **met** (1.25x in pps; switch time 1.67x less)' "$d/report.md" &&
	grep -qxF -- '- at least 2x openvswitch.ko with 32 masks or more, in switch time per packet (ns above the floor): **met**' "$d/report.md" &&
	grep -qxF -- '- the same in packets per second: **not met**' "$d/report.md" &&
	grep -qxF -- '  (1000f/32m: 1.60x in pps, 2.00x in switch time)' "$d/report.md"
}

run_case bench_report_judges_goals report_judges_goals
run_case bench_fastpath_one_round fastpath_one_round
run_case bench_dp_watch_times_a_burst dp_watch_times_a_burst
run_case bench_crr_counts_transactions crr_counts_transactions
vs_done
