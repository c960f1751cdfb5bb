#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted SYNs and capture analysis for options.sh (plain sockets, no scapy).

    probe OUT --port P --sport N  from the client namespace: one crafted
                            SYN per option set (and one asking for ECN) to
                            the server's port P, each from its own port
                            (N, N + 1, ...); the SYN/ACK that answers each is
                            kept, as received, in OUT
    compare SERVER SYNFW    two probe files: the server's own SYN/ACKs and
                            synfw's, field by field
    syns CLIENT SERVER SPEC...  part 1: the client's SYN and the SYN the
                            server received for each connection
                            (SPEC = tag:port:ts:ws:sack:mss); the SYNs
                            captured at each end, counted
    segments CLIENT SERVER PORT  part 3: every segment of the last
                            connection from client port PORT, as each end
                            captured it

Reports one line per assertion for the shell, tab-separated:

    check  WHAT  EXPECTED  ACTUAL
    value  NAME  NUMBER
"""

import argparse
import socket
import struct
import sys
import time

SERVER_PORT = 8080
# synfw's cookie MSS table (module/cookie.c).
MSS_TABLE = (536, 1200, 1300, 1380, 1420, 1440, 1452, 1460)
FIN, SYN, RST, ACK, ECE, CWR = 0x01, 0x02, 0x04, 0x10, 0x40, 0x80
# The option sets: timestamps, window scaling, SACK, as the sysctls name them.
OPTSETS = [(ts, ws, sack) for ts in (1, 0) for ws in (1, 0) for sack in (1, 0)]


def report(kind, *fields):
    print("\t".join([kind] + [str(f) if str(f) != "" else "-" for f in fields]))


def check(what, expected, actual):
    report("check", what, expected, actual)


def setname(ts, ws, sack):
    return f"ts{ts}-ws{ws}-sack{sack}"


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def tcp_csum(src, dst, seg):
    return csum(src + dst + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(seg)) + seg)


class Seg:
    """One IPv4 TCP segment, from its IP header on (possibly truncated)."""

    def __init__(self, pkt):
        ihl = (pkt[0] & 15) * 4
        self.pkt = pkt
        self.ip = pkt[:ihl]
        self.tos = pkt[1]
        self.totlen, self.id, self.frag = struct.unpack("!HHH", pkt[2:8])
        self.ttl = pkt[8]
        self.proto = pkt[9]
        self.src = socket.inet_ntoa(pkt[12:16])
        self.dst = socket.inet_ntoa(pkt[16:20])
        t = pkt[ihl:]
        self.tcp = t
        (self.sport, self.dport, self.seq, self.ack, off, flags, self.win, self.check,
         self.urg) = struct.unpack("!HHIIBBHHH", t[:20])
        self.doff = (off >> 4) * 4
        self.flags = flags | (off & 1) << 8
        self.opts = t[20:self.doff]
        self.paylen = self.totlen - ihl - self.doff
        self.opt = parse_options(self.opts)

    def csums_ok(self):
        ip_ok = csum(self.ip) == 0
        seg = self.tcp[:self.totlen - len(self.ip)]
        tcp_ok = tcp_csum(self.pkt[12:16], self.pkt[16:20], seg) == 0
        return f"ip {'ok' if ip_ok else 'BAD'} tcp {'ok' if tcp_ok else 'BAD'}"


def parse_options(opts):
    """kind -> (offset, bytes) of the first option of each kind."""
    found, i = {}, 0
    while i < len(opts) and opts[i] != 0:
        if opts[i] == 1:
            i += 1
            continue
        if i + 1 >= len(opts) or opts[i + 1] < 2:
            break
        found.setdefault(opts[i], (i, opts[i:i + opts[i + 1]]))
        i += opts[i + 1]
    return found


def offered(seg):
    """The handshake options of a SYN: ts, ws (shift or -), sack, mss."""
    o = seg.opt
    ws = o[3][1][2] if 3 in o else "-"
    mss = struct.unpack("!H", o[2][1][2:4])[0] if 2 in o else "-"
    return int(8 in o), ws, int(4 in o), mss


def flagstr(flags):
    names = "FSRPAUECN"
    return "".join(n for i, n in enumerate(names) if flags & 1 << i) or "-"


def pcap(path):
    """The IPv4 TCP segments of a pcap file (Ethernet or Linux cooked)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    e = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    link = struct.unpack(e + "I", data[20:24])[0]
    hdr = {1: 14, 113: 16}[link]
    segs, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if pkt[hdr - 2:hdr] == b"\x08\x00" and pkt[hdr + 9] == socket.IPPROTO_TCP:
            segs.append(Seg(pkt[hdr:]))
    return segs


# probe: crafted SYNs, as a Linux client lays out its options.
def syn_options(ts, ws, sack, tsval):
    o = struct.pack("!BBH", 2, 4, 1460)
    if ts:
        o += bytes([4, 2] if sack else [1, 1]) + struct.pack("!BBII", 8, 10, tsval, 0)
    elif sack:
        o += bytes([1, 1, 4, 2])
    if ws:
        o += bytes([1, 3, 3, 7])
    return o


