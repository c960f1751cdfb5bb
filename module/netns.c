// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: each namespace has its own counters, so a
 * router namespace and the host account separately.
 */

#include "netns.h"
#include "stats.h"

unsigned int synfw_net_id __read_mostly;

static int __net_init net_init(struct net *net)
{
	return synfw_stats_init(net, synfw_pernet(net));
}

static void __net_exit net_exit(struct net *net)
{
	synfw_stats_exit(net, synfw_pernet(net));
}

static struct pernet_operations synfw_net_ops = {
	.init = net_init,
	.exit = net_exit,
	.id = &synfw_net_id,
	.size = sizeof(struct synfw_net),
};

int synfw_netns_init(void)
{
	return register_pernet_subsys(&synfw_net_ops);
}

void synfw_netns_exit(void)
{
	unregister_pernet_subsys(&synfw_net_ops);
}
