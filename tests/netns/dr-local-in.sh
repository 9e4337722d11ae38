#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The LOCAL_IN placement (hook=local_in), IPVS's: the VIP is on the
# director and packets are balanced after INPUT filtering; with the
# default placement (PRE_ROUTING) they are balanced before it.  Moving the
# hook keeps the service working, and what is not for a service still
# reaches the director's own stack.
#
#  client               router                    director     rs1, rs2
#  10.0.1.2  ------ 10.0.1.1 | br0 10.0.2.1 ---+-- 10.0.2.2    10.0.2.11, .12
#                    VIP 10.0.0.100 routed      |   VIP on lo   VIP on dummy0
#                    to the director            +-- rs1, rs2    (arp_ignore)
#
# Services: tcp 10.0.0.100:80 and tcp 10.0.0.100:5000, rr, both -g.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"

require_root
require busybox jq modprobe nft "$DP_PY"
klog_mark
dp_setup

setup ip -n director addr add $VIP4/32 dev lo
for port in 80 5000; do
	run_ok "service tcp :$port rr" vsd -A -t $VIP4:$port -s rr
	run_ok "real server rs1" vsd -a -t $VIP4:$port -r $RS1:$port -g
	run_ok "real server rs2" vsd -a -t $VIP4:$port -r $RS2:$port -g
done

run_ok "hook=local_in" vsd --config hook=local_in
check_eq "the setting reads back" "$(vsd --config -j | jq -r '.config.hook')" local_in
out=$(for _ in 1 2 3 4; do http client "http://$VIP4/"; done | sort | uniq -c | awk '{ print $1 }' | xargs)
check_eq "LOCAL_IN: 4 requests, 2 per server" "$out" "2 2"
check_eq "the servers saw the client's address" \
	"$(echo_seq client $VIP4 5000 2 | awk '{ print $2 }' | sort -u)" 10.0.1.2

# An INPUT filter rule applies first in LOCAL_IN, not in PRE_ROUTING.
setup on director nft -f - <<EOT
table inet filter {
	chain input {
		type filter hook input priority filter;
		tcp dport 5000 drop
	}
}
EOT
check_match "LOCAL_IN: the INPUT rule drops :5000" \
	"$(echo_seq client $VIP4 5000 1)" '^error'
check_match "LOCAL_IN: :80 still balanced" "$(http client "http://$VIP4/")" '^rs[12]$'
run_ok "hook=prerouting" vsd --config hook=prerouting
check_match "PRE_ROUTING: balanced before the INPUT rule" \
	"$(echo_seq client $VIP4 5000 1 | names)" '^rs[12]$'
run_ok "back to hook=local_in" vsd --config hook=local_in
check_match "LOCAL_IN again: the INPUT rule drops :5000" \
	"$(echo_seq client $VIP4 5000 1)" '^error'
setup on director nft delete table inet filter

# Not a service: to the director's own stack (the VIP is local here).
bg_start "$DP_TMP/director.log" director \
	"$DP_PY" "$DP_ECHO" serve director 7000
setup poll 20 grep -q ready "$DP_TMP/director.log"
check_eq "LOCAL_IN: another port of the VIP reaches the director itself" \
	"$(echo_seq client $VIP4 7000 1 | names)" director

klog_check
ksft_exit
