#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Taking a real server out of service, DR: quiesced (weight 0), its open
# connections go on while new ones go elsewhere; deleted, its connections
# end on their next packet (expire_nodest_conn=1, the default) or keep
# draining to it until they expire (expire_nodest_conn=0).
#
#  client               router                    director     rs1, rs2
#  10.0.1.2  ------ 10.0.1.1 | br0 10.0.2.1 ---+-- 10.0.2.2    10.0.2.11, .12
#  "hold": one TCP      VIP 10.0.0.100 routed   +-- rs1          VIP on dummy0
#  connection, a        to the director         +-- rs2          (arp_ignore)
#  request per line
#
# Service: tcp 10.0.0.100:5000 rr (echo: "SERVER PEER PORT").

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datapath.bash"

require_root
require busybox jq modprobe mkfifo "$DP_PY"
klog_mark
dp_setup

SVC=tcp:$VIP4:5000
run_ok "service rr" vsd -A -t $VIP4:5000 -s rr
run_ok "real server rs1" vsd -a -t $VIP4:5000 -r $RS1:5000 -g
run_ok "real server rs2" vsd -a -t $VIP4:5000 -r $RS2:5000 -g

HOLD_N=0
# hold_open: a long-lived client connection (not in a subshell: it sets
# the fd and variables hold_ask uses); hold_ask sends it a request and
# prints the answer (or what went wrong), waiting for it.
hold_open() {
	HOLD_N=$((HOLD_N + 1))
	HOLD_OUT=$DP_TMP/hold$HOLD_N.out
	HOLD_FIFO=$DP_TMP/hold$HOLD_N.fifo
	mkfifo "$HOLD_FIFO" || return 1
	: > "$HOLD_OUT"
	ip netns exec client "$DP_PY" "$DP_ECHO" hold $VIP4 5000 \
		< "$HOLD_FIFO" > "$HOLD_OUT" 2>&1 &
	at_exit "kill $! 2>/dev/null"
	exec 7> "$HOLD_FIFO"
	log_test 0 "open a long-lived connection"
}

hold_lines() { [ "$(wc -l < "$HOLD_OUT")" -ge "$1" ]; }

hold_ask() {
	local n

	n=$(($(wc -l < "$HOLD_OUT") + 1))
	echo "request $n" >&7
	poll 15 hold_lines $n && sed -n "${n}p" "$HOLD_OUT"
}


hold_open
first=$(hold_ask | names)
check_match "it is answered" "$first" '^rs[12]$'
S=$first
O=$(rs_other "$S")
SA=$(rs_addr "$S")
check_eq "$S: 1 active connection" "$(dest_stat $SVC $SA .active_conns)" 1

# Quiesce the server of the held connection.
run_ok "quiesce $S (weight 0)" vsd -e -t $VIP4:5000 -r $SA:5000 -g -w 0
check_eq "the open connection goes on to $S" "$(hold_ask | names)" $S
check_eq "new connections go to $O only" \
	"$(echo_seq client $VIP4 5000 4 | names | sort -u)" $O
check_eq "$S keeps its active connection" \
	"$(dest_stat $SVC $SA .active_conns)" 1

# Delete it, expire_nodest_conn=1 (the default): the connection ends on its
# next packet, which then has no connection (not a SYN): dropped, counted.
drops=$(counter drop_no_conn)
run_ok "delete $S" vsd -d -t $VIP4:5000 -r $SA:5000
check_match "the open connection ends (no answer)" "$(hold_ask)" '^error'
run_ok "its packets are counted as without connection" \
	counter_above drop_no_conn "$drops"
check_eq "no connection to $S left in the table" \
	"$(conns | jq --arg d $SA '[.connections[] | select(.dest_address == $d)] | length')" 0
check_eq "new connections go to $O" \
	"$(echo_seq client $VIP4 5000 2 | names | sort -u)" $O
exec 7>&-

# expire_nodest_conn=0: a deleted server's connections drain.
run_ok "expire_nodest_conn=0" vsd --config expire_nodest_conn=0
run_ok "add $S back" vsd -a -t $VIP4:5000 -r $SA:5000 -g
hold_open
D=$(hold_ask | names)
DA=$(rs_addr "$D")
check_match "it is answered" "$D" '^rs[12]$'
run_ok "delete $D, the server of that connection" \
	vsd -d -t $VIP4:5000 -r $DA:5000
check_eq "the open connection drains to $D" "$(hold_ask | names)" $D
check_eq "and again" "$(hold_ask | names)" $D
check_eq "the table still sends it to $D" \
	"$(conns | jq -r --arg d $DA '[.connections[] | select(.dest_address == $d and .state == "ESTABLISHED")] | length')" 1
check_eq "new connections go to $(rs_other "$D")" \
	"$(echo_seq client $VIP4 5000 2 | names | sort -u)" "$(rs_other "$D")"
exec 7>&-

check_eq "no drop but the one counted" \
	"$(vsd --info -j | jq -c '.info.counters | [.drop_no_dest, .drop_conn_full, .drop_nomem, .drop_malformed, .drop_xmit, .evicted]')" \
	"[0,0,0,0,0,0]"

klog_check
ksft_exit
