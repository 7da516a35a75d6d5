#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 240
# Patch ports join an integration bridge and a provider bridge.
#
#   +------- pbi0 (br-int) -------+       +------- pbe0 (br-ex) -------+
#   | 1 pvma (veth)  2 patch-ex ==|=======|== patch-int 2  1 pvmb (veth)|
#   +------|----------------------+       +--------------------------|--+
#        ns pvma 192.0.2.1                              ns pvmb 192.0.2.2
#
# NORMAL on both bridges (the default rule). Each bridge is a kernel
# datapath of its own, each end a kernel patch port (docs/tunnels.md,
# "Patch ports"): once the first packets made the megaflows, what crosses
# stays in the kernel, no upcall; a rule change in pbe0 applies, del-port
# of one end stops the crossing, re-adding it (and a daemon restart)
# brings it back.
. "$(dirname "$0")/../tools/e2e.sh"

e2e_begin patch ping ovs-ofctl

setup() {
	must add_br pbi0 &&
	must add_br pbe0 &&
	must vm_veth pvma pvmap 02:00:00:0d:00:01 192.0.2.1/24 &&
	must vm_veth pvmb pvmbp 02:00:00:0d:00:02 192.0.2.2/24 &&
	must vsctl add-port pbi0 pvmap ofport=1 &&
	must vsctl add-port pbe0 pvmbp ofport=1 &&
	must vsctl add-port pbi0 patch-ex ofport=2 type=patch options:peer=patch-int &&
	must vsctl add-port pbe0 patch-int ofport=2 type=patch options:peer=patch-ex
}

# within SECONDS: CMD... succeeds (polled; the clock, not a count of tries,
# bounds it, as each ping may take seconds)
within() {
	local limit=$1 end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && { echo "not true within ${limit}s: $*"; return 1; }
		sleep 0.5
	done
}

ping_ab() {
	ping_ok pvma 192.0.2.2 2 && ping_ok pvmb 192.0.2.1 2
}

no_ping() {
	! ping_ok pvma 192.0.2.2 1
}

show_patch() {
	local s
	s=$(vsctl show pbe0) || return 1
	echo "$s"
	contains "$s" "patch: peer=patch-ex \(bridge pbi0, another kernel datapath: kernel patch port\)"
}

ping_across() {
	local s
	within 20 ping_ab || { vsctl dump-dp-flows pbi0; vsctl dump-dp-flows pbe0; return 1; }
	# pbe0 learned VM A's MAC on its patch port, pbi0 VM B's on its own
	s=$(vsctl fdb-show pbe0) || return 1
	echo "$s"
	grep -i "02:00:00:0d:00:01" <<<"$s" | grep -Eqw "2|patch-int" || return 1
	s=$(vsctl fdb-show pbi0) || return 1
	echo "$s"
	grep -i "02:00:00:0d:00:02" <<<"$s" | grep -Eqw "2|patch-ex" || return 1
	s=$(vsctl show pbi0) || return 1
	echo "$s"
	contains "$s" "crossed: tx packets:[1-9][0-9]* bytes:[1-9][0-9]* dropped:0, rx packets:[1-9]"
}

# port_count BR PORT FIELD: a counter of PORT in dp-stats (FIELD: sent,
# rx or tx)
port_count() {
	vsctl dp-stats "$1" | grep -F "($2):" | grep -Eo "[ :]$3:[0-9]+" | cut -d: -f2
}

upcalls() {
	echo $(( $(port_count pbi0 pvmap sent) + $(port_count pbi0 patch-ex sent) +
		 $(port_count pbe0 pvmbp sent) + $(port_count pbe0 patch-int sent) ))
}

