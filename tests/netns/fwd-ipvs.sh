#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tunnelling and NAT against Linux's IPVS, same VM, same topology, same
# configuration, same flows: eight services (TUN and NAT, TCP and UDP,
# IPv4 and IPv6, rr over two real servers), through vsd and then through
# IPVS.  Flow by flow, the same real server answers (rr order), it sees
# the same client address and port, and the client gets the same bytes
# back from VIP:port (100 kB each way over TCP, 1000-byte datagrams);
# the client learns the same path MTU through the tunnel to tun2 (behind
# a link of MTU 1400); and each real server ends with the same
# connections, active and inactive, in the listings.
#
#  client            router                      director        NAT servers
#  10.0.1.2 --- 10.0.1.1 | br0 10.0.2.1 --+-- eth0 10.0.2.2 | br1 10.0.5.1 -+- nat1 .11
#  fd00:1::2   fd00:1::1 | fd00:2::1      |       fd00:2::2 | fd00:5::1     +- nat2 .12
#                 10.0.4.1 | fd00:4::1    +-- tun1 10.0.2.21, fd00:2::21
#                     |  MTU 1400
#                 tun2 10.0.4.22, fd00:4::22
#
# vsd runs without a VIP (PRE_ROUTING); IPVS hooks LOCAL_IN and gets the
# VIPs on the director's lo.  vsd is unloaded before IPVS's turn, so that
# none of its connections outlives its pass, and every route cache (where
# path MTUs are learnt) is flushed between the passes.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/forwarding.bash"

require_root
require busybox jq modprobe "$DP_PY"
klog_mark
ipvs_need rr
dp_net_setup
tun_setup
nat_setup
# IPVS does not relay an ICMPv6 "packet too big" about its IPv6-in-IPv6
# packets (ip_vs_in_icmp_v6 has no tunnel case, unlike IPv4's), so the
# director's route to tun2's IPv6 subnet carries the MTU, as it must with
# IPVS.  (vsd relays it: tun.sh.)  IPv4 paths learn it through both.
setup ip -n director -6 route add fd00:4::/64 via fd00:2::1 mtu 1400

# NAME PROTO SERVICE FORWARD SERVER1 SERVER2 (UDP: first client port)
SERVICES="tun-tcp4 -t $VIP4:5000 -i $TUN1:5000 $TUN2:5000 0
tun-udp4 -u $VIP4:5000 -i $TUN1:5000 $TUN2:5000 41000
tun-tcp6 -t [$VIP6]:5000 -i [$TUN1_6]:5000 [$TUN2_6]:5000 0
tun-udp6 -u [$VIP6]:5000 -i [$TUN1_6]:5000 [$TUN2_6]:5000 42000
nat-tcp4 -t $VIP4:80 -m $NAT1:8080 $NAT2:8080 0
nat-udp4 -u $VIP4:80 -m $NAT1:8080 $NAT2:8080 43000
nat-tcp6 -t [$VIP6]:80 -m [$NAT1_6]:8080 [$NAT2_6]:8080 0
nat-udp6 -u [$VIP6]:80 -m [$NAT1_6]:8080 [$NAT2_6]:8080 44000"
NCONNS=48	# 8 services, 6 connections (datagrams) each

# configure IMPL: the eight services, the servers added in the same order.
configure() {
	local impl=$1 name p svc f r1 r2 sport

	if [ "$impl" = ipvs ]; then
		ip -n director addr replace $VIP4/32 dev lo &&
		ip -n director addr replace $VIP6/128 dev lo || return 1
	fi
	# shellcheck disable=SC2034 # name, sport: not needed here
	while read -r name p svc f r1 r2 sport; do
		lvs "$impl" -A "$p" "$svc" -s rr &&
		lvs "$impl" -a "$p" "$svc" -r "$r1" "$f" &&
		lvs "$impl" -a "$p" "$svc" -r "$r2" "$f" || return 1
	done <<< "$SERVICES"
}

# norm: fwd.py's "SPORT NAME PEER PORT LEN" as "NAME PEER own-port LEN"
# when the server saw the client's own port (TCP's ports are ephemeral).
norm() {
	awk '{ print $2, $3, ($1 == $4 ? "own-port" : "port " $4), $5 }'
}

