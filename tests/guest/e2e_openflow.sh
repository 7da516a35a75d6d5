#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
# vsw-sanitizers: asan tsan (scripts/run-tests runs it again with those daemons)
#
# Debian's ovs-ofctl, speaking OpenFlow 1.3, drives vswitchd: over the
# bridge's management socket and over a ptcp: target it listens on.
# Traffic between two namespaces follows the rules it adds; a rule change
# is in the datapath by the time the barrier is answered; refused requests
# get their OpenFlow error and the channel keeps working.
#
#   ns ofa               +-------- ofbr --------+              ns ofb
#   va 192.0.2.1 ------- | 1 ofpa       2 ofpb  | ------- vb 192.0.2.2
#                        +----------------------+
#          ovs-ofctl -> unix:$DIR/run/ofbr.mgmt, tcp:127.0.0.1:16653
. "$(dirname "$0")/../lib.sh"

vs_require_root
vs_require_vswitch
vs_require_cmd ip ping ovs-ofctl python3 ss
[ -x "$VSWD" ] && [ -x "$VSCTL" ] || vs_skip_all "build/vswitchd or build/vswitchctl not built"

vs_vswitchd_dir of
MGMT=unix:$DIR/run/ofbr.mgmt
TCP=tcp:127.0.0.1:16653

ofctl() { timeout 20 ovs-ofctl -O OpenFlow13 "$@"; }

setup() {
	vs_vswitchd_start
	vs_vm ofa ofpa va 02:00:00:0f:00:01 192.0.2.1/24
	vs_vm ofb ofpb vb 02:00:00:0f:00:02 192.0.2.2/24
	ip -n ofa neigh add 192.0.2.2 lladdr 02:00:00:0f:00:02 dev va
	ip -n ofb neigh add 192.0.2.1 lladdr 02:00:00:0f:00:01 dev vb
	"$VSCTL" add-br ofbr
	vs_defer "$VSCTL" del-br ofbr
	"$VSCTL" set ofbr idle-timeout=60s
	"$VSCTL" add-port ofbr ofpa ofport=1
	"$VSCTL" add-port ofbr ofpb ofport=2
	"$VSCTL" del-flows ofbr
	vs_vm_up ofa ofpa va
	vs_vm_up ofb ofpb vb
	vs_wait_for 10 sh -c "'$VSCTL' show ofbr | grep -c 'interface: attached' | grep -qx 2"
	vs_wait_for 10 test -S "$DIR/run/ofbr.mgmt"
}

show_lists_the_ports() {
	local out
	out=$(ofctl show "$MGMT")
	echo "$out"
	echo "$out" | grep -q 'n_tables:254' || vs_die "no FEATURES_REPLY"
	echo "$out" | grep -q ' 1(ofpa): addr:' || vs_die "port 1 missing"
	echo "$out" | grep -q ' 2(ofpb): addr:' || vs_die "port 2 missing"
	echo "$out" | grep -q ' LOCAL(ofbr): addr:' || vs_die "LOCAL missing"
	ofctl dump-desc "$MGMT" | grep -qx 'DP Description: ofbr' || vs_die "no DESC"
}

traffic_follows_flows_added_over_openflow() {
	vs_expect_fail ip netns exec ofa ping -c 1 -W 1 192.0.2.2
	ofctl add-flow "$MGMT" "priority=10,in_port=1,actions=output:2"
	ofctl add-flow "$MGMT" "priority=10,in_port=2,actions=output:1"
	ofctl dump-flows "$MGMT" | tee "$DIR/flows"
	grep -q 'priority=10,in_port=1 actions=output:2' "$DIR/flows" || vs_die "rule 1->2 not dumped"
	"$VSCTL" dump-flows ofbr | grep -q 'in_port=2 actions=output:1' ||
		vs_die "vswitchctl does not see the rule"
	ip netns exec ofa ping -c 3 -i 0.2 -W 5 192.0.2.2
	ofctl dump-flows "$MGMT" "in_port=1" | grep -Eq 'n_packets=[1-9]' ||
		vs_die "no packets counted on the OpenFlow rule"
	ofctl dump-aggregate "$MGMT" | grep -q 'flow_count=2' || vs_die "aggregate"
	ofctl dump-ports "$MGMT" 1 | grep -Eq 'rx pkts=[1-9]' || vs_die "no port stats"
}

