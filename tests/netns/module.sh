#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module and its CLI talk to each other, in every network namespace,
# and only for the privileged; the module loads, unloads and reloads cleanly.
#
#   init namespace                 ns "other"            user+net namespace
#   +---------------------+        +----------------+    +-------------------+
#   | vsd.ko  <-genl->    |        | vsdctl -L -n   |    | unprivileged user |
#   |         vsdctl      |        | (own state)    |    | as its owner      |
#   +---------------------+        +----------------+    +-------------------+

. "$(dirname "$0")/lib.sh"

require_root
require insmod rmmod ip setpriv unshare
klog_mark

expected_version=$(sed -n 's/^#define VSD_VERSION "\(.*\)"$/\1/p' "$top/kernel/version.h")

run_ok "module loads" vsd_load
check_match "module is live" "$(cat /sys/module/vsd/initstate 2>&1)" '^live$'
check_eq "module version" "$(cat /sys/module/vsd/version 2>&1)" "$expected_version"

out=$("$VSDCTL" --version 2>&1)
check_eq "vsdctl --version names its own and the module's version" \
	"$out" "vsdctl v$expected_version (module vsd v$expected_version)"

# Buckets: 2^conn_tab_bits, or by default half of conn_max rounded up to a
# power of two, 2^8 to 2^20 (kernel/conn_hash.h).
tab_bits=$(cat /sys/module/vsd/parameters/conn_tab_bits)
if [ "$tab_bits" = 0 ]; then
	half=$(( ($(cat /sys/module/vsd/parameters/conn_max) + 1) / 2 ))
	tab_bits=8
	while [ "$tab_bits" -lt 20 ] && [ $((1 << tab_bits)) -lt "$half" ]; do
		tab_bits=$((tab_bits + 1))
	done
fi
tab_size=$((1 << tab_bits))
expected_header="vsd version $expected_version (size=$tab_size)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn"
check_eq "vsdctl -L -n prints the empty table" "$("$VSDCTL" -L -n 2>&1)" \
	"$expected_header"

ns_create other
check_eq "the family answers in a new network namespace" \
	"$(ip netns exec other "$VSDCTL" -L -n 2>&1)" "$expected_header"

# Unprivileged: no CAP_NET_ADMIN over the initial namespace.
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$VSDCTL" -L -n 2>&1)
rc=$?
check_match "an unprivileged user is refused (exit $rc)" \
	"$rc $out" '^1 vsdctl: permission denied'

# ... but the owner of a user namespace administers its own network namespace.
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
	unshare --user --map-root-user --net "$VSDCTL" -L -n 2>&1)
check_eq "a user-namespace owner administers its own network namespace" \
	"$out" "$expected_header"

run_ok "module unloads" vsd_unload
out=$("$VSDCTL" -L -n 2>&1)
rc=$?
check_match "without the module: one-line error and exit 1" \
	"$rc|$out|$(printf '%s\n' "$out" | wc -l)" \
	"^1\|vsdctl: the vsd kernel module is not loaded \(load it with 'modprobe vsd'.*\|1$"

run_ok "module loads again after unload" vsd_load
check_eq "and answers" "$("$VSDCTL" -L -n 2>&1)" "$expected_header"
ip netns del other
NS_LIST=""
run_ok "module unloads again" vsd_unload
check_match "no leftover state" "$(ls /sys/module/vsd 2>&1)" 'No such file'

klog_check
ksft_exit
