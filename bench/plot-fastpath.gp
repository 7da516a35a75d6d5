# SPDX-License-Identifier: GPL-2.0
# gnuplot -e "dat='F'; out='P'" bench/plot-fastpath.gp
# F: data written by bench/report-fastpath.awk (kpps median, min, max per
# candidate); P: the PNG to write.
set terminal pngcairo size 1000,560 noenhanced font ",10"
set output out
set title "Fast path: 64-byte packets per second (QEMU TCG guest; bars = median, whiskers = min-max)"
set ylabel "kpps"
set xlabel "flows / masks"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key outside right top vertical
set grid ytics
set yrange [0:*]
plot for [i=0:4] dat using (column(2+3*i)):(column(3+3*i)):(column(4+3*i)):xtic(1) title columnhead(2+3*i)
