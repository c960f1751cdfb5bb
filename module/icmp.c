// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about spliced flows. The TCP header an error quotes is in the
 * numbers of the end that sent the packet, and the end receiving the error
 * checks the quoted sequence number against what it has in flight: quoted
 * numbers are translated into the receiver's view, or path MTU discovery
 * (fragmentation needed) and the like break. An unreachable server, reported
 * while synfw's SYN is pending, resets the client as the server's RST would.
 */

#include <linux/icmp.h>
#include <linux/netfilter.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "flow.h"
#include "icmp.h"
#include "netns.h"
#include "params.h"
#include "proxy.h"

/* The part of an error that matters: the quoted IP header and TCP start. */
struct quote {
	struct icmphdr icmp;
	struct iphdr ip;
};

static void rewrite(struct sk_buff *skb, struct icmphdr *icmp, __be32 *field, u32 delta)
{
	__be32 new = htonl(ntohl(*field) + delta);

	inet_proto_csum_replace4(&icmp->checksum, skb, *field, new, false);
	*field = new;
}

/* The quoted TCP header: source, dest, seq and (if quoted) ack. */
static __be32 *quoted_tcp(struct sk_buff *skb, unsigned int off, unsigned int *len)
{
	*len = min_t(unsigned int, skb->len - off, 12);
	if (*len < 8 || skb_ensure_writable(skb, off + *len))
		return NULL;
	return (__be32 *)(skb->data + off);
}

unsigned int synfw_icmp(struct synfw_net *sn, struct sk_buff *skb, enum synfw_icmp_from from)
{
	const struct synfw_protect_param *prot = rcu_dereference(synfw_protect);
	unsigned int ihl = ip_hdrlen(skb), qoff, len;
	struct synfw_flow_key k;
	struct synfw_flow *f;
	struct quote *q;
	bool to_server;
	__be32 *tcp;

	if (!prot || !prot->set.n || !pskb_may_pull(skb, ihl + sizeof(*q)))
		return NF_ACCEPT;
	q = (struct quote *)(skb->data + ihl);
	if ((q->icmp.type != ICMP_DEST_UNREACH && q->icmp.type != ICMP_TIME_EXCEEDED &&
	     q->icmp.type != ICMP_PARAMETERPROB) || q->ip.protocol != IPPROTO_TCP ||
	    q->ip.ihl < 5 || ip_is_fragment(&q->ip))
		return NF_ACCEPT;
	qoff = ihl + sizeof(q->icmp) + q->ip.ihl * 4;
	tcp = quoted_tcp(skb, qoff, &len);
	if (!tcp)
		return NF_ACCEPT;
	q = (struct quote *)(skb->data + ihl);	/* the data may have moved */

	/* A quoted server-to-client packet goes back to the server. */
	to_server = synfw_protect_match(&prot->set, q->ip.saddr, ((__be16 *)tcp)[0]);
	if (to_server) {
		k.oaddr = q->ip.daddr;
		k.iaddr = q->ip.saddr;
		k.oport = ((__be16 *)tcp)[1];
		k.iport = ((__be16 *)tcp)[0];
	} else if (synfw_protect_match(&prot->set, q->ip.daddr, ((__be16 *)tcp)[1])) {
		k.oaddr = q->ip.saddr;
		k.iaddr = q->ip.daddr;
		k.oport = ((__be16 *)tcp)[0];
		k.iport = ((__be16 *)tcp)[1];
	} else {
		return NF_ACCEPT;
	}
	if ((from == SYNFW_ICMP_OUTSIDE && !to_server) || (from == SYNFW_ICMP_INSIDE && to_server))
		return NF_ACCEPT;
	f = synfw_flow_lookup(sn, &k);
	if (!f || !(f->flags & SYNFW_FLOW_SPLICED))
		return NF_ACCEPT;

	if (READ_ONCE(f->state) == SYNFW_FLOW_SYN_SENT) {
		/* About our SYN: the server cannot be reached. */
		if (!to_server && q->icmp.type == ICMP_DEST_UNREACH)
			synfw_proxy_refused(sn, f);
		return NF_DROP;
	}
	if (to_server)
		rewrite(skb, &q->icmp, &tcp[1], -f->seq_delta);
	else if (len >= 12)
		rewrite(skb, &q->icmp, &tcp[2], f->seq_delta);
	return NF_ACCEPT;
}
