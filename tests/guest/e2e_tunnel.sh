#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 240
# Two hypervisors joined by a tunnel: each is a network namespace with its
# own vswitchd and bridge (datapaths are per namespace), both on one
# underlay veth pair; a "VM" namespace hangs off each bridge. The VMs ping
# each other across vxlan, geneve and gre tunnel ports (Open vSwitch and
# Linux at the other end: e2e_tunnel_interop.sh), a port with
# another key reaches nobody, the shared kernel device comes and goes
# with its ports, bad tunnel options are refused with nothing left
# behind, and a restarted daemon reads its tunnel ports back.
#
#   [ns tvm1 192.0.2.1]            [ns tvm2 192.0.2.2]
#        | veth                          | veth
#   +--- br0 (ns thv1) ---+        +--- br0 (ns thv2) ---+
#   | tvm1p   tun0 --------(vsw-vxlan-4789 ...)-- tun0   tvm2p |
#   +---------------------+        +---------------------+
#        underlay thu1 198.51.100.1 <-veth-> thu2 198.51.100.2
. "$(dirname "$0")/../tools/e2e.sh"

e2e_begin tunnel ping

UL1=198.51.100.1
UL2=198.51.100.2
UL1_6=2001:db8:7::1
UL2_6=2001:db8:7::2
# A VM namespace tvmN behind port tvmNp of hypervisor thvN's br0.
vm_on_hv() {
	local n=$1
	vm_ns "tvm$n" || return 1
	ip link add "tvm${n}p" netns "thv$n" type veth peer name eth0 \
		netns "tvm$n" || return 1
	ip -n "thv$n" link set "tvm${n}p" up &&
	ip -n "tvm$n" link set eth0 mtu 1400 &&
	vm_addr "tvm$n" eth0 "02:00:00:0d:00:0$n" "192.0.2.$n/24"
}

setup() {
	must vm_ns thv1 && must vm_ns thv2 || return 1
	ip link add thu1 netns thv1 type veth peer name thu2 netns thv2 &&
	ip -n thv1 addr add $UL1/24 dev thu1 && ip -n thv1 link set thu1 up &&
	ip -n thv2 addr add $UL2/24 dev thu2 && ip -n thv2 link set thu2 up ||
		return 1
	ip -n thv1 addr add $UL1_6/64 dev thu1 nodad &&
	ip -n thv2 addr add $UL2_6/64 dev thu2 nodad || return 1
	must vm_on_hv 1 && must vm_on_hv 2 || return 1
	must hv_start 1 && must hv_start 2 || return 1
	must hv 1 add-br br0 && must hv 2 add-br br0 &&
	must hv 1 add-port br0 tvm1p ofport=1 &&
	must hv 2 add-port br0 tvm2p ofport=1
}

dev_exists() {		# dev_exists N NAME
	ip -n "thv$1" link show "$2" >/dev/null 2>&1
}

# tunnel TYPE DEVICE KEY1 KEY2 [OPTS...]: tun0 on each side, with keys
# KEY1 (hypervisor 1) and KEY2; checks the shared device exists.
tunnel() {
	local type=$1 dev=$2 k1=$3 k2=$4
	shift 4
	hv 1 del-port br0 tun0 >/dev/null 2>&1
	hv 2 del-port br0 tun0 >/dev/null 2>&1
	must hv 1 add-port br0 tun0 ofport=10 type="$type" \
		options:remote_ip=$UL2 options:key="$k1" "$@" &&
	must hv 2 add-port br0 tun0 ofport=10 type="$type" \
		options:remote_ip=$UL1 options:key="$k2" "$@" &&
	must dev_exists 1 "$dev" && must dev_exists 2 "$dev"
}

ping_across() {		# ping_across TYPE DEVICE [OPTS...]
	local type=$1 dev=$2
	shift 2
	tunnel "$type" "$dev" 100 100 "$@" || return 1
	wait_for 10 ping_ok tvm1 192.0.2.2 1 || {
		hv 1 show; hv 1 dump-dp-flows br0; hv 2 dump-dp-flows br0
		return 1; }
	must ping_ok tvm2 192.0.2.1 3
}

