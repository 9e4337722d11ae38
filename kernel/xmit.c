// SPDX-License-Identifier: GPL-2.0
/*
 * Transmission to the real servers.  Direct routing (DR): the packet goes
 * on unchanged but for its TTL (hop limit) to the real server's MAC
 * address, which must be on a link of the director.
 *
 * The route to a real server is looked up with FLOWI_FLAG_KNOWN_NH, which
 * gives a route whose next hop is the real server itself although the
 * packet's destination stays the VIP: the neighbour output of that route
 * resolves and writes the real server's MAC.  Such routes are not cached
 * by the FIB, so vsd caches them per real-server address and per CPU
 * (struct dst_cache, revalidated against routing changes on every use).
 *
 * The packet then takes the path of a locally sent one, LOCAL_OUT and
 * POST_ROUTING hooks included, as with IPVS; it does not come back to
 * vsd's hook (PRE_ROUTING or LOCAL_IN), which only a route to a local
 * address could do, and those are refused.
 */

#include "compat.h"
#include "pernet.h"
#include "dest.h"
#include "packet.h"
#include "conn.h"
#include "xmit.h"
#include "addr.h"

#include <linux/hash.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/slab.h>
#include <net/dst.h>
#include <net/dst_cache.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/netfilter/nf_conntrack.h>

/* Routes unused this long are dropped. */
#define ROUTE_IDLE	(60 * HZ)
/* A bound on cached routes; past it, lookups are not cached. */
#define ROUTES_MAX	4096

struct vsd_route {
	struct hlist_node node;		/* vsd_routes bucket (RCU) */
	struct rcu_head rcu;
	union nf_inet_addr addr;
	u16 af;
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

static bool route_match(const struct vsd_route *rt, u16 af,
			const union nf_inet_addr *addr)
{
	return rt->af == af && vsd_addr_equal(af, &rt->addr, addr);
}

static struct vsd_route *route_find(struct vsd_routes *r, u16 af,
				    const union nf_inet_addr *addr)
{
	struct vsd_route *rt;

	hlist_for_each_entry_rcu(rt, route_bucket(r, af, addr), node) {
		if (route_match(rt, af, addr))
			return rt;
	}
	return NULL;
}

static struct vsd_route *route_add(struct vsd_routes *r, u16 af,
				   const union nf_inet_addr *addr)
{
	struct vsd_route *rt;

	spin_lock_bh(&r->lock);
	rt = route_find(r, af, addr);
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
	rt->addr = *addr;
	hlist_add_head_rcu(&rt->node, route_bucket(r, af, addr));
	WRITE_ONCE(r->count, r->count + 1);
out:
	spin_unlock_bh(&r->lock);
	return rt;
}

/* The cache entry for a real server's address; NULL: look up uncached. */
static struct vsd_route *route_get(struct vsd_routes *r, u16 af,
				   const union nf_inet_addr *addr)
{
	struct vsd_route *rt = route_find(r, af, addr);
	unsigned long now = jiffies;

	if (unlikely(!rt))
		rt = route_add(r, af, addr);
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

/* An on-link unicast route to @daddr, its next hop @daddr; NULL if none. */
static struct rtable *route_v4(struct net *net, struct vsd_route *cache,
			       __be32 daddr)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.flowi4_flags = FLOWI_FLAG_KNOWN_NH,
	};
	struct rtable *rt;
	__be32 saddr;

	if (cache) {
		rt = dst_cache_get_ip4(&cache->cache, &saddr);
		if (rt)
			return rt;
	}
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		goto err;
	if (rt->rt_type != RTN_UNICAST || rt->rt_uses_gateway) {
		ip_rt_put(rt);
		goto err;
	}
	if (cache)
		dst_cache_set_ip4(&cache->cache, &rt->dst, fl4.saddr);
	return rt;
err:
	net_warn_ratelimited("no on-link route to real server %pI4 (DR needs one)\n",
			     &daddr);
	return NULL;
}

static struct dst_entry *route_v6(struct net *net, struct vsd_route *cache,
				  const struct in6_addr *daddr)
{
	struct flowi6 fl6 = {
		.daddr = *daddr,
		.flowi6_flags = FLOWI_FLAG_KNOWN_NH,
	};
	struct dst_entry *dst;
	struct in6_addr saddr;

	if (cache) {
		dst = dst_cache_get_ip6(&cache->cache, &saddr);
		if (dst)
			return dst;
	}
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error || (dst->dev->flags & IFF_LOOPBACK) ||
	    (container_of(dst, struct rt6_info, dst)->rt6i_flags &
	     (RTF_GATEWAY | RTF_LOCAL | RTF_REJECT))) {
		dst_release(dst);
		net_warn_ratelimited("no on-link route to real server %pI6c (DR needs one)\n",
				     daddr);
		return NULL;
	}
	if (cache)
		dst_cache_set_ip6(&cache->cache, dst, &fl6.saddr);
	return dst;
}

