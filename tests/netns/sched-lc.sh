#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Least connections (lc) and weighted least connections (wlc 3:2:1)
# against Linux's IPVS, same VM, topology, configuration and traffic:
# 1000 TCP connections in three steps: 300 opened and held, the 150
# oldest closed (inactive once the director saw their FIN), 700 more
# opened.  Each connection is established before the next opens, so the
# load each choice sees is the same through vsd and through IPVS: the same
# connections per real server, active and inactive, as IPVS.  Each pass
# opens its connections from ports of its own: left to choose, the kernel
# may give a new connection the port of one closed a minute before (seen
# on a slow debug kernel), whose entry, still in FIN_WAIT, the new SYN then
# reopens without a new scheduling decision, in vsd as in IPVS
# (conn_reuse_mode 1), at a moment that differs between the passes.
#
#  client               router                    director     rs1, rs2, rs3
#  10.0.1.2  ------ 10.0.1.1 | br0 10.0.2.1 ---+-- 10.0.2.2    10.0.2.11 .12 .13
#                    VIP 10.0.0.100 routed      +-- rs1..rs3    VIP on dummy0
#                    to the director                            (DR)

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/forwarding.bash"

require_root
require busybox jq modprobe "$DP_PY"
klog_mark
ipvs_need lc wlc
sched_setup

active_is() { [ "$(lvs_active "$1")" = "$2" ]; }

# conns_are IMPL N: the service's connections counter, all servers, is N
# (IPVS's counters reach its listings by its estimator, every 2 s).
conns_are() {
	[ "$(lvs_dests "$1" | awk '{ n += $2 } END { print n + 0 }')" = "$2" ]
}

# ipvs_fresh: Linux's ip_vs reloaded, without connections.  A deleted
# real server waits in IPVS's trash with its connections, and one added
# again comes back with them: a second pass must not start with the
# first's.
ipvs_fresh() {
	modprobe -r ip_vs_wlc ip_vs_lc ip_vs && modprobe -a ip_vs ip_vs_lc ip_vs_wlc
}

# steps IMPL SCHED W1 W2 W3: the three steps, the real servers' figures in
# $DP_TMP/SCHED.IMPL; its connections from ports SPORT on (1000 of them).
SPORT=20000
steps() {
	local impl=$1 sched=$2

	[ "$impl" = ipvs ] && run_ok "ipvs: ip_vs reloaded, no connection" ipvs_fresh
	run_ok "$impl: $sched ${3}:${4}:$5 over rs1, rs2, rs3" \
		lvs_config "$impl" -t "$sched" "$3" "$4" "$5"
	hold_start client $VIP4 5000 $SPORT
	SPORT=$((SPORT + 1000))
	check_eq "$impl: 300 connections held" "$(hold_cmd open 300)" "ok 300"
	check_eq "$impl: the 150 oldest closed" "$(hold_cmd close 150)" "ok 150"
	run_ok "$impl: 150 active left" poll 60 active_is "$impl" 150
	check_eq "$impl: 700 more" "$(hold_cmd open 700)" "ok 850"
	run_ok "$impl: 1000 connections counted" poll 10 conns_are "$impl" 1000
	lvs_dests "$impl" > "$DP_TMP/$sched.$impl"
	[ "$impl" = ipvs ] ||
		info "vsd: the table by state: $(conns | jq -c '.connections | group_by(.state) | map({(.[0].state): length}) | add')"
	hold_stop
	run_ok "$impl: all closed" poll 60 active_is "$impl" 0
}

for sched in lc wlc; do
	w="1 1 1"
	[ $sched = wlc ] && w="3 2 1"
	# shellcheck disable=SC2086
	steps vsd $sched $w
	# shellcheck disable=SC2086
	steps ipvs $sched $w
	sed 's/^/# vsd: /' "$DP_TMP/$sched.vsd"
	check_diff "$sched: connections, active, inactive per server as IPVS" \
		"$DP_TMP/$sched.ipvs" "$DP_TMP/$sched.vsd"
done
check_eq "lc: 1000 connections in all" \
	"$(awk '{ n += $2 } END { print n }' "$DP_TMP/lc.vsd")" 1000
run_ok "services cleared" lvs_clear

klog_check
ksft_exit
