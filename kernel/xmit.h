/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_XMIT_H
#define _VSD_XMIT_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct sk_buff;
struct vsd_dest;
struct vsd_net;
struct vsd_pkt;

#define VSD_ROUTE_HASH_BITS	4

/*
 * The routes of a namespace to its real servers, one per address (shared
 * by every service the server is in), each caching the route per CPU.
 * Looked up under RCU; added by the data path under @lock; freed by the
 * connection table's garbage collector once unused for a while.
 */
struct vsd_routes {
	struct hlist_head buckets[1 << VSD_ROUTE_HASH_BITS];
	spinlock_t lock;		/* adding and removing routes */
	unsigned int count;
};

void vsd_routes_init(struct vsd_routes *r);
/* Drop the routes unused for a while, or all of them with @all. */
void vsd_routes_gc(struct vsd_routes *r, bool all);

/*
 * Send a client's packet on to real server @dest by forwarding method
 * @fwd.  Under RCU with bottom halves disabled, from the netfilter hook.
 * Returns NF_STOLEN when the packet went out, NF_DROP after counting why
 * it could not.
 */
unsigned int vsd_xmit(struct vsd_net *vn, struct sk_buff *skb,
		      const struct vsd_pkt *pkt, const struct vsd_dest *dest,
		      u8 fwd);

#endif /* _VSD_XMIT_H */
