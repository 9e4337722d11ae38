/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel's pure headers (kernel/conn_hash.h, kernel/proto_tcp.h)
 * need in userspace: kernel integer types, __force, ARRAY_SIZE, and
 * siphash and hsiphash with the kernel's interface and results
 * (lib/siphash.c, 64-bit).
 */
#ifndef VSD_KSHIM_H
#define VSD_KSHIM_H

/* The C library's first, so that the UAPI headers leave out duplicates. */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <linux/types.h>
#include <linux/netfilter.h>	/* union nf_inet_addr */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "siphash.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define __force

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
	u64 key[2];
} siphash_key_t;

/* The kernel's siphash(), on the unit tests' SipHash-2-4. */
static inline u64 siphash(const void *data, size_t len,
			  const siphash_key_t *key)
{
	return siphash24(data, len, key->key);
}

/*
 * The kernel's: siphash_2u64() of the four words, word by word as
 * lib/siphash.c computes it (so that callgrind counts what the module
 * executes); the same result as siphash() of them as 16 little-endian
 * bytes.
 */
static inline u64 siphash_4u32(u32 a, u32 b, u32 c, u32 d,
			       const siphash_key_t *key)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ key->key[0];
	uint64_t v1 = 0x646f72616e646f6dULL ^ key->key[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ key->key[0];
	uint64_t v3 = 0x7465646279746573ULL ^ key->key[1];
	uint64_t first = (uint64_t)b << 32 | a, second = (uint64_t)d << 32 | c;
	uint64_t f = (uint64_t)16 << 56;

	v3 ^= first;
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	v0 ^= first;
	v3 ^= second;
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	v0 ^= second;
	v3 ^= f;
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	v0 ^= f;
	v2 ^= 0xff;
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	return (v0 ^ v1) ^ (v2 ^ v3);
}

typedef struct {
	unsigned long key[2];
} hsiphash_key_t;

/* The kernel's hsiphash() on 64-bit machines: SipHash-1-3, 32 bits. */
static inline u32 hsiphash(const void *data, size_t len,
			   const hsiphash_key_t *key)
{
	const uint64_t k[2] = { key->key[0], key->key[1] };

	return (u32)siphash13(data, len, k);
}

/*
 * The kernel's hsiphash_4u32(), word by word as lib/siphash.c computes it
 * (so that callgrind counts what the module executes); the same result as
 * hsiphash() of the four words as 16 little-endian bytes.
 */
static inline u32 hsiphash_4u32(u32 first, u32 second, u32 third, u32 forth,
				const hsiphash_key_t *key)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ key->key[0];
	uint64_t v1 = 0x646f72616e646f6dULL ^ key->key[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ key->key[0];
	uint64_t v3 = 0x7465646279746573ULL ^ key->key[1];
	uint64_t b = (uint64_t)16 << 56;
	uint64_t combined = (uint64_t)second << 32 | first;

	v3 ^= combined;
	SIP_ROUND(v0, v1, v2, v3);
	v0 ^= combined;
	combined = (uint64_t)forth << 32 | third;
	v3 ^= combined;
	SIP_ROUND(v0, v1, v2, v3);
	v0 ^= combined;
	v3 ^= b;
	SIP_ROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	return (u32)((v0 ^ v1) ^ (v2 ^ v3));
}

#endif /* VSD_KSHIM_H */
