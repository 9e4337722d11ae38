#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsdctl is ipvsadm: the same configuration, applied through ipvsadm to
# Linux's ip_vs and through vsdctl to vsd in the same VM, lists the same
# (every listing format, byte for byte but the banner line), saves the
# same, and survives -S | -R both ways.  -R is atomic: a file with an error
# on line N changes nothing and says "line N".
#
#   init namespace of the test VM
#   +------------------------------------------------------------------+
#   |  ipvsadm --(IPVS genl)--> ip_vs.ko      vsdctl --(genl "vsd")--> |
#   |                                                        vsd.ko    |
#   |  same commands in, outputs diffed                                |
#   +------------------------------------------------------------------+

. "$(dirname "$0")/lib.sh"

require_root
require ipvsadm modprobe diff
klog_mark

tmp=$(mktemp -d)
at_exit "rm -rf $tmp"

if ! modprobe ip_vs 2>/dev/null; then
	log_test 4 "ctl-compat: Linux's ip_vs is not available"
	ksft_exit
fi
for s in rr wrr lc wlc; do
	modprobe "ip_vs_$s" || { log_test 1 "modprobe ip_vs_$s"; ksft_exit; }
done
at_exit "ipvsadm -C 2>/dev/null; modprobe -r ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs 2>/dev/null"
modprobe nf_defrag_ipv4 2>/dev/null; modprobe nf_defrag_ipv6 2>/dev/null
run_ok "vsd loads" vsd_load
at_exit "vsd_unload"
run_ok "ipvsadm starts empty" ipvsadm -C
run_ok "vsdctl starts empty" "$VSDCTL" -C

# The configuration, one command per line, for both tools.  Dests are not
# local addresses (IPVS would show them as "Local").
config='-A -t 10.0.0.1:80 -s rr
-a -t 10.0.0.1:80 -r 10.1.0.1 -g -w 1
-a -t 10.0.0.1:80 -r 10.1.0.2:8080 -m -w 3
-a -t 10.0.0.1:80 -r 10.1.0.3 -i -w 0 -x 100 -y 50
-a -t 10.0.0.1:80 -r 10.1.0.10:80 -w 65535
-A -t 10.0.0.1:443 -s wrr -p 600 -M 255.255.255.0
-a -t 10.0.0.1:443 -r 10.1.0.4 -g -w 5
-a -t 10.0.0.1:443 -r 10.1.0.5 -g -w 2
-A -u 10.0.0.2:53 -s lc -o
-a -u 10.0.0.2:53 -r 10.1.0.6:5353 -m
-a -u 10.0.0.2:53 -r 10.1.0.16:53 -m -x 7
-A -f 1 -s wlc -p
-a -f 1 -r 10.1.0.7 -g
-a -f 1 -r 10.1.0.8:81 -m -w 4
-A -t [2001:db8::1]:80 -s wlc -b flag-2
-a -t [2001:db8::1]:80 -r [2001:db8:1::1]:8080 -m
-a -t [2001:db8::1]:80 -r [2001:db8:1::2]:80 -g
-A -f 2 -6 -s rr -p 120 -M 64
-a -f 2 -6 -r [2001:db8:1::3]:0 -g
-A -t 10.0.0.3:8080 -s rr -b flag-1,flag-3
-A -u [2001:db8::2]:5000 -s wrr -o -p 30
-a -u [2001:db8::2]:5000 -r [2001:db8:1::5]:5000 -i -w 9
-A -t 10.0.0.4:0 -s lc -p 60 -M 255.255.0.0
-a -t 10.0.0.4:0 -r 10.1.0.9 -g
-A -t 10.0.0.5:80
-a -t 10.0.0.5:80 -r 10.1.0.11 -w 2
-a -t 10.0.0.5:80 -r 10.1.0.12 -w 3
-E -t 10.0.0.1:443 -s rr -p 300
-e -t 10.0.0.1:80 -r 10.1.0.2:8080 -m -w 7 -x 10
-e -f 1 -r 10.1.0.7 -i -w 2
-E -u 10.0.0.2:53 -s wlc
-d -t 10.0.0.1:80 -r 10.1.0.1
-D -t 10.0.0.3:8080
-A -t 10.0.0.6:80 -s wlc
-D -t 10.0.0.6:80
-d -t 10.0.0.5:80 -r 10.1.0.12'

