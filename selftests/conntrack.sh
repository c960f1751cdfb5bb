#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Spliced connections are valid TCP to a strict conntrack on the router: with
# a forward chain that drops ct state invalid (policy accept otherwise),
# nf_conntrack_tcp_loose=0 and nf_conntrack_tcp_be_liberal=0, 20 transfers of
# 1 MiB each way through synfw complete with matching checksums and the
# invalid rule's counter stays 0. conntrack -E takes each connection (by the
# client port the server saw) from SYN_SENT through ESTABLISHED and the close
# to TIME_WAIT, and conntrack -L then lists only them, ASSURED, in TIME_WAIT.
# One exception, which plain forwarding without synfw shows as often: a
# segment that comes late (a tail-loss-probe copy of the server's FIN, an ACK
# reordered between the client's CPUs) finds the server's socket closed and
# draws its RST, taking the entry from TIME_WAIT to CLOSE; that is allowed
# after TIME_WAIT only. One flow and one valid cookie per connection, no
# reset or refused one; dmesg clean. Run with checksum offload on, then off
# (full checksums, which conntrack then verifies). SYNFW_CAPTURE=1 keeps
# captures of both router links in $SYNFW_OUT.

source "$(dirname "$0")/lib.sh"

require_cmd python3 ss nft conntrack

conns=20
xfer_bytes=1048576

# ct_ports FILE PATTERN: the client ports of the conntrack lines in FILE that
# match PATTERN, on one line.
ct_ports()
{
	grep "$2" "$1" | grep -F "src=$client_ip dst=$server_ip" |
		sed -n 's/.* sport=\([0-9]*\) dport=8080 .*/\1/p' | sort -nu | xargs
}

# ct_states FILE: per connection (client port), the states conntrack -E
# reported, a repeated one once.
ct_states()
{
	awk '$1 != "[DESTROY]" && match($0, / sport=[0-9]+ dport=8080 /) {
		port = substr($0, RSTART + 7, RLENGTH - 19)
		for (i = 2; i <= NF; i++)
			if ($i ~ /^[A-Z_]+$/) { st = $i; break }
		if (st != last[port]) { seq[port] = seq[port] " " st; last[port] = st }
	}
	END { for (p in seq) print p seq[p] }' "$1"
}

# A connection's life in conntrack: opened by synfw's SYN, established by the
# server's SYN/ACK and synfw's ACK, closed by both FINs.
lifecycle="SYN_SENT( SYN_RECV)? ESTABLISHED( (FIN_WAIT|CLOSE_WAIT|LAST_ACK))* TIME_WAIT"

