#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Clients of vsd's stress scenarios (flood-syn.sh, churn.sh), against the
echo servers of datapath-echo.py ("NAME PEER PORT" for each request line).

  legit HOST PORT FILE [TIMEOUT]
        new connections one after the other until FILE exists, one request
        each, each given TIMEOUT seconds (default 3: one SYN
        retransmission); prints "attempts N ok N" and the reasons of the
        failures
  hold HOST PORT K FILE
        K connections, one request each; prints "ready N" (N answered),
        waits until FILE exists, sends one more request on each and prints
        "alive N" (N answered again): established connections survived
"""

import collections
import os
import socket
import sys
import time


def request(s):
    s.sendall(b"hello\n")
    data = b""
    while not data.endswith(b"\n"):
        got = s.recv(256)
        if not got:
            raise ConnectionError("closed")
        data += got
    return data.decode()


def legit(host, port, path, timeout):
    attempts = ok = 0
    why = collections.Counter()
    while not os.path.exists(path):
        attempts += 1
        try:
            with socket.create_connection((host, port), timeout=timeout) as s:
                request(s)
            ok += 1
        except OSError as e:
            why[e.__class__.__name__] += 1
    print("attempts %d ok %d" % (attempts, ok))
    for k, v in sorted(why.items()):
        print("# %s %d" % (k, v))


def hold(host, port, k, path):
    socks = []
    for _ in range(k):
        try:
            s = socket.create_connection((host, port), timeout=5)
            request(s)
            socks.append(s)
        except OSError:
            pass
    print("ready %d" % len(socks), flush=True)
    while not os.path.exists(path):
        time.sleep(0.1)
    alive = 0
    for s in socks:
        try:
            request(s)
            alive += 1
        except OSError:
            pass
    print("alive %d" % alive, flush=True)


def main():
    cmd, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if cmd == "legit":
        timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 3.0
        legit(host, port, sys.argv[4], timeout)
    elif cmd == "hold":
        hold(host, port, int(sys.argv[4]), sys.argv[5])
    else:
        sys.exit("unknown command %s" % cmd)


if __name__ == "__main__":
    main()