def probes():
    """name, flags, options set; the same ISN and TSval in every run."""
    out = [(setname(*s), SYN, s) for s in OPTSETS]
    out.append(("ecn-" + setname(1, 1, 1), SYN | ECE | CWR, (1, 1, 1)))
    return out


def probe(args):
    src, dst = socket.inet_aton(args.src), socket.inet_aton(args.server)
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    lines, status = [], 0
    for i, (name, flags, s) in enumerate(probes()):
        sport, isn = args.sport + i, 0x1e550000 + i
        opts = syn_options(*s, tsval=0x7e570000 + i)
        seg = struct.pack("!HHIIBBHHH", sport, args.port, isn, 0,
                          (20 + len(opts)) // 4 << 4, flags, 64240, 0, 0) + opts
        seg = seg[:16] + struct.pack("!H", tcp_csum(src, dst, seg)) + seg[18:]
        sock.sendto(seg, (args.server, 0))
        deadline = time.monotonic() + 5
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                print(f"{name}: no SYN/ACK to port {sport}", file=sys.stderr)
                status = 1
                break
            sock.settimeout(left)
            try:
                pkt = sock.recv(65535)
            except socket.timeout:
                continue
            r = Seg(pkt)
            if (r.src == args.server and r.sport == args.port and r.dport == sport and
                    r.flags & (SYN | ACK) == SYN | ACK):
                lines.append(f"{name} {pkt.hex()}\n")
                break
    with open(args.out, "w") as f:
        f.writelines(lines)
    return status


def read_probes(path):
    with open(path) as f:
        return {n: Seg(bytes.fromhex(h)) for n, h in (line.split() for line in f)}


def masked_options(seg):
    """The option bytes in hex, the TSval (synfw's is its cookie) masked."""
    h = seg.opts.hex()
    if 8 in seg.opt:
        at = 2 * (seg.opt[8][0] + 2)
        h = h[:at] + "xxxxxxxx" + h[at + 8:]
    return h


def answer_summary(seg):
    o = seg.opt
    return "ttl={} mss={} ws={} sack={} ece={}".format(
        seg.ttl, struct.unpack("!H", o[2][1][2:4])[0] if 2 in o else "-",
        o[3][1][2] if 3 in o else "-", int(4 in o), int(bool(seg.flags & ECE)))


def compare(args):
    server, synfw = read_probes(args.server), read_probes(args.synfw)
    tag = args.tag + " " if args.tag else ""
    if args.server_answer:
        name, want = args.server_answer.split("=", 1)
        check(f"{tag}{name}: the server's own answer", want,
              answer_summary(server[name]) if name in server else "none")
    for name, _, _ in probes():
        s, f = server.get(name), synfw.get(name)
        name = tag + name
        check(f"{name}: the server answered and so did synfw", "yes yes",
              f"{'yes' if s else 'no'} {'yes' if f else 'no'}")
        if not s or not f:
            continue
        check(f"{name}: checksums of the server's SYN/ACK", "ip ok tcp ok", s.csums_ok())
        check(f"{name}: checksums of synfw's SYN/ACK", "ip ok tcp ok", f.csums_ok())
        check(f"{name}: TCP options (order, padding, values but TSval)",
              masked_options(s), masked_options(f))
        ip = "tos=0x{0.tos:02x} frag=0x{0.frag:04x} id={0.id} ttl={0.ttl} len={0.totlen}"
        check(f"{name}: IP TOS, DF, ID, TTL, length", ip.format(s), ip.format(f))
        tcp = "flags={} doff={} win={} urg={} ack=0x{:08x}"
        check(f"{name}: TCP flags, data offset, window, urgent pointer, ack",
              tcp.format(flagstr(s.flags), s.doff, s.win, s.urg, s.ack),
              tcp.format(flagstr(f.flags), f.doff, f.win, f.urg, f.ack))
        check(f"{name}: synfw's sequence number (its cookie) is not the server's",
              "differs", "differs" if s.seq != f.seq else f"equal 0x{f.seq:08x}")
    return 0


def syns(args):
    ports = [int(p) for p in args.ports.split(",")]

    def is_syn(g):
        return g.dport in ports and g.flags & (SYN | ACK) == SYN

    client = [g for g in pcap(args.client) if is_syn(g)]
    server = [g for g in pcap(args.server) if is_syn(g)]
    report("value", "client_syns", len(client))
    report("value", "server_syns", len(server))
    for spec in args.spec:
        tag, port, ts, ws, sack, mss = spec.split(":")
        c = [g for g in client if g.sport == int(port)]
        s = [g for g in server if g.sport == int(port)]
        check(f"{tag}: SYNs captured, client side and server side", "yes yes",
              f"{'yes' if c else 'no'} {'yes' if s else 'no'}")
        if not c or not s:
            continue
        c, s = c[0], s[0]
        cts, cws, csack, cmss = offered(c)
        check(f"{tag}: the client's SYN offers what its sysctls and MSS say",
              f"ts={ts} ws={ws} sack={sack} mss={mss}",
              f"ts={cts} ws={int(cws != '-')} sack={csack} mss={cmss}")
        rounded = max(m for m in MSS_TABLE if m <= max(cmss, 536)) if cmss != "-" else 536
        check(f"{tag}: the server's SYN has the client's options, MSS rounded to synfw's table",
              f"ts={cts} ws={cws} sack={csack} mss={rounded}",
              "ts={} ws={} sack={} mss={}".format(*offered(s)))
        check(f"{tag}: the server's SYN has the client's ISN and flags, one hop less TTL",
              f"isn=0x{c.seq:08x} flags={flagstr(c.flags)} ttl={c.ttl - 1}",
              f"isn=0x{s.seq:08x} flags={flagstr(s.flags)} ttl={s.ttl}")
    return 0


def first_difference(sent, got):
    """Return "same", or where the two lists part."""
    for i in range(max(len(sent), len(got))):
        a = sent[i] if i < len(sent) else "nothing"
        b = got[i] if i < len(got) else "nothing"
        if a != b:
            return f"#{i}: sent {a}, received {b}"
    return "same"


def segments(args):
    port = args.port

    def conn(path):
        """The segments of the last connection from port to SERVER_PORT."""
        ends = ((port, SERVER_PORT), (SERVER_PORT, port))
        segs = [g for g in pcap(path) if (g.sport, g.dport) in ends]
        syn = [i for i, g in enumerate(segs) if g.sport == port and g.flags & (SYN | ACK) == SYN]
        return segs[syn[-1]:] if syn else []

    def synack(segs):
        return next((g for g in segs
                     if g.sport == SERVER_PORT and g.flags & (SYN | ACK) == SYN | ACK), None)

    def after_handshake(segs, sport):
        return [g for g in segs if g.sport == sport and not g.flags & SYN]

    client, server = conn(args.client), conn(args.server)

    cs, ss = synack(client), synack(server)
    check("the client and the server each received a SYN/ACK", "yes yes",
          f"{'yes' if cs else 'no'} {'yes' if ss else 'no'}")
    if not cs or not ss:
        return 0
    delta = (cs.seq - ss.seq) & 0xffffffff

    def key(g, shift_seq=0, shift_ack=0):
        return ((g.seq + shift_seq) & 0xffffffff, (g.ack + shift_ack) & 0xffffffff, g.paylen,
                flagstr(g.flags), g.win)

    # After the handshake: every segment but SYNs. The client's handshake
    # ACK, which synfw keeps, has its twin in synfw's ACK to the server.
    s2c_sent = sorted(key(g, shift_seq=delta) for g in after_handshake(server, SERVER_PORT))
    s2c_got = sorted(key(g) for g in after_handshake(client, SERVER_PORT))
    c2s_sent = sorted(key(g, shift_ack=-delta) for g in after_handshake(client, port))
    c2s_got = sorted(key(g) for g in after_handshake(server, port))
    # The server's bytes the client saw: from its ISN + 1 to its FIN's own
    # sequence number. A later segment at FIN + 1 (an ACK of a client FIN
    # sent again) is legitimate and does not count.
    fins = [k for k in s2c_got if "F" in k[3]]
    report("value", "s2c_span", (fins[0][0] + fins[0][2] - cs.seq - 1) & 0xffffffff
           if fins else "no FIN")
    if len({(k[0] + k[2]) & 0xffffffff for k in fins}) > 1:
        check("server -> client: every FIN at one sequence number", "one", "several")
    for what, sent, got in (("server -> client", s2c_sent, s2c_got),
                            ("client -> server", c2s_sent, c2s_got)):
        check(f"{what}: segments received = segments sent", len(sent), len(got))
        check(f"{what}: payload lengths in sequence order, received = sent",
              "same", first_difference([k[2] for k in sent], [k[2] for k in got]))
        check(f"{what}: each segment as sent (seq, ack, length, flags, window), translated",
              "same", first_difference(sent, got))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("probe")
    q.add_argument("out")
    q.add_argument("--port", type=int, default=SERVER_PORT, help="the server's port")
    q.add_argument("--sport", type=int, required=True, help="first source port")
    q.add_argument("--src", default="10.0.1.99")
    q.add_argument("--server", default="10.0.2.99")
    q = sub.add_parser("compare")
    q.add_argument("--tag", default="", help="prefix for each assertion")
    q.add_argument("--server-answer", default="", metavar="PROBE=SUMMARY",
                   help="what the server's answer to PROBE must show (ttl mss ws sack ece)")
    q.add_argument("server")
    q.add_argument("synfw")
    q = sub.add_parser("syns")
    q.add_argument("--ports", default=str(SERVER_PORT), help="server ports, comma-separated")
    q.add_argument("client")
    q.add_argument("server")
    q.add_argument("spec", nargs="*")
    q = sub.add_parser("segments")
    q.add_argument("client")
    q.add_argument("server")
    q.add_argument("port", type=int)
    args = p.parse_args()
    sys.exit({"probe": probe, "compare": compare, "syns": syns, "segments": segments}[args.cmd](args))


if __name__ == "__main__":
    main()
