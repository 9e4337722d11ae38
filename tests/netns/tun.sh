#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tunnelling (-i): IPv4 in IPv4, IPv6 in IPv6, and across families (IPv4
# in IPv6, IPv6 in IPv4), to a real server on the director's LAN and to
# one on another subnet, behind a router, over a link of MTU 1400.  The
# servers answer the client directly and see its address; path MTU
# discovery works through the tunnel (the director's own route MTU, and
# a router's error about an outer packet relayed to the client); errors
# about replies reach the server of their connection.
#
#  client            router                           director (no VIP)
#  10.0.1.2 --- 10.0.1.1 | br0 10.0.2.1 --+-- eth0 10.0.2.2, fd00:2::2
#  fd00:1::2   fd00:1::1 | fd00:2::1      +-- tun1 10.0.2.21, fd00:2::21
#        VIPs routed to   10.0.4.1 | fd00:4::1
#        the director         |  MTU 1400
#                         tun2 10.0.4.22, fd00:4::22
#
# Servers: vsd-realserver --mode tun (tunl0, ip6tnl0, sit0), fwd.py on
# 5000, 6000, 7000.
# Services: tcp/udp VIP4:5000 and [VIP6]:5000 rr over tun1 and tun2;
# udp VIP4:6000 -> tun1, udp [VIP6]:6000 -> tun1 (IPv6); tcp VIP4:6000
# -> [tun1's IPv6] (IPv4 in IPv6), tcp [VIP6]:6000 -> tun2's IPv4 (IPv6
# in IPv4); tcp VIP4:7000 and [VIP6]:7000 -> tun2.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/forwarding.bash"

require_root
require busybox jq modprobe nft "$DP_PY"
klog_mark
dp_net_setup
tun_setup

# add_svc SVC SCHED RS...: a service and its real servers, all -i.
add_svc() {
	local svc=$1 sched=$2 rs

	shift 2
	vsd -A $svc -s "$sched" || return 1
	for rs in "$@"; do
		vsd -a $svc -r "$rs" -i || return 1
	done
}
setup add_svc "-t $VIP4:5000" rr $TUN1:5000 $TUN2:5000
setup add_svc "-u $VIP4:5000" rr $TUN1:5000 $TUN2:5000
setup add_svc "-t [$VIP6]:5000" rr "[$TUN1_6]:5000" "[$TUN2_6]:5000"
setup add_svc "-u [$VIP6]:5000" rr "[$TUN1_6]:5000" "[$TUN2_6]:5000"
setup add_svc "-u $VIP4:6000" rr $TUN1:6000
setup add_svc "-u [$VIP6]:6000" rr "[$TUN1_6]:6000"
setup add_svc "-t $VIP4:6000" rr "[$TUN1_6]:6000"
setup add_svc "-t [$VIP6]:6000" rr $TUN2:6000
setup add_svc "-t $VIP4:7000" rr $TUN2:7000
setup add_svc "-t [$VIP6]:7000" rr "[$TUN2_6]:7000"
check_eq "listed as tunnel" \
	"$(vsd -L -n -j | jq -r '[.services[].destinations[].forward] | unique | join(" ")')" \
	"tunnel"

check_eq "IPIP, TCP: 2 answers from each, who saw the client's address" \
	"$(echo_seq client $VIP4 5000 4 | who)" "2 tun1 $CLIENT 2 tun2 $CLIENT"
check_eq "IPIP, UDP: the same" \
	"$(echo_seq client $VIP4 5000 4 udp | who)" "2 tun1 $CLIENT 2 tun2 $CLIENT"
check_eq "IPv6 in IPv6, TCP: the same" \
	"$(echo_seq client $VIP6 5000 4 | who)" "2 tun1 $CLIENT_6 2 tun2 $CLIENT_6"
check_eq "IPv6 in IPv6, UDP: the same" \
	"$(echo_seq client $VIP6 5000 4 udp | who)" "2 tun1 $CLIENT_6 2 tun2 $CLIENT_6"
check_eq "IPv4 in IPv6 (tun1's IPv6 address): answered, the client's address" \
	"$(echo_seq client $VIP4 6000 2 | who)" "2 tun1 $CLIENT"
check_eq "IPv6 in IPv4 (tun2's IPv4 address, routed): answered" \
	"$(echo_seq client $VIP6 6000 2 | who)" "2 tun2 $CLIENT_6"
check_eq "nothing passes the director on the way back" \
	"$(vsd -L -n --stats --exact -j | jq '[.services[].stats.outpkts] | add')" 0
check_eq "table: connections of each family to each kind of address" \
	"$(conns | jq -r '[.connections[] | select(.virtual_port == 6000 and .protocol == "tcp")
		| "\(.family)>\(.dest_address)"] | unique | join(" ")')" \
	"inet6>10.0.4.22 inet>$TUN1_6"

# A megabyte each way to tun2, behind the 1400-byte link: the client's
# first full-sized segments do not fit once tunnelled, the router tells
# the director, which learns the path MTU and tells the client the room
# left (1400 - 20, IPv6: 1400 - 40).  Nothing arrives damaged.
before="$(csum_errors client) $(csum_errors tun2)"
check_eq "1 MB each way over IPIP to tun2, through the 1400-byte link" \
	"$(fwd client bulk $VIP4 7000 1000000)" "ok tun2 $CLIENT"
