/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim: just enough of the kernel API, in userspace, to build the
 * module's lookup code (flow_key.c and the flow table's flow_*.c) into host tests and
 * benchmarks. Single-threaded: RCU read sections are no-ops and RCU
 * callbacks run immediately (tests only free after removal, as the module
 * does after a grace period). Per-CPU data has KSHIM_MAX_CPUS copies (see
 * below); kshim_set_cpus() and kshim_set_cpu() choose how many CPUs exist
 * and which one "runs".
 */
#ifndef _VSW_KSHIM_H
#define _VSW_KSHIM_H

#ifndef VSW_HOST
#define VSW_HOST 1
#endif

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define __aligned(x)		__attribute__((aligned(x)))
#define __rcu
#define __percpu
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
#define __uninitialized
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)
#define WARN_ON(c)		({ bool __c = !!(c); if (__c) kshim_warn(#c, __FILE__, __LINE__); __c; })
#define WARN_ON_ONCE(c)		WARN_ON(c)
#define container_of(p, t, m)	((t *)((char *)(p) - offsetof(t, m)))
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define struct_size(p, m, n)	(sizeof(*(p)) + sizeof((p)->m[0]) * (size_t)(n))
#define fallthrough		__attribute__((fallthrough))

void kshim_warn(const char *cond, const char *file, int line);
/* Number of WARN_ON()s that fired; tests assert it stays 0. */
extern unsigned int kshim_warnings;

/* byte order */
/* htons() and friends come from <netinet/in.h> */
#define cpu_to_be16(x)		((__be16)__builtin_bswap16(x))
#define be16_to_cpu(x)		__builtin_bswap16((u16)(x))
#define cpu_to_be32(x)		((__be32)__builtin_bswap32(x))
#define be32_to_cpu(x)		__builtin_bswap32((u32)(x))

/* errors */
#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }

/* memory: GFP flags are accepted and ignored */
typedef unsigned int gfp_t;
#define GFP_KERNEL		0u
#define GFP_ATOMIC		1u
#define __GFP_ZERO		2u
#define GFP_KERNEL_ACCOUNT	4u	/* memcg charging: no meaning here */
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void kfree(const void *p);
#define kvmalloc(s, g)		kmalloc(s, g)
#define kvzalloc(s, g)		kzalloc(s, g)
#define kvcalloc(n, s, g)	kcalloc(n, s, g)
#define kvfree(p)		kfree(p)
#define kzalloc_node(s, g, n)	kzalloc(s, g)
#define kvzalloc_node(s, g, n)	kzalloc(s, g)
/* Fault injection for tests: the next @n allocations succeed, the one
 * after fails (once). -1 disables. */
void kshim_fail_alloc_after(long n);
/* Live allocations (kmalloc minus kfree): tests assert no leak. */
extern long kshim_live_allocs;

/* RCU: single-threaded, so readers need nothing and callbacks run now */
struct rcu_head { void (*func)(struct rcu_head *); };
#define rcu_read_lock()			do { } while (0)
#define rcu_read_unlock()		do { } while (0)
#define rcu_dereference(p)		READ_ONCE(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_dereference_raw(p)		(p)
#define rcu_access_pointer(p)		READ_ONCE(p)
#define rcu_assign_pointer(p, v)	WRITE_ONCE(p, v)
#define RCU_INIT_POINTER(p, v)		((p) = (v))
#define synchronize_rcu()		do { } while (0)
static inline void call_rcu(struct rcu_head *h, void (*f)(struct rcu_head *))
{
	f(h);
}
#define lockdep_assert_held(l)		do { (void)(l); } while (0)
#define lockdep_is_held(l)		1

struct mutex { int unused; };
#define mutex_init(m)			do { (void)(m); } while (0)
#define mutex_destroy(m)		do { (void)(m); } while (0)
#define mutex_lock(m)			do { (void)(m); } while (0)
#define mutex_unlock(m)			do { (void)(m); } while (0)
#define DEFINE_MUTEX(m)			struct mutex m = { 0 }
typedef struct { int unused; } spinlock_t;
#define DEFINE_SPINLOCK(l)		spinlock_t l = { 0 }
#define spin_lock_init(l)		do { (void)(l); } while (0)
#define spin_lock(l)			do { (void)(l); } while (0)
#define spin_unlock(l)			do { (void)(l); } while (0)
#define spin_lock_bh(l)			do { (void)(l); } while (0)
#define spin_unlock_bh(l)		do { (void)(l); } while (0)
#define local_bh_disable()		do { } while (0)
#define local_bh_enable()		do { } while (0)
#define might_sleep()			do { } while (0)

