#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 420
# The kernel caches obey the rules: a rule change reaches traffic that is
# already cached within 1 s, idle megaflows expire, and dump-flows counts
# the packets the kernel forwarded on its own, to the rule they hit even
# when a rule change moves their megaflow to another rule right after.
#
#   +----------------- cch0 -----------------+
#   | 1 cch1p (veth)        2 cch2p (veth)   |
#   +-----|----------------------|-----------+
#     ns cch1 10.0.3.1       ns cch2 10.0.3.2      (IPv6 off: no chatter)
. "$(dirname "$0")/../tools/e2e.sh"

e2e_begin cache ping

setup() {
	local n
	must add_br cch0 || return 1
	for n in 1 2; do
		must vm_ns cch$n &&
		must ip netns exec cch$n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
		must ip netns exec cch$n sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
		must ip link add cch${n}p type veth peer name eth0 netns cch$n || return 1
		TOPO_LINKS+=("cch${n}p")
		ip link set cch${n}p up
		must vm_addr cch$n eth0 02:00:00:03:00:0$n 10.0.3.$n/24 || return 1
		must vsctl add-port cch0 cch${n}p ofport=$n || return 1
	done
	ip -n cch1 neigh replace 10.0.3.2 lladdr 02:00:00:03:00:02 dev eth0 nud permanent
	ip -n cch2 neigh replace 10.0.3.1 lladdr 02:00:00:03:00:01 dev eth0 nud permanent
}

# Cold caches, static ARP: the one echo request misses, so does its reply;
# vswitchd must deliver both (PACKET_EXECUTE) besides installing flows.
first_packet_delivered() {
	local s
	s=$(vsctl dump-dp-flows cch0)
	[ -z "$s" ] || { echo "caches not cold:"; echo "$s"; return 1; }
	in_ns cch1 ping -c 1 -W 5 10.0.3.2 || { vsctl dp-stats cch0; vsctl dump-dp-flows cch0; return 1; }
	must ping_ok cch1 10.0.3.2
}

now() { date +%s.%N; }

# Time of the last reply in a "ping -D" log (epoch seconds), or 0.
last_reply() {
	sed -n 's/^\[\([0-9.]*\)\] .*bytes from.*/\1/p' "$1" | tail -n 1
}
first_reply_after() {
	sed -n 's/^\[\([0-9.]*\)\] .*bytes from.*/\1/p' "$1" |
		awk -v t="$2" '$1 > t { print; exit }'
}

# ping -D every 50 ms into a file; ping_stop flushes it (SIGINT makes ping
# print everything it has, a file being block-buffered).
ping_start() {
	bg cch1 stdbuf -oL ping -D -i 0.05 10.0.3.2 >"$1" 2>&1
	PING_PID=$TOPO_LAST_PID
}
ping_stop() {
	kill -INT "$PING_PID" 2>/dev/null
	wait "$PING_PID" 2>/dev/null
}

# The 1 s is the stock kernel's; the debug kernel (VSW_TIMEOUT_SCALE 3,
# KASAN and lockdep on every netlink request of the revalidator) gets
# 1 s times the scale. A failure leaves no drop rule behind for the
# cases after it.
rule_change_reaches_cache() {
	local log=$TOPO_DIR/ping-D.log t0 t1 last first f
	local lim=${VSW_TIMEOUT_SCALE:-1} wait=$((2 * ${VSW_TIMEOUT_SCALE:-1}))
	ping_start "$log"
	sleep 2
	f=$(vsctl dump-dp-flows cch0)
	echo "$f"
	contains "$f" "packets:" || { ping_stop; return 1; }
	t0=$(now)
	must vsctl add-flow cch0 priority=200,icmp,actions=drop || { ping_stop; return 1; }
	sleep "$wait"
	ping_stop
	last=$(last_reply "$log")
	echo "rule added at $t0, last reply at $last"
	awk -v a="$last" -v b="$t0" -v l="$lim" 'BEGIN { exit !(a < b + l) }' ||
		{ echo "traffic still flowed $(awk -v a="$last" -v b="$t0" 'BEGIN{print a-b}') s after the drop rule (limit $lim s)"
		  vsctl del-flows cch0 icmp; return 1; }
	ping_start "$log.2"
	sleep 1
	t1=$(now)
	must vsctl del-flows cch0 icmp || { ping_stop; return 1; }
	sleep "$wait"
	ping_stop
	first=$(first_reply_after "$log.2" "$t1")
	echo "rule deleted at $t1, first reply at ${first:-never}"
	[ -n "$first" ] && awk -v a="$first" -v b="$t1" -v l="$lim" 'BEGIN { exit !(a < b + l) }' ||
		{ echo "traffic did not resume within $lim s of deleting the rule"; return 1; }
}

