# SPDX-License-Identifier: GPL-2.0
#
# Shared by synfw's selftests: the border-router topology, module loading,
# counters and assertions. Source it from a test; it cleans up on exit.
#
#   client 10.0.1.99        attacker 10.0.1.66 (spoofs 198.18.0.0/15)
#        eth0                    eth0
#          \                      /
#           +---- switch: br0 ---+      (the outside link)
#                     |
#                  veth0 10.0.1.1
#                  router           ip_forward=1, synfw acts here
#                  veth1 10.0.2.1
#                     |               (the inside link)
#                  eth0 10.0.2.99
#                  server
#
# The router routes 198.18.0.0/15 back to the attacker, as an upstream router
# would, so answers to spoofed SYNs leave by the outside link and die there.
#
# Set SYNFW_OFFLOAD=off to turn off checksum offload on every link (packets
# then carry full checksums, as captures expect); the default keeps veth's
# offloads on, where checksum and GSO bugs show up.

set -u

readonly ksft_pass=0
readonly ksft_fail=1
readonly ksft_skip=4

SELFTEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SYNFW_KO=${SYNFW_KO:-$SELFTEST_DIR/../synfw.ko}
SYNFW_OFFLOAD=${SYNFW_OFFLOAD:-on}

readonly client_ip=10.0.1.99 attacker_ip=10.0.1.66 router_out_ip=10.0.1.1
readonly router_in_ip=10.0.2.1 server_ip=10.0.2.99 spoof_net=198.18.0.0/15

suffix=$$
client=synfw-client-$suffix
attacker=synfw-attacker-$suffix
switch=synfw-switch-$suffix
router=synfw-router-$suffix
server=synfw-server-$suffix
NAMESPACES=()
loaded_here=0
nfail=0
dmesg_mark=$(dmesg | wc -l)

log() { echo "$*"; }

# scaled N: a flood's size, divided by SYNFW_SCALE (the debug lane sets it:
# KASAN under emulation is about ten times slower).
scaled() { echo $(($1 / ${SYNFW_SCALE:-1})); }

skip()
{
	log "SKIP: $*"
	exit $ksft_skip
}

# Record a failure and go on, so one run reports every broken assertion.
fail()
{
	log "FAIL: $*"
	nfail=$((nfail + 1))
}

