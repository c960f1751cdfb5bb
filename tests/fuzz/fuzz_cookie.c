// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for module/cookie.c. An input is, zero-padded when
 * short:
 *
 *	byte 0		bit 0: the ACK has timestamps; bit 1: use the input's
 *			secret rather than a fixed one; bit 2: the SYN's SACK;
 *			bit 3: its ECN
 *	byte 1		address bytes that count (alen), modulo 33
 *	byte 2		the SYN's window scale
 *	bytes 3-4	the SYN's MSS
 *	bytes 5-20	seq, ack, tsecr and the generation
 *	bytes 21-24	sport, dport
 *	bytes 25-56	addr[]
 *	bytes 57-88	the two secrets
 *
 * The ACK, however forged, must be checked without a crash and decode to
 * options the SYN/ACK could have offered, valid or not. Then a cookie made
 * for the same tuple, with the ACK's seq - 1 as ISN, must check valid and
 * decode to the options it was made for.
 */
#include "cookie.h"
#include "fuzz.h"

#define IN_LEN	89

static const struct synfw_cookie_keys fixed = {
	.key = { { { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL } },
		 { { 0x1716151413121110ULL, 0x1f1e1d1c1b1a1918ULL } } },
};

/* Options as a cookie can carry them: what the SYN/ACK offered. */
static void check_decoded(const struct synfw_synopts *o, bool ts)
{
	CHECK(synfw_cookie_mss_round(o->mss) == o->mss);	/* a table value */
	CHECK(o->wscale <= SYNFW_WSCALE_MAX || o->wscale == SYNFW_WSCALE_NONE);
	CHECK(o->ts == ts);
}

/* The message as the caller fills it; the cookie functions do the rest. */
static void tuple(struct synfw_cookie_msg *m, const u8 *in)
{
	memset(m, 0, sizeof(*m));
	memcpy(&m->sport, in + 21, 2);
	memcpy(&m->dport, in + 23, 2);
	memcpy(m->addr, in + 25, sizeof(m->addr));
}

static void round_trip(const struct synfw_cookie_keys *k, const u8 *in, unsigned int alen,
		       u32 isn)
{
	struct synfw_synopts syn = {
		.mss = get_unaligned_be16(in + 3),
		.wscale = in[2],
		.sack = in[0] & 4,
		.ecn = in[0] & 8,
		.ts = in[0] & 1,
	}, o;
	struct synfw_cookie_msg m;
	u32 c, tsval = 0;

	tuple(&m, in);
	c = synfw_cookie_make(k, &m, alen, isn, &syn, &tsval);
	CHECK(c >> 31 == (k->gen & 1));
	tuple(&m, in);
	CHECK(synfw_cookie_check(k, &m, alen, isn + 1, c + 1, syn.ts, tsval, &o));
	check_decoded(&o, syn.ts);
	CHECK(o.mss == synfw_cookie_mss_round(syn.mss));
	CHECK(o.wscale == (syn.wscale > SYNFW_WSCALE_MAX ? SYNFW_WSCALE_NONE : syn.wscale));
	CHECK(o.sack == syn.sack && o.ecn == syn.ecn);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct synfw_cookie_keys k = fixed;
	struct synfw_cookie_msg m;
	struct synfw_synopts o;
	u8 in[IN_LEN] = { 0 };
	unsigned int alen;
	bool ts;
	u32 seq;

	memcpy(in, data, min_t(size_t, size, sizeof(in)));
	ts = in[0] & 1;
	alen = in[1] % (sizeof(m.addr) + 1);
	seq = get_unaligned_be32(in + 5);
	k.gen = get_unaligned_be32(in + 17);
	if (in[0] & 2)
		memcpy(k.key, in + 57, sizeof(k.key));

	tuple(&m, in);
	memset(&o, 0xa5, sizeof(o));
	synfw_cookie_check(&k, &m, alen, seq, get_unaligned_be32(in + 9), ts,
			   get_unaligned_be32(in + 13), &o);
	check_decoded(&o, ts);

	round_trip(&k, in, alen, seq - 1);
	return 0;
}
