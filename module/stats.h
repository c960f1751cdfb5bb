/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_STATS_H
#define _SYNFW_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>

struct net;

/*
 * Every counter /proc/net/stat/synfw shows, in column order. One list keeps
 * the enum, the header line and the documentation's table in step.
 */
#define SYNFW_STATS(X)		\
	X(syn_received)		\
	X(synack_sent)		\
	X(cookie_valid)		\
	X(cookie_invalid)	\
	X(flows_created)	\
	X(flows_refused)	\
	X(server_rst)

enum synfw_stat {
#define SYNFW_STAT_ENUM(name) SYNFW_STAT_##name,
	SYNFW_STATS(SYNFW_STAT_ENUM)
#undef SYNFW_STAT_ENUM
	SYNFW_STAT_MAX
};

struct synfw_stats {
	u64 v[SYNFW_STAT_MAX];
};

#define synfw_stat_inc(sn, name) this_cpu_inc((sn)->stats->v[SYNFW_STAT_##name])

struct synfw_net;

int synfw_stats_init(struct net *net, struct synfw_net *sn);
void synfw_stats_exit(struct net *net, struct synfw_net *sn);

#endif /* _SYNFW_STATS_H */
