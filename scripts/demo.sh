#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo (runs in the VM): a server behind the router, with a small
# half-open queue and no syncookies of its own, under a spoofed SYN flood.
# Legit clients try to connect and move 64 KiB each way, first with synfw
# loaded but protecting nothing, then with the server protected. Prints how
# many got through each time, and synfw's counters.

source "$(dirname "$0")/../selftests/lib.sh"

require_cmd trafgen python3

clients=20
pps=10000
cfg=/tmp/synfw-demo-flood.cfg
tmp=$(mktemp -d)

synfw_load adopt_s=0
setup_topology
nsx "$server" sysctl -qw net.ipv4.tcp_syncookies=0 net.ipv4.tcp_max_syn_backlog=64 \
	net.ipv4.tcp_synack_retries=2
nsx "$client" sysctl -qw net.ipv4.tcp_syn_retries=2
trafgen_syn_cfg "$cfg" "$(nsx "$router" cat /sys/class/net/veth0/address)" "$server_ip" 8080

echo "== topology (drawn in selftests/lib.sh)"
for ns in "$client" "$attacker" "$router" "$server"; do
	name=${ns#synfw-}
	printf '  %-9s %s\n' "${name%-*}" \
		"$(nsx "$ns" ip -br -4 addr show | grep -v '^lo' | awk '{ printf "%s %s  ", $1, $3 }')"
done

# run TAG: legit clients during a flood; prints how many succeeded.
run()
{
	local tag=$1 flood srv ok

	nsx "$server" python3 "$SELFTEST_DIR/tcpxfer.py" server --count $clients --backlog 16 \
		--timeout 30 --seed "$tag" >/dev/null 2>&1 &
	srv=$!
	wait_listen "$server" 8080
	(cd /tmp && exec ip netns exec "$attacker" trafgen --no-sock-mem --cpus 1 -o eth0 \
		-i "$cfg" -b "${pps}pps") >/dev/null 2>&1 &
	flood=$!
	sleep 2
	nsx "$client" python3 "$SELFTEST_DIR/tcpclients.py" "$server_ip" --count $clients \
		--interval 0.2 --deadline 5 --seed "$tag" >"$tmp/$tag"
	ip netns pids "$attacker" | xargs -r kill -INT
	ip netns pids "$server" | xargs -r kill
	wait $flood $srv 2>/dev/null
	ok=$(grep -c '^client [0-9]* ok ' "$tmp/$tag")
	printf '== %-34s %2d of %d legit clients connected and moved their data\n' \
		"$tag:" "$ok" $clients
}

echo "== a spoofed SYN flood from 198.18.0.0/15 at $pps SYN/s against $server_ip:8080"
run "without protection"
echo "$server_ip:8080" >/sys/module/synfw/parameters/protect
run "protected by synfw"

echo "== synfw's counters in the router (summed over CPUs, non-zero)"
stat_all "$router" | grep -v '=0$' | sed 's/^/  /'
echo "== flows left: $(nsx "$router" cat /proc/net/synfw/live)"
rm -rf "$tmp" "$cfg"
synfw_unload
finish
