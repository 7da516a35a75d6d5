#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scale (issue 16), run inside the guest (scripts/vm-run): a datapath
# filled with BENCH_SCALE_N megaflows, what they cost, and what a rule
# change costs at that size, for both switches in the same boot.
#
#   bench/guest/scale.sh OUTDIR
#
# Candidates, one after the other (each is emptied before the next fills):
#   vsw  vswitchd on vswitch.ko
#   ovs  ovs-vswitchd + ovsdb-server on openvswitch.ko
#   vsw0 (only when named in BENCH_SCALE_CANDIDATES) the vswitchd binary
#        BENCH_SCALE_VSWITCHD_BEFORE, e.g. built from an earlier commit:
#        a change to the daemon measured before and after in one boot
# Topology per candidate X (sv or so):
#
# newflows -> Xg ==veth== Xp1 (port 1) [switch] (port 2) Xp2 ==veth== Xs
#                                               (port 3) Xp3 ==veth== Xt
# Rules (the same text for both):
#   table=0  dl_src=02:00:5e:ff:ff:ff drop (anti-spoofing: every megaflow
#            matches dl_src exactly, one per source MAC), port 1 -> table 1,
#            the rest NORMAL
#   table=1  (port 1's ACL) dl_dst=D -> NORMAL, the rest output:2
# Fill: newflows sends N frames, source MACs 02:00:5e:10:00:00 + i in
# sequence, at BENCH_SCALE_PPS (5,000/s), in passes until the megaflows
# stop growing (shed upcalls are sent again); then N/100 frames to D
# (learned on port 2), source MACs 02:00:5e:20:00:00 + i. Both daemons:
# idle timeout 1 hour, flow limit BENCH_SCALE_LIMIT (vswitch keeps each
# port to limit/ports past 3/4 of the limit, so the limit is well above N).
#
# Figures (OUTDIR/scale.tsv, one line each: scale CAND WHAT VALUE UNIT LOAD):
#   fill timeline (flows every second: fill_t<s>), megaflows reached,
#   kernel memory per megaflow (Slab + Percpu in /proc/meminfo before and
#   after), daemon RSS per megaflow, full and terse dump times (vswitch:
#   bench/dp-dump from outside the daemon and `vswitchctl dump-dp-flows`;
#   Open vSwitch: `ovs-dpctl dump-flows`, and its revalidator's own dump
#   duration from upcall/show), vswitch's longest mutex hold after the
#   fill and dumps (and its holder), idle daemon CPU, and per change (one rule
#   for one megaflow, one for ~1%, one for all, a MAC moving from port 2
#   to 3): the time until the datapath shows every affected megaflow with
#   its new actions (polled by full dumps from outside the daemon: the
#   resolution is one dump) and the daemon's CPU (utime + stime) meanwhile,
#   of that its main thread's (the command), and (vswitch) the
#   revalidator's in targeted passes (what the change itself cost it).
# LOAD is the host-independent guest load (/proc/loadavg) when measured;
# the host's load is recorded by scripts/bench.

set -u
OUT=${1:?usage: scale.sh OUTDIR}
N=${BENCH_SCALE_N:-200000}
PPS=${BENCH_SCALE_PPS:-5000}
LIMIT=${BENCH_SCALE_LIMIT:-400000}
FILL_MAX=${BENCH_SCALE_FILL_MAX:-240}	# seconds per fill pass, at most
PASSES=${BENCH_SCALE_PASSES:-10}	# fill passes, at most
WAIT_MAX=${BENCH_SCALE_WAIT_MAX:-300}	# seconds for a change to settle
CANDIDATES=${BENCH_SCALE_CANDIDATES:-"vsw ovs"}
VSWITCHD=${VSWITCHD:-build/vswitchd}
VSWITCHCTL=${VSWITCHCTL:-build/vswitchctl}
DPDUMP=${DPDUMP:-build/bench/dp-dump}
NEWFLOWS=${NEWFLOWS:-build/tools/newflows}
RUNDIR=/run/vsw-bench-scale
ND=$((N / 100))
D=02:00:5e:77:00:01
BULK_SRC=02:00:5e:10:00:00/ff:ff:ff:f0:00:00
D_SRC=02:00:5e:20:00:00/ff:ff:ff:f0:00:00
ONE_MAC=02:00:5e:10:00:07
# ~1%: 2048 source MACs of 02:00:5e:10:08:00 .. 02:00:5e:10:0f:ff
PCT_MATCH=02:00:5e:10:08:00/ff:ff:ff:ff:f8:00
. "$(dirname "$0")/switches.sh"

