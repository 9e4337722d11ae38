#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsdctl against ipvsadm on a large table: restore (-R) and list (-L -n)
# BENCH_SERVICES services (default 10000) of BENCH_DESTS destinations each
# (default 10), BENCH_REPS times (default 3), the two tools alternating
# which goes first, each starting from an empty table.  Prints the times
# and the ratios ipvsadm/vsdctl (median, min-max), and the samples as
# "M|"/"S|" lines for bench/summarize.  Not a pass/fail test.  Part of
# "make bench" (bench/run); alone:
#
#   tests/vm/run bench/ctl-restore-list.sh
#
#   test VM: ipvsadm -R/-L -n -> ip_vs.ko    vsdctl -R/-L -n -> vsd.ko

. "$(dirname "$0")/../tests/netns/lib.sh"

require_root
require ipvsadm modprobe awk

nsvc=${BENCH_SERVICES:-10000}
ndst=${BENCH_DESTS:-10}
reps=${BENCH_REPS:-3}

tmp=$(mktemp -d)
at_exit "rm -rf $tmp"
rules=$tmp/rules

# 10.S.S.1:80 -> 10.200+D.S.S masqueraded: distinct, non-local addresses.
awk -v n="$nsvc" -v d="$ndst" 'BEGIN {
	for (i = 0; i < n; i++) {
		vip = sprintf("10.%d.%d.1:80", int(i / 256) % 256, i % 256);
		printf "-A -t %s -s wlc\n", vip;
		for (j = 0; j < d; j++)
			printf "-a -t %s -r 10.%d.%d.%d:8080 -m -w %d\n", vip,
			       200 + j, int(i / 256) % 256, i % 256, j + 1;
	}
}' > "$rules"
lines=$(wc -l < "$rules")

if ! modprobe ip_vs || ! modprobe ip_vs_wlc; then
	echo "no ip_vs"
	exit 4
fi
at_exit "ipvsadm -C 2>/dev/null; modprobe -r ip_vs_wlc ip_vs 2>/dev/null"
modprobe nf_defrag_ipv4 2>/dev/null; modprobe nf_defrag_ipv6 2>/dev/null
vsd_load || { echo "cannot load vsd"; exit 1; }
at_exit "vsd_unload"

now() { date +%s%N; }

# run_tool TOOL: restore and list with TOOL; prints "restore_ns list_ns".
run_tool() {
	local tool=$1 t0 t1 t2 saved

	"$tool" -C
	t0=$(now)
	"$tool" -R < "$rules" || echo "$tool -R failed" >&2
	t1=$(now)
	"$tool" -L -n > "$tmp/list.$(basename "$tool")"
	t2=$(now)
	saved=$("$tool" -S -n | wc -l)
	[ "$saved" = "$lines" ] ||
		echo "$tool: $saved rules after -R, expected $lines" >&2
	"$tool" -C
	echo "$((t1 - t0)) $((t2 - t1))"
}

echo "# $nsvc services x $ndst destinations ($lines lines), $reps repetitions"
: > "$tmp/results"
for r in $(seq 1 "$reps"); do
	if [ $((r % 2)) = 1 ]; then
		i=$(run_tool ipvsadm)
		v=$(run_tool "$VSDCTL")
	else
		v=$(run_tool "$VSDCTL")
		i=$(run_tool ipvsadm)
	fi
	echo "$r $i $v" >> "$tmp/results"
	echo "$r $i $v" | awk '{
		printf "# rep %d: restore ipvsadm %.3f s, vsdctl %.3f s; list -L -n ipvsadm %.3f s, vsdctl %.3f s\n",
		       $1, $2 / 1e9, $4 / 1e9, $3 / 1e9, $5 / 1e9 }'
done

# median and range of a ratio column
summary() {
	local what=$1 col_i=$2 col_v=$3

	awk -v ci="$col_i" -v cv="$col_v" '{ print $ci / $cv }' "$tmp/results" |
		sort -g | awk -v what="$what" '
		{ v[NR] = $1 }
		END {
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "%s: ipvsadm/vsdctl = %.1fx (median), %.1fx-%.1fx (min-max)\n",
			       what, m, v[1], v[NR]
		}'
}
summary "restore (-R)" 2 4
summary "list (-L -n)" 3 5

n=$(awk -v n="$nsvc" -v d="$ndst" 'BEGIN { printf "%gk services x %d destinations", n / 1000, d }')
echo "M|ctl.restore|control plane: restore (-R) $n, vsdctl vs ipvsadm|s|lo|5"
echo "M|ctl.list|control plane: list (-L -n) $n, vsdctl vs ipvsadm|s|lo|5"
awk '{	printf "S|ctl.restore|ipvs|%d|%.3f\nS|ctl.restore|vsd|%d|%.3f\n", $1, $2 / 1e9, $1, $4 / 1e9
	printf "S|ctl.list|ipvs|%d|%.3f\nS|ctl.list|vsd|%d|%.3f\n", $1, $3 / 1e9, $1, $5 / 1e9 }' "$tmp/results"
ksft_exit
