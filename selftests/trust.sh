#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Direction is proven by how a packet arrives, never by the address it
# claims. A checksummed echo connection (echo.py) runs from client to server;
# between its exchanges:
#   - from the attacker, on the client's link, segments in the server's name
#     (a SYN/ACK, a RST, an ACK 2^31 ahead): dropped (wrong_path);
#   - from the server's link, in the server's name, segments it never sent:
#     a RST and an ACK far out of the window dropped (out_of_window), a RST
#     in the window but not exact passed on for the client's challenge ACK
#     (rst_challenged);
#   - ICMP errors from the attacker: one quoting a server segment with a
#     sequence number never sent (out_of_window), one quoting a client
#     segment, which can only come from inside (wrong_path);
# each with the exact counter deltas, the flow open and bound to both links,
# and every exchange intact. Then a handshake held up at the server: while
# synfw's SYN waits, "port unreachable" and "fragmentation needed" quoting
# it change nothing, from the client's link even with the true ISN
# (wrong_path), from the server's link with a wrong one (out_of_window); the
# connection opens and moves data, and the client's retransmissions of its
# held data are not counted as dropped.
#
#   client 10.0.1.99, attacker 10.0.1.66 --- veth0 router (synfw) veth1 --- server 10.0.2.99

source "$(dirname "$0")/lib.sh"

require_cmd python3 nft tcpdump
python3 -c 'import scapy' 2>/dev/null || skip "python3-scapy is not installed"

# The held-up handshake below waits for synfw's SYN retransmissions (1, 2,
# 4... s apart): well past the default handshake_timeout_s under emulation.
synfw_load protect="$server_ip:8080" adopt_s=0 handshake_timeout_s=120
setup_topology
sig=$(mktemp -d)
mac=$(nsx "$router" cat /sys/class/net/veth0/address)
dev_out=$(nsx "$router" cat /sys/class/net/veth0/ifindex)
dev_in=$(nsx "$router" cat /sys/class/net/veth1/ifindex)

declare -A base
# moved: the counters that moved since mark, as "name=+n ..." in column
# order; but those in $ignore.
ignore=""
mark() { base=(); stat_into base "$router"; }
moved()
{
	local -A now
	local name out=""

	stat_into now "$router"
	while read -r name; do
		[[ " $ignore " == *" $name "* ]] && continue
		[ "${now[$name]}" != "${base[$name]}" ] &&
			out+="${out:+ }$name=+$((now[$name] - base[$name]))"
	done < <(nsx "$router" head -1 /proc/net/stat/synfw | tr ' ' '\n')
	echo "$out"
}

# capture NS FILTER FILE: in the background, the first packet FILTER
# matches in NS, as tcpdump -S prints it, once tcpdump listens.
capture()
{
	local _

	nsx "$1" timeout 120 tcpdump -i eth0 -n -S -l -c 1 "$2" >"$3" 2>"$3.err" &
	for _ in $(seq 100); do grep -q "listening on" "$3.err" && return; sleep 0.1; done
	fail "tcpdump in $1 does not start: $(cat "$3.err")"
	finish
}

# flow PORT: the state and bound devices of the client's flow from PORT.
flow()
{
	nsx "$router" awk -v c="$client_ip:$1" -v s="$server_ip:8080" \
		'$1 == c && $2 == s { print $3, $10, $11 }' /proc/net/synfw/flows
}

# The server's ISN, from its SYN/ACK: its next sequence number follows from
# the 200,000 bytes each exchange echoes.
capture "$server" 'src port 8080 and tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)' \
	"$sig/synack"
dump=$!
nsx "$server" python3 "$SELFTEST_DIR/echo.py" server 8080 &
wait_listen "$server" 8080
nsx "$client" python3 "$SELFTEST_DIR/echo.py" client "$server_ip" 8080 "$sig" \
	outside inside icmp >"$sig/out" &
