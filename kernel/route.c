// SPDX-License-Identifier: GPL-2.0
/*
 * Routes to real servers and to clients.
 *
 * A route to a real server is of one of two kinds.  DR's is on-link: looked
 * up with FLOWI_FLAG_KNOWN_NH, it gives a route whose next hop is the real
 * server itself although the packet's destination stays the VIP, and the
 * neighbour output of that route writes the real server's MAC.  TUN's and
 * NAT's is an ordinary route to the server's address, through a gateway if
 * need be.  Neither may be local.  KNOWN_NH routes are not cached by the
 * FIB, so vsd caches both kinds itself, per real-server address and kind
 * and per CPU (struct dst_cache, revalidated against routing changes, and
 * path MTU changes, on every use), with the source address the route
 * prefers (a tunnel's outer source).
 *
 * A route to a client, for NAT replies, is the route the director would
 * take sending from the VIP; the FIB caches those.
 */

#include "compat.h"
#include "pernet.h"
#include "dest.h"
#include "conn.h"
#include "route.h"
#include "addr.h"

#include <linux/hash.h>
#include <linux/slab.h>
#include <net/dst.h>
#include <net/dst_cache.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>

/* Routes unused this long are dropped. */
#define ROUTE_IDLE	(60 * HZ)
/* A bound on cached routes; past it, lookups are not cached. */
#define ROUTES_MAX	4096

struct vsd_route {
	struct hlist_node node;		/* vsd_routes bucket (RCU) */
	struct rcu_head rcu;
	union nf_inet_addr addr;
	u16 af;
	u8 kind;			/* enum vsd_route_kind */
	unsigned long used;		/* jiffies */
	struct dst_cache cache;
};

void vsd_routes_init(struct vsd_routes *r)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(r->buckets); i++)
		INIT_HLIST_HEAD(&r->buckets[i]);
	spin_lock_init(&r->lock);
	r->count = 0;
}

/* Addresses come from the configuration, not from packets: no need to key. */
static struct hlist_head *route_bucket(struct vsd_routes *r, u16 af,
				       const union nf_inet_addr *addr)
{
	u32 h = (__force u32)addr->all[0];

	if (af == AF_INET6)
		h ^= (__force u32)(addr->all[1] ^ addr->all[2] ^ addr->all[3]);
	return &r->buckets[hash_32(h, VSD_ROUTE_HASH_BITS)];
}

static struct vsd_route *route_find(struct vsd_routes *r, u16 af,
				    const union nf_inet_addr *addr, u8 kind)
{
	struct vsd_route *rt;

	hlist_for_each_entry_rcu(rt, route_bucket(r, af, addr), node) {
		if (rt->af == af && rt->kind == kind &&
		    vsd_addr_equal(af, &rt->addr, addr))
			return rt;
	}
	return NULL;
}

static struct vsd_route *route_add(struct vsd_routes *r, u16 af,
				   const union nf_inet_addr *addr, u8 kind)
{
	struct vsd_route *rt;

	spin_lock_bh(&r->lock);
	rt = route_find(r, af, addr, kind);
	if (rt || r->count >= ROUTES_MAX)
		goto out;
	rt = kzalloc(sizeof(*rt), GFP_ATOMIC);
	if (!rt)
		goto out;
	if (dst_cache_init(&rt->cache, GFP_ATOMIC)) {
		kfree(rt);
		rt = NULL;
		goto out;
	}
	rt->af = af;
	rt->kind = kind;
	rt->addr = *addr;
	hlist_add_head_rcu(&rt->node, route_bucket(r, af, addr));
	WRITE_ONCE(r->count, r->count + 1);
out:
	spin_unlock_bh(&r->lock);
	return rt;
}

/* The cache entry for a real server's address; NULL: look up uncached. */
static struct vsd_route *route_get(struct vsd_routes *r, u16 af,
				   const union nf_inet_addr *addr, u8 kind)
{
	struct vsd_route *rt = route_find(r, af, addr, kind);
	unsigned long now = jiffies;

	if (unlikely(!rt))
		rt = route_add(r, af, addr, kind);
	/* Written at most once a jiffy: the cache line stays shared. */
	if (rt && READ_ONCE(rt->used) != now)
		WRITE_ONCE(rt->used, now);
	return rt;
}

static void route_free_rcu(struct rcu_head *rcu)
{
	struct vsd_route *rt = container_of(rcu, struct vsd_route, rcu);

	dst_cache_destroy(&rt->cache);
	kfree(rt);
}

void vsd_routes_gc(struct vsd_routes *r, bool all)
{
	struct hlist_node *tmp;
	struct vsd_route *rt;
	unsigned int i;

	spin_lock_bh(&r->lock);
	for (i = 0; i < ARRAY_SIZE(r->buckets); i++) {
		hlist_for_each_entry_safe(rt, tmp, &r->buckets[i], node) {
			if (!all && time_before(jiffies,
						READ_ONCE(rt->used) + ROUTE_IDLE))
				continue;
			hlist_del_rcu(&rt->node);
			WRITE_ONCE(r->count, r->count - 1);
			call_rcu(&rt->rcu, route_free_rcu);
		}
	}
	spin_unlock_bh(&r->lock);
}

