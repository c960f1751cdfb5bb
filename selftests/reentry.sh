#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What synfw sends can come straight back into synfw, from inside
# ip_local_out(): an ICMP error or a RST from a reject rule that its SYN to
# the server meets, or a "fragmentation needed" for held client data that
# does not fit the inside link. None of it may find synfw holding a lock
# (the landed module spun forever in both cases), and each must end as it
# would without synfw: the client is reset at once, or lowers its path MTU
# and gets its data through.
#
#   client --- router [OUTPUT: reject synfw's SYN] --- server
#                     veth1 mtu 1400 (third case)

source "$(dirname "$0")/lib.sh"

require_cmd python3 nft nstat

synfw_load protect="$server_ip:8080" adopt_s=0
setup_topology
tmp=$(mktemp -d)

nsx "$server" python3 "$SELFTEST_DIR/tcpxfer.py" server --count 3 --send 65536 \
	--expect 65536 --timeout 60 >"$tmp/server" &
srv=$!
wait_listen "$server" 8080

xfer()
{
	nsx "$client" python3 "$SELFTEST_DIR/tcpxfer.py" client "$server_ip" --send 65536 \
		--expect 65536 --timeout 20 | cut -d' ' -f1-3
}

# reject_case NAME STATEMENT: synfw's SYN meets STATEMENT in the router's
# OUTPUT chain; the client is reset at once, nothing is left behind.
reject_case()
{
	local name=$1 verdict=$2 before

	nsx "$router" nft -f - <<-EOF
		table inet reentry {
			chain out {
				type filter hook output priority 0;
				oif veth1 tcp dport 8080 tcp flags syn counter $verdict
			}
		}
	EOF
	before=$(stat_get "$router" server_rst)
	# The client waits for the server to speak: nothing of its own is in
	# flight to open the connection again (data at ISN + 1 is a valid
	# cookie ACK) once it is reset.
	check_eq "$name: the client is reset" ECONNRESET "$(nsx "$client" python3 -c '
import errno, socket
try:
    # The reset can come before connect() has returned.
    s = socket.create_connection(("10.0.2.99", 8080), timeout=20)
    print(s.recv(10) or "EOF")
except OSError as e:
    print(errno.errorcode.get(e.errno, e))
')"
	check_ge "$name: the rule met synfw's SYN" 1 \
		"$(nsx "$router" nft list chain inet reentry out | sed -n 's/.*packets \([0-9]*\).*/\1/p')"
	check_eq "$name: counted as a refusal" $((before + 1)) "$(stat_get "$router" server_rst)"
	# (Earlier connections linger, closed, for close_timeout_s.)
	check_eq "$name: no flow left but closed ones" 0 \
		"$(nsx "$router" awk '$3 != "CLOSING"' /proc/net/synfw/flows | tail -n +2 | wc -l)"
	nsx "$router" nft delete table inet reentry
	check_eq "$name: the next connection works" "client ok sent=65536" "$(xfer)"
}

reject_case "ICMP reject" "reject"
reject_case "TCP reset reject" "reject with tcp reset"

# The inside link's MTU is lower than the client's, and the server's first
# SYN is lost, so that the client's first full segment is held until synfw's
# SYN is sent again; released, it does not fit, and the router answers it
# with "fragmentation needed" from inside ip_local_out().
nsx "$router" ip link set veth1 mtu 1400
nsx "$server" ip link set eth0 mtu 1400
nsx "$server" nft -f - <<'NFT'
table inet loss {
	chain in {
		type filter hook input priority 0;
		tcp dport 8080 tcp flags == syn limit rate 1/hour burst 1 packets drop
	}
}
NFT
nsx "$router" nstat -n
held=$(stat_get "$router" data_held)
check_eq "held data over a smaller MTU: the transfer completes" "client ok sent=65536" "$(xfer)"
check_ge "held data over a smaller MTU: data was held" $((held + 1)) \
	"$(stat_get "$router" data_held)"
check_ge "held data over a smaller MTU: the router said fragmentation needed" 1 \
	"$(nsx "$router" nstat -az IpFragFails | awk '/IpFragFails/ { print $2 }')"
check_eq "held data over a smaller MTU: no reset" 2 "$(stat_get "$router" server_rst)"

wait $srv
check_eq "server: the three connections that got through were intact" 3 \
	"$(grep -c '^server ok' "$tmp/server")"
rm -rf "$tmp"
finish
