#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed input on the control plane: random and mutated "vsd" generic
# netlink messages (tests/tools/nlfuzz.c) for every command and for random
# command numbers: unknown attributes, wrong lengths, attributes outside
# their nest, nests without nesting, huge and unterminated strings, cut
# headers, random flags and bit flips.
#
# - From root: every message is answered (accepted or refused), nothing
#   crashes, and what was applied is consistent: vsdctl's listing and a
#   raw netlink dump (tests/lib/vsdnl.py) say the same, every invariant of
#   a configuration holds, and "vsdctl -S | vsdctl -R" rebuilds it.
# - Without CAP_NET_ADMIN (uid 65534, no capabilities), and as root of a
#   user namespace that does not own the network namespace: every command,
#   the changing ones and the reads, is refused with EPERM (vsd's
#   operations are all admin-only), and the configuration is unchanged.
# - As root of a user namespace with its own network namespace: the
#   storm applies there, and the first namespace's configuration is
#   unchanged.
# - The module unloads with the storm's services left, nothing leaked.
#
#   init namespace: vsd.ko, nlfuzz (root, then uid 65534, then userns)
#   userns + netns: nlfuzz as its root
#
# VSD_FUZZ_SEED (default 1) and VSD_FUZZ_COUNT (default 100000) pick the
# storm; a failure names the seed that reproduces it.

. "$(dirname "$0")/lib.sh"

NLFUZZ=$top/tests/tools/bin/nlfuzz
NL="python3 $top/tests/lib/vsdnl.py"
SEED=${VSD_FUZZ_SEED:-1}
COUNT=${VSD_FUZZ_COUNT:-100000}

require_root
require python3 jq setpriv unshare
if [ ! -x "$NLFUZZ" ]; then
	log_test 1 "$(basename "$0"): $NLFUZZ missing (make tools)"
	ksft_exit
fi
klog_mark
tmp=$(mktemp -d /tmp/vsd-nlfuzz.XXXXXX)
at_exit "rm -rf $tmp"

run_ok "module loads" vsd_load

