# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/lib.sh: helpers for guest scenario scripts (tests/guest/*.sh).
# Source it, declare cases, run them, finish with vs_done:
#
#   . "$(dirname "$0")/../lib.sh"
#   vs_require_cmd ip ping
#   two_hosts_ping() {
#       vs_netns_add vs-a
#       vs_ip vs-a link set lo up
#       ...                        # any failing command fails the case (set -e)
#   }
#   run_case two_hosts_ping two_hosts_ping
#   vs_done
#
# Output is TAP, as scripts/run-tests counts it: "ok N name",
# "not ok N name", "ok N name # SKIP reason", then the plan "1..N".
# A case body runs in a subshell with `set -e`; it may call vs_skip_case
# REASON to skip itself. Its output is shown (as "# " lines) when it fails.
# Everything registered with vs_netns_add / vs_defer is undone on exit,
# newest first, whether the script passes, fails or is interrupted.

VS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VSWD=${VSWD:-$VS_ROOT/build/vswitchd}
VSCTL=${VSCTL:-$VS_ROOT/build/vswitchctl}
VS_MODULE=${VS_MODULE:-$VS_ROOT/kmod/vswitch.ko}

VS_SKIP_RC=4		# kselftest's KSFT_SKIP
VS_N=0
VS_FAILED=0

echo "TAP version 13"

# --- results -------------------------------------------------------------------

vs_log() { echo "# $*"; }

vs_ok() {
	VS_N=$((VS_N + 1))
	echo "ok $VS_N $1"
}

vs_fail() {	# NAME [REASON]
	VS_N=$((VS_N + 1))
	VS_FAILED=$((VS_FAILED + 1))
	echo "not ok $VS_N $1${2:+ # $2}"
}

vs_skip() {	# NAME REASON
	VS_N=$((VS_N + 1))
	echo "ok $VS_N $1 # SKIP ${2:-no reason given}"
}

# Inside a case: stop it and report it skipped.
vs_skip_case() {
	echo "$*" > "$VS_CASE_DIR/skip"
	exit $VS_SKIP_RC
}

# run_case NAME FUNC [ARGS...]: run FUNC in a subshell with set -e.
run_case() {
	local name=$1 rc
	shift
	VS_CASE_DIR=$(mktemp -d) || { vs_fail "$name" "mktemp failed"; return; }
	(
		set -eE
		trap 'echo "FAIL: status $? from: $BASH_COMMAND (${FUNCNAME[0]:-main}, line $LINENO)" >&2' ERR
		"$@"
	) > "$VS_CASE_DIR/out" 2>&1 < /dev/null
	rc=$?
	if [ $rc = 0 ]; then
		vs_ok "$name"
	elif [ $rc = $VS_SKIP_RC ] && [ -f "$VS_CASE_DIR/skip" ]; then
		vs_skip "$name" "$(cat "$VS_CASE_DIR/skip")"
	else
		sed 's/^/# /' "$VS_CASE_DIR/out"
		vs_fail "$name" "exit status $rc"
	fi
	rm -rf "$VS_CASE_DIR"
	return 0
}

# vs_done: print the plan, clean up, exit 1 when any case failed.
vs_done() {
	echo "1..$VS_N"
	[ $VS_FAILED = 0 ] && exit 0
	vs_log "$VS_FAILED of $VS_N failed"
	exit 1
}

# Whole-script skip (e.g. a missing tool): one SKIP line, exit 0.
vs_skip_all() {
	vs_skip "${0##*/}" "$*"
	echo "1..$VS_N"
	exit 0
}

# --- assertions (for case bodies) --------------------------------------------------

vs_die() { echo "FAIL: $*" >&2; exit 1; }

vs_assert_eq() {	# EXPECTED ACTUAL WHAT
	[ "$1" = "$2" ] || vs_die "${3:-value}: expected '$1', got '$2'"
}

# vs_expect_fail CMD...: CMD must fail (exit non-zero).
vs_expect_fail() {
	if "$@"; then
		vs_die "expected failure: $*"
	fi
	return 0
}

# vs_wait_for SECONDS CMD...: retry CMD every 0.1 s until it succeeds,
# for SECONDS of wall time (a slow CMD, a ping waiting for its reply,
# does not stretch the limit).
vs_wait_for() {
	local limit=$1 end=$((SECONDS + $1))
	shift
	while ! "$@" > /dev/null 2>&1; do
		[ $SECONDS -ge $end ] && vs_die "timed out after ${limit}s: $*"
		sleep 0.1
	done
}

# --- requirements ------------------------------------------------------------------

vs_require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" > /dev/null || vs_skip_all "command '$c' not found"
	done
}

vs_require_root() {
	[ "$(id -u)" = 0 ] || vs_skip_all "needs root"
}

