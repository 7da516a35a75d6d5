#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
# vsw-sanitizers: asan tsan (scripts/run-tests runs it again with those daemons)
#
# vswitchd's fast-path life cycle: a miss becomes a megaflow and the
# missed packet itself is delivered; a rule change reaches traffic that is
# already cached within one second; idle megaflows expire.
#
#   ns dfa            +------- dfbr -------+           ns dfb
#   va 10.9.0.1 ----- | 1 dfpa     2 dfpb  | ----- vb 10.9.0.2
#                     +--------------------+
. "$(dirname "$0")/../lib.sh"

vs_require_root
vs_require_vswitch
vs_require_cmd ip ping
[ -x "$VSWD" ] && [ -x "$VSCTL" ] || vs_skip_all "build/vswitchd or build/vswitchctl not built"

vs_vswitchd_dir daemon-flows

# VMs without IPv6 and (below) with static neighbours: the only frames are
# the test's own
setup() {
	vs_vswitchd_start
	vs_vm dfa dfpa va 02:00:00:09:00:01 10.9.0.1/24
	vs_vm dfb dfpb vb 02:00:00:09:00:02 10.9.0.2/24
	ip -n dfa neigh add 10.9.0.2 lladdr 02:00:00:09:00:02 dev va
	ip -n dfb neigh add 10.9.0.1 lladdr 02:00:00:09:00:01 dev vb
	"$VSCTL" add-br dfbr
	vs_defer "$VSCTL" del-br dfbr
	# a slow (emulated) guest must not see flows expire between steps
	"$VSCTL" set dfbr idle-timeout=60s
	"$VSCTL" add-port dfbr dfpa ofport=1
	"$VSCTL" add-port dfbr dfpb ofport=2
	"$VSCTL" del-flows dfbr
	"$VSCTL" add-flow dfbr priority=10,in_port=dfpa,actions=output:dfpb
	"$VSCTL" add-flow dfbr priority=10,in_port=dfpb,actions=output:dfpa
	vs_vm_up dfa dfpa va
	vs_vm_up dfb dfpb vb
	vs_wait_for 10 sh -c "'$VSCTL' show dfbr | grep -c 'interface: attached' | grep -qx 2"
	"$VSCTL" show dfbr
}

# The first echo request and its reply are both misses: one ping succeeding
# means each missed packet was executed, and each left a megaflow behind.
miss_becomes_megaflow_and_packet_is_delivered() {
	local flows stats
	ip netns exec dfa ping -c 1 -W 5 10.9.0.2
	flows=$("$VSCTL" dump-dp-flows dfbr)
	echo "$flows"
	echo "$flows" | grep -q '^in_port(1),.*actions:2$' || vs_die "no megaflow 1->2"
	echo "$flows" | grep -q '^in_port(2),.*actions:1$' || vs_die "no megaflow 2->1"
	stats=$("$VSCTL" dp-stats dfbr)
	echo "$stats"
	echo "$stats" | grep -Eq 'lookups: hit:[0-9]+ missed:[1-9]' || vs_die "no miss counted"
	echo "$stats" | grep -Eq 'flows: installed:[1-9]' || vs_die "no install counted"
	echo "$stats" | grep -Eq 'handler time: batches:[1-9][0-9]* \([0-9.]+ upcalls/batch\) recv:[0-9]+ms' ||
		vs_die "no handler batch timed"
	echo "$stats" | grep -Eq 'mutex: longest hold:[1-9][0-9]*us \([a-z_]+\)' ||
		vs_die "no longest mutex hold"
	# the cached flows now carry the traffic: more pings, no more misses
	local missed0 missed1
	missed0=$("$VSCTL" --json dp-stats dfbr | sed -E 's/.*"missed":([0-9]+).*/\1/')
	ip netns exec dfa ping -c 3 -i 0.2 -W 5 10.9.0.2
	missed1=$("$VSCTL" --json dp-stats dfbr | sed -E 's/.*"missed":([0-9]+).*/\1/')
	[ "$missed0" = "$missed1" ] || {
		"$VSCTL" dump-dp-flows dfbr
		"$VSCTL" dp-stats dfbr
		vs_die "misses while cached: $missed0 before, $missed1 after"
	}
}