# model FILE-PREFIX [SHADOW]: the configuration as vsdctl lists it and as
# the raw dump has it, both normalised (FILE-PREFIX.ctl, FILE-PREFIX.nl),
# and the invariants of the raw one checked (printed: what breaks them);
# and nlfuzz's shadow model of it (JSON as the raw dump's), normalised
# (FILE-PREFIX.shadow).
model() {
	"$VSDCTL" -L -n -j > "$1.ctl.json" &&
	$NL dump > "$1.nl.json" &&
	$NL info > "$1.info.json" || return 1
	python3 - "$@" <<-'EOF'
	import json, sys
	p = sys.argv[1]
	ctl = json.load(open(p + ".ctl.json"))["services"]
	nl = json.load(open(p + ".nl.json"))
	info = json.load(open(p + ".info.json"))
	fwds = {"route": 0, "tunnel": 1, "masq": 2}
	bits = {"flag-1": 2, "flag-2": 4, "flag-3": 8}

	def ctl_flags(s):
	    f = 1 if s.get("one_packet") else 0
	    for n in s.get("sched_flags", []):
	        f |= bits.get(n, 2 if n.endswith("fallback") else
	                      4 if n.endswith("port") else 0)
	    return f

	def ctl_norm(s):
	    af = 6 if s["family"] == "inet6" else 4
	    key = (af, "fwmark", s["fwmark"]) if s.get("fwmark") else \
	          (af, s["protocol"], s["address"], s["port"])
	    d = sorted((6 if x["family"] == "inet6" else 4, x["address"],
	                x["port"], x["forward"], x["weight"], x["u_threshold"],
	                x["l_threshold"]) for x in s["destinations"])
	    return repr((key, s["scheduler"], ctl_flags(s), s["timeout"],
	                 s["netmask"], d))

	def nl_norm(s):
	    key = (s["af"], "fwmark", s["fwmark"]) if "fwmark" in s else \
	          (s["af"], s["protocol"], s["addr"], s["port"])
	    d = sorted((x["af"], x["addr"], x["port"], x["fwd"], x["weight"],
	                x["u_thresh"], x["l_thresh"]) for x in s["dests"])
	    return repr((key, s["sched"], s["flags"], s["timeout"],
	                 s["netmask"], d))

	open(p + ".ctl", "w").write("\n".join(sorted(map(ctl_norm, ctl))) + "\n")
	open(p + ".nl", "w").write("\n".join(sorted(map(nl_norm, nl))) + "\n")

	# What "vsdctl -S" can say, as ipvsadm's -S: a netmask only for
	# persistent services (it means nothing otherwise).
	def saveable(s):
	    if not s["timeout"]:
	        s["netmask"] = 32 if s["af"] == 4 else 128
	    return nl_norm(s)

	open(p + ".saveable", "w").write(
	    "\n".join(sorted(map(saveable, nl))) + "\n")
	if len(sys.argv) > 2:
	    sh = json.load(open(sys.argv[2]))
	    open(p + ".shadow", "w").write(
	        "\n".join(sorted(map(nl_norm, sh))) + "\n")

	known = set()
	for v in info.values() if isinstance(info, dict) else []:
	    if isinstance(v, list):
	        known |= {x for x in v if isinstance(x, str)}
	bad = []
	keys = set()
	for s in nl:
	    k = nl_norm(s).split("), ")[0]
	    if k in keys:
	        bad.append("duplicate service " + k)
	    keys.add(k)
	    if s["af"] not in (4, 6):
	        bad.append("family %r" % s["af"])
	    if "fwmark" in s:
	        if not s["fwmark"]:
	            bad.append("fwmark 0")
	    elif s["protocol"] not in ("tcp", "udp"):
	        bad.append("protocol %r" % s["protocol"])
	    if known and s["sched"] not in known:
	        bad.append("scheduler %r" % s["sched"])
	    if s["flags"] & ~0xf:
	        bad.append("flags %#x" % s["flags"])
	    if s["netmask"] > (32 if s["af"] == 4 else 128):
	        bad.append("netmask %d" % s["netmask"])
	    if s["timeout"] > 365 * 86400:
	        bad.append("timeout %d" % s["timeout"])
	    if s["num_dests"] != len(s["dests"]):
	        bad.append("num_dests %d for %d" % (s["num_dests"], len(s["dests"])))
	    dk = set()
	    for d in s["dests"]:
	        t = (d["af"], d["addr"], d["port"])
	        if t in dk:
	            bad.append("duplicate destination %r" % (t,))
	        dk.add(t)
	        if d["weight"] > 65535:
	            bad.append("weight %d" % d["weight"])
	        if d["l_thresh"] > d["u_thresh"]:
	            bad.append("thresholds %d > %d" % (d["l_thresh"], d["u_thresh"]))
	        if d["af"] != s["af"] and d["fwd"] != "tunnel":
	            bad.append("family %d destination by %s" % (d["af"], d["fwd"]))
	print("\n".join(bad[:10]))
	EOF
}

# snapshot NAME: what must not change, in one file.
snapshot() {
	{ "$VSDCTL" -S -n; "$VSDCTL" -L -n -j; $NL config; } > "$tmp/$1" 2>&1
}

# What ipvsadm cannot express, the kernel refuses too (found by the storm:
# "vsdctl -S" saved what "vsdctl -R" could not restore).
refused() {
	local out

	out=$("$@" 2>&1)
	[ "$(jq -r .errno <<<"$out" 2>/dev/null)" = EINVAL ] || {
		printf '# %s\n' "$out"
		return 1
	}
}
run_ok "a TCP service is never one-packet" \
	refused $NL svc-add tcp:10.9.0.1:80 flags=1
run_ok "a non-persistent service of port 0 is refused" \
	refused $NL svc-add tcp:10.9.0.1:0
run_ok "setup: a TCP service" $NL svc-add tcp:10.9.0.1:80
run_ok "a DR destination with another port than the service's is refused" \
	refused $NL dest-add tcp:10.9.0.1:80 10.9.1.1:81 fwd=route
run_ok "so is a tunnelled one" \
	refused $NL dest-add tcp:10.9.0.1:80 10.9.1.1:81 fwd=tunnel
run_ok "a NAT destination may have another port" \
	$NL dest-add tcp:10.9.0.1:80 10.9.1.1:81 fwd=masq
run_ok "but cannot become DR with it" \
	refused $NL dest-set tcp:10.9.0.1:80 10.9.1.1:81 fwd=route
run_ok "cleared" $NL flush

