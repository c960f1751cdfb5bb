#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP errors about spliced flows reach their end usable. Path MTU
# discovery: the outside link's MTU is lowered, so the router's
# "fragmentation needed" quotes the server's segments in the client's
# numbers; translated, the server accepts it (no out-of-window ICMP) and the
# transfer completes. An unreachable server (nothing answers ARP) gives the
# client a RST while synfw's SYN is pending.

source "$(dirname "$0")/lib.sh"

require_cmd python3 nstat

synfw_load protect="$server_ip:8080,10.0.2.98:8080" adopt_s=0
setup_topology
nsx "$router" ip link set veth0 mtu 1280
nsx "$client" ip link set eth0 mtu 1500

out=$(mktemp)
nsx "$server" nstat -n
nsx "$server" python3 "$SELFTEST_DIR/tcpxfer.py" server --send 1048576 --expect 1000 \
	--timeout 20 >"$out" &
srv=$!
wait_listen "$server" 8080
check_eq "transfer across the smaller MTU" "client ok sent=1000" \
	"$(nsx "$client" python3 "$SELFTEST_DIR/tcpxfer.py" client "$server_ip" --send 1000 \
		--expect 1048576 --timeout 20 | cut -d' ' -f1-3)"
wait $srv
check_eq "server side" "server ok" "$(cut -d' ' -f1-2 "$out")"
check_eq "the server found every ICMP in its window" 0 \
	"$(nsx "$server" nstat -az TcpExtOutOfWindowIcmps | awk '/OutOfWindow/ { print $2 }')"
check_ge "the server lowered its path MTU" 1 \
	"$(nsx "$server" ip route get "$client_ip" | grep -c 'mtu 1280')"

check_eq "unreachable server: the client is reset" "ECONNRESET" \
	"$(nsx "$client" python3 -c '
import errno, socket
try:
    s = socket.create_connection(("10.0.2.98", 8080), timeout=15)
    s.recv(10)
    print("no error")
except OSError as e:
    print(errno.errorcode.get(e.errno, e))
')"
check_eq "unreachable server: counted" 1 "$(stat_get "$router" server_rst)"
check_eq "unreachable server: flow gone" 0 \
	"$(nsx "$router" grep -c '10.0.2.98:8080' /proc/net/synfw/flows)"
rm -f "$out"
finish
