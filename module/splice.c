// SPDX-License-Identifier: GPL-2.0
/*
 * The splice: segments of an open flow, translated between the client's
 * view (the server's sequence numbers continue from the cookie, its
 * timestamps from synfw's SYN/ACK, its windows scaled by the shift the client
 * was told) and the server's. Client-to-server segments are translated
 * before conntrack sees them and server-to-client ones after, so conntrack
 * sees the server's view of one consistent connection in both directions.
 */

#include <linux/netfilter.h>
#include <net/checksum.h>
#include <net/tcp.h>

#include "netns.h"
#include "proxy.h"
#include "splice.h"
#include "stats.h"
#include "window.h"

static void set32(struct synfw_pkt *p, __be32 *field, u32 val)
{
	__be32 new = htonl(val);

	inet_proto_csum_replace4(&p->th->check, p->skb, *field, new, false);
	*field = new;
}

static void add32(struct synfw_pkt *p, void *at, u32 delta)
{
	__be32 old, new;

	memcpy(&old, at, sizeof(old));
	new = htonl(ntohl(old) + delta);
	inet_proto_csum_replace4(&p->th->check, p->skb, old, new, false);
	memcpy(at, &new, sizeof(new));
}

static u8 *options(struct synfw_pkt *p)
{
	return (u8 *)(p->th + 1);
}

/* A window sent with shift `from`, for a receiver that applies `to`. */
static void rescale(struct synfw_pkt *p, u8 from, u8 to)
{
	__be16 old = p->th->window;
	u32 win = ((u32)ntohs(old) << from) >> to;

	p->th->window = htons(min_t(u32, win, U16_MAX));
	inet_proto_csum_replace2(&p->th->check, p->skb, old, p->th->window, false);
}

static int to_server(const struct synfw_flow *f, struct synfw_pkt *p)
{
	const struct synfw_tcpopt *o = &p->opt;
	unsigned int i;

	if (synfw_ipv4_writable(p))
		return -ENOMEM;
	if (p->th->ack)
		set32(p, &p->th->ack_seq, ntohl(p->th->ack_seq) - f->seq_delta);
	if (o->flags & SYNFW_OPT_SACK) {
		for (i = 0; i < o->sack_blocks * 2; i++)
			add32(p, options(p) + o->sack_off + 4 * i, -f->seq_delta);
	}
	if ((f->flags & SYNFW_FLOW_TS) && (o->flags & SYNFW_OPT_TS) && p->th->ack)
		add32(p, options(p) + o->ts_off + 4, -f->ts_delta);
	if ((f->flags & SYNFW_FLOW_UNSCALED_IN) && !p->th->syn)
		rescale(p, f->ws_client, 0);
	return 0;
}

static int to_client(const struct synfw_flow *f, struct synfw_pkt *p)
{
	const struct synfw_tcpopt *o = &p->opt;

	if (synfw_ipv4_writable(p))
		return -ENOMEM;
	set32(p, &p->th->seq, ntohl(p->th->seq) + f->seq_delta);
	if ((f->flags & SYNFW_FLOW_TS) && (o->flags & SYNFW_OPT_TS))
		add32(p, options(p) + o->ts_off, f->ts_delta);
	if ((f->flags & SYNFW_FLOW_RESCALE) && !p->th->syn)
		rescale(p, f->ws_server, f->ws_told);
	return 0;
}

/* Zero stands for unknown: an adopted flow learns its numbers as they come. */
static void advance(u32 *field, u32 val)
{
	u32 cur = READ_ONCE(*field);

	if (!cur || after(val, cur))
		WRITE_ONCE(*field, val);
}

/* Follow the ends' sequence numbers, acknowledgements, FINs and RSTs. */
static void track(struct synfw_net *sn, struct synfw_flow *f, const struct synfw_pkt *p,
		  bool outside)
{
	const struct tcphdr *th = p->th;
	u32 *ack = outside ? &f->out_ack : &f->in_ack;
	u32 *end = outside ? &f->out_end : &f->in_end;
	u16 *max_win = outside ? &f->max_win_out : &f->max_win_in;
	u32 seq_end = ntohl(th->seq) + p->datalen + th->syn + th->fin;
	u8 fin = outside ? SYNFW_FLOW_FIN_OUT : SYNFW_FLOW_FIN_IN;

	WRITE_ONCE(f->last, synfw_flow_clock());
	if (!th->syn && ntohs(th->window) > READ_ONCE(*max_win))
		WRITE_ONCE(*max_win, ntohs(th->window));
	if (th->ack) {
		advance(ack, ntohl(th->ack_seq));
		if (!outside)
			advance(&f->in_edge, ntohl(th->ack_seq) +
					     ((u32)ntohs(th->window) << f->ws_server));
	}
	advance(end, seq_end);
	if (likely(!th->fin && !th->rst))
		return;

	spin_lock_bh(&f->lock);
	if (th->fin)
		f->flags |= fin;
	if (th->rst && !outside && f->state == SYNFW_FLOW_OPEN &&
	    (f->flags & SYNFW_FLOW_SPLICED))
		synfw_stat_inc(sn->stats, SYNFW_STAT_SERVER_RST);
	if (th->rst || (f->flags & SYNFW_FLOW_FIN_OUT && f->flags & SYNFW_FLOW_FIN_IN))
		WRITE_ONCE(f->state, SYNFW_FLOW_CLOSING);
	spin_unlock_bh(&f->lock);
}

