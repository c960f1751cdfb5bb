#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Crafted handshakes (handshake.py, scapy, from the client namespace): a
# retransmitted SYN gets the same SYN/ACK; data in place of a lost ACK opens
# the connection unshifted and reaches the server intact; data shifted by n
# bytes never opens one; a duplicate ACK opens one flow; wrong, replayed
# and expired cookies are dropped without a word. Each case asserts the exact
# counter deltas and what crossed the wire.

source "$(dirname "$0")/lib.sh"

require_cmd python3 nft
python3 -c 'import scapy' 2>/dev/null || skip "python3-scapy is not installed"

# Adoption off: an ACK with a bad cookie must be dropped, not adopted. The
# crafted clients never speak after their ACK: handshake_timeout_s keeps
# their flows (and synfw's probe of them) beyond the test's life.
synfw_load protect="$server_ip:8080" adopt_s=0 handshake_timeout_s=600
setup_topology
nsx "$server" sysctl -qw net.ipv4.tcp_syncookies=0

# The client's kernel knows nothing of the crafted connections: keep it from
# resetting them.
nsx "$client" nft -f - <<'NFT'
table inet crafted {
	chain out {
		type filter hook output priority 0;
		tcp flags rst drop
	}
}
NFT

# The server records what each connection sends, by client port.
recv=$(mktemp -d)
nsx "$server" python3 -c '
import os, socket, sys, threading
d = sys.argv[1]
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("0.0.0.0", 8080))
l.listen(64)
def serve(c, port):
    c.settimeout(30)
    try:
        data = c.recv(65536)
    except OSError:
        return
    if data:
        with open(os.path.join(d, ".%d" % port), "wb") as f:
            f.write(data)
        os.rename(os.path.join(d, ".%d" % port), os.path.join(d, str(port)))
while True:
    c, peer = l.accept()
    threading.Thread(target=serve, args=(c, peer[1]), daemon=True).start()
' "$recv" &
wait_listen "$server" 8080

out=$(nsx "$client" python3 "$SELFTEST_DIR/handshake.py" "$router" "$recv" 2>&1)
echo "$out"
grep -q '^FAIL' <<<"$out" && fail "handshake cases (above)"
check_eq "every case ran" 0 "$(grep -c '^Traceback' <<<"$out")"
rm -rf "$recv"
finish
