#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Noisy-neighbour isolation, run inside the guest (scripts/vm-run): how
# many of a quiet port's new flows get through while another port floods
# new flows, with default settings.
#
#   bench/guest/isolation.sh OUTDIR
#
# Candidates, each a full switch with its daemon, in the same boot:
#   ovs  ovs-vswitchd + ovsdb-server on openvswitch.ko (per-CPU dispatch)
#   vsw  vswitchd on vswitch.ko
# Topology per candidate X (io or iv):
#
#   pktgen flooder -> Xf ==veth== Xp1 (port 1)            (port 3) Xp3 ==veth== Xs  flooder's sink
#   pktgen victim  -> Xv ==veth== Xp2 (port 2) [switch]   (port 4) Xp4 ==veth== Xw  victim's sink
#
# Rules: a drop rule on one dl_src (so every megaflow matches dl_src
# exactly: each new source MAC is a new megaflow), port 1 -> 3, 2 -> 4.
# The flooder sends 60-byte frames as fast as pktgen can (kpktgend_0, on
# CPU 0), each from a random source MAC; after BENCH_ISO_WARM seconds of
# it, the victim (tests/tools/newflows) sends BENCH_ISO_N frames at
# BENCH_ISO_PPS, each from a new source MAC, while the flooder goes on.
# Placements: "split" (the victim on CPU 1: separate CPUs), "same" (on
# CPU 0, beside the flooder). The victim is a process, not a second
# pktgen device: a pktgen thread always runs its device due first, and a
# flooder with no delay is always due, so a victim on its thread would
# never send.
#
# Writes OUTDIR/isolation.tsv:
#   iso ROUND CAND PLACEMENT VICTIM_SENT VICTIM_DELIVERED FLOODER_FLOWS_PER_S FLOWS_AT_END
# VICTIM_SENT: the victim's frames that reached the switch (its port's
# veth rx counter); FLOODER_FLOWS_PER_S: megaflows installed per second
# during the flooder's warm-up.
# and OUTDIR/isolation.log.

set -u
OUT=${1:?usage: isolation.sh OUTDIR}
ROUNDS=${BENCH_ROUNDS:-3}
N=${BENCH_ISO_N:-1200}
PPS=${BENCH_ISO_PPS:-300}
WARM=${BENCH_ISO_WARM:-10}
CANDIDATES=${BENCH_ISO_CANDIDATES:-"ovs vsw"}
PLACEMENTS=${BENCH_ISO_PLACEMENTS:-"split same"}
VSWITCHD=${VSWITCHD:-build/vswitchd}
VSWITCHCTL=${VSWITCHCTL:-build/vswitchctl}
FLOWGEN=${FLOWGEN:-build/bench/vsw-flowgen}
NEWFLOWS=${NEWFLOWS:-build/tools/newflows}
PG=/proc/net/pktgen
RUNDIR=/run/vsw-bench-iso
. "$(dirname "$0")/switches.sh"

mkdir -p "$OUT" "$RUNDIR" || exit 1
TSV=$OUT/isolation.tsv
LOG=$OUT/isolation.log
: > "$TSV"
: > "$LOG"
log() { echo "isolation: $*" | tee -a "$LOG" >&2; }
declare -A AVAIL=() PFX=() DPNAME=()
DPNAME[ovs]=ovs-system; DPNAME[vsw]=ivbr
PFX[ovs]=io; PFX[vsw]=iv

topology() {	# $1: candidate
	local x=${PFX[$1]} d
	ip link add ${x}f type veth peer name ${x}p1 &&
	ip link add ${x}v type veth peer name ${x}p2 &&
	ip link add ${x}s type veth peer name ${x}p3 &&
	ip link add ${x}w type veth peer name ${x}p4 || return 1
	for d in ${x}f ${x}v ${x}s ${x}w ${x}p1 ${x}p2 ${x}p3 ${x}p4; do
		ethtool -K $d gro off tso off gso off >/dev/null 2>&1
		ip link set $d up || return 1
	done
}

rules() {
	echo "priority=100,dl_src=02:00:5e:00:53:ff,actions=drop"
	echo "priority=10,in_port=1,actions=output:3"
	echo "priority=10,in_port=2,actions=output:4"
}

# --- Open vSwitch ----------------------------------------------------------------

OVSD=$RUNDIR/ovs

setup_ovs() {
	local i args=()
	[ -d /sys/module/openvswitch ] || modprobe openvswitch 2>/dev/null
	ovs_start "$OVSD" || return 1
	topology ovs || { echo "topology failed"; return 1; }
	for i in 1 2 3 4; do
		args+=(-- add-port ior iop$i -- set interface iop$i ofport_request=$i)
	done
	ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=60 add-br ior \
		-- set bridge ior fail_mode=secure "${args[@]}" >>"$LOG" 2>&1 ||
		{ echo "ovs-vsctl add-br failed"; return 1; }
	rules > "$RUNDIR/rules-ovs.txt"
	ovs-ofctl add-flows ior "$RUNDIR/rules-ovs.txt" >>"$LOG" 2>&1 ||
		{ echo "ovs-ofctl add-flows failed"; return 1; }
}

