#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The connection table: expiry without a timer per connection (a
# collector frees what expired), the bounded size (a full table refuses,
# or evicts a connection not yet established for a new TCP one, else a
# finished one; never an established or closing one, nor a UDP flow), the
# conntrack setting, the path MTU
# (IPv4), and every connection freed when the module goes with
# connections alive.  vsd is loaded with 256 buckets (conn_tab_bits=8).
#
#  client               router                    director     rs1, rs2
#  10.0.1.2  ------ 10.0.1.1 | br0 10.0.2.1 ---+-- 10.0.2.2    10.0.2.11, .12
#                    VIP 10.0.0.100 routed      +-- rs1          VIP on dummy0
#                    to the director            +-- rs2          (arp_ignore)
#
# Services, rr over both: tcp 10.0.0.100:80 (httpd), udp 10.0.0.100:5000.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"

require_root
require busybox jq modprobe nft "$DP_PY"
klog_mark
DP_VSD_PARAMS="conn_tab_bits=8"
dp_setup

run_ok "service tcp :80 rr" vsd -A -t $VIP4:80 -s rr
run_ok "real server rs1" vsd -a -t $VIP4:80 -r $RS1:80 -g
run_ok "real server rs2" vsd -a -t $VIP4:80 -r $RS2:80 -g
run_ok "service udp :5000 rr" vsd -A -u $VIP4:5000 -s rr
run_ok "real server rs1" vsd -a -u $VIP4:5000 -r $RS1:5000 -g
run_ok "real server rs2" vsd -a -u $VIP4:5000 -r $RS2:5000 -g
check_eq "256 buckets" "$(vsd --info -j | jq .info.conn_tab_size)" 256

count() { vsd --info -j | jq .info.conn_count; }
count_is() { [ "$(count)" = "$1" ]; }
raw_syn() { on client "$DP_PY" "$DP_ECHO" tcp 10.0.1.2 $VIP4 80 S; }

# Expiry: UDP flows of 1 s are collected, and the servers' counters follow.
run_ok "UDP timeout 1 s" vsd --set 0 0 1
check_eq "4 UDP flows answered" \
	"$(echo_seq client $VIP4 5000 4 udp | names | grep -c '^rs')" 4
run_ok "they expire and are collected" poll 10 count_is 0
check_eq "InActConn back to 0" \
	"$(dest_stat udp:$VIP4:5000 $RS1 .inactive_conns) $(dest_stat udp:$VIP4:5000 $RS2 .inactive_conns)" "0 0"

# Full: 4 entries at most.  UDP flows are never evicted.  (A timeout of
# 8 s: enough to fill the table and see it refuse, short enough to wait
# for it to empty.)
run_ok "UDP timeout 8 s" vsd --set 0 0 8
run_ok "conn_max=4" vsd --config conn_max=4
check_eq "4 UDP flows answered" \
	"$(echo_seq client $VIP4 5000 4 udp | names | grep -c '^rs')" 4
full=$(counter drop_conn_full)
check_match "a fifth is refused" "$(echo_seq client $VIP4 5000 1 udp)" '^error'
run_ok "and counted" counter_above drop_conn_full "$full"
check_eq "no eviction" "$(counter evicted)" 0
run_ok "the flows expire, the table empties" poll 20 count_is 0
run_ok "UDP timeout 300 s" vsd --set 0 0 300

# Four handshakes that never complete fill the table (SYN_RECV).
for _ in 1 2 3 4; do
	raw_syn
done
check_eq "4 SYN_RECV entries" \
	"$(conns | jq '[.connections[] | select(.state == "SYN_RECV")] | length')" 4
run_ok "a fifth SYN" raw_syn
check_eq "evicts one of them" "$(counter evicted) $(count)" "1 4"
check_match "a real connection evicts another and is served" \
	"$(http client "http://$VIP4/")" '^rs[12]$'
check_eq "evicted: 2" "$(counter evicted)" 2
run_ok "two more real connections" sh -c "
	ip netns exec client timeout 5 busybox wget -qO- http://$VIP4/ &&
	ip netns exec client timeout 5 busybox wget -qO- http://$VIP4/"
check_eq "the table: 1 SYN_RECV, 3 FIN_WAIT" \
	"$(conns | jq -c '[.connections[].state] | sort')" \
	'["FIN_WAIT","FIN_WAIT","FIN_WAIT","SYN_RECV"]'
run_ok "a fourth evicts the last handshake" \
	sh -c "ip netns exec client timeout 5 busybox wget -qO- http://$VIP4/"
