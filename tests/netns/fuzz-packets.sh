#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed input on the data path: random and mutated packets at the VIPs
# of DR, TUN and NAT services, IPv4 and IPv6 (tests/tools/pktfuzz.c, raw
# frames written straight onto the director's link, so that no stack on
# the way checks or fixes them): cut and inconsistent IP, TCP, UDP and ICMP
# headers, bad lengths and checksums, IPv4 options, tiny, overlapping and
# lost fragments, ICMP errors quoting live connections or nonsense, errors
# about tunnelled packets, IPv6 extension-header chains, random bit flips.
# No oops or WARN; vsd counts what it must (exactly, for packets of one
# kind), a legitimate client keeps being served by every mode during and
# after the storm, the connection table is consistent with the services,
# and the module unloads with nothing left.
#
#  client            router                      director           nat1
#  10.0.1.2 --- 10.0.1.1 | br0 10.0.2.1 -+- eth0 10.0.2.2 | br1 10.0.5.1 -- .11
#  fd00:1::2   fd00:1::1 | fd00:2::1     |  fd00:2::2      | fd00:5::1
#                  pktfuzz on "director" +- rs1 10.0.2.11 (DR)
#                  (router's port)       +- tun1 10.0.2.21 (TUN), tun2
#
# Services (IPv4 and IPv6 each): DR tcp :80 -> rs1:80, udp :5000 -> rs1;
# TUN tcp :8081 -> tun1:8081, udp :7000 -> tun1; NAT tcp :8082 ->
# nat1:8081, udp :8000 -> nat1:8080.
#
# VSD_FUZZ_SEED (default 1) and VSD_FUZZ_COUNT (default 150000) pick the storm;
# a failure names the seed that reproduces it.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/forwarding.bash"

PKTFUZZ=$top/tests/tools/bin/pktfuzz
SEED=${VSD_FUZZ_SEED:-1}
COUNT=${VSD_FUZZ_COUNT:-150000}
EXACT=2000

require_root
require busybox jq modprobe "$DP_PY"
if [ ! -x "$PKTFUZZ" ]; then
	log_test 1 "$(basename "$0"): $PKTFUZZ missing (make tools)"
	ksft_exit
fi
klog_mark
t0=$(date +%s)
dp_net_setup
setup ns_create rs1
rs_setup rs1 $RS1 $RS1_6
tun_setup tun1
nat_setup nat1

# svc PROTO PORT RS RPORT FLAG: the service, IPv4 and IPv6.
svc() {
	local rs4=$3 rs6

	case $3 in
	rs1) rs4=$RS1 rs6=$RS1_6 ;;
	tun1) rs4=$TUN1 rs6=$TUN1_6 ;;
	nat1) rs4=$NAT1 rs6=$NAT1_6 ;;
	esac
	vsd -A "$1" $VIP4:"$2" -s rr &&
	vsd -a "$1" $VIP4:"$2" -r $rs4:"$4" "$5" &&
	vsd -A "$1" "[$VIP6]:$2" -s rr &&
	vsd -a "$1" "[$VIP6]:$2" -r "[$rs6]:$4" "$5"
}
setup svc -t 80 rs1 80 -g
setup svc -u 5000 rs1 5000 -g
setup svc -t 8081 tun1 8081 -i
setup svc -u 7000 tun1 7000 -i
setup svc -t 8082 nat1 8081 -m
setup svc -u 8000 nat1 8080 -m

# The director's link, as the fuzzer addresses it.
DMAC=$(ip -n director -j link show eth0 | jq -r '.[0].address')
# Room for what the generator sends faster than TCG's softirq takes it.
setup sysctl -qw net.core.netdev_max_backlog=100000

fuzz() {
	on router "$PKTFUZZ" -i director -M "$DMAC" -4 $VIP4 -6 $VIP6 \
		-t 80,8081,8082 -u 5000,7000,8000 -d 10.0.2.2 -D fd00:2::2 \
		-r $TUN1 -R $TUN1_6 "$@"
}

