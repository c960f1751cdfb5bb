#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every parameter is described by modinfo, reads back its default, takes
# good values, and refuses bad ones with EINVAL while keeping the old value.
# A protect change keeps the flows that exist.

source "$(dirname "$0")/lib.sh"

require_cmd modinfo python3

P=/sys/module/synfw/parameters
for p in protect mss wscale sack timestamps ecn key_rotate_s max_flows handshake_timeout_s \
	 idle_timeout_s close_timeout_s adopt_s spoof_alert; do
	modinfo -F parm "$SYNFW_KO" | grep -q "^$p:" || fail "modinfo: no description of $p"
done

synfw_load

# write NAME VALUE: "ok" or the error the write failed with.
write()
{
	if printf '%s' "$2" 2>/dev/null >"$P/$1"; then echo ok; else echo EINVAL; fi
}

defaults="protect= mss=auto wscale=auto sack=auto timestamps=auto ecn=auto key_rotate_s=30"
defaults+=" max_flows=262144 handshake_timeout_s=30 idle_timeout_s=432000"
defaults+=" close_timeout_s=120 adopt_s=120 spoof_alert=100"
for kv in $defaults; do
	check_eq "default ${kv%%=*}" "${kv#*=}" "$(cat "$P/${kv%%=*}")"
done

# name good-value bad-values...
cases=(
	"protect|10.0.2.99:8080,10.0.3.0/24:80-443|10.0.2|10.0.3.1/24|10.0.2.99:0|10.0.2.99:9-8|x"
	"mss|1400|535|9001|abc|-1"
	"wscale|14|15|-2|x"
	"sack|0|2|yes"
	"timestamps|1|2|-1"
	"ecn|0|3|on"
	"key_rotate_s|60|0|86401|1.5"
	"max_flows|1000|0|16777217|-5"
	"handshake_timeout_s|2|0|601"
	"idle_timeout_s|5|0|2592001"
	"close_timeout_s|1|0|3601"
	"adopt_s|0|86401|-1"
	"spoof_alert|0|65536|-1|x"
)
for c in "${cases[@]}"; do
	IFS='|' read -ra f <<<"$c"
	name=${f[0]} good=${f[1]}
	check_eq "$name: accepts $good" ok "$(write "$name" "$good")"
	check_eq "$name: reads back $good" "$good" "$(cat "$P/$name")"
	for bad in "${f[@]:2}"; do
		check_eq "$name: refuses '$bad'" EINVAL "$(write "$name" "$bad")"
		check_eq "$name: kept $good after '$bad'" "$good" "$(cat "$P/$name")"
	done
done
check_eq "auto again" ok "$(write mss auto)"
check_eq "mss reads auto" auto "$(cat $P/mss)"

# A protect change keeps the flows that exist.
write adopt_s 0 >/dev/null
write close_timeout_s 120 >/dev/null
write protect "$server_ip:8080" >/dev/null
setup_topology
nsx "$server" python3 "$SELFTEST_DIR/tcpxfer.py" server --send 65536 --expect 65536 \
	--count 2 >/dev/null &
srv=$!
wait_listen "$server" 8080
nsx "$client" python3 "$SELFTEST_DIR/tcpxfer.py" client "$server_ip" --send 65536 \
	--expect 65536 >/dev/null
check_eq "one flow" 1 "$(nsx "$router" cat /proc/net/synfw/live)"
write protect "10.0.9.9:80" >/dev/null
check_eq "protect change keeps the flow" 1 "$(nsx "$router" cat /proc/net/synfw/live)"
check_eq "unprotected now: a connection passes untouched" "client ok sent=65536" \
	"$(nsx "$client" python3 "$SELFTEST_DIR/tcpxfer.py" client "$server_ip" --send 65536 \
		--expect 65536 | cut -d' ' -f1-3)"
wait $srv
check_eq "still one flow, one cookie" "1 1" \
	"$(nsx "$router" cat /proc/net/synfw/live) $(stat_get "$router" cookie_valid)"
finish