/* The largest window an end advertised (MAX.SND.WND, RFC 5961), in bytes. */
static u32 max_window(const u16 *max_win, u8 shift)
{
	return (u32)READ_ONCE(*max_win) << shift;
}

/* The window of one direction of f, as window.h describes it. */
static struct synfw_window dir_of(const struct synfw_flow *f, bool outside)
{
	u32 in_win = max_window(&f->max_win_in, f->ws_server);
	u32 out_win = max_window(&f->max_win_out, f->ws_client);

	if (outside)	/* the server's numbers in the client's view */
		return (struct synfw_window){
			.rcv_nxt = READ_ONCE(f->in_ack), .rcv_edge = READ_ONCE(f->in_edge),
			.rcv_win = in_win, .rcv_end = READ_ONCE(f->in_end) + f->seq_delta,
			.snd_end = READ_ONCE(f->out_end), .snd_ack = READ_ONCE(f->out_ack),
			.snd_win = out_win,
		};
	return (struct synfw_window){	/* the server's numbers in its own view */
		.rcv_nxt = READ_ONCE(f->out_ack) - f->seq_delta,
		.rcv_edge = READ_ONCE(f->out_ack) - f->seq_delta + out_win,
		.rcv_win = out_win, .rcv_end = READ_ONCE(f->out_end),
		.snd_end = READ_ONCE(f->in_end), .snd_ack = READ_ONCE(f->in_ack),
		.snd_win = in_win,
	};
}

enum { TRACK, PASS, DROP };

/*
 * A FIN or RST changes a flow's state: only once its checksum is known
 * good, so that a corrupted copy cannot close what the end never closed.
 */
static bool intact(struct synfw_net *sn, struct synfw_pkt *p, unsigned int hook)
{
	if (likely(!p->th->fin && !p->th->rst) || synfw_ipv4_csum_ok(p, hook))
		return true;
	synfw_stat_inc(sn->stats, SYNFW_STAT_BAD_CHECKSUM);
	return false;
}

/*
 * A segment of a spliced flow, from either end (RFC 5961). A RST at exactly
 * the receiver's next sequence number, as it acknowledged it or as the
 * sender sent up to, closes the flow; one elsewhere in the window passes
 * on, for the receiver to answer with a challenge ACK, and leaves the flow
 * be. A client's SYN passes on as it is, for a challenge ACK too (or, from
 * a server that lost the connection, a SYN/ACK: see stale() in proxy.c).
 * Anything else must be in the window.
 */
static int judge(struct synfw_net *sn, const struct synfw_flow *f, const struct synfw_pkt *p,
		 bool outside)
{
	const struct synfw_window w = dir_of(f, outside);
	const struct tcphdr *th = p->th;

	if (th->syn && !th->ack && outside)
		return PASS;
	if (th->syn) {		/* a SYN/ACK from the client, a SYN from the server */
		synfw_stat_inc(sn->stats, SYNFW_STAT_ILLEGAL_FLAGS);
		return DROP;
	}
	switch (synfw_window_judge(&w, ntohl(th->seq), p->datalen + th->fin, th->ack,
				   ntohl(th->ack_seq), th->rst)) {
	case SYNFW_WINDOW_IN:
		return TRACK;
	case SYNFW_WINDOW_CHALLENGE:
		synfw_stat_inc(sn->stats, SYNFW_STAT_RST_CHALLENGED);
		return PASS;
	case SYNFW_WINDOW_OUTSIDE:
		break;
	}
	/*
	 * A RST on a closed flow is most likely an end's answer to a late
	 * copy of the other's segment, carrying its old ack: nothing is left
	 * to protect, nothing worth counting.
	 */
	if (th->rst && READ_ONCE(f->state) == SYNFW_FLOW_CLOSING)
		return DROP;
	synfw_stat_inc(sn->stats, SYNFW_STAT_OUT_OF_WINDOW);
	return DROP;
}

