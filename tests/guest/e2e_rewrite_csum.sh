#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 420
# Kernel set actions keep checksums right: NAT-style rewrites of Ethernet,
# IPv4/IPv6 addresses and TCP/UDP ports, with checksum offloads off on
# every veth so both ends compute and verify every checksum in software
# (a wrong incremental update shows as a refused connection or a lost
# datagram, and in the receiver's InCsumErrors; SCTP's CRC32c is checked
# by the SCTP stack itself, and on raw frames, one sent with a bad CRC32c
# that must stay bad). Also VLAN push/pop and a
# TTL decrement that drops at expiry.
#
#   +------------------------ rwc0 ------------------------+
#   | 1 rwc1p (veth)     2 rwc2p (veth)     3 rwc3p (veth)  |
#   +----|------------------|------------------|------------+
#     ns rwc1 10.0.9.1    ns rwc2 10.0.9.2    ns rwc3: eth0.10 10.0.9.3
#          fd09::1             fd09::2         (VLAN 10 on the wire)
#   rwc1 talks to the virtual service 10.0.9.99 / fd09::99 port 7777;
#   the switch rewrites it to rwc2 port 8888 and back.
. "$(dirname "$0")/../tools/e2e.sh"

e2e_begin rewrite_csum ping ethtool python3

PY=$(command -v python3)

