#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 240
#
# fail_mode with the kernel datapath: a bridge without rules under a
# controller nobody answers falls back to NORMAL (standalone) after three
# inactivity probes and the namespaces ping; secure ends it and the
# megaflows cached meanwhile stop forwarding; a controller that completes
# HELLO ends it too. (The log is checked by tests/host/test_fail_open.c:
# a detached daemon's stderr goes nowhere.)
#
#   ns fma               +-------- fmbr --------+              ns fmb
#   va 192.0.2.1 ------- | 1 fmpa       2 fmpb  | ------- vb 192.0.2.2
#                        +----------------------+
#         controller target tcp:127.0.0.1:16655 (closed, then a peer)
. "$(dirname "$0")/../lib.sh"

vs_require_root
vs_require_vswitch
vs_require_cmd ip ping python3 ss
[ -x "$VSWD" ] && [ -x "$VSCTL" ] || vs_skip_all "build/vswitchd or build/vswitchctl not built"

vs_vswitchd_dir fm
PORT=16655

ping1() { ip netns exec fma ping -c 1 -W 1 192.0.2.2 > /dev/null; }
no_ping() { ! ping1; }
failed_open() { "$VSCTL" show fmbr | grep -q 'fail_open: active'; }
not_failed_open() { ! failed_open; }

setup() {
	vs_vswitchd_start
	vs_vm fma fmpa va 02:00:00:0f:01:01 192.0.2.1/24
	vs_vm fmb fmpb vb 02:00:00:0f:01:02 192.0.2.2/24
	"$VSCTL" add-br fmbr
	vs_defer "$VSCTL" del-br fmbr
	"$VSCTL" add-port fmbr fmpa ofport=1
	"$VSCTL" add-port fmbr fmpb ofport=2
	"$VSCTL" del-flows fmbr
	vs_vm_up fma fmpa va
	vs_vm_up fmb fmpb vb
	vs_wait_for 10 sh -c "'$VSCTL' show fmbr | grep -c 'interface: attached' | grep -qx 2"
	vs_expect_fail ping1
}

standalone_fails_open_to_normal() {
	"$VSCTL" set fmbr inactivity-probe=200ms
	"$VSCTL" set-controller fmbr tcp:127.0.0.1:$PORT
	vs_wait_for 20 failed_open
	# the drop megaflows cached before are revalidated, not at once
	vs_wait_for 10 ping1 || vs_die "no NORMAL switching while failed open"
	"$VSCTL" dump-flows fmbr | grep -q NORMAL && vs_die "the hidden rule is listed"
	"$VSCTL" dump-dp-flows fmbr
	"$VSCTL" check-dp-flows fmbr
}

secure_ends_it_and_the_cached_flows() {
	"$VSCTL" set-fail-mode fmbr secure
	not_failed_open || vs_die "still failed open"
	# the megaflows NORMAL installed are revalidated away
	vs_wait_for 5 no_ping
	vs_wait_for 5 "$VSCTL" check-dp-flows fmbr
	"$VSCTL" del-fail-mode fmbr
	vs_wait_for 20 failed_open
	vs_wait_for 5 ping1
}

a_controller_that_connects_ends_it() {
	cat > "$DIR/peer.py" <<'PY'
import socket, struct, sys, time
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', int(sys.argv[1])))
srv.listen(1)
c, _ = srv.accept()
c.settimeout(1)
c.sendall(struct.pack('!BBHI', 4, 0, 8, 1))    # HELLO
end = time.time() + 60
buf = b''
while time.time() < end:                        # answer echo requests
    try:
        d = c.recv(4096)
    except socket.timeout:
        continue
    if not d:
        break
    buf += d
    while len(buf) >= 8:
        ver, typ, n, xid = struct.unpack('!BBHI', buf[:8])
        if len(buf) < n:
            break
        if typ == 2:
            c.sendall(struct.pack('!BBHI', 4, 3, n, xid) + buf[8:n])
        buf = buf[n:]
PY
	python3 "$DIR/peer.py" $PORT > "$DIR/peer.out" 2>&1 &
	vs_defer kill $!
	vs_wait_for 20 not_failed_open
	"$VSCTL" show fmbr | grep -q ': connected$' || vs_die "not connected"
	# no rule: the table misses drop again
	vs_wait_for 5 no_ping
}

run_case "setup: daemon, bridge without rules, two namespaces" setup
run_case "standalone: no controller for three probes, NORMAL switches" \
	standalone_fails_open_to_normal
run_case "secure ends the fallback and its cached megaflows" \
	secure_ends_it_and_the_cached_flows
run_case "a controller that connects ends the fallback" \
	a_controller_that_connects_ends_it
vs_done
