#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fast-path packets per second, run inside the guest (scripts/vm-run).
#
#   bench/guest/fastpath.sh OUTDIR
#
# One topology per candidate, all built once and measured in turn:
#
#     pktgen -> Xgen ==veth== Xp1 [switch X] Xp2 ==veth== Xrx (rx counted)
#
#   floor   fgen ==veth== frx                    (no switch: the floor)
#   bridge  bgen == bp1 [Linux bridge bbr] bp2 == brx
#   ovs     ogen == op1 [openvswitch.ko "obench", ovs-dpctl flows] op2 == orx
#   vsw     vgen == vp1 [vswitch.ko "vbench", microflow cache on] vp2 == vrx
#   vswnomf wgen == wp1 [vswitch.ko "wbench", microflow cache 0] wp2 == wrx
#
# pktgen sends 60-byte UDP frames (64 on the wire with the FCS) with
# source ports SPORT_BASE .. SPORT_BASE+N-1; every switch holds the same N
# flows over M masks (see bench/vsw-flowgen.c for their shape). Each
# measurement: start pktgen, wait WARM s, read Xrx's rx_packets, wait
# MEASURE s, read again. Candidates alternate within each round.
#
# Writes OUTDIR/fastpath.tsv, one line per measurement:
#   case round candidate rx_pps tx_pps masks_per_pkt flows masks
# (masks_per_pkt, flows and masks are "-" where they do not apply), and
# OUTDIR/fastpath.log with the details.
#
# Environment: BENCH_ROUNDS (3), BENCH_WARM (1), BENCH_MEASURE (2),
# BENCH_CASES ("1:1 1000:1 1000:8 1000:32 1000:128", FLOWS:MASKS),
# BENCH_CANDIDATES (floor bridge ovs vsw vswnomf), BENCH_RANDOM (0: source
# ports sequential; 1: random), FLOWGEN (build/bench/vsw-flowgen),
# BENCH_PERF (0; 1: after the rounds of each case, one more round, not
# counted, under `perf record -e cpu-clock` on guest CPU 0, where pktgen
# and all the forwarding run; OUTDIR/perf-CASE-CANDIDATE.txt lists the
# kernel symbols by share of that CPU's time).

set -u

OUT=${1:?usage: fastpath.sh OUTDIR}
ROUNDS=${BENCH_ROUNDS:-3}
WARM=${BENCH_WARM:-1}
MEASURE=${BENCH_MEASURE:-2}
CASES=${BENCH_CASES:-"1:1 1000:1 1000:8 1000:32 1000:128"}
CANDIDATES=${BENCH_CANDIDATES:-"floor bridge ovs vsw vswnomf"}
RANDOM_PORTS=${BENCH_RANDOM:-0}
PERF=${BENCH_PERF:-0}
FLOWGEN=${FLOWGEN:-build/bench/vsw-flowgen}

SRC_IP=10.0.0.1
DST_IP=10.0.0.2
SRC_MAC=02:00:00:00:00:01
DST_MAC=02:00:00:00:00:02
SPORT_BASE=1000
PG=/proc/net/pktgen

mkdir -p "$OUT" || exit 1
TSV=$OUT/fastpath.tsv
LOG=$OUT/fastpath.log
: > "$TSV"
: > "$LOG"

log() { echo "fastpath: $*" | tee -a "$LOG" >&2; }
die() { log "FATAL: $*"; exit 1; }

declare -A AVAIL=()	# candidate -> 1, or the reason it is skipped

# --- helpers ---------------------------------------------------------------

veth_pair() {	# $1 $2: names
	ip link add "$1" type veth peer name "$2" || return 1
	local d
	for d in "$1" "$2"; do
		ethtool -K "$d" gro off tso off gso off tx off rx off \
			>/dev/null 2>&1 || log "warning: ethtool -K $d failed"
		ip link set "$d" up || return 1
	done
}

# Only shell builtins on the measurement path: under emulation on a busy
# host every fork+exec costs up to a second.

# Sets RESULT to the "Result:" line of pktgen file $1.
pg_result() {
	local line
	RESULT=
	while IFS= read -r line; do
		case $line in Result:*) RESULT=$line ;; esac
	done < "$PG/$1"
}

pgset() {	# $1: pktgen file, $2: command
	echo "$2" > "$PG/$1" 2>/dev/null
	pg_result "$1"
	case $RESULT in
	"Result: OK"*) return 0 ;;
	*) log "pktgen $1 '$2': $RESULT"; return 1 ;;
	esac
}

pg_thread() {	# $1: command for kpktgend_0 (its Result line is not kept)
	echo "$1" > "$PG/kpktgend_0" || die "pktgen kpktgend_0 '$1' failed"
}

