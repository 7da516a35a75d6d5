#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
# NAT through ct(nat(...)), in ovs-ofctl syntax run by vswitchd, on the
# kernel's nf_nat. The inside VM reaches the remote host only as the SNAT
# address 203.0.113.1 (IPv4) or 2001:db8:3::1 (IPv6): the remote host has
# no route back to the VM's own addresses, so an answer proves both the
# translation and its reversal. The remote host reaches the service VM
# only through the DNAT'd service address 198.51.100.80:8080.
#
#   +------------------------------ nat0 ------------------------------+
#   | 1 natin (inside VM)   2 natout (remote host)   3 natsv (service) |
#   +-----|---------------------|--------------------------|-----------+
#   ns nati 192.0.2.1      ns natr 198.51.100.2       ns nats 192.0.2.3
#   2001:db8:1::1          2001:db8:2::2              :5201 (iperf3)
. "$(dirname "$0")/../tools/e2e.sh"

e2e_begin nat ping iperf3

MAC_IN=02:00:00:06:00:01
MAC_OUT=02:00:00:06:00:02
MAC_SV=02:00:00:06:00:03

# The three hosts see each other on one segment; routes and neighbours
# are static, so the only way back to the inside VM is its SNAT address.
setup() {
	must add_br nat0 &&
	must vm_port nat0 1 nati natin $MAC_IN 192.0.2.1/24 2001:db8:1::1/64 &&
	must vm_port nat0 2 natr natout $MAC_OUT 198.51.100.2/24 2001:db8:2::2/64 &&
	must vm_port nat0 3 nats natsv $MAC_SV 192.0.2.3/24 &&
	must in_ns nati ip route add 198.51.100.0/24 dev eth0 &&
	must in_ns nati ip -6 route add 2001:db8:2::/64 dev eth0 &&
	must in_ns nati ip -6 neigh add 2001:db8:2::2 lladdr $MAC_OUT dev eth0 &&
	must in_ns natr ip route add 203.0.113.1 dev eth0 &&
	must in_ns natr ip neigh add 203.0.113.1 lladdr $MAC_IN dev eth0 &&
	must in_ns natr ip neigh add 198.51.100.80 lladdr $MAC_SV dev eth0 &&
	must in_ns natr ip -6 route add 2001:db8:3::1 dev eth0 &&
	must in_ns natr ip -6 neigh add 2001:db8:3::1 lladdr $MAC_IN dev eth0 &&
	must in_ns nats ip route add 198.51.100.0/24 dev eth0 &&
	iperf_server nats 5201
}

# Zone 7: the inside VM's connections, source-translated; the replies are
# un-SNATed (their destination translated back: +dnat). Zone 8: the
# service, destination-translated; its replies get +snat.
RULES='table=0,priority=100,arp,actions=NORMAL
table=0,priority=90,ip,in_port=1,actions=ct(commit,zone=7,nat(src=203.0.113.1)),NORMAL
table=0,priority=90,ipv6,in_port=1,actions=ct(commit,zone=7,nat(src=2001:db8:3::1)),NORMAL
table=0,priority=90,tcp,in_port=2,nw_dst=198.51.100.80,tp_dst=8080,actions=ct(commit,zone=8,nat(dst=192.0.2.3:5201)),NORMAL
table=0,priority=80,ip,in_port=2,actions=ct(zone=7,nat,table=1)
table=0,priority=80,ipv6,in_port=2,actions=ct(zone=7,nat,table=1)
table=0,priority=80,ip,in_port=3,actions=ct(zone=8,nat,table=1)
table=0,priority=0,actions=drop
table=1,priority=100,ct_state=+trk+est+dnat-snat,ct_zone=7,ip,actions=NORMAL
table=1,priority=100,ct_state=+trk+est+dnat-snat,ct_zone=7,ipv6,actions=NORMAL
table=1,priority=100,ct_state=+trk+est+snat-dnat,ct_zone=8,ip,actions=NORMAL
table=1,priority=0,actions=drop'

load_rules() {
	must vsctl del-flows nat0 &&
	echo "$RULES" | must vsctl add-flows nat0 -
}

no_nat_no_way_back() {
	# without the translation the remote host cannot answer at all
	must vsctl del-flows nat0 &&
	must vsctl add-flow nat0 'actions=NORMAL' &&
	must_not ping_ok nati 198.51.100.2 1
}

snat_ipv4() {
	load_rules || return 1
	must ping_ok nati 198.51.100.2 &&
	must_not ping_ok natr 203.0.113.1 1 || {
		vsctl dump-flows nat0; vsctl dump-dp-flows nat0; return 1; }
}

snat_ipv6() {
	must in_ns nati ping -6 -c 2 -i 0.2 -W 2 2001:db8:2::2 >/dev/null &&
	must_not in_ns natr ping -6 -c 1 -W 1 2001:db8:3::1 >/dev/null || {
		vsctl dump-dp-flows nat0; return 1; }
}

dnat_service() {
	must tcp_ok natr 198.51.100.80 8080 &&
	grep -q 'Accepted connection from 198.51.100.2' "$TOPO_DIR/iperf3-server.log" || {
		cat "$TOPO_DIR/iperf3-server.log"; vsctl dump-dp-flows nat0; return 1; }
	# the service's own address is not reachable from outside
	must_not tcp_ok natr 192.0.2.3 5201
}

