// SPDX-License-Identifier: GPL-2.0
/* The userspace side of tests/host/xkey.h (built against userspace/lib). */
#include <string.h>
#include "flow-extract.h"
#include "xkey.h"

void xkey_userspace_extract(const uint8_t *frame, size_t len,
			    uint32_t in_port, struct xkey *x)
{
	struct flow f;

	memset(&f, 0, sizeof(f));
	flow_extract(frame, len, in_port, &f);
	memset(x, 0, sizeof(*x));
#define S(n) XKEY_GET_S(x, &f, n)
#define A(n) XKEY_GET_A(x, &f, n)
	XKEY_FIELDS(S, A)
#undef S
#undef A
#define S(n) XKEY_GET_S(&x->tun, &f.tunnel, n)
#define A(n) XKEY_GET_A(&x->tun, &f.tunnel, n)
	XKEY_TUN_FIELDS(S, A)
#undef S
#undef A
}
