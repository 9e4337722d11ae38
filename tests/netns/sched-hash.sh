#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The hashing schedulers, sh (source hashing) and mh (Maglev), over UDP
# datagrams from 128 client addresses and from 1,000 ports of one address.
# The service schedules every datagram (-o, one-packet scheduling: no
# connection is kept), so sending the same flows again asks the scheduler
# again, never the connection table.
#
# sh, against Linux's IPVS (ip_vs_sh), weights 3:2:1: the same real server
# for every datagram, by client address, and by address and port with
# sh-port; a client always reaches the same server, whatever its port.
#
# mh, weights 3:2:1 with mh-port: the shares follow the weights; the same
# flows reach the same servers when the real servers are added in another
# order, on a second director, and after a module reload; removing a
# real server moves its flows and hardly any other; by client address
# only, a client keeps its server; the table size is a module parameter
# (a prime).  vsd's table differs from IPVS's by design (bounded lookahead,
# share caps, fixed SipHash keys): IPVS's shares are printed, not compared.
#
#  client 10.0.1.2,         router                   director   rs1, rs2, rs3
#  10.0.1.100-227 ---- 10.0.1.1 | br0 10.0.2.1 --+-- 10.0.2.2   10.0.2.11 .12 .13
#                    VIP 10.0.0.100 routed      +-- director2 (10.0.2.3)
#                    to a director              +-- rs1..rs3  VIP on dummy0 (DR)

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/forwarding.bash"

require_root
require busybox jq modprobe "$DP_PY"
klog_mark
ipvs_need sh mh
sched_setup

# director2: a second director on the server LAN, its own vsd instance.
setup ns_create director2
setup link_ns director2 eth0 router director2
setup ip -n router link set director2 master br0
setup ip -n director2 addr add 10.0.2.3/24 dev eth0
setup ip -n director2 route add default via 10.0.2.1

# 128 more client addresses, 10.0.1.100 to 10.0.1.227.
setup sh -c 'seq -f "addr add 10.0.1.%g/24 dev eth0" 100 227 | ip -n client -batch -'
SRCS=$(seq -s, -f 10.0.1.%g 100 227)

rs_ip() {
	case $1 in
	rs1) echo $RS1 ;;
	rs2) echo $RS2 ;;
	rs3) echo $RS3 ;;
	esac
}

# ctl IMPL ARGS...: vsdctl on director (vsd) or director2 (vsd2), or
# ipvsadm on director (ipvs).
ctl() {
	if [ "$1" = vsd2 ]; then
		shift
		on director2 "$VSDCTL" "$@"
	else
		lvs "$@"
	fi
}

# hash_config IMPL SCHED FLAGS RS:WEIGHT...: the only service (of vsd and
# IPVS on director, or of director2), udp VIP4:5000 -o with SCHED and its
# FLAGS ("" for none), the real servers added in that order (DR).  IPVS
# hooks LOCAL_IN: it gets the VIP on lo.
hash_config() {
	local impl=$1 s=$2 f=$3 rs

	shift 3
	if [ "$impl" = vsd2 ]; then
		ctl vsd2 -C || return 1
	else
		lvs_clear || return 1
	fi
	if [ "$impl" = ipvs ]; then
		ip -n director addr replace $VIP4/32 dev lo || return 1
	fi
	ctl "$impl" -A -u $VIP4:5000 -s "$s" -o ${f:+-b "$f"} || return 1
	for rs in "$@"; do
		ctl "$impl" -a -u $VIP4:5000 -r "$(rs_ip "${rs%:*}")":5000 -g \
			-w "${rs#*:}" || return 1
	done
}

# to FILE CMD...: CMD's output in FILE; fails when a flow got no answer.
to() {
	local f=$1

	shift
	"$@" > "$f" && [ -s "$f" ] && ! grep -qw error "$f"
}

# shares FILE: "COUNT NAME" per real server answering the lines of FILE
# (the last field of each), on one line.
shares() { awk '{ print $NF }' "$1" | tally; }

# within FILE NAME:WEIGHT...: each server's count is within 4 standard
# deviations of its weighted share (binomial: sqrt(N p (1 - p))); prints
# the counts and the expectations.
within() {
	local f=$1

	shift
	awk -v spec="$*" '{ n[$NF]++; total++ }
		END {
			k = split(spec, s, " ")
			for (i = 1; i <= k; i++) {
				split(s[i], a, ":"); w[i] = a[2]; W += a[2]
			}
			for (i = 1; i <= k; i++) {
				split(s[i], a, ":"); p = w[i] / W
				e = total * p; d = 4 * sqrt(total * p * (1 - p))
				c = n[a[1]] + 0
				printf "%s %d (%.0f +- %.0f) ", a[1], c, e, d
				if (c < e - d || c > e + d)
					bad = 1
			}
			print ""; exit bad
		}' "$f"
}