fast_path_counted() {
	must vsctl add-flow cch0 priority=100,icmp,actions=NORMAL || return 1
	local before d n s
	must in_ns cch1 ping -c 50 -i 0.02 -q 10.0.3.2 || return 1
	sleep 1.5
	d=$(vsctl dump-flows cch0)
	echo "$d"
	n=$(rule_packets "$d" "priority=100,icmp")
	# 50 requests + 50 replies, only the first of each went to vswitchd
	[ "${n:-0}" -ge 100 ] || { echo "icmp rule n_packets=${n:-?}, expected >= 100"; return 1; }
	s=$(vsctl dp-stats cch0)
	echo "$s"
	contains "$s" '[Hh]it'
}

# udp_burst PORT N: N datagrams from cch1 to 10.0.3.2's PORT, back to
# back (the rules below drop them: no ICMP errors come back).
udp_burst() {
	in_ns cch1 bash -c "for i in \$(seq $2); do echo x >/dev/udp/10.0.3.2/$1; done"
}

# A burst hits a megaflow of rule A; at once a new rule B (same match,
# higher priority) takes it over: the targeted revalidator pass moves the
# megaflow to B. What the kernel counted for it before belongs to A, even
# when no periodic pass came between (three rounds: a periodic pass may
# fall between a burst and its rule change and hide a stale count).
retarget_keeps_counts() {
	local port d a b n=30 bad=0
	for port in 9001 9002 9003; do
		must vsctl add-flow cch0 "priority=150,udp,tp_dst=$port,actions=drop" || return 1
		must udp_burst $port $n || return 1
		must vsctl add-flow cch0 "priority=160,udp,tp_dst=$port,actions=drop" || return 1
	done
	sleep 1.5	# a periodic pass pushes what is left
	d=$(vsctl dump-flows cch0)
	echo "$d"
	for port in 9001 9002 9003; do
		a=$(rule_packets "$d" "priority=150,udp,tp_dst=$port")
		b=$(rule_packets "$d" "priority=160,udp,tp_dst=$port")
		[ "${a:-x}" = $n ] && [ "${b:-x}" = 0 ] && continue
		echo "tp_dst=$port: old rule n_packets=${a:-?} (expected $n), new rule n_packets=${b:-?} (expected 0)"
		bad=1
	done
	vsctl del-flows cch0 udp
	return $bad
}

idle_expiry() {
	local f
	must vsctl set cch0 idle-timeout=2000 || return 1
	must in_ns cch1 ping -c 3 -i 0.2 -q 10.0.3.2 || return 1
	f=$(vsctl dump-dp-flows cch0)
	echo "$f"
	contains "$f" "packets:" || return 1
	# idle 2 s + one revalidation period + slack
	wait_for 6 sh -c "! $VSCTL dump-dp-flows cch0 | grep -q packets:" || {
		vsctl dump-dp-flows cch0
		return 1
	}
}

e2e_setup "setup: two VMs on cch0, static ARP" setup
e2e_case "cold cache: the first packet of a flow is delivered" first_packet_delivered
e2e_case "a rule change reaches cached traffic within 1 s (add and delete)" rule_change_reaches_cache
e2e_case "dump-flows counters include fast-path packets" fast_path_counted
e2e_case "a rule change that moves a megaflow leaves its counts to the old rule" retarget_keeps_counts
e2e_case "idle megaflows expire (idle-timeout=2000 ms)" idle_expiry
e2e_end