client_pid=$!
wait $dump
isn=$(sed -n 's/.* seq \([0-9]*\),.*/\1/p' "$sig/synack")
[ -n "$isn" ] || { fail "no SYN/ACK from the server captured"; finish; }
server_next() { echo $(((isn + 1 + $1 * 200000) % 4294967296)); }

# step NAME: wait for the client to stop at NAME; sets cport, cseq, crcv.
step()
{
	local _

	for _ in $(seq 300); do [ -e "$sig/$1" ] && break; sleep 0.1; done
	[ -e "$sig/$1" ] || { fail "the client never reached step $1"; finish; }
	read -r cport cseq crcv <"$sig/$1"
}

log "== from the client's link, in the server's name"
step outside
check_eq "the flow is open, bound to both links" "OPEN $dev_out $dev_in" "$(flow "$cport")"
mark
nsx "$attacker" python3 - "$mac" "$cport" "$cseq" <<'EOF'
import sys
from scapy.all import IP, TCP, Ether, sendp
mac, cport, cseq = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = Ether(dst=mac) / IP(src="10.0.2.99", dst="10.0.1.99")
for flags, seq, ack in (("SA", 1, cseq), ("R", 12345, 0), ("A", 12345, cseq + 2**31 - 1)):
    sendp(out / TCP(sport=8080, dport=cport, flags=flags, seq=seq, ack=ack % 2**32),
          iface="eth0", verbose=0)
EOF
wait_for "a SYN/ACK, a RST and a far ACK: dropped as wrong_path" 10 "wrong_path=+3" moved
check_eq "the flow stays open" "OPEN $dev_out $dev_in" "$(flow "$cport")"
touch "$sig/outside.done"

log "== from the server's link, segments the server never sent"
step inside
s=$(server_next 2)
mark
nsx "$server" python3 - "$cport" "$cseq" "$s" <<'EOF'
import sys
from scapy.all import IP, TCP, send
cport, cseq, s = (int(a) for a in sys.argv[1:])
out = IP(src="10.0.2.99", dst="10.0.1.99")
for flags, seq, ack in (("R", s + 2**30, 0), ("A", s, cseq + 2**30), ("R", s + 1000, 0)):
    send(out / TCP(sport=8080, dport=cport, flags=flags, seq=seq % 2**32, ack=ack % 2**32),
         verbose=0)
EOF
wait_for "far RST and ACK dropped, an inexact RST passed on" 10 \
	"out_of_window=+2 rst_challenged=+1" moved
check_eq "the flow stays open" "OPEN $dev_out $dev_in" "$(flow "$cport")"
touch "$sig/inside.done"

log "== ICMP errors from the client's link"
step icmp
mark
nsx "$attacker" python3 - "$mac" "$cport" "$cseq" "$crcv" <<'EOF'
import sys
from scapy.all import ICMP, IP, TCP, Ether, sendp
mac, cport, cseq, crcv = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
out = Ether(dst=mac) / IP(src="10.0.1.66", dst="10.0.2.99") / ICMP(type=3, code=4, nexthopmtu=576)
# About a server segment, at a sequence number the server never sent.
sendp(out / IP(src="10.0.2.99", dst="10.0.1.99") /
      TCP(sport=8080, dport=cport, flags="A", seq=(crcv + 2**31) % 2**32, ack=cseq),
      iface="eth0", verbose=0)
# About a client segment: only the inside can report on those.
out[IP].dst = "10.0.1.99"
sendp(out / IP(src="10.0.1.99", dst="10.0.2.99") /
      TCP(sport=cport, dport=8080, flags="A", seq=cseq, ack=crcv),
      iface="eth0", verbose=0)
EOF
wait_for "an unsent sequence number and the wrong side: both dropped" 10 \
	"out_of_window=+1 wrong_path=+1" moved
