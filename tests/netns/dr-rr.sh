#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Direct routing, round robin over two real servers, the director without
# a VIP (PRE_ROUTING): requests alternate, the servers see the client's own
# address, their answers bypass the director; what is not for a service
# passes untouched; what is wrong is dropped and counted.
#
#  client               router                    director     rs1, rs2
#  10.0.1.2  ------ 10.0.1.1 | br0 10.0.2.1 ---+-- 10.0.2.2    10.0.2.11, .12
#                    VIP 10.0.0.100 routed      +-- rs1          VIP on dummy0
#                    to the director            +-- rs2          (arp_ignore)
#
# Services: tcp 10.0.0.100:80 (busybox httpd), tcp and udp 10.0.0.100:5000
# (echo: "SERVER PEER PORT"), all rr, both servers -g.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"

require_root
require busybox jq modprobe "$DP_PY"
klog_mark
dp_setup

for svc in "-t $VIP4:80" "-t $VIP4:5000" "-u $VIP4:5000"; do
	port=${svc##*:}
	run_ok "service $svc rr" vsd -A $svc -s rr
	run_ok "  real server rs1" vsd -a $svc -r $RS1:$port -g -w 1
	run_ok "  real server rs2" vsd -a $svc -r $RS2:$port -g -w 1
done

HTTP=tcp:$VIP4:80
rx0=$(if_stat director eth0 rx_packets)
out=$(for _ in 1 2 3 4 5 6; do http client "http://$VIP4/"; done)
check_eq "HTTP: 6 requests alternate, 3 per server" \
	"$(printf '%s\n' "$out" | alternates && echo yes)" yes
rx1=$(if_stat director eth0 rx_packets)

in_pkts=$(svc_stat $HTTP '.stats.inpkts')
check_eq "HTTP: 6 connections counted" "$(svc_stat $HTTP '.stats.conns')" 6
check_eq "HTTP: 3 per server" \
	"$(dest_stat $HTTP $RS1 .stats.conns) $(dest_stat $HTTP $RS2 .stats.conns)" \
	"3 3"
check_eq "HTTP: nothing counted outbound (DR)" \
	"$(svc_stat $HTTP '.stats.outpkts')" 0
# Each request is a handful of client packets; the answers (SYN+ACK, the
# page, FIN) would add as many again if they came through the director.
rx=$((rx1 - rx0))
if [ "$in_pkts" -ge 24 ] && [ "$rx" -le $((in_pkts + 6)) ]; then
	log_test 0 "answers bypass the director ($rx packets in, $in_pkts balanced)"
else
	log_test 1 "answers bypass the director ($rx packets in, $in_pkts balanced)"
fi

out=$(echo_seq client $VIP4 5000 4)
check_eq "TCP echo: alternates" "$(printf '%s\n' "$out" | alternates && echo yes)" yes
check_eq "TCP echo: the servers saw the client's address" \
	"$(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u)" 10.0.1.2
out=$(echo_seq client $VIP4 5000 4 udp)
check_eq "UDP: alternates" "$(printf '%s\n' "$out" | alternates && echo yes)" yes
check_eq "UDP: the servers saw the client's address" \
	"$(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u)" 10.0.1.2

# The table: closed HTTP connections wait in FIN_WAIT (the client's FIN,
# one direction seen), UDP flows in UDP; all inactive.
c=$(conns)
check_eq "table: 6 HTTP connections in FIN_WAIT" \
	"$(jq '[.connections[] | select(.virtual_port == 80 and .state == "FIN_WAIT"
		and .client_address == "10.0.1.2" and .inactive)] | length' <<<"$c")" 6
check_eq "table: 4 UDP flows" \
	"$(jq '[.connections[] | select(.protocol == "udp" and .state == "UDP")] | length' <<<"$c")" 4
check_eq "table: connections to both servers" \
	"$(jq -r '[.connections[].dest_address] | unique | join(" ")' <<<"$c")" \
	"$RS1 $RS2"
