#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted handshakes against synfw, run in the client namespace.

Each case sends SYNs and ACKs with scapy and asserts the outcome on the wire
and the exact change of synfw's counters in the router namespace. Prints one
"ok: ..." or "FAIL: ..." line per check; exits 1 if any check failed.

usage: handshake.py ROUTER_NS SERVER_RECV_DIR
"""

import os
import socket
import subprocess
import sys
import time

from scapy.all import IP, TCP, Raw, conf, send, sniff, sr1  # noqa: E402

conf.verb = 0
CLIENT, SERVER, PORT = "10.0.1.99", "10.0.2.99", 8080
ROUTER, RECV_DIR = sys.argv[1], sys.argv[2]
OPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1000, 0)), ("NOP", None),
        ("WScale", 7)]
failed = 0


def check(what, cond, detail=""):
    global failed
    if cond:
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAIL: {what} {detail}")


def counters():
    text = subprocess.run(["ip", "netns", "exec", ROUTER, "cat", "/proc/net/stat/synfw"],
                          capture_output=True, text=True, check=True).stdout.split("\n")
    names = text[0].split()
    sums = dict.fromkeys(names, 0)
    for row in text[1:]:
        for name, val in zip(names, row.split()):
            sums[name] += int(val, 16)
    return sums


def delta(before, **want):
    after = counters()
    got = {k: after[k] - before[k] for k in after}
    for name, n in want.items():
        check(f"  {name} +{n}", got[name] == n, f"(got +{got[name]})")
    others = {k: v for k, v in got.items() if v and k not in want}
    check("  no other counter moved", not others, str(others))


def param(name, value):
    with open(f"/sys/module/synfw/parameters/{name}", "w") as f:
        f.write(str(value))


def syn(sport, isn, opts=OPTS):
    return sr1(IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=PORT, flags="S", seq=isn,
                                                 window=64240, options=opts), timeout=3)


def tsval(pkt):
    return dict(pkt[TCP].options).get("Timestamp", (None, None))[0]


def ack(sport, seq, ack_no, tsecr, data=b"", flags="A"):
    pkt = IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=PORT, flags=flags, seq=seq,
                                            ack=ack_no, window=502,
                                            options=[("NOP", None), ("NOP", None),
                                                     ("Timestamp", (1100, tsecr))])
    send(pkt / Raw(data) if data else pkt)


def silence(sport, secs=1.5):
    """What the client receives on this port for a while: nothing, for a drop."""
    return sniff(filter=f"tcp and src host {SERVER} and dst port {sport}", timeout=secs)


def received(sport):
    path = os.path.join(RECV_DIR, str(sport))
    for _ in range(50):
        if os.path.exists(path):
            with open(path, "rb") as f:
                return f.read()
        time.sleep(0.1)
    return None


def retransmitted_syn():
    print("# a retransmitted SYN gets the same SYN/ACK")
    before = counters()
    a, b = syn(41001, 1000), syn(41001, 1000)
    check("two SYN/ACKs", a is not None and b is not None)
    if a and b:
        check("same sequence number", a.seq == b.seq, f"{a.seq} {b.seq}")
        check("same timestamp value", tsval(a) == tsval(b))
        check("acknowledges the ISN", a.ack == 1001)
        check("same bytes", bytes(a[TCP]) == bytes(b[TCP]))
    delta(before, syn_received=2, synack_sent=2)


def data_for_lost_ack():
    print("# data in place of a lost ACK opens the connection, unshifted")
    before = counters()
    sa = syn(41002, 2000)
    payload = b"hello-lost-ack"
    reply = sniff(filter=f"tcp and src host {SERVER} and dst port 41002", count=1, timeout=5,
                  started_callback=lambda: ack(41002, 2001, sa.seq + 1, tsval(sa), payload,
                                               "PA"))
    check("server received the bytes", received(41002) == payload, repr(received(41002)))
    check("client got the server's ACK", len(reply) == 1)
    if reply:
        r = reply[0][TCP]
        check("ACK covers the data", r.ack == 2001 + len(payload), str(r.ack))
        check("server sequence continues the cookie", r.seq == sa.seq + 1,
              f"{r.seq} vs {sa.seq + 1}")
    delta(before, syn_received=1, synack_sent=1, cookie_valid=1, flows_created=1, data_held=1)


def shifted_data():
    print("# data shifted by n bytes in place of the ACK never opens a connection")
    before = counters()
    sa = syn(41003, 3000)
    for n in (1, 5, 1000):
        ack(41003, 3001 + n, sa.seq + 1, tsval(sa), b"x" * 10, "PA")
    check("nothing comes back", len(silence(41003)) == 0)
    check("server received nothing", received(41003) is None)
    delta(before, syn_received=1, synack_sent=1, cookie_invalid=3)


def duplicate_ack():
    print("# a duplicate ACK opens one flow")
    before = counters()
    sa = syn(41004, 4000)
    ack(41004, 4001, sa.seq + 1, tsval(sa))
    ack(41004, 4001, sa.seq + 1, tsval(sa))
    time.sleep(1)
    delta(before, syn_received=1, synack_sent=1, cookie_valid=1, flows_created=1)


def bad_cookies():
    print("# wrong, replayed and expired cookies are dropped silently")
    before = counters()
    sa = syn(41005, 5000)
    ack(41005, 5001, sa.seq + 2, tsval(sa))                 # wrong cookie
    ack(41005, 5001, sa.seq + 1, tsval(sa) ^ 0x400)         # wrong timestamp echo
    ack(41006, 5001, sa.seq + 1, tsval(sa))                 # another 4-tuple
    check("nothing comes back", len(silence(41005)) + len(silence(41006, 0.5)) == 0)
    delta(before, syn_received=1, synack_sent=1, cookie_invalid=3)

    param("key_rotate_s", 1)                                # renews both keys
    before = counters()
    sa = syn(41008, 8000)
    time.sleep(2.2)                                         # two slots later
    ack(41008, 8001, sa.seq + 1, tsval(sa))
    check("expired: nothing comes back", len(silence(41008)) == 0)
    param("key_rotate_s", 3600)
    delta(before, syn_received=1, synack_sent=1, cookie_invalid=1)


def flow_line(sport):
    text = subprocess.run(["ip", "netns", "exec", ROUTER, "cat", "/proc/net/synfw/flows"],
                          capture_output=True, text=True, check=True).stdout
    return next((line.split() for line in text.split("\n")
                 if line.startswith(f"{CLIENT}:{sport} ")), None)


def told_shift():
    print("# the shift a SYN/ACK told is the flow's, whatever is learned before its ACK")
    server_ns = ROUTER.replace("router", "server")
    sa = syn(41010, 10000)
    told = dict(sa[TCP].options).get("WScale") if sa else None
    check("the SYN/ACK tells the server's shift, 7", told == 7, str(told))
    # The server's shift becomes 5, and synfw learns it from a connection.
    subprocess.run(["ip", "netns", "exec", server_ns, "sysctl", "-qw",
                    "net.ipv4.tcp_rmem=4096 131072 1048576"], check=True)
    s = socket.create_connection((SERVER, PORT), timeout=10)
    s.sendall(b"learn")
    s.close()
    ack(41010, 10001, sa.seq + 1, tsval(sa), b"told", "PA")
    check("server received the bytes", received(41010) == b"told", repr(received(41010)))
    line = flow_line(41010)
    check("the flow keeps the shift told, 7, and rescales the server's 5",
          line is not None and line[7:9] == ["7", "5"], str(line))
    subprocess.run(["ip", "netns", "exec", server_ns, "sysctl", "-qw",
                    "net.ipv4.tcp_rmem=4096 131072 6291456"], check=True)


def main():
    param("key_rotate_s", 3600)
    retransmitted_syn()
    data_for_lost_ack()
    shifted_data()
    duplicate_ack()
    bad_cookies()
    told_shift()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
