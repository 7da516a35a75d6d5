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
#        BENCH_SETUP_PPS; the flow count is sampled until it stops growing.
#        Rate = megaflows installed / time from the first packet to the
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
PPS=${BENCH_SETUP_PPS:-10000}
CONNS=${BENCH_SETUP_CONNS:-300}
CANDIDATES=${BENCH_SETUP_CANDIDATES:-"ovs vsw"}
FLOWGEN=${FLOWGEN:-build/bench/vsw-flowgen}
CRR=${CRR:-build/bench/crr}
VSWITCHD=${VSWITCHD:-build/vswitchd}
VSWITCHCTL=${VSWITCHCTL:-build/vswitchctl}
PORT_LO=20000
PORT_HI=21999
PG=/proc/net/pktgen
RUNDIR=/run/vsw-bench

mkdir -p "$OUT" "$RUNDIR" || exit 1
TSV=$OUT/setuprate.tsv
LOG=$OUT/setuprate.log
: > "$TSV"
: > "$LOG"
log() { echo "setuprate: $*" | tee -a "$LOG" >&2; }
now_ns() { date +%s%N; }
declare -A AVAIL=() PFX=() NET=()
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
ovs_env() { export OVS_RUNDIR=$OVSD OVS_LOGDIR=$OVSD OVS_DBDIR=$OVSD OVS_SYSCONFDIR=$OVSD; }

setup_ovs() {
	local schema=/usr/share/openvswitch/vswitch.ovsschema i args=()
	command -v ovs-vswitchd >/dev/null && [ -f $schema ] || { echo "Open vSwitch not installed"; return 1; }
	[ -d /sys/module/openvswitch ] || { echo "openvswitch.ko not loaded"; return 1; }
	topology ovs || { echo "topology failed"; return 1; }
	mkdir -p "$OVSD" && ovs_env
	ovsdb-tool create "$OVSD/conf.db" $schema >>"$LOG" 2>&1 &&
	ovsdb-server "$OVSD/conf.db" --remote="punix:$OVSD/db.sock" --no-chdir \
		--pidfile="$OVSD/ovsdb-server.pid" --detach \
		--log-file="$OVSD/ovsdb-server.log" >>"$LOG" 2>&1 &&
	ovs-vsctl --db="unix:$OVSD/db.sock" --no-wait init >>"$LOG" 2>&1 &&
	ovs-vswitchd "unix:$OVSD/db.sock" --no-chdir --pidfile="$OVSD/ovs-vswitchd.pid" \
		--detach --log-file="$OVSD/ovs-vswitchd.log" >>"$LOG" 2>&1 ||
		{ echo "starting ovsdb-server/ovs-vswitchd failed"; return 1; }
	for i in 1 2 3; do
		args+=(-- add-port osr sop$i -- set interface sop$i ofport_request=$i)
	done
	ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=60 add-br osr \
		-- set bridge osr fail_mode=secure "${args[@]}" >>"$LOG" 2>&1 ||
		{ echo "ovs-vsctl add-br failed"; return 1; }
	rules_file "$RUNDIR/rules.txt"
	ovs-ofctl add-flows osr "$RUNDIR/rules.txt" >>"$LOG" 2>&1 ||
		{ echo "ovs-ofctl add-flows failed"; return 1; }
}

ovs_flush() { ovs_env; ovs-appctl -t "$OVSD/ovs-vswitchd.$(cat "$OVSD/ovs-vswitchd.pid").ctl" revalidator/purge >>"$LOG" 2>&1; }

# "flows lost" of the datapath
ovs_stats() {
	ovs-dpctl show ovs-system 2>>"$LOG" | awk '
		/lookups:/ { for (i = 2; i <= NF; i++) { split($i, kv, ":"); s[kv[1]] = kv[2] } }
		/flows:/ { f = $2 }
		END { print f + 0, s["lost"] + 0 }'
}

stop_ovs() {
	local p
	for p in ovs-vswitchd ovsdb-server; do
		[ -f "$OVSD/$p.pid" ] && kill "$(cat "$OVSD/$p.pid")" 2>/dev/null
	done
}

# --- vswitch ------------------------------------------------------------------------

VSWD=$RUNDIR/vsw
vctl() { "$VSWITCHCTL" --socket "$VSWD/sock" "$@"; }