check_eq "the flow stays open" "OPEN $dev_out $dev_in" "$(flow "$cport")"
touch "$sig/icmp.done"
wait $client_pid
check_eq "every exchange intact" "True True True True" "$(cat "$sig/out")"
check_eq "the server never lowered its path MTU" 0 \
	"$(nsx "$server" ip route get "$client_ip" | grep -c 'mtu')"

log "== ICMP errors during a handshake held up at the server"
# The server's SYN/ACKs are held back until the errors are judged; synfw
# sends its SYN again meanwhile (syn_retrans, not judged here).
nsx "$server" nft add table inet hold
nsx "$server" nft add chain inet hold out '{ type filter hook output priority 0; }'
nsx "$server" nft add rule inet hold out tcp sport 8080 tcp flags '&' '(syn|ack)' == 'syn|ack' drop
rst=$(stat_get "$router" server_rst)
dropped=$(stat_get "$router" data_dropped)
capture "$client" 'dst port 8080 and tcp[tcpflags] == tcp-syn' "$sig/syn"
dump=$!
nsx "$client" python3 -c '
import os, socket, sys, time
s = socket.create_connection(("10.0.2.99", 8080), timeout=60)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.1)
s.sendall(b"x" * 1000)
got = b""
while len(got) < 1000:
    got += s.recv(1000)
print("ok" if got == b"x" * 1000 else "bad")
' "$sig/held.done" >"$sig/held" 2>&1 &
held_pid=$!
wait $dump
read -r hport hisn < <(sed -n 's/.*\.\([0-9]*\) > .* seq \([0-9]*\),.*/\1 \2/p' "$sig/syn")
pending() { nsx "$router" awk -v c="$client_ip:$hport" '$1 == c { print $3 }' /proc/net/synfw/flows; }
wait_for "the handshake waits for the server" 10 SYN_SENT pending
ignore=syn_retrans
mark
# From the client's link, even with synfw's SYN's own sequence number (the
# client's ISN, which that link carries): the wrong side.
nsx "$attacker" python3 - "$mac" "$hport" "$hisn" <<'EOF'
import sys
from scapy.all import ICMP, IP, TCP, Ether, sendp
mac, hport, hisn = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for code in (3, 4):
    sendp(Ether(dst=mac) / IP(src="10.0.2.99", dst="10.0.1.99") / ICMP(type=3, code=code) /
          IP(src="10.0.1.99", dst="10.0.2.99") / TCP(sport=hport, dport=8080, flags="S", seq=hisn),
          iface="eth0", verbose=0)
EOF
wait_for "codes 3 and 4 from the client's link: dropped" 10 "wrong_path=+2" moved
mark
# From the server's link, with a wrong sequence number.
nsx "$server" python3 - "$hport" "$hisn" <<'EOF'
import sys
from scapy.all import ICMP, IP, TCP, send
hport, hisn = int(sys.argv[1]), int(sys.argv[2])
for code in (3, 4):
    send(IP(src="10.0.2.99", dst="10.0.1.99") / ICMP(type=3, code=code) /
         IP(src="10.0.1.99", dst="10.0.2.99") /
         TCP(sport=hport, dport=8080, flags="S", seq=(hisn + 1000) % 2**32), verbose=0)
EOF
wait_for "codes 3 and 4 quoting a wrong sequence number: dropped" 10 "out_of_window=+2" moved
check_eq "the handshake still waits" SYN_SENT "$(pending)"
nsx "$server" nft delete table inet hold
touch "$sig/held.done"
wait $held_pid
check_eq "the held-up connection opens and moves data" "ok" "$(cat "$sig/held")"
check_eq "no server reset counted" "$rst" "$(stat_get "$router" server_rst)"
# Its data waited at synfw for the SYN/ACK: the client's retransmissions of
# it are duplicates, not data lost.
check_eq "no held data counted as dropped" "$dropped" "$(stat_get "$router" data_dropped)"
log "counters: $(stat_all "$router" | grep -v '=0$' | xargs)"

rm -rf "$sig"
finish
