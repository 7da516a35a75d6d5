#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 420
#
# Things disappear while packets flow through the switch: a port's device,
# a VM's namespace, the daemon (SIGKILL, then restarted under a TCP
# stream), the bridge, and finally the module itself with a datapath
# present (then loaded again: later tests need it). Each time the rest
# keeps forwarding or goes away cleanly. run-tests checks the kernel log
# after the script; on a kernel with kmemleak (make check-debug) the last
# case asserts that nothing of vswitch leaked.
#
#   ns lca  etha 192.0.2.1 --+                    +-- ethd 192.0.2.4  ns lcd
#   ns lcb  ethb 192.0.2.2 --+-1,2 [ lcbr ] 4,3 --+-- ethc 192.0.2.3  ns lcc
#                       (lcpa, lcpb)   (lcpc, lcpd: the host ends)
. "$(dirname "$0")/../lib.sh"

vs_require_root
vs_require_vswitch
vs_require_cmd ip ping iperf3 insmod rmmod
[ -x "$VSWD" ] && [ -x "$VSCTL" ] || vs_skip_all "build/vswitchd or build/vswitchctl not built"

vs_vswitchd_dir lifecycle
KMEMLEAK=/sys/kernel/debug/kmemleak

# flood NS ADDR SECONDS: pings every 10 ms in the background; its summary
# goes to $DIR/flood-NS.
flood() {
	ip netns exec "$1" ping -q -i 0.01 -w "$3" "$2" > "$DIR/flood-$1" 2>&1 &
	FLOOD_PID=$!
}

# flood_wait NS: waits for the flood (in this shell: it is our child) and
# sets FLOOD_GOT to its received count.
flood_wait() {
	wait "$FLOOD_PID" || true
	cat "$DIR/flood-$1"
	FLOOD_GOT=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$DIR/flood-$1")
	FLOOD_GOT=${FLOOD_GOT:-0}
}

reaches() {	# NS ADDR
	ip netns exec "$1" ping -c 1 -W 2 "$2" > /dev/null
}

port_listed() {	# PORT: shown by vswitchctl
	"$VSCTL" show | grep -qw "$1"
}

# PORT stays configured (as ovs-vsctl keeps it) with its device absent.
port_absent() {
	"$VSCTL" show | grep -A 1 -w "Port $1" | grep -q "interface: absent"
}

vm() {	# NAME LAST-OCTET
	vs_netns_add "lc$1"
	ip link add "lcp$1" type veth peer name "eth$1" netns "lc$1"
	vs_defer ip link del "lcp$1"
	ip -n "lc$1" addr add "192.0.2.$2/24" dev "eth$1"
	ip -n "lc$1" link set "eth$1" up
	ip link set "lcp$1" up
}

