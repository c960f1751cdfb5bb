// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for module/classify.c. An input is a packet from its IP
 * header on, classified three ways: whole; as the linear part of a longer
 * packet (pktlen 65535); and, when OK, cut to just its headers, which must
 * not change the verdict. Every buffer is a heap copy of exactly the bytes
 * given, so that ASan sees any read past them. On OK, the TCP header found
 * must lie within the bytes, the datagram and the packet, and what the
 * verdict claims is checked against the bytes.
 */
#include "classify.h"
#include "fuzz.h"

static int classify(const u8 *data, unsigned int avail, unsigned int pktlen,
		    struct synfw_class_tcp *t)
{
	struct synfw_class_tcp untouched = { 0x5a5a, 0xa5a5 };
	u8 *p = malloc(avail ? avail : 1);
	int v, again;

	CHECK(p);
	memcpy(p, data, avail);
	*t = untouched;
	v = synfw_classify_ipv4(p, avail, pktlen, t);
	CHECK(v >= SYNFW_CLASS_OK && v < SYNFW_CLASS_NR);
	CHECK(synfw_class_names[v] && synfw_class_names[v][0]);
	if (v != SYNFW_CLASS_OK)
		CHECK(!memcmp(t, &untouched, sizeof(*t)));
	again = synfw_classify_ipv4(p, avail, pktlen, &untouched);
	CHECK(again == v);
	free(p);
	return v;
}

static bool martian(u32 a)
{
	return a >> 24 == 0 || a >> 24 == 127 || a >> 28 >= 14;
}

/* What a verdict says about the bytes, checked on the bytes themselves. */
static void check_claims(const u8 *d, unsigned int avail, unsigned int pktlen, int v,
			 const struct synfw_class_tcp *t)
{
	unsigned int tot, flags;

	if (v == SYNFW_CLASS_BAD_IP_HEADER)
		return;
	CHECK(avail >= 20 && d[0] >> 4 == 4);
	tot = get_unaligned_be16(d + 2);
	CHECK(tot <= pktlen);
	CHECK(!(get_unaligned_be16(d + 6) & 0x1fff) == (v != SYNFW_CLASS_FRAGMENT));
	if (v == SYNFW_CLASS_FRAGMENT)
		return;
	CHECK(martian(get_unaligned_be32(d + 12)) == (v == SYNFW_CLASS_MARTIAN_SRC));
	if (v == SYNFW_CLASS_MARTIAN_SRC)
		return;
	CHECK(!memcmp(d + 12, d + 16, 4) == (v == SYNFW_CLASS_LAND));
	if (v != SYNFW_CLASS_OK)
		return;

	CHECK(t->off == (d[0] & 0xf) * 4 && t->off >= 20);
	CHECK(t->len >= 20 && t->len <= 60);
	CHECK(t->off + t->len <= avail && t->off + t->len <= tot);
	CHECK(t->len == (d[t->off + 12] >> 4) * 4);
	flags = d[t->off + 13];
	CHECK(flags & 0x3f);			/* not NULL */
	CHECK((flags & 0x03) != 0x03);		/* not SYN+FIN */
	CHECK((flags & 0x06) != 0x06);		/* not SYN+RST */
	CHECK((flags & 0x29) != 0x29);		/* not XMAS */
	CHECK((flags & 0x11) != 0x01);		/* not FIN without ACK */
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct synfw_class_tcp t, u;
	unsigned int n = min_t(size_t, size, 0xffff);
	int v, w;

	v = classify(data, n, n, &t);
	check_claims(data, n, n, v, &t);

	/* A longer packet only makes a datagram that overran it legal. */
	w = classify(data, n, 0xffff, &u);
	check_claims(data, n, 0xffff, w, &u);
	if (v != SYNFW_CLASS_BAD_IP_HEADER)
		CHECK(w == v);
	if (v == SYNFW_CLASS_OK)
		CHECK(!memcmp(&t, &u, sizeof(t)));

	/* Nothing past the headers matters. */
	if (v == SYNFW_CLASS_OK) {
		w = classify(data, t.off + t.len, n, &u);
		CHECK(w == v && !memcmp(&t, &u, sizeof(t)));
	}
	return 0;
}
