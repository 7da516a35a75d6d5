#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
# vsw-sanitizers: asan tsan (scripts/run-tests runs it again with those daemons)
#
# Debian's ovs-ofctl, speaking OpenFlow 1.3, drives vswitchd: over the
# bridge's management socket and over a ptcp: target it listens on.
# Traffic between two namespaces follows the rules it adds; a rule change
# is in the datapath by the time the barrier is answered; refused requests
# get their OpenFlow error and the channel keeps working.
#
#   ns ofa               +-------- ofbr --------+              ns ofb
#   va 192.0.2.1 ------- | 1 ofpa       2 ofpb  | ------- vb 192.0.2.2
#                        +----------------------+
#          ovs-ofctl -> unix:$DIR/run/ofbr.mgmt, tcp:127.0.0.1:16653
. "$(dirname "$0")/../lib.sh"

vs_require_root
vs_require_vswitch
vs_require_cmd ip ping ovs-ofctl
[ -x "$VSWD" ] && [ -x "$VSCTL" ] || vs_skip_all "build/vswitchd or build/vswitchctl not built"

DIR=$(mktemp -d /tmp/vsw-of.XXXXXX)
export VSWITCH_SOCKET=$DIR/sock
MGMT=unix:$DIR/run/ofbr.mgmt
TCP=tcp:127.0.0.1:16653
vs_defer rm -rf "$DIR"

ofctl() { timeout 20 ovs-ofctl -O OpenFlow13 "$@"; }

start_daemon() {
	"$VSWD" --state-dir "$DIR/state" --socket "$VSWITCH_SOCKET" \
		--rundir "$DIR/run" --pidfile "$DIR/pid" --detach \
		--log-level info 2>>"$DIR/log" ||
		vs_die "vswitchd did not start: $(cat "$DIR/log")"
}

quiet_ns() {	# NS
	vs_netns_add "$1"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
}

setup() {
	start_daemon
	vs_defer sh -c "kill \$(cat '$DIR/pid')"	# the pid at exit: a case restarts it
	quiet_ns ofa
	quiet_ns ofb
	ip link add ofpa type veth peer name va netns ofa
	vs_defer ip link del ofpa
	ip link add ofpb type veth peer name vb netns ofb
	vs_defer ip link del ofpb
	ip -n ofa link set va address 02:00:00:0f:00:01
	ip -n ofb link set vb address 02:00:00:0f:00:02
	ip -n ofa addr add 192.0.2.1/24 dev va
	ip -n ofb addr add 192.0.2.2/24 dev vb
	ip -n ofa neigh add 192.0.2.2 lladdr 02:00:00:0f:00:02 dev va
	ip -n ofb neigh add 192.0.2.1 lladdr 02:00:00:0f:00:01 dev vb
	"$VSCTL" add-br ofbr
	vs_defer "$VSCTL" del-br ofbr
	"$VSCTL" set ofbr idle-timeout=60s
	"$VSCTL" add-port ofbr ofpa ofport=1
	"$VSCTL" add-port ofbr ofpb ofport=2
	"$VSCTL" del-flows ofbr
	ip link set ofpa up
	ip link set ofpb up
	ip -n ofa link set va up
	ip -n ofb link set vb up
	vs_wait_for 10 sh -c "'$VSCTL' show ofbr | grep -c 'interface: attached' | grep -qx 2"
	vs_wait_for 10 test -S "$DIR/run/ofbr.mgmt"
}

show_lists_the_ports() {
	local out
	out=$(ofctl show "$MGMT")
	echo "$out"
	echo "$out" | grep -q 'n_tables:254' || vs_die "no FEATURES_REPLY"
	echo "$out" | grep -q ' 1(ofpa): addr:' || vs_die "port 1 missing"
	echo "$out" | grep -q ' 2(ofpb): addr:' || vs_die "port 2 missing"
	echo "$out" | grep -q ' LOCAL(ofbr): addr:' || vs_die "LOCAL missing"
	ofctl dump-desc "$MGMT" | grep -qx 'DP Description: ofbr' || vs_die "no DESC"
}