/* ip_forward's rule, GSO-aware: DF packets that do not fit are refused. */
static bool too_big_v4(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu || !(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	/* Reassembled from fragments the largest of which is too big. */
	if (IPCB(skb)->frag_max_size > mtu)
		return true;
	if (skb->ignore_df)
		return false;
	return !skb_is_gso(skb) || !skb_gso_validate_network_len(skb, mtu);
}

/* ip6_forward's rule: IPv6 routers never fragment. */
static bool too_big_v6(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu)
		return false;
	if (IP6CB(skb)->frag_max_size > mtu)
		return true;
	if (skb->ignore_df)
		return false;
	return !skb_is_gso(skb) || !skb_gso_validate_network_len(skb, mtu);
}

/*
 * Without the conntrack setting, the packet leaves untracked: vsd's hook
 * runs before conntrack in PRE_ROUTING, so conntrack never saw it, and the
 * LOCAL_OUT conntrack hook ignores untracked packets.  In LOCAL_IN,
 * conntrack made an entry in PRE_ROUTING, not yet confirmed: dropping the
 * packet's reference lets it go.
 */
static void set_untracked(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
#endif
}

static unsigned int send(struct vsd_net *vn, struct sk_buff *skb, u8 pf,
			 struct net_device *out)
{
	if (!READ_ONCE(vn->settings.conntrack))
		set_untracked(skb);
	/* In LOCAL_IN, early demux may have attached a local socket. */
	skb_orphan(skb);
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	NF_HOOK(pf, NF_INET_LOCAL_OUT, vn->net, NULL, skb, NULL, out,
		dst_output);
	return NF_STOLEN;
}

static unsigned int dr_v4(struct vsd_net *vn, struct sk_buff *skb,
			  const struct vsd_dest *dest)
{
	struct vsd_route *cache;
	struct rtable *rt;
	unsigned int mtu;

	cache = route_get(&vn->conns->routes, AF_INET, &dest->addr);
	rt = route_v4(vn->net, cache, dest->addr.ip);
	if (!rt)
		goto drop;
	/* The ICMP errors below need a route: this one. */
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	if (ip_hdr(skb)->ttl <= 1) {
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		goto drop;
	}
	mtu = ip_dst_mtu_maybe_forward(&rt->dst, true);
	if (too_big_v4(skb, mtu)) {
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		goto drop;
	}
	if (skb_ensure_writable(skb, sizeof(struct iphdr))) {
		vsd_count(vn, VSD_CNT_DROP_NOMEM);
		return NF_DROP;
	}
	ip_decrease_ttl(ip_hdr(skb));
	return send(vn, skb, NFPROTO_IPV4, rt->dst.dev);
drop:
	vsd_count(vn, VSD_CNT_DROP_XMIT);
	return NF_DROP;
}

static unsigned int dr_v6(struct vsd_net *vn, struct sk_buff *skb,
			  const struct vsd_dest *dest)
{
	struct vsd_route *cache;
	struct dst_entry *dst;
	unsigned int mtu;

	cache = route_get(&vn->conns->routes, AF_INET6, &dest->addr);
	dst = route_v6(vn->net, cache, &dest->addr.in6);
	if (!dst)
		goto drop;
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	if (ipv6_hdr(skb)->hop_limit <= 1) {
		/* From the address of the link towards the server. */
		skb->dev = dst->dev;
		icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
		goto drop;
	}
	mtu = max_t(unsigned int, ip6_dst_mtu_maybe_forward(dst, true),
		    IPV6_MIN_MTU);
	if (too_big_v6(skb, mtu)) {
		skb->dev = dst->dev;
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		goto drop;
	}
	if (skb_ensure_writable(skb, sizeof(struct ipv6hdr))) {
		vsd_count(vn, VSD_CNT_DROP_NOMEM);
		return NF_DROP;
	}
	ipv6_hdr(skb)->hop_limit--;
	return send(vn, skb, NFPROTO_IPV6, dst->dev);
drop:
	vsd_count(vn, VSD_CNT_DROP_XMIT);
	return NF_DROP;
}

unsigned int vsd_xmit(struct vsd_net *vn, struct sk_buff *skb,
		      const struct vsd_pkt *pkt, const struct vsd_dest *dest,
		      u8 fwd)
{
	/*
	 * Tunnelling and NAT are not implemented yet: their packets are
	 * dropped and counted, never passed on unbalanced.
	 */
	if (unlikely(fwd != VSD_FWD_ROUTE || dest->af != pkt->af)) {
		vsd_count(vn, VSD_CNT_DROP_XMIT);
		return NF_DROP;
	}
	if (pkt->af == AF_INET)
		return dr_v4(vn, skb, dest);
	return dr_v6(vn, skb, dest);
}
