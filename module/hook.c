// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks, in every network namespace, both at PRE_ROUTING:
 *
 *   from_outside, just after defragmentation (-400) and before raw and
 *   conntrack: segments to a protected destination. SYNs are answered and
 *   consumed here, so a flood reaches neither conntrack nor the server;
 *   segments of spliced flows are translated into the server's numbers.
 *
 *   from_inside, just after conntrack (-200): segments from a protected
 *   source. Conntrack has seen them in the server's numbers; they are
 *   translated into the client's here.
 *
 *   local_out: ICMP errors the router itself sends about spliced segments,
 *   and RSTs a reject rule sends in a server's name to synfw's SYN.
 *
 * ICMP errors quoting segments of spliced flows are translated in all three.
 * Packets synfw sends itself leave through LOCAL_OUT, never PRE_ROUTING.
 */

#include <linux/hash.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/ip.h>
#include <net/route.h>

#include "classify.h"
#include "flow.h"
#include "hook.h"
#include "icmp.h"
#include "ipv4.h"
#include "netns.h"
#include "params.h"
#include "proxy.h"
#include "splice.h"
#include "stats.h"

/*
 * The packet's ports, if protect covers this direction of it, or if it may
 * be a segment of a flow that protect covered when it began (*stray).
 */
static const __be16 *protected_ports(struct synfw_net *sn, struct sk_buff *skb, __be16 *buf,
				     bool by_dest, unsigned int user, bool *stray)
{
	const struct synfw_protect_param *prot = rcu_dereference(synfw_protect);
	const struct iphdr *iph = ip_hdr(skb);
	struct net *net = sn->net;
	const __be16 *ports;
	__be32 addr;

	if (!prot || iph->protocol != IPPROTO_TCP)
		return NULL;
	*stray = synfw_flow_strays(sn, prot);
	if (!prot->set.n && !*stray)
		return NULL;
	addr = by_dest ? iph->daddr : iph->saddr;
	if (unlikely(ip_is_fragment(iph))) {
		if (!*stray && !synfw_protect_match_addr(&prot->set, addr))
			return NULL;
		/* A spliced segment must be whole to be translated. */
		local_bh_disable();
		if (ip_defrag(net, skb, user)) {
			local_bh_enable();
			return ERR_PTR(-EINPROGRESS);
		}
		local_bh_enable();
		iph = ip_hdr(skb);
	}
	ports = skb_header_pointer(skb, ip_hdrlen(skb), 2 * sizeof(__be16), buf);
	if (!ports)
		return NULL;
	if (synfw_protect_match(&prot->set, addr, ports[by_dest])) {
		*stray = false;
		return ports;
	}
	return *stray ? ports : NULL;
}

/* A source no outside host can have: the router's own, or a broadcast. */
static bool martian(struct net *net, __be32 saddr)
{
	switch (inet_addr_type(net, saddr)) {
	case RTN_LOCAL:
	case RTN_BROADCAST:
	case RTN_MULTICAST:
		return true;
	default:
		return false;
	}
}

/*
 * Whether a destination is one of the router's own addresses, remembered per
 * address until the FIB changes (its generation moves): a flood at one
 * service then costs no FIB lookup for it. A slot is one word, address,
 * generation and answer together, so that CPUs racing on it read either
 * the old entry or the new one.
 */
static bool router_own(struct synfw_net *sn, __be32 addr)
{
	u64 *slot = &sn->local[hash_32((__force u32)addr, ilog2(SYNFW_LOCAL_SLOTS))];
	u32 gen = (u32)rt_genid_ipv4(sn->net) << 1;
	u64 key = (u64)(__force u32)addr << 32 | gen, v = READ_ONCE(*slot);
	bool own;

	if ((v & ~1ULL) == key)
		return v & 1;
	own = inet_addr_type(sn->net, addr) == RTN_LOCAL;
	WRITE_ONCE(*slot, key | own);
	return own;
}

