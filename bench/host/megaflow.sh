#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Megaflow efficiency on the host: for each rule set in bench/megaflow/
# (*.rules, ovs-ofctl syntax) and its traffic mix (bench/megaflow/
# traffic.awk), the megaflow each packet needs
#   - in Open vSwitch: ovs-vswitchd on a dummy (userspace, no kernel)
#     datapath, `ovs-appctl ofproto/trace` "Megaflow:" lines;
#   - in vswitch: build/bench/megaflow_eff (U1's translator, libvsw.a).
#
#   bench/host/megaflow.sh RAWDIR [N_PACKETS]
#
# Writes RAWDIR/megaflow.tsv: set side index hit megaflow actions
# (side ovs|vsw; hit is "-" for ovs) and RAWDIR/megaflow.log.
# Both switches get a fresh bridge with ports p1..p4 (numbers 1-4), fail
# mode secure (a table miss drops, as in vswitch), NORMAL not flooding to
# the bridge's own port; NORMAL first learns every host from warm-up
# packets (netdev-dummy/receive for OVS, translated with learning by
# megaflow_eff).

set -u
RAW=${1:?usage: megaflow.sh RAWDIR [N_PACKETS]}
N=${2:-${BENCH_MEGAFLOW_PACKETS:-300}}
HERE=$(cd "$(dirname "$0")/.." && pwd)
REPO=$(cd "$HERE/.." && pwd)
D=$REPO/build/bench/ovs
TSV=$RAW/megaflow.tsv
LOG=$RAW/megaflow.log
EFF=$REPO/build/bench/megaflow_eff
UNIXCTL=$REPO/build/bench/ovs-unixctl

mkdir -p "$RAW" || exit 1
: > "$TSV"
: > "$LOG"
log() { echo "megaflow: $*" | tee -a "$LOG" >&2; }

export OVS_RUNDIR=$D OVS_LOGDIR=$D OVS_DBDIR=$D OVS_SYSCONFDIR=$D
VSCTL=(ovs-vsctl --db="unix:$D/db.sock" --timeout=10)