write_helpers() {
	cat >"$TOPO_DIR/echo.py" <<'PYEOF'
import socket, sys
host, port, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fam = socket.AF_INET6 if ':' in host else socket.AF_INET
if kind == 'sctp':
    s = socket.socket(fam, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
else:
    s = socket.socket(fam, socket.SOCK_STREAM if kind == 'tcp' else socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if fam == socket.AF_INET6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind((host, port))
if kind != 'udp':
    s.listen(5)
    while True:
        c, a = s.accept()
        c.sendall(b'echo:' + c.recv(100))
        c.close()
else:
    while True:
        d, a = s.recvfrom(100)
        s.sendto(b'echo:' + d, a)
PYEOF
	cat >"$TOPO_DIR/client.py" <<'PYEOF'
import socket, sys, time
host, port, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fam = socket.AF_INET6 if ':' in host else socket.AF_INET
# A refusal comes at once: the server, started in the background, may
# not listen yet (SCTP's on the debug kernel took longer), so a refused
# attempt waits a second; six tries in all.
for attempt in range(6):
    if attempt:
        time.sleep(1)
    if kind == 'sctp':
        s = socket.socket(fam, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
    else:
        s = socket.socket(fam, socket.SOCK_STREAM if kind == 'tcp' else socket.SOCK_DGRAM)
    s.settimeout(3)
    try:
        if kind != 'udp':
            s.connect((host, port))
            s.sendall(b'hello')
            r = s.recv(100)
        else:
            s.sendto(b'hello', (host, port))
            r = s.recvfrom(100)[0]
        if r == b'echo:hello':
            sys.exit(0)
    except OSError as e:
        print('attempt %d: %s' % (attempt, e))
sys.exit(1)
PYEOF
	cat >"$TOPO_DIR/sctp_raw.py" <<'PYEOF'
# sctp_raw.py send|recv: SCTP frames with a good and a deliberately bad
# CRC32c from rwc1 to the virtual service (port 7777); the receiver, in
# rwc2, waits for both (rewritten to port 8888) and checks their CRC32c,
# computed here independently of the kernel: the good one must be valid,
# the bad one still bad, by the same error.
import socket, struct, sys, time
def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xffffffff
def ip_csum(h):
    s = sum(struct.unpack('!10H', h))
    s = (s & 0xffff) + (s >> 16)
    return ~((s & 0xffff) + (s >> 16)) & 0xffff
ERR = 0x00ff0001		# the bad frame's CRC is the right one XOR this
def frame(tag):
    data = tag.ljust(8, b'.')
    chunk = struct.pack('!BBHIHHI', 0, 3, 16 + len(data), 1, 0, 0, 0) + data
    sctp = struct.pack('!HHII', 5555, 7777, 0x01020304, 0) + chunk
    crc = crc32c(sctp) ^ (ERR if tag == b'bad' else 0)
    sctp = sctp[:8] + struct.pack('<I', crc) + sctp[12:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(sctp), 1, 0, 64, 132, 0,
                     socket.inet_aton('10.0.9.1'), socket.inet_aton('10.0.9.99'))
    ip = ip[:10] + struct.pack('!H', ip_csum(ip)) + ip[12:]
    eth = bytes.fromhex('020000090099' '020000090001' '0800')
    return eth + ip + sctp
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
s.bind(('eth0', 0))
if sys.argv[1] == 'send':
    for tag in (b'good', b'bad'):
        s.send(frame(tag))
    sys.exit(0)
s.settimeout(1)
seen, end, ok = {}, time.time() + 15, True
while len(seen) < 2 and time.time() < end:
    try:
        f = s.recv(2048)
    except socket.timeout:
        continue
    if len(f) < 34 + 28 or f[12:14] != b'\x08\x00' or f[23] != 132:
        continue
    l4 = 14 + (f[14] & 15) * 4
    sctp = f[l4:14 + struct.unpack('!H', f[16:18])[0]]
    sport, dport = struct.unpack('!HH', sctp[:4])
    if sport != 5555:
        continue
    tag = sctp[28:32].rstrip(b'.')
    carried = struct.unpack('<I', sctp[8:12])[0]
    right = crc32c(sctp[:8] + b'\0\0\0\0' + sctp[12:])
    seen[tag] = True
    want = right ^ (ERR if tag == b'bad' else 0)
    print('%s frame: port %d, CRC32c carried %08x, right %08x' % (tag.decode(), dport, carried, right))
    if dport != 8888 or carried != want:
        print('  expected port 8888 and CRC32c %08x' % want)
        ok = False
if len(seen) < 2:
    print('frames seen: %s (of good, bad)' % sorted(seen))
    ok = False
sys.exit(0 if ok else 1)
PYEOF
}

no_offload() {		# no_offload [NS] DEV
	if [ $# = 2 ]; then
		in_ns "$1" ethtool -K "$2" rx off tx off rxvlan off txvlan off >/dev/null 2>&1
	else
		ethtool -K "$1" rx off tx off rxvlan off txvlan off >/dev/null 2>&1
	fi
	return 0
}

port() {		# port N [IPV4 IPV6]: veth rwcNp <-> rwcN/eth0
	local n=$1
	must vm_ns rwc$n &&
	must ip link add rwc${n}p type veth peer name eth0 netns rwc$n || return 1
	TOPO_LINKS+=("rwc${n}p")
	ip link set rwc${n}p up
	no_offload rwc${n}p
	no_offload rwc$n eth0
	must vsctl add-port rwc0 rwc${n}p ofport=$n
}

setup() {
	write_helpers
	must add_br rwc0 && port 1 && port 2 && port 3 || return 1
	must vm_addr rwc1 eth0 02:00:00:09:00:01 10.0.9.1/24 fd09::1/64 &&
	must vm_addr rwc2 eth0 02:00:00:09:00:02 10.0.9.2/24 fd09::2/64 || return 1
	ip -n rwc3 link set eth0 address 02:00:00:09:00:03 up
	must ip -n rwc3 link add link eth0 name eth0.10 type vlan id 10 || return 1
	ip -n rwc3 addr add 10.0.9.3/24 dev eth0.10
	ip -n rwc3 link set eth0.10 address 02:00:00:09:00:03 up
	local a
	for a in 10.0.9.99 fd09::99; do
		ip -n rwc1 neigh replace $a lladdr 02:00:00:09:00:99 dev eth0 nud permanent
	done
	ip -n rwc1 neigh replace 10.0.9.2 lladdr 02:00:00:09:00:02 dev eth0 nud permanent
	ip -n rwc1 neigh replace 10.0.9.3 lladdr 02:00:00:09:00:03 dev eth0 nud permanent
	for a in 10.0.9.1 fd09::1; do
		ip -n rwc2 neigh replace $a lladdr 02:00:00:09:00:01 dev eth0 nud permanent
	done
	ip -n rwc3 neigh replace 10.0.9.1 lladdr 02:00:00:09:00:01 dev eth0.10 nud permanent
	bg rwc2 "$PY" "$TOPO_DIR/echo.py" 0.0.0.0 8888 tcp
	bg rwc2 "$PY" "$TOPO_DIR/echo.py" 0.0.0.0 8888 udp
	bg rwc2 "$PY" "$TOPO_DIR/echo.py" :: 8888 tcp
	bg rwc2 "$PY" "$TOPO_DIR/echo.py" :: 8888 udp
	# An SCTP listener needs the cookie's HMAC (md5 by default); a kernel
	# that has it as modules may fail to load it on demand from listen()
	# (the debug kernel's guest did, "failed to load transform for md5"),
	# so it is loaded here with the protocol.
	if modprobe sctp 2>/dev/null; then
		modprobe -q hmac 2>/dev/null
		modprobe -q md5 2>/dev/null
		bg rwc2 "$PY" "$TOPO_DIR/echo.py" 10.0.9.2 8888 sctp
	fi
	local d2=mod_dl_dst:02:00:00:09:00:02 s99=mod_dl_src:02:00:00:09:00:99
	must vsctl add-flows rwc0 - <<EOF2
priority=300,ip,in_port=1,nw_dst=10.0.9.99,actions=$d2,mod_nw_dst:10.0.9.2,mod_tp_dst:8888,output:2
priority=300,tcp,in_port=2,nw_src=10.0.9.2,tp_src=8888,actions=$s99,mod_nw_src:10.0.9.99,mod_tp_src:7777,output:1
priority=300,udp,in_port=2,nw_src=10.0.9.2,tp_src=8888,actions=$s99,mod_nw_src:10.0.9.99,mod_tp_src:7777,output:1
priority=300,sctp,in_port=2,nw_src=10.0.9.2,tp_src=8888,actions=$s99,mod_nw_src:10.0.9.99,mod_tp_src:7777,output:1
priority=300,ipv6,in_port=1,ipv6_dst=fd09::99,actions=$d2,set_field:fd09::2->ipv6_dst,mod_tp_dst:8888,output:2
priority=300,tcp6,in_port=2,ipv6_src=fd09::2,tp_src=8888,actions=$s99,set_field:fd09::99->ipv6_src,mod_tp_src:7777,output:1
priority=300,udp6,in_port=2,ipv6_src=fd09::2,tp_src=8888,actions=$s99,set_field:fd09::99->ipv6_src,mod_tp_src:7777,output:1
priority=300,in_port=1,ip,nw_dst=10.0.9.3,actions=push_vlan:0x8100,mod_vlan_vid:10,output:3
priority=300,in_port=3,dl_vlan=10,actions=strip_vlan,output:1
priority=300,icmp,in_port=1,nw_dst=10.0.9.2,actions=dec_ttl,output:2
priority=100,actions=NORMAL
EOF2
	# give the servers time to bind
	sleep 1
}

service() {		# service ADDR PROTO: an echo through the rewrites
	in_ns rwc1 "$PY" "$TOPO_DIR/client.py" "$1" 7777 "$2"
}

no_csum_errors() {
	local ns n
	for ns in rwc1 rwc2; do
		# InCsumErrors of Tcp and Udp (by column name) and of Udp6
		n=$(in_ns $ns awk '
			/^(Tcp|Udp):/ { if (!h[$1]) { for (i = 2; i <= NF; i++) c[$1, $i] = i; h[$1] = 1; next }
					print $c[$1, "InCsumErrors"] }
			/^(Udp6InCsumErrors|Tcp6InCsumErrors)/ { print $2 }' /proc/net/snmp /proc/net/snmp6 2>/dev/null |
			awk '{ s += $1 } END { print s + 0 }')
		[ "$n" = 0 ] || { echo "$ns: $n checksum errors"; return 1; }
	done
}

sctp_service() {
	local i
	grep -q '^sctp ' /proc/modules || { echo "sctp module not available"; return 1; }
	for i in $(seq 50); do
		in_ns rwc2 awk 'NR > 1 && $6 == 8888 { f = 1 } END { exit !f }' \
			/proc/net/sctp/eps && break
		[ "$i" = 50 ] && { echo "no SCTP listener on port 8888 in rwc2:"; dmesg | grep sctp | tail -n 3; return 1; }
		sleep 0.1
	done
	service 10.0.9.99 sctp
}

# Raw SCTP frames through the address+port rewrite: the CRC32c of the
# frame sent right is right after the port change, the one sent wrong
# stays wrong (the kernel folds in the change, it does not recompute).
sctp_crc_kept() {
	local pid rc
	in_ns rwc2 "$PY" "$TOPO_DIR/sctp_raw.py" recv &
	pid=$!
	sleep 1
	in_ns rwc1 "$PY" "$TOPO_DIR/sctp_raw.py" send || { kill $pid; return 1; }
	wait $pid
	rc=$?
	return $rc
}

ttl() {
	ping_ok rwc1 10.0.9.2 3 || { echo "ping with ttl 64 failed"; return 1; }
	must_not in_ns rwc1 ping -t 1 -c 2 -i 0.3 -W 2 10.0.9.2
}

e2e_setup "setup: three VMs, offloads off, NAT and VLAN rules" setup
e2e_case "tcp over IPv4 through address+port rewrites" service 10.0.9.99 tcp
e2e_case "udp over IPv4 through address+port rewrites" service 10.0.9.99 udp
e2e_case "tcp over IPv6 through address+port rewrites" service fd09::99 tcp
e2e_case "udp over IPv6 through address+port rewrites" service fd09::99 udp
e2e_case "sctp over IPv4 through rewrites (CRC32c updated)" sctp_service
e2e_case "raw sctp frames: a rewritten port keeps a good CRC32c good, a bad one bad" sctp_crc_kept
e2e_case "receivers saw no checksum errors" no_csum_errors
e2e_case "push_vlan out, strip_vlan back" ping_ok rwc1 10.0.9.3 3
e2e_case "dec_ttl forwards ttl 64, drops ttl 1" ttl
e2e_end
