# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the data-plane benchmarks (bench/dataplane.sh), run as root in
# the test VM (tests/vm/run).  Source it after tests/netns/lib.sh.
#
#                 +-- g0 ====== d0 -- director -- d1 ====== r0 --+
#   gen (pktgen) -+   10.0.1.2  10.0.1.1      10.0.2.1  10.0.2.11 +- rs (sink)
#                 +-- g1 ====================================== r1 -+
#                     10.0.3.2                            10.0.3.11
#
# gen sends UDP datagrams to the VIP 10.0.0.100:9 with pktgen, from client
# addresses 10.1.0.0/16, either through the director (g0, to d0's MAC) or
# straight to the real server (g1, to r1's MAC): the baseline, whose cost
# is the generator's and the sink's.  The director is a fresh namespace for
# every run (so that each table starts empty and is freed with it); it
# forwards to rs by the method under test, with ip_vs or vsd.  rs drops
# everything at the ingress of r0 and r1 (tc matchall), where packets are
# counted: the sink costs the same on both paths.  The VIP is on the
# director's lo in every run: IPVS needs it, vsd (PRE_ROUTING) ignores it.
# Neighbours are permanent, so nothing but the measured traffic flows.

VIP=10.0.0.100
VPORT=9
RS=10.0.2.11

# shellcheck disable=SC2154 # top, NS_LIST: tests/netns/lib.sh
BENCH_TMP=${BENCH_TMP:-/tmp/vsd-bench}
BENCH_BIN=${BENCH_BIN:-$top/bench/bin}

# bsetup CMD...: a setup step; the benchmark stops if it fails.
bsetup() {
	local log=$BENCH_TMP/setup.log

	[ "$VERBOSE" = 0 ] || printf '# $ %s\n' "$*" >&2
	if ! "$@" > "$log" 2>&1; then
		sed 's/^/# /' "$log" | head -n 20 >&2
		echo "# bench: setup failed: $*" >&2
		exit 1
	fi
}

on() {
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

mac_of() { ip -n "$1" -br link show dev "$2" | awk '{ print $3 }'; }

# sink DEV: a device of rs that drops (and counts) what it receives.
sink() {
	bsetup tc -n rs qdisc add dev "$1" clsact
	bsetup tc -n rs filter add dev "$1" ingress matchall action drop
}

# no_ipv6 NS: no IPv6 on the links of NS, so that nothing but the
# measured traffic flows (no DAD, MLD or router solicitations).
no_ipv6() {
	bsetup on "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
}

# bench_topology: gen and rs and the direct link between them.
bench_topology() {
	mkdir -p "$BENCH_TMP"
	bsetup modprobe -a pktgen veth sch_ingress cls_matchall act_gact
	# Room for bursts when softirqs are deferred to ksoftirqd and pktgen
	# runs ahead: a full backlog would drop what the director never saw.
	bsetup sysctl -qw net.core.netdev_max_backlog=10000
	bsetup ns_create gen rs
	no_ipv6 gen
	no_ipv6 rs
	bsetup ip link add g1 netns gen type veth peer name r1 netns rs
	bsetup ip -n gen addr add 10.0.3.2/24 dev g1
	bsetup ip -n rs addr add 10.0.3.11/24 dev r1
	bsetup ip -n gen link set g1 up
	bsetup ip -n rs link set r1 up
	sink r1
	on gen sh -c 'echo rem_device_all > /proc/net/pktgen/kpktgend_0'
	bsetup on gen sh -c 'echo add_device g1 > /proc/net/pktgen/kpktgend_0'
}

# director_up: a fresh director namespace wired to gen (g0/d0) and to rs
# (d1/r0).  director_down deletes it, and its tables with it.
director_up() {
	bsetup ns_create director
	no_ipv6 director
	bsetup ip link add g0 netns gen type veth peer name d0 netns director
	bsetup ip link add d1 netns director type veth peer name r0 netns rs
	bsetup ip -n gen addr add 10.0.1.2/24 dev g0
	bsetup ip -n director addr add 10.0.1.1/24 dev d0
	bsetup ip -n director addr add 10.0.2.1/24 dev d1
	bsetup ip -n director addr add $VIP/32 dev lo
	bsetup ip -n rs addr add $RS/24 dev r0
	bsetup ip -n gen link set g0 up
	bsetup ip -n director link set d0 up
	bsetup ip -n director link set d1 up
	bsetup ip -n rs link set r0 up
	sink r0
	bsetup ip -n director route add 10.1.0.0/16 via 10.0.1.2
	bsetup ip -n director neigh replace 10.0.1.2 \
		lladdr "$(mac_of gen g0)" dev d0 nud permanent
	bsetup ip -n director neigh replace $RS \
		lladdr "$(mac_of rs r0)" dev d1 nud permanent
	bsetup on director sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.d0.rp_filter=0
	bsetup on gen sh -c 'echo add_device g0 > /proc/net/pktgen/kpktgend_0'
}

# slab_shrink CACHE...: the caches' empty slabs freed and their per-CPU
# slabs flushed, so that their counts are exact.
slab_shrink() {
	local c

	for c in "$@"; do
		[ -w "/sys/kernel/slab/$c/shrink" ] && echo 1 > "/sys/kernel/slab/$c/shrink"
	done
	return 0
}

# slab_objects CACHE: objects of a slab cache in use (0 if none).
slab_objects() {
	local f=/sys/kernel/slab/$1/objects

	if [ -r "$f" ]; then
		awk '{ print $1 }' "$f"
	else
		echo 0
	fi
}

# Both kinds of connections freed (the director namespace goes away
# asynchronously, and freeing a million connections takes a while: that
# must not run during the next measurement).
conns_freed() {
	slab_shrink vsd_conn ip_vs_conn
	[ "$(slab_objects vsd_conn)" -le 64 ] &&
	[ "$(slab_objects ip_vs_conn)" -le 64 ]
}

director_down() {
	on gen sh -c 'echo rem_device_all > /proc/net/pktgen/kpktgend_0'
	on gen sh -c 'echo add_device g1 > /proc/net/pktgen/kpktgend_0'
	ip netns del director
	NS_LIST=${NS_LIST/ director/}
	poll 600 conns_freed || echo "# bench: connections not freed after 600 s" >&2
	# Whatever else the namespace's exit left (RCU callbacks, workers,
	# conntrack): with -icount sleep=off idle time costs no wall time.
	"$BENCH_BIN/pgrun" --quiet 600 ||
		echo "# bench: the CPU is still busy 600 s after a run" >&2
}

# The balancer IMPL (ipvs, vsd or fwd: plain IP forwarding, no balancer)
# in the director, forwarding by METHOD (-g, -i or -m) to rs.
impl_config() {
	local impl=$1 method=$2 tool

	case $impl in
	fwd)
		bsetup ip -n director addr del $VIP/32 dev lo
		bsetup on director sysctl -qw net.ipv4.ip_forward=1
		bsetup ip -n director route add $VIP/32 via $RS dev d1
		return
		;;
	ipvs) tool=ipvsadm ;;
	vsd) tool=$VSDCTL ;;
	esac
	bsetup on director "$tool" -A -u $VIP:$VPORT -s rr
	bsetup on director "$tool" -a -u $VIP:$VPORT -r $RS:$VPORT "$method" -w 1
	# Flows outlive the longest run: nothing expires while measured.
	bsetup on director "$tool" --set 0 0 3600
}

