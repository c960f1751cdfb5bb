/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_STATS_H
#define _SYNFW_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>

struct net;

/* The columns of /proc/net/stat/synfw, in order (names in stats.c). */
enum synfw_stat {
	SYNFW_STAT_SYN_RECEIVED,
	SYNFW_STAT_SYNACK_SENT,
	SYNFW_STAT_COOKIE_VALID,
	SYNFW_STAT_COOKIE_INVALID,
	SYNFW_STAT_FLOWS_CREATED,
	SYNFW_STAT_FLOWS_REFUSED,
	SYNFW_STAT_SERVER_RST,
	SYNFW_STAT_SYN_RETRANS,
	SYNFW_STAT_HANDSHAKE_TIMEOUT,
	SYNFW_STAT_IDLE_TIMEOUT,
	SYNFW_STAT_DATA_HELD,
	SYNFW_STAT_DATA_DROPPED,
	SYNFW_STAT_ADOPTED,
	SYNFW_STAT_UNKNOWN_DROPPED,
	SYNFW_STAT_BAD_CHECKSUM,
	SYNFW_STAT_MALFORMED,
	SYNFW_STAT_ILLEGAL_FLAGS,
	SYNFW_STAT_LAND,
	SYNFW_STAT_MARTIAN,
	SYNFW_STAT_BAD_OPTIONS,
	SYNFW_STAT_OUT_OF_WINDOW,
	SYNFW_STAT_RST_CHALLENGED,
	SYNFW_STAT_SPOOF_ALERTS,
	SYNFW_STAT_UNCONFIRMED,
	SYNFW_STAT_EVICTED,
	SYNFW_STAT_AUTH_PASSED,
	SYNFW_STAT_AUTH_DROPPED,
	SYNFW_STAT_WRONG_PATH,
	SYNFW_STAT_MAX
};

struct synfw_stats {
	u64 v[SYNFW_STAT_MAX];
};

static inline void synfw_stat_inc(struct synfw_stats __percpu *stats, enum synfw_stat s)
{
	this_cpu_inc(stats->v[s]);
}

struct synfw_net;

int synfw_stats_init(struct net *net, struct synfw_net *sn);
void synfw_stats_exit(struct net *net, struct synfw_net *sn);

#endif /* _SYNFW_STATS_H */