static unsigned int new_from_outside(struct synfw_net *sn, struct synfw_pkt *p,
				     const struct synfw_flow_key *k, unsigned int hook)
{
	const struct tcphdr *th = p->th;

	/* The router's own services are not ours to protect. */
	if (router_own(sn, k->iaddr))
		return NF_ACCEPT;
	if (th->syn && !th->ack && !th->rst && !th->fin) {
		/* Only a SYN is answered: a reflection needs one. */
		if (martian(sn->net, k->oaddr)) {
			synfw_stat_inc(sn->stats, SYNFW_STAT_MARTIAN);
			return NF_DROP;
		}
		return synfw_proxy_syn(sn, p, hook);
	}
	if (th->ack && !th->syn && !th->rst)
		return synfw_proxy_ack(sn, p, k, hook);
	/* A SYN/ACK answers a SYN the client sent: none went out from here. */
	if (th->syn) {
		synfw_stat_inc(sn->stats, SYNFW_STAT_ILLEGAL_FLAGS);
		return NF_DROP;
	}
	/*
	 * Left: segments without ACK, and RSTs. No established connection
	 * sends the former; the latter are not adopted.
	 */
	synfw_stat_inc(sn->stats, SYNFW_STAT_UNKNOWN_DROPPED);
	return NF_DROP;
}

/* What segment() returns for a protected segment: no verdict has this value. */
#define SEGMENT		(~0U)

/* The largest IPv4 and TCP headers: all the classifier may look at. */
#define SCREEN_BYTES	(60 + 60)

/*
 * Turn away, before any lookup, what no TCP sends from outside: counted per
 * reason, never answered.
 */
static unsigned int screen(struct synfw_net *sn, struct sk_buff *skb)
{
	static const u8 stat[SYNFW_CLASS_NR] = {
		[SYNFW_CLASS_BAD_IP_HEADER] = SYNFW_STAT_MALFORMED,
		[SYNFW_CLASS_FRAGMENT] = SYNFW_STAT_MALFORMED,
		[SYNFW_CLASS_MARTIAN_SRC] = SYNFW_STAT_MARTIAN,
		[SYNFW_CLASS_LAND] = SYNFW_STAT_LAND,
		[SYNFW_CLASS_BAD_TCP_HEADER] = SYNFW_STAT_MALFORMED,
		[SYNFW_CLASS_ILLEGAL_FLAGS] = SYNFW_STAT_ILLEGAL_FLAGS,
	};
	struct synfw_class_tcp tcp;
	enum synfw_class c;

	if (!pskb_may_pull(skb, min_t(unsigned int, skb->len, SCREEN_BYTES)))
		return NF_DROP;
	c = synfw_classify_ipv4(skb->data, skb_headlen(skb), skb->len, &tcp);
	if (likely(c == SYNFW_CLASS_OK))
		return SEGMENT;
	synfw_stat_inc(sn->stats, stat[c]);
	return NF_DROP;
}

/*
 * The first steps of both hooks: ICMP errors go their own way; a TCP
 * segment to a protected destination (from outside) or from a protected
 * source (from inside) is parsed and keyed. Returns a verdict for anything
 * else, or SEGMENT with p and k filled in; *stray when the segment is
 * synfw's only if it belongs to a flow (see protected_ports()).
 */
static unsigned int segment(struct synfw_net *sn, struct sk_buff *skb, bool outside,
			    struct synfw_pkt *p, struct synfw_flow_key *k, bool *stray)
{
	const __be16 *ports;
	unsigned int v;
	__be16 buf[2];

	if (ip_hdr(skb)->protocol == IPPROTO_ICMP)
		return synfw_icmp(sn, skb, outside ? SYNFW_ICMP_OUTSIDE : SYNFW_ICMP_INSIDE);
	ports = protected_ports(sn, skb, buf, outside,
				outside ? IP_DEFRAG_CONNTRACK_IN : IP_DEFRAG_CONNTRACK_OUT, stray);
	if (IS_ERR(ports))
		return NF_STOLEN;
	if (!ports)
		return NF_ACCEPT;
	if (outside && !*stray) {
		v = screen(sn, skb);
		if (v != SEGMENT)
			return v;
	}
	if (synfw_ipv4_parse(skb, p))
		return NF_DROP;
	k->oaddr = outside ? p->iph->saddr : p->iph->daddr;
	k->iaddr = outside ? p->iph->daddr : p->iph->saddr;
	k->oport = outside ? p->th->source : p->th->dest;
	k->iport = outside ? p->th->dest : p->th->source;
	return SEGMENT;
}

static unsigned int from_outside(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct synfw_net *sn = synfw_pernet(state->net);
	struct synfw_flow_key k;
	struct synfw_flow *f;
	struct synfw_pkt p;
	unsigned int v;
	bool stray;

	v = segment(sn, skb, true, &p, &k, &stray);
	if (v != SEGMENT)
		return v;
	f = synfw_flow_lookup(sn, &k);
	if (f)
		return synfw_splice_from_client(sn, f, &p, state->hook);
	return stray ? NF_ACCEPT : new_from_outside(sn, &p, &k, state->hook);
}

