# kmod files that also build for userspace (with tests/kshim, -DVSW_HOST),
# linked into tests/host/test_k*.c and bench/lookup_bench.c.
# The flow table's files, without the netlink side (flow_netlink.c).
KMOD_FLOW_TABLE_SRCS := kmod/flow_table.c kmod/flow_ptab.c kmod/flow_lookup.c \
			kmod/flow_microflow.c kmod/flow_stats.c kmod/flow_rebalance.c
KMOD_HOST_SRCS := kmod/flow_key.c $(KMOD_FLOW_TABLE_SRCS)

# Naming the host objects as prerequisites of a target makes them "ought
# to exist" for make, so the test_k% pattern rule is chosen over test_%
# even in a clean tree.
.PHONY: kmod-host-objs
kmod-host-objs: $(patsubst %.c,$(B)/kmod-host/%.o,$(notdir $(KMOD_HOST_SRCS) $(wildcard tests/kshim/*.c)))

# build/bench/lookup_bench: ns per lookup of the host-built flow table
# (make bench-host; run build/bench/lookup_bench).
.PHONY: bench-host
bench-host: build/bench/lookup_bench
build/bench/lookup_bench: bench/lookup_bench.c $(KMOD_FLOW_TABLE_SRCS) $(wildcard kmod/flow*.h) tests/kshim/kshim.c tests/kshim/kshim.h
	@mkdir -p $(@D)
	@echo "  CC-HOST $<"
	$(Q)$(CC) -O2 -g -Wall -Wextra -Wno-unused-parameter -DVSW_HOST -Itests/kshim -Ikmod -Iinclude -Iinclude/uapi -o $@ bench/lookup_bench.c $(KMOD_FLOW_TABLE_SRCS) tests/kshim/kshim.c
