#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 240
#
# OpenFlow groups, added with Debian's ovs-ofctl over the management
# socket and with vswitchctl, forwarding real traffic: an ALL group
# copies to two ports, a SELECT group spreads UDP flows over two ports
# (each flow's megaflow matching its ports exactly), a FAST_FAILOVER
# group moves to its second bucket when the first one's port goes down
# and back when it comes up; the counters count, and the groups survive
# a restart.
#
#                         +------------ gbr ------------+
#   ns ga  va 192.0.2.1 --| 1 gpa                       |
#   ns gb  vb 192.0.2.2 --| 2 gpb    (group buckets)    |
#   ns gc  vc 192.0.2.3 --| 3 gpc                       |
#                         +-----------------------------+
. "$(dirname "$0")/../lib.sh"

vs_require_root
vs_require_vswitch
vs_require_cmd ip ovs-ofctl python3
[ -x "$VSWD" ] && [ -x "$VSCTL" ] || vs_skip_all "build/vswitchd or build/vswitchctl not built"

vs_vswitchd_dir grp
MGMT=unix:$DIR/run/gbr.mgmt

ofctl() { timeout 20 ovs-ofctl -O OpenFlow13 "$@"; }

setup() {
	vs_vswitchd_start
	vs_vm ga gpa va 02:00:00:0e:00:01 192.0.2.1/24
	vs_vm gb gpb vb 02:00:00:0e:00:02 192.0.2.2/24
	vs_vm gc gpc vc 02:00:00:0e:00:03 192.0.2.3/24
	ip -n ga neigh add 192.0.2.2 lladdr 02:00:00:0e:00:02 dev va
	"$VSCTL" add-br gbr
	vs_defer "$VSCTL" del-br gbr
	"$VSCTL" set gbr idle-timeout=60s
	"$VSCTL" add-port gbr gpa ofport=1
	"$VSCTL" add-port gbr gpb ofport=2
	"$VSCTL" add-port gbr gpc ofport=3
	"$VSCTL" del-flows gbr
	vs_vm_up ga gpa va
	vs_vm_up gb gpb vb
	vs_vm_up gc gpc vc
	vs_wait_for 10 sh -c "'$VSCTL' show gbr | grep -c 'interface: attached' | grep -qx 3"
	vs_wait_for 10 test -S "$DIR/run/gbr.mgmt"
}

# Packets received by interface IF in namespace NS.
rx() {
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/rx_packets"
}

# N UDP datagrams from ga to 192.0.2.2:9999, each from its own source
# port starting at BASE.
send_udp() {
	ip netns exec ga python3 - "$1" "$2" <<'PY'
import socket, sys
n, base = int(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('192.0.2.1', base + i))
    s.sendto(b'x' * 32, ('192.0.2.2', 9999))
    s.close()
PY
}

all_copies_to_every_bucket() {
	local b0 c0 b1 c1
	ofctl add-group "$MGMT" "group_id=1,type=all,bucket=output:2,bucket=output:3"
	ofctl add-flow "$MGMT" "priority=10,udp,in_port=1,actions=group:1"
	ofctl dump-groups "$MGMT" | tee "$DIR/groups"
	grep -q 'group_id=1,type=all,bucket=actions=output:2,bucket=actions=output:3' \
		"$DIR/groups" || vs_die "ovs-ofctl does not read the group back"
	b0=$(rx gb vb); c0=$(rx gc vc)
	send_udp 20 20000
	vs_wait_for 5 sh -c "[ \$(ip netns exec gb cat /sys/class/net/vb/statistics/rx_packets) -ge $((b0 + 20)) ]"
	b1=$(rx gb vb); c1=$(rx gc vc)
	echo "rx: vb +$((b1 - b0)), vc +$((c1 - c0))"
	[ $((c1 - c0)) -ge 20 ] || vs_die "the second bucket got $((c1 - c0)) of 20"
	# the group's counters: what the megaflows counted
	vs_wait_for 5 sh -c "timeout 5 ovs-ofctl -O OpenFlow13 dump-group-stats $MGMT group_id=1 |
		grep -Eq 'packet_count=(2[0-9]|[3-9][0-9])'"
	ofctl dump-group-stats "$MGMT" group_id=1
	"$VSCTL" dump-group-stats gbr 1 | grep -q 'ref_count=1' || vs_die "ref_count"
}

