# SPDX-License-Identifier: GPL-2.0
#
# vswitch top-level build.  Sources are found by wildcard: adding a file to
# kmod/, userspace/*/ or tests/*/ never needs an edit here.
#
#   make                 module (kmod/vswitch.ko) + build/libvsw.a, vswitchd, vswitchctl
#   make check           deps, build, host tests, guest tests, summary line
#   make check T=NAME    one test program (or a comma-separated list)
#   make check-host | check-guest
#   make check-debug     the guest tier on a debug kernel (lockdep, KASAN, ...)
#   make check-ofswitch  os-ken's OpenFlow switch test suite, all 991 cases
#   make check-stress    bulk TCP across tunnels replaced in a loop (soak)
#   make asan | tsan     userspace and host tests with sanitizers, in build/asan|tsan/
#   make install | uninstall | style | demo | bench | deps | clean
#
# Variables: KDIR (kernel build tree), WERROR=0 (warnings not fatal),
# V=1 (verbose), DESTDIR, PREFIX (/usr/local).

MAKEFLAGS += --no-print-directory
.DEFAULT_GOAL := all

B := build
# What every build variant shares (kselftest headers, checkpatch): always build/.
SRC_B := build
CC ?= gcc
AR ?= ar
PKG_CONFIG ?= pkg-config
WERROR ?= 1
PREFIX ?= /usr/local
LINUX_SRC_TAR ?= /usr/src/linux-source-6.1.tar.xz

ifeq ($(V),1)
Q :=
else
Q := @
endif

# --- kernel tree ---------------------------------------------------------------
# KDIR if given; else the running kernel's tree; else the newest installed one.
ifeq ($(origin KDIR),undefined)
KDIR := $(shell d=/lib/modules/$$(uname -r)/build; \
	if [ -d $$d ]; then echo $$d; \
	else ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1; fi)
endif
# The release the module is for: its vermagic (Debian's headers carry the
# upstream version in include/config/kernel.release, not the package's).
KVER = $(or $(shell modinfo -F vermagic kmod/vswitch.ko 2>/dev/null | awk 'NR == 1 { print $$1 }'),$(notdir $(patsubst %/build,%,$(KDIR))))

# --- flags ---------------------------------------------------------------------
WARN := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN += -Werror
KMOD_CFLAGS := KCFLAGS=-Werror
endif
# SAN_CFLAGS, SAN_TEST_LDADD: set only by the sanitizer sub-makes (make asan).
SAN_CFLAGS ?=
SAN_TEST_LDADD ?=
BASE_CFLAGS := -O2 -g $(WARN) -MMD -MP -D_GNU_SOURCE= $(SAN_CFLAGS)
# libnl-route-3: rtnetlink in vswitchd (linkmon); generic netlink is libmnl's.
NL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libnl-3.0 libnl-route-3.0 2>/dev/null)
NL_LIBS := $(shell $(PKG_CONFIG) --libs libnl-3.0 libnl-route-3.0 2>/dev/null)
US_CFLAGS := $(BASE_CFLAGS) -Iinclude/uapi -Iinclude -Iuserspace/lib $(NL_CFLAGS) $(CFLAGS)
US_LIBS := -lmnl -lpthread $(LDLIBS)
KH_CFLAGS := $(BASE_CFLAGS) -DVSW_HOST -Itests/kshim -Iinclude -Ikmod -Iinclude/uapi $(CFLAGS)
TEST_CFLAGS := -I$(SRC_B)/ksft

