// SPDX-License-Identifier: GPL-2.0
/*
 * Blind spoofing: a host that sends ACKs with wrong cookies, guessing at
 * a handshake it never saw (the "TCP masquerade"), stands out as one source
 * among many. Each wrong cookie counts against its source's bucket for the
 * current second; a bucket that reaches spoof_alert within a second, and
 * holds far more than its share of that second's wrong cookies (so that a
 * flood from random sources, which fills every bucket evenly, raises no
 * alarm), is reported once that second: counted in spoof_alerts and logged,
 * rate limited, with the service it aimed at. Counts may race between CPUs
 * and lose an increment: an estimate is all this needs.
 */

#include <linux/net.h>
#include <linux/random.h>

#include "flow.h"
#include "netns.h"
#include "params.h"
#include "spoof.h"
#include "stats.h"

/* An alert needs the bucket to hold this many times its fair share. */
#define HEAVY	8

void synfw_spoof_init(struct synfw_spoof *sp)
{
	get_random_bytes(&sp->key, sizeof(sp->key));
}

static bool heavy(const struct synfw_spoof *sp, u32 n, u32 total)
{
	return (u64)n * SYNFW_SPOOF_BUCKETS > (u64)HEAVY * total;
}

void synfw_spoof_note(struct synfw_net *sn, __be32 saddr, __be32 daddr, __be16 dport)
{
	unsigned int alert = synfw_param(synfw_spoof_alert);
	struct synfw_spoof *sp = &sn->spoof;
	u32 now = synfw_flow_clock(), total, n;
	unsigned int i;

	if (!alert)
		return;
	i = siphash_1u32((__force u32)saddr, &sp->key) % SYNFW_SPOOF_BUCKETS;
	if (READ_ONCE(sp->second) != now) {
		WRITE_ONCE(sp->second, now);
		WRITE_ONCE(sp->total, 0);
	}
	total = READ_ONCE(sp->total) + 1;
	WRITE_ONCE(sp->total, total);
	if (READ_ONCE(sp->b[i].second) != now) {
		WRITE_ONCE(sp->b[i].second, now);
		WRITE_ONCE(sp->b[i].n, 0);
		WRITE_ONCE(sp->b[i].told, 0);
	}
	n = min_t(u32, READ_ONCE(sp->b[i].n) + 1, U16_MAX);
	WRITE_ONCE(sp->b[i].n, n);
	if (n < alert || READ_ONCE(sp->b[i].told) || !heavy(sp, n, total))
		return;
	WRITE_ONCE(sp->b[i].told, 1);
	synfw_stat_inc(sn->stats, SYNFW_STAT_SPOOF_ALERTS);
	net_info_ratelimited("synfw: %pI4 sent %u wrong cookies to %pI4:%u within a second: blind spoofing?\n",
			     &saddr, n, &daddr, ntohs(dport));
}
