#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flow setup rate, run inside the guest (scripts/vm-run): how fast each
# switch turns misses into megaflows when every packet is a new flow.
#
#   bench/guest/setuprate.sh OUTDIR
#
# Candidates, each a full switch with its daemon, in the same boot:
#   ovs  ovs-vswitchd + ovsdb-server (fresh db in /run) on openvswitch.ko
#   vsw  vswitchd on vswitch.ko
# Topology per candidate X (so or sv):
#
#   netns Xcli: Xc0 10.77.N.1 ==veth== Xp1 (port 1) [switch] (port 2) Xp2 ==veth== Xs0 10.77.N.2 :netns Xsrv
#   pktgen -> Xgen ==veth== Xp3 (port 3)
#
# Rules (same text for both): for every source port P in 20000..21999
# "priority=100,tcp,tcp_src=P,actions=output:2" and the same for UDP, so
# each connection or UDP source port needs its own megaflow; plus
# priority=10 rules forwarding port 1 -> 2, 2 -> 1 and 3 -> 2. The client
# namespace draws its ephemeral ports from the same range.
#
# Each round, for each candidate (alternating), after flushing the
# datapath's flows:
#   udp  pktgen sends N_UDP frames, each from a new source port, at
#        BENCH_SETUP_PPS; bench/dp-watch polls the datapath's counters
#        every 2 ms until the flow count has grown by N_UDP (or, if
#        flows are missing, has not grown for 1.5 s).
#        Rate = megaflows installed / time from the first miss to the
#        last new megaflow; lost = the datapath's lost-upcall counter.
#   crr  bench/crr opens BENCH_SETUP_CONNS TCP connections one after the
#        other (connect, 1-byte request/response, close): connect time is
#        the first packets' trip through upcall and install.
#
# Writes OUTDIR/setuprate.tsv:
#   udp ROUND CAND SENT FLOWS SECONDS RATE LOST DELIVERED
#   crr ROUND CAND OK FAILED TPS CONNECT_US_MEDIAN CONNECT_US_P90
# and OUTDIR/setuprate.log.

set -u
OUT=${1:?usage: setuprate.sh OUTDIR}
ROUNDS=${BENCH_ROUNDS:-3}
N_UDP=${BENCH_SETUP_UDP:-2000}
PPS=${BENCH_SETUP_PPS:-20000}
CONNS=${BENCH_SETUP_CONNS:-300}
CANDIDATES=${BENCH_SETUP_CANDIDATES:-"ovs vsw"}
FLOWGEN=${FLOWGEN:-build/bench/vsw-flowgen}
CRR=${CRR:-build/bench/crr}
DPWATCH=${DPWATCH:-build/bench/dp-watch}
VSWITCHD=${VSWITCHD:-build/vswitchd}
VSWITCHCTL=${VSWITCHCTL:-build/vswitchctl}
PORT_LO=20000
PORT_HI=21999
PG=/proc/net/pktgen
RUNDIR=/run/vsw-bench
. "$(dirname "$0")/switches.sh"

mkdir -p "$OUT" "$RUNDIR" || exit 1
TSV=$OUT/setuprate.tsv
LOG=$OUT/setuprate.log
: > "$TSV"
: > "$LOG"
log() { echo "setuprate: $*" | tee -a "$LOG" >&2; }
now_ns() { date +%s%N; }
declare -A AVAIL=() PFX=() NET=() DPNAME=()
DPNAME[ovs]=ovs-system; DPNAME[vsw]=vsr
PFX[ovs]=so; PFX[vsw]=sv	# interface and netns prefix
NET[ovs]=1; NET[vsw]=2

# --- topology ------------------------------------------------------------------

