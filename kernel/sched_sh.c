// SPDX-License-Identifier: GPL-2.0
/*
 * Source hashing, IPVS's: a 256-bucket table filled with the destinations
 * in list order, each repeated as many times as its weight; a client's
 * address (and port, with sched flag 2 "sh-port") picks the bucket with
 * IPVS's hash, so vsd and IPVS send the same client to the same server.
 * Sched flag 1 ("sh-fallback") walks on from an unusable bucket.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "packet.h"
#include "sched.h"

#include <uapi/linux/vsd.h>

#include <linux/hash.h>
#include <linux/slab.h>

#define SH_TAB_BITS 8
#define SH_TAB_SIZE BIT(SH_TAB_BITS)

struct sh {
	struct vsd_sched base;
	struct vsd_dest __rcu *bucket[SH_TAB_SIZE];
};

static unsigned int sh_hash(u16 af, const union nf_inet_addr *addr,
			    __be16 port, unsigned int offset)
{
	__be32 fold = addr->ip;

	if (af == AF_INET6)
		fold = addr->ip6[0] ^ addr->ip6[1] ^ addr->ip6[2] ^
		       addr->ip6[3];
	return (offset + hash_32(ntohs(port) + ntohl(fold), SH_TAB_BITS)) &
	       (SH_TAB_SIZE - 1);
}

/* Refill the buckets from svc->dests, in place: readers see either. */
static void sh_update(struct vsd_service *svc, struct vsd_sched *s)
{
	struct sh *sh = container_of(s, struct sh, base);
	struct list_head *p = &svc->dests;
	struct vsd_dest *dest;
	int i, count = 0;

	for (i = 0; i < SH_TAB_SIZE; i++) {
		if (list_empty(&svc->dests)) {
			RCU_INIT_POINTER(sh->bucket[i], NULL);
			continue;
		}
		if (p == &svc->dests)
			p = p->next;
		dest = list_entry(p, struct vsd_dest, list);
		rcu_assign_pointer(sh->bucket[i], dest);
		/* Stay on a destination until its weight is used up. */
		if (++count >= READ_ONCE(dest->weight)) {
			p = p->next;
			count = 0;
		}
	}
}

static struct vsd_sched *sh_alloc(struct vsd_service *svc)
{
	struct sh *sh = kzalloc(sizeof(*sh), GFP_KERNEL_ACCOUNT);

	if (!sh)
		return NULL;
	sh_update(svc, &sh->base);
	return &sh->base;
}

static void sh_free(struct vsd_sched *s)
{
	kfree(container_of(s, struct sh, base));
}

static struct vsd_dest *sh_pick(struct vsd_service *svc, struct vsd_sched *s,
				const struct sk_buff *skb,
				const struct vsd_pkt *pkt)
{
	struct sh *sh = container_of(s, struct sh, base);
	u32 flags = READ_ONCE(svc->flags);
	__be16 port = flags & VSD_SVC_F_SCHED2 ? pkt->sport : 0;
	unsigned int first, off;
	struct vsd_dest *dest;

	first = sh_hash(svc->key.af, &pkt->saddr, port, 0);
	dest = rcu_dereference(sh->bucket[first]);
	if (!dest || vsd_dest_usable(dest))
		return dest;
	if (!(flags & VSD_SVC_F_SCHED1))
		return NULL;
	/* Fallback: walk on from the bucket the client hashed to. */
	for (off = 0; off < SH_TAB_SIZE; off++) {
		unsigned int b = sh_hash(svc->key.af, &pkt->saddr, port,
					 (off + first) % SH_TAB_SIZE);

		dest = rcu_dereference(sh->bucket[b]);
		if (!dest)
			return NULL;
		if (vsd_dest_usable(dest))
			return dest;
	}
	return NULL;
}

struct vsd_sched_ops vsd_sched_sh = {
	.name = "sh",
	.alloc = sh_alloc,
	.free = sh_free,
	.update = sh_update,
	.pick = sh_pick,
};