vs_require_module() {	# kernel modules other than vswitch
	local m
	for m in "$@"; do
		modprobe "$m" 2> /dev/null || vs_skip_all "kernel module '$m' unavailable"
	done
}

# vswitch.ko must be loaded (scripts/vm-run loads it).
vs_require_vswitch() {
	grep -q '^vswitch ' /proc/modules || vs_skip_all "vswitch.ko is not loaded"
}

# --- cleanup -------------------------------------------------------------------------
# Case bodies run in subshells, so deferred commands go to a file that the
# top-level shell replays, newest first, at exit.

VS_CLEANUP_FILE=$(mktemp) || exit 1

# vs_defer CMD...: run CMD at exit (newest first). Works inside cases.
vs_defer() {
	local q
	printf -v q '%q ' "$@"
	echo "$q" >> "$VS_CLEANUP_FILE"
}

vs_cleanup() {
	local cmd
	[ -f "$VS_CLEANUP_FILE" ] || return 0
	while IFS= read -r cmd; do
		eval "$cmd" > /dev/null 2>&1
	done < <(tac "$VS_CLEANUP_FILE")
	: > "$VS_CLEANUP_FILE"
}
trap 'vs_cleanup; rm -f "$VS_CLEANUP_FILE"' EXIT
trap 'vs_log "interrupted"; exit 130' INT TERM

# --- vswitchd ------------------------------------------------------------------

# vs_vswitchd_dir NAME: sets DIR to a fresh directory under /tmp for one
# daemon's state, control socket (VSWITCH_SOCKET, exported), management
# sockets, pidfile and log. At exit the daemon whose pid the pidfile then
# holds (a case may have restarted it) is killed and DIR removed.
vs_vswitchd_dir() {
	DIR=$(mktemp -d "/tmp/vsw-$1.XXXXXX") || vs_die "mktemp failed"
	export VSWITCH_SOCKET=$DIR/sock
	vs_defer rm -rf "$DIR"
	vs_defer sh -c "kill \$(cat '$DIR/pid' 2>/dev/null) 2>/dev/null"
}

# vs_vswitchd_start [ARGS...]: starts vswitchd on $DIR, detached, logging
# to $DIR/log, with ARGS added to its command line.
vs_vswitchd_start() {
	"$VSWD" --state-dir "$DIR/state" --socket "$VSWITCH_SOCKET" \
		--rundir "$DIR/run" --pidfile "$DIR/pid" --detach \
		--log-level info "$@" 2>>"$DIR/log" ||
		vs_die "vswitchd did not start: $(cat "$DIR/log")"
}

# --- network namespaces ----------------------------------------------------------------

# vs_netns_add NAME: a fresh namespace with lo up, removed at exit.
vs_netns_add() {
	ip netns del "$1" > /dev/null 2>&1 || true
	ip netns add "$1" || vs_die "ip netns add $1 failed"
	vs_defer ip netns del "$1"
	ip -n "$1" link set lo up
}

vs_ip() {	# NS ARGS...: ip in namespace NS
	local ns=$1
	shift
	ip -n "$ns" "$@"
}

vs_exec() {	# NS CMD...: run CMD in namespace NS
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# vs_vm NS PORT IF MAC ADDR: a VM: namespace NS, with IPv6 off so that
# the only frames are the test's own, holding IF (MAC, ADDR as a/len),
# the veth peer of PORT in this namespace. Both ends are left down: add
# PORT to a bridge, then vs_vm_up. Removed at exit.
vs_vm() {
	vs_netns_add "$1"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 > /dev/null ||
		vs_die "cannot turn IPv6 off in $1"
	ip link add "$2" type veth peer name "$3" netns "$1" ||
		vs_die "cannot create veth $2/$3"
	vs_defer ip link del "$2"
	ip -n "$1" link set "$3" address "$4" || vs_die "cannot set $3's address"
	ip -n "$1" addr add "$5" dev "$3" || vs_die "cannot add $5 to $3"
}

vs_vm_up() {	# NS PORT IF
	ip link set "$2" up && ip -n "$1" link set "$3" up
}

# vs_veth NS1 IF1 NS2 IF2: a veth pair across two namespaces, both ends up,
# removed at exit. An empty NS means the current (root) namespace.
vs_veth() {
	ip link add "$2" type veth peer name "$4" || vs_die "cannot create veth $2/$4"
	if [ -n "$1" ]; then
		ip link set "$2" netns "$1" || vs_die "cannot move $2 to $1"
		vs_defer ip -n "$1" link del "$2"
	else
		vs_defer ip link del "$2"
	fi
	if [ -n "$3" ]; then
		ip link set "$4" netns "$3" || vs_die "cannot move $4 to $3"
	fi
	ip ${1:+-n "$1"} link set "$2" up
	ip ${3:+-n "$3"} link set "$4" up
}
