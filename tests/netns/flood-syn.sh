#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A SYN flood from a million spoofed sources at a VIP, while a legitimate
# client keeps connecting and holds established connections: the director
# keeps its table within the connection limit, evicts only connections that
# are not established (counted), and the legitimate client gets through.
# Then the same flood against Linux's IPVS in the same VM, for comparison
# (its figures are reported, not asserted).
#
#  attacker (pktgen)
#  10.0.4.2 ----------+ UDP from 10.128.0.0/12 (2^20 addresses), random
#                     | ports, rewritten into TCP SYNs on the router's
#                     | ingress (tc pedit + csum)
#  client             v  router                   director     rs1, rs2
#  10.0.1.2  ------ 10.0.1.1 | br0 10.0.2.1 ---+-- 10.0.2.2    10.0.2.11, .12
#                    VIP 10.0.0.100 routed      +-- rs1          VIP on dummy0,
#                    to the director            +-- rs2          SYN cookies
#
# Service tcp 10.0.0.100:5000 (echo), rr, both servers -g, conn_max=CONN_MAX.
# The real servers drop the flood at their ingress (nft netdev): their own
# SYN cookies are not under test, and the VM's CPUs go to the director.
# The flood runs at FLOOD_PPS, what the VM's director carries with CPU to
# spare under TCG: beyond that, packets are lost in the VM's backlogs
# before any director sees them, the legitimate client's with the rest.
# VSD_FLOOD_SYNS: SYNs of vsd's flood (default 1000000); IPVS gets
# VSD_IPVS_SYNS (default 300000: its table grows to the flood's size).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/pktgen.bash"

require_root
require busybox jq modprobe tc nft "$DP_PY"
klog_mark
if ! modprobe -a pktgen sch_ingress cls_matchall act_pedit act_csum 2>/dev/null; then
	log_test 4 "flood-syn.sh: needs pktgen and tc pedit/csum"
	ksft_exit
fi
dp_setup

STRESS=$top/tests/netns/stress.py
FLOOD_SYNS=${VSD_FLOOD_SYNS:-1000000}
IPVS_SYNS=${VSD_IPVS_SYNS:-300000}
FLOOD_PPS=${VSD_FLOOD_PPS:-8000}
CONN_MAX=16384
HOLD=20
PORT=5000

# The attacker, and the router's ingress that turns its datagrams into
# SYNs: IP protocol 6, total length 40, TCP data offset 5 and flags SYN,
# window 65535, then the IP and TCP checksums.
setup ns_create attacker
setup link_ns attacker eth0 router attacker
setup ip -n router addr add 10.0.4.1/24 dev attacker
setup ip -n attacker addr add 10.0.4.2/24 dev eth0
setup on router sysctl -qw net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.attacker.rp_filter=0
# The servers' SYN-ACKs to the spoofed sources end at the router.
setup ip -n router route add blackhole 10.128.0.0/12
setup tc -n router qdisc add dev attacker clsact
setup tc -n router filter add dev attacker ingress protocol ip matchall \
	action pedit munge offset 9 u8 set 6 munge offset 2 u16 set 40 \
	munge offset 32 u16 set 0x5002 munge offset 34 u16 set 0xffff pipe \
	action csum ip4h tcp
setup sysctl -qw net.core.netdev_max_backlog=10000

for rs in rs1 rs2; do
	setup on $rs nft "table netdev flood { chain flood { type filter hook ingress device eth0 priority 0; ip saddr 10.128.0.0/12 counter drop; }; }"
done
router_mac=$(ip -n router -br link show dev attacker | awk '{ print $3 }')
setup pg_setup attacker eth0 "$router_mac" $VIP4 $PORT 10.128.0.0 10.143.255.255 "$FLOOD_SYNS"
setup pg_rate attacker eth0 "$FLOOD_PPS"

# Connections of IMPL's table (vsd: its own count; ipvs: its slab).
table_count() {
	case $1 in
	vsd) vsd --info -j | jq .info.conn_count ;;
	ipvs) slab_objects ip_vs_conn ;;
	esac
}

