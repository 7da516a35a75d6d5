#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host microbenchmarks, collected as they are printed:
#   build/bench/lookup_bench        K1: ns per flow lookup (microflow hit,
#                                   megaflow over 1/8/32/128 masks)
#   build/bench/classifier_bench,    U1: classifier lookups/s, megaflow
#   build/bench/*classifier*bench*  generation time per upcall
#
#   bench/host/micro.sh RAWDIR
#
# Writes RAWDIR/micro.tsv: TOOL <tab> LINE, one line per output line (a
# tool that is missing gets one "not built" line).

set -u
RAW=${1:?usage: micro.sh RAWDIR}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
TSV=$RAW/micro.tsv
mkdir -p "$RAW" || exit 1
: > "$TSV"

collect() {	# $1 tool name, $2... command
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed "s|^|$name\t|" >> "$TSV"
	[ $rc = 0 ] || printf '%s\t(exit status %d)\n' "$name" $rc >> "$TSV"
}

LOOKUP=$REPO/build/bench/lookup_bench
if [ -x "$LOOKUP" ]; then
	collect lookup_bench "$LOOKUP" "${BENCH_LOOKUPS:-2000000}"
else
	printf 'lookup_bench\tnot built (bench/lookup_bench.c and build/kmod-host objects needed)\n' >> "$TSV"
fi

found=0
for b in "$REPO"/build/tests/host/bench_* "$REPO"/build/bench/*classifier*bench*; do
	[ -x "$b" ] || continue
	found=1
	collect "$(basename "$b")" "$b"
done
[ $found = 1 ] || printf 'classifier_bench\tnot built yet (U1: tests/host/bench_*)\n' >> "$TSV"
exit 0
