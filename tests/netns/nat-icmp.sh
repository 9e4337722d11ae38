#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT and ICMP errors, both ways, IPv4 and IPv6, the director without a
# VIP (PRE_ROUTING); what does not belong to a connection passes untouched.
#
# - A server's "port unreachable" (UDP to a closed port) reaches the client
#   from the VIP, quoting the client's datagram to VIP:port, checksums
#   right (outer, quoted IP header, quoted UDP header).
# - "Fragmentation needed" ("packet too big") from the network to the VIP
#   about a reply reaches the server from its own address's point of view:
#   quoting its own packet; its TCP learns the path MTU.
# - Errors cut short or with a wrong checksum are dropped and counted.
#
#  client            router                   director             nat1, nat2
#  10.0.1.2 --- 10.0.1.1 | 10.0.2.1 ---- eth0 10.0.2.2 | br1 10.0.5.1 -+- .11
#  fd00:1::2   fd00:1::1 | fd00:2::1        fd00:2::2  | fd00:5::1    +- .12
#
# Services: tcp/udp VIP4:82, [VIP6]:82 -> nat2:8080; udp VIP4:84,
# [VIP6]:84 -> nat2:9999 (nothing listens there).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/forwarding.bash"

require_root
require busybox jq modprobe nft "$DP_PY"
klog_mark
dp_net_setup
nat_setup

for p in -t -u; do
	setup vsd -A $p $VIP4:82 -s rr
	setup vsd -a $p $VIP4:82 -r $NAT2:8080 -m
	setup vsd -A $p "[$VIP6]:82" -s rr
	setup vsd -a $p "[$VIP6]:82" -r "[$NAT2_6]:8080" -m
done
setup vsd -A -u $VIP4:84 -s rr
setup vsd -a -u $VIP4:84 -r $NAT2:9999 -m
setup vsd -A -u "[$VIP6]:84" -s rr
setup vsd -a -u "[$VIP6]:84" -r "[$NAT2_6]:9999" -m

nat_leak_watch

# The client computes its checksums (veth's offload would leave the
# quoted checksum unfinished: nobody ever completes it).
setup on client ethtool -K eth0 tx off

# The server's side: port unreachable, to the client, translated.
nat_unreachable 4 $VIP4 "icmp $VIP4 3 3 0" \
	"^3 3 0 $VIP4 $CLIENT $CLIENT [0-9]+ $VIP4 84 icmp=ok ip=ok l4=ok$"
nat_unreachable 6 $VIP6 "icmp $VIP6 1 4 0" \
	"^1 4 0 $VIP6 $CLIENT_6 $CLIENT_6 [0-9]+ $VIP6 84 icmp=ok ip=- l4=ok$"

# The client's side: an error about a reply, to the server, translated.
nat_too_big 4 $VIP4 $NAT2 3 4 ok 1300
nat_too_big 6 $VIP6 $NAT2_6 2 0 - 1300

# What is wrong is dropped and counted: cut inside the quoted header, or
# a wrong checksum on an error vsd would have to rewrite.
hold_start client $VIP4 82
check_eq "a held connection to VIP:82" "$(hold_cmd open 1)" "ok 1"
cport=$(conns | jq '[.connections[] | select(.virtual_port == 82 and .protocol == "tcp"
	and .state == "ESTABLISHED")][0].client_port')
drops=$(counter drop_malformed)
run_ok "an error cut inside the quoted IP header" \
	fwd client icmp-send $VIP4 3 4 1300 tcp $VIP4 82 $CLIENT "$cport" cut=12
run_ok "dropped, counted" poll 5 counter_above drop_malformed "$drops"
drops=$(counter drop_malformed)
run_ok "an error with the quoted TCP header cut to 4 bytes" \
	fwd client icmp-send $VIP4 3 4 1300 tcp $VIP4 82 $CLIENT "$cport" cut=24
run_ok "dropped, counted" poll 5 counter_above drop_malformed "$drops"
drops=$(counter drop_malformed)
run_ok "IPv6: an error cut inside the quoted header" \
	fwd client icmp-send $VIP6 2 0 1300 tcp $VIP6 82 $CLIENT_6 "$cport" cut=30
run_ok "dropped, counted" poll 5 counter_above drop_malformed "$drops"
drops=$(counter drop_malformed)
run_ok "a NAT connection's error with a wrong checksum" \
	fwd client icmp-send $VIP4 3 4 1300 tcp $VIP4 82 $CLIENT "$cport" badsum
run_ok "dropped, counted" poll 5 counter_above drop_malformed "$drops"
check_eq "no un-NATed packet reached the client" "$(nat_leaks)" 0
hold_stop

# A server's packet that belongs to no connection passes untouched, and so
# does the client's error about it.
check_eq "nat1 from :8080 to the client, no connection: port unreachable from the client" \
	"$(fwd nat1 udp $CLIENT 5555 10 sport=8080)" "icmp $CLIENT 3 3 0"
check_eq "the client got it from nat1's own address" "$(nat_leaks)" 1

check_eq "no other drop" \
	"$(vsd --info -j | jq -c '.info.counters | [.drop_no_conn, .drop_no_dest, .drop_conn_full, .drop_nomem, .drop_xmit]')" \
	"[0,0,0,0,0]"
run_ok "flush, the namespace goes, the module unloads" \
	sh -c "ip netns exec director $VSDCTL -C && ip netns del director && rmmod vsd"
klog_check
ksft_exit
