# SPDX-License-Identifier: GPL-2.0
"""What the selftests' Python checks of packets on the wire share."""

import struct

from scapy.utils import checksum


def sums_ok(ip):
    """Whether the IPv4 header and its TCP segment (bytes of both) checksum."""
    hl = (ip[0] & 15) * 4
    seg = ip[hl:struct.unpack("!H", ip[2:4])[0]]
    pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(seg))
    return checksum(ip[:hl]) == 0 and checksum(pseudo + seg) == 0