pass() { log "ok: $*"; }

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq()
{
	if [ "$2" = "$3" ]; then
		pass "$1 ($3)"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# check_ge DESCRIPTION MINIMUM ACTUAL
check_ge()
{
	if [ "$3" -ge "$2" ] 2>/dev/null; then
		pass "$1 ($3 >= $2)"
	else
		fail "$1: expected at least $2, got '$3'"
	fi
}

# check_le DESCRIPTION MAXIMUM ACTUAL
check_le()
{
	if [ "$3" -le "$2" ] 2>/dev/null; then
		pass "$1 ($3 <= $2)"
	else
		fail "$1: expected at most $2, got '$3'"
	fi
}

require_cmd()
{
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null || skip "$c is not installed (scripts/deps.sh)"
	done
}

require_root()
{
	[ "$(id -u)" = 0 ] || skip "needs root"
}

# The kernel must have said nothing alarming since this test began.
check_dmesg()
{
	local splats='WARNING:|BUG:|Oops|general protection|refcount_t:|KASAN:|UBSAN:'
	local new

	new=$(dmesg | tail -n +"$((dmesg_mark + 1))")
	if grep -Eq "$splats" <<<"$new"; then
		fail "the kernel logged a splat:"
		grep -E -A15 "$splats" <<<"$new" | head -n 40
	else
		pass "dmesg clean"
	fi
}

# End a test: exit status from the failures recorded.
finish()
{
	check_dmesg
	if [ "$nfail" -eq 0 ]; then
		log "PASS"
		exit $ksft_pass
	fi
	log "$nfail check(s) failed"
	exit $ksft_fail
}

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

add_ns()
{
	ip netns add "$1"
	NAMESPACES+=("$1")
	nsx "$1" ip link set lo up
}

cleanup_namespaces()
{
	local ns

	for ns in "${NAMESPACES[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	NAMESPACES=()
}

cleanup()
{
	cleanup_namespaces
	[ "$loaded_here" = 1 ] && grep -q '^synfw ' /proc/modules && rmmod synfw
}
trap cleanup EXIT

synfw_load()
{
	[ -e "$SYNFW_KO" ] || skip "$SYNFW_KO not built (make)"
	insmod "$SYNFW_KO" "$@" || { fail "insmod synfw $*"; finish; }
	loaded_here=1
}

synfw_unload()
{
	rmmod synfw || fail "rmmod synfw"
	loaded_here=0
}

# veth_pair NS1 DEV1 NS2 DEV2: a link between two namespaces.
veth_pair()
{
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
	nsx "$1" ip link set "$2" up
	nsx "$3" ip link set "$4" up
	if [ "$SYNFW_OFFLOAD" = off ]; then
		nsx "$1" ethtool -K "$2" tx off rx off >/dev/null
		nsx "$3" ethtool -K "$4" tx off rx off >/dev/null
	fi
}

setup_topology()
{
	require_root
	require_cmd ip ethtool
	modprobe -q veth && modprobe -q bridge || skip "veth or bridge module missing"

	add_ns "$client"
	add_ns "$attacker"
	add_ns "$switch"
	add_ns "$router"
	add_ns "$server"

	nsx "$switch" ip link add br0 type bridge
	nsx "$switch" ip link set br0 up
	veth_pair "$client" eth0 "$switch" p-client
	veth_pair "$attacker" eth0 "$switch" p-attacker
	veth_pair "$router" veth0 "$switch" p-router
	for p in p-client p-attacker p-router; do
		nsx "$switch" ip link set "$p" master br0
	done
	veth_pair "$router" veth1 "$server" eth0

	nsx "$client" ip addr add "$client_ip/24" dev eth0
	nsx "$client" ip route add default via "$router_out_ip"
	nsx "$attacker" ip addr add "$attacker_ip/24" dev eth0
	nsx "$attacker" ip route add default via "$router_out_ip"
	nsx "$router" ip addr add "$router_out_ip/24" dev veth0
	nsx "$router" ip addr add "$router_in_ip/24" dev veth1
	nsx "$router" ip route add "$spoof_net" via "$attacker_ip"
	nsx "$router" sysctl -qw net.ipv4.ip_forward=1
	nsx "$server" ip addr add "$server_ip/24" dev eth0
	nsx "$server" ip route add default via "$router_in_ip"

	# The bridge must forward before the first test packet, not after
	# its learning delay.
	nsx "$switch" ip link set br0 type bridge forward_delay 0 stp_state 0
	wait_ping "$client" "$server_ip" || { fail "topology: no route client -> server"; finish; }
}

# tcp_sink NS PORT: in the background, a server on PORT in NS that takes
# every connection and reads whatever it is sent.
tcp_sink()
{
	nsx "$1" python3 -c '
import socket, sys, threading
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("0.0.0.0", int(sys.argv[1])))
l.listen(64)
def drain(c):
    try:
        while c.recv(65536):
            pass
    except OSError:
        pass
while True:
    threading.Thread(target=drain, args=(l.accept()[0],), daemon=True).start()
' "$2" &
	wait_listen "$1" "$2"
}

# wait_listen NS PORT: until a TCP socket listens on PORT in NS.
wait_listen()
{
	local i

	for i in $(seq 100); do
		nsx "$1" ss -Hltn "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	fail "nothing listens on port $2 in $1"
	return 1
}

