# SPDX-License-Identifier: GPL-2.0
#
# The topology of vsd's data-path scenarios (dr-*.sh, datapath-*.sh), and
# helpers to drive it.  Source it after lib.sh.
#
#  client               router                    director     rs1, rs2
#  10.0.1.2  ------ 10.0.1.1 | br0 10.0.2.1 ---+-- 10.0.2.2    10.0.2.11, .12
#  fd00:1::2        fd00:1::1 | fd00:2::1      |   fd00:2::2   fd00:2::11, ::12
#                    VIPs routed to the         +-- rs1 --+     VIPs on dummy0,
#                    director                   +-- rs2 --+     arp_ignore=1,
#                                                               arp_announce=2
#
# The router is also the L2 switch of the server LAN (br0): director and
# real servers are on one segment, as DR needs.  The real servers' default
# route is the router, so their answers go to the client without passing
# the director.  No VIP on the director: the router routes VIPs to it.
#
# VIP4 10.0.0.100, VIP6 fd00:ff::100, and the range 10.0.3.0/24 (fwmark).
# Each real server runs busybox httpd on port 80 (its page is its name) and
# datapath-echo.py on port 5000 (TCP and UDP: "NAME PEER PORT").

# shellcheck disable=SC2154 # top: lib.sh
DP_PY=${PYTHON:-/usr/bin/python3}
DP_ECHO=$top/tests/netns/datapath-echo.py
VIP4=10.0.0.100
VIP6=fd00:ff::100
VIP_RANGE=10.0.3.0/24
RS1=10.0.2.11
RS2=10.0.2.12
RS1_6=fd00:2::11
RS2_6=fd00:2::12
DP_TMP=""
DP_VSD_PARAMS=${DP_VSD_PARAMS:-}	# module parameters

# setup CMD...: one setup step, run in this shell (it may set variables);
# the scenario fails and stops if it fails.
setup() {
	local log=${DP_TMP:-/tmp}/setup.log

	[ "$VERBOSE" = 0 ] || printf '# $ %s\n' "$*"
	if ! "$@" > "$log" 2>&1; then
		sed 's/^/# /' "$log" | head -n 20
		log_test 1 "setup: $*"
		ksft_exit
	fi
}

