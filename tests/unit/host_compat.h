/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel facilities the core uses, for host builds (see module/compat.h). */
#ifndef _SYNFW_HOST_COMPAT_H
#define _SYNFW_HOST_COMPAT_H

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef uint16_t __be16;
typedef uint32_t __be32;

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define fallthrough __attribute__((__fallthrough__))

#define cpu_to_be16(x) htobe16(x)
#define cpu_to_be32(x) htobe32(x)
#define be16_to_cpu(x) be16toh(x)
#define be32_to_cpu(x) be32toh(x)
#define htons(x) htobe16(x)
#define ntohs(x) be16toh(x)
#define htonl(x) htobe32(x)
#define ntohl(x) be32toh(x)

static inline u16 get_unaligned_be16(const void *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return be16toh(v);
}

static inline u32 get_unaligned_be32(const void *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return be32toh(v);
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	v = htobe16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	v = htobe32(v);
	memcpy(p, &v, sizeof(v));
}

/* Sequence number order across wraparound, as net/tcp.h has it. */
static inline bool before(u32 seq1, u32 seq2)
{
	return (s32)(seq1 - seq2) < 0;
}

#define after(seq2, seq1) before(seq1, seq2)

typedef struct {
	u64 key[2];
} siphash_key_t;

u64 siphash(const void *data, size_t len, const siphash_key_t *key);

/* Constant-time inequality, as the kernel's crypto_memneq(). */
static inline unsigned long crypto_memneq(const void *a, const void *b, size_t n)
{
	const volatile u8 *x = a, *y = b;
	unsigned long d = 0;

	while (n--)
		d |= *x++ ^ *y++;
	return d;
}

#endif /* _SYNFW_HOST_COMPAT_H */
