// SPDX-License-Identifier: GPL-2.0
/*
 * Classification of inbound IPv4 TCP packets: one test per verdict, the
 * edges of every length check, every illegal flag combination and the
 * bounds of every martian range. Every packet is classified from a heap
 * copy of exactly the bytes said to be available, so that ASan catches a
 * read past them.
 */
#include <stdlib.h>

#include "classify.h"
#include "unit.h"

#define FIN	0x01
#define SYN	0x02
#define RST	0x04
#define PSH	0x08
#define ACK	0x10
#define URG	0x20
#define ECE	0x40
#define CWR	0x80

#define IP(a, b, c, d)	((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define CLIENT		IP(198, 51, 100, 7)
#define SERVER		IP(10, 0, 2, 99)

/* Room for the largest headers and some payload. */
#define BUF		200

/*
 * An IPv4 packet from CLIENT:40000 to SERVER:8080 with ihl and doff words of
 * header, IP options of NOPs and TCP options of NOPs, and payload bytes of
 * data; tot_len says exactly that. Returns the packet's length.
 */
static unsigned int pkt(u8 *b, unsigned int ihl, unsigned int doff, u8 flags,
			unsigned int payload)
{
	unsigned int hlen = ihl * 4, len = hlen + doff * 4 + payload;
	u8 *th = b + hlen;

	memset(b, 0, BUF);
	b[0] = 0x40 | ihl;
	put_unaligned_be16(len, b + 2);
	put_unaligned_be16(0x4000, b + 6);	/* DF */
	b[8] = 64;
	b[9] = 6;
	put_unaligned_be32(CLIENT, b + 12);
	put_unaligned_be32(SERVER, b + 16);
	memset(b + 20, 1, hlen > 20 ? hlen - 20 : 0);

	put_unaligned_be16(40000, th);
	put_unaligned_be16(8080, th + 2);
	put_unaligned_be32(0x12345678, th + 4);
	th[12] = doff << 4;
	th[13] = flags;
	put_unaligned_be16(64240, th + 14);
	memset(th + 20, 1, doff > 5 ? doff * 4 - 20 : 0);
	return len;
}

static void set_flags(u8 *b, u8 flags)
{
	b[(b[0] & 0xf) * 4 + 13] = flags;
}

/* Classify avail bytes of b; *tcp must change only on OK. */
static int classify_n(const u8 *b, unsigned int avail, unsigned int pktlen,
		      struct synfw_class_tcp *tcp)
{
	struct synfw_class_tcp t = { 0xa5a5, 0xa5a5 };
	u8 *c = malloc(avail ? avail : 1);
	int v;

	if (!c)
		abort();
	memcpy(c, b, avail);
	v = synfw_classify_ipv4(c, avail, pktlen, &t);
	free(c);
	EXPECT_TRUE(v >= SYNFW_CLASS_OK && v < SYNFW_CLASS_NR);
	if (v != SYNFW_CLASS_OK) {
		EXPECT_EQ(t.off, 0xa5a5);
		EXPECT_EQ(t.len, 0xa5a5);
	}
	if (tcp)
		*tcp = t;
	return v;
}

/* The whole packet, as the IP header's tot_len says, is there. */
static int classify(const u8 *b)
{
	unsigned int len = get_unaligned_be16(b + 2);

	return classify_n(b, len, len, NULL);
}

static int classify_from(u32 saddr, u32 daddr)
{
	u8 b[BUF];

	pkt(b, 5, 5, SYN, 0);
	put_unaligned_be32(saddr, b + 12);
	put_unaligned_be32(daddr, b + 16);
	return classify(b);
}

TEST(classify_names)
{
	static const char * const want[SYNFW_CLASS_NR] = {
		"ok", "bad_ip_header", "fragment", "martian_src", "land",
		"bad_tcp_header", "illegal_flags",
	};
	unsigned int i;
	const char *c;

	for (i = 0; i < SYNFW_CLASS_NR; i++) {
		EXPECT_TRUE(synfw_class_names[i] && !strcmp(synfw_class_names[i], want[i]));
		for (c = synfw_class_names[i]; c && *c; c++)
			EXPECT_TRUE((*c >= 'a' && *c <= 'z') || *c == '_');
	}
	EXPECT_EQ(SYNFW_CLASS_OK, 0);
}

