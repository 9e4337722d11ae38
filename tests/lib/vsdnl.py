#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
vsdnl: a minimal client of the "vsd" generic netlink family, independent of
vsdctl, for testing the kernel interface itself (validation, errors, dumps,
REPLACE) and for feeding it raw or malformed messages.

Usage (each prints JSON; errors print {"error": errno, "msg": extack} and
exit 1):
  vsdnl.py info | config | dump [SVC] | conns
  vsdnl.py svc-add SVC [sched=rr] [flags=N] [timeout=S] [netmask=N]
  vsdnl.py svc-set SVC [...]          vsdnl.py svc-del SVC
  vsdnl.py dest-add SVC ADDR[:PORT] [fwd=route|tunnel|masq] [weight=N]
                 [u=N] [l=N] [af=4|6]
  vsdnl.py dest-set ... / dest-del SVC ADDR[:PORT]
  vsdnl.py set KEY=VAL...             (tcp tcpfin udp hook conntrack conn_max
                                       expire_nodest_conn)
  vsdnl.py zero [SVC] | flush
  vsdnl.py replace FILE               (JSON: [{"svc": SVC, "sched": ..,
                                       "dests": [{"addr": .., ...}]}])
  vsdnl.py raw CMD HEX                (attributes given as hex bytes)