# ovs-ofctl sends a barrier after the FLOW_MOD and returns on its reply:
# the very next packet must see the change, cached megaflow or not.
barrier_means_done_in_the_datapath() {
	ip netns exec ofa ping -c 2 -i 0.2 -W 5 192.0.2.2
	"$VSCTL" dump-dp-flows ofbr | grep -q '^in_port(1),.*actions:2$' ||
		vs_die "1->2 is not cached"
	ofctl add-flow "$MGMT" "priority=20,icmp,in_port=1,actions=drop"
	vs_expect_fail ip netns exec ofa ping -c 1 -W 1 192.0.2.2
	ofctl --strict del-flows "$MGMT" "priority=20,icmp,in_port=1"
	ip netns exec ofa ping -c 1 -W 5 192.0.2.2
}

errors_are_answered_and_the_channel_survives() {
	local out
	out=$(ofctl add-flow "$MGMT" "priority=5,mpls,mpls_label=5,actions=drop" 2>&1) &&
		vs_die "an MPLS match was accepted"
	echo "$out"
	echo "$out" | grep -q OFPBMC_BAD_FIELD || vs_die "not OFPBMC_BAD_FIELD"
	out=$(ofctl add-flow "$MGMT" "priority=5,actions=group:1" 2>&1) &&
		vs_die "a group action was accepted"
	echo "$out" | grep -q OFPBAC_BAD_OUT_GROUP || vs_die "not OFPBAC_BAD_OUT_GROUP"
	ofctl dump-flows "$MGMT" | grep -q 'priority=5' && vs_die "a refused rule was added"
	ip netns exec ofa ping -c 1 -W 5 192.0.2.2
}

ptcp_target_serves_ovs_ofctl_and_persists() {
	"$VSCTL" set-controller ofbr ptcp:16653:127.0.0.1
	"$VSCTL" get-controller ofbr | grep -qx 'ptcp:16653:127.0.0.1' || vs_die "get-controller"
	vs_wait_for 10 sh -c "'$VSCTL' show ofbr | grep -q 'Controller \"ptcp:16653:127.0.0.1\": listening'"
	ofctl mod-flows "$TCP" "in_port=1,actions=output:2,output:LOCAL"
	ofctl dump-flows "$TCP" | grep -q 'in_port=1 actions=output:2,LOCAL' || vs_die "mod-flows over tcp"
	ip netns exec ofa ping -c 1 -W 5 192.0.2.2
	# the target and the rules survive a restart (rules changed over
	# OpenFlow are saved within a second)
	vs_wait_for 10 grep -q 'actions=output:2,LOCAL' "$DIR/state/state.conf"
	kill "$(cat "$DIR/pid")"
	vs_wait_for 10 sh -c "! kill -0 $(cat "$DIR/pid") 2>/dev/null"
	vs_vswitchd_start
	vs_wait_for 10 sh -c "timeout 5 ovs-ofctl -O OpenFlow13 dump-flows $TCP | grep -q 'in_port=2 actions=output:1'"
	"$VSCTL" del-controller ofbr
	vs_wait_for 10 sh -c "! timeout 5 ovs-ofctl -O OpenFlow13 dump-flows $TCP"
	ofctl del-flows "$MGMT"
	ofctl dump-flows "$MGMT" | grep -q 'priority=' && vs_die "del-flows left rules"
	vs_expect_fail ip netns exec ofa ping -c 1 -W 1 192.0.2.2
}