ovs_flows() { ovs-dpctl show ovs-system 2>/dev/null | awk '/flows:/ { print $2; exit }'; }
ovs_flush() { ovs-dpctl del-flows ovs-system >>"$LOG" 2>&1; }

# --- vswitch ------------------------------------------------------------------------

VSWD=$RUNDIR/vsw
vctl() { "$VSWITCHCTL" --socket "$VSWD/sock" "$@"; }

setup_vsw() {
	local i
	vsw_start "$VSWD" || return 1
	topology vsw || { echo "topology failed"; return 1; }
	vctl add-br ivbr >>"$LOG" 2>&1 || { echo "add-br failed"; return 1; }
	for i in 1 2 3 4; do
		vctl add-port ivbr ivp$i ofport=$i >>"$LOG" 2>&1 ||
			{ echo "add-port ivp$i failed"; return 1; }
	done
	rules > "$RUNDIR/rules-vsw.txt"
	vctl add-flows ivbr "$RUNDIR/rules-vsw.txt" >>"$LOG" 2>&1 ||
		{ echo "vswitchctl add-flows failed"; return 1; }
}

vsw_flows() { vctl dp-stats ivbr 2>/dev/null | awk '$1 == "flows:" { print $2; exit }'; }
vsw_flush() { "$FLOWGEN" flush ivbr >>"$LOG" 2>&1; }

# --- measurement --------------------------------------------------------------------

# pg_dev DEV THREAD COUNT DELAY_NS SRC_MAC RANDOM
pg_dev() {
	pg "kpktgend_$2" "add_device $1" &&
	pg "$1" "count $3" && pg "$1" "clone_skb 0" && pg "$1" "burst 1" &&
	pg "$1" "delay $4" && pg "$1" "pkt_size 60" &&
	pg "$1" "src_mac $5" && pg "$1" "src_mac_count 1000000" &&
	pg "$1" "dst_mac 02:00:5e:00:53:01" &&
	pg "$1" "dst 192.0.2.2" && pg "$1" "src_min 192.0.2.1" && pg "$1" "src_max 192.0.2.1" &&
	{ [ "$6" = 0 ] || pg "$1" "flag MACSRC_RND"; }
}

rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }

measure() {	# $1 round, $2 candidate, $3 placement
	local x=${PFX[$2]} vcpu=1 f0 f1 w0 w1 s0 s1 flows0 run
	[ "$3" = same ] && vcpu=0
	${2}_flush
	sleep 1
	pg kpktgend_0 rem_device_all; pg kpktgend_1 rem_device_all
	pg_dev ${x}f 0 0 0 02:00:5e:10:00:00 1 || return 1
	flows0=$(${2}_flows)
	echo start > "$PG/pgctrl" &
	run=$!
	sleep "$WARM"
	w0=$(rx ${x}w)
	s0=$(rx ${x}p2)
	f0=$(${2}_flows)
	taskset -c $vcpu "$NEWFLOWS" ${x}v "$N" "$PPS" $((0x200000 + $1 * 0x10000)) >>"$LOG" 2>&1
	sleep 1
	echo stop > "$PG/pgctrl"
	wait $run
	sleep 1
	w1=$(rx ${x}w)
	s1=$(rx ${x}p2)
	f1=$(${2}_flows)
	printf 'iso\t%s\t%s\t%s\t%d\t%d\t%.0f\t%d\n' "$1" "$2" "$3" $((s1 - s0)) $((w1 - w0)) \
		"$(awk -v a="${f0:-0}" -v b="${flows0:-0}" -v w="$WARM" 'BEGIN { print (a - b) / w }')" \
		"${f1:-0}" >> "$TSV"
	log "round $1 $2 $3: $(tail -n 1 "$TSV" | cut -f 5-)"
	[ "$2" = vsw ] && vctl dp-stats ivbr >> "$LOG" 2>&1
	[ "$2" = ovs ] && ovs-dpctl show >> "$LOG" 2>&1
	return 0
}

cleanup() {
	echo stop > "$PG/pgctrl" 2>/dev/null
	ovs_stop "$OVSD"
	vsw_stop "$VSWD"
}
trap cleanup EXIT

[ -d "$PG" ] || modprobe pktgen || { log "pktgen not available"; exit 1; }
[ -x "$NEWFLOWS" ] || { log "$NEWFLOWS not built"; exit 1; }
for c in $CANDIDATES; do
	if why=$(setup_$c 2>&1); then
		AVAIL[$c]=1
		log "$c ready"
	else
		log "candidate $c skipped: $why"
		printf 'skip\t-\t%s\t%s\n' "$c" "not measured: $why" >> "$TSV"
	fi
done
sleep 1
for r in $(seq 1 "$ROUNDS"); do
	for p in $PLACEMENTS; do
		for c in $CANDIDATES; do
			[ "${AVAIL[$c]:-}" = 1 ] && measure "$r" "$c" "$p"
		done
	done
done
exit 0
