#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/callgrind.sh: instructions per connection lookup of vsd's own code
# (kernel/conn_hash.h, in bench/src/connhash.c) under callgrind, as the
# table grows: vsd as it is (hsiphash, 2^19 buckets: the table of the
# default conn_max, 1,048,576), and as it was up to 61c1f37 (siphash, a
# fixed 2^16 buckets), with hsiphash on 2^16 buckets between them to part
# the two changes, and on 2^12 buckets (IPVS's default table size).  Runs
# on the host (make bench/bin/connhash first); not part of "make bench".

top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/bench/bin/connhash
lookups=${BENCH_LOOKUPS:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v valgrind >/dev/null || { echo "callgrind.sh: needs valgrind" >&2; exit 4; }
[ -x "$bin" ] || make -C "$top" bench/bin/connhash >/dev/null || exit 1

printf '%-9s %-12s %8s %14s %16s\n' hash connections buckets \
	"compared/lookup" "instr/lookup"
for cfg in "hsiphash 19" "siphash 16" "hsiphash 16" "hsiphash 12"; do
	set -- $cfg
	hash=$1 bits=$2
	extra=
	[ "$hash" = siphash ] && extra=siphash
	for n in 1000 10000 100002 1000020; do
		out=$(valgrind --tool=callgrind --collect-atstart=no \
			--toggle-collect=lookups --callgrind-out-file="$tmp/cg" \
			"$bin" "$n" "$bits" "$lookups" $extra 2>/dev/null) || exit 1
		ir=$(callgrind_annotate "$tmp/cg" 2>/dev/null |
			awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')
		printf '%-9s %-12s %8s %14s %16.0f\n' "$hash" "$n" $((1 << bits)) \
			"$(sed 's/.*, \([0-9.]*\) entries.*/\1/' <<<"$out")" \
			"$(awk -v a="$ir" -v n="$lookups" 'BEGIN { print a / n }')"
	done
done
