// SPDX-License-Identifier: GPL-2.0
/*
 * TCP option parsing and SYN/ACK shapes. Every area is parsed from a heap
 * copy of exactly its length, so that ASan catches a read past its end.
 */
#include <stdlib.h>

#include "tcpopt.h"
#include "unit.h"

static u8 *copy(const u8 *p, unsigned int len)
{
	u8 *c = malloc(len ? len : 1);

	if (!c)
		abort();
	if (len)
		memcpy(c, p, len);
	return c;
}

static int parse(const u8 *p, unsigned int len, struct synfw_tcpopt *o)
{
	u8 *c = copy(p, len);
	int err;

	/* Nothing of a previous segment may survive. */
	memset(o, 0xa5, sizeof(*o));
	err = synfw_tcpopt_parse(c, len, o);
	free(c);
	EXPECT_EQ(err, o->err);
	return err;
}

static int learn(struct synfw_optshape *s, const u8 *p, unsigned int len)
{
	u8 *c = copy(p, len);
	int err = synfw_optshape_learn(s, c, len);

	free(c);
	return err;
}

#define PARSE(o, ...) ({						\
	static const u8 b_[] = { __VA_ARGS__ };				\
	parse(b_, sizeof(b_), (o));					\
})

#define LEARN(s, ...) ({						\
	static const u8 b_[] = { __VA_ARGS__ };				\
	learn((s), b_, sizeof(b_));					\
})

#define MSS_1460	2, 4, 0x05, 0xb4
#define WS(n)		3, 3, (n)
#define SACK_PERM	4, 2
#define TS(v, e)	8, 10, (v) >> 24, ((v) >> 16) & 0xff, ((v) >> 8) & 0xff, \
			(v) & 0xff, (e) >> 24, ((e) >> 16) & 0xff, ((e) >> 8) & 0xff, \
			(e) & 0xff

TEST(tcpopt_empty)
{
	struct synfw_tcpopt o;

	EXPECT_EQ(parse(NULL, 0, &o), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, 0);
	EXPECT_EQ(o.dup, 0);
}

TEST(tcpopt_linux_syn)
{
	struct synfw_tcpopt o;

	EXPECT_EQ(PARSE(&o, MSS_1460, SACK_PERM, TS(0x01020304, 0), 1, WS(7)),
		  SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_HANDSHAKE);
	EXPECT_EQ(o.dup, 0);
	EXPECT_EQ(o.mss, 1460);
	EXPECT_EQ(o.wscale, 7);
	EXPECT_EQ(o.tsval, 0x01020304);
	EXPECT_EQ(o.tsecr, 0);
	EXPECT_EQ(o.ts_off, 8);
}

TEST(tcpopt_eol_ends_parsing)
{
	struct synfw_tcpopt o;

	EXPECT_EQ(PARSE(&o, 0, MSS_1460, 0xff, 0), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, 0);

	/* Garbage after EOL, even malformed, is padding. */
	EXPECT_EQ(PARSE(&o, MSS_1460, 0, 3, 1, 8), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_MSS);
	EXPECT_EQ(o.mss, 1460);
}

TEST(tcpopt_nops)
{
	struct synfw_tcpopt o;
	u8 b[SYNFW_TCPOPT_MAX];

	EXPECT_EQ(PARSE(&o, 1, 1, 1, MSS_1460, 1, WS(2)), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_MSS | SYNFW_OPT_WSCALE);
	EXPECT_EQ(o.wscale, 2);

	memset(b, 1, sizeof(b));
	EXPECT_EQ(parse(b, sizeof(b), &o), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, 0);

	/* An option ending exactly at the end of a full area. */
	memcpy(b + 36, (u8[]){ MSS_1460 }, 4);
	EXPECT_EQ(parse(b, sizeof(b), &o), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_MSS);
	EXPECT_EQ(o.mss, 1460);
}

