// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: counters, cookie secrets, the flow table,
 * learned destinations, the hooks and the garbage collector. Each namespace
 * is protected and accounted on its own.
 */

#include "flow.h"
#include "hook.h"
#include "netns.h"
#include "proxy.h"
#include "secret.h"
#include "stats.h"

/* How often the collector looks at every flow: the resolution of timeouts. */
#define GC_INTERVAL	(HZ / 4)

unsigned int synfw_net_id __read_mostly;

static void gc(struct work_struct *work)
{
	struct synfw_net *sn = container_of(to_delayed_work(work), struct synfw_net, gc);

	synfw_flow_walk(sn, synfw_proxy_expire);
	queue_delayed_work(system_power_efficient_wq, &sn->gc, GC_INTERVAL);
}

static int __net_init net_init(struct net *net)
{
	struct synfw_net *sn = synfw_pernet(net);
	int err;

	sn->net = net;
	sn->born = jiffies;
	err = synfw_stats_init(net, sn);
	if (err)
		return err;
	err = synfw_secret_init(sn);
	if (err)
		goto err_stats;
	err = synfw_flow_init(sn);
	if (err)
		goto err_secret;
	err = synfw_hook_init(net);
	if (err)
		goto err_flow;
	INIT_DELAYED_WORK(&sn->gc, gc);
	queue_delayed_work(system_power_efficient_wq, &sn->gc, GC_INTERVAL);
	return 0;

err_flow:
	synfw_flow_exit(sn);
err_secret:
	synfw_secret_exit(sn);
err_stats:
	synfw_stats_exit(net, sn);
	return err;
}

/* Spliced connections cannot outlive synfw: both ends should fail fast. */
static void reset(struct synfw_net *sn, struct synfw_flow *f)
{
	synfw_proxy_reset(sn, f);
}

static void __net_exit net_exit(struct net *net)
{
	struct synfw_net *sn = synfw_pernet(net);

	synfw_hook_exit(net);
	cancel_delayed_work_sync(&sn->gc);
	if (check_net(net)) {
		local_bh_disable();
		synfw_flow_walk(sn, reset);
		local_bh_enable();
	}
	synfw_flow_exit(sn);
	synfw_learn_exit(sn);
	synfw_secret_exit(sn);
	synfw_stats_exit(net, sn);
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
