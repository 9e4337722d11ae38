#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: vsd at work, in the test VM (tests/vm/run runs this as root).
# The topology of the data-path scenarios (tests/netns/datapath.bash): a
# client behind a router, a director without any VIP (the router routes
# the VIP to it), two web servers with the VIP on a dummy device.  Every
# command is printed before it runs.

. "$(dirname "$0")/netns/lib.sh"
. "$(dirname "$0")/netns/datapath.bash"

step() {
	printf '\n\033[1m$ %s\033[0m\n' "$*"
	"$@"
}

echo "== vsd demo, $(uname -r) in a VM"
echo "   client 10.0.1.2 -> router -> director 10.0.2.2 (no VIP) -> rs1 .11, rs2 .12"
dp_setup
echo "   topology up: $(ip netns list | wc -l) namespaces"

step "$VSDCTL" --version
step vsd -A -t $VIP4:80 -s rr
step vsd -a -t $VIP4:80 -r $RS1:80 -g
step vsd -a -t $VIP4:80 -r $RS2:80 -g
step vsd -L -n

echo
echo "== six requests from the client to http://$VIP4/ (the page names its server)"
for i in 1 2 3 4 5 6; do
	printf '  request %d: answered by %s\n' $i "$(http client "http://$VIP4/")"
done

echo
echo "== a TCP echo service: each server answers with its name and the peer it saw"
step vsd -A -t $VIP4:5000 -s wrr
step vsd -a -t $VIP4:5000 -r $RS1 -g -w 3
step vsd -a -t $VIP4:5000 -r $RS2 -g -w 1
step on client "$DP_PY" "$DP_ECHO" seq $VIP4 5000 8
echo "   (weights 3:1; the peer is the client's own address: direct routing keeps it)"

step vsd -L -n --stats --exact
step vsd -L -n -c
step vsd --info

echo
echo "== the replies bypass the director: its interface sent only what it forwarded"
printf '  director eth0: rx %s packets, tx %s packets; client received %s\n' \
	"$(if_stat director eth0 rx_packets)" "$(if_stat director eth0 tx_packets)" \
	"$(if_stat client eth0 rx_packets)"

step vsd -C
ns_cleanup
step rmmod vsd
echo
echo "== demo done"
