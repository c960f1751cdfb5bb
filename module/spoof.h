/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_SPOOF_H
#define _SYNFW_SPOOF_H

#include <linux/siphash.h>
#include <linux/types.h>

#define SYNFW_SPOOF_BUCKETS	1024

/*
 * Wrong cookies per source, in a fixed array of counters indexed by a keyed
 * hash of the source address: the memory does not grow with the sources,
 * and a flood from random sources spreads thin over every counter.
 */
struct synfw_spoof {
	siphash_key_t key;
	u32 second;		/* the second the counts are for */
	u32 total;		/* wrong cookies from every source in it */
	struct {
		u32 second;
		u16 n;
		u16 told;	/* this second's alert was given */
	} b[SYNFW_SPOOF_BUCKETS];
};

struct synfw_net;

void synfw_spoof_init(struct synfw_spoof *sp);
void synfw_spoof_note(struct synfw_net *sn, __be32 saddr, __be32 daddr, __be16 dport);

#endif /* _SYNFW_SPOOF_H */
