/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_HOOK_H
#define _SYNFW_HOOK_H

struct net;

int synfw_hook_init(struct net *net);
void synfw_hook_exit(struct net *net);

#endif /* _SYNFW_HOOK_H */