TEST(tcpopt_duplicates_first_wins)
{
	struct synfw_tcpopt o;

	EXPECT_EQ(PARSE(&o, 2, 4, 0x01, 0x00, MSS_1460), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.mss, 256);
	EXPECT_EQ(o.dup, SYNFW_OPT_MSS);

	EXPECT_EQ(PARSE(&o, WS(3), WS(9), 1, 1), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.wscale, 3);
	EXPECT_EQ(o.dup, SYNFW_OPT_WSCALE);

	EXPECT_EQ(PARSE(&o, TS(1, 2), TS(3, 4), SACK_PERM, SACK_PERM), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.tsval, 1);
	EXPECT_EQ(o.tsecr, 2);
	EXPECT_EQ(o.ts_off, 2);
	EXPECT_EQ(o.flags, SYNFW_OPT_TS | SYNFW_OPT_SACK_PERM);
	EXPECT_EQ(o.dup, SYNFW_OPT_TS | SYNFW_OPT_SACK_PERM);

	EXPECT_EQ(PARSE(&o, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2,
			5, 18, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6),
		  SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.sack_off, 2);
	EXPECT_EQ(o.sack_blocks, 1);
	EXPECT_EQ(o.dup, SYNFW_OPT_SACK);
}

TEST(tcpopt_raw_values)
{
	struct synfw_tcpopt o;

	EXPECT_EQ(PARSE(&o, 2, 4, 0, 0), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_MSS);
	EXPECT_EQ(o.mss, 0);

	EXPECT_EQ(PARSE(&o, 2, 4, 0xff, 0xff), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.mss, 65535);

	/* RFC 7323 clamps a shift above 14; that is the caller's business. */
	EXPECT_EQ(PARSE(&o, WS(15)), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.wscale, 15);
	EXPECT_EQ(PARSE(&o, WS(255)), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.wscale, 255);

	EXPECT_EQ(PARSE(&o, TS(0xffffffffu, 0x80000001u)), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.tsval, 0xffffffffu);
	EXPECT_EQ(o.tsecr, 0x80000001u);
}

TEST(tcpopt_bad_length_byte)
{
	struct synfw_tcpopt o;

	EXPECT_EQ(PARSE(&o, MSS_1460, 8, 0, 1, 1), SYNFW_TCPOPT_BADLEN);
	EXPECT_EQ(o.flags, SYNFW_OPT_MSS);
	EXPECT_EQ(o.mss, 1460);

	EXPECT_EQ(PARSE(&o, MSS_1460, 77, 1, 1, 1), SYNFW_TCPOPT_BADLEN);
	EXPECT_EQ(o.flags, SYNFW_OPT_MSS);

	/* Nothing after the error is taken. */
	EXPECT_EQ(PARSE(&o, 2, 0, WS(4)), SYNFW_TCPOPT_BADLEN);
	EXPECT_EQ(o.flags, 0);
}

TEST(tcpopt_truncated)
{
	struct synfw_tcpopt o;

	EXPECT_EQ(PARSE(&o, WS(5), 1, 8, 10, 0, 0, 0, 0, 0, 0, 0), SYNFW_TCPOPT_TRUNCATED);
	EXPECT_EQ(o.flags, SYNFW_OPT_WSCALE);
	EXPECT_EQ(o.wscale, 5);

	EXPECT_EQ(PARSE(&o, 99, 3, 0), SYNFW_TCPOPT_OK);
	EXPECT_EQ(PARSE(&o, 99, 4, 0), SYNFW_TCPOPT_TRUNCATED);
	EXPECT_EQ(PARSE(&o, 99, 255), SYNFW_TCPOPT_TRUNCATED);
}

TEST(tcpopt_lone_trailing_kind)
{
	struct synfw_tcpopt o;

	EXPECT_EQ(PARSE(&o, MSS_1460, 1, 1, 1, 8), SYNFW_TCPOPT_TRUNCATED);
	EXPECT_EQ(o.flags, SYNFW_OPT_MSS);
	EXPECT_EQ(PARSE(&o, 2), SYNFW_TCPOPT_TRUNCATED);
	EXPECT_EQ(PARSE(&o, 200), SYNFW_TCPOPT_TRUNCATED);
	/* Single-byte kinds may end the area. */
	EXPECT_EQ(PARSE(&o, MSS_1460, 1), SYNFW_TCPOPT_OK);
	EXPECT_EQ(PARSE(&o, MSS_1460, 0), SYNFW_TCPOPT_OK);
}

