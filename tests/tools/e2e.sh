# SPDX-License-Identifier: GPL-2.0
# e2e.sh: the frame of a tests/guest/e2e_*.sh scenario. Each scenario is a
# list of cases run in order against one topology (tests/tools/topo.sh) and
# one private vswitchd; every case prints one TAP line. When a prerequisite
# is missing (not root, module not loaded, binaries not built, a tool not
# installed) every case reports "# SKIP" with the reason; it never passes.
#
#   . tests/tools/e2e.sh
#   e2e_begin NAME [TOOL...]      checks, scratch dir, cleanup trap, vswitchd
#   e2e_case NAME FUNC [ARGS...]  one TAP line; FUNC's output becomes
#                                 diagnostics when it fails
#   e2e_setup NAME FUNC [ARGS...] the same, and later cases fail if it does
#   e2e_end                       plan line, exit status

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$E2E_ROOT/tests/lib.sh"
. "$E2E_ROOT/tests/tools/topo.sh"

E2E_SKIP=
E2E_BROKEN=

e2e_prereq() {
	local t
	[ "$(id -u)" = 0 ] || { echo "needs root"; return; }
	[ -x "$VSWD" ] || { echo "build/vswitchd not built"; return; }
	[ -x "$VSCTL" ] || { echo "build/vswitchctl not built"; return; }
	if [ -z "${E2E_NO_MODULE:-}" ] && ! grep -q '^vswitch ' /proc/modules 2>/dev/null; then
		echo "vswitch.ko is not loaded (run in the guest: scripts/vm-run)"
		return
	fi
	for t in ip "$@"; do
		command -v "$t" >/dev/null 2>&1 || { echo "$t is not installed"; return; }
	done
}

e2e_begin() {
	local name=$1
	shift
	E2E_NAME=$name
	E2E_SKIP=$(e2e_prereq "$@")
	[ -n "$E2E_SKIP" ] && return 0
	vs_defer topo_cleanup
	topo_init "$name" || { E2E_BROKEN="no scratch directory"; return 0; }
	vswd_start || E2E_BROKEN="vswitchd did not start"
}

# e2e_case NAME FUNC [ARGS...]: FUNC runs in this shell, unlike lib.sh's
# run_case, so that it may leave state (namespaces, daemons, snapshots) for
# later cases; a non-zero return fails the case, except $VS_SKIP_RC (4),
# which skips it with the last line FUNC printed as the reason (for a
# measurement the machine could not make; never for a missing feature).
# TAP lines come from lib.sh.
e2e_case() {
	local name=$1 log rc
	shift
	if [ -n "$E2E_SKIP" ]; then
		vs_skip "$name" "$E2E_SKIP"
		return 0
	fi
	if [ -n "$E2E_BROKEN" ]; then
		vs_fail "$name" "$E2E_BROKEN"
		return 1
	fi
	log=$TOPO_DIR/case.log
	"$@" >"$log" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		vs_ok "$name"
		return 0
	fi
	if [ $rc = "$VS_SKIP_RC" ]; then
		sed 's/^/# /' "$log" | tail -n 20
		vs_skip "$name" "$(tail -n 1 "$log")"
		return 0
	fi
	sed 's/^/# /' "$log" | tail -n 40
	if [ -s "$TOPO_DIR/vswitchd.log" ]; then
		echo "# --- vswitchd.log (last lines)"
		tail -n 15 "$TOPO_DIR/vswitchd.log" | sed 's/^/# /'
	fi
	vs_fail "$name"
	return 1
}

# e2e_setup NAME FUNC [ARGS...]: a case the rest depends on; when it
# fails, every later case fails at once naming it.
e2e_setup() {
	e2e_case "$@" && return 0
	[ -n "$E2E_SKIP" ] || E2E_BROKEN="setup '$1' failed"
}

e2e_end() {
	vs_done
}

# ---- assertion helpers for case functions: print why, return non-zero.

# must CMD...: CMD succeeds.
must() {
	"$@" && return 0
	echo "command failed: $*"
	return 1
}

# must_not CMD...: CMD fails.
must_not() {
	"$@" || return 0
	echo "command succeeded but should have failed: $*"
	return 1
}

# wait_for SECONDS CMD...: CMD succeeds within SECONDS (polled every 0.2 s).
wait_for() {
	local limit=$1 i
	shift
	for i in $(seq 1 $((limit * 5))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "not true within ${limit}s: $*"
	return 1
}

# contains TEXT PATTERN: TEXT has a line matching the extended regex.
contains() {
	grep -Eq -- "$2" <<<"$1" && return 0
	echo "expected /$2/ in:"
	echo "$1"
	return 1
}

# flow_refused BR RULE PATTERN: vswitchctl add-flow BR RULE fails, with
# a message that has a line matching the extended regex PATTERN.
flow_refused() {
	local e
	e=$(vsctl add-flow "$1" "$2" 2>&1) && { echo "accepted: $2"; return 1; }
	contains "$e" "$3"
}

# capture_start NS IFACE FILTER...: tcpdump -e -n inside NS to a file;
# waits until it listens. capture_stop prints what it saw.
capture_start() {
	local ns=$1 dev=$2 i
	shift 2
	CAP_FILE=$TOPO_DIR/capture-$ns.txt
	: >"$CAP_FILE"
	ip netns exec "$ns" tcpdump -e -n -l -vv -i "$dev" "$@" \
		>"$CAP_FILE" 2>"$CAP_FILE.err" &
	CAP_PID=$!
	TOPO_PIDS+=("$CAP_PID")
	for i in $(seq 1 50); do
		grep -q 'listening on' "$CAP_FILE.err" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "tcpdump did not start:"
	cat "$CAP_FILE.err"
	return 1
}

capture_stop() {
	sleep 0.3
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	cat "$CAP_FILE"
}

# rule_packets FLOWS PATTERN: n_packets of the dump-flows line matching it.
rule_packets() {
	grep -E -- "$2" <<<"$1" | head -n 1 | sed -n 's/.*n_packets=\([0-9]*\).*/\1/p'
}
