/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP option parsing and SYN/ACK option building, kernel-agnostic so that
 * host unit tests and fuzzers exercise the code the module runs.
 *
 * The parser takes the option area of one segment (the bytes between the
 * fixed 20-byte header and doff * 4) and extracts what the proxy needs to
 * answer a SYN itself and later splice the connection: the handshake
 * options, and where the timestamp and SACK blocks sit so that they can
 * be rewritten in place in data segments.
 *
 * A shape is a SYN/ACK option area with its values left out: which options
 * appear, in which order, and how they are padded. The proxy answers a SYN
 * in the shape the protected server uses, so that a client (or a passive
 * fingerprinter) sees the same SYN/ACK whether the proxy or the server sent
 * it.
 */
#ifndef _SYNFW_TCPOPT_H
#define _SYNFW_TCPOPT_H

#include "compat.h"

/* The largest option area: doff is 4 bits, so 15 * 4 - 20 bytes. */
#define SYNFW_TCPOPT_MAX	40

/* Options seen, in synfw_tcpopt.flags and .dup and in shape masks. */
enum synfw_opt {
	SYNFW_OPT_MSS		= 1 << 0,
	SYNFW_OPT_WSCALE	= 1 << 1,
	SYNFW_OPT_SACK_PERM	= 1 << 2,
	SYNFW_OPT_TS		= 1 << 3,
	SYNFW_OPT_SACK		= 1 << 4,	/* SACK blocks present */
	SYNFW_OPT_AUTH		= 1 << 5,	/* TCP-MD5 (RFC 2385) or TCP-AO (RFC 5925) */
};

/* The options a SYN may offer and a SYN/ACK may answer with. */
#define SYNFW_OPT_HANDSHAKE \
	(SYNFW_OPT_MSS | SYNFW_OPT_WSCALE | SYNFW_OPT_SACK_PERM | SYNFW_OPT_TS)

enum synfw_tcpopt_err {
	SYNFW_TCPOPT_OK,
	SYNFW_TCPOPT_BADLEN,	/* a length byte below 2 */
	SYNFW_TCPOPT_TRUNCATED,	/* an option runs past the end of the area */
	SYNFW_TCPOPT_WRONGSIZE,	/* a known option with the wrong length */
	SYNFW_TCPOPT_TOOLONG,	/* the area is longer than SYNFW_TCPOPT_MAX */
	SYNFW_TCPOPT_UNSHAPED,	/* well formed, but not a usable SYN/ACK shape */
};

struct synfw_tcpopt {
	u32 tsval;
	u32 tsecr;
	u16 mss;
	u8 wscale;		/* the shift as sent, even above 14 */
	u8 flags;		/* enum synfw_opt */
	u8 dup;			/* enum synfw_opt seen again after the first */
	u8 ts_off;		/* offset of tsval in the area, if SYNFW_OPT_TS */
	u8 sack_off;		/* offset of the first SACK block, if SYNFW_OPT_SACK */
	u8 sack_blocks;		/* 1..4, if SYNFW_OPT_SACK */
	u8 err;			/* enum synfw_tcpopt_err */
};

/*
 * Parse the len bytes of option area at opt into *o, which is overwritten.
 * EOL ends the area; of an option seen twice the first one counts and the
 * repeat is noted in o->dup; options of unknown kind are skipped. Parsing
 * stops at the first error, and *o keeps what was parsed before it.
 *
 * Returns the error, also left in o->err: SYNFW_TCPOPT_OK (0) when the
 * whole area was well formed.
 */
int synfw_tcpopt_parse(const u8 *opt, unsigned int len, struct synfw_tcpopt *o);

/*
 * The bytes are those of a SYN/ACK option area with the MSS, window scale
 * and timestamp values zeroed and anything after an EOL cleared. The other
 * fields are derived from the bytes: build shapes only with the functions
 * below.
 */
struct synfw_optshape {
	u8 len;			/* a multiple of 4, at most SYNFW_TCPOPT_MAX */
	u8 opts;		/* enum synfw_opt */
	u8 mss_off;		/* offsets of the values within bytes[] */
	u8 ws_off;
	u8 ts_off;
	u8 bytes[SYNFW_TCPOPT_MAX];
};

/*
 * Learn the shape of a server's SYN/ACK from its option area. A shape must
 * be a whole number of words and hold only NOP, EOL, MSS, window scale,
 * SACK-permitted and timestamps, each at most once. Returns 0 and fills *s,
 * or an enum synfw_tcpopt_err saying why the area is unusable and leaves
 * *s untouched.
 */
int synfw_optshape_learn(struct synfw_optshape *s, const u8 *opt, unsigned int len);

/*
 * The shape of the SYN/ACK Linux answers a SYN with, given the options the
 * SYN offered (enum synfw_opt; SACK blocks ignored) and the default
 * net.ipv4.tcp_{sack,timestamps,window_scaling} = 1. Linux always sends an
 * MSS, offered or not.
 */
void synfw_optshape_linux(struct synfw_optshape *s, unsigned int offered);

/*
 * Write the option area of shape s to buf, which has room for s->len bytes
 * (SYNFW_TCPOPT_MAX always suffices), with the mss, wscale, tsval and tsecr
 * of v, whatever v->flags says. Returns s->len, a multiple of 4.
 */
unsigned int synfw_optshape_fill(u8 *buf, const struct synfw_optshape *s,
				 const struct synfw_tcpopt *v);

/* The options a shape holds (enum synfw_opt). */
static inline unsigned int synfw_optshape_opts(const struct synfw_optshape *s)
{
	return s->opts;
}

#endif /* _SYNFW_TCPOPT_H */
