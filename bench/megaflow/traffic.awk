# SPDX-License-Identifier: GPL-2.0
# Traffic mix for the megaflow comparison, in ofproto/trace packet syntax.
#   awk -v set=acl|pipeline|normal -v what=packets|warmup -v n=N -f traffic.awk
# Deterministic (own LCG): both switches see the same packets.
# Hosts h1..h8: MAC 02:00:00:00:00:0N, IP 10.0.0.N, on port (N-1)%4+1.

function rnd(k) {	# 0..k-1
	seed = (seed * 1103515245 + 12345) % 2147483648
	return int(seed / 65536) % k
}
function mac(h) { return sprintf("02:00:00:00:00:%02x", h) }
function port_of(h) { return (h - 1) % 4 + 1 }
function eth(h, d) {
	return sprintf("in_port=%d,dl_src=%s,dl_dst=%s", port_of(h), mac(h), d)
}
function sport() { return 1024 + rnd(64000) }
# OVS's tp_src/tp_dst mean TCP ports only: name the protocol's fields.
function l4(proto, dport) {
	return sprintf("%s_src=%d,%s_dst=%d", proto, sport(), proto, dport)
}
function ip(src, dst) { return sprintf("nw_src=%s,nw_dst=%s,nw_ttl=64", src, dst) }

function acl_packet(    k, h) {
	k = rnd(10); h = 1 + rnd(8)
	if (k < 3)	# web
		return eth(h, mac(9)) ",tcp," ip("10.0.0." h, "192.168.10." 1 + rnd(20)) "," l4("tcp", rnd(2) ? 80 : 443)
	if (k < 5)	# dns
		return eth(h, mac(9)) ",udp," ip("10.0.0." h, "192.168.20." 1 + rnd(4)) "," l4("udp", 53)
	if (k < 6)	# admin ssh
		return eth(h, mac(9)) ",tcp," ip("10.1." rnd(256) "." 1 + rnd(254), "10.0.0." 1 + rnd(8)) "," l4("tcp", 22)
	if (k < 7)	# ssh from elsewhere: denied
		return eth(h, mac(9)) ",tcp," ip("10." 2 + rnd(200) "." rnd(256) "." 1 + rnd(254), "10.0.0." 1 + rnd(8)) "," l4("tcp", 22)
	if (k < 9)	# to the 172.16/12 services
		return eth(h, mac(9)) ",tcp," ip("10.0.0." h, "172." 16 + rnd(16) "." rnd(256) "." 1 + rnd(254)) "," l4("tcp", 1 + rnd(10000))
	return eth(h, mac(9)) ",udp," ip("10.0.0." h, "203.0.113." 1 + rnd(254)) "," l4("udp", 1 + rnd(60000))
}

function lan_packet(    k, h, d, p) {
	k = rnd(10); h = 1 + rnd(8); d = 1 + rnd(8)
	if (k < 1)	# ARP request, broadcast
		return eth(h, "ff:ff:ff:ff:ff:ff") ",arp,arp_op=1,arp_spa=10.0.0." h ",arp_tpa=10.0.0." d ",arp_sha=" mac(h)
	if (k < 2)	# to an unknown MAC: flooded / dropped
		return eth(h, mac(32 + rnd(8))) ",udp," ip("10.0.0." h, "10.0.0." 100 + rnd(8)) "," l4("udp", 5000 + rnd(10))
	if (k < 3)	# dns (pipeline: out to port 4)
		return eth(h, mac(d)) ",udp," ip("10.0.0." h, "10.0.0." d) "," l4("udp", 53)
	if (k < 4)	# ssh
		return eth(h, mac(d)) ",tcp," ip("10.0.0." h, "10.0.0." d) "," l4("tcp", 22)
	p = rnd(2) ? "tcp" : "udp"
	return eth(h, mac(d)) "," p "," ip("10.0.0." h, "10.0.0." d) "," l4(p, 1 + rnd(10000))
}

function warmup_packet(h) {	# each host says hello once (NORMAL learns it)
	return eth(h, "ff:ff:ff:ff:ff:ff") ",arp,arp_op=1,arp_spa=10.0.0." h ",arp_tpa=10.0.0.254,arp_sha=" mac(h)
}

BEGIN {
	seed = 12345
	if (n == "") n = 300
	if (what == "warmup") {
		if (set == "normal")
			for (h = 1; h <= 8; h++)
				print warmup_packet(h)
		exit
	}
	for (i = 0; i < n; i++)
		print (set == "acl" ? acl_packet() : lan_packet())
}
