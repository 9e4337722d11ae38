#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Servers, clients and packet tools for vsd's forwarding scenarios
(TUN, NAT, ICMP, fragments, schedulers).

  serve NAME PORT[,PORT...] [nocheck]
        TCP and UDP, IPv4 and IPv6, on each port, until killed; prints
        "ready" once listening.  TCP: each request line is answered
        "NAME PEER PORT LEN" (LEN: the line's length); the line "bulk N"
        makes the server read N bytes, answer "NAME PEER PORT SHA256" and
        send N bytes of its own (bulk_data(N)).  UDP: each datagram is
        answered "NAME PEER PORT LEN" from the address it went to, padded
        with "x" to LEN bytes when it starts with "pad"; with nocheck, the
        IPv4 answers carry no UDP checksum (SO_NO_CHECK).
  bulk HOST PORT N
        one TCP connection: N bytes up, the server's digest checked, N
        bytes down checked; prints "ok NAME PEER" or "error ..."
  udp HOST PORT SIZE [df] [pad] [nocheck] [ttl=N] [src=ADDR] [sport=N]
      [wait=S]
        one datagram of SIZE bytes (DF or not; padded answer wanted;
        no UDP checksum); prints the answer and its size, "icmp FROM TYPE
        CODE INFO" for an ICMP error about it, or "error ..." when none
        came within S seconds (default 5)
  multi HOST PORT ROUNDS SRC[,SRC...] [udp] [window=N] [full]
        ROUNDS times, one connection (or datagram) from each source in
        turn; prints "SRC NAME" per answer ("SRC error" when none)
  seq HOST PORT N [udp] [sport=BASE] [window=N] [full]
        N connections (datagrams from N sockets) in a row, from ports
        BASE, BASE + 1, ... if given; prints the name of the server that
        answered each ("error" when none)
        window=N: N datagrams sent at once, then their answers read
        (default 1); full: the client's own port and the server's whole
        answer ("SPORT NAME PEER PORT LEN") instead of the name
  run
        reads lines "TAG COMMAND ARGS..." on stdin and runs each of these
        commands in turn (one Python start-up for many), its output lines
        prefixed "TAG "
  hold HOST PORT [SPORT]
        holds TCP connections: reads commands on stdin, "open N" opens N
        more (one at a time, each established before the next), "close N"
        closes the N oldest; prints "ok COUNT" after each; exits at EOF;
        with SPORT, the connections are from SPORT, SPORT + 1, ... (never
        a port of one closed before, whatever the kernel's choice would be)
  icmp-recv V PORT TIMEOUT
        waits (printing "ready" first) for an ICMP error (V: 4 or 6) that
        quotes a TCP or UDP packet with port PORT on either side; prints
        "TYPE CODE INFO FROM TO QSRC QSPORT QDST QDPORT CHECKS", CHECKS
        being icmp=ok|bad ip=ok|bad|- l4=ok|bad|zero|-, or "timeout"
  icmp-send DST TYPE CODE INFO PROTO QSRC QSPORT QDST QDPORT [badsum]
            [cut=N]
        an ICMP (ICMPv6 for IPv6 addresses) error to DST, quoting a TCP
        or UDP packet QSRC:QSPORT -> QDST:QDPORT of 100 bytes of payload;
        badsum: a wrong ICMP checksum (IPv4 only: the kernel computes
        ICMPv6's); cut=N: only the first N bytes of the message after its
        8-byte header
"""

import hashlib
import io
import os
import resource
import socket
import struct
import sys
import threading

TIMEOUT = 5
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
IP_MTU_DISCOVER = getattr(socket, "IP_MTU_DISCOVER", 10)
IP_RECVERR = getattr(socket, "IP_RECVERR", 11)
IPV6_MTU_DISCOVER = getattr(socket, "IPV6_MTU_DISCOVER", 23)
IPV6_RECVERR = getattr(socket, "IPV6_RECVERR", 25)
SO_NO_CHECK = 11
PMTUDISC_DONT, PMTUDISC_DO = 0, 2
MSG_ERRQUEUE = getattr(socket, "MSG_ERRQUEUE", 0x2000)


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def bulk_data(n):
    """N bytes that differ from a position to the next and with N."""
    out = bytearray()
    block = 0
    while len(out) < n:
        out += hashlib.sha256(b"%d:%d" % (n, block)).digest()
        block += 1
    return bytes(out[:n])


def answer(name, peer, extra):
    return ("%s %s %d %s\n" % (name, peer[0], peer[1], extra)).encode()


def read_exact(f, n):
    data = f.read(n)
    if len(data) != n:
        raise OSError("short read")
    return data


def serve_tcp_conn(name, conn, peer):
    with conn:
        f = conn.makefile("rb")
        for line in f:
            if line.startswith(b"bulk "):
                n = int(line.split()[1])
                digest = hashlib.sha256(read_exact(f, n)).hexdigest()
                conn.sendall(answer(name, peer, digest))
                conn.sendall(bulk_data(n))
            else:
                conn.sendall(answer(name, peer, str(len(line))))


def serve_tcp(name, sock):
    while True:
        conn, peer = sock.accept()
        threading.Thread(target=serve_tcp_conn, args=(name, conn, peer),
                         daemon=True).start()


def serve_udp(name, sock):
    # Answer from the address the datagram came to (a VIP).
    if sock.family == socket.AF_INET6:
        level, opt = socket.IPPROTO_IPV6, socket.IPV6_PKTINFO
        sock.setsockopt(level, socket.IPV6_RECVPKTINFO, 1)
    else:
        level, opt = socket.IPPROTO_IP, IP_PKTINFO
        sock.setsockopt(level, opt, 1)
    while True:
        data, anc, _, peer = sock.recvmsg(65536, 256)
        cmsg = []
        for lv, ty, d in anc:
            if lv != level or ty != opt:
                continue
            if level == socket.IPPROTO_IP:
                _, _, addr = struct.unpack("I4s4s", d)
                d = struct.pack("I4s4s", 0, addr, bytes(4))
            cmsg = [(level, opt, d)]
        out = answer(name, peer, str(len(data)))
        if data.startswith(b"pad") and len(data) > len(out):
            out = out[:-1] + b"x" * (len(data) - len(out)) + b"\n"
        sock.sendmsg([out], cmsg, 0, peer)


def serve(name, ports, nocheck):
    threads = []
    for port in ports:
        for fam, any_addr in ((socket.AF_INET6, "::"), (socket.AF_INET, "")):
            for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                s = socket.socket(fam, kind)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if fam == socket.AF_INET6:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                elif kind == socket.SOCK_DGRAM and nocheck:
                    s.setsockopt(socket.SOL_SOCKET, SO_NO_CHECK, 1)
                s.bind((any_addr, port))
                if kind == socket.SOCK_STREAM:
                    s.listen(1024)
                    target = serve_tcp
                else:
                    target = serve_udp
                threads.append(threading.Thread(target=target,
                                                args=(name, s), daemon=True))
    for t in threads:
        t.start()
    print("ready", flush=True)
    threads[0].join()


def bulk(host, port, n):
    data = bulk_data(n)
    try:
        with socket.create_connection((host, port), timeout=30) as s:
            f = s.makefile("rb")
            s.sendall(b"bulk %d\n" % n + data)
            line = f.readline().decode().split()
            if len(line) != 4 or line[3] != hashlib.sha256(data).hexdigest():
                print("error digest %s" % " ".join(line))
                return
            if read_exact(f, n) != data:
                print("error data")
                return
            print("ok %s %s" % (line[0], line[1]))
    except OSError as e:
        print("error %s" % e.__class__.__name__)


def icmp_error(s, fam):
    """The ICMP error queued on s: (offender, type, code, info), or None."""
    try:
        _, anc, _, _ = s.recvmsg(64, 512, MSG_ERRQUEUE)
    except OSError:
        return None
    for _, _, d in anc:
        _, _, typ, code, _, info, _ = struct.unpack("IBBBBII", d[:16])
        if fam == socket.AF_INET:
            addr = socket.inet_ntop(fam, d[20:24])
        else:
            addr = socket.inet_ntop(fam, d[24:40])
        return addr, typ, code, info
    return None


def udp(host, port, size, opts):
    fam = family(host)
    df = "df" in opts
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        ttl = int(opts.get("ttl", 64))
        if fam == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
            s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER,
                         PMTUDISC_DO if df else PMTUDISC_DONT)
            if "nocheck" in opts:
                s.setsockopt(socket.SOL_SOCKET, SO_NO_CHECK, 1)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVERR, 1)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER,
                         PMTUDISC_DO if df else PMTUDISC_DONT)
        s.settimeout(float(opts.get("wait", TIMEOUT)))
        if "src" in opts or "sport" in opts:
            # The port may be a server's (which uses SO_REUSEADDR too).
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((opts.get("src", ""), int(opts.get("sport", 0))))
        s.connect((host, port))
        head = b"pad" if "pad" in opts else b""
        try:
            s.send(head + b"x" * (size - 1 - len(head)) + b"\n")
            data = s.recv(65536)
            line = data.decode().split("\n")[0].rstrip("x")
            print("%s %d" % (line, len(data)))
            return
        except OSError as e:
            err = e
        icmp = icmp_error(s, fam)
        if icmp:
            print("icmp %s %d %d %d" % icmp)
        else:
            print("error %s" % err.__class__.__name__)


def flow_open(host, port, kind, src, sport):
    s = socket.socket(family(host), kind)
    try:
        s.settimeout(TIMEOUT)
        if src or sport:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((src or "", sport))
        s.connect((host, port))
        s.sendall(b"hello\n")
    except OSError:
        s.close()
        return None
    return s


def flow_answer(s, full):
    if s is None:
        return "error"
    with s:
        try:
            line = s.recv(256).decode().split("\n")[0]
            if full:
                return "%d %s" % (s.getsockname()[1], line)
            return line.split()[0]
        except (OSError, IndexError):
            return "error"


def flows(host, port, is_udp, jobs, opts):
    """The answers to a connection (datagram) from each (SRC, SPORT) of
    jobs, in order; datagrams go out "window" at a time, then their
    answers are read."""
    kind = socket.SOCK_DGRAM if is_udp else socket.SOCK_STREAM
    window = int(opts.get("window", 1)) if is_udp else 1
    full = "full" in opts
    out = []
    for i in range(0, len(jobs), window):
        socks = [flow_open(host, port, kind, src, sport)
                 for src, sport in jobs[i:i + window]]
        out += [flow_answer(s, full) for s in socks]
    return out


def multi(host, port, rounds, srcs, is_udp, opts):
    jobs = [(src, 0) for _ in range(rounds) for src in srcs]
    names = flows(host, port, is_udp, jobs, opts)
    sys.stdout.write("".join("%s %s\n" % (src, name)
                             for (src, _), name in zip(jobs, names)))


def seq(host, port, n, is_udp, opts):
    sport = int(opts.get("sport", 0))
    jobs = [(None, sport + i if sport else 0) for i in range(n)]
    sys.stdout.write("".join(name + "\n" for name in
                             flows(host, port, is_udp, jobs, opts)))


def hold(host, port, sport=None):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = max(soft, 8192)
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))
    conns = []
    src = None
    for line in sys.stdin:
        cmd, n = line.split()
        try:
            for _ in range(int(n)):
                if cmd == "open":
                    if sport:
                        src = ("", sport)
                        sport += 1
                    conns.append(socket.create_connection(
                        (host, port), timeout=TIMEOUT, source_address=src))
                else:
                    conns.pop(0).close()
            print("ok %d" % len(conns), flush=True)
        except OSError as e:
            print("error %s %d" % (e.__class__.__name__, len(conns)),
                  flush=True)
    for s in conns:
        s.close()


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def pseudo(src, dst, proto, length):
    if len(src) == 4:
        return src + dst + struct.pack("!BBH", 0, proto, length)
    return src + dst + struct.pack("!IxxxB", length, proto)


def l4_check(qsrc, qdst, proto, l4):
    """The quoted transport checksum: ok, bad, zero (UDP) or - (cut)."""
    off = 16 if proto == 6 else 6
    if len(l4) < off + 2:
        return "-"
    if proto == 17 and l4[6:8] == b"\0\0":
        return "zero"
    # A quote is complete only when it holds the whole segment.
    if proto == 17:
        length = struct.unpack("!H", l4[4:6])[0]
    else:
        length = len(l4)
    if len(l4) < length:
        return "-"
    ok = checksum(pseudo(qsrc, qdst, proto, length) + l4[:length]) == 0
    return "ok" if ok else "bad"


def icmp_recv(v, port, timeout):
    fam = socket.AF_INET if v == 4 else socket.AF_INET6
    proto = socket.IPPROTO_ICMP if v == 4 else socket.IPPROTO_ICMPV6
    s = socket.socket(fam, socket.SOCK_RAW, proto)
    s.settimeout(timeout)
    if v == 6:
        # No IPv6 header on a raw ICMPv6 socket: the destination address
        # comes as ancillary data.
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
    print("ready", flush=True)
    alen = 4 if v == 4 else 16
    while True:
        try:
            if v == 4:
                pkt, peer = s.recvfrom(65536)
                ihl = (pkt[0] & 15) * 4
                outer_src, outer_dst = pkt[12:16], pkt[16:20]
                msg = pkt[ihl:]
            else:
                msg, anc, _, peer = s.recvmsg(65536, 256)
                outer_src = socket.inet_pton(fam, peer[0].split("%")[0])
                outer_dst = bytes(16)
                for lv, ty, d in anc:
                    if ty == socket.IPV6_PKTINFO:
                        outer_dst = d[:16]
        except socket.timeout:
            print("timeout")
            return
        typ, code = msg[0], msg[1]
        if (v == 4 and typ not in (3, 11, 12)) or (v == 6 and typ > 4):
            continue
        info = struct.unpack("!I", msg[4:8])[0]
        if v == 4 and typ == 3:
            info &= 0xffff
        q = msg[8:]
        if v == 4:
            qihl = (q[0] & 15) * 4
            qproto = q[9]
            qsrc, qdst = q[12:16], q[16:20]
            ipsum = "ok" if checksum(q[:qihl]) == 0 else "bad"
        else:
            qihl = 40
            qproto = q[6]
            qsrc, qdst = q[8:24], q[24:40]
            ipsum = "-"
        if qproto not in (6, 17):
            continue
        l4 = q[qihl:]
        sport, dport = struct.unpack("!HH", l4[:4])
        if port not in (sport, dport):
            continue
        if v == 4:
            icmpsum = "ok" if checksum(msg) == 0 else "bad"
        else:
            icmpsum = "ok" if checksum(pseudo(outer_src, outer_dst, 58,
                                              len(msg)) + msg) == 0 else "bad"
        ntop = lambda a: socket.inet_ntop(fam, a)
        print("%d %d %d %s %s %s %d %s %d icmp=%s ip=%s l4=%s" % (
            typ, code, info, ntop(outer_src), ntop(outer_dst), ntop(qsrc),
            sport, ntop(qdst), dport, icmpsum, ipsum,
            l4_check(qsrc, qdst, qproto, l4)), flush=True)
        return


def icmp_send(dst, typ, code, info, proto, qsrc, qsport, qdst, qdport, opts):
    fam = family(dst)
    a = lambda x: socket.inet_pton(fam, x)
    payload = b"p" * 100
    if proto == "udp":
        pnum = 17
        l4 = struct.pack("!HHHH", qsport, qdport, 8 + len(payload), 0)
    else:
        pnum = 6
        l4 = struct.pack("!HHIIBBHHH", qsport, qdport, 1, 1, 5 << 4, 0x18,
                         65535, 0, 0)
    seg = l4 + payload
    s = checksum(pseudo(a(qsrc), a(qdst), pnum, len(seg)) + seg)
    off = 16 if pnum == 6 else 6
    seg = seg[:off] + struct.pack("!H", s or 0xffff) + seg[off + 2:]
    if fam == socket.AF_INET:
        qip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 0, 0x4000,
                          64, pnum, 0, a(qsrc), a(qdst))
        qip = qip[:10] + struct.pack("!H", checksum(qip)) + qip[12:]
        rawproto = socket.IPPROTO_ICMP
    else:
        qip = struct.pack("!IHBB16s16s", 0x60000000, len(seg), pnum, 64,
                          a(qsrc), a(qdst))
        rawproto = socket.IPPROTO_ICMPV6
    body = qip + seg
    if "cut" in opts:
        body = body[:int(opts["cut"])]
    msg = struct.pack("!BBHI", typ, code, 0, info) + body
    with socket.socket(fam, socket.SOCK_RAW, rawproto) as s:
        if fam == socket.AF_INET:
            csum = checksum(msg)
            if "badsum" in opts:
                csum ^= 0x5555
            msg = msg[:2] + struct.pack("!H", csum) + msg[4:]
        # (The kernel computes ICMPv6 checksums itself, always.)
        s.sendto(msg, (dst, 0))


def options(args):
    opts = {}
    for arg in args:
        key, _, value = arg.partition("=")
        opts[key] = value
    return opts


def run():
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        out = io.StringIO()
        real, sys.stdout = sys.stdout, out
        try:
            main(words[1:])
        finally:
            sys.stdout = real
        sys.stdout.write("".join("%s %s\n" % (words[0], o)
                                 for o in out.getvalue().splitlines()))
        sys.stdout.flush()


def main(argv):
    cmd, args = (argv[0], argv[1:]) if argv else ("", [])
    if cmd == "serve" and len(args) >= 2:
        serve(args[0], [int(p) for p in args[1].split(",")],
              "nocheck" in args[2:])
    elif cmd == "bulk" and len(args) == 3:
        bulk(args[0], int(args[1]), int(args[2]))
    elif cmd == "udp" and len(args) >= 3:
        udp(args[0], int(args[1]), int(args[2]), options(args[3:]))
    elif cmd == "multi" and len(args) >= 4:
        multi(args[0], int(args[1]), int(args[2]), args[3].split(","),
              "udp" in args[4:], options(args[4:]))
    elif cmd == "seq" and len(args) >= 3:
        seq(args[0], int(args[1]), int(args[2]), "udp" in args[3:],
            options(args[3:]))
    elif cmd == "run" and not args:
        run()
    elif cmd == "hold" and len(args) in (2, 3):
        hold(args[0], int(args[1]), int(args[2]) if len(args) == 3 else None)
    elif cmd == "icmp-recv" and len(args) == 3:
        icmp_recv(int(args[0]), int(args[1]), float(args[2]))
    elif cmd == "icmp-send" and len(args) >= 9:
        icmp_send(args[0], int(args[1]), int(args[2]), int(args[3]),
                  args[4], args[5], int(args[6]), args[7], int(args[8]),
                  options(args[9:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
