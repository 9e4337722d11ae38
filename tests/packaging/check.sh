#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/packaging/check.sh ("make check-packaging"): the packages and the
# install targets work on a Debian system.  Run as root: it installs and
# removes packages on THIS machine (/usr/src, /var/lib/dkms,
# /lib/modules/*/updates/dkms, /usr/sbin, /etc/vsd), then leaves it as it
# found it, also when a case fails.  Not part of "make check".
#
#   1. make deb: both packages build, lintian finds no error or warning,
#      and a second build gives the same bytes;
#   2. make install / make uninstall into a DESTDIR;
#   3. dpkg -i of both packages: DKMS builds the module for the kernel
#      with headers, and again from the kernel's postinst hook (what a
#      kernel upgrade runs); the files, man pages, unit and completion are
#      in place (systemd-analyze verify);
#   4. in the VM (tests/packaging/vm-checks.sh deb): modprobe finds DKMS's
#      module, vsd.service's commands, vsd-rules, --prometheus;
#   5. dpkg --purge: the files and the DKMS registration are gone;
#   6. make dkms-install, the VM again (vm-checks.sh dkms), make
#      dkms-uninstall: gone again.
#
# One [ OK ]/[FAIL]/[SKIP] line per case, "N passed, N failed, N skipped"
# and the time taken; exit 0, or 1 if a case failed.

set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
start=$(date +%s)
passed=0
failed=0
skipped=0

ok() { echo "[ OK ] $*"; passed=$((passed + 1)); }
fail() { echo "[FAIL] $*"; failed=$((failed + 1)); }
skip() { echo "[SKIP] $*"; skipped=$((skipped + 1)); }
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name"; fi
}
die() { echo "check-packaging: $*" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || die "run it as root: it installs packages"
"$top/scripts/install-deps" --check packaging 2>/dev/null ||
	"$top/scripts/install-deps" packaging || die "install-deps failed"

version=$(sed -n 's/.*VSD_VERSION "\(.*\)".*/\1/p' kernel/version.h)
krel=$("$top/scripts/kdir" --release) || die "no kernel headers"
arch=$(dpkg --print-architecture)
dkms_deb=build/vsd-dkms_${version}_all.deb
ctl_deb=build/vsdctl_${version}_${arch}.deb
log=$(mktemp -d /tmp/vsd-pkg.XXXXXX)

# Never clobber what an operator installed.
installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}
for p in vsd-dkms vsdctl; do
	installed "$p" && die "the $p package is installed here: remove it first"
done
[ -z "$(dkms status -m vsd 2>/dev/null)" ] ||
	die "vsd is registered with DKMS here (make dkms-uninstall first)"
[ ! -e /usr/src/vsd-$version ] || die "/usr/src/vsd-$version exists"
[ ! -e /etc/vsd/rules ] || die "/etc/vsd/rules exists: it is not ours to change"

# Whatever happens, leave the machine as it was.
cleanup() {
	for p in vsdctl vsd-dkms; do
		installed "$p" && dpkg --purge "$p" >/dev/null 2>&1
	done
	if [ -n "$(dkms status -m vsd 2>/dev/null)" ]; then
		dkms remove -m vsd -v "$version" --all >/dev/null 2>&1
	fi
	rm -rf "/usr/src/vsd-$version" /etc/vsd/rules
	rmdir /etc/vsd 2>/dev/null
	rm -rf "$log"
}
trap cleanup EXIT

# The node_exporter of Debian's package, unpacked (never installed: it
# would start a service): a real reader of the textfile format.
node_exporter() {
	local cache=${VSD_VM_CACHE:-$top/.vm-cache}/node-exporter deb

	if [ ! -x "$cache/usr/bin/prometheus-node-exporter" ]; then
		mkdir -p "$cache/dl" || return 1
		(cd "$cache/dl" && apt-get download -q prometheus-node-exporter \
			>/dev/null 2>&1) || return 1
		deb=$(ls "$cache"/dl/prometheus-node-exporter_*.deb | head -n 1)
		dpkg-deb -x "$deb" "$cache" || return 1
		rm -rf "$cache/dl"
	fi
	echo "$cache/usr/bin/prometheus-node-exporter"
}

