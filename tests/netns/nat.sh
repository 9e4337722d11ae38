#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT (-m), the director without a VIP (PRE_ROUTING): TCP and UDP, IPv4 and
# IPv6, VIP:80 to the servers' port 8080.  The servers see the client's
# address, the client sees the VIP and port 80; the TCP state machine sees
# both halves.  A megabyte each way arrives intact, whether the director
# gets packets whose transport checksum the device is to complete
# (CHECKSUM_PARTIAL, veth's default) and completes it itself, or with
# full checksums (tx checksumming off); a UDP datagram without a checksum
# keeps none.
#
#  client            router                   director (no VIP)    nat1, nat2
#  10.0.1.2 --- 10.0.1.1 | 10.0.2.1 ---- eth0 10.0.2.2 | br1 10.0.5.1 -+- .11
#  fd00:1::2   fd00:1::1 | fd00:2::1        fd00:2::2  | fd00:5::1    +- .12
#        VIPs routed to the director                    default routes: the
#                                                       director
#
# Services: tcp/udp VIP4:80 and [VIP6]:80 rr over nat1 and nat2 (:8080);
# tcp VIP4:81 -> nat1:8081 (busybox httpd); tcp/udp VIP4:82, [VIP6]:82 ->
# nat2:8080; udp VIP4:83 -> nat2:9000 (a server answering without UDP
# checksums).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/forwarding.bash"

require_root
require busybox jq modprobe nft ethtool "$DP_PY"
klog_mark
dp_net_setup
nat_setup
bg_fwd "$DP_TMP/nocheck.log" nat2 serve nat2 9000 nocheck

# add_svc SVC SCHED RS...: a service and its real servers, all -m.
add_svc() {
	local svc=$1 sched=$2 rs

	shift 2
	vsd -A $svc -s "$sched" || return 1
	for rs in "$@"; do
		vsd -a $svc -r "$rs" -m || return 1
	done
}
for p in -t -u; do
	setup add_svc "$p $VIP4:80" rr $NAT1:8080 $NAT2:8080
	setup add_svc "$p [$VIP6]:80" rr "[$NAT1_6]:8080" "[$NAT2_6]:8080"
	setup add_svc "$p $VIP4:82" rr $NAT2:8080
	setup add_svc "$p [$VIP6]:82" rr "[$NAT2_6]:8080"
done
setup add_svc "-t $VIP4:81" rr $NAT1:8081
setup add_svc "-u $VIP4:83" rr $NAT2:9000
check_eq "listed as masq, the servers' port 8080" \
	"$(vsd -L -n -j | jq -r '[.services[] | select(.port == 80) | .destinations[]
		| "\(.forward):\(.port)"] | unique | join(" ")')" "masq:8080"

# Whatever the servers send the client must come from the VIP: count what
# comes from their own addresses.
setup on client nft -f - <<EOT
table inet leak {
	chain in {
		type filter hook input priority filter;
		ip saddr 10.0.5.0/24 counter
		ip6 saddr fd00:5::/64 counter
	}
}
EOT
leaks() { on client nft list table inet leak | grep -c 'packets [1-9]'; }

check_eq "TCP: 2 answers from each, who saw the client's address" \
	"$(echo_seq client $VIP4 80 4 | who)" "2 nat1 $CLIENT 2 nat2 $CLIENT"
check_eq "UDP: the same (the client's socket takes answers from VIP:80 only)" \
	"$(echo_seq client $VIP4 80 4 udp | who)" "2 nat1 $CLIENT 2 nat2 $CLIENT"
check_eq "IPv6, TCP: the same" \
	"$(echo_seq client $VIP6 80 4 | who)" "2 nat1 $CLIENT_6 2 nat2 $CLIENT_6"
check_eq "IPv6, UDP: the same" \
	"$(echo_seq client $VIP6 80 4 udp | who)" "2 nat1 $CLIENT_6 2 nat2 $CLIENT_6"
