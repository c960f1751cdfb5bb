// SPDX-License-Identifier: GPL-2.0
/*
 * Learning how each protected destination answers SYNs, so that synfw's
 * SYN/ACK (the only packet of a connection the client receives from synfw
 * itself) carries the server's options, in its order and padding, with its
 * window, MSS, window scale and TTL. Until a destination has answered, synfw
 * answers as a Linux 6.1 server one hop behind the router, with default
 * settings, would.
 *
 * What is learned: which options the server answers at all; its TTL, TOS,
 * MSS, window shift and ECN acceptance; and for each set of options in a
 * SYN/ACK, the layout and the window (Linux's depends on timestamps).
 */

#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/tcp.h>

#include "learn.h"
#include "netns.h"
#include "params.h"
#include "secret.h"

#define DEFAULT_TTL	64
#define DEFAULT_MSS	1460
#define DEFAULT_WSCALE	7

static struct synfw_dest __rcu **slot(struct synfw_net *sn, __be32 addr, __be16 port)
{
	return &sn->dests[jhash_2words((__force u32)addr, (__force u32)port, sn->dest_seed) %
			  SYNFW_DESTS];
}

static const struct synfw_dest *find(struct synfw_net *sn, __be32 addr, __be16 port)
{
	const struct synfw_dest *d = rcu_dereference(*slot(sn, addr, port));

	return d && d->addr == addr && d->port == port ? d : NULL;
}

static unsigned int set_index(unsigned int opts)
{
	return (opts & SYNFW_OPT_TS ? 4 : 0) | (opts & SYNFW_OPT_SACK_PERM ? 2 : 0) |
	       (opts & SYNFW_OPT_WSCALE ? 1 : 0);
}

/* A fixed-value parameter: on forces an offered option in, off out. */
static unsigned int force(unsigned int opts, unsigned int offered, int param, unsigned int opt)
{
	if (param == SYNFW_AUTO)
		return opts;
	return param ? opts | (offered & opt) : opts & ~opt;
}

/*
 * The shift told in generation gen. A newly learned shift is told from the
 * next generation on, so that every SYN/ACK of one generation tells the
 * same shift and the ACK's cookie generation alone recovers it exactly:
 * cookies of the generation it was learned in, and of the one before, told
 * the shift before it. (Older generations can only be asked about after
 * key_rotate_s changed, which voids every cookie.)
 */
static u8 wscale(const struct synfw_dest *d, u32 gen)
{
	int ws = synfw_param(synfw_wscale);

	if (ws != SYNFW_AUTO)
		return ws;
	if (!d)
		return DEFAULT_WSCALE;
	return d->wscale_gen - gen <= 1 ? d->wscale_before : d->wscale;
}

static void fill(const struct synfw_dest *d, unsigned int offered, bool ecn_setup, u32 gen,
		 struct synfw_answer *a)
{
	unsigned int opts = offered & SYNFW_OPT_HANDSHAKE & ~(d ? d->unsupported : 0);
	unsigned int set, eff;
	int mss = synfw_param(synfw_mss), ecn = synfw_param(synfw_ecn);

	opts = force(opts, offered, synfw_param(synfw_sack), SYNFW_OPT_SACK_PERM);
	opts = force(opts, offered, synfw_param(synfw_timestamps), SYNFW_OPT_TS);
	if (synfw_param(synfw_wscale) != SYNFW_AUTO)
		opts |= offered & SYNFW_OPT_WSCALE;
	/* Linux sends its MSS whether the SYN had one or not. */
	opts |= SYNFW_OPT_MSS;
	set = set_index(opts);

	a->opts = opts;
	a->ttl = d ? d->ttl : DEFAULT_TTL;
	a->tos = d ? d->tos : 0;
	a->wscale = wscale(d, gen);
	a->mss = mss != SYNFW_AUTO ? mss : d ? d->mss : DEFAULT_MSS;
	if (ecn != SYNFW_AUTO)
		a->ecn = ecn_setup && ecn;
	else
		a->ecn = ecn_setup && (!d || !d->ecn_known || d->ecn);
	if (d && d->known & 1 << set) {
		a->window = d->window[set];
		a->shape = d->shape[set];
		if (synfw_optshape_opts(&a->shape) == opts)
			return;
	}
	/*
	 * Linux's initial window: 65535 rounded down to its payload per
	 * segment. a->mss is at least 88 (TCP_MIN_MSS), learned or set.
	 */
	eff = opts & SYNFW_OPT_TS ? a->mss - TCPOLEN_TSTAMP_ALIGNED : a->mss;
	a->window = 65535 / eff * eff;
	synfw_optshape_linux(&a->shape, opts);
}

