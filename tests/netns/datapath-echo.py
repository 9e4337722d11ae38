#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Servers and clients for vsd's data-path scenarios.

A server answers every request line (TCP) or datagram (UDP) with one line:
"NAME PEER_ADDRESS PEER_PORT", so a client sees which real server answered
and which source address that server saw.

  serve NAME PORT            TCP and UDP, IPv4 and IPv6, until killed;
                             prints "ready" once listening; UDP answers
                             come from the address the datagram went to
  seq HOST PORT N [tcp|udp] [SRC]
                             N connections (or datagrams from N sockets),
                             one request each, from SRC if given; prints
                             each answer ("error ..." when none came)
  hold HOST PORT             one TCP connection; sends a request for each
                             line read on stdin and prints each answer
                             (flushed), until stdin ends
  udp HOST PORT SIZE [TTL] [df]
                             one datagram of SIZE bytes with that TTL (hop
                             limit), DF (no fragmentation) or not; prints
                             the answer, or "icmp FROM TYPE CODE INFO" for
                             an ICMP error about it, or "error ..."
  frag-needed DST QSRC QDST QSPORT QDPORT MTU
                             an ICMP "fragmentation needed" to DST quoting
                             a TCP segment QSRC:QSPORT -> QDST:QDPORT
  tcp SRC DST DPORT FLAGS [TTL] [LEN]
                             one IPv4 TCP segment from a raw socket, FLAGS
                             e.g. "A" or "S", from a port that differs from
                             run to run; with LEN, only its first LEN bytes
                             (a cut TCP header when under 40); FLAGS "S,F":
                             one segment per set, in order, the same port
