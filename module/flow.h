/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_FLOW_H
#define _SYNFW_FLOW_H

#include <linux/list.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>

#include "cookie.h"
#include "netns.h"
#include "params.h"

/* A connection as the router sees it: its outside end and its inside end. */
struct synfw_flow_key {
	__be32 oaddr;
	__be32 iaddr;
	__be16 oport;
	__be16 iport;
};

enum synfw_flow_state {
	SYNFW_FLOW_SYN_SENT,	/* cookie valid, our SYN is on its way to the server */
	SYNFW_FLOW_OPEN,	/* spliced, or adopted with nothing to translate */
	SYNFW_FLOW_CLOSING,	/* both FINs or a RST seen: lingers for late segments */
};

enum synfw_flow_flags {
	SYNFW_FLOW_SPLICED	= 1 << 0,	/* opened by a cookie: translate */
	SYNFW_FLOW_TS		= 1 << 1,	/* timestamps translated */
	SYNFW_FLOW_RESCALE	= 1 << 2,	/* server windows rescaled for the client */
	SYNFW_FLOW_FIN_OUT	= 1 << 3,	/* the outside end sent a FIN */
	SYNFW_FLOW_FIN_IN	= 1 << 4,	/* the inside end sent a FIN */
	SYNFW_FLOW_STRAY	= 1 << 5,	/* outside the current protection */
	SYNFW_FLOW_UNSCALED_IN	= 1 << 6,	/* the server declined window scaling */
};

/*
 * What a flow waits for while it has a struct synfw_handshake: the server's
 * SYN/ACK to synfw's SYN, then a segment from the client once the splice is
 * open (a forged cookie's spoofed client never sends one); or, for a flow
 * synfw did not see open, a first word from the end that did not create it.
 */
enum synfw_pending {
	SYNFW_PENDING_SPLICE,		/* SYN_SENT, spliced */
	SYNFW_PENDING_CLIENT,		/* spliced and open: the client speaks again */
	SYNFW_PENDING_ADOPTED_OUT,	/* adopted from an outside ACK: the inside speaks */
	SYNFW_PENDING_ADOPTED_IN,	/* adopted from an inside ACK: the outside speaks */
	SYNFW_PENDING_OUTWARD,		/* the server's SYN: the outside answers */
};

/*
 * What only a handshake in progress needs; freed when the splice opens, or
 * when an adopted or outward flow is confirmed, so that an open flow keeps
 * none of it.
 */
struct synfw_handshake {
	struct list_head node;	/* in the namespace's list of handshakes */
	struct synfw_flow *flow;
	struct sk_buff *held;	/* client data, by sequence */
	u32 held_len;
	u8 held_n;		/* segments in held */
	u32 born;		/* jiffies */
	u32 sent;		/* jiffies of our latest SYN */
	u32 tsval_told;		/* the TSval of our SYN/ACK */
	u32 isn_cookie;		/* the ISN our SYN/ACK gave the client */
	u32 tsval_client;	/* the client's latest TSval */
	u16 win_client;		/* window field of the client's ACK */
	struct synfw_synopts opts;	/* the client's SYN options */
	u8 syn_tries;		/* our SYNs sent again; once open, whether the client was probed */
	u8 pending;		/* enum synfw_pending */
};

/*
 * Sequence spaces: the client's numbers pass unchanged (the server's SYN
 * carries the client's ISN); the server's are shifted by seq_delta on their
 * way out, so that the client sees them continue from the cookie.
 */
