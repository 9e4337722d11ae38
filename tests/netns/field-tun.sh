#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Field setup 2: IP-in-IP tunnelling to real servers on another subnet,
# everything set up by the shipped scripts (vsd-director on the director,
# vsd-realserver --mode tun on the real servers), and the rp_filter problem
# shown, then fixed.
#
#  client 10.0.1.2      gw (router)             director 10.0.2.2
#     | ------- 10.0.1.1 | 10.0.2.1 br0 -------- + VIP 10.0.2.100 on eth0
#                        | 10.0.3.1 br1 ---+--- rs1 10.0.3.11  VIP on tunl0
#                                          +--- rs2 10.0.3.12  (and ip6tnl0)
#  IPv6: fd00:1::/64, fd00:2::/64, fd00:3::/64, VIP fd00:2::100.
#
# The real servers are a routed hop away from the director: only TUN
# reaches them (DR needs the same L2 network).  They start with strict
# reverse-path filtering (rp_filter=1, as some distributions ship): a
# tunnelled SYN arrives on tunl0 from a client whose route is via eth0 and
# is dropped.  vsd-realserver lifts it on tunl0 and "all" (the effective
# value is the maximum of the two).  The replies go from the real servers
# straight to the client.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"

require_root
require busybox jq nft "$DP_PY"
klog_mark

VIP=10.0.2.100
VIP_6=fd00:2::100
SCRIPTS=$top/scripts
export PATH=$top/ctl:$PATH	# vsd-rules finds vsdctl on the PATH

DP_TMP=$(mktemp -d /tmp/vsd-field.XXXXXX)
at_exit "rm -rf $DP_TMP"
setup vsd_load
setup modprobe -a ipip ip6_tunnel
setup ns_create client gw director rs1 rs2

client_setup gw
setup ip -n gw link add br1 type bridge
setup ip -n gw link set br1 up
setup ip -n gw addr add 10.0.3.1/24 dev br1
setup ip -n gw addr add fd00:3::1/64 dev br1 nodad
for n in "director br0 10.0.2.2 fd00:2::2 10.0.2.1 fd00:2::1" \
	 "rs1 br1 10.0.3.11 fd00:3::11 10.0.3.1 fd00:3::1" \
	 "rs2 br1 10.0.3.12 fd00:3::12 10.0.3.1 fd00:3::1"; do
	read -r ns br a4 a6 gw4 gw6 <<<"$n"
	setup link_ns "$ns" eth0 gw "$ns"
	setup ip -n gw link set "$ns" master "$br"
	setup ip -n "$ns" addr add "$a4/24" dev eth0
	setup ip -n "$ns" addr add "$a6/64" dev eth0 nodad
	setup ip -n "$ns" route add default via "$gw4"
	setup ip -n "$ns" -6 route add default via "$gw6"
done
for rs in rs1 rs2; do
	setup on $rs sysctl -qw net.ipv4.conf.all.rp_filter=1 \
		net.ipv4.conf.default.rp_filter=1
	bg_start "$DP_TMP/$rs.log" $rs "$DP_PY" "$DP_ECHO" serve $rs 5000
	setup poll 20 grep -q ready "$DP_TMP/$rs.log"
done
# The replies, counted where they enter the gateway: from the real
# servers' subnet, sourced from the VIP.
setup on gw nft -f - <<EOF
table inet replies {
	chain forward {
		type filter hook forward priority filter;
		iifname "br1" ip saddr $VIP counter
		iifname "br1" ip6 saddr $VIP_6 counter
	}
}
EOF
replies() {
	on gw nft list table inet replies | awk '/counter packets/ {
		for (i = 1; i < NF; i++) if ($i == "packets") n += $(i + 1) }
		END { print n + 0 }'
}

cat > "$DP_TMP/rules" <<EOF
# the director's configuration, as vsdctl -S writes it
-A -t $VIP:5000 -s rr
-a -t $VIP:5000 -r 10.0.3.11:5000 -i
-a -t $VIP:5000 -r 10.0.3.12:5000 -i
-A -t [$VIP_6]:5000 -s rr
-a -t [$VIP_6]:5000 -r [fd00:3::11]:5000 -i
-a -t [$VIP_6]:5000 -r [fd00:3::12]:5000 -i
EOF

