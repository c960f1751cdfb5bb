// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for module/tcpopt.c. An input is
 *
 *	byte 0		length of the option area, clamped to what follows
 *	byte 1		options offered, for the Linux SYN/ACK shape
 *	area		the option area, which may be longer than 40 bytes
 *	rest		mss, wscale, tsval, tsecr to fill shapes with (zero-padded)
 *
 * and the whole input is also parsed as one area. The area is copied to a
 * buffer of exactly its length, so that ASan sees any read past its end.
 */
#include "tcpopt.h"
#include "fuzz.h"

#define ALL_OPTS \
	(SYNFW_OPT_MSS | SYNFW_OPT_WSCALE | SYNFW_OPT_SACK_PERM | SYNFW_OPT_TS | SYNFW_OPT_SACK | \
	 SYNFW_OPT_AUTH)

static void check_parse(const u8 *a, unsigned int len, struct synfw_tcpopt *o)
{
	struct synfw_tcpopt again;
	int err = synfw_tcpopt_parse(a, len, o);

	CHECK(err == o->err);
	CHECK(err >= SYNFW_TCPOPT_OK && err <= SYNFW_TCPOPT_TOOLONG);
	CHECK((err == SYNFW_TCPOPT_TOOLONG) == (len > SYNFW_TCPOPT_MAX));
	if (err == SYNFW_TCPOPT_TOOLONG)
		CHECK(!o->flags);
	CHECK(!(o->flags & ~ALL_OPTS));
	CHECK(!(o->dup & ~o->flags));

	if (o->flags & SYNFW_OPT_TS) {
		CHECK(o->ts_off >= 2 && o->ts_off + 8 <= len);
		CHECK(a[o->ts_off - 2] == 8 && a[o->ts_off - 1] == 10);
		CHECK(o->tsval == get_unaligned_be32(a + o->ts_off));
		CHECK(o->tsecr == get_unaligned_be32(a + o->ts_off + 4));
	}
	if (o->flags & SYNFW_OPT_SACK) {
		CHECK(o->sack_blocks >= 1 && o->sack_blocks <= 4);
		CHECK(o->sack_off >= 2 && o->sack_off + 8 * o->sack_blocks <= len);
		CHECK(a[o->sack_off - 2] == 5 && a[o->sack_off - 1] == 2 + 8 * o->sack_blocks);
	}

	synfw_tcpopt_parse(a, len, &again);
	CHECK(!memcmp(o, &again, sizeof(again)));
}

/* Fill s with v: the result must parse back to exactly s and v. */
static void check_fill(const struct synfw_optshape *s, const struct synfw_tcpopt *v)
{
	struct synfw_optshape learnt;
	struct synfw_tcpopt o;
	u8 out[SYNFW_TCPOPT_MAX];
	unsigned int len = synfw_optshape_fill(out, s, v);
	unsigned int opts = synfw_optshape_opts(s);

	CHECK(len == s->len && len % 4 == 0 && len <= SYNFW_TCPOPT_MAX);
	CHECK(!(opts & ~SYNFW_OPT_HANDSHAKE));
	check_parse(out, len, &o);
	CHECK(o.err == SYNFW_TCPOPT_OK);
	CHECK(o.flags == opts && !o.dup);
	if (opts & SYNFW_OPT_MSS)
		CHECK(o.mss == v->mss);
	if (opts & SYNFW_OPT_WSCALE)
		CHECK(o.wscale == v->wscale);
	if (opts & SYNFW_OPT_TS)
		CHECK(o.tsval == v->tsval && o.tsecr == v->tsecr);

	CHECK(synfw_optshape_learn(&learnt, out, len) == SYNFW_TCPOPT_OK);
	CHECK(learnt.len == s->len && learnt.opts == s->opts);
	CHECK(!memcmp(learnt.bytes, s->bytes, sizeof(s->bytes)));
}

/* Where the options end: at an EOL or at the end of a well-formed area. */
static unsigned int eol(const u8 *a, unsigned int len)
{
	unsigned int i = 0;

	while (i < len && a[i])
		i += a[i] == 1 ? 1 : a[i + 1];
	return i;
}

static void check_learn(const u8 *a, unsigned int len, const struct synfw_tcpopt *parsed,
			const struct synfw_tcpopt *v)
{
	struct synfw_optshape s, untouched;
	u8 out[SYNFW_TCPOPT_MAX];
	unsigned int end;
	int err;

	memset(&s, 0x5a, sizeof(s));
	untouched = s;
	err = synfw_optshape_learn(&s, a, len);
	if (parsed->err) {
		CHECK(err == parsed->err);
	} else if (len % 4 || parsed->dup || (parsed->flags & SYNFW_OPT_SACK)) {
		CHECK(err == SYNFW_TCPOPT_UNSHAPED);
	} else {
		CHECK(err == SYNFW_TCPOPT_OK || err == SYNFW_TCPOPT_UNSHAPED);
	}
	if (err) {
		CHECK(!memcmp(&s, &untouched, sizeof(s)));
		return;
	}
	CHECK(s.len == len && s.opts == parsed->flags);

	/* Filled with its own values, a shape gives back its area up to EOL. */
	end = eol(a, len);
	CHECK(synfw_optshape_fill(out, &s, parsed) == len);
	CHECK(!memcmp(out, a, end));
	for (unsigned int i = end; i < len; i++)
		CHECK(!out[i]);

	check_fill(&s, parsed);
	check_fill(&s, v);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct synfw_tcpopt o, v = { 0 };
	struct synfw_optshape linux_shape;
	u8 rest[11] = { 0 };
	unsigned int len;
	u8 *a;

	/* The whole input as one area, whatever its length. */
	a = malloc(size ? size : 1);
	CHECK(a);
	if (size)
		memcpy(a, data, size);
	check_parse(a, size, &o);
	free(a);

	if (size < 2)
		return 0;
	len = data[0];
	if (len > size - 2)
		len = size - 2;
	memcpy(rest, data + 2 + len, min_t(size_t, sizeof(rest), size - 2 - len));
	v.mss = get_unaligned_be16(rest);
	v.wscale = rest[2];
	v.tsval = get_unaligned_be32(rest + 3);
	v.tsecr = get_unaligned_be32(rest + 7);

	a = malloc(len ? len : 1);
	CHECK(a);
	memcpy(a, data + 2, len);
	check_parse(a, len, &o);
	check_learn(a, len, &o, &v);
	free(a);

	synfw_optshape_linux(&linux_shape, data[1]);
	CHECK(synfw_optshape_opts(&linux_shape) ==
	      (SYNFW_OPT_MSS | (data[1] & SYNFW_OPT_HANDSHAKE)));
	check_fill(&linux_shape, &v);
	return 0;
}
