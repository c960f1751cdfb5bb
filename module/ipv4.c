// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 specifics: parsing a TCP segment out of a packet, building the
 * segments synfw sends, and sending them, or held client data, through the
 * routing table with the source address of the end synfw speaks for.
 */

#include <linux/if_vlan.h>
#include <linux/netfilter.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>
#include <net/tcp.h>

#include "ipv4.h"

/* Returns 0, or -EINVAL for a header that lies about its size. */
int synfw_ipv4_parse(struct sk_buff *skb, struct synfw_pkt *p)
{
	unsigned int thoff = ip_hdrlen(skb), thlen;

	if (!pskb_may_pull(skb, thoff + sizeof(struct tcphdr)))
		return -EINVAL;
	thlen = ((struct tcphdr *)(skb->data + thoff))->doff * 4;
	if (thlen < sizeof(struct tcphdr) || !pskb_may_pull(skb, thoff + thlen))
		return -EINVAL;
	p->skb = skb;
	p->iph = ip_hdr(skb);
	p->th = (struct tcphdr *)(skb->data + thoff);
	p->thoff = thoff;
	p->thlen = thlen;
	p->datalen = skb->len - thoff - thlen;
	/* At PRE_ROUTING, the device it arrived on; none for a held skb. */
	p->iif = skb->dev ? skb->dev->ifindex : 0;
	synfw_tcpopt_parse((u8 *)(p->th + 1), thlen - sizeof(struct tcphdr), &p->opt);
	return 0;
}

/* Make the headers writable; the pointers in p may move. */
int synfw_ipv4_writable(struct synfw_pkt *p)
{
	if (skb_ensure_writable(p->skb, p->thoff + p->thlen))
		return -ENOMEM;
	p->iph = ip_hdr(p->skb);
	p->th = (struct tcphdr *)(p->skb->data + p->thoff);
	return 0;
}

bool synfw_ipv4_csum_ok(struct synfw_pkt *p, unsigned int hook)
{
	return !nf_ip_checksum(p->skb, hook, p->thoff, IPPROTO_TCP);
}

static struct rtable *route(struct net *net, __be32 saddr, __be32 daddr, u8 tos, u32 mark)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.saddr = saddr,
		.flowi4_tos = RT_TOS(tos),
		.flowi4_proto = IPPROTO_TCP,
		.flowi4_mark = mark,
		/* We speak for the client or the server: not a local address. */
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
	};

	return ip_route_output_key(net, &fl4);
}

/* Fill skb, its data room empty and large enough, with s and send it by rt. */
static int emit(struct net *net, struct sk_buff *skb, struct rtable *rt,
		const struct synfw_seg *s)
{
	unsigned int tcplen = sizeof(struct tcphdr) + s->optlen;
	struct tcphdr *th;
	struct iphdr *iph;

	skb_dst_set(skb, &rt->dst);
	skb_reset_network_header(skb);
	iph = skb_put(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = s->tos;
	iph->tot_len = htons(sizeof(*iph) + tcplen);
	/* As Linux sends its SYN/ACKs: DF and no identification. */
	iph->id = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = s->ttl;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = s->saddr;
	iph->daddr = s->daddr;
	ip_send_check(iph);

	skb_set_transport_header(skb, sizeof(*iph));
	th = skb_put_zero(skb, tcplen);
	th->source = s->sport;
	th->dest = s->dport;
	th->seq = htonl(s->seq);
	th->ack_seq = htonl(s->ack);
	th->doff = tcplen / 4;
	tcp_flag_byte(th) = s->flags;
	th->window = htons(s->window);
	memcpy(th + 1, s->opt, s->optlen);
	th->check = tcp_v4_check(tcplen, s->saddr, s->daddr, csum_partial(th, tcplen, 0));
	skb->ip_summed = CHECKSUM_NONE;
	skb->protocol = htons(ETH_P_IP);
	if (s->untracked)
		nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	return ip_local_out(net, NULL, skb);
}

static unsigned int seg_len(const struct synfw_seg *s)
{
	return sizeof(struct iphdr) + sizeof(struct tcphdr) + s->optlen;
}

/*
 * Send s; if oif, first store there the interface it leaves by, before it
 * is on its way.
 */
int synfw_ipv4_send_by(struct net *net, const struct synfw_seg *s, int *oif)
{
	struct sk_buff *skb;
	struct rtable *rt;
	unsigned int room;

	/*
	 * Routed first, so that the skb has just the headroom its device
	 * wants: under a flood, every byte allocated is also zeroed.
	 */
	rt = route(net, s->saddr, s->daddr, s->tos, 0);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (oif)
		WRITE_ONCE(*oif, rt->dst.dev->ifindex);
	room = LL_RESERVED_SPACE(rt->dst.dev);
	skb = alloc_skb(room + seg_len(s), GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		return -ENOMEM;
	}
	skb_reserve(skb, room);
	return emit(net, skb, rt, s);
}

int synfw_ipv4_send(struct net *net, const struct synfw_seg *s)
{
	return synfw_ipv4_send_by(net, s, NULL);
}

/*
 * Empty a received skb of its data and of all it carried from its way in, so
 * that it leaves as a fresh one would: data room for len bytes, no device,
 * route, conntrack entry, mark, timestamp, tag, hash, offload state or IP
 * options.
 */
static int recycle(struct sk_buff *skb, unsigned int len)
{
	if (pskb_trim(skb, 0) || skb_unclone(skb, GFP_ATOMIC))
		return -ENOMEM;
	if (skb_tailroom(skb) < len &&
	    pskb_expand_head(skb, 0, len - skb_tailroom(skb), GFP_ATOMIC))
		return -ENOMEM;
	skb_orphan(skb);
	skb_scrub_packet(skb, true);
	/* Neither is reset by the scrub: a forwarding timestamp survives it. */
	skb_set_delivery_time(skb, 0, false);
	skb->dev = NULL;
	skb_clear_hash(skb);
	__vlan_hwaccel_clear_tag(skb);
	skb_gso_reset(skb);
	skb->encapsulation = 0;
	skb->priority = 0;
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	return 0;
}

/*
 * Answer the segment in skb with s, built in skb's own memory: under a SYN
 * flood this saves, per SYN, an allocation, the zeroing of a fresh skb and
 * a free. skb is consumed whatever happens.
 */
int synfw_ipv4_reply(struct net *net, struct sk_buff *skb, const struct synfw_seg *s)
{
	struct rtable *rt;
	int err;

	rt = route(net, s->saddr, s->daddr, s->tos, 0);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		goto free_skb;
	}
	err = recycle(skb, seg_len(s));
	if (err)
		goto put_route;
	return emit(net, skb, rt, s);

put_route:
	ip_rt_put(rt);
free_skb:
	kfree_skb(skb);
	return err;
}

/*
 * Send on a client segment held during the handshake, as the router would
 * have forwarded it: one hop less to live, routed afresh.
 */
int synfw_ipv4_reinject(struct net *net, struct sk_buff *skb)
{
	struct rtable *rt;
	struct iphdr *iph;

	if (skb_ensure_writable(skb, sizeof(struct iphdr))) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	iph = ip_hdr(skb);
	ip_decrease_ttl(iph);
	rt = route(net, iph->saddr, iph->daddr, iph->tos, skb->mark);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	skb_clear_tstamp(skb);
	return ip_local_out(net, NULL, skb);
}
