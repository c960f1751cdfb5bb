/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_SPLICE_H
#define _SYNFW_SPLICE_H

#include "flow.h"
#include "ipv4.h"

struct synfw_net;

unsigned int synfw_splice_from_client(struct synfw_net *sn, struct synfw_flow *f,
				      struct synfw_pkt *p, unsigned int hook);
unsigned int synfw_splice_from_server(struct synfw_net *sn, struct synfw_flow *f,
				      struct synfw_pkt *p, unsigned int hook);
int synfw_splice_release(struct synfw_net *sn, struct synfw_flow *f, struct synfw_pkt *p);

#endif /* _SYNFW_SPLICE_H */
