#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 420
# The daemon dies (SIGKILL) while an iperf3 stream runs and is started again
# on the same state directory: the kernel keeps forwarding meanwhile, the
# stream survives, and show/dump-flows are back as before.
#
#   +----------------- rst0 -----------------+
#   | 1 rst1p (veth)        2 rst2t (tap)    |
#   +-----|----------------------|-----------+
#     ns rst1 10.0.4.1       ns rst2 10.0.4.2
. "$(dirname "$0")/../tools/e2e.sh"

e2e_begin restart iperf3 ping

norm() {	# a listing without its clocks
	sed -E 's/duration=[0-9.]+s, ?//; s/used:[^,]*,? ?//; s/, age [0-9]+//'
}

setup() {
	must add_br rst0 &&
	must vm_veth rst1 rst1p 02:00:00:04:00:01 10.0.4.1/24 &&
	must vm_tap rst2 rst2t 02:00:00:04:00:02 10.0.4.2/24 &&
	must vsctl add-port rst0 rst1p ofport=1 &&
	must vsctl add-port rst0 rst2t ofport=2 &&
	must vsctl add-flow rst0 priority=300,tcp,tp_dst=22,actions=drop &&
	must vsctl add-flow rst0 table=0,priority=100,ip,actions=NORMAL &&
	must ping_ok rst1 10.0.4.2 || return 1
	SHOW_BEFORE=$(vsctl show | norm)
	FLOWS_BEFORE=$(vsctl dump-flows rst0 | sed -E 's/(n_packets|n_bytes)=[0-9]+, ?//g' | norm)
}

now() { date +%s.%N; }

kill_during_iperf() {
	local out=$TOPO_DIR/iperf3-client.out t_start t_kill t_up
	iperf_server rst2 || return 1
	t_start=$(now)
	bg rst1 iperf3 -c 10.0.4.2 -t 12 -i 1 -f k >"$out" 2>&1
	local client=$TOPO_LAST_PID
	sleep 3
	echo "killing vswitchd (pid $TOPO_VSWD_PID) with SIGKILL"
	t_kill=$(now)
	vswd_kill KILL
	sleep 2
	must vswd_start || { wait "$client"; return 1; }
	t_up=$(now)
	wait "$client"
	local rc=$?
	cat "$out"
	[ $rc = 0 ] || { echo "iperf3 client exited $rc: the stream did not survive"; return 1; }
	# Data moved while no daemon ran: the intervals overlapping
	# [kill, restarted] (offsets from the client's start) carried bytes.
	local from to moved
	from=$(awk -v a="$t_kill" -v b="$t_start" 'BEGIN { print a - b }')
	to=$(awk -v a="$t_up" -v b="$t_start" 'BEGIN { print a - b }')
	moved=$(grep -E '^\[ *[0-9]+\] +[0-9.]+-[0-9.]+ +sec' "$out" | grep -v -E 'sender|receiver' |
		awk -v from="$from" -v to="$to" '{
			split($3, t, "-")
			if (t[2] > from && t[1] < to) {
				v = $5; u = $6
				if (u ~ /^K/) v *= 1024; else if (u ~ /^M/) v *= 1048576; else if (u ~ /^G/) v *= 1073741824
				sum += v
			}
		} END { printf "%d\n", sum }')
	echo "daemon down from ${from}s to ${to}s of the run: $moved bytes moved meanwhile"
	[ "$moved" -gt 0 ] || { echo "nothing was forwarded while vswitchd was down"; return 1; }
}

config_back() {
	local s f
	s=$(vsctl show | norm)
	f=$(vsctl dump-flows rst0 | sed -E 's/(n_packets|n_bytes)=[0-9]+, ?//g' | norm)
	[ "$s" = "$SHOW_BEFORE" ] || { echo "show differs:"; diff <(echo "$SHOW_BEFORE") <(echo "$s"); return 1; }
	[ "$f" = "$FLOWS_BEFORE" ] || { echo "dump-flows differs:"; diff <(echo "$FLOWS_BEFORE") <(echo "$f"); return 1; }
	echo "$s"
	echo "$f"
}

still_forwards() {
	must ping_ok rst1 10.0.4.2 &&
	must_not in_ns rst1 iperf3 -c 10.0.4.2 -p 22 -t 1 --connect-timeout 1500
}

# A second restart with flows cached: the adopted flows are still there.
flows_adopted() {
	local f
	must ping_ok rst1 10.0.4.2 || return 1
	vswd_kill KILL
	f=$(vsctl --socket /nonexistent list-br 2>&1) && { echo "a dead daemon answered: $f"; return 1; }
	must vswd_start || return 1
	f=$(vsctl dump-dp-flows rst0)
	echo "$f"
	contains "$f" "actions:"
}

e2e_setup "setup: two VMs, an ACL and a forwarding rule" setup
e2e_case "SIGKILL vswitchd during iperf3, restart: the stream survives" kill_during_iperf
e2e_case "after restart: show and dump-flows are as before" config_back
e2e_case "after restart: forwarding and the ACL still work" still_forwards
e2e_case "after restart: kernel megaflows are adopted, not flushed" flows_adopted
e2e_end