full=$(counter drop_conn_full)
check_eq "established or closing ones are never evicted: refused" \
	"$(http client "http://$VIP4/")" ""
run_ok "and counted" counter_above drop_conn_full "$full"
check_eq "evicted: 5 in all" "$(counter evicted)" 5
# Finished connections go next: a handshake the client ended with a FIN
# (SYN_RECV, then TIME_WAIT: the director sees the client's half only).
run_ok "conn_max=5" vsd --config conn_max=5
run_ok "a SYN then a FIN, one port" \
	on client "$DP_PY" "$DP_ECHO" tcp 10.0.1.2 $VIP4 80 S,F
check_eq "the table: 4 FIN_WAIT, 1 TIME_WAIT" \
	"$(conns | jq -c '[.connections[].state] | sort')" \
	'["FIN_WAIT","FIN_WAIT","FIN_WAIT","FIN_WAIT","TIME_WAIT"]'
check_match "a real connection evicts the finished one and is served" \
	"$(http client "http://$VIP4/")" '^rs[12]$'
check_eq "evicted: 6; the table: 5 FIN_WAIT" \
	"$(counter evicted) $(conns | jq -c '[.connections[].state] | unique')" \
	'6 ["FIN_WAIT"]'
full=$(counter drop_conn_full)
check_eq "then refused" "$(http client "http://$VIP4/")" ""
run_ok "and counted" counter_above drop_conn_full "$full"
run_ok "conn_max=100000" vsd --config conn_max=100000

# conntrack: off by default, director traffic makes no entry; on, it does.
setup modprobe nf_conntrack
setup on director nft -f - <<EOT
table inet vsdct {
	chain pre {
		type filter hook prerouting priority filter;
		ct state new counter
	}
}
EOT
ct_entries() {
	on director cat /proc/net/nf_conntrack | grep -c "dst=$VIP4 .*dport=80"
}
check_match "conntrack=0: served" "$(http client "http://$VIP4/")" '^rs[12]$'
check_eq "conntrack=0: no conntrack entry" "$(ct_entries)" 0
run_ok "conntrack=1" vsd --config conntrack=1
check_match "conntrack=1: served" "$(http client "http://$VIP4/")" '^rs[12]$'
check_match "conntrack=1: conntrack saw the connection" "$(ct_entries)" '^[1-9]'
run_ok "conntrack=0" vsd --config conntrack=0
setup on director nft delete table inet vsdct

# Path MTU: 1300 on the director's route to the servers.  A DF datagram
# too big for it is refused with "fragmentation needed" (type 3 code 4)
# and the MTU, which the client's route then remembers; without DF, the
# director fragments it and the server answers.
setup ip -n director route replace 10.0.2.0/24 dev eth0 proto kernel \
	scope link src 10.0.2.2 mtu 1300
drops=$(counter drop_xmit)
check_eq "1400 bytes with DF: fragmentation needed, MTU 1300" \
	"$(on client "$DP_PY" "$DP_ECHO" udp $VIP4 5000 1400 64 df)" "icmp 10.0.2.2 3 4 1300"
run_ok "and counted" counter_above drop_xmit "$drops"
check_match "the client learnt the path MTU" \
	"$(ip -n client route get $VIP4)" 'mtu 1300'
check_match "1400 bytes without DF: fragmented, answered" \
	"$(on client "$DP_PY" "$DP_ECHO" udp $VIP4 5000 1400 | names)" '^rs[12]$'

# DR needs the real server on a link of the director: one behind a gateway
# gets nothing, counted, and the kernel log says why.
run_ok "service tcp :81, its real server behind a gateway" sh -c "
	ip netns exec director $VSDCTL -A -t $VIP4:81 -s rr &&
	ip netns exec director $VSDCTL -a -t $VIP4:81 -r 10.0.1.99:81 -g"
drops=$(counter drop_xmit)
run_ok "a SYN for it" on client "$DP_PY" "$DP_ECHO" tcp 10.0.1.2 $VIP4 81 S
run_ok "is dropped, counted" counter_above drop_xmit "$drops"
check_match "and explained in the kernel log" "$(klog_since_mark)" \
	'vsd: no on-link route to real server 10\.0\.1\.99'

# Connections alive when the module goes: all freed, no leak reported.
check_match "connections alive" "$(count)" '^[1-9]'
run_ok "unload with connections and namespaces alive" rmmod vsd
slab_gone

klog_check
ksft_exit
