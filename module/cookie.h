/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SYN cookies: the sequence number (and, when the client uses timestamps,
 * the timestamp value) of the SYN/ACK synfw answers a SYN with, computed so
 * that the client's ACK alone proves the client received it and tells what
 * the SYN offered. Kernel-agnostic: host unit tests and fuzzers run it.
 *
 * The MAC is SipHash-2-4 keyed with a per-generation secret, over the
 * addresses and ports, the client's ISN, the generation and the layout.
 * Hashing the ISN, rather than adding it to the cookie as Linux's syncookies
 * do, binds the ACK's own sequence number into the check: a data segment
 * that arrives in place of a lost bare ACK (sequence ISN + 1 + n, n > 0)
 * decodes to another ISN and fails, so it can never open a connection
 * shifted by n bytes.
 *
 * Layouts (bit 31 of the ISN is the generation's parity, in the clear, so
 * that a check costs one MAC):
 *
 *   no timestamps: ISN = parity:1 | options:9 ^ mask | MAC:22
 *     options = MSS index:3 | SACK-permitted:1 | ECN:1 | window scale:4
 *   timestamps:    ISN = parity:1 | MSS index:3 ^ mask | MAC:28
 *                  TSval = MAC:26 | SACK:1 | ECN:1 | window scale:4 (^ mask)
 *
 * Window scale 15 stands for none. A blind forger who picks the layout
 * without timestamps must match 22 bits: one ACK in 2^22 (4,194,304)
 * succeeds. With timestamps, 28 + 26 bits must match.
 */
#ifndef _SYNFW_COOKIE_H
#define _SYNFW_COOKIE_H

#include "compat.h"

#define SYNFW_WSCALE_NONE	15
#define SYNFW_WSCALE_MAX	14	/* RFC 7323: larger shifts count as 14 */
#define SYNFW_COOKIE_MSS_VALUES	8

/* What a cookie remembers of a client's SYN. */
struct synfw_synopts {
	u16 mss;		/* rounded down to a table value */
	u8 wscale;		/* 0..14, or SYNFW_WSCALE_NONE */
	bool sack;
	bool ecn;
	bool ts;		/* known from the ACK: a layout, not a bit */
};

/*
 * Two secrets: key[gen & 1] is the current generation's, the other the
 * previous one's. A cookie is valid while its generation is the current or
 * the previous one.
 */
struct synfw_cookie_keys {
	u32 gen;
	siphash_key_t key[2];
};

/*
 * The MAC's input. The caller fills the ports and addr[] (the SYN's source
 * then destination address: IPv4 uses addr[0] and addr[1]) and says how many
 * bytes of addr[] count; the cookie functions fill in the rest.
 */
struct synfw_cookie_msg {
	__be16 sport;
	__be16 dport;
	u32 isn;
	u32 gen;
	u32 layout;
	__be32 addr[8];
};

/*
 * The generation a cookie was made in: the current one or, when its parity
 * bit (bit 31) differs, the one before.
 */
static inline u32 synfw_cookie_gen(const struct synfw_cookie_keys *k, u32 cookie)
{
	return k->gen - ((cookie >> 31) != (k->gen & 1));
}

/* The MSS of the table entry a client MSS rounds down to (536 at least). */
u16 synfw_cookie_mss_round(u16 mss);

/*
 * The cookie ISN for a SYN with sequence number isn and options o; with
 * o->ts, also the TSval to send, in *tsval.
 */
u32 synfw_cookie_make(const struct synfw_cookie_keys *k, struct synfw_cookie_msg *m,
		      unsigned int alen, u32 isn, const struct synfw_synopts *o, u32 *tsval);

/*
 * Check the ACK of a cookie SYN/ACK: seq and ack are the ACK's numbers (its
 * ISN + 1 and the cookie + 1); has_ts and tsecr what it carries. Returns true
 * and the SYN's options in *o when the cookie is valid.
 */
bool synfw_cookie_check(const struct synfw_cookie_keys *k, struct synfw_cookie_msg *m,
			unsigned int alen, u32 seq, u32 ack, bool has_ts, u32 tsecr,
			struct synfw_synopts *o);

#endif /* _SYNFW_COOKIE_H */
