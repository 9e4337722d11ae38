#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: show vsd at work in the test VM.  Runs as root inside the VM
# (tests/vm/run); every step is printed before it runs.

top=$(cd "$(dirname "$0")/.." && pwd)
vsdctl=$top/ctl/vsdctl

step() {
	printf '\n$ %s\n' "$*"
	"$@"
}

echo "== vsd demo: the module and its CLI in a $(uname -r) VM"
step insmod "$top/kernel/vsd.ko" || exit 1
step grep vsd /proc/modules
step "$vsdctl" --version || exit 1
step "$vsdctl" -L -n || exit 1
step rmmod vsd || exit 1
step sh -c "dmesg | grep -E \"vsd\""
echo
echo "== demo done"
