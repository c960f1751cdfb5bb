#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Under loss and reordering on both of the router's links (netem: 2% loss,
# 10 ms delay with a quarter of the packets let through at once), 200
# connections to the protected server whose client speaks first (32 KiB each
# way, client first) all complete with matching checksums at both ends.
# Counters: one valid cookie per connection (cookie_valid >= 200), one flow
# per connection that got one (flows_created == the distinct connections
# listed in /proc/net/synfw/flows == 200), each closed at both ends (CLOSING,
# both FINs seen), a cookie SYN/ACK for every SYN, and no refused, reset,
# timed-out, adopted, unknown or corrupt segment; netem did drop on both links
# and the ends did queue segments out of order; dmesg clean.

source "$(dirname "$0")/lib.sh"

require_cmd python3 ss tc

conns=200
xfer_bytes=32768
netem=(loss 2% delay 10ms reorder 25% 50%)

# ofo_queued NS: TcpExt TCPOFOQueue, segments a socket queued out of order.
ofo_queued()
{
	nsx "$1" awk '$1 == "TcpExt:" && !hdr { for (i = 2; i <= NF; i++) col[$i] = i; hdr = 1; next }
		$1 == "TcpExt:" { print $col["TCPOFOQueue"] + 0; exit }' /proc/net/netstat
}

tmp=$(mktemp -d)
setup_topology
modprobe -q sch_netem || skip "sch_netem module missing"
for dev in veth0 veth1; do
	nsx "$router" tc qdisc add dev $dev root netem "${netem[@]}" ||
		{ fail "tc netem on $dev"; finish; }
done
synfw_load protect="$server_ip:8080" adopt_s=0

nsx "$server" python3 "$SELFTEST_DIR/tcpxfer.py" server --port 8080 --count $conns \
	--timeout 60 --seed netem --send $xfer_bytes --expect $xfer_bytes >"$tmp/server" 2>&1 &
spid=$!
wait_listen "$server" 8080
t0=$(date +%s)
nsx "$client" python3 "$SELFTEST_DIR/tcpclients.py" "$server_ip" --port 8080 \
	--count $conns --interval 0.05 --deadline 60 \
	--send $xfer_bytes --expect $xfer_bytes --seed netem >"$tmp/clients" 2>&1
wait $spid
log "$conns connections in $(($(date +%s) - t0)) s; times (ms): $(grep -o 'ms=[0-9]*' "$tmp/clients" |
	cut -d= -f2 | sort -n | awk '{ a[NR] = $1 } END { printf "min %d median %d max %d", a[1], a[int((NR + 1) / 2)], a[NR] }')"
grep -v ' ok ' "$tmp/clients" | head -n 5
grep -v ' ok ' "$tmp/server" | head -n 5

# Both ends must have seen what the other sent, byte for byte.
want_c2s=$(sed -n 's/^client [0-9]* ok .* sha=\([0-9a-f]*\) recv=.*/\1/p' "$tmp/clients" | sort -u)
check_eq "clients ok" $conns "$(grep -c '^client [0-9]* ok ' "$tmp/clients")"
check_eq "server ok" $conns "$(grep -c '^server ok ' "$tmp/server")"
check_eq "server received what the clients sent" "$conns $want_c2s" \
	"$(sed -n 's/^server ok .* recv=[0-9]* sha=\([0-9a-f]*\) .*/\1/p' "$tmp/server" | sort | uniq -c | awk '{ print $1, $2 }')"

# The links did lose and reorder: netem dropped on both, and the ends queued
# segments that came out of order.
for dev in veth0 veth1; do
	check_ge "netem dropped packets on $dev" 1 \
		"$(nsx "$router" tc -s qdisc show dev $dev | sed -n 's/.*dropped \([0-9]*\),.*/\1/p' | head -n 1)"
done
check_ge "segments queued out of order by the ends" 1 \
	$(($(ofo_queued "$client") + $(ofo_queued "$server")))

# The flows, as synfw lists them: each connection once, closed both ways.
nsx "$router" cat /proc/net/synfw/flows >"$tmp/flows"
check_eq "distinct connections in the flow table" $conns \
	"$(awk -v c="$client_ip" 'NR > 1 && index($1, c ":") == 1 { print $1 }' "$tmp/flows" | sort -u | wc -l)"
check_eq "flows closed with both FINs seen" $conns \
	"$(awk 'NR > 1 && $3 == "CLOSING" && $4 == 1 && $5 == 1 && $6 == 1' "$tmp/flows" | wc -l)"

declare -A c
while IFS='=' read -r name v; do c[$name]=$v; done < <(stat_all "$router")
log "counters: $(stat_all "$router" | grep -v '=0$' | tr '\n' ' ')"
check_ge "cookie_valid" $conns "${c[cookie_valid]}"
check_eq "flows_created" $conns "${c[flows_created]}"
check_ge "syn_received" $conns "${c[syn_received]}"
check_eq "synack_sent == syn_received" "${c[syn_received]}" "${c[synack_sent]}"
for name in flows_refused server_rst handshake_timeout idle_timeout adopted \
	    unknown_dropped bad_checksum malformed illegal_flags land martian bad_options \
	    out_of_window rst_challenged spoof_alerts unconfirmed evicted wrong_path; do
	check_eq "$name" 0 "${c[$name]}"
done

cleanup_namespaces
synfw_unload
rm -rf "$tmp"
finish
