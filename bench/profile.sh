#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the director's time goes, per packet: the established flow of
# bench/dataplane.sh (DR) through plain IP forwarding, IPVS and vsd, each
# under "perf record -e cpu-clock".  Under TCG with -icount the guest's
# clock counts instructions, so these timer samples are instruction
# samples (hardware cycle counters do not exist there).  Prints, for each,
# the functions with their share of the samples and their cost per packet
# (share x the run's busy time / packets).  Not part of "make bench":
#
#   VSD_VM_SMP=1 VSD_VM_QEMU_ARGS="-icount shift=1,sleep=off" \
#	tests/vm/run bench/profile.sh
#
# BENCH_PROFILE_PKTS datagrams per run (default 100000), BENCH_PROFILE_TOP
# functions shown (default 40), BENCH_PROFILE_IMPLS (default "fwd ipvs vsd"),
# BENCH_PROFILE_PERIOD ns of CPU time between samples (default 100000: the
# sampling itself costs, and shows, in memset_erms mostly).

. "$(dirname "$0")/../tests/netns/lib.sh"
. "$(dirname "$0")/lib.sh"

require_root
require perf ipvsadm tc

PKTS=${BENCH_PROFILE_PKTS:-100000}
TOP=${BENCH_PROFILE_TOP:-40}
IMPLS=${BENCH_PROFILE_IMPLS:-fwd ipvs vsd}
PERIOD=${BENCH_PROFILE_PERIOD:-100000}

bench_topology
bsetup vsd_load
at_exit vsd_unload
bsetup modprobe -a ip_vs ip_vs_rr
at_exit "modprobe -r ip_vs_rr ip_vs 2>/dev/null"
echo 0 > /proc/sys/kernel/kptr_restrict
echo -1 > /proc/sys/kernel/perf_event_paranoid

for impl in direct $IMPLS; do
	dev=g0
	if [ "$impl" = direct ]; then
		dev=g1
	else
		director_up
		impl_config "$impl" -g
	fi
	# Warm: the flow exists, the route caches are filled.
	pg_run $dev 100 0 one > /dev/null
	r=$(PG_WRAP="perf record -q -e cpu-clock -c $PERIOD -a -o $BENCH_TMP/perf.data --" \
		pg_run $dev "$PKTS" 0 one)
	read -r sent delivered elapsed busy <<<"$r"
	echo "== $impl: $delivered of $sent datagrams, $((elapsed / delivered)) ns per packet" \
		"(pktgen), $((busy / delivered)) ns busy per packet"
	perf report -i "$BENCH_TMP/perf.data" --no-children --sort sym -n \
		--percent-limit 0.3 --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' |
		head -n "$TOP" | awk -v n="$delivered" -v period="$PERIOD" '
		{ p = $1; c = $2; $1 = ""; $2 = ""; $3 = ""
		  printf "%7s %6.0f ns/pkt %s\n", p, c * period / n, $0 }'
	[ "$impl" = direct ] || director_down
done
ksft_exit