datapath_shows_nat() {
	local d
	must ping_ok nati 198.51.100.2 || return 1
	d=$(vsctl dump-dp-flows nat0)
	echo "$d"
	contains "$d" 'ct\(commit,zone=7,nat\(src=203\.0\.113\.1\)\)' &&
	contains "$d" 'ct\(zone=7,nat\),recirc\(0x2\)' &&
	contains "$d" 'ct_state\(.*dnat'
}

rules_read_back() {
	local d
	d=$(vsctl dump-flows nat0) || return 1
	echo "$d"
	contains "$d" 'actions=ct\(commit,zone=8,nat\(dst=192\.0\.2\.3:5201\)\),NORMAL' &&
	contains "$d" 'actions=ct\(table=1,zone=7,nat\)' &&
	contains "$d" 'ct_state=\+dnat-snat\+est\+trk|ct_state=.*\+dnat'
}

bad_nat_rules_are_refused() {
	flow_refused nat0 'ip,actions=ct(commit,nat(src=192.0.2.1,sticky))' "unknown nat argument .* 'sticky'" &&
	flow_refused nat0 'ip,actions=ct(commit,nat(src=192.0.2.9-192.0.2.1))' 'range ends below its start' &&
	flow_refused nat0 'ip,actions=nat(src=192.0.2.1)' "'nat' is an argument of ct" &&
	flow_refused nat0 'ip,actions=ct(nat(dst=192.0.2.1))' 'needs commit' &&
	flow_refused nat0 'ip,actions=ct(commit,nat(src=2001:db8::1))' 'requires ipv6'
}

# Two floating addresses lead to the service, but table 1 lets only the
# replies of connections opened to 198.51.100.80 out (ct_nw_dst: the
# original destination, before the DNAT).
floating_ip_by_original_tuple() {
	local rules d
	rules=$(echo "$RULES" | sed 's/^table=1,priority=100,ct_state=+trk+est+snat-dnat,ct_zone=8,ip,/&ct_nw_dst=198.51.100.80,/')
	rules="$rules
table=0,priority=90,tcp,in_port=2,nw_dst=198.51.100.81,tp_dst=8080,actions=ct(commit,zone=8,nat(dst=192.0.2.3:5201)),NORMAL"
	must in_ns natr ip neigh replace 198.51.100.81 lladdr $MAC_SV dev eth0 &&
	must vsctl del-flows nat0 &&
	echo "$rules" | must vsctl add-flows nat0 - || return 1
	d=$(vsctl dump-flows nat0)
	contains "$d" 'ct_zone=8,ct_nw_dst=198\.51\.100\.80,ip' || { echo "$d"; return 1; }
	must tcp_ok natr 198.51.100.80 8080 || { vsctl dump-dp-flows nat0; return 1; }
	d=$(vsctl dump-dp-flows nat0)
	contains "$d" 'ct_tuple4\(dst=198\.51\.100\.80\).*actions:[0-9]' || { echo "$d"; return 1; }
	must_not tcp_ok natr 198.51.100.81 8080 || { vsctl dump-dp-flows nat0; return 1; }
	d=$(vsctl dump-dp-flows nat0)
	contains "$d" 'ct_tuple4\(dst=198\.51\.100\.81\).*actions:drop' || { echo "$d"; return 1; }
}

# IPv6: the replies of the inside's connections get back only while
# table 1 wants the inside's own address as the original source
# (ct_ipv6_src: before the SNAT to 2001:db8:3::1).
ipv6_replies_by_original_source() {
	local d
	must vsctl del-flows nat0 &&
	sed 's/^table=1,priority=100,ct_state=+trk+est+dnat-snat,ct_zone=7,ipv6,/&ct_ipv6_src=2001:db8:1::1,/' <<<"$RULES" |
		must vsctl add-flows nat0 - || return 1
	must in_ns nati ping -6 -c 2 -i 0.2 -W 2 2001:db8:2::2 >/dev/null || {
		vsctl dump-flows nat0; vsctl dump-dp-flows nat0; return 1; }
	d=$(vsctl dump-dp-flows nat0)
	contains "$d" 'ct_tuple6\(src=2001:db8:1::1\).*actions:[0-9]' || return 1
	must vsctl del-flows nat0 &&
	sed 's/^table=1,priority=100,ct_state=+trk+est+dnat-snat,ct_zone=7,ipv6,/&ct_ipv6_src=2001:db8:1::9,/' <<<"$RULES" |
		must vsctl add-flows nat0 - || return 1
	must_not in_ns nati ping -6 -c 1 -W 1 2001:db8:2::2 >/dev/null
}

e2e_setup "setup: inside VM, remote host and service VM on nat0" setup
e2e_case "without NAT the remote host cannot answer" no_nat_no_way_back
e2e_case "SNAT (IPv4): inside reaches out as 203.0.113.1, replies un-NATed, outside cannot open" snat_ipv4
e2e_case "SNAT (IPv6): inside reaches out as 2001:db8:3::1" snat_ipv6
e2e_case "DNAT: 198.51.100.80:8080 is the service VM's 5201, replies un-NATed" dnat_service
e2e_case "dump-dp-flows shows the NAT and the +dnat replies" datapath_shows_nat
e2e_case "nat rules read back as dump-flows prints them" rules_read_back
e2e_case "bad nat rules are refused with a message" bad_nat_rules_are_refused
e2e_case "IPv6: replies get back only while the rule wants their original source (ct_ipv6_src)" ipv6_replies_by_original_source
e2e_case "floating IP: only replies of connections opened to it (ct_nw_dst) get out" floating_ip_by_original_tuple
e2e_end
