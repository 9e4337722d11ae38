#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT with the LOCAL_IN placement (hook=local_in), IPVS's: the VIP is on
# the director, the client's packets are taken in LOCAL_IN, after the
# INPUT filter; the servers' replies, forwarded traffic that never passes
# LOCAL_IN, are taken in FORWARD, after the FORWARD filter, as IPVS does.
# Conntrack is on (a rule uses it): the client's segments reach vsd with
# their checksums already verified in software (CHECKSUM_COMPLETE).  ICMP
# errors both ways; nothing un-NATed reaches the client; moving the hook
# back keeps the connections going.
#
#  client            router                   director             nat1, nat2
#  10.0.1.2 --- 10.0.1.1 | 10.0.2.1 ---- eth0 10.0.2.2 | br1 10.0.5.1 -+- .11
#  fd00:1::2   fd00:1::1 | fd00:2::1        fd00:2::2  | fd00:5::1    +- .12
#                                         VIPs on lo
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

setup ip -n director addr add $VIP4/32 dev lo
setup ip -n director addr add $VIP6/128 dev lo
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
run_ok "hook=local_in" vsd --config hook=local_in
setup on director nft -f - <<EOT
table inet track {
	chain pre {
		type filter hook prerouting priority filter;
		ct state invalid counter
	}
}
EOT
nat_leak_watch
setup on client ethtool -K eth0 tx off

before="$(csum_errors client) $(csum_errors nat2)"
check_eq "TCP echo" "$(echo_seq client $VIP4 82 2 | who)" "2 nat2 $CLIENT"
check_eq "UDP echo" "$(echo_seq client $VIP4 82 2 udp | who)" "2 nat2 $CLIENT"
check_eq "IPv6, TCP echo" "$(echo_seq client $VIP6 82 2 | who)" "2 nat2 $CLIENT_6"
check_eq "IPv6, UDP echo" "$(echo_seq client $VIP6 82 2 udp | who)" "2 nat2 $CLIENT_6"
check_eq "1 MB each way" "$(fwd client bulk $VIP4 82 1000000)" "ok nat2 $CLIENT"
check_eq "1 MB each way, IPv6" "$(fwd client bulk $VIP6 82 1000000)" "ok nat2 $CLIENT_6"
check_eq "no checksum error at either end" \
	"$(csum_errors client) $(csum_errors nat2)" "$before"
check_eq "closed TCP connections in TIME_WAIT: both halves seen" \
	"$(conns | jq -r '[.connections[] | select(.protocol == "tcp") | .state] | unique | join(" ")')" \
	TIME_WAIT

# Errors from the servers' side come through FORWARD, errors to the VIP
# through LOCAL_IN.
nat_unreachable 4 $VIP4 "icmp $VIP4 3 3 0" \
	"^3 3 0 $VIP4 $CLIENT $CLIENT [0-9]+ $VIP4 84 icmp=ok ip=ok l4=ok$"
nat_unreachable 6 $VIP6 "icmp $VIP6 1 4 0" \
	"^1 4 0 $VIP6 $CLIENT_6 $CLIENT_6 [0-9]+ $VIP6 84 icmp=ok ip=- l4=ok$"
nat_too_big 4 $VIP4 $NAT2 3 4 ok 1300
nat_too_big 6 $VIP6 $NAT2_6 2 0 - 1300

# A FORWARD filter rule applies to the replies before vsd, as with IPVS.
setup on director nft -f - <<EOT
table inet filter {
	chain forward {
		type filter hook forward priority filter;
		udp sport 8080 drop
	}
}
EOT
check_match "a FORWARD rule drops the UDP replies" \
	"$(fwd client udp $VIP4 82 100 wait=1)" '^error'
setup on director nft delete table inet filter

# Back to PRE_ROUTING and again to LOCAL_IN, a connection open throughout.
hold_start client $VIP4 82
check_eq "a held connection" "$(hold_cmd open 1)" "ok 1"
run_ok "hook=prerouting" vsd --config hook=prerouting
check_eq "echo in PRE_ROUTING" "$(echo_seq client $VIP4 82 1 | who)" "1 nat2 $CLIENT"
run_ok "hook=local_in" vsd --config hook=local_in
check_eq "the held connection, still established" \
	"$(conns | jq -r '[.connections[] | select(.protocol == "tcp" and .state == "ESTABLISHED")] | length')" 1
hold_stop

check_eq "nothing un-NATed reached the client" "$(nat_leaks)" 0
check_eq "no drop" \
	"$(vsd --info -j | jq -c '.info.counters | [.drop_no_conn, .drop_no_dest, .drop_conn_full, .drop_nomem, .drop_xmit, .drop_malformed]')" \
	"[0,0,0,0,0,0]"
run_ok "flush, the namespace goes, the module unloads" \
	sh -c "ip netns exec director $VSDCTL -C && ip netns del director && rmmod vsd"
klog_check
ksft_exit
