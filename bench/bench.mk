# SPDX-License-Identifier: GPL-2.0
#
# Benchmark tools, built by scripts/bench (make -f bench/bench.mk) into
# build/bench/. Kept apart from the top-level Makefile so `make` and
# `make check` never depend on them.

B := build
BB := $(B)/bench
CC ?= gcc
CFLAGS_BENCH := -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-D_GNU_SOURCE -Iinclude/uapi -Iinclude -Iuserspace/lib $(CFLAGS)
LIBVSW := $(B)/libvsw.a

# megaflow_eff needs U1's translation library; skip it until it links.
MEGAFLOW_EFF := $(if $(and $(wildcard bench/megaflow_eff.c),$(wildcard $(LIBVSW)),$(wildcard userspace/lib/xlate.h)),$(BB)/megaflow_eff)

# K1's lookup microbenchmark: kmod/flow_table.c built for the host (the
# objects come from the top-level `make`, rule for build/kmod-host/).
KH_OBJS := $(wildcard $(B)/kmod-host/*.o)
LOOKUP_BENCH := $(if $(and $(wildcard bench/lookup_bench.c),$(KH_OBJS)),$(BB)/lookup_bench)

# U1's classifier benchmark (tests/host/bench_classifier.c) on libvsw.a.
CLS_BENCH := $(if $(and $(wildcard tests/host/bench_classifier.c),$(wildcard $(LIBVSW))),$(BB)/classifier_bench)

.PHONY: all
all: $(BB)/vsw-flowgen $(BB)/dp-watch $(BB)/dp-dump $(BB)/crr $(BB)/ovs-unixctl $(MEGAFLOW_EFF) $(LOOKUP_BENCH) $(CLS_BENCH)

$(BB)/classifier_bench: tests/host/bench_classifier.c $(LIBVSW)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BENCH) -Itests/host -o $@ $< $(LIBVSW) -lmnl -lpthread -lm

$(BB)/ovs-unixctl: bench/ovs-unixctl.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BENCH) -o $@ $<

$(BB)/lookup_bench: bench/lookup_bench.c $(KH_OBJS)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) -O2 -g -Wall -Wextra -DVSW_HOST -D_GNU_SOURCE -Itests/kshim \
		-Iinclude -Ikmod -Iinclude/uapi -o $@ $< $(KH_OBJS) -lpthread -lm

# vsw-flowgen and dp-watch talk netlink through libvsw.a's client (nl-sock).
$(BB)/vsw-flowgen: bench/vsw-flowgen.c include/uapi/linux/vswitch.h $(LIBVSW)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BENCH) -o $@ $< $(LIBVSW) -lmnl

$(BB)/dp-dump: bench/dp-dump.c $(LIBVSW)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BENCH) -o $@ $< $(LIBVSW) -lmnl

$(BB)/dp-watch: bench/dp-watch.c include/uapi/linux/vswitch.h $(LIBVSW)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BENCH) -o $@ $< $(LIBVSW) -lmnl

# Built (and kept fresh) by the top-level Makefile; made here only if missing.
$(LIBVSW):
	@$(MAKE) --no-print-directory -f Makefile $(LIBVSW)

$(BB)/crr: bench/crr.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BENCH) -o $@ $< -lm

$(BB)/megaflow_eff: bench/megaflow_eff.c $(LIBVSW)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BENCH) -o $@ $< $(LIBVSW) -lmnl -lpthread -lm
