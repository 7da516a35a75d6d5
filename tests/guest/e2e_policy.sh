#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 420
# Policy on the fast path: an L4 ACL, a multi-table pipeline (also with
# state in a register), VLAN access
# and trunk ports, header rewrites checked with a capture on the receiver.
#
#   +---------------------- pol0 ----------------------+
#   | 1 pol1p (veth)   2 pol2p (veth)   3 pol3t (tap)  |
#   +-----|----------------|----------------|----------+
#     ns pol1 10.0.2.1  ns pol2 10.0.2.2  ns pol3 10.0.2.3
#
#   +------------------------- vln0 -------------------------+
#   | 1 vl1p tag=10   2 vl2p tag=10   3 vl3p tag=20           |
#   | 4 vl4p trunks=10,20                                     |
#   +---|---------------|---------------|---------------|-----+
#     vl1 10.0.10.1   vl2 10.0.10.2   vl3 10.0.10.3     vl4: eth0.10 10.0.10.4
#                                         10.0.20.3          eth0.20 10.0.20.4
. "$(dirname "$0")/../tools/e2e.sh"

e2e_begin policy iperf3 ping tcpdump

setup() {
	must add_br pol0 &&
	must vm_veth pol1 pol1p 02:00:00:02:00:01 10.0.2.1/24 &&
	must vm_veth pol2 pol2p 02:00:00:02:00:02 10.0.2.2/24 &&
	must vm_tap pol3 pol3t 02:00:00:02:00:03 10.0.2.3/24 &&
	must vsctl add-port pol0 pol1p ofport=1 &&
	must vsctl add-port pol0 pol2p ofport=2 &&
	must vsctl add-port pol0 pol3t ofport=3 &&
	iperf_server pol2 22 && iperf_server pol2 5201
}

flows() {
	must vsctl del-flows pol0 && must vsctl add-flows pol0 -
}

tcp_to() {		# tcp_to NS ADDR PORT: a 1 s iperf3 run connects
	in_ns "$1" iperf3 -c "$2" -p "$3" -t 1 --connect-timeout 1500 >/dev/null 2>&1
}

acl() {
	flows <<-'F' || return 1
	priority=100,tcp,tp_dst=22,actions=drop
	priority=0,actions=NORMAL
	F
	must ping_ok pol1 10.0.2.2 &&
	must tcp_to pol1 10.0.2.2 5201 &&
	must_not tcp_to pol1 10.0.2.2 22 &&
	must_not tcp_to pol3 10.0.2.2 22 || return 1
	# the drop rule counted the refused SYNs (pushed from the kernel)
	local d n
	sleep 1.2
	d=$(vsctl dump-flows pol0)
	n=$(rule_packets "$d" "tp_dst=22")
	[ "${n:-0}" -gt 0 ] || { echo "drop rule n_packets=${n:-?}"; echo "$d"; return 1; }
}

pipeline() {
	flows <<-'F' || return 1
	# table 0 classifies, table 1 is the ACL, tables 2-3 forward
	table=0,priority=100,ip,actions=goto_table:1
	table=0,priority=100,arp,actions=resubmit(,2)
	table=0,priority=0,actions=drop
	table=1,priority=200,tcp,tp_dst=22,actions=drop
	table=1,priority=200,icmp,nw_src=10.0.2.3,actions=drop
	table=1,priority=0,actions=goto_table:2
	table=2,priority=0,actions=resubmit(,3)
	table=3,priority=0,actions=NORMAL
	F
	must ping_ok pol1 10.0.2.2 &&
	must ping_ok pol2 10.0.2.1 &&
	must_not ping_ok pol3 10.0.2.1 &&
	must_not ping_ok pol1 10.0.2.3 &&
	must tcp_to pol1 10.0.2.2 5201 &&
	must_not tcp_to pol1 10.0.2.2 22
}

pipeline_trace() {
	local t
	t=$(vsctl trace pol0 in_port=1,icmp,dl_src=02:00:00:02:00:01,dl_dst=02:00:00:02:00:02,nw_src=10.0.2.1,nw_dst=10.0.2.2) || return 1
	echo "$t"
	contains "$t" '^ *0\. ' && contains "$t" '^ *1\. ' &&
	contains "$t" '^ *2\. ' && contains "$t" '^ *3\. ' &&
	contains "$t" 'Datapath actions: .*2' && contains "$t" 'Megaflow:' || return 1
	t=$(vsctl trace pol0 in_port=1,tcp,nw_src=10.0.2.1,nw_dst=10.0.2.2,tp_dst=22) || return 1
	echo "$t"
	contains "$t" 'Datapath actions: drop'
}

