/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's persistent configuration: bridges (with settings), ports
 * and rules, in vswd.state_dir/STATE_FILE (lib/persist.h format):
 *
 *   bridge BR flow-limit=N idle-timeout=Nms microflow-size=N ...
 *   port BR IFACE ofport=N [tag=VID | trunks=V,V]
 *   flow BR table=T,priority=P,cookie=0xC,[idle_timeout=S,]MATCH,actions=A
 *   controller BR TARGET...          (set-controller's targets, ofconn.h)
 *
 * Flow records are lib/ofp-rule.h's: whatever the daemon saves loads back.
 */
#ifndef VSWD_STATE_H
#define VSWD_STATE_H

#include <stddef.h>

#define STATE_FILE "state.conf"

/* Called with vswd.mutex held. Returns 0 or -1 with @err set. */
int state_save(char *err, size_t errlen);
/* Loads the configuration model (no datapath calls). 0 = loaded or no
 * file; -1 with @err = "PATH:LINE: what" when the file is bad, in which
 * case everything loaded so far is discarded. Called with the mutex. */
int state_load(char *err, size_t errlen);
/* True once a load failed: saving is refused until the operator moved
 * the file aside (or the daemon did with --discard-corrupt-state). */
extern int state_corrupt;

#endif /* VSWD_STATE_H */
