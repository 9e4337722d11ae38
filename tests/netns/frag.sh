#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fragmented UDP: a 4000-byte datagram, fragmented by the client over its
# 1500-byte link, reaches the real server whole, by DR, TUN and NAT, IPv4
# and IPv6.  The director balances it reassembled and sends it on
# fragmented again: as it came (DR, NAT), in fragments smaller still where
# the route to the server is smaller (IPv4), or, tunnelled, in an outer
# packet fragmented on the way out (IPv4).  IPv6 routers never fragment:
# a tunnel that cannot carry the client's fragments answers "packet too
# big" once, and the client's smaller fragments then pass.  A NAT server's
# 4000-byte answer, fragmented, comes back whole through the director.
#
#  client            router                   director              nat1
#  10.0.1.2 --- 10.0.1.1 | br0 10.0.2.1 -+- eth0 10.0.2.2 | br1 10.0.5.1 -- .11
#  fd00:1::2   fd00:1::1 | fd00:2::1     +- rs1 10.0.2.11 (DR: VIP on dummy0)
#                                        +- tun1 10.0.2.21 (TUN: VIP on tunl0)
#
# Services: udp VIP4:6000 -> rs1 (-g), VIP4:7000 -> tun1 (-i),
# VIP4:8000 -> nat1:8080 (-m); the same for [VIP6].

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/forwarding.bash"

require_root
require busybox jq modprobe nft "$DP_PY"
klog_mark
dp_net_setup
setup ns_create rs1
rs_setup rs1 $RS1 $RS1_6
bg_fwd "$DP_TMP/rs1-fwd.log" rs1 serve rs1 6000
tun_setup
nat_setup

setup vsd -A -u $VIP4:6000 -s rr
setup vsd -a -u $VIP4:6000 -r $RS1:6000 -g
setup vsd -A -u "[$VIP6]:6000" -s rr
setup vsd -a -u "[$VIP6]:6000" -r "[$RS1_6]:6000" -g
setup vsd -A -u $VIP4:7000 -s rr
setup vsd -a -u $VIP4:7000 -r $TUN1:7000 -i
setup vsd -A -u "[$VIP6]:7000" -s rr
setup vsd -a -u "[$VIP6]:7000" -r "[$TUN1_6]:7000" -i
setup vsd -A -u $VIP4:8000 -s rr
setup vsd -a -u $VIP4:8000 -r $NAT1:8080 -m
setup vsd -A -u "[$VIP6]:8000" -s rr
setup vsd -a -u "[$VIP6]:8000" -r "[$NAT1_6]:8080" -m

# whole VIP PORT: the answer to a 4000-byte datagram: who got how much.
whole() { fwd client udp "$1" "$2" 4000 | awk '{ print $1, $2, $4 }'; }
frags_in() { if_stat client eth0 tx_packets; }

n0=$(frags_in)
check_eq "DR: 4000 bytes reach rs1 whole" "$(whole $VIP4 6000)" "rs1 $CLIENT 4000"
check_match "(the client sent fragments)" "$(($(frags_in) - n0))" '^[3-9]$'
check_eq "DR, IPv6: the same" "$(whole $VIP6 6000)" "rs1 $CLIENT_6 4000"
check_eq "counted as one datagram each" \
	"$(svc_stat udp:$VIP4:6000 .stats.inpkts) $(svc_stat udp:$VIP6:6000 .stats.inpkts)" "1 1"
check_eq "TUN: the same to tun1" "$(whole $VIP4 7000)" "tun1 $CLIENT 4000"
check_eq "NAT: the same to nat1" "$(whole $VIP4 8000)" "nat1 $CLIENT 4000"
check_eq "NAT, IPv6: the same" "$(whole $VIP6 8000)" "nat1 $CLIENT_6 4000"

# Smaller routes from the director to the servers: IPv4 fragments anew.
setup ip -n director route add $RS1/32 dev eth0 mtu 1300
setup ip -n director route add $NAT1/32 dev br1 mtu 1300
setup ip -n director route add $TUN1/32 dev eth0 mtu 1300
check_eq "DR, a 1300-byte route to rs1: fragmented smaller, whole" \
	"$(whole $VIP4 6000)" "rs1 $CLIENT 4000"
check_eq "NAT, the same" "$(whole $VIP4 8000)" "nat1 $CLIENT 4000"
check_eq "TUN, the same" "$(whole $VIP4 7000)" "tun1 $CLIENT 4000"

# IPv6 in IPv6: 1500-byte fragments do not fit the tunnel (1460).
drops=$(counter drop_xmit)
check_eq "TUN, IPv6: the first time, packet too big (1500 - 40)" \
	"$(fwd client udp $VIP6 7000 4000)" "icmp fd00:2::2 2 0 1460"
run_ok "counted" counter_above drop_xmit "$drops"
check_eq "then, in smaller fragments, whole" "$(whole $VIP6 7000)" "tun1 $CLIENT_6 4000"

# The way back: nat1's 4000-byte answer leaves it fragmented.
check_eq "NAT: a 4000-byte answer comes back whole" \
	"$(fwd client udp $VIP4 8000 4000 pad | awk '{ print $1, $NF }')" "nat1 4000"
check_eq "NAT, IPv6: the same" \
	"$(fwd client udp $VIP6 8000 4000 pad | awk '{ print $1, $NF }')" "nat1 4000"
check_eq "counted as one datagram each way" \
	"$(svc_stat udp:$VIP6:8000 '"\(.stats.inpkts) \(.stats.outpkts)"')" "2 2"

check_eq "no other drop" \
	"$(vsd --info -j | jq -c '.info.counters | [.drop_no_conn, .drop_no_dest, .drop_conn_full, .drop_nomem, .drop_malformed]')" \
	"[0,0,0,0,0]"
run_ok "flush, the namespace goes, the module unloads" \
	sh -c "ip netns exec director $VSDCTL -C && ip netns del director && rmmod vsd"
klog_check
ksft_exit
