#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Persistence, DR: a client goes to the same real server for as long as
# its template lives; clients whose masked addresses differ are spread by
# the scheduler; a template lives while it controls connections and its
# timeout after, then the client is scheduled afresh.
#
#  client 10.0.1.2-.10  router                    director     rs1, rs2
#  (9 addresses) ---- 10.0.1.1 | br0 10.0.2.1 ---+-- 10.0.2.2  10.0.2.11, .12
#                    VIP 10.0.0.100 routed      +-- rs1          VIP on dummy0
#                    to the director            +-- rs2          (arp_ignore)
#
# Services, all rr: tcp 10.0.0.100:5000 -p 300 (netmask /32, echo),
# udp 10.0.0.100:5000 -p 300 -M 255.255.255.0 (echo), tcp 10.0.0.100:80
# -p 2 (httpd).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"

require_root
require busybox jq modprobe "$DP_PY"
klog_mark
dp_setup

for i in 3 4 5 6 7 8 9 10; do
	setup ip -n client addr add 10.0.1.$i/24 dev eth0
done

SVC=tcp:$VIP4:5000
run_ok "service tcp :5000 rr, persistent 300 s" vsd -A -t $VIP4:5000 -s rr -p 300
run_ok "real server rs1" vsd -a -t $VIP4:5000 -r $RS1:5000 -g
run_ok "real server rs2" vsd -a -t $VIP4:5000 -r $RS2:5000 -g

out=$(echo_seq client $VIP4 5000 10 tcp 10.0.1.2 | names)
check_eq "one client: 10 connections, one server" \
	"$(printf '%s\n' "$out" | sort | uniq -c | awk '{ print $1 }')" 10
first=$(printf '%s\n' "$out" | head -n 1)
check_eq "one template, for the client, marked as such" \
	"$(conns | jq -c '[.connections[] | select(.template)] |
		map([.protocol, .client_address, .client_port,
		     .virtual_address, .virtual_port])')" \
	'[["ip","10.0.1.2",0,"10.0.0.100",5000]]'
check_eq "its server counts one persistent connection" \
	"$(dest_stat $SVC "$(rs_addr "$first")" .persistent_conns)" 1
check_eq "its connections are not templates" \
	"$(conns | jq '[.connections[] | select(.template | not) |
		select(.client_address == "10.0.1.2")] | length')" 10

# Eight more clients, twice each: each keeps its server, and the scheduler
# spreads their templates over both.
for _ in 1 2; do
	for i in 3 4 5 6 7 8 9 10; do
		echo "10.0.1.$i $(echo_seq client $VIP4 5000 1 tcp 10.0.1.$i | names)"
	done
done > "$DP_TMP/spread"
check_eq "every client keeps its server" \
	"$(sort -u "$DP_TMP/spread" | awk '{ print $1 }' | uniq -d | wc -l)" 0
check_eq "the clients are spread 4 and 4" \
	"$(sort -u "$DP_TMP/spread" | awk '{ print $2 }' | sort | uniq -c |
	   awk '{ print $1 }' | xargs)" "4 4"
check_eq "9 templates" \
	"$(conns | jq '[.connections[] | select(.template)] | length')" 9

# Netmask /24: the nine addresses are one client.
run_ok "service udp :5000 rr, persistent, netmask /24" \
	vsd -A -u $VIP4:5000 -s rr -p 300 -M 255.255.255.0
run_ok "real server rs1" vsd -a -u $VIP4:5000 -r $RS1:5000 -g
run_ok "real server rs2" vsd -a -u $VIP4:5000 -r $RS2:5000 -g
out=$(for i in 2 3 4 5 6 7 8 9 10; do
	echo_seq client $VIP4 5000 1 udp 10.0.1.$i | names
done)
check_eq "netmask /24: nine addresses, one server" \
	"$(printf '%s\n' "$out" | grep -c '^rs') $(printf '%s\n' "$out" | sort -u | wc -l)" "9 1"
check_eq "netmask /24: one template, for 10.0.1.0" \
	"$(conns | jq -c '[.connections[] | select(.template and .client_address == "10.0.1.0")] |
		map([.protocol, .virtual_port])')" '[["ip",5000]]'

# A template's lifetime: persistence 2 s, TCP FIN_WAIT 2 s.  It lives
# while its connection does, then 2 s; the next connection is scheduled
# afresh, by rr to the other server.
run_ok "TCP FIN_WAIT timeout 2 s" vsd --set 0 2 0
run_ok "service tcp :80 rr, persistent 2 s" vsd -A -t $VIP4:80 -s rr -p 2
run_ok "real server rs1" vsd -a -t $VIP4:80 -r $RS1:80 -g
run_ok "real server rs2" vsd -a -t $VIP4:80 -r $RS2:80 -g
first=$(http client "http://$VIP4/")
check_match "a request is answered" "$first" '^rs[12]$'
check_eq "the next one, by the template" "$(http client "http://$VIP4/")" "$first"
http_entries() {
	conns | jq '[.connections[] | select(.virtual_port == 80)] | length'
}
no_http_entries() { [ "$(http_entries)" = 0 ]; }
run_ok "the connections and the template expire and are collected" \
	poll 20 no_http_entries
check_eq "a new request is scheduled afresh (rr: the other server)" \
	"$(http client "http://$VIP4/")" "$(rs_other "$first")"

klog_check
ksft_exit
