#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A flood of 1,000,000 random ACKs (trafgen from the attacker, random
# sources in 198.18.0.0/15, random sequence and acknowledgement numbers, no
# timestamps) at a protected service: each costs a lookup and one MAC. The
# forgeries synfw accepts are no more than its 22-bit MAC allows (expected
# 1,000,000 / 2^22 = 0.24; at most 3 allowed, a chance of 1 in 10,000 to
# fail by bad luck), each one a flow that its idle timeout removes; no
# other flow is created, no alert raised by sources that each send a few,
# and synfw's slab objects come back to where they were.
#
#   attacker (trafgen) --- router (synfw) --- server 10.0.2.99:8080

source "$(dirname "$0")/lib.sh"

require_cmd trafgen python3

acks=$(scaled 1000000)
pps=25000
synfw_load protect="$server_ip:8080" adopt_s=0 idle_timeout_s=3
setup_topology

tcp_sink "$server" 8080

cfg=$(mktemp)
trafgen_syn_cfg "$cfg" "$(nsx "$router" cat /sys/class/net/veth0/address)" "$server_ip" 8080
sed -i 's/syn, win=64240, doff=6),/ack, ackseq=drnd(), win=502, doff=5)/; /0x02, 0x04/d' "$cfg"

slab0=$(synfw_slab_objects)
declare -A before after
stat_into before "$router"
tx0=$(nsx "$attacker" cat /sys/class/net/eth0/statistics/tx_packets)
(cd /tmp && ip netns exec "$attacker" trafgen --no-sock-mem --cpus 1 -o eth0 -i "$cfg" \
	-n "$acks" -b "${pps}pps") >/dev/null 2>&1 || fail "trafgen failed"
sent=$(($(nsx "$attacker" cat /sys/class/net/eth0/statistics/tx_packets) - tx0))
sleep 1
stat_into after "$router"
valid=$((after[cookie_valid] - before[cookie_valid]))
invalid=$((after[cookie_invalid] - before[cookie_invalid]))
log "sent $sent random ACKs: cookie_invalid +$invalid, cookie_valid +$valid"

check_ge "the attacker sent the flood" "$acks" "$sent"
check_ge "synfw checked 99% of it" $((sent * 99 / 100)) $((valid + invalid))
check_le "forgeries accepted (22-bit MAC)" 3 "$valid"
check_eq "a flow per forgery, no other" "$valid" $((after[flows_created] - before[flows_created]))
check_eq "no blind-spoofing alert from random sources" 0 \
	$((after[spoof_alerts] - before[spoof_alerts]))
for c in syn_received synack_sent adopted flows_refused unknown_dropped malformed; do
	check_eq "$c" 0 $((after[$c] - before[$c]))
done

# The forged flows time out (handshake or idle) and their memory goes.
gone() { nsx "$router" cat /proc/net/synfw/live; }
wait_for "forged flows removed by their timeouts" 40 0 gone
wait_for "slab objects back to the baseline" 10 "$slab0" synfw_slab_objects
finish