TEST(classify_plain_syn)
{
	struct synfw_class_tcp t;
	u8 b[BUF];
	unsigned int len = pkt(b, 5, 5, SYN, 0);

	EXPECT_EQ(classify_n(b, len, len, &t), SYNFW_CLASS_OK);
	EXPECT_EQ(t.off, 20);
	EXPECT_EQ(t.len, 20);

	/* With payload and the Linux SYN's 20 bytes of options. */
	len = pkt(b, 5, 10, ACK | PSH, 100);
	EXPECT_EQ(classify_n(b, len, len, &t), SYNFW_CLASS_OK);
	EXPECT_EQ(t.off, 20);
	EXPECT_EQ(t.len, 40);
}

/* Both headers at their largest: 40 bytes of IP and 40 of TCP options. */
TEST(classify_largest_headers)
{
	struct synfw_class_tcp t;
	u8 b[BUF];
	unsigned int len = pkt(b, 15, 15, SYN, 0);

	EXPECT_EQ(len, 120);
	EXPECT_EQ(classify_n(b, len, len, &t), SYNFW_CLASS_OK);
	EXPECT_EQ(t.off, 60);
	EXPECT_EQ(t.len, 60);

	/* Non-linear: only the IP header and 60 bytes are given. */
	len = pkt(b, 15, 15, ACK, 1400);
	EXPECT_EQ(classify_n(b, 120, len, &t), SYNFW_CLASS_OK);
	EXPECT_EQ(t.off, 60);
	EXPECT_EQ(t.len, 60);
}

TEST(classify_bad_ip_version_and_ihl)
{
	u8 b[BUF];

	pkt(b, 5, 5, SYN, 0);
	b[0] = 0x65;
	EXPECT_EQ(classify(b), SYNFW_CLASS_BAD_IP_HEADER);
	b[0] = 0x05;
	EXPECT_EQ(classify(b), SYNFW_CLASS_BAD_IP_HEADER);
	b[0] = 0x44;
	EXPECT_EQ(classify(b), SYNFW_CLASS_BAD_IP_HEADER);
	b[0] = 0x40;
	EXPECT_EQ(classify(b), SYNFW_CLASS_BAD_IP_HEADER);
	b[0] = 0x45;
	EXPECT_EQ(classify(b), SYNFW_CLASS_OK);
}

TEST(classify_bad_ip_too_few_bytes)
{
	u8 b[BUF];
	unsigned int n;

	pkt(b, 5, 5, SYN, 0);
	for (n = 0; n < 20; n++)
		EXPECT_EQ(classify_n(b, n, 40, NULL), SYNFW_CLASS_BAD_IP_HEADER);

	/* ihl 15 claims 60 bytes of header: only 40 are there. */
	pkt(b, 15, 5, SYN, 0);
	EXPECT_EQ(classify_n(b, 40, 40, NULL), SYNFW_CLASS_BAD_IP_HEADER);
	EXPECT_EQ(classify_n(b, 59, 80, NULL), SYNFW_CLASS_BAD_IP_HEADER);
}

