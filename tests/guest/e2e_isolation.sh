#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
# Noisy-neighbour isolation end to end, with the real daemon: a flooder
# port sends frames from random source MACs (each a new megaflow, because
# a rule looks at dl_src) as fast as pktgen can, until the flow table is
# at its limit; a quiet port then sends a few new flows. The quiet port's
# frames must get through (its own upcall socket, served round-robin) and
# its flows must be installed (its share of the flow limit), while the
# flooder keeps its flows and its losses are counted in dp-stats. Counts
# only, with wide margins: TCG on a loaded machine sets no pace.
#
#   pktgen   -> isof ==veth== isopf (port 1)          (port 3) isops ==veth== isos
#   newflows -> isov ==veth== isopv (port 2) [isobr]  (port 4) isopw ==veth== isow
# Both senders on CPU 0 (the victim beside the flooder's pktgen thread).
. "$(dirname "$0")/../tools/e2e.sh"

PG=/proc/net/pktgen
NEWFLOWS=$E2E_ROOT/build/tools/newflows
LIMIT=2000		# flow-limit of the bridge: the flooder fills it fast
VICTIM=200		# the quiet port's new flows, 100 per second

e2e_begin isolation ethtool taskset nproc

# On one CPU (a guest started with -smp 1; the debug kernel saw one CPU
# before it had ACPI) pktgen's thread does all the work of its frames, the switch's
# included, and leaves no time to the victim, the daemon or this script
# (paced at 1,000 frames/s, each frame still took longer than its slot
# under KASAN and emulation). There the flood is 30,000 frames, enough to
# fill the flooder's share and to be shed, and the victim's case is
# skipped, saying why: isolation is measured on two CPUs.
NCPU=$(nproc)
FLOOD_COUNT=0
[ "$NCPU" -gt 1 ] || FLOOD_COUNT=30000

pg() {	# FILE COMMAND
	echo "$2" > "$PG/$1" || { echo "pktgen: $1: '$2' refused"; return 1; }
}

# pg_dev DEV THREAD COUNT DELAY_NS SRC_MAC [FLAG]
pg_dev() {
	local d=$1
	pg kpktgend_$2 "add_device $d" &&
	pg $d "count $3" && pg $d "delay $4" && pg $d "pkt_size 60" &&
	pg $d "clone_skb 0" && pg $d "src_mac $5" &&
	pg $d "src_mac_count 1000000" && pg $d "dst_mac 02:00:5e:00:53:01" &&
	pg $d "dst 192.0.2.2" && pg $d "src_min 192.0.2.1" &&
	pg $d "src_max 192.0.2.1" && { [ -z "${6:-}" ] || pg $d "flag $6"; }
}

setup() {
	local i d
	[ -x "$NEWFLOWS" ] || { echo "$NEWFLOWS not built"; return 1; }
	[ -d $PG ] || must modprobe pktgen || return 1
	vs_defer sh -c "echo stop > $PG/pgctrl; echo rem_device_all > $PG/kpktgend_0"
	must add_br isobr &&
	# flows stay while the victim's are counted, even on a slow kernel
	must vsctl set isobr flow-limit=$LIMIT idle-timeout=60000 || return 1
	for i in f v s w; do
		must ip link add iso$i type veth peer name isop$i || return 1
		TOPO_LINKS+=(iso$i)
	done
	for d in isof isov isos isow isopf isopv isops isopw; do
		ethtool -K $d gro off tso off gso off >/dev/null 2>&1
		must ip link set $d up || return 1
	done
	i=1
	for d in isopf isopv isops isopw; do
		must vsctl add-port isobr $d ofport=$i || return 1
		i=$((i + 1))
	done
	must vsctl add-flows isobr - <<-EOF
	priority=100,dl_src=02:00:5e:00:53:ff,actions=drop
	priority=10,in_port=1,actions=output:3
	priority=10,in_port=2,actions=output:4
	EOF
}

flows() { vsctl dp-stats isobr | awk '$1 == "flows:" { print $2; exit }'; }
# port_field PORT FIELD: a counter of PORT's line in dp-stats
port_field() {
	vsctl dp-stats isobr | awk -v p="port $1 " -v f="$2:" \
		'index($0, p) { for (i = 1; i <= NF; i++) if (index($i, f) == 1) { print substr($i, length(f) + 1); exit } }'
}
at_least() { [ "$(flows)" -ge "$1" ]; }

flood_fills_the_table() {
	[ "$FLOOD_COUNT" = 0 ] || echo "one CPU: the flooder sends $FLOOD_COUNT frames"
	must pg_dev isof 0 $FLOOD_COUNT 0 02:00:5e:10:00:00 MACSRC_RND || return 1
	echo start > $PG/pgctrl &
	FLOOD_PID=$!
	TOPO_PIDS+=("$FLOOD_PID")
	# the flooder alone may take 3/4 of the table
	wait_for 120 at_least $((LIMIT * 3 / 4 - LIMIT / 20)) || return 1
	echo "flows: $(flows)"
}

