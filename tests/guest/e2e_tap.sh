#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 420
# VMs come and go: a VM's tap is deleted and created again (the VM was
# restarted), and the switch re-attaches the port by itself, keeping its
# OpenFlow port number and rules. A port configured before its tap exists
# is attached as soon as the tap appears.
#
#   +----------------- tap0br ----------------+
#   | 1 tapv1p (veth)       2 tapv2t (tap)    |
#   +-----|----------------------|------------+
#     ns tapv1 10.0.5.1      ns tapv2 10.0.5.2 (tapvm)
#                            3 tapv3t: configured first, tap created later
. "$(dirname "$0")/../tools/e2e.sh"

e2e_begin tap ping

setup() {
	must add_br tap0br &&
	must vm_veth tapv1 tapv1p 02:00:00:05:00:01 10.0.5.1/24 &&
	must vm_tap tapv2 tapv2t 02:00:00:05:00:02 10.0.5.2/24 &&
	must vsctl add-port tap0br tapv1p ofport=1 &&
	must vsctl add-port tap0br tapv2t ofport=2 &&
	must vsctl add-flow tap0br priority=100,ip,nw_dst=10.0.5.2,actions=output:2 &&
	must ping_ok tapv1 10.0.5.2
}

# port_line NAME: the "ofport: N, interface: STATE, vlan: ..." line of a port.
port_line() { vsctl show tap0br | grep -A1 -E "^ +Port $1\$" | tail -n 1; }

tap_recreated() {
	vm_tap_stop tapv2t
	must ip link del tapv2t || return 1
	must_not ping_ok tapv1 10.0.5.2 1 || return 1
	wait_for 3 sh -c "$VSCTL show tap0br | grep -A1 -E '^ +Port tapv2t\$' | grep -q 'interface: absent'" ||
		{ vsctl show tap0br; return 1; }
	echo "after delete: $(port_line tapv2t)"
	must ip tuntap add dev tapv2t mode tap &&
	must ip link set tapv2t up &&
	must vm_tap_start tapv2 tapv2t 02:00:00:05:00:02 &&
	must vm_addr tapv2 eth0 02:00:00:05:00:02 10.0.5.2/24 || return 1
	wait_for 5 ping_ok tapv1 10.0.5.2 1 || { vsctl show; return 1; }
	local l
	l=$(port_line tapv2t)
	echo "after re-create: $l"
	contains "$l" 'ofport: 2, interface: attached'
}

rules_kept() {
	local t
	t=$(vsctl trace tap0br in_port=1,ip,nw_src=10.0.5.1,nw_dst=10.0.5.2) || return 1
	echo "$t"
	contains "$t" 'Datapath actions: 2$'
}

configured_before_created() {
	must vsctl add-port tap0br tapv3t ofport=3 || return 1
	must vsctl show
	must vm_tap tapv3 tapv3t 02:00:00:05:00:03 10.0.5.3/24 || return 1
	wait_for 5 ping_ok tapv3 10.0.5.1 1 || { vsctl show; return 1; }
}

vm_restarts_repeatedly() {
	local i
	for i in 1 2 3; do
		vm_tap_stop tapv3t
		ip link del tapv3t || return 1
		ip tuntap add dev tapv3t mode tap && ip link set tapv3t up &&
			vm_tap_start tapv3 tapv3t 02:00:00:05:00:03 &&
			vm_addr tapv3 eth0 02:00:00:05:00:03 10.0.5.3/24 || return 1
		wait_for 5 ping_ok tapv3 10.0.5.1 1 || { echo "round $i"; vsctl show; return 1; }
	done
}

# QEMU's -netdev tap,script=scripts/qemu-ifup,downscript=scripts/qemu-ifdown:
# QEMU creates the tap, calls ifup with its name, later ifdown.
qemu_scripts() {
	local up=$E2E_ROOT/scripts/qemu-ifup down=$E2E_ROOT/scripts/qemu-ifdown
	must vm_ns tapq &&
	must ip tuntap add dev tapq0 mode tap || return 1
	TOPO_LINKS+=(tapq0)
	must env VSWITCH_BRIDGE=tap0br VSWITCHCTL="$VSCTL" "$up" tapq0 &&
	must vm_tap_start tapq tapq0 02:00:00:05:00:09 &&
	must vm_addr tapq eth0 02:00:00:05:00:09 10.0.5.9/24 || return 1
	vsctl list-ports tap0br | grep -qx tapq0 || { vsctl list-ports tap0br; return 1; }
	wait_for 5 ping_ok tapq 10.0.5.1 1 || { vsctl show; return 1; }
	must env VSWITCH_BRIDGE=tap0br VSWITCHCTL="$VSCTL" "$down" tapq0 || return 1
	! vsctl list-ports tap0br | grep -qx tapq0 || { echo "tapq0 still a port"; return 1; }
	must_not ping_ok tapq 10.0.5.1 1 || return 1
	# a bridge that does not exist: ifup fails, so QEMU refuses to start
	must_not env VSWITCH_BRIDGE=nosuchbr VSWITCHCTL="$VSCTL" "$up" tapq0
}

e2e_setup "setup: a veth VM and a tap VM" setup
e2e_case "tap deleted and re-created: port re-attached by itself" tap_recreated
e2e_case "re-attached port keeps its number and rules" rules_kept
e2e_case "port configured before its tap exists attaches when it appears" configured_before_created
e2e_case "a VM restarting three times in a row" vm_restarts_repeatedly
e2e_case "qemu-ifup attaches a new tap, qemu-ifdown detaches it" qemu_scripts
e2e_end