TEST(tcpopt_wrong_sizes)
{
	static const struct {
		u8 kind, len;
	} bad[] = {
		{ 2, 2 }, { 2, 3 }, { 2, 5 }, { 2, 6 },
		{ 3, 2 }, { 3, 4 },
		{ 4, 3 }, { 4, 4 },
		{ 8, 2 }, { 8, 9 }, { 8, 11 }, { 8, 12 },
		{ 5, 2 }, { 5, 3 }, { 5, 9 }, { 5, 11 }, { 5, 17 }, { 5, 20 },
		{ 5, 33 }, { 5, 35 }, { 5, 36 },
	};
	struct synfw_tcpopt o;
	u8 b[SYNFW_TCPOPT_MAX];

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		/* After a good option, the bad one ends the area. */
		memset(b, 0, sizeof(b));
		memcpy(b, (u8[]){ 1, WS(6) }, 4);
		b[4] = bad[i].kind;
		b[5] = bad[i].len;
		EXPECT_EQ(parse(b, 4 + bad[i].len, &o), SYNFW_TCPOPT_WRONGSIZE);
		EXPECT_EQ(o.flags, SYNFW_OPT_WSCALE);
		EXPECT_EQ(o.wscale, 6);
	}
}

TEST(tcpopt_sack_blocks)
{
	struct synfw_tcpopt o;
	u8 b[SYNFW_TCPOPT_MAX];

	for (unsigned int n = 1; n <= 4; n++) {
		unsigned int len = 4 + 8 * n;

		memset(b, 0, sizeof(b));
		b[0] = 1;
		b[1] = 1;
		b[2] = 5;
		b[3] = 2 + 8 * n;
		for (unsigned int i = 0; i < 2 * n; i++)
			put_unaligned_be32(1000 * (i + 1), b + 4 + 4 * i);
		EXPECT_EQ(parse(b, len, &o), SYNFW_TCPOPT_OK);
		EXPECT_EQ(o.flags, SYNFW_OPT_SACK);
		EXPECT_EQ(o.sack_off, 4);
		EXPECT_EQ(o.sack_blocks, n);
		EXPECT_EQ(get_unaligned_be32(b + o.sack_off + 8 * n - 4), 2000 * n);
	}

	/* A data segment as Linux sends it: timestamps, then SACK. */
	EXPECT_EQ(PARSE(&o, 1, 1, TS(7, 8), 1, 1, 5, 18,
			0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_TS | SYNFW_OPT_SACK);
	EXPECT_EQ(o.ts_off, 4);
	EXPECT_EQ(o.sack_off, 16);
	EXPECT_EQ(o.sack_blocks, 2);

	/* Five blocks need 42 bytes: they never fit. */
	memset(b, 0, sizeof(b));
	b[0] = 5;
	b[1] = 2 + 8 * 5;
	EXPECT_EQ(parse(b, sizeof(b), &o), SYNFW_TCPOPT_TRUNCATED);
	EXPECT_EQ(o.flags, 0);
}

TEST(tcpopt_unknown_skipped)
{
	struct synfw_tcpopt o;

	EXPECT_EQ(PARSE(&o, 30, 4, 0x10, 0x81,		/* MPTCP */
			254, 4, 0xf9, 0x89,		/* experimental fast open */
			34, 2,				/* fast open */
			99, 18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* unassigned */
			MSS_1460, 0xff, 2, WS(8)), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_MSS | SYNFW_OPT_WSCALE);
	EXPECT_EQ(o.mss, 1460);
	EXPECT_EQ(o.wscale, 8);
}

TEST(tcpopt_ts_offsets)
{
	struct synfw_tcpopt o;
	static const u8 b[] = { 1, 1, 1, TS(0xdeadbeef, 0x12345678), 0, 0, 0 };

	EXPECT_EQ(parse(b, sizeof(b), &o), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.ts_off, 5);
	EXPECT_EQ(get_unaligned_be32(b + o.ts_off), 0xdeadbeef);
	EXPECT_EQ(get_unaligned_be32(b + o.ts_off + 4), 0x12345678);
}

TEST(tcpopt_too_long)
{
	struct synfw_tcpopt o;
	u8 b[SYNFW_TCPOPT_MAX + 20];

	memset(b, 1, sizeof(b));
	memcpy(b, (u8[]){ MSS_1460 }, 4);
	EXPECT_EQ(parse(b, SYNFW_TCPOPT_MAX + 1, &o), SYNFW_TCPOPT_TOOLONG);
	EXPECT_EQ(o.flags, 0);
	EXPECT_EQ(parse(b, sizeof(b), &o), SYNFW_TCPOPT_TOOLONG);
	EXPECT_EQ(parse(b, SYNFW_TCPOPT_MAX, &o), SYNFW_TCPOPT_OK);
}

/*
 * SYN/ACK option areas Linux sent from a listener on loopback, answering
 * a SYN that offered enum synfw_opt index: MSS 65495, window scale 10, the
 * SYN's tsval 0x11223344.
 */
static const struct {
	u8 len;
	u8 b[20];
} linux_synack[16] = {
#define LMSS 2, 4, 0xff, 0xd7
#define LWS 1, 3, 3, 10
#define LTS(a, b, c, d) 8, 10, a, b, c, d, 0x11, 0x22, 0x33, 0x44
	{ 4, { LMSS } },
	{ 4, { LMSS } },
	{ 8, { LMSS, LWS } },
	{ 8, { LMSS, LWS } },
	{ 8, { LMSS, 1, 1, 4, 2 } },
	{ 8, { LMSS, 1, 1, 4, 2 } },
	{ 12, { LMSS, 1, 1, 4, 2, LWS } },
	{ 12, { LMSS, 1, 1, 4, 2, LWS } },
	{ 16, { LMSS, 1, 1, LTS(0x76, 0x95, 0x21, 0x6a) } },
	{ 16, { LMSS, 1, 1, LTS(0x94, 0x22, 0xe8, 0x98) } },
	{ 20, { LMSS, 1, 1, LTS(0xdb, 0x53, 0x78, 0xba), LWS } },
	{ 20, { LMSS, 1, 1, LTS(0xea, 0x43, 0xc0, 0x8a), LWS } },
	{ 16, { LMSS, 4, 2, LTS(0xb2, 0xfb, 0x70, 0xa8) } },
	{ 16, { LMSS, 4, 2, LTS(0x6d, 0x07, 0x77, 0x79) } },
	{ 20, { LMSS, 4, 2, LTS(0x70, 0x6f, 0x65, 0xd0), LWS } },
	{ 20, { LMSS, 4, 2, LTS(0x52, 0x28, 0x3e, 0x4d), LWS } },
#undef LMSS
#undef LWS
#undef LTS
};

static void expect_same_shape(const struct synfw_optshape *a, const struct synfw_optshape *b)
{
	EXPECT_EQ(a->len, b->len);
	EXPECT_EQ(a->opts, b->opts);
	EXPECT_MEM_EQ(a->bytes, b->bytes, sizeof(a->bytes));
	if (a->opts & SYNFW_OPT_MSS)
		EXPECT_EQ(a->mss_off, b->mss_off);
	if (a->opts & SYNFW_OPT_WSCALE)
		EXPECT_EQ(a->ws_off, b->ws_off);
	if (a->opts & SYNFW_OPT_TS)
		EXPECT_EQ(a->ts_off, b->ts_off);
}

TEST(optshape_learn_linux)
{
	for (unsigned int m = 0; m < ARRAY_SIZE(linux_synack); m++) {
		struct synfw_optshape learnt, expect;

		EXPECT_EQ(learn(&learnt, linux_synack[m].b, linux_synack[m].len), 0);
		synfw_optshape_linux(&expect, m);
		expect_same_shape(&learnt, &expect);
		EXPECT_EQ(synfw_optshape_opts(&expect), m | SYNFW_OPT_MSS);
	}
}

TEST(optshape_fill_reproduces_linux)
{
	for (unsigned int m = 0; m < ARRAY_SIZE(linux_synack); m++) {
		struct synfw_optshape s;
		struct synfw_tcpopt v;
		u8 out[SYNFW_TCPOPT_MAX];

		EXPECT_EQ(parse(linux_synack[m].b, linux_synack[m].len, &v), 0);
		synfw_optshape_linux(&s, m);
		memset(out, 0xee, sizeof(out));
		EXPECT_EQ(synfw_optshape_fill(out, &s, &v), linux_synack[m].len);
		EXPECT_MEM_EQ(out, linux_synack[m].b, linux_synack[m].len);
		EXPECT_EQ(out[linux_synack[m].len], 0xee);
	}
}

TEST(optshape_linux_layout)
{
	static const u8 full[] = {
		2, 4, 0, 0, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 0,
	};
	struct synfw_optshape s, t;

	synfw_optshape_linux(&s, SYNFW_OPT_HANDSHAKE);
	EXPECT_EQ(s.len, sizeof(full));
	EXPECT_MEM_EQ(s.bytes, full, sizeof(full));

	/* SACK blocks are no handshake option, and MSS is always sent. */
	synfw_optshape_linux(&t, SYNFW_OPT_WSCALE | SYNFW_OPT_SACK_PERM | SYNFW_OPT_TS |
			     SYNFW_OPT_SACK);
	expect_same_shape(&s, &t);

	synfw_optshape_linux(&s, 0);
	EXPECT_EQ(s.len, 4);
	EXPECT_EQ(synfw_optshape_opts(&s), SYNFW_OPT_MSS);
}

TEST(optshape_fill_round_trip)
{
	static const struct synfw_tcpopt vals[] = {
		{ .mss = 1460, .wscale = 7, .tsval = 0x01020304, .tsecr = 0xa0b0c0d0 },
		{ .mss = 0, .wscale = 0, .tsval = 0, .tsecr = 0 },
		{ .mss = 0xffff, .wscale = 0xff, .tsval = 0xffffffff, .tsecr = 0xffffffff },
	};

	for (unsigned int m = 0; m < 16; m++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(vals); i++) {
			const struct synfw_tcpopt *v = &vals[i];
			struct synfw_optshape s, again;
			struct synfw_tcpopt o;
			u8 out[SYNFW_TCPOPT_MAX];
			unsigned int len;

			synfw_optshape_linux(&s, m);
			len = synfw_optshape_fill(out, &s, v);
			EXPECT_EQ(len % 4, 0);
			EXPECT_EQ(parse(out, len, &o), SYNFW_TCPOPT_OK);
			EXPECT_EQ(o.flags, synfw_optshape_opts(&s));
			EXPECT_EQ(o.dup, 0);
			EXPECT_EQ(o.mss, v->mss);
			if (m & SYNFW_OPT_WSCALE)
				EXPECT_EQ(o.wscale, v->wscale);
			if (m & SYNFW_OPT_TS) {
				EXPECT_EQ(o.tsval, v->tsval);
				EXPECT_EQ(o.tsecr, v->tsecr);
			}
			/* A filled shape teaches the shape it came from. */
			EXPECT_EQ(learn(&again, out, len), 0);
			expect_same_shape(&again, &s);
		}
	}
}

