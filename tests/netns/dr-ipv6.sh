#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Direct routing over IPv6, the director without a VIP: round robin over
# two real servers, the client's address preserved, TCP and UDP; a hop
# limit that runs out at the director is answered with ICMPv6 and counted.
#
#  client               router                    director     rs1, rs2
#  fd00:1::2 ------ fd00:1::1 | br0 fd00:2::1 -+-- fd00:2::2   fd00:2::11, ::12
#                    VIP fd00:ff::100 routed    +-- rs1          VIP on dummy0
#                    to the director            +-- rs2
#
# Services: tcp [fd00:ff::100]:80 (busybox httpd), tcp and udp
# [fd00:ff::100]:5000 (echo), rr, both -g.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"

require_root
require busybox jq modprobe "$DP_PY"
klog_mark
dp_setup
setup poll 20 sh -c "ip netns exec router timeout 2 busybox wget -qO- 'http://[$RS1_6]/' | grep -q rs1"

for svc in "-t [$VIP6]:80" "-t [$VIP6]:5000" "-u [$VIP6]:5000"; do
	port=${svc##*:}
	run_ok "service $svc rr" vsd -A $svc -s rr
	run_ok "  real server rs1" vsd -a $svc -r "[$RS1_6]:$port" -g
	run_ok "  real server rs2" vsd -a $svc -r "[$RS2_6]:$port" -g
done

out=$(for _ in 1 2 3 4; do http client "http://[$VIP6]/"; done)
check_eq "HTTP over IPv6: 4 requests alternate" \
	"$(printf '%s\n' "$out" | alternates && echo yes)" yes
out=$(echo_seq client $VIP6 5000 4)
check_eq "TCP echo: alternates" "$(printf '%s\n' "$out" | alternates && echo yes)" yes
check_eq "TCP echo: the servers saw the client's address" \
	"$(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u)" fd00:1::2
out=$(echo_seq client $VIP6 5000 4 udp)
check_eq "UDP: alternates" "$(printf '%s\n' "$out" | alternates && echo yes)" yes
check_eq "UDP: the servers saw the client's address" \
	"$(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u)" fd00:1::2
check_eq "table: IPv6 connections to both servers" \
	"$(conns | jq -r '[.connections[] | select(.family == "inet6") | .dest_address] | unique | join(" ")')" \
	"$RS1_6 $RS2_6"
check_eq "HTTP counters" \
	"$(svc_stat "tcp:$VIP6:80" .stats.conns) $(dest_stat "tcp:$VIP6:80" $RS1_6 .stats.conns)" "4 2"

# Hop limit: 2 from the client, 1 left at the director, which answers
# "time exceeded" (ICMPv6 type 3) from its own address.
drops=$(counter drop_xmit)
check_eq "hop limit exceeded at the director: ICMPv6 from it" \
	"$(on client "$DP_PY" "$DP_ECHO" udp $VIP6 5000 10 2)" "icmp fd00:2::2 3 0 0"
run_ok "and counted" counter_above drop_xmit "$drops"

# Path MTU: 1300 on the director's route to the servers (locked: IPv6
# routers forward by the route's MTU only then).  Too big for it: "packet
# too big" (type 2) with the MTU; IPv6 routers never fragment.
setup ip -n director -6 route replace fd00:2::/64 dev eth0 proto kernel \
	metric 256 mtu lock 1300
drops=$(counter drop_xmit)
check_eq "1400 bytes: packet too big, MTU 1300" \
	"$(on client "$DP_PY" "$DP_ECHO" udp $VIP6 5000 1400 64 df)" "icmp fd00:2::2 2 0 1300"
run_ok "and counted" counter_above drop_xmit "$drops"
check_match "1200 bytes pass" \
	"$(on client "$DP_PY" "$DP_ECHO" udp $VIP6 5000 1200 64 df | names)" '^rs[12]$'

klog_check
ksft_exit
