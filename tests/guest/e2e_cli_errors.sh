#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 420
# Every vswitchctl command refuses bad input with exit status 1 and a
# one-line message naming the culprit, and changes nothing: the listings
# (list-br, show, list-ports, dump-flows) are identical before and after.
# A bridge cli0 with one port (clip1, ofport=1) and two rules is the state;
# each case compares against a snapshot taken at its start.
. "$(dirname "$0")/../tools/e2e.sh"

e2e_begin cli_errors

# show covers bridges and ports; dump-flows the rules (without clocks).
snapshot() {
	vsctl show
	vsctl dump-flows cli0 | sed -E 's/duration=[0-9.]+s, ?//'
}

setup() {
	must add_br cli0 &&
	must ip link add clip1 type veth peer name clip1b &&
	TOPO_LINKS+=(clip1) &&
	must vsctl add-port cli0 clip1 ofport=1 &&
	must vsctl add-flow cli0 priority=100,tcp,tp_dst=22,actions=drop &&
	must vsctl add-flow cli0 table=1,priority=5,ip,nw_src=10.0.0.0/8,actions=output:1 || return 1
	SNAP=$(snapshot)
	echo "$SNAP"
	[ -n "$SNAP" ]
}

# refuse CULPRIT CMD...: CMD exits 1 with a message on stderr naming
# CULPRIT (a fixed string), in at most three lines.
refuse() {
	local culprit=$1 out err rc now
	shift
	out=$("$VSCTL" "$@" 2>"$TOPO_DIR/err")
	rc=$?
	err=$(cat "$TOPO_DIR/err")
	echo "vswitchctl $* -> exit $rc: $err"
	[ $rc = 1 ] || { echo "exit status $rc, expected 1"; return 1; }
	[ -n "$err" ] || { echo "no error message"; return 1; }
	grep -qiF -- "$culprit" <<<"$err" || { echo "message does not name '$culprit'"; return 1; }
	[ "$(wc -l <<<"$err")" -le 3 ] || { echo "message is not short"; return 1; }
}

# unchanged: the state is still the case's starting snapshot (checked once
# per case: a vswitchctl call costs time in the emulated guest).
unchanged() {
	local now
	now=$(snapshot)
	[ "$now" = "$SNAP" ] && return 0
	echo "state changed:"
	diff <(echo "$SNAP") <(echo "$now")
	return 1
}

bridges() {
	SNAP=$(snapshot)
	refuse nosuchbr del-br nosuchbr &&
	refuse nosuchbr list-ports nosuchbr &&
	refuse nosuchbr show nosuchbr &&
	refuse nosuchbr add-port nosuchbr clip1b &&
	refuse nosuchbr add-flow nosuchbr actions=drop &&
	refuse nosuchbr dump-flows nosuchbr &&
	refuse nosuchbr del-flows nosuchbr &&
	refuse nosuchbr dump-dp-flows nosuchbr &&
	refuse nosuchbr dp-stats nosuchbr &&
	refuse nosuchbr trace nosuchbr in_port=1 &&
	refuse nosuchbr fdb-show nosuchbr &&
	refuse nosuchbr set nosuchbr flow-limit=10 &&
	refuse cli0 add-br cli0 &&
	refuse name-too-long-for-ifnamsiz add-br name-too-long-for-ifnamsiz &&
	unchanged
}

ports() {
	SNAP=$(snapshot)
	refuse nosuchport del-port cli0 nosuchport &&
	refuse clip1 add-port cli0 clip1 &&
	refuse 1 add-port cli0 clip1b ofport=1 &&
	refuse 0 add-port cli0 clip1b ofport=0 &&
	refuse abc add-port cli0 clip1b ofport=abc &&
	refuse 4095 add-port cli0 clip1b tag=4095 &&
	refuse 5000 add-port cli0 clip1b trunks=10,5000 &&
	refuse x add-port cli0 clip1b trunks=10,x &&
	refuse tag add-port cli0 clip1b tag=10 trunks=20 &&
	refuse colour add-port cli0 clip1b colour=blue &&
	unchanged
}

