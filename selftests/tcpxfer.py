#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checksummed TCP transfers for synfw's selftests.

The client sends SEND bytes, half-closes, then reads until the server closes.
The server reads until EOF, then sends its own bytes and closes. Payloads are
pseudo-random from a seed, so each side knows what it must receive; each side
prints one line per connection, e.g.

    client ok sent=1048576 sha=ab12.. recv=1048576 sha=cd34..
    server ok peer=10.0.1.99:40000 recv=1048576 sha=ab12.. sent=1048576

and a side exits non-zero if any byte differs from what was expected.
"""

import argparse
import hashlib
import random
import socket
import sys
import threading

CHUNK = 65536


def payload(seed, direction, size):
    return random.Random(f"{seed}/{direction}").randbytes(size)


def digest(data):
    return hashlib.sha256(data).hexdigest()[:16]


def recv_all(sock):
    parts = []
    while True:
        data = sock.recv(CHUNK)
        if not data:
            return b"".join(parts)
        parts.append(data)


def client(args):
    out = payload(args.seed, "c2s", args.send)
    want = payload(args.seed, "s2c", args.expect)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if args.mss:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, args.mss)
    sock.settimeout(args.timeout)
    try:
        sock.connect((args.host, args.port))
        mss = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
        sock.sendall(out)
        sock.shutdown(socket.SHUT_WR)
        got = recv_all(sock)
    except OSError as e:
        print(f"client error {e.__class__.__name__}: {e}")
        return 1
    finally:
        sock.close()
    status = "ok" if got == want else "BAD"
    print(f"client {status} sent={len(out)} sha={digest(out)} "
          f"recv={len(got)} sha={digest(got)}" + (f" mss={mss}" if args.report_mss else ""))
    return 0 if got == want else 1


def serve_one(conn, peer, args, results, lock):
    want = payload(args.seed, "c2s", args.expect)
    out = payload(args.seed, "s2c", args.send)
    conn.settimeout(args.timeout)
    try:
        got = recv_all(conn)
        conn.sendall(out)
        conn.shutdown(socket.SHUT_WR)
        status = "ok" if got == want else "BAD"
        line = (f"server {status} peer={peer[0]}:{peer[1]} recv={len(got)} "
                f"sha={digest(got)} sent={len(out)}")
    except OSError as e:
        status = "BAD"
        line = f"server error peer={peer[0]}:{peer[1]} {e.__class__.__name__}: {e}"
    finally:
        conn.close()
    with lock:
        print(line, flush=True)
        results.append(status == "ok")


def server(args):
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((args.bind, args.port))
    lsock.listen(args.backlog)
    lsock.settimeout(args.timeout)
    results, lock, threads = [], threading.Lock(), []
    try:
        while len(threads) < args.count:
            conn, peer = lsock.accept()
            t = threading.Thread(target=serve_one, args=(conn, peer, args, results, lock))
            t.start()
            threads.append(t)
    except socket.timeout:
        print(f"server timeout after {len(threads)} connection(s)", flush=True)
    for t in threads:
        t.join()
    return 0 if len(results) == args.count and all(results) else 1


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("client")
    c.add_argument("host")
    s = sub.add_parser("server")
    s.add_argument("--bind", default="0.0.0.0")
    s.add_argument("--count", type=int, default=1, help="connections to serve")
    s.add_argument("--backlog", type=int, default=128)
    for q in (c, s):
        q.add_argument("--port", type=int, default=8080)
        q.add_argument("--send", type=int, default=65536, help="bytes to send")
        q.add_argument("--expect", type=int, default=65536, help="bytes to receive")
        q.add_argument("--seed", default="synfw")
        q.add_argument("--timeout", type=float, default=30)
    c.add_argument("--mss", type=int, default=0, help="TCP_MAXSEG before connect")
    c.add_argument("--report-mss", action="store_true", help="print TCP_MAXSEG once connected")
    args = p.parse_args()
    sys.exit(client(args) if args.mode == "client" else server(args))


if __name__ == "__main__":
    main()
