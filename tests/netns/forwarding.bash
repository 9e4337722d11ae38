# SPDX-License-Identifier: GPL-2.0
#
# Real servers for vsd's tunnelling and NAT scenarios (tun-*.sh, nat-*.sh,
# frag.sh, sched-*.sh), on datapath.bash's network (dp_net_setup).  Source
# it after lib.sh and datapath.bash.
#
#  client            router                      director        NAT servers
#  10.0.1.2 --- 10.0.1.1 | br0 10.0.2.1 --+-- eth0 10.0.2.2 | br1 10.0.5.1 -+- nat1 .11
#  fd00:1::2   fd00:1::1 | fd00:2::1      |       fd00:2::2 | fd00:5::1     +- nat2 .12
#                 10.0.4.1 | fd00:4::1    +-- tun1 10.0.2.21, fd00:2::21
#                     |  MTU 1400         +-- rs1, rs2 (DR, datapath.bash)
#                 tun2 10.0.4.22, fd00:4::22
#
# TUN servers decapsulate on tunl0 (IPv4 in IPv4), ip6tnl0 (IPv6 or IPv4
# in IPv6) and sit0 (IPv6 in IPv4), set up by scripts/vsd-realserver; tun2
# is on another subnet, behind the router, over a link of MTU 1400.  NAT
# servers are on a LAN behind the director, their default route the
# director.  Every server runs fwd.py's server on ports 5000, 6000, 7000
# and 8080, and busybox httpd (its page is its name) on 8081.

# shellcheck disable=SC2154 # top: lib.sh; DP_TMP, DP_PY: datapath.bash
FWD=$top/tests/netns/fwd.py
REALSERVER=$top/scripts/vsd-realserver
TUN1=10.0.2.21
TUN1_6=fd00:2::21
TUN2=10.0.4.22
TUN2_6=fd00:4::22
NAT1=10.0.5.11
NAT1_6=fd00:5::11
NAT2=10.0.5.12
NAT2_6=fd00:5::12
CLIENT=10.0.1.2
CLIENT_6=fd00:1::2

# fwd NS ARGS...: fwd.py in namespace NS.
fwd() {
	local ns=$1

	shift
	on "$ns" timeout 120 "$DP_PY" "$FWD" "$@"
}

# fw_servers NS: fwd.py's server and httpd in NS, ready.
fw_servers() {
	local ns=$1 dir=$DP_TMP/$1

	setup mkdir -p "$dir"
	echo "$ns" > "$dir/index.html"
	bg_start "$dir/httpd.log" "$ns" busybox httpd -f -p 8081 -h "$dir"
	bg_start "$dir/fwd.log" "$ns" "$DP_PY" "$FWD" serve "$ns" 5000,6000,7000,8080
	setup poll 20 grep -q ready "$dir/fwd.log"
}

# The links of tun1 (on br0) and tun2 (its own, MTU 1400, to the router).
tun1_link() {
	setup link_ns tun1 eth0 router tun1
	setup ip -n router link set tun1 master br0
	setup ip -n tun1 addr add $TUN1/24 dev eth0
	setup ip -n tun1 addr add $TUN1_6/64 dev eth0 nodad
	setup ip -n tun1 route add default via 10.0.2.1
	setup ip -n tun1 -6 route add default via fd00:2::1
}

tun2_link() {
	setup link_ns tun2 eth0 router tun2
	setup ip -n router link set tun2 mtu 1400
	setup ip -n tun2 link set eth0 mtu 1400
	setup ip -n router addr add 10.0.4.1/24 dev tun2
	setup ip -n router addr add fd00:4::1/64 dev tun2 nodad
	setup ip -n tun2 addr add $TUN2/24 dev eth0
	setup ip -n tun2 addr add $TUN2_6/64 dev eth0 nodad
	setup ip -n tun2 route add default via 10.0.4.1
	setup ip -n tun2 -6 route add default via fd00:4::1
}

