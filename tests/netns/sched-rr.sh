#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Round robin and weighted round robin against Linux's IPVS, same VM, same
# topology, same configuration, same client traffic: 1002 (rr) and 1200
# (wrr 3:2:1) UDP flows, each from its own source port, through vsd and
# then through IPVS: the same real servers in the same order.
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
ipvs_need rr wrr
sched_setup

# flows IMPL NAME N SPORT: N UDP flows, from ports SPORT on, answered by
# whom, in $DP_TMP/NAME.IMPL.
flows() {
	fwd client seq $VIP4 5000 "$3" udp sport="$4" > "$DP_TMP/$2.$1"
}

for impl in vsd ipvs; do
	run_ok "$impl: rr over rs1, rs2, rs3" lvs_config $impl -u rr 1 1 1
	run_ok "$impl: 1002 flows" flows $impl rr 1002 20000
	run_ok "$impl: wrr 3:2:1" lvs_config $impl -u wrr 3 2 1
	run_ok "$impl: 1200 flows" flows $impl wrr 1200 30000
done
run_ok "services cleared" lvs_clear
check_eq "vsd: rr, 334 each" \
	"$(for n in rs1 rs2 rs3; do count "$DP_TMP/rr.vsd" $n; done | xargs)" "334 334 334"
check_diff "rr: the same servers in the same order as IPVS" \
	"$DP_TMP/rr.ipvs" "$DP_TMP/rr.vsd"
check_eq "vsd: wrr 3:2:1, 600, 400, 200" \
	"$(for n in rs1 rs2 rs3; do count "$DP_TMP/wrr.vsd" $n; done | xargs)" "600 400 200"
check_diff "wrr: the same servers in the same order as IPVS" \
	"$DP_TMP/wrr.ipvs" "$DP_TMP/wrr.vsd"

klog_check
ksft_exit