# one_server FILE: every "SRC NAME" line of a source names the same server;
# prints the number of sources.
one_server() {
	awk '!seen[$1 " " $2]++ { n[$1]++ } END {
		for (s in n) { c++; if (n[s] != 1) bad = 1 }
		print c + 0; exit bad }' "$1"
}

# moved FROM TO GONE: of the flows of FROM (lines "NAME"), how many moved
# in TO, as "ON-GONE MOVED-ON-GONE OTHERS-MOVED".
moved() {
	paste -d' ' "$1" "$2" | awk -v gone="$3" '
		$1 == gone { g++; if ($2 != gone) gm++; next }
		$1 != $2 { o++ }
		END { print g + 0, gm + 0, o + 0 }'
}

# --- sh: the same servers as IPVS ------------------------------------------
for impl in vsd ipvs; do
	run_ok "$impl: sh, rs1:3 rs2:2 rs3:1" \
		hash_config $impl sh "" rs1:3 rs2:2 rs3:1
	run_ok "$impl: 8 rounds of a datagram from each of 128 addresses" \
		to "$DP_TMP/sh.$impl" fwd client multi $VIP4 5000 8 "$SRCS" udp window=32
	run_ok "$impl: sh-port, rs1:3 rs2:2 rs3:1" \
		hash_config $impl sh sh-port rs1:3 rs2:2 rs3:1
	run_ok "$impl: 1024 datagrams from one address, ports 20000-21023" \
		to "$DP_TMP/sh-port.$impl" fwd client seq $VIP4 5000 1024 udp sport=20000 window=32
done
check_eq "vsd: sh: each address always reaches one server, whatever its port" \
	"$(one_server "$DP_TMP/sh.vsd")" 128
info "vsd: sh, 128 addresses: $(awk '!s[$1]++' "$DP_TMP/sh.vsd" | shares /dev/stdin)"
check_diff "sh: the same server for each of 1024 datagrams as IPVS" \
	"$DP_TMP/sh.ipvs" "$DP_TMP/sh.vsd"
info "vsd: sh-port, 1024 ports: $(shares "$DP_TMP/sh-port.vsd")"
check_eq "vsd: sh-port: one address's ports reach all three servers" \
	"$(awk '{ print $1 }' "$DP_TMP/sh-port.vsd" | sort -u | xargs)" "rs1 rs2 rs3"
check_diff "sh-port: the same server for each of 1024 datagrams as IPVS" \
	"$DP_TMP/sh-port.ipvs" "$DP_TMP/sh-port.vsd"

# --- mh ---------------------------------------------------------------------
# mh_flows IMPL FILE: 1000 datagrams from one address, ports 30000-30999.
mh_flows() {
	to "$2" fwd client seq $VIP4 5000 1000 udp sport=30000 window=32
}

MH=mh-port
run_ok "vsd: mh mh-port, rs1:3 rs2:2 rs3:1" \
	hash_config vsd mh $MH rs1:3 rs2:2 rs3:1
run_ok "vsd: 1000 datagrams, ports 30000-30999" mh_flows vsd "$DP_TMP/mh.a"
# The table gives each server its weight's share of the 4093 slots (at
# most one slot more, maglev.h), and a datagram's slot is a SipHash of its
# address and port: the counts are binomial around N w / W, and the bound
# is 4 standard deviations (keys and flows are fixed: the outcome does not
# vary from a run to the next).
out=$(within "$DP_TMP/mh.a" rs1:3 rs2:2 rs3:1)
check_eq "vsd: mh shares follow the weights 3:2:1: $out" $? 0
run_ok "ipvs: mh mh-port, rs1:3 rs2:2 rs3:1" \
	hash_config ipvs mh $MH rs1:3 rs2:2 rs3:1
if run_cmd mh_flows ipvs "$DP_TMP/mh.ipvs"; then
	info "ipvs: mh, the same 1000 datagrams: $(within "$DP_TMP/mh.ipvs" rs1:3 rs2:2 rs3:1)"
fi
run_ok "ipvs: cleared" lvs_clear

