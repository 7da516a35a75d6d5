#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
# The security-group recipe of README's cookbook: a stateful firewall in
# conntrack zone 5, written in ovs-ofctl syntax and run by vswitchd. The
# inside VM may open ICMP, TCP and UDP connections; the outside may only
# answer (ICMP, TCP, UDP; related ICMP errors get in); the rules read back
# as dump-flows prints them; dump-conntrack and flush-conntrack; a
# connection survives a vswitchd restart; fragmented pings are tracked
# whole and leave as fragments again, IPv4 and IPv6.
#
#   +--------------------- sg0 ---------------------+
#   | 1 sgin (veth, inside)    2 sgout (veth, outside) |
#   +-----|-------------------------|----------------+
#     ns sgi 192.0.2.1           ns sgo 192.0.2.2
. "$(dirname "$0")/../tools/e2e.sh"

e2e_begin conntrack ping iperf3 python3

setup() {
	must add_br sg0 &&
	must vm_port sg0 1 sgi sgin 02:00:00:05:00:01 192.0.2.1/24 &&
	must vm_port sg0 2 sgo sgout 02:00:00:05:00:02 192.0.2.2/24 &&
	iperf_server sgo 5201 && iperf_server sgi 5202
}

RULES='table=0,priority=100,arp,actions=NORMAL
table=0,priority=90,ip,ct_state=-trk,actions=ct(zone=5,table=1)
table=0,priority=0,actions=drop
table=1,priority=100,ct_state=+new+trk,ip,in_port=1,actions=ct(commit,zone=5,exec(set_field:0x1->ct_mark)),NORMAL
table=1,priority=100,ct_state=+est+trk,ip,actions=NORMAL
table=1,priority=100,ct_state=+rel+trk,ip,actions=NORMAL
table=1,priority=0,actions=drop'

security_group() {
	must vsctl del-flows sg0 &&
	echo "$RULES" | must vsctl add-flows sg0 - || return 1
	must ping_ok sgi 192.0.2.2 &&
	must_not ping_ok sgo 192.0.2.1 &&
	must tcp_ok sgi 192.0.2.2 5201 &&
	must_not tcp_ok sgo 192.0.2.1 5202 || {
		vsctl dump-flows sg0; vsctl dump-dp-flows sg0; return 1; }
}

recirculated_megaflows() {
	local d
	must ping_ok sgi 192.0.2.2 || return 1
	d=$(vsctl dump-dp-flows sg0)
	echo "$d"
	# pass 0 runs ct and recirculates to table 1's pass (recirc_id 2)
	contains "$d" 'ct\(zone=5\),recirc\(0x2\)' &&
	contains "$d" 'ct\(commit,zone=5,mark=0x1/0xffffffff\)'
}

no_stats() {
	sed -E 's/ (duration|n_packets|n_bytes|idle_age)=[^,]*,//g'
}

rules_read_back() {
	local d1 d2
	d1=$(vsctl dump-flows sg0) || return 1
	echo "$d1"
	contains "$d1" 'ct_state=\+new\+trk' &&
	contains "$d1" 'actions=ct\(commit,zone=5,exec\(set_field:0x1->ct_mark\)\),NORMAL' &&
	contains "$d1" 'actions=ct\(table=1,zone=5\)' &&
	must vsctl del-flows sg0 &&
	echo "$d1" | must vsctl add-flows sg0 - &&
	d2=$(vsctl dump-flows sg0) || return 1
	[ "$(no_stats <<<"$d1")" = "$(no_stats <<<"$d2")" ] ||
		{ echo "read back as:"; echo "$d2"; return 1; }
	must ping_ok sgi 192.0.2.2
}

# Replies pass only when the connection carries label bit 127 (set at
# commit, with bit 0); with a rule wanting bit 1 instead they do not.
LABEL_RULES='table=0,priority=100,arp,actions=NORMAL
table=0,priority=90,ip,ct_state=-trk,actions=ct(zone=6,table=1)
table=1,priority=100,ct_state=+new+trk,ip,in_port=1,actions=ct(commit,zone=6,exec(set_field:0x80000000000000000000000000000001->ct_label)),NORMAL
table=1,priority=100,ct_state=+est+trk,ct_label=0x80000000000000000000000000000000/0x80000000000000000000000000000000,ip,actions=NORMAL
table=1,priority=0,actions=drop'