TEST(optshape_learn_odd_layout)
{
	static const struct synfw_tcpopt v = {
		.mss = 1400, .wscale = 4, .tsval = 9, .tsecr = 10,
	};
	struct synfw_optshape s;
	struct synfw_tcpopt o;
	u8 out[SYNFW_TCPOPT_MAX];
	unsigned int len;

	/* Unaligned options in an order Linux never uses, EOL-padded. */
	EXPECT_EQ(LEARN(&s, WS(14), SACK_PERM, 1, TS(5, 6), MSS_1460, 0, 0xff, 0xff, 0xff),
		  0);
	EXPECT_EQ(synfw_optshape_opts(&s), SYNFW_OPT_HANDSHAKE);
	EXPECT_EQ(s.len, 24);
	len = synfw_optshape_fill(out, &s, &v);
	EXPECT_EQ(len, 24);
	EXPECT_MEM_EQ(out, ((u8[]){ WS(4), SACK_PERM, 1, TS(9, 10), 2, 4, 0x05, 0x78,
				    0, 0, 0, 0 }), 24);
	EXPECT_EQ(parse(out, len, &o), 0);
	EXPECT_EQ(o.mss, 1400);
	EXPECT_EQ(o.ts_off, 8);

	/* Nothing at all is a shape too. */
	EXPECT_EQ(learn(&s, NULL, 0), 0);
	EXPECT_EQ(s.len, 0);
	EXPECT_EQ(synfw_optshape_opts(&s), 0);
	EXPECT_EQ(synfw_optshape_fill(out, &s, &v), 0);
}

