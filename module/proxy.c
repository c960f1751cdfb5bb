// SPDX-License-Identifier: GPL-2.0
/*
 * The handshakes. A client's SYN is answered with a cookie SYN/ACK and
 * forgotten. Its ACK, if the cookie checks out, creates a flow and sends the
 * server a SYN with the client's ISN and options; the server's SYN/ACK is
 * answered with an ACK, which opens the splice. Client data that arrives in
 * the meantime is held, unacknowledged, and sent on in order once the
 * server is there to acknowledge it.
 *
 *   client                    synfw                       server
 *     | SYN isn=C                |                           |
 *     |------------------------->|                           |
 *     |  SYN/ACK seq=cookie      |   (no state kept)         |
 *     |<-------------------------|                           |
 *     | ACK seq=C+1 ack=cookie+1 |                           |
 *     |------------------------->| cookie valid: flow        |
 *     |                          | SYN isn=C                 |
 *     |                          |-------------------------->|
 *     |                          |        SYN/ACK seq=S      |
 *     |                          |<--------------------------|
 *     |                          | ACK, then held data       |
 *     |                          |-------------------------->|
 *     |     data, server sequence shifted by cookie - S      |
 *     |<====================================================>|
 */

#include <linux/netfilter.h>
#include <net/tcp.h>

#include "flow.h"
#include "ipv4.h"
#include "learn.h"
#include "netns.h"
#include "params.h"
#include "proxy.h"
#include "secret.h"
#include "spoof.h"
#include "splice.h"
#include "stats.h"

/* How long an adopted flow waits for the end that did not create it. */
#define ADOPT_CONFIRM_S	10

/* Client data held during a handshake: per flow, and per namespace. */
#define HELD_PER_FLOW	(64 * 1024)
#define HELD_SEGS	64
#define HELD_PER_NET	(32 * 1024 * 1024)

static void cookie_tuple(struct synfw_cookie_msg *m, const struct synfw_pkt *p)
{
	memset(m, 0, sizeof(*m));
	m->addr[0] = p->iph->saddr;
	m->addr[1] = p->iph->daddr;
	m->sport = p->th->source;
	m->dport = p->th->dest;
}

static u8 hop(u8 ttl)
{
	return ttl > 1 ? ttl - 1 : 1;
}

static void rst(struct synfw_net *sn, struct synfw_seg *s, u32 seq, u32 alt)
{
	s->seq = seq;
	synfw_ipv4_send(sn->net, s);
	/*
	 * An end resets only on a RST at exactly its next expected sequence
	 * (RFC 5961); anything else in its window earns a challenge ACK. That
	 * number is the latest one it acknowledged, unless data is in flight
	 * to it, and then the end of what was sent.
	 */
	if (alt != seq) {
		s->seq = alt;
		synfw_ipv4_send(sn->net, s);
	}
}

static void send_rst(struct synfw_net *sn, const struct synfw_flow *f, bool to_client)
{
	struct synfw_seg s = {
		.flags = TCPHDR_RST | TCPHDR_ACK,
		.ttl = 64,
	};

	if (to_client) {
		s.saddr = f->key.iaddr;
		s.daddr = f->key.oaddr;
		s.sport = f->key.iport;
		s.dport = f->key.oport;
		s.ack = f->out_end;
		/* In the client's numbers: conntrack knows the server's. */
		s.untracked = f->flags & SYNFW_FLOW_SPLICED;
		rst(sn, &s, f->out_ack, f->in_end + f->seq_delta);
	} else {
		s.saddr = f->key.oaddr;
		s.daddr = f->key.iaddr;
		s.sport = f->key.oport;
		s.dport = f->key.iport;
		s.ack = f->in_end;
		rst(sn, &s, f->in_ack, f->out_end);
	}
}

/*
 * The table is full: the oldest flow still waiting (for the server's
 * SYN/ACK, for a spliced flow's client to speak, or for an adopted or
 * outward flow's other end) makes room, and the ends of a spliced one are
 * told. Confirmed flows are never evicted. Returns whether a flow went.
 */
static bool evict(struct synfw_net *sn)
{
	struct synfw_flow *f = synfw_flow_oldest_pending(sn);

	if (!f || !synfw_flow_del(sn, f))
		return false;
	synfw_stat_inc(sn->stats, SYNFW_STAT_EVICTED);
	if (f->flags & SYNFW_FLOW_SPLICED)
		synfw_proxy_reset(sn, f);
	return true;
}