pg_config() {	# $1: device, $2: number of flows
	local dev=$1 n=$2
	pg_thread rem_device_all
	pg_thread "add_device $dev"
	pgset "$dev" "count 0" &&
	pgset "$dev" "clone_skb 0" &&
	pgset "$dev" "burst 1" &&
	pgset "$dev" "delay 0" &&
	pgset "$dev" "pkt_size 60" &&
	pgset "$dev" "src_mac $SRC_MAC" &&
	pgset "$dev" "dst_mac $DST_MAC" &&
	pgset "$dev" "src_min $SRC_IP" &&
	pgset "$dev" "src_max $SRC_IP" &&
	pgset "$dev" "dst $DST_IP" &&
	pgset "$dev" "udp_dst_min 9" &&
	pgset "$dev" "udp_dst_max 9" &&
	pgset "$dev" "udp_src_min $SPORT_BASE" &&
	pgset "$dev" "udp_src_max $((SPORT_BASE + n - 1))" || return 1
	if [ "$RANDOM_PORTS" = 1 ]; then
		pgset "$dev" "flag UDPSRC_RND" || return 1
	fi
}

# Sets CPU0 to guest CPU 0's "user nice system idle iowait irq softirq
# steal" ticks from /proc/stat (builtins only).
cpu0_ticks() {
	local name rest
	CPU0=
	while read -r name rest; do
		[ "$name" = cpu0 ] && { CPU0=$rest; return; }
	done < /proc/stat
}

now_ns() { local t=${EPOCHREALTIME/./}; echo "${t}000"; }

# --- candidates: setup -------------------------------------------------------

setup_floor() { veth_pair fgen frx; }

setup_bridge() {
	veth_pair bgen bp1 && veth_pair bp2 brx || return 1
	ip link add bbr type bridge stp_state 0 || return 1
	ip link set bp1 master bbr && ip link set bp2 master bbr &&
	ip link set bbr up &&
	bridge fdb add "$DST_MAC" dev bp2 master static
}

OVS_DP=obench
setup_ovs() {
	command -v ovs-dpctl >/dev/null || { echo "ovs-dpctl missing (scripts/deps bench)"; return 1; }
	[ -d /sys/module/openvswitch ] || { echo "openvswitch.ko not loaded"; return 1; }
	veth_pair ogen op1 && veth_pair op2 orx || { echo "veth setup failed"; return 1; }
	ovs-dpctl add-dp "$OVS_DP" >>"$LOG" 2>&1 &&
	ovs-dpctl add-if "$OVS_DP" op1,port_no=1 op2,port_no=2 >>"$LOG" 2>&1 ||
		{ echo "ovs-dpctl add-dp/add-if failed (see log)"; return 1; }
}

VSW_DP=vbench
VSWNOMF_DP=wbench
setup_vsw_dp() {	# $1: prefix letter, $2: dp name, $3: microflow size or ""
	[ -x "$FLOWGEN" ] || { echo "$FLOWGEN not built"; return 1; }
	[ -d /sys/module/vswitch ] || { echo "vswitch.ko not loaded"; return 1; }
	veth_pair "${1}gen" "${1}p1" && veth_pair "${1}p2" "${1}rx" ||
		{ echo "veth setup failed"; return 1; }
	"$FLOWGEN" dp-new "$2" $3 >>"$LOG" 2>&1 &&
	"$FLOWGEN" port-add "$2" "${1}p1" 1 >>"$LOG" 2>&1 &&
	"$FLOWGEN" port-add "$2" "${1}p2" 2 >>"$LOG" 2>&1 ||
		{ echo "vsw-flowgen setup of $2 failed: $(tail -n 1 "$LOG")"; return 1; }
}
setup_vsw() { setup_vsw_dp v "$VSW_DP" ""; }
setup_vswnomf() { setup_vsw_dp w "$VSWNOMF_DP" 0; }

# --- candidates: flows for a case -----------------------------------------------

# Writes the openvswitch.ko flows equivalent to vsw-flowgen's.
ovs_flow_file() {	# $1: flows, $2: masks, $3: file
	awk -v n="$1" -v m="$2" -v base=$SPORT_BASE -v src=$SRC_IP 'BEGIN {
		for (i = 0; i < n; i++)
			printf "in_port(1),eth(),eth_type(0x0800)," \
			       "ipv4(src=%s/255.255.255.%d,proto=17)," \
			       "udp(src=%d) 2\n", src, 255 - i % m, base + i
	}' > "$3"
}

