# SPDX-License-Identifier: GPL-2.0
# switches.sh: the two switches' daemons for the guest benchmarks
# (setuprate.sh, isolation.sh source it). Each function prints why it
# failed and returns non-zero; daemon output goes to $LOG.
#
#   ovs_env DIR               OVS_* variables for a private Open vSwitch in DIR
#   ovs_start DIR             a fresh database, ovsdb-server, ovs-vswitchd
#   ovs_start_vswitchd DIR    ovs-vswitchd alone (restarts)
#   ovs_stop DIR
#   vsw_start DIR             vswitchd (state, socket, pid in DIR), answering
#   vsw_stop DIR
#   pg FILE COMMAND           writes COMMAND to pktgen's /proc/net/pktgen/FILE
#                             (the caller's $PG) and checks its result;
#                             failures go to the caller's log()

ovs_env() { export OVS_RUNDIR=$1 OVS_LOGDIR=$1 OVS_DBDIR=$1 OVS_SYSCONFDIR=$1; }

ovs_start_vswitchd() {
	ovs-vswitchd "unix:$1/db.sock" --no-chdir --pidfile="$1/ovs-vswitchd.pid" \
		--detach --log-file="$1/ovs-vswitchd.log" >>"$LOG" 2>&1
}

ovs_start() {
	local schema=/usr/share/openvswitch/vswitch.ovsschema
	command -v ovs-vswitchd >/dev/null && [ -f $schema ] || { echo "Open vSwitch not installed"; return 1; }
	[ -d /sys/module/openvswitch ] || { echo "openvswitch.ko not loaded"; return 1; }
	mkdir -p "$1" && ovs_env "$1"
	ovsdb-tool create "$1/conf.db" $schema >>"$LOG" 2>&1 &&
	ovsdb-server "$1/conf.db" --remote="punix:$1/db.sock" --no-chdir \
		--pidfile="$1/ovsdb-server.pid" --detach \
		--log-file="$1/ovsdb-server.log" >>"$LOG" 2>&1 &&
	ovs-vsctl --db="unix:$1/db.sock" --no-wait init >>"$LOG" 2>&1 &&
	ovs_start_vswitchd "$1" || { echo "starting ovsdb-server/ovs-vswitchd failed"; return 1; }
}

ovs_stop() {
	local p
	for p in ovs-vswitchd ovsdb-server; do
		[ -f "$1/$p.pid" ] && kill "$(cat "$1/$p.pid")" 2>/dev/null
	done
}

vsw_start() {
	local i
	[ -d /sys/module/vswitch ] || { echo "vswitch.ko not loaded"; return 1; }
	[ -x "$VSWITCHD" ] && [ -x "$VSWITCHCTL" ] || { echo "build/vswitchd or build/vswitchctl not built"; return 1; }
	mkdir -p "$1/state"
	"$VSWITCHD" ${BENCH_VSWD_ARGS:-} --state-dir "$1/state" --socket "$1/sock" \
		--pidfile "$1/pid" --detach >>"$LOG" 2>&1 ||
		{ echo "vswitchd did not start (see log)"; return 1; }
	for i in $(seq 1 50); do
		"$VSWITCHCTL" --socket "$1/sock" list-br >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "vswitchd does not answer"
	return 1
}

vsw_stop() { [ -f "$1/pid" ] && kill "$(cat "$1/pid")" 2>/dev/null; }

pg() {
	echo "$2" > "$PG/$1" 2>/dev/null
	[ "$1" = pgctrl ] || [ "${1#kpktgend}" != "$1" ] ||
		grep -q "Result: OK" "$PG/$1" || { log "pktgen $1 '$2' failed"; return 1; }
}
