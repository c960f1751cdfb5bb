/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_PARAMS_H
#define _SYNFW_PARAMS_H

#include <linux/rcupdate.h>

#include "protect.h"

/* A parameter set to "auto" reads as this: learn the value from the server. */
#define SYNFW_AUTO	(-1)

struct synfw_uint_param {
	unsigned int val;
	unsigned int min;
	unsigned int max;
};

struct synfw_auto_param {
	int val;		/* SYNFW_AUTO or min..max */
	int min;
	int max;
};

struct synfw_protect_param {
	struct synfw_protect_set set;
	unsigned long since;	/* jiffies when this set took effect */
	u32 gen;		/* counts the sets written, from 1 */
	struct rcu_head rcu;
	char str[];		/* as written, for reading back */
};

extern struct synfw_protect_param __rcu *synfw_protect, *synfw_auth_pass;
extern struct synfw_auto_param synfw_mss, synfw_wscale, synfw_sack, synfw_timestamps, synfw_ecn;
extern struct synfw_uint_param synfw_key_rotate_s, synfw_max_flows, synfw_handshake_timeout_s,
	synfw_idle_timeout_s, synfw_close_timeout_s, synfw_adopt_s, synfw_spoof_alert;

#define synfw_param(p) READ_ONCE((p).val)

/* Whether SYNs with TCP-MD5 or TCP-AO to addr:port pass unproxied; under RCU. */
static inline bool synfw_param_auth_pass(__be32 addr, __be16 port)
{
	const struct synfw_protect_param *p = rcu_dereference(synfw_auth_pass);

	return p && synfw_protect_match(&p->set, addr, port);
}

void synfw_params_exit(void);

#endif /* _SYNFW_PARAMS_H */
