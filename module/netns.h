/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_NETNS_H
#define _SYNFW_NETNS_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

struct synfw_stats;

/* What synfw keeps for each network namespace. */
struct synfw_net {
	struct synfw_stats __percpu *stats;
};

extern unsigned int synfw_net_id;

static inline struct synfw_net *synfw_pernet(const struct net *net)
{
	return net_generic(net, synfw_net_id);
}

int synfw_netns_init(void);
void synfw_netns_exit(void);

#endif /* _SYNFW_NETNS_H */
