#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Many tcpxfer clients from one process, for synfw's selftests.

Starts COUNT client connections to HOST:PORT, one every INTERVAL seconds, each
in its own thread, each doing what `tcpxfer.py client` does (send SEND bytes,
half-close, read until the server closes, compare with what the server's
seed makes) against a DEADLINE that runs from the connect() call: a
connection that is not over by then fails. One process spares the test a
Python start-up per connection, which under emulation takes longer than the
deadline. Prints one line per connection, e.g.

    client 7 ok ms=183 sent=65536 sha=ab12.. recv=65536 sha=cd34..
    client 8 error ms=5000 TimeoutError: timed out

then a summary line "clients ok=N failed=M", and exits non-zero unless every
connection was ok. With --go FILE, it prints "ready" once set up and starts
only when FILE exists, so that a test can time the connections against
something else (a flood) regardless of how long Python took to start.
"""

import argparse
import os
import socket
import sys
import threading
import time

from tcpxfer import digest, payload, recv_all


def one(i, args, out, want, results, lock):
    start = time.monotonic()
    deadline = start + args.deadline
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    got = b""
    try:
        sock.settimeout(args.deadline)
        sock.connect((args.host, args.port))
        sock.settimeout(max(deadline - time.monotonic(), 0.001))
        sock.sendall(out)
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(max(deadline - time.monotonic(), 0.001))
        got = recv_all(sock)
        ms = int((time.monotonic() - start) * 1000)
        if got != want:
            status = "BAD"
        elif ms > args.deadline * 1000:
            status = "late"
        else:
            status = "ok"
        line = (f"client {i} {status} ms={ms} sent={len(out)} sha={digest(out)} "
                f"recv={len(got)} sha={digest(got)}")
    except OSError as e:
        ms = int((time.monotonic() - start) * 1000)
        status = "error"
        line = f"client {i} error ms={ms} {e.__class__.__name__}: {e}"
    finally:
        sock.close()
    with lock:
        print(line, flush=True)
        results.append(status == "ok")


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("host")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--count", type=int, default=100, help="connections")
    p.add_argument("--interval", type=float, default=0.1, help="seconds between starts")
    p.add_argument("--deadline", type=float, default=5, help="seconds per connection")
    p.add_argument("--send", type=int, default=65536, help="bytes to send")
    p.add_argument("--expect", type=int, default=65536, help="bytes to receive")
    p.add_argument("--seed", default="synfw")
    p.add_argument("--go", help="start when this file exists, after printing ready")
    args = p.parse_args()

    out = payload(args.seed, "c2s", args.send)
    want = payload(args.seed, "s2c", args.expect)
    if args.go:
        print("ready", flush=True)
        while not os.path.exists(args.go):
            time.sleep(0.01)
    results, lock, threads = [], threading.Lock(), []
    first = time.monotonic()
    for i in range(args.count):
        delay = first + i * args.interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        t = threading.Thread(target=one, args=(i, args, out, want, results, lock))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    ok = sum(results)
    print(f"clients ok={ok} failed={args.count - ok}", flush=True)
    sys.exit(0 if ok == args.count else 1)


if __name__ == "__main__":
    main()
