#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration churn while traffic flows: services and destinations added
# and deleted, weights and schedulers changed, whole configurations
# restored atomically (vsdctl -R), for a fixed number of steps in a seeded
# random order, while pktgen sends new UDP flows to every service.  After
# each change is acknowledged, the counters of what the director sent to
# each real server are read twice: no packet may be sent to a real server
# through a service it is not (or no longer) a destination of; packets must
# keep flowing; every command must answer within a bound.
#
#   gen (pktgen)          director               rs: r1, r2, r3 (no address)
#   10.0.1.2 -- g0 ==== d0 10.0.1.1   d1 ==== r1
#   UDP to 10.0.0.100:    (PRE_ROUTING,  d2 ==== r2
#   1000-1003, from       no VIP)        d3 ==== r3
#   10.1.0.0/16, random   rs1..3 = 10.0.2.11..13, one link each; nft netdev
#   ports: each datagram  egress on d1..d3 counts per port, then drops
#   a new flow
#
# DR keeps VIP:port as the destination, so the port a real server is sent
# tells which service sent the packet.  The count is taken as the director
# transmits, not as the server receives: a packet forwarded before a change
# may wait seconds in a veth backlog when the VM is slow (a debug kernel),
# and arrive after it.
# VSD_CHURN_STEPS: the number of changes (default 60).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"
. "$(dirname "$0")/pktgen.bash"

require_root
require modprobe nft jq
klog_mark
if ! modprobe -a pktgen veth nf_tables 2>/dev/null; then
	log_test 4 "churn.sh: needs pktgen and nftables"
	ksft_exit
fi

VIP=10.0.0.100
PORTS="1000 1001 1002 1003"
RSS="1 2 3"
SCHEDS="rr wrr lc wlc sh mh"
STEPS=${VSD_CHURN_STEPS:-60}
BOUND_MS=3000		# the slowest command allowed (TCG, busy VM)
RANDOM=${VSD_CHURN_SEED:-42}
TMP=$(mktemp -d /tmp/vsd-churn.XXXXXX)
at_exit "rm -rf $TMP"

rs_addr() { echo "10.0.2.1$1"; }

setup vsd_load
setup sysctl -qw net.core.netdev_max_backlog=10000
setup ns_create gen director rs
setup ip link add g0 netns gen type veth peer name d0 netns director
setup ip -n gen addr add 10.0.1.2/24 dev g0
setup ip -n director addr add 10.0.1.1/24 dev d0
setup ip -n gen link set g0 up
setup ip -n director link set d0 up
nft_rules="table netdev sink {"
for r in $RSS; do
	setup ip link add "d$r" netns director type veth peer name "r$r" netns rs
	setup ip -n director link set "d$r" up
	setup ip -n rs link set "r$r" up
	setup ip -n director route add "$(rs_addr "$r")/32" dev "d$r"
	setup ip -n director neigh replace "$(rs_addr "$r")" \
		lladdr "$(mac_of rs "r$r")" dev "d$r" nud permanent
	nft_rules="$nft_rules chain r$r { type filter hook egress device d$r priority 0;"
	for p in $PORTS; do
		nft_rules="$nft_rules udp dport $p counter drop;"
	done
	nft_rules="$nft_rules counter drop; };"
done
setup on director nft "$nft_rules }"
setup pg_setup gen g0 "$(mac_of director d0)" $VIP 1000-1003 10.1.0.0 10.1.255.255
setup pg_rate gen g0 10000

# counters FILE: "rR:PORT PACKETS" for every real server and service port.
counters() {
	on director nft list table netdev sink | awk '
		/chain r[0-9]/ { dev = $2 }
		/udp dport/ { print dev ":" $3, $6 }' > "$1"
}

# The model: which services (svc[PORT]) and destinations (dst[PORT,R], their
# weight) the director has.  Every command is valid in it, so every one must succeed.
declare -A svc dst gone
STEP=0
slow=0
failed=0
maxms=0

# cmd ARGS...: one vsdctl command, timed; LAST_OP says what it was.
cmd() {
	local t0 ms

	LAST_OP="$*"
	t0=$(date +%s%N)
	if ! vsd "$@" > "$TMP/cmd.log" 2>&1; then
		failed=$((failed + 1))
		info "vsdctl $* failed: $(head -n 1 "$TMP/cmd.log")"
	fi
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ $ms -le $maxms ] || maxms=$ms
	[ $ms -le $BOUND_MS ] || slow=$((slow + 1))
}

pick() { local a=("$@"); echo "${a[RANDOM % $#]}"; }