traffic_follows_flows_added_over_openflow() {
	vs_expect_fail ip netns exec ofa ping -c 1 -W 1 192.0.2.2
	ofctl add-flow "$MGMT" "priority=10,in_port=1,actions=output:2"
	ofctl add-flow "$MGMT" "priority=10,in_port=2,actions=output:1"
	ofctl dump-flows "$MGMT" | tee "$DIR/flows"
	grep -q 'priority=10,in_port=1 actions=output:2' "$DIR/flows" || vs_die "rule 1->2 not dumped"
	"$VSCTL" dump-flows ofbr | grep -q 'in_port=2 actions=output:1' ||
		vs_die "vswitchctl does not see the rule"
	ip netns exec ofa ping -c 3 -i 0.2 -W 5 192.0.2.2
	ofctl dump-flows "$MGMT" "in_port=1" | grep -Eq 'n_packets=[1-9]' ||
		vs_die "no packets counted on the OpenFlow rule"
	ofctl dump-aggregate "$MGMT" | grep -q 'flow_count=2' || vs_die "aggregate"
	ofctl dump-ports "$MGMT" 1 | grep -Eq 'rx pkts=[1-9]' || vs_die "no port stats"
}

# ovs-ofctl sends a barrier after the FLOW_MOD and returns on its reply:
# the very next packet must see the change, cached megaflow or not.
barrier_means_done_in_the_datapath() {
	ip netns exec ofa ping -c 2 -i 0.2 -W 5 192.0.2.2
	"$VSCTL" dump-dp-flows ofbr | grep -q '^in_port(1),.*actions:2$' ||
		vs_die "1->2 is not cached"
	ofctl add-flow "$MGMT" "priority=20,icmp,in_port=1,actions=drop"
	vs_expect_fail ip netns exec ofa ping -c 1 -W 1 192.0.2.2
	ofctl --strict del-flows "$MGMT" "priority=20,icmp,in_port=1"
	ip netns exec ofa ping -c 1 -W 5 192.0.2.2
}

errors_are_answered_and_the_channel_survives() {
	local out
	out=$(ofctl add-flow "$MGMT" "priority=5,metadata=1,actions=drop" 2>&1) &&
		vs_die "a metadata match was accepted"
	echo "$out"
	echo "$out" | grep -q OFPBMC_BAD_FIELD || vs_die "not OFPBMC_BAD_FIELD"
	out=$(ofctl add-flow "$MGMT" "priority=5,actions=group:1" 2>&1) &&
		vs_die "a group action was accepted"
	echo "$out" | grep -q OFPBAC_BAD_OUT_GROUP || vs_die "not OFPBAC_BAD_OUT_GROUP"
	ofctl dump-flows "$MGMT" | grep -q 'priority=5' && vs_die "a refused rule was added"
	ip netns exec ofa ping -c 1 -W 5 192.0.2.2
}

ptcp_target_serves_ovs_ofctl_and_persists() {
	"$VSCTL" set-controller ofbr ptcp:16653:127.0.0.1
	"$VSCTL" get-controller ofbr | grep -qx 'ptcp:16653:127.0.0.1' || vs_die "get-controller"
	vs_wait_for 10 sh -c "'$VSCTL' show ofbr | grep -q 'Controller \"ptcp:16653:127.0.0.1\": listening'"
	ofctl mod-flows "$TCP" "in_port=1,actions=output:2,output:LOCAL"
	ofctl dump-flows "$TCP" | grep -q 'in_port=1 actions=output:2,LOCAL' || vs_die "mod-flows over tcp"
	ip netns exec ofa ping -c 1 -W 5 192.0.2.2
	# the target and the rules survive a restart (rules changed over
	# OpenFlow are saved within a second)
	vs_wait_for 10 grep -q 'actions=output:2,LOCAL' "$DIR/state/state.conf"
	kill "$(cat "$DIR/pid")"
	vs_wait_for 10 sh -c "! kill -0 $(cat "$DIR/pid") 2>/dev/null"
	start_daemon
	vs_wait_for 10 sh -c "timeout 5 ovs-ofctl -O OpenFlow13 dump-flows $TCP | grep -q 'in_port=2 actions=output:1'"
	"$VSCTL" del-controller ofbr
	vs_wait_for 10 sh -c "! timeout 5 ovs-ofctl -O OpenFlow13 dump-flows $TCP"
	ofctl del-flows "$MGMT"
	ofctl dump-flows "$MGMT" | grep -q 'priority=' && vs_die "del-flows left rules"
	vs_expect_fail ip netns exec ofa ping -c 1 -W 1 192.0.2.2
}

run_case "setup: daemon, bridge, two namespaces" setup
run_case "ovs-ofctl show and dump-desc over the management socket" show_lists_the_ports
run_case "traffic follows flows added over OpenFlow; counters and port stats" \
	traffic_follows_flows_added_over_openflow
run_case "a barrier reply means the change is in the datapath" \
	barrier_means_done_in_the_datapath
run_case "refused requests get their error and the channel survives" \
	errors_are_answered_and_the_channel_survives
run_case "a ptcp target serves ovs-ofctl and persists across a restart" \
	ptcp_target_serves_ovs_ofctl_and_persists
vs_done
