#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# synfw builds each SYN/ACK in the memory of the SYN it answers. Two bursts
# of 1,000 spoofed SYNs (trafgen, random 198.18.0.0/15 sources, MSS only) to
# the protected 10.0.2.99:8080, captured on the attacker's link:
#  - untapped: each SYN answered once, the SYN/ACK checksummed, to the
#    SYN's source, acknowledging its ISN (recycle.py check);
#  - tapped: a packet socket on the router's veth0 holds a clone of every
#    SYN (the SYN/ACK must then be built in a copy): the same answers, and
#    the tap's SYNs byte for byte those the attacker sent;
# each with syn_received and synack_sent grown by exactly 1,000 and no
# other counter moved; then no synfw slab object left and a clean dmesg.

source "$(dirname "$0")/lib.sh"

require_cmd python3 trafgen tcpdump
python3 -c 'import scapy' 2>/dev/null || skip "python3-scapy is not installed"

n=1000
tmp=$(mktemp -d)
cfg=$tmp/syn.cfg

synfw_load protect="$server_ip:8080"
setup_topology
trafgen_syn_cfg "$cfg" "$(nsx "$router" cat /sys/class/net/veth0/address)" "$server_ip" 8080
slab_before=$(synfw_slab_objects)

there() { [ -e "$1" ] && echo yes; }
synacks_since() { echo $(($(stat_get "$router" synack_sent) - $1)); }

# burst TAG [TAPPED]: n SYNs, captured on the attacker's link (and held by a
# tap on the router's veth0), checked by recycle.py.
burst()
{
	local tag=$1 tapped=${2:-} tpid out drops name
	local -A s0 s1

	if [ -n "$tapped" ]; then
		nsx "$router" python3 "$SELFTEST_DIR/recycle.py" tap veth0 "$tmp/$tag-router.pcap" &
		tpid=$!
		wait_for "$tag: the router's tap is open" 10 yes there "$tmp/$tag-router.pcap.ready"
	fi
	# On the switch's side of the attacker's link: trafgen bypasses the
	# attacker's own taps.
	cap_start "$tag" "$switch" p-attacker tcp
	stat_into s0 "$router"
	(cd "$tmp" && exec ip netns exec "$attacker" trafgen --no-sock-mem --cpus 1 -o eth0 \
		-i "$cfg" -n $n -b 2000pps) >"$tmp/$tag-trafgen" 2>&1 ||
		fail "$tag: trafgen: $(tail -n 3 "$tmp/$tag-trafgen")"
	wait_for "$tag: SYN/ACKs sent" 10 $n synacks_since "${s0[synack_sent]}"
	cap_stop "$tag"
	if [ -n "$tapped" ]; then
		touch "$tmp/$tag-router.pcap.go"
		wait $tpid
		drops=$(cat "$tmp/$tag-router.pcap.drops" 2>/dev/null || echo "no count")
		check_eq "$tag: the router's tap dropped nothing" 0 "$drops"
	fi

	stat_into s1 "$router"
	for name in "${!s1[@]}"; do
		case $name in
		syn_received|synack_sent)
			check_eq "$tag: $name grew by the SYNs" $n $((s1[$name] - s0[$name])) ;;
		*)
			[ "${s1[$name]}" = "${s0[$name]}" ] ||
				fail "$tag: $name moved by $((s1[$name] - s0[$name]))" ;;
		esac
	done
	out=$(python3 "$SELFTEST_DIR/recycle.py" check $n "$tmp/$tag.pcap" \
		${tapped:+"$tmp/$tag-router.pcap"} 2>&1)
	echo "$out" | sed "s/^/$tag: /"
	grep -q '^FAIL' <<<"$out" && fail "$tag: packet checks (above)"
	check_eq "$tag: every packet check ran" 0 "$(grep -c '^Traceback' <<<"$out")"
}

burst untapped
burst tapped yes

cleanup_namespaces
check_eq "synfw slab objects after the bursts" "$slab_before" "$(synfw_slab_objects)"
synfw_unload
rm -rf "$tmp"
finish