labels_are_committed_and_matched() {
	local d
	must vsctl del-flows sg0 &&
	echo "$LABEL_RULES" | must vsctl add-flows sg0 - &&
	must ping_ok sgi 192.0.2.2 || { vsctl dump-dp-flows sg0; return 1; }
	d=$(vsctl dump-flows sg0)
	echo "$d"
	contains "$d" 'ct_label=0x80000000000000000000000000000000/0x80000000000000000000000000000000' &&
	contains "$d" 'exec\(set_field:0x80000000000000000000000000000001->ct_label\)' || return 1
	must vsctl del-flows sg0 &&
	sed 's#ct_label=0x80000000000000000000000000000000/#ct_label=0x2/#' <<<"$LABEL_RULES" |
		must vsctl add-flows sg0 - &&
	must_not ping_ok sgi 192.0.2.2 1
}

# The TCP connections of the security group in vswitchctl dump-conntrack:
# ovs-dpctl's line, the zone and the mark committed.
CT_LINE='^tcp,orig=\(src=192\.0\.2\.1,dst=192\.0\.2\.2,sport=[0-9]+,dport=5201\),reply=\(src=192\.0\.2\.2,dst=192\.0\.2\.1,sport=5201,dport=[0-9]+\),zone=5,mark=1,protoinfo=\(state=[A-Z_]+\)$'

conntrack_is_listed() {
	local d
	must vsctl del-flows sg0 &&
	echo "$RULES" | must vsctl add-flows sg0 - &&
	must vsctl flush-conntrack sg0 zone=5 &&
	must tcp_ok sgi 192.0.2.2 5201 || return 1
	d=$(vsctl dump-conntrack sg0 zone=5) || return 1
	echo "$d"
	contains "$d" "$CT_LINE" || return 1
	if grep -v 'zone=5,' <<<"$d" | grep -q .; then
		echo "zone=5 listed another zone"; return 1
	fi
	d=$(vsctl dump-conntrack zone=5) && contains "$d" "$CT_LINE" &&
	d=$(vsctl --json dump-conntrack sg0 zone=5) &&
	contains "$d" '"dport": ?5201' && contains "$d" '"zone": ?5' &&
	contains "$d" '"mark": ?1'
}

# source ports of zone 5's connections to 5201 in the listing $1
ct_sports() {
	grep -E "$CT_LINE" <<<"$1" | sed -E 's/^tcp,orig=\([^)]*sport=([0-9]+),.*/\1/'
}

conntrack_flush_selects() {
	local d sports first second
	must vsctl del-flows sg0 &&
	echo "$RULES" | must vsctl add-flows sg0 - &&
	must vsctl flush-conntrack sg0 zone=5 &&
	must tcp_ok sgi 192.0.2.2 5201 &&	# iperf3: control and data connection
	must vsctl del-flows sg0 &&
	echo "$LABEL_RULES" | must vsctl add-flows sg0 - &&
	must ping_ok sgi 192.0.2.2 || return 1
	d=$(vsctl dump-conntrack sg0) || return 1
	echo "$d"
	contains "$d" '^icmp,orig=\(src=192\.0\.2\.1,dst=192\.0\.2\.2,id=[0-9]+,type=8,code=0\),.*zone=6,labels=0x80000000000000000000000000000001$' &&
	contains "$d" "$CT_LINE" || return 1
	# by zone: zone 6's go, zone 5's stay
	must vsctl flush-conntrack sg0 zone=6 &&
	d=$(vsctl dump-conntrack sg0) || return 1
	echo "after flush-conntrack zone=6:"; echo "$d"
	if grep -q 'zone=6' <<<"$d"; then echo "zone 6 left"; return 1; fi
	sports=$(ct_sports "$d")
	first=$(head -n 1 <<<"$sports"); second=$(sed -n 2p <<<"$sports")
	[ -n "$first" ] && [ -n "$second" ] ||
		{ echo "want two connections to 5201 in zone 5"; return 1; }
	# by 5-tuple: that connection only
	must vsctl flush-conntrack sg0 zone=5 "ct_nw_src=192.0.2.1,ct_nw_dst=192.0.2.2,ct_nw_proto=6,ct_tp_src=$first,ct_tp_dst=5201" &&
	d=$(vsctl dump-conntrack sg0 zone=5) || return 1
	echo "after flush-conntrack of sport $first:"; echo "$d"
	sports=$(ct_sports "$d")
	if grep -qx "$first" <<<"$sports"; then echo "$first left"; return 1; fi
	grep -qx "$second" <<<"$sports" || { echo "$second went too"; return 1; }
	# everything
	must vsctl flush-conntrack &&
	d=$(vsctl dump-conntrack sg0) || return 1
	if grep -q 'src=192\.0\.2\.' <<<"$d"; then echo "left after flush:"; echo "$d"; return 1; fi
}