topology() {	# $1: candidate
	local x=${PFX[$1]} n=${NET[$1]}
	ip netns add ${x}cli && ip netns add ${x}srv &&
	ip link add ${x}c0 netns ${x}cli type veth peer name ${x}p1 &&
	ip link add ${x}s0 netns ${x}srv address 02:00:00:77:0$n:02 type veth peer name ${x}p2 &&
	ip link add ${x}gen type veth peer name ${x}p3 || return 1
	local d
	for d in ${x}p1 ${x}p2 ${x}p3 ${x}gen; do
		ethtool -K $d gro off tso off gso off >/dev/null 2>&1
		ip link set $d up || return 1
	done
	ip -n ${x}cli addr add 10.77.$n.1/24 dev ${x}c0 &&
	ip -n ${x}srv addr add 10.77.$n.2/24 dev ${x}s0 &&
	ip -n ${x}cli link set ${x}c0 up && ip -n ${x}srv link set ${x}s0 up &&
	ip -n ${x}cli link set lo up && ip -n ${x}srv link set lo up &&
	ip netns exec ${x}cli sysctl -qw net.ipv4.ip_local_port_range="$PORT_LO $PORT_HI" &&
	ip netns exec ${x}cli ethtool -K ${x}c0 gro off tso off gso off >/dev/null 2>&1
	ip netns exec ${x}srv ethtool -K ${x}s0 gro off tso off gso off >/dev/null 2>&1
	return 0
}

rules_file() {	# $1: file
	awk -v lo=$PORT_LO -v hi=$PORT_HI 'BEGIN {
		for (p = lo; p <= hi; p++) {
			printf "priority=100,tcp,tcp_src=%d,actions=output:2\n", p
			printf "priority=100,udp,udp_src=%d,actions=output:2\n", p
		}
		print "priority=10,in_port=1,actions=output:2"
		print "priority=10,in_port=2,actions=output:1"
		print "priority=10,in_port=3,actions=output:2"
	}' > "$1"
}

# --- Open vSwitch ----------------------------------------------------------------

OVSD=$RUNDIR/ovs

# ovs-vswitchd 3.1 sometimes (2 boots in ~8 here) sizes its upcall
# handlers before it knows the CPUs ("Overriding n-handler-threads to 0"),
# and the datapath then loses every upcall even after it resizes to 2.
# Such a start is restarted; the bridge lives on in the database, the
# OpenFlow rules are added afterwards.
ovs_handlers_ok() { ! grep -q "n-handler-threads to 0" "$OVSD/ovs-vswitchd.log"; }

setup_ovs() {
	local i args=()
	command -v ovs-vswitchd >/dev/null || { echo "Open vSwitch not installed"; return 1; }
	topology ovs || { echo "topology failed"; return 1; }
	ovs_start "$OVSD" || return 1
	for i in 1 2 3; do
		args+=(-- add-port osr sop$i -- set interface sop$i ofport_request=$i)
	done
	ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=60 add-br osr \
		-- set bridge osr fail_mode=secure "${args[@]}" >>"$LOG" 2>&1 ||
		{ echo "ovs-vsctl add-br failed"; return 1; }
	for i in 1 2 3; do
		ovs_handlers_ok && break
		log "ovs-vswitchd started with no upcall handlers: restarting it"
		kill "$(cat "$OVSD/ovs-vswitchd.pid")"
		for _ in $(seq 50); do [ -e "$OVSD/ovs-vswitchd.pid" ] || break; sleep 0.2; done
		mv "$OVSD/ovs-vswitchd.log" "$OVSD/ovs-vswitchd.log.$i"
		ovs_start_vswitchd "$OVSD" || { echo "restarting ovs-vswitchd failed"; return 1; }
		ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=60 wait-until \
			bridge osr >>"$LOG" 2>&1
		sleep 1
	done
	ovs_handlers_ok || { echo "ovs-vswitchd kept starting with no upcall handlers"; return 1; }
	rules_file "$RUNDIR/rules.txt"
	ovs-ofctl add-flows osr "$RUNDIR/rules.txt" >>"$LOG" 2>&1 ||
		{ echo "ovs-ofctl add-flows failed"; return 1; }
}

