#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""An echo service and a client that checks every byte, in steps.

    echo.py server PORT
        echo every connection on PORT, each in its own thread
    echo.py client HOST PORT SIGDIR STEP...
        connect; exchange 200,000 pseudo-random bytes and compare what comes
        back; then for each STEP, write SIGDIR/STEP ("SPORT NEXT_SEQ RCV_NXT":
        the client's port, the sequence number it sends next and the one it
        expects next, in its own view of the server's numbers), wait for
        SIGDIR/STEP.done, and exchange again. Prints one True or False per
        exchange, on one line.

The test does what it needs between steps (load synfw, change a parameter,
inject a segment at the client's exact sequence number).
"""

import os
import random
import socket
import sys
import threading
import time

TCP_REPAIR, TCP_REPAIR_QUEUE, TCP_QUEUE_SEQ = 19, 20, 21
TCP_RECV_QUEUE, TCP_SEND_QUEUE = 1, 2


def server(port):
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("0.0.0.0", port))
    lsock.listen(8)

    def echo(conn):
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)
        conn.close()

    while True:
        threading.Thread(target=echo, args=(lsock.accept()[0],), daemon=True).start()


def next_seqs(sock):
    """The sequence numbers sock sends and expects next, everything sent being acked."""
    sock.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
    seqs = []
    for queue in (TCP_SEND_QUEUE, TCP_RECV_QUEUE):
        sock.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, queue)
        seqs.append(sock.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ) & 0xffffffff)
    sock.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 0)
    return seqs


def client(host, port, sigdir, steps):
    sock = socket.create_connection((host, port), timeout=20)

    def exchange(seed):
        data = random.Random(seed).randbytes(200000)
        sock.sendall(data)
        got = b""
        while len(got) < len(data):
            got += sock.recv(65536)
        return got == data

    ok = [exchange(1)]
    for step in steps:
        # Whole or not at all: the test reads it as soon as it exists.
        with open(os.path.join(sigdir, step + ".tmp"), "w") as f:
            f.write("%d %d %d" % (sock.getsockname()[1], *next_seqs(sock)))
        os.rename(os.path.join(sigdir, step + ".tmp"), os.path.join(sigdir, step))
        while not os.path.exists(os.path.join(sigdir, step + ".done")):
            time.sleep(0.1)
        ok.append(exchange(len(ok) + 1))
    print(" ".join(map(str, ok)))


def main():
    if sys.argv[1] == "server":
        server(int(sys.argv[2]))
    else:
        client(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:])


if __name__ == "__main__":
    main()