TEST(classify_bad_ip_tot_len)
{
	u8 b[BUF];

	/* Shorter than its own header. */
	pkt(b, 6, 5, SYN, 0);
	put_unaligned_be16(20, b + 2);
	EXPECT_EQ(classify_n(b, 44, 44, NULL), SYNFW_CLASS_BAD_IP_HEADER);
	put_unaligned_be16(0, b + 2);
	EXPECT_EQ(classify_n(b, 44, 44, NULL), SYNFW_CLASS_BAD_IP_HEADER);

	/* No room for a TCP header: one byte short, then just enough. */
	pkt(b, 5, 5, SYN, 0);
	put_unaligned_be16(39, b + 2);
	EXPECT_EQ(classify_n(b, 40, 40, NULL), SYNFW_CLASS_BAD_IP_HEADER);
	put_unaligned_be16(20, b + 2);
	EXPECT_EQ(classify_n(b, 40, 40, NULL), SYNFW_CLASS_BAD_IP_HEADER);
	put_unaligned_be16(40, b + 2);
	EXPECT_EQ(classify_n(b, 40, 40, NULL), SYNFW_CLASS_OK);

	/* Longer than the packet. */
	put_unaligned_be16(41, b + 2);
	EXPECT_EQ(classify_n(b, 40, 40, NULL), SYNFW_CLASS_BAD_IP_HEADER);
	put_unaligned_be16(0xffff, b + 2);
	EXPECT_EQ(classify_n(b, 40, 1500, NULL), SYNFW_CLASS_BAD_IP_HEADER);

	/* Shorter than the packet (link-layer padding) is fine. */
	put_unaligned_be16(40, b + 2);
	EXPECT_EQ(classify_n(b, 46, 46, NULL), SYNFW_CLASS_OK);
}

TEST(classify_fragments)
{
	struct synfw_class_tcp t;
	u8 b[BUF];
	unsigned int len = pkt(b, 5, 5, SYN, 0);

	/* First fragment: MF set, offset 0, parsed as TCP. */
	put_unaligned_be16(0x2000, b + 6);
	EXPECT_EQ(classify_n(b, len, len, &t), SYNFW_CLASS_OK);
	EXPECT_EQ(t.off, 20);
	EXPECT_EQ(t.len, 20);
	/* ... but its TCP header must fit in it. */
	put_unaligned_be16(28, b + 2);
	EXPECT_EQ(classify_n(b, len, len, NULL), SYNFW_CLASS_BAD_IP_HEADER);
	put_unaligned_be16(len, b + 2);
	b[20 + 12] = 0xf0;
	EXPECT_EQ(classify_n(b, len, len, NULL), SYNFW_CLASS_BAD_TCP_HEADER);

	/* Later fragments, with and without MF, even the last offset. */
	pkt(b, 5, 5, SYN, 0);
	put_unaligned_be16(0x0001, b + 6);
	EXPECT_EQ(classify(b), SYNFW_CLASS_FRAGMENT);
	put_unaligned_be16(0x2001, b + 6);
	EXPECT_EQ(classify(b), SYNFW_CLASS_FRAGMENT);
	put_unaligned_be16(0x5fff, b + 6);
	EXPECT_EQ(classify(b), SYNFW_CLASS_FRAGMENT);

	/* Never parsed as TCP: whatever follows, and however little. */
	put_unaligned_be16(0x0001, b + 6);
	set_flags(b, SYN | FIN);
	b[20 + 12] = 0x00;
	EXPECT_EQ(classify(b), SYNFW_CLASS_FRAGMENT);
	put_unaligned_be16(28, b + 2);
	EXPECT_EQ(classify(b), SYNFW_CLASS_FRAGMENT);
	put_unaligned_be16(20, b + 2);
	EXPECT_EQ(classify(b), SYNFW_CLASS_FRAGMENT);

	/* The header is judged first. */
	put_unaligned_be16(19, b + 2);
	EXPECT_EQ(classify_n(b, 20, 20, NULL), SYNFW_CLASS_BAD_IP_HEADER);

	/* DF and the reserved bit alone do not make a fragment. */
	pkt(b, 5, 5, SYN, 0);
	put_unaligned_be16(0xc000, b + 6);
	EXPECT_EQ(classify(b), SYNFW_CLASS_OK);
}

