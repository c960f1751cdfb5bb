// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about spliced flows. The TCP header an error quotes is in the
 * numbers of the end that sent the packet, and the end receiving the error
 * checks the quoted sequence number against what it has in flight: quoted
 * numbers are translated into the receiver's view, or path MTU discovery
 * (fragmentation needed) and the like break. An unreachable server, reported
 * while synfw's SYN is pending, resets the client as the server's RST would.
 *
 * An error is believed only if it comes in from the side the quoted packet
 * went to, and quotes a sequence number that was sent and not yet
 * acknowledged: what the receiving end itself would check, checked before
 * synfw acts on it or rewrites it into numbers the end will believe.
 */

#include <linux/icmp.h>
#include <linux/netfilter.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "flow.h"
#include "icmp.h"
#include "netns.h"
#include "params.h"
#include "proxy.h"
#include "stats.h"

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
 * Whether an error about our SYN (see in_flight()) says the server cannot be
 * reached, as the server's RST would: not one about the path's MTU, which
 * only asks for smaller segments.
 */
static bool server_unreachable(const struct quote *q)
{
	return q->icmp.type == ICMP_DEST_UNREACH && q->icmp.code != ICMP_FRAG_NEEDED;
}

/*
 * Whether the quoted sequence number was sent and is not yet acknowledged:
 * during the server handshake, only our SYN's (a guess of the 4-tuple is
 * not enough).
 */
static bool in_flight(const struct synfw_flow *f, const __be16 *tcp, bool to_server)
{
	__be32 seq;

	memcpy(&seq, &tcp[2], sizeof(seq));
	if (READ_ONCE(f->state) == SYNFW_FLOW_SYN_SENT)
		return !to_server && ntohl(seq) == f->isn_client;
	if (to_server)	/* the server's, in the client's view */
		return between(ntohl(seq), READ_ONCE(f->out_ack),
			       READ_ONCE(f->in_end) + f->seq_delta);
	return between(ntohl(seq), READ_ONCE(f->in_ack), READ_ONCE(f->out_end));
}

/*
 * Whether an error about f is believed: from the side the quoted packet went
 * to (the router's own errors come from no side), about a packet in flight.
 */
static bool believed(struct synfw_net *sn, const struct synfw_flow *f,
		     const struct sk_buff *skb, const __be16 *tcp, bool to_server,
		     enum synfw_icmp_from from)
{
	if (from != SYNFW_ICMP_ROUTER && !synfw_flow_path_ok(f, skb->dev->ifindex, to_server)) {
		synfw_stat_inc(sn->stats, SYNFW_STAT_WRONG_PATH);
		return false;
	}
	if (in_flight(f, tcp, to_server))
		return true;
	synfw_stat_inc(sn->stats, SYNFW_STAT_OUT_OF_WINDOW);
	return false;
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
	if (!believed(sn, f, skb, ports, to_server, from))
		return NF_DROP;
	if (READ_ONCE(f->state) == SYNFW_FLOW_SYN_SENT) {
		if (server_unreachable(q))
			synfw_proxy_refused(sn, f);
		return NF_DROP;
	}
	translate(skb, qoff, len, f, to_server);
	return NF_ACCEPT;
}
