#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Field setup 1: direct routing on one L2 network, everything set up by the
# shipped scripts (vsd-director on the director, vsd-realserver on the real
# servers), and the ARP problem shown, then fixed.
#
#  client 10.0.1.2         gw (router)              LAN br0 10.0.2.0/24
#     |  ---------- 10.0.1.1 | 10.0.2.1 -------+---- director 10.0.2.2
#                      ARPs for the VIP        |      + VIP 10.0.2.100 on eth0
#                      (on-link in the LAN)    +---- rs1 10.0.2.11  VIP on vsd-vip
#                                              +---- rs2 10.0.2.12  (dummy, no ARP)
#  IPv6: fd00:1::/64, fd00:2::/64, VIP fd00:2::100.
#
# The ARP problem (docs/arp-problem.md, problem 3): with rs1's arp_announce
# back at 0, rs1's own ARP request for the gateway is sourced from the VIP;
# the gateway learns VIP -> rs1's MAC and the next clients bypass the
# director.  vsd-realserver again (idempotent) and the gateway relearning
# the director fix it.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"

require_root
require busybox jq "$DP_PY"
klog_mark

VIP=10.0.2.100
VIP_6=fd00:2::100
SCRIPTS=$top/scripts
export PATH=$top/ctl:$PATH	# vsd-rules finds vsdctl on the PATH

DP_TMP=$(mktemp -d /tmp/vsd-field.XXXXXX)
at_exit "rm -rf $DP_TMP"
setup vsd_load
setup ns_create client gw director rs1 rs2

client_setup gw
for n in "director 10.0.2.2 fd00:2::2" "rs1 10.0.2.11 fd00:2::11" \
	 "rs2 10.0.2.12 fd00:2::12"; do
	read -r ns a4 a6 <<<"$n"
	setup link_ns "$ns" eth0 gw "$ns"
	setup ip -n gw link set "$ns" master br0
	setup ip -n "$ns" addr add "$a4/24" dev eth0
	setup ip -n "$ns" addr add "$a6/64" dev eth0 nodad
	setup ip -n "$ns" route add default via 10.0.2.1
	setup ip -n "$ns" -6 route add default via fd00:2::1
done
for rs in rs1 rs2; do
	mkdir -p "$DP_TMP/$rs"
	echo $rs > "$DP_TMP/$rs/index.html"
	bg_start "$DP_TMP/$rs/httpd.log" $rs busybox httpd -f -p 80 -h "$DP_TMP/$rs"
	bg_start "$DP_TMP/$rs/echo.log" $rs "$DP_PY" "$DP_ECHO" serve $rs 5000
	setup poll 20 grep -q ready "$DP_TMP/$rs/echo.log"
done

cat > "$DP_TMP/rules" <<EOF
# the director's configuration, as vsdctl -S writes it
-A -t $VIP:5000 -s rr
-a -t $VIP:5000 -r 10.0.2.11:5000 -g
-a -t $VIP:5000 -r 10.0.2.12:5000 -g
-A -t [$VIP_6]:5000 -s rr
-a -t [$VIP_6]:5000 -r [fd00:2::11]:5000 -g
-a -t [$VIP_6]:5000 -r [fd00:2::12]:5000 -g
EOF

