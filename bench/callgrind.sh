#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/callgrind.sh: instructions per connection lookup of vsd's own code
# (kernel/conn_hash.h, in bench/src/connhash.c) under callgrind, as the
# table grows, with the module's default 2^16 buckets and, for comparison,
# 2^12 (IPVS's default table size) and 2^20.  Runs on the host (make
# bench/bin/connhash first); not part of "make bench".

top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/bench/bin/connhash
lookups=${BENCH_LOOKUPS:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v valgrind >/dev/null || { echo "callgrind.sh: needs valgrind" >&2; exit 4; }
[ -x "$bin" ] || make -C "$top" bench/bin/connhash >/dev/null || exit 1

printf '%-12s %8s %14s %16s\n' connections buckets "compared/lookup" "instr/lookup"
for bits in 16 12 20; do
	for n in 1000 10000 100002 1000020; do
		out=$(valgrind --tool=callgrind --collect-atstart=no \
			--toggle-collect=lookups --callgrind-out-file="$tmp/cg" \
			"$bin" "$n" "$bits" "$lookups" 2>/dev/null) || exit 1
		ir=$(callgrind_annotate "$tmp/cg" 2>/dev/null |
			awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')
		printf '%-12s %8s %14s %16.0f\n' "$n" $((1 << bits)) \
			"$(sed 's/.*, \([0-9.]*\) entries.*/\1/' <<<"$out")" \
			"$(awk -v a="$ir" -v n="$lookups" 'BEGIN { print a / n }')"
	done
done