# The scripts, and nothing else, configure the director and real servers.
out=$(on director "$SCRIPTS/vsd-director" --vip $VIP,$VIP_6 --dev eth0 \
	--config "$DP_TMP/rules" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
check_eq "vsd-director sets up the director" "$rc" 0
check_match "... the IPv6 VIP deprecated: never the director's own source" \
	"$(ip -n director -6 addr show dev eth0 | grep -A1 "$VIP_6/")" \
	"preferred_lft 0sec"
check_eq "... the rules applied, tunnelling" \
	"$(vsd -S -n | grep -c -- '^-a.* -i')" 4

# realserver NS ARGS...: vsd-realserver --mode tun in NS, its state kept
# per server.
realserver() {
	local ns=$1

	shift
	VSD_STATE_DIR=$DP_TMP/$ns.state on "$ns" "$SCRIPTS/vsd-realserver" \
		--mode tun "$@" 2>&1
}

for rs in rs1 rs2; do
	out=$(realserver $rs --vip $VIP && realserver $rs --vip $VIP_6)
	rc=$?
	printf '%s\n' "$out" | sed "s/^/# $rs: /"
	check_eq "$rs: vsd-realserver --mode tun, IPv4 and IPv6" "$rc" 0
done
check_match "rs1: the VIP on tunl0" "$(ip -n rs1 addr show dev tunl0 | xargs)" \
	"inet $VIP/32"
check_match "rs1: the IPv6 VIP on ip6tnl0" \
	"$(ip -n rs1 addr show dev ip6tnl0 | xargs)" "inet6 $VIP_6/128"
check_eq "rs1: rp_filter 0 on tunl0 and all, arp_ignore 1, arp_announce 2" \
	"$(on rs1 sysctl -n net.ipv4.conf.tunl0.rp_filter net.ipv4.conf.all.rp_filter \
		net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce | xargs)" \
	"0 0 1 2"
check_eq "vsd-realserver again: idempotent, no change" \
	"$(realserver rs1 --vip $VIP)" ""
out=$(realserver rs1 --vip $VIP,$VIP_6)
check_match "both families at once refused: one tunnel device each" \
	"$out" "run once per family"

# Round robin through the tunnel, client address kept, replies direct.
out=$(echo_seq client $VIP 5000 6)
printf '%s\n' "$out" | sed 's/^/# /'
check_eq "six connections alternate over rs1 and rs2" \
	"$(printf '%s\n' "$out" | names | alternates && echo yes)" yes
check_eq "the real servers saw the client's address" \
	"$(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u)" 10.0.1.2
check_eq "the director counted the six" "$(svc_stat tcp:$VIP:5000 .stats.conns)" 6
check_eq "... and sent no byte back: the replies bypass it" \
	"$(svc_stat tcp:$VIP:5000 .stats.outpkts)" 0
r=$(replies)
check_eq "the gateway got the replies from the servers' subnet, from the VIP" \
	"$([ "$r" -ge 6 ] && echo yes)" yes
out=$(echo_seq client $VIP_6 5000 4)
check_eq "IPv6 in IPv6: four connections alternate, client address kept" \
	"$(printf '%s\n' "$out" | names | alternates && echo yes) $(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u)" \
	"yes fd00:1::2"

# The failure the docs describe: strict reverse-path filtering back on rs1
# (a distribution's sysctl.conf applied again, say).
rpf() { on rs1 nstat -az TcpExtIPReversePathFilter | awk '$1 == "TcpExtIPReversePathFilter" { print $2 }'; }
info "rs1: rp_filter=1 on all (what vsd-realserver lifts)"
setup on rs1 sysctl -qw net.ipv4.conf.all.rp_filter=1
before=$(rpf)
setup vsd -e -t $VIP:5000 -r 10.0.3.12:5000 -i -w 0	# the next one: rs1
out=$(echo_seq client $VIP 5000 1)
check_match "the connection tunnelled to rs1 fails" "$out" '^error '
check_eq "... rs1 dropped the decapsulated SYN by reverse-path filtering" \
	"$([ "$(rpf)" -gt "$before" ] && echo yes)" yes
check_match "... after the director sent it" \
	"$(dest_stat tcp:$VIP:5000 10.0.3.11 .stats.inpkts)" '^[1-9]'

out=$(realserver rs1 --vip $VIP)
check_match "vsd-realserver puts rp_filter back" "$out" "all.rp_filter: 1 -> 0"
out=$(echo_seq client $VIP 5000 2)
check_eq "rs1 answers again" "$(printf '%s\n' "$out" | names | sort -u)" rs1
setup vsd -e -t $VIP:5000 -r 10.0.3.12:5000 -i -w 1

# --undo puts rs1 back as it was found.
out=$(realserver rs1 --vip $VIP --undo && realserver rs1 --vip $VIP_6 --undo)
check_eq "vsd-realserver --undo: VIPs gone, sysctls restored" \
	"$(ip -n rs1 addr show | grep -c "$VIP") $(on rs1 sysctl -n net.ipv4.conf.all.rp_filter net.ipv4.conf.all.arp_ignore | xargs)" \
	"0 1 0"

vsd -C
ns_cleanup
run_ok "module unloads" vsd_unload
klog_check
ksft_exit