mkdir -p "$OUT" "$RUNDIR" || exit 1
TSV=$OUT/scale.tsv
LOG=$OUT/scale.log
: > "$TSV"
: > "$LOG"
log() { echo "scale: $*" | tee -a "$LOG" >&2; }
load() { cut -d' ' -f1 /proc/loadavg; }
# fig CAND WHAT VALUE UNIT (CAND vsw is reported as $LABEL: vsw or vsw0)
fig() {
	local c=$1
	[ "$c" = vsw ] && c=$LABEL
	printf 'scale\t%s\t%s\t%s\t%s\t%s\n' "$c" "$2" "$3" "$4" "$(load)" >> "$TSV"
	log "$c $2 = $3 $4"
}
declare -A PFX=() BR=()
PFX[ovs]=so; PFX[vsw]=sv; BR[ovs]=osc; BR[vsw]=vsc

topology() {	# $1: candidate
	local x=${PFX[$1]} d
	ip link add ${x}g type veth peer name ${x}p1 &&
	ip link add ${x}s type veth peer name ${x}p2 &&
	ip link add ${x}t type veth peer name ${x}p3 || return 1
	for d in ${x}g ${x}s ${x}t ${x}p1 ${x}p2 ${x}p3; do
		ethtool -K $d gro off tso off gso off >/dev/null 2>&1
		ip link set $d up || return 1
	done
}

rules() {
	echo "table=0,priority=200,dl_src=02:00:5e:ff:ff:ff,actions=drop"
	echo "table=0,priority=10,in_port=1,actions=resubmit(,1)"
	echo "table=0,priority=5,actions=NORMAL"
	echo "table=1,priority=50,dl_dst=$D,actions=NORMAL"
	echo "table=1,priority=0,actions=output:2"
}

# --- Open vSwitch ----------------------------------------------------------------

OVSD=$RUNDIR/ovs
ovs_env "$OVSD"		# here, not only in setup_ovs's subshell: ovs-ofctl needs it
ovs_pid() { cat "$OVSD/ovs-vswitchd.pid"; }
ovs_appctl() { ovs-appctl -t "$OVSD/ovs-vswitchd.$(ovs_pid).ctl" "$@"; }

setup_ovs() {
	local i args=()
	command -v ovs-vswitchd >/dev/null || { echo "Open vSwitch not installed"; return 1; }
	[ -d /sys/module/openvswitch ] || modprobe openvswitch 2>/dev/null
	topology ovs || { echo "topology failed"; return 1; }
	ovs_start "$OVSD" || return 1
	for i in 1 2 3; do
		args+=(-- add-port osc sop$i -- set interface sop$i ofport_request=$i)
	done
	ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=60 add-br osc \
		-- set bridge osc fail_mode=secure "${args[@]}" \
		-- set open_vswitch . other_config:flow-limit=$LIMIT \
		other_config:max-idle=3600000 >>"$LOG" 2>&1 ||
		{ echo "ovs-vsctl add-br failed"; return 1; }
	grep -q "n-handler-threads to 0" "$OVSD/ovs-vswitchd.log" &&
		{ echo "ovs-vswitchd started with no upcall handlers"; return 1; }
	rules > "$RUNDIR/rules.txt"
	ovs-ofctl -O OpenFlow13 add-flows osc "$RUNDIR/rules.txt" >>"$LOG" 2>&1 ||
		{ echo "ovs-ofctl add-flows failed"; return 1; }
}