struct synfw_flow {
	struct rhash_head node;
	struct synfw_flow_key key;
	u8 state;
	u8 flags;
	u8 ws_server;		/* the server's window shift */
	u8 ws_told;		/* the shift the client was told */
	u8 ws_client;		/* the client's own shift */
	u8 ttl;			/* of the client's packets, for what we send */
	/* The largest window field each end sent, in units of its own shift. */
	u16 max_win_out;
	u16 max_win_in;
	spinlock_t lock;	/* state changes, flags, hs */
	u32 isn_client;
	u32 seq_delta;		/* client view - server view of server sequence */
	u32 ts_delta;		/* client view - server view of server TSval */
	u32 out_ack;		/* the outside end's latest ack, as it sent it */
	u32 in_ack;		/* the inside end's latest ack */
	u32 out_end;		/* the outside end's next sequence number */
	u32 in_end;		/* the inside end's next sequence number, server view */
	u32 in_edge;		/* the right edge of the window the server advertised */
	u32 last;		/* synfw_flow_clock() of the last packet */
	/*
	 * The interface each end's packets come in by (ifindex): a client's,
	 * that of its cookie ACK; a server's, that of the route synfw's SYN
	 * takes to it; an adopted flow's ends, that of what first came from
	 * each. 0 until then.
	 */
	int dev_out;
	int dev_in;
	struct synfw_handshake *hs;	/* under lock; NULL once open */
	struct rcu_head rcu;
};

/* Idle and close timeouts count whole seconds: 32 bits of them never wrap. */
static inline u32 synfw_flow_clock(void)
{
	return jiffies / HZ;
}

/* Whether a packet that came in by dev may be the outside (or inside) end's. */
static inline bool synfw_flow_path_ok(const struct synfw_flow *f, int dev, bool outside)
{
	int bound = outside ? READ_ONCE(f->dev_out) : READ_ONCE(f->dev_in);

	return !bound || bound == dev;
}

/* The server's ISN, once its SYN/ACK set seq_delta; while f->hs lasts. */
static inline u32 synfw_flow_server_isn(const struct synfw_flow *f)
{
	return f->hs->isn_cookie - f->seq_delta;
}

int synfw_flow_init(struct synfw_net *sn);
void synfw_flow_exit(struct synfw_net *sn);
int synfw_flow_cache_init(void);
void synfw_flow_cache_exit(void);

struct synfw_flow *synfw_flow_lookup(struct synfw_net *sn, const struct synfw_flow_key *key);
struct synfw_flow *synfw_flow_alloc(struct synfw_net *sn, const struct synfw_flow_key *key,
				    enum synfw_pending pending, int dev);
int synfw_flow_insert(struct synfw_net *sn, struct synfw_flow *f);
/* Both at once, for a flow with nothing to fill in: an ERR_PTR, or NULL. */
struct synfw_flow *synfw_flow_add(struct synfw_net *sn, const struct synfw_flow_key *key,
				  enum synfw_pending pending, int dev);
void synfw_flow_confirm(struct synfw_net *sn, struct synfw_flow *f, int dev, bool outside);
struct synfw_flow *synfw_flow_oldest_pending(struct synfw_net *sn);
struct sk_buff *synfw_flow_opened(struct synfw_net *sn, struct synfw_flow *f);
bool synfw_flow_del(struct synfw_net *sn, struct synfw_flow *f);

void synfw_flow_check_strays(struct synfw_net *sn);

/*
 * Whether flows outside protect prot may be live: from a change of protect
 * until synfw_flow_check_strays() has found none, or all it found are gone.
 */
static inline bool synfw_flow_strays(struct synfw_net *sn,
				     const struct synfw_protect_param *prot)
{
	return atomic_read(&sn->nflows) &&
	       (READ_ONCE(sn->covered) != prot->gen || atomic_read(&sn->strays));
}

/* Walks; fn may delete the flow it is given. */
void synfw_flow_walk(struct synfw_net *sn, void (*fn)(struct synfw_net *, struct synfw_flow *));
void synfw_flow_sweep(struct synfw_net *sn, unsigned int budget,
		      void (*fn)(struct synfw_net *, struct synfw_flow *));
void synfw_flow_walk_handshakes(struct synfw_net *sn,
				void (*fn)(struct synfw_net *, struct synfw_flow *));

#endif /* _SYNFW_FLOW_H */
