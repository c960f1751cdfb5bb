// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: counters, cookie secrets, the flow table,
 * learned destinations, the hooks and the garbage collector. Each namespace
 * is protected and accounted on its own.
 */

#include "flow.h"
#include "hook.h"
#include "netns.h"
#include "params.h"
#include "proxy.h"
#include "secret.h"
#include "stats.h"

/* How often the collector runs: the resolution of handshake timers. */
#define GC_INTERVAL	(HZ / 4)
/* The longest the collector takes to look at every open or closing flow. */
#define SWEEP_MAX	(30 * HZ)

unsigned int synfw_net_id __read_mostly;

/*
 * How many flows to look at now so that the whole table is seen within a
 * quarter of the shortest idle or close timeout: each tick's share is small
 * however many flows there are.
 */
static unsigned int sweep_budget(struct synfw_net *sn)
{
	unsigned int timeout = min(synfw_param(synfw_idle_timeout_s),
				   synfw_param(synfw_close_timeout_s));
	unsigned long period = clamp_t(unsigned long, timeout * HZ / 4, GC_INTERVAL, SWEEP_MAX);

	return DIV_ROUND_UP((unsigned long)atomic_read(&sn->nflows) * GC_INTERVAL, period) + 1;
}

static void gc(struct work_struct *work)
{
	struct synfw_net *sn = container_of(to_delayed_work(work), struct synfw_net, gc);

	synfw_flow_check_strays(sn);
	synfw_flow_walk_handshakes(sn, synfw_proxy_expire_handshake);
	synfw_flow_sweep(sn, sweep_budget(sn), synfw_proxy_expire);
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
	synfw_spoof_init(&sn->spoof);
	synfw_learn_init(sn);
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

/*
 * Hooks go first: the namespace core waits for an RCU grace period between
 * pre_exit and exit, so no CPU is still in a hook when exit frees what the
 * hooks use (unregistering alone does not wait for them).
 */
static void __net_exit net_pre_exit(struct net *net)
{
	synfw_hook_exit(net);
}

static void __net_exit net_exit(struct net *net)
{
	struct synfw_net *sn = synfw_pernet(net);

	cancel_delayed_work_sync(&sn->gc);
	if (check_net(net))
		synfw_flow_walk(sn, reset);
	synfw_flow_exit(sn);
	synfw_learn_exit(sn);
	synfw_secret_exit(sn);
	synfw_stats_exit(net, sn);
}

static struct pernet_operations synfw_net_ops = {
	.init = net_init,
	.pre_exit = net_pre_exit,
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
