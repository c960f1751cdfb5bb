#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The two halves of recycle.sh.

tap IFACE OUT: a plain packet socket on IFACE, its receive buffer large
enough for a burst, that reads nothing until OUT.go exists: every frame it
is handed stays queued as a clone of the skb the stack goes on with. Then it
writes the frames it had (incoming only) to OUT as a pcap, and the socket's
drop count to OUT.drops.

check N LINK_PCAP [ROUTER_PCAP]: prints one "ok:" or "FAIL:" line per
check, and exits 1 if any failed. In the capture of the attacker's link,
the N SYNs the flood sent to SERVER:PORT and N SYN/ACKs, each the answer to
one of them (acknowledging its ISN, to its source), checksummed, DF, no IP
options, the MSS option alone. In the router's capture (a tap's clones),
the same N SYNs, byte for byte as on the link: the SYN/ACKs built in the
SYNs' memory did not write over them.
"""

import os
import socket
import struct
import sys
import time

from scapy.all import IP, TCP, Ether, PcapWriter, rdpcap

from wire import sums_ok

SERVER, PORT = "10.0.2.99", 8080
SOL_PACKET, PACKET_STATISTICS = 263, 6
SO_RCVBUFFORCE = 33
# What no SYN/ACK may do, in the order check_synacks() tests it.
FAULTS = ("answer no SYN", "acknowledge another ISN", "come from elsewhere",
          "have a bad checksum", "carry IP options or no DF", "carry more than an MSS option")
failed = 0


def check(what, cond, detail=""):
    global failed
    print(f"ok: {what}" if cond else f"FAIL: {what} {detail}")
    failed += not cond


def tap(iface, out):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 256 << 20)
    s.bind((iface, 0))
    open(out + ".ready", "w").close()
    while not os.path.exists(out + ".go"):
        time.sleep(0.1)
    frames = []
    while True:
        try:
            data, addr = s.recvfrom(65536, socket.MSG_DONTWAIT)
        except BlockingIOError:
            break
        if addr[2] != socket.PACKET_OUTGOING:
            frames.append(data)
    _, drops = struct.unpack("II", s.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))
    w = PcapWriter(out, linktype=1, sync=True)
    for f in frames:
        w.write(Ether(f))
    w.close()
    with open(out + ".drops", "w") as f:
        f.write(f"{drops}\n")


def syns(pkts):
    return [p for p in pkts if TCP in p and p[TCP].flags == "S" and p[IP].dst == SERVER
            and p[TCP].dport == PORT]


def check_synacks(n, pkts):
    sent = {(p[IP].src, p[TCP].sport): p[TCP].seq for p in syns(pkts)}
    check(f"link: the {n} SYNs sent", len(sent) == n, str(len(sent)))
    back = [p for p in pkts if TCP in p and p[TCP].flags == "SA"]
    check(f"link: {n} SYN/ACKs back", len(back) == n, str(len(back)))
    faults = {what: 0 for what in FAULTS}
    for p in back:
        ip, th = p[IP], p[TCP]
        isn = sent.pop((ip.dst, th.dport), None)
        for what, ok in zip(FAULTS, (
                isn is not None,
                isn is None or th.ack == (isn + 1) % 2**32,
                ip.src == SERVER and th.sport == PORT,
                sums_ok(bytes(ip)),
                ip.ihl == 5 and ip.flags == "DF",
                [o[0] for o in th.options] == ["MSS"])):
            faults[what] += not ok
    for what, count in faults.items():
        check(f"link: no SYN/ACK that would {what}", not count, str(count))


def check_tapped(n, link, router):
    sent = {bytes(p[IP]) for p in syns(link)}
    seen = [bytes(p[IP]) for p in syns(router)]
    check(f"router's tap: the {n} SYNs", len(seen) == n, str(len(seen)))
    changed = sum(b not in sent for b in seen)
    check("router's tap: each as it was on the link", not changed, f"{changed} differ")


def main():
    if sys.argv[1] == "tap":
        tap(sys.argv[2], sys.argv[3])
        return 0
    n, link = int(sys.argv[2]), rdpcap(sys.argv[3])
    check_synacks(n, link)
    if len(sys.argv) > 4:
        check_tapped(n, link, rdpcap(sys.argv[4]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