# --- sources -------------------------------------------------------------------
LIB_SRCS := $(wildcard userspace/lib/*.c)
VSWD_SRCS := $(wildcard userspace/vswitchd/*.c)
VSCTL_SRCS := $(wildcard userspace/vswitchctl/*.c)
TOOL_SRCS := $(wildcard tests/tools/*.c)
HOST_TEST_SRCS := $(wildcard tests/host/test_*.c)
GUEST_TEST_SRCS := $(wildcard tests/guest/test_*.c)

# kmod/host.mk (K1) sets KMOD_HOST_SRCS: module files also built for userspace.
-include kmod/host.mk
KMOD_HOST_SRCS ?=
KH_SRCS := $(sort $(KMOD_HOST_SRCS) $(wildcard tests/kshim/*.c))
KH_OBJS := $(patsubst %.c,$(B)/kmod-host/%.o,$(notdir $(KH_SRCS)))

LIB_OBJS := $(patsubst %.c,$(B)/%.o,$(LIB_SRCS))
VSWD_OBJS := $(patsubst %.c,$(B)/%.o,$(VSWD_SRCS))
VSCTL_OBJS := $(patsubst %.c,$(B)/%.o,$(VSCTL_SRCS))
LIBVSW := $(B)/libvsw.a

HOST_KTESTS := $(patsubst tests/host/%.c,$(B)/tests/host/%,$(filter tests/host/test_k%,$(HOST_TEST_SRCS)))
HOST_UTESTS := $(patsubst tests/host/%.c,$(B)/tests/host/%,$(filter-out tests/host/test_k%,$(HOST_TEST_SRCS)))
GUEST_TESTS := $(patsubst tests/guest/%.c,$(B)/tests/guest/%,$(GUEST_TEST_SRCS))
TOOLS := $(patsubst tests/tools/%.c,$(B)/tools/%,$(TOOL_SRCS))

# --- top-level targets ---------------------------------------------------------
.PHONY: all module userspace tests tools check check-host check-guest deps \
	check-debug debug-module check-ofswitch check-stress check-stress-debug \
	install uninstall style demo bench clean help

all: module userspace tests tools

help:
	@sed -n '3,17p' Makefile | sed 's/^# \{0,1\}//'

# --- kernel module -------------------------------------------------------------
module:
ifeq ($(KDIR),)
	@echo "  ERROR   no kernel build tree: set KDIR or install linux-headers-amd64 (scripts/deps)" >&2; exit 1
else
	@echo "  KDIR    $(KDIR)"
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 $(KMOD_CFLAGS) modules
endif

# --- userspace -----------------------------------------------------------------
userspace: $(LIBVSW) $(B)/vswitchd $(B)/vswitchctl

$(B)/userspace/%.o: userspace/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(US_CFLAGS) -c $< -o $@

$(B)/libvsw.a: $(LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(B)/vswitchd: $(VSWD_OBJS) $(LIBVSW)
	@echo "  LD      $@"
	$(Q)$(CC) $(SAN_CFLAGS) $(LDFLAGS) -o $@ $^ $(US_LIBS) $(NL_LIBS)

$(B)/vswitchctl: $(VSCTL_OBJS) $(LIBVSW)
	@echo "  LD      $@"
	$(Q)$(CC) $(SAN_CFLAGS) $(LDFLAGS) -o $@ $^ $(US_LIBS)

# --- host build of the module's lookup code --------------------------------------
vpath %.c $(sort $(dir $(KH_SRCS)))
$(B)/kmod-host/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC-HOST $<"
	$(Q)$(CC) $(KH_CFLAGS) -c $< -o $@

# --- kselftest harness and checkpatch, from the kernel source tarball -----------
LINUX_FILES := tools/testing/selftests/kselftest_harness.h \
	tools/testing/selftests/kselftest.h \
	scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch

$(SRC_B)/linux-src/.stamp:
	@test -r $(LINUX_SRC_TAR) || { echo "  ERROR   $(LINUX_SRC_TAR) missing (apt-get install linux-source-6.1, or scripts/deps)" >&2; exit 1; }
	@echo "  EXTRACT kselftest harness, checkpatch from $(LINUX_SRC_TAR)"
	$(Q)rm -rf $(@D) && mkdir -p $(@D)
	$(Q)tar -xJf $(LINUX_SRC_TAR) -C $(@D) --strip-components=1 \
		$(addprefix linux-source-6.1/,$(LINUX_FILES))
	$(Q)touch $@

$(SRC_B)/ksft/kselftest_harness.h $(SRC_B)/ksft/kselftest.h: $(SRC_B)/linux-src/.stamp
	@mkdir -p $(@D)
	$(Q)cp $(SRC_B)/linux-src/tools/testing/selftests/$(@F) $@

KSFT_HDRS := $(SRC_B)/ksft/kselftest_harness.h $(SRC_B)/ksft/kselftest.h

# --- tests -----------------------------------------------------------------------
tests: $(HOST_KTESTS) $(HOST_UTESTS) $(GUEST_TESTS)

$(B)/tests/host/test_k%: tests/host/test_k%.c $(KH_OBJS) $(filter %.c,$(SAN_TEST_LDADD)) | $(KSFT_HDRS)
	@mkdir -p $(@D)
	@echo "  CC-TEST $<"
	$(Q)$(CC) $(KH_CFLAGS) $(TEST_CFLAGS) -Itests/host -o $@ $< $(KH_OBJS) $(KTEST_EXTRA) $(SAN_TEST_LDADD) -lpthread -lm

# test_kflow_key also runs userspace's extractor on its frames (xkey.h).
KFLOW_XKEY_OBJS := $(B)/tests/host/xkey_us.o $(B)/userspace/lib/flow-extract.o
$(B)/tests/host/test_kflow_key: $(KFLOW_XKEY_OBJS)
$(B)/tests/host/test_kflow_key: KTEST_EXTRA = $(KFLOW_XKEY_OBJS)
$(B)/tests/host/xkey_us.o: tests/host/xkey_us.c tests/host/xkey.h
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(US_CFLAGS) -Itests/host -c $< -o $@

$(B)/tests/host/test_%: tests/host/test_%.c $(LIBVSW) $(filter %.c,$(SAN_TEST_LDADD)) | $(KSFT_HDRS)
	@mkdir -p $(@D)
	@echo "  CC-TEST $<"
	$(Q)$(CC) $(US_CFLAGS) $(TEST_CFLAGS) -Itests/host -o $@ $< $(LIBVSW) $(SAN_TEST_LDADD) $(US_LIBS) -lm

$(B)/tests/guest/test_%: tests/guest/test_%.c $(LIBVSW) | $(KSFT_HDRS)
	@mkdir -p $(@D)
	@echo "  CC-TEST $<"
	$(Q)$(CC) $(US_CFLAGS) $(TEST_CFLAGS) -Itests/guest -o $@ $< $(LIBVSW) $(US_LIBS)

tools: $(TOOLS)

$(B)/tools/%: tests/tools/%.c $(LIBVSW)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(US_CFLAGS) -o $@ $< $(LIBVSW) $(US_LIBS)

# --- sanitizer builds -------------------------------------------------------------
# make asan: libvsw.a, vswitchd, vswitchctl and every host test rebuilt into
# build/asan/ with AddressSanitizer + UBSan; make tsan: the same into
# build/tsan/ with ThreadSanitizer, of the host tests only those whose
# source has a line "vsw-sanitizers: tsan" (they run the daemon's threads).
# A sub-make with B and SAN_CFLAGS set does it: the plain build is not
# touched. scripts/run-tests runs them (host/asan/NAME, host/tsan/NAME).
# The ASan and UBSan runtimes are linked statically: with GCC's shared
# libasan and libubsan side by side, UBSan ignores log_path and reports
# only to stderr (GCC PR 94328), which a detached daemon sends to /dev/null.
SAN_FLAGS_asan := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -static-libasan -static-libubsan
SAN_FLAGS_tsan := -fsanitize=thread
# The harness ends each test's child with _exit(), past LeakSanitizer's
# at-exit check: tests/host/leak_check.c runs it there.
SAN_TEST_LDADD_asan := -Wl,--wrap=_exit tests/host/leak_check.c
TSAN_HOST_TESTS := $(patsubst tests/host/%.c,$(B)/tests/host/%,\
	$(shell grep -lE 'vsw-sanitizers:.*\<tsan\>' $(HOST_TEST_SRCS) /dev/null))

.PHONY: asan tsan san-asan san-tsan
asan tsan:
	$(Q)$(MAKE) B=$(SRC_B)/$@ SAN_CFLAGS='$(SAN_FLAGS_$@)' \
		SAN_TEST_LDADD='$(SAN_TEST_LDADD_$@)' san-$@

san-asan: userspace $(HOST_KTESTS) $(HOST_UTESTS)
san-tsan: userspace $(TSAN_HOST_TESTS)

# --- running tests ---------------------------------------------------------------
RUN_TESTS_ARGS := $(if $(T),--only '$(T)')

# A failed build is counted as one failed test ("build"); whatever did
# build is still tested, so one broken file does not hide every result.
# build_then_test TARGETS, RUN-TESTS-ARGS
build_then_test = $(MAKE) -k $(1); \
	scripts/run-tests --build-status $$? $(2) $(RUN_TESTS_ARGS)

check: deps
	$(Q)$(call build_then_test,all asan tsan bench-tools,)

check-host:
	$(Q)$(call build_then_test,userspace tests tools asan tsan bench-tools,--host)

check-guest:
	$(Q)$(call build_then_test,all asan tsan,--guest)

# The benchmark tools (bench/bench.mk) are built by every check, so a change
# that breaks them fails the test run instead of the next `make bench`.
# They link libvsw.a and the kernel objects built for the host (`tests`).
.PHONY: bench-tools
bench-tools: userspace tests
	$(Q)$(MAKE) -f bench/bench.mk

deps:
	$(Q)scripts/deps

# os-ken's OpenFlow Switch Test Tool, all 991 OpenFlow 1.3 cases, in one
# guest (docs/openflow.md: about OFSWITCH_LIMIT's tenth under TCG); one
# line per case in build/ofswitch-results.txt. make check runs a subset
# (tests/guest/e2e_ofswitch.sh).
OFSWITCH_LIMIT ?= 7200
check-ofswitch: deps
	$(Q)$(MAKE) all
	$(Q)rm -f $(B)/ofswitch-results.txt; \
	scripts/vm-run --name ofswitch --timeout $$(($(OFSWITCH_LIMIT) + 300)) -- \
		bash tests/guest/e2e_ofswitch.sh --all --limit $(OFSWITCH_LIMIT) \
		--results /vmout/results.txt > $(B)/ofswitch.log 2>&1; \
	cp $(B)/vm/out-ofswitch/results.txt $(B)/ofswitch-results.txt 2>/dev/null; \
	cp $(B)/vm/out-ofswitch/results.txt.tool.log $(B)/ofswitch-tool.log 2>/dev/null; \
	grep -E '^# (match|action|group|meter)|^# suite|^(not )?ok [0-9]+ (os-ken|veth|target|tester|both|the test)' \
		$(B)/ofswitch.log; \
	test -s $(B)/ofswitch-results.txt || { tail -n 40 $(B)/ofswitch.log; exit 1; }; \
	echo "results: $(B)/ofswitch-results.txt, log: $(B)/ofswitch.log"

# A soak, not in make check: tests/stress/tunnel_iperf.sh for STRESS_SECONDS
# in one guest (docs/tunnels.md, "Known problems"). A soft lockup panics
# the guest (softlockup_panic=1), which ends the run; the guest's console
# is build/vm/console-stress.log. check-stress-debug runs it on the debug
# kernel (DEBUG_LIST, KASAN, lockdep) once scripts/debug-kernel built it.
STRESS_SECONDS ?= 300
STRESS_VM = scripts/vm-run --timeout $$(($(STRESS_SECONDS) * 2 + 300)) \
	--append softlockup_panic=1
STRESS_CMD = -- env STRESS_SECONDS=$(STRESS_SECONDS) bash tests/stress/tunnel_iperf.sh
check-stress: deps
	$(Q)$(MAKE) all
	$(Q)$(STRESS_VM) --name stress $(STRESS_CMD)

check-stress-debug: deps
	$(Q)$(MAKE) userspace tests tools debug-module
	$(Q)d=$$(scripts/debug-kernel --print) || exit 1; \
	$(STRESS_VM) --name stress-debug --kernel $$d/linux/arch/x86/boot/bzImage \
		--moddir $$d/modroot/lib/modules/$$(cat $$d/release) --mem 4096 \
		--module $(DEBUG_KMOD)/vswitch.ko $(STRESS_CMD)

# --- the debug kernel tier -------------------------------------------------------
# The guest tier on a kernel with lockdep, KASAN, UBSAN, kmemleak and fault
# injection (scripts/debug-kernel builds it once from linux-source-6.1 and
# tests/debug-kernel.config, cached), with vswitch.ko built for it from a
# copy of kmod/ in build/debug/kmod (kbuild writes objects next to sources).
# Its warnings are not fatal: KASAN's redzones grow stack frames past the
# frame-size warning; `make` holds the code to -Werror on the stock kernel.
DEBUG_KMOD := $(B)/debug/kmod

check-debug:
	$(Q)scripts/deps debug
	$(Q)$(call build_then_test,userspace tests tools debug-module,--debug)

debug-module:
	$(Q)d=$$(scripts/debug-kernel) || exit 1; \
	mkdir -p $(DEBUG_KMOD) $(B)/debug/include && cp -rpu include/. $(B)/debug/include/ && \
	for f in $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h) kmod/Kbuild; do \
		cmp -s $$f $(DEBUG_KMOD)/$${f##*/} || cp -p $$f $(DEBUG_KMOD)/ || exit 1; done; \
	for f in $(DEBUG_KMOD)/*.[ch]; do case $$f in *.mod.c) ;; \
		*) [ -e kmod/$${f##*/} ] || rm -f $$f ;; esac; done; \
	echo "  KDIR    $$d/linux (debug kernel)"; \
	$(MAKE) -C $$d/linux M=$(CURDIR)/$(DEBUG_KMOD) W=1 modules