n=0
bad=""
while IFS= read -r line; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	ipvsadm $line >/dev/null 2>"$tmp/err.ipvs" || bad="$bad|ipvsadm line $n ($line): $(cat "$tmp/err.ipvs")"
	# shellcheck disable=SC2086
	"$VSDCTL" $line >/dev/null 2>"$tmp/err.vsd" || bad="$bad|vsdctl line $n ($line): $(cat "$tmp/err.vsd")"
done <<< "$config"
check_eq "the $n commands succeed with both tools" "$bad" ""

# Compare one listing: ipvsadm's vs vsdctl's (with --skip-banner: the
# first line, which names the module, is ours).
compare() {
	local name=$1 skip=$2

	shift 2
	ipvsadm "$@" > "$tmp/ipvs.out" 2>&1
	"$VSDCTL" "$@" > "$tmp/vsd.out" 2>&1
	if [ "$skip" = banner ]; then
		check_match "$name: vsdctl's banner" "$(head -n 1 "$tmp/vsd.out")" \
			'^vsd version [0-9]+\.[0-9]+\.[0-9]+ \(size=[0-9]+\)$'
		sed -i 1d "$tmp/ipvs.out" "$tmp/vsd.out"
	fi
	check_diff "$name" "$tmp/ipvs.out" "$tmp/vsd.out"
}

compare "-L -n" banner -L -n
compare "-Ln (clustered)" banner -Ln
compare "-L (names)" banner -L
compare "-L -n --stats --exact" banner -L -n --stats --exact
compare "-L -n --stats" banner -L -n --stats
compare "-L -n --rate" banner -L -n --rate
compare "-L -n --thresholds" banner -L -n --thresholds
compare "-L -n --persistent-conn" banner -L -n --persistent-conn
compare "-L -n --tun-info" banner -L -n --tun-info
compare "-L -n -t VIP:PORT" none -L -n -t 10.0.0.1:80
compare "-L -n -f 2 -6" none -L -n -f 2 -6
compare "-L -n -u [v6]:port" none -L -n -u '[2001:db8::2]:5000'
compare "-L --timeout" none -L --timeout
# -S: ipvsadm's lines, and the thresholds it leaves out (which its -R then
# loses) at their end.
nothresh() { sed -E 's/ -x [0-9]+//; s/ -y [0-9]+//' "$@"; }
compare_save() {
	local name=$1

	shift
	ipvsadm "$@" > "$tmp/ipvs.out" 2>&1
	"$VSDCTL" "$@" > "$tmp/vsd.out" 2>&1
	nothresh "$tmp/vsd.out" > "$tmp/vsd.plain"
	check_diff "$name: ipvsadm's lines" "$tmp/ipvs.out" "$tmp/vsd.plain"
}
compare_save "-S -n" -S -n
check_eq "-S -n: the thresholds too" \
	"$(grep -E -- ' -[xy] ' "$tmp/vsd.out" | tr '\n' '|')" \
	"-a -t 10.0.0.1:80 -r 10.1.0.2:8080 -m -w 7 -x 10|-a -t 10.0.0.1:80 -r 10.1.0.3:80 -i -w 0 --tun-type ipip -x 100 -y 50|-a -u 10.0.0.2:53 -r 10.1.0.16:53 -m -w 1 -x 7|"
compare_save "-S (names)" -S

run_ok "--set 1000 100 200 (ipvsadm)" ipvsadm --set 1000 100 200
run_ok "--set 1000 100 200 (vsdctl)" "$VSDCTL" --set 1000 100 200
compare "-L --timeout after --set" none -L --timeout
run_ok "--set 0 0 60 changes udp only (ipvsadm)" ipvsadm --set 0 0 60
run_ok "--set 0 0 60 changes udp only (vsdctl)" "$VSDCTL" --set 0 0 60
compare "-L --timeout after --set 0 0 60" none -L --timeout
ipvsadm --set 900 120 300
"$VSDCTL" --set 900 120 300

run_ok "-Z (ipvsadm)" ipvsadm -Z
run_ok "-Z (vsdctl)" "$VSDCTL" -Z
run_ok "-Z -t (vsdctl)" "$VSDCTL" -Z -t 10.0.0.1:80
compare "-L -n --stats --exact after -Z" banner -L -n --stats --exact

