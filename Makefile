# SPDX-License-Identifier: GPL-2.0
#
# vsd: the kernel module (kernel/vsd.ko) and its CLI (ctl/vsdctl).
#
#   make             build both (KDIR=... to pick the kernel build directory)
#   make check       build, run the unit tests and every netns scenario in a VM
#   make check-rt    the same scenarios on Debian's PREEMPT_RT kernel (the
#                    module built against its headers in build/rt/)
#   make check-debug the same scenarios on a KASAN, UBSAN, KMEMLEAK and lockdep
#                    kernel built from Debian's linux-source (tests/vm/debug-kernel)
#   make demo        install what is missing, build, and show vsd at work in a VM
#   make install     install the module (and depmod), vsdctl, the scripts,
#                    man pages, bash completion and vsd.service (PREFIX=,
#                    DESTDIR=); make uninstall removes them
#   make dkms-install   register the module with DKMS (/usr/src/vsd-VERSION)
#                       and build it for every kernel with headers;
#                       make dkms-uninstall undoes it
#   make deb         build/vsd-dkms_VERSION_all.deb, build/vsdctl_VERSION_*.deb
#   make check-packaging   build, install, test and remove the packages (VM)
#   make style       checkpatch on our kernel and CLI sources, man page lint
#   make bench       vsd against Linux's IPVS in one VM boot: one table of
#                    ratios (bench/README.md; about 45 minutes under TCG)
#   make clean

KDIR ?= $(shell $(CURDIR)/scripts/kdir 2>/dev/null)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
DESTDIR ?=
# The scripts find vsd-lib.sh in ../lib/vsd/ from their own directory.
VSDLIBDIR = $(dir $(SBINDIR))lib/vsd
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc

# The one version: kernel/version.h's.  (Not "VERSION", which kbuild uses.)
VSD_VERSION := $(shell sed -n 's/.*VSD_VERSION "\(.*\)".*/\1/p' $(CURDIR)/kernel/version.h)

PKG_CONFIG ?= pkg-config
NL_CFLAGS = $(shell $(PKG_CONFIG) --cflags libnl-3.0 libnl-genl-3.0)
NL_LIBS = $(shell $(PKG_CONFIG) --libs libnl-3.0 libnl-genl-3.0)

CC ?= gcc
CTL_CFLAGS = -O2 -g -std=gnu11 -Wall -Wextra -Werror \
	-I$(CURDIR)/include/uapi $(NL_CFLAGS) $(CFLAGS)
