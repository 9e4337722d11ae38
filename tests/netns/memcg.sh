#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a configuration costs is charged to the memory cgroup of whoever
# made it: the owner of a user namespace configuring vsd in its own network
# namespace cannot take the host's memory beyond its cgroup's limit (what
# happens at the limit is the memory controller's policy: reclaim, then
# its OOM killer, the allocation failing with ENOMEM and the change not
# applied).  The services, real servers, scheduler state, per-CPU counters
# and the connection table count in the cgroup.
#
#   cgroup vsd-memcg
#   +----------------------------------------------+
#   | uid 65534 -> unshare --user --net: vsdctl -R |
#   +----------------------------------------------+

. "$(dirname "$0")/lib.sh"

require_root
require setpriv unshare
klog_mark

CG=/sys/fs/cgroup
if ! grep -q " $CG cgroup2 " /proc/mounts; then
	mount -t cgroup2 none $CG || { log_test 4 "memcg: no cgroup2"; ksft_exit; }
	at_exit "umount $CG"
fi
if ! grep -qw memory $CG/cgroup.controllers; then
	log_test 4 "memcg: no memory controller"
	ksft_exit
fi
run_ok "module loads" vsd_load
echo +memory > $CG/cgroup.subtree_control
mkdir -p $CG/vsd-memcg
at_exit "rmdir $CG/vsd-memcg"
TMP=$(mktemp -d /tmp/vsd-memcg.XXXXXX)
at_exit "rm -rf $TMP"

# rules N: N services of 4 real servers each, wrr.
rules() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			vip = sprintf("10.%d.%d.1:80", int(i / 256), i % 256)
			print "-A -t " vip " -s wrr"
			for (j = 1; j <= 4; j++)
				printf "-a -t %s -r 192.0.2.%d:80 -g -w %d\n", vip, j, j
		}
	}'
}

# as_user SCRIPT: bash runs SCRIPT (a file) in the cgroup, as uid 65534
# owning a new user and network namespace (no privilege over the host's);
# the namespace lives as long as SCRIPT.
as_user() {
	sh -c "echo \$\$ > $CG/vsd-memcg/cgroup.procs &&
	       exec setpriv --reuid=65534 --regid=65534 --clear-groups \
	       unshare --user --map-root-user --net bash $1" 2>&1
}

rules 1000 > "$TMP/rules"
rules 2000 > "$TMP/big"
# The cgroup's kernel memory (slab, per-CPU, vmalloc'ed), in bytes, before
# and after, the connection table (its buckets) already there.
cat > "$TMP/script" <<EOF
kmem() {
	awk '\$1 == "slab" || \$1 == "percpu" || \$1 == "vmalloc" { n += \$2 }
	     END { print n + 0 }' $CG/vsd-memcg/memory.stat
}
$VSDCTL -A -t 10.255.0.1:80 -s rr	# the connection table, first
echo before \$(kmem)
$VSDCTL -R < $TMP/rules && echo restored \$($VSDCTL -S -n | wc -l)
echo after \$(kmem)
$VSDCTL -C && $VSDCTL -R < $TMP/big
EOF
chmod 755 "$TMP"
chmod 644 "$TMP/rules" "$TMP/big" "$TMP/script"
out=$(as_user "$TMP/script")
printf '%s\n' "$out" | sed 's/^/# /'
check_match "a user-namespace owner restores 1000 services x 4 servers" \
	"$out" "restored 5001"
before=$(printf '%s\n' "$out" | awk '$1 == "before" { print $2 }')
after=$(printf '%s\n' "$out" | awk '$1 == "after" { print $2 }')
grew=$(( (after - before) / 1024 ))
info "the cgroup's kernel memory grew by $grew KiB"
# Each service and real server is at least a few hundred bytes with its
# per-CPU counters: 5,000 objects are well over 1 MiB.
check_eq "charged to its memory cgroup (>= 1 MiB for 5,000 objects)" \
	"$([ "$grew" -ge 1024 ] && echo yes || echo "no: $grew KiB")" yes
# Twice as much is one netlink message larger than the socket's send
# buffer may be without CAP_NET_ADMIN in the initial namespace.
check_match "a restore larger than the send buffer: told so" "$out" \
	"vsdctl: the configuration is larger than this socket may send at once"

check_eq "the host's namespace is untouched" "$("$VSDCTL" -S -n | wc -l)" 0

run_ok "module unloads" vsd_unload
klog_check
ksft_exit
