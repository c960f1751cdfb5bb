/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_ICMP_H
#define _SYNFW_ICMP_H

#include <linux/skbuff.h>

struct synfw_net;

/*
 * Which hook sees the error: both PRE_ROUTING hooks see every packet, so the
 * one before conntrack takes errors bound for servers, the one after takes
 * errors bound for clients, and LOCAL_OUT the router's own.
 */
enum synfw_icmp_from {
	SYNFW_ICMP_OUTSIDE,
	SYNFW_ICMP_INSIDE,
	SYNFW_ICMP_ROUTER,
};

unsigned int synfw_icmp(struct synfw_net *sn, struct sk_buff *skb, enum synfw_icmp_from from);

#endif /* _SYNFW_ICMP_H */
