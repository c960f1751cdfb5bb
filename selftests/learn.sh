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
# A server that declines window scaling, answered before synfw has learned
# it: the client was told a shift (7) and scales its windows by its own; the
# server reads them unscaled unless synfw scales them up for it.
nsx "$server" sysctl -qw net.ipv4.tcp_window_scaling=0
nsx "$server" nft delete table inet mangle
nsx "$server" python3 -c '
import socket, time
l = socket.create_server(("", 8090))
c = l.accept()[0]
time.sleep(5)
' &
wait_listen "$server" 8090
echo "$server_ip:8080,$server_ip:8090" >/sys/module/synfw/parameters/protect
nsx "$client" python3 -c '
import socket, time
s = socket.create_connection(("10.0.2.99", 8090), timeout=10)
s.sendall(b"x")
time.sleep(4)
' &
sleep 2
check_eq "unscaled server: told a shift, the flow rescales" "7 0" \
	"$(nsx "$router" awk '$2 ~ /:8090$/ { print $8, $9 }' /proc/net/synfw/flows)"
check_ge "unscaled server: sees the client's window scaled up" 60000 \
	"$(nsx "$server" ss -tniH '( sport = :8090 )' | sed -n 's/.*snd_wnd:\([0-9]*\).*/\1/p')"
wait
finish
