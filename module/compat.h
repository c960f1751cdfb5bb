/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel-agnostic core (option parsing, cookies, packet classification,
 * the `protect` parser, RFC 5961 window checks) builds both into the module
 * and into host unit tests and fuzzers. This header gives it one
 * vocabulary: the kernel's own types and helpers in the module (before()
 * and after() are net/tcp.h's); on the host, the equivalents in
 * tests/unit/host_compat.h, where siphash() is libsodium's SipHash-2-4
 * (tests/unit/host_siphash.c).
 */
#ifndef _SYNFW_COMPAT_H
#define _SYNFW_COMPAT_H

#ifdef __KERNEL__

#include <linux/kernel.h>
#include <linux/siphash.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/unaligned.h>
#include <crypto/algapi.h>
#include <net/tcp.h>

#else

#include "host_compat.h"

#endif /* __KERNEL__ */

#endif /* _SYNFW_COMPAT_H */
