#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Plot a bench summary (summary.csv in DIR) to DIR/bench.png with gnuplot:
# flood costs against nft synproxy, and synfw's costs as live flows grow.
set -eu
dir=$1
awk -F, '
	$1 == "syn_flood cost (nft synproxy)" { sn = $2 }
	$1 == "syn_flood cost (synfw)" { ss = $2 }
	$1 == "ack_flood cost (nft synproxy)" { an = $2 }
	$1 == "ack_flood cost (synfw)" { as = $2 }
	END { print "\"SYN flood\"", sn, ss; print "\"bad-ACK flood\"", an, as }
' "$dir/summary.csv" >"$dir/plot.dat"
awk -F, '
	match($1, /^(syn|ack)_flood cost \(synfw with [0-9]+ live flows\)$/) {
		n = $1; gsub(/[^0-9]/, "", n)
		if ($1 ~ /^syn/) syn[n] = $2; else ack[n] = $2
	}
	END { for (n in syn) print n, syn[n], ack[n] }
' "$dir/summary.csv" | sort -n >"$dir/scale.dat"
gnuplot <<EOF
set terminal pngcairo size 1200,500
set output "$dir/bench.png"
set multiplot layout 1,2
set title "CPU per packet, net of a plain drop rule (lower is better)"
set ylabel "microseconds of CPU per packet"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
plot "$dir/plot.dat" using 2:xtic(1) title "nft synproxy", "" using 3 title "synfw"
set title "synfw's flood cost as live flows grow (flat is the goal)"
set xlabel "live flows"
set logscale x
set xrange [500:200000]
set key center right
set style data linespoints
plot "$dir/scale.dat" using 1:2 title "SYN flood", "" using 1:3 title "bad-ACK flood"
unset multiplot
EOF
rm -f "$dir/plot.dat" "$dir/scale.dat"
