#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's netlink interface on its own, driven by tests/lib/vsdnl.py
# (not vsdctl): every rejection with its errno and message and no change,
# admin-only operations, per-namespace state, one-pass dumps that continue
# across messages, atomic REPLACE, and a clean unload with services left.
#
#   init namespace (vsd.ko, vsdnl.py)      ns "a", ns "b" (own services)

. "$(dirname "$0")/lib.sh"

require_root
require python3 jq setpriv
klog_mark

NL="python3 $top/tests/lib/vsdnl.py"
SVC=tcp:10.0.0.1:80

run_ok "module loads" vsd_load

# expect_err NAME ERRNO MSG-REGEX CMD...: the command is refused with ERRNO
# and an extack message, and the configuration is unchanged.
expect_err() {
	local name=$1 want=$2 msg=$3 before after out

	shift 3
	before=$($NL dump)
	out=$("$@" 2>&1)
	after=$($NL dump)
	if [ "$(jq -r .errno <<<"$out" 2>/dev/null)" != "$want" ]; then
		printf '# got: %s\n' "$out"
		log_test 1 "$name: $want"
	elif ! jq -r .msg <<<"$out" | grep -Eq -- "$msg"; then
		printf '# got: %s\n' "$out"
		log_test 1 "$name: message matches '$msg'"
	elif [ "$before" != "$after" ]; then
		log_test 1 "$name: configuration changed"
	else
		log_test 0 "$name: $want, '$(jq -r .msg <<<"$out")'"
	fi
}

run_ok "add a TCP service" $NL svc-add $SVC sched=rr
run_ok "add a destination" $NL dest-add $SVC 10.0.1.1 weight=3
run_ok "add an IPv6 UDP service, persistent /64" \
	$NL svc-add "udp:[2001:db8::1]:53" sched=wrr timeout=300 netmask=64
run_ok "add a firewall-mark service" $NL svc-add fwm:7

expect_err "duplicate service" EEXIST "service exists" $NL svc-add $SVC
expect_err "unknown scheduler" ENOENT "unknown scheduler" \
	$NL svc-add tcp:10.0.0.2:80 sched=nosuch
expect_err "scheduler name too long" EINVAL "policy" \
	$NL svc-add tcp:10.0.0.2:80 sched=aaaaaaaaaaaaaaaaaaaaaaaa
expect_err "unknown service flag" EINVAL "reserved bit" \
	$NL svc-add tcp:10.0.0.2:80 flags=0x100
expect_err "IPv4 netmask /33" EINVAL "netmask" \
	$NL svc-add tcp:10.0.0.2:80 netmask=33
expect_err "netmask /129" ERANGE "" \
	$NL svc-add "tcp:[2001:db8::2]:80" netmask=129
expect_err "firewall mark 0" EINVAL "firewall mark" $NL svc-add fwm:0
expect_err "persistence over a year" ERANGE "year" \
	$NL svc-add tcp:10.0.0.2:80 timeout=40000000
expect_err "SCTP service" EPROTONOSUPPORT "protocol" \
	$NL raw 2 "$(python3 -c '
import sys; sys.path.insert(0, "'"$top"'/tests/lib"); import vsdnl as v
print(v.nest(2, [v.u16(1, 2), v.u16(2, 132), v.nla(3, bytes([10,0,0,2])),
      v.be16(4, 80)]).hex())')"
expect_err "IPv4 service with a 16-byte address" EINVAL "address length" \
	$NL raw 2 "$(python3 -c '
import sys; sys.path.insert(0, "'"$top"'/tests/lib"); import vsdnl as v
print(v.nest(2, [v.u16(1, 2), v.u16(2, 6), v.nla(3, bytes(16)),
      v.be16(4, 80)]).hex())')"
expect_err "address family 3" EAFNOSUPPORT "family" \
	$NL raw 2 "$(python3 -c '
import sys; sys.path.insert(0, "'"$top"'/tests/lib"); import vsdnl as v
print(v.nest(2, [v.u16(1, 3), v.u16(2, 6), v.nla(3, bytes(4)),
      v.be16(4, 80)]).hex())')"
expect_err "service without a port" EINVAL "protocol, address and port" \
	$NL raw 2 "$(python3 -c '
import sys; sys.path.insert(0, "'"$top"'/tests/lib"); import vsdnl as v
print(v.nest(2, [v.u16(1, 2), v.u16(2, 6), v.nla(3, bytes(4))]).hex())')"
expect_err "unknown attribute" EINVAL "" \
	$NL raw 2 "$(python3 -c '
import sys; sys.path.insert(0, "'"$top"'/tests/lib"); import vsdnl as v
print(v.nest(2, [v.u16(1, 2), v.u16(2, 6), v.nla(3, bytes(4)),
      v.be16(4, 80), v.u32(99, 1)]).hex())')"
expect_err "stats are not writable" EINVAL "" \
	$NL raw 2 "$(python3 -c '