# JSON: the same configuration, machine-readable.
if command -v jq >/dev/null; then
	json=$("$VSDCTL" -L -j)
	check_eq "-j: services" "$(printf '%s' "$json" | jq '.services | length')" \
		"$(ipvsadm -S -n | grep -c '^-A')"
	check_eq "-j: dests of 10.0.0.1:80 in order" \
		"$(printf '%s' "$json" | jq -r '.services[] | select(.address == "10.0.0.1" and .port == 80) | .destinations[] | "\(.address):\(.port)/\(.forward)/\(.weight)"' | tr '\n' ' ')" \
		"10.1.0.2:8080/masq/7 10.1.0.3:80/tunnel/0 10.1.0.10:80/route/65535 "
	check_eq "-j: fwmark 2 IPv6 persistence" \
		"$(printf '%s' "$json" | jq -c '.services[] | select(.fwmark == 2) | [.family, .timeout, .netmask, .scheduler]')" \
		'["inet6",120,64,"rr"]'
	check_eq "-j --timeout" "$("$VSDCTL" -L --timeout -j | jq -c .)" \
		'{"timeouts":{"tcp":900,"tcpfin":120,"udp":300}}'
	check_match "--info -j" "$("$VSDCTL" --info -j | jq -c '[.info.conn_tab_size > 0, (.info.schedulers | index("wlc") != null), (.info.counters | has("drop_no_conn"))]')" \
		'^\[true,true,true\]$'
	check_eq "-c -j (no connections)" "$("$VSDCTL" -L -c -j | jq -c .)" \
		'{"connections":[]}'
	check_eq "--config -j" "$("$VSDCTL" --config -j | jq -c '.config | [.tcp, .tcpfin, .udp]')" \
		'[900,120,300]'
else
	log_test 4 "-j checks need jq"
fi

# --config: text, set, read back.
check_match "--config shows the settings" "$("$VSDCTL" --config | tr '\n' ' ')" \
	'^hook=(prerouting|local_in) conntrack=[01] conn_max=[0-9]+ expire_nodest_conn=[01] tcp=900 tcpfin=120 udp=300 $'
run_ok "--config tcp=1000 conn_max=1000 hook=local_in" "$VSDCTL" --config tcp=1000 conn_max=1000 hook=local_in
check_match "--config reads them back" "$("$VSDCTL" --config | tr '\n' ' ')" \
	'hook=local_in .*conn_max=1000 .*tcp=1000 '
check_match "--set and --timeout see --config's tcp" "$("$VSDCTL" -L --timeout)" \
	'^Timeout \(tcp tcpfin udp\): 1000 120 300$'
run_ok "--config back to defaults" "$VSDCTL" --config tcp=900 conn_max=1048576 hook=prerouting

# -S | -R: our own output, ipvsadm's, and ours into ipvsadm.
ipvsadm -S -n > "$tmp/ipvs.rules"
"$VSDCTL" -S -n > "$tmp/vsd.rules"
run_ok "vsdctl -C" "$VSDCTL" -C
check_eq "-C empties the table" "$("$VSDCTL" -S -n)" ""
run_ok "vsdctl -R < vsdctl -S -n" "$VSDCTL" -R < "$tmp/vsd.rules"
"$VSDCTL" -S -n > "$tmp/vsd.after"
check_diff "-S | -R round trip" "$tmp/vsd.rules" "$tmp/vsd.after"
run_ok "vsdctl -R < ipvsadm -S -n (with -C first)" \
	bash -c "{ echo -C; cat '$tmp/ipvs.rules'; } | '$VSDCTL' -R"
"$VSDCTL" -S -n > "$tmp/vsd.after"
check_diff "ipvsadm's rules restore to the same" "$tmp/ipvs.rules" "$tmp/vsd.after"
run_ok "vsdctl -R < vsdctl -S -n again (thresholds back)" \
	bash -c "{ echo -C; cat '$tmp/vsd.rules'; } | '$VSDCTL' -R"
"$VSDCTL" -S > "$tmp/vsd.names"
run_ok "vsdctl -R < vsdctl -S (names)" \
	bash -c "{ echo -C; cat '$tmp/vsd.names'; } | '$VSDCTL' -R"
