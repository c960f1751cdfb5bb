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
static struct kmem_cache *hs_cache;

static const struct rhashtable_params flow_params = {
	.key_len = sizeof(struct synfw_flow_key),
	.key_offset = offsetof(struct synfw_flow, key),
	.head_offset = offsetof(struct synfw_flow, node),
	.automatic_shrinking = true,
};

int synfw_flow_cache_init(void)
{
	flow_cache = KMEM_CACHE(synfw_flow, 0);
	if (!flow_cache)
		return -ENOMEM;
	hs_cache = KMEM_CACHE(synfw_handshake, 0);
	if (!hs_cache)
		goto err_flow_cache;
	return 0;

err_flow_cache:
	kmem_cache_destroy(flow_cache);
	return -ENOMEM;
}

void synfw_flow_cache_exit(void)
{
	rcu_barrier();		/* the frees call_rcu() queued */
	kmem_cache_destroy(hs_cache);
	kmem_cache_destroy(flow_cache);
}

struct synfw_flow *synfw_flow_lookup(struct synfw_net *sn, const struct synfw_flow_key *key)
{
	return rhashtable_lookup(&sn->flows, key, flow_params);
}

static void free_held(struct synfw_net *sn, struct synfw_handshake *hs)
{
	struct sk_buff *skb, *next;

	for (skb = hs->held; skb; skb = next) {
		next = skb->next;
		skb_mark_not_on_list(skb);
		atomic_sub(skb->truesize, &sn->held_bytes);
		kfree_skb(skb);
	}
}

/* Drop a flow's handshake state: under its lock, or where none can race. */
static void hs_free(struct synfw_net *sn, struct synfw_flow *f)
{
	struct synfw_handshake *hs = f->hs;

	if (!hs)
		return;
	f->hs = NULL;
	spin_lock_bh(&sn->hs_lock);
	list_del(&hs->node);
	sn->nhandshakes--;
	spin_unlock_bh(&sn->hs_lock);
	free_held(sn, hs);
	kmem_cache_free(hs_cache, hs);
}

/*
 * The splice is open; the flow now waits for its client to speak again.
 * Under f->lock. Returns the client data held meanwhile, for the caller to
 * send on once the lock is dropped.
 */
struct sk_buff *synfw_flow_opened(struct synfw_net *sn, struct synfw_flow *f)
{
	struct synfw_handshake *hs = f->hs;
	struct sk_buff *held = hs->held, *skb;

	for (skb = held; skb; skb = skb->next)
		atomic_sub(skb->truesize, &sn->held_bytes);
	hs->held = NULL;
	hs->held_len = 0;
	hs->held_n = 0;
	hs->born = jiffies;
	hs->syn_tries = 0;
	hs->pending = SYNFW_PENDING_CLIENT;
	WRITE_ONCE(f->state, SYNFW_FLOW_OPEN);
	return held;
}

static void free_flow(struct rcu_head *head)
{
	kmem_cache_free(flow_cache, container_of(head, struct synfw_flow, rcu));
}

/*
 * Unhash a flow and free it after a grace period: its fields stay readable
 * by the caller until it leaves its RCU section. Returns whether this call
 * removed it; a second call for the same flow does nothing.
 */
bool synfw_flow_del(struct synfw_net *sn, struct synfw_flow *f)
{
	if (rhashtable_remove_fast(&sn->flows, &f->node, flow_params))
		return false;
	spin_lock_bh(&f->lock);
	if (f->flags & SYNFW_FLOW_STRAY)
		atomic_dec(&sn->strays);
	hs_free(sn, f);
	spin_unlock_bh(&f->lock);
	atomic_dec(&sn->nflows);
	call_rcu(&f->rcu, free_flow);
	return true;
}

static struct synfw_handshake *hs_new(struct synfw_flow *f, enum synfw_pending pending)
{
	struct synfw_handshake *hs = kmem_cache_zalloc(hs_cache, GFP_ATOMIC);

	if (!hs)
		return NULL;
	hs->flow = f;
	hs->pending = pending;
	hs->born = jiffies;
	hs->sent = hs->born;
	INIT_LIST_HEAD(&hs->node);
	return hs;
}

