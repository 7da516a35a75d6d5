#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 400
# vsw-sanitizers: asan tsan (scripts/run-tests runs it again with those daemons)
#
# vswitchd is killed with SIGKILL while an iperf3 TCP stream runs through
# the kernel datapath, then started again on the same state directory: the
# stream survives (the kernel forwards while the daemon is down and the
# restarted daemon adopts its megaflows instead of flushing them), and the
# configuration is back. An IPv6 neighbour-discovery rule (icmp6 with
# an ICMPv6 type, printed "icmp6,icmp_type=135") is in the state file when
# it restarts: the daemon must read back what it wrote (issue 12), and
# dump-flows output fed to add-flows on a second bridge makes the same
# rules.
#
#   ns dra            +------- drbr -------+           ns drb
#   va 10.9.1.1 ----- | 1 drpa     2 drpb  | ----- vb 10.9.1.2
#                     +--------------------+
. "$(dirname "$0")/../lib.sh"

vs_require_root
vs_require_vswitch
vs_require_cmd ip ping iperf3
[ -x "$VSWD" ] && [ -x "$VSCTL" ] || vs_skip_all "build/vswitchd or build/vswitchctl not built"

vs_vswitchd_dir daemon-restart

norm() {	# listings without clocks and counters
	sed -E 's/duration=[0-9.]+s, ?//; s/(n_packets|n_bytes)=[0-9]+, ?//g'
}

setup() {
	vs_vswitchd_start
	vs_vm dra drpa va 02:00:00:09:01:01 10.9.1.1/24
	vs_vm drb drpb vb 02:00:00:09:01:02 10.9.1.2/24
	vs_vm_up dra drpa va
	vs_vm_up drb drpb vb
	"$VSCTL" add-br drbr
	vs_defer "$VSCTL" del-br drbr
	"$VSCTL" add-port drbr drpa ofport=1
	"$VSCTL" add-port drbr drpb ofport=2
	"$VSCTL" add-flow drbr priority=300,tcp,tp_dst=22,actions=drop
	# in a table no packet reaches: kept and restored, without changing
	# what the stream's megaflows look like
	"$VSCTL" add-flow drbr "table=5,priority=10,icmp6,icmpv6_type=135,actions=drop"
	"$VSCTL" add-flow drbr "table=5,priority=11,icmp6,icmpv6_type=136,nd_target=2001:db8::1,actions=NORMAL"
	"$VSCTL" set drbr idle-timeout=20s
	vs_wait_for 10 ip netns exec dra ping -c 1 -W 1 10.9.1.2
	"$VSCTL" show > "$DIR/show.before"
	"$VSCTL" dump-flows drbr | norm > "$DIR/flows.before"
	cat "$DIR/show.before" "$DIR/flows.before"
}

dump_flows_feeds_add_flows() {
	"$VSCTL" add-br drbr2
	vs_defer "$VSCTL" del-br drbr2
	"$VSCTL" dump-flows drbr > "$DIR/dump.txt"
	cat "$DIR/dump.txt"
	grep -q 'icmp6,icmp_type=135 actions=drop' "$DIR/dump.txt"
	"$VSCTL" add-flows drbr2 - < "$DIR/dump.txt"
	"$VSCTL" dump-flows drbr2 | norm > "$DIR/flows2.before"
	diff -u "$DIR/flows.before" "$DIR/flows2.before"
	grep -q 'icmp6,icmp_type=135' "$DIR/state/state.conf"
	"$VSCTL" show > "$DIR/show.before"	# drbr2 is part of it now
}

stream_survives_sigkill() {
	local out=$DIR/iperf.out zero pid
	ip netns exec drb iperf3 -s -1 -D -p 5201
	sleep 0.5
	ip netns exec dra iperf3 -c 10.9.1.2 -t 10 -i 1 -f k > "$out" 2>&1 &
	pid=$!
	sleep 3
	kill -KILL "$(cat "$DIR/pid")"
	echo "vswitchd killed; the datapath forwards alone"
	sleep 2
	vs_vswitchd_start
	echo "vswitchd restarted"
	wait "$pid" || { cat "$out"; vs_die "iperf3 client failed"; }
	cat "$out"
	# every one-second interval carried data
	zero=$(grep -E '^\[ *[0-9]+\] +[0-9.]+-[0-9.]+ +sec' "$out" |
		grep -vE 'sender|receiver' | awk '$5 == "0.00" || $5 == "0"' | wc -l)
	vs_assert_eq 0 "$zero" "empty one-second intervals"
	"$VSCTL" dp-stats drbr | grep -E 'adopted|flows:|revalidation'
	# the new daemon knew none of the kernel's flows: its terse dump sent
	# it to a full one, which adopted them. Both of the stream's NORMAL
	# flows: the MACs are learned again from the flows themselves (the
	# VMs have IPv6 off, so these are the only flows with these MACs).
	"$VSCTL" dp-stats drbr | grep -Eq 'adopted:([2-9]|[1-9][0-9])' ||
		vs_die "the stream's two flows were not adopted"
	"$VSCTL" dp-stats drbr | grep -Eq 'full dumps:[1-9]' || vs_die "no full dump"
}

configuration_is_back() {
	"$VSCTL" show > "$DIR/show.after"
	"$VSCTL" dump-flows drbr | norm > "$DIR/flows.after"
	diff -u "$DIR/show.before" "$DIR/show.after"
	diff -u "$DIR/flows.before" "$DIR/flows.after"
	"$VSCTL" dump-flows drbr2 | norm > "$DIR/flows2.after"
	diff -u "$DIR/flows2.before" "$DIR/flows2.after"
	if ls "$DIR/state" | grep -q corrupt; then
		cat "$DIR/log"
		vs_die "the state file the daemon wrote was set aside"
	fi
	ip netns exec dra ping -c 2 -i 0.2 -W 5 10.9.1.2
	vs_expect_fail ip netns exec dra iperf3 -c 10.9.1.2 -p 22 -t 1 --connect-timeout 1500
}

run_case "setup: daemon, bridge, two namespaces" setup
run_case "dump-flows output (icmp6 ND rules included) feeds add-flows" \
	dump_flows_feeds_add_flows
run_case "SIGKILL of vswitchd during iperf3: the TCP stream survives" \
	stream_survives_sigkill
run_case "after the restart the configuration is back" configuration_is_back
vs_done
