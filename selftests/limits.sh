#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Handshakes that go wrong and a full table: a lost SYN to the server is
# sent again (syn_retrans); a lost ACK to the server is sent again when the
# server repeats its SYN/ACK, and the server-first protocol then works; a
# server that never answers gets the client reset after handshake_timeout_s;
# an open flow idle for idle_timeout_s is reset at both ends;
# beyond max_flows a valid ACK evicts the oldest handshake (whose client is
# reset), and with only open flows its own client is reset at once and
# counted (flows_refused), never left hanging.

source "$(dirname "$0")/lib.sh"

require_cmd python3 nft

synfw_load protect="$server_ip:8080-8083" adopt_s=0 handshake_timeout_s=3 close_timeout_s=1
setup_topology
tmp=$(mktemp -d)

# The server drops the first SYN to 8080, the first bare ACK to 8081, and
# every SYN to 8082.
nsx "$server" nft -f - <<'NFT'
table inet loss {
	chain in {
		type filter hook input priority 0;
		tcp dport 8080 tcp flags == syn limit rate 1/hour burst 1 packets drop
		tcp dport 8081 tcp flags == ack ip length 52 limit rate 1/hour burst 1 packets drop
		tcp dport 8082 tcp flags == syn drop
	}
}
NFT

# 8080-8082 greet and close; 8083 reads to EOF, answers and closes.
nsx "$server" python3 -c '
import socket, threading
def greet(c, port):
    if port == 8083:
        while c.recv(65536):
            pass
    c.sendall(b"hello")
    c.close()
def serve(port):
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("0.0.0.0", port))
    l.listen(8)
    while True:
        threading.Thread(target=greet, args=(l.accept()[0], port)).start()
for p in (8080, 8081, 8082, 8083):
    threading.Thread(target=serve, args=(p,)).start()
' &
wait_listen "$server" 8083

# greet PORT: connect, read the greeting (the server speaks first).
greet()
{
	nsx "$client" python3 -c '
import errno, socket, sys
try:
    s = socket.create_connection(("10.0.2.99", int(sys.argv[1])), timeout=15)
    print(s.recv(100).decode() or "EOF")
except OSError as e:
    print(errno.errorcode.get(e.errno, e))
' "$1"
}

check_eq "lost SYN: the connection works" hello "$(greet 8080)"
check_eq "lost SYN: sent again once" 1 "$(stat_get "$router" syn_retrans)"
check_eq "lost ACK: the server's greeting arrives" hello "$(greet 8081)"
check_eq "lost ACK: no SYN sent again" 1 "$(stat_get "$router" syn_retrans)"
check_eq "silent server: the client is reset" ECONNRESET "$(greet 8082)"
check_eq "silent server: handshake_timeout" 1 "$(stat_get "$router" handshake_timeout)"
check_ge "silent server: SYN sent again meanwhile" 2 "$(stat_get "$router" syn_retrans)"

# An idle flow is reset at both ends after idle_timeout_s.
echo 2 >/sys/module/synfw/parameters/idle_timeout_s
check_eq "idle flow: the client is reset" ECONNRESET "$(nsx "$client" python3 -c '
import errno, socket, time
s = socket.create_connection(("10.0.2.99", 8083), timeout=15)
s.sendall(b"x")
time.sleep(4)
try:
    s.sendall(b"y")
    s.recv(10)
    print("no reset")
except OSError as e:
    print(errno.errorcode.get(e.errno, e))
')"
check_eq "idle flow: idle_timeout" 1 "$(stat_get "$router" idle_timeout)"
echo 432000 >/sys/module/synfw/parameters/idle_timeout_s

# Two open flows fill the table: a third client, which already has its
# SYN/ACK, is reset at once (open flows are never evicted); once a flow is
# freed, the next client gets in.
echo 2 >/sys/module/synfw/parameters/max_flows
sleep 2		# the flows above are closed and forgotten
# Two holders: the first lets go after 8 s, the second after 12 s.
for hold in 8 12; do
	nsx "$client" python3 -c '
import socket, sys, time
s = socket.create_connection(("10.0.2.99", 8083), timeout=10)
s.sendall(b"x")
time.sleep(float(sys.argv[1]))
' $hold &
done
wait_for "table full" 5 2 nsx "$router" cat /proc/net/synfw/live
# Their held "x" proves nothing: synfw's probe has them speak again.
wait_for "both flows confirmed" 5 "handshakes 0" \
	nsx "$router" grep '^handshakes ' /proc/net/synfw/memory
refused=$(stat_get "$router" flows_refused)
check_eq "third client reset at once" ECONNRESET "$(greet 8080)"
check_ge "third client refused" $((refused + 1)) "$(stat_get "$router" flows_refused)"
check_eq "still two flows" 2 "$(nsx "$router" cat /proc/net/synfw/live)"
check_eq "no open flow evicted" 0 "$(stat_get "$router" evicted)"
wait_for "a holder lets go, its flow forgotten" 20 1 nsx "$router" cat /proc/net/synfw/live
check_eq "the next client gets in" hello "$(greet 8080)"

# A full table of handshakes: the server never answers synfw's SYNs to 8082,
# so two clients wait there; a third client evicts the older one, which is
# reset at once, and gets in.
wait_for "the last holder lets go" 20 0 nsx "$router" cat /proc/net/synfw/live
echo 30 >/sys/module/synfw/parameters/handshake_timeout_s
greet 8082 >"$tmp/first" &
first=$!
wait_for "first handshake pending" 5 1 nsx "$router" cat /proc/net/synfw/live
greet 8082 >"$tmp/second" &
second=$!
wait_for "second handshake pending" 5 2 nsx "$router" cat /proc/net/synfw/live
evicted=$(stat_get "$router" evicted)
check_eq "a third client gets in" hello "$(greet 8080)"
check_eq "one handshake evicted" $((evicted + 1)) "$(stat_get "$router" evicted)"
wait $first
check_eq "the evicted (older) client was reset" ECONNRESET "$(cat "$tmp/first")"
kill $second 2>/dev/null
rm -rf "$tmp"
finish
