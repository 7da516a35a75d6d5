# kmod files that also build for userspace (with tests/kshim, -DVSW_HOST),
# linked into tests/host/test_k*.c and bench/lookup_bench.c.
KMOD_HOST_SRCS := kmod/flow_key.c kmod/flow_table.c

# Naming the host objects as prerequisites of a target makes them "ought
# to exist" for make, so the test_k% pattern rule is chosen over test_%
# even in a clean tree.
.PHONY: kmod-host-objs
kmod-host-objs: $(patsubst %.c,build/kmod-host/%.o,$(notdir $(KMOD_HOST_SRCS) $(wildcard tests/kshim/*.c)))
