# SPDX-License-Identifier: GPL-2.0
# Shared awk helpers for the benchmark reports (mawk compatible: no asort).

# Sorts v[1..n] numerically in place (n is small: a few rounds).
function sortn(v, n,    i, j, t) {
	for (i = 2; i <= n; i++) {
		t = v[i]
		for (j = i - 1; j >= 1 && v[j] > t; j--)
			v[j + 1] = v[j]
		v[j + 1] = t
	}
}

# Median of the space-separated numbers in s ("" if none).
function median(s,    v, n) {
	n = split(s, v, " ")
	if (n == 0)
		return ""
	sortn(v, n)
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}

function minof(s,    v, n) {
	n = split(s, v, " ")
	if (n == 0)
		return ""
	sortn(v, n)
	return v[1]
}

function maxof(s,    v, n) {
	n = split(s, v, " ")
	if (n == 0)
		return ""
	sortn(v, n)
	return v[n]
}

# Appends x to the space-separated list s.
function push(s, x) {
	return s == "" ? x : s " " x
}

# 1234567 -> "1,234,567"
function thousands(x,    s, r) {
	s = sprintf("%.0f", x)
	r = ""
	while (length(s) > 3) {
		r = "," substr(s, length(s) - 2) r
		s = substr(s, 1, length(s) - 3)
	}
	return s r
}