# pg DEV CMD: one pktgen command to a device of gen.
pg() {
	on gen sh -c "echo '$2' > /proc/net/pktgen/$1" || {
		echo "# pktgen $1: '$2' refused" >&2
		return 1
	}
}

rx_of() { on rs cat /sys/class/net/"$1"/statistics/rx_packets; }

# pg_run DEV COUNT DELAY FLOWS: send COUNT datagrams from gen's DEV (g0:
# through the director, g1: straight to rs), DELAY ns apart (0: as fast as
# the CPU goes), FLOWS one of
#   one        one flow, 10.1.0.1:10000
#   seq:IxP    I client addresses x P ports, in turn: each datagram a new
#              flow as long as COUNT <= I*P (I and P coprime)
#   rand:IxP   a random one of those I*P flows for each datagram
# Prints "sent delivered elapsed_ns busy_ns": pktgen's own elapsed time,
# and the CPU's busy time over the run (bench/src/pgrun.c).
pg_run() {
	local dev=$1 count=$2 delay=$3 flows=$4 mac sinkdev ni np rx0 busy
	local spec=${flows#*:} c

	if [ "$dev" = g0 ]; then
		mac=$(mac_of director d0)
		sinkdev=r0
	else
		mac=$(mac_of rs r1)
		sinkdev=r1
	fi
	ni=${spec%x*}
	np=${spec#*x}
	set -- "count $count" "clone_skb 0" "pkt_size 60" "delay $delay" \
		"dst $VIP" "dst_mac $mac" "udp_dst_min $VPORT" "udp_dst_max $VPORT" \
		"src_min 10.1.0.1" "flag !IPSRC_RND" "flag !UDPSRC_RND"
	case $flows in
	one)
		set -- "$@" "src_max 10.1.0.1" "udp_src_min 10000" "udp_src_max 10000"
		;;
	seq:*)
		# Sequential: addresses up to src_max, ports below udp_src_max.
		set -- "$@" "src_max 10.1.0.$ni" "udp_src_min 10000" \
			"udp_src_max $((10000 + np))"
		;;
	rand:*)
		# Random: both maxima excluded.
		[ "$ni" = 1 ] && set -- "$@" "src_max 10.1.0.1" ||
			set -- "$@" "src_max 10.1.0.$((ni + 1))" "flag IPSRC_RND"
		set -- "$@" "udp_src_min 10000" "udp_src_max $((10000 + np))" \
			"flag UDPSRC_RND"
		;;
	esac
	for c in "$@"; do
		pg "$dev" "$c" || return 1
	done
	rx0=$(rx_of $sinkdev)
	# shellcheck disable=SC2086 # PG_WRAP: a command prefix (profile.sh)
	busy=$(on gen ${PG_WRAP:-} "$BENCH_BIN/pgrun") || return 1
	busy=${busy#* }
	on gen cat "/proc/net/pktgen/$dev" |
	awk -v rx=$(($(rx_of $sinkdev) - rx0)) -v busy="$busy" '
		/^Result: OK:/ { split($3, a, "("); us = a[1] }
		/^Result:/ && !/OK:/ { print "# pktgen: " $0 > "/dev/stderr" }
		/pkts-sofar:/ { sent = $2 }
		END { printf "%d %d %.0f %.0f\n", sent, rx, us * 1000, busy }'
}