/*
 * A valid cookie that finds no room: the client, which has its SYN/ACK and
 * believes itself connected, is reset at once rather than left to time out.
 */
static void refuse(struct synfw_net *sn, const struct synfw_pkt *p)
{
	struct synfw_seg s = {
		.saddr = p->iph->daddr, .daddr = p->iph->saddr,
		.sport = p->th->dest, .dport = p->th->source,
		.seq = ntohl(p->th->ack_seq), .flags = TCPHDR_RST, .ttl = 64,
		.untracked = true,
	};

	synfw_ipv4_send(sn->net, &s);
}

/*
 * A SYN signed with TCP-MD5 or TCP-AO: a proxy that rewrites the server's
 * sequence numbers breaks the signatures, and passing such SYNs by default
 * would let any flood bypass the cookies by adding the option. They pass,
 * unproxied, only to the destinations listed in auth_pass (followed from
 * the server's SYN/ACK, see synfw_proxy_adopt()), and are dropped elsewhere.
 */
static unsigned int signed_syn(struct synfw_net *sn, const struct synfw_pkt *p)
{
	if (synfw_param_auth_pass(p->iph->daddr, p->th->dest)) {
		synfw_stat_inc(sn->stats, SYNFW_STAT_AUTH_PASSED);
		return NF_ACCEPT;
	}
	synfw_stat_inc(sn->stats, SYNFW_STAT_AUTH_DROPPED);
	return NF_DROP;
}

unsigned int synfw_proxy_syn(struct synfw_net *sn, struct synfw_pkt *p, unsigned int hook)
{
	const struct synfw_tcpopt *o = &p->opt;
	const struct synfw_cookie_keys *keys;
	struct synfw_synopts so = {};
	struct synfw_cookie_msg m;
	struct synfw_tcpopt v = {};
	struct synfw_answer a;
	struct synfw_seg s;
	bool ecn_setup = p->th->ece && p->th->cwr;

	/* Its last hop: forwarding answers with Time Exceeded, as without us. */
	if (p->iph->ttl <= 1)
		return NF_ACCEPT;
	if (unlikely(o->flags & SYNFW_OPT_AUTH))
		return signed_syn(sn, p);
	synfw_stat_inc(sn->stats, SYNFW_STAT_SYN_RECEIVED);
	if (!synfw_ipv4_csum_ok(p, hook)) {
		synfw_stat_inc(sn->stats, SYNFW_STAT_BAD_CHECKSUM);
		return NF_DROP;
	}
	/* Answered from the options before the error: see Documentation. */
	if (unlikely(o->err))
		synfw_stat_inc(sn->stats, SYNFW_STAT_BAD_OPTIONS);
	rcu_read_lock();
	keys = synfw_secret_get(sn);
	synfw_learn_answer(sn, p->iph->daddr, p->th->dest, o->flags, ecn_setup, keys->gen, &a);

	/* The cookie keeps what both ends will have agreed on. */
	so.mss = synfw_cookie_mss_round(o->flags & SYNFW_OPT_MSS ? o->mss : TCP_MSS_DEFAULT);
	so.wscale = a.opts & SYNFW_OPT_WSCALE ? min_t(u8, o->wscale, TCP_MAX_WSCALE) :
						 SYNFW_WSCALE_NONE;
	so.sack = a.opts & SYNFW_OPT_SACK_PERM;
	so.ecn = a.ecn;
	so.ts = a.opts & SYNFW_OPT_TS;

	cookie_tuple(&m, p);
	s.seq = synfw_cookie_make(keys, &m, 2 * sizeof(__be32), ntohl(p->th->seq), &so, &v.tsval);
	rcu_read_unlock();

	v.mss = a.mss;
	v.wscale = a.wscale;
	v.tsecr = o->tsval;
	s.optlen = synfw_optshape_fill(s.opt, &a.shape, &v);
	s.saddr = p->iph->daddr;
	s.daddr = p->iph->saddr;
	s.sport = p->th->dest;
	s.dport = p->th->source;
	s.ack = ntohl(p->th->seq) + 1;
	s.flags = TCPHDR_SYN | TCPHDR_ACK | (a.ecn ? TCPHDR_ECE : 0);
	s.window = a.window;
	s.ttl = hop(a.ttl);
	s.tos = a.tos;
	s.untracked = true;
	if (synfw_ipv4_reply(sn->net, p->skb, &s) >= 0)
		synfw_stat_inc(sn->stats, SYNFW_STAT_SYNACK_SENT);
	return NF_STOLEN;
}

