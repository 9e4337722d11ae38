#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown under load: rmmod while 100k connections are in the table and
# new flows keep arriving; "ip netns del" of a director as busy; then 50
# loads and unloads, each with a service and a few connections.  Every time:
# no oops, vsd's slab cache gone after the unload, no leaked object (the
# module counts the services, destinations and connections it creates and
# frees, and says "vsd: leak: ..." on unload if they differ).
#
#   gen (pktgen)          director               rs
#   10.0.1.2 -- g0 ==== d0 10.0.1.1 | d1 ==== r0 10.0.2.11 (drops all,
#   UDP to 10.0.0.100:9   udp VIP:9 -g rs         tc matchall)
#   from 10.1.0.0/16,     (no VIP: PRE_ROUTING)
#   random ports: every datagram a new flow

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/pktgen.bash"

require_root
require modprobe tc jq insmod rmmod strip
klog_mark
if ! modprobe -a pktgen veth sch_ingress cls_matchall act_gact 2>/dev/null; then
	log_test 4 "teardown.sh: needs pktgen and tc matchall"
	ksft_exit
fi

VIP=10.0.0.100
RS=10.0.2.11
CONNS=100000
LOOPS=${VSD_TEARDOWN_LOOPS:-50}
TMP=$(mktemp -d /tmp/vsd-teardown.XXXXXX)
at_exit "rm -rf $TMP"

conn_count() { vsd --info -j | jq .info.conn_count; }
count_above() { [ "$(conn_count)" -ge "$1" ]; }
slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }
vsd_caches() { ls -d /sys/kernel/slab/vsd_* 2>/dev/null | wc -l; }
leaks() { klog_since_mark | grep -c 'vsd: leak'; }

# The generator and the real server (a sink: it drops what it receives).
setup sysctl -qw net.core.netdev_max_backlog=10000
setup ns_create gen rs
setup ip -n rs link add dummy0 type dummy

# director_up: a fresh director, wired to gen and rs, its service set.
director_up() {
	ns_create director &&
	ip link add g0 netns gen type veth peer name d0 netns director &&
	ip link add d1 netns director type veth peer name r0 netns rs &&
	ip -n gen addr add 10.0.1.2/24 dev g0 &&
	ip -n director addr add 10.0.1.1/24 dev d0 &&
	ip -n director addr add 10.0.2.1/24 dev d1 &&
	ip -n rs addr add $RS/24 dev r0 &&
	ip -n gen link set g0 up && ip -n director link set d0 up &&
	ip -n director link set d1 up && ip -n rs link set r0 up &&
	tc -n rs qdisc add dev r0 clsact &&
	tc -n rs filter add dev r0 ingress matchall action drop &&
	ip -n director neigh replace $RS lladdr "$(mac_of rs r0)" dev d1 \
		nud permanent &&
	pg_setup gen g0 "$(mac_of director d0)" $VIP 9 10.1.0.0 10.1.255.255
}

# links_gone: the director's veth peers (g0 in gen, r0 in rs) are gone.  A
# deleted namespace is dismantled in the background: seconds later on a
# slow (debug) kernel, and until then the names are taken.
links_gone() {
	! ip -n gen link show g0 >/dev/null 2>&1 &&
	! ip -n rs link show r0 >/dev/null 2>&1
}

service_up() {
	printf '%s\n' "-A -u $VIP:9 -s rr" "-a -u $VIP:9 -r $RS:9 -g" | vsd -R
}

setup vsd_unload
base_kb=$(slab_kb)
check_eq "before: no vsd slab cache" "$(vsd_caches)" 0

# 1. rmmod with 100k connections and traffic flowing.
setup vsd_load
setup director_up
setup service_up
pg_start gen
if poll 120 count_above $CONNS; then
	log_test 0 "$(conn_count) connections in the table, traffic flowing"
else
	log_test 1 "the table reached $CONNS connections ($(conn_count))"
fi
objs=$(slab_objects vsd_conn)
t0=$(date +%s%N)
run_ok "rmmod with $objs connection objects and traffic flowing" rmmod vsd
info "rmmod took $((($(date +%s%N) - t0) / 1000000)) ms"
run_ok "the generator was still sending" kill -0 "$PG_PID"
pg_stop gen
info "$(pg_sent gen g0) datagrams sent"
check_eq "vsd_conn slab cache gone" "$(vsd_caches)" 0
check_eq "no leaked object" "$(leaks)" 0

# 2. ip netns del of a busy director.
setup vsd_load
ip netns del director
NS_LIST=${NS_LIST/ director/}
setup poll 120 links_gone
setup director_up
setup service_up
pg_start gen
if poll 120 count_above $CONNS; then
	log_test 0 "new director: $(conn_count) connections, traffic flowing"
else
	log_test 1 "new director: the table reached $CONNS connections ($(conn_count))"
fi
t0=$(date +%s%N)
run_ok "ip netns del of the busy director" ip netns del director
NS_LIST=${NS_LIST/ director/}
pg_stop gen
freed() {
	echo 1 > /sys/kernel/slab/vsd_conn/shrink 2>/dev/null
	[ "$(slab_objects vsd_conn)" -le 64 ]
}
run_ok "its connections freed" poll 120 freed
info "namespace freed in $((($(date +%s%N) - t0) / 1000000)) ms"
run_ok "rmmod after it" rmmod vsd
check_eq "vsd_conn slab cache gone" "$(vsd_caches)" 0
check_eq "no leaked object" "$(leaks)" 0

# 3. Load and unload, LOOPS times, with a service and 8 connections (the
# module without its debug information: 30 times smaller to read; what it
# depends on is loaded since setup 1).
setup poll 120 links_gone
setup director_up
setup strip --strip-debug -o "$TMP/vsd.ko" "$VSD_KO"
VSD_KO=$TMP/vsd.ko
setup ip -n gen route add $VIP via 10.0.1.1
# Eight datagrams from eight sockets (bash's /dev/udp): eight flows.
flows() {
	on gen bash -c "for i in 1 2 3 4 5 6 7 8; do echo > /dev/udp/$VIP/9; done"
}
bad=0
t0=$(date +%s)
for i in $(seq "$LOOPS"); do
	a=$(date +%s%N)
	insmod "$VSD_KO" || { bad=$((bad + 1)); info "loop $i: load failed"; continue; }
	b=$(date +%s%N)
	service_up >/dev/null 2>&1 || { bad=$((bad + 1)); info "loop $i: service failed"; }
	c=$(date +%s%N)
	flows
	n=$(conn_count)
	[ "$n" -ge 1 ] || { bad=$((bad + 1)); info "loop $i: $n connections"; }
	d=$(date +%s%N)
	rmmod vsd || { bad=$((bad + 1)); info "loop $i: rmmod failed"; }
	e=$(date +%s%N)
	tl=$(((b - a) / 1000000)) ts=$(((c - b) / 1000000))
	tp=$(((d - c) / 1000000)) tu=$(((e - d) / 1000000))
	[ "$(vsd_caches)" -eq 0 ] || { bad=$((bad + 1)); info "loop $i: slab cache left"; }
done
info "$LOOPS loops in $(($(date +%s) - t0)) s (the last: load $tl ms, service $ts ms, traffic $tp ms, unload $tu ms)"
check_eq "$LOOPS loads and unloads with a service and connections" "$bad" 0
check_eq "no leaked object" "$(leaks)" 0
check_eq "after: no vsd slab cache" "$(vsd_caches)" 0
info "slab: $base_kb kB before, $(slab_kb) kB after"

klog_check
ksft_exit