# One run on a fresh topology, with checksum offload $SYNFW_OFFLOAD.
run_case()
{
	local tag="offload $SYNFW_OFFLOAD" epid spid t0 invalid dev name caps=()
	local -A c
	local nfail0=$nfail

	setup_topology
	nsx "$router" nft -f - <<-EOF
		table inet synfw_ct {
			chain forward {
				type filter hook forward priority 0; policy accept;
				ct state invalid counter drop
			}
		}
	EOF
	nsx "$router" sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0 \
		net.netfilter.nf_conntrack_tcp_be_liberal=0
	check_eq "$tag: nf_conntrack_tcp_loose" 0 "$(nsx "$router" sysctl -n net.netfilter.nf_conntrack_tcp_loose)"
	check_eq "$tag: nf_conntrack_tcp_be_liberal" 0 \
		"$(nsx "$router" sysctl -n net.netfilter.nf_conntrack_tcp_be_liberal)"

	nsx "$router" conntrack -E -p tcp --dport 8080 >"$tmp/events" 2>&1 &
	epid=$!
	if [ -n "${SYNFW_CAPTURE:-}" ] && [ -n "${SYNFW_OUT:-}" ]; then
		for dev in veth0 veth1; do
			nsx "$router" tcpdump -ni $dev -s 96 -B 65536 \
				-w "$SYNFW_OUT/conntrack-$SYNFW_OFFLOAD-$dev.pcap" tcp \
				2>"$SYNFW_OUT/conntrack-$SYNFW_OFFLOAD-$dev.log" &
			caps+=($!)
		done
	fi
	sleep 1

	nsx "$server" python3 "$SELFTEST_DIR/tcpxfer.py" server --port 8080 --count $conns \
		--timeout 60 --seed conntrack --send $xfer_bytes --expect $xfer_bytes >"$tmp/server" 2>&1 &
	spid=$!
	wait_listen "$server" 8080
	t0=$(date +%s)
	nsx "$client" python3 "$SELFTEST_DIR/tcpclients.py" "$server_ip" --port 8080 \
		--count $conns --interval 0.2 --deadline 60 \
		--send $xfer_bytes --expect $xfer_bytes --seed conntrack >"$tmp/clients" 2>&1
	wait $spid
	log "$tag: $conns transfers in $(($(date +%s) - t0)) s"
	sleep 2
	kill $epid "${caps[@]}" 2>/dev/null
	wait $epid "${caps[@]}" 2>/dev/null

	check_eq "$tag: clients ok" $conns "$(grep -c '^client [0-9]* ok ' "$tmp/clients")"
	check_eq "$tag: server ok" $conns "$(grep -c '^server ok ' "$tmp/server")"
	grep -v ' ok ' "$tmp/clients" | head -n 5
	grep -v ' ok ' "$tmp/server" | head -n 5
	check_eq "$tag: server received what the clients sent" \
		"$conns $(sed -n 's/^client [0-9]* ok .* sha=\([0-9a-f]*\) recv=.*/\1/p' "$tmp/clients" | sort -u)" \
		"$(sed -n 's/^server ok .* recv=[0-9]* sha=\([0-9a-f]*\) .*/\1/p' "$tmp/server" | sort | uniq -c | awk '{ print $1, $2 }')"

	invalid=$(nsx "$router" nft list chain inet synfw_ct forward |
		sed -n 's/.*ct state invalid counter packets \([0-9]*\) .*/\1/p')
	check_eq "$tag: packets dropped as ct state invalid" 0 "$invalid"

	# The connections by the client ports the server saw, and the states
	# conntrack took them through (conntrack -E).
	sed -n "s/^server ok peer=$client_ip:\([0-9]*\) .*/\1/p" "$tmp/server" | sort -n | xargs >"$tmp/ports"
	ct_states "$tmp/events" >"$tmp/states"
	nsx "$router" conntrack -L -p tcp --dport 8080 2>/dev/null >"$tmp/ct"
	check_eq "$tag: conntrack -E: the connections, SYN_SENT, ESTABLISHED, closed to TIME_WAIT" \
		"$(cat "$tmp/ports")" \
		"$(grep -E "^[0-9]+ $lifecycle( CLOSE)?\$" "$tmp/states" | cut -d' ' -f1 | sort -n | xargs)"
	log "$tag: closed by a late RST after TIME_WAIT: $(grep -c ' TIME_WAIT CLOSE$' "$tmp/states")"
	check_eq "$tag: conntrack -L: entries other than the connections in TIME_WAIT or CLOSE, ASSURED" "" \
		"$(grep -vE "^tcp +6 [0-9]+ (TIME_WAIT|CLOSE) src=$client_ip dst=$server_ip sport=($(tr ' ' '|' <"$tmp/ports")) dport=8080 .*\[ASSURED\]" "$tmp/ct")"
	check_eq "$tag: conntrack -L: the connections in TIME_WAIT, but those closed by a late RST" \
		"$(cat "$tmp/ports")" \
		"$({ ct_ports "$tmp/ct" ' TIME_WAIT '; grep ' CLOSE$' "$tmp/states" | cut -d' ' -f1; } | xargs -n1 | sort -nu | xargs)"

	while IFS='=' read -r name v; do c[$name]=$v; done < <(stat_all "$router")
	log "$tag: counters: $(stat_all "$router" | grep -v '=0$' | tr '\n' ' ')"
	check_eq "$tag: flows_created" $conns "${c[flows_created]}"
	check_eq "$tag: cookie_valid" $conns "${c[cookie_valid]}"
	for name in cookie_invalid flows_refused server_rst handshake_timeout adopted \
		    unknown_dropped bad_checksum malformed illegal_flags land martian \
		    bad_options out_of_window rst_challenged spoof_alerts unconfirmed evicted wrong_path; do
		check_eq "$tag: $name" 0 "${c[$name]}"
	done

	if [ "$nfail" -gt "$nfail0" ]; then
		log "conntrack -L:"
		cat "$tmp/ct"
		log "conntrack -E (last 40):"
		tail -n 40 "$tmp/events"
	fi
	cleanup_namespaces
}

tmp=$(mktemp -d)
synfw_load protect="$server_ip:8080" adopt_s=0
for SYNFW_OFFLOAD in ${SYNFW_CT_OFFLOADS:-on off}; do
	run_case
done
synfw_unload
rm -rf "$tmp"
finish