# ovs-dpctl show: prints "lookups masks_hit flows masks".
ovs_stats() {
	timeout 60 ovs-dpctl show "$OVS_DP" 2>>"$LOG" | awk '
		/lookups:/ { for (i = 2; i <= NF; i++) { split($i, kv, ":"); s[kv[1]] = kv[2] } }
		/flows:/ { flows = $2 }
		/masks:/ { for (i = 2; i <= NF; i++) { split($i, kv, ":"); m[kv[1]] = kv[2] } }
		END { print s["hit"] + s["missed"], m["hit"], flows, m["total"] }'
}

# vsw-flowgen stats: prints "lookups masks_probed flows masks".
vsw_stats() {	# $1: dp
	timeout 60 "$FLOWGEN" stats "$1" 2>>"$LOG" | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] }
		print s["microflow_hit"] + s["megaflow_hit"] + s["missed"],
		      s["masks_probed"], s["flows"], s["masks"] }'
}

install_ovs() {	# $1 flows $2 masks
	local f=$OUT/ovs-flows-$1-$2.txt
	ovs_flow_file "$1" "$2" "$f"
	ovs-dpctl del-flows "$OVS_DP" >>"$LOG" 2>&1 &&
	ovs-dpctl add-flows "$OVS_DP" "$f" >>"$LOG" 2>&1 || return 1
	rm -f "$f"
}

install_vsw_dp() {	# $1 dp $2 flows $3 masks
	"$FLOWGEN" flush "$1" >>"$LOG" 2>&1 &&
	"$FLOWGEN" flows "$1" 1 2 "$2" "$3" "$SRC_IP" "$SPORT_BASE" >>"$LOG" 2>&1
}

install_flows() {	# $1 candidate $2 flows $3 masks
	case $1 in
	ovs) install_ovs "$2" "$3" ;;
	vsw) install_vsw_dp "$VSW_DP" "$2" "$3" ;;
	vswnomf) install_vsw_dp "$VSWNOMF_DP" "$2" "$3" ;;
	*) return 0 ;;
	esac
}

# Prints "lookups masks_probed flows masks" for switches that count them.
switch_stats() {
	case $1 in
	ovs) ovs_stats ;;
	vsw) vsw_stats "$VSW_DP" ;;
	vswnomf) vsw_stats "$VSWNOMF_DP" ;;
	*) echo "- - - -" ;;
	esac
}

declare -A PFX=([floor]=f [bridge]=b [ovs]=o [vsw]=v [vswnomf]=w)

# --- one measurement ---------------------------------------------------------

measure() {	# $1 case-name $2 round $3 candidate $4 flows
	local cand=$3 gen rx pid r0 r1 t0 t1 g0 g1 s0 s1 pps tpps mpp c0 c1 cpu
	gen=${PFX[$cand]}gen
	rx=${PFX[$cand]}rx
	pg_config "$gen" "$4" || { log "pktgen setup on $gen failed"; return 1; }
	echo start > "$PG/pgctrl" 2>>"$LOG" &
	pid=$!
	sleep "$WARM"
	s0=$(switch_stats "$cand")
	t0=${EPOCHREALTIME/./}
	read -r r0 < "/sys/class/net/$rx/statistics/rx_packets"
	read -r g0 < "/sys/class/net/$gen/statistics/tx_packets"
	cpu0_ticks; c0=$CPU0
	if [ "$2" = perf ]; then
		perf record -q -e cpu-clock -C 0 -o "$OUT/perf.data" \
			-- sleep "$MEASURE" >>"$LOG" 2>&1
	else
		sleep "$MEASURE"
	fi
	t1=${EPOCHREALTIME/./}
	read -r r1 < "/sys/class/net/$rx/statistics/rx_packets"
	read -r g1 < "/sys/class/net/$gen/statistics/tx_packets"
	cpu0_ticks; c1=$CPU0
	t0=${t0}000; t1=${t1}000
	s1=$(switch_stats "$cand")
	echo stop > "$PG/pgctrl"
	wait "$pid"
	read -r pps tpps mpp flows masks <<EOF
$(awk -v r="$((r1 - r0))" -v g="$((g1 - g0))" -v t="$((t1 - t0))" \
      -v s0="$s0" -v s1="$s1" 'BEGIN {
	split(s0, a, " "); split(s1, b, " ")
	mpp = "-"
	if (a[1] != "-" && b[1] - a[1] > 0)
		mpp = sprintf("%.2f", (b[2] - a[2]) / (b[1] - a[1]))
	printf "%.0f %.0f %s %s %s\n", r * 1e9 / t, g * 1e9 / t, mpp,
		b[3] == "" ? "-" : b[3], b[4] == "" ? "-" : b[4]
}')
EOF
	if [ "$2" = perf ]; then
		perf_report "$1" "$cand" "$pps"
		return
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$cand" "$pps" \
		"$tpps" "$mpp" "$flows" "$masks" >> "$TSV"
	cpu=$(awk -v a="$c0" -v b="$c1" 'BEGIN {
		n = split(a, x, " "); split(b, y, " ")
		split("user nice sys idle iowait irq softirq steal", f, " ")
		for (i = 1; i <= 8 && i <= n; i++) {
			d = y[i] - x[i]; t += d; v[i] = d
		}
		for (i = 1; i <= 8 && i <= n; i++)
			if (v[i]) s = s sprintf(" %s %.0f%%", f[i], 100 * v[i] / t)
		print s
	}')
	log "case $1 round $2 $cand: rx ${pps} pps (sent ${tpps}), masks/pkt $mpp, flows $flows, masks $masks; cpu0:$cpu"
}

