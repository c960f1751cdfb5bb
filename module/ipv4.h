/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_IPV4_H
#define _SYNFW_IPV4_H

#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>

#include "tcpopt.h"

/* A TCP segment of a packet in hand, its headers linear and parsed. */
struct synfw_pkt {
	struct sk_buff *skb;
	struct iphdr *iph;
	struct tcphdr *th;
	unsigned int thoff;	/* from skb->data to the TCP header */
	unsigned int thlen;	/* TCP header with options */
	unsigned int datalen;
	int iif;		/* the interface it came in by, or 0 */
	struct synfw_tcpopt opt;
};

/* A segment synfw sends itself. */
struct synfw_seg {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	u32 seq;
	u32 ack;
	u16 window;
	u8 flags;		/* TCPHDR_* */
	u8 ttl;
	u8 tos;
	u8 optlen;
	bool untracked;		/* outside conntrack's view of the connection */
	u8 opt[SYNFW_TCPOPT_MAX];
};

int synfw_ipv4_parse(struct sk_buff *skb, struct synfw_pkt *p);
int synfw_ipv4_writable(struct synfw_pkt *p);
bool synfw_ipv4_csum_ok(struct synfw_pkt *p, unsigned int hook);
int synfw_ipv4_send(struct net *net, const struct synfw_seg *s);
int synfw_ipv4_send_by(struct net *net, const struct synfw_seg *s, int *oif);
int synfw_ipv4_reply(struct net *net, struct sk_buff *skb, const struct synfw_seg *s);
int synfw_ipv4_reinject(struct net *net, struct sk_buff *skb);

#endif /* _SYNFW_IPV4_H */
