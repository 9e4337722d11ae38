/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses of either family, as vsd keeps them (union nf_inet_addr with
 * the family beside it).
 */
#ifndef _VSD_ADDR_H
#define _VSD_ADDR_H

#include <linux/netfilter.h>
#include <linux/socket.h>
#include <net/ipv6.h>
#include <net/netlink.h>

static inline bool vsd_addr_equal(u16 af, const union nf_inet_addr *a,
				  const union nf_inet_addr *b)
{
	if (af == AF_INET)
		return a->ip == b->ip;
	return ipv6_addr_equal(&a->in6, &b->in6);
}

/* A netlink attribute of 4 (AF_INET) or 16 bytes. */
static inline int vsd_nla_put_addr(struct sk_buff *skb, int type, u16 af,
				   const union nf_inet_addr *addr)
{
	if (af == AF_INET)
		return nla_put_in_addr(skb, type, addr->ip);
	return nla_put_in6_addr(skb, type, &addr->in6);
}

#endif /* _VSD_ADDR_H */