TEST(optshape_learn_rejects)
{
	struct synfw_optshape s, before;

	synfw_optshape_linux(&s, SYNFW_OPT_HANDSHAKE);
	before = s;

	/* Options the proxy could not fill in. */
	EXPECT_EQ(LEARN(&s, MSS_1460, 30, 4, 0x10, 0x81), SYNFW_TCPOPT_UNSHAPED);
	EXPECT_EQ(LEARN(&s, MSS_1460, 254, 4, 0xf9, 0x89), SYNFW_TCPOPT_UNSHAPED);
	EXPECT_EQ(LEARN(&s, MSS_1460, 34, 2, 1, 1), SYNFW_TCPOPT_UNSHAPED);
	EXPECT_EQ(LEARN(&s, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2), SYNFW_TCPOPT_UNSHAPED);
	/* Duplicates. */
	EXPECT_EQ(LEARN(&s, MSS_1460, MSS_1460), SYNFW_TCPOPT_UNSHAPED);
	EXPECT_EQ(LEARN(&s, SACK_PERM, SACK_PERM), SYNFW_TCPOPT_UNSHAPED);
	/* Not a whole number of words. */
	EXPECT_EQ(LEARN(&s, MSS_1460, 1), SYNFW_TCPOPT_UNSHAPED);
	EXPECT_EQ(LEARN(&s, 1, 1), SYNFW_TCPOPT_UNSHAPED);
	/* Malformed. */
	EXPECT_EQ(LEARN(&s, MSS_1460, 3, 0, 0, 0), SYNFW_TCPOPT_BADLEN);
	EXPECT_EQ(LEARN(&s, MSS_1460, 8, 10, 0, 0), SYNFW_TCPOPT_TRUNCATED);
	EXPECT_EQ(LEARN(&s, 2, 3, 0, 1), SYNFW_TCPOPT_WRONGSIZE);
	EXPECT_EQ(LEARN(&s, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
			1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
			1, 1, 1, 1), SYNFW_TCPOPT_TOOLONG);

	expect_same_shape(&s, &before);
}

