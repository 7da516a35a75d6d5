/* SPDX-License-Identifier: GPL-2.0 */
/* The flow key of a frame in userspace, as the kernel extracts it. */
#ifndef VSW_LIB_FLOW_EXTRACT_H
#define VSW_LIB_FLOW_EXTRACT_H

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include "flow.h"

/* Fills @f from the @len bytes of Ethernet frame @p received on
 * @in_port; fields of layers that are absent or truncated stay zero. */
void flow_extract(const uint8_t *p, size_t len, uint32_t in_port,
		  struct flow *f);

#endif /* VSW_LIB_FLOW_EXTRACT_H */
