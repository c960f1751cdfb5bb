#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A stress test for what no deterministic test can show (named as such): the
# race between packets in synfw's hooks and the module's unload or the
# namespace's exit, and client data held while the device it came in by
# goes away. Each round builds the topology, keeps a SYN flood and live
# connections going, holds client data for a server that drops synfw's SYNs,
# then removes the outside device (odd rounds) or the router's namespace
# (even rounds) and unloads synfw under the flood. On the debug kernel,
# KASAN, lockdep and kmemleak judge what a use after free or a leak would
# do; everywhere, the unload must succeed and leave nothing behind.

source "$(dirname "$0")/lib.sh"

require_cmd python3 hping3 nft

rounds=${SYNFW_STRESS_ROUNDS:-4}

# Clients that send and never hear back: their data is held by synfw.
held_clients()
{
	nsx "$client" python3 -c '
import socket, time
socks = []
for _ in range(5):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("10.0.2.99", 8081))
    except BlockingIOError:
        pass
    socks.append(s)
time.sleep(1)
for s in socks:
    try:
        s.send(b"held" * 256)
    except OSError:
        pass
time.sleep(60)
' &
}

for round in $(seq "$rounds"); do
	log "== round $round of $rounds"
	synfw_load protect="$server_ip:8080-8081" adopt_s=0
	setup_topology
	nsx "$server" nft add table inet stress
	nsx "$server" nft add chain inet stress in '{ type filter hook input priority 0; }'
	nsx "$server" nft add rule inet stress in tcp dport 8081 tcp flags syn drop
	tcp_sink "$server" 8080
	nsx "$client" python3 "$SELFTEST_DIR/tcpclients.py" "$server_ip" --count 50 --interval 0.2 \
		--deadline 30 >/dev/null 2>&1 &
	held_clients
	nsx "$attacker" hping3 -q -S -p 8080 --flood --rand-source "$server_ip" >/dev/null 2>&1 &
	for _ in $(seq 100); do
		[ "$(stat_get "$router" data_held)" -ge 5 ] && break
		sleep 0.1
	done
	check_ge "round $round: client data held" 5 "$(stat_get "$router" data_held)"
	if [ $((round % 2)) = 1 ]; then
		nsx "$router" ip link del veth0
	else
		ip netns pids "$router" | xargs -r kill
		ip netns del "$router"
	fi
	synfw_unload
	cleanup_namespaces
	check_eq "round $round: no synfw slab cache left" 0 "$(grep -c '^synfw' /proc/slabinfo)"
done
finish