/* The options synfw's SYN offers the server: what the client agreed to. */
static unsigned int offer(const struct synfw_synopts *o)
{
	return SYNFW_OPT_MSS | (o->wscale != SYNFW_WSCALE_NONE ? SYNFW_OPT_WSCALE : 0) |
	       (o->sack ? SYNFW_OPT_SACK_PERM : 0) | (o->ts ? SYNFW_OPT_TS : 0);
}

/*
 * Our SYN to the server, filled in under f->lock during the handshake and
 * sent once it is dropped: ip_local_out() can come back into synfw (an ICMP
 * error or a RST from a reject rule) and take that lock.
 */
static void syn_seg(const struct synfw_flow *f, struct synfw_seg *s)
{
	const struct synfw_synopts *o = &f->hs->opts;
	struct synfw_tcpopt v = {};
	struct synfw_optshape shape;
	u32 win = f->hs->win_client;

	if (o->wscale != SYNFW_WSCALE_NONE)
		win = min_t(u32, win << o->wscale, U16_MAX);
	/* A Linux client's SYN has the layout of a Linux SYN/ACK. */
	synfw_optshape_linux(&shape, offer(o));
	v.mss = o->mss;
	v.wscale = o->wscale;
	v.tsval = f->hs->tsval_client;
	memset(s, 0, sizeof(*s));
	s->optlen = synfw_optshape_fill(s->opt, &shape, &v);
	s->saddr = f->key.oaddr;
	s->daddr = f->key.iaddr;
	s->sport = f->key.oport;
	s->dport = f->key.iport;
	s->seq = f->isn_client;
	s->flags = TCPHDR_SYN | (o->ecn ? TCPHDR_ECE | TCPHDR_CWR : 0);
	s->window = win;
	s->ttl = hop(f->ttl);
}

/*
 * The ACK that completes the server's handshake, also for a repeated
 * SYN/ACK; filled in under f->lock, sent after it, as our SYN is.
 */
static void ack_seg(const struct synfw_flow *f, u32 tsecr, struct synfw_seg *s)
{
	memset(s, 0, sizeof(*s));
	if (f->flags & SYNFW_FLOW_TS) {
		s->opt[0] = TCPOPT_NOP;
		s->opt[1] = TCPOPT_NOP;
		s->opt[2] = TCPOPT_TIMESTAMP;
		s->opt[3] = TCPOLEN_TIMESTAMP;
		put_unaligned_be32(f->hs->tsval_client, &s->opt[4]);
		put_unaligned_be32(tsecr, &s->opt[8]);
		s->optlen = TCPOLEN_TSTAMP_ALIGNED;
	}
	s->saddr = f->key.oaddr;
	s->daddr = f->key.iaddr;
	s->sport = f->key.oport;
	s->dport = f->key.iport;
	s->seq = f->isn_client + 1;
	s->ack = synfw_flow_server_isn(f) + 1;
	s->flags = TCPHDR_ACK;
	s->window = f->hs->win_client;
	s->ttl = hop(f->ttl);
}

bool synfw_proxy_adopting(struct synfw_net *sn)
{
	const struct synfw_protect_param *prot = rcu_dereference(synfw_protect);
	unsigned long since = max(prot ? prot->since : 0, sn->born);

	return time_before(jiffies, since + synfw_param(synfw_adopt_s) * HZ);
}

/*
 * A connection synfw did not see open: one that was open before protection
 * began, or one the server opens outward. Followed, with nothing to
 * translate, once the end that did not create it speaks; forgotten if it
 * does not (see synfw_proxy_expire_handshake()). NULL when the table is full.
 */
struct synfw_flow *synfw_proxy_adopt(struct synfw_net *sn, const struct synfw_flow_key *k, int dev,
				     enum synfw_pending how)
{
	struct synfw_flow *f = synfw_flow_add(sn, k, how, dev);

	/* Never at a handshake's expense: what is adopted proved nothing. */
	if (IS_ERR_OR_NULL(f))
		return NULL;
	if (how != SYNFW_PENDING_OUTWARD)
		synfw_stat_inc(sn->stats, SYNFW_STAT_ADOPTED);
	return f;
}