# ovs_dp_port IFACE: its datapath port number
ovs_dp_port() { ovs-dpctl show ovs-system | sed -n "s/^ *port \([0-9]*\): $1\b.*/\1/p"; }
ovs_flows() { ovs-dpctl show ovs-system 2>/dev/null | awk '/flows:/ { print $2; exit }'; }
# ovs_count REGEX PORT: megaflows whose line matches REGEX, "selected/with
# actions just output to datapath port PORT"
ovs_count() {
	ovs-dpctl dump-flows ovs-system 2>/dev/null | awk -v p="$1" -v a="actions:$2" \
		'$0 ~ p { s++; n += (substr($0, length($0) - length(a) + 1) == a) } END { print s + 0 "/" n + 0 }'
}
ovs_add_flow() { ovs-ofctl -O OpenFlow13 add-flow osc "$1" >>"$LOG" 2>&1; }
ovs_del_flow() { ovs-ofctl -O OpenFlow13 --strict del-flows osc "$1" >>"$LOG" 2>&1; }
ovs_targeted_us() { :; }
ovs_stats() { ovs_appctl upcall/show 2>/dev/null | tr '\n' ' '; }
ovs_full_dump_ms() { timed ovs-dpctl dump-flows ovs-system; }
ovs_terse_dump_ms() {	# the revalidator's own dump duration
	ovs_appctl upcall/show 2>/dev/null | sed -n 's/.*dump duration *: *\([0-9]*\)ms.*/\1/p' | head -n 1
}

# --- vswitch ------------------------------------------------------------------------

VSWD=$RUNDIR/vsw
vctl() { "$VSWITCHCTL" --socket "$VSWD/sock" "$@"; }
vsw_pid() { cat "$VSWD/pid"; }

setup_vsw() {
	local i
	vsw_start "$VSWD" || return 1
	topology vsw || { echo "topology failed"; return 1; }
	vctl add-br vsc >>"$LOG" 2>&1 || { echo "add-br failed"; return 1; }
	for i in 1 2 3; do
		vctl add-port vsc svp$i ofport=$i >>"$LOG" 2>&1 ||
			{ echo "add-port svp$i failed"; return 1; }
	done
	vctl set vsc flow-limit=$LIMIT idle-timeout=3600s >>"$LOG" 2>&1 ||
		{ echo "vswitchctl set failed"; return 1; }
	rules > "$RUNDIR/rules.txt"
	vctl del-flows vsc && vctl add-flows vsc "$RUNDIR/rules.txt" >>"$LOG" 2>&1 ||
		{ echo "vswitchctl add-flows failed"; return 1; }
}

vsw_dp_port() { echo "${1#svp}"; }
vsw_flows() { vctl dp-stats vsc 2>/dev/null | awk '$1 == "flows:" { print $2; exit }'; }
vsw_count() {	# SRC_MATCH PORT
	"$DPDUMP" vsc full "src=$1" "$2" 2>>"$LOG" | sed -n 's/.* sel=\([0-9]*\) out_[0-9]*=\([0-9]*\).*/\1\/\2/p'
}
vsw_add_flow() { vctl add-flow vsc "$1" >>"$LOG" 2>&1; }
vsw_del_flow() { vctl --strict del-flows vsc "$1" >>"$LOG" 2>&1; }
vsw_stats() { vctl dp-stats vsc 2>/dev/null | grep -E 'revalidation|rule changes|cpu:|installed:' | tr '\n' ' '; }
# the revalidator's CPU in targeted passes so far (us)
vsw_targeted_us() { vctl dp-stats vsc 2>/dev/null | sed -n 's/.*targeted:[0-9]* (cpu \([0-9]*\)us).*/\1/p'; }
vsw_full_dump_ms() { "$DPDUMP" vsc full | sed -n 's/.* ms=\([0-9]*\).*/\1/p'; }
vsw_terse_dump_ms() { "$DPDUMP" vsc terse | sed -n 's/.* ms=\([0-9]*\).*/\1/p'; }

# --- measurement --------------------------------------------------------------------

now_ms() { date +%s%3N; }
timed() { local t0; t0=$(now_ms); "$@" >/dev/null 2>&1; echo $(( $(now_ms) - t0 )); }
# cpu_ms PID: utime + stime of the whole process, in ms
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
kmem_kb() { awk '/^(Slab|Percpu):/ { s += $2 } END { print s }' /proc/meminfo; }

# fill_pass CAND: newflows sends N frames from N source MACs at PPS
# (pktgen's delay is not kept under emulation: it sent 200,000 frames in
# 2-3 s, and the kernel shed most of the upcalls); samples the flow count
# every second into the fill timeline until it stops growing.
fill_pass() {
	local c=$1 x=${PFX[$1]} t=0 f last=-1 still=0 run
	"$NEWFLOWS" ${x}g "$N" "$PPS" 0x100000 >/dev/null 2>&1 &
	run=$!
	while [ $t -lt "$FILL_MAX" ]; do
		sleep 1
		t=$((t + 1))
		f=$(${c}_flows)
		echo "$t $f" >> "$OUT/scale-fill-$c.txt"
		if [ "${f:-0}" = "$last" ] && ! kill -0 $run 2>/dev/null; then
			still=$((still + 1))
			[ $still -ge 3 ] && break
		else
			still=0
		fi
		last=${f:-0}
	done
	kill $run 2>/dev/null
	wait $run
}

