#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Field setup 3: a VIP-less director balancing a whole /24 of VIPs (and a
# /120 of IPv6 VIPs) by firewall mark, set up by the shipped scripts only:
# vsd-director installs the mark rule and the rules file, vsd-realserver
# makes the real servers accept the whole range without answering ARP.
# No VIP on the director, no "ip rule fwmark / ip route add local".
#
#  client               router                    director     rs1, rs2
#  10.0.1.2  ------ 10.0.1.1 | br0 10.0.2.1 ---+-- 10.0.2.2    10.0.2.11, .12
#  fd00:1::2                 | fd00:2::1      |   fd00:2::2   fd00:2::11, ::12
#               10.0.3.0/24 and fd00:3::/120   +-- rs1, rs2    the ranges local
#               routed to the director                         on vsd-vip

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"

require_root
require busybox jq nft "$DP_PY"
klog_mark

SCRIPTS=$top/scripts
export PATH=$top/ctl:$PATH	# vsd-rules finds vsdctl on the PATH
RANGE6=fd00:3::/120

DP_TMP=$(mktemp -d /tmp/vsd-field.XXXXXX)
at_exit "rm -rf $DP_TMP"
setup vsd_load
setup ns_create client router director rs1 rs2
client_setup router
setup ip -n router route add $VIP_RANGE via 10.0.2.2
setup ip -n router -6 route add $RANGE6 via fd00:2::2
for n in "director 10.0.2.2 fd00:2::2" "rs1 $RS1 $RS1_6" "rs2 $RS2 $RS2_6"; do
	read -r ns a4 a6 <<<"$n"
	setup link_ns "$ns" eth0 router "$ns"
	setup ip -n router link set "$ns" master br0
	setup ip -n "$ns" addr add "$a4/24" dev eth0
	setup ip -n "$ns" addr add "$a6/64" dev eth0 nodad
	setup ip -n "$ns" route add default via 10.0.2.1
	setup ip -n "$ns" -6 route add default via fd00:2::1
done
for rs in rs1 rs2; do
	mkdir -p "$DP_TMP/$rs"
	bg_start "$DP_TMP/$rs/echo.log" $rs "$DP_PY" "$DP_ECHO" serve $rs 5000
	setup poll 20 grep -q ready "$DP_TMP/$rs/echo.log"
done

printf '%s\n' "-A -f 1 -s rr" "-a -f 1 -r $RS1 -g" "-a -f 1 -r $RS2 -g" \
	> "$DP_TMP/rules"
out=$(on director "$SCRIPTS/vsd-director" --fwmark 1 --vip-range $VIP_RANGE \
	--config "$DP_TMP/rules" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
check_eq "vsd-director --fwmark 1 --vip-range $VIP_RANGE" "$rc" 0
check_match "... marks the range before vsd's hook" \
	"$(on director nft list chain inet vsd prerouting | xargs)" \
	"priority raw.*ip daddr 10.0.3.0/24 meta mark set 0x00000001"
check_eq "no address of the range on the director" \
	"$(ip -n director addr show | grep -c -e '10\.0\.3\.' -e 'fd00:3:')" 0
check_eq "no policy routing rule on the director" \
	"$(ip -n director rule show | grep -vc -e 'lookup local' -e 'lookup main' -e 'lookup default')" 0

for rs in rs1 rs2; do
	VSD_STATE_DIR=$DP_TMP/$rs.state on $rs "$SCRIPTS/vsd-realserver" \
		--mode dr --vip $VIP_RANGE,$RANGE6 > /dev/null 2>&1
	check_eq "$rs: vsd-realserver --vip $VIP_RANGE,$RANGE6" "$?" 0
done
check_match "rs1: the ranges are local routes on the dummy device" \
	"$(ip -n rs1 route show table local dev vsd-vip | xargs) $(ip -n rs1 -6 route show table local dev vsd-vip | xargs)" \
	"local 10.0.3.0/24 .*local fd00:3::/120"

out=$(for v in 1 77 200 254; do echo_seq client 10.0.3.$v 5000 1; done)
printf '%s\n' "$out" | sed 's/^/# /'
check_eq "four VIPs of the /24: alternating over rs1 and rs2" \
	"$(printf '%s\n' "$out" | names | alternates && echo yes)" yes
check_eq "... the servers saw the client" \
	"$(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u)" 10.0.1.2
check_eq "... one firewall-mark service counted them" \
	"$(svc_stat fwmark:1 .stats.conns)" 4
check_eq "UDP to the range too" \
	"$(for v in 5 6; do echo_seq client 10.0.3.$v 5000 1 udp; done | names | alternates && echo yes)" yes

# IPv6: a second mark for the /120, added the same way.
printf '%s\n' "-A -f 2 -6 -s rr" "-a -f 2 -6 -r [$RS1_6]:0 -g" \
	"-a -f 2 -6 -r [$RS2_6]:0 -g" >> "$DP_TMP/rules"
out=$(on director "$SCRIPTS/vsd-director" --fwmark 2 --vip-range $RANGE6 \
	--config "$DP_TMP/rules" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
check_eq "vsd-director --fwmark 2 --vip-range $RANGE6" "$rc" 0
out=$(for v in 1 9 ff 10; do echo_seq client fd00:3::$v 5000 1; done)
printf '%s\n' "$out" | sed 's/^/# /'
check_eq "IPv6: four VIPs of the /120 alternate, client address kept" \
	"$(printf '%s\n' "$out" | names | alternates && echo yes) $(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u)" \
	"yes fd00:1::2"
check_eq "the IPv4 range still balanced, still by mark 1" \
	"$(echo_seq client 10.0.3.33 5000 2 | names | alternates && echo yes)" yes

out=$(on director "$SCRIPTS/vsd-director" --fwmark 1 --vip-range 10.0.3.0/33 \
	--config "$DP_TMP/rules" 2>&1)
rc=$?
check_eq "a bad range is refused, nothing changed ($out)" \
	"$rc $(vsd -S -n | grep -c '^-A')" "2 2"

vsd -C
ns_cleanup
run_ok "module unloads" vsd_unload
klog_check
ksft_exit