/*
 * Whether a segment came in by the interface its end's packets come by: an
 * outsider cannot send from the inside link, whatever source it writes.
 */
static bool path_ok(struct synfw_net *sn, const struct synfw_flow *f,
		    const struct synfw_pkt *p, bool outside)
{
	if (likely(synfw_flow_path_ok(f, p->iif, outside)))
		return true;
	synfw_stat_inc(sn->stats, SYNFW_STAT_WRONG_PATH);
	return false;
}

/* A client segment held during the handshake, on its way now. */
int synfw_splice_release(struct synfw_net *sn, struct synfw_flow *f, struct synfw_pkt *p)
{
	track(sn, f, p, true);
	return to_server(f, p);
}

unsigned int synfw_splice_from_client(struct synfw_net *sn, struct synfw_flow *f,
				      struct synfw_pkt *p, unsigned int hook)
{
	const struct tcphdr *th = p->th;

	if (!path_ok(sn, f, p, true))
		return NF_DROP;
	if (READ_ONCE(f->state) == SYNFW_FLOW_SYN_SENT) {
		spin_lock_bh(&f->lock);
		if (f->state == SYNFW_FLOW_SYN_SENT) {
			/* !f->hs: deleted. A RST counts only at the exact sequence. */
			if (th->rst || !f->hs) {
				bool end = !f->hs || (ntohl(th->seq) == f->isn_client + 1 &&
						      synfw_ipv4_csum_ok(p, hook));

				spin_unlock_bh(&f->lock);
				if (end)
					synfw_flow_del(sn, f);
				return NF_DROP;
			}
			if ((p->datalen || th->fin) && synfw_ipv4_csum_ok(p, hook)) {
				synfw_proxy_hold(sn, f, p);
				spin_unlock_bh(&f->lock);
				return NF_STOLEN;
			}
			spin_unlock_bh(&f->lock);
			return NF_DROP;		/* a repeated bare ACK */
		}
		spin_unlock_bh(&f->lock);
	}
	/*
	 * A new connection on the ports of a closed one starts afresh; a late
	 * copy of the old one's SYN (same ISN) does not end the old flow.
	 */
	if (th->syn && !th->ack && READ_ONCE(f->state) == SYNFW_FLOW_CLOSING &&
	    ntohl(th->seq) != f->isn_client) {
		synfw_flow_del(sn, f);
		return synfw_proxy_syn(sn, p, hook);
	}
	if (!intact(sn, p, hook))
		return NF_DROP;
	if (!(f->flags & SYNFW_FLOW_SPLICED)) {
		if (unlikely(READ_ONCE(f->hs)) && !th->rst)
			synfw_flow_confirm(sn, f, p->iif, true);
		track(sn, f, p, true);
		return NF_ACCEPT;
	}
	switch (judge(sn, f, p, true)) {
	case DROP:
		return NF_DROP;
	case TRACK:
		if (unlikely(READ_ONCE(f->hs)) && !th->rst)
			synfw_flow_confirm(sn, f, p->iif, true);
		track(sn, f, p, true);
		break;
	}
	return to_server(f, p) ? NF_DROP : NF_ACCEPT;
}

unsigned int synfw_splice_from_server(struct synfw_net *sn, struct synfw_flow *f,
				      struct synfw_pkt *p, unsigned int hook)
{
	const struct tcphdr *th = p->th;

	if (!path_ok(sn, f, p, false))
		return NF_DROP;
	if (READ_ONCE(f->state) == SYNFW_FLOW_SYN_SENT) {
		if (th->syn && th->ack)
			return synfw_proxy_synack(sn, f, p, hook);
		if (th->rst && th->ack && ntohl(th->ack_seq) == f->isn_client + 1 &&
		    synfw_ipv4_csum_ok(p, hook))
			synfw_proxy_refused(sn, f);
		return NF_DROP;
	}
	if (th->syn && th->ack && (f->flags & SYNFW_FLOW_SPLICED))
		return synfw_proxy_synack(sn, f, p, hook);
	if (!intact(sn, p, hook))
		return NF_DROP;
	if (!(f->flags & SYNFW_FLOW_SPLICED)) {
		if (unlikely(READ_ONCE(f->hs)) && !th->rst)
			synfw_flow_confirm(sn, f, p->iif, false);
		track(sn, f, p, false);
		return NF_ACCEPT;
	}
	switch (judge(sn, f, p, false)) {
	case DROP:
		return NF_DROP;
	case TRACK:
		track(sn, f, p, false);
		break;
	}
	return to_client(f, p) ? NF_DROP : NF_ACCEPT;
}