unsigned int synfw_proxy_ack(struct synfw_net *sn, struct synfw_pkt *p,
			     const struct synfw_flow_key *k, unsigned int hook)
{
	const struct tcphdr *th = p->th;
	const struct synfw_cookie_keys *keys;
	struct synfw_cookie_msg m;
	struct synfw_synopts so;
	struct synfw_flow *f;
	struct synfw_seg syn;
	bool valid;
	u32 gen;

	if (!synfw_ipv4_csum_ok(p, hook)) {
		synfw_stat_inc(sn->stats, SYNFW_STAT_BAD_CHECKSUM);
		return NF_DROP;
	}
	cookie_tuple(&m, p);
	rcu_read_lock();
	keys = synfw_secret_get(sn);
	valid = synfw_cookie_check(keys, &m, 2 * sizeof(__be32), ntohl(th->seq),
				   ntohl(th->ack_seq), p->opt.flags & SYNFW_OPT_TS, p->opt.tsecr,
				   &so);
	gen = synfw_cookie_gen(keys, ntohl(th->ack_seq) - 1);
	rcu_read_unlock();
	if (!valid) {
		if (synfw_proxy_adopting(sn)) {
			f = synfw_proxy_adopt(sn, k, p->iif, SYNFW_PENDING_ADOPTED_OUT);
			return f ? synfw_splice_from_client(sn, f, p, hook) : NF_ACCEPT;
		}
		synfw_stat_inc(sn->stats, SYNFW_STAT_COOKIE_INVALID);
		synfw_spoof_note(sn, p->iph->saddr, p->iph->daddr, th->dest);
		return NF_DROP;
	}
	synfw_stat_inc(sn->stats, SYNFW_STAT_COOKIE_VALID);

	f = synfw_flow_alloc(sn, k, SYNFW_PENDING_SPLICE, p->iif);
	if (f == ERR_PTR(-ENOSPC) && evict(sn))
		f = synfw_flow_alloc(sn, k, SYNFW_PENDING_SPLICE, p->iif);
	if (IS_ERR_OR_NULL(f)) {
		refuse(sn, p);
		return NF_DROP;
	}

	/* Filled in before any other CPU can see it. */
	f->hs->opts = so;
	f->hs->tsval_told = p->opt.tsecr;
	f->flags |= SYNFW_FLOW_SPLICED;
	f->isn_client = ntohl(th->seq) - 1;
	f->hs->isn_cookie = ntohl(th->ack_seq) - 1;
	f->hs->tsval_client = p->opt.tsval;
	f->hs->win_client = ntohs(th->window);
	f->ttl = p->iph->ttl;
	f->max_win_out = f->hs->win_client;
	f->ws_client = so.wscale == SYNFW_WSCALE_NONE ? 0 : so.wscale;
	f->ws_told = so.wscale == SYNFW_WSCALE_NONE ? 0 :
		     synfw_learn_told(sn, k->iaddr, k->iport, gen);
	f->out_ack = ntohl(th->ack_seq);
	f->in_ack = ntohl(th->seq);
	f->out_end = ntohl(th->seq);
	f->in_end = ntohl(th->ack_seq);
	syn_seg(f, &syn);
	if (p->datalen || th->fin)
		synfw_proxy_hold(sn, f, p);
	else
		consume_skb(p->skb);
	/* On failure a twin ACK on another CPU won the race: its flow goes on. */
	if (synfw_flow_insert(sn, f))
		return NF_STOLEN;
	synfw_stat_inc(sn->stats, SYNFW_STAT_FLOWS_CREATED);
	/* The server's answers must come in by the interface our SYN leaves by. */
	synfw_ipv4_send_by(sn->net, &syn, &f->dev_in);
	return NF_STOLEN;
}

/*
 * Keep a client segment until the server's handshake completes, in sequence
 * order, without a duplicate, and no more than HELD_SEGS of them: each costs
 * a walk of the list. Called with the flow locked (or not yet published),
 * during the handshake (f->hs set); takes the skb.
 */
