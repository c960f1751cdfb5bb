#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo (runs in the VM): the border-router topology of the selftests,
# with synfw loaded on the router, a checksummed transfer through it, and the
# router's counters.

source "$(dirname "$0")/../selftests/lib.sh"

synfw_load
setup_topology
echo "== topology (see selftests/lib.sh for the drawing)"
for ns in "$client" "$attacker" "$router" "$server"; do
	printf '%-10s %s\n' "${ns#synfw-}" "$(nsx "$ns" ip -br -4 addr show | grep -v '^lo' | tr -s ' ' | tr '\n' ' ')"
done
echo "== a 1 MiB transfer each way, client -> router -> server"
nsx "$server" python3 "$SELFTEST_DIR/tcpxfer.py" server --send 1048576 --expect 1048576 &
wait_listen "$server" 8080
nsx "$client" python3 "$SELFTEST_DIR/tcpxfer.py" client "$server_ip" --send 1048576 --expect 1048576
wait
echo "== /proc/net/stat/synfw in the router"
nsx "$router" cat /proc/net/stat/synfw
echo "== summed"
stat_all "$router"
synfw_unload
finish