ipv6_underlay() {	# ipv6_underlay TYPE DEVICE
	hv 1 del-port br0 tun0 >/dev/null 2>&1
	hv 2 del-port br0 tun0 >/dev/null 2>&1
	must hv 1 add-port br0 tun0 type="$1" options:remote_ip=$UL2_6 \
		options:key=600 &&
	must hv 2 add-port br0 tun0 type="$1" options:remote_ip=$UL1_6 \
		options:key=600 &&
	must dev_exists 1 "$2" || return 1
	wait_for 10 ping_ok tvm1 192.0.2.2 1 || {
		hv 1 show; hv 1 dump-dp-flows br0; hv 2 dump-dp-flows br0
		return 1; }
	must ping_ok tvm2 192.0.2.1 3 &&
	contains "$(hv 1 dump-dp-flows br0)" "ipv6_dst=$UL2_6"
}

# remote_ip=flow and key=flow on hypervisor 1: its rules choose the
# remote and the key, and match what comes back on them (and that it
# came with a key: tun_flags, in the megaflow too).
RULES1='table=0,priority=100,in_port=1,actions=set_field:198.51.100.2->tun_dst,set_tunnel:500,output:10
table=0,priority=100,in_port=10,tun_id=500,tun_src=198.51.100.2,tun_flags=+key,actions=output:1
table=0,priority=90,in_port=10,actions=drop'

rules_choose_the_tunnel() {
	local d t
	hv 1 del-port br0 tun0 >/dev/null 2>&1
	hv 2 del-port br0 tun0 >/dev/null 2>&1
	must hv 1 add-port br0 tun0 ofport=10 type=vxlan \
		options:remote_ip=flow options:key=flow &&
	must hv 2 add-port br0 tun0 ofport=10 type=vxlan \
		options:remote_ip=$UL1 options:key=500 &&
	echo "$RULES1" | must hv 1 add-flows br0 - || return 1
	wait_for 10 ping_ok tvm1 192.0.2.2 1 || {
		hv 1 dump-flows br0; hv 1 dump-dp-flows br0; return 1; }
	d=$(hv 1 dump-dp-flows br0)
	echo "$d"
	contains "$d" 'set\(tunnel\(tun_id=0x1f4,.*dst=198\.51\.100\.2' &&
	contains "$d" 'tunnel\(tun_id=0x1f4,src=198\.51\.100\.2,flags\(\+key\)\),in_port' ||
		return 1
	t=$(hv 1 trace br0 "in_port=tun0,tun_id=500,tun_src=$UL2,tun_flags=+key-df-csum,icmp,nw_src=192.0.2.2,nw_dst=192.0.2.1")
	echo "$t"
	contains "$t" 'tun_id=500|tun_id=0x1f4' && contains "$t" 'output:1' ||
		return 1
	# another key from the same remote: the priority 90 rule drops it
	t=$(hv 1 trace br0 "in_port=tun0,tun_id=501,tun_src=$UL2,icmp")
	echo "$t"
	contains "$t" 'drop' || return 1
	must hv 1 del-flows br0 &&
	must hv 1 add-flow br0 'table=0,priority=0,actions=NORMAL'
}

megaflows_match_the_tunnel() {
	local d1 d2
	tunnel vxlan vsw-vxlan-4789 100 100 || return 1
	must ping_ok tvm1 192.0.2.2 3 || return 1
	d1=$(hv 1 dump-dp-flows br0) d2=$(hv 2 dump-dp-flows br0)
	echo "$d1"; echo "$d2"
	# hypervisor 1 encapsulates toward 2 with key 100 ...
	contains "$d1" 'set\(tunnel\(tun_id=0x64,.*dst=198\.51\.100\.2' &&
	# ... and hypervisor 2 matches the packets it decapsulates on them
	contains "$d2" "tunnel\\(tun_id=0x64,src=$UL1\\),in_port"
}

unmatched() {		# unmatched N: packets no tunnel port of hv N took
	hv "$1" dp-stats br0 | sed -n 's/.*tunnel-unmatched: \([0-9]*\).*/\1/p'
}
unmatched_above() { [ "$(unmatched 2)" -gt "$1" ]; }

another_key_reaches_nobody() {
	local u0
	tunnel vxlan vsw-vxlan-4789 100 200 || return 1
	u0=$(unmatched 2)
	must_not ping_ok tvm1 192.0.2.2 2 &&
	must_not ping_ok tvm2 192.0.2.1 2 || return 1
	# hypervisor 2 was sent key 100 and has a port for 200 only: counted
	# (by its upcall, or by its megaflow, which the revalidator reads)
	wait_for 5 unmatched_above "${u0:-0}" ||
		{ echo "hypervisor 2: tunnel-unmatched $u0 -> $(unmatched 2)"; return 1; }
	# the same keys again: traffic flows
	tunnel vxlan vsw-vxlan-4789 200 200 &&
	wait_for 10 ping_ok tvm1 192.0.2.2 1
}