# legit: one HTTP request and one UDP datagram through each mode, IPv4 and
# IPv6, from the client; prints what failed.
legit() {
	local v vip

	for v in 4 6; do
		vip=$VIP4
		[ $v = 6 ] && vip="[$VIP6]"
		[ "$(http client "http://$vip:80/")" = rs1 ] || echo "DR/TCP/IPv$v"
		[ "$(http client "http://$vip:8081/")" = tun1 ] || echo "TUN/TCP/IPv$v"
		[ "$(http client "http://$vip:8082/")" = nat1 ] || echo "NAT/TCP/IPv$v"
	done
	fwd client udp $VIP4 5000 50 2>/dev/null | grep -q '^rs1 ' || echo "DR/UDP"
	fwd client udp $VIP4 7000 50 2>/dev/null | grep -q '^tun1 ' || echo "TUN/UDP"
	fwd client udp $VIP6 8000 50 2>/dev/null | grep -q '^nat1 ' || echo "NAT/UDP/IPv6"
}

info "setup: $(($(date +%s) - t0)) s"
t0=$(date +%s)
check_eq "before: the client is served by DR, TUN and NAT" "$(legit | xargs)" ""
info "one round of the client's 12 requests: $(($(date +%s) - t0)) s"

# cnt: every drop counter, "name value" lines.
cnts() { vsd --info -j | jq -r '.info.counters | to_entries[] | "\(.key) \(.value)"'; }
# delta BEFORE AFTER NAME: how much NAME rose.
delta() {
	echo $(($(awk -v n="$3" '$1 == n { print $2 }' <<<"$2") -
		$(awk -v n="$3" '$1 == n { print $2 }' <<<"$1")))
}
# others BEFORE AFTER NAME: the counters other than NAME that moved.
others() {
	join <(sort <<<"$1") <(sort <<<"$2") |
		awk -v n="$3" '$1 != n && $2 != $3 { printf "%s+%d ", $1, $3 - $2 }'
}

# One kind at a time: exactly counted.
c0=$(cnts)
out=$(fuzz -k malformed -n $EXACT -s "$SEED")
c1=$(cnts)
check_eq "$EXACT cut or inconsistent TCP/UDP/ICMP headers: each counted malformed" \
	"$(delta "$c0" "$c1" drop_malformed)" $EXACT
check_eq "and nothing else counted" "$(others "$c0" "$c1" drop_malformed)" ""
out=$(fuzz -k noconn -n $EXACT -s "$SEED")
c2=$(cnts)
check_eq "$EXACT TCP segments without SYN and without a connection: each counted" \
	"$(delta "$c1" "$c2" drop_no_conn)" $EXACT
check_eq "and nothing else counted" "$(others "$c1" "$c2" drop_no_conn)" ""

# The storm, with the legitimate client at work meanwhile.
info "seed $SEED: $COUNT packets (VSD_FUZZ_SEED=$SEED VSD_FUZZ_COUNT=$COUNT to repeat)"
fout=$DP_TMP/fuzz.out
start=$(date +%s)
fuzz -k random -n "$COUNT" -s "$SEED" > "$fout" 2>&1 &
fpid=$!
at_exit "kill $fpid 2>/dev/null"
tries=0 fails=0
while kill -0 $fpid 2>/dev/null; do
	f=$(legit | wc -l)
	tries=$((tries + 12)) fails=$((fails + f))
done
wait $fpid
frc=$?
secs=$(($(date +%s) - start))
c3=$(cnts)
sed 's/^/# /' "$fout" | xargs
val() { sed -n "s/^$1=//p" "$fout"; }
check_eq "the generator sent $COUNT packets" "$frc $(val sent)" "0 $COUNT"
info "$(val sent) packets in ${secs} s ($(val pps) pps at the generator)," \
	"$(val fragments) fragments, $(val icmp) ICMP errors, $(val mutated) mutated"
info "counters: $(others "$c2" "$c3" none)"
check_match "during the storm, the client was served ($((tries - fails)) of $tries)" \
	"$fails $tries" '^0 [1-9]'
run_ok "malformed counted: at least the $(val malformed) the generator made" \
	test "$(delta "$c2" "$c3" drop_malformed)" -ge "$(val malformed)"
run_ok "no connection counted: at least the $(val noconn) the generator made" \
	test "$(delta "$c2" "$c3" drop_no_conn)" -ge "$(val noconn)"
check_eq "no allocation failure, no table overflow" \
	"$(delta "$c2" "$c3" drop_nomem) $(delta "$c2" "$c3" drop_conn_full)" "0 0"
check_eq "after: the client is served by DR, TUN and NAT" "$(legit | xargs)" ""

# The table: every connection is to a service and one of its servers, by
# that server's method, and each server's counts match its connections.
# table: "COUNT SERVERS DUMPED WRONG OVERCOUNTED [EXAMPLES]": the kernel's
# count of connections and the sum of its servers' (active and inactive),
# then the dump: how many, how many are not a service's to one of its
# servers by its method, and how many servers have more connections in the
# dump than they counted before it.  Nothing opens connections now, and
# expiry goes on (the table is no snapshot): the dump can only have fewer.
table() {
	vsd --info -j > "$DP_TMP/info.json" && vsd -L -n -j > "$DP_TMP/svcs.json" &&
		conns > "$DP_TMP/conns.json" || return 1
	jq -n -r --slurpfile s "$DP_TMP/svcs.json" --slurpfile c "$DP_TMP/conns.json" \
		--slurpfile i "$DP_TMP/info.json" '
		$s[0] as $s | $c[0].connections as $c | $i[0] as $i |
		[$s.services[] | "\(.protocol):\(.address):\(.port)" as $k |
		 .destinations[] | {key: "\($k) \(.address) \(.port)",
		 value: {fwd: .forward, n: (.active_conns + .inactive_conns)}}] |
		from_entries as $dest |
		[$c[] | "\(.protocol):\(.virtual_address):\(.virtual_port) \(
		 .dest_address) \(.dest_port)" as $k |
		 select($dest[$k].fwd != .forward) | $k] as $wrong |
		[$c | group_by("\(.protocol):\(.virtual_address):\(.virtual_port) \(
		 .dest_address) \(.dest_port)")[] |
		 "\(.[0].protocol):\(.[0].virtual_address):\(.[0].virtual_port) \(
		 .[0].dest_address) \(.[0].dest_port)" as $k |
		 select(length > ($dest[$k].n // 0)) | $k] as $over |
		"\($i.info.conn_count) \([$dest[].n] | add // 0) \($c | length) \(
		 $wrong | length) \($over | length) \(($wrong + $over)[0:2])"'
}
t0=$(date +%s)
t=$(table)
info "table check: $(($(date +%s) - t0)) s"
info "connections counted by the kernel, by its servers, dumped; wrong; overcounted: $t"
read -r t_count t_servers t_dump t_wrong t_over _ <<<"$t"
check_eq "every connection: a service's, to one of its servers, by its method" \
	"$t_wrong" 0
check_eq "no server has more connections than it counts" "$t_over" 0
run_ok "the dump has no more connections than the kernel and its servers count" \
	test "${t_dump:-1}" -le "${t_count:-0}" -a "${t_dump:-1}" -le "${t_servers:-0}" \
	-a "${t_dump:-0}" -gt 1000

t0=$(date +%s)
run_ok "flush" vsd -C
t1=$(date +%s)
run_ok "the namespace goes, the module unloads" \
	sh -c "ip netns del director && rmmod vsd"
info "flush: $((t1 - t0)) s, namespace and module: $(($(date +%s) - t1)) s"
slab_gone
klog_check
ksft_exit
