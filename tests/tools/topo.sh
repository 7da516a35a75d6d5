# SPDX-License-Identifier: GPL-2.0
# topo.sh: build and tear down a small hypervisor for scripts/demo and the
# tests/guest/e2e_*.sh scenarios: a private vswitchd (own socket and state
# directory), "VMs" as network namespaces on veth pairs or on taps driven by
# tests/tools/tapvm. Source it from bash; every object it creates is
# recorded and removed by topo_cleanup, which callers run from their trap.
#
# Globals after topo_init: TOPO_DIR (scratch dir), VSWITCH_SOCKET (exported,
# vswitchctl uses it), VSWD, VSCTL, TAPVM (program paths).

TOPO_ROOT=${TOPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VSWD=${VSWD:-$TOPO_ROOT/build/vswitchd}
VSCTL=${VSCTL:-$TOPO_ROOT/build/vswitchctl}
TAPVM=${TAPVM:-$TOPO_ROOT/build/tools/tapvm}

TOPO_DIR=
TOPO_LAST_PID=
TOPO_NS=()
TOPO_LINKS=()
TOPO_PIDS=()
TOPO_BRIDGES=()
TOPO_VSWD_PID=

# topo_init NAME: a scratch directory for sockets, state, logs, captures.
topo_init() {
	TOPO_DIR=$(mktemp -d "/tmp/vsw-$1.XXXXXX") || return 1
	export VSWITCH_SOCKET=$TOPO_DIR/vswitchd.sock
}

# Builds tests/tools/tapvm into build/tools when missing or older than its
# source (the test tier has no build rule of its own for tools).
topo_build_tapvm() {
	local src=$TOPO_ROOT/tests/tools/tapvm.c
	[ -x "$TAPVM" ] && [ "$TAPVM" -nt "$src" ] && return 0
	mkdir -p "$(dirname "$TAPVM")" &&
		cc -O2 -Wall -Wextra -o "$TAPVM" "$src"
}

vsctl() {
	"$VSCTL" "$@"
}

# vswd_start [ARGS...]: start vswitchd in the foreground in the background,
# with this topology's socket and state dir; waits until it answers.
vswd_start() {
	mkdir -p "$TOPO_DIR/state"
	"$VSWD" --socket "$VSWITCH_SOCKET" --state-dir "$TOPO_DIR/state" \
		--log-level "${VSWD_LOG_LEVEL:-info}" "$@" \
		>>"$TOPO_DIR/vswitchd.log" 2>&1 &
	TOPO_VSWD_PID=$!
	local i
	for i in $(seq 1 100); do
		if ! kill -0 "$TOPO_VSWD_PID" 2>/dev/null; then
			echo "vswitchd exited at start; its log:" >&2
			tail -n 20 "$TOPO_DIR/vswitchd.log" >&2
			TOPO_VSWD_PID=
			return 1
		fi
		[ -S "$VSWITCH_SOCKET" ] && "$VSCTL" list-br >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "vswitchd did not answer on $VSWITCH_SOCKET within 10 s" >&2
	return 1
}

# vswd_kill [SIGNAL]: stop the daemon (default TERM) and reap it.
vswd_kill() {
	[ -n "$TOPO_VSWD_PID" ] || return 0
	kill "-${1:-TERM}" "$TOPO_VSWD_PID" 2>/dev/null
	wait "$TOPO_VSWD_PID" 2>/dev/null
	TOPO_VSWD_PID=
}

# add_br BR: create a bridge and remember to delete it.
add_br() {
	vsctl add-br "$1" || return 1
	TOPO_BRIDGES+=("$1")
}

# vm_ns NS: an empty namespace with loopback up.
vm_ns() {
	ip netns add "$1" || return 1
	TOPO_NS+=("$1")
	ip -n "$1" link set lo up
}

# vm_addr NS IFACE MAC IPV4/LEN [IPV6/LEN]: configure the guest NIC.
vm_addr() {
	local ns=$1 dev=$2 mac=$3 ip4=$4 ip6=${5:-}
	ip -n "$ns" link set "$dev" address "$mac" || return 1
	ip -n "$ns" addr add "$ip4" dev "$dev" || return 1
	if [ -n "$ip6" ]; then
		ip netns exec "$ns" sysctl -qw net.ipv6.conf."$dev".accept_dad=0
		ip -n "$ns" addr add "$ip6" dev "$dev" nodad || return 1
	fi
	ip -n "$ns" link set "$dev" up
}

# vm_veth NS PORT MAC IPV4/LEN [IPV6/LEN]: a VM on a veth pair; PORT is
# the host end (the switch port), eth0 the guest's NIC.
vm_veth() {
	local ns=$1 port=$2
	vm_ns "$ns" || return 1
	ip link add "$port" type veth peer name eth0 netns "$ns" || return 1
	TOPO_LINKS+=("$port")
	ip link set "$port" up
	vm_addr "$ns" eth0 "$3" "$4" "${5:-}"
}

# vm_port BR OFPORT NS PORT MAC IPV4/LEN [IPV6/LEN]: vm_veth, and its
# host end PORT added to BR as OpenFlow port OFPORT.
vm_port() {
	local br=$1 ofport=$2
	shift 2
	vm_veth "$@" && vsctl add-port "$br" "$2" ofport="$ofport"
}

# Hypervisors as namespaces thvN, each with its own vswitchd (datapaths
# are per namespace), socket $TOPO_DIR/hvN.sock, log $TOPO_DIR/hvN.log
# (tests/guest/e2e_tunnel*.sh).
HV_PIDS=()

# hv N CMD...: vswitchctl against hypervisor N.
hv() {
	local n=$1
	shift
	VSWITCH_SOCKET=$TOPO_DIR/hv$n.sock "$VSCTL" "$@"
}

# hv_start N: vswitchd inside namespace thvN; returns once it answers.
hv_start() {
	local n=$1 i
	mkdir -p "$TOPO_DIR/hv$n-state"
	ip netns exec "thv$n" "$VSWD" --socket "$TOPO_DIR/hv$n.sock" \
		--state-dir "$TOPO_DIR/hv$n-state" --log-level info \
		>>"$TOPO_DIR/hv$n.log" 2>&1 &
	HV_PIDS[n]=$!
	TOPO_PIDS+=("$!")
	for i in $(seq 1 100); do
		hv "$n" list-br >/dev/null 2>&1 && return 0
		kill -0 "${HV_PIDS[n]}" 2>/dev/null || break
		sleep 0.1
	done
	echo "vswitchd of hypervisor $n did not start:"
	tail -n 20 "$TOPO_DIR/hv$n.log"
	return 1
}

# hv_stop N: stop hypervisor N's vswitchd and reap it.
hv_stop() {
	kill "${HV_PIDS[$1]}" 2>/dev/null
	wait "${HV_PIDS[$1]}" 2>/dev/null
}

# vm_tap_start NS TAP MAC: (re)start the tapvm process driving TAP for NS.
vm_tap_start() {
	local ns=$1 tap=$2 mac=$3 i
	for i in $(seq 1 20); do	# a previous tapvm's NIC may still be going
		ip -n "$ns" link show eth0 >/dev/null 2>&1 || break
		sleep 0.1
	done
	"$TAPVM" --daemon --pidfile "$TOPO_DIR/tapvm-$tap.pid" --mac "$mac" \
		"$tap" "$ns" eth0 2>>"$TOPO_DIR/tapvm-$tap.log" || return 1
	TOPO_PIDS+=("$(cat "$TOPO_DIR/tapvm-$tap.pid")")
}

# vm_tap_stop TAP: the VM behind TAP powers off (its NIC disappears).
vm_tap_stop() {
	local f=$TOPO_DIR/tapvm-$1.pid
	[ -f "$f" ] || return 0
	kill "$(cat "$f")" 2>/dev/null
	rm -f "$f"
	sleep 0.2
}

# vm_tap NS TAP MAC IPV4/LEN [IPV6/LEN]: a VM on a tap, as QEMU gives one.
vm_tap() {
	local ns=$1 tap=$2 mac=$3
	topo_build_tapvm || return 1
	vm_ns "$ns" || return 1
	ip tuntap add dev "$tap" mode tap || return 1
	TOPO_LINKS+=("$tap")
	ip link set "$tap" up
	vm_tap_start "$ns" "$tap" "$mac" || return 1
	vm_addr "$ns" eth0 "$mac" "$4" "${5:-}"
}

# in_ns NS CMD...: run a command inside a VM.
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# ping_ok NS ADDR [COUNT]: true when ADDR answers from NS.
ping_ok() {
	in_ns "$1" ping -c "${3:-2}" -i 0.2 -W 2 "$2" >/dev/null 2>&1
}

# tcp_ok NS ADDR PORT: a 1 s iperf3 run from NS to ADDR:PORT connects.
tcp_ok() {
	in_ns "$1" iperf3 -c "$2" -p "$3" -t 1 --connect-timeout 1500 >/dev/null 2>&1
}

# iperf_server NS [PORT]: an iperf3 server in NS, killed at cleanup;
# returns once it listens (up to 10 s).
iperf_server() {
	local port=${2:-5201} i
	in_ns "$1" iperf3 -s -p "$port" >>"$TOPO_DIR/iperf3-server.log" 2>&1 &
	TOPO_PIDS+=("$!")
	for i in $(seq 1 100); do
		in_ns "$1" ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	echo "iperf3 server in $1 does not listen on $port" >&2
	return 1
}

# bg NS CMD...: any background process inside NS, killed at cleanup;
# its pid is left in TOPO_LAST_PID.
bg() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@" &
	TOPO_LAST_PID=$!
	TOPO_PIDS+=("$TOPO_LAST_PID")
}

