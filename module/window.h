/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The RFC 5961 window of a spliced flow: whether a segment's numbers land
 * where its receiver can take them, and whether a RST closes the flow or
 * earns a challenge ACK. Kernel-agnostic: host unit tests and fuzzers run
 * it. Reading the numbers from a flow, and what to do with the verdict, is
 * the caller's (see judge() in splice.c).
 */
#ifndef _SYNFW_WINDOW_H
#define _SYNFW_WINDOW_H

#include "compat.h"

/*
 * One direction of a spliced flow, in the numbers its segments carry as they
 * arrive. Of the receiver: the next sequence number it expects, the right
 * edge and the largest window it advertised, and the next sequence number it
 * sends itself. Of the sender: its own next sequence number, its latest ack
 * and its largest window. The client's right edge is taken as its largest
 * window past its latest ack: never short of the true one, and no field
 * more in every flow.
 */
struct synfw_window {
	u32 rcv_nxt;
	u32 rcv_edge;
	u32 rcv_win;
	u32 rcv_end;
	u32 snd_end;
	u32 snd_ack;
	u32 snd_win;
};

enum synfw_window_verdict {
	SYNFW_WINDOW_IN,	/* in the window; a RST that closes the flow */
	SYNFW_WINDOW_CHALLENGE,	/* a RST elsewhere in the window */
	SYNFW_WINDOW_OUTSIDE,	/* anything else */
};

/*
 * Judge a segment of sequence number seq, carrying len (data, plus one for
 * a FIN; a SYN is the caller's to judge), acknowledging ack if ack_set. A
 * RST is IN at exactly the receiver's next sequence number, as it
 * acknowledged it (rcv_nxt) or as the sender sent up to (snd_end), and
 * CHALLENGE after rcv_nxt up to rcv_edge; its len and ack do not count.
 */
enum synfw_window_verdict synfw_window_judge(const struct synfw_window *w, u32 seq, u32 len,
					     bool ack_set, u32 ack, bool rst);

#endif /* _SYNFW_WINDOW_H */