# A drop rule added while 1->2 is cached must reach the cached traffic
# within one second: by then the revalidator has fixed or removed the
# megaflow, and no echo request gets through any more.
rule_change_reaches_cached_traffic_within_1s() {
	local flows
	ip netns exec dfa ping -c 2 -i 0.2 -W 5 10.9.0.2
	"$VSCTL" dump-dp-flows dfbr | grep -q '^in_port(1),.*actions:2$' ||
		vs_die "1->2 is not cached"
	"$VSCTL" add-flow dfbr priority=20,in_port=dfpa,icmp,actions=drop
	sleep 1
	flows=$("$VSCTL" dump-dp-flows dfbr)
	echo "$flows"
	echo "$flows" | grep -q '^in_port(1),.*actions:2$' &&
		vs_die "the old megaflow still forwards 1 s after the change"
	vs_expect_fail ip netns exec dfa ping -c 5 -i 0.1 -W 1 10.9.0.2
	"$VSCTL" dp-stats dfbr | grep -E 'rule changes|revalidation'
	"$VSCTL" del-flows dfbr --strict priority=20,in_port=dfpa,icmp
	sleep 1
	ip netns exec dfa ping -c 2 -i 0.2 -W 5 10.9.0.2
}

idle_flows_expire() {
	# independent of the previous case: no drop rule left behind
	# the timeout drops to 1 s only once the megaflow is seen: on a slow
	# guest (the debug kernel) the ping's round trip alone took 0.8 s
	"$VSCTL" del-flows dfbr --strict priority=20,in_port=dfpa,icmp
	ip netns exec dfa ping -c 1 -W 5 10.9.0.2
	"$VSCTL" dump-dp-flows dfbr | grep -q 'in_port(1)' || vs_die "nothing cached"
	"$VSCTL" set dfbr idle-timeout=1s
	vs_wait_for 5 sh -c "! '$VSCTL' dump-dp-flows dfbr | grep -q ."
	"$VSCTL" dp-stats dfbr | grep -E 'flows'
	"$VSCTL" set dfbr idle-timeout=60s
}

# Megaflows deleted in the kernel behind the daemon's back (another tool,
# a crashed peer) come back with the very next miss: the daemon's records
# of them must not stop the install (they would until the revalidator
# noticed, leaving every packet of those flows to an upcall meanwhile).
flushed_flows_come_back_with_the_next_miss() {
	local flows installed0 installed1
	installed0=$("$VSCTL" --json dp-stats dfbr | sed -E 's/.*"flows_installed":([0-9]+).*/\1/')
	# back to back, well inside one revalidation period, so the records
	# are surely still there when the second miss comes
	ip netns exec dfa ping -c 1 -W 5 10.9.0.2 &&
		"$VS_ROOT/build/tools/dp-flush" dfbr &&
		ip netns exec dfa ping -c 1 -W 5 10.9.0.2 ||
		vs_die "ping, dp-flush, ping failed"
	flows=$("$VSCTL" dump-dp-flows dfbr)
	echo "$flows"
	echo "$flows" | grep -q '^in_port(1),.*actions:2$' ||
		vs_die "1->2 not installed again by its miss"
	echo "$flows" | grep -q '^in_port(2),.*actions:1$' ||
		vs_die "2->1 not installed again by its miss"
	installed1=$("$VSCTL" --json dp-stats dfbr | sed -E 's/.*"flows_installed":([0-9]+).*/\1/')
	[ "$installed1" -ge $((installed0 + 4)) ] ||
		vs_die "installs counted: $installed0 before, $installed1 after (4 expected)"
}

# The kernel's extack message reaches the operator, and nothing changes.
kernel_errors_reach_the_operator() {
	local err
	err=$("$VSCTL" add-port dfbr lo 2>&1) && vs_die "attaching lo succeeded"
	echo "$err"
	[ -n "$err" ] || vs_die "no message"
	"$VSCTL" list-ports dfbr | grep -qx lo && vs_die "lo stayed configured"
	return 0
}

run_case "setup: daemon, bridge, two namespaces" setup
run_case "a miss becomes a megaflow and the missed packet is delivered" \
	miss_becomes_megaflow_and_packet_is_delivered
run_case "a rule change reaches cached traffic within 1 s" \
	rule_change_reaches_cached_traffic_within_1s
run_case "idle megaflows expire" idle_flows_expire
run_case "megaflows flushed behind the daemon come back with the next miss" \
	flushed_flows_come_back_with_the_next_miss
run_case "a kernel refusal reaches the operator" kernel_errors_reach_the_operator
vs_done
