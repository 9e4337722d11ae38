# SPDX-License-Identifier: GPL-2.0
#
# Helpers for vsd's network-namespace scenarios, in the style of the kernel's
# selftests: one "[ OK ]", "[FAIL]" or "[SKIP]" line per case, exit status 0
# (all passed), 1 (a case failed) or 4 (skipped).  Source it from a scenario:
#
#	. "$(dirname "$0")/lib.sh"
#
# Helpers echo the commands they run when VERBOSE=1 (or V=1).

# shellcheck disable=SC2034
KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VSDCTL=$top/ctl/vsdctl
VSD_KO=${VSD_KO:-$top/kernel/vsd.ko}	# make check-rt: the RT build's
VERBOSE=${VERBOSE:-${V:-0}}

nfail=0
npass=0
nskip=0
NS_LIST=""
CLEANUP_HOOKS=""

# log_test RC NAME...: report one case (RC 0 pass, 4 skip, else fail).
log_test() {
	local rc=$1

	shift
	case $rc in
	0) printf '[ OK ] %s\n' "$*"; npass=$((npass + 1)) ;;
	4) printf '[SKIP] %s\n' "$*"; nskip=$((nskip + 1)) ;;
	*) printf '[FAIL] %s\n' "$*"; nfail=$((nfail + 1)) ;;
	esac
	return 0
}

# info MSG: a comment line in the output.
info() { printf '# %s\n' "$*"; }

# run_cmd CMD...: run CMD, echoing it when VERBOSE; return its status.
run_cmd() {
	[ "$VERBOSE" = 0 ] || printf '# $ %s\n' "$*"
	"$@"
}

# run_ok NAME CMD...: one case that passes when CMD succeeds.
run_ok() {
	local name=$1 out rc

	shift
	out=$("$@" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || printf '# %s\n' "$out" | head -n 20
	log_test $rc "$name"
}

# run_fail NAME CMD...: one case that passes when CMD fails.
run_fail() {
	local name=$1

	shift
	if "$@" >/dev/null 2>&1; then
		log_test 1 "$name (unexpectedly succeeded: $*)"
	else
		log_test 0 "$name"
	fi
}

# check_eq NAME ACTUAL EXPECTED: one case comparing two strings.
check_eq() {
	if [ "$2" = "$3" ]; then
		log_test 0 "$1"
	else
		printf '# expected: %s\n# actual:   %s\n' "$3" "$2"
		log_test 1 "$1"
	fi
}

# check_match NAME TEXT REGEX: one case matching TEXT against an ERE.
check_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		log_test 0 "$1"
	else
		printf '# %s\n' "$2" | head -n 20
		printf '# does not match: %s\n' "$3"
		log_test 1 "$1"
	fi
}

# check_diff NAME EXPECTED_FILE ACTUAL_FILE: one case comparing files.
check_diff() {
	local d

	if d=$(diff -u "$2" "$3"); then
		log_test 0 "$1"
	else
		printf '%s\n' "$d" | head -n 40 | sed 's/^/# /'
		log_test 1 "$1"
	fi
}

# poll SECONDS CMD...: retry CMD every 50 ms until it succeeds or time runs
# out; never sleep-and-hope.
poll() {
	local deadline

	deadline=$(($(date +%s%N) + $1 * 1000000000))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
	return 0
}

# require CMD...: skip the whole scenario when a tool is missing.
require() {
	local c

	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1; then
			log_test 4 "$(basename "$0"): needs $c"
			exit $KSFT_SKIP
		fi
	done
}

# require_root: the scenarios change the kernel; they run as root in the VM.
require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		log_test 4 "$(basename "$0"): needs root (run it through tests/vm/run)"
		exit $KSFT_SKIP
	fi
}

# at_exit CMD: run CMD (a string) on exit, latest first.
at_exit() { CLEANUP_HOOKS="$1;$CLEANUP_HOOKS"; }

# ns_create NAME...: new network namespaces with lo up, deleted on exit.
ns_create() {
	local ns

	for ns in "$@"; do
		ip netns add "$ns" || return 1
		NS_LIST="$NS_LIST $ns"
		ip -n "$ns" link set lo up || return 1
	done
}

ns_cleanup() {
	local ns

	for ns in $NS_LIST; do
		ip netns del "$ns" 2>/dev/null
	done
	NS_LIST=""
}

# vsd_loaded: true when the module is loaded.
vsd_loaded() { grep -q '^vsd ' /proc/modules; }

# vsd_load [PARAMS]: load the freshly built module (reload if loaded),
# after the modules it depends on (insmod does not resolve them).
vsd_load() {
	local dep

	if vsd_loaded; then
		rmmod vsd || return 1
	fi
	for dep in $(modinfo -F depends "$VSD_KO" | tr , ' '); do
		modprobe "$dep" || return 1
	done
	run_cmd insmod "$VSD_KO" "$@"
}

# vsd_unload: unload the module if loaded.
vsd_unload() {
	if vsd_loaded; then
		run_cmd rmmod vsd
	fi
}

# Kernel-log check: klog_mark at the start, klog_check at the end reports a
# case that fails on any warning, bug, oops or leak reported since.
KLOG_MARK=""
klog_mark() {
	KLOG_MARK="vsd-test-mark-$$-$RANDOM"
	echo "$KLOG_MARK" > /dev/kmsg
}

KLOG_BAD='WARNING:|BUG:|Oops|general protection|Call Trace|refcount_t|UBSAN|KASAN|suspected memory leak|memory leak detector disabled|kmemleak: Cannot|kmemleak: Memory pool empty|RCU stall|rcu_sched self-detected|possible circular locking|suspicious RCU|sleeping function called|still has objects|vsd: leak'

klog_since_mark() {
	dmesg | sed -n "/$KLOG_MARK/,\$p"
}

klog_check() {
	local bad

	bad=$(klog_since_mark | grep -E "$KLOG_BAD")
	if [ -n "$bad" ]; then
		klog_since_mark | grep -E -A15 "$KLOG_BAD" | head -n 60 | sed 's/^/# /'
		log_test 1 "kernel log clean"
	else
		log_test 0 "kernel log clean"
	fi
}

# ksft_exit: clean up and exit with the verdict of the cases reported.
ksft_exit() {
	eval "$CLEANUP_HOOKS"
	CLEANUP_HOOKS=""
	ns_cleanup
	if [ $nfail -gt 0 ]; then
		exit $KSFT_FAIL
	elif [ $npass -eq 0 ] && [ $nskip -gt 0 ]; then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}

trap 'eval "$CLEANUP_HOOKS"; ns_cleanup' EXIT