/*
 * A segment from a protected server of no flow, that synfw follows from now
 * on: a SYN the server sends outward; the SYN/ACK answering a signed SYN
 * that passed unproxied (auth_pass); an established connection's segment
 * while adopting. NULL for anything else, which passes unfollowed.
 */
static struct synfw_flow *inside_unknown(struct synfw_net *sn, const struct synfw_pkt *p,
					 const struct synfw_flow_key *k)
{
	const struct tcphdr *th = p->th;

	/* For this host itself (a client, a container): not forwarded, not ours. */
	if (th->rst || router_own(sn, k->oaddr))
		return NULL;
	if (th->syn && !th->ack)
		return synfw_proxy_adopt(sn, k, p->iif, SYNFW_PENDING_OUTWARD);
	if (th->syn && synfw_param_auth_pass(k->iaddr, k->iport))
		return synfw_proxy_adopt(sn, k, p->iif, SYNFW_PENDING_ADOPTED_IN);
	if (!th->syn && th->ack && synfw_proxy_adopting(sn))
		return synfw_proxy_adopt(sn, k, p->iif, SYNFW_PENDING_ADOPTED_IN);
	return NULL;
}

static unsigned int from_inside(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct synfw_net *sn = synfw_pernet(state->net);
	struct synfw_flow_key k;
	struct synfw_flow *f;
	struct synfw_pkt p;
	unsigned int v;
	bool stray;

	v = segment(sn, skb, false, &p, &k, &stray);
	if (v != SEGMENT)
		return v;
	f = synfw_flow_lookup(sn, &k);
	/* A server's new connection on the ports of a closed one starts afresh. */
	if (f && unlikely(p.th->syn && !p.th->ack) &&
	    READ_ONCE(f->state) == SYNFW_FLOW_CLOSING &&
	    synfw_flow_path_ok(f, p.iif, false)) {
		synfw_flow_del(sn, f);
		f = NULL;
	}
	if (f)
		return synfw_splice_from_server(sn, f, &p, state->hook);
	if (stray)
		return NF_ACCEPT;

	f = inside_unknown(sn, &p, &k);
	return f ? synfw_splice_from_server(sn, f, &p, state->hook) : NF_ACCEPT;
}

/*
 * A RST the router itself sends in the server's name, from a reject rule
 * that our SYN to the server met: the server is refused as if it had said
 * so itself, and the client is told in its own numbers (this RST answers our
 * SYN, which carries none of them).
 */
static unsigned int router_rst(struct synfw_net *sn, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct synfw_flow_key k;
	const struct tcphdr *th;
	struct synfw_flow *f;
	struct tcphdr buf;

	th = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(buf), &buf);
	if (!th || !th->rst || !th->ack)
		return NF_ACCEPT;
	k.oaddr = iph->daddr;
	k.iaddr = iph->saddr;
	k.oport = th->dest;
	k.iport = th->source;
	f = synfw_flow_lookup(sn, &k);
	if (!f || READ_ONCE(f->state) != SYNFW_FLOW_SYN_SENT ||
	    ntohl(th->ack_seq) != f->isn_client + 1)
		return NF_ACCEPT;
	synfw_proxy_refused(sn, f);
	return NF_DROP;
}

/* What the router itself sends about spliced flows: ICMP errors, resets. */
static unsigned int local_out(void *priv, struct sk_buff *skb, const struct nf_hook_state *state)
{
	struct synfw_net *sn = synfw_pernet(state->net);

	switch (ip_hdr(skb)->protocol) {
	case IPPROTO_ICMP:
		return synfw_icmp(sn, skb, SYNFW_ICMP_ROUTER);
	case IPPROTO_TCP:
		return router_rst(sn, skb);
	default:
		return NF_ACCEPT;
	}
}

static const struct nf_hook_ops hook_ops[] = {
	{
		.hook = from_outside,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK_DEFRAG + 1,
	},
	{
		.hook = from_inside,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK + 1,
	},
	{
		.hook = local_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_CONNTRACK_DEFRAG + 1,
	},
};

int synfw_hook_init(struct net *net)
{
	return nf_register_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}

void synfw_hook_exit(struct net *net)
{
	nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}
