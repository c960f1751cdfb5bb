// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5961 window checks: every edge of the window, exactly and one past,
 * at every position of the window relative to where sequence numbers wrap.
 */
#include "window.h"
#include "unit.h"

/*
 * The receiver expects 1000 and advertised 500 up to 1500; it sends from
 * 3000 on. The sender sent up to 1100 and last acknowledged 2800 with a
 * window of 400, so an ack may lie from 2400 to 3000.
 */
static const struct synfw_window base = {
	.rcv_nxt = 1000, .rcv_edge = 1500, .rcv_win = 500, .rcv_end = 3000,
	.snd_end = 1100, .snd_ack = 2800, .snd_win = 400,
};

/* Shifts that move each edge above across 2^32, and one far away. */
static u32 shift(unsigned int i)
{
	return i <= 3100 ? -(u32)i : 0x80000000u + i;
}

#define NSHIFTS 3110

static enum synfw_window_verdict judge(u32 k, u32 seq, u32 len, bool ack_set, u32 ack,
				       bool rst)
{
	struct synfw_window w = base;

	w.rcv_nxt += k;
	w.rcv_edge += k;
	w.rcv_end += k;
	w.snd_end += k;
	w.snd_ack += k;
	return synfw_window_judge(&w, seq + k, len, ack_set, ack + k, rst);
}