topo_cleanup() {
	local x f
	for x in "${TOPO_PIDS[@]}"; do
		kill "$x" 2>/dev/null
	done
	for f in "$TOPO_DIR"/tapvm-*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	if [ -n "$TOPO_VSWD_PID" ]; then
		for x in "${TOPO_BRIDGES[@]}"; do
			"$VSCTL" del-br "$x" >/dev/null 2>&1
		done
		vswd_kill TERM
	fi
	for x in "${TOPO_LINKS[@]}"; do
		ip link del "$x" 2>/dev/null
	done
	for x in "${TOPO_NS[@]}"; do
		ip netns del "$x" 2>/dev/null
	done
	# A datapath outlives its daemon by design: remove leftovers directly.
	for x in "${TOPO_BRIDGES[@]}"; do
		ip link show "$x" >/dev/null 2>&1 && topo_del_dp "$x"
	done
	wait 2>/dev/null
	[ -n "$TOPO_DIR" ] && [ -d "$TOPO_DIR" ] && rm -rf "$TOPO_DIR"
	TOPO_PIDS=() TOPO_LINKS=() TOPO_NS=() TOPO_BRIDGES=()
}

# topo_del_dp BR: delete a datapath left in the kernel, through a fresh
# daemon on a throwaway state dir that adopts nothing but can del-br.
topo_del_dp() {
	local d
	d=$(mktemp -d /tmp/vsw-gc.XXXXXX) || return
	"$VSWD" --socket "$d/s" --state-dir "$d" >/dev/null 2>&1 &
	local pid=$! i
	for i in $(seq 1 30); do
		[ -S "$d/s" ] && break
		sleep 0.1
	done
	VSWITCH_SOCKET=$d/s "$VSCTL" add-br "$1" >/dev/null 2>&1
	VSWITCH_SOCKET=$d/s "$VSCTL" del-br "$1" >/dev/null 2>&1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -rf "$d"
}