table_full() { [ "$(table_count "$1")" -ge $((CONN_MAX - 64)) ]; }

# flood IMPL CACHE: FLOOD_SYNS SYNs, while the legitimate client connects
# again and again, the held connections checked after it; sets LEGIT_N,
# LEGIT_OK, ALIVE, READY, SENT, SECS, PEAK, SLAB_PEAK.
flood() {
	local impl=$1 cache=$2 t0 t1 n

	bg_start "$DP_TMP/hold.$impl" client "$DP_PY" "$STRESS" hold $VIP4 $PORT $HOLD "$DP_TMP/check.$impl"
	setup poll 60 grep -q '^ready' "$DP_TMP/hold.$impl"
	READY=$(awk '/^ready/ { print $2 }' "$DP_TMP/hold.$impl")

	t0=$(date +%s%N)
	pg_start attacker
	# The table full (or, for IPVS, as big as vsd's limit) first.
	poll 60 table_full "$impl"
	(
		while :; do
			echo "$(table_count "$impl") $(slab_objects "$cache")"
			sleep 3
		done > "$DP_TMP/samples.$impl" 2>/dev/null
	) &
	n=$!
	bg_start "$DP_TMP/legit.$impl" client "$DP_PY" "$STRESS" legit $VIP4 $PORT "$DP_TMP/stop.$impl"
	wait "$PG_PID"
	PG_PID=""
	t1=$(date +%s%N)
	echo "$(table_count "$impl") $(slab_objects "$cache")" >> "$DP_TMP/samples.$impl"
	kill "$n"
	wait "$n" 2>/dev/null
	touch "$DP_TMP/stop.$impl" "$DP_TMP/check.$impl"
	poll 60 grep -q '^attempts' "$DP_TMP/legit.$impl"
	poll 120 grep -q '^alive' "$DP_TMP/hold.$impl"
	ALIVE=$(awk '/^alive/ { print $2 }' "$DP_TMP/hold.$impl")
	SENT=$(pg_sent attacker eth0)
	SECS=$(((t1 - t0) / 1000000000))
	read -r LEGIT_N LEGIT_OK <<<"$(awk '/^attempts/ { print $2, $4 }' "$DP_TMP/legit.$impl")"
	PEAK=$(sort -n "$DP_TMP/samples.$impl" | tail -n 1 | awk '{ print $1 }')
	SLAB_PEAK=$(sort -n -k2 "$DP_TMP/samples.$impl" | tail -n 1 | awk '{ print $2 }')
	grep '^#' "$DP_TMP/legit.$impl"
}

run_ok "conn_max=$CONN_MAX" vsd --config conn_max=$CONN_MAX
run_ok "service tcp $VIP4:$PORT rr" vsd -A -t $VIP4:$PORT -s rr
run_ok "  real server rs1" vsd -a -t $VIP4:$PORT -r $RS1:$PORT -g
run_ok "  real server rs2" vsd -a -t $VIP4:$PORT -r $RS2:$PORT -g
slab0=$(slab_objects vsd_conn)

flood vsd vsd_conn
info "vsd: flood of $SENT SYNs in ${SECS} s ($((SENT / (SECS ? SECS : 1))) pps) from 2^20 addresses x 64k ports"
info "vsd: legitimate client $LEGIT_OK of $LEGIT_N connections; table peak $PEAK; vsd_conn slab peak $SLAB_PEAK objects ($((SLAB_PEAK * $(slab_size vsd_conn) / 1024)) KiB; $slab0 before)"
cnt=$(vsd --info -j | jq -c .info.counters)
info "vsd: counters $cnt"
sched=$(svc_stat tcp:$VIP4:$PORT .stats.conns)
evicted=$(jq .evicted <<<"$cnt")
info "vsd: the table after it: $(vsd -L -n -j | jq -r '.services[0].destinations |
	"\(map(.active_conns) | add) active (handshakes, established), \(map(.inactive_conns) | add) inactive (closing)"')"
info "vsd: connections scheduled $sched, evicted $evicted; $(jq .drop_no_conn <<<"$cnt") packets of connections no longer in the table (legitimate handshakes whose entry was evicted before their ACK)"