# The victim's frames are judged against those that reached the switch,
# and the switch by what it forwarded: port 4's transmissions, delivered
# or refused by the kernel. On a kernel several times slower (make
# check-debug: KASAN, lockdep on every packet) the flood fills the CPUs'
# input backlogs (netdev_max_backlog), which every veth shares: victim
# frames are dropped there before the switch sees them (sendto fails),
# and after it has forwarded them, on their way into isow (veth refuses
# the transmission; the port counts it in tx_dropped). Neither is the
# switch's doing, and Open vSwitch's frames would meet the same backlog.
# The victim first sends from the flooder's CPU (the harder placement);
# if under a quarter of its frames get to the switch from there, it sends
# as many new flows again from the other CPU, and if that fails too there
# is no isolation to measure: the case is skipped, saying so. On Debian's
# kernel all of them get there from the flooder's CPU and are delivered.
victim_flows_in() { [ "$(port_field 2 flows)" -ge "$1" ]; }
victim_reached() { echo $(($(cat /sys/class/net/isopv/statistics/rx_packets) - $1)); }

quiet_port_gets_through() {
	local w0 w1 fl s0 sent t0 t1 d0 d1 reached fwd
	if [ "$NCPU" = 1 ]; then
		FLOODER_FLOWS=$(port_field 1 flows)
		echo stop > $PG/pgctrl
		wait "$FLOOD_PID"
		echo "one CPU: a flood leaves the victim no time to send; isolation is measured on two"
		return $VS_SKIP_RC
	fi
	w0=$(cat /sys/class/net/isow/statistics/rx_packets)
	s0=$(cat /sys/class/net/isopv/statistics/rx_packets)
	t0=$(port_field 4 tx) d0=$(port_field 4 tx_dropped)
	sent=$(taskset -c 0 "$NEWFLOWS" isov $VICTIM 100 $((0x200000)))
	reached=$(victim_reached "$s0")
	echo "victim on the flooder's CPU: $sent of $VICTIM sent, $reached reached the switch"
	if [ "$reached" -lt $((VICTIM / 4)) ]; then
		sent=$(taskset -c 1 "$NEWFLOWS" isov $VICTIM 100 $((0x300000)))
		reached=$(victim_reached "$s0")
		echo "victim on the other CPU: $sent of $VICTIM sent, $reached reached the switch in all"
	fi
	# installed while the flood goes on (idle-timeout is a minute)
	[ "$reached" -lt $((VICTIM / 4)) ] ||
		wait_for 60 victim_flows_in $((reached / 2))
	fl=$(port_field 2 flows)
	FLOODER_FLOWS=$(port_field 1 flows)
	echo stop > $PG/pgctrl
	wait "$FLOOD_PID"
	sleep 1
	w1=$(cat /sys/class/net/isow/statistics/rx_packets)
	t1=$(port_field 4 tx) d1=$(port_field 4 tx_dropped)
	fwd=$((t1 - t0 + d1 - d0))
	vsctl dp-stats isobr
	echo "victim: $reached reached the switch, $fwd forwarded to port 4 ($((d1 - d0)) of them refused by the kernel's input backlog), $((w1 - w0)) delivered; $fl flows installed"
	if [ "$reached" -lt $((VICTIM / 4)) ]; then
		echo "only $reached victim frames got past the CPUs' backlogs to the switch: too slow a kernel to measure isolation"
		return $VS_SKIP_RC
	fi
	# >= 90%: the goal is 95%, measured by make bench
	[ $fwd -ge $((reached * 9 / 10)) ] || return 1
	# what port 4 counts as sent did arrive
	[ $((w1 - w0)) -ge $(((t1 - t0) * 9 / 10)) ] || return 1
	[ "${fl:-0}" -ge $((reached / 2)) ]
}

# The flooder's flows, counted while it flooded, stay within its cap of
# 3/4 of the limit; its share of the daemon's work shows in its upcalls
# (at least as many as the victim's), and its losses are counted.
flooder_keeps_its_share_and_losses_are_counted() {
	local sent lost limited
	sent=$(port_field 1 sent)
	lost=$(port_field 1 lost)
	limited=$(port_field 1 limited)
	echo "flooder: flows ${FLOODER_FLOWS:-?} (while flooding), upcalls sent $sent lost $lost limited $limited"
	[ "${FLOODER_FLOWS:-99999}" -le $((LIMIT * 3 / 4)) ] || return 1
	[ "${sent:-0}" -ge $VICTIM ] || { echo "the flooder got fewer upcalls than the victim"; return 1; }
	[ $((lost + limited)) -gt 0 ] || { echo "no loss counted for a flooder"; return 1; }
	vsctl --json dp-stats isobr | grep -q '"upcall_dropped_by_daemon"'
}

e2e_setup "setup: bridge isobr (flow-limit $LIMIT), 4 ports, a dl_src rule" setup
e2e_case "a flooding port fills its part of the flow table" flood_fills_the_table
e2e_case "a quiet port's new flows are delivered and installed" quiet_port_gets_through
e2e_case "the flooder keeps its share; its losses are counted per port" \
	flooder_keeps_its_share_and_losses_are_counted
e2e_end
