// SPDX-License-Identifier: GPL-2.0
/*
 * TCP option parsing (RFC 9293 section 3.2, RFC 7323, RFC 2018) and SYN/ACK
 * option building, shared by the module, the host unit tests and fuzzers.
 */
#include "tcpopt.h"

enum {
	KIND_EOL	= 0,
	KIND_NOP	= 1,
	KIND_MSS	= 2,
	KIND_WS		= 3,
	KIND_SACK_PERM	= 4,
	KIND_SACK	= 5,
	KIND_TS		= 8,
	KIND_MD5	= 19,
	KIND_AO		= 29,
};

enum {
	LEN_MSS		= 4,
	LEN_WS		= 3,
	LEN_SACK_PERM	= 2,
	LEN_TS		= 10,
	LEN_SACK_BLOCK	= 8,
};

static int stop(struct synfw_tcpopt *o, enum synfw_tcpopt_err err)
{
	o->err = err;
	return err;
}

/* Whether this is the first option of its kind; note it in o->dup if not. */
static bool first(struct synfw_tcpopt *o, unsigned int flag)
{
	if (o->flags & flag) {
		o->dup |= flag;
		return false;
	}
	o->flags |= flag;
	return true;
}

/* Take one option of kind p[0] whose length p[1] fits the area, at offset off. */
static int take(struct synfw_tcpopt *o, const u8 *p, unsigned int off)
{
	unsigned int len = p[1];

	switch (p[0]) {
	case KIND_MSS:
		if (len != LEN_MSS)
			return SYNFW_TCPOPT_WRONGSIZE;
		if (first(o, SYNFW_OPT_MSS))
			o->mss = get_unaligned_be16(p + 2);
		break;
	case KIND_WS:
		if (len != LEN_WS)
			return SYNFW_TCPOPT_WRONGSIZE;
		if (first(o, SYNFW_OPT_WSCALE))
			o->wscale = p[2];
		break;
	case KIND_SACK_PERM:
		if (len != LEN_SACK_PERM)
			return SYNFW_TCPOPT_WRONGSIZE;
		first(o, SYNFW_OPT_SACK_PERM);
		break;
	case KIND_TS:
		if (len != LEN_TS)
			return SYNFW_TCPOPT_WRONGSIZE;
		if (first(o, SYNFW_OPT_TS)) {
			o->tsval = get_unaligned_be32(p + 2);
			o->tsecr = get_unaligned_be32(p + 6);
			o->ts_off = off + 2;
		}
		break;
	case KIND_SACK:
		if (len < 2 + LEN_SACK_BLOCK || (len - 2) % LEN_SACK_BLOCK)
			return SYNFW_TCPOPT_WRONGSIZE;
		/* At most four blocks: a fifth would not fit in the area. */
		BUILD_BUG_ON(2 + 5 * LEN_SACK_BLOCK <= SYNFW_TCPOPT_MAX);
		if (first(o, SYNFW_OPT_SACK)) {
			o->sack_off = off + 2;
			o->sack_blocks = (len - 2) / LEN_SACK_BLOCK;
		}
		break;
	case KIND_MD5:
	case KIND_AO:
		/* Whatever its length: a proxy breaks the signature anyway. */
		first(o, SYNFW_OPT_AUTH);
		break;
	}
	return SYNFW_TCPOPT_OK;
}

