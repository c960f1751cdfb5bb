// SPDX-License-Identifier: GPL-2.0
/* The SYN cookie: round trips, rejections, expiry, and the shifted-ACK flaw. */
#include "cookie.h"
#include "unit.h"

static struct synfw_cookie_keys keys = {
	.gen = 7,
	.key = { { { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL } },
		 { { 0x1716151413121110ULL, 0x1f1e1d1c1b1a1918ULL } } },
};

static void tuple(struct synfw_cookie_msg *m, u32 saddr, u16 sport)
{
	memset(m, 0, sizeof(*m));
	m->addr[0] = htonl(saddr);
	m->addr[1] = htonl(0x0a000263);		/* 10.0.2.99 */
	m->sport = htons(sport);
	m->dport = htons(8080);
}

static const struct synfw_synopts cases[] = {
	{ .mss = 1460, .wscale = 7, .sack = true, .ts = true },
	{ .mss = 1460, .wscale = 7, .sack = true, .ts = false },
	{ .mss = 536, .wscale = SYNFW_WSCALE_NONE, .ts = false },
	{ .mss = 1200, .wscale = 0, .ecn = true, .ts = true },
	{ .mss = 1452, .wscale = 14, .sack = true, .ecn = true, .ts = false },
	{ .mss = 1440, .wscale = SYNFW_WSCALE_NONE, .sack = true, .ts = true },
};

static bool check(u32 saddr, u16 sport, u32 seq, u32 ack, bool ts, u32 tsecr,
		  struct synfw_synopts *o)
{
	struct synfw_cookie_msg m;

	tuple(&m, saddr, sport);
	return synfw_cookie_check(&keys, &m, 8, seq, ack, ts, tsecr, o);
}

static u32 make(u32 saddr, u16 sport, u32 isn, const struct synfw_synopts *o, u32 *tsval)
{
	struct synfw_cookie_msg m;

	tuple(&m, saddr, sport);
	return synfw_cookie_make(&keys, &m, 8, isn, o, tsval);
}

TEST(cookie_round_trip_every_option_set)
{
	unsigned int i, ws;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (ws = 0; ws <= SYNFW_WSCALE_NONE; ws++) {
			struct synfw_synopts in = cases[i], out;
			u32 tsval = 0, isn = 0x12345678 + i * 977 + ws;
			u32 c;

			in.wscale = ws;
			c = make(0x0a000163, 40000 + i, isn, &in, &tsval);
			EXPECT_TRUE(check(0x0a000163, 40000 + i, isn + 1, c + 1, in.ts, tsval, &out));
			EXPECT_EQ(out.mss, in.mss);
			EXPECT_EQ(out.wscale, in.wscale);
			EXPECT_EQ(out.sack, in.sack);
			EXPECT_EQ(out.ecn, in.ecn);
			EXPECT_EQ(out.ts, in.ts);
		}
	}
}

TEST(cookie_mss_rounds_down_to_table)
{
	EXPECT_EQ(synfw_cookie_mss_round(0), 536);
	EXPECT_EQ(synfw_cookie_mss_round(100), 536);
	EXPECT_EQ(synfw_cookie_mss_round(536), 536);
	EXPECT_EQ(synfw_cookie_mss_round(1199), 536);
	EXPECT_EQ(synfw_cookie_mss_round(1200), 1200);
	EXPECT_EQ(synfw_cookie_mss_round(1459), 1452);
	EXPECT_EQ(synfw_cookie_mss_round(1460), 1460);
	EXPECT_EQ(synfw_cookie_mss_round(8960), 1460);
}

/* The ACK's sequence number is bound: ISN + 1 only, never ISN + 1 + n. */
TEST(cookie_rejects_shifted_data_segment)
{
	struct synfw_synopts o;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 tsval = 0, isn = 0xfffffff0 + i;	/* also across the wrap */
		u32 c = make(0x0a000163, 40000, isn, &cases[i], &tsval);

		EXPECT_TRUE(check(0x0a000163, 40000, isn + 1, c + 1, cases[i].ts, tsval, &o));
		for (n = 1; n <= 2000; n++)
			EXPECT_TRUE(!check(0x0a000163, 40000, isn + 1 + n, c + 1, cases[i].ts,
					   tsval, &o));
	}
}

TEST(cookie_rejects_other_tuple_and_layout)
{
	struct synfw_synopts o;
	u32 tsval = 0, c = make(0x0a000163, 40000, 1000, &cases[0], &tsval);

	EXPECT_TRUE(check(0x0a000163, 40000, 1001, c + 1, true, tsval, &o));
	EXPECT_TRUE(!check(0x0a000164, 40000, 1001, c + 1, true, tsval, &o));
	EXPECT_TRUE(!check(0x0a000163, 40001, 1001, c + 1, true, tsval, &o));
	EXPECT_TRUE(!check(0x0a000163, 40000, 1001, c + 1, false, 0, &o));
	EXPECT_TRUE(!check(0x0a000163, 40000, 1001, c + 1, true, tsval ^ 0x40, &o));
	EXPECT_TRUE(!check(0x0a000163, 40000, 1001, c + 2, true, tsval, &o));
	EXPECT_TRUE(!check(0x0a000163, 40000, 1001, c, true, tsval, &o));
}

