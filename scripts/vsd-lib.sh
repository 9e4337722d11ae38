# SPDX-License-Identifier: GPL-2.0
#
# Shared by vsd-realserver and vsd-director (sourced, bash): messages,
# dry-run aware command execution, strict address checks, sysctl changes.
# The caller sets $prog and $dry (1: print instead of changing).

die() {
	echo "$prog: $*" >&2
	exit 2
}

say() { echo "$prog: $*"; }

run() {
	if [ "$dry" -eq 1 ]; then
		echo "would run: $*"
	else
		"$@" || die "failed: $*"
	fi
}

# Address checks, strict: no name lookups, no guessing.
is_ipv4() {
	local IFS=. a b c d rest

	[[ $1 =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || return 1
	read -r a b c d rest <<<"$1"
	[ -z "$rest" ] && [ "$a" -le 255 ] && [ "$b" -le 255 ] &&
		[ "$c" -le 255 ] && [ "$d" -le 255 ]
}

is_ipv6() {
	local s=$1 head tail n=0 g

	[[ $s =~ ^[0-9a-fA-F:.]+$ ]] || return 1
	[[ $s == *:* ]] || return 1
	[[ $s == *:::* ]] && return 1
	# An IPv4 tail counts as two groups.
	if [[ $s =~ ^(.*:)([0-9]+\.[0-9.]+)$ ]]; then
		head=${BASH_REMATCH[1]}
		is_ipv4 "${BASH_REMATCH[2]}" || return 1
		s="${head}0:0"
	fi
	if [[ $s == *::* ]]; then
		head=${s%%::*}
		tail=${s#*::}
		[[ $tail == *::* ]] && return 1
		s="$head:$tail"
	fi
	local IFS=:
	for g in $s; do
		[ -z "$g" ] && continue
		[[ $g =~ ^[0-9a-fA-F]{1,4}$ ]] || return 1
		n=$((n + 1))
	done
	if [[ $1 == *::* ]]; then
		[ $n -le 7 ]
	else
		[ $n -eq 8 ] && [[ $1 != :* ]] && [[ $1 != *: ]]
	fi
}

is_devname() { [[ $1 =~ ^[A-Za-z0-9_.-]{1,15}$ ]]; }

# set_sysctl KEY VALUE [STATE]: set when different and say so; with STATE,
# remember the first value seen there (for an undo).
set_sysctl() {
	local key=$1 want=$2 state=${3:-} cur

	if ! cur=$(sysctl -n "$key" 2>/dev/null); then
		# A device a dry run did not create.
		[ "$dry" -eq 1 ] || die "no sysctl $key"
		say "sysctl $key: -> $want"
		return 0
	fi
	[ "$cur" = "$want" ] && return 0
	say "sysctl $key: $cur -> $want"
	[ "$dry" -eq 1 ] && return 0
	if [ -n "$state" ] && ! grep -q "^sysctl $key " "$state" 2>/dev/null; then
		echo "sysctl $key $cur" >> "$state"
	fi
	sysctl -qw "$key=$want" || die "cannot set $key"
}
