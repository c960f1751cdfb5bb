// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table: one entry per connection synfw splices or adopts, in an
 * rhashtable keyed by the 4-tuple, looked up under RCU on the packet path.
 * Entries are bounded by max_flows, freed after an RCU grace period, and
 * listed in /proc/net/synfw/flows with their count in /proc/net/synfw/live
 * and their memory in /proc/net/synfw/memory.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "flow.h"
#include "netns.h"
#include "params.h"
#include "stats.h"

static struct kmem_cache *flow_cache;

static const struct rhashtable_params flow_params = {
	.key_len = sizeof(struct synfw_flow_key),
	.key_offset = offsetof(struct synfw_flow, key),
	.head_offset = offsetof(struct synfw_flow, node),
	.automatic_shrinking = true,
};

int synfw_flow_cache_init(void)
{
	flow_cache = KMEM_CACHE(synfw_flow, 0);
	return flow_cache ? 0 : -ENOMEM;
}

void synfw_flow_cache_exit(void)
{
	rcu_barrier();		/* the frees call_rcu() queued */
	kmem_cache_destroy(flow_cache);
}

struct synfw_flow *synfw_flow_lookup(struct synfw_net *sn, const struct synfw_flow_key *key)
{
	return rhashtable_lookup(&sn->flows, key, flow_params);
}

/*
 * A new flow in SYN_SENT, or NULL when the table is full (counted) or out of
 * memory, or an ERR_PTR(-EEXIST) when another CPU added the same key first.
 */
struct synfw_flow *synfw_flow_add(struct synfw_net *sn, const struct synfw_flow_key *key)
{
	struct synfw_flow *f;
	int err;

	if (atomic_inc_return(&sn->nflows) > synfw_param(synfw_max_flows)) {
		atomic_dec(&sn->nflows);
		synfw_stat_inc(sn->stats, SYNFW_STAT_FLOWS_REFUSED);
		return NULL;
	}
	f = kmem_cache_zalloc(flow_cache, GFP_ATOMIC);
	if (!f)
		goto err_count;
	f->key = *key;
	spin_lock_init(&f->lock);
	f->born = jiffies;
	f->last = f->born;
	err = rhashtable_lookup_insert_fast(&sn->flows, &f->node, flow_params);
	if (err) {
		kmem_cache_free(flow_cache, f);
		atomic_dec(&sn->nflows);
		return err == -EEXIST ? ERR_PTR(-EEXIST) : NULL;
	}
	return f;

err_count:
	atomic_dec(&sn->nflows);
	return NULL;
}

static void free_held(struct synfw_net *sn, struct synfw_flow *f)
{
	struct sk_buff *skb, *next;

	for (skb = f->held; skb; skb = next) {
		next = skb->next;
		skb_mark_not_on_list(skb);
		atomic_sub(skb->truesize, &sn->held_bytes);
		kfree_skb(skb);
	}
	f->held = NULL;
	f->held_len = 0;
}

static void free_flow(struct rcu_head *head)
{
	kmem_cache_free(flow_cache, container_of(head, struct synfw_flow, rcu));
}

/* Unhash and free a flow; a second call for the same flow does nothing. */
void synfw_flow_del(struct synfw_net *sn, struct synfw_flow *f)
{
	if (rhashtable_remove_fast(&sn->flows, &f->node, flow_params))
		return;
	spin_lock_bh(&f->lock);
	free_held(sn, f);
	spin_unlock_bh(&f->lock);
	atomic_dec(&sn->nflows);
	call_rcu(&f->rcu, free_flow);
}

void synfw_flow_walk(struct synfw_net *sn, void (*fn)(struct synfw_net *, struct synfw_flow *))
{
	struct rhashtable_iter iter;
	struct synfw_flow *f;

	rhashtable_walk_enter(&sn->flows, &iter);
	rhashtable_walk_start(&iter);
	while ((f = rhashtable_walk_next(&iter))) {
		if (IS_ERR(f))
			continue;	/* -EAGAIN: a resize; the walk goes on */
		fn(sn, f);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

static const char * const state_names[] = {
	[SYNFW_FLOW_SYN_SENT] = "SYN_SENT",
	[SYNFW_FLOW_OPEN] = "OPEN",
	[SYNFW_FLOW_CLOSING] = "CLOSING",
};

static int flows_show(struct seq_file *seq, void *v)
{
	struct synfw_net *sn = synfw_pernet(seq_file_single_net(seq));
	struct rhashtable_iter iter;
	struct synfw_flow *f;

	seq_puts(seq, "outside inside state spliced fin_out fin_in age_s idle_s\n");
	rhashtable_walk_enter(&sn->flows, &iter);
	rhashtable_walk_start(&iter);
	while ((f = rhashtable_walk_next(&iter))) {
		if (IS_ERR(f))
			continue;
		seq_printf(seq, "%pI4:%u %pI4:%u %s %d %d %d %lu %lu\n",
			   &f->key.oaddr, ntohs(f->key.oport), &f->key.iaddr, ntohs(f->key.iport),
			   state_names[READ_ONCE(f->state)], !!(f->flags & SYNFW_FLOW_SPLICED),
			   !!(f->flags & SYNFW_FLOW_FIN_OUT), !!(f->flags & SYNFW_FLOW_FIN_IN),
			   (jiffies - f->born) / HZ, (jiffies - READ_ONCE(f->last)) / HZ);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return 0;
}

static int live_show(struct seq_file *seq, void *v)
{
	struct synfw_net *sn = synfw_pernet(seq_file_single_net(seq));

	seq_printf(seq, "%d\n", atomic_read(&sn->nflows));
	return 0;
}

/* What the flows cost: their objects, and the table's buckets. */
static int memory_show(struct seq_file *seq, void *v)
{
	struct synfw_net *sn = synfw_pernet(seq_file_single_net(seq));
	unsigned int n = atomic_read(&sn->nflows), buckets;

	rcu_read_lock();
	buckets = rht_dereference_rcu(sn->flows.tbl, &sn->flows)->size;
	rcu_read_unlock();
	seq_printf(seq, "flows %u\nflow_bytes %zu\nbuckets %u\nbucket_bytes %zu\n", n,
		   n * (size_t)kmem_cache_size(flow_cache), buckets,
		   buckets * sizeof(struct rhash_lock_head *));
	return 0;
}

int synfw_flow_init(struct synfw_net *sn)
{
	struct net *net = sn->net;
	int err;

	err = rhashtable_init(&sn->flows, &flow_params);
	if (err)
		return err;
	sn->proc = proc_net_mkdir(net, "synfw", net->proc_net);
	if (!sn->proc)
		goto err_destroy_table;
	if (!proc_create_net_single("flows", 0444, sn->proc, flows_show, NULL) ||
	    !proc_create_net_single("live", 0444, sn->proc, live_show, NULL) ||
	    !proc_create_net_single("memory", 0444, sn->proc, memory_show, NULL))
		goto err_remove_proc;
	return 0;

err_remove_proc:
	remove_proc_subtree("synfw", net->proc_net);
err_destroy_table:
	rhashtable_destroy(&sn->flows);
	return -ENOMEM;
}

static void free_now(void *ptr, void *arg)
{
	struct synfw_flow *f = ptr;
	struct synfw_net *sn = arg;

	free_held(sn, f);
	kmem_cache_free(flow_cache, f);
	atomic_dec(&sn->nflows);
}

/* After the hooks are gone: nothing can reach the table any more. */
void synfw_flow_exit(struct synfw_net *sn)
{
	remove_proc_subtree("synfw", sn->net->proc_net);
	rhashtable_free_and_destroy(&sn->flows, free_now, sn);
}