# on NS CMD...: run CMD in namespace NS.
on() {
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

# vsd CMD...: vsdctl on the director.
vsd() { on director "$VSDCTL" "$@"; }

# http NS URL: the page, or nothing.
http() { on "$1" timeout 5 busybox wget -qO- "$2" 2>/dev/null; }

# echo_seq NS HOST PORT N [udp]: N connections, one answer line each.
echo_seq() {
	local ns=$1

	shift
	on "$ns" timeout 120 "$DP_PY" "$DP_ECHO" seq "$@"
}

# names: who answered each line of an output, in order.
names() { awk '{ print $1 }'; }

# alternates: the answers on stdin came from rs1 and rs2 in turn, as many
# from each.
alternates() {
	awk 'NR > 1 && $1 == prev { bad = 1 } { prev = $1; n[$1]++ }
	     END { exit bad || n["rs1"] != n["rs2"] || NR != n["rs1"] + n["rs2"] }'
}

# rs_addr NAME: a real server's IPv4 address; rs_name ADDR: its name;
# rs_other NAME: the other real server.
rs_addr() { [ "$1" = rs1 ] && echo $RS1 || echo $RS2; }
rs_name() { [ "$1" = $RS1 ] && echo rs1 || echo rs2; }
rs_other() { [ "$1" = rs1 ] && echo rs2 || echo rs1; }

# bg_start LOG NS CMD...: a daemon in NS, killed on exit, its output in
# LOG (never in the scenario's output, which run-all reads to its end).
bg_start() {
	local log=$1 ns=$2

	shift 2
	ip netns exec "$ns" "$@" </dev/null >"$log" 2>&1 &
	at_exit "kill $! 2>/dev/null"
}

link_ns() { # link_ns NS1 IF1 NS2 IF2
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" &&
	ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# The real server NAME at ADDR/ADDR6: VIPs on dummy0, servers started.
rs_setup() {
	local ns=$1 addr=$2 addr6=$3 dir

	setup link_ns "$ns" eth0 router "$ns"
	setup ip -n router link set "$ns" master br0
	setup on "$ns" sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2 \
		net.ipv4.conf.eth0.arp_ignore=1 \
		net.ipv4.conf.eth0.arp_announce=2
	setup ip -n "$ns" addr add "$addr/24" dev eth0
	setup ip -n "$ns" addr add "$addr6/64" dev eth0 nodad
	setup ip -n "$ns" route add default via 10.0.2.1
	setup ip -n "$ns" -6 route add default via fd00:2::1
	setup ip -n "$ns" link add dummy0 type dummy
	setup ip -n "$ns" link set dummy0 up
	setup ip -n "$ns" addr add "$VIP4/32" dev dummy0
	setup ip -n "$ns" addr add "$VIP6/128" dev dummy0 nodad
	setup ip -n "$ns" route add local "$VIP_RANGE" dev dummy0

	dir=$DP_TMP/$ns
	setup mkdir -p "$dir"
	echo "$ns" > "$dir/index.html"
	bg_start "$dir/httpd.log" "$ns" busybox httpd -f -p 80 -h "$dir"
	bg_start "$dir/echo.log" "$ns" "$DP_PY" "$DP_ECHO" serve "$ns" 5000
	setup poll 20 grep -q ready "$dir/echo.log"
}

# dp_setup: the whole topology, checked end to end (the router reaches
# every real server), and vsd loaded.
dp_setup() {
	dp_net_setup
	setup ns_create rs1 rs2
	rs_setup rs1 $RS1 $RS1_6
	rs_setup rs2 $RS2 $RS2_6
	setup poll 20 sh -c "ip netns exec router timeout 2 busybox wget -qO- http://$RS1/ | grep -q rs1"
	setup poll 20 sh -c "ip netns exec router timeout 2 busybox wget -qO- http://$RS2/ | grep -q rs2"
}

# client_setup GW: the client side of every topology here, namespaces
# client and GW existing: the client (10.0.1.2, fd00:1::2) behind router
# GW (10.0.1.1, fd00:1::1), which forwards and has a bridge br0 (10.0.2.1,
# fd00:2::1) for the director's LAN.
client_setup() {
	local gw=$1

	setup link_ns client eth0 "$gw" client
	setup ip -n client addr add 10.0.1.2/24 dev eth0
	setup ip -n client addr add fd00:1::2/64 dev eth0 nodad
	setup ip -n client route add default via 10.0.1.1
	setup ip -n client -6 route add default via fd00:1::1

	setup ip -n "$gw" link add br0 type bridge
	setup ip -n "$gw" link set br0 up
	setup ip -n "$gw" addr add 10.0.1.1/24 dev client
	setup ip -n "$gw" addr add fd00:1::1/64 dev client nodad
	setup ip -n "$gw" addr add 10.0.2.1/24 dev br0
	setup ip -n "$gw" addr add fd00:2::1/64 dev br0 nodad
	setup on "$gw" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1
}

# dp_net_setup: the topology without its real servers (client, router and
# its br0, director), and vsd loaded.
dp_net_setup() {
	DP_TMP=$(mktemp -d /tmp/vsd-dp.XXXXXX)
	at_exit "rm -rf $DP_TMP"

	setup vsd_load $DP_VSD_PARAMS
	setup ns_create client router director

	client_setup router
	setup ip -n router route add "$VIP4/32" via 10.0.2.2
	setup ip -n router route add "$VIP_RANGE" via 10.0.2.2
	setup ip -n router -6 route add "$VIP6/128" via fd00:2::2

	setup link_ns director eth0 router director
	setup ip -n router link set director master br0
	setup ip -n director addr add 10.0.2.2/24 dev eth0
	setup ip -n director addr add fd00:2::2/64 dev eth0 nodad
	setup ip -n director route add default via 10.0.2.1
	setup ip -n director -6 route add default via fd00:2::1
}

# counter NAME: one of the director's drop counters (vsdctl --info -j).
counter() {
	vsd --info -j | jq -r ".info.counters.$1"
}

# counter_above NAME N: that counter went past N.
counter_above() { [ "$(counter "$1")" -gt "$2" ]; }

# The services of vsdctl -L -j with the one named SVC: "tcp:ADDR:PORT",
# "udp:ADDR:PORT" or "fwmark:MARK".
SVC_SELECT='.services[] | select((if .fwmark then "fwmark:\(.fwmark)"
	else "\(.protocol):\(.address):\(.port)" end) == $s)'

# svc_stat SVC PATH: a value of a service, as a jq path (.stats.conns).
svc_stat() {
	vsd -L -n --stats --exact -j | jq -r --arg s "$1" "$SVC_SELECT | $2"
}

# dest_stat SVC RIP PATH: a value of one of its destinations
# (.active_conns, .stats.inpkts).
dest_stat() {
	vsd -L -n --stats --exact -j | jq -r --arg s "$1" --arg r "$2" \
		"$SVC_SELECT | .destinations[] | select(.address == \$r) | $3"
}

# if_stat NS DEV rx_packets|tx_packets
if_stat() {
	on "$1" cat "/sys/class/net/$2/statistics/$3"
}

# conns: the director's connection table, as JSON.
conns() { vsd -L -n -c -j; }

# conns_of SVC: how many connections the kernel dumps with a service as
# the filter (vsdctl has no such option: tests/lib/vsdnl.py speaks
# netlink).  SVC as vsdnl.py writes it: tcp:ADDR:PORT, fwm:MARK.
conns_of() {
	on director "$DP_PY" -c "
import sys
sys.path.insert(0, sys.argv[2])
import vsdnl as v
g = v.Genl()
key, _ = v.svc_key(sys.argv[1])
r = g.request(g.family, v.CMD['GET_CONN'], v.nest(v.A_SERVICE, key),
              dump=True)
print(sum(1 for attrs in r for t, _ in attrs if t == v.A_CONN))" \
		"$1" "$top/tests/lib"
}

# slab_gone: after unloading, the vsd_conn slab cache is gone.  With slab
# merging (the default), vsd_conn is an alias of a shared cache whose name
# stays in sysfs: then this is a SKIP, the leak check of the kernel log
# stands (boot with slab_nomerge to see the cache itself).
slab_gone() {
	local f=/sys/kernel/slab/vsd_conn

	if [ -L "$f" ]; then
		log_test 4 "vsd_conn slab cache gone (merged with $(basename "$(readlink "$f")"))"
	elif [ -e "$f" ]; then
		log_test 1 "vsd_conn slab cache gone ($(cat $f/objects) objects)"
	else
		log_test 0 "vsd_conn slab cache gone"
	fi
}
