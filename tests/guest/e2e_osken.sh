#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 480
#
# A real controller runs the bridge: os-ken (Debian's python3-os-ken)
# with our learning-switch app (osken_learning.py). The bridge starts
# with no rules; the app installs a table-miss rule that sends everything
# to it (PACKET_IN), floods or forwards each frame itself (PACKET_OUT)
# and installs a rule per learned destination (FLOW_MOD). Two namespaces
# resolve each other's MAC and ping through it; then the pings keep
# going on the rules alone, in the kernel.
#
# Then a second bridge, okbr2, joins as a second host (a veth link
# between port 3 of okbr and port 2 of okbr2, a third namespace on
# okbr2), both in fail_mode secure under the same controller; va pings
# vc across both. The controller dies: the rules it learned keep
# forwarding, a new conversation (vb to vc) is dropped. It comes back:
# both bridges reconnect and learning resumes (vb reaches vc).
#
#   ns oka               +-------- okbr --------+              ns okb
#   va 192.0.2.11 ------ | 1 okpa       2 okpb  | ------ vb 192.0.2.12
#                        +----------+-----------+
#                                   | tcp:127.0.0.1:16655
#                         osken-manager osken_learning.py
. "$(dirname "$0")/../lib.sh"

vs_require_root
vs_require_vswitch
vs_require_cmd ip ping ss osken-manager
[ -x "$VSWD" ] && [ -x "$VSCTL" ] || vs_skip_all "build/vswitchd or build/vswitchctl not built"

DIR=$(mktemp -d /tmp/vsw-osken.XXXXXX)
: > "$DIR/timings"
export VSWITCH_SOCKET=$DIR/sock
PORT=16655
vs_defer rm -rf "$DIR"

# os-ken takes most of a minute to start under TCG (python imports): it
# starts first, and the bridge is set up meanwhile. Eventlet's green DNS
# (dnspython, a third of the imports) is not needed to listen on an
# address.
launch_osken() {	# OUTPUT-FILE
	EVENTLET_NO_GREENDNS=yes osken-manager --ofp-listen-host 127.0.0.1 \
		--ofp-tcp-listen-port $PORT \
		"$VS_ROOT/tests/guest/osken_learning.py" > "$1" 2>&1 &
	echo $! > "$DIR/osken.pid"
	date +%s > "$DIR/osken.t0"
}

start_osken() {
	launch_osken "$DIR/osken.out"
	vs_defer sh -c "kill \$(cat '$DIR/osken.pid') 2>/dev/null"
}

# SECONDS WHAT CMD...: CMD within SECONDS (times VSW_TIMEOUT_SCALE: on
# the debug kernel os-ken's imports alone take over two minutes), else
# os-ken's output
osken_wait() {
	local limit=$(($1 * ${VSW_TIMEOUT_SCALE:-1})) what=$2
	local end=$((SECONDS + limit))
	shift 2
	until "$@" > /dev/null 2>&1; do
		if [ $SECONDS -ge $end ]; then
			cat "$DIR/osken.out"
			vs_die "$what: not within ${limit}s"
		fi
		sleep 0.2
	done
}

setup() {
	"$VSWD" --state-dir "$DIR/state" --socket "$VSWITCH_SOCKET" \
		--rundir "$DIR/run" --pidfile "$DIR/pid" --detach \
		--log-level info 2>>"$DIR/log" ||
		vs_die "vswitchd did not start: $(cat "$DIR/log")"
	vs_defer sh -c "kill \$(cat '$DIR/pid')"
	for ns in oka okb; do
		vs_netns_add $ns
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip netns exec $ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	done
	ip link add okpa type veth peer name va netns oka
	vs_defer ip link del okpa
	ip link add okpb type veth peer name vb netns okb
	vs_defer ip link del okpb
	ip -n oka addr add 192.0.2.11/24 dev va
	ip -n okb addr add 192.0.2.12/24 dev vb
	"$VSCTL" add-br okbr
	vs_defer "$VSCTL" del-br okbr
	"$VSCTL" add-port okbr okpa ofport=1
	"$VSCTL" add-port okbr okpb ofport=2
	"$VSCTL" del-flows okbr
	ip link set okpa up
	ip link set okpb up
	ip -n oka link set va up
	ip -n okb link set vb up
	vs_wait_for 10 sh -c "'$VSCTL' show okbr | grep -c 'interface: attached' | grep -qx 2"
}

no_rule_no_traffic() {
	! ip netns exec oka ping -c 1 -W 1 192.0.2.12 > /dev/null ||
		vs_die "traffic passed a bridge without rules"
}