int synfw_tcpopt_parse(const u8 *opt, unsigned int len, struct synfw_tcpopt *o)
{
	unsigned int i = 0;
	int err;

	memset(o, 0, sizeof(*o));
	if (len > SYNFW_TCPOPT_MAX)
		return stop(o, SYNFW_TCPOPT_TOOLONG);

	while (i < len && opt[i] != KIND_EOL) {
		if (opt[i] == KIND_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return stop(o, SYNFW_TCPOPT_TRUNCATED);
		if (opt[i + 1] < 2)
			return stop(o, SYNFW_TCPOPT_BADLEN);
		if (opt[i + 1] > len - i)
			return stop(o, SYNFW_TCPOPT_TRUNCATED);
		err = take(o, opt + i, i);
		if (err)
			return stop(o, err);
		i += opt[i + 1];
	}
	return SYNFW_TCPOPT_OK;
}

int synfw_optshape_learn(struct synfw_optshape *s, const u8 *opt, unsigned int len)
{
	struct synfw_optshape n = { .len = len };
	struct synfw_tcpopt o;
	unsigned int i = 0;
	int err;

	err = synfw_tcpopt_parse(opt, len, &o);
	if (err)
		return err;
	if (len % 4 || o.dup)
		return SYNFW_TCPOPT_UNSHAPED;

	/*
	 * The parse proved the framing; what is left is to keep the layout
	 * and refuse any option the proxy could not fill in itself.
	 */
	while (i < len && opt[i] != KIND_EOL) {
		if (opt[i] == KIND_NOP) {
			n.bytes[i++] = KIND_NOP;
			continue;
		}
		switch (opt[i]) {
		case KIND_MSS:
			n.mss_off = i + 2;
			break;
		case KIND_WS:
			n.ws_off = i + 2;
			break;
		case KIND_TS:
			n.ts_off = i + 2;
			break;
		case KIND_SACK_PERM:
			break;
		default:
			return SYNFW_TCPOPT_UNSHAPED;
		}
		n.bytes[i] = opt[i];
		n.bytes[i + 1] = opt[i + 1];
		i += opt[i + 1];
	}
	n.opts = o.flags;
	*s = n;
	return SYNFW_TCPOPT_OK;
}

static u8 *put4(u8 *p, u8 a, u8 b, u8 c, u8 d)
{
	p[0] = a;
	p[1] = b;
	p[2] = c;
	p[3] = d;
	return p + 4;
}

/*
 * As tcp_synack_options() and tcp_options_write() lay it out: MSS, then the
 * timestamps with SACK-permitted folded into their padding, or
 * SACK-permitted alone, then the window scale; every option word-aligned.
 */
void synfw_optshape_linux(struct synfw_optshape *s, unsigned int offered)
{
	u8 *p = s->bytes;

	memset(s, 0, sizeof(*s));
	s->opts = SYNFW_OPT_MSS | (offered & SYNFW_OPT_HANDSHAKE);

	s->mss_off = 2;
	p = put4(p, KIND_MSS, LEN_MSS, 0, 0);

	if (offered & SYNFW_OPT_TS) {
		if (offered & SYNFW_OPT_SACK_PERM)
			p = put4(p, KIND_SACK_PERM, LEN_SACK_PERM, KIND_TS, LEN_TS);
		else
			p = put4(p, KIND_NOP, KIND_NOP, KIND_TS, LEN_TS);
		s->ts_off = p - s->bytes;
		p += 8;
	} else if (offered & SYNFW_OPT_SACK_PERM) {
		p = put4(p, KIND_NOP, KIND_NOP, KIND_SACK_PERM, LEN_SACK_PERM);
	}

	if (offered & SYNFW_OPT_WSCALE) {
		s->ws_off = p - s->bytes + 3;
		p = put4(p, KIND_NOP, KIND_WS, LEN_WS, 0);
	}
	s->len = p - s->bytes;
}

unsigned int synfw_optshape_fill(u8 *buf, const struct synfw_optshape *s,
				 const struct synfw_tcpopt *v)
{
	memcpy(buf, s->bytes, s->len);
	if (s->opts & SYNFW_OPT_MSS)
		put_unaligned_be16(v->mss, buf + s->mss_off);
	if (s->opts & SYNFW_OPT_WSCALE)
		buf[s->ws_off] = v->wscale;
	if (s->opts & SYNFW_OPT_TS) {
		put_unaligned_be32(v->tsval, buf + s->ts_off);
		put_unaligned_be32(v->tsecr, buf + s->ts_off + 4);
	}
	return s->len;
}
