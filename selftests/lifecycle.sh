#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Nothing synfw keeps outlives its purpose, and what it does not own it
# leaves alone:
#   - an ACK adopted while adopting, that the server never answers, is
#     forgotten within 10 s (unconfirmed); a segment without ACK (URG only)
#     is never adopted;
#   - a SYN the server sends outward that is never answered is forgotten
#     within handshake_timeout_s (unconfirmed);
#   - a spliced flow whose client never speaks after its cookie ACK (as a
#     forged cookie's) is reset within handshake_timeout_s (unconfirmed),
#     while a real client that waits answers synfw's probe and stays;
#   - a SYN on its last hop (TTL 1) is not answered: the router's
#     forwarding says Time Exceeded, as without synfw;
#   - a RST with a bad checksum leaves a spliced flow open;
#   - /proc/net/synfw/flows lists every flow once, however small the reads;
#   - a change of protect leaves an open spliced flow moving data.

source "$(dirname "$0")/lib.sh"

require_cmd python3
python3 -c 'import scapy' 2>/dev/null || skip "python3-scapy is not installed"
connbench=$SELFTEST_DIR/../tools/connbench
[ -x "$connbench" ] || skip "$connbench not built (make tools/connbench)"

synfw_load protect="10.0.2.0/24" adopt_s=600 handshake_timeout_s=3
setup_topology
sig=$(mktemp -d)

live() { nsx "$router" cat /proc/net/synfw/live; }

# scapy_send SCAPY-EXPR: one crafted packet from the client namespace.
scapy_send()
{
	nsx "$client" python3 -c "
from scapy.all import IP, TCP, Raw, send
send($1, verbose=0)
"
}

log "== adoption: an ACK nobody inside answers"
before=$(stat_get "$router" unconfirmed)
scapy_send 'IP(src="10.0.1.99", dst="10.0.2.98") / TCP(sport=45001, dport=8080, flags="A", seq=1, ack=1)'
wait_for "adopted ACK: a flow" 5 1 live
check_eq "adopted ACK: counted" 1 "$(stat_get "$router" adopted)"
wait_for "adopted ACK: forgotten within 10 s" 12 0 live
check_eq "adopted ACK: counted as unconfirmed" $((before + 1)) "$(stat_get "$router" unconfirmed)"

log "== adoption: URG without ACK"
dropped=$(stat_get "$router" unknown_dropped)
scapy_send 'IP(src="10.0.1.99", dst="10.0.2.99") / TCP(sport=45002, dport=8080, flags="U", seq=1, urgptr=1) / Raw(b"x")'
wait_for "URG only: dropped as unknown" 5 $((dropped + 1)) stat_get "$router" unknown_dropped
check_eq "URG only: not adopted" 1 "$(stat_get "$router" adopted)"
check_eq "URG only: no flow" 0 "$(live)"

log "== outward SYN nobody answers"
before=$(stat_get "$router" unconfirmed)
nsx "$server" sysctl -qw net.ipv4.tcp_syn_retries=1
nsx "$server" python3 -c '
import socket
try:
    socket.create_connection(("10.0.1.77", 9000), timeout=10)
except OSError:
    pass
' &
wait_for "outward SYN: a flow" 5 1 live
wait_for "outward SYN: forgotten within handshake_timeout_s" 6 0 live
check_eq "outward SYN: counted as unconfirmed" $((before + 1)) \
	"$(stat_get "$router" unconfirmed)"
wait

log "== a spliced flow whose client never speaks again"
# A cookie ACK, then silence, as from a forged cookie: the flow opens, the
# client is asked to speak and does not (its kernel is kept out of it), and
# within handshake_timeout_s the flow is reset at both ends.
tcp_sink "$server" 8081
nsx "$client" nft add table inet crafted
nsx "$client" nft add chain inet crafted out '{ type filter hook output priority 0; }'
nsx "$client" nft add rule inet crafted out tcp sport 45000-45999 tcp flags rst drop
before=$(stat_get "$router" unconfirmed)
nsx "$client" python3 -c '
from scapy.all import IP, TCP, send, sr1
syn = IP(src="10.0.1.99", dst="10.0.2.99") / TCP(sport=45004, dport=8081, flags="S", seq=7)
sa = sr1(syn, timeout=5, verbose=0)
send(IP(src="10.0.1.99", dst="10.0.2.99") / TCP(sport=45004, dport=8081, flags="A", seq=8,
     ack=sa.seq + 1), verbose=0)
'
wait_for "silent client: its flow opens" 5 OPEN \
	nsx "$router" awk '$1 ~ /:45004$/ { print $3 }' /proc/net/synfw/flows
