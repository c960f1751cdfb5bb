/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_PROXY_H
#define _SYNFW_PROXY_H

#include "flow.h"
#include "ipv4.h"

struct synfw_net;

/* Verdicts are netfilter's; NF_STOLEN means synfw took the packet. */
unsigned int synfw_proxy_syn(struct synfw_net *sn, struct synfw_pkt *p, unsigned int hook);
unsigned int synfw_proxy_ack(struct synfw_net *sn, struct synfw_pkt *p,
			     const struct synfw_flow_key *k, unsigned int hook);
unsigned int synfw_proxy_synack(struct synfw_net *sn, struct synfw_flow *f,
				struct synfw_pkt *p, unsigned int hook);
void synfw_proxy_hold(struct synfw_net *sn, struct synfw_flow *f, struct synfw_pkt *p);

bool synfw_proxy_adopting(struct synfw_net *sn);
struct synfw_flow *synfw_proxy_adopt(struct synfw_net *sn, const struct synfw_flow_key *k, int dev,
				     enum synfw_pending how);

void synfw_proxy_refused(struct synfw_net *sn, struct synfw_flow *f);
void synfw_proxy_reset(struct synfw_net *sn, struct synfw_flow *f);
void synfw_proxy_expire_handshake(struct synfw_net *sn, struct synfw_flow *f);
void synfw_proxy_expire(struct synfw_net *sn, struct synfw_flow *f);

#endif /* _SYNFW_PROXY_H */