TEST(classify_martian_boundaries)
{
	static const struct {
		u32 addr;
		int want;
	} cases[] = {
		{ IP(0, 0, 0, 0),		SYNFW_CLASS_MARTIAN_SRC },
		{ IP(0, 255, 255, 255),		SYNFW_CLASS_MARTIAN_SRC },
		{ IP(1, 0, 0, 0),		SYNFW_CLASS_OK },
		{ IP(126, 255, 255, 255),	SYNFW_CLASS_OK },
		{ IP(127, 0, 0, 0),		SYNFW_CLASS_MARTIAN_SRC },
		{ IP(127, 0, 0, 1),		SYNFW_CLASS_MARTIAN_SRC },
		{ IP(127, 255, 255, 255),	SYNFW_CLASS_MARTIAN_SRC },
		{ IP(128, 0, 0, 0),		SYNFW_CLASS_OK },
		{ IP(223, 255, 255, 255),	SYNFW_CLASS_OK },
		{ IP(224, 0, 0, 0),		SYNFW_CLASS_MARTIAN_SRC },
		{ IP(239, 255, 255, 255),	SYNFW_CLASS_MARTIAN_SRC },
		{ IP(240, 0, 0, 0),		SYNFW_CLASS_MARTIAN_SRC },
		{ IP(255, 255, 255, 254),	SYNFW_CLASS_MARTIAN_SRC },
		{ IP(255, 255, 255, 255),	SYNFW_CLASS_MARTIAN_SRC },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		EXPECT_EQ(classify_from(cases[i].addr, SERVER), cases[i].want);
		/* Only the source counts: the router routes destinations. */
		EXPECT_EQ(classify_from(CLIENT, cases[i].addr), SYNFW_CLASS_OK);
	}
}

TEST(classify_land)
{
	u8 b[BUF];

	EXPECT_EQ(classify_from(SERVER, SERVER), SYNFW_CLASS_LAND);
	EXPECT_EQ(classify_from(CLIENT, CLIENT), SYNFW_CLASS_LAND);
	EXPECT_EQ(classify_from(SERVER, SERVER + 1), SYNFW_CLASS_OK);

	/* Whatever the ports: the same, then different. */
	pkt(b, 5, 5, SYN, 0);
	put_unaligned_be32(SERVER, b + 12);
	put_unaligned_be16(8080, b + 20);
	EXPECT_EQ(classify(b), SYNFW_CLASS_LAND);
	put_unaligned_be16(1234, b + 20);
	EXPECT_EQ(classify(b), SYNFW_CLASS_LAND);

	/* A martian land packet counts as martian: that check comes first. */
	EXPECT_EQ(classify_from(IP(127, 0, 0, 1), IP(127, 0, 0, 1)), SYNFW_CLASS_MARTIAN_SRC);
}

TEST(classify_bad_tcp_header)
{
	struct synfw_class_tcp t;
	u8 b[BUF];
	unsigned int len = pkt(b, 5, 5, SYN, 0);

	b[20 + 12] = 4 << 4;
	EXPECT_EQ(classify(b), SYNFW_CLASS_BAD_TCP_HEADER);
	b[20 + 12] = 0;
	EXPECT_EQ(classify(b), SYNFW_CLASS_BAD_TCP_HEADER);

	/* doff 15 with only 20 bytes of TCP, then 59, then 60. */
	b[20 + 12] = 15 << 4;
	EXPECT_EQ(classify(b), SYNFW_CLASS_BAD_TCP_HEADER);
	len = pkt(b, 5, 15, SYN, 0);
	put_unaligned_be16(len - 1, b + 2);
	EXPECT_EQ(classify_n(b, len, len, NULL), SYNFW_CLASS_BAD_TCP_HEADER);
	put_unaligned_be16(len, b + 2);
	EXPECT_EQ(classify_n(b, len, len, &t), SYNFW_CLASS_OK);
	EXPECT_EQ(t.len, 60);

	/* Inside the datagram, but past the bytes given (a caller's bug). */
	EXPECT_EQ(classify_n(b, len - 1, len, NULL), SYNFW_CLASS_BAD_TCP_HEADER);
	EXPECT_EQ(classify_n(b, 30, len, NULL), SYNFW_CLASS_BAD_TCP_HEADER);

	/* The low nibble of byte 12 (reserved, AE) is not the offset. */
	len = pkt(b, 5, 5, SYN, 0);
	b[20 + 12] = 0x5f;
	EXPECT_EQ(classify(b), SYNFW_CLASS_OK);
}