CTL_SRCS = $(wildcard ctl/*.c)
CTL_HDRS = $(wildcard ctl/*.h) include/uapi/linux/vsd.h kernel/version.h

KMOD_SRCS = $(wildcard kernel/*.c kernel/*.h) include/uapi/linux/vsd.h

.PHONY: all build module ctl tools deps check unit demo install clean style
.PHONY: install-module install-ctl install-dkms-src uninstall
.PHONY: dkms-install dkms-uninstall deb check-packaging bench check-rt check-debug

# Missing packages are installed first (scripts/install-deps); the build
# itself runs in a sub-make so that KDIR is found after the headers arrived.
all: deps
	@$(MAKE) --no-print-directory build

build: module ctl tools

deps:
	@$(CURDIR)/scripts/install-deps --check || $(CURDIR)/scripts/install-deps

module: kernel/vsd.ko

kernel/vsd.ko: $(KMOD_SRCS) Kbuild kernel/Kbuild
	@test -n "$(KDIR)" || { echo "no kernel build directory: run scripts/install-deps or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules 2>&1 | tee kernel/.build.log
	@! grep -E '(warning|error):' kernel/.build.log || \
		{ echo "module build has warnings (W=1): see above" >&2; rm -f $@; exit 1; }

ctl: ctl/vsdctl

ctl/vsdctl: $(CTL_SRCS) $(CTL_HDRS)
	$(CC) $(CTL_CFLAGS) -o $@ $(CTL_SRCS) $(NL_LIBS) $(LDFLAGS)

unit:
	$(MAKE) -C tests/unit run

# Traffic and message generators of the VM scenarios (tests/tools/*.c).
TEST_TOOLS = $(patsubst tests/tools/%.c,tests/tools/bin/%,$(wildcard tests/tools/*.c))

tools: $(TEST_TOOLS)

tests/tools/bin/%: tests/tools/%.c include/uapi/linux/vsd.h
	@mkdir -p $(@D)
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -I$(CURDIR)/include/uapi \
		-o $@ $<

check: deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory unit
	$(CURDIR)/tests/check

# What make check does first, with install-deps' group $(1) too.
define check_prelude
	@$(CURDIR)/scripts/install-deps --check $(1) 2>/dev/null || \
		$(CURDIR)/scripts/install-deps $(1)
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory unit
endef

# The module again, against another kernel (KDIR $(2)), in $(1)/ (a copy of
# its sources) so that kernel/vsd.ko stays the standard kernel's.
define module_copy
	rm -rf $(1) && mkdir -p $(1)/kernel
	cp -a Kbuild include $(1)/
	cp -a kernel/Kbuild kernel/*.h $(filter-out %.mod.c,$(wildcard kernel/*.c)) \
		$(1)/kernel/
	$(MAKE) -C $(2) M=$(1) W=1 modules 2>&1 | tee $(1)/build.log
	@! grep -E '(warning|error):' $(1)/build.log || \
		{ echo "module build for $(2) has warnings (W=1): see above" >&2; exit 1; }
endef

# PREEMPT_RT: sleeping in atomic context, spinlocks that sleep.
# tests/vm/run boots the kernel of KDIR's headers.
RT_DIR = $(CURDIR)/build/rt

check-rt: deps
	$(call check_prelude,rt)
	$(call module_copy,$(RT_DIR),$$($(CURDIR)/scripts/kdir --rt))
	KDIR=$$($(CURDIR)/scripts/kdir --rt) VSD_KO=$(RT_DIR)/kernel/vsd.ko \
		VSD_CHECK_PACKAGING=no $(CURDIR)/tests/check

# KASAN, UBSAN, KMEMLEAK, lockdep and DEBUG_ATOMIC_SLEEP: a kernel built from
# Debian's linux-source by tests/vm/debug-kernel (cached in .vm-cache/; its
# first build takes 8 to 12 minutes on 2 cores), then every scenario on it,
# five to six times slower than on the standard kernel (docs/testing.md).
DEBUG_DIR = $(CURDIR)/build/debug

check-debug: deps
	$(call check_prelude,debug)
	@mkdir -p $(CURDIR)/build
	$(CURDIR)/tests/vm/debug-kernel > $(CURDIR)/build/.debug-kernel
	$(call module_copy,$(DEBUG_DIR),$$(cat $(CURDIR)/build/.debug-kernel)/build)
	KROOT=$$(cat $(CURDIR)/build/.debug-kernel) && \
		KDIR=$$KROOT/build VSD_VM_KROOT=$$KROOT/root \
		VSD_KO=$(DEBUG_DIR)/kernel/vsd.ko VSD_CHECK_PACKAGING=no \
		VSD_VM_MEM=$${VSD_VM_MEM:-3072} \
		VSD_VM_TIMEOUT=$${VSD_VM_TIMEOUT:-14400} $(CURDIR)/tests/check

demo: deps
	@$(MAKE) --no-print-directory build
	$(CURDIR)/tests/vm/run $(CURDIR)/tests/demo.sh

install: build
	@$(MAKE) --no-print-directory install-module install-ctl

# The module goes to /lib/modules/RELEASE/extra/kernel/ (DKMS's to
# updates/dkms/).
install-module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	$(if $(DESTDIR),,depmod -a $(shell $(CURDIR)/scripts/kdir --release))

# Everything but the module; the .deb is built from it (PREFIX=/usr).
VSDCTL_BIN ?= ctl/vsdctl
SCRIPTS = scripts/vsd-realserver scripts/vsd-director scripts/vsd-rules
MAN8 = docs/vsdctl.8 docs/vsd-realserver.8 docs/vsd-director.8 \
	docs/vsd-rules.8

install-ctl: $(VSDCTL_BIN)
	install -D -m 0755 $(VSDCTL_BIN) $(DESTDIR)$(SBINDIR)/vsdctl
	install -m 0755 $(SCRIPTS) $(DESTDIR)$(SBINDIR)/
	install -D -m 0644 scripts/vsd-lib.sh $(DESTDIR)$(VSDLIBDIR)/vsd-lib.sh
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	install -D -m 0644 completion/vsdctl $(DESTDIR)$(BASHCOMPDIR)/vsdctl
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/vsd
	sed -e 's,@SBINDIR@,$(SBINDIR),g' -e 's,@SYSCONFDIR@,$(SYSCONFDIR),g' \
		packaging/vsd.service.in > $(DESTDIR)$(UNITDIR)/vsd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vsd.service
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		echo "systemctl daemon-reload"; systemctl daemon-reload; fi

# /etc/vsd/rules is the operator's: it stays.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/vsdctl $(addprefix $(DESTDIR)$(SBINDIR)/,$(notdir $(SCRIPTS)))
	rm -f $(DESTDIR)$(VSDLIBDIR)/vsd-lib.sh
	rmdir $(DESTDIR)$(VSDLIBDIR) 2>/dev/null || true
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8)))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/vsdctl $(DESTDIR)$(UNITDIR)/vsd.service
	rmdir $(DESTDIR)$(SYSCONFDIR)/vsd 2>/dev/null || true
	@for ko in $(DESTDIR)/lib/modules/*/extra/kernel/vsd.ko; do \
		[ -e "$$ko" ] || continue; \
		echo "rm -f $$ko"; rm -f "$$ko" || exit 1; \
		rmdir "$${ko%/vsd.ko}" 2>/dev/null; \
		rel=$${ko%/extra/kernel/vsd.ko}; rel=$${rel##*/}; \
		$(if $(DESTDIR),true,depmod -a "$$rel") || exit 1; \
	done

# DKMS: the module's sources in /usr/src/vsd-VERSION, as dkms wants them.
DKMS_SRCDIR = /usr/src/vsd-$(VSD_VERSION)
DKMS_SRCS = dkms.conf Kbuild kernel/Kbuild include/uapi/linux/vsd.h \
	$(sort $(filter-out %.mod.c,$(wildcard kernel/*.c)) $(wildcard kernel/*.h))

install-dkms-src:
	@test -n "$(VSD_VERSION)" || { echo "no version in kernel/version.h" >&2; exit 1; }
	rm -rf $(DESTDIR)$(DKMS_SRCDIR)
	@for f in $(DKMS_SRCS); do \
		install -D -m 0644 $$f $(DESTDIR)$(DKMS_SRCDIR)/$$f || exit 1; \
	done

# The same steps as the vsd-dkms package's postinst and prerm: those
# scripts, run by hand.  Refused while the package owns the files.
define dkms_guard
	@test "$$(id -u)" -eq 0 || { echo "$@: run it as root" >&2; exit 1; }
	@! dpkg-query -W -f='$${Status}' vsd-dkms 2>/dev/null | grep -q 'ok installed' || \
		{ echo "$@: the vsd-dkms package is installed: apt-get remove vsd-dkms first" >&2; exit 1; }
	@command -v dkms >/dev/null || $(CURDIR)/scripts/install-deps packaging
endef

dkms-install:
	$(dkms_guard)
	@$(MAKE) --no-print-directory install-dkms-src DESTDIR=
	sed 's/@VERSION@/$(VSD_VERSION)/g' packaging/vsd-dkms.postinst | sh -s configure

dkms-uninstall:
	$(dkms_guard)
	sed 's/@VERSION@/$(VSD_VERSION)/g' packaging/vsd-dkms.prerm | sh -s remove
	rm -rf $(DKMS_SRCDIR)

# Debian packages, built with dpkg-deb into build/ (packaging/mkdeb).
# vsdctl is built again with Debian's hardening flags and this tree's
# path mapped away, so that two builds give the same bytes.
DEB_FLAGS = DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get
build/deb/vsdctl: $(CTL_SRCS) $(CTL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CTL_CFLAGS) $(shell $(DEB_FLAGS) CPPFLAGS) \
		$(shell $(DEB_FLAGS) CFLAGS) -o $@ $(CTL_SRCS) $(NL_LIBS) \
		$(shell $(DEB_FLAGS) LDFLAGS)

deb:
	@$(CURDIR)/scripts/install-deps --check packaging 2>/dev/null || \
		$(CURDIR)/scripts/install-deps packaging
	@$(MAKE) --no-print-directory build/deb/vsdctl
	VSD_VERSION=$(VSD_VERSION) $(CURDIR)/packaging/mkdeb

# Also the last part of "make check" when run as root (tests/check).
check-packaging: deps
	@$(MAKE) --no-print-directory build
	$(CURDIR)/tests/packaging/check.sh

# Benchmarks: the module, vsdctl and bench/src's tools, then bench/run.
BENCH_BINS = $(patsubst bench/src/%.c,bench/bin/%,$(wildcard bench/src/*.c))

bench/bin/%: bench/src/%.c $(wildcard kernel/*.h tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -I$(CURDIR)/include/uapi \
		-I$(CURDIR)/tests/unit -o $@ $<

bench: deps
	@$(MAKE) --no-print-directory build $(BENCH_BINS)
	$(CURDIR)/bench/run

style: deps
	$(CURDIR)/scripts/style

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -f ctl/vsdctl kernel/.build.log
	rm -rf build tests/tools/bin
	$(MAKE) -C tests/unit clean