select_spreads_flows_and_pins_each() {
	local b0 c0 b1 c1 n
	"$VSCTL" add-group gbr 'group_id=2,type=select,bucket=weight:1,actions=output:2,bucket=weight:1,actions=output:3'
	ofctl add-flow "$MGMT" "priority=20,udp,in_port=1,actions=group:2"
	b0=$(rx gb vb); c0=$(rx gc vc)
	send_udp 64 21000
	sleep 1
	b1=$(rx gb vb); c1=$(rx gc vc)
	echo "64 flows: vb +$((b1 - b0)), vc +$((c1 - c0))"
	[ $((b1 - b0 + c1 - c0)) -ge 64 ] || vs_die "flows lost"
	[ $((b1 - b0)) -ge 8 ] && [ $((c1 - c0)) -ge 8 ] || vs_die "not spread over both buckets"
	# each flow's megaflow matches its ports exactly, and is right
	n=$("$VSCTL" dump-dp-flows gbr | grep -c 'udp(src=2[01][0-9][0-9][0-9],dst=9999)' || true)
	echo "megaflows with exact ports: $n"
	[ "$n" -ge 64 ] || vs_die "megaflows do not match the hashed ports"
	"$VSCTL" check-dp-flows gbr
	"$VSCTL" trace gbr 'in_port=1,udp,dl_src=02:00:00:0e:00:01,dl_dst=02:00:00:0e:00:02,nw_src=192.0.2.1,nw_dst=192.0.2.2,tp_src=21000,tp_dst=9999' |
		tee "$DIR/trace"
	grep -q 'group 2 (select): bucket [01]' "$DIR/trace" || vs_die "trace shows no bucket"
	grep -q 'select group hash' "$DIR/trace" || vs_die "trace names no hash"
	# a modify moves the cached flows: all to port 3 now
	ofctl mod-group "$MGMT" "group_id=2,type=select,bucket=weight:1,actions=output:3"
	c0=$(rx gc vc)
	send_udp 64 21000
	sleep 1
	c1=$(rx gc vc)
	[ $((c1 - c0)) -ge 64 ] || { "$VSCTL" dump-dp-flows gbr | head; vs_die "after mod-group port 3 got $((c1 - c0)) of 64"; }
	ofctl --strict del-flows "$MGMT" "priority=20,udp,in_port=1"
}

fast_failover_follows_the_watch_port() {
	local b0 c0 b1 c1
	ofctl add-group "$MGMT" "group_id=3,type=fast_failover,bucket=watch_port:2,actions=output:2,bucket=watch_port:3,actions=output:3"
	ofctl add-flow "$MGMT" "priority=30,udp,in_port=1,actions=group:3"
	b0=$(rx gb vb); c0=$(rx gc vc)
	send_udp 10 22000
	sleep 1
	b1=$(rx gb vb); c1=$(rx gc vc)
	echo "port 2 up: vb +$((b1 - b0)), vc +$((c1 - c0))"
	[ $((b1 - b0)) -ge 10 ] && [ $((c1 - c0)) -lt 10 ] || vs_die "not to port 2"
	ip -n gb link set vb down		# port 2 loses its carrier
	vs_wait_for 5 sh -c "'$VSCTL' trace gbr 'in_port=1,udp,tp_src=1' | grep -q 'group 3 (fast_failover): bucket 1'"
	c0=$(rx gc vc)
	send_udp 10 22000			# the same, cached flows
	sleep 1
	c1=$(rx gc vc)
	echo "port 2 down: vc +$((c1 - c0))"
	[ $((c1 - c0)) -ge 10 ] || vs_die "no failover to port 3"
	ip -n gb link set vb up
	vs_wait_for 5 sh -c "'$VSCTL' trace gbr 'in_port=1,udp,tp_src=1' | grep -q 'group 3 (fast_failover): bucket 0'"
	b0=$(rx gb vb)
	send_udp 10 22000
	sleep 1
	b1=$(rx gb vb)
	[ $((b1 - b0)) -ge 10 ] || vs_die "not back to port 2"
}

groups_survive_a_restart() {
	"$VSCTL" dump-groups gbr | tee "$DIR/before"
	[ "$(wc -l < "$DIR/before")" = 3 ] || vs_die "not three groups"
	kill "$(cat "$DIR/pid")"
	vs_wait_for 10 sh -c "! kill -0 $(cat "$DIR/pid") 2>/dev/null"
	vs_vswitchd_start
	"$VSCTL" dump-groups gbr > "$DIR/after"
	diff "$DIR/before" "$DIR/after" || vs_die "groups changed across the restart"
	# deleting the groups deletes the rules that use them
	ofctl del-groups "$MGMT"
	ofctl dump-flows "$MGMT" | grep -q group: && vs_die "rules to deleted groups stayed"
	true
}

run_case "setup: daemon, bridge, three namespaces" setup
run_case "an ALL group copies to both of its buckets; its counters count" \
	all_copies_to_every_bucket
run_case "a SELECT group spreads flows, each megaflow exact on the hashed fields" \
	select_spreads_flows_and_pins_each
run_case "a FAST_FAILOVER group follows its watch port down and up" \
	fast_failover_follows_the_watch_port
run_case "groups survive a restart; deleting them deletes their rules" \
	groups_survive_a_restart
vs_done
