/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_SECRET_H
#define _SYNFW_SECRET_H

#include "cookie.h"

struct synfw_net;

/* keys.gen is the time slot, jiffies / period, that the current key serves. */
struct synfw_secret {
	struct synfw_cookie_keys keys;
	unsigned long period;	/* jiffies */
	unsigned long end;	/* jiffies when the slot ends */
	struct rcu_head rcu;
};

int synfw_secret_init(struct synfw_net *sn);
void synfw_secret_exit(struct synfw_net *sn);

/* The keys to make and check cookies with; call under rcu_read_lock(). */
const struct synfw_cookie_keys *synfw_secret_get(struct synfw_net *sn);

#endif /* _SYNFW_SECRET_H */
