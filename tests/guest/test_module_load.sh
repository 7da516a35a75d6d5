#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vswitch.ko loads and unloads cleanly next to openvswitch and bridge, and
# registers its generic netlink family "vswitch" only while loaded.
#
#   [ openvswitch ] [ bridge ]  [ vswitch ] <- insmod/rmmod x CYCLES
#                                    |
#                               genl family "vswitch"
#
# scripts/vm-run inserts the module before the tests; this script removes
# and re-inserts it, and leaves it loaded.
# vsw-timeout: 240

. "$(dirname "$0")/../lib.sh"

CYCLES=5
FAMILY=vswitch
BAD='BUG:|WARNING:|Oops|general protection|refcount_t|list_del corruption|stack-protector|Kernel panic|KASAN|UBSAN'

vs_require_root
vs_require_cmd genl insmod rmmod modprobe dmesg

DMESG_START=$(dmesg | wc -l)

uapi_version() {
	sed -n 's/^#define VSWITCH_GENL_VERSION[[:space:]]*\([0-9]*\).*/\1/p' \
		"$VS_ROOT/include/uapi/linux/vswitch.h"
}

loaded() { grep -q "^vswitch " /proc/modules; }
family_registered() { genl ctrl get name "$FAMILY" > /dev/null 2>&1; }

load() {
	loaded && return 0
	[ -f "$VS_MODULE" ] || vs_die "$VS_MODULE not built (make)"
	insmod "$VS_MODULE" || vs_die "insmod $VS_MODULE failed"
}

unload() {
	loaded || return 0
	rmmod vswitch || vs_die "rmmod vswitch failed"
}

assert_loaded() {
	loaded || vs_die "vswitch not in /proc/modules after insmod"
	lsmod | grep -q '^vswitch ' || vs_die "lsmod does not list vswitch"
	family_registered || vs_die "genl family '$FAMILY' not registered while loaded"
}

assert_unloaded() {
	loaded && vs_die "vswitch still in /proc/modules after rmmod"
	family_registered && vs_die "genl family '$FAMILY' still registered after rmmod"
	return 0
}

other_modules_load() {
	modprobe openvswitch || vs_die "modprobe openvswitch failed"
	modprobe bridge || vs_die "modprobe bridge failed"
	grep -q '^openvswitch ' /proc/modules || vs_die "openvswitch not listed"
	grep -q '^bridge ' /proc/modules || vs_die "bridge not listed"
}

loaded_with_family() {
	load
	assert_loaded
	local version
	version=$(genl ctrl get name "$FAMILY" 2>/dev/null |
		sed -n 's/.*Version: *\(0x[0-9a-f]*\).*/\1/p' | head -n 1)
	[ -n "$version" ] || vs_die "genl ctrl get shows no version for '$FAMILY'"
	[ $((version)) -eq "$(uapi_version)" ] ||
		vs_die "family version $((version)), uapi says $(uapi_version)"
}

unload_removes_family() {
	load
	unload
	assert_unloaded
}

reload_cycles() {
	local i
	for ((i = 1; i <= CYCLES; i++)); do
		load
		assert_loaded
		unload
		assert_unloaded
	done
}

left_loaded() {
	load
	assert_loaded
}

kernel_log_clean() {
	local lines
	lines=$(dmesg | tail -n +$((DMESG_START + 1)) | grep -E "$BAD" || true)
	[ -z "$lines" ] || vs_die "kernel log shows: $lines"
}

run_case openvswitch_and_bridge_load other_modules_load
run_case loaded_with_family loaded_with_family
run_case unload_removes_family unload_removes_family
run_case reload_${CYCLES}_times reload_cycles
run_case left_loaded left_loaded
run_case kernel_log_clean kernel_log_clean
vs_done
