/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Link monitor: an rtnetlink socket (libnl-route-3) in RTNLGRP_LINK, so
 * ports whose interface appears later (a VM starting) are attached then,
 * and marked detached when the interface goes away; a link going up or
 * down (IFF_RUNNING) changes the port's liveness (fast_failover groups).
 */
#ifndef VSWD_LINKMON_H
#define VSWD_LINKMON_H

#include <stddef.h>

/* 0, or a negative libnl error (NLE_*) with its text in @err. */
int linkmon_open(char *err, size_t errlen);
void linkmon_close(void);
int linkmon_fd(void);
/* Reads pending link events and applies them (takes vswd.mutex). */
void linkmon_run(void);

#endif /* VSWD_LINKMON_H */