void synfw_proxy_hold(struct synfw_net *sn, struct synfw_flow *f, struct synfw_pkt *p)
{
	struct synfw_handshake *hs = f->hs;
	struct sk_buff *skb = p->skb, **pos;
	u32 seq = ntohl(p->th->seq);

	if (p->opt.flags & SYNFW_OPT_TS)
		hs->tsval_client = p->opt.tsval;
	/* Nothing a client sends before it has an answer lies beyond its window. */
	if (hs->held_len + p->datalen > HELD_PER_FLOW || hs->held_n >= HELD_SEGS ||
	    after(seq, f->isn_client + 1 + HELD_PER_FLOW) || p->iph->ttl <= 1)
		goto drop;
	if (atomic_add_return(skb->truesize, &sn->held_bytes) > HELD_PER_NET)
		goto unaccount;
	for (pos = &hs->held; *pos; pos = &(*pos)->next) {
		u32 s = ntohl(tcp_hdr(*pos)->seq);

		if (s == seq) {
			/* A retransmission: the first copy stays, nothing is lost. */
			atomic_sub(skb->truesize, &sn->held_bytes);
			consume_skb(skb);
			return;
		}
		if (after(s, seq))
			break;
	}
	/* Held, it must not point at the device it came in by: that may go. */
	skb->dev = NULL;
	skb->next = *pos;
	*pos = skb;
	hs->held_len += p->datalen;
	hs->held_n++;
	synfw_stat_inc(sn->stats, SYNFW_STAT_DATA_HELD);
	return;

unaccount:
	atomic_sub(skb->truesize, &sn->held_bytes);
drop:
	synfw_stat_inc(sn->stats, SYNFW_STAT_DATA_DROPPED);
	kfree_skb(skb);
}

/*
 * Send on, in order and in server numbers, what the client sent during the
 * handshake: after the flow is open and unlocked, so that each segment is
 * tracked (a held FIN counts) and an ICMP error about it is translated.
 */
static void release(struct synfw_net *sn, struct synfw_flow *f, struct sk_buff *held)
{
	struct sk_buff *skb, *next;
	struct synfw_pkt p;

	for (skb = held; skb; skb = next) {
		next = skb->next;
		skb_mark_not_on_list(skb);
		if (synfw_ipv4_parse(skb, &p) || synfw_splice_release(sn, f, &p)) {
			kfree_skb(skb);
			continue;
		}
		synfw_ipv4_reinject(sn->net, skb);
	}
}

/*
 * The server answered a SYN that reached it on an open flow with a SYN/ACK
 * rather than a challenge ACK: its end of the flow is gone. Its answer is
 * reset and the flow forgotten, so that the client's next SYN gets a cookie.
 */
static void stale(struct synfw_net *sn, struct synfw_flow *f, const struct synfw_pkt *p)
{
	struct synfw_seg s = {
		.saddr = f->key.oaddr, .daddr = f->key.iaddr,
		.sport = f->key.oport, .dport = f->key.iport,
		.seq = ntohl(p->th->ack_seq), .flags = TCPHDR_RST, .ttl = hop(f->ttl),
	};

	synfw_ipv4_send(sn->net, &s);
	synfw_flow_del(sn, f);
}

/*
 * Take what the handshake learned from the server's SYN/ACK into the flow.
 * Under f->lock, in SYN_SENT.
 */
static void open_splice(struct synfw_flow *f, const struct synfw_pkt *p,
			struct synfw_synack *sa)
{
	const struct synfw_synopts *so = &f->hs->opts;
	const struct synfw_tcpopt *o = &p->opt;
	u32 seq = ntohl(p->th->seq);

	sa->offered = offer(so);
	sa->ecn_setup = so->ecn;
	f->seq_delta = f->hs->isn_cookie - seq;
	f->in_end = seq + 1;
	f->in_edge = f->in_ack + sa->window;	/* never scaled in a SYN/ACK */
	if (!f->dev_in && p->iif != f->dev_out)	/* our SYN found no route */
		WRITE_ONCE(f->dev_in, p->iif);
	if (so->ts && (o->flags & SYNFW_OPT_TS)) {
		f->flags |= SYNFW_FLOW_TS;
		f->ts_delta = f->hs->tsval_told - o->tsval;
	}
	if (so->wscale != SYNFW_WSCALE_NONE) {
		f->ws_server = o->flags & SYNFW_OPT_WSCALE ?
			       min_t(u8, o->wscale, TCP_MAX_WSCALE) : 0;
		if (f->ws_server != f->ws_told)
			f->flags |= SYNFW_FLOW_RESCALE;
		/*
		 * The client was told a shift and scales its windows: a server
		 * that declined scaling reads them as they are, unless synfw
		 * scales them up for it.
		 */
		if (!(o->flags & SYNFW_OPT_WSCALE) && f->ws_client)
			f->flags |= SYNFW_FLOW_UNSCALED_IN;
	}
	/* A SYN/ACK's window is never scaled: in units of the shift, rounded up. */
	f->max_win_in = DIV_ROUND_UP(sa->window, 1U << f->ws_server);
	f->last = synfw_flow_clock();
}

