#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How spliced connections end: a closed port and a server RST reach the
# client as a RST it accepts (ECONNRESET); a FIN from either side, and a
# half-close, end in the states a direct connection would reach (TIME-WAIT
# at the end that closed first, nothing at the other); synfw's flow follows
# (CLOSING with both FINs), counts server_rst, and forgets closed flows
# after close_timeout_s; a new connection on the ports of a closed flow is a
# new cookie handshake; a half-closed connection that then goes silent is
# reset after close_timeout_s.

source "$(dirname "$0")/lib.sh"

require_cmd python3 ss

synfw_load protect="$server_ip:8080-8084" adopt_s=0 close_timeout_s=6
setup_topology

# Servers: 8080 reads to EOF, answers and closes; 8082 resets at once; 8083
# speaks and closes first; 8084 reads to EOF, then keeps its side open and
# says nothing. Nothing listens on 8081.
nsx "$server" python3 -c '
import socket, struct, threading
def serve(port, mode):
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("0.0.0.0", port))
    l.listen(8)
    while True:
        c, _ = l.accept()
        if mode == "rst":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif mode == "first":
            c.sendall(b"bye")
        elif mode == "hold":
            while c.recv(65536):
                pass
            threading.Timer(60, c.close).start()
            continue
        else:
            while c.recv(65536):
                pass
            c.sendall(b"done")
        c.close()
for port, mode in ((8080, "eof"), (8082, "rst"), (8083, "first"), (8084, "hold")):
    threading.Thread(target=serve, args=(port, mode)).start()
' &
wait_listen "$server" 8083

# client PORT ACTION: connect, act, and print what the client saw.
client()
{
	nsx "$client" python3 -c '
import errno, socket, sys, time
port, action = int(sys.argv[1]), sys.argv[2]
sport = int(sys.argv[3]) if len(sys.argv) > 3 else 0
try:
    # The reset may come before connect() returns.
    s = socket.create_connection(("10.0.2.99", port), timeout=15, source_address=("", sport))
    if action == "fin":
        s.sendall(b"x" * 1000)
        s.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            got += d
        print("read", got.decode())
    else:
        time.sleep(1)
        print("read", s.recv(100).decode() or "EOF")
except OSError as e:
    print("error", errno.errorcode[e.errno])
' "$@"
}

flows() { nsx "$router" tail -n +2 /proc/net/synfw/flows; }

# A port nothing listens on looks open to the client until the server's RST,
# which synfw turns into one the client accepts.
rst0=$(stat_get "$router" server_rst)
check_eq "closed port: the client is reset" "error ECONNRESET" "$(client 8081 wait)"
check_eq "closed port: server_rst counted" $((rst0 + 1)) "$(stat_get "$router" server_rst)"
check_eq "closed port: no flow left" "" "$(flows | grep ':8081 ')"

check_eq "server RST: the client is reset" "error ECONNRESET" "$(client 8082 wait)"
check_eq "server RST: server_rst counted" $((rst0 + 2)) "$(stat_get "$router" server_rst)"
check_eq "server RST: flow closing" "CLOSING" "$(flows | awk '/:8082 / { print $3 }')"

# Half-close: the client shuts its side, the server reads to EOF and answers.
check_eq "client FIN first, half-close: the answer arrives" "read done" "$(client 8080 fin)"
sleep 0.5
check_eq "client FIN first: client in TIME-WAIT" 1 \
	"$(nsx "$client" ss -tanH state time-wait '( dport = :8080 )' | wc -l)"
check_eq "client FIN first: nothing left at the server" 0 \
	"$(nsx "$server" ss -tanH '( sport = :8080 )' | grep -vc LISTEN)"
check_eq "client FIN first: flow closing with both FINs" "CLOSING 1 1 1" \
	"$(flows | awk '/:8080 / { print $3, $4, $5, $6 }')"

check_eq "server FIN first: the client reads to EOF" "read bye" "$(client 8083 wait 40999)"
sleep 0.5
check_eq "server FIN first: server in TIME-WAIT" 1 \
	"$(nsx "$server" ss -tanH state time-wait '( sport = :8083 )' | wc -l)"
check_eq "server FIN first: nothing left at the client" 0 \
	"$(nsx "$client" ss -tanH '( dport = :8083 )' | wc -l)"
check_eq "server FIN first: flow closing with both FINs" "CLOSING 1 1 1" \
	"$(flows | awk '/:8083 / { print $3, $4, $5, $6 }')"

# The same ports again while the closed flow lingers: a new connection.
valid=$(stat_get "$router" cookie_valid)
check_eq "ports reused: a new connection" "read bye" "$(client 8083 wait 40999)"
check_eq "ports reused: through a new cookie" $((valid + 1)) "$(stat_get "$router" cookie_valid)"

# Closed flows are forgotten after close_timeout_s (6 s here).
sleep 7
check_eq "closed flows forgotten" 0 "$(nsx "$router" cat /proc/net/synfw/live)"

# Half-closed, then silent: the open flow idles no longer than a closed one
# lingers, and both ends learn it is gone.
idle=$(stat_get "$router" idle_timeout)
check_eq "half-closed and silent: the client is reset" "error ECONNRESET" \
	"$(client 8084 fin)"
check_eq "half-closed and silent: counted as idle" $((idle + 1)) "$(stat_get "$router" idle_timeout)"
check_eq "half-closed and silent: flow forgotten" "" "$(flows | grep ':8084 ')"
check_eq "no cookie failed" 0 "$(stat_get "$router" cookie_invalid)"
finish