fields() {
	SNAP=$(snapshot)
	refuse nw_srcc add-flow cli0 ip,nw_srcc=10.0.0.1,actions=drop &&
	refuse nw_srcc dump-flows cli0 nw_srcc=10.0.0.1 &&
	refuse nw_srcc del-flows cli0 nw_srcc=10.0.0.1 &&
	refuse nw_srcc trace cli0 in_port=1,nw_srcc=10.0.0.1 &&
	refuse nosuchport add-flow cli0 in_port=nosuchport,actions=drop &&
	refuse nosuchport add-flow cli0 actions=output:nosuchport &&
	refuse tp_dst add-flow cli0 tp_dst=22,actions=drop &&
	refuse in_port trace cli0 tcp,tp_dst=22 &&
	unchanged
}

actions() {
	SNAP=$(snapshot)
	refuse frobnicate add-flow cli0 ip,actions=frobnicate &&
	refuse actions add-flow cli0 ip &&
	refuse 300 add-flow cli0 actions=goto_table:300 &&
	refuse mod_nw_src add-flow cli0 arp,actions=mod_nw_src:10.0.0.1,output:1 &&
	unchanged
}

masks() {
	SNAP=$(snapshot)
	refuse 10.0.0.0/33 add-flow cli0 ip,nw_src=10.0.0.0/33,actions=drop &&
	refuse 255.0.0.300 add-flow cli0 ip,nw_src=10.0.0.0/255.0.0.300,actions=drop &&
	refuse fd00::/129 add-flow cli0 ipv6,ipv6_src=fd00::/129,actions=drop &&
	refuse 1.2.3.4/99 del-flows cli0 ip,nw_dst=1.2.3.4/99 &&
	refuse zz dump-flows cli0 dl_src=zz:00:00:00:00:01 &&
	unchanged
}

numbers() {
	SNAP=$(snapshot)
	refuse 70000 add-flow cli0 priority=70000,actions=drop &&
	refuse 99999 add-flow cli0 tcp,tp_dst=99999,actions=drop &&
	refuse 256 add-flow cli0 table=256,actions=drop &&
	refuse 10.0.0.256 add-flow cli0 ip,nw_dst=10.0.0.256,actions=drop &&
	refuse 4096 add-flow cli0 dl_vlan=4096,actions=drop &&
	refuse -1 add-flow cli0 priority=-1,actions=drop &&
	refuse 0x1g add-flow cli0 dl_type=0x1g,actions=drop &&
	unchanged
}

settings() {
	SNAP=$(snapshot)
	refuse nosuchkey set cli0 nosuchkey=1 &&
	refuse abc set cli0 flow-limit=abc &&
	refuse -5 set cli0 idle-timeout=-5 &&
	refuse 3000 set cli0 microflow-size=3000 &&
	refuse = set cli0 flow-limit &&
	unchanged
}

add_flows_file() {
	SNAP=$(snapshot)
	local f=$TOPO_DIR/flows.txt
	cat >"$f" <<-'F'
	# two good rules, then a bad one: nothing may be added
	priority=10,ip,nw_dst=10.1.0.0/16,actions=output:1
	priority=11,udp,tp_dst=53,actions=drop
	priority=12,ip,actions=explode
	F
	refuse "line 4" add-flows cli0 "$f" &&
	refuse explode add-flows cli0 "$f" &&
	refuse nosuchfile add-flows cli0 "$TOPO_DIR/nosuchfile" &&
	refuse nosuchbr add-flows nosuchbr - <<<"actions=drop" &&
	unchanged
}

usage_errors() {
	SNAP=$(snapshot)
	refuse frobnicate frobnicate &&
	refuse add-br add-br &&
	refuse add-flow add-flow cli0 &&
	refuse --bogus list-br --bogus &&
	refuse list-br list-br extra &&
	unchanged
}

e2e_setup "setup: bridge cli0, port clip1, two rules" setup
e2e_case "unknown bridge (every command) and bad bridge names" bridges
e2e_case "unknown port, duplicate port, bad ofport/tag/trunks/option" ports
e2e_case "unknown field, unknown port name, missing prerequisite" fields
e2e_case "unknown action, missing actions, bad action argument" actions
e2e_case "bad masks: IPv4, IPv6, MAC" masks
e2e_case "bad numbers: priority, port, table, address, vlan, ethertype" numbers
e2e_case "set: unknown key, bad values" settings
e2e_case "add-flows: all or nothing, error names the line" add_flows_file
e2e_case "usage: unknown command, missing or extra arguments" usage_errors
e2e_end
