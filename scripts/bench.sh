#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench (runs in the VM): synfw against the kernel's SYNPROXY (nft
# synproxy, the reference ruleset) and a plain drop rule (the generator's
# own cost), side by side in one boot, runs interleaved, medians reported.
# Costs are CPU time of the whole VM (busy jiffies from /proc/stat,
# softirq included) divided by the packets sent. A benchmark, not a test:
# nothing here fails on a figure.
#
# Writes bench.csv (every sample), summary.md and summary.csv to $SYNFW_OUT.

source "$(dirname "$0")/../selftests/lib.sh"

require_cmd trafgen iperf3 nft conntrack
CB=$SELFTEST_DIR/../tools/connbench
[ -x "$CB" ] || skip "tools/connbench not built (make bench builds it)"

OUT=${SYNFW_OUT:-/tmp/synfw-bench}
N=${BENCH_PACKETS:-100000}
ROUNDS=${BENCH_ROUNDS:-7}
CONNS=${BENCH_CONNS:-1000}
FLOWS=${BENCH_FLOWS:-1000 10000 100000}
mkdir -p "$OUT"
csv=$OUT/bench.csv
echo "measure,config,round,value,unit" >"$csv"

setup_topology
nsx "$server" sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
nsx "$client" sysctl -qw net.ipv4.ip_local_port_range="10000 65001"
mac=$(nsx "$router" cat /sys/class/net/veth0/address)
trafgen_syn_cfg /tmp/bench-syn.cfg "$mac" "$server_ip" 8080
sed 's/syn, win=64240, doff=6),/ack, ackseq=drnd(), win=502, doff=5)/; /0x02, 0x04/d' \
	/tmp/bench-syn.cfg >/tmp/bench-ack.cfg
nsx "$server" "$CB" server 8080 &
nsx "$server" "$CB" keep 8081 &
nsx "$server" iperf3 -s -p 5201 -D
wait_listen "$server" 8080

busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

configure()
{
	case $1 in
	drop)
		nsx "$router" nft -f - <<-'EOF'
		table inet bench {
			chain pre {
				type filter hook prerouting priority -300;
				ip saddr 198.18.0.0/15 drop
			}
		}
		EOF
		;;
	nft)
		# The reference ruleset (see ../shared/notes), for both services.
		nsx "$router" nft -f - <<-'EOF'
		table inet bench {
			chain pre {
				type filter hook prerouting priority -300;
				iif veth0 tcp dport 8080 tcp flags syn notrack
				iif veth0 tcp dport 5201 tcp flags syn notrack
			}
			chain forward {
				type filter hook forward priority 0; policy accept;
				ct state new,established accept
				iif veth0 tcp dport 8080 ct state untracked,invalid synproxy mss 1460 sack-perm timestamp wscale 7
				iif veth0 tcp dport 5201 ct state untracked,invalid synproxy mss 1460 sack-perm timestamp wscale 7
				ct state invalid drop
			}
		}
		EOF
		nsx "$router" sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0
		;;
	synfw)
		synfw_load protect="$server_ip:8080-8081,$server_ip:5201" adopt_s=0 close_timeout_s=1
		;;
	esac
}

unconfigure()
{
	if [ "$1" = synfw ]; then
		synfw_unload
	else
		nsx "$router" nft delete table inet bench
	fi
	nsx "$router" conntrack -F 2>/dev/null
	return 0
}

# flood KIND: N packets of the flood at full speed; prints busy jiffies per
# million packets the attacker really sent.
flood()
{
	local b0 p0 sent

	p0=$(nsx "$attacker" cat /sys/class/net/eth0/statistics/tx_packets)
	b0=$(busy)
	(cd /tmp && ip netns exec "$attacker" trafgen --no-sock-mem --cpus 1 -o eth0 \
		-i "/tmp/bench-$1.cfg" -n "$N") >/dev/null 2>&1
	sleep 0.5	# the router drains its queues
	sent=$(($(nsx "$attacker" cat /sys/class/net/eth0/statistics/tx_packets) - p0))
	[ "$sent" -gt 0 ] || { fail "trafgen sent nothing (/tmp/bench-$1.cfg)"; echo 0; return; }
	echo $((($(busy) - b0) * 1000000 / sent))
}

record() { echo "$1,$2,$3,$4,$5" >>"$csv"; }

for round in $(seq "$ROUNDS"); do
	for cfg in drop nft synfw; do
		configure $cfg
		record syn_flood $cfg "$round" "$(flood syn)" jiffies/Mpkt
		record ack_flood $cfg "$round" "$(flood ack)" jiffies/Mpkt
		[ $cfg = drop ] && cfg=plain	# the drop rule leaves legit traffic alone
		record conn_rate $cfg "$round" \
			"$(nsx "$client" "$CB" rate "$server_ip" 8080 "$CONNS" | awk '{ print $(NF - 1) }')" \
			conn/s
		record throughput $cfg "$round" \
			"$(nsx "$client" iperf3 -c "$server_ip" -p 5201 -t 4 -J |
				python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6, 1))')" \
			Mbit/s
		[ $cfg = plain ] && cfg=drop
		unconfigure $cfg
	done
done

# Memory, and the flood costs as live flows grow: synfw only. The flows are
# connections held open from four client addresses (64k ports each) to a
# server that keeps them; each step adds to the last.
configure synfw
# The default close timeout: the collector's sweep is sized by it.
echo 120 >/sys/module/synfw/parameters/close_timeout_s
slab0=$(synfw_slab_objects)
flood syn >/dev/null
record memory_per_syn synfw 1 $(($(synfw_slab_objects) - slab0)) flow_objects
srcs=
for i in 100 101 102 103; do
	nsx "$client" ip addr add "10.0.1.$i/24" dev eth0
	srcs+=" 10.0.1.$i"
done
held=0
for want in $FLOWS; do
	nsx "$client" "$CB" hold "$server_ip" 8081 $((want - held)) $srcs \
		< <(sleep 7200) >"$OUT/hold.$want" &
	for i in $(seq 1200); do grep -q held "$OUT/hold.$want" && break; sleep 0.5; done
	grep -q held "$OUT/hold.$want" || { fail "could not hold $want connections"; break; }
	held=$want
	mem=$(nsx "$router" cat /proc/net/synfw/memory)
	flows=$(awk '$1 == "flows" { print $2 }' <<<"$mem")
	bytes=$(awk '$1 ~ /_bytes$/ { n += $2 } END { print n }' <<<"$mem")
	record memory_per_flow "$flows" 1 $((bytes / flows)) bytes
	for round in $(seq "$ROUNDS"); do
		record syn_flood_with_flows "$flows" "$round" "$(flood syn)" jiffies/Mpkt
		record ack_flood_with_flows "$flows" "$round" "$(flood ack)" jiffies/Mpkt
	done
done
ip netns pids "$client" | xargs -r kill 2>/dev/null
sleep 2
unconfigure synfw

python3 "$(dirname "$0")/bench-summary.py" "$OUT"
{
	echo "kernel: $(uname -r)"
	echo "cpus: $(nproc), memory: $(awk '/MemTotal/ { print $2 / 1024 " MiB" }' /proc/meminfo)"
	echo "cpu model: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "packets per flood: $N, rounds: $ROUNDS, connections per rate run: $CONNS"
	echo "live flows held: $FLOWS"
} >"$OUT/environment.txt"
finish