# --- demo and benchmarks -----------------------------------------------------------
demo: deps
	$(Q)$(MAKE) all
	$(Q)scripts/demo

bench: deps
	$(Q)scripts/deps bench
	$(Q)$(MAKE) all
	$(Q)scripts/bench

# --- install ---------------------------------------------------------------------
MODDEST = $(DESTDIR)/lib/modules/$(KVER)/extra
UNITDIR ?= /etc/systemd/system

install: all
	@for f in kmod/vswitch.ko $(B)/vswitchd $(B)/vswitchctl; do \
		test -f $$f || { echo "make install: $$f not built" >&2; exit 1; }; done
	@test -n "$(KVER)" || { echo "make install: cannot tell the kernel release of $(KDIR)" >&2; exit 1; }
	install -D -m 0644 kmod/vswitch.ko $(MODDEST)/vswitch.ko
	$(if $(DESTDIR),,depmod -a $(KVER))
	install -D -m 0755 $(B)/vswitchd $(DESTDIR)$(PREFIX)/sbin/vswitchd
	install -D -m 0755 $(B)/vswitchctl $(DESTDIR)$(PREFIX)/bin/vswitchctl
	install -D -m 0644 scripts/vswitchd.service $(DESTDIR)$(UNITDIR)/vswitchd.service
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/vswitch/README.md
	install -D -m 0644 docs/vswitchctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/vswitchctl.8
	install -D -m 0644 docs/vswitchd.8 $(DESTDIR)$(PREFIX)/share/man/man8/vswitchd.8
	install -D -m 0644 scripts/vswitchctl.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/vswitchctl
	$(if $(DESTDIR),,-command -v systemctl >/dev/null && systemctl daemon-reload)