run_ok "vsd: rebuilt, the servers added as rs3, rs1, rs2" \
	hash_config vsd mh $MH rs3:1 rs1:3 rs2:2
run_ok "vsd: the same 1000 datagrams" mh_flows vsd "$DP_TMP/mh.b"
check_diff "mh: the same server for each datagram, whatever the order" \
	"$DP_TMP/mh.a" "$DP_TMP/mh.b"

run_ok "director2: mh, the servers added as rs2, rs3, rs1" \
	hash_config vsd2 mh $MH rs2:2 rs3:1 rs1:3
setup ip -n router route replace $VIP4/32 via 10.0.2.3
run_ok "director2: the same 1000 datagrams" mh_flows vsd2 "$DP_TMP/mh.c"
setup ip -n router route replace $VIP4/32 via 10.0.2.2
check_eq "director2 counted them all" \
	"$(on director2 "$VSDCTL" -L -n --stats --exact -j | jq '.services[0].stats.inpkts')" 1000
check_diff "mh: the same server for each datagram on a second director" \
	"$DP_TMP/mh.a" "$DP_TMP/mh.c"

run_ok "vsd: rs2 deleted" vsd -d -u $VIP4:5000 -r $RS2:5000
run_ok "vsd: the same 1000 datagrams" mh_flows vsd "$DP_TMP/mh.d"
m=$(moved "$DP_TMP/mh.a" "$DP_TMP/mh.d" rs2)
info "rs2 deleted: rs2 had, moved, others moved: $m; now $(shares "$DP_TMP/mh.d")"
# All of rs2's flows must move; of the others, only those whose slot the
# rebuilt table gives to the other survivor (the refill's cascade, ~1.2%
# of the slots here; 0 for an ideal consistent hash): at most 3% of all.
check_eq "mh: rs2's flows all moved" \
	"$(echo "$m" | awk '{ print ($1 == $2 && $1 > 0) }')" 1
check_eq "mh: others moved: $(echo "$m" | awk '{ print $3 }'), at most 30 (3%)" \
	"$(echo "$m" | awk '{ print ($3 <= 30) }')" 1

run_ok "vsd: mh without mh-port (client address only), rs1:3 rs2:2 rs3:1" \
	hash_config vsd mh "" rs1:3 rs2:2 rs3:1
run_ok "vsd: 4 rounds of a datagram from each of 128 addresses" \
	to "$DP_TMP/mh-addr.vsd" fwd client multi $VIP4 5000 4 "$SRCS" udp window=32
check_eq "vsd: mh: each address always reaches one server, whatever its port" \
	"$(one_server "$DP_TMP/mh-addr.vsd")" 128
check_eq "vsd: mh: the addresses spread over all three servers" \
	"$(awk '{ print $2 }' "$DP_TMP/mh-addr.vsd" | sort -u | xargs)" "rs1 rs2 rs3"

# The table size: a prime, read at load time.
run_ok "services cleared" lvs_clear
run_fail "mh_table_size=4096 (not a prime) refused" vsd_load mh_table_size=4096
run_ok "vsd reloaded" vsd_load
run_ok "vsd: mh as first configured, after the reload" \
	hash_config vsd mh $MH rs1:3 rs2:2 rs3:1
run_ok "vsd: the same 1000 datagrams" mh_flows vsd "$DP_TMP/mh.e"
check_diff "mh: the same server for each datagram after a module reload" \
	"$DP_TMP/mh.a" "$DP_TMP/mh.e"
run_ok "vsd reloaded, mh_table_size=65537" vsd_load mh_table_size=65537
check_eq "module parameter mh_table_size" \
	"$(cat /sys/module/vsd/parameters/mh_table_size)" 65537
run_ok "vsd: mh mh-port, rs1:3 rs2:2 rs3:1" \
	hash_config vsd mh $MH rs1:3 rs2:2 rs3:1
run_ok "vsd: the same 1000 datagrams" mh_flows vsd "$DP_TMP/mh.f"
out=$(within "$DP_TMP/mh.f" rs1:3 rs2:2 rs3:1)
check_eq "vsd: 65537 slots: shares follow the weights: $out" $? 0
info "65537 slots instead of 4093: $(paste -d' ' "$DP_TMP/mh.a" "$DP_TMP/mh.f" | awk '$1 != $2' | wc -l) of 1000 datagrams elsewhere"
run_ok "services cleared" vsd -C

klog_check
ksft_exit