ovs_flush() { ovs_env "$OVSD"; ovs-appctl -t "$OVSD/ovs-vswitchd.$(cat "$OVSD/ovs-vswitchd.pid").ctl" revalidator/purge >>"$LOG" 2>&1; }

ovs_alive() { kill -0 "$(cat "$OVSD/ovs-vswitchd.pid" 2>/dev/null)" 2>/dev/null; }
ovs_logtail() { grep -v poll_loop "$OVSD/ovs-vswitchd.log" | tail -n 20; }


# --- vswitch ------------------------------------------------------------------------

VSWD=$RUNDIR/vsw
vctl() { "$VSWITCHCTL" --socket "$VSWD/sock" "$@"; }

setup_vsw() {
	[ -x "$FLOWGEN" ] || { echo "$FLOWGEN not built"; return 1; }
	[ -d /sys/module/vswitch ] || { echo "vswitch.ko not loaded"; return 1; }
	topology vsw || { echo "topology failed"; return 1; }
	vsw_start "$VSWD" || return 1
	vctl add-br vsr >>"$LOG" 2>&1 &&
	vctl add-port vsr svp1 ofport=1 >>"$LOG" 2>&1 &&
	vctl add-port vsr svp2 ofport=2 >>"$LOG" 2>&1 &&
	vctl add-port vsr svp3 ofport=3 >>"$LOG" 2>&1 ||
		{ echo "vswitchctl add-br/add-port failed: $(tail -n 1 "$LOG")"; return 1; }
	rules_file "$RUNDIR/rules.txt"
	vctl add-flows vsr "$RUNDIR/rules.txt" >>"$LOG" 2>&1 ||
		{ echo "vswitchctl add-flows failed: $(tail -n 1 "$LOG")"; return 1; }
}

vsw_flush() { "$FLOWGEN" flush vsr >>"$LOG" 2>&1; }

vsw_alive() { kill -0 "$(cat "$VSWD/pid" 2>/dev/null)" 2>/dev/null; }
vsw_logtail() { tail -n 20 "$LOG"; }


# --- measurements -----------------------------------------------------------------

srv_rx() { ip netns exec "${PFX[$1]}srv" cat "/sys/class/net/${PFX[$1]}s0/statistics/rx_packets"; }

pktgen_udp() {	# $1 candidate: configures the burst on Xgen
	local n=${NET[$1]} dev=${PFX[$1]}gen
	pg kpktgend_0 rem_device_all
	pg kpktgend_0 "add_device $dev"
	pg $dev "count $N_UDP" && pg $dev "clone_skb 0" && pg $dev "burst 1" &&
	pg $dev "delay $((1000000000 / PPS))" && pg $dev "pkt_size 60" &&
	pg $dev "dst_mac 02:00:00:77:0$n:02" && pg $dev "src_min 10.77.$n.3" &&
	pg $dev "src_max 10.77.$n.3" && pg $dev "dst 10.77.$n.2" &&
	pg $dev "udp_dst_min 9" && pg $dev "udp_dst_max 9" &&
	pg $dev "udp_src_min $PORT_LO" && pg $dev "udp_src_max $((PORT_LO + N_UDP - 1))"
}

# A candidate whose daemon died or handles no upcalls is measured no more
# (a TCP loop against it would only time out); the log says why.
broken() {	# $1 candidate, $2 reason
	BROKEN[$1]=1
	log "$1: $2; not measured further. Its log ends:"
	${1}_logtail | tee -a "$LOG" >&2
	printf 'skip\t-\t%s\t%s\n' "$1" "$2 (see setuprate.log)" >> "$TSV"
}

usable() {	# $1 candidate
	[ "${AVAIL[$1]:-}" = 1 ] && [ -z "${BROKEN[$1]:-}" ] || return 1
	${1}_alive && return 0
	broken "$1" "its daemon exited"
	return 1
}

