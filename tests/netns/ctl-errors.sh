#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input to vsdctl: every kind gets a one-line message that quotes the
# offending argument, the exit status ipvsadm has for the same mistake (run
# side by side on Linux's ip_vs), and no change to the configuration
# (vsdctl -S -n before == after).
#
#   init namespace of the test VM
#   +-------------------------------------------------------------+
#   |  ipvsadm BAD... -> ip_vs.ko   (its exit status)             |
#   |  vsdctl  BAD... -> vsd.ko     (message, status, -S -n diff) |
#   +-------------------------------------------------------------+

. "$(dirname "$0")/lib.sh"

require_root
require ipvsadm modprobe diff
klog_mark

tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

have_ipvs=1
if ! modprobe ip_vs 2>/dev/null || ! modprobe ip_vs_rr; then
	have_ipvs=0
	info "no ip_vs: exit statuses are checked against the expected ones only"
fi
[ $have_ipvs = 0 ] || at_exit "ipvsadm -C 2>/dev/null; modprobe -r ip_vs_rr ip_vs 2>/dev/null"
modprobe nf_defrag_ipv4 2>/dev/null; modprobe nf_defrag_ipv6 2>/dev/null
run_ok "vsd loads" vsd_load
at_exit "vsd_unload"

# The same starting configuration in both.
base='-A -t 10.0.0.1:80 -s rr
-a -t 10.0.0.1:80 -r 10.1.0.1 -m
-A -f 3 -s rr'
while IFS= read -r line; do
	# shellcheck disable=SC2086
	[ $have_ipvs = 0 ] || ipvsadm $line
	# shellcheck disable=SC2086
	run_ok "setup: $line" "$VSDCTL" $line
done <<< "$base"

# bad STATUS REGEX ARGS...: vsdctl ARGS fails with exit STATUS, one line of
# message matching REGEX, and no change.  STATUS "ipvs" means: the same as
# ipvsadm's for ARGS (which must fail too).  Standard input: $stdin, if set.
bad() {
	local status=$1 regex=$2 name out rc want lines

	shift 2
	name="vsdctl $*"
	"$VSDCTL" -S -n > "$tmp/before"
	out=$("$VSDCTL" "$@" 2>&1 >/dev/null < "${stdin:-/dev/null}")
	rc=$?
	lines=$(printf '%s\n' "$out" | wc -l)
	want=$status
	if [ "$status" = ipvs ]; then
		if [ $have_ipvs = 1 ]; then
			ipvsadm "$@" >/dev/null 2>&1 < "${stdin:-/dev/null}"
			want=$?
		else
			want=$rc
		fi
	fi
	"$VSDCTL" -S -n > "$tmp/after"
	if [ "$rc" = "$want" ] && [ "$rc" != 0 ] && [ "$lines" = 1 ] &&
	   printf '%s\n' "$out" | grep -Eq -- "^vsdctl: .*$regex" &&
	   diff -q "$tmp/before" "$tmp/after" >/dev/null; then
		log_test 0 "$name: exit $rc: $out"
	else
		printf '# exit %s (want %s), %s line(s): %s\n# want: %s\n' \
			"$rc" "$want" "$lines" "$out" "$regex"
		diff -u "$tmp/before" "$tmp/after" | sed 's/^/# /'
		log_test 1 "$name"
	fi
}

