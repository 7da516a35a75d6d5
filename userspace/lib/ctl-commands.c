// SPDX-License-Identifier: GPL-2.0
#include "ctl-commands.h"

#include <stdio.h>
#include <string.h>

const struct ctl_command ctl_commands[] = {
	{ "add-br", 1, 1, "BR", "create a bridge and its kernel datapath",
	  "Creates bridge BR, its kernel datapath (local port netdev BR) and\n"
	  "the default rule table=0,priority=0,actions=NORMAL.\n" },
	{ "del-br", 1, 1, "BR", "delete a bridge and its kernel datapath",
	  "Deletes bridge BR with its ports, rules and kernel datapath.\n" },
	{ "list-br", 0, 0, "", "list bridges", "Prints one bridge name per line.\n",
	  CTL_F_LISTING },
	{ "add-port", 2, 16, "BR IFACE [ofport=N] [tag=VID | trunks=VID,...] "
	  "[type=vxlan|geneve|gre|patch options:KEY=VALUE...]",
	  "add a port to a bridge",
	  "Adds interface IFACE to BR as OpenFlow port N (default: the lowest\n"
	  "free number). tag=VID makes it an access port of VLAN VID; trunks=\n"
	  "a trunk carrying only those VLANs; neither, a trunk of all VLANs.\n"
	  "IFACE need not exist yet: it is attached when it appears.\n"
	  "type=vxlan|geneve|gre makes IFACE a tunnel port (a name only) on\n"
	  "the shared flow-based device of that type and UDP port, with\n"
	  "options:remote_ip=IP|flow (required), options:key=N|flow,\n"
	  "options:local_ip=IP, options:dst_port=N, options:ttl=N,\n"
	  "options:tos=N, options:csum=true|false, options:df_default=true|false\n"
	  "(docs/tunnels.md).\n"
	  "type=patch options:peer=OTHER makes IFACE a patch port (no device)\n"
	  "to patch port OTHER, whose options:peer names IFACE back: output\n"
	  "to it continues in OTHER's bridge (docs/tunnels.md).\n" },
	{ "del-port", 2, 2, "BR IFACE", "remove a port from a bridge",
	  "Detaches and forgets IFACE.\n" },
	{ "list-ports", 1, 1, "BR", "list the ports of a bridge",
	  "Prints one port name per line, sorted.\n", CTL_F_LISTING },
	{ "show", 0, 1, "[BR]", "show bridges, ports, port numbers and state",
	  "For each bridge: its datapath state and its ports with OpenFlow\n"
	  "port number, interface state and VLAN mode.\n", CTL_F_LISTING },
	{ "add-flow", 2, 2, "BR FLOW", "add a rule (ovs-ofctl syntax)",
	  "FLOW is [table=T,][priority=P,][cookie=C,][idle_timeout=S,]\n"
	  "[hard_timeout=S,]MATCH,actions=ACTIONS as in ovs-ofctl add-flow.\n" },
	{ "add-flows", 2, 2, "BR FILE", "add the rules in FILE ('-' = stdin)",
	  "One FLOW per line; blank lines and lines starting with # are\n"
	  "skipped. All or nothing: an error names its line and adds none.\n",
	  0, 2 },
	{ "del-flows", 1, 2, "BR [FLOW] [--strict]", "delete rules",
	  "Without FLOW deletes every rule. With FLOW deletes the rules it\n"
	  "matches (ovs-ofctl semantics); --strict needs the same match and\n"
	  "priority.\n", CTL_F_STRICT },
	{ "mod-flows", 2, 2, "BR FLOW [--strict]", "change the actions of rules",
	  "FLOW's actions replace those of every rule its match selects, as\n"
	  "del-flows selects (in FLOW's table, or all tables without table=);\n"
	  "--strict: only the rule with FLOW's exact match and priority. Each\n"
	  "rule keeps its cookie, timeouts and counters.\n", CTL_F_STRICT },
	{ "replace-flows", 2, 2, "BR FILE", "make a bridge's rules those of FILE",
	  "Rules of FILE (as add-flows reads it; '-' = stdin) missing from BR\n"
	  "are added, rules of BR missing from FILE deleted, and those whose\n"
	  "actions, cookie or timeouts differ replaced keeping their counters.\n"
	  "Rules that are the same are not touched, nor are their megaflows.\n"
	  "All or nothing: an error names its line and changes nothing.\n",
	  0, 2 },
	{ "diff-flows", 2, 2, "BR FILE", "print how BR's rules differ from FILE's",
	  "Prints '-' and a rule of BR missing from FILE, '+' and a rule of\n"
	  "FILE missing from BR, both for a rule whose actions, cookie or\n"
	  "timeouts differ; each as add-flow reads it. Exit status 0: the\n"
	  "same, 2: they differ, 1: an error (as ovs-ofctl diff-flows).\n",
	  0, 2 },
	{ "dump-flows", 1, 2, "BR [FLOW]", "print rules with their counters",
	  "Prints each rule as ovs-ofctl dump-flows does: cookie, duration,\n"
	  "table, n_packets, n_bytes, priority, match, actions.\n",
	  CTL_F_LISTING },
	{ "add-group", 2, 2, "BR GROUP", "add an OpenFlow group (ovs-ofctl syntax)",
	  "GROUP is group_id=N,type=all|select|indirect|fast_failover, then\n"
	  "its buckets: bucket=[weight:W,][watch_port:P,]actions=ACTIONS,\n"
	  "bucket=... (weight: select only, default 1; watch_port: required\n"
	  "by fast_failover). Rules use it with actions=group:N.\n" },
	{ "add-groups", 2, 2, "BR FILE", "add the groups in FILE ('-' = stdin)",
	  "One GROUP per line; blank lines and lines starting with # are\n"
	  "skipped. All or nothing: an error names its line and adds none.\n",
	  0, 2 },
	{ "mod-group", 2, 2, "BR GROUP", "replace an OpenFlow group",
	  "GROUP as for add-group; the group must exist. Its counters stay.\n" },
	{ "del-groups", 1, 2, "BR [group_id=N]", "delete OpenFlow groups",
	  "Without an id deletes every group. The rules that forward to a\n"
	  "deleted group are deleted with it; a group another group's bucket\n"
	  "forwards to cannot be deleted alone.\n" },
	{ "dump-groups", 1, 2, "BR [N]", "print OpenFlow groups",
	  "Prints each group (or group N) in add-group syntax.\n",
	  CTL_F_LISTING },
	{ "dump-group-stats", 1, 2, "BR [N]", "print OpenFlow group counters",
	  "Prints each group's duration, ref_count (rules forwarding to it),\n"
	  "packet_count and byte_count, and each bucket's counts.\n",
	  CTL_F_LISTING },
	{ "dump-dp-flows", 1, 1, "BR", "print the kernel's megaflows",
	  "Prints each megaflow in the kernel as ovs-dpctl dump-flows does:\n"
	  "match with masks, packets, bytes, used, actions.\n", CTL_F_LISTING },
	{ "check-dp-flows", 1, 1, "BR",
	  "check every megaflow against a fresh translation",
	  "Translates each megaflow in the kernel again with the current\n"
	  "rules and MAC table and compares: its actions must be the same and\n"
	  "its mask must hold every bit the translation consults. Prints how\n"
	  "many were checked; exit 1 naming the first that differs. Right\n"
	  "after a change the revalidator may not have caught up yet.\n" },
	{ "dp-stats", 1, 1, "BR", "print datapath and daemon counters",
	  "Lookups (microflow hits, megaflow hits, misses, lost), flows, masks,\n"
	  "masks probed per packet, recirculations, what ct actions did\n"
	  "(packets, committed, nat, invalid, refused, dropped), per-port upcall\n"
	  "counters, and the daemon's upcall, install, revalidation and CPU\n"
	  "counters.\n", CTL_F_LISTING },
	{ "trace", 2, 2, "BR FLOW [--ct-next FLAGS]...",
	  "show how a packet would be handled",
	  "FLOW describes a packet (in_port required; missing fields are 0).\n"
	  "Prints the rules matched table by table, Datapath actions and\n"
	  "Megaflow, as Open vSwitch's ofproto/trace. Learns and installs\n"
	  "nothing. Each pass a ct(table=N) recirculates to is traced after\n"
	  "it; --ct-next FLAGS (e.g. trk,est) is what conntrack answers, one\n"
	  "per ct in order, trk,new by default.\n", CTL_F_CT_NEXT },
	{ "fdb-show", 1, 1, "BR", "print learned MAC addresses",
	  "Prints port, VLAN, MAC and age (seconds) of each learned address.\n",
	  CTL_F_LISTING },
	{ "dump-conntrack", 0, 2, "[BR] [zone=N]", "print the kernel's tracked connections",
	  "Prints each connection of the kernel's tracker in vswitchd's network\n"
	  "namespace (shared by all its bridges) as ovs-appctl\n"
	  "dpctl/dump-conntrack does: protocol, orig=(...), reply=(...), zone,\n"
	  "mark, labels, protoinfo=(state=...). zone=N: that zone's only.\n",
	  CTL_F_LISTING },
	{ "flush-conntrack", 0, 12, "[BR] [zone=N] [ct_nw_src=IP,ct_nw_dst=IP,"
	  "ct_nw_proto=N,ct_tp_src=N,ct_tp_dst=N]", "delete tracked connections",
	  "Without arguments deletes every connection of vswitchd's network\n"
	  "namespace. zone=N: that zone's. A tuple (fields of the original\n"
	  "direction, comma-separated: ct_nw_src, ct_nw_dst or ct_ipv6_src,\n"
	  "ct_ipv6_dst, ct_nw_proto, ct_tp_src, ct_tp_dst, icmp_id, icmp_type,\n"
	  "icmp_code; any subset): the connections that have them, in zone N\n"
	  "or, without zone=, in zone 0 as ovs-dpctl does.\n" },
	{ "set-controller", 2, 9, "BR TARGET...", "put a bridge under OpenFlow controllers",
	  "TARGET: tcp:IP[:PORT] and unix:PATH connect to a controller (and\n"
	  "reconnect, 1 s to 8 s apart); ptcp:[PORT][:IP] and punix:PATH listen\n"
	  "for one. PORT defaults to 6653. Replaces the bridge's targets. The\n"
	  "management socket punix:/run/vswitch/BR.mgmt is always there.\n" },
	{ "get-controller", 1, 1, "BR", "print a bridge's controller targets",
	  "Prints one target per line.\n" },
	{ "del-controller", 1, 1, "BR", "remove a bridge's controller targets",
	  "Closes their connections; the management socket stays.\n" },
	{ "set-fail-mode", 2, 2, "BR secure|standalone",
	  "what a bridge does without its controllers",
	  "standalone (the default): when none of the bridge's tcp:/unix:\n"
	  "controllers has been connected for three inactivity probes\n"
	  "(set BR inactivity-probe=T, default 5s), the bridge falls back to\n"
	  "NORMAL switching (a hidden table 0 rule, shown by show and trace)\n"
	  "until one connects. secure: the rules go on deciding alone.\n" },
	{ "get-fail-mode", 1, 1, "BR", "print a bridge's fail mode",
	  "Prints secure or standalone; nothing when unset (standalone).\n" },
	{ "del-fail-mode", 1, 1, "BR", "unset a bridge's fail mode",
	  "Back to the default, standalone.\n" },
	{ "set", 2, 8, "BR KEY=VALUE...", "change bridge settings",
	  "Keys: flow-limit=N (megaflows), idle-timeout=T (megaflow idle\n"
	  "timeout: 500ms, 10s; a bare number is milliseconds), microflow-size=N\n"
	  "(entries per CPU, 0 or a power of two), upcall-rate=N (per port and\n"
	  "second, 0 = unlimited), upcall-burst=N, handler-threads=N,\n"
	  "inactivity-probe=T (OpenFlow echo after T of silence, 100ms..3600s,\n"
	  "0 = none; default 5s).\n" },
};

const size_t ctl_n_commands = sizeof(ctl_commands) / sizeof(ctl_commands[0]);

const struct ctl_command *ctl_command_find(const char *name)
{
	size_t i;

	for (i = 0; i < ctl_n_commands; i++)
		if (!strcmp(ctl_commands[i].name, name))
			return &ctl_commands[i];
	return NULL;
}

int ctl_command_check(const struct ctl_command *c, int nargs, unsigned opts,
		      char *err, size_t errlen)
{
	unsigned extra = opts & ~c->flags;

	if (nargs < c->min_args || nargs > c->max_args)
		snprintf(err, errlen, "%s: wrong number of arguments", c->name);
	else if (extra & CTL_F_LISTING)
		snprintf(err, errlen, "%s: --json applies only to listings",
			 c->name);
	else if (extra & CTL_F_STRICT)
		snprintf(err, errlen, "%s: --strict applies only to del-flows and mod-flows",
			 c->name);
	else if (extra & CTL_F_CT_NEXT)
		snprintf(err, errlen, "%s: --ct-next applies only to trace",
			 c->name);
	else
		return 0;
	return -1;
}
