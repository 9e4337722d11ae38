/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key of a connection and its keyed hash.
 *
 * Pure code: compiled in the module and in the userspace unit tests
 * (tests/unit/kshim.h provides the kernel types and siphash there).
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

static inline u32 vsd_conn_key_hash(const struct vsd_conn_key *k,
				    const siphash_key_t *key)
{
	u32 ports = (u32)(__force u16)k->cport << 16 | (__force u16)k->vport;
	u32 meta = (u32)k->af | (u32)k->protocol << 8 | (u32)k->template << 16;

	if (k->af == AF_INET)
		return (u32)siphash_4u32((__force u32)k->caddr.ip,
					 (__force u32)k->vaddr.ip, ports, meta,
					 key);
	return (u32)siphash(k, sizeof(*k), key);
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
