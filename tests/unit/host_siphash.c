// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's siphash() on the host, from libsodium's SipHash-2-4: the
 * kernel takes the 128-bit key as two u64 words read little-endian and
 * returns the MAC as a little-endian u64, which is what the reference
 * byte-oriented SipHash computes.
 */
#include <sodium.h>

#include "compat.h"

u64 siphash(const void *data, size_t len, const siphash_key_t *key)
{
	unsigned char k[crypto_shorthash_siphash24_KEYBYTES];
	unsigned char out[crypto_shorthash_siphash24_BYTES];
	u64 w0 = htole64(key->key[0]), w1 = htole64(key->key[1]), mac;

	memcpy(k, &w0, 8);
	memcpy(k + 8, &w1, 8);
	crypto_shorthash_siphash24(out, data, len, k);
	memcpy(&mac, out, 8);
	return le64toh(mac);
}
