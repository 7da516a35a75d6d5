# SPDX-License-Identifier: GPL-2.0
# gnuplot -e "dat='F'; out='P'" bench/plot-masks.gp
# F: masks probed per packet per case (bench/report-fastpath.awk, *-masks.dat).
set terminal pngcairo size 900,480 noenhanced font ",10"
set output out
set title "Masks probed per packet (median over rounds)"
set ylabel "masks probed / packet"
set xlabel "flows / masks"
set datafile missing "-"
set style data histogram
set style histogram clustered gap 2
set style fill solid 0.8 border -1
set key left top
set grid ytics
set yrange [0:*]
plot for [i=2:4] dat using i:xtic(1) title columnhead(i)