"""

import os
import socket
import struct
import sys
import threading

TIMEOUT = 5
# Linux's values, for what Python < 3.12 does not name.
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
IP_MTU_DISCOVER = getattr(socket, "IP_MTU_DISCOVER", 10)
IP_RECVERR = getattr(socket, "IP_RECVERR", 11)
IPV6_MTU_DISCOVER = getattr(socket, "IPV6_MTU_DISCOVER", 23)
IPV6_RECVERR = getattr(socket, "IPV6_RECVERR", 25)
PMTUDISC_DONT, PMTUDISC_DO = 0, 2
MSG_ERRQUEUE = getattr(socket, "MSG_ERRQUEUE", 0x2000)


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def answer(name, peer):
    return ("%s %s %d\n" % (name, peer[0], peer[1])).encode()


def serve_tcp_conn(name, conn, peer):
    with conn:
        for _ in conn.makefile("rb"):
            conn.sendall(answer(name, peer))


def serve_tcp(name, sock):
    while True:
        conn, peer = sock.accept()
        threading.Thread(target=serve_tcp_conn, args=(name, conn, peer),
                         daemon=True).start()


def serve_udp(name, sock):
    # Answer from the address the datagram came to (a VIP), not from the
    # one routing would pick: the client's socket is connected to the VIP.
    if sock.family == socket.AF_INET6:
        level, opt = socket.IPPROTO_IPV6, socket.IPV6_PKTINFO
        sock.setsockopt(level, socket.IPV6_RECVPKTINFO, 1)
    else:
        level, opt = socket.IPPROTO_IP, IP_PKTINFO
        sock.setsockopt(level, opt, 1)
    while True:
        _, anc, _, peer = sock.recvmsg(2048, 256)
        cmsg = []
        for lv, ty, data in anc:
            if lv != level or ty != opt:
                continue
            if level == socket.IPPROTO_IP:
                # struct in_pktinfo: ifindex, spec_dst, addr.
                _, _, addr = struct.unpack("I4s4s", data)
                data = struct.pack("I4s4s", 0, addr, bytes(4))
            cmsg = [(level, opt, data)]
        sock.sendmsg([answer(name, peer)], cmsg, 0, peer)


def serve(name, port):
    threads = []
    for fam, any_addr in ((socket.AF_INET6, "::"), (socket.AF_INET, "")):
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            s = socket.socket(fam, kind)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if fam == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.bind((any_addr, port))
            if kind == socket.SOCK_STREAM:
                s.listen(128)
                target = serve_tcp
            else:
                target = serve_udp
            threads.append(threading.Thread(target=target, args=(name, s),
                                            daemon=True))
    for t in threads:
        t.start()
    print("ready", flush=True)
    threads[0].join()


def seq(host, port, n, udp, src):
    kind = socket.SOCK_DGRAM if udp else socket.SOCK_STREAM
    for _ in range(n):
        with socket.socket(family(host), kind) as s:
            s.settimeout(TIMEOUT)
            try:
                if src:
                    s.bind((src, 0))
                s.connect((host, port))
                s.sendall(b"hello\n")
                data = s.recv(256).decode()
            except OSError as e:
                data = "error %s\n" % e.__class__.__name__
        sys.stdout.write(data)
    sys.stdout.flush()


def hold(host, port):
    with socket.create_connection((host, port), timeout=TIMEOUT) as s:
        f = s.makefile("rb")
        for line in sys.stdin:
            try:
                s.sendall(line.encode())
                got = f.readline().decode()
            except OSError as e:
                got = "error %s\n" % e.__class__.__name__
            sys.stdout.write(got if got else "closed\n")
            sys.stdout.flush()
            if not got or got.startswith("error"):
                return


def icmp_error(s, fam):
    """The ICMP error queued on s: (offender, type, code, info), or None."""
    try:
        _, anc, _, _ = s.recvmsg(64, 512, MSG_ERRQUEUE)
    except OSError:
        return None
    for _, _, d in anc:
        # struct sock_extended_err, then the offender's sockaddr.
        _, _, typ, code, _, info, _ = struct.unpack("IBBBBII", d[:16])
        if fam == socket.AF_INET:
            addr = socket.inet_ntop(fam, d[20:24])
        else:
            addr = socket.inet_ntop(fam, d[24:40])
        return addr, typ, code, info
    return None


def udp(host, port, size, ttl, df):
    fam = family(host)
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        if fam == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
            s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER,
                         PMTUDISC_DO if df else PMTUDISC_DONT)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVERR, 1)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER,
                         PMTUDISC_DO if df else PMTUDISC_DONT)
        s.settimeout(TIMEOUT)
        s.connect((host, port))
        try:
            s.send(b"x" * (size - 1) + b"\n")
            print(s.recv(256).decode(), end="")
            return
        except OSError as e:
            err = e
        icmp = icmp_error(s, fam)
        if icmp:
            print("icmp %s %d %d %d" % icmp)
        else:
            print("error %s" % err.__class__.__name__)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def tcp(src, dst, dport, flags, ttl=64, length=None):
    for one in flags.split(","):
        tcp_one(src, dst, dport, one, ttl, length)


def tcp_one(src, dst, dport, flags, ttl, length):
    bits = {"F": 1, "S": 2, "R": 4, "P": 8, "A": 16}
    saddr, daddr = socket.inet_aton(src), socket.inet_aton(dst)
    sport = 20000 + os.getpid() % 40000
    th = struct.pack("!HHIIBBHHH", sport, dport, 1, 1, 5 << 4,
                     sum(bits[c] for c in flags), 65535, 0, 0)
    pseudo = saddr + daddr + struct.pack("!BBH", 0, 6, len(th))
    th = th[:16] + struct.pack("!H", checksum(pseudo + th)) + th[18:]
    # The kernel fills in the total length and the header checksum.
    ih = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 0, 1, 0, ttl, 6, 0,
                     saddr, daddr)
    pkt = ih + th
    if length:
        pkt = pkt[:length]
    with socket.socket(socket.AF_INET, socket.SOCK_RAW,
                       socket.IPPROTO_RAW) as s:
        s.sendto(pkt, (dst, 0))


def frag_needed(dst, qsrc, qdst, qsport, qdport, mtu):
    qip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 1500, 0, 0x4000, 64, 6, 0,
                      socket.inet_aton(qsrc), socket.inet_aton(qdst))
    qip = qip[:10] + struct.pack("!H", checksum(qip)) + qip[12:]
    quoted = qip + struct.pack("!HHI", qsport, qdport, 1)
    icmp = struct.pack("!BBHHH", 3, 4, 0, 0, mtu) + quoted
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    with socket.socket(socket.AF_INET, socket.SOCK_RAW,
                       socket.IPPROTO_ICMP) as s:
        s.sendto(icmp, (dst, 0))


def main(argv):
    if len(argv) >= 3 and argv[0] == "serve":
        serve(argv[1], int(argv[2]))
    elif len(argv) >= 4 and argv[0] == "seq":
        src = argv[5] if len(argv) > 5 else None
        seq(argv[1], int(argv[2]), int(argv[3]),
            len(argv) > 4 and argv[4] == "udp", src)
    elif len(argv) == 3 and argv[0] == "hold":
        hold(argv[1], int(argv[2]))
    elif len(argv) >= 4 and argv[0] == "udp":
        udp(argv[1], int(argv[2]), int(argv[3]),
            int(argv[4]) if len(argv) > 4 else 64,
            len(argv) > 5 and argv[5] == "df")
    elif len(argv) == 7 and argv[0] == "frag-needed":
        frag_needed(argv[1], argv[2], argv[3], int(argv[4]), int(argv[5]),
                    int(argv[6]))
    elif len(argv) >= 5 and argv[0] == "tcp":
        tcp(argv[1], argv[2], int(argv[3]), argv[4],
            int(argv[5]) if len(argv) > 5 else 64,
            int(argv[6]) if len(argv) > 6 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
