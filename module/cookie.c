// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookie encoding and checking; the layout is described in cookie.h.
 */

#include "cookie.h"

/*
 * Common MSS values, so that most clients lose nothing in the rounding:
 * 1460 Ethernet, 1452 PPPoE, 1440 and 1420 tunnels and IPv6-minded stacks,
 * 1380 and 1300 VPNs, 1200 conservative clients, 536 the default.
 */
static const u16 mss_table[SYNFW_COOKIE_MSS_VALUES] = {
	536, 1200, 1300, 1380, 1420, 1440, 1452, 1460,
};

#define PARITY_BIT	31
#define NOTS_MAC_BITS	22
#define TS_MAC_BITS	28
#define TSVAL_MAC_BITS	26
#define TSVAL_OPT_BITS	6

static unsigned int mss_index(u16 mss)
{
	unsigned int i = SYNFW_COOKIE_MSS_VALUES - 1;

	while (i > 0 && mss < mss_table[i])
		i--;
	return i;
}

u16 synfw_cookie_mss_round(u16 mss)
{
	return mss_table[mss_index(mss)];
}

/* The options other than MSS: SACK:1 | ECN:1 | window scale:4. */
static u32 pack_flags(const struct synfw_synopts *o)
{
	u32 ws = o->wscale > SYNFW_WSCALE_MAX ? SYNFW_WSCALE_NONE : o->wscale;

	return (u32)o->sack << 5 | (u32)o->ecn << 4 | ws;
}

static void unpack_flags(u32 v, struct synfw_synopts *o)
{
	o->sack = v >> 5 & 1;
	o->ecn = v >> 4 & 1;
	o->wscale = v & 0xf;
}

static u64 mac(const struct synfw_cookie_keys *k, struct synfw_cookie_msg *m,
	       unsigned int alen, u32 gen, u32 isn, bool ts)
{
	m->isn = isn;
	m->gen = gen;
	m->layout = ts;
	return siphash(m, offsetof(struct synfw_cookie_msg, addr) + alen, &k->key[gen & 1]);
}

static u32 mask(unsigned int bits)
{
	return (1U << bits) - 1;
}

u32 synfw_cookie_make(const struct synfw_cookie_keys *k, struct synfw_cookie_msg *m,
		      unsigned int alen, u32 isn, const struct synfw_synopts *o, u32 *tsval)
{
	u64 h = mac(k, m, alen, k->gen, isn, o->ts);
	u32 parity = (k->gen & 1) << PARITY_BIT;
	u32 opts;

	if (!o->ts) {
		opts = (mss_index(o->mss) << TSVAL_OPT_BITS | pack_flags(o)) ^ (u32)h;
		opts &= mask(31 - NOTS_MAC_BITS);
		return parity | opts << NOTS_MAC_BITS | ((u32)(h >> 9) & mask(NOTS_MAC_BITS));
	}

	opts = (mss_index(o->mss) ^ (u32)h) & mask(31 - TS_MAC_BITS);
	*tsval = ((u32)(h >> 31) & mask(TSVAL_MAC_BITS)) << TSVAL_OPT_BITS |
		 ((pack_flags(o) ^ (u32)(h >> 57)) & mask(TSVAL_OPT_BITS));
	return parity | opts << TS_MAC_BITS | ((u32)(h >> 3) & mask(TS_MAC_BITS));
}

bool synfw_cookie_check(const struct synfw_cookie_keys *k, struct synfw_cookie_msg *m,
			unsigned int alen, u32 seq, u32 ack, bool has_ts, u32 tsecr,
			struct synfw_synopts *o)
{
	u32 cookie = ack - 1, isn = seq - 1;
	u32 gen = synfw_cookie_gen(k, cookie);
	u64 h = mac(k, m, alen, gen, isn, has_ts);
	u64 want, got;
	u32 opts;

	if (!has_ts) {
		want = (h >> 9) & mask(NOTS_MAC_BITS);
		got = cookie & mask(NOTS_MAC_BITS);
		opts = ((cookie >> NOTS_MAC_BITS) ^ (u32)h) & mask(31 - NOTS_MAC_BITS);
		o->mss = mss_table[opts >> TSVAL_OPT_BITS];
		unpack_flags(opts, o);
	} else {
		want = (h >> 3) & mask(TS_MAC_BITS);
		want |= ((h >> 31) & mask(TSVAL_MAC_BITS)) << TS_MAC_BITS;
		got = cookie & mask(TS_MAC_BITS);
		got |= (u64)(tsecr >> TSVAL_OPT_BITS) << TS_MAC_BITS;
		opts = ((cookie >> TS_MAC_BITS) ^ (u32)h) & mask(31 - TS_MAC_BITS);
		o->mss = mss_table[opts];
		unpack_flags((tsecr ^ (u32)(h >> 57)) & mask(TSVAL_OPT_BITS), o);
	}
	o->ts = has_ts;
	return !crypto_memneq(&want, &got, sizeof(want));
}
