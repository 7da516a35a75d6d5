/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenFlow connection targets in ovs-vsctl's words: "tcp:IP[:PORT]" and
 * "unix:PATH" connect out (to a controller); "ptcp:[PORT][:IP]" and
 * "punix:PATH" listen (for ovs-ofctl and controllers that dial in).
 */
#ifndef VSW_LIB_OFP_TARGET_H
#define VSW_LIB_OFP_TARGET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/un.h>

enum ofp_target_kind { OFPT_TCP, OFPT_UNIX, OFPT_PTCP, OFPT_PUNIX };

struct ofp_target {
	enum ofp_target_kind kind;
	bool passive;				/* ptcp, punix */
	struct sockaddr_in in;			/* tcp, ptcp */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];	/* unix */
};

/* Parses @s; default port 6653, ptcp's default address 0.0.0.0 (IPv4
 * only). Returns 0, or -1 with @err naming what is wrong. */
int ofp_target_parse(const char *s, struct ofp_target *t, char *err,
		     size_t errlen);

#endif /* VSW_LIB_OFP_TARGET_H */
