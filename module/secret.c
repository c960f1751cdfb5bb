// SPDX-License-Identifier: GPL-2.0
/*
 * Cookie secrets, per network namespace: two 128-bit SipHash keys, for the
 * current time slot (key_rotate_s long) and the previous one. A cookie made
 * in slot g is accepted while the clock is in slot g or g + 1: for one to two
 * periods. Rotation is lazy, done by the first packet that finds its slot
 * over, and publishes a new copy under RCU: readers on the packet path never
 * take a lock. Changing key_rotate_s renews both keys.
 */

#include <linux/random.h>
#include <linux/slab.h>

#include "netns.h"
#include "params.h"
#include "secret.h"

static unsigned long period(void)
{
	return synfw_param(synfw_key_rotate_s) * HZ;
}

static void fill(struct synfw_secret *s, const struct synfw_secret *old)
{
	unsigned long now = jiffies, p = period(), slot = now / p;

	if (!old || old->period != p || slot != (unsigned long)old->keys.gen + 1)
		get_random_bytes(&s->keys.key[(slot + 1) & 1], sizeof(siphash_key_t));
	get_random_bytes(&s->keys.key[slot & 1], sizeof(siphash_key_t));
	s->keys.gen = slot;
	s->period = p;
	s->end = (slot + 1) * p;
}

int synfw_secret_init(struct synfw_net *sn)
{
	struct synfw_secret *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	fill(s, NULL);
	spin_lock_init(&sn->secret_lock);
	RCU_INIT_POINTER(sn->secret, s);
	return 0;
}

void synfw_secret_exit(struct synfw_net *sn)
{
	kfree_sensitive(rcu_dereference_protected(sn->secret, 1));
}

static void free_secret(struct rcu_head *head)
{
	kfree_sensitive(container_of(head, struct synfw_secret, rcu));
}

static bool stale(const struct synfw_secret *s)
{
	return time_after_eq(jiffies, s->end) || s->period != period();
}

static void rotate(struct synfw_net *sn)
{
	struct synfw_secret *old, *s;

	spin_lock_bh(&sn->secret_lock);
	old = rcu_dereference_protected(sn->secret, lockdep_is_held(&sn->secret_lock));
	if (!stale(old))
		goto unlock;	/* another CPU rotated first */
	s = kmemdup(old, sizeof(*old), GFP_ATOMIC);
	if (!s)
		goto unlock;	/* keep the old keys; the next packet retries */
	fill(s, old);
	rcu_assign_pointer(sn->secret, s);
	call_rcu(&old->rcu, free_secret);
unlock:
	spin_unlock_bh(&sn->secret_lock);
}

const struct synfw_cookie_keys *synfw_secret_get(struct synfw_net *sn)
{
	struct synfw_secret *s = rcu_dereference(sn->secret);

	if (unlikely(stale(s))) {
		rotate(sn);
		s = rcu_dereference(sn->secret);
	}
	return &s->keys;
}