# The files a package installed (not directories, nor links to them such
# as /lib on a merged /usr).
pkg_files() {
	dpkg-query -L "$1" | while read -r f; do
		[ -d "$f" ] && continue
		[ -f "$f" ] || [ -L "$f" ] && echo "$f"
	done
}

echo "== make deb"
t0=$(date +%s)
if make --no-print-directory deb > "$log/deb" 2>&1 &&
   [ -f "$dkms_deb" ] && [ -f "$ctl_deb" ]; then
	ok "make deb: $dkms_deb $ctl_deb ($(($(date +%s) - t0)) s)"
else
	fail "make deb"
	sed 's/^/#   /' "$log/deb"
	echo "# $passed passed, $failed failed, $skipped skipped"
	exit 1
fi
if lintian --fail-on error,warning "$dkms_deb" "$ctl_deb" > "$log/lintian" 2>&1; then
	ok "lintian: no error, no warning"
else
	fail "lintian"
	sed 's/^/#   /' "$log/lintian"
fi
sha256sum "$dkms_deb" "$ctl_deb" > "$log/sha1"
make --no-print-directory deb > "$log/deb2" 2>&1
if sha256sum "$dkms_deb" "$ctl_deb" | cmp -s - "$log/sha1"; then
	ok "a second build gives the same bytes"
else
	fail "a second build differs"
	sha256sum "$dkms_deb" "$ctl_deb" | diff "$log/sha1" - | sed 's/^/#   /'
fi
check "vsd-dkms holds dkms.conf and the module's sources" \
	test "$(dpkg-deb -c "$dkms_deb" | grep -cE "\./usr/src/vsd-$version/(dkms\.conf|Kbuild|kernel/Kbuild|kernel/main\.c|kernel/version\.h|include/uapi/linux/vsd\.h)$")" = 6
check "vsd-dkms holds no build output" \
	test -z "$(dpkg-deb -c "$dkms_deb" | grep -E '\.(o|ko|cmd|mod|mod\.c)$|Module\.symvers|modules\.order')"

echo "== make install / make uninstall (DESTDIR)"
dest=$log/destdir
if make --no-print-directory install DESTDIR="$dest" PREFIX=/usr \
	> "$log/install" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr"
else
	fail "make install DESTDIR=... PREFIX=/usr"
	sed 's/^/#   /' "$log/install"
fi
for f in usr/sbin/vsdctl usr/sbin/vsd-director usr/sbin/vsd-realserver \
	 usr/sbin/vsd-rules usr/lib/vsd/vsd-lib.sh \
	 usr/share/man/man8/vsdctl.8 usr/share/man/man8/vsd-director.8 \
	 usr/share/man/man8/vsd-realserver.8 usr/share/man/man8/vsd-rules.8 \
	 usr/share/bash-completion/completions/vsdctl \
	 usr/lib/systemd/system/vsd.service \
	 "lib/modules/$krel/extra/kernel/vsd.ko"; do
	[ -e "$dest/$f" ] || fail "make install: /$f missing"
done
check "make install: the unit runs /usr/sbin/vsd-rules" \
	grep -qx 'ExecStart=/usr/sbin/vsd-rules restore' \
	"$dest/usr/lib/systemd/system/vsd.service"
out=$("$dest/usr/sbin/vsd-realserver" --mode dr --vip 192.0.2.10 --dry-run 2>&1)
check "make install: vsd-realserver finds vsd-lib.sh in ../lib/vsd" \
	grep -q 'would run: ip addr add 192.0.2.10/32 dev vsd-vip' <<<"$out"
make --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr \
	> "$log/uninstall" 2>&1
left=$(find "$dest" -type f -o -type l)
check "make uninstall leaves no file${left:+ (left: $left)}" test -z "$left"

echo "== dpkg -i"
t0=$(date +%s)
if dpkg -i "$dkms_deb" "$ctl_deb" > "$log/dpkg" 2>&1; then
	ok "dpkg -i vsd-dkms vsdctl ($(($(date +%s) - t0)) s, DKMS build included)"