import sys; sys.path.insert(0, "'"$top"'/tests/lib"); import vsdnl as v
print(v.nest(2, [v.u16(1, 2), v.u16(2, 6), v.nla(3, bytes(4)),
      v.be16(4, 80), v.nest(10, [])]).hex())')"
expect_err "edit a missing service" ESRCH "no such service" \
	$NL svc-set tcp:10.0.0.9:80 sched=rr
expect_err "delete a missing service" ESRCH "no such service" \
	$NL svc-del tcp:10.0.0.9:80
expect_err "destination of a missing service" ESRCH "no such service" \
	$NL dest-add tcp:10.0.0.9:80 10.0.1.1
expect_err "duplicate destination" EEXIST "destination exists" \
	$NL dest-add $SVC 10.0.1.1
expect_err "weight 65536" ERANGE "" $NL dest-add $SVC 10.0.1.2 weight=65536
expect_err "upper threshold 2^31 (what -S could not save)" ERANGE "" \
	$NL dest-add $SVC 10.0.1.2 u=2147483648
expect_err "lower threshold above upper" ERANGE "threshold" \
	$NL dest-add $SVC 10.0.1.2 u=10 l=100
expect_err "IPv6 destination of an IPv4 service by DR" EAFNOSUPPORT \
	"another address family" $NL dest-add $SVC 2001:db8::5
expect_err "edit a missing destination" ENOENT "no such destination" \
	$NL dest-set $SVC 10.0.1.9 weight=2
expect_err "delete a missing destination" ENOENT "no such destination" \
	$NL dest-del $SVC 10.0.1.9
expect_err "timeout 0" ERANGE "timeout" $NL set tcp=0
expect_err "connection limit 0" ERANGE "" $NL set conn_max=0
expect_err "hook 2" ERANGE "" $NL raw 11 "$(python3 -c '
import sys; sys.path.insert(0, "'"$top"'/tests/lib"); import vsdnl as v
print(v.nest(5, [v.u8(4, 2)]).hex())')"

# Defaults and edits, as IPVS's.
d=$($NL dump)
check_eq "defaults: weight 1, DR, service's port, no thresholds" \
	"$(jq -c '.[] | select(.port == 80) | .dests[0] | [.weight, .fwd, .port, .u_thresh]' <<<"$d")" \
	'[3,"route",80,0]'
check_eq "default scheduler wlc, IPv4 netmask /32" \
	"$(jq -c '.[] | select(.fwmark == 7) | [.sched, .netmask, .timeout]' <<<"$d")" \
	'["wlc",32,0]'
run_ok "edit a service's scheduler only" $NL svc-set "udp:[2001:db8::1]:53" sched=lc
check_eq "... keeps its persistence" \
	"$($NL dump | jq -c '.[] | select(.af == 6) | [.sched, .timeout, .netmask]')" \
	'["lc",300,64]'
run_ok "edit a destination's weight only" $NL dest-set $SVC 10.0.1.1 weight=0
check_eq "... keeps its forwarding method" \
	"$($NL dump | jq -c '.[] | select(.port == 80) | .dests[0] | [.weight, .fwd]')" \
	'[0,"route"]'
run_ok "add an IPv6 destination by tunnel to an IPv4 service" \
	$NL dest-add $SVC 2001:db8::5 fwd=tunnel
check_eq "newest destination first (IPVS's order)" \
	"$($NL dump | jq -c '[.[] | select(.port == 80) | .dests[].addr]')" \
	'["2001:db8::5","10.0.1.1"]'

# Only the namespace's administrator; other namespaces are separate.
unpriv() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
for op in "info" "dump" "svc-add tcp:10.0.0.3:80" "dest-add $SVC 10.0.1.3" \
	  "set tcp=5" "flush" "zero"; do
	out=$(unpriv $NL $op 2>&1)
	check_eq "unprivileged '$op' refused" "$(jq -r .errno <<<"$out" 2>/dev/null)" EPERM
done
check_eq "... and nothing changed" "$($NL dump | jq length)" 3

ns_create a b
check_eq "a new namespace has no services" \
	"$(ip netns exec a $NL dump | jq length)" 0
run_ok "namespace a: add a service" ip netns exec a $NL svc-add $SVC sched=wrr
run_ok "namespace b: the same key is free" ip netns exec b $NL svc-add $SVC sched=lc
check_eq "namespace a sees its own" \
	"$(ip netns exec a $NL dump | jq -c '[.[].sched]')" '["wrr"]'
run_ok "namespace b: flush" ip netns exec b $NL flush
check_eq "... leaves a and the initial namespace alone" \
	"$(ip netns exec a $NL dump | jq length) $($NL dump | jq length)" "1 3"
run_ok "namespace b: own settings" ip netns exec b $NL set udp=33
check_eq "... not the initial namespace's" "$($NL config | jq .udp)" 300

# One-pass dumps: 2000 destinations continue over several messages.
python3 - > /tmp/api-big.json <<'P'
import json
d = [{"addr": "10.9.%d.%d" % (i >> 8, i & 255), "weight": i % 7}
     for i in range(2000)]