TEST(optshape_learn_clears_after_eol)
{
	struct synfw_optshape s;

	EXPECT_EQ(LEARN(&s, MSS_1460, 0, 0xff, 0xfe, 0xfd), 0);
	EXPECT_EQ(s.len, 8);
	EXPECT_EQ(synfw_optshape_opts(&s), SYNFW_OPT_MSS);
	EXPECT_MEM_EQ(s.bytes, ((u8[SYNFW_TCPOPT_MAX]){ 2, 4 }), SYNFW_TCPOPT_MAX);
}

/* TCP-MD5 and TCP-AO are noted whatever their length; other options stay as parsed. */
TEST(tcpopt_signed_syns)
{
	struct synfw_tcpopt o;

	EXPECT_EQ(PARSE(&o, MSS_1460, 19, 18, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
			16, 1, 1),
		  SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_MSS | SYNFW_OPT_AUTH);
	EXPECT_EQ(PARSE(&o, 29, 4, 1, 2, MSS_1460), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_AUTH | SYNFW_OPT_MSS);
	EXPECT_EQ(PARSE(&o, 29, 2), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_AUTH);
	EXPECT_EQ(PARSE(&o, 18, 3, 0, MSS_1460), SYNFW_TCPOPT_OK);
	EXPECT_EQ(o.flags, SYNFW_OPT_MSS);
}