"$VSDCTL" -S -n > "$tmp/vsd.after"
check_diff "-S (names) | -R round trip" "$tmp/vsd.rules" "$tmp/vsd.after"
ipvsadm -C
run_ok "ipvsadm -R < vsdctl -S -n" ipvsadm -R < "$tmp/vsd.rules"
ipvsadm -S -n > "$tmp/ipvs.after"
nothresh "$tmp/vsd.rules" > "$tmp/vsd.plain"
check_diff "vsdctl's rules restore into ipvsadm the same" "$tmp/vsd.plain" "$tmp/ipvs.after"
compare "ipvsadm read the thresholds of vsdctl's rules" banner -L -n --thresholds

# -R is atomic: an error on line N changes nothing and names line N.
"$VSDCTL" -S -n > "$tmp/before"
atomic() {
	local name=$1 line=$2 input=$3 out rc

	out=$(printf '%s\n' "$input" | "$VSDCTL" -R 2>&1)
	rc=$?
	"$VSDCTL" -S -n > "$tmp/after"
	check_match "-R $name: fails at line $line (exit $rc)" "$rc $out" \
		"^[1-9][0-9]* vsdctl: line $line: "
	check_diff "-R $name: nothing changed" "$tmp/before" "$tmp/after"
}
atomic "duplicate service" 4 '-C
-A -t 10.9.0.1:80
-a -t 10.9.0.1:80 -r 10.9.1.1
-A -t 10.9.0.1:80'
atomic "bad port after a flush" 3 '-C
# comment
-A -t 10.9.0.1:http8'
atomic "missing service" 2 '-A -t 10.9.0.1:80
-a -t 10.9.0.2:80 -r 10.9.1.1'
atomic "unknown scheduler" 1 '-A -t 10.9.0.1:80 -s nosuch'
atomic "not a restore command" 2 '-A -t 10.9.0.1:80
-L -n'
atomic "delete a missing destination" 3 '-D -t 10.0.0.1:80
-A -t 10.0.0.1:80
-d -t 10.0.0.1:80 -r 10.1.0.2:8080'

# ... and a good file replaces everything in one go.
run_ok "-R with -C, -D then -A" bash -c "printf '%s\n' '-C' '-A -t 10.9.0.1:80 -s rr' '-a -t 10.9.0.1:80 -r 10.9.1.1 -m' '-D -t 10.9.0.1:80' '-A -t 10.9.0.1:80 -s lc' '-a -t 10.9.0.1:80 -r 10.9.1.2' | '$VSDCTL' -R"
check_eq "-R result" "$("$VSDCTL" -S -n | tr '\n' '|')" \
	"-A -t 10.9.0.1:80 -s lc|-a -t 10.9.0.1:80 -r 10.9.1.2:80 -g -w 1|"
run_ok "-R from an empty input keeps the table" bash -c "'$VSDCTL' -R < /dev/null"
check_eq "-R empty input result" "$("$VSDCTL" -S -n | wc -l)" "2"

# A service whose destinations span several dump messages (the kernel
# continues them with VSD_SVC_A_DESTS_CONTINUED): listed whole, once.
"$VSDCTL" -C
awk 'BEGIN {
	print "-A -t 10.7.0.1:80 -s wrr"
	for (i = 0; i < 3000; i++)
		printf "-a -t 10.7.0.1:80 -r 10.8.%d.%d:8080 -m -w %d\n", i / 250, i % 250 + 1, i % 7
	print "-A -t 10.7.0.2:80"
	print "-a -t 10.7.0.2:80 -r 10.8.99.1"
}' > "$tmp/big.rules"
run_ok "-R of a service with 3000 destinations" bash -c "'$VSDCTL' -R < '$tmp/big.rules'"
check_eq "-L -n lists each of them once" \
	"$("$VSDCTL" -L -n | grep -c '^  -> 10\.8\.')" 3001
check_eq "-L -n -t lists them" \
	"$("$VSDCTL" -L -n -t 10.7.0.1:80 | grep -c '^  -> 10\.8\.')" 3000