print(json.dumps([{"svc": "tcp:10.0.0.5:80", "sched": "wrr", "dests": d}]))
P
run_ok "REPLACE with one service of 2000 destinations" \
	ip netns exec a $NL replace /tmp/api-big.json
out=$(ip netns exec a $NL dump)
check_eq "dump returns all 2000, once each" \
	"$(jq -c '[.[0].num_dests, (.[0].dests | length), ([.[0].dests[].addr] | unique | length)]' <<<"$out")" \
	'[2000,2000,2000]'
check_eq "... in IPVS's order (last added first)" \
	"$(jq -r '.[0].dests[0].addr, .[0].dests[-1].addr' <<<"$out" | paste -sd,)" \
	"10.9.7.207,10.9.0.0"
out=$(ip netns exec a $NL get tcp:10.0.0.5:80)
check_eq "a single reply that cannot hold them says so" \
	"$(jq -r .errno <<<"$out")" EMSGSIZE
check_eq "a dump filtered on the service holds them" \
	"$(ip netns exec a $NL dump tcp:10.0.0.5:80 | jq '.[0].dests | length')" 2000

# REPLACE is atomic: an error anywhere changes nothing.
cat > /tmp/api-bad.json <<'J'
[{"svc": "tcp:10.0.0.1:80", "sched": "rr", "dests": [{"addr": "10.0.1.7"}]},
 {"svc": "tcp:10.0.0.6:80", "sched": "rr",
  "dests": [{"addr": "10.0.1.1"}, {"addr": "10.0.1.1"}]}]
J
expect_err "REPLACE with a duplicate destination" EEXIST \
	"duplicate destination" $NL replace /tmp/api-bad.json
cat > /tmp/api-bad.json <<'J'
[{"svc": "tcp:10.0.0.1:80", "sched": "rr"},
 {"svc": "tcp:10.0.0.1:80", "sched": "wrr"}]
J
expect_err "REPLACE with a duplicate service" EEXIST "duplicate service" \
	$NL replace /tmp/api-bad.json
cat > /tmp/api-bad.json <<'J'
[{"svc": "tcp:10.0.0.1:80", "sched": "rr"},
 {"svc": "tcp:10.0.0.8:80", "sched": "nosuch"}]
J
expect_err "REPLACE with an unknown scheduler" ENOENT "unknown scheduler" \
	$NL replace /tmp/api-bad.json
cat > /tmp/api-good.json <<'J'
[{"svc": "tcp:10.0.0.1:80", "sched": "wrr",
  "dests": [{"addr": "10.0.1.1", "weight": 5}, {"addr": "10.0.1.4"}]},
 {"svc": "udp:10.0.0.1:53", "sched": "rr", "dests": [{"addr": "10.0.1.1"}]}]
J
run_ok "REPLACE with a valid configuration" $NL replace /tmp/api-good.json
check_eq "... is exactly that configuration" \
	"$($NL dump | jq -c '[.[] | [.protocol, .port, .sched, [.dests[] | [.addr, .weight]]]] | sort')" \
	'[["tcp",80,"wrr",[["10.0.1.4",1],["10.0.1.1",5]]],["udp",53,"rr",[["10.0.1.1",1]]]]'
echo '[]' > /tmp/api-empty.json
run_ok "an empty REPLACE flushes" $NL replace /tmp/api-empty.json
check_eq "... nothing left" "$($NL dump | jq length)" 0

# Dumps under configuration churn: complete and consistent, or EINTR.
python3 - > /tmp/api-churn.json <<'P'
import json
print(json.dumps([{"svc": "tcp:10.3.%d.%d:80" % (i >> 8, i & 255), "sched": "rr",
                   "dests": [{"addr": "10.4.0.%d" % j} for j in range(1, 21)]}
                  for i in range(300)]))
P
run_ok "REPLACE with 300 services x 20 destinations" $NL replace /tmp/api-churn.json
rm -f /tmp/api-stop
( while [ ! -e /tmp/api-stop ]; do
	$NL svc-add tcp:10.5.0.1:80 >/dev/null
	$NL svc-del tcp:10.5.0.1:80 >/dev/null
  done ) &
churn=$!
bad=0
intr=0
for i in $(seq 1 8); do
	out=$($NL dump)
	if [ "$(jq -r '.errno? // empty' <<<"$out" 2>/dev/null)" = EINTR ]; then
		intr=$((intr + 1))
		continue
	fi
	n=$(jq '[.[] | select(.num_dests != (.dests | length))] | length' <<<"$out")
	c=$(jq 'map(select(.port == 80 and (.addr | startswith("10.3.")))) | length' <<<"$out")
	[ "$n" = 0 ] && [ "$c" = 300 ] || bad=$((bad + 1))
done
touch /tmp/api-stop
wait $churn
info "$intr of 8 dumps were interrupted by a change and said so"
check_eq "dumps under churn: never inconsistent" "$bad" 0

# Unload with services and namespaces left: every object freed.
run_ok "module unloads with services in three namespaces" vsd_unload
check_eq "no leak reported" "$(klog_since_mark | grep -c 'vsd: leak')" 0

klog_check
ksft_exit