/* Earlier checks win: martian and land over TCP, TCP header over flags. */
TEST(classify_order)
{
	u8 b[BUF];

	pkt(b, 5, 5, 0, 0);
	b[20 + 12] = 0;
	EXPECT_EQ(classify(b), SYNFW_CLASS_BAD_TCP_HEADER);
	put_unaligned_be32(SERVER, b + 12);
	EXPECT_EQ(classify(b), SYNFW_CLASS_LAND);
	put_unaligned_be32(IP(224, 0, 0, 1), b + 12);
	EXPECT_EQ(classify(b), SYNFW_CLASS_MARTIAN_SRC);
	put_unaligned_be16(0x0010, b + 6);
	EXPECT_EQ(classify(b), SYNFW_CLASS_FRAGMENT);
	b[0] = 0x44;
	EXPECT_EQ(classify(b), SYNFW_CLASS_BAD_IP_HEADER);
}

static int classify_flags(u8 flags)
{
	u8 b[BUF];

	pkt(b, 5, 5, flags, 0);
	return classify(b);
}

#define expect_flags(f, want) do {					\
	int v_ = classify_flags(f);					\
									\
	if (v_ != (want))						\
		unit_fail(__FILE__, __LINE__, "flags 0x%02x: %s, not %s", \
			  (f), synfw_class_names[v_], synfw_class_names[want]); \
} while (0)

TEST(classify_illegal_flags)
{
	static const u8 illegal[] = {
		/* SYN+FIN, with or without PSH, RST, URG or more */
		SYN | FIN, SYN | FIN | PSH, SYN | FIN | RST, SYN | FIN | URG,
		SYN | FIN | ACK, SYN | FIN | PSH | URG, SYN | FIN | ECE | CWR,
		/* SYN+RST */
		SYN | RST, SYN | RST | ACK, SYN | RST | PSH,
		/* NULL, and ECN bits alone */
		0, ECE, CWR, ECE | CWR,
		/* XMAS, with or without others */
		FIN | PSH | URG, FIN | PSH | URG | ACK, FIN | PSH | URG | RST,
		FIN | PSH | URG | ECE | CWR, 0xff, 0x3f,
		/* FIN without ACK */
		FIN, FIN | PSH, FIN | URG, FIN | RST, FIN | ECE,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(illegal); i++)
		expect_flags(illegal[i], SYNFW_CLASS_ILLEGAL_FLAGS);
}

TEST(classify_legal_flags)
{
	static const u8 legal[] = {
		SYN, SYN | ACK, SYN | ECE | CWR, SYN | ACK | ECE, SYN | PSH, SYN | URG,
		ACK, ACK | PSH, ACK | URG, ACK | ECE, ACK | CWR,
		RST, RST | ACK, RST | PSH,
		FIN | ACK, FIN | ACK | PSH, FIN | ACK | URG, FIN | ACK | RST, PSH | URG | ACK,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(legal); i++)
		expect_flags(legal[i], SYNFW_CLASS_OK);
}

/* Every one of the 256 combinations, against the rules written out. */
TEST(classify_every_flag_combination)
{
	unsigned int f, illegal = 0;

	for (f = 0; f < 256; f++) {
		bool syn = f & SYN, fin = f & FIN, rst = f & RST, ack = f & ACK;
		bool null = !(f & (FIN | SYN | RST | PSH | ACK | URG));
		bool xmas = fin && (f & PSH) && (f & URG);
		bool bad = (syn && (fin || rst)) || null || xmas || (fin && !ack);
		int v = classify_flags(f);

		EXPECT_EQ(v, bad ? SYNFW_CLASS_ILLEGAL_FLAGS : SYNFW_CLASS_OK);
		illegal += bad;
	}
	/* Of the 64 control-flag combinations, 29 are legal. */
	EXPECT_EQ(illegal, 4 * (64 - 29));
}