conntrack_commands_refuse_bad_arguments() {
	local e
	e=$(vsctl dump-conntrack sg0 zone=70000 2>&1) && return 1
	contains "$e" "invalid zone '70000'" || return 1
	e=$(vsctl dump-conntrack nosuchbr 2>&1) && return 1
	contains "$e" "no bridge named 'nosuchbr'" || return 1
	e=$(vsctl dump-conntrack sg0 ct_nw_src=192.0.2.1 2>&1) && return 1
	contains "$e" "unknown argument 'ct_nw_src'" || return 1
	e=$(vsctl flush-conntrack sg0 ct_tp_dst=5201 2>&1) && return 1
	contains "$e" 'needs ct_nw_proto' || return 1
	e=$(vsctl flush-conntrack sg0 ct_nw_dst=192.0.2.300 2>&1) && return 1
	contains "$e" "invalid ct_nw_dst '192.0.2.300'"
}

# udp_echo NS PORT: a UDP echo server in NS, killed at cleanup.
udp_echo() {
	bg "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
while True:
    d, a = s.recvfrom(2048)
    s.sendto(d, a)' "$2"
}

# udp_ask NS ADDR PORT: 0 when answered, 2 when an ICMP error refused it
# (port unreachable), 1 when nothing came back within 2 s.
udp_ask() {
	in_ns "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect((sys.argv[1], int(sys.argv[2])))
try:
    s.send(b"ct")
    s.recv(2048)
except ConnectionRefusedError:
    sys.exit(2)
except socket.timeout:
    sys.exit(1)' "$2" "$3"
}

# UDP in the security group: the inside opens, the outside only answers;
# the outside's ICMP port unreachable is related and gets in.
udp_and_related_icmp() {
	local rc d
	must vsctl del-flows sg0 &&
	echo "$RULES" | must vsctl add-flows sg0 - &&
	udp_echo sgo 5300 && udp_echo sgi 5301 || return 1
	wait_for 10 udp_ask sgi 192.0.2.2 5300 || return 1
	udp_ask sgo 192.0.2.1 5301; rc=$?
	[ $rc = 1 ] || { echo "outside opened UDP to the inside (udp_ask: $rc)"; return 1; }
	udp_ask sgi 192.0.2.2 5399; rc=$?
	[ $rc = 2 ] || { echo "no port unreachable came back (udp_ask: $rc)"; return 1; }
	d=$(vsctl dump-conntrack sg0 zone=5) || return 1
	echo "$d"
	contains "$d" '^udp,orig=\(src=192\.0\.2\.1,dst=192\.0\.2\.2,sport=[0-9]+,dport=5300\),reply=\(src=192\.0\.2\.2,dst=192\.0\.2\.1,sport=5300,dport=[0-9]+\),zone=5,mark=1$'
}

# tcp_echo NS PORT: a TCP echo server in NS (one connection at a time),
# killed at cleanup.
tcp_echo() {
	bg "$1" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(1)
while True:
    c, a = s.accept()
    while True:
        d = c.recv(2048)
        if not d:
            break
        c.sendall(d)
    c.close()' "$2"
}

# tcp_hold NS ADDR PORT DIR: connects (for up to 20 s: the echo server
# may still be starting), has one byte echoed, writes DIR/connected,
# waits (up to 120 s) for DIR/go, then has another byte echoed within
# 10 s: exit 0, else 1.
tcp_hold() {
	in_ns "$1" python3 -c '
import os, socket, sys, time
for i in range(100):
    try:
        s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
        break
    except ConnectionRefusedError:
        time.sleep(0.2)
else:
    sys.exit("nobody listens on %s:%s" % (sys.argv[1], sys.argv[2]))
s.sendall(b"a")
assert s.recv(1) == b"a"
open(os.path.join(sys.argv[3], "connected"), "w").close()
for i in range(1200):
    if os.path.exists(os.path.join(sys.argv[3], "go")):
        break
    time.sleep(0.1)
s.sendall(b"b")
sys.exit(0 if s.recv(1) == b"b" else 1)' "$2" "$3" "$4"
}