static u32 rt6_flags(const struct dst_entry *dst)
{
	return container_of(dst, struct rt6_info, dst)->rt6i_flags;
}

static struct dst_entry *lookup_v4(struct net *net, __be32 daddr, u8 kind,
				   __be32 *saddr)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.flowi4_flags = kind == VSD_ROUTE_ONLINK ?
				FLOWI_FLAG_KNOWN_NH : 0,
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return NULL;
	if (rt->rt_type != RTN_UNICAST ||
	    (kind == VSD_ROUTE_ONLINK && rt->rt_uses_gateway)) {
		ip_rt_put(rt);
		return NULL;
	}
	*saddr = fl4.saddr;
	return &rt->dst;
}

static struct dst_entry *lookup_v6(struct net *net,
				   const struct in6_addr *daddr, u8 kind,
				   struct in6_addr *saddr)
{
	struct flowi6 fl6 = {
		.daddr = *daddr,
		.flowi6_flags = kind == VSD_ROUTE_ONLINK ?
				FLOWI_FLAG_KNOWN_NH : 0,
	};
	u32 bad = RTF_LOCAL | RTF_REJECT;
	struct dst_entry *dst;

	if (kind == VSD_ROUTE_ONLINK)
		bad |= RTF_GATEWAY;
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error || (dst->dev->flags & IFF_LOOPBACK) ||
	    (rt6_flags(dst) & bad))
		goto err;
	if (ipv6_dev_get_saddr(net, dst->dev, daddr, 0, saddr))
		goto err;
	return dst;
err:
	dst_release(dst);
	return NULL;
}

static void warn_no_route(const struct vsd_dest *dest, u8 kind)
{
	const char *what = kind == VSD_ROUTE_ONLINK ? "on-link route" :
						      "non-local route";
	const char *why = kind == VSD_ROUTE_ONLINK ? " (DR needs one)" : "";

	if (dest->af == AF_INET)
		net_warn_ratelimited("no %s to real server %pI4%s\n", what,
				     &dest->addr.ip, why);
	else
		net_warn_ratelimited("no %s to real server %pI6c%s\n", what,
				     &dest->addr.in6, why);
}

struct dst_entry *vsd_route_dest(struct vsd_net *vn,
				 const struct vsd_dest *dest,
				 enum vsd_route_kind kind,
				 union nf_inet_addr *saddr)
{
	struct vsd_route *cache;
	struct dst_entry *dst;

	memset(saddr, 0, sizeof(*saddr));
	cache = route_get(&vn->conns->routes, dest->af, &dest->addr, kind);
	if (dest->af == AF_INET) {
		if (cache) {
			struct rtable *rt;

			rt = dst_cache_get_ip4(&cache->cache, &saddr->ip);
			if (rt)
				return &rt->dst;
		}
		dst = lookup_v4(vn->net, dest->addr.ip, kind, &saddr->ip);
		if (dst && cache)
			dst_cache_set_ip4(&cache->cache, dst, saddr->ip);
	} else {
		if (cache) {
			dst = dst_cache_get_ip6(&cache->cache, &saddr->in6);
			if (dst)
				return dst;
		}
		dst = lookup_v6(vn->net, &dest->addr.in6, kind, &saddr->in6);
		if (dst && cache)
			dst_cache_set_ip6(&cache->cache, dst, &saddr->in6);
	}
	if (!dst)
		warn_no_route(dest, kind);
	return dst;
}

struct dst_entry *vsd_route_client(struct net *net, const struct sk_buff *skb,
				   u16 af, const union nf_inet_addr *daddr,
				   const union nf_inet_addr *vaddr)
{
	struct flowi4 fl4 = {
		.daddr = daddr->ip,
		.saddr = vaddr->ip,
		.flowi4_mark = skb->mark,
		/* The VIP need not be an address of the director. */
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
	};
	struct flowi6 fl6 = {
		.daddr = daddr->in6,
		.saddr = vaddr->in6,
		.flowi6_mark = skb->mark,
	};
	struct dst_entry *dst;
	struct rtable *rt;

	if (af == AF_INET) {
		fl4.flowi4_tos = RT_TOS(ip_hdr(skb)->tos);
		rt = ip_route_output_key(net, &fl4);
		if (IS_ERR(rt))
			return NULL;
		if (rt->rt_type != RTN_UNICAST) {
			ip_rt_put(rt);
			return NULL;
		}
		return &rt->dst;
	}
	fl6.flowlabel = ip6_flowinfo(ipv6_hdr(skb));
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error || (dst->dev->flags & IFF_LOOPBACK) ||
	    (rt6_flags(dst) & (RTF_LOCAL | RTF_REJECT))) {
		dst_release(dst);
		return NULL;
	}
	return dst;
}