# tun_setup [NS...]: tun1 on the server LAN, tun2 behind the router (both,
# or those named); they decapsulate, set up by vsd-realserver.
tun_setup() {
	local ns addr servers=${*:-tun1 tun2}

	setup modprobe -a ipip ip6_tunnel sit
	# shellcheck disable=SC2086
	setup ns_create $servers
	for ns in $servers; do
		"${ns}_link"
	done
	for ns in $servers; do
		# Strict reverse-path filtering: vsd-realserver must lift it.
		setup on $ns sysctl -qw net.ipv4.conf.all.rp_filter=1
		setup on $ns env VSD_STATE_DIR="$DP_TMP/$ns.state" \
			"$REALSERVER" --mode tun --vip $VIP4
		setup on $ns env VSD_STATE_DIR="$DP_TMP/$ns.state" \
			"$REALSERVER" --mode tun --vip $VIP6
		# IPv6 in IPv4 arrives on sit0; IPv4 in IPv6 on ip6tnl0 once
		# it takes any inner protocol (it takes IPv6 only by default).
		setup on $ns env VSD_STATE_DIR="$DP_TMP/$ns.state" \
			"$REALSERVER" --mode tun --vip $VIP6 --dev sit0
		setup ip -n $ns -6 tunnel change ip6tnl0 mode any
		fw_servers $ns
	done
	for ns in $servers; do
		addr=$TUN1
		[ "$ns" = tun2 ] && addr=$TUN2
		setup poll 20 sh -c "ip netns exec router timeout 2 busybox wget -qO- http://$addr:8081/ | grep -q $ns"
	done
}

# nat_setup [NS...]: nat1 and nat2 (or those named) on br1, a LAN behind
# the director, which is their gateway and forwards.
nat_setup() {
	local ns addr addr6 servers=${*:-nat1 nat2}

	# shellcheck disable=SC2086
	setup ns_create $servers
	setup on director sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1
	setup ip -n director link add br1 type bridge
	setup ip -n director link set br1 up
	setup ip -n director addr add 10.0.5.1/24 dev br1
	setup ip -n director addr add fd00:5::1/64 dev br1 nodad
	# Reachable from outside too (only what is not balanced uses it).
	setup ip -n router route add 10.0.5.0/24 via 10.0.2.2
	setup ip -n router -6 route add fd00:5::/64 via fd00:2::2
	for ns in $servers; do
		addr=$NAT1 addr6=$NAT1_6
		[ $ns = nat2 ] && addr=$NAT2 addr6=$NAT2_6
		setup link_ns $ns eth0 director $ns
		setup ip -n director link set $ns master br1
		setup ip -n $ns addr add $addr/24 dev eth0
		setup ip -n $ns addr add $addr6/64 dev eth0 nodad
		setup ip -n $ns route add default via 10.0.5.1
		setup ip -n $ns -6 route add default via fd00:5::1
		fw_servers $ns
		setup poll 20 sh -c "ip netns exec director timeout 2 busybox wget -qO- http://$addr:8081/ | grep -q $ns"
	done
}

# csum_errors NS: TCP and UDP (IPv4 and IPv6) segments and datagrams NS
# received with a bad checksum.
csum_errors() {
	on "$1" awk '
		$1 == "Tcp:" && !t { for (i = 2; i <= NF; i++) f[i] = $i; t = 1; next }
		$1 == "Tcp:" { for (i = 2; i <= NF; i++) if (f[i] == "InCsumErrors") n += $i }
		$1 == "Udp:" && !u { for (i = 2; i <= NF; i++) g[i] = $i; u = 1; next }
		$1 == "Udp:" { for (i = 2; i <= NF; i++) if (g[i] == "InCsumErrors") n += $i }
		$1 == "Udp6InCsumErrors" { n += $2 }
		END { print n + 0 }' /proc/net/snmp /proc/net/snmp6
}

