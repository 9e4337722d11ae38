# SPDX-License-Identifier: GPL-2.0
#
# pktgen from a namespace, for the stress scenarios (flood-syn.sh,
# teardown.sh, churn.sh): UDP datagrams to one address and port, from
# random source addresses in a range and random source ports, so that
# every datagram is a new flow.  Source it after lib.sh; needs "modprobe
# pktgen".  One device per namespace, on the namespace's kpktgend_0.

PG=/proc/net/pktgen
PG_PID=""

# pg NS FILE LINE: one pktgen command.
pg() { ip netns exec "$1" sh -c "echo '$3' > $PG/$2"; }

# pg_setup NS DEV DST_MAC DST PORT SRC_MIN SRC_MAX [COUNT]: DEV of NS sends
# COUNT datagrams (default 0: until pg_stop) of 60 bytes to DST:PORT by
# DST_MAC, as fast as it can.  PORT may be a range MIN-MAX (random ports).
pg_setup() {
	local ns=$1 dev=$2 c dmin=${5%-*} dmax=${5#*-}

	pg "$ns" kpktgend_0 rem_device_all || return 1
	pg "$ns" kpktgend_0 "add_device $dev" || return 1
	for c in "count ${8:-0}" "clone_skb 0" "pkt_size 60" "delay 0" \
		"dst $4" "dst_mac $3" "src_min $6" "src_max $7" \
		"flag IPSRC_RND" "udp_src_min 1024" "udp_src_max 65535" \
		"flag UDPSRC_RND" "udp_dst_min $dmin" "udp_dst_max $dmax"; do
		pg "$ns" "$dev" "$c" || return 1
	done
	# Random ports and addresses are drawn from [min, max): max + 1.
	[ "$dmin" = "$dmax" ] || pg "$ns" "$dev" "udp_dst_max $((dmax + 1))" &&
		pg "$ns" "$dev" "flag UDPDST_RND"
}

# pg_rate NS DEV PPS: at most PPS datagrams a second (0: as fast as it can).
pg_rate() { pg "$1" "$2" "ratep $3"; }

# pg_start NS: start sending in the background; pg_stop NS stops it.
pg_start() {
	ip netns exec "$1" sh -c "echo start > $PG/pgctrl" &
	PG_PID=$!
	at_exit "kill $PG_PID 2>/dev/null"
}

pg_stop() {
	pg "$1" pgctrl stop
	[ -z "$PG_PID" ] || wait "$PG_PID" 2>/dev/null
	PG_PID=""
}

# pg_run NS: send COUNT datagrams and return when they are sent.
pg_run() { pg "$1" pgctrl start; }

# pg_sent NS DEV: datagrams sent by the last run.
pg_sent() {
	ip netns exec "$1" sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p' "$PG/$2"
}

# slab_objects CACHE: objects of a slab cache in use (0 when it is gone);
# slab_size CACHE: the bytes each takes.
slab_objects() {
	local f=/sys/kernel/slab/$1/objects

	if [ -r "$f" ]; then awk '{ print $1 }' "$f"; else echo 0; fi
}

slab_size() { cat "/sys/kernel/slab/$1/slab_size" 2>/dev/null || echo 0; }

# mac_of NS DEV: the MAC address of DEV in NS.
mac_of() { ip -n "$1" -br link show dev "$2" | awk '{ print $3 }'; }
