# SPDX-License-Identifier: GPL-2.0
"""An os-ken app for e2e_osken.sh: an L2 learning switch run entirely by
the controller, written for vswitch's tests.

On connect it installs one table-miss rule (priority 0, everything to the
controller, whole frames). Each PACKET_IN teaches it where the source MAC
lives; a frame for a MAC it knows gets a priority-10 rule (in_port, eth_dst)
and is sent on with PACKET_OUT, any other is flooded with PACKET_OUT.
Every event is written to stdout as one line, for the test to check:
  connected dpid=D
  packet_in dpid=D reason=R table=T cookie=C in_port=P len=L total=N src=S dst=D
  rule dpid=D in_port=P dst=M port=O
  port_status dpid=D reason=R port=P name=N state=S
"""
import sys

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER
from os_ken.controller.handler import set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3


def say(line):
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


class VswLearning(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.where = {}         # dpid -> {mac: port}

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def on_features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        to_ctl = parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)
        inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [to_ctl])]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=0, cookie=0x7ab1e,
                                      match=parser.OFPMatch(), instructions=inst))
        say('connected dpid=%x' % dp.id)

    def known_port(self, dp, in_port, src, dst):
        table = self.where.setdefault(dp.id, {})
        table[src] = in_port
        return table.get(dst)

    def add_rule(self, dp, in_port, dst, port):
        parser = dp.ofproto_parser
        inst = [parser.OFPInstructionActions(
            dp.ofproto.OFPIT_APPLY_ACTIONS, [parser.OFPActionOutput(port)])]
        match = parser.OFPMatch(in_port=in_port, eth_dst=dst)
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=10, match=match,
                                      instructions=inst))
        say('rule dpid=%x in_port=%d dst=%s port=%d' % (dp.id, in_port, dst, port))

    @set_ev_cls(ofp_event.EventOFPPortStatus, MAIN_DISPATCHER)
    def on_port_status(self, ev):
        msg = ev.msg
        say('port_status dpid=%x reason=%d port=%d name=%s state=%d' % (
            msg.datapath.id, msg.reason, msg.desc.port_no,
            msg.desc.name.decode() if isinstance(msg.desc.name, bytes)
            else msg.desc.name, msg.desc.state))

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def on_packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match['in_port']
        eth = packet.Packet(msg.data).get_protocol(ethernet.ethernet)
        say('packet_in dpid=%x reason=%d table=%d cookie=%#x in_port=%d len=%d '
            'total=%d src=%s dst=%s' % (dp.id, msg.reason, msg.table_id,
                                        msg.cookie, in_port, len(msg.data),
                                        msg.total_len, eth.src, eth.dst))
        port = self.known_port(dp, in_port, eth.src, eth.dst)
        if port is not None and port != in_port:
            self.add_rule(dp, in_port, eth.dst, port)
            out = port
        else:
            out = ofp.OFPP_FLOOD
        dp.send_msg(parser.OFPPacketOut(
            datapath=dp, buffer_id=ofp.OFP_NO_BUFFER, in_port=in_port,
            actions=[parser.OFPActionOutput(out)], data=msg.data))
