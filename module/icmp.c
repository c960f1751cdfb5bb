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

/* Translate the quoted sequence (to the server) or ack (to the client). */
static void translate(struct sk_buff *skb, unsigned int qoff, unsigned int len,
		      const struct synfw_flow *f, bool to_server)
{
	unsigned int ihl = ip_hdrlen(skb);
	struct icmphdr *icmp;
	__be32 *tcp;

	if (!to_server && len < 12)
		return;		/* the ack is not quoted */
	if (skb_ensure_writable(skb, qoff + len))
		return;
	icmp = (struct icmphdr *)(skb->data + ihl);
	tcp = (__be32 *)(skb->data + qoff);
	if (to_server)
		rewrite(skb, icmp, &tcp[1], -f->seq_delta);
	else
		rewrite(skb, icmp, &tcp[2], f->seq_delta);
}

/*
 * The flow of a quoted packet that the server sent (from_server) or that was
 * sent to it, if protect covers its server, or if it may be a stray.
 */
static struct synfw_flow *quoted(struct synfw_net *sn, const struct synfw_protect_param *prot,
				 const struct iphdr *ip, const __be16 *ports, bool from_server,
				 bool stray)
{
	struct synfw_flow_key k = {
		.iaddr = from_server ? ip->saddr : ip->daddr,
		.oaddr = from_server ? ip->daddr : ip->saddr,
		.iport = ports[!from_server],
		.oport = ports[from_server],
	};

	if (!stray && !synfw_protect_match(&prot->set, k.iaddr, k.iport))
		return NULL;
	return synfw_flow_lookup(sn, &k);
}

/*
 * Whether an error says the server cannot be reached by our SYN, as the
 * server's RST would: it quotes that SYN's own sequence number (a guess of
 * the 4-tuple is not enough), and it is not about the path's MTU, which
 * only asks for smaller segments.
 */
static bool about_our_syn(const struct quote *q, const struct synfw_flow *f,
			  const __be16 *tcp)
{
	__be32 seq;

	memcpy(&seq, &tcp[2], sizeof(seq));
	return q->icmp.type == ICMP_DEST_UNREACH && q->icmp.code != ICMP_FRAG_NEEDED &&
	       ntohl(seq) == f->isn_client;
}

unsigned int synfw_icmp(struct synfw_net *sn, struct sk_buff *skb, enum synfw_icmp_from from)
{
	const struct synfw_protect_param *prot = rcu_dereference(synfw_protect);
	unsigned int ihl = ip_hdrlen(skb), qoff, len;
	bool to_server, stray;
	struct synfw_flow *f;
	const __be16 *ports;
	struct quote *q;
	__be16 buf[4];

	if (!prot)
		return NF_ACCEPT;
	stray = synfw_flow_strays(sn, prot);
	if ((!prot->set.n && !stray) || !pskb_may_pull(skb, ihl + sizeof(*q)))
		return NF_ACCEPT;
	q = (struct quote *)(skb->data + ihl);
	if ((q->icmp.type != ICMP_DEST_UNREACH && q->icmp.type != ICMP_TIME_EXCEEDED &&
	     q->icmp.type != ICMP_PARAMETERPROB) || q->ip.protocol != IPPROTO_TCP ||
	    q->ip.ihl < 5 || ip_is_fragment(&q->ip))
		return NF_ACCEPT;
	qoff = ihl + sizeof(q->icmp) + q->ip.ihl * 4;
	/* The quote's TCP header: ports and sequence, perhaps the ack too. */
	len = skb->len > qoff ? min_t(unsigned int, skb->len - qoff, 12) : 0;
	ports = len >= 8 ? skb_header_pointer(skb, qoff, sizeof(buf), buf) : NULL;
	if (!ports)
		return NF_ACCEPT;

	/*
	 * A quoted server-to-client packet goes back to the server: errors
	 * from outside can only be such, errors from inside the other kind,
	 * and the router's own either.
	 */
	to_server = from != SYNFW_ICMP_INSIDE;
	f = to_server ? quoted(sn, prot, &q->ip, ports, true, stray) : NULL;
	if (!f && from != SYNFW_ICMP_OUTSIDE) {
		to_server = false;
		f = quoted(sn, prot, &q->ip, ports, false, stray);
	}
	if (!f || !(f->flags & SYNFW_FLOW_SPLICED))
		return NF_ACCEPT;

	if (READ_ONCE(f->state) == SYNFW_FLOW_SYN_SENT) {
		if (!to_server && about_our_syn(q, f, ports))
			synfw_proxy_refused(sn, f);
		return NF_DROP;
	}
	translate(skb, qoff, len, f, to_server);
	return NF_ACCEPT;
}
