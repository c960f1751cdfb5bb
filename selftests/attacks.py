#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The border-router battery, run in the attacker namespace (see attacks.sh).

Each case sends crafted packets with scapy, straight to the router's MAC,
and asserts what came back to the attacker, what reached the server (a
capture in the server namespace, read at the end), and the exact change of
synfw's counters. Prints one "ok: ..." or "FAIL: ..." line per check; exits
1 if any failed.

usage: attacks.py ROUTER_NS ROUTER_MAC SERVER_PCAP
"""

import os
import struct
import subprocess
import sys
import time

from scapy.all import (IP, TCP, Ether, Raw, conf, fragment, rdpcap, sendp, sniff)
from scapy.utils import checksum

from wire import sums_ok

conf.verb = 0
ME, SERVER, PORT, IFACE = "10.0.1.66", "10.0.2.99", 8080, "eth0"
ROUTER, ROUTER_MAC, PCAP = sys.argv[1], sys.argv[2], sys.argv[3]
OPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1000, 0)), ("NOP", None),
        ("WScale", 7)]
failed = 0
cases = 0
unseen = []          # source ports the server must never have seen
seen = []            # and ports it must have seen


def check(what, cond, detail=""):
    global failed
    print(f"ok: {what}" if cond else f"FAIL: {what} {detail}")
    failed += not cond


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


def exchange(pkts, sport, secs=1.0):
    """Send pkts (IP layer up) and collect what comes back to sport."""
    pkts = pkts if isinstance(pkts, list) else [pkts]
    return sniff(iface=IFACE, filter=f"tcp and dst host {ME} and dst port {sport}", timeout=secs,
                 started_callback=lambda: sendp([Ether(dst=ROUTER_MAC) / p for p in pkts],
                                                iface=IFACE))


def tcp_bytes(src, dst, sport, flags, seq=1000, ack=0, opts=b"", doff=None, data=b"",
              bad_csum=False):
    """A TCP header by hand, for what scapy will not build: any doff, any options."""
    doff = doff if doff is not None else (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, PORT, seq, ack, doff << 4, flags, 64240, 0, 0)
    seg = hdr + opts + data
    pseudo = struct.pack("!4s4sBBH", bytes(map(int, src.split("."))),
                         bytes(map(int, dst.split("."))), 0, 6, len(seg))
    csum = checksum(pseudo + seg) ^ (0xffff if bad_csum else 0)
    return seg[:16] + struct.pack("!H", csum) + seg[18:]


def raw(sport, flags, src=ME, dst=SERVER, **kw):
    return IP(src=src, dst=dst, proto=6) / Raw(tcp_bytes(src, dst, sport, flags, **kw))


F, S, R, P, A, U = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20


def silent(name, pkt, sport, **want):
    """pkt is dropped: nothing back, nothing at the server, counters as said."""
    global cases
    cases += 1
    print(f"# {name}")
    before = counters()
    check("nothing comes back", not exchange(pkt, sport))
    unseen.append(sport)
    delta(before, **want)


def answered(name, pkt, sport, test=None, **want):
    """pkt is a SYN synfw answers with a SYN/ACK of its own (test judges it)."""
    global cases
    cases += 1
    print(f"# {name}")
    before = counters()
    back = [p for p in exchange(pkt, sport) if p[TCP].flags == "SA"]
    check("one SYN/ACK back", len(back) == 1, str(len(back)))
    if back:
        check("its checksums hold", sums_ok(bytes(back[0][IP])))
    if back and test:
        test(back[0])
    unseen.append(sport)
    delta(before, syn_received=1, synack_sent=1, **want)


def illegal_flags():
    combos = {"SYN+FIN": S | F, "SYN+FIN+PSH": S | F | P, "SYN+FIN+RST": S | F | R,
              "SYN+FIN+URG": S | F | U, "SYN+FIN+PSH+RST+URG": S | F | P | R | U,
              "SYN+RST": S | R, "NULL": 0, "XMAS": F | P | U, "XMAS+ACK": F | P | U | A,
              "FIN alone": F, "FIN+PSH without ACK": F | P, "SYN+ACK for no flow": S | A}
    for i, (name, flags) in enumerate(combos.items()):
        silent(f"illegal flags: {name}", raw(42000 + i, flags, ack=5 if flags & A else 0),
               42000 + i, illegal_flags=1)


def land_and_martians():
    silent("Land: source = destination, same port",
           IP(src=SERVER, dst=SERVER) / TCP(sport=PORT, dport=PORT, flags="S"), PORT, land=1)
    silent("Land: source = destination, other port",
           IP(src=SERVER, dst=SERVER) / TCP(sport=42100, dport=PORT, flags="S"), 42100, land=1)
    for i, src in enumerate(["0.1.2.3", "127.0.0.1", "224.0.0.5", "240.0.0.1",
                             "255.255.255.255", "10.0.1.1", "10.0.2.1", "10.0.1.255"]):
        silent(f"martian source {src}",
               IP(src=src, dst=SERVER) / TCP(sport=42110 + i, dport=PORT, flags="S"),
               42110 + i, martian=1)


def malformed():
    silent("SYN with a bad TCP checksum", raw(42200, S, bad_csum=True), 42200,
           syn_received=1, bad_checksum=1)
    silent("TCP data offset 4", raw(42201, S, doff=4), 42201, malformed=1)
    silent("TCP data offset 15 past the end", raw(42202, S, doff=15), 42202, malformed=1)
    short = raw(42203, S)
    short[IP].len = 20 + 12
    silent("IP total length cuts the TCP header", short, 42203, malformed=1)
    bad_ihl = IP(bytes(IP(src=ME, dst=SERVER, proto=6) / Raw(tcp_bytes(ME, SERVER, 42204, S))))
    bad_ihl.ihl, bad_ihl.chksum = 4, None
    silent("IP header length 4 (the kernel's ip_rcv drops it)", bad_ihl, 42204)
    long = raw(42205, S)
    long[IP].len = 400
    silent("IP total length past the packet (ip_rcv drops it)", long, 42205)
    frag = fragment(IP(src=ME, dst=SERVER, id=4242) / TCP(sport=42206, dport=PORT, flags="S") /
                    Raw(b"x" * 64), fragsize=32)[1]
    silent("a lone non-first fragment is never parsed as TCP", frag, 42206)


def option_errors():
    mss = b"\x02\x04\x05\xb4"
    errs = {"option length 0": mss + b"\x08\x00\x01\x01",
            "option length 1": mss + b"\x03\x01\x01\x01",
            "option past the area": mss + b"\x03\x08\x07\x00",
            "lone trailing byte": mss + b"\x01\x01\x01\x03",
            "MSS of the wrong length": b"\x02\x03\x05\x01"}
    for i, (name, opts) in enumerate(errs.items()):
        answered(f"option error, answered from what came before: {name}",
                 raw(42300 + i, S, opts=opts), 42300 + i, bad_options=1)


def no_unknown_option(sa):
    kinds = [o[0] for o in sa[TCP].options]
    check("no unknown option echoed", all(isinstance(k, str) for k in kinds), str(kinds))


def legal_oddities():
    answered("40 bytes of NOPs", raw(42400, S, opts=b"\x01" * 40), 42400)
    answered("duplicate MSS", raw(42401, S, opts=b"\x02\x04\x04\xb0\x02\x04\x05\xb4"), 42401)
    answered("duplicate window scale", raw(42402, S, opts=b"\x03\x03\x02\x03\x03\x09\x01\x01"),
             42402)
    answered("MSS 0", raw(42403, S, opts=b"\x02\x04\x00\x00"), 42403)
    answered("window scale 15", raw(42404, S, opts=b"\x03\x03\x0f\x01"), 42404)
    answered("IP options are not copied",
             IP(src=ME, dst=SERVER, options=b"\x01\x01\x01\x00") /
             TCP(sport=42405, dport=PORT, flags="S", options=OPTS), 42405,
             test=lambda sa: check("reply has no IP options", sa[IP].ihl == 5, str(sa[IP].ihl)))
    answered("a SYN with payload: only the ISN is acknowledged",
             IP(src=ME, dst=SERVER) / TCP(sport=42406, dport=PORT, flags="S", seq=7000) /
             Raw(b"early"), 42406,
             test=lambda sa: check("ack is ISN + 1", sa[TCP].ack == 7001, str(sa[TCP].ack)))
    answered("an unknown option is not echoed",
             raw(42407, S, opts=b"\x02\x04\x05\xb4\x63\x04\xab\xcd"), 42407,
             test=no_unknown_option)
    global cases
    cases += 1
    print("# a SYN in two fragments is reassembled and answered")
    before = counters()
    # Another IP ID than the lone fragment's, whose queue is still there.
    parts = fragment(IP(src=ME, dst=SERVER, id=4343) / TCP(sport=42408, dport=PORT, flags="S",
                                                  options=OPTS), fragsize=16)
    back = [p for p in exchange(parts, 42408) if p[TCP].flags == "SA"]
    check("one SYN/ACK back", len(back) == 1)
    unseen.append(42408)
    delta(before, syn_received=1, synack_sent=1)


def wrong_cookies():
    silent("an ACK with a wrong cookie",
           IP(src=ME, dst=SERVER) / TCP(sport=42500, dport=PORT, flags="A", seq=1, ack=12345),
           42500, cookie_invalid=1)
    global cases
    cases += 1
    print("# 300 wrong cookies from one source, fast: an alert a second at most")
    param("spoof_alert", 50)        # scapy under emulation sends a few hundred a second
    burst = [bytes(Ether(dst=ROUTER_MAC) / IP(src=ME, dst=SERVER) /
                   TCP(sport=42501 + i, dport=PORT, flags="A", seq=i, ack=99 + i))
             for i in range(300)]
    sock = conf.L2socket(iface=IFACE)
    before = counters()
    t0 = time.monotonic()
    for frame in burst:
        sock.send(frame)
    secs = time.monotonic() - t0
    sock.close()
    time.sleep(0.5)
    after = counters()
    param("spoof_alert", 100)
    alerts = after["spoof_alerts"] - before["spoof_alerts"]
    check("  cookie_invalid +300", after["cookie_invalid"] - before["cookie_invalid"] == 300)
    # The counts start afresh each second: one alert in each second the
    # burst filled past 50.
    check(f"  spoof_alerts +1..{int(secs) + 2} (sent in {secs:.1f} s)",
          1 <= alerts <= int(secs) + 2, str(alerts))
    log = subprocess.run(["dmesg"], capture_output=True, text=True).stdout
    check("the kernel log names the source and the service",
          f"synfw: {ME} sent 50 wrong cookies to {SERVER}:{PORT} within a second" in log)


class Conn:
    """A connection scapy opens through synfw: sequence numbers in hand."""

    def __init__(self, sport, isn, opts=(("MSS", 1460),)):
        self.sport, self.seq = sport, isn + 1
        sa = [p for p in exchange(IP(src=ME, dst=SERVER) /
                                  TCP(sport=sport, dport=PORT, flags="S", seq=isn,
                                      options=list(opts)), sport)
              if p[TCP].flags == "SA"]
        self.ack = sa[0][TCP].seq + 1 if sa else 0
        self.send("A")
        time.sleep(0.5)

    def pkt(self, flags, data=b"", seq=None, ack=None):
        return (IP(src=ME, dst=SERVER) /
                TCP(sport=self.sport, dport=PORT, flags=flags,
                    seq=(self.seq if seq is None else seq) % 2**32,
                    ack=(self.ack if ack is None else ack) % 2**32, window=502) / Raw(data))

    def send(self, flags, data=b""):
        back = exchange(self.pkt(flags, data), self.sport, 1.0)
        self.seq += len(data)
        return back


def flow_fields(sport):
    """The flows file's line for sport: outside inside state spliced fin_out fin_in ..."""
    text = subprocess.run(["ip", "netns", "exec", ROUTER, "cat", "/proc/net/synfw/flows"],
                          capture_output=True, text=True, check=True).stdout
    for line in text.split("\n")[1:]:
        f = line.split()
        if f and f[0] == f"{ME}:{sport}":
            return f
    return None


