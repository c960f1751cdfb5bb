/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_NETNS_H
#define _SYNFW_NETNS_H

#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "learn.h"
#include "spoof.h"

/* Destinations remembered as the router's own or not. */
#define SYNFW_LOCAL_SLOTS	64

struct synfw_stats;
struct synfw_secret;

/* What synfw keeps for each network namespace. */
struct synfw_net {
	struct net *net;
	struct synfw_stats __percpu *stats;
	struct synfw_secret __rcu *secret;
	spinlock_t secret_lock;		/* serialises rotations */
	struct rhashtable flows;
	atomic_t nflows;
	struct rhashtable_iter sweep;	/* the collector's place in the table */
	spinlock_t hs_lock;		/* guards handshakes, nhandshakes */
	struct list_head handshakes;
	unsigned int nhandshakes;
	atomic_t held_bytes;		/* truesize of client data held in handshakes */
	u32 covered;			/* the protect generation strays were counted for */
	atomic_t strays;		/* flows outside it */
	struct delayed_work gc;
	unsigned long born;		/* jiffies: adoption runs from here too */
	struct proc_dir_entry *proc;
	struct synfw_dest __rcu *dests[SYNFW_DESTS];
	u32 dest_seed;			/* the slots' hash: no outsider picks a collision */
	struct synfw_spoof spoof;
	u64 local[SYNFW_LOCAL_SLOTS];	/* see router_own() in hook.c */
};

extern unsigned int synfw_net_id;

static inline struct synfw_net *synfw_pernet(const struct net *net)
{
	return net_generic(net, synfw_net_id);
}

int synfw_netns_init(void);
void synfw_netns_exit(void);

#endif /* _SYNFW_NETNS_H */