# State kept in a register across tables (docs/registers.md): table 0
# marks the ingress port in reg0, table 1's ACL reads it.
registers() {
	flows <<-'F' || return 1
	table=0,priority=100,in_port=1,actions=set_field:1->reg0,goto_table:1
	table=0,priority=100,in_port=3,actions=set_field:2->reg0,goto_table:1
	table=0,priority=0,actions=goto_table:1
	table=1,priority=200,reg0=2,tcp,tp_dst=22,actions=drop
	table=1,priority=0,actions=NORMAL
	F
	must ping_ok pol1 10.0.2.2 && must ping_ok pol3 10.0.2.2 &&
	must tcp_to pol1 10.0.2.2 22 &&
	must_not tcp_to pol3 10.0.2.2 22 &&
	must tcp_to pol3 10.0.2.2 5201 || return 1
	# registers are pipeline state: no megaflow has them
	local d
	d=$(vsctl dump-dp-flows pol0) || return 1
	echo "$d"
	! grep -q 'reg' <<<"$d"
}

# A UDP datagram from NS to ADDR:PORT, three times (the first may be an
# upcall, the rest hit the cache: both paths must rewrite alike).
udp_send() {
	local i
	for i in 1 2 3; do
		in_ns "$1" bash -c "echo hello >/dev/udp/$2/$3" || return 1
		sleep 0.2
	done
}

# The sender is the tap VM: its frames carry complete checksums, so the
# receiver's capture can check them. (Frames from a veth carry a partial
# checksum, which tcpdump always calls bad; rewrite_dst covers that path:
# the tap towards VM 3 completes the checksum the switch fixed up.)
rewrite_src() {
	flows <<-'F' || return 1
	priority=100,udp,in_port=3,nw_dst=10.0.2.2,tp_dst=7777,actions=mod_dl_src:02:00:00:00:aa:03,mod_nw_src:10.0.2.99,mod_tp_src:1111,mod_tp_dst:8888,output:2
	priority=0,actions=NORMAL
	F
	must ping_ok pol3 10.0.2.2 && must capture_start pol2 eth0 udp || return 1
	udp_send pol3 10.0.2.2 7777 || return 1
	local c n
	c=$(capture_stop)
	echo "$c"
	n=$(grep -c '02:00:00:00:aa:03 > 02:00:00:02:00:02' <<<"$c")
	[ "$n" -ge 3 ] || { echo "expected 3 rewritten frames, saw $n"; return 1; }
	n=$(grep -c '10\.0\.2\.99\.1111 > 10\.0\.2\.2\.8888: \[udp sum ok\]' <<<"$c")
	[ "$n" -ge 3 ] || { echo "expected 3 rewritten datagrams with good checksums, saw $n"; return 1; }
	! grep -q 'bad' <<<"$c" || { echo "bad checksum after rewrite"; return 1; }
}

rewrite_dst() {
	flows <<-'F' || return 1
	priority=100,udp,nw_dst=10.0.2.50,actions=mod_dl_dst:02:00:00:02:00:03,mod_nw_dst:10.0.2.3,output:3
	priority=0,actions=NORMAL
	F
	ip -n pol1 neigh replace 10.0.2.50 lladdr 02:00:00:00:00:50 dev eth0 &&
	must capture_start pol3 eth0 udp || return 1
	udp_send pol1 10.0.2.50 7777 || return 1
	local c n
	c=$(capture_stop)
	echo "$c"
	n=$(grep -c '02:00:00:02:00:01 > 02:00:00:02:00:03' <<<"$c")
	[ "$n" -ge 3 ] || { echo "expected 3 redirected frames at the tap VM, saw $n"; return 1; }
	n=$(grep -cE '10\.0\.2\.1\.[0-9]+ > 10\.0\.2\.3\.7777: \[udp sum ok\]' <<<"$c")
	[ "$n" -ge 3 ] || { echo "expected 3 redirected datagrams with good checksums, saw $n"; return 1; }
}