# wait_ping NS ADDR: a few tries while links come up.
wait_ping()
{
	local i

	for i in $(seq 20); do
		nsx "$1" ping -q -c1 -W1 "$2" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# stat_all NS: "name=value" for every /proc/net/stat/synfw counter, summed
# over CPUs.
stat_all()
{
	local -a names sums
	local i row

	{
		read -ra names
		while read -ra row; do
			for i in "${!row[@]}"; do
				sums[i]=$(( ${sums[i]:-0} + 16#${row[i]} ))
			done
		done
	} < <(nsx "$1" cat /proc/net/stat/synfw)
	for i in "${!names[@]}"; do
		echo "${names[i]}=${sums[i]:-0}"
	done
}

# wait_for DESCRIPTION SECONDS EXPECTED COMMAND...: until COMMAND prints
# EXPECTED, then check it.
wait_for()
{
	local what=$1 secs=$2 want=$3 got _

	shift 3
	for _ in $(seq $((secs * 4))); do
		got=$("$@")
		[ "$got" = "$want" ] && break
		sleep 0.25
	done
	check_eq "$what" "$want" "$got"
}

# stat_into ARRAY NS: every counter into the associative array ARRAY.
stat_into()
{
	local -n into=$1
	local name v

	while IFS='=' read -r name v; do into[$name]=$v; done < <(stat_all "$2")
}

# stat_get NS NAME: one counter, summed over CPUs.
stat_get()
{
	stat_all "$1" | sed -n "s/^$2=//p" | grep . || echo "no-such-counter"
}

# trafgen_syn_cfg FILE MAC DADDR DPORT: a trafgen configuration of SYNs from
# random sources in 198.18.0.0/15 (routed back to the attacker) to
# DADDR:DPORT, through the router's outside interface (MAC).
trafgen_syn_cfg()
{
	cat >"$1" <<-EOF
	{
	  eth(da=$2),
	  ipv4(sa=198.18.0.0, sa[1]=drnd(18, 19), sa[2:2]=drnd(), da=$3, ttl=64, df, id=drnd()),
	  tcp(sp=drnd(1024, 65535), dp=$4, seq=drnd(), syn, win=64240, doff=6),
	  0x02, 0x04, c16(1460)
	}
	EOF
}

declare -A cap_pid

# cap_start NAME NS DEV FILTER...: capture headers on NS's DEV to
# $tmp/NAME.pcap (tmp: the test's own directory), once tcpdump listens.
cap_start()
{
	local name=$1 ns=$2 dev=$3 _

	shift 3
	# Not through nsx: its subshell would take cap_stop's SIGINT.
	ip netns exec "$ns" tcpdump -i "$dev" -Z root -U --immediate-mode -n -s 128 -B 65536 \
		-w "$tmp/$name.pcap" "$@" 2>"$tmp/$name.err" &
	cap_pid[$name]=$!
	for _ in $(seq 100); do
		grep -q 'listening on' "$tmp/$name.err" && return 0
		sleep 0.1
	done
	fail "tcpdump $name did not start: $(cat "$tmp/$name.err")"
}

# cap_stop NAME: stop a capture, and check the kernel dropped none of it.
cap_stop()
{
	local dropped

	# Let the last segments reach tcpdump's file before it stops.
	sleep 1
	kill -INT "${cap_pid[$1]}"
	wait "${cap_pid[$1]}"
	# tcpdump's "received by filter" is no measure of completeness: it
	# can count a packet that arrived before the filter was attached
	# (seen: 13 received, 12 captured, 12 sent). Completeness is for the
	# test to check, against synfw's counters and the other end.
	dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$tmp/$1.err")
	check_eq "capture $1: no packet dropped by the kernel" 0 "$dropped"
}

# Objects in the module's own slab caches (their names begin with synfw).
synfw_slab_objects()
{
	local c

	# SLUB counts a per-CPU slab as wholly in use: flush those first.
	for c in /sys/kernel/slab/synfw_*/shrink; do
		[ -e "$c" ] && echo 1 >"$c"
	done
	awk '$1 ~ /^synfw/ { n += $2 } END { print n + 0 }' /proc/slabinfo
}
