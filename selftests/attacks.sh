#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The border-router battery (attacks.py, scapy, from the attacker
# namespace, straight to the router's MAC): illegal flag combinations, Land
# and martian sources, malformed headers, option errors and legal oddities,
# fragments, wrong cookies and a blind-spoofing alert, and a spliced flow
# under desynchronisation: out-of-window data, ACKs and RSTs, an inexact RST
# and a SYN that earn the server's challenge ACK, a FIN with a bad checksum,
# an exact RST, and the ports reopened; RFC 5961 bounds from each end's
# largest window; a FIN held during the handshake, recorded on release. Every case asserts what came back, the exact counter
# deltas, and (from a capture in the server namespace) what reached the
# server; then the module unloads cleanly with a flow still listed.
#
#   attacker 10.0.1.66 --- router (synfw) --- server 10.0.2.99:8080

source "$(dirname "$0")/lib.sh"

require_cmd python3 nft tcpdump
python3 -c 'import scapy' 2>/dev/null || skip "python3-scapy is not installed"

# The crafted spliced flows never answer synfw's probe of a silent client:
# handshake_timeout_s keeps them, and the probe, beyond the test's life.
synfw_load protect="$server_ip:8080" adopt_s=0 handshake_timeout_s=600
setup_topology
nsx "$server" sysctl -qw net.ipv4.tcp_syncookies=0

# The attacker's kernel knows nothing of scapy's connections: keep it quiet.
nsx "$attacker" nft -f - <<'NFT'
table inet crafted {
	chain out {
		type filter hook output priority 0;
		tcp flags rst drop
	}
}
NFT

tcp_sink "$server" 8080

pcap=$(mktemp -d)/server.pcap
nsx "$server" tcpdump -i eth0 -n -U -w "$pcap" tcp 2>/dev/null &
tcpdump_pid=$!
sleep 2

mac=$(nsx "$router" cat /sys/class/net/veth0/address)
out=$(nsx "$attacker" python3 "$SELFTEST_DIR/attacks.py" "$router" "$mac" "$pcap" 2>&1)
echo "$out"
grep -q '^FAIL' <<<"$out" && fail "battery cases (above)"
check_eq "every case ran" 0 "$(grep -c '^Traceback' <<<"$out")"
check_ge "cases in the battery" 40 "$(sed -n 's/^cases: //p' <<<"$out")"
kill "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null

synfw_unload || fail "unload after the battery"
finish