# The scripts, and nothing else, configure the director and real servers.
out=$(on director "$SCRIPTS/vsd-director" --vip $VIP,$VIP_6 --dev eth0 \
	--config "$DP_TMP/rules" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
check_eq "vsd-director sets up the director" "$rc" 0
check_match "... enabling forwarding" "$(on director sysctl -n net.ipv4.ip_forward)" '^1$'
check_match "... with the VIPs on eth0" "$(ip -n director addr show dev eth0)" "$VIP/32.*"
check_eq "... and the rules applied" \
	"$(vsd -S -n | grep -c -- '^-a')" 4
out=$(on director "$SCRIPTS/vsd-director" --vip $VIP,$VIP_6 --dev eth0 \
	--config "$DP_TMP/rules" 2>&1)
check_eq "vsd-director again changes nothing but re-applies the rules" \
	"$(printf '%s\n' "$out" | grep -v -e 'apply ' -e 'vsd-rules: applied' | wc -l)" 0

for rs in rs1 rs2; do
	out=$(VSD_STATE_DIR=$DP_TMP/$rs.state on $rs "$SCRIPTS/vsd-realserver" \
		--mode dr --vip $VIP,$VIP_6 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed "s/^/# $rs: /"
	check_eq "$rs: vsd-realserver --mode dr" "$rc" 0
done
check_match "rs1: the VIPs on a dummy device" \
	"$(ip -n rs1 -d addr show dev vsd-vip | xargs)" "dummy.*inet $VIP/32.*inet6 $VIP_6/128"
check_eq "rs1: arp_ignore 1, arp_announce 2" \
	"$(on rs1 sysctl -n net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce | xargs)" "1 2"
out=$(VSD_STATE_DIR=$DP_TMP/rs1.state on rs1 "$SCRIPTS/vsd-realserver" \
	--mode dr --vip $VIP,$VIP_6 2>&1)
check_eq "vsd-realserver again: idempotent, no change" "$out" ""
out=$(on rs1 "$SCRIPTS/vsd-realserver" --mode dr --vip 10.0.2.300 2>&1)
rc=$?
check_match "bad input refused before anything changes ($rc)" \
	"$rc $out" "^2 vsd-realserver: invalid VIP '10.0.2.300'"

mac() { ip -n "$1" link show dev eth0 | awk '/ether/ { print $2 }'; }
gw_vip_mac() {
	ip -n gw neigh show $VIP dev br0 | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}
gw_vip_is() { [ "$(gw_vip_mac)" = "$1" ]; }
through_director() { svc_stat tcp:$VIP:5000 .stats.conns; }

# Round robin through the director, client address kept.
out=$(echo_seq client $VIP 5000 6)
printf '%s\n' "$out" | sed 's/^/# /'
check_eq "six connections alternate over rs1 and rs2" \
	"$(printf '%s\n' "$out" | names | alternates && echo yes)" yes
check_eq "the real servers saw the client's address" \
	"$(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u)" 10.0.1.2
check_eq "the gateway sends the VIP to the director's MAC" \
	"$(gw_vip_mac)" "$(mac director)"
check_eq "the director counted the six" "$(through_director)" 6
out=$(echo_seq client $VIP_6 5000 4)
check_eq "IPv6: four connections alternate, client address kept" \
	"$(printf '%s\n' "$out" | names | alternates && echo yes) $(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u)" \
	"yes fd00:1::2"

# The failure the docs describe: rs1 announces the VIP in its ARP requests.
info "rs1: arp_announce=0, arp_ignore=0 (what vsd-realserver prevents)"
setup on rs1 sysctl -qw net.ipv4.conf.all.arp_announce=0 net.ipv4.conf.all.arp_ignore=0
setup ip -n rs1 neigh flush dev eth0
setup vsd -e -t $VIP:5000 -r 10.0.2.12:5000 -g -w 0   # the next one goes to rs1
out=$(echo_seq client $VIP 5000 1)
check_match "a connection through the director to rs1" "$out" '^rs1 '
poll 5 gw_vip_is "$(mac rs1)"
check_eq "rs1's ARP request (sender: the VIP) taught the gateway the VIP at rs1's MAC" \
	"$(gw_vip_mac)" "$(mac rs1)"
setup vsd -e -t $VIP:5000 -r 10.0.2.12:5000 -g -w 1
before=$(through_director)
out=$(echo_seq client $VIP 5000 6 | names | sort | uniq -c | xargs)
check_eq "the next six bypass the director: rs1 answers all" "$out" "6 rs1"
check_eq "... and the director saw none of them" "$(through_director)" "$before"

# The fix: vsd-realserver puts the settings back; the gateway relearns the
# director (here: its stale entry flushed, as it would age out).
out=$(VSD_STATE_DIR=$DP_TMP/rs1.state on rs1 "$SCRIPTS/vsd-realserver" \
	--mode dr --vip $VIP,$VIP_6 2>&1)
check_match "vsd-realserver restores what was changed" "$out" \
	"arp_ignore: 0 -> 1.*|arp_announce: 0 -> 2"
setup ip -n gw neigh flush dev br0
setup ip -n rs1 neigh flush dev eth0
out=$(echo_seq client $VIP 5000 6)
check_eq "through the director again, alternating" \
	"$(printf '%s\n' "$out" | names | alternates && echo yes)" yes
check_eq "... the gateway's entry stays the director's" "$(gw_vip_mac)" "$(mac director)"
check_eq "... and the director counted them" "$(through_director)" $((before + 6))

# --undo puts rs1 back as it was found.
out=$(VSD_STATE_DIR=$DP_TMP/rs1.state on rs1 "$SCRIPTS/vsd-realserver" \
	--mode dr --vip $VIP,$VIP_6 --undo 2>&1)
check_eq "vsd-realserver --undo: device gone, sysctls restored" \
	"$(ip -n rs1 link show dev vsd-vip 2>&1 | grep -c 'does not exist') $(on rs1 sysctl -n net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce | xargs)" \
	"1 0 0"

vsd -C
ns_cleanup
run_ok "module unloads" vsd_unload
klog_check
ksft_exit