# SIGKILL vswitchd while a TCP connection is open and start it again:
# the connection is the kernel's, so it lives on (still listed,
# established, in its zone with its mark) and carries data afterwards;
# the outside still cannot open.
connection_survives_restart() {
	local pid d dir=$TOPO_DIR/hold
	local est='^tcp,orig=\(src=192\.0\.2\.1,dst=192\.0\.2\.2,sport=[0-9]+,dport=5302\),.*,zone=5,mark=1,protoinfo=\(state=ESTABLISHED\)$'
	mkdir -p "$dir" && rm -f "$dir"/* &&
	must vsctl del-flows sg0 &&
	echo "$RULES" | must vsctl add-flows sg0 - &&
	tcp_echo sgo 5302 || return 1
	tcp_hold sgi 192.0.2.2 5302 "$dir" &
	pid=$!
	TOPO_PIDS+=("$pid")
	wait_for 30 test -e "$dir/connected" || return 1
	d=$(vsctl dump-conntrack sg0 zone=5) && contains "$d" "$est" || return 1
	vswd_kill KILL
	must vswd_start || return 1
	d=$(vsctl dump-conntrack sg0 zone=5) || return 1
	echo "$d"
	contains "$d" "$est" || return 1
	touch "$dir/go"
	wait "$pid" || { echo "the connection carried nothing after the restart"; return 1; }
	must_not tcp_ok sgo 192.0.2.1 5202
}

# tcp_synfin NS SRC DST PORT N: N TCP segments with SYN and FIN set (a
# combination TCP never sends: conntrack calls them invalid), of no
# connection, from SRC to DST:PORT, through a raw socket.
tcp_synfin() {
	in_ns "$1" python3 -c '
import socket, struct, sys
src, dst, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
for i in range(n):
    h = struct.pack("!HHIIBBHHH", 41000 + i, port, 1000, 0, 5 << 4, 0x03, 64240, 0, 0)
    ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(h))
    h = h[:16] + struct.pack("!H", csum(ph + h)) + h[18:]
    s.sendto(h, (dst, 0))' "$2" "$3" "$4" "$5"
}

# dp-stats --json's conntrack counter $2 of bridge $1
ct_counter() {
	vsctl --json dp-stats "$1" | grep -oE "\"$2\": ?[0-9]+" | grep -oE '[0-9]+$'
}

# n_packets of sg0's +inv rule, at least $1
inv_rule_counted() {
	local n
	n=$(rule_packets "$(vsctl dump-flows sg0)" 'ct_state=\+inv\+trk')
	[ -n "$n" ] && [ "$n" -ge "$1" ]
}

# An invalid packet (SYN+FIN, of no connection) is +trk+inv in table 1:
# the +inv rule drops it (it never reaches the outside), counts it, and
# so does the datapath's ct invalid counter.
invalid_is_dropped_and_counted() {
	local before after seen
	must vsctl del-flows sg0 &&
	{ echo "$RULES"; echo 'table=1,priority=200,ct_state=+trk+inv,ip,actions=drop'; } |
		must vsctl add-flows sg0 - &&
	must ping_ok sgi 192.0.2.2 || return 1
	before=$(ct_counter sg0 ct_invalid) || { vsctl --json dp-stats sg0; return 1; }
	capture_start sgo eth0 'tcp dst port 5999' &&
	must tcp_synfin sgi 192.0.2.1 192.0.2.2 5999 3 || return 1
	wait_for 10 inv_rule_counted 3 || {
		vsctl dump-flows sg0; vsctl dump-dp-flows sg0; return 1; }
	seen=$(capture_stop)
	[ -z "$seen" ] || { echo "invalid segments reached the outside:"; echo "$seen"; return 1; }
	after=$(ct_counter sg0 ct_invalid)
	[ "$after" -ge $((before + 3)) ] ||
		{ echo "ct_invalid went from $before to $after"; return 1; }
	vsctl dp-stats sg0 | grep -E '^  conntrack: packets:[0-9]+ committed:[0-9]+ nat:0 invalid:[0-9]+ refused:0 dropped:0$' ||
		{ vsctl dp-stats sg0; return 1; }
	# the rule set still works for valid traffic
	must tcp_ok sgi 192.0.2.2 5201
}

# big_ping NS ADDR N [-6]: N pings of 3000 bytes (fragments: veth's MTU
# is 1500) from NS, all answered.
big_ping() {
	local out
	out=$(in_ns "$1" ping ${4:-} -c "$3" -i 0.3 -W 3 -s 3000 "$2" 2>&1)
	echo "$out" | tail -n 2
	grep -q " $3 received" <<<"$out"
}

# IP lengths tcpdump -vv printed in the capture $1 (one per packet)
ip_lengths() {
	grep -oE 'proto ICMP \(1\), length [0-9]+' <<<"$1" | grep -oE '[0-9]+$'
}

# Fragments through conntrack: the zone's ct reassembles each 3000-byte
# ping before conntrack sees it, so the inside's request is +new (and
# committed) and the outside's reply +est, as for a small ping; each
# leaves as fragments again, none bigger than those that came in. A
# fragmented new ping from the outside is reassembled, +new, dropped.
fragments_through_conntrack() {
	local r0 f0 r1 f1 seen big
	must vsctl del-flows sg0 &&
	echo "$RULES" | must vsctl add-flows sg0 - &&
	must vsctl flush-conntrack sg0 zone=5 || return 1
	r0=$(ct_counter sg0 ct_reassembled) && f0=$(ct_counter sg0 ct_refragmented) ||
		{ vsctl --json dp-stats sg0; return 1; }
	capture_start sgo eth0 'icmp or (ip[6:2] & 0x1fff != 0)' &&
	must big_ping sgi 192.0.2.2 3 || {
		capture_stop; vsctl dump-dp-flows sg0; vsctl dp-stats sg0; return 1; }
	# at once: an ICMP connection lives 30 s, a slow guest's check is long
	contains "$(vsctl dump-conntrack sg0 zone=5)" '^icmp,orig=\(src=192\.0\.2\.1,dst=192\.0\.2\.2,id=[0-9]+,type=8,code=0\),.*zone=5,mark=1$' ||
		{ capture_stop; return 1; }
	seen=$(capture_stop)
	# each request and reply: 1500 + 1500 + 48 bytes of IP packet
	big=$(ip_lengths "$seen" | awk '$1 > 1500' | head -n 1)
	[ "$(ip_lengths "$seen" | grep -cx 1500)" -ge 6 ] && [ -z "$big" ] ||
		{ echo "not the fragments expected at the outside:"; echo "$seen"; return 1; }
	r1=$(ct_counter sg0 ct_reassembled) && f1=$(ct_counter sg0 ct_refragmented)
	[ "$r1" -ge $((r0 + 6)) ] && [ "$f1" -ge $((f0 + 6)) ] ||
		{ echo "reassembled $r0 -> $r1, refragmented $f0 -> $f1"; return 1; }
	vsctl dp-stats sg0 | grep -E '^  fragments: conntrack:[0-9]+ reassembled:[0-9]+ refragmented:[0-9]+$' ||
		{ vsctl dp-stats sg0; return 1; }
	# from the outside: reassembled too, +new, dropped
	capture_start sgi eth0 'ip and src host 192.0.2.2' &&
	must_not big_ping sgo 192.0.2.1 2 || { capture_stop; return 1; }
	seen=$(capture_stop)
	[ -z "$seen" ] || { echo "the outside's ping got in:"; echo "$seen"; return 1; }
	[ "$(ct_counter sg0 ct_reassembled)" -ge $((r1 + 2)) ] ||
		{ vsctl dp-stats sg0; return 1; }
}

# The same for IPv6, in zone 7: the senders fragment their own 3000-byte
# pings (a fragment header in 1500-byte packets); nf_defrag_ipv6
# reassembles them for conntrack and ipv6_fragment cuts them again.
# Neighbour discovery is switched without conntrack.
RULES6='table=0,priority=100,icmp6,icmp_type=135,actions=NORMAL
table=0,priority=100,icmp6,icmp_type=136,actions=NORMAL
table=0,priority=90,ipv6,ct_state=-trk,actions=ct(zone=7,table=1)
table=0,priority=0,actions=drop
table=1,priority=100,ct_state=+new+trk,ipv6,in_port=1,actions=ct(commit,zone=7),NORMAL
table=1,priority=100,ct_state=+est+trk,ipv6,actions=NORMAL
table=1,priority=0,actions=drop'

# frame lengths tcpdump -e printed for IPv6 frames in the capture $1
ipv6_frame_lengths() {
	grep -oE 'ethertype IPv6 \(0x86dd\), length [0-9]+' <<<"$1" | grep -oE '[0-9]+$'
}

ipv6_fragments_through_conntrack() {
	local r0 f0 r1 f1 seen big
	in_ns sgi ip -6 addr add 2001:db8:5::1/64 dev eth0 nodad &&
	in_ns sgo ip -6 addr add 2001:db8:5::2/64 dev eth0 nodad &&
	must vsctl del-flows sg0 &&
	echo "$RULES6" | must vsctl add-flows sg0 - &&
	must vsctl flush-conntrack sg0 zone=7 || return 1
	r0=$(ct_counter sg0 ct_reassembled) && f0=$(ct_counter sg0 ct_refragmented) ||
		{ vsctl --json dp-stats sg0; return 1; }
	# the first ping learns the neighbours (ND passes unfragmented)
	wait_for 10 in_ns sgi ping -6 -c 1 -W 1 2001:db8:5::2 >/dev/null || return 1
	capture_start sgo eth0 'ip6 and ip6[6] == 44' &&
	must big_ping sgi 2001:db8:5::2 3 -6 || {
		capture_stop; vsctl dump-dp-flows sg0; vsctl dp-stats sg0; return 1; }
	contains "$(vsctl dump-conntrack sg0 zone=7)" '^icmpv6,orig=\(src=2001:db8:5::1,dst=2001:db8:5::2,id=[0-9]+,type=128,code=0\),.*zone=7' ||
		{ capture_stop; return 1; }
	seen=$(capture_stop)
	# each request and reply: three fragments, the frames at most 1514 bytes
	big=$(ipv6_frame_lengths "$seen" | awk '$1 > 1514' | head -n 1)
	[ "$(ipv6_frame_lengths "$seen" | grep -c .)" -ge 12 ] && [ -z "$big" ] ||
		{ echo "not the fragments expected at the outside:"; echo "$seen"; return 1; }
	r1=$(ct_counter sg0 ct_reassembled) && f1=$(ct_counter sg0 ct_refragmented)
	[ "$r1" -ge $((r0 + 6)) ] && [ "$f1" -ge $((f0 + 6)) ] ||
		{ echo "reassembled $r0 -> $r1, refragmented $f0 -> $f1"; return 1; }
	# from the outside: reassembled too, +new, dropped
	capture_start sgi eth0 'ip6 and src host 2001:db8:5::2 and ip6[6] == 44' &&
	must_not big_ping sgo 2001:db8:5::1 2 -6 || { capture_stop; return 1; }
	seen=$(capture_stop)
	[ -z "$seen" ] || { echo "the outside's ping got in:"; echo "$seen"; return 1; }
	[ "$(ct_counter sg0 ct_reassembled)" -ge $((r1 + 2)) ] ||
		{ vsctl dp-stats sg0; return 1; }
}

bad_ct_rules_are_refused() {
	flow_refused sg0 'ip,actions=ct(alg=ftp)' 'not supported' &&
	flow_refused sg0 'ip,actions=ct(zone=NXM_NX_REG13[0..7])' 'a zone is 16 bits' &&
	flow_refused sg0 'ct_state=+new+est,ip,actions=drop' 'can never match' &&
	flow_refused sg0 'ip,actions=ct(exec(set_field:1->ct_label))' 'needs commit' &&
	flow_refused sg0 'ct_label=0xq,ip,actions=drop' 'invalid ct_label' &&
	flow_refused sg0 'ip,actions=ct(zone=70000)' 'zone'
}

e2e_setup "setup: inside and outside VMs on sg0" setup
e2e_case "security group: inside opens icmp and tcp, outside only answers" security_group
e2e_case "ct(table=1) installs recirculated megaflows" recirculated_megaflows
e2e_case "ct rules read back as dump-flows prints them" rules_read_back
e2e_case "ct_label set at commit is matched on the replies" labels_are_committed_and_matched
e2e_case "bad ct rules are refused with a message" bad_ct_rules_are_refused
e2e_case "dump-conntrack lists a TCP connection with its zone and mark" conntrack_is_listed
e2e_case "flush-conntrack by zone, by 5-tuple, and all" conntrack_flush_selects
e2e_case "conntrack commands refuse bad arguments by name" conntrack_commands_refuse_bad_arguments
e2e_case "UDP: inside opens, outside only answers, port unreachable is related" udp_and_related_icmp
e2e_case "a TCP connection survives a vswitchd SIGKILL and restart" connection_survives_restart
e2e_case "an invalid packet (SYN+FIN) is +trk+inv: dropped and counted" invalid_is_dropped_and_counted
e2e_case "IPv4 fragments: reassembled for ct, refragmented on output; outside's dropped" fragments_through_conntrack
e2e_case "IPv6 fragments: reassembled for ct, refragmented on output; outside's dropped" ipv6_fragments_through_conntrack
e2e_end
