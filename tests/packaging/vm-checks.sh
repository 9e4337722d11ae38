#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/packaging/vm-checks.sh deb|dkms: the guest's half of
# tests/packaging/check.sh, run by tests/vm/run.  The guest sees the host's
# root read-only, with what the host just installed: the module DKMS built
# under /lib/modules/RELEASE/updates/dkms/ and, for "deb", the vsdctl
# package's files and the /etc/vsd/rules the host wrote.
#
#   deb    the module loads from DKMS's place; vsd.service's own commands
#          (read from the installed unit) start, reload and stop the
#          director; vsd-rules saves and restores; vsdctl --prometheus is
#          well formed, says what is configured, and node_exporter's
#          textfile collector serves it; completion sees the live module
#   dkms   after "make dkms-install": the module loads from DKMS's place
#          and the tree's vsdctl talks to it
#
# One [ OK ]/[FAIL]/[SKIP] line per case; exit 0, or 1 if a case failed.
# Environment: VSD_PKG_VERSION (expected version), VSD_NODE_EXPORTER (a
# node_exporter binary, optional).

set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
phase=${1:-}
version=${VSD_PKG_VERSION:?}
failed=0
tmp=$(mktemp -d)

ok() { echo "[ OK ] vm: $*"; }
fail() { echo "[FAIL] vm: $*"; failed=1; }
skip() { echo "[SKIP] vm: $*"; }
# check NAME CMD...: a case that passes when CMD succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name"; fi
}
# same NAME FILE-WANT FILE-GOT
same() {
	if diff -u "$2" "$3" > "$tmp/diff"; then
		ok "$1"
	else
		fail "$1"
		sed 's/^/#   /' "$tmp/diff"
	fi
}

krel=$(uname -r)
dkms_ko=/lib/modules/$krel/updates/dkms/vsd.ko

module_checks() {
	local vsdctl=$1 f got

	f=$(modinfo -F filename vsd 2>&1)
	if [ "$f" = "$dkms_ko" ]; then
		ok "modinfo finds DKMS's module: $f"
	else
		fail "modinfo finds '$f', not $dkms_ko"
	fi
	check "modinfo: version $version" \
		test "$(modinfo -F version vsd)" = "$version"
	check "modprobe vsd" modprobe vsd
	check "the module is loaded" grep -q '^vsd ' /proc/modules
	got=$("$vsdctl" --version 2>&1)
	check "$vsdctl --version talks to the module: $got" \
		test "$got" = "vsdctl v$version (module vsd v$version)"
}

# The commands of the installed vsd.service, run as systemd would.
unit=/lib/systemd/system/vsd.service
unit_run() {
	local key=$1 line unit_env

	unit_env=$(sed -n 's/^Environment=//p' "$unit")
	line=$(sed -n "s/^$key=//p" "$unit")
	[ -n "$line" ] || { echo "no $key in $unit"; return 1; }
	echo "# $key=$line"
	# shellcheck disable=SC2086
	env $unit_env $line
}

expected_rules() {
	cat <<'EOF'
-A -t 10.0.0.1:80 -s wlc
-a -t 10.0.0.1:80 -r 10.0.1.1:80 -g -w 1
-a -t 10.0.0.1:80 -r 10.0.1.2:80 -g -w 3
-A -u 10.0.0.1:53 -s rr
-a -u 10.0.0.1:53 -r 10.0.2.1:5353 -m -w 1
-A -f 7 -s wlc -p 300
-a -f 7 -r 10.0.3.1:0 -i -w 2 --tun-type ipip
EOF
}