uninstall:
	rm -f $(MODDEST)/vswitch.ko $(DESTDIR)$(PREFIX)/sbin/vswitchd \
		$(DESTDIR)$(PREFIX)/bin/vswitchctl $(DESTDIR)$(UNITDIR)/vswitchd.service \
		$(DESTDIR)$(PREFIX)/share/doc/vswitch/README.md \
		$(DESTDIR)$(PREFIX)/share/man/man8/vswitchctl.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/vswitchd.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/vswitchctl
	$(if $(DESTDIR),,depmod -a $(KVER))
	$(if $(DESTDIR),,-command -v systemctl >/dev/null && systemctl daemon-reload)

# --- style -----------------------------------------------------------------------
style: $(SRC_B)/linux-src/.stamp
	$(Q)perl $(SRC_B)/linux-src/scripts/checkpatch.pl --no-tree --terse --show-types \
		--max-line-length=100 -f $(filter-out %.mod.c,$(wildcard kmod/*.[ch]))

# --- clean -----------------------------------------------------------------------
clean:
	-$(Q)$(if $(KDIR),$(MAKE) -C $(KDIR) M=$(CURDIR) clean)
	rm -rf $(filter-out $(B)/vm $(B)/linux-src $(B)/ksft $(B)/debug-kernel,$(wildcard $(B)/*))

# (not inside the debug kernel's tree or its module build: their .d files
# are kbuild's)
-include $(shell find $(B) \( -path $(B)/debug-kernel -o -path $(B)/debug \) -prune \
	-o -name '*.d' -type f -print 2>/dev/null)