void synfw_learn_answer(struct synfw_net *sn, __be32 addr, __be16 port, unsigned int offered,
			bool ecn_setup, u32 gen, struct synfw_answer *a)
{
	rcu_read_lock();
	fill(find(sn, addr, port), offered, ecn_setup, gen, a);
	rcu_read_unlock();
}

u8 synfw_learn_told(struct synfw_net *sn, __be32 addr, __be16 port, u32 gen)
{
	u8 ws;

	rcu_read_lock();
	ws = wscale(find(sn, addr, port), gen);
	rcu_read_unlock();
	return ws;
}

/*
 * A new shift for the server, learned in generation gen. Cookies live two
 * generations: one shift may change only once the cookies that told the one
 * before the last change are gone, or their shift could not be told apart.
 * A change too soon is not learned now; a later SYN/ACK teaches it again.
 */
static void learn_wscale(struct synfw_dest *d, u8 ws, u32 gen)
{
	if (ws == d->wscale || gen - d->wscale_gen < 2)
		return;
	d->wscale_before = wscale(d, gen);
	d->wscale = ws;
	d->wscale_gen = gen;
}

/* Fold what one SYN/ACK, in generation gen, shows into a copy of what was known. */
static void update(struct synfw_dest *d, const struct synfw_synack *s, u32 gen)
{
	const struct synfw_tcpopt *o = s->opt;
	unsigned int answered = o->flags & SYNFW_OPT_HANDSHAKE, set = set_index(answered);
	struct synfw_optshape shape;

	d->unsupported = (d->unsupported & ~answered) | (s->offered & ~answered);
	d->ttl = s->ttl;
	d->tos = s->tos;
	/*
	 * An MSS below what any TCP may be held to (0 is ignored by Linux as
	 * well) would make our SYN/ACK absurd: it is not learned.
	 */
	if ((answered & SYNFW_OPT_MSS) && o->mss >= TCP_MIN_MSS)
		d->mss = o->mss;
	if (answered & SYNFW_OPT_WSCALE)
		learn_wscale(d, min_t(u8, o->wscale, TCP_MAX_WSCALE), gen);
	if (s->ecn_setup) {
		d->ecn = s->ece;
		d->ecn_known = true;
	}
	if (!synfw_optshape_learn(&shape, s->optbytes, s->optlen)) {
		d->shape[set] = shape;
		d->window[set] = s->window;
		d->known |= 1 << set;
	}
}

void synfw_learn_synack(struct synfw_net *sn, __be32 addr, __be16 port,
			const struct synfw_synack *s)
{
	struct synfw_dest __rcu **p = slot(sn, addr, port);
	struct synfw_dest tmp, *d;
	const struct synfw_dest *old;
	u32 gen;

	rcu_read_lock();
	gen = synfw_secret_get(sn)->gen;
	old = find(sn, addr, port);
	if (old) {
		memcpy(&tmp, old, sizeof(tmp));
	} else {
		/* Until now its clients were told the default. */
		memset(&tmp, 0, sizeof(tmp));
		tmp.addr = addr;
		tmp.port = port;
		tmp.wscale = DEFAULT_WSCALE;
		tmp.wscale_before = DEFAULT_WSCALE;
		tmp.wscale_gen = gen - 2;
		tmp.mss = DEFAULT_MSS;
	}
	update(&tmp, s, gen);
	/* The common case, nothing new, allocates nothing. */
	if (old && !memcmp(&tmp, old, offsetof(struct synfw_dest, rcu))) {
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();
	d = kmemdup(&tmp, sizeof(tmp), GFP_ATOMIC);
	if (!d)
		return;
	old = unrcu_pointer(xchg(p, RCU_INITIALIZER(d)));
	if (old)
		kfree_rcu((struct synfw_dest *)old, rcu);
}

void synfw_learn_init(struct synfw_net *sn)
{
	sn->dest_seed = get_random_u32();
}

void synfw_learn_exit(struct synfw_net *sn)
{
	unsigned int i;

	for (i = 0; i < SYNFW_DESTS; i++)
		kfree(rcu_dereference_protected(sn->dests[i], 1));
}