# Poll (never sleep and hope): up to 10 s for CMD to succeed.
poll() {
	local i

	for ((i = 0; i < 100; i++)); do
		"$@" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

node_exporter_checks() {
	local ne=${VSD_NODE_EXPORTER:-} pid port=19100 url out

	if [ -z "$ne" ] || [ ! -x "$ne" ]; then
		skip "node_exporter's textfile collector (no node_exporter)"
		return
	fi
	mkdir -p "$tmp/textfile"
	cp "$tmp/vsd.prom" "$tmp/textfile/vsd.prom"
	"$ne" --web.listen-address=127.0.0.1:$port \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$tmp/textfile" \
		> "$tmp/ne.log" 2>&1 &
	pid=$!
	url=http://127.0.0.1:$port/metrics
	fetch() {
		python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$url" > "$tmp/scrape"
	}
	if ! poll fetch; then
		fail "node_exporter answers"
		sed 's/^/#   /' "$tmp/ne.log"
		kill "$pid"
		wait "$pid" 2>/dev/null
		return
	fi
	kill "$pid"
	wait "$pid" 2>/dev/null
	check "node_exporter reads vsd.prom without error" \
		grep -qx 'node_textfile_scrape_error 0' "$tmp/scrape"
	# it adds the labels a sample lacks, empty, and sorts them
	out='vsd_destination_weight{family="",forward="route",fwmark="",port="80",proto="tcp",server="10.0.1.2",server_port="80",vip="10.0.0.1"} 3'
	check "node_exporter serves vsd's samples" \
		grep -qxF "$out" "$tmp/scrape"
	check "node_exporter serves every vsd family" \
		test "$(grep -c '^# TYPE vsd_' "$tmp/scrape")" = \
		"$(grep -c '^# TYPE vsd_' "$tmp/vsd.prom")"
}

completion_checks() {
	local comp=/usr/share/bash-completion/completions/vsdctl out

	out=$(bash -c '. "$1"; COMP_LINE="vsdctl -A -t 10.0.0.9:80 -s "
		COMP_POINT=${#COMP_LINE}; _vsdctl; echo "${COMPREPLY[*]}"' \
		_ "$comp")
	check "completion: the module's schedulers ($out)" \
		grep -qw wlc <<<"$out"
	out=$(bash -c '. "$1"; COMP_LINE="vsdctl -D -t "
		COMP_POINT=${#COMP_LINE}; _vsdctl; echo "${COMPREPLY[*]}"' \
		_ "$comp")
	check "completion: the live services of -D -t ($out)" \
		test "$out" = "10.0.0.1:80"
}

deb_checks() {
	local vsdctl=/usr/sbin/vsdctl out n

	module_checks "$vsdctl"
	expected_rules > "$tmp/want"

	# vsd.service: ExecStartPre loaded the module above; the restore
	check "vsd.service ExecStart (restore /etc/vsd/rules)" \
		unit_run ExecStart
	"$vsdctl" -S -n > "$tmp/got"
	same "the configuration is /etc/vsd/rules" "$tmp/want" "$tmp/got"
	check "an extra real server by hand" \
		"$vsdctl" -a -t 10.0.0.1:80 -r 10.0.1.9 -g
	check "vsd.service ExecReload (apply the file again)" \
		unit_run ExecReload
	"$vsdctl" -S -n > "$tmp/got"
	same "the reload made it the file again" "$tmp/want" "$tmp/got"

	# vsd-rules: a wrong file changes nothing, save is atomic
	{ expected_rules; echo "-a -t 10.0.0.2:80 -r 10.0.1.1 -g"; } \
		> "$tmp/bad"
	out=$(/usr/sbin/vsd-rules restore "$tmp/bad" 2>&1)
	check "vsd-rules refuses a wrong file, naming its line (${out%%$'\n'*})" \
		test $? -ne 0 -a -n "$(grep -F "$tmp/bad: line 8: " <<<"$out")"
	"$vsdctl" -S -n > "$tmp/got"
	same "the refused file changed nothing" "$tmp/want" "$tmp/got"
	check "vsd-rules save" /usr/sbin/vsd-rules save "$tmp/saved"
	same "vsd-rules save wrote vsdctl -S -n" "$tmp/want" "$tmp/saved"
	VSDCTL=/bin/false /usr/sbin/vsd-rules save "$tmp/saved" 2>/dev/null
	check "a failed save fails" test $? -ne 0
	same "a failed save left the file" "$tmp/want" "$tmp/saved"
	check "no temporary file left" \
		test -z "$(find "$tmp" -name '.rules.*')"

	# metrics
	"$vsdctl" --prometheus > "$tmp/vsd.prom"
	check "vsdctl --prometheus exits 0" test $? -eq 0
	check "the exposition format is strictly right" \
		python3 "$top/tests/packaging/promcheck.py" "$tmp/vsd.prom"
	check "vsd_info names the module's version" \
		grep -qx "vsd_info{version=\"$version\"} 1" "$tmp/vsd.prom"
	check "a service" grep -qxF \
		'vsd_service_info{proto="udp",vip="10.0.0.1",port="53",scheduler="rr"} 1' \
		"$tmp/vsd.prom"
	check "a real server's weight" grep -qxF \
		'vsd_destination_weight{proto="tcp",vip="10.0.0.1",port="80",server="10.0.1.2",server_port="80",forward="route"} 3' \
		"$tmp/vsd.prom"
	check "a firewall-mark service's tunnelled real server" grep -qxF \
		'vsd_destination_weight{fwmark="7",family="inet",server="10.0.3.1",server_port="0",forward="tunnel"} 2' \
		"$tmp/vsd.prom"
	check "one weight per real server" \
		test "$(grep -c '^vsd_destination_weight{' "$tmp/vsd.prom")" = 4
	# one reason per drop_* counter of --info
	n=$("$vsdctl" --info -j | jq '[.info.counters | keys[] |
		select(startswith("drop_"))] | length')
	check "a drop reason per counter of --info ($n)" \
		test "$(grep -c '^vsd_drops_total{reason="[a-z_]*"} [0-9]*$' "$tmp/vsd.prom")" = "$n" -a "$n" -gt 0
	node_exporter_checks

	completion_checks

	check "vsd.service ExecStop (clear)" unit_run ExecStop
	check "the configuration is empty" \
		test -z "$("$vsdctl" -S -n)"
	out=$(VSD_RULES=$tmp/none /usr/sbin/vsd-rules restore 2>&1)
	check "restore without a saved file is no error ($out)" \
		test $? -eq 0 -a -z "$("$vsdctl" -S -n)"
	check "rmmod vsd" rmmod vsd
}

dkms_checks() {
	module_checks "$top/ctl/vsdctl"
	"$top/ctl/vsdctl" --prometheus > "$tmp/vsd.prom"
	check "the tree's vsdctl --prometheus, well formed" \
		python3 "$top/tests/packaging/promcheck.py" "$tmp/vsd.prom"
	check "rmmod vsd" rmmod vsd
}

case $phase in
deb) deb_checks ;;
dkms) dkms_checks ;;
*) echo "usage: $0 deb|dkms" >&2; exit 2 ;;
esac
rm -rf "$tmp"
exit $failed