#define EXPECT_VERDICT(want, ...)					\
	do {								\
		unsigned int i_;					\
									\
		for (i_ = 0; i_ < NSHIFTS; i_++) {			\
			u32 k_ = shift(i_);				\
			enum synfw_window_verdict v_ = judge(k_, __VA_ARGS__); \
									\
			if (v_ != (want)) {				\
				unit_fail(__FILE__, __LINE__,		\
					  "shift 0x%08x: judge(%s) is %d, not %s", \
					  k_, #__VA_ARGS__, v_, #want);	\
				break;					\
			}						\
		}							\
	} while (0)

#define IN		SYNFW_WINDOW_IN
#define CHALLENGE	SYNFW_WINDOW_CHALLENGE
#define OUTSIDE		SYNFW_WINDOW_OUTSIDE

TEST(window_shifts_wrap)
{
	/* The window straddles 0 at some shift, and so does the ack range. */
	EXPECT_TRUE(base.rcv_nxt + shift(1250) > base.rcv_edge + shift(1250));
	EXPECT_TRUE(base.rcv_nxt - base.rcv_win + shift(750) > base.rcv_nxt + shift(750));
	EXPECT_TRUE(base.snd_ack - base.snd_win + shift(2700) > base.rcv_end + shift(2700));
}

TEST(window_seq_edges)
{
	EXPECT_VERDICT(IN, 1000, 100, true, 2900, false);
	EXPECT_VERDICT(IN, 1000, 0, true, 2900, false);
	EXPECT_VERDICT(IN, 1500, 0, true, 2900, false);
	EXPECT_VERDICT(IN, 1500, 100, true, 2900, false);
	EXPECT_VERDICT(OUTSIDE, 1501, 0, true, 2900, false);
	EXPECT_VERDICT(OUTSIDE, 1501, 0, false, 0, false);
	/* Ending exactly rcv_nxt - rcv_win: a retransmission still taken. */
	EXPECT_VERDICT(IN, 400, 100, true, 2900, false);
	EXPECT_VERDICT(IN, 500, 0, true, 2900, false);
	EXPECT_VERDICT(OUTSIDE, 399, 100, true, 2900, false);
	EXPECT_VERDICT(OUTSIDE, 499, 0, true, 2900, false);
	EXPECT_VERDICT(OUTSIDE, 499, 0, false, 0, false);
	/* The FIN the caller counts in len reaches into the window. */
	EXPECT_VERDICT(IN, 499, 1, true, 2900, false);
}

TEST(window_ack_edges)
{
	EXPECT_VERDICT(IN, 1000, 0, true, 3000, false);
	EXPECT_VERDICT(OUTSIDE, 1000, 0, true, 3001, false);
	EXPECT_VERDICT(IN, 1000, 0, true, 2400, false);
	EXPECT_VERDICT(OUTSIDE, 1000, 0, true, 2399, false);
}

TEST(window_ack_ignored_without_ack_flag)
{
	EXPECT_VERDICT(IN, 1000, 0, false, 3001, false);
	EXPECT_VERDICT(IN, 1000, 0, false, 2399, false);
	EXPECT_VERDICT(IN, 1000, 0, false, 0x80000000u, false);
}

TEST(window_rst)
{
	EXPECT_VERDICT(IN, 1000, 0, true, 2900, true);
	EXPECT_VERDICT(IN, 1100, 0, true, 2900, true);
	EXPECT_VERDICT(CHALLENGE, 1001, 0, true, 2900, true);
	EXPECT_VERDICT(CHALLENGE, 1099, 0, true, 2900, true);
	EXPECT_VERDICT(CHALLENGE, 1101, 0, true, 2900, true);
	EXPECT_VERDICT(CHALLENGE, 1500, 0, true, 2900, true);
	EXPECT_VERDICT(OUTSIDE, 1501, 0, true, 2900, true);
	EXPECT_VERDICT(OUTSIDE, 999, 0, true, 2900, true);
	/* Behind rcv_nxt, even within the window's reach, a RST is out. */
	EXPECT_VERDICT(OUTSIDE, 600, 0, true, 2900, true);
}

TEST(window_rst_ignores_len_and_ack)
{
	EXPECT_VERDICT(IN, 1000, 600, true, 3001, true);
	EXPECT_VERDICT(IN, 1100, 0, true, 2399, true);
	EXPECT_VERDICT(CHALLENGE, 1001, 0, false, 0, true);
	EXPECT_VERDICT(CHALLENGE, 1500, 1000, true, 0, true);
	EXPECT_VERDICT(OUTSIDE, 999, 1, true, 2900, true);
	EXPECT_VERDICT(OUTSIDE, 1501, 0, false, 0, true);
}

/* snd_end counts for a RST even outside the window the receiver offers. */
TEST(window_rst_at_snd_end_beyond_edge)
{
	struct synfw_window w = base;

	w.snd_end = w.rcv_edge + 10;
	EXPECT_EQ(synfw_window_judge(&w, w.snd_end, 0, true, 2900, true), IN);
	EXPECT_EQ(synfw_window_judge(&w, w.snd_end, 0, true, 2900, false), OUTSIDE);
}

/* A window of nothing: only the segment at exactly rcv_nxt is taken. */
TEST(window_zero_windows)
{
	struct synfw_window w = {
		.rcv_nxt = 0xffffffff, .rcv_edge = 0xffffffff, .rcv_end = 7,
		.snd_end = 0xffffffff, .snd_ack = 7,
	};

	EXPECT_EQ(synfw_window_judge(&w, 0xffffffff, 0, true, 7, false), IN);
	EXPECT_EQ(synfw_window_judge(&w, 0, 0, true, 7, false), OUTSIDE);
	EXPECT_EQ(synfw_window_judge(&w, 0xfffffffe, 0, true, 7, false), OUTSIDE);
	EXPECT_EQ(synfw_window_judge(&w, 0xfffffffe, 1, true, 7, false), IN);
	EXPECT_EQ(synfw_window_judge(&w, 0xffffffff, 0, true, 6, false), OUTSIDE);
	EXPECT_EQ(synfw_window_judge(&w, 0xffffffff, 0, true, 8, false), OUTSIDE);
	EXPECT_EQ(synfw_window_judge(&w, 0xffffffff, 0, true, 0, true), IN);
	EXPECT_EQ(synfw_window_judge(&w, 0, 0, true, 7, true), OUTSIDE);
}