def flow_state(sport):
    f = flow_fields(sport)
    return f[2] if f else None


def step(name, pkt, sport, back_flags, **want):
    global cases
    cases += 1
    print(f"# {name}")
    before = counters()
    back = exchange(pkt, sport)
    got = [str(p[TCP].flags) for p in back]
    check(f"answer {back_flags or 'none'}", got == ([back_flags] if back_flags else []), str(got))
    delta(before, **want)


def desync():
    c = Conn(42600, 100000)
    check("the connection opened", c.ack != 0 and flow_state(42600) == "OPEN",
          str(flow_state(42600)))
    c.send("PA", b"GOOD-1")
    bad = c.pkt("FA")
    bad[TCP].chksum = 0xdead
    step("a FIN with a bad checksum is dropped", bad, 42600, None, bad_checksum=1)
    f = flow_fields(42600)
    check("  the flow is open, no FIN recorded", f is not None and f[2:5] == ["OPEN", "1", "0"],
          str(f))
    step("data far past the server's window is dropped",
         c.pkt("PA", b"EVIL-1", seq=c.seq + 50_000_000), 42600, None, out_of_window=1)
    step("data a window behind is dropped", c.pkt("PA", b"EVIL-2", seq=c.seq - 50_000_000),
         42600, None, out_of_window=1)
    step("an ACK of data the server never sent is dropped",
         c.pkt("PA", b"EVIL-3", ack=c.ack + 1_000_000), 42600, None, out_of_window=1)
    step("a RST out of the window is dropped", c.pkt("R", seq=c.seq + 50_000_000), 42600, None,
         out_of_window=1)
    step("a RST in the window, not exact: passed on, challenge ACK",
         c.pkt("R", seq=c.seq + 100), 42600, "A", rst_challenged=1)
    check("  the flow is still open", flow_state(42600) == "OPEN", str(flow_state(42600)))
    step("a SYN on a live flow reaches the server: challenge ACK",
         IP(src=ME, dst=SERVER) / TCP(sport=42600, dport=PORT, flags="S", seq=555), 42600, "A")
    step("a SYN/ACK from outside on a live flow is dropped",
         c.pkt("SA", seq=c.seq), 42600, None, illegal_flags=1)
    step("a RST at exactly the next sequence resets", c.pkt("R"), 42600, None)
    check("  the flow is closing", flow_state(42600) == "CLOSING", str(flow_state(42600)))
    reopen = counters()
    d = Conn(42600, 900000)
    check("the same ports reopen with a new cookie", d.ack != 0 and flow_state(42600) == "OPEN",
          str(flow_state(42600)))
    d.send("PA", b"GOOD-2")
    delta(reopen, syn_received=1, synack_sent=1, cookie_valid=1, flows_created=1)
    seen.append(42600)