# requests: per service, 4 connections (datagrams) answered "NAME PEER
# PORT LEN", then 2 bulk transfers (TCP) or 2 padded datagrams of 1000
# bytes (UDP), as fwd.py run's input: one Python start-up for them all.
requests() {
	local name p svc f r1 r2 sport host port

	# shellcheck disable=SC2034 # f, r1, r2: not needed here
	while read -r name p svc f r1 r2 sport; do
		host=${svc%:*} port=${svc##*:}
		host=${host#[} host=${host%]}
		if [ "$p" = -t ]; then
			echo "$name.seq seq $host $port 4 full"
			echo "$name.end bulk $host $port 100000"
			echo "$name.end bulk $host $port 100000"
		else
			echo "$name.seq seq $host $port 4 udp full sport=$sport"
			echo "$name.end udp $host $port 1000 pad sport=$((sport + 10))"
			echo "$name.end udp $host $port 1000 pad sport=$((sport + 11))"
		fi
	done <<< "$SERVICES"
}

# traffic IMPL: the requests, their answers in $DP_TMP/IMPL.NAME (the
# first 4 lines normalised), checked.
traffic() {
	local impl=$1 name p svc f r1 r2 sport out client s1 s2 all

	all=$DP_TMP/$impl.all
	requests | on client timeout 300 "$DP_PY" "$FWD" run > "$all"
	# shellcheck disable=SC2034 # svc, f, r1, r2: not needed here
	while read -r name p svc f r1 r2 sport; do
		out=$DP_TMP/$impl.$name
		{
			sed -n "s/^$name\.seq //p" "$all" | norm
			sed -n "s/^$name\.end //p" "$all"
		} > "$out"
		sed "s/^/# $impl $name: /" "$out"
		client=$CLIENT
		[ "${name%6}" = "$name" ] || client=$CLIENT_6
		s1=${name%-*}1 s2=${name%-*}2
		check_eq "$impl: $name: 2 answers from each, who saw the client's address and port" \
			"$(head -n 4 "$out" | awk '{ print $1, $2, $3, $4 }' | tally)" \
			"2 $s1 $client own-port 6 2 $s2 $client own-port 6"
		if [ "$p" = -t ]; then
			check_eq "$impl: $name: 100 kB each way intact, one transfer on each" \
				"$(tail -n +5 "$out" | sort | xargs)" \
				"ok $s1 $client ok $s2 $client"
		else
			check_eq "$impl: $name: 1000 bytes back from VIP:${svc##*:}, from each" \
				"$(tail -n +5 "$out" | awk -v p=$((sport + 10)) '{
					print $1, $2, ($3 == p || $3 == p + 1 ? "own-port" : $3), $4, $5
				}' | sort | xargs)" \
				"$s1 $client own-port 1000 1000 $s2 $client own-port 1000 1000"
		fi
	done <<< "$SERVICES"
}

# dests IMPL: "SERVICE/SERVER FORWARD WEIGHT ACTIVE INACTIVE CONNS" per
# real server, from the listings (vsdctl keeps ipvsadm's layout).
dests() {
	join <(lvs "$1" -L -n | awk '$1 ~ /^(TCP|UDP)$/ { s = $1 ":" $2 }
		$1 == "->" && $3 ~ /^(Tunnel|Masq)$/ { print s "/" $2, $3, $4, $5, $6 }' | sort) \
	     <(lvs "$1" -L -n --stats --exact | awk '$1 ~ /^(TCP|UDP)$/ { s = $1 ":" $2 }
		$1 == "->" && $3 ~ /^[0-9]+$/ { print s "/" $2, $3 }' | sort)
}

# settled IMPL: every connection counted (IPVS's counters reach its
# listings by its estimator, every 2 s) and none active any more.
settled() {
	dests "$1" | awk -v n=$NCONNS '{ a += $4; c += $6 }
		END { exit !(a == 0 && c == n) }'
}

# pmtu NS ADDR: the path MTU NS learnt to ADDR, or "none".
pmtu() {
	ip -n "$1" route get "$2" | grep -o 'mtu [0-9]*' || echo none
}

flush_caches() {
	local ns

	for ns in client router director; do
		ip -n $ns -4 route flush cache && ip -n $ns -6 route flush cache ||
			return 1
	done
	[ "$(pmtu client $VIP4) $(pmtu client $VIP6)" = "none none" ]
}

pass() {
	local impl=$1

	run_ok "$impl: route caches flushed, no path MTU learnt" flush_caches
	run_ok "$impl: 4 TUN and 4 NAT services" configure "$impl"
	traffic "$impl"
	echo "$(pmtu client $VIP4) $(pmtu client $VIP6)" > "$DP_TMP/$impl.pmtu"
	run_ok "$impl: $NCONNS connections counted, all closed" poll 60 settled "$impl"
	dests "$impl" > "$DP_TMP/$impl.dests"
	sed "s/^/# $impl: /" "$DP_TMP/$impl.dests"
}

pass vsd
check_eq "vsd: the client learnt the path MTUs through the tunnel to tun2" \
	"$(cat "$DP_TMP/vsd.pmtu")" "mtu 1380 mtu 1360"
run_ok "vsd: services cleared" vsd -C
run_ok "vsd unloaded, its connections with it" vsd_unload

pass ipvs
run_ok "ipvs: services cleared" on director ipvsadm -C

for name in $(awk '{ print $1 }' <<< "$SERVICES"); do
	check_diff "$name: the same answers as IPVS, flow by flow" \
		"$DP_TMP/ipvs.$name" "$DP_TMP/vsd.$name"
done
check_diff "the same path MTUs learnt as through IPVS" \
	"$DP_TMP/ipvs.pmtu" "$DP_TMP/vsd.pmtu"
check_diff "the same connections per real server as IPVS" \
	"$DP_TMP/ipvs.dests" "$DP_TMP/vsd.dests"

klog_check
ksft_exit
