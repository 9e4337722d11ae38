#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/completion/vsdctl.sh: the bash completion of vsdctl
# (completion/vsdctl), sourced into this shell and driven as bash drives it
# (COMP_LINE, COMP_POINT, COMP_WORDBREAKS), against a fake vsdctl first in
# PATH that prints a known "--info -j" and "-S -n".  No module, no root,
# no VM: run by "make unit".  One [ OK ]/[FAIL] line per case, exit 0 or 1.

set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# The fake vsdctl; FAKE_DOWN=1 makes it fail as without the module.
cat > "$tmp/vsdctl" <<'EOF'
#!/bin/sh
[ -n "${FAKE_DOWN:-}" ] && { echo "vsdctl: the vsd kernel module is not loaded" >&2; exit 1; }
case "$*" in
"--info -j")
	echo '{"info":{"version":"0.1.0","conn_tab_size":65536,"conn_count":0,"conn_max":1048576,"schedulers":["rr","wrr","lc","wlc","sh","mh","dh"],"counters":{"drop_no_conn":0}}}' ;;
"-S -n")
	cat <<'RULES'
-A -t 10.0.0.1:80 -s wlc
-a -t 10.0.0.1:80 -r 10.0.1.1:80 -g -w 1
-a -t 10.0.0.1:80 -r 10.0.1.2:80 -g -w 1
-A -t [2001:db8::1]:443 -s rr
-a -t [2001:db8::1]:443 -r [2001:db8::11]:443 -i -w 1 --tun-type ipip
-A -u 10.0.0.1:53 -s rr -o
-a -u 10.0.0.1:53 -r 10.0.2.1:53 -m -w 1
-A -f 7 -s wlc -p 300
RULES
	;;
*) exit 2 ;;
esac
EOF
chmod +x "$tmp/vsdctl"
PATH=$tmp:$PATH
# "[2001:db8::1]:443" is also a glob pattern that matches "2:443": the
# offers must not be globbed
cd "$tmp" && touch 2:443 || exit 1

# shellcheck source=../../completion/vsdctl
. "$top/completion/vsdctl" || { echo "[FAIL] cannot source completion/vsdctl"; exit 1; }

failed=0
passed=0

# complete LINE: what bash would offer at the end of LINE, sorted, one line.
complete_line() {
	COMP_LINE=$1
	COMP_POINT=${#1}
	COMPREPLY=()
	_vsdctl vsdctl "" ""
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# expect NAME LINE WANT: the offers are exactly WANT (sorted).
expect() {
	local got

	got=$(complete_line "$2")
	if [ "$got" = "$3" ]; then
		echo "[ OK ] completion: $1"
		passed=$((passed + 1))
	else
		echo "[FAIL] completion: $1: '$2' offers '$got', want '$3'"
		failed=$((failed + 1))
	fi
}

# expect_has NAME LINE WORD...: the offers include each WORD.
expect_has() {
	local name=$1 line=$2 got w miss=
	shift 2

	got=" $(complete_line "$line") "
	for w in "$@"; do
		[[ $got == *" $w "* ]] || miss="$miss $w"
	done
	if [ -z "$miss" ]; then
		echo "[ OK ] completion: $name"
		passed=$((passed + 1))
	else
		echo "[FAIL] completion: $name: '$line' lacks$miss (offers:$got)"
		failed=$((failed + 1))
	fi
}

COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'

if complete -p vsdctl 2>/dev/null | grep -q -- '-F _vsdctl vsdctl$'; then
	echo "[ OK ] completion: registered for vsdctl"
	passed=$((passed + 1))
else
	echo "[FAIL] completion: not registered for vsdctl"
	failed=$((failed + 1))
fi

expect_has "commands" "vsdctl " -A -E -D -C -R -S -a -e -d -L -Z \
	--add-service --list --info --config --prometheus --set
expect "long commands" "vsdctl --ad" "--add-server --add-service"
expect "options of -A" "vsdctl -A -t 10.0.0.5:80 --s" \
	"--sched-flags --scheduler"
expect_has "forwarding of -a, short" "vsdctl -a -t 10.0.0.1:80 -r 10.0.2.9 -" \
	-g -i -m -w -x -y --gatewaying --ipip --masquerading --weight
expect "long forwarding" "vsdctl -a -t 10.0.0.1:80 -r 10.0.2.9 --ma" \
	"--masquerading"
expect "options of -S" "vsdctl -S -" "--json --numeric -j -n"
expect "options of a cluster -Ln" "vsdctl -Ln --st" "--stats"
expect "schedulers of the module" "vsdctl -A -t 10.0.0.5:80 -s " \
	"dh lc mh rr sh wlc wrr"
FAKE_DOWN=1 expect "schedulers without the module" \
	"vsdctl -E -t 10.0.0.1:80 --scheduler w" "wlc wrr"
expect "TCP services of -D" "vsdctl -D -t " "10.0.0.1:80 [2001:db8::1]:443"
expect "UDP services of -L" "vsdctl -L -n -u " "10.0.0.1:53"
expect "fwmark services of -E" "vsdctl -E -f " "7"
expect "no services to add" "vsdctl -A -t " ""
# bash split "10.0.0.1:8" at ':' and replaces "8" only
expect "service after a colon" "vsdctl -d -t 10.0.0.1:8" "80"
expect "IPv6 service after a colon" "vsdctl -Z --tcp-service [2001:db8::1]:" \
	"443"
expect "real servers of -d" "vsdctl -d -t 10.0.0.1:80 -r " \
	"10.0.1.1:80 10.0.1.2:80"
# bash's word is "1" (after the last ':'): it becomes "[2001:db8::11]:443"
expect "real servers of -e, IPv6" \
	"vsdctl -e -t [2001:db8::1]:443 -r [2001:db8::1" "11]:443"
expect "no real servers to add" "vsdctl -a -t 10.0.0.1:80 -r " ""
FAKE_DOWN=1 expect "services without the module" "vsdctl -D -t " ""
expect "sched flags" "vsdctl -A -t 10.0.0.5:80 -s mh -b mh" \
	"mh-fallback mh-port"
expect "tunnel type" "vsdctl -a -t 10.0.0.1:80 -r 10.0.2.9 -i --tun-type " \
	"ipip"
expect "config keys" "vsdctl --config ho" "hook=local_in hook=prerouting"
expect "config value after '='" "vsdctl --config hook=" \
	"local_in prerouting"
expect "a number takes nothing" "vsdctl -a -t 10.0.0.1:80 -r 10.0.2.9 -w " ""
# without ':' in COMP_WORDBREAKS bash keeps the whole word
COMP_WORDBREAKS=$' \t\n'
expect "service without the colon split" "vsdctl -D -t 10.0.0.1:8" \
	"10.0.0.1:80"

echo "# completion: $passed passed, $failed failed"
[ $failed -eq 0 ]