else
	fail "dpkg -i vsd-dkms vsdctl"
	sed 's/^/#   /' "$log/dpkg"
fi
check "dkms status: vsd $version installed for $krel" \
	grep -q "^vsd/$version, $krel, [^:]*: installed" \
	<<<"$(dkms status -m vsd)"
check "the module is in updates/dkms for $krel" \
	test -f "/lib/modules/$krel/updates/dkms/vsd.ko"
check "modinfo -k $krel finds it" \
	test "$(modinfo -k "$krel" -F filename vsd 2>/dev/null)" = \
	"/lib/modules/$krel/updates/dkms/vsd.ko"

# What apt does when a new kernel arrives: the kernel's postinst runs
# DKMS's hook, which builds what has AUTOINSTALL=yes.  Here for the same
# kernel, made new again: its module uninstalled and its build deleted.
hook=/etc/kernel/postinst.d/dkms
if [ -x "$hook" ]; then
	dkms uninstall -m vsd -v "$version" -k "$krel" > "$log/dkms-rm" 2>&1
	rm -rf "/var/lib/dkms/vsd/$version/$krel"
	# Other kernels (a PREEMPT_RT one beside, say) keep theirs.
	check "as for a new kernel: no module for $krel, vsd only added for it" \
		test ! -e "/lib/modules/$krel/updates/dkms/vsd.ko" -a \
		-z "$(dkms status -m vsd -v "$version" | grep -F ", $krel,")" -a \
		-n "$(dkms status -m vsd -v "$version")"
	t0=$(date +%s)
	"$hook" "$krel" > "$log/hook" 2>&1
	if grep -q "^vsd/$version, $krel, [^:]*: installed" <<<"$(dkms status -m vsd)" &&
	   [ -f "/lib/modules/$krel/updates/dkms/vsd.ko" ]; then
		ok "the kernel hook ($hook) rebuilt and installed it ($(($(date +%s) - t0)) s)"
	else
		fail "the kernel hook ($hook) did not rebuild it"
		sed 's/^/#   /' "$log/hook"
	fi
else
	skip "kernel upgrade: no $hook"
fi
pkg_files vsd-dkms > "$log/files-dkms"
pkg_files vsdctl > "$log/files-ctl"
for f in /usr/sbin/vsdctl /usr/sbin/vsd-director /usr/sbin/vsd-realserver \
	 /usr/sbin/vsd-rules /usr/lib/vsd/vsd-lib.sh \
	 /usr/share/bash-completion/completions/vsdctl \
	 /lib/systemd/system/vsd.service; do
	grep -qx "$f" "$log/files-ctl" || fail "vsdctl package: $f missing"
done
check "/etc/vsd exists" test -d /etc/vsd
for page in vsdctl vsd-director vsd-realserver vsd-rules; do
	f=$(man -w "$page" 2>/dev/null)
	msgs=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings "$page" 2>&1 >/dev/null)
	check "man $page: $f, no warning${msgs:+ ($msgs)}" \
		test "$f" = "/usr/share/man/man8/$page.8.gz" -a -z "$msgs"
done
if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify /lib/systemd/system/vsd.service 2>&1)
	check "systemd-analyze verify vsd.service${out:+ ($out)}" \
		test $? -eq 0 -a -z "$out"
else
	skip "systemd-analyze verify vsd.service (no systemd-analyze)"
