# SPDX-License-Identifier: GPL-2.0
#
# vsd: the kernel module (kernel/vsd.ko) and its CLI (ctl/vsdctl).
#
#   make             build both (KDIR=... to pick the kernel build directory)
#   make check       build, run the unit tests and every netns scenario in a VM
#   make demo        install what is missing, build, and show vsd at work in a VM
#   make install     install the module (and depmod) and vsdctl
#   make style       checkpatch on our kernel and CLI sources
#   make clean

KDIR ?= $(shell $(CURDIR)/scripts/kdir 2>/dev/null)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
DESTDIR ?=

PKG_CONFIG ?= pkg-config
NL_CFLAGS = $(shell $(PKG_CONFIG) --cflags libnl-3.0 libnl-genl-3.0)
NL_LIBS = $(shell $(PKG_CONFIG) --libs libnl-3.0 libnl-genl-3.0)

CC ?= gcc
CTL_CFLAGS = -O2 -g -std=gnu11 -Wall -Wextra -Werror \
	-I$(CURDIR)/include/uapi $(NL_CFLAGS) $(CFLAGS)
CTL_SRCS = $(wildcard ctl/*.c)
CTL_HDRS = $(wildcard ctl/*.h) include/uapi/linux/vsd.h kernel/version.h

KMOD_SRCS = $(wildcard kernel/*.c kernel/*.h) include/uapi/linux/vsd.h

.PHONY: all build module ctl deps check unit demo install clean style

# Missing packages are installed first (scripts/install-deps); the build
# itself runs in a sub-make so that KDIR is found after the headers arrived.
all: deps
	@$(MAKE) --no-print-directory build

build: module ctl

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

check: deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory unit
	$(CURDIR)/tests/vm/run $(CURDIR)/tests/netns/run-all

demo: deps
	@$(MAKE) --no-print-directory build
	$(CURDIR)/tests/vm/run $(CURDIR)/tests/demo.sh

install: build
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(shell $(CURDIR)/scripts/kdir --release)
	install -D -m 0755 ctl/vsdctl $(DESTDIR)$(SBINDIR)/vsdctl

style: deps
	$(CURDIR)/scripts/style

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -f ctl/vsdctl kernel/.build.log
	$(MAKE) -C tests/unit clean