check_eq "HTTP to VIP:81, served by nat1:8081" "$(http client "http://$VIP4:81/")" nat1

# Both halves pass the director: the TCP connections closed by the client
# end in TIME_WAIT (DR, seeing the client's half, leaves them in FIN_WAIT).
check_eq "table: closed TCP connections in TIME_WAIT, to port 8080" \
	"$(conns | jq -r '[.connections[] | select(.protocol == "tcp" and .virtual_port == 80)
		| "\(.state):\(.dest_port)"] | unique | join(" ")')" "TIME_WAIT:8080"
check_eq "counters: packets both ways, as many out as in for UDP" \
	"$(svc_stat udp:$VIP4:80 '"\(.stats.inpkts) \(.stats.outpkts)"')" "4 4"
check_match "counters: TCP replies counted" \
	"$(svc_stat tcp:$VIP4:80 .stats.outpkts)" '^[1-9][0-9]*$'

hold_start client $VIP4 82
check_eq "a held connection" "$(hold_cmd open 1)" "ok 1"
check_eq "is ESTABLISHED, active" \
	"$(conns | jq -r '.connections[] | select(.virtual_port == 82 and .protocol == "tcp")
		| "\(.state) \(.inactive)"')" "ESTABLISHED false"
hold_stop

# A megabyte each way, four ways: checksums completed by the director
# (tx checksumming off on its ports: it finalises what comes
# CHECKSUM_PARTIAL from the veths), then full checksums from the ends.
bulk_ok() { # bulk_ok CASE
	local before

	before="$(csum_errors client) $(csum_errors nat2)"
	check_eq "$1: 1 MB each way, IPv4" \
		"$(fwd client bulk $VIP4 82 1000000)" "ok nat2 $CLIENT"
	check_eq "$1: 1 MB each way, IPv6" \
		"$(fwd client bulk $VIP6 82 1000000)" "ok nat2 $CLIENT_6"
	check_match "$1: UDP, IPv4" \
		"$(fwd client udp $VIP4 82 1000)" "^nat2 $CLIENT [0-9]+ 1000 "
	check_match "$1: UDP, IPv6" \
		"$(fwd client udp $VIP6 82 1000)" "^nat2 $CLIENT_6 [0-9]+ 1000 "
	check_eq "$1: no checksum error at either end" \
		"$(csum_errors client) $(csum_errors nat2)" "$before"
}
bulk_ok "offloads on (CHECKSUM_PARTIAL through)"
setup on director ethtool -K eth0 tx off
setup on director ethtool -K nat2 tx off
bulk_ok "partial checksums completed by the director"
setup on client ethtool -K eth0 tx off
setup on nat2 ethtool -K eth0 tx off
bulk_ok "full checksums from the ends"

# A UDP datagram without a checksum (IPv4 allows it) keeps none, both ways.
setup on nat2 nft add table ip zero
setup on nat2 nft add chain ip zero in '{ type filter hook input priority filter; }'
setup on nat2 nft add rule ip zero in udp dport 9000 udp checksum 0 counter
setup on client nft add table ip zero
setup on client nft add chain ip zero in '{ type filter hook input priority filter; }'
setup on client nft add rule ip zero in udp sport 83 udp checksum 0 counter
check_match "UDP without a checksum: answered (without one)" \
	"$(fwd client udp $VIP4 83 100 nocheck)" "^nat2 $CLIENT [0-9]+ 100 "
check_eq "the request arrived without a checksum, and the answer" \
	"$(nft_count nat2 'ip zero') $(nft_count client 'ip zero')" "1 1"

check_eq "nothing from the servers' own addresses reached the client" "$(leaks)" 0
check_eq "no drop" \
	"$(vsd --info -j | jq -c '[.info.counters[]] | add')" 0

run_ok "flush, the namespace goes, the module unloads" \
	sh -c "ip netns exec director $VSDCTL -C && ip netns del director && rmmod vsd"
klog_check
ksft_exit
