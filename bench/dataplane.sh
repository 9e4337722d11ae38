#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The data plane of vsd against Linux's IPVS, in the test VM: the same
# topology (bench/lib.sh), the same pktgen traffic, run alternately,
# BENCH_REPS times.  Run by bench/vm-run inside the VM that bench/run boots
# (one CPU, -icount: guest time counts executed instructions).
#
# What is measured, per forwarding method (DR; TUN and NAT when vsd
# forwards them):
#   capacity   established flow, back to back: the director's cost per
#              packet, 1/pps(through the director) - 1/pps(straight to the
#              real server), as packets per second (1/cost)
#   cpu        established flow at a fixed rate (BENCH_DELAY ns apart): CPU
#              busy time per packet (wall minus idle), minus the baseline's
#   newflow    every datagram a new flow (sequential client address and
#              port) while the table fills from 0 to N: flows per second
#              the director can schedule (1/cost)
#   lookup     after the fill, datagrams of random flows among the N: cost
#              per packet with N connections in the table
#   mem        slab memory per connection (vsd_conn, ip_vs_conn: the test
#              VM boots with slab_nomerge) after the fill
#
# Output: "M|key|label|unit|better" (what a key means) and
# "S|key|impl|rep|value" (one sample) lines, for bench/summarize; "#" lines
# are progress.

. "$(dirname "$0")/../tests/netns/lib.sh"
. "$(dirname "$0")/lib.sh"

require_root
require ipvsadm tc modprobe awk

REPS=${BENCH_REPS:-3}
PKTS=${BENCH_PKTS:-100000}		# established flow, back to back
RATE_PKTS=${BENCH_RATE_PKTS:-30000}	# established flow, fixed rate
DELAY=${BENCH_DELAY:-150011}		# ns between packets (~6.7 kpps)
HITS=${BENCH_HITS:-50000}		# random flows of a full table
# Table sizes, as I x P (client addresses x ports, coprime).
TABLES=${BENCH_TABLES:-1x1000 1x10000 2x50001 20x50001}
# The fill whose rate is the new-flow figure of every method.
NEWFLOW=${BENCH_NEWFLOW:-2x50001}
METHODS=${BENCH_METHODS:-dr tun nat}
# Which groups to run: est (capacity, cpu), table (newflow, lookup, mem).
GROUPS_RUN=${BENCH_GROUPS:-est table}

meta() { echo "M|$1|$2|$3|$4|${5:-}"; }
sample() { echo "S|$1|$2|$3|$4"; }
info() { echo "# $(date +%T) $*" >&2; }