# Once the megaflows are there, crossing packets stay in the kernel:
# pbi0's megaflows end in an output to its kernel patch port (before the
# kernel patch ports they ended in a USERSPACE action and the daemon
# relayed each crossing packet), the kernel patch ports count every
# crossing (tx on one side, rx on the other), and misses are the
# exception: a megaflow expired and set up again (which a slow debug
# kernel's revalidator does several times in 20 pings) is one upcall for
# many packets, never one per packet.
crossing_stays_in_the_kernel() {
	local up0 up1 rx0 rx1 tx0 tx1 f
	within 20 ping_ab || return 1
	up0=$(upcalls) && rx0=$(port_count pbe0 patch-int rx) &&
		tx0=$(port_count pbi0 patch-ex tx) || return 1
	ping_ok pvma 192.0.2.2 20 || { echo "20 pings across failed"; return 1; }
	f=$(vsctl dump-dp-flows pbi0) || return 1
	up1=$(upcalls) && rx1=$(port_count pbe0 patch-int rx) &&
		tx1=$(port_count pbi0 patch-ex tx) || return 1
	echo "$f"; vsctl dp-stats pbi0; vsctl dp-stats pbe0
	echo "crossings pbi0->pbe0: tx +$((tx1 - tx0)), rx +$((rx1 - rx0)); upcalls +$((up1 - up0))"
	! grep -q userspace <<<"$f" || { echo "a megaflow of pbi0 goes to userspace"; return 1; }
	[ $((tx1 - tx0)) -ge 20 ] && [ $((rx1 - rx0)) -ge 20 ] || return 1
	[ $((up1 - up0)) -lt $((rx1 - rx0)) ] || { echo "crossing packets went to userspace"; return 1; }
}

# OpenFlow: PORT_DESC lists the patch port, LIVE; PORT_STATS counts what
# crossed it (the kernel patch port's: out, tx; in from the peer, rx)
openflow_ports() {
	local d s
	d=$(timeout 20 ovs-ofctl -O OpenFlow13 dump-ports-desc "unix:$TOPO_DIR/pbi0.mgmt") || return 1
	echo "$d"
	grep -A3 "2(patch-ex)" <<<"$d" | grep -q "state:.*LIVE" || { echo "patch-ex not LIVE"; return 1; }
	s=$(timeout 20 ovs-ofctl -O OpenFlow13 dump-ports "unix:$TOPO_DIR/pbi0.mgmt" 2) || return 1
	echo "$s"
	contains "$s" "rx pkts=[1-9]" && contains "$s" "tx pkts=[1-9]"
}

# The trace follows the packet into pbe0, but its Megaflow: and Datapath
# actions: are pbi0's: an output to the patch port (2), not pbe0's VM
# port (1, which is pbi0's input port: never in pbi0's actions)
trace_kernel() {
	local t
	t=$(vsctl trace pbi0 in_port=pvmap,dl_dst=02:00:00:0d:00:02) || return 1
	echo "$t"
	contains "$t" "patch port patch-ex to bridge\(\"pbe0\"\), another kernel datapath: output to kernel patch port 2; there, in_port=2" &&
	contains "$t" "^Datapath actions: 2$"
}

drop_rule_in_peer() {
	must vsctl add-flow pbe0 "priority=100,in_port=patch-int,ip,actions=drop" || return 1
	within 20 no_ping || return 1
	must vsctl del-flows pbe0 "in_port=patch-int,ip" || return 1
	within 20 ping_ab
}

del_port_stops_readd_restores() {
	local s
	must vsctl del-port pbe0 patch-int || return 1
	within 20 no_ping || return 1
	s=$(vsctl show pbi0) || return 1
	contains "$s" "error: \"peer 'patch-int' does not exist\"" || return 1
	must vsctl add-port pbe0 patch-int ofport=2 type=patch options:peer=patch-ex || return 1
	within 20 ping_ab
}

restart_keeps_it() {
	vswd_kill TERM
	vswd_start || return 1
	show_patch && within 20 ping_ab
}

e2e_setup "setup: two bridges joined by a patch pair, a VM on each" setup
e2e_case "show: the patch, its peer bridge and how it forwards" show_patch
e2e_case "ping across the patch through NORMAL on both bridges" ping_across
e2e_case "OpenFlow: the patch port in PORT_DESC and PORT_STATS" openflow_ports
e2e_case "crossing packets stay in the kernel: no upcalls once cached" crossing_stays_in_the_kernel
e2e_case "trace: the crossing into the peer bridge" trace_kernel
e2e_case "a drop rule in the peer bridge stops it, removing it restores" drop_rule_in_peer
e2e_case "del-port of one end stops it, add-port restores it" del_port_stops_readd_restores
e2e_case "a restarted daemon keeps the patch" restart_keeps_it
e2e_end
