#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
# The whole megaflow table stays correct at scale (issue 16, reduced):
# 10,500 megaflows, one per source MAC (an anti-spoofing rule on dl_src
# makes dl_src exact), through a small per-VM ACL. After each change - a
# rule touching one megaflow, ~1% of them, all of them, and a MAC moving
# between ports - `vswitchctl check-dp-flows` must find every kernel
# megaflow equal to a fresh translation, and the dump must show the
# change really reached the kernel (how many megaflows carry the new
# actions). Then the flow limit: lowered under the full table, the
# daemon trims to it without flushing everything, new flows' packets are
# still forwarded, and once there is room again they are installed.
# Counts only, no timing: TCG on a loaded machine sets no pace.
#
#   newflows -> scg1 ==veth== scp1 (port 1)  [scbr]  (port 2) scp2 ==veth== scg2
#                                                    (port 3) scp3 ==veth== scg3
# Table 0: a dl_src drop rule, port 1 -> table 1, others NORMAL.
# Table 1 (port 1's ACL): to MAC D NORMAL, the rest output:2.
. "$(dirname "$0")/../tools/e2e.sh"

NEWFLOWS=$E2E_ROOT/build/tools/newflows
N=${VSW_SCALE_N:-10000}	# bulk megaflows, source MACs 02:00:5e:10:00:00 + i
ND=500			# megaflows to MAC D, source MACs 02:00:5e:20:00:00 + i
D=02:00:5e:77:00:01	# a VM's MAC, learned on port 2, then moving to 3
RATE=3000		# frames per second offered (the upcall limit is 20,000)
# How long the revalidator may take to catch up, at most: a bound, not
# a pace (the debug kernel's VSW_TIMEOUT_SCALE stretches it).
PASS_S=$((90 * ${VSW_TIMEOUT_SCALE:-1}))

e2e_begin scale ethtool

flows() { vsctl dp-stats scbr | awk '$1 == "flows:" { print $2; exit }'; }
# port_flows PORT: the kernel's per-port megaflow count
port_flows() {
	vsctl dp-stats scbr | awk -v p="port $1 " \
		'index($0, p) { for (i = 1; i <= NF; i++) if ($i ~ /^flows:/) { print substr($i, 7); exit } }'
}
daemon_removed() {
	vsctl dp-stats scbr | sed -n 's/.*flows: installed:.* removed:\([0-9]*\).*/\1/p'
}
rx() { cat /sys/class/net/$1/statistics/rx_packets; }

setup() {
	local i d
	[ -x "$NEWFLOWS" ] || { echo "$NEWFLOWS not built"; return 1; }
	must add_br scbr &&
	must vsctl set scbr idle-timeout=3600s || return 1
	for i in 1 2 3; do
		must ip link add scg$i type veth peer name scp$i || return 1
		TOPO_LINKS+=(scg$i)
		for d in scg$i scp$i; do
			ethtool -K $d gro off tso off gso off >/dev/null 2>&1
			must ip link set $d up || return 1
		done
		must vsctl add-port scbr scp$i ofport=$i || return 1
	done
	must vsctl del-flows scbr &&
	must vsctl add-flows scbr - <<-EOF
	table=0,priority=200,dl_src=02:00:5e:ff:ff:ff,actions=drop
	table=0,priority=10,in_port=1,actions=resubmit(,1)
	table=0,priority=5,actions=NORMAL
	table=1,priority=50,dl_dst=$D,actions=NORMAL
	table=1,priority=0,actions=output:2
	EOF
}

# check_correct: poll check-dp-flows until every megaflow matches a fresh
# translation (the revalidator catches up within a pass or two).
check_correct() {
	local start=$SECONDS end=$((SECONDS + PASS_S)) out
	while :; do
		if out=$(vsctl check-dp-flows scbr 2>&1); then
			echo "$out (after $((SECONDS - start)) s)"
			return 0
		fi
		[ $SECONDS -lt $end ] || break
		sleep 0.5
	done
	echo "not correct within ${PASS_S}s: $out"
	return 1
}

# count_acts REGEX ACTS: megaflows whose line matches REGEX and whose
# actions are exactly ACTS.
count_acts() {
	vsctl dump-dp-flows scbr | awk -v p="$1" -v a="actions:$2" \
		'$0 ~ p { n += (substr($0, length($0) - length(a) + 1) == a) } END { print n + 0 }'
}
bulk_to() { count_acts "src=02:00:5e:10:" "$1"; }
# expect_count WHAT WANT GOT
expect_count() {
	echo "$1: $3 (want $2)"
	[ "$3" = "$2" ]
}

# send IFACE COUNT BASE [DST]: offer COUNT new flows from port IFACE.
send() { "$NEWFLOWS" "$1" "$2" $RATE "$3" ${4:+"$4"} >/dev/null; }

# Frames whose upcall was shed (a loaded machine slows the daemon, not
# the sender) are sent again; frames of installed flows stay in the
# kernel. Passes until all are in or a pass adds nothing.
fill() {
	local pass f=0 last
	must send scg2 1 0x770001 || return 1	# D is on port 2
	for pass in 1 2 3 4 5 6 7 8; do
		must send scg1 $N 0x100000 && must send scg1 $ND 0x200000 0x770001 || return 1
		sleep 2
		last=$f
		f=$(port_flows 1)
		echo "pass $pass: port 1 holds $f megaflows"
		[ "${f:-0}" -ge $((N + ND)) ] || [ "${f:-0}" -le "$last" ] && break
	done
	[ "${f:-0}" -ge $((N + ND - N / 100)) ] || return 1
	BULK=$(bulk_to 2)
	echo "bulk megaflows to port 2: $BULK"
	[ "$BULK" -ge $((N - N / 100)) ] && check_correct
}

