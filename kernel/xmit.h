/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_XMIT_H
#define _VSD_XMIT_H

#include <linux/types.h>

struct dst_entry;
struct sk_buff;
struct vsd_conn;
struct vsd_dest;
struct vsd_net;
struct vsd_pkt;

/*
 * Send a client's packet on to real server @dest by forwarding method
 * @fwd (DR, TUN or NAT).  Under RCU with bottom halves disabled, from the
 * netfilter hook.  Returns NF_STOLEN when the packet went out, NF_DROP
 * after counting why it could not.
 */
unsigned int vsd_xmit(struct vsd_net *vn, struct sk_buff *skb,
		      const struct vsd_pkt *pkt, const struct vsd_dest *dest,
		      u8 fwd);

/*
 * What the forwarding methods share (xmit.c).  The packet has @dst
 * attached: the ICMP errors they send need a route.
 */

/*
 * TTL (hop limit) 1 or less: true, after sending ICMP "time exceeded" to
 * the packet's source.
 */
bool vsd_xmit_ttl_expired(struct sk_buff *skb, u16 af);

/* Decrement the TTL (hop limit) of a writable IP header. */
void vsd_xmit_dec_ttl(struct sk_buff *skb, u16 af);

/*
 * Too big for @mtu, by the rules of a router (IPv4 with DF, any IPv6; GSO
 * packets by their segments, reassembled ones by their largest fragment):
 * true, after sending ICMP "fragmentation needed" ("packet too big") with
 * @mtu to the packet's source.
 */
bool vsd_xmit_too_big(struct sk_buff *skb, u16 af, unsigned int mtu);

/* The MTU a router forwards by on @dst. */
unsigned int vsd_xmit_fwd_mtu(struct dst_entry *dst, u16 af);

/*
 * Unless the conntrack setting asks for it, conntrack is kept away from
 * the packet: it leaves untracked.
 */
void vsd_xmit_untrack(struct vsd_net *vn, struct sk_buff *skb);

/*
 * Send a packet with its route attached (of family @af) the way of one the
 * director sends itself: LOCAL_OUT and POST_ROUTING hooks, then the route's
 * output.  Returns NF_STOLEN.
 */
unsigned int vsd_xmit_send(struct vsd_net *vn, struct sk_buff *skb, u16 af);

/* TUN (tunnel.c): encapsulate in IPv4 or IPv6 to @dest, and send. */
unsigned int vsd_tun_xmit(struct vsd_net *vn, struct sk_buff *skb,
			  const struct vsd_pkt *pkt,
			  const struct vsd_dest *dest);

/* NAT (nat.c): to @dest's address and port, and send. */
unsigned int vsd_nat_xmit(struct vsd_net *vn, struct sk_buff *skb,
			  const struct vsd_pkt *pkt,
			  const struct vsd_dest *dest);

/*
 * NAT (nat.c): a real server's reply on NAT connection @c, from the VIP
 * and port again, to the client.  In PRE_ROUTING, routed and sent by vsd
 * (NF_STOLEN); in FORWARD (the LOCAL_IN placement), the kernel routed it
 * already and forwards it on (NF_ACCEPT).  NF_DROP after counting why.
 */
unsigned int vsd_nat_reply(struct vsd_net *vn, struct sk_buff *skb,
			   const struct vsd_pkt *pkt,
			   const struct vsd_conn *c, unsigned int hook);

#endif /* _VSD_XMIT_H */