/* Valid for the current and the previous generation, not the one before. */
TEST(cookie_expires_after_two_generations)
{
	struct synfw_synopts o;
	u32 tsval = 0, c = make(0x0a000163, 40000, 1000, &cases[1], &tsval);
	u32 gen = keys.gen;
	u64 old = keys.key[gen & 1].key[0];

	keys.gen = gen + 1;
	keys.key[(gen + 1) & 1].key[0] ^= 0x5555;	/* a fresh secret */
	EXPECT_TRUE(check(0x0a000163, 40000, 1001, c + 1, false, 0, &o));
	keys.gen = gen + 2;
	keys.key[gen & 1].key[0] ^= 0xaaaa;
	EXPECT_TRUE(!check(0x0a000163, 40000, 1001, c + 1, false, 0, &o));
	keys.key[gen & 1].key[0] = old;
	keys.key[(gen + 1) & 1].key[0] ^= 0x5555;
	keys.gen = gen;
}

/* Same SYN, same SYN/ACK: a retransmitted SYN gets the same answer. */
TEST(cookie_is_deterministic_and_uses_parity_bit)
{
	u32 t1 = 0, t2 = 0;
	u32 c1 = make(0x0a000163, 40000, 555, &cases[0], &t1);
	u32 c2 = make(0x0a000163, 40000, 555, &cases[0], &t2);

	EXPECT_EQ(c1, c2);
	EXPECT_EQ(t1, t2);
	EXPECT_EQ(c1 >> 31, keys.gen & 1);
}

/*
 * Random ACKs: the acceptance rate must match the 22-bit MAC (one in
 * 4,194,304). Two million guesses expect 0.48 successes; more than 5 would
 * happen by chance with probability below 1e-4.
 */
TEST(cookie_forgery_rate_matches_mac_width)
{
	struct synfw_synopts o;
	u64 x = 0x9e3779b97f4a7c15ULL;
	unsigned int i, ok = 0;

	for (i = 0; i < 2000000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ok += check(0x0a000163, 40000, (u32)x, (u32)(x >> 32), false, 0, &o);
	}
	EXPECT_LE(ok, 5);
}

/*
 * The layout is part of the MAC input. Without it, the no-timestamp MAC
 * (bits 9-30 of the SipHash) could be read off a timestamp-layout cookie,
 * whose ISN carries bits 3-30 in the clear: a client that saw one SYN/ACK
 * could make a valid ACK of the other layout for any option bits. Every
 * such forgery must fail.
 */
TEST(cookie_layout_is_in_the_mac)
{
	u32 tsval = 0, c = make(0x0a000163, 40000, 1000, &cases[0], &tsval);
	u32 mac = (c >> 6) & ((1U << 22) - 1), opts, accepted = 0;
	struct synfw_synopts o;

	for (opts = 0; opts < 1U << 9; opts++) {
		u32 forged = (c & 1U << 31) | opts << 22 | mac;

		accepted += check(0x0a000163, 40000, 1001, forged + 1, false, 0, &o);
	}
	EXPECT_EQ(accepted, 0);
}

/*
 * Every bit of the 54-bit MAC counts, the TSval's high bits too: they lie
 * beyond the first four bytes of what is compared.
 */
TEST(cookie_checks_every_mac_bit)
{
	u32 tsval = 0, c = make(0x0a000163, 40000, 1000, &cases[0], &tsval);
	struct synfw_synopts o;
	unsigned int bit;

	EXPECT_TRUE(check(0x0a000163, 40000, 1001, c + 1, true, tsval, &o));
	for (bit = 6; bit < 32; bit++)
		EXPECT_TRUE(!check(0x0a000163, 40000, 1001, c + 1, true, tsval ^ 1U << bit, &o));
	for (bit = 0; bit < 28; bit++)
		EXPECT_TRUE(!check(0x0a000163, 40000, 1001, (c ^ 1U << bit) + 1, true, tsval, &o));
}

/* A shift beyond 14 is no shift the cookie can carry: it reads back as none. */
TEST(cookie_maps_wscale_beyond_14_to_none)
{
	unsigned int ws, ts;

	for (ts = 0; ts < 2; ts++) {
		for (ws = 15; ws <= 255; ws++) {
			struct synfw_synopts in = cases[ts], out;
			u32 tsval = 0, c;

			in.wscale = ws;
			c = make(0x0a000163, 40000, 4242 + ws, &in, &tsval);
			EXPECT_TRUE(check(0x0a000163, 40000, 4243 + ws, c + 1, in.ts, tsval, &out));
			EXPECT_EQ(out.wscale, SYNFW_WSCALE_NONE);
		}
	}
}
