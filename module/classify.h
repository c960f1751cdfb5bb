/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classification of an inbound IPv4 TCP packet before synfw spends anything
 * on it: a malformed header, a fragment, a spoofed-looking source or a flag
 * combination no TCP sends is turned away here, with one counter per
 * reason. Kernel-agnostic: host unit tests and fuzzers run it.
 *
 * What needs state or the routing table (whether a SYN/ACK belongs to a
 * flow, whether an address is the router's own) is the caller's to judge.
 */
#ifndef _SYNFW_CLASSIFY_H
#define _SYNFW_CLASSIFY_H

#include "compat.h"

/* Verdicts, in the order the checks run: the first failing one wins. */
enum synfw_class {
	SYNFW_CLASS_OK,
	SYNFW_CLASS_BAD_IP_HEADER,	/* not IPv4, or lengths that do not add up */
	SYNFW_CLASS_FRAGMENT,		/* a non-first fragment: no TCP header in it */
	SYNFW_CLASS_MARTIAN_SRC,	/* 0/8, 127/8, 224/4 (multicast), 240/4 */
	SYNFW_CLASS_LAND,		/* source address == destination address */
	SYNFW_CLASS_BAD_TCP_HEADER,	/* data offset below 5 or past the end */
	SYNFW_CLASS_ILLEGAL_FLAGS,	/* SYN+FIN, SYN+RST, NULL, XMAS, FIN w/o ACK */
	SYNFW_CLASS_NR,
};

/* Stable lowercase names of the verdicts, for counters: "ok", "fragment"... */
extern const char * const synfw_class_names[SYNFW_CLASS_NR];

/* Where the TCP header of a packet classified OK lies. */
struct synfw_class_tcp {
	u16 off;		/* from the start of the IP header: ihl * 4 */
	u16 len;		/* options included: doff * 4 */
};

/*
 * Classify the IPv4 packet at ip, which is TCP (the caller checked the
 * protocol). avail bytes are readable at ip; pktlen is the packet's length
 * from the IP header on, which may be more than avail when the packet is
 * not linear: give at least the IP header and 60 bytes, or the whole
 * packet, so that any TCP header can be judged. Nothing past avail is read.
 *
 * A first fragment (MF set, offset 0) is classified as a whole packet: its
 * TCP header must fit in it. Returns the verdict; on SYNFW_CLASS_OK, also
 * where the TCP header lies in *tcp, which is left untouched otherwise.
 */
enum synfw_class synfw_classify_ipv4(const u8 *ip, unsigned int avail, unsigned int pktlen,
				     struct synfw_class_tcp *tcp);

#endif /* _SYNFW_CLASSIFY_H */
