/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_ROUTE_H
#define _VSD_ROUTE_H

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct dst_entry;
struct net;
struct sk_buff;
struct vsd_dest;
struct vsd_net;

#define VSD_ROUTE_HASH_BITS	4

/*
 * The routes of a namespace to its real servers, one per address and kind
 * (shared by every service the server is in), each caching the route per
 * CPU.  Looked up under RCU; added by the data path under @lock; freed by
 * the connection table's garbage collector once unused for a while.
 */
struct vsd_routes {
	struct hlist_head buckets[1 << VSD_ROUTE_HASH_BITS];
	spinlock_t lock;		/* adding and removing routes */
	unsigned int count;
};

void vsd_routes_init(struct vsd_routes *r);
/* Drop the routes unused for a while, or all of them with @all. */
void vsd_routes_gc(struct vsd_routes *r, bool all);

enum vsd_route_kind {
	/*
	 * DR: on link, the real server itself the next hop although the
	 * packet's destination stays the VIP (FLOWI_FLAG_KNOWN_NH).
	 */
	VSD_ROUTE_ONLINK,
	/* TUN, NAT: any unicast route, gateways included, never local. */
	VSD_ROUTE_ROUTED,
};

/*
 * Data path, under RCU: a route to real server @dest's address, with a
 * reference, and in *@saddr the source address it prefers; NULL (with a
 * rate-limited warning) when there is none of that kind.
 */
struct dst_entry *vsd_route_dest(struct vsd_net *vn,
				 const struct vsd_dest *dest,
				 enum vsd_route_kind kind,
				 union nf_inet_addr *saddr);

/*
 * Data path, under RCU: a route for a NAT reply (or an ICMP error about a
 * request) going to @daddr from the VIP @vaddr, as the director would
 * route a packet it sends from the VIP (rules on the source apply), with a
 * reference; NULL when there is none, or when it is local.  Not cached:
 * one per client.  @skb gives the mark and the TOS (flow label).
 */
struct dst_entry *vsd_route_client(struct net *net, const struct sk_buff *skb,
				   u16 af, const union nf_inet_addr *daddr,
				   const union nf_inet_addr *vaddr);

#endif /* _VSD_ROUTE_H */