# malformed or out-of-range values
bad ipvs "invalid port 'http8'" -A -t 10.0.0.9:http8
bad ipvs "invalid port '70000'" -A -t 10.0.0.9:70000
bad ipvs "invalid address '300\.0\.0\.1'" -A -t 300.0.0.1:80
bad ipvs "invalid address '\[2001:db8::9\]'" -A -t '[2001:db8::9]'
bad ipvs "cannot resolve host 'no-such-host\.invalid'" -A -t no-such-host.invalid:80
bad ipvs "invalid weight 'abc'" -a -t 10.0.0.1:80 -r 10.1.0.9 -w abc
bad 2 "invalid weight '65536'" -a -t 10.0.0.1:80 -r 10.1.0.9 -w 65536
bad ipvs "invalid upper threshold '-1'" -a -t 10.0.0.1:80 -r 10.1.0.9 -x -1
bad ipvs "invalid persistence timeout '0'" -A -t 10.0.0.9:80 -p 0
bad ipvs "invalid persistence timeout '2678401'" -A -t 10.0.0.9:80 -p 2678401
bad ipvs "invalid netmask '255\.255\.255\.300'" -A -t 10.0.0.9:80 -p 10 -M 255.255.255.300
bad 2 "invalid netmask '255\.0\.255\.0'" -A -t 10.0.0.9:80 -p 10 -M 255.0.255.0
bad ipvs "invalid IPv6 netmask '129'" -A -t '[2001:db8::9]:80' -p -M 129
bad ipvs "invalid fwmark '0'" -A -f 0
bad ipvs "invalid fwmark 'x1'" -A -f x1
bad ipvs "invalid timeout 'x'" --set 10 x 3
bad ipvs "invalid scheduler flag 'bogus'" -A -t 10.0.0.9:80 -b bogus
bad ipvs "scheduler flag 'sh-port' needs scheduler 'sh'" -A -t 10.0.0.9:80 -s rr -b sh-port
bad ipvs "has port 0 and is not persistent" -A -t 10.0.0.9
bad ipvs "one-packet scheduling \('-o'\) is only for UDP" -A -t 10.0.0.9:80 -o
# unknown scheduler (ipvsadm: the kernel refuses)
bad ipvs "unknown scheduler 'nosuch'" -A -t 10.0.0.9:80 -s nosuch
bad ipvs "unknown scheduler 'nosuch'" -E -t 10.0.0.1:80 -s nosuch
# missing, duplicate
bad ipvs "no such service.*'-t 10\.0\.0\.8:80'" -a -t 10.0.0.8:80 -r 10.1.0.1
bad ipvs "service exists.*'-t 10\.0\.0\.1:80'" -A -t 10.0.0.1:80
bad ipvs "service exists.*'-f 3'" -A -f 3
bad ipvs "destination exists.*'-r 10\.1\.0\.1'" -a -t 10.0.0.1:80 -r 10.1.0.1 -m
bad ipvs "no such destination.*'-r 10\.1\.0\.99'" -e -t 10.0.0.1:80 -r 10.1.0.99
bad ipvs "no such destination.*'-r 10\.1\.0\.99'" -d -t 10.0.0.1:80 -r 10.1.0.99
bad ipvs "no such service.*'-t 10\.0\.0\.8:80'" -D -t 10.0.0.8:80
bad ipvs "no such service.*'-t 10\.0\.0\.8:80'" -E -t 10.0.0.8:80
bad ipvs "no such service.*'-t 10\.0\.0\.8:80'" -Z -t 10.0.0.8:80
bad ipvs "no such service.*'-t 10\.0\.0\.8:80'" -L -n -t 10.0.0.8:80
bad ipvs "lower threshold above the upper threshold.*'-r 10\.1\.0\.9'" -a -t 10.0.0.1:80 -r 10.1.0.9 -x 5 -y 10
# address families that cannot work together
bad ipvs "real server '\[2001:db8::5\]:80' and service '-t 10\.0\.0\.1:80' differ in address family" -a -t 10.0.0.1:80 -r '[2001:db8::5]:80' -m
bad ipvs "real server '2001:db8::5' and service '-f 3' differ in address family" -a -f 3 -r 2001:db8::5 -g
bad ipvs "'-6' is only for fwmark services" -A -t 10.0.0.9:80 -6
# unknown options, missing or illegal options, conflicting commands
bad ipvs "unknown option '--foo'" -A -t 10.0.0.9:80 --foo
bad ipvs "option '-t' needs an argument" -A -t
bad ipvs "'-A' needs a virtual service" -A -s rr
bad ipvs "'-a' needs a real server \(-r\)" -a -t 10.0.0.1:80
bad ipvs "option '-w' is not valid with '-A'" -A -t 10.0.0.9:80 -w 3
bad ipvs "option '-t' is not valid with '-C'" -C -t 10.0.0.1:80
bad ipvs "option '-s' given twice" -A -t 10.0.0.9:80 -s rr -s wrr
bad ipvs "conflicting commands '-A' and '-D'" -A -D -t 10.0.0.1:80
bad ipvs "options '-c' and '--stats' conflict" -L -c --stats
bad ipvs "options '-c' and '-t' conflict with '-L'" -L -n -c -t 10.0.0.1:80
bad ipvs "needs 3 timeout values" --set 1 2
bad ipvs "unexpected argument 'extra'" -L -n extra
bad ipvs "no command given" -n
# what vsd does not do (ipvsadm accepts these)
bad 2 "vsd does not support SCTP services \('--sctp-service'\)" -A --sctp-service 10.0.0.9:80
bad 2 "vsd does not support persistence engines \('--pe'\)" -A -t 10.0.0.9:80 -p --pe sip
bad 2 "vsd does not support the connection sync daemon \('--start-daemon'\)" --start-daemon master
bad 2 "vsd does not support the connection sync daemon \('--stop-daemon'\)" --stop-daemon master
bad 2 "vsd does not support the connection sync daemon \('--daemon'\)" -L --daemon
bad 2 "vsd does not support tunnel type 'gue'" -a -t 10.0.0.1:80 -r 10.1.0.9 -i --tun-type gue --tun-port 6080
# vsdctl's own additions
bad 2 "invalid value 'input' for 'hook'" --config hook=input
bad 2 "unknown setting 'tcp_timeout'" --config tcp_timeout=5
bad 2 "invalid value '0' for 'conn_max'" --config conn_max=0
# -R: the line, and nothing changes
printf '%s\n' '-A -t 10.0.0.9:80' '-A -t 10.0.0.9:http8' > "$tmp/r1"
stdin=$tmp/r1 bad 2 "line 2: invalid port 'http8'" -R
printf '%s\n' '# x' '' '-A -t 10.0.0.1:80' > "$tmp/r2"
stdin=$tmp/r2 bad 255 "line 3: service '-t 10\.0\.0\.1:80' already exists" -R
printf '%s\n' '-C' '-A -t 10.0.0.9:80' '-e -t 10.0.0.9:80 -r 10.1.0.1 -m' > "$tmp/r3"
stdin=$tmp/r3 bad 255 "line 3: no real server '10\.1\.0\.1' in service '-t 10\.0\.0\.9:80'" -R

"$VSDCTL" -C
klog_check
ksft_exit
