// SPDX-License-Identifier: GPL-2.0
/* Userspace implementations behind kshim.h. */
#include <stdio.h>
#include "kshim.h"

unsigned int nr_cpu_ids = 1;
unsigned int kshim_cur_cpu;
unsigned long jiffies = 1;
unsigned int kshim_warnings;
long kshim_live_allocs;
unsigned long kshim_percpu_allocs;
static long fail_after = -1;

void kshim_warn(const char *cond, const char *file, int line)
{
	kshim_warnings++;
	fprintf(stderr, "kshim: WARN_ON(%s) at %s:%d\n", cond, file, line);
}

static bool should_fail(void)
{
	if (fail_after < 0)
		return false;
	if (fail_after-- > 0)
		return false;
	return true;	/* fail_after is now -1: fails once */
}

void kshim_fail_alloc_after(long n)
{
	fail_after = n;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	(void)gfp;
	if (should_fail())
		return NULL;
	p = malloc(size ? size : 1);
	if (p)
		kshim_live_allocs++;
	return p;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, gfp);

	if (p)
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size, gfp);
}

void kfree(const void *p)
{
	if (!p)
		return;
	kshim_live_allocs--;
	free((void *)p);
}

/* One kmalloc: KSHIM_MAX_CPUS units of which only the first @size bytes
 * are used. Each copy is zeroed, whatever nr_cpu_ids is now.
 */
void *__alloc_percpu(size_t size, size_t align)
{
	unsigned int cpu;
	char *p;

	if (size > KSHIM_PCPU_UNIT || align > __alignof__(max_align_t)) {
		kshim_warn("per-CPU object too large or too aligned",
			   __FILE__, __LINE__);
		return NULL;
	}
	p = kmalloc((KSHIM_MAX_CPUS - 1) * KSHIM_PCPU_UNIT + size, 0);
	if (!p)
		return NULL;
	for (cpu = 0; cpu < KSHIM_MAX_CPUS; cpu++)
		memset(p + cpu * KSHIM_PCPU_UNIT, 0, size);
	kshim_percpu_allocs++;
	return p;
}

void free_percpu(void *p)
{
	kfree(p);
}

void kshim_set_cpus(unsigned int n)
{
	if (n < 1 || n > KSHIM_MAX_CPUS)
		n = 1;
	nr_cpu_ids = n;
	kshim_cur_cpu = 0;
}

void kshim_set_cpu(unsigned int cpu)
{
	kshim_cur_cpu = cpu < nr_cpu_ids ? cpu : 0;
}

u32 get_random_u32(void)
{
	static u64 s = 0x9e3779b97f4a7c15ull;

	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return (u32)s;
}

void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *), void *swap_unused)
{
	(void)swap_unused;
	qsort(base, num, size, cmp);
}