check_eq "dump filtered by service: 6 HTTP, 4 TCP echo, 4 UDP" \
	"$(conns_of tcp:$VIP4:80) $(conns_of tcp:$VIP4:5000) $(conns_of udp:$VIP4:5000)" \
	"6 4 4"
check_eq "rs1: ActiveConn 0, InActConn 3 (HTTP)" \
	"$(dest_stat $HTTP $RS1 '"\(.active_conns) \(.inactive_conns)"')" "0 3"
check_eq "conn_count in --info" \
	"$(vsd --info -j | jq .info.conn_count)" \
	"$(jq '.connections | length' <<<"$c")"

# An ICMP error about a server's answer (to the client, from the VIP) comes
# to the director: it goes to the server of that connection.
c=$(conns | jq -c '[.connections[] | select(.virtual_port == 80)][0]')
cport=$(jq .client_port <<<"$c")
rs=$(jq -r .dest_address <<<"$c")
for ns in rs1 rs2; do
	setup on $ns nft add table ip icmpcount
	setup on $ns nft add chain ip icmpcount in \
		'{ type filter hook input priority filter; }'
	setup on $ns nft add rule ip icmpcount in \
		icmp type destination-unreachable counter
done
icmp_seen() { # icmp_seen NS: ICMP errors counted there
	on "$1" nft list table ip icmpcount | grep -o 'packets [0-9]*' | awk '{ print $2 }'
}
run_ok "a router on the way sends \"fragmentation needed\" to the VIP" \
	on client "$DP_PY" "$DP_ECHO" frag-needed $VIP4 $VIP4 10.0.1.2 80 "$cport" 1280
rs_ns=$(rs_name "$rs")
other_ns=$(rs_other "$rs_ns")
icmp_arrived() { [ "$(icmp_seen $rs_ns)" = 1 ]; }
run_ok "it reaches $rs_ns, the server of that connection" poll 5 icmp_arrived
check_eq "and only it" "$(icmp_seen $other_ns)" 0

# What is not for a service passes: the director's own web server on the
# service's port, and pings.
setup mkdir -p "$DP_TMP/director"
echo director > "$DP_TMP/director/index.html"
bg_start "$DP_TMP/director/httpd.log" director \
	busybox httpd -f -p 80 -h "$DP_TMP/director"
director_page() { [ "$(http client http://10.0.2.2/)" = director ]; }
run_ok "the director's own address passes untouched" poll 20 director_page
run_ok "ping the director" on client ping -c 1 -W 5 10.0.2.2

# A TCP segment that opens nothing, for a service, without a connection.
drops=$(counter drop_no_conn)
run_ok "send a lone ACK to the VIP" \
	on client "$DP_PY" "$DP_ECHO" tcp 10.0.1.2 $VIP4 80 A
run_ok "lone ACK dropped and counted" poll 5 counter_above drop_no_conn "$drops"

drops=$(counter drop_malformed)
run_ok "send a TCP segment cut after 10 bytes of header" \
	on client "$DP_PY" "$DP_ECHO" tcp 10.0.1.2 $VIP4 80 S 64 30
run_ok "cut header dropped and counted" poll 5 counter_above drop_malformed "$drops"

# TTL: a SYN that arrives with TTL 1 expires at the director.
drops=$(counter drop_xmit)
run_ok "send a SYN that expires at the director" \
	on client "$DP_PY" "$DP_ECHO" tcp 10.0.1.2 $VIP4 80 S 2
run_ok "TTL expiry dropped and counted" poll 5 counter_above drop_xmit "$drops"

check_eq "no other drop" \
	"$(vsd --info -j | jq -c '.info.counters | [.drop_no_dest, .drop_conn_full, .drop_nomem, .evicted]')" \
	"[0,0,0,0]"

# Every connection is freed with the namespace and the module: a leak
# would show in the kernel log ("vsd: leak: ...", checked below).
run_ok "flush, the namespace goes, the module unloads" \
	sh -c "ip netns exec director $VSDCTL -C && ip netns del director && rmmod vsd"
slab_gone

klog_check
ksft_exit
