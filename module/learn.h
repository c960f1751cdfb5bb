/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_LEARN_H
#define _SYNFW_LEARN_H

#include <linux/rcupdate.h>
#include <linux/types.h>

#include "tcpopt.h"

/* Slots in each namespace's table of learned destinations. */
#define SYNFW_DESTS	256

/* SYN/ACK option sets beyond MSS: timestamps, SACK-permitted, window scale. */
#define SYNFW_ANSWER_SETS	8

struct synfw_net;

/*
 * How a protected destination (address and port) answers SYNs, learned from
 * its SYN/ACKs to the SYNs synfw sends it. A new destination replaces
 * whatever shared its slot.
 */
struct synfw_dest {
	__be32 addr;
	__be16 port;
	u8 unsupported;		/* enum synfw_opt the server left out of an answer */
	u8 ttl;			/* as the server's packets arrive at the router */
	u8 tos;
	u8 wscale;		/* the server's shift: told from wscale_gen + 1 on */
	u8 wscale_before;	/* told up to and in generation wscale_gen */
	u32 wscale_gen;		/* the cookie generation wscale was learned in */
	u8 known;		/* answer sets whose shape and window are learned */
	bool ecn;		/* answered an ECN-setup SYN with ECE */
	bool ecn_known;
	u16 mss;
	u16 window[SYNFW_ANSWER_SETS];
	struct synfw_optshape shape[SYNFW_ANSWER_SETS];
	struct rcu_head rcu;
};

/* What synfw answers one SYN with. */
struct synfw_answer {
	u8 opts;		/* enum synfw_opt: options in the SYN/ACK */
	u8 ttl;
	u8 tos;
	u8 wscale;		/* the shift the client is told, if SYNFW_OPT_WSCALE */
	bool ecn;		/* ECE in the SYN/ACK */
	u16 mss;
	u16 window;
	struct synfw_optshape shape;
};

/* What the server answered one of synfw's SYNs with. */
struct synfw_synack {
	u8 offered;		/* enum synfw_opt: the options synfw's SYN offered */
	bool ecn_setup;		/* synfw's SYN asked for ECN */
	u8 ttl;
	u8 tos;
	bool ece;
	u16 window;
	const struct synfw_tcpopt *opt;
	const u8 *optbytes;
	unsigned int optlen;
};

/*
 * The answer to a SYN for addr:port that offered options `offered` (enum
 * synfw_opt) and asked for ECN or not, in cookie generation gen: learned,
 * else Linux's defaults, and the fixed-value parameters over both.
 */
void synfw_learn_answer(struct synfw_net *sn, __be32 addr, __be16 port, unsigned int offered,
			bool ecn_setup, u32 gen, struct synfw_answer *a);

/*
 * The window shift a client of addr:port was told by a SYN/ACK of cookie
 * generation gen (the current or the previous one), when it was told one.
 */
u8 synfw_learn_told(struct synfw_net *sn, __be32 addr, __be16 port, u32 gen);

void synfw_learn_synack(struct synfw_net *sn, __be32 addr, __be16 port,
			const struct synfw_synack *s);

void synfw_learn_init(struct synfw_net *sn);
void synfw_learn_exit(struct synfw_net *sn);

#endif /* _SYNFW_LEARN_H */