/*
 * A new flow, with what it waits for, not yet in the table: the caller fills
 * it in, unseen by any other CPU, then inserts it. ERR_PTR(-ENOSPC) when the
 * table is full (counted), NULL when out of memory. A spliced handshake
 * starts in SYN_SENT, any other flow OPEN. dev: the interface the packet
 * that creates it came in by, which its end is bound to.
 */
struct synfw_flow *synfw_flow_alloc(struct synfw_net *sn, const struct synfw_flow_key *key,
				    enum synfw_pending pending, int dev)
{
	struct synfw_flow *f;

	if (atomic_inc_return(&sn->nflows) > synfw_param(synfw_max_flows)) {
		atomic_dec(&sn->nflows);
		synfw_stat_inc(sn->stats, SYNFW_STAT_FLOWS_REFUSED);
		return ERR_PTR(-ENOSPC);
	}
	f = kmem_cache_zalloc(flow_cache, GFP_ATOMIC);
	if (!f)
		goto err_count;
	f->key = *key;
	spin_lock_init(&f->lock);
	f->last = synfw_flow_clock();
	f->state = pending == SYNFW_PENDING_SPLICE ? SYNFW_FLOW_SYN_SENT : SYNFW_FLOW_OPEN;
	if (pending == SYNFW_PENDING_SPLICE || pending == SYNFW_PENDING_ADOPTED_OUT)
		f->dev_out = dev;
	else
		f->dev_in = dev;
	f->hs = hs_new(f, pending);
	if (!f->hs)
		goto err_free;
	return f;

err_free:
	kmem_cache_free(flow_cache, f);
err_count:
	atomic_dec(&sn->nflows);
	return NULL;
}

/*
 * Publish a flow from synfw_flow_alloc(), and only then its handshake to the
 * collector. Returns 0, or -EEXIST when another CPU added the same key first
 * (or -ENOMEM): the flow, and what it holds, is then freed. The flow's lock
 * is held from one to the other: once in the table, the flow can be found,
 * confirmed or deleted by another CPU, which must find its handshake listed
 * before it frees it.
 */
int synfw_flow_insert(struct synfw_net *sn, struct synfw_flow *f)
{
	int err;

	spin_lock_bh(&f->lock);
	err = rhashtable_lookup_insert_fast(&sn->flows, &f->node, flow_params);
	if (!err) {
		spin_lock(&sn->hs_lock);
		list_add_tail(&f->hs->node, &sn->handshakes);
		sn->nhandshakes++;
		spin_unlock(&sn->hs_lock);
	}
	spin_unlock_bh(&f->lock);
	if (err) {
		free_held(sn, f->hs);
		kmem_cache_free(hs_cache, f->hs);
		kmem_cache_free(flow_cache, f);
		atomic_dec(&sn->nflows);
	}
	return err;
}

struct synfw_flow *synfw_flow_add(struct synfw_net *sn, const struct synfw_flow_key *key,
				  enum synfw_pending pending, int dev)
{
	struct synfw_flow *f = synfw_flow_alloc(sn, key, pending, dev);
	int err;

	if (IS_ERR_OR_NULL(f))
		return f;
	err = synfw_flow_insert(sn, f);
	return err ? ERR_PTR(err) : f;
}

/* The flow that has waited longest for its handshake to end; under RCU. */
struct synfw_flow *synfw_flow_oldest_pending(struct synfw_net *sn)
{
	struct synfw_handshake *hs;
	struct synfw_flow *f;

	spin_lock_bh(&sn->hs_lock);
	hs = list_first_entry_or_null(&sn->handshakes, struct synfw_handshake, node);
	f = hs ? hs->flow : NULL;
	spin_unlock_bh(&sn->hs_lock);
	return f;
}

/* Whether an adopted or outward flow waits for a word from this end. */
static bool waits_for(const struct synfw_handshake *hs, bool outside)
{
	switch (hs->pending) {
	case SYNFW_PENDING_ADOPTED_OUT:
		return !outside;
	case SYNFW_PENDING_CLIENT:
	case SYNFW_PENDING_ADOPTED_IN:
	case SYNFW_PENDING_OUTWARD:
		return outside;
	default:
		return false;
	}
}