osken_takes_over() {
	local t0
	t0=$(cat "$DIR/osken.t0")
	osken_wait 120 "os-ken listening" sh -c "ss -ltn | grep -q 127.0.0.1:$PORT"
	echo "os-ken listening $(($(date +%s) - t0)) s after its start" | tee -a "$DIR/timings"
	"$VSCTL" set-controller okbr tcp:127.0.0.1:$PORT
	osken_wait 30 "os-ken connected" grep -q '^connected dpid=' "$DIR/osken.out"
	echo "connected $(($(date +%s) - t0)) s after its start" | tee -a "$DIR/timings"
	vs_wait_for 10 sh -c "'$VSCTL' dump-flows okbr | grep -q 'priority=0.*CONTROLLER:65535'"
	"$VSCTL" dump-flows okbr
}

ping_through_the_controller() {
	local t0=$SECONDS
	# the first ping waits for ARP and a few controller round trips
	osken_wait 30 "first ping" ip netns exec oka ping -c 1 -W 2 192.0.2.12
	echo "first ping after $((SECONDS - t0)) s" | tee -a "$DIR/timings"
	ip netns exec okb ping -c 2 -W 2 192.0.2.11
	cat "$DIR/osken.out"
	# a table-miss PACKET_IN: reason NO_MATCH, table 0, the rule's cookie,
	# the whole frame (max_len NO_BUFFER), the port it came in on
	grep -q 'packet_in .*reason=0 table=0 cookie=0x7ab1e in_port=1 .*dst=ff:ff:ff:ff:ff:ff' \
		"$DIR/osken.out" || vs_die "no table-miss PACKET_IN of the ARP request from port 1"
	grep -Eq 'packet_in .*in_port=2 len=([0-9]+) total=\1 ' "$DIR/osken.out" ||
		vs_die "no whole frame from port 2"
	grep -q '^rule .*in_port=1 .*port=2' "$DIR/osken.out" || vs_die "no rule learned 1 -> 2"
	grep -q '^rule .*in_port=2 .*port=1' "$DIR/osken.out" || vs_die "no rule learned 2 -> 1"
}

learned_rules_forward_in_the_kernel() {
	local before after flows
	before=$(grep -c '^packet_in' "$DIR/osken.out")
	ip netns exec oka ping -c 5 -i 0.2 -W 2 192.0.2.12
	flows=$("$VSCTL" dump-flows okbr)
	echo "$flows"
	after=$(grep -c '^packet_in' "$DIR/osken.out")
	echo "PACKET_INs: $before before, $after after"
	# the echo requests and replies match the learned rules: none of them
	# reaches the controller (an ARP refresh may)
	[ $((after - before)) -le 2 ] || vs_die "pings still go to the controller"
	echo "$flows" | grep 'priority=10,in_port=1' | grep -Eq 'n_packets=([5-9]|[1-9][0-9])' ||
		vs_die "the learned rule did not count the pings"
}

run_case "os-ken starts" start_osken
run_case "setup: daemon, bridge without rules, two namespaces" setup
run_case "without a controller and rules nothing passes" no_rule_no_traffic
run_case "os-ken connects and installs its table-miss rule" osken_takes_over
run_case "the namespaces ping through PACKET_IN and PACKET_OUT" ping_through_the_controller
run_case "learned rules forward the next pings in the kernel" \
	learned_rules_forward_in_the_kernel
port_changes_reach_the_controller() {
	# reason 0 ADD, 1 DELETE, 2 MODIFY; state bit 0 LINK_DOWN, bit 2 LIVE
	ip link set okpb down
	osken_wait 10 "link down" grep -q 'port_status .*reason=2 port=2 name=okpb state=1$' "$DIR/osken.out"
	ip link set okpb up
	osken_wait 10 "link up" grep -q 'port_status .*reason=2 port=2 name=okpb state=4$' "$DIR/osken.out"
	ip link add okpc type veth peer name okpc-peer
	vs_defer ip link del okpc
	"$VSCTL" add-port okbr okpc ofport=7
	osken_wait 10 "port added" grep -q 'port_status .*reason=0 port=7 name=okpc ' "$DIR/osken.out"
	"$VSCTL" del-port okbr okpc
	osken_wait 10 "port deleted" grep -q 'port_status .*reason=1 port=7 name=okpc ' "$DIR/osken.out"
	grep port_status "$DIR/osken.out"
}

run_case "port changes reach the controller as PORT_STATUS" \
	port_changes_reach_the_controller