device_goes_with_last_port() {
	tunnel gre vsw-gre 7 7 || return 1
	must hv 1 del-port br0 tun0 || return 1
	must_not dev_exists 1 vsw-gre || return 1
	hv 1 show | grep -q tun0 && { echo "tun0 still shown"; return 1; }
	return 0
}

refused() {		# refused PATTERN ARGS...: add-port fails naming it
	local pat=$1 e
	shift
	e=$(hv 1 add-port br0 bad0 "$@" 2>&1) && {
		echo "accepted: add-port br0 bad0 $*"; return 1; }
	contains "$e" "$pat"
}

bad_options_are_refused() {
	hv 1 del-port br0 tun0 >/dev/null 2>&1
	refused "unknown port type 'vxlan6'" type=vxlan6 \
		options:remote_ip=$UL2 &&
	refused "unknown tunnel option 'remote'" type=vxlan \
		options:remote=$UL2 &&
	refused "invalid value '198.51.100.300' for options:remote_ip" \
		type=vxlan options:remote_ip=198.51.100.300 &&
	refused "options:key=16777216 out of range for vxlan" type=vxlan \
		options:remote_ip=$UL2 options:key=16777216 &&
	refused "invalid value '4294967296' for options:key" type=gre \
		options:remote_ip=$UL2 options:key=4294967296 &&
	refused "needs options:remote_ip" type=geneve options:key=5 &&
	refused "options:... are for tunnel ports" options:key=5 &&
	refused "dst_port is for vxlan and geneve" type=gre \
		options:remote_ip=$UL2 options:dst_port=5000 &&
	refused "type=gre with an IPv6 remote_ip is not supported" type=gre \
		options:remote_ip=$UL2_6 &&
	refused "options:tos=inherit is not supported: want 0..255" \
		type=vxlan options:remote_ip=$UL2 options:tos=inherit &&
	refused "options:local_ip=flow is not supported" type=geneve \
		options:remote_ip=$UL2 options:local_ip=flow &&
	refused "tunnel option 'in_key' is not supported" type=gre \
		options:remote_ip=$UL2 options:in_key=5 &&
	refused "unknown port option 'colour=red'" colour=red || return 1
	# nothing half-made: no port, no device
	hv 1 show | grep -q bad0 && { echo "bad0 was added"; return 1; }
	if ip -n thv1 -o link show | grep -q 'vsw-'; then
		echo "a tunnel device was left:"
		ip -n thv1 -o link show
		return 1
	fi
	return 0
}

restart_reads_tunnels_back() {
	local s
	tunnel geneve vsw-gnv-6081 300 300 || return 1
	must wait_for 10 ping_ok tvm1 192.0.2.2 1 || return 1
	hv_stop 1
	must hv_start 1 || return 1
	s=$(hv 1 show)
	echo "$s"
	contains "$s" 'tunnel: type=geneve options:remote_ip=198.51.100.2 options:key=300' &&
	contains "$s" 'datapath port' &&
	must wait_for 10 ping_ok tvm1 192.0.2.2 1 &&
	must ping_ok tvm2 192.0.2.1 2
}

e2e_setup two_hypervisors setup
e2e_case ping_across_vxlan ping_across vxlan vsw-vxlan-4789
e2e_case ping_across_geneve ping_across geneve vsw-gnv-6081
e2e_case ping_across_gre ping_across gre vsw-gre
e2e_case ping_across_vxlan_other_udp_port ping_across vxlan \
	vsw-vxlan-4790 options:dst_port=4790
e2e_case ping_across_vxlan_ipv6_underlay ipv6_underlay vxlan vsw-vxlan-4789
e2e_case ping_across_geneve_ipv6_underlay ipv6_underlay geneve vsw-gnv-6081
e2e_case megaflows_match_the_tunnel megaflows_match_the_tunnel
e2e_case another_key_reaches_nobody another_key_reaches_nobody
e2e_case device_goes_with_last_port device_goes_with_last_port
e2e_case rules_choose_the_tunnel rules_choose_the_tunnel
e2e_case bad_options_are_refused bad_options_are_refused
e2e_case restart_reads_tunnels_back restart_reads_tunnels_back
e2e_end
