// SPDX-License-Identifier: GPL-2.0
/*
 * Classification of inbound IPv4 TCP packets (RFC 791, RFC 9293, RFC 6890
 * for the special-purpose address blocks), shared by the module, the host
 * unit tests and fuzzers.
 */

#include "classify.h"

const char * const synfw_class_names[SYNFW_CLASS_NR] = {
	[SYNFW_CLASS_OK]		= "ok",
	[SYNFW_CLASS_BAD_IP_HEADER]	= "bad_ip_header",
	[SYNFW_CLASS_FRAGMENT]		= "fragment",
	[SYNFW_CLASS_MARTIAN_SRC]	= "martian_src",
	[SYNFW_CLASS_LAND]		= "land",
	[SYNFW_CLASS_BAD_TCP_HEADER]	= "bad_tcp_header",
	[SYNFW_CLASS_ILLEGAL_FLAGS]	= "illegal_flags",
};

/* Offsets and sizes in the IPv4 and TCP headers. */
enum {
	IP_VIHL		= 0,
	IP_TOT_LEN	= 2,
	IP_FRAG_OFF	= 6,
	IP_SADDR	= 12,
	IP_DADDR	= 16,
	IP_MIN		= 20,
	TCP_DOFF	= 12,
	TCP_FLAGS	= 13,
	TCP_MIN		= 20,
};

#define IP_OFFSET_MASK	0x1fff

enum {
	F_FIN	= 0x01,
	F_SYN	= 0x02,
	F_RST	= 0x04,
	F_PSH	= 0x08,
	F_ACK	= 0x10,
	F_URG	= 0x20,
};

#define F_CONTROL	(F_FIN | F_SYN | F_RST | F_PSH | F_ACK | F_URG)
#define F_XMAS		(F_FIN | F_PSH | F_URG)

/*
 * The header is IPv4, whole in the avail bytes, and its lengths agree with
 * the packet: a datagram shorter than its header or longer than the packet
 * lies about itself. Gives the header's and the datagram's lengths.
 */
static bool ip_header_ok(const u8 *ip, unsigned int avail, unsigned int pktlen,
			 unsigned int *hlen, unsigned int *tot)
{
	if (avail < IP_MIN || ip[IP_VIHL] >> 4 != 4)
		return false;
	*hlen = (ip[IP_VIHL] & 0xf) * 4;
	*tot = get_unaligned_be16(ip + IP_TOT_LEN);
	return *hlen >= IP_MIN && *hlen <= avail && *tot >= *hlen && *tot <= pktlen;
}

/* A later fragment: what follows its header is data, never a TCP header. */
static bool later_fragment(const u8 *ip)
{
	return get_unaligned_be16(ip + IP_FRAG_OFF) & IP_OFFSET_MASK;
}

/*
 * Sources no packet from outside can truly have: "this network" (0/8),
 * loopback (127/8), multicast (224/4) and the reserved 240/4 with the
 * limited broadcast. A SYN/ACK to one would go nowhere, or somewhere wrong.
 */
static bool martian(__be32 saddr)
{
	u32 a = ntohl(saddr);

	return a >> 24 == 0 || a >> 24 == 127 || a >= 0xe0000000;
}

static enum synfw_class addresses(const u8 *ip)
{
	__be32 saddr, daddr;

	memcpy(&saddr, ip + IP_SADDR, sizeof(saddr));
	memcpy(&daddr, ip + IP_DADDR, sizeof(daddr));
	if (martian(saddr))
		return SYNFW_CLASS_MARTIAN_SRC;
	/* LAND: a host answering it would talk to itself. */
	if (saddr == daddr)
		return SYNFW_CLASS_LAND;
	return SYNFW_CLASS_OK;
}

/* The TCP header at th fits in the len bytes left; gives its length. */
static bool tcp_header_ok(const u8 *th, unsigned int len, unsigned int *thlen)
{
	if (len < TCP_MIN)
		return false;
	*thlen = (th[TCP_DOFF] >> 4) * 4;
	return *thlen >= TCP_MIN && *thlen <= len;
}

/*
 * Flag combinations no TCP sends, only scanners and stack fingerprinters:
 * SYN with FIN or RST (open and close at once); NULL (no control flag; ECE
 * and CWR alone do not make a segment); XMAS (FIN, PSH and URG lit, even
 * with ACK); and FIN without ACK, since every segment after the SYN
 * acknowledges. RST alone is legal: it answers a segment without ACK.
 */
static bool illegal_flags(u8 f)
{
	if ((f & F_SYN) && (f & (F_FIN | F_RST)))
		return true;
	if (!(f & F_CONTROL))
		return true;
	if ((f & F_XMAS) == F_XMAS)
		return true;
	return (f & (F_FIN | F_ACK)) == F_FIN;
}

enum synfw_class synfw_classify_ipv4(const u8 *ip, unsigned int avail, unsigned int pktlen,
				     struct synfw_class_tcp *tcp)
{
	unsigned int hlen, tot, thlen;
	enum synfw_class v;

	if (!ip_header_ok(ip, avail, pktlen, &hlen, &tot))
		return SYNFW_CLASS_BAD_IP_HEADER;
	if (later_fragment(ip))
		return SYNFW_CLASS_FRAGMENT;
	/* Only now: a later fragment may rightly hold less than a TCP header. */
	if (tot - hlen < TCP_MIN)
		return SYNFW_CLASS_BAD_IP_HEADER;
	v = addresses(ip);
	if (v != SYNFW_CLASS_OK)
		return v;
	if (!tcp_header_ok(ip + hlen, min_t(unsigned int, tot, avail) - hlen, &thlen))
		return SYNFW_CLASS_BAD_TCP_HEADER;
	if (illegal_flags(ip[hlen + TCP_FLAGS]))
		return SYNFW_CLASS_ILLEGAL_FLAGS;
	tcp->off = hlen;
	tcp->len = thlen;
	return SYNFW_CLASS_OK;
}
