#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Plot a bench summary (summary.csv in DIR) to DIR/bench.png with gnuplot.
set -eu
dir=$1
awk -F, '
	$1 == "syn_flood cost (nft synproxy)" { sn = $2 }
	$1 == "syn_flood cost (synfw)" { ss = $2 }
	$1 == "ack_flood cost (nft synproxy)" { an = $2 }
	$1 == "ack_flood cost (synfw)" { as = $2 }
	END { print "\"SYN flood\"", sn, ss; print "\"bad-ACK flood\"", an, as }
' "$dir/summary.csv" >"$dir/plot.dat"
gnuplot <<EOF
set terminal pngcairo size 800,500
set output "$dir/bench.png"
set title "CPU per packet, net of a plain drop rule (lower is better)"
set ylabel "microseconds of CPU per packet"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
plot "$dir/plot.dat" using 2:xtic(1) title "nft synproxy", "" using 3 title "synfw"
EOF
rm -f "$dir/plot.dat"