/*
 * The server's SYN/ACK to our SYN: the splice opens. Our ACK and the held
 * data leave after f->lock is dropped, the data once the flow is open.
 */
unsigned int synfw_proxy_synack(struct synfw_net *sn, struct synfw_flow *f,
				struct synfw_pkt *p, unsigned int hook)
{
	const struct synfw_tcpopt *o = &p->opt;
	struct synfw_synack sa = {
		.ttl = p->iph->ttl, .tos = p->iph->tos, .ece = p->th->ece,
		.window = ntohs(p->th->window), .opt = o, .optbytes = (u8 *)(p->th + 1),
		.optlen = p->thlen - sizeof(*p->th),
	};
	struct sk_buff *held;
	struct synfw_seg ack;

	if (!synfw_ipv4_csum_ok(p, hook))
		return NF_DROP;
	if (ntohl(p->th->ack_seq) != f->isn_client + 1) {
		if (READ_ONCE(f->state) != SYNFW_FLOW_SYN_SENT)
			stale(sn, f, p);
		return NF_DROP;
	}

	spin_lock_bh(&f->lock);
	if (f->state != SYNFW_FLOW_SYN_SENT || !f->hs) {
		/*
		 * Our ACK was lost and the server repeats itself. Once the
		 * handshake is over, the client's next segment answers it.
		 */
		bool again = f->state == SYNFW_FLOW_OPEN && f->hs &&
			     synfw_flow_server_isn(f) == ntohl(p->th->seq);

		if (again)
			ack_seg(f, o->tsval, &ack);
		spin_unlock_bh(&f->lock);
		if (again)
			synfw_ipv4_send(sn->net, &ack);
		return NF_DROP;
	}
	open_splice(f, p, &sa);
	ack_seg(f, o->tsval, &ack);
	held = synfw_flow_opened(sn, f);
	spin_unlock_bh(&f->lock);

	synfw_ipv4_send(sn->net, &ack);
	release(sn, f, held);
	synfw_learn_synack(sn, f->key.iaddr, f->key.iport, &sa);
	return NF_DROP;
}

/*
 * The server refused (RST) or cannot be reached: the client learns it now.
 * The flow goes first, so that the RST, which passes synfw's own hooks on
 * its way out, finds nothing to act on; once only, whoever calls first.
 */
void synfw_proxy_refused(struct synfw_net *sn, struct synfw_flow *f)
{
	if (!synfw_flow_del(sn, f))
		return;
	synfw_stat_inc(sn->stats, SYNFW_STAT_SERVER_RST);
	send_rst(sn, f, true);
}

/* Reset both ends of a flow that cannot go on (idle, unload). */
void synfw_proxy_reset(struct synfw_net *sn, struct synfw_flow *f)
{
	if (f->state == SYNFW_FLOW_OPEN) {
		send_rst(sn, f, true);
		send_rst(sn, f, false);
	} else if (f->state == SYNFW_FLOW_SYN_SENT) {
		send_rst(sn, f, true);
	}
}

/*
 * A spliced flow's client that has been silent since the splice opened is
 * asked to speak: an ACK one byte behind what it has of the server is out
 * of its window, and its TCP answers with an ACK (RFC 9293 3.10.7.4) that
 * confirms the flow. A forged cookie's spoofed source never answers.
 * Filled in under f->lock, sent after it.
 */
static void probe_seg(const struct synfw_flow *f, struct synfw_seg *s)
{
	memset(s, 0, sizeof(*s));
	s->saddr = f->key.iaddr;
	s->daddr = f->key.oaddr;
	s->sport = f->key.iport;
	s->dport = f->key.oport;
	s->seq = f->in_end + f->seq_delta - 1;
	s->ack = f->out_end;
	s->flags = TCPHDR_ACK;
	s->ttl = 64;
	s->untracked = true;	/* in the client's numbers */
}

/* Whether a flow has waited too long for the end that must confirm it. */
static bool unconfirmed_over(const struct synfw_handshake *hs, u32 now)
{
	bool adopted = hs->pending == SYNFW_PENDING_ADOPTED_OUT ||
		       hs->pending == SYNFW_PENDING_ADOPTED_IN;
	u32 limit = adopted ? ADOPT_CONFIRM_S * HZ : synfw_param(synfw_handshake_timeout_s) * HZ;

	return !time_before32(now, hs->born + limit);
}

