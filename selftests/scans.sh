#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nmap's SYN, FIN, NULL, XMAS and ACK scans (-sS -sF -sN -sX -sA) from the
# attacker against two protected ports (8080 open on the server, 8081
# closed) and one unprotected closed port (9090): the results are those
# Documentation/synfw.rst's scan policy gives. Protected ports all look
# open to a SYN scan, filtered to an ACK scan, open|filtered to FIN, NULL
# and XMAS; the unprotected port answers as the server does. No flow is
# created, the FIN, NULL and XMAS probes are counted as illegal flags.
#
#   attacker (nmap) --- router (synfw: 8080-8081) --- server 10.0.2.99

source "$(dirname "$0")/lib.sh"

require_cmd nmap python3

synfw_load protect="$server_ip:8080-8081" adopt_s=0
setup_topology
tcp_sink "$server" 8080

# scan FLAG: "port/state" for each port, as nmap's grepable output says.
scan()
{
	nsx "$attacker" nmap "$1" -Pn -n --max-retries 1 --host-timeout 60s -p 8080,8081,9090 \
		-oG - "$server_ip" | sed -n 's/.*Ports: //p' | tr ',' '\n' |
		awk -F/ '{ gsub(/ /, "", $1); printf "%s/%s ", $1, $2 }'
}

declare -A before after
stat_into before "$router"
check_eq "SYN scan" "8080/open 8081/open 9090/closed " "$(scan -sS)"
check_eq "ACK scan" "8080/filtered 8081/filtered 9090/unfiltered " "$(scan -sA)"
for s in -sF -sN -sX; do
	check_eq "scan $s" "8080/open|filtered 8081/open|filtered 9090/closed " "$(scan $s)"
done
stat_into after "$router"
check_eq "no flow created" 0 $((after[flows_created] - before[flows_created]))
check_eq "no cookie accepted" 0 $((after[cookie_valid] - before[cookie_valid]))
check_ge "FIN, NULL and XMAS probes counted as illegal flags" 6 \
	$((after[illegal_flags] - before[illegal_flags]))
check_ge "ACK probes counted as wrong cookies" 2 \
	$((after[cookie_invalid] - before[cookie_invalid]))
finish