/*
 * A packet from one end of a flow past its handshake: if the flow waited
 * for that end, it is confirmed, keeps no handshake state, and that end is
 * bound to dev if it was not yet. Callers pass no RST: a server's RST to a
 * spoofed ACK proves nothing of its sender.
 */
void synfw_flow_confirm(struct synfw_net *sn, struct synfw_flow *f, int dev, bool outside)
{
	int *bound = outside ? &f->dev_out : &f->dev_in;

	spin_lock_bh(&f->lock);
	if (f->hs && waits_for(f->hs, outside)) {
		if (!*bound)
			WRITE_ONCE(*bound, dev);
		hs_free(sn, f);
	}
	spin_unlock_bh(&f->lock);
}

/* Flows a whole-table walk looks at in one RCU section, between resched points. */
#define WALK_BATCH	256

/*
 * Every flow, in process context, in batches: the RCU section is left and
 * the CPU offered to others between them, so that a full table neither
 * stalls RCU nor hogs the CPU. fn runs with BHs disabled.
 */
void synfw_flow_walk(struct synfw_net *sn, void (*fn)(struct synfw_net *, struct synfw_flow *))
{
	struct rhashtable_iter iter;
	struct synfw_flow *f;
	unsigned int n = 0;

	rhashtable_walk_enter(&sn->flows, &iter);
	rhashtable_walk_start(&iter);
	while ((f = rhashtable_walk_next(&iter))) {
		if (IS_ERR(f))
			continue;	/* -EAGAIN: a resize; the walk goes on */
		local_bh_disable();
		fn(sn, f);
		local_bh_enable();
		if (++n % WALK_BATCH == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

/*
 * Look at the next budget flows: a walk over the table that each call takes
 * further, starting again once it reaches the end.
 */
void synfw_flow_sweep(struct synfw_net *sn, unsigned int budget,
		      void (*fn)(struct synfw_net *, struct synfw_flow *))
{
	struct synfw_flow *f;

	rhashtable_walk_start(&sn->sweep);
	while (budget--) {
		f = rhashtable_walk_next(&sn->sweep);
		if (!f) {
			rhashtable_walk_stop(&sn->sweep);
			rhashtable_walk_exit(&sn->sweep);
			rhashtable_walk_enter(&sn->flows, &sn->sweep);
			return;
		}
		if (!IS_ERR(f))
			fn(sn, f);
	}
	rhashtable_walk_stop(&sn->sweep);
}

/*
 * Every flow in a handshake, taken from the list in batches so that fn runs
 * without the list's lock: it may send, open or delete. A flow stays valid
 * under RCU once taken; fn must check, under its lock, that f->hs is still
 * there. Each flow is visited once: taken ones move to the tail.
 */
void synfw_flow_walk_handshakes(struct synfw_net *sn,
				void (*fn)(struct synfw_net *, struct synfw_flow *))
{
	struct synfw_flow *batch[32];
	struct synfw_handshake *hs;
	unsigned int left, n, i;

	rcu_read_lock();
	spin_lock_bh(&sn->hs_lock);
	for (left = sn->nhandshakes; left; left = min(left, sn->nhandshakes)) {
		for (n = 0; n < ARRAY_SIZE(batch) && left; n++, left--) {
			hs = list_first_entry(&sn->handshakes, struct synfw_handshake, node);
			list_move_tail(&hs->node, &sn->handshakes);
			batch[n] = hs->flow;
		}
		spin_unlock_bh(&sn->hs_lock);
		for (i = 0; i < n; i++)
			fn(sn, batch[i]);
		/* The batch is done with: a full list neither stalls RCU nor the CPU. */
		rcu_read_unlock();
		cond_resched();
		rcu_read_lock();
		spin_lock_bh(&sn->hs_lock);
	}
	spin_unlock_bh(&sn->hs_lock);
	rcu_read_unlock();
}

/*
 * Mark the flows that lie outside protect since it changed, and count them:
 * while there are any, the hooks look up unprotected packets too, so that a
 * change of protect never strands a connection in the middle of its splice.
 * Process context; once per change of protect.
 */
void synfw_flow_check_strays(struct synfw_net *sn)
{
	const struct synfw_protect_param *prot;
	struct rhashtable_iter iter;
	unsigned int n = 0;
	struct synfw_flow *f;
	bool out;
	u32 gen;

	rcu_read_lock();
	prot = rcu_dereference(synfw_protect);
	gen = prot ? prot->gen : 0;
	rcu_read_unlock();
	if (gen == READ_ONCE(sn->covered))
		return;
	/* Flows made by hooks that saw an older protect are in the table now. */
	synchronize_rcu();

	rhashtable_walk_enter(&sn->flows, &iter);
	rhashtable_walk_start(&iter);
	prot = rcu_dereference(synfw_protect);
	gen = prot->gen;
	for (;;) {
		if (++n % WALK_BATCH == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
			prot = rcu_dereference(synfw_protect);
			if (prot->gen != gen)
				break;	/* a newer protect: the next tick starts again */
		}
		f = rhashtable_walk_next(&iter);
		if (!f)
			break;
		if (IS_ERR(f))
			continue;
		out = !synfw_protect_match(&prot->set, f->key.iaddr, f->key.iport);
		spin_lock_bh(&f->lock);
		/* Unhashed meanwhile: synfw_flow_del() has counted it. */
		if (synfw_flow_lookup(sn, &f->key) == f &&
		    out != !!(f->flags & SYNFW_FLOW_STRAY)) {
			f->flags ^= SYNFW_FLOW_STRAY;
			atomic_add(out ? 1 : -1, &sn->strays);
		}
		spin_unlock_bh(&f->lock);
	}
	if (prot->gen == gen)
		WRITE_ONCE(sn->covered, gen);
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

static const char * const state_names[] = {
	[SYNFW_FLOW_SYN_SENT] = "SYN_SENT",
	[SYNFW_FLOW_OPEN] = "OPEN",
	[SYNFW_FLOW_CLOSING] = "CLOSING",
};

/*
 * /proc/net/synfw/flows: one walk of the table per open file, kept across
 * reads, so that each read() costs its own records only and holds RCU no
 * longer than a page of them, however full the table. A record that did
 * not fit in a read is found again by its key. Removing the file (at the
 * namespace's exit) closes it first: the walk never outlives the table.
 */
struct flows_iter {
	struct synfw_net *sn;
	struct rhashtable_iter hti;
	struct synfw_flow_key resume;
	bool entered;
	bool resuming;
};

static struct synfw_flow *flows_walk(struct flows_iter *it)
{
	struct synfw_flow *f;

	do {
		f = rhashtable_walk_next(&it->hti);
	} while (IS_ERR(f));	/* -EAGAIN: a resize; the walk goes on */
	return f;
}

static void *flows_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	struct flows_iter *it = seq->private;
	struct synfw_net *sn = it->sn;
	struct synfw_flow *f;

	if (!*pos) {
		if (it->entered)
			rhashtable_walk_exit(&it->hti);
		rhashtable_walk_enter(&sn->flows, &it->hti);
		it->entered = true;
		it->resuming = false;
	}
	rhashtable_walk_start(&it->hti);
	if (!*pos)
		return SEQ_START_TOKEN;
	if (it->resuming) {
		it->resuming = false;
		f = synfw_flow_lookup(sn, &it->resume);
		if (f)
			return f;
	}
	return flows_walk(it);
}

static void *flows_next(struct seq_file *seq, void *v, loff_t *pos)
{
	++*pos;
	return flows_walk(seq->private);
}

/* v, if any, is the record the read stopped before. */
static void flows_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	struct flows_iter *it = seq->private;

	if (v && v != SEQ_START_TOKEN) {
		it->resume = ((struct synfw_flow *)v)->key;
		it->resuming = true;
	}
	rhashtable_walk_stop(&it->hti);
}

#define FLOWS_HEADER "outside inside state spliced fin_out fin_in idle_s ws_told ws_server " \
		     "dev_out dev_in\n"

static int flows_show(struct seq_file *seq, void *v)
{
	const struct synfw_flow *f = v;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, FLOWS_HEADER);
		return 0;
	}
	seq_printf(seq, "%pI4:%u %pI4:%u %s %d %d %d %u %u %u %d %d\n",
		   &f->key.oaddr, ntohs(f->key.oport), &f->key.iaddr, ntohs(f->key.iport),
		   state_names[READ_ONCE(f->state)], !!(f->flags & SYNFW_FLOW_SPLICED),
		   !!(f->flags & SYNFW_FLOW_FIN_OUT), !!(f->flags & SYNFW_FLOW_FIN_IN),
		   synfw_flow_clock() - READ_ONCE(f->last), f->ws_told, f->ws_server,
		   READ_ONCE(f->dev_out), READ_ONCE(f->dev_in));
	return 0;
}