fi
out=$(bash -c '. /usr/share/bash-completion/bash_completion
	__load_completion vsdctl && complete -p vsdctl' 2>&1)
check "bash-completion loads the completion on demand ($out)" \
	test "$out" = "complete -F _vsdctl vsdctl"

echo "== in the VM: the packages at work"
cat > /etc/vsd/rules <<'EOF'
# written by tests/packaging/check.sh
-A -t 10.0.0.1:80 -s wlc
-a -t 10.0.0.1:80 -r 10.0.1.1 -g
-a -t 10.0.0.1:80 -r 10.0.1.2 -g -w 3
-A -u 10.0.0.1:53 -s rr
-a -u 10.0.0.1:53 -r 10.0.2.1:5353 -m
-A -f 7 -s wlc -p 300
-a -f 7 -r 10.0.3.1 -i -w 2
EOF
ne=$(node_exporter) || ne=
t0=$(date +%s)
VSD_PKG_VERSION=$version VSD_NODE_EXPORTER=$ne \
	"$top/tests/vm/run" "$top/tests/packaging/vm-checks.sh" deb \
	> "$log/vm" 2>&1
rc=$?
cat "$log/vm"
passed=$((passed + $(grep -c '^\[ OK \]' "$log/vm")))
failed=$((failed + $(grep -c '^\[FAIL\]' "$log/vm")))
skipped=$((skipped + $(grep -c '^\[SKIP\]' "$log/vm")))
check "the VM run ($(($(date +%s) - t0)) s) exits 0" test $rc -eq 0

echo "== dpkg --purge"
if dpkg --purge vsdctl vsd-dkms > "$log/purge" 2>&1; then
	ok "dpkg --purge vsdctl vsd-dkms"
else
	fail "dpkg --purge vsdctl vsd-dkms"
	sed 's/^/#   /' "$log/purge"
fi
check "no DKMS registration left" test -z "$(dkms status -m vsd)"
check "no /var/lib/dkms/vsd left" test ! -e /var/lib/dkms/vsd
check "no /usr/src/vsd-$version left" test ! -e "/usr/src/vsd-$version"
left=$(ls /lib/modules/*/updates/dkms/vsd.ko 2>/dev/null)
check "no module left in /lib/modules${left:+ ($left)}" test -z "$left"
check "modprobe's index forgot it" \
	test -z "$(modinfo -k "$krel" -F filename vsd 2>/dev/null)"
left=$(cat "$log/files-dkms" "$log/files-ctl" | while read -r f; do
	[ -e "$f" ] && echo "$f"; done)
check "no file of the packages left${left:+ ($left)}" test -z "$left"
check "/etc/vsd/rules, the operator's, stays" test -f /etc/vsd/rules
rm -f /etc/vsd/rules
rmdir /etc/vsd 2>/dev/null

echo "== make dkms-install / make dkms-uninstall"
t0=$(date +%s)
if make --no-print-directory dkms-install > "$log/dkms-install" 2>&1; then
	ok "make dkms-install ($(($(date +%s) - t0)) s)"
else
	fail "make dkms-install"
	sed 's/^/#   /' "$log/dkms-install"
fi
check "dkms status: vsd $version installed for $krel" \
	grep -q "^vsd/$version, $krel, [^:]*: installed" \
	<<<"$(dkms status -m vsd)"
check "/usr/src/vsd-$version holds the sources" \
	test -f "/usr/src/vsd-$version/dkms.conf" -a \
	-f "/usr/src/vsd-$version/kernel/main.c"
out=$(make --no-print-directory dkms-install 2>&1)
check "make dkms-install again (a reinstall) works" test $? -eq 0
VSD_PKG_VERSION=$version "$top/tests/vm/run" \
	"$top/tests/packaging/vm-checks.sh" dkms > "$log/vm2" 2>&1
rc=$?
cat "$log/vm2"
passed=$((passed + $(grep -c '^\[ OK \]' "$log/vm2")))
failed=$((failed + $(grep -c '^\[FAIL\]' "$log/vm2")))
skipped=$((skipped + $(grep -c '^\[SKIP\]' "$log/vm2")))
check "the second VM run exits 0" test $rc -eq 0
if make --no-print-directory dkms-uninstall > "$log/dkms-uninstall" 2>&1; then
	ok "make dkms-uninstall"
else
	fail "make dkms-uninstall"
	sed 's/^/#   /' "$log/dkms-uninstall"
fi
check "no DKMS registration left" test -z "$(dkms status -m vsd)"
check "no /usr/src/vsd-$version left" test ! -e "/usr/src/vsd-$version"
left=$(ls /lib/modules/*/updates/dkms/vsd.ko 2>/dev/null)
check "no module left in /lib/modules${left:+ ($left)}" test -z "$left"

echo "# packaging: $passed passed, $failed failed, $skipped skipped" \
	"in $(($(date +%s) - start)) s"
[ $failed -eq 0 ]