stop_ovs() {
	local p
	for p in ovs-vswitchd ovsdb-server; do
		[ -f "$D/$p.pid" ] && kill "$(cat "$D/$p.pid")" 2>/dev/null
	done
	sleep 0.2
	rm -f "$D"/*.pid
}

start_ovs() {
	local schema=/usr/share/openvswitch/vswitch.ovsschema
	command -v ovs-vswitchd >/dev/null && [ -f $schema ] ||
		{ log "Open vSwitch not installed (scripts/deps bench): no OVS side"; return 1; }
	stop_ovs
	rm -rf "$D" && mkdir -p "$D" || return 1
	ovsdb-tool create "$D/conf.db" $schema >>"$LOG" 2>&1 &&
	ovsdb-server "$D/conf.db" --remote="punix:$D/db.sock" --no-chdir \
		--pidfile="$D/ovsdb-server.pid" --detach \
		--log-file="$D/ovsdb-server.log" >>"$LOG" 2>&1 &&
	"${VSCTL[@]}" --no-wait init >>"$LOG" 2>&1 &&
	ovs-vswitchd "unix:$D/db.sock" --enable-dummy=override --disable-system \
		--no-chdir --pidfile="$D/ovs-vswitchd.pid" --detach \
		--log-file="$D/ovs-vswitchd.log" >>"$LOG" 2>&1 ||
		{ log "starting ovsdb-server/ovs-vswitchd failed (see $LOG)"; return 1; }
}

appctl() { ovs-appctl -t "$D/ovs-vswitchd.$(cat "$D/ovs-vswitchd.pid").ctl" "$@"; }

ovs_bridge() {	# $1 rules file
	local i args=()
	"${VSCTL[@]}" --if-exists del-br br0 >>"$LOG" 2>&1
	for i in 1 2 3 4; do
		args+=(-- add-port br0 p$i -- set interface p$i type=dummy ofport_request=$i)
	done
	"${VSCTL[@]}" add-br br0 -- set bridge br0 datapath_type=dummy \
		fail_mode=secure protocols=OpenFlow10,OpenFlow13 "${args[@]}" \
		>>"$LOG" 2>&1 &&
	ovs-ofctl mod-port br0 br0 no-flood >>"$LOG" 2>&1 &&
	grep -v '^#' "$1" | ovs-ofctl -O OpenFlow13 add-flows br0 - >>"$LOG" 2>&1
}

# Traces every packet of file $2 ($3: "-generate" or ""), printing each
# trace followed by a line "@@END@@": over one connection with
# build/bench/ovs-unixctl, else one ovs-appctl per packet (slow).
ovs_trace_all() {	# $1 bridge, $2 packets file, $3 option
	local pkt
	if [ -x "$UNIXCTL" ]; then
		"$UNIXCTL" "$D/ovs-vswitchd.$(cat "$D/ovs-vswitchd.pid").ctl" "$1" $3 < "$2"
		return
	fi
	while read -r pkt; do
		appctl ofproto/trace "$1" "$pkt" $3 2>&1
		echo "@@END@@"
	done < "$2"
}

# "-generate" runs the packet for real: NORMAL learns its source.
ovs_warmup() {	# $1 warm-up packets file
	ovs_trace_all br0 "$1" -generate | grep '^error' >> "$LOG" &&
		log "some warm-up packets were refused (see $LOG)"
	return 0
}

ovs_trace() {	# $1 set, $2 packets file
	ovs_trace_all br0 "$2" "" | awk -v set="$1" -v logf="$LOG" '
		/^Megaflow: / { mf = substr($0, 11) }
		/^Datapath actions: / { acts = substr($0, 19) }
		{ text = text $0 "\n" }
		/^@@END@@$/ {
			if (mf == "") { printf "ovs trace %d: %s", i, text >> logf; mf = "?" }
			printf "%s\tovs\t%d\t-\t%s\t%s\n", set, i++, mf, acts == "" ? "?" : acts
			mf = acts = text = ""
		}' >> "$TSV"
}

vsw_run() {	# $1 set, $2 rules, $3 packets, $4 warm-up
	if [ ! -x "$EFF" ]; then
		log "build/bench/megaflow_eff not built (needs libvsw.a with xlate): no vswitch side"
		return 1
	fi
	"$EFF" "$2" "$3" "$4" 2>>"$LOG" | sed "s/^/$1\t/" >> "$TSV"
	[ "${PIPESTATUS[0]}" = 0 ] || log "megaflow_eff failed on $1 (see $LOG)"
}

OVS_OK=0
start_ovs && OVS_OK=1
trap stop_ovs EXIT

for rules in "$HERE"/megaflow/*.rules; do
	set=$(basename "$rules" .rules)
	pk=$RAW/megaflow-$set.packets
	wu=$RAW/megaflow-$set.warmup
	awk -v set="$set" -v n="$N" -f "$HERE/megaflow/traffic.awk" > "$pk"
	awk -v set="$set" -v what=warmup -f "$HERE/megaflow/traffic.awk" > "$wu"
	if [ $OVS_OK = 1 ]; then
		if ovs_bridge "$rules"; then
			ovs_warmup "$wu"
			ovs_trace "$set" "$pk"
		else
			log "$set: loading the rules into OVS failed (see $LOG)"
		fi
	fi
	vsw_run "$set" "$rules" "$pk" "$wu"
	log "$set: $(wc -l < "$pk") packets; no megaflow from ovs: $(awk -F'\t' -v s="$set" '$1 == s && $2 == "ovs" && $5 == "?"' "$TSV" | wc -l), from vsw: $(awk -F'\t' -v s="$set" '$1 == s && $2 == "vsw" && $5 == "?"' "$TSV" | wc -l)"
done
exit 0