vlan_setup() {
	must add_br vln0 &&
	must vm_veth vl1 vl1p 02:00:00:0a:00:01 10.0.10.1/24 &&
	must vm_veth vl2 vl2p 02:00:00:0a:00:02 10.0.10.2/24 &&
	must vm_veth vl3 vl3p 02:00:00:0a:00:03 10.0.10.3/24 &&
	must ip -n vl3 addr add 10.0.20.3/24 dev eth0 &&
	must vm_veth vl4 vl4p 02:00:00:0a:00:04 192.0.2.4/24 || return 1
	local v
	for v in 10 20; do
		must ip -n vl4 link add link eth0 name eth0.$v type vlan id $v &&
		must ip -n vl4 addr add 10.0.$v.4/24 dev eth0.$v &&
		must ip -n vl4 link set eth0.$v up || return 1
	done
	must vsctl add-port vln0 vl1p ofport=1 tag=10 &&
	must vsctl add-port vln0 vl2p ofport=2 tag=10 &&
	must vsctl add-port vln0 vl3p ofport=3 tag=20 &&
	must vsctl add-port vln0 vl4p ofport=4 trunks=10,20 &&
	must vsctl show
}

vlan_diag() {
	vsctl show
	vsctl fdb-show vln0
	vsctl dump-dp-flows vln0
	vsctl trace vln0 in_port=1,arp,dl_src=02:00:00:0a:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.10.1,arp_tpa=10.0.10.2,arp_op=1
	return 1
}

vlan_access() {
	must ping_ok vl1 10.0.10.2 &&
	must_not ping_ok vl1 10.0.10.3 &&
	must_not ping_ok vl2 10.0.10.3 || vlan_diag
}

vlan_trunk() {
	must ping_ok vl1 10.0.10.4 && must ping_ok vl3 10.0.20.4 || vlan_diag || return 1
	# the trunk carries 802.1Q tags, the access port plain frames
	local c
	must capture_start vl4 eth0 icmp or vlan || return 1
	must ping_ok vl1 10.0.10.4
	c=$(capture_stop)
	echo "$c"
	contains "$c" '02:00:00:0a:00:01 > 02:00:00:0a:00:04, ethertype 802\.1Q \(0x8100\), length [0-9]+: vlan 10, p 0, ethertype IPv4' || return 1
	must capture_start vl1 eth0 icmp || return 1
	must ping_ok vl1 10.0.10.4
	c=$(capture_stop)
	echo "$c"
	contains "$c" '02:00:00:0a:00:04 > 02:00:00:0a:00:01, ethertype IPv4' &&
	! grep -q 802.1Q <<<"$c"
}

vlan_trunk_filter() {
	# VLAN 30 is not in the trunk list: nothing of it reaches anyone
	must ip -n vl4 link add link eth0 name eth0.30 type vlan id 30 &&
	must ip -n vl4 addr add 10.0.30.4/24 dev eth0.30 &&
	must ip -n vl4 link set eth0.30 up &&
	must ip -n vl1 addr add 10.0.30.1/24 dev eth0 || return 1
	must_not ping_ok vl4 10.0.30.1
}

e2e_setup "setup: three VMs on pol0" setup
e2e_case "acl: tcp/22 dropped, other tcp and icmp pass" acl
e2e_case "pipeline: classify -> acl -> forward (goto_table, resubmit)" pipeline
e2e_case "trace: shows every table and the datapath actions" pipeline_trace
e2e_case "registers: reg0 set in table 0 decides the ACL in table 1" registers
e2e_case "rewrite: mod_dl_src, mod_nw_src, mod_tp_src/dst seen by receiver" rewrite_src
e2e_case "rewrite: mod_dl_dst, mod_nw_dst redirect to the tap VM" rewrite_dst
e2e_setup "vlan setup: access tag=10, tag=20, trunks=10,20" vlan_setup
e2e_case "vlan access: same tag talks, other tag isolated" vlan_access
e2e_case "vlan trunk: tagged on the trunk, untagged on access" vlan_trunk
e2e_case "vlan trunk: a VLAN outside trunks= is dropped" vlan_trunk_filter
e2e_end