SVC is tcp:ADDR:PORT, udp:ADDR:PORT, fwm:MARK or fwm6:MARK; IPv6 addresses
in brackets: tcp:[2001:db8::1]:80.
"""

import errno
import json
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLM_F_DUMP_INTR = 0x10
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_ACK_TLVS = 0x200
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 0x8000

CMD = dict(GET_INFO=1, NEW_SERVICE=2, SET_SERVICE=3, DEL_SERVICE=4,
           GET_SERVICE=5, NEW_DEST=6, SET_DEST=7, DEL_DEST=8, GET_CONN=9,
           GET_CONFIG=10, SET_CONFIG=11, ZERO=12, FLUSH=13, REPLACE=14)
A_INFO, A_SERVICE, A_DEST, A_CONN, A_CONFIG = 1, 2, 3, 4, 5
SVC = dict(AF=1, PROTOCOL=2, ADDR=3, PORT=4, FWMARK=5, SCHED_NAME=6, FLAGS=7,
           TIMEOUT=8, NETMASK=9, STATS=10, DESTS=11, NUM_DESTS=12,
           DESTS_CONTINUED=13)
DEST = dict(AF=1, ADDR=2, PORT=3, FWD=4, WEIGHT=5, U_THRESH=6, L_THRESH=7,
            ACTIVE_CONNS=8, INACT_CONNS=9, PERSIST_CONNS=10, STATS=11)
STATS = ["", "conns", "inpkts", "outpkts", "inbytes", "outbytes", "cps",
         "inpps", "outpps", "inbps", "outbps"]
CONN = dict(AF=1, PROTOCOL=2, CADDR=3, CPORT=4, VADDR=5, VPORT=6, DEST_AF=7,
            DADDR=8, DPORT=9, FWMARK=10, FWD=11, STATE=12, EXPIRES=13,
            FLAGS=14)
CFG = dict(tcp=1, tcpfin=2, udp=3, hook=4, conntrack=5, conn_max=6,
           expire_nodest_conn=7)
FWD = dict(route=0, tunnel=1, masq=2)
HOOK = dict(prerouting=0, local_in=1)
PROTO = dict(tcp=6, udp=17)


def nla(t, payload):
    hdr = struct.pack("HH", 4 + len(payload), t)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def nest(t, attrs):
    return nla(t | NLA_F_NESTED, b"".join(attrs))


def u8(t, v):
    return nla(t, struct.pack("B", v))


def u16(t, v):
    return nla(t, struct.pack("H", v))


def u32(t, v):
    return nla(t, struct.pack("I", v))


def be16(t, v):
    return nla(t, struct.pack(">H", v))


def string(t, v):
    return nla(t, v.encode() + b"\0")


def parse_attrs(data):
    out = []
    off = 0
    while off + 4 <= len(data):
        ln, t = struct.unpack_from("HH", data, off)
        if ln < 4:
            break
        out.append((t & ~NLA_F_NESTED, data[off + 4:off + ln]))
        off += (ln + 3) & ~3
    return out


def split_addr(s):
    """ADDR[:PORT] or [ADDR6][:PORT] -> (af, bytes, port or None)"""
    port = None
    if s.startswith("["):
        a, _, rest = s[1:].partition("]")
        if rest.startswith(":"):
            port = int(rest[1:])
    elif s.count(":") == 1:
        a, p = s.split(":")
        port = int(p)
    else:
        a = s
    if ":" in a:
        return socket.AF_INET6, socket.inet_pton(socket.AF_INET6, a), port
    return socket.AF_INET, socket.inet_pton(socket.AF_INET, a), port


def fmt_addr(af, b):
    return socket.inet_ntop(af, b)


def svc_key(s):
    kind, _, rest = s.partition(":")
    if kind in ("fwm", "fwm6"):
        af = socket.AF_INET6 if kind == "fwm6" else socket.AF_INET
        return [u16(SVC["AF"], af), u32(SVC["FWMARK"], int(rest))], af
    af, a, port = split_addr(rest)
    return [u16(SVC["AF"], af), u16(SVC["PROTOCOL"], PROTO[kind]),
            nla(SVC["ADDR"], a), be16(SVC["PORT"], port or 0)], af


def svc_params(kv):
    out = []
    for k, v in kv.items():
        if k == "sched":
            out.append(string(SVC["SCHED_NAME"], v))
        elif k == "flags":
            out.append(u32(SVC["FLAGS"], int(v, 0)))
        elif k == "timeout":
            out.append(u32(SVC["TIMEOUT"], int(v)))
        elif k == "netmask":
            out.append(u8(SVC["NETMASK"], int(v)))
        else:
            raise SystemExit("unknown service parameter " + k)
    return out


def dest_attrs(addr, kv):
    af, a, port = split_addr(addr)
    out = [nla(DEST["ADDR"], a)]
    if "af" in kv or af == socket.AF_INET6:
        out.append(u16(DEST["AF"], socket.AF_INET6 if kv.get("af", "6" if
                   af == socket.AF_INET6 else "4") == "6" else socket.AF_INET))
    if port is not None:
        out.append(be16(DEST["PORT"], port))
    for k, v in kv.items():
        if k == "fwd":
            out.append(u8(DEST["FWD"], FWD[v]))
        elif k == "weight":
            out.append(u32(DEST["WEIGHT"], int(v)))
        elif k == "u":
            out.append(u32(DEST["U_THRESH"], int(v)))
        elif k == "l":
            out.append(u32(DEST["L_THRESH"], int(v)))
        elif k != "af":
            raise SystemExit("unknown destination parameter " + k)
    return out


class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                NETLINK_GENERIC)
        self.sk.setsockopt(270, NETLINK_EXT_ACK, 1)
        self.sk.setsockopt(270, NETLINK_CAP_ACK, 1)
        try:
            self.sk.setsockopt(socket.SOL_SOCKET, 32, 64 << 20)
        except OSError:
            pass
        self.sk.bind((0, 0))
        self.seq = 0
        replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                               string(CTRL_ATTR_FAMILY_NAME, "vsd"))
        self.family = None
        for attrs in replies:
            for t, v in attrs:
                if t == CTRL_ATTR_FAMILY_ID:
                    self.family = struct.unpack("H", v[:2])[0]

    def request(self, family, cmd, payload, dump=False, version=1):
        self.seq += 1
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        body = struct.pack("BBH", cmd, version, 0) + payload
        msg = struct.pack("IHHII", 16 + len(body), family, flags, self.seq,
                          0) + body
        self.sk.sendall(msg)
        replies = []
        intr = False
        while True:
            data = self.sk.recv(1 << 20)
            off = 0
            while off < len(data):
                ln, typ, fl, seq, _ = struct.unpack_from("IHHII", data, off)
                m = data[off:off + ln]
                off += (ln + 3) & ~3
                if fl & NLM_F_DUMP_INTR:
                    intr = True
                if typ == NLMSG_ERROR:
                    err = struct.unpack_from("i", m, 16)[0]
                    if err == 0:
                        return replies
                    msgtext = ""
                    offs = None
                    if fl & NLM_F_ACK_TLVS:
                        inner = struct.unpack_from("I", m, 20)[0]
                        tl = m[20 + (16 if fl & 0x100 else inner):]
                        for t, v in parse_attrs(tl):
                            if t == 1:
                                msgtext = v.rstrip(b"\0").decode()
                            if t == 2:
                                offs = struct.unpack("I", v[:4])[0]
                    raise NlError(-err, msgtext, offs)
                if typ == NLMSG_DONE:
                    err = struct.unpack_from("i", m, 16)[0] if ln >= 20 else 0
                    if err:
                        raise NlError(-err, "", None)
                    if intr:
                        raise NlError(errno.EINTR, "dump interrupted", None)
                    return replies
                replies.append(parse_attrs(m[20:]))


class NlError(Exception):
    def __init__(self, err, msg, offs):
        super().__init__(err, msg)
        self.err, self.msg, self.offs = err, msg, offs


def decode_stats(v):
    return {STATS[t]: struct.unpack("Q", x[:8])[0] for t, x in parse_attrs(v)
            if 0 < t < len(STATS)}


def decode_dest(v):
    d = {}
    a = dict(parse_attrs(v))
    af = struct.unpack("H", a[DEST["AF"]][:2])[0]
    d["af"] = 6 if af == socket.AF_INET6 else 4
    d["addr"] = fmt_addr(af, a[DEST["ADDR"]])
    d["port"] = struct.unpack(">H", a[DEST["PORT"]][:2])[0]
    d["fwd"] = [k for k, x in FWD.items() if x == a[DEST["FWD"]][0]][0]
    for k in ("WEIGHT", "U_THRESH", "L_THRESH", "ACTIVE_CONNS",
              "INACT_CONNS", "PERSIST_CONNS"):
        d[k.lower()] = struct.unpack("I", a[DEST[k]][:4])[0]
    d["stats"] = decode_stats(a[DEST["STATS"]])
    return d


def decode_service(v):
    s = {}
    a = {}
    for t, x in parse_attrs(v):
        a[t] = x
    af = struct.unpack("H", a[SVC["AF"]][:2])[0]
    s["af"] = 6 if af == socket.AF_INET6 else 4
    if SVC["FWMARK"] in a:
        s["fwmark"] = struct.unpack("I", a[SVC["FWMARK"]][:4])[0]
    else:
        s["protocol"] = {6: "tcp", 17: "udp"}.get(
            struct.unpack("H", a[SVC["PROTOCOL"]][:2])[0])
        s["addr"] = fmt_addr(af, a[SVC["ADDR"]])
        s["port"] = struct.unpack(">H", a[SVC["PORT"]][:2])[0]
    s["sched"] = a[SVC["SCHED_NAME"]].rstrip(b"\0").decode()
    s["flags"] = struct.unpack("I", a[SVC["FLAGS"]][:4])[0]
    s["timeout"] = struct.unpack("I", a[SVC["TIMEOUT"]][:4])[0]
    s["netmask"] = a[SVC["NETMASK"]][0]
    s["num_dests"] = struct.unpack("I", a[SVC["NUM_DESTS"]][:4])[0]
    s["continued"] = SVC["DESTS_CONTINUED"] in a
    s["stats"] = decode_stats(a[SVC["STATS"]])
    s["dests"] = [decode_dest(x) for t, x in parse_attrs(a[SVC["DESTS"]])
                  if t == A_DEST]
    return s


def merge_dump(replies):
    out = []
    for attrs in replies:
        for t, v in attrs:
            if t != A_SERVICE:
                continue
            s = decode_service(v)
            if s.pop("continued") and out:
                out[-1]["dests"] += s["dests"]
            else:
                out.append(s)
    return out


def decode_conn(v):
    a = dict(parse_attrs(v))
    af = struct.unpack("H", a[CONN["AF"]][:2])[0]
    daf = struct.unpack("H", a[CONN["DEST_AF"]][:2])[0]
    c = {"protocol": struct.unpack("H", a[CONN["PROTOCOL"]][:2])[0],
         "caddr": fmt_addr(af, a[CONN["CADDR"]]),
         "cport": struct.unpack(">H", a[CONN["CPORT"]][:2])[0],
         "vaddr": fmt_addr(af, a[CONN["VADDR"]]) if CONN["VADDR"] in a
         else None,
         "vport": struct.unpack(">H", a[CONN["VPORT"]][:2])[0],
         "daddr": fmt_addr(daf, a[CONN["DADDR"]]),
         "dport": struct.unpack(">H", a[CONN["DPORT"]][:2])[0],
         "state": a[CONN["STATE"]][0],
         "expires": struct.unpack("I", a[CONN["EXPIRES"]][:4])[0],
         "flags": struct.unpack("I", a[CONN["FLAGS"]][:4])[0]}
    return c


def kv_args(args):
    return dict(a.split("=", 1) for a in args)


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    try:
        g = Genl()
    except NlError as e:
        print(json.dumps({"error": e.err, "errno": errno.errorcode.get(e.err),
                          "msg": "no vsd family (module not loaded?)"}))
        return 1
    if g.family is None:
        print(json.dumps({"error": errno.ENOENT, "msg": "no vsd family"}))
        return 1
    op, args = argv[0], argv[1:]
    res = None
    try:
        if op == "info":
            r = g.request(g.family, CMD["GET_INFO"], b"")
            a = dict(parse_attrs(dict(r[0])[A_INFO]))
            res = {"version": a[1].rstrip(b"\0").decode(),
                   "conn_tab_size": struct.unpack("I", a[2][:4])[0],
                   "conn_max": struct.unpack("I", a[3][:4])[0],
                   "conn_count": struct.unpack("I", a[4][:4])[0],
                   "schedulers": [x.rstrip(b"\0").decode()
                                  for _, x in parse_attrs(a[5])],
                   "counters": {t: struct.unpack("Q", x[:8])[0]
                                for t, x in parse_attrs(a[7]) if t > 1}}
        elif op == "config":
            r = g.request(g.family, CMD["GET_CONFIG"], b"")
            a = dict(parse_attrs(dict(r[0])[A_CONFIG]))
            res = {}
            for k, t in CFG.items():
                v = a[t]
                res[k] = struct.unpack("I", v[:4])[0] if len(v) >= 4 \
                    else v[0]
        elif op == "set":
            attrs = []
            for k, v in kv_args(args).items():
                if k in ("hook",):
                    attrs.append(u8(CFG[k], HOOK[v]))
                elif k in ("conntrack", "expire_nodest_conn"):
                    attrs.append(u8(CFG[k], int(v)))
                else:
                    attrs.append(u32(CFG[k], int(v)))
            g.request(g.family, CMD["SET_CONFIG"], nest(A_CONFIG, attrs))
        elif op == "dump":
            payload = b""
            if args:
                payload = nest(A_SERVICE, svc_key(args[0])[0])
            r = g.request(g.family, CMD["GET_SERVICE"], payload, dump=True)
            res = merge_dump(r)
        elif op == "get":
            r = g.request(g.family, CMD["GET_SERVICE"],
                          nest(A_SERVICE, svc_key(args[0])[0]))
            res = merge_dump(r)
        elif op == "conns":
            r = g.request(g.family, CMD["GET_CONN"], b"", dump=True)
            res = [decode_conn(v) for attrs in r for t, v in attrs
                   if t == A_CONN]
        elif op in ("svc-add", "svc-set", "svc-del"):
            cmd = {"svc-add": "NEW_SERVICE", "svc-set": "SET_SERVICE",
                   "svc-del": "DEL_SERVICE"}[op]
            key, _ = svc_key(args[0])
            g.request(g.family, CMD[cmd],
                      nest(A_SERVICE, key + svc_params(kv_args(args[1:]))))
        elif op in ("dest-add", "dest-set", "dest-del"):
            cmd = {"dest-add": "NEW_DEST", "dest-set": "SET_DEST",
                   "dest-del": "DEL_DEST"}[op]
            key, _ = svc_key(args[0])
            g.request(g.family, CMD[cmd],
                      nest(A_SERVICE, key) +
                      nest(A_DEST, dest_attrs(args[1], kv_args(args[2:]))))
        elif op == "zero":
            payload = nest(A_SERVICE, svc_key(args[0])[0]) if args else b""
            g.request(g.family, CMD["ZERO"], payload)
        elif op == "flush":
            g.request(g.family, CMD["FLUSH"], b"")
        elif op == "replace":
            with open(args[0]) as f:
                conf = json.load(f)
            parts = []
            for s in conf:
                params = {k: str(v) for k, v in s.items()
                          if k in ("sched", "flags", "timeout", "netmask")}
                parts.append(nest(A_SERVICE, svc_key(s["svc"])[0] +
                                  svc_params(params)))
                for d in s.get("dests", []):
                    kv = {k: str(v) for k, v in d.items() if k != "addr"}
                    parts.append(nest(A_DEST, dest_attrs(d["addr"], kv)))
            g.request(g.family, CMD["REPLACE"], b"".join(parts))
        elif op == "raw":
            g.request(g.family, int(args[0]), bytes.fromhex(args[1]),
                      dump=len(args) > 2 and args[2] == "dump")
        else:
            print(__doc__)
            return 2
    except NlError as e:
        out = {"error": e.err, "errno": errno.errorcode.get(e.err, "?"),
               "msg": e.msg}
        if e.offs is not None:
            out["offset"] = e.offs
        print(json.dumps(out))
        return 1
    if res is not None:
        print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