fill() {	# CAND
	local c=$1 x=${PFX[$1]} k0 r0 k1 r1 f last pass pid
	pid=$(${c}_pid)
	k0=$(kmem_kb); r0=$(rss_kb "$pid")
	: > "$OUT/scale-fill-$c.txt"
	"$NEWFLOWS" ${x}s 1 10 0x770001 >/dev/null 2>&1	# D on port 2
	# Frames whose upcall was shed (the sender outruns the daemon under
	# emulation) are sent again; flows installed already stay in the
	# kernel. Until 99% are there, a pass adds under 1%, or PASSES.
	f=0
	for pass in $(seq 1 "$PASSES"); do
		echo "pass $pass" >> "$OUT/scale-fill-$c.txt"
		fill_pass "$c"
		last=$f
		f=$(${c}_flows)
		[ "${f:-0}" -ge $((N * 99 / 100)) ] && break
		[ "${f:-0}" -lt $((last + N / 100)) ] && break
	done
	"$NEWFLOWS" ${x}g $ND 2000 0x200000 0x770001 >/dev/null 2>&1
	sleep 5
	f=$(${c}_flows)
	k1=$(kmem_kb); r1=$(rss_kb "$pid")
	fig "$c" megaflows "$f" flows
	fig "$c" fill_passes "$pass" passes
	awk -v c="$c" '$1 == "pass" { p = $2; next } { printf "%s fill pass %s t=%ss flows=%s\n", c, p, $1, $2 }' \
		"$OUT/scale-fill-$c.txt" >> "$LOG"
	fig "$c" fill_timeline "$(awk '$1 != "pass" { printf "%s%s:%s", s, $1, $2; s = "," }' "$OUT/scale-fill-$c.txt")" t:flows
	fig "$c" kmem_per_flow "$(( (k1 - k0) * 1024 / (f > 0 ? f : 1) ))" bytes
	fig "$c" rss_per_flow "$(( (r1 - r0) * 1024 / (f > 0 ? f : 1) ))" bytes
	fig "$c" kmem_total "$((k1 - k0))" kB
	fig "$c" rss_total "$((r1 - r0))" kB
	FLOWS=$f
}

dumps() {	# CAND
	local c=$1
	fig "$c" full_dump "$(${c}_full_dump_ms)" ms
	fig "$c" terse_dump "$(${c}_terse_dump_ms)" ms
	[ "$c" = vsw ] || return 0
	fig vsw cli_dump "$(timed vctl dump-dp-flows vsc)" ms
	# the daemon's longest mutex hold so far (upcalls wait that long)
	# and who held it: the fill, the dumps
	fig vsw mutex_longest_hold "$(vctl dp-stats vsc | sed -n 's/.*longest hold:\([0-9]*\)us (\(.*\))/\1_\2/p')" us_holder
}

idle_cpu() {	# CAND: the daemon's CPU over 10 s with nothing changing
	local c=$1 pid c0
	pid=$(${c}_pid)
	c0=$(cpu_ms "$pid")
	sleep 10
	fig "$c" idle_cpu_per_s "$(( ($(cpu_ms "$pid") - c0) / 10 ))" ms/s
}