flag_of() { case $1 in dr) echo -g ;; tun) echo -i ;; nat) echo -m ;; esac; }
label_of() { echo "$1" | tr '[:lower:]' '[:upper:]'; }
size_of() { echo $((${1%x*} * ${1#*x})); }

# human N: 1000 -> 1k, 1000020 -> 1M
human() {
	awk -v n="$1" 'BEGIN {
		if (n >= 999000) printf "%gM", int(n / 1e5 + 0.5) / 10;
		else if (n >= 1000) printf "%gk", int(n / 100 + 0.5) / 10;
		else print n }'
}

# per_pkt "sent delivered elapsed busy": elapsed ns per delivered packet,
# and busy ns per delivered packet.
per_pkt() { awk '{ if ($2 > 0) printf "%.3f %.3f\n", $3 / $2, $4 / $2; else print "nan nan" }'; }

# check_run WHAT RESULT: every datagram sent arrived; say so when not.
# (One CPU: when softirqs get deferred to ksoftirqd, pktgen can run ahead
# of the director and overflow the backlog.  Such a run is done again.)
check_run() {
	local what=$1 sent delivered

	read -r sent delivered _ <<<"$2"
	[ "$sent" = "$delivered" ] && return 0
	info "WARNING: $what: $sent sent, $delivered delivered"
	return 1
}

TRIES=${BENCH_TRIES:-3}

# run_impl IMPL METHOD COUNT DELAY FLOWS: one run through a fresh director
# (again if datagrams were lost, up to TRIES times).
run_impl() {
	local r try

	for try in $(seq 1 "$TRIES"); do
		director_up
		impl_config "$1" "$(flag_of "$2")"
		r=$(pg_run g0 "$3" "$4" "$5")
		director_down
		check_run "$1 $2 $5 (try $try)" "$r" && break
	done
	echo "$r"
}

# Does vsd forward by METHOD?  (TUN and NAT are being written: until then
# their packets are dropped and counted drop_xmit.)
vsd_forwards() {
	local r sent delivered xmit

	director_up
	impl_config vsd "$(flag_of "$1")"
	r=$(pg_run g0 100 0 one)
	read -r sent delivered _ <<<"$r"
	xmit=$(on director "$VSDCTL" --info -j | jq .info.counters.drop_xmit)
	director_down
	[ "$delivered" = "$sent" ] && [ "$sent" -gt 0 ] && [ "$xmit" = 0 ]
}

cost_ns() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a - b }'; }
kpps() { awk -v c="$1" 'BEGIN { if (c > 0) printf "%.2f\n", 1e6 / c; else print "nan" }'; }
us() { awk -v c="$1" 'BEGIN { printf "%.3f\n", c / 1000 }'; }

# The established flow: back to back and at a fixed rate.
bench_est() {
	local rep=$1 method impls impl base rbase r c key

	r=$(pg_run g1 "$PKTS" 0 one)
	base=$(per_pkt <<<"$r")
	sample x.direct.est direct "$rep" "$(us "${base% *}")"
	r=$(pg_run g1 "$RATE_PKTS" "$DELAY" one)
	rbase=$(per_pkt <<<"$r")
	sample x.direct.rate direct "$rep" "$(us "${rbase#* }")"

	for method in $METHODS; do
		[ "$method" = dr ] || [ -n "${WORKS[$method]}" ] || continue
		impls="$ORDER"
		[ "$method" = dr ] && impls="fwd $impls"
		for impl in $impls; do
			info "rep $rep: $impl $method: established flow, $PKTS datagrams back to back"
			r=$(run_impl "$impl" "$method" "$PKTS" 0 one)
			c=$(cost_ns "$(per_pkt <<<"$r" | cut -d' ' -f1)" "${base% *}")
			key=$method.capacity
			[ "$impl" = fwd ] && key=x.fwd.capacity
			sample "$key" "$impl" "$rep" "$(kpps "$c")"
			[ "$method" = dr ] || continue
			info "rep $rep: $impl $method: established flow, $RATE_PKTS datagrams ${DELAY} ns apart"
			r=$(run_impl "$impl" "$method" "$RATE_PKTS" "$DELAY" one)
			c=$(cost_ns "$(per_pkt <<<"$r" | cut -d' ' -f2)" "${rbase#* }")
			key=$method.cpu
			[ "$impl" = fwd ] && key=x.fwd.cpu
			sample "$key" "$impl" "$rep" "$(us "$c")"
		done
	done
}

# slab_bytes CACHE: memory of its slabs (partial and full), bytes.
slab_bytes() {
	local d=/sys/kernel/slab/$1

	[ -d "$d" ] || { echo 0; return; }
	echo $(($(awk '{ print $1 }' "$d/slabs") * (4096 << $(cat "$d/order"))))
}

conn_count() {
	if [ "$1" = vsd ]; then
		on director "$VSDCTL" --info -j | jq .info.conn_count
	else
		echo $(($(slab_objects ip_vs_conn)))
	fi
}

# One table: fill it with N new flows, then random flows of it.
bench_table() {
	local rep=$1 tab=$2 method=${3:-dr} n h seq rnd impl r f s0 s1 try
	local cnt newkey

	n=$(size_of "$tab")
	h=$(human "$n")
	r=$(pg_run g1 $((n < PKTS ? n : PKTS)) 0 "seq:$tab")
	seq=$(per_pkt <<<"$r" | cut -d' ' -f1)
	if [ "$method" = dr ]; then
		r=$(pg_run g1 "$HITS" 0 "rand:$tab")
		rnd=$(per_pkt <<<"$r" | cut -d' ' -f1)
	fi
	newkey=$method.newflow
	[ "$method" = dr ] && [ "$tab" != "$NEWFLOW" ] && newkey=dr.newflow.$n
	for impl in $ORDER; do
		for try in $(seq 1 "$TRIES"); do
			table_impl "$impl" && break
		done
	done
}

# One implementation's fill (and hits, and memory) of bench_table; fails
# when the fill lost datagrams (then nothing is reported).
table_impl() {
	local impl=$1 cache=vsd_conn out try

	[ "$impl" = ipvs ] && cache=ip_vs_conn
	info "rep $rep: $impl $method: $h new flows"
	director_up
	impl_config "$impl" "$(flag_of "$method")"
	slab_shrink $cache
	s0=$(slab_bytes $cache)
	r=$(pg_run g0 "$n" 0 "seq:$tab")
	if ! check_run "$impl $method fill $h" "$r"; then
		director_down
		return 1
	fi
	f=$(per_pkt <<<"$r" | cut -d' ' -f1)
	out="$(sample "$newkey" "$impl" "$rep" "$(kpps "$(cost_ns "$f" "$seq")")")"
	if [ "$method" = dr ]; then
		s1=$(slab_bytes $cache)
		cnt=$(conn_count "$impl")
		[ "$cnt" -ge "$n" ] && [ "$cnt" -le $((n + n / 100 + 64)) ] ||
			info "WARNING: $impl: $cnt connections after $n new flows"
		out="$out
$(sample "dr.mem.$n" "$impl" "$rep" $(((s1 - s0) / n)))"
		for try in $(seq 1 "$TRIES"); do
			info "rep $rep: $impl $method: $HITS datagrams of random flows among $h"
			r=$(pg_run g0 "$HITS" 0 "rand:$tab")
			check_run "$impl $method hits $h" "$r" && break
		done
		f=$(per_pkt <<<"$r" | cut -d' ' -f1)
		out="$out
$(sample "dr.lookup.$n" "$impl" "$rep" "$(us "$(cost_ns "$f" "$rnd")")")"
		cnt=$(conn_count "$impl")
		[ "$cnt" -le $((n + n / 100 + 64)) ] ||
			info "WARNING: $impl: $cnt connections after hits on $n"
	fi
	director_down
	echo "$out"
}

declare -A WORKS
bench_topology
bsetup vsd_load
at_exit vsd_unload
bsetup modprobe -a ip_vs ip_vs_rr
at_exit "modprobe -r ip_vs_rr ip_vs 2>/dev/null"
[ -d /sys/kernel/slab/vsd_conn ] && [ ! -L /sys/kernel/slab/vsd_conn ] ||
	info "WARNING: vsd_conn is a merged slab cache (boot with slab_nomerge)"

# The methods vsd forwards: DR always; TUN and NAT once they are written.
for method in $METHODS; do
	[ "$method" = dr ] && continue
	if vsd_forwards "$method"; then
		WORKS[$method]=1
	else
		info "vsd does not forward by $(label_of "$method") yet (drop_xmit): its rows are left out"
		echo "N|$(label_of "$method"): vsd does not forward by this method yet (its packets are dropped, drop_xmit): no figures"
	fi
done

for method in $METHODS; do
	[ "$method" = dr ] || [ -n "${WORKS[$method]}" ] || continue
	M=$(label_of "$method")
	meta "$method.capacity" "$M established flow: director capacity (1/cost)" kpps hi 1.5
	[ "$method" = dr ] &&
		meta dr.cpu "DR established flow: CPU per packet at $(awk -v d="$DELAY" 'BEGIN { printf "%.1f", 1e6 / d }') kpps" "µs" lo 1.5
	meta "$method.newflow" "$M new flows: flows/s scheduled, table 0->$(human "$(size_of "$NEWFLOW")")" kpps hi 1.5
done
for tab in $TABLES; do
	n=$(size_of "$tab")
	[ "$tab" = "$NEWFLOW" ] ||
		meta "dr.newflow.$n" "DR new flows: flows/s scheduled, table 0->$(human "$n")" kpps hi
done
for tab in $TABLES; do
	n=$(size_of "$tab")
	meta "dr.lookup.$n" "DR established flows: cost per packet, $(human "$n") connections in the table" µs lo
done
for tab in $TABLES; do
	n=$(size_of "$tab")
	[ "$n" -ge 100000 ] || continue
	meta "dr.mem.$n" "memory per connection (slab), $(human "$n") connections" B lo 2
done
meta x.direct.est "baseline: generator + sink per packet, back to back (no director)" µs lo
meta x.direct.rate "baseline: CPU per packet at the fixed rate (no director)" µs lo
meta x.fwd.capacity "plain IP forwarding, no balancer: director capacity" kpps hi
meta x.fwd.cpu "plain IP forwarding, no balancer: CPU per packet at the fixed rate" µs lo

for rep in $(seq 1 "$REPS"); do
	# Alternate which goes first.
	if [ $((rep % 2)) = 1 ]; then ORDER="ipvs vsd"; else ORDER="vsd ipvs"; fi
	case " $GROUPS_RUN " in *" est "*) bench_est "$rep" ;; esac
	case " $GROUPS_RUN " in *" table "*)
		for tab in $TABLES; do
			bench_table "$rep" "$tab" dr
		done
		for method in $METHODS; do
			[ "$method" != dr ] && [ -n "${WORKS[$method]}" ] &&
				bench_table "$rep" "$NEWFLOW" "$method"
		done
		;;
	esac
done

ksft_exit
