/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel's pure headers (kernel/conn_hash.h, kernel/proto_tcp.h)
 * need in userspace: kernel integer types, __force, ARRAY_SIZE, and
 * siphash with the kernel's interface and results (lib/siphash.c).
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

/* The kernel's: the four words hashed as 16 little-endian bytes. */
static inline u64 siphash_4u32(u32 a, u32 b, u32 c, u32 d,
			       const siphash_key_t *key)
{
	u32 w[4] = { a, b, c, d };
	u8 bytes[16];
	int i;

	for (i = 0; i < 16; i++)
		bytes[i] = w[i / 4] >> (8 * (i % 4));
	return siphash(bytes, sizeof(bytes), key);
}

#endif /* VSD_KSHIM_H */
