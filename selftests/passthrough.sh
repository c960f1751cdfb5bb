#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With synfw loaded and nothing protected, the router forwards as before:
# pings and a checksummed TCP transfer each way go through untouched, and
# synfw counts nothing. Run with checksum offload on and off.

source "$(dirname "$0")/lib.sh"

require_cmd ping python3 ss

xfer_bytes=1048576

# A transfer each way between client and server through the router.
transfer()
{
	local tag=$1 out

	nsx "$server" python3 "$SELFTEST_DIR/tcpxfer.py" server --port 8080 \
		--send $xfer_bytes --expect $xfer_bytes --seed "$tag" >"$tmp/server" &
	wait_listen "$server" 8080
	out=$(nsx "$client" python3 "$SELFTEST_DIR/tcpxfer.py" client "$server_ip" \
		--port 8080 --send $xfer_bytes --expect $xfer_bytes --seed "$tag")
	wait
	check_eq "$tag: client received the server's bytes" \
		"client ok sent=$xfer_bytes" "$(cut -d' ' -f1-3 <<<"$out")"
	check_eq "$tag: server received the client's bytes" \
		"server ok" "$(cut -d' ' -f1-2 "$tmp/server")"
	check_eq "$tag: payload checksum, client to server" \
		"$(sed -n 's/.* sha=\([0-9a-f]*\) recv=.*/\1/p' <<<"$out")" \
		"$(sed -n 's/.* recv=[0-9]* sha=\([0-9a-f]*\) .*/\1/p' "$tmp/server")"
}

tmp=$(mktemp -d)
synfw_load
for SYNFW_OFFLOAD in on off; do
	setup_topology
	sent=$(nsx "$client" ping -q -c 5 -i 0.2 "$server_ip" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	check_eq "offload $SYNFW_OFFLOAD: ping client -> server" 5 "$sent"
	transfer "offload-$SYNFW_OFFLOAD"
	check_eq "offload $SYNFW_OFFLOAD: counters all zero" "" "$(stat_all "$router" | grep -v '=0$')"
	cleanup_namespaces
done
synfw_unload
rm -rf "$tmp"
finish
