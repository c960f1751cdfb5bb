#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SYNs signed with TCP-MD5 (RFC 2385) or TCP-AO (RFC 5925). A proxy that
# rewrites the server's sequence numbers breaks both, and answering them
# with a cookie, or passing them by default, would either break the
# service or let a flood bypass the cookies by adding the option. So a
# signed SYN to a protected destination is dropped and counted
# (auth_dropped), unless the destination is listed in auth_pass (BGP peers):
# then it passes unproxied (auth_passed), and the connection is followed as
# an adopted flow from the server's SYN/ACK, untranslated: a real TCP-MD5
# connection moves checksummed data through the router.

source "$(dirname "$0")/lib.sh"

require_cmd python3
python3 -c 'import scapy' 2>/dev/null || skip "python3-scapy is not installed"

synfw_load protect="$server_ip:179" adopt_s=0
setup_topology
tmp=$(mktemp -d)

# md5_peer ROLE PEER: a TCP-MD5 server or client on port 179 keyed for PEER;
# the client sends 100,000 bytes and checks the same bytes come back.
md5_peer()
{
	python3 - "$@" <<'PY'
import hashlib, random, socket, struct, sys
role, peer = sys.argv[1], sys.argv[2]
def md5(sock, addr, key=b"synfw-bgp-key"):
    sa = struct.pack("=H", socket.AF_INET) + struct.pack("!H", 0) + socket.inet_aton(addr)
    sa += bytes(128 - len(sa))
    sock.setsockopt(socket.IPPROTO_TCP, 14,     # TCP_MD5SIG
                    sa + struct.pack("=BBHi", 0, 0, len(key), 0) + key.ljust(80, b"\0"))
data = random.Random(7).randbytes(100000)
def recv_n(sock, n):
    got = b""
    while len(got) < n:
        d = sock.recv(65536)
        if not d:
            break
        got += d
    return got
if role == "server":
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    md5(l, peer)
    l.bind(("0.0.0.0", 179))
    l.listen(4)
    while True:
        c = l.accept()[0]
        c.sendall(recv_n(c, len(data)))
        c.close()
s = socket.socket()
md5(s, peer)
s.settimeout(5)
try:
    s.connect((peer, 179))
    s.sendall(data)
    got = recv_n(s, len(data))
    print("echo ok" if got == data else "echo BAD %d" % len(got))
except OSError as e:
    print("error", e.__class__.__name__)
PY
}

nsx "$server" bash -c "$(declare -f md5_peer); md5_peer server $client_ip" &
wait_listen "$server" 179

log "== a signed SYN to a destination not in auth_pass"
before=$(stat_get "$router" auth_dropped)
check_eq "TCP-MD5 client: no connection" "error TimeoutError" \
	"$(nsx "$client" bash -c "$(declare -f md5_peer); md5_peer client $server_ip")"
check_ge "TCP-MD5 SYNs dropped and counted" $((before + 1)) "$(stat_get "$router" auth_dropped)"
check_eq "not answered with a cookie" 0 "$(stat_get "$router" synack_sent)"
before=$(stat_get "$router" auth_dropped)
nsx "$client" python3 -c '
from scapy.all import IP, TCP, send
send(IP(src="10.0.1.99", dst="10.0.2.99") / TCP(sport=46000, dport=179, flags="S", seq=1,
     options=[(29, b"\x01\x02" + bytes(12))]), verbose=0)
'
wait_for "a TCP-AO SYN dropped and counted" 5 $((before + 1)) stat_get "$router" auth_dropped

log "== the destination in auth_pass"
echo "$server_ip:179" >/sys/module/synfw/parameters/auth_pass
check_eq "TCP-MD5 connection through the router" "echo ok" \
	"$(nsx "$client" bash -c "$(declare -f md5_peer); md5_peer client $server_ip")"
check_ge "its SYN passed unproxied" 1 "$(stat_get "$router" auth_passed)"
check_eq "followed as an adopted flow, untranslated" "1 0" \
	"$(nsx "$router" awk '$2 ~ /:179$/ { n++; s += $4 } END { print n + 0, s + 0 }' \
		/proc/net/synfw/flows)"
check_eq "no cookie involved" 0 "$(stat_get "$router" synack_sent)"
rm -rf "$tmp"
finish