# A minimal controller (Python, standard library): listens, lets vswitchd
# connect to it, and checks the role election and the echo probe.
write_peer() {
	cat > "$DIR/peer.py" <<'PY'
import socket, struct, sys, time

def recv_msg(c, want=None, timeout=15):
    c.settimeout(timeout)
    while True:
        h = b''
        while len(h) < 8:
            d = c.recv(8 - len(h))
            if not d:
                raise SystemExit('connection closed')
            h += d
        ver, typ, length, xid = struct.unpack('!BBHI', h)
        body = b''
        while len(body) < length - 8:
            body += c.recv(length - 8 - len(body))
        if want is None or typ in want:
            return typ, xid, body

def send(c, typ, xid, body=b''):
    c.sendall(struct.pack('!BBHI', 4, typ, 8 + len(body), xid) + body)

def role(c, r, gen, xid):
    send(c, 24, xid, struct.pack('!I4xQ', r, gen))
    return recv_msg(c, (1, 25))

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', int(sys.argv[1])))
srv.listen(1)
srv.settimeout(30)
c, _ = srv.accept()
typ, _, _ = recv_msg(c)
assert typ == 0, 'first message %d is not HELLO' % typ
send(c, 0, 1, struct.pack('!HHI', 1, 8, 1 << 4))
send(c, 5, 2)
typ, xid, body = recv_msg(c, (6,))
dpid = struct.unpack('!Q', body[:8])[0]
assert dpid != 0, 'datapath id 0'
typ, _, body = role(c, 2, 5, 3)
assert typ == 25 and struct.unpack('!I4xQ', body) == (2, 5), 'master: %d %r' % (typ, body)
typ, _, body = role(c, 3, 4, 4)
assert typ == 1 and struct.unpack('!HH', body[:4]) == (11, 0), 'stale: %d %r' % (typ, body)
typ, _, body = role(c, 3, 6, 5)
assert typ == 25 and struct.unpack('!I4xQ', body) == (3, 6), 'slave: %d %r' % (typ, body)
fm = struct.pack('!QQBBHHHIIIH2x', 0, 0, 0, 0, 0, 0, 1, 0xffffffff, 0xffffffff,
                 0xffffffff, 0) + struct.pack('!HH4x', 1, 4)
send(c, 14, 6, fm)
typ, xid, body = recv_msg(c, (1,))
assert xid == 6 and struct.unpack('!HH', body[:4]) == (1, 10), 'not IS_SLAVE: %r' % body
# silent: vswitchd probes with an echo request after 5 s
t0 = time.time()
typ, _, _ = recv_msg(c, (2,), timeout=30)
print('echo request after %.1f s' % (time.time() - t0))
c.close()
# and reconnects
c, _ = srv.accept()
typ, _, _ = recv_msg(c)
assert typ == 0, 'no HELLO after reconnecting'
print('reconnected')
PY
}

active_target_roles_probe_and_reconnect() {
	write_peer
	python3 "$DIR/peer.py" 16654 > "$DIR/peer.out" 2>&1 &
	local peer=$!
	vs_defer kill "$peer"
	vs_wait_for 10 sh -c "ss -ltn | grep -q 127.0.0.1:16654"
	"$VSCTL" set-controller ofbr tcp:127.0.0.1:16654
	wait "$peer" || { cat "$DIR/peer.out"; vs_die "the controller's checks failed"; }
	cat "$DIR/peer.out"
	grep -q reconnected "$DIR/peer.out" || vs_die "no reconnection"
	"$VSCTL" del-controller ofbr
}

run_case "setup: daemon, bridge, two namespaces" setup
run_case "ovs-ofctl show and dump-desc over the management socket" show_lists_the_ports
run_case "traffic follows flows added over OpenFlow; counters and port stats" \
	traffic_follows_flows_added_over_openflow
run_case "a barrier reply means the change is in the datapath" \
	barrier_means_done_in_the_datapath
run_case "refused requests get their error and the channel survives" \
	errors_are_answered_and_the_channel_survives
run_case "a ptcp target serves ovs-ofctl and persists across a restart" \
	ptcp_target_serves_ovs_ofctl_and_persists
run_case "an active target: role election, echo probe, reconnection" \
	active_target_roles_probe_and_reconnect
vs_done
