// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for module/window.c. An input is a window's seven
 * numbers, a segment's seq, len and ack, a shift, each 4 bytes in host
 * order, and a flags byte (bit 0: ACK, bit 1: RST); a short input is
 * zero-padded. Where sequence numbers lie in the 2^32 space must not
 * matter, only how far apart they are: the verdict must not change when
 * the shift is added to every sequence number (not to the sizes rcv_win,
 * snd_win and len). Nor may an ack without the ACK flag, nor len and ack
 * for a RST; and only a RST earns a challenge.
 */
#include "window.h"
#include "fuzz.h"

struct input {
	struct synfw_window w;
	u32 seq, len, ack, shift;
	u8 flags;
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { 0 };
	struct synfw_window w, s;
	enum synfw_window_verdict v;
	bool ack_set, rst;

	memcpy(&in, data, size < sizeof(in) ? size : sizeof(in));
	w = in.w;
	ack_set = in.flags & 1;
	rst = in.flags & 2;

	v = synfw_window_judge(&w, in.seq, in.len, ack_set, in.ack, rst);
	CHECK(v == SYNFW_WINDOW_IN || v == SYNFW_WINDOW_CHALLENGE || v == SYNFW_WINDOW_OUTSIDE);
	CHECK(rst || v != SYNFW_WINDOW_CHALLENGE);

	s = w;
	s.rcv_nxt += in.shift;
	s.rcv_edge += in.shift;
	s.rcv_end += in.shift;
	s.snd_end += in.shift;
	s.snd_ack += in.shift;
	CHECK(synfw_window_judge(&s, in.seq + in.shift, in.len, ack_set, in.ack + in.shift,
				 rst) == v);

	if (!ack_set)
		CHECK(synfw_window_judge(&w, in.seq, in.len, false, in.ack ^ in.shift, rst) == v);
	else if (!rst && v == SYNFW_WINDOW_IN)
		CHECK(synfw_window_judge(&w, in.seq, in.len, false, in.ack, false) == v);
	/* The next byte the receiver expects fits any window short of 2^31. */
	if (!before(w.rcv_edge, w.rcv_nxt) && w.rcv_win < 0x80000000u)
		CHECK(synfw_window_judge(&w, w.rcv_nxt, 0, false, 0, false) == SYNFW_WINDOW_IN);
	CHECK(synfw_window_judge(&w, w.rcv_nxt, in.len, ack_set, in.ack, true) ==
	      SYNFW_WINDOW_IN);
	if (rst) {
		CHECK(synfw_window_judge(&w, in.seq, in.len ^ in.shift, !ack_set,
					 in.ack ^ in.shift, true) == v);
		CHECK((v == SYNFW_WINDOW_IN) == (in.seq == w.rcv_nxt || in.seq == w.snd_end));
	}
	return 0;
}