# nft_count NS TABLE: the packets counted by the one counter of a table.
nft_count() {
	on "$1" nft list table "$2" | awk '/counter packets/ {
		for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# bg_fwd LOG NS ARGS...: fwd.py in the background (icmp-recv), its output
# in LOG; waits until it is ready.
bg_fwd() {
	local log=$1 ns=$2

	shift 2
	bg_start "$log" "$ns" "$DP_PY" "$FWD" "$@"
	setup poll 20 grep -q ready "$log"
}

# bg_line LOG: the line after "ready" in LOG, once there.
bg_line() { sed -n 2p "$1"; }
bg_done() { [ -n "$(bg_line "$1")" ]; }

# hold_start NS HOST PORT [SPORT]: fwd.py hold (long-lived TCP connections)
# in NS, from SPORT on if given, driven by hold_cmd through fd 8 (not in a
# subshell: it sets the fd).
hold_start() {
	HOLD_OUT=$DP_TMP/hold.out
	HOLD_FIFO=$DP_TMP/hold.fifo
	rm -f "$HOLD_FIFO"
	mkfifo "$HOLD_FIFO" || return 1
	: > "$HOLD_OUT"
	ip netns exec "$1" "$DP_PY" "$FWD" hold "$2" "$3" ${4:+"$4"} \
		< "$HOLD_FIFO" > "$HOLD_OUT" 2>&1 &
	at_exit "kill $! 2>/dev/null"
	exec 8> "$HOLD_FIFO"
}

hold_lines() { [ "$(wc -l < "$HOLD_OUT")" -ge "$1" ]; }

# hold_cmd "open N" | "close N": its answer, "ok CONNECTIONS-OPEN".
hold_cmd() {
	local n

	n=$(($(wc -l < "$HOLD_OUT") + 1))
	echo "$*" >&8
	poll 120 hold_lines $n && sed -n "${n}p" "$HOLD_OUT"
}

# hold_stop: every held connection closed.
hold_stop() { exec 8>&-; }

# tally: "COUNT FIELDS" per distinct line of stdin, on one line.
tally() { sort | uniq -c | awk '{ $1 = $1; print }' | xargs; }

# who: of answers "SERVER PEER ...", "COUNT SERVER PEER" per server and
# peer, on one line.
who() { awk '{ print $1, $2 }' | tally; }

# nat_leak_watch: count at the client what comes from the NAT servers' own
# addresses (nothing should: replies come from the VIP); nat_leaks: how
# many packets so far.
nat_leak_watch() {
	setup on client nft -f - <<-EOT
	table inet leak {
		chain in {
			type filter hook input priority filter;
			ip saddr 10.0.5.0/24 counter
			ip6 saddr fd00:5::/64 counter
		}
	}
	EOT
}

nat_leaks() {
	nft_count client 'inet leak' | awk '{ n += $1 } END { print n + 0 }'
}

ICMP_N=0
# nat_unreachable V VIP ERROR DECODE: UDP to VIP:84, NAT to a closed port
# of nat2: the client's socket gets ERROR ("icmp FROM TYPE CODE INFO"), and
# the message as the client's raw socket decodes it matches DECODE.
nat_unreachable() {
	local log=$DP_TMP/icmp$((ICMP_N += 1)).log

	bg_fwd "$log" client icmp-recv "$1" 84 10
	check_eq "IPv$1: UDP to a closed port: the client's socket gets it, from the VIP" \
		"$(fwd client udp "$2" 84 100)" "$3"
	setup poll 10 bg_done "$log"
	check_match "IPv$1: quoting its own datagram to VIP:84, checksums right" \
		"$(bg_line "$log")" "$4"
}

# nat_too_big V VIP NAT TYPE CODE IPCHECK MTU: the client sends the VIP a
# "too big" (TYPE, CODE) with MTU about a reply of a UDP flow to VIP:82
# (nat2:8080, its address NAT): nat2 gets it about its own packet, and its
# UDP socket learns the path MTU.
nat_too_big() {
	local log=$DP_TMP/icmp$((ICMP_N += 1)).log client=$CLIENT
	local cport=$((40000 + ICMP_N))

	[ "$1" = 6 ] && client=$CLIENT_6
	check_match "IPv$1: a UDP flow from port $cport to VIP:82" \
		"$(fwd client udp "$2" 82 100 sport=$cport)" "^nat2 "
	bg_fwd "$log" nat2 icmp-recv "$1" "$cport" 10
	run_ok "IPv$1: \"too big\" ($7) to the VIP about VIP:82 -> client:$cport" \
		fwd client icmp-send "$2" "$4" "$5" "$7" udp "$2" 82 $client "$cport"
	setup poll 10 bg_done "$log"
	check_eq "IPv$1: nat2 gets it about its own packet, checksums right" \
		"$(bg_line "$log")" \
		"$4 $5 $7 $client $3 $3 8080 $client $cport icmp=ok ip=$6 l4=ok"
	check_match "IPv$1: and nat2 learns the path MTU to the client" \
		"$(ip -n nat2 -"$1" route get $client)" "mtu $7"
}

# The scheduler scenarios (sched-*.sh): direct routing to datapath.bash's
# rs1, rs2 and a third server, rs3, the same steps through vsd and through
# Linux's IPVS.
RS3=10.0.2.13
RS3_6=fd00:2::13

# sched_setup: datapath.bash's topology with rs3.
sched_setup() {
	dp_setup
	setup ns_create rs3
	rs_setup rs3 $RS3 $RS3_6
	setup poll 20 sh -c "ip netns exec router timeout 2 busybox wget -qO- http://$RS3/ | grep -q rs3"
}

# ipvs_need SCHED...: Linux's ip_vs and these schedulers loaded (unloaded
# on exit), or the scenario is skipped.
ipvs_need() {
	local m mods="ip_vs"

	for m in "$@"; do
		mods="$mods ip_vs_$m"
	done
	# shellcheck disable=SC2086
	if ! command -v ipvsadm >/dev/null || ! modprobe -a $mods 2>/dev/null; then
		log_test 4 "$(basename "$0"): needs Linux's ip_vs and ipvsadm"
		ksft_exit
	fi
	at_exit "modprobe -r $(echo "$mods" | awk '{ for (i = NF; i; i--) printf "%s ", $i }') 2>/dev/null"
}

# lvs IMPL ARGS...: vsdctl (IMPL vsd) or ipvsadm (IMPL ipvs) on the
# director, with the same arguments.
lvs() {
	local impl=$1

	shift
	if [ "$impl" = vsd ]; then
		vsd "$@"
	else
		on director ipvsadm "$@"
	fi
}

# lvs_config IMPL PROTO SCHED W1 W2 W3 [FLAGS]: the only service, PROTO
# VIP4:5000 with scheduler SCHED (and its FLAGS), rs1, rs2 and rs3 by DR
# with those weights.  IPVS hooks LOCAL_IN: it gets the VIP on lo.
lvs_config() {
	local impl=$1 p=$2 s=$3

	lvs_clear || return 1
	if [ "$impl" = ipvs ]; then
		ip -n director addr replace $VIP4/32 dev lo || return 1
	fi
	lvs "$impl" -A "$p" $VIP4:5000 -s "$s" ${7:+-b "$7"} &&
	lvs "$impl" -a "$p" $VIP4:5000 -r $RS1:5000 -g -w "$4" &&
	lvs "$impl" -a "$p" $VIP4:5000 -r $RS2:5000 -g -w "$5" &&
	lvs "$impl" -a "$p" $VIP4:5000 -r $RS3:5000 -g -w "$6"
}

# lvs_clear: no service in vsd nor in IPVS.
lvs_clear() { vsd -C && on director ipvsadm -C; }

# lvs_dests IMPL: "ADDRESS CONNS ACTIVE INACTIVE" per real server of the
# service, sorted by address (ipvsadm's listings, vsdctl's JSON).
lvs_dests() {
	if [ "$1" = vsd ]; then
		vsd -L -n --stats --exact -j | jq -r '.services[0].destinations[] |
			"\(.address) \(.stats.conns) \(.active_conns) \(.inactive_conns)"' | sort
		return
	fi
	join <(on director ipvsadm -L -n --stats --exact |
	       awk '$1 == "->" && $2 ~ /:5000$/ { sub(/:5000$/, "", $2); print $2, $3 }' | sort) \
	     <(on director ipvsadm -L -n |
	       awk '$1 == "->" && $2 ~ /:5000$/ { sub(/:5000$/, "", $2); print $2, $5, $6 }' | sort)
}

# lvs_active IMPL: the service's active connections, all servers.
lvs_active() { lvs_dests "$1" | awk '{ n += $3 } END { print n + 0 }'; }

# count FILE NAME: the lines of FILE that are NAME.
count() { grep -cx "$2" "$1"; }
