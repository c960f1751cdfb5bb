#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make perf (runs in the VM): where the CPU goes under a spoofed SYN flood
# and under a random-ACK flood at a router running synfw. The whole guest
# is sampled with perf's software clock (-e cpu-clock: TCG has no hardware
# counters), with call chains, for PERF_SECONDS in the steady state of each
# flood (trafgen at full speed, started beforehand). perf resolves the
# kernel's and synfw's symbols through /proc/kallsyms. A profile, not a
# test: nothing here fails on a figure.
#
# Writes to $SYNFW_OUT, for scripts/perf-report.py on the host:
#   self-KIND.txt       perf report, self cost per symbol (';'-separated)
#   children-KIND.txt   the same with callees' cost included
#   hooked-KIND.txt     self cost of the samples taken inside synfw's hooks
#   callgraph-KIND.txt  the readable report, call chains of the top symbols
#   stats-KIND.txt      flood rates with and without sampling, and synfw's
#                       counters that moved while sampled
#   synfw-symbols.txt   synfw's functions, from /proc/kallsyms
#   shared-symbols.txt  those whose names kernel functions have too
#   environment.txt

source "$(dirname "$0")/../selftests/lib.sh"

require_cmd trafgen perf
OUT=${SYNFW_OUT:-/tmp/synfw-perf}
# Seconds (of the guest's clock) of sampling per flood, and of measuring
# the flood's rate without perf beforehand.
SAMPLE_S=${PERF_SECONDS:-30}
RATE_SECONDS=5
mkdir -p "$OUT"

setup_topology
mac=$(nsx "$router" cat /sys/class/net/veth0/address)
trafgen_syn_cfg /tmp/perf-syn.cfg "$mac" "$server_ip" 8080
# As make bench's: the same packets, as ACKs with random numbers, no options.
sed 's/syn, win=64240, doff=6),/ack, ackseq=drnd(), win=502, doff=5)/; /0x02, 0x04/d' \
	/tmp/perf-syn.cfg >/tmp/perf-ack.cfg
nsx "$server" sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
nsx "$server" socat TCP-LISTEN:8080,fork,reuseaddr /dev/null &
wait_listen "$server" 8080

# No adoption: a random ACK must meet the cookie check and die there.
synfw_load protect="$server_ip:8080" adopt_s=0
awk '$4 == "[synfw]" && $2 ~ /^[tT]$/ { print $3 }' /proc/kallsyms | sort -u >"$OUT/synfw-symbols.txt"
# Names synfw shares with the kernel (inlined header helpers): ambiguous.
awk '$2 ~ /^[tT]$/ { if ($4 == "[synfw]") s[$3] = 1; else k[$3] = 1 }
	END { for (n in s) if (n in k) print n }' /proc/kallsyms | sort >"$OUT/shared-symbols.txt"

# counters FILE: synfw's counters in the router, one name=value a line.
counters() { stat_all "$router" >"$1"; }

# tx_packets of the attacker's link: what trafgen really sent.
sent() { nsx "$attacker" cat /sys/class/net/eth0/statistics/tx_packets; }

cd /tmp || exit 1
for kind in syn ack; do
	data=/tmp/perf-$kind.data
	# A flood without end, profiled in its steady state, not its start.
	# In a session of its own, ended as a whole: trafgen's workers are
	# processes of their own, which its parent does not stop.
	setsid ip netns exec "$attacker" trafgen --no-sock-mem --cpus 1 -o eth0 \
		-i "/tmp/perf-$kind.cfg" >/dev/null 2>&1 &
	tpid=$!
	p0=$(sent)
	for _ in $(seq 100); do [ "$(sent)" -gt "$p0" ] && break; sleep 0.2; done
	sleep 2
	# The rate without perf, to tell what sampling costs.
	p0=$(sent)
	t0=$(date +%s.%N)
	sleep "$RATE_SECONDS"
	p1=$(sent)
	t1=$(date +%s.%N)
	counters /tmp/stats0
	perf record -a -g -e cpu-clock -o "$data" -- sleep "$SAMPLE_S" \
		>"$OUT/record-$kind.log" 2>&1 || fail "perf record ($kind flood)"
	p2=$(sent)
	t2=$(date +%s.%N)
	counters /tmp/stats1
	kill -- -"$tpid"
	wait "$tpid" 2>/dev/null
	check_ge "$kind flood: packets sent while sampled" 1 $((p2 - p1))
	{
		awk "BEGIN { printf \"pps_unsampled=%.0f\\npps_sampled=%.0f\\nseconds=%.1f\\n\", \
			($p1 - $p0) / ($t1 - $t0), ($p2 - $p1) / ($t2 - $t1), $t2 - $t1 }"
		echo "packets_sampled=$((p2 - p1))"
		awk -F= 'NR == FNR { a[$1] = $2; next } $2 != a[$1] { print $1 "=" $2 - a[$1] }' \
			/tmp/stats0 /tmp/stats1
	} >"$OUT/stats-$kind.txt"
	sleep 1		# the router drains its queues

	perf report -i "$data" --no-children --sort dso,sym -g none -t ';' \
		--percent-limit 0 >"$OUT/self-$kind.txt" 2>/dev/null
	perf report -i "$data" --children --sort dso,sym -g none -t ';' \
		--percent-limit 0 >"$OUT/children-$kind.txt" 2>/dev/null
	# Only the samples whose call chain passes through one of synfw's hooks.
	perf report -i "$data" --no-children --sort parent,dso,sym -g none -t ';' \
		--parent '^(from_outside|from_inside|local_out)$' --exclude-other \
		--percent-limit 0 >"$OUT/hooked-$kind.txt" 2>/dev/null
	perf report -i "$data" --no-children --sort dso,sym --stdio \
		-g graph,0.5,callee --percent-limit 1 >"$OUT/callgraph-$kind.txt" 2>/dev/null
	grep -q '%' "$OUT/self-$kind.txt" || fail "perf report ($kind flood) is empty"
	rm -f "$data"
done
synfw_unload

{
	echo "kernel: $(uname -r)"
	echo "cpus: $(nproc), memory: $(awk '/MemTotal/ { print $2 / 1024 " MiB" }' /proc/meminfo)"
	echo "perf: $(perf --version)"
	echo "sampled seconds per flood: $SAMPLE_S"
} >"$OUT/environment.txt"
finish
