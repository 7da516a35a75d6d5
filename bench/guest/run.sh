#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make bench` (started by scripts/bench through
# scripts/vm-run): runs each guest benchmark into OUTDIR. Each part writes
# its own TSV and log; a part that fails is reported, the others still run.
#
#   bench/guest/run.sh OUTDIR [PART...]     PART: fastpath setuprate isolation scale

set -u
OUT=${1:?usage: run.sh OUTDIR [PART...]}
shift
PARTS=${*:-fastpath setuprate isolation}
HERE=$(dirname "$0")
mkdir -p "$OUT" || exit 1
status=0
for p in $PARTS; do
	if [ ! -x "$HERE/$p.sh" ]; then
		echo "bench: $p: $HERE/$p.sh missing" | tee -a "$OUT/run.log"
		status=1
		continue
	fi
	start=$(date +%s)
	"$HERE/$p.sh" "$OUT"
	rc=$?
	echo "bench: $p finished with status $rc in $(( $(date +%s) - start )) s" | tee -a "$OUT/run.log"
	[ $rc = 0 ] || status=1
done
exit $status