# change CAND NAME SRC_MATCH OVS_REGEX PORT WANT CMD...: runs CMD, then
# polls until the megaflows selected (vswitch: source MAC under a mask,
# Open vSwitch: a regex on ovs-dpctl's lines) whose actions are output:PORT
# number WANT ("all" = every one selected); records time and daemon CPU.
change() {
	local c=$1 name=$2 src=$3 port=$5 want=$6 pid t0 c0 m0 r0 got sel out polls=0
	[ "$c" = ovs ] && src=$4
	shift 6
	pid=$(${c}_pid)
	r0=$(${c}_targeted_us)
	c0=$(cpu_ms "$pid"); m0=$(cpu_ms "$pid/task/$pid"); t0=$(now_ms)
	"$@" || { log "$c $name: the rule command failed"; return 1; }
	while :; do
		got=$(${c}_count "$src" "$port")
		polls=$((polls + 1))
		sel=${got%/*}; out=${got#*/}
		[ "$want" = all ] && [ "${sel:-0}" -gt 0 ] && [ "$out" = "$sel" ] && break
		[ "$want" != all ] && [ "$out" = "$want" ] && break
		[ $(( $(now_ms) - t0 )) -lt $((WAIT_MAX * 1000)) ] ||
			{ log "$c $name: not settled in ${WAIT_MAX}s ($got)"; break; }
	done
	fig "$c" "${name}_time" "$(( $(now_ms) - t0 ))" ms
	fig "$c" "${name}_cpu" "$(( $(cpu_ms "$pid") - c0 ))" ms
	fig "$c" "${name}_main_cpu" "$(( $(cpu_ms "$pid/task/$pid") - m0 ))" ms
	[ -n "$r0" ] && fig "$c" "${name}_targeted_cpu" "$(( ($(${c}_targeted_us) - r0) / 1000 ))" ms
	fig "$c" "${name}_flows" "$out/$sel" changed/selected
	fig "$c" "${name}_polls" "$polls" dumps
	log "$c $name: daemon stats: $(${c}_stats)"
}

changes() {	# CAND
	local c=$1 x=${PFX[$1]} p2 p3
	p2=$(${c}_dp_port ${x}p2); p3=$(${c}_dp_port ${x}p3)
	change "$c" one "$ONE_MAC/ff:ff:ff:ff:ff:ff" "src=$ONE_MAC," "$p3" 1 \
		${c}_add_flow "table=1,priority=100,dl_src=$ONE_MAC,actions=output:3"
	change "$c" one_undo "$ONE_MAC/ff:ff:ff:ff:ff:ff" "src=$ONE_MAC," "$p3" 0 \
		${c}_del_flow "table=1,priority=100,dl_src=$ONE_MAC"
	change "$c" pct "$PCT_MATCH" "src=02:00:5e:10:0[89a-f]:" "$p3" all \
		${c}_add_flow "table=1,priority=100,dl_src=$PCT_MATCH,actions=output:3"
	change "$c" mac_move "$D_SRC" "src=02:00:5e:2" "$p3" all \
		"$NEWFLOWS" ${x}t 1 10 0x770001
	change "$c" all "$BULK_SRC" "src=02:00:5e:1" "$p3" all \
		${c}_add_flow "table=1,priority=0,actions=output:3"
}

# Each candidate leaves nothing for the next: its bridge, daemon, state
# and links go.
teardown_links() { local d; for d in g s t; do ip link del "${PFX[$1]}$d" 2>/dev/null; done; }
teardown_vsw() {
	vctl del-br vsc >>"$LOG" 2>&1
	vsw_stop "$VSWD"
	sleep 1
	rm -rf "$VSWD"
	teardown_links vsw
}
teardown_ovs() {
	ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=60 del-br osc >>"$LOG" 2>&1
	ovs_stop "$OVSD"
	sleep 1
	teardown_links ovs
}

cleanup() {
	ovs_stop "$OVSD"
	vsw_stop "$VSWD"
}
trap cleanup EXIT

[ -x "$NEWFLOWS" ] && [ -x "$DPDUMP" ] || { log "$NEWFLOWS or $DPDUMP not built"; exit 1; }
log "N=$N PPS=$PPS LIMIT=$LIMIT, guest: $(nproc) CPUs, $(awk '/MemTotal/ { print $2 }' /proc/meminfo) kB"
VSWITCHD_NOW=$VSWITCHD
for LABEL in $CANDIDATES; do
	c=$LABEL VSWITCHD=$VSWITCHD_NOW
	if [ "$LABEL" = vsw0 ]; then
		c=vsw VSWITCHD=${BENCH_SCALE_VSWITCHD_BEFORE:-}
		[ -x "$VSWITCHD" ] || { log "vsw0: BENCH_SCALE_VSWITCHD_BEFORE is not a program"; continue; }
	fi
	if ! why=$(setup_$c 2>&1); then
		log "candidate $c skipped: $why"
		printf 'skip\t%s\t%s\n' "$c" "not measured: $why" >> "$TSV"
		continue
	fi
	log "$c ready"
	fill "$c"
	dumps "$c"
	idle_cpu "$c"
	changes "$c"
	teardown_$c
done
exit 0