# restore: a random whole configuration in one vsdctl -R.
restore() {
	local p r w f=$TMP/rules

	echo "-C" > "$f"
	for p in "${!dst[@]}"; do gone[$p]="$STEP: -R"; done
	svc=() dst=()
	for p in $PORTS; do
		[ $((RANDOM % 4)) -ne 0 ] || continue
		echo "-A -u $VIP:$p -s $(pick $SCHEDS)" >> "$f"
		svc[$p]=1
		for r in $RSS; do
			[ $((RANDOM % 3)) -ne 0 ] || continue
			w=$((RANDOM % 5 + 1))
			echo "-a -u $VIP:$p -r $(rs_addr "$r") -g -w $w" >> "$f"
			dst[$p,$r]=$w
		done
	done
	cmd -R < "$f"
}

# One random change, valid in the model.
change() {
	local p r op w

	p=$(pick $PORTS)
	r=$(pick $RSS)
	op=$((RANDOM % 20))
	if [ $op -eq 0 ]; then
		restore
	elif [ -z "${svc[$p]:-}" ]; then
		cmd -A -u $VIP:"$p" -s "$(pick $SCHEDS)"
		svc[$p]=1
	elif [ $op -le 2 ]; then
		cmd -D -u $VIP:"$p"
		unset "svc[$p]"
		for r in $RSS; do
			[ -z "${dst[$p,$r]:-}" ] || gone[$p,$r]="$STEP: $LAST_OP"
			unset "dst[$p,$r]"
		done
	elif [ $op -le 4 ]; then
		cmd -E -u $VIP:"$p" -s "$(pick $SCHEDS)"
	elif [ -z "${dst[$p,$r]:-}" ]; then
		w=$((RANDOM % 5 + 1))
		cmd -a -u $VIP:"$p" -r "$(rs_addr "$r")" -g -w $w
		dst[$p,$r]=$w
	elif [ $op -le 12 ]; then
		cmd -d -u $VIP:"$p" -r "$(rs_addr "$r")"
		gone[$p,$r]="$STEP: $LAST_OP"
		unset "dst[$p,$r]"
	else
		w=$((RANDOM % 6))
		cmd -e -u $VIP:"$p" -r "$(rs_addr "$r")" -g -w $w
		dst[$p,$r]=$w
	fi
}

# A start: every service with every destination.
for p in $PORTS; do
	cmd -A -u $VIP:"$p" -s rr
	svc[$p]=1
	for r in $RSS; do
		cmd -a -u $VIP:"$p" -r "$(rs_addr "$r")" -g -w 1
		dst[$p,$r]=1
	done
done
# UDP flows expire in 2 s, so the table never fills (this is no flood).
cmd --set 0 0 2
pg_start gen
counters "$TMP/c0"
all_flowing() {
	[ "$(on director nft list table netdev sink | grep -c 'dport.*packets [1-9]')" -eq 12 ]
}
if ! poll 20 all_flowing; then
	on director nft list table netdev sink | grep dport | sed 's/^/# /'
	info "director: $(vsd --info -j | jq -c .info.counters)"
	log_test 1 "traffic reaches every server through every service"
	ksft_exit
fi

wrong=0
stalls=0
windows=0
t0=$(date +%s)
for i in $(seq "$STEPS"); do
	STEP=$i
	change
	counters "$TMP/a"
	counters "$TMP/b"
	# Where the model has no destination: nothing may arrive between a and b.
	out=$(join "$TMP/a" "$TMP/b" | while read -r k a b; do
		p=${k#r*:} r=${k%%:*} r=${r#r}
		[ -n "${dst[$p,$r]:-}" ] || [ "$a" = "$b" ] ||
			echo "setup $i ($LAST_OP): rs$r got $((b - a)) packets for :$p, deleted at setup ${gone[$p,$r]:-?}"
	done)
	if [ -n "$out" ]; then
		wrong=$((wrong + 1))
		info "$out"
	fi
	# Where it has some with a weight (-e may set 0): packets flow.
	if printf '%s\n' "${dst[@]}" | grep -q '[1-9]'; then
		windows=$((windows + 1))
		sum_a=$(awk '{ s += $2 } END { print s }' "$TMP/a")
		sum_b=$(awk '{ s += $2 } END { print s }' "$TMP/b")
		[ "$sum_b" -gt "$sum_a" ] || stalls=$((stalls + 1))
	fi
done
secs=$(($(date +%s) - t0))
pg_stop gen
counters "$TMP/end"
info "$STEPS changes in $secs s; slowest command $maxms ms; $(pg_sent gen g0) datagrams sent, $(awk '{ s += $2 } END { print s }' "$TMP/end") sent on to the real servers"
info "director: $(vsd --info -j | jq -c .info.counters)"

check_eq "every command succeeded" "$failed" 0
check_eq "every command answered within $BOUND_MS ms (slowest $maxms ms)" "$slow" 0
check_eq "no packet through a service to a server that is not its destination" "$wrong" 0
check_eq "traffic forwarded after every change ($windows windows)" "$stalls" 0
run_ok "the director still answers" vsd -L -n
run_ok "cleared" vsd -C

klog_check
ksft_exit