# The storm, from root.
info "seed $SEED: $COUNT messages (VSD_FUZZ_SEED=$SEED VSD_FUZZ_COUNT=$COUNT to repeat)"
start=$(date +%s)
"$NLFUZZ" -m priv -n "$COUNT" -s "$SEED" -o "$tmp/shadow.json" \
	> "$tmp/priv.out" 2> "$tmp/priv.err"
rc=$?
secs=$(($(date +%s) - start))
grep -E '^(cmd|unknown)' "$tmp/priv.out" | sed 's/^/# /'
sed 's/^/# /' "$tmp/priv.err" | head -n 10
val() { sed -n "s/^$1=//p" "$tmp/$2.out"; }
info "$(val sent priv) messages in $secs s ($(val rate priv)/s):" \
	"$(val accepted priv) accepted, $(val refused priv) refused," \
	"$(val headers_cut priv) with a cut header"
check_eq "root: $COUNT messages, every one answered" \
	"$rc $(val sent priv) $(val unanswered priv)" "0 $COUNT 0"
run_ok "some of them changed the configuration" \
	test "$(val accepted priv)" -gt $((COUNT / 20))

bad=$(model "$tmp/after" "$tmp/shadow.json")
check_eq "the configuration keeps every invariant" "$bad" ""
check_eq "every accepted request was about what the shadow model has" \
	"$(val shadow_lost priv)" 0
check_diff "the kernel's configuration is the shadow model's" \
	"$tmp/after.shadow" "$tmp/after.nl"
info "$(wc -l < "$tmp/after.nl") services after the storm," \
	"$(jq '[.[].dests | length] | add // 0' "$tmp/after.nl.json") destinations"
check_diff "vsdctl lists what the kernel dumps" "$tmp/after.nl" "$tmp/after.ctl"

# Saved and restored, from nothing, it is the same.
"$VSDCTL" -S -n > "$tmp/saved"
run_ok "vsdctl -C, then vsdctl -R of what vsdctl -S saved" \
	sh -c "'$VSDCTL' -C && '$VSDCTL' -R < '$tmp/saved'"
"$VSDCTL" -S -n > "$tmp/saved2"
check_diff "vsdctl -S says the same again" "$tmp/saved" "$tmp/saved2"
bad=$(model "$tmp/restored")
check_diff "the restored configuration is the same in what -S saves" \
	"$tmp/after.saveable" "$tmp/restored.saveable"
info "what -S does not save (as ipvsadm's): $(diff "$tmp/after.nl" "$tmp/restored.nl" |
	grep -c '^<') services differ in a non-persistent netmask"

# Without the capability: everything refused, nothing changed.
snapshot before
unpriv() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
unpriv "$NLFUZZ" -m unpriv -n 10000 -s "$SEED" > "$tmp/unpriv.out" 2> "$tmp/unpriv.err"
rc=$?
sed 's/^/# /' "$tmp/unpriv.err" | head -n 10
check_eq "uid 65534 without capabilities: 10000 messages, all 14 commands, all EPERM" \
	"$rc $(val sent unpriv) $(val eperm unpriv)" "0 10000 10000"
snapshot after-unpriv
check_diff "and the configuration is unchanged" "$tmp/before" "$tmp/after-unpriv"

unshare --user --map-root-user "$NLFUZZ" -m unpriv -n 3000 -s "$SEED" \
	> "$tmp/userns.out" 2> "$tmp/userns.err"
rc=$?
sed 's/^/# /' "$tmp/userns.err" | head -n 10
check_eq "root of a user namespace not owning the network namespace: all EPERM" \
	"$rc $(val sent userns) $(val eperm userns)" "0 3000 3000"
snapshot after-userns
check_diff "and the configuration is unchanged" "$tmp/before" "$tmp/after-userns"

# Root of its own user and network namespace: vsd is its own there.
unshare --user --map-root-user --net sh -c \
	"ip link set lo up; '$NLFUZZ' -m priv -n 5000 -s $((SEED + 1)) &&
	 '$VSDCTL' -C" \
	> "$tmp/ownns.out" 2> "$tmp/ownns.err"
rc=$?
sed 's/^/# /' "$tmp/ownns.err" | head -n 10
check_eq "root of its own user and network namespace: its own storm, answered" \
	"$rc $(val unanswered ownns)" "0 0"
snapshot after-ownns
check_diff "and the first namespace's configuration is unchanged" \
	"$tmp/before" "$tmp/after-ownns"

run_ok "the module unloads with the storm's services in place" vsd_unload
klog_check
ksft_exit