setup_vsw() {
	local i
	[ -d /sys/module/vswitch ] || { echo "vswitch.ko not loaded"; return 1; }
	[ -x "$VSWITCHD" ] && [ -x "$VSWITCHCTL" ] || { echo "build/vswitchd or build/vswitchctl not built"; return 1; }
	[ -x "$FLOWGEN" ] || { echo "$FLOWGEN not built"; return 1; }
	topology vsw || { echo "topology failed"; return 1; }
	mkdir -p "$VSWD/state"
	"$VSWITCHD" --state-dir "$VSWD/state" --socket "$VSWD/sock" \
		--pidfile "$VSWD/pid" --detach >>"$LOG" 2>&1 ||
		{ echo "vswitchd did not start (see log)"; return 1; }
	for i in $(seq 1 50); do
		vctl list-br >/dev/null 2>&1 && break
		sleep 0.2
	done
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

vsw_stats() {
	"$FLOWGEN" stats vsr 2>>"$LOG" | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] }
		print s["flows"] + 0, s["lost"] + 0 }'
}

stop_vsw() { [ -f "$VSWD/pid" ] && kill "$(cat "$VSWD/pid")" 2>/dev/null; }

# --- measurements -----------------------------------------------------------------

srv_rx() { ip netns exec "${PFX[$1]}srv" cat "/sys/class/net/${PFX[$1]}s0/statistics/rx_packets"; }

pg() {	# $1 file, $2 command
	echo "$2" > "$PG/$1" 2>/dev/null
	[ "$1" = pgctrl ] || [ "${1#kpktgend}" != "$1" ] ||
		grep -q "Result: OK" "$PG/$1" || { log "pktgen $1 '$2' failed"; return 1; }
}

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

measure_udp() {	# $1 round, $2 candidate
	local c=$2 f0 l0 f1 l1 r0 r1 t0 t_last flows prev stable=0 pid
	${c}_flush
	sleep 0.5
	pktgen_udp "$c" || return 1
	read -r f0 l0 <<< "$(${c}_stats)"
	r0=$(srv_rx "$c")
	t0=$(now_ns); t_last=$t0; prev=$f0
	echo start > "$PG/pgctrl" &
	pid=$!
	# sample until the flow count has not grown for 1.5 s (15 s at most)
	while [ $stable -lt 15 ] && [ $(( ($(now_ns) - t0) / 1000000000 )) -lt 15 ]; do
		sleep 0.1
		read -r flows l1 <<< "$(${c}_stats)"
		if [ "$flows" -gt "$prev" ]; then
			prev=$flows; t_last=$(now_ns); stable=0
		else
			stable=$((stable + 1))
		fi
	done
	wait $pid
	read -r f1 l1 <<< "$(${c}_stats)"
	r1=$(srv_rx "$c")
	awk -v r="$1" -v c="$c" -v sent="$N_UDP" -v f=$((prev - f0)) \
	    -v t=$((t_last - t0)) -v lost=$((l1 - l0)) -v dl=$((r1 - r0)) 'BEGIN {
		s = t / 1e9
		printf "udp\t%s\t%s\t%d\t%d\t%.3f\t%.0f\t%d\t%d\n", r, c, sent, f, s,
			(s > 0 ? f / s : 0), lost, dl
	}' >> "$TSV"
	log "udp round $1 $c: $(tail -n 1 "$TSV" | cut -f 4-)"
	[ "$c" = vsw ] && "$FLOWGEN" ports vsr >> "$LOG" 2>&1
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
	stop_ovs
	stop_vsw
	local c
	for c in $CANDIDATES; do
		[ -n "${SRV_PID[$c]:-}" ] && kill "${SRV_PID[$c]}" 2>/dev/null
	done
}
declare -A SRV_PID=()
trap cleanup EXIT

# --- main ---------------------------------------------------------------------------

[ -d "$PG" ] || modprobe pktgen || { log "pktgen not available"; exit 1; }
[ -x "$CRR" ] || { log "$CRR not built"; exit 1; }
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
		printf 'skip\t-\t%s\t%s\n' "$c" "$why" >> "$TSV"
	fi
done
sleep 1

for r in $(seq 1 "$ROUNDS"); do
	for c in $CANDIDATES; do
		[ "${AVAIL[$c]:-}" = 1 ] && measure_udp "$r" "$c"
	done
	for c in $CANDIDATES; do
		[ "${AVAIL[$c]:-}" = 1 ] && measure_crr "$r" "$c"
	done
done
pg kpktgend_0 rem_device_all
exit 0