one_megaflow() {
	must vsctl add-flow scbr "table=1,priority=100,dl_src=02:00:5e:10:00:07,actions=output:3" &&
	check_correct &&
	expect_count "bulk megaflows to port 3" 1 "$(bulk_to 3)" &&
	must vsctl --strict del-flows scbr "table=1,priority=100,dl_src=02:00:5e:10:00:07" &&
	check_correct &&
	expect_count "bulk megaflows to port 3 after the delete" 0 "$(bulk_to 3)"
}

one_percent() {
	local want
	# 128 source MACs: 02:00:5e:10:01:00 to 02:00:5e:10:01:7f
	want=$(count_acts "src=02:00:5e:10:01:[0-7]" 2)
	echo "megaflows from 02:00:5e:10:01:00/ff:ff:ff:ff:ff:80: $want"
	[ "$want" -ge 120 ] || return 1
	must vsctl add-flow scbr "table=1,priority=100,dl_src=02:00:5e:10:01:00/ff:ff:ff:ff:ff:80,actions=output:3" &&
	check_correct &&
	expect_count "bulk megaflows to port 3" "$want" "$(bulk_to 3)" &&
	must vsctl --strict del-flows scbr "table=1,priority=100,dl_src=02:00:5e:10:01:00/ff:ff:ff:ff:ff:80" &&
	check_correct &&
	expect_count "bulk megaflows to port 3 after the delete" 0 "$(bulk_to 3)"
}

all_megaflows() {
	must vsctl add-flow scbr "table=1,priority=0,actions=output:3" &&
	check_correct &&
	expect_count "bulk megaflows to port 3" "$BULK" "$(bulk_to 3)" &&
	must vsctl add-flow scbr "table=1,priority=0,actions=output:2" &&
	check_correct &&
	expect_count "bulk megaflows to port 2 again" "$BULK" "$(bulk_to 2)"
}

mac_move() {
	local to_d
	to_d=$(count_acts "dst=$D" 2)
	echo "megaflows to $D through port 2: $to_d"
	[ "$to_d" -ge $((ND - ND / 10)) ] || return 1
	must send scg3 1 0x770001 &&	# D now speaks from port 3
	check_correct &&
	expect_count "megaflows to $D through port 3" "$to_d" "$(count_acts "dst=$D" 3)"
}

# Lowered under the table: the daemon removes the most idle megaflows
# down to the limit, not all of them, and then leaves the rest alone.
limit_trims_without_flush() {
	local lim=$(( (N + ND) * 3 / 4 )) f i
	LIMIT=$lim
	must vsctl set scbr flow-limit=$lim || return 1
	local end=$((SECONDS + PASS_S))
	until f=$(flows); [ "$f" -le $lim ]; do
		[ $SECONDS -lt $end ] || { echo "still $f megaflows, limit $lim"; return 1; }
		sleep 0.5
	done
	REMOVED=$(daemon_removed)
	for i in 1 2 3 4 5 6; do
		f=$(flows)
		echo "megaflows: $f (limit $lim)"
		[ "$f" -le $lim ] && [ "$f" -ge $((lim * 9 / 10)) ] || return 1
		sleep 0.5
	done
	check_correct
}

# At the limit new flows are still forwarded (upcall, translation and
# execution), and nothing installed is evicted for them.
limit_new_flows_forwarded() {
	local r0 r1 removed
	r0=$(rx scg2)
	must send scg1 1000 0x300000 || return 1
	sleep 2
	r1=$(rx scg2)
	echo "new flows at the limit: $((r1 - r0)) of 1000 forwarded to port 2"
	[ $((r1 - r0)) -ge 900 ] || return 1
	removed=$(daemon_removed)
	echo "megaflows removed by the daemon meanwhile: $((removed - REMOVED)), megaflows now $(flows)"
	[ "$removed" = "$REMOVED" ] && [ "$(flows)" -le "$LIMIT" ]
}

limit_raised_new_flows_installed() {
	local before f
	before=$(flows)
	must vsctl set scbr flow-limit=200000 &&
	must send scg1 1000 0x300000 || return 1
	sleep 2
	f=$(flows)
	echo "megaflows: $before before, $f after 1000 new flows"
	[ "$f" -ge $((before + 900)) ] && check_correct
}

e2e_setup "setup: bridge scbr, 3 ports, anti-spoofing rule and an ACL table" setup
e2e_setup "$N + $ND megaflows installed, all correct" fill
e2e_case "a rule for one megaflow: that one changes, the table stays correct" one_megaflow
e2e_case "a rule for ~1% of the megaflows: those change, the table stays correct" one_percent
e2e_case "a rule for all megaflows: all change, the table stays correct" all_megaflows
e2e_case "a MAC moves between ports: its megaflows follow" mac_move
e2e_case "flow limit lowered under the table: trimmed to it, not flushed" limit_trims_without_flush
e2e_case "at the flow limit new flows are forwarded, none evicted" limit_new_flows_forwarded
e2e_case "limit raised: new flows installed again, table correct" limit_raised_new_flows_installed
e2e_end
