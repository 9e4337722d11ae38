/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key of a connection and its keyed hash.
 *
 * Pure code: compiled in the module and in the userspace unit tests
 * (tests/unit/kshim.h provides the kernel types and hsiphash there).
 */
#ifndef _VSD_CONN_HASH_H
#define _VSD_CONN_HASH_H

#ifdef __KERNEL__
#include <linux/netfilter.h>
#include <linux/siphash.h>
#include <linux/socket.h>
#include <linux/types.h>
#endif

/*
 * What identifies a connection: the client's packets' addresses and ports.
 * A persistence template has the client's masked address, cport 0, and the
 * service's address and port (a fwmark service: the mark in vaddr, vport 0).
 * Addresses of AF_INET keys use the first word only, the rest is zero.
 */
struct vsd_conn_key {
	union nf_inet_addr caddr;
	union nf_inet_addr vaddr;
	__be16 cport;
	__be16 vport;
	u8 af;
	u8 protocol;
	u8 template;		/* 1: a persistence template */
	u8 pad;			/* 0: keys are hashed as bytes */
};

/*
 * The bucket index of a key: hsiphash, the kernel's keyed hash for hash
 * tables (SipHash-1-3 with a 128-bit key on 64-bit machines, HalfSipHash-1-3
 * on 32-bit ones).  With a random key per table it resists hash flooding
 * as siphash does for this use: a client that cannot learn the key cannot
 * aim at one chain.  The hash is not a MAC and is never shown.
 */
static inline u32 vsd_conn_key_hash(const struct vsd_conn_key *k,
				    const hsiphash_key_t *key)
{
	u32 ports = (u32)(__force u16)k->cport << 16 | (__force u16)k->vport;
	u32 meta = (u32)k->af | (u32)k->protocol << 8 | (u32)k->template << 16;

	if (k->af == AF_INET)
		return hsiphash_4u32((__force u32)k->caddr.ip,
				     (__force u32)k->vaddr.ip, ports, meta, key);
	return hsiphash(k, sizeof(*k), key);
}

/*
 * Buckets of a table: by default as many as half its connection limit
 * (conn_max), rounded up to a power of two, so that a full table has
 * chains of about two entries; at least 2^8, at most 2^20 (8 MiB of bucket
 * heads per index on 64-bit machines).
 */
#define VSD_CONN_TAB_BITS_MIN	8
#define VSD_CONN_TAB_BITS_MAX	20

static inline unsigned int vsd_conn_tab_bits_for(unsigned int conn_max)
{
	unsigned int half = conn_max / 2 + (conn_max & 1);
	unsigned int bits = VSD_CONN_TAB_BITS_MIN;

	while (bits < VSD_CONN_TAB_BITS_MAX && (1U << bits) < half)
		bits++;
	return bits;
}

static inline bool vsd_conn_key_equal(const struct vsd_conn_key *a,
				      const struct vsd_conn_key *b)
{
	if (a->cport != b->cport || a->vport != b->vport || a->af != b->af ||
	    a->protocol != b->protocol || a->template != b->template)
		return false;
	if (a->af == AF_INET)
		return a->caddr.ip == b->caddr.ip && a->vaddr.ip == b->vaddr.ip;
	return a->caddr.all[0] == b->caddr.all[0] &&
	       a->caddr.all[1] == b->caddr.all[1] &&
	       a->caddr.all[2] == b->caddr.all[2] &&
	       a->caddr.all[3] == b->caddr.all[3] &&
	       a->vaddr.all[0] == b->vaddr.all[0] &&
	       a->vaddr.all[1] == b->vaddr.all[1] &&
	       a->vaddr.all[2] == b->vaddr.all[2] &&
	       a->vaddr.all[3] == b->vaddr.all[3];
}

#endif /* _VSD_CONN_HASH_H */