# Turns $OUT/perf.data into OUTDIR/perf-CASE-CAND.txt (symbols by share).
perf_report() {	# $1 case-name $2 candidate $3 pps during the profile
	local f=$OUT/perf-${1//\//-}-$2.txt
	{
		echo "# $1 $2: cpu-clock samples on guest CPU 0 for ${MEASURE} s" \
			"($3 pps while profiled, not comparable to the rounds)"
		perf report -i "$OUT/perf.data" --stdio --sort sym \
			--percent-limit 0.3 2>>"$LOG" | grep -v '^#' | grep -v '^$'
	} > "$f"
	rm -f "$OUT/perf.data"
	log "case $1 $2: profile in $f"
}

# --- main ----------------------------------------------------------------------

[ -d "$PG" ] || modprobe pktgen || die "pktgen not available"
[ -d "$PG" ] || die "$PG missing"
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
command -v ethtool >/dev/null || log "warning: ethtool missing, offloads left as they are"
if [ "$PERF" = 1 ] && ! perf version >/dev/null 2>&1; then
	log "BENCH_PERF=1 but perf does not run here (scripts/deps bench): no profiles"
	PERF=0
fi

for c in $CANDIDATES; do
	why=$(setup_$c 2>&1) && AVAIL[$c]=1 || {
		AVAIL[$c]=${why:-setup failed}
		log "candidate $c skipped: ${AVAIL[$c]}"
	}
done
for c in $CANDIDATES; do
	[ "${AVAIL[$c]}" = 1 ] || printf 'skip\t-\t%s\t%s\n' "$c" "${AVAIL[$c]}" >> "$TSV"
done

for cs in $CASES; do
	nflows=${cs%:*}
	nmasks=${cs#*:}
	name="${nflows}f/${nmasks}m"
	active=
	for c in $CANDIDATES; do
		[ "${AVAIL[$c]}" = 1 ] || continue
		# the bridge ignores flows: measure it only where it is compared
		[ $c = bridge ] && [ "$nmasks" != 1 ] && continue
		t0=$(now_ns)
		if ! install_flows "$c" "$nflows" "$nmasks"; then
			log "case $name: installing flows in $c failed (see log)"
			printf 'fail\t%s\t%s\tflow install failed\n' "$name" "$c" >> "$TSV"
			continue
		fi
		[ $c = ovs ] || [ $c = vsw ] || [ $c = vswnomf ] &&
			log "case $name: $c flows installed in $(( ($(now_ns) - t0) / 1000000 )) ms"
		active="$active $c"
	done
	for r in $(seq 1 "$ROUNDS"); do
		for c in $active; do
			measure "$name" "$r" "$c" "$nflows"
		done
	done
	if [ "$PERF" = 1 ]; then
		for c in $active; do
			measure "$name" perf "$c" "$nflows"
		done
	fi
done

# Leave nothing behind for the next benchmark (ovs-vswitchd would adopt
# or delete a stray datapath).
pg_thread rem_device_all
for c in $CANDIDATES; do
	[ "${AVAIL[$c]}" = 1 ] || continue
	case $c in
	ovs) ovs-dpctl del-dp "$OVS_DP" >>"$LOG" 2>&1 ;;
	vsw) "$FLOWGEN" dp-del "$VSW_DP" >>"$LOG" 2>&1 ;;
	vswnomf) "$FLOWGEN" dp-del "$VSWNOMF_DP" >>"$LOG" 2>&1 ;;
	bridge) ip link del bbr ;;
	esac
done
for d in fgen bgen bp2 ogen op2 vgen vp2 wgen wp2; do
	ip link del "$d" 2>/dev/null
done
exit 0
