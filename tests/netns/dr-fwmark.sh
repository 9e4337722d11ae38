#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A VIP-less director for a whole range of VIPs: one nft rule marks what
# is routed to it for 10.0.3.0/24, one firewall-mark service balances it.
# No address of the range on the director, no "ip rule", no local route.
#
#  client               router                    director     rs1, rs2
#  10.0.1.2  ------ 10.0.1.1 | br0 10.0.2.1 ---+-- 10.0.2.2    10.0.2.11, .12
#                    10.0.3.0/24 routed to      +-- rs1          10.0.3.0/24
#                    the director               +-- rs2          local (dummy0)
#
# director: nft prerouting at priority raw: ip daddr 10.0.3.0/24 mark 1;
# vsdctl -A -f 1 -s rr; -a -f 1 -r rs1 -g; -a -f 1 -r rs2 -g.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"

require_root
require busybox jq modprobe nft "$DP_PY"
klog_mark
dp_setup

setup on director nft -f - <<EOF
table ip vsdmark {
	chain pre {
		type filter hook prerouting priority raw;
		ip daddr $VIP_RANGE meta mark set 1
	}
}
EOF
run_ok "firewall-mark service 1, rr" vsd -A -f 1 -s rr
run_ok "real server rs1" vsd -a -f 1 -r $RS1 -g
run_ok "real server rs2" vsd -a -f 1 -r $RS2 -g

check_eq "no address of the range on the director" \
	"$(ip -n director -4 addr show | grep -c '10\.0\.3\.')" 0
check_eq "no policy routing rule on the director" \
	"$(ip -n director rule show | grep -vc -e 'lookup local' -e 'lookup main' -e 'lookup default')" 0

# Any VIP of the range, any port: one service, rr across all of it.
out=$( (http client http://10.0.3.7/
	echo_seq client 10.0.3.200 5000 1
	http client http://10.0.3.254/
	echo_seq client 10.0.3.1 5000 1 udp) | names)
check_eq "four VIPs of the range, three ports: answered, alternately" \
	"$(printf '%s\n' "$out" | xargs)" \
	"$(printf '%s\n' "$out" | head -n 1 | awk '{ a = $1; b = (a == "rs1") ? "rs2" : "rs1"; print a, b, a, b }')"
check_eq "the servers saw the client's address" \
	"$( (echo_seq client 10.0.3.9 5000 2; echo_seq client 10.0.3.10 5000 2 udp) |
	    awk '{ print $2 }' | sort -u)" 10.0.1.2
check_eq "the connections name the mark and the VIPs asked" \
	"$(conns | jq -c '[.connections[] | select(.fwmark == 1) | .virtual_address] | unique')" \
	'["10.0.3.1","10.0.3.10","10.0.3.200","10.0.3.254","10.0.3.7","10.0.3.9"]'
check_eq "the service counts them" "$(svc_stat fwmark:1 .stats.conns)" 8

# Persistence on a fwmark service: one template per client for the range.
run_ok "persistent 300 s" vsd -E -f 1 -s rr -p 300
out=$( (for v in 11 12 13 14; do http client http://10.0.3.$v/; done) | sort -u)
check_match "a client goes to one server, whatever the VIP" "$out" '^rs[12]$'
check_eq "one template, keyed by the mark" \
	"$(conns | jq -c '[.connections[] | select(.template)] |
		map([.protocol, .client_address, .fwmark, .virtual_port])')" \
	'[["ip","10.0.1.2",1,0]]'

# Without the mark, the range is just routed: vsd does not touch it.
run_ok "remove the marking rule" on director nft delete table ip vsdmark
before=$(svc_stat fwmark:1 .stats.inpkts)
check_eq "unmarked, the range is not balanced" "$(http client http://10.0.3.20/)" ""
check_eq "and nothing was counted" "$(svc_stat fwmark:1 .stats.inpkts)" "$before"

klog_check
ksft_exit
