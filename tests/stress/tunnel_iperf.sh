#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bulk TCP across tunnels while the tunnel device comes and goes: the
# topology of tests/guest/e2e_tunnel.sh (two hypervisors on one underlay
# veth pair, a VM namespace behind each br0), then, for STRESS_SECONDS
# (default 300), round after round: replace tun0 on both hypervisors with
# the next type (vxlan, geneve, gre: the old kernel device is deleted
# with its last port, the new one created), ping until it answers, run
# iperf3 for STRESS_IPERF_SECONDS (default 2) one way and then the other.
# Every STRESS_REBUILD rounds (default 6) the whole topology is torn down
# and built again (namespaces, daemons, datapaths), as a test's
# teardown and the next test's setup would. Every other round swaps the
# tunnel under load: a background iperf3 (server port 5202) is still
# sending across the old device when it is deleted.
#
# Not part of make check (a soak, minutes long): make check-stress, or
#   nice -n 5 scripts/vm-run --timeout 900 --append softlockup_panic=1 \
#       -- bash tests/stress/tunnel_iperf.sh
# Prints one TAP line per round; a round fails when the tunnel does not
# carry a ping or iperf3 moves no data. A soft lockup or list corruption
# shows on the guest console (build/vm/console-NAME.log).
#
#   [ns tvm1 192.0.2.1]            [ns tvm2 192.0.2.2]
#        | veth                          | veth
#   +--- br0 (ns thv1) ---+        +--- br0 (ns thv2) ---+
#   | tvm1p   tun0 --------(vxlan | geneve | gre)-- tun0   tvm2p |
#   +---------------------+        +---------------------+
#        underlay thu1 198.51.100.1 <-veth-> thu2 198.51.100.2
. "$(dirname "$0")/../tools/e2e.sh"

SECONDS_TOTAL=${STRESS_SECONDS:-300}
IPERF_SECONDS=${STRESS_IPERF_SECONDS:-2}
REBUILD=${STRESS_REBUILD:-6}
UL1=198.51.100.1
UL2=198.51.100.2
TYPES=(vxlan geneve gre)
DEVS=(vsw-vxlan-4789 vsw-gnv-6081 vsw-gre)

e2e_begin stress_tunnel_iperf iperf3 ping

vm_on_hv() {
	local n=$1
	vm_ns "tvm$n" || return 1
	ip link add "tvm${n}p" netns "thv$n" type veth peer name eth0 \
		netns "tvm$n" || return 1
	ip -n "thv$n" link set "tvm${n}p" up &&
	ip -n "tvm$n" link set eth0 mtu 1400 &&
	vm_addr "tvm$n" eth0 "02:00:00:0d:00:0$n" "192.0.2.$n/24"
}

build() {
	must vm_ns thv1 && must vm_ns thv2 || return 1
	ip link add thu1 netns thv1 type veth peer name thu2 netns thv2 &&
	ip -n thv1 addr add $UL1/24 dev thu1 && ip -n thv1 link set thu1 up &&
	ip -n thv2 addr add $UL2/24 dev thu2 && ip -n thv2 link set thu2 up ||
		return 1
	must vm_on_hv 1 && must vm_on_hv 2 || return 1
	must hv_start 1 && must hv_start 2 || return 1
	must hv 1 add-br br0 && must hv 2 add-br br0 &&
	must hv 1 add-port br0 tvm1p ofport=1 &&
	must hv 2 add-port br0 tvm2p ofport=1 &&
	must iperf_server tvm2 && must iperf_server tvm2 5202
}

# Everything build() made goes: daemons, their datapaths, namespaces.
unbuild() {
	local n
	for n in 1 2; do
		hv "$n" del-br br0 >/dev/null 2>&1
		hv_stop "$n"
	done
	topo_cleanup
	topo_init stress_tunnel_iperf
}

# iperf TIMEOUT ARGS...: a bounded client run from tvm1; fails unless it
# moved data (the JSON's sum_received bytes).
iperf() {
	local out bytes
	out=$(timeout 30 ip netns exec tvm1 iperf3 -c 192.0.2.2 -J \
		-t "$IPERF_SECONDS" --connect-timeout 3000 "$@" 2>&1)
	bytes=$(echo "$out" | sed -n '/"sum_received"/,/}/s/.*"bytes":[[:space:]]*\([0-9]*\).*/\1/p' | head -n 1)
	[ "${bytes:-0}" -gt 0 ] || { echo "iperf3 $* moved nothing:"; echo "$out" | tail -n 5; return 1; }
	echo "iperf3 $*: $bytes bytes"
}

round() {		# round INDEX
	local i=$(($1 % ${#TYPES[@]})) k=$(($1 % 1000 + 1)) load=
	if [ $(($1 % 2)) = 1 ]; then
		timeout 20 ip netns exec tvm1 iperf3 -c 192.0.2.2 -p 5202 \
			-t 10 --connect-timeout 2000 >/dev/null 2>&1 &
		load=$!
		sleep 1
	fi
	hv 1 del-port br0 tun0 >/dev/null 2>&1
	hv 2 del-port br0 tun0 >/dev/null 2>&1
	must hv 1 add-port br0 tun0 ofport=10 type="${TYPES[i]}" \
		options:remote_ip=$UL2 options:key=$k &&
	must hv 2 add-port br0 tun0 ofport=10 type="${TYPES[i]}" \
		options:remote_ip=$UL1 options:key=$k || return 1
	ip -n thv1 link show "${DEVS[i]}" >/dev/null || return 1
	wait_for 10 ping_ok tvm1 192.0.2.2 1 || return 1
	iperf && iperf -R || return 1
	[ -z "$load" ] || wait "$load"
	return 0
}

e2e_setup build build
start=$(date +%s) r=0
while [ $(($(date +%s) - start)) -lt "$SECONDS_TOTAL" ] && [ -z "$E2E_BROKEN" ]; do
	if [ "$r" -gt 0 ] && [ $((r % REBUILD)) = 0 ]; then
		unbuild
		e2e_setup "rebuild_$r" build
	fi
	e2e_case "round_${r}_${TYPES[r % ${#TYPES[@]}]}" round "$r"
	sed -n 's/^\(iperf3 .*bytes\)$/# \1/p' "$TOPO_DIR/case.log"
	r=$((r + 1))
done
echo "# $r rounds in $(($(date +%s) - start)) s"
e2e_end