# ctl_state BR: the state `show` gives BR's controller connection
ctl_state() {
	"$VSCTL" show "$1" | sed -n 's/^ *Controller "tcp:127.0.0.1:'$PORT'": *//p'
}

both_connected() {
	[ "$(ctl_state okbr)" = connected ] && [ "$(ctl_state okbr2)" = connected ]
}

neither_connected() {
	[ "$(ctl_state okbr)" != connected ] && [ "$(ctl_state okbr2)" != connected ]
}

second_host_joins() {
	local t0=$SECONDS
	vs_netns_add okc
	ip netns exec okc sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec okc sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip link add okpd type veth peer name vc netns okc
	vs_defer ip link del okpd
	ip link add okl1 type veth peer name okl2
	vs_defer ip link del okl1
	ip -n okc addr add 192.0.2.13/24 dev vc
	"$VSCTL" add-br okbr2
	vs_defer "$VSCTL" del-br okbr2
	"$VSCTL" add-port okbr2 okpd ofport=1
	"$VSCTL" add-port okbr2 okl2 ofport=2
	"$VSCTL" add-port okbr okl1 ofport=3
	"$VSCTL" del-flows okbr2
	for l in okpd okl1 okl2; do ip link set $l up; done
	ip -n okc link set vc up
	"$VSCTL" set-fail-mode okbr secure
	"$VSCTL" set-fail-mode okbr2 secure
	[ "$("$VSCTL" get-fail-mode okbr2)" = secure ] || vs_die "fail mode not secure"
	"$VSCTL" set-controller okbr2 tcp:127.0.0.1:$PORT
	osken_wait 30 "okbr2 connected" sh -c "[ \$(grep -c '^connected dpid=' '$DIR/osken.out') -ge 2 ]"
	osken_wait 30 "va to vc across both bridges" ip netns exec oka ping -c 1 -W 2 192.0.2.13
	ip netns exec oka ping -c 3 -i 0.2 -W 2 192.0.2.13 ||
		vs_die "va to vc: pings lost after learning"
	grep -q '^rule .*in_port=3 .*port=1' "$DIR/osken.out" ||
		vs_die "okbr learned nothing from its link port"
	echo "va reached vc after $((SECONDS - t0)) s" | tee -a "$DIR/timings"
}

controller_dies_cached_flows_forward() {
	kill "$(cat "$DIR/osken.pid")"
	vs_wait_for 20 sh -c "! kill -0 $(cat "$DIR/osken.pid") 2>/dev/null"
	vs_wait_for 20 neither_connected
	echo "okbr: $(ctl_state okbr); okbr2: $(ctl_state okbr2)"
	# what the controller learned stays in the tables and forwards
	ip netns exec oka ping -c 5 -i 0.2 -W 2 192.0.2.13 ||
		vs_die "the learned rules stopped forwarding without the controller"
	# a new conversation needs the controller: secure drops its misses
	! ip netns exec okb ping -c 2 -W 1 192.0.2.13 > /dev/null ||
		vs_die "vb reached vc without a controller in secure mode"
	"$VSCTL" dump-flows okbr2 | grep -q 'priority=0.*CONTROLLER:65535' ||
		vs_die "the table-miss rule went with the controller"
}

controller_returns_learning_resumes() {
	local t0=$SECONDS
	launch_osken "$DIR/osken2.out"
	osken_wait 120 "os-ken listening again" sh -c "ss -ltn | grep -q 127.0.0.1:$PORT"
	# active connections retry with a backoff of at most 8 s
	osken_wait 40 "both bridges reconnected" sh -c "[ \$(grep -c '^connected dpid=' '$DIR/osken2.out') -ge 2 ]"
	vs_wait_for 10 both_connected
	echo "reconnected $((SECONDS - t0)) s after the restart" | tee -a "$DIR/timings"
	osken_wait 30 "vb to vc through the new controller" ip netns exec okb ping -c 1 -W 2 192.0.2.13
	cat "$DIR/osken2.out"
	grep -q '^packet_in .*src=' "$DIR/osken2.out" || vs_die "no PACKET_IN reached the new controller"
	grep -q '^rule ' "$DIR/osken2.out" || vs_die "the new controller learned no rule"
}

run_case "a second host (okbr2) joins under the same controller, fail_mode secure" \
	second_host_joins
run_case "the controller dies: learned rules forward, new conversations drop" \
	controller_dies_cached_flows_forward
run_case "the controller returns: both bridges reconnect, learning resumes" \
	controller_returns_learning_resumes
while read -r line; do vs_log "$line"; done < "$DIR/timings"
vs_done
