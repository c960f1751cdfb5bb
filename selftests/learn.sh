#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What synfw learns from a server's SYN/ACK is checked before use. A server
# that answers with MSS 0, or 12 with timestamps (no payload room at all),
# made the landed module divide by zero in softirq on the next SYN with
# options it had not seen answered. Such an MSS is not learned: the next
# clients are answered with the MSS learned before (Linux's default here),
# and every connection works.

source "$(dirname "$0")/lib.sh"

require_cmd python3 nft

synfw_load protect="$server_ip:8080" adopt_s=0
setup_topology

nsx "$server" python3 "$SELFTEST_DIR/tcpxfer.py" server --count 6 --send 1000 --expect 1000 \
	--timeout 60 >/dev/null &
wait_listen "$server" 8080

# server_mss VALUE: the server's SYN/ACKs carry MSS VALUE.
server_mss()
{
	nsx "$server" nft -f - <<-EOF
		table inet mangle
		delete table inet mangle
		table inet mangle {
			chain out {
				type filter hook output priority 0;
				tcp flags & (syn | ack) == syn | ack tcp option maxseg size set $1
			}
		}
	EOF
}

xfer()
{
	nsx "$client" python3 "$SELFTEST_DIR/tcpxfer.py" client "$server_ip" --send 1000 \
		--expect 1000 --timeout 20 --report-mss | cut -d' ' -f1,2,3,7
}

for bad in 0 12; do
	server_mss "$bad"
	check_eq "server MSS $bad: first connection" "client ok sent=1000 mss=1448" "$(xfer)"
	check_eq "server MSS $bad: next connection, answered from what was learned" \
		"client ok sent=1000 mss=1448" "$(xfer)"
	# Options never answered before: the SYN/ACK's window is computed
	# from the MSS (the landed module divided by zero here).
	nsx "$client" sysctl -qw net.ipv4.tcp_timestamps=0
	check_eq "server MSS $bad: a client without timestamps" \
		"client ok sent=1000 mss=1460" "$(xfer)"
	nsx "$client" sysctl -qw net.ipv4.tcp_timestamps=1
done
finish
