// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5961 window checks of spliced flows (and RFC 9293 3.10.7.4), shared
 * by the module, the host unit tests and fuzzers. Sequence numbers wrap:
 * every comparison is before() or after(), never < or >.
 */

#include "window.h"

/*
 * Whether a segment lands where its receiver can take it (RFC 9293
 * 3.10.7.4, and RFC 5961 section 5 for its ACK): no further than the right
 * edge the receiver advertised, no more than its largest window behind what
 * it acknowledged, acknowledging nothing the receiver has sent nor more
 * than the sender's largest window behind what it last acknowledged. A
 * blind injector has to guess all three.
 */
static bool in_window(const struct synfw_window *w, u32 seq, u32 len, bool ack_set, u32 ack)
{
	u32 end = seq + len;

	if (after(seq, w->rcv_edge) || before(end, w->rcv_nxt - w->rcv_win))
		return false;
	return !ack_set || (!after(ack, w->rcv_end) && !before(ack, w->snd_ack - w->snd_win));
}

enum synfw_window_verdict synfw_window_judge(const struct synfw_window *w, u32 seq, u32 len,
					     bool ack_set, u32 ack, bool rst)
{
	if (rst) {
		if (seq == w->rcv_nxt || seq == w->snd_end)
			return SYNFW_WINDOW_IN;
		if (after(seq, w->rcv_nxt) && !after(seq, w->rcv_edge))
			return SYNFW_WINDOW_CHALLENGE;
		return SYNFW_WINDOW_OUTSIDE;
	}
	return in_window(w, seq, len, ack_set, ack) ? SYNFW_WINDOW_IN : SYNFW_WINDOW_OUTSIDE;
}