"$VSDCTL" -S -n > "$tmp/big.saved"
check_eq "-S -n sorted as ipvsadm: first and last" \
	"$(sed -n '2p;$p' "$tmp/big.saved" | tr '\n' '|')" \
	"-a -t 10.7.0.1:80 -r 10.8.0.1:8080 -m -w 0|-a -t 10.7.0.2:80 -r 10.8.99.1:80 -g -w 1|"
run_ok "-C, then -R of its -S -n" bash -c "{ echo -C; cat '$tmp/big.saved'; } | '$VSDCTL' -R"
"$VSDCTL" -S -n > "$tmp/big.after"
check_diff "3000 destinations: -S | -R round trip" "$tmp/big.saved" "$tmp/big.after"

# -c: real entries, one UDP flow through a NAT service with persistence.
#
#   ns cli 10.0.1.2 --veth-- 10.0.1.1 [vsd] 10.0.2.1 --veth-- 10.0.2.2 ns rs
#   cli sends to VIP 10.0.0.100:5000, routed to the director
"$VSDCTL" -C
ns_create cli rs
ip link add vc type veth peer name vc-peer netns cli &&
ip link add vr type veth peer name vr-peer netns rs &&
ip addr add 10.0.1.1/24 dev vc && ip link set vc up &&
ip addr add 10.0.2.1/24 dev vr && ip link set vr up &&
ip -n cli addr add 10.0.1.2/24 dev vc-peer && ip -n cli link set vc-peer up &&
ip -n cli route add 10.0.0.100 via 10.0.1.1 &&
ip -n rs addr add 10.0.2.2/24 dev vr-peer && ip -n rs link set vr-peer up &&
ip -n rs route add default via 10.0.2.1
log_test $? "topology for -c"
at_exit "ip link del vc 2>/dev/null; ip link del vr 2>/dev/null"
sysctl -qw net.ipv4.ip_forward=1
run_ok "UDP NAT service with persistence" "$VSDCTL" -A -u 10.0.0.100:5000 -s rr -p 120
run_ok "its real server" "$VSDCTL" -a -u 10.0.0.100:5000 -r 10.0.2.2:5000 -m
send() { ip netns exec cli bash -c 'echo hi > /dev/udp/10.0.0.100/5000'; }
has_conn() { send; "$VSDCTL" -L -c -n | grep -q '^UDP '; }
if poll 5 has_conn; then
	out=$("$VSDCTL" -L -c -n)
	check_eq "-c banner and title" "$(printf '%s\n' "$out" | head -n 2)" \
"vsd connection entries
pro expire state       source             virtual            destination"
	check_match "-c: the UDP flow, as ipvsadm prints it" "$out" \
		'^UDP 0[45]:[0-5][0-9]  UDP         10\.0\.1\.2:[0-9]+ *10\.0\.0\.100:5000  *10\.0\.2\.2:5000$'
	check_match "-c: its persistence template (IP, NONE)" "$out" \
		'^IP  0[12]:[0-5][0-9]  NONE        10\.0\.1\.2:[0-9]+ *10\.0\.0\.100:[0-9]+ *10\.0\.2\.2:[0-9]+$'
	check_match "-c --persistent-conn title" "$("$VSDCTL" -L -c -n --persistent-conn | sed -n 2p)" \
		'^pro expire state       source             virtual            destination        pe name          pe_data$'
	if command -v jq >/dev/null; then
		check_eq "-c -j: the UDP flow" \
			"$("$VSDCTL" -L -c -j | jq -c '.connections[] | select(.template == false) | [.protocol, .state, .client_address, .virtual_address, .virtual_port, .dest_address, .dest_port, .forward]')" \
			'["udp","UDP","10.0.1.2","10.0.0.100",5000,"10.0.2.2",5000,"masq"]'
	fi
	check_match "--persistent-conn counts the template" \
		"$("$VSDCTL" -L -n --persistent-conn | tail -n 1)" \
		'^  -> 10\.0\.2\.2:5000 +1 +1 +'
	check_match "--info counts the entries" "$("$VSDCTL" --info | sed -n 3p)" \
		'^connections: [1-9][0-9]* \(limit [0-9]+\)$'
else
	"$VSDCTL" -L -c -n | sed 's/^/# /'
	log_test 1 "-c: a UDP flow through vsd shows up"
fi

"$VSDCTL" -C
ipvsadm -C
klog_check
ksft_exit
