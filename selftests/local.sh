#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The router's own services are not synfw's, even inside a protected prefix,
# and synfw notices when the router's addresses change (it remembers which
# destinations are the router's until the FIB changes): with 10.0.2.0/24:8080
# protected, a connection to the router's 10.0.2.1:8080 is the router's own
# (synfw answers nothing); one to 10.0.2.50 is synfw's (a cookie, a flow)
# until the router takes that address, the router's while it has it, and
# synfw's again once it drops it.
#
#   client 10.0.1.99 --- router 10.0.1.1 / 10.0.2.1 (+10.0.2.50) --- server

source "$(dirname "$0")/lib.sh"

require_cmd python3

synfw_load protect="10.0.2.0/24:8080" adopt_s=0
setup_topology
tcp_sink "$router" 8080

# connect ADDR: "ok" once a TCP handshake with ADDR:8080 completes.
connect()
{
	nsx "$client" python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], 8080), timeout=5)
s.sendall(b"hello")
print("ok")
' "$1" 2>&1 | tail -n 1
}

declare -A c0 c1

# answers WHAT ADDR WHO: a handshake with ADDR:8080, answered by synfw (its
# cookie then opens a flow) or by the router's own socket (synfw sees none).
answers()
{
	local n=0

	[ "$3" = synfw ] && n=1
	stat_into c0 "$router"
	check_eq "$1: the handshake completes" ok "$(connect "$2")"
	stat_into c1 "$router"
	check_eq "$1: SYNs synfw saw" $n $((c1[syn_received] - c0[syn_received]))
	check_eq "$1: SYNs synfw answered" $n $((c1[synack_sent] - c0[synack_sent]))
	check_eq "$1: flows synfw opened" $n $((c1[flows_created] - c0[flows_created]))
}

answers "the router's own 10.0.2.1" 10.0.2.1 router
answers "10.0.2.50, forwarded" 10.0.2.50 synfw
nsx "$router" ip addr add 10.0.2.50/24 dev veth1
answers "10.0.2.50, now the router's" 10.0.2.50 router
nsx "$router" ip addr del 10.0.2.50/24 dev veth1
answers "10.0.2.50, forwarded again" 10.0.2.50 synfw
finish