static const struct seq_operations flows_seq_ops = {
	.start = flows_start,
	.next = flows_next,
	.stop = flows_stop,
	.show = flows_show,
};

static int flows_open(struct inode *inode, struct file *file)
{
	struct flows_iter *it = __seq_open_private(file, &flows_seq_ops, sizeof(*it));

	if (!it)
		return -ENOMEM;
	it->sn = pde_data(inode);
	return 0;
}

static int flows_release(struct inode *inode, struct file *file)
{
	struct flows_iter *it = ((struct seq_file *)file->private_data)->private;

	if (it->entered)
		rhashtable_walk_exit(&it->hti);
	return seq_release_private(inode, file);
}

static const struct proc_ops flows_proc_ops = {
	.proc_open = flows_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = flows_release,
};

static int live_show(struct seq_file *seq, void *v)
{
	struct synfw_net *sn = synfw_pernet(seq_file_single_net(seq));

	seq_printf(seq, "%d\n", atomic_read(&sn->nflows));
	return 0;
}

/* What the flows cost: their objects, the table's buckets, the handshakes. */
static int memory_show(struct seq_file *seq, void *v)
{
	struct synfw_net *sn = synfw_pernet(seq_file_single_net(seq));
	unsigned int n = atomic_read(&sn->nflows), hs = READ_ONCE(sn->nhandshakes), buckets;

	rcu_read_lock();
	buckets = rht_dereference_rcu(sn->flows.tbl, &sn->flows)->size;
	rcu_read_unlock();
	seq_printf(seq, "flows %u\nflow_bytes %zu\nbuckets %u\nbucket_bytes %zu\n", n,
		   n * (size_t)kmem_cache_size(flow_cache), buckets,
		   buckets * sizeof(struct rhash_lock_head *));
	seq_printf(seq, "handshakes %u\nhandshake_bytes %zu\n", hs,
		   hs * (size_t)kmem_cache_size(hs_cache));
	return 0;
}