/* What the collector does about a flow in a handshake, decided under its lock. */
enum step { WAIT, SEND, SEND_SYN, TIMED_OUT, UNCONFIRMED };

/* Our SYN sent again, on a doubling interval, until handshake_timeout_s. */
static enum step splice_step(struct synfw_flow *f, u32 now, u32 timeout, struct synfw_seg *s)
{
	struct synfw_handshake *hs = f->hs;

	if (f->state != SYNFW_FLOW_SYN_SENT)
		return WAIT;
	if (!time_before32(now, hs->born + timeout))
		return TIMED_OUT;
	if (time_before32(now, hs->sent + (HZ << hs->syn_tries)))
		return WAIT;
	hs->syn_tries = min_t(u8, hs->syn_tries + 1, 6);
	hs->sent = now;
	syn_seg(f, s);
	return SEND_SYN;
}

/* A flow waiting for an end's word: the client probed halfway, then given up. */
static enum step confirm_step(struct synfw_flow *f, u32 now, u32 timeout, struct synfw_seg *s)
{
	struct synfw_handshake *hs = f->hs;

	if (hs->pending == SYNFW_PENDING_CLIENT && !hs->syn_tries &&
	    !time_before32(now, hs->born + timeout / 2)) {
		hs->syn_tries = 1;	/* probed once */
		probe_seg(f, s);
		return SEND;
	}
	return unconfirmed_over(hs, now) ? UNCONFIRMED : WAIT;
}

/*
 * The collector's look at a flow in a handshake, every tick: a decision
 * under the flow's lock, carried out after it.
 */
void synfw_proxy_expire_handshake(struct synfw_net *sn, struct synfw_flow *f)
{
	u32 now = jiffies, timeout = synfw_param(synfw_handshake_timeout_s) * HZ;
	enum step step = WAIT;
	struct synfw_seg seg;

	spin_lock_bh(&f->lock);
	if (f->hs)
		step = f->hs->pending == SYNFW_PENDING_SPLICE ? splice_step(f, now, timeout, &seg) :
								confirm_step(f, now, timeout, &seg);
	spin_unlock_bh(&f->lock);

	switch (step) {
	case WAIT:
		break;
	case SEND_SYN:
		synfw_stat_inc(sn->stats, SYNFW_STAT_SYN_RETRANS);
		/* The route may have moved: the answer comes back by the new one. */
		synfw_ipv4_send_by(sn->net, &seg, &f->dev_in);
		break;
	case SEND:
		synfw_ipv4_send(sn->net, &seg);
		break;
	case TIMED_OUT:
		if (synfw_flow_del(sn, f)) {
			synfw_stat_inc(sn->stats, SYNFW_STAT_HANDSHAKE_TIMEOUT);
			send_rst(sn, f, true);
		}
		break;
	case UNCONFIRMED:
		if (synfw_flow_del(sn, f)) {
			synfw_stat_inc(sn->stats, SYNFW_STAT_UNCONFIRMED);
			/* Its server has a connection; adopted ends have nothing of ours. */
			if (f->flags & SYNFW_FLOW_SPLICED)
				synfw_proxy_reset(sn, f);
		}
		break;
	}
}

/*
 * The collector's look at an open or closing flow: time it out, in whole
 * seconds. An open flow one end has closed lives on while data moves, but
 * idles no longer than a closed one lingers.
 */
void synfw_proxy_expire(struct synfw_net *sn, struct synfw_flow *f)
{
	u32 idle = synfw_flow_clock() - READ_ONCE(f->last);
	bool half = READ_ONCE(f->flags) & (SYNFW_FLOW_FIN_OUT | SYNFW_FLOW_FIN_IN);

	switch (READ_ONCE(f->state)) {
	case SYNFW_FLOW_OPEN:
		if (idle > (half ? synfw_param(synfw_close_timeout_s) :
				   synfw_param(synfw_idle_timeout_s)) &&
		    synfw_flow_del(sn, f)) {
			synfw_stat_inc(sn->stats, SYNFW_STAT_IDLE_TIMEOUT);
			synfw_proxy_reset(sn, f);
		}
		break;
	case SYNFW_FLOW_CLOSING:
		if (idle > synfw_param(synfw_close_timeout_s))
			synfw_flow_del(sn, f);
		break;
	}
}