wait_for "silent client: reset and forgotten within handshake_timeout_s" 5 0 \
	nsx "$router" grep -c ':45004 ' /proc/net/synfw/flows
check_eq "silent client: counted as unconfirmed" $((before + 1)) \
	"$(stat_get "$router" unconfirmed)"
# A real client that waits before it speaks answers the probe and keeps its
# connection.
check_eq "a client silent for twice handshake_timeout_s keeps its connection" ok \
	"$(nsx "$client" python3 -c '
import socket, time
s = socket.create_connection(("10.0.2.99", 8081), timeout=10)
time.sleep(6)
s.sendall(b"late")
s.shutdown(socket.SHUT_WR)
print("ok" if s.recv(10) == b"" else "data")
' 2>&1)"
check_eq "that client was not given up" $((before + 1)) "$(stat_get "$router" unconfirmed)"

log "== a SYN on its last hop"
received=$(stat_get "$router" syn_received)
check_eq "TTL 1: the router answers Time Exceeded" "icmp type 11" "$(nsx "$client" python3 -c '
from scapy.all import IP, TCP, sr1
r = sr1(IP(src="10.0.1.99", dst="10.0.2.99", ttl=1) / TCP(sport=45003, dport=8080, flags="S"),
        timeout=5, verbose=0)
print("icmp type %d" % r.type if r is not None and r.haslayer("ICMP") else r)
')"
check_eq "TTL 1: not answered by synfw" "$received" "$(stat_get "$router" syn_received)"

log "== /proc/net/synfw/flows read in small pieces"
# 3,000 connections held open (connbench), each a spliced flow.
nsx "$server" "$connbench" keep 8082 &
wait_listen "$server" 8082
nsx "$client" "$connbench" hold "$server_ip" 8082 3000 < <(sleep 300) >"$sig/hold" 2>&1 &
holder=$!
held() { nsx "$router" awk '$2 ~ /:8082$/ && $3 == "OPEN"' /proc/net/synfw/flows | wc -l; }
wait_for "3,000 spliced flows" 60 3000 held
# 100-byte reads: every record is resumed across many read() calls.
nsx "$router" dd if=/proc/net/synfw/flows bs=100 status=none >"$sig/small"
nsx "$router" cat /proc/net/synfw/flows >"$sig/whole"
n=$(($(live) + 1))
check_eq "small reads: every flow once, and the header" "$n $n" \
	"$(wc -l <"$sig/small") $(sort -u "$sig/small" | wc -l)"
check_eq "small reads: the same flows as one read" \
	"$(cut -d' ' -f1-3 "$sig/whole" | sort | md5sum)" "$(cut -d' ' -f1-3 "$sig/small" | sort | md5sum)"
kill $holder

log "== an open flow: a bad RST, then a change of protect"
nsx "$server" python3 "$SELFTEST_DIR/echo.py" server 8080 &
wait_listen "$server" 8080
nsx "$client" python3 "$SELFTEST_DIR/echo.py" client "$server_ip" 8080 "$sig" rst protect \
	>"$sig/out" &
client_pid=$!
for _ in $(seq 100); do [ -e "$sig/rst" ] && break; sleep 0.1; done
read -r cport cseq _ <"$sig/rst"
bad=$(stat_get "$router" bad_checksum)
# A RST at the server's exact next sequence number would close the flow: one
# with a wrong checksum must not. Its sequence number is the client's next.
nsx "$client" python3 -c '
import sys
from scapy.all import IP, TCP, send
sport = int(sys.argv[1])
seq = int(sys.argv[2])
send(IP(src="10.0.1.99", dst="10.0.2.99") / TCP(sport=sport, dport=8080, flags="R", seq=seq,
     chksum=0xdead), verbose=0)
' "$cport" "$cseq"
wait_for "bad RST: dropped as a bad checksum" 5 $((bad + 1)) stat_get "$router" bad_checksum
check_eq "bad RST: the flow stays open" OPEN \
	"$(nsx "$router" awk -v p=":$cport" '$1 ~ p"$" && $2 ~ /:8080$/ { print $3 }' \
		/proc/net/synfw/flows)"
touch "$sig/rst.done"
for _ in $(seq 100); do [ -e "$sig/protect" ] && break; sleep 0.1; done
echo "10.0.3.0/24" >/sys/module/synfw/parameters/protect
touch "$sig/protect.done"
wait $client_pid
check_eq "every exchange intact: before, after the bad RST, after protect changed" \
	"True True True" "$(cat "$sig/out")"
rm -rf "$sig"
finish