def largest_windows():
    """RFC 5961 bounds from the largest window each end advertised, in its own shift."""
    c = Conn(42650, 300000, (("MSS", 1460), ("NOP", None), ("WScale", 7)))
    check("a connection with window scaling opened", c.ack != 0 and flow_state(42650) == "OPEN",
          str(flow_state(42650)))
    c.send("PA", b"GOOD-3")
    # Both ends shift by 7 and have advertised about 64 KB: 1 MB is far past
    # either's largest window, and well inside 65535 << 7.
    step("a retransmission inside the server's window passes: a duplicate ACK",
         c.pkt("PA", b"GOOD-3", seq=c.seq - 6), 42650, "A")
    step("data 1 MB behind: past the server's largest window, inside 65535 << 7",
         c.pkt("PA", b"EVIL-4", seq=c.seq - 1_000_000), 42650, None, out_of_window=1)
    step("an ACK 1 MB behind: past the client's largest window, inside 65535 << 7",
         c.pkt("PA", b"EVIL-5", ack=c.ack - 1_000_000), 42650, None, out_of_window=1)
    seen.append(42650)


def held_fin():
    """Data and a FIN on the ACK that completes the handshake: held, then tracked."""
    global cases
    cases += 1
    sport = 42700
    print("# data and a FIN on the handshake's last ACK")
    before = counters()
    sa = [p for p in exchange(IP(src=ME, dst=SERVER) /
                              TCP(sport=sport, dport=PORT, flags="S", seq=7000,
                                  options=[("MSS", 1460)]), sport)
          if p[TCP].flags == "SA"]
    check("a SYN/ACK", len(sa) == 1, str(len(sa)))
    ack = sa[0][TCP].seq + 1 if sa else 0
    back = exchange(IP(src=ME, dst=SERVER) /
                    TCP(sport=sport, dport=PORT, flags="FPA", seq=7001, ack=ack) /
                    Raw(b"HELD-1"), sport, 2.0)
    check("  the server acknowledges the data and the FIN",
          any(p[TCP].ack == 7008 for p in back), str([(p[TCP].flags, p[TCP].ack) for p in back]))
    f = flow_fields(sport)
    check("  the flow records the client's FIN", f is not None and f[4] == "1", str(f))
    delta(before, syn_received=1, synack_sent=1, cookie_valid=1, flows_created=1, data_held=1)
    seen.append(sport)


def server_saw():
    time.sleep(1)
    pkts = [p for p in rdpcap(PCAP) if TCP in p and p[IP].dst == SERVER]
    sports = {p[TCP].sport for p in pkts}
    payload = b"".join(bytes(p[TCP].payload) for p in pkts)
    for port in unseen:
        check(f"server saw nothing from port {port}", port not in sports)
    for port in seen:
        check(f"server saw port {port}", port in sports)
    for mark in (b"GOOD-1", b"GOOD-2", b"GOOD-3", b"HELD-1"):
        check(f"server got {mark.decode()}", mark in payload)
    for mark in (b"EVIL-1", b"EVIL-2", b"EVIL-3", b"EVIL-4", b"EVIL-5"):
        check(f"server never got {mark.decode()}", mark not in payload)


for part in (illegal_flags, land_and_martians, malformed, option_errors, legal_oddities,
             wrong_cookies, desync, largest_windows, held_fin):
    part()
server_saw()
print(f"cases: {cases}")
sys.exit(1 if failed else 0)
