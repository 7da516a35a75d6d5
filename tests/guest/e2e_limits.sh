#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
# vswitch.ko's count limits reach the user: past max_datapaths (bridges per
# namespace) or max_ports (ports per bridge), add-br / add-port exit 1 with
# the kernel's message naming the parameter, and list-br / list-ports
# show nothing half made. The parameters are restored at exit.
. "$(dirname "$0")/../tools/e2e.sh"

P=/sys/module/vswitch/parameters

e2e_begin limits

# refuse PARAM CMD...: vswitchctl CMD exits 1 naming PARAM.
refuse() {
	local param=$1 err rc
	shift
	err=$("$VSCTL" "$@" 2>&1 >/dev/null)
	rc=$?
	echo "vswitchctl $* -> exit $rc: $err"
	[ $rc = 1 ] || { echo "exit status $rc, expected 1"; return 1; }
	grep -qF -- "$param" <<<"$err" || { echo "message does not name $param"; return 1; }
}

setup() {
	local dps ports
	dps=$(cat $P/max_datapaths) && ports=$(cat $P/max_ports) || return 1
	vs_defer sh -c "echo $dps > $P/max_datapaths; echo $ports > $P/max_ports"
	must add_br lim0 &&
	must ip link add limp1 type veth peer name limp1b &&
	must ip link add limp2 type veth peer name limp2b &&
	TOPO_LINKS+=(limp1 limp2)
}

datapaths() {
	must sh -c "echo 1 > $P/max_datapaths" &&
	refuse max_datapaths add-br lim1 &&
	must_not contains "$(vsctl list-br)" lim1 &&
	must_not ip link show lim1 &&
	must sh -c "echo 256 > $P/max_datapaths" &&
	must add_br lim1
}

ports() {
	must vsctl add-port lim0 limp1 &&
	must sh -c "echo 1 > $P/max_ports" &&
	refuse max_ports add-port lim0 limp2 &&
	must_not contains "$(vsctl list-ports lim0)" limp2 &&
	must sh -c "echo 16384 > $P/max_ports" &&
	must vsctl add-port lim0 limp2
}

e2e_setup "setup: bridge lim0, veths limp1, limp2" setup
e2e_case "add-br past max_datapaths names it, makes nothing" datapaths
e2e_case "add-port past max_ports names it, attaches nothing" ports
e2e_end