check_match "the director learnt the path MTU to tun2" \
	"$(ip -n director route get $TUN2)" 'mtu 1400'
check_match "and the client the room in the tunnel (1380)" \
	"$(ip -n client route get $VIP4)" 'mtu 1380'
check_eq "1 MB each way over IPv6 in IPv6 to tun2" \
	"$(fwd client bulk $VIP6 7000 1000000)" "ok tun2 $CLIENT_6"
check_match "the director learnt the path MTU to tun2 (IPv6)" \
	"$(ip -n director -6 route get $TUN2_6)" 'mtu 1400'
check_match "and the client the room in the tunnel (1360)" \
	"$(ip -n client -6 route get $VIP6)" 'mtu 1360'
check_eq "no checksum error, client and tun2" \
	"$(csum_errors client) $(csum_errors tun2)" "$before"

# The director's own route to tun1 is smaller: a packet with DF that no
# longer fits once tunnelled gets "fragmentation needed" with the room
# left; without DF the outer packet is fragmented.  (Sizes: of the UDP
# payload, 28 and 48 bytes less than the packet.)
setup ip -n director route add $TUN1/32 dev eth0 mtu 1300
setup ip -n director -6 route add $TUN1_6/128 dev eth0 mtu 1400
setup ip -n client route flush cache
drops=$(counter drop_xmit)
check_eq "1400 bytes, DF: fragmentation needed, MTU 1300 - 20" \
	"$(fwd client udp $VIP4 6000 1400 df)" "icmp 10.0.2.2 3 4 1280"
run_ok "counted" counter_above drop_xmit "$drops"
check_match "the client learnt it" "$(ip -n client route get $VIP4)" 'mtu 1280'
check_match "1280 bytes (1252 of UDP payload), DF: answered" \
	"$(fwd client udp $VIP4 6000 1252 df)" "^tun1 $CLIENT [0-9]+ 1252 "
setup ip -n client route flush cache
check_match "1400 bytes without DF: fragmented after encapsulation, answered" \
	"$(fwd client udp $VIP4 6000 1400)" "^tun1 $CLIENT [0-9]+ 1400 "
setup ip -n client -6 route flush cache
check_eq "IPv6, 1400 bytes: packet too big, MTU 1400 - 40" \
	"$(fwd client udp $VIP6 6000 1400 df)" "icmp fd00:2::2 2 0 1360"
check_match "the client learnt it" "$(ip -n client -6 route get $VIP6)" 'mtu 1360'
check_match "IPv6, 1360 bytes (1312 of UDP payload): answered" \
	"$(fwd client udp $VIP6 6000 1312 df)" "^tun1 $CLIENT_6 [0-9]+ 1312 "

# TTL 2 from the client: 1 left at the director, which answers.
check_eq "TTL expiring at the director: time exceeded from it" \
	"$(fwd client udp $VIP4 5000 100 ttl=2)" "icmp 10.0.2.2 11 0 0"

# An error about a server's answer (sent to the client from the VIP) comes
# to the director: tunnelled to the server of that connection, intact.
hold_start client $VIP4 5000
check_eq "a long-lived connection to VIP:5000" "$(hold_cmd open 1)" "ok 1"
c=$(conns | jq -c '[.connections[] | select(.virtual_port == 5000 and
	.protocol == "tcp" and .state == "ESTABLISHED")][0]')
cport=$(jq .client_port <<<"$c")
rs=$([ "$(jq -r .dest_address <<<"$c")" = $TUN1 ] && echo tun1 || echo tun2)
bg_fwd "$DP_TMP/icmp.log" $rs icmp-recv 4 "$cport" 10
run_ok "\"fragmentation needed\" to the VIP about VIP:5000 -> client:$cport" \
	fwd client icmp-send $VIP4 3 4 1300 tcp $VIP4 5000 $CLIENT "$cport"
setup poll 10 bg_done "$DP_TMP/icmp.log"
check_eq "$rs, the server of that connection, gets it as it was sent" \
	"$(bg_line "$DP_TMP/icmp.log")" \
	"3 4 1300 $CLIENT $VIP4 $VIP4 5000 $CLIENT $cport icmp=ok ip=ok l4=ok"
hold_stop

drops=$(counter drop_malformed)
run_ok "an ICMP error cut inside the header it quotes" \
	fwd client icmp-send $VIP4 3 4 1300 tcp $VIP4 5000 $CLIENT 1234 cut=10
run_ok "dropped, counted malformed" counter_above drop_malformed "$drops"
check_eq "no other drop" \
	"$(vsd --info -j | jq -c '.info.counters | [.drop_no_conn, .drop_no_dest, .drop_conn_full, .drop_nomem]')" \
	"[0,0,0,0]"

run_ok "flush, the namespace goes, the module unloads" \
	sh -c "ip netns exec director $VSDCTL -C && ip netns del director && rmmod vsd"
klog_check
ksft_exit