measure_udp() {	# $1 round, $2 candidate
	local c=$2 r0 r1 line out
	${c}_flush
	sleep 0.5
	pktgen_udp "$c" || return 1
	r0=$(srv_rx "$c")
	# bench/dp-watch times the burst from the datapath's counters: first
	# miss to last new megaflow, polled every 2 ms by one process
	coproc WATCH { env ${BENCH_TRACE:+DPWATCH_TRACE=1} "$DPWATCH" "$c" "${DPNAME[$c]}" "$N_UDP" 1500 15000 2>>"$LOG"; }
	read -r -t 10 line <&"${WATCH[0]}"
	if [ "$line" != ready ]; then
		log "udp round $1 $c: dp-watch did not start (see log)"
		return 1
	fi
	echo start > "$PG/pgctrl"
	read -r -t 20 out <&"${WATCH[0]}"
	wait "$WATCH_PID" 2>/dev/null
	r1=$(srv_rx "$c")
	case $out in flows=*) ;; *) log "udp round $1 $c: dp-watch gave no result"; return 1 ;; esac
	echo "$out" | awk -v r="$1" -v c="$c" -v sent="$N_UDP" -v dl=$((r1 - r0)) '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] }
		printf "udp\t%s\t%s\t%d\t%d\t%.3f\t%.0f\t%d\t%d\n", r, c, sent,
			s["flows"], s["seconds"], s["rate"], s["lost"], dl
	}' >> "$TSV"
	log "udp round $1 $c: $(tail -n 1 "$TSV" | cut -f 4-)"
	case $out in flows=0\ *) broken "$c" "no megaflow installed for $N_UDP upcalls" ;; esac
	[ "$c" = vsw ] && { "$FLOWGEN" ports vsr; vctl dp-stats vsr; } >> "$LOG" 2>&1
	return 0
}

measure_crr() {	# $1 round, $2 candidate
	local c=$2 x=${PFX[$2]} n=${NET[$2]} out
	${c}_flush
	sleep 0.5
	out=$(ip netns exec ${x}cli "$CRR" client 10.77.$n.2 5001 "$CONNS" 2000 2>>"$LOG")
	log "crr round $1 $c: $out"
	echo "$out" | awk -v r="$1" -v c="$c" '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] }
		printf "crr\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", r, c, s["transactions"],
			s["failed"], s["tps"], s["connect_us_median"], s["connect_us_p90"]
	}' >> "$TSV"
}

cleanup() {
	ovs_stop "$OVSD"
	vsw_stop "$VSWD"
	local c
	for c in $CANDIDATES; do
		[ -n "${SRV_PID[$c]:-}" ] && kill "${SRV_PID[$c]}" 2>/dev/null
	done
}
declare -A SRV_PID=() BROKEN=()
trap cleanup EXIT

# --- main ---------------------------------------------------------------------------

[ -d "$PG" ] || modprobe pktgen || { log "pktgen not available"; exit 1; }
[ -x "$CRR" ] || { log "$CRR not built"; exit 1; }
[ -x "$DPWATCH" ] || { log "$DPWATCH not built"; exit 1; }
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1

for c in $CANDIDATES; do
	t0=$(now_ns)
	if why=$(setup_$c 2>&1); then
		AVAIL[$c]=1
		log "$c ready in $(( ($(now_ns) - t0) / 1000000 )) ms"
		ip netns exec ${PFX[$c]}srv "$CRR" server 5001 2>>"$LOG" &
		SRV_PID[$c]=$!
	else
		log "candidate $c skipped: $why"
		printf 'skip\t-\t%s\t%s\n' "$c" "not measured: $why" >> "$TSV"
	fi
done
sleep 1

for r in $(seq 1 "$ROUNDS"); do
	for c in $CANDIDATES; do
		usable "$c" && measure_udp "$r" "$c"
	done
	for c in $CANDIDATES; do
		usable "$c" && measure_crr "$r" "$c"
	done
done
pg kpktgend_0 rem_device_all
exit 0