setup() {
	[ -d "$(dirname "$KMEMLEAK")" ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
	[ -w "$KMEMLEAK" ] && echo clear > "$KMEMLEAK"
	vs_vswitchd_start
	vm a 1
	vm b 2
	vm c 3
	vm d 4
	"$VSCTL" add-br lcbr
	vs_defer "$VSCTL" del-br lcbr
	"$VSCTL" add-port lcbr lcpa ofport=1
	"$VSCTL" add-port lcbr lcpb ofport=2
	"$VSCTL" add-port lcbr lcpc ofport=3
	"$VSCTL" add-port lcbr lcpd ofport=4
	vs_wait_for 20 reaches lca 192.0.2.4
	reaches lca 192.0.2.2
	reaches lca 192.0.2.3
}

port_device_deleted() {
	flood lca 192.0.2.2 6
	sleep 2
	ip link del lcpb
	echo "lcpb deleted"
	flood_wait lca
	[ "$FLOOD_GOT" -gt 0 ] || vs_die "no reply before the port went"
	vs_wait_for 10 port_absent lcpb
	reaches lca 192.0.2.4
	"$VSCTL" show
}

vm_namespace_deleted() {
	flood lca 192.0.2.3 6
	sleep 2
	ip netns del lcc	# takes c, and with it its peer lcpc
	echo "lcc deleted"
	flood_wait lca
	vs_wait_for 10 sh -c "! ip link show lcpc"
	vs_wait_for 10 port_absent lcpc
	reaches lca 192.0.2.4
}

daemon_killed_under_tcp_stream() {
	local out=$DIR/iperf.out
	ip netns exec lcd iperf3 -s -1 -D -p 5201
	sleep 0.5
	ip netns exec lca iperf3 -c 192.0.2.4 -t 8 -i 1 -f k > "$out" 2>&1 &
	local pid=$!
	sleep 2
	kill -KILL "$(cat "$DIR/pid")"
	echo "vswitchd killed"
	sleep 1
	vs_vswitchd_start
	echo "vswitchd restarted"
	wait "$pid" || { cat "$out"; vs_die "the TCP stream did not survive the restart"; }
	cat "$out"
	grep -q 'receiver' "$out" || vs_die "iperf3 did not finish"
	reaches lca 192.0.2.4
	port_listed lcpd || vs_die "lcpd lost across the restart"
}

bridge_deleted() {
	flood lca 192.0.2.4 6
	sleep 2
	"$VSCTL" del-br lcbr
	echo "lcbr deleted"
	flood_wait lca
	vs_expect_fail ip link show lcbr
	ip link show lcpa > /dev/null	# the ports' devices stay
	ip link show lcpd > /dev/null
	vs_expect_fail reaches lca 192.0.2.4
	"$VSCTL" show
}

module_unloaded_with_datapath() {
	local rc=0
	"$VSCTL" add-br lcbr
	"$VSCTL" add-port lcbr lcpa ofport=1
	"$VSCTL" add-port lcbr lcpd ofport=4
	vs_wait_for 20 reaches lca 192.0.2.4
	flood lca 192.0.2.4 6
	sleep 2
	rmmod vswitch || rc=$?
	echo "rmmod: status $rc"
	flood_wait lca
	# later tests need the module whatever happened
	grep -q '^vswitch ' /proc/modules || insmod "$VS_MODULE"
	[ $rc = 0 ] || vs_die "rmmod with a datapath present failed ($rc)"
	grep -q '^vswitch ' /proc/modules || vs_die "insmod after rmmod failed"
	ip link show lcpa > /dev/null
	vs_expect_fail ip link show lcbr
	# the daemon lives on; once restarted on the reloaded module it puts
	# its bridge back from its state
	kill -0 "$(cat "$DIR/pid")" || vs_die "vswitchd died with the module"
	kill "$(cat "$DIR/pid")"
	vs_wait_for 10 sh -c "! kill -0 $(cat "$DIR/pid") 2>/dev/null"
	vs_vswitchd_start
	vs_wait_for 20 reaches lca 192.0.2.4
}

nothing_leaked() {
	[ -w "$KMEMLEAK" ] || vs_skip_case "kernel without kmemleak (make check-debug has it)"
	"$VSCTL" del-br lcbr
	# unreferenced objects show after two scans, RCU frees after a grace period
	sleep 5
	echo scan > "$KMEMLEAK"
	sleep 5
	echo scan > "$KMEMLEAK"
	if grep -q vswitch "$KMEMLEAK"; then
		cat "$KMEMLEAK"
		vs_die "kmemleak reports objects leaked by vswitch"
	fi
}

run_case "setup: daemon, bridge, four VMs" setup
run_case "a port's device deleted under a ping flood" port_device_deleted
run_case "a VM namespace deleted under a ping flood" vm_namespace_deleted
run_case "vswitchd SIGKILLed and restarted: a TCP stream survives" \
	daemon_killed_under_tcp_stream
run_case "the bridge deleted under a ping flood" bridge_deleted
run_case "rmmod with a datapath present under traffic, then insmod" \
	module_unloaded_with_datapath
run_case "kmemleak: nothing of vswitch leaked" nothing_leaked
vs_done