/*
 * per-CPU: as in the kernel, every CPU's copy of a per-CPU object lies at
 * the same offset in that CPU's unit, so a pointer into one (to an element
 * of a per-CPU array, say) is itself a per-CPU pointer. Here the units are
 * KSHIM_PCPU_UNIT bytes apart inside each allocation, and an object must
 * fit in one unit. KSHIM_MAX_CPUS copies; nr_cpu_ids of them are
 * "possible".
 */
#define KSHIM_MAX_CPUS		8
#define KSHIM_PCPU_UNIT		4096
extern unsigned int nr_cpu_ids;
extern unsigned int kshim_cur_cpu;
/* Number of per-CPU allocations made so far (tests count them). */
extern unsigned long kshim_percpu_allocs;
void kshim_set_cpus(unsigned int n);	/* 1..KSHIM_MAX_CPUS */
void kshim_set_cpu(unsigned int cpu);	/* < nr_cpu_ids */
void *__alloc_percpu(size_t size, size_t align);	/* zeroed */
void free_percpu(void *p);
#define smp_processor_id()		kshim_cur_cpu
#define for_each_possible_cpu(c)	for ((c) = 0; (c) < nr_cpu_ids; (c)++)
#define alloc_percpu(type)		((type *)__alloc_percpu(sizeof(type), __alignof__(type)))
#define alloc_percpu_gfp(type, g)	alloc_percpu(type)
#define __alloc_percpu_gfp(s, a, g)	__alloc_percpu(s, a)
#define per_cpu_ptr(p, c)		((typeof(p))((uintptr_t)(p) + (uintptr_t)(c) * KSHIM_PCPU_UNIT))
#define this_cpu_ptr(p)			per_cpu_ptr(p, kshim_cur_cpu)
#define this_cpu_inc(x)			((x)++)

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* time */
extern unsigned long jiffies;
#define HZ			1000
#define time_after(a, b)	((long)((b) - (a)) < 0)

/* random */
u32 get_random_u32(void);

/* sorting, as lib/sort.c */
void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *), void *swap_unused);

/* Bob Jenkins' lookup3 as the kernel's jhash.h uses it */
static inline u32 rol32(u32 w, unsigned int s)
{
	return (w << s) | (w >> ((-s) & 31));
}
#define JHASH_INITVAL		0xdeadbeef
#define __jhash_mix(a, b, c)			\
do {						\
	a -= c; a ^= rol32(c, 4);  c += b;	\
	b -= a; b ^= rol32(a, 6);  a += c;	\
	c -= b; c ^= rol32(b, 8);  b += a;	\
	a -= c; a ^= rol32(c, 16); c += b;	\
	b -= a; b ^= rol32(a, 19); a += c;	\
	c -= b; c ^= rol32(b, 4);  b += a;	\
} while (0)
#define __jhash_final(a, b, c)			\
do {						\
	c ^= b; c -= rol32(b, 14);		\
	a ^= c; a -= rol32(c, 11);		\
	b ^= a; b -= rol32(a, 25);		\
	c ^= b; c -= rol32(b, 16);		\
	a ^= c; a -= rol32(c, 4);		\
	b ^= a; b -= rol32(a, 14);		\
	c ^= b; c -= rol32(b, 24);		\
} while (0)

static inline u32 jhash2(const u32 *k, u32 length, u32 initval)
{
	u32 a, b, c;

	a = b = c = JHASH_INITVAL + (length << 2) + initval;
	while (length > 3) {
		a += k[0];
		b += k[1];
		c += k[2];
		__jhash_mix(a, b, c);
		length -= 3;
		k += 3;
	}
	switch (length) {
	case 3: c += k[2]; fallthrough;
	case 2: b += k[1]; fallthrough;
	case 1: a += k[0];
		__jhash_final(a, b, c);
		break;
	case 0:
		break;
	}
	return c;
}

#endif /* _VSW_KSHIM_H */