check_eq "vsd: the flood sent $FLOOD_SYNS SYNs" "$SENT" "$FLOOD_SYNS"
# The count includes the places reserved by packets in flight, one per CPU.
check_eq "vsd: the table never held more than conn_max ($PEAK <= $CONN_MAX + $(nproc))" \
	"$([ "$PEAK" -le $((CONN_MAX + $(nproc))) ] && echo yes)" yes
# Evicted entries are freed after an RCU grace period: more objects than
# conn_max are in the slab at a time, never the flood's worth.  KASAN
# (make check-debug) holds freed objects back in its quarantine, where
# they still count as in use.
if grep -qw kasan_report /proc/kallsyms; then
	log_test 4 "vsd: slab objects stay within twice conn_max ($SLAB_PEAK): not with KASAN's quarantine"
else
	check_eq "vsd: slab objects stay within twice conn_max ($SLAB_PEAK)" \
		"$([ "$SLAB_PEAK" -le $((CONN_MAX * 2)) ] && echo yes)" yes
fi
check_eq "vsd: the $HOLD established connections all survived" "$READY $ALIVE" "$HOLD $HOLD"
check_eq "vsd: legitimate client >= 90% ($LEGIT_OK of $LEGIT_N)" \
	"$([ "$LEGIT_N" -ge 10 ] && [ $((LEGIT_OK * 10)) -ge $((LEGIT_N * 9)) ] && echo yes)" yes
check_eq "vsd: unestablished connections evicted, counted ($evicted)" \
	"$([ "$evicted" -gt 0 ] && [ "$evicted" -ge $((sched - CONN_MAX - LEGIT_N - HOLD)) ] && echo yes)" yes
# A SYN is dropped as table-full only when no entry near its bucket may be
# evicted (the legitimate client's closed connections wait in FIN_WAIT for
# 2 minutes: most of the table by the end), or when two passes lost their
# victim to other CPUs: rare, never a steady share of the flood.
full=$(jq .drop_conn_full <<<"$cnt")
check_eq "vsd: SYNs dropped for want of a victim <= 0.01% ($full)" \
	"$([ "$full" -le $((SENT / 10000)) ] && echo yes)" yes
vsd_fig="$LEGIT_OK/$LEGIT_N legit, table peak $PEAK, slab peak $SLAB_PEAK, $SENT SYNs"

# IPVS, same namespace: vsd's services gone (its hooks with them), the VIP
# on lo as IPVS needs.
run_ok "vsd: services cleared" vsd -C
if ! command -v ipvsadm >/dev/null || ! modprobe -a ip_vs ip_vs_rr 2>/dev/null; then
	log_test 4 "ipvs: needs Linux's ip_vs and ipvsadm"
else
	at_exit "modprobe -r ip_vs_rr ip_vs 2>/dev/null"
	setup ip -n director addr add $VIP4/32 dev lo
	setup on director ipvsadm -A -t $VIP4:$PORT -s rr
	setup on director ipvsadm -a -t $VIP4:$PORT -r $RS1:$PORT -g
	setup on director ipvsadm -a -t $VIP4:$PORT -r $RS2:$PORT -g
	setup pg attacker eth0 "count $IPVS_SYNS"
	flood ipvs ip_vs_conn
	info "ipvs: flood of $SENT SYNs in ${SECS} s ($((SENT / (SECS ? SECS : 1))) pps)"
	info "ipvs: legitimate client $LEGIT_OK of $LEGIT_N connections; held $ALIVE of $READY; ip_vs_conn slab peak $SLAB_PEAK objects ($((SLAB_PEAK * $(slab_size ip_vs_conn) / 1024)) KiB)"
	info "ipvs: $(on director ipvsadm -L -n --stats | tail -n 3 | tr -s ' ' | tr '\n' ';')"
	info "compare: vsd $vsd_fig | ipvs $LEGIT_OK/$LEGIT_N legit, slab peak $SLAB_PEAK, $SENT SYNs"
	log_test 0 "ipvs: the same flood (figures above, not asserted)"
	on director ipvsadm -C
fi

klog_check
ksft_exit
