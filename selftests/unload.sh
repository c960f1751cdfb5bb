#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading synfw while connections are spliced and a SYN flood runs: the
# unload succeeds without a kernel complaint, both ends of every spliced
# connection are reset (they fail fast instead of hanging), and nothing of
# synfw is left (slab cache, proc files).

source "$(dirname "$0")/lib.sh"

require_cmd python3 hping3

conns=5
synfw_load protect="$server_ip:8080" adopt_s=0
setup_topology
res=$(mktemp -d)

# Echo server: records how each connection ended.
nsx "$server" python3 -c '
import errno, socket, sys, threading
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("0.0.0.0", 8080))
l.listen(16)
def echo(c):
    try:
        while True:
            d = c.recv(65536)
            if not d:
                print("EOF", flush=True)
                return
            c.sendall(d)
    except OSError as e:
        print(errno.errorcode[e.errno], flush=True)
while True:
    threading.Thread(target=echo, args=(l.accept()[0],)).start()
' >"$res/server" &
wait_listen "$server" 8080

# Clients keep talking until something ends their connection.
nsx "$client" python3 -c '
import errno, socket, sys, threading, time
n = int(sys.argv[1])
socks = [socket.create_connection(("10.0.2.99", 8080), timeout=20) for _ in range(n)]
print("connected", flush=True)
def talk(s):
    try:
        while True:
            s.sendall(b"x" * 1000)
            got = 0
            while got < 1000:
                d = s.recv(1000 - got)
                if not d:
                    print("EOF", flush=True)
                    return
                got += len(d)
            time.sleep(0.05)
    except OSError as e:
        print(errno.errorcode[e.errno], flush=True)
ts = [threading.Thread(target=talk, args=(s,)) for s in socks]
for t in ts:
    t.start()
for t in ts:
    t.join()
' $conns >"$res/client" &
client_pid=$!
for i in $(seq 100); do grep -q connected "$res/client" && break; sleep 0.1; done
check_eq "connections spliced" $conns "$(nsx "$router" cat /proc/net/synfw/live)"

nsx "$attacker" hping3 -q -S -p 8080 --flood --rand-source "$server_ip" >/dev/null 2>&1 &
flood_pid=$!
# However fast this kernel answers (KASAN under emulation is slow).
for _ in $(seq 240); do
	[ "$(stat_get "$router" syn_received)" -ge 1000 ] && break
	sleep 0.25
done
check_ge "the flood is being answered" 1000 "$(stat_get "$router" syn_received)"

synfw_unload
# Both ends learn at once: no retransmission timeout to wait for.
for i in $(seq 50); do
	[ "$(grep -c ECONNRESET "$res/client")" = $conns ] && break
	sleep 0.1
done
kill $flood_pid
wait $client_pid
check_eq "every client was reset" $conns "$(grep -c ECONNRESET "$res/client")"
check_eq "every server connection was reset" $conns "$(grep -c ECONNRESET "$res/server")"
check_eq "no synfw slab cache left" 0 "$(grep -c '^synfw' /proc/slabinfo)"
check_eq "no counters file left" no "$(nsx "$router" test -e /proc/net/stat/synfw && echo yes || echo no)"
rm -rf "$res"
finish