int synfw_flow_init(struct synfw_net *sn)
{
	struct net *net = sn->net;
	int err;

	err = rhashtable_init(&sn->flows, &flow_params);
	if (err)
		return err;
	rhashtable_walk_enter(&sn->flows, &sn->sweep);
	spin_lock_init(&sn->hs_lock);
	INIT_LIST_HEAD(&sn->handshakes);
	sn->proc = proc_net_mkdir(net, "synfw", net->proc_net);
	if (!sn->proc)
		goto err_destroy_table;
	if (!proc_create_data("flows", 0444, sn->proc, &flows_proc_ops, sn) ||
	    !proc_create_net_single("live", 0444, sn->proc, live_show, NULL) ||
	    !proc_create_net_single("memory", 0444, sn->proc, memory_show, NULL))
		goto err_remove_proc;
	return 0;

err_remove_proc:
	remove_proc_subtree("synfw", net->proc_net);
err_destroy_table:
	rhashtable_walk_exit(&sn->sweep);
	rhashtable_destroy(&sn->flows);
	return -ENOMEM;
}

static void free_now(void *ptr, void *arg)
{
	struct synfw_flow *f = ptr;
	struct synfw_net *sn = arg;

	hs_free(sn, f);
	kmem_cache_free(flow_cache, f);
	atomic_dec(&sn->nflows);
}

/* After the hooks are gone: nothing can reach the table any more. */
void synfw_flow_exit(struct synfw_net *sn)
{
	remove_proc_subtree("synfw", sn->net->proc_net);
	rhashtable_walk_exit(&sn->sweep);
	rhashtable_free_and_destroy(&sn->flows, free_now, sn);
}
