/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SipHash-2-4 (Aumasson and Bernstein), 64-bit output, as the kernel's
 * siphash(), and SipHash-1-3, as the kernel's hsiphash() on 64-bit
 * machines: for unit tests that must compute the same hashes as the module.
 * SipHash-2-4 is checked against the reference test vector in
 * test_maglev.c.
 */
#ifndef VSD_UNIT_SIPHASH_H
#define VSD_UNIT_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIP_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIP_ROUND(v0, v1, v2, v3)					\
	do {								\
		v0 += v1; v1 = SIP_ROTL(v1, 13); v1 ^= v0;		\
		v0 = SIP_ROTL(v0, 32);					\
		v2 += v3; v3 = SIP_ROTL(v3, 16); v3 ^= v2;		\
		v0 += v3; v3 = SIP_ROTL(v3, 21); v3 ^= v0;		\
		v2 += v1; v1 = SIP_ROTL(v1, 17); v1 ^= v2;		\
		v2 = SIP_ROTL(v2, 32);					\
	} while (0)

static inline uint64_t sip_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* SipHash-c-d: c rounds per word, d to finish. */
static inline uint64_t siphash_cd(const void *data, size_t len,
				  const uint64_t key[2], int c, int d)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ key[0];
	uint64_t v1 = 0x646f72616e646f6dULL ^ key[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ key[0];
	uint64_t v3 = 0x7465646279746573ULL ^ key[1];
	const uint8_t *p = data;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, left = len & 7;
	int r;

	for (i = 0; i + 8 <= len; i += 8) {
		m = sip_le64(p + i);
		v3 ^= m;
		for (r = 0; r < c; r++)
			SIP_ROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	for (i = 0; i < left; i++)
		b |= (uint64_t)p[len - left + i] << (8 * i);
	v3 ^= b;
	for (r = 0; r < c; r++)
		SIP_ROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	for (r = 0; r < d; r++)
		SIP_ROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

static inline uint64_t siphash24(const void *data, size_t len,
				 const uint64_t key[2])
{
	return siphash_cd(data, len, key, 2, 4);
}

static inline uint64_t siphash13(const void *data, size_t len,
				 const uint64_t key[2])
{
	return siphash_cd(data, len, key, 1, 3);
}

#endif /* VSD_UNIT_SIPHASH_H */
