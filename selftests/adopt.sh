#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Connections synfw did not see open keep working: one open before insmod
# is adopted (and counted) once protection starts, one the server opens
# outward is followed from its SYN; neither is translated. After the
# adoption window, a segment of an unknown connection is dropped as a bad
# cookie. A namespace where the server's segments are for a local address
# (the client's) follows nothing, also during the adoption window.

source "$(dirname "$0")/lib.sh"

require_cmd python3 ss

setup_topology
sig=$(mktemp -d)

# An echo server, and a client that exchanges data before and after synfw
# arrives, and checks every byte that comes back.
nsx "$server" python3 "$SELFTEST_DIR/echo.py" server 8080 &
wait_listen "$server" 8080
nsx "$client" python3 "$SELFTEST_DIR/echo.py" client "$server_ip" 8080 "$sig" ready \
	>"$sig/out" &
client_pid=$!
for i in $(seq 100); do [ -e "$sig/ready" ] && break; sleep 0.1; done

# Protect the whole address, so the server's outward connection below has
# protected source ports too.
synfw_load protect="$server_ip" adopt_s=4
touch "$sig/ready.done"
wait $client_pid
check_eq "connection open before insmod still moves data, before and after" "True True" \
	"$(cat "$sig/out")"
check_eq "it was adopted" 1 "$(stat_get "$router" adopted)"
# synfw runs in every namespace: the client's, where the server's segments
# arrive for a local address during the window too, must follow nothing.
check_eq "the client's namespace adopted nothing" "0 0" \
	"$(stat_get "$client" adopted) $(nsx "$client" cat /proc/net/synfw/live)"
check_eq "adopted flow, closed by its client, is not spliced" "CLOSING 0" \
	"$(nsx "$router" awk '$2 ~ /:8080$/ { print $3, $4 }' /proc/net/synfw/flows)"

# The server connects out to a client service.
nsx "$client" python3 "$SELFTEST_DIR/tcpxfer.py" server --port 9000 --send 65536 \
	--expect 65536 >"$sig/srv" &
peer_pid=$!
wait_listen "$client" 9000
check_eq "outward connection from the server" "client ok sent=65536" \
	"$(nsx "$server" python3 "$SELFTEST_DIR/tcpxfer.py" client "$client_ip" --port 9000 \
		--send 65536 --expect 65536 | cut -d' ' -f1-3)"
wait $peer_pid
check_eq "outward connection: peer content" "server ok" "$(cut -d' ' -f1-2 "$sig/srv")"
check_eq "outward flow followed, not spliced" 1 \
	"$(nsx "$router" awk '$1 ~ /:9000$/ && $4 == 0' /proc/net/synfw/flows | wc -l)"
check_eq "outward flow not counted as adopted" 1 "$(stat_get "$router" adopted)"

# After the window, an unknown connection's segment is a bad cookie.
sleep 4
invalid=$(stat_get "$router" cookie_invalid)
nsx "$client" python3 -c '
from scapy.all import IP, TCP, send
send(IP(src="10.0.1.99", dst="10.0.2.99") / TCP(sport=45000, dport=8080, flags="A",
     seq=1, ack=1), verbose=0)
'
sleep 0.5
check_eq "after the window: unknown ACK dropped as a bad cookie" $((invalid + 1)) \
	"$(stat_get "$router" cookie_invalid)"
check_eq "after the window: nothing adopted" 1 "$(stat_get "$router" adopted)"
rm -rf "$sig"
finish
