// SPDX-License-Identifier: GPL-2.0
/*
 * NAT (masquerading): the client's packets go to the real server's address
 * and port; the server's replies, which pass the director on their way
 * back (it is the servers' gateway), come from the VIP and the service's
 * port again before they go on to the client.  ICMP errors about either
 * direction are translated likewise, the headers they quote included.
 *
 * Checksums are updated incrementally, never recomputed, so that a packet
 * that arrived with a wrong checksum leaves with a wrong one: the receiver
 * still sees the damage.  A packet whose transport checksum the device
 * will complete (CHECKSUM_PARTIAL, e.g. from veth) holds the pseudo-header
 * sum only: the address change updates that, the port change nothing
 * (inet_proto_csum_replace*() know).  A UDP packet without a checksum
 * (zero) keeps none.  An ICMP error's own checksum is verified first and
 * then computed afresh over the translated message.
 */

#include "compat.h"
#include "pernet.h"
#include "dest.h"
#include "packet.h"
#include "conn.h"
#include "route.h"
#include "xmit.h"
#include "icmp.h"

#include <uapi/linux/vsd.h>

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

/* Where a TCP or UDP header's checksum is, and the end of it. */
static unsigned int check_off(u8 protocol)
{
	return protocol == IPPROTO_TCP ? offsetof(struct tcphdr, check) :
					 offsetof(struct udphdr, check);
}

static unsigned int check_end(u8 protocol)
{
	return check_off(protocol) + sizeof(__sum16);
}

static void *nh_ptr(struct sk_buff *skb, unsigned int off)
{
	return skb_network_header(skb) + off;
}

/*
 * Rewrite the source (@src) or the destination address and port of the
 * TCP or UDP packet at the network header, its transport header at @l4off
 * and writable up to the end of its checksum: the IP header, the transport
 * header, their checksums.
 */
static void rewrite(struct sk_buff *skb, u16 af, u8 protocol,
		    unsigned int l4off, bool src,
		    const union nf_inet_addr *addr, __be16 port)
{
	__sum16 *check = nh_ptr(skb, l4off + check_off(protocol));
	__be16 *portp = (__be16 *)nh_ptr(skb, l4off) + !src;
	/* A UDP packet without a checksum (zero) keeps none. */
	bool csum = protocol == IPPROTO_TCP || *check ||
		    skb->ip_summed == CHECKSUM_PARTIAL;

	if (af == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);
		__be32 *a = src ? &iph->saddr : &iph->daddr;

		if (csum)
			inet_proto_csum_replace4(check, skb, *a, addr->ip,
						 true);
		csum_replace4(&iph->check, *a, addr->ip);
		*a = addr->ip;
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);
		struct in6_addr *a = src ? &ip6h->saddr : &ip6h->daddr;

		if (csum)
			inet_proto_csum_replace16(check, skb, a->s6_addr32,
						  addr->ip6, true);
		*a = addr->in6;
	}
	if (*portp != port) {
		if (csum)
			inet_proto_csum_replace2(check, skb, *portp, port,
						 false);
		*portp = port;
	}
	if (protocol == IPPROTO_UDP && csum && !*check)
		*check = CSUM_MANGLED_0;
}

unsigned int vsd_nat_xmit(struct vsd_net *vn, struct sk_buff *skb,
			  const struct vsd_pkt *pkt,
			  const struct vsd_dest *dest)
{
	/* A port-0 destination keeps the port the client asked for. */
	__be16 dport = dest->port ? : pkt->dport;
	union nf_inet_addr saddr;
	struct dst_entry *dst;
	u16 af = pkt->l3af;

	dst = vsd_route_dest(vn, dest, VSD_ROUTE_ROUTED, &saddr);
	if (!dst)
		goto drop;
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	/* The client's own packet is what errors quote: before rewriting. */
	if (vsd_xmit_ttl_expired(skb, af) ||
	    vsd_xmit_too_big(skb, af, vsd_xmit_fwd_mtu(dst, af)))
		goto drop;
	if (skb_ensure_writable(skb, pkt->l4off + check_end(pkt->protocol))) {
		vsd_count(vn, VSD_CNT_DROP_NOMEM);
		return NF_DROP;
	}
	rewrite(skb, af, pkt->protocol, pkt->l4off, false, &dest->addr, dport);
	vsd_xmit_dec_ttl(skb, af);
	return vsd_xmit_send(vn, skb, af);
drop:
	vsd_count(vn, VSD_CNT_DROP_XMIT);
	return NF_DROP;
}

/*
 * In PRE_ROUTING, the route to the client from the VIP, attached to @skb,
 * and a router's checks: the errors go to the real server, about its own
 * packet (not rewritten yet).  False (counted) when the packet cannot go.
 */
static bool route_to_client(struct vsd_net *vn, struct sk_buff *skb,
			    const struct vsd_conn *c, bool check_mtu)
{
	u16 af = c->key.af;
	struct dst_entry *dst;

	dst = vsd_route_client(vn->net, skb, af, &c->key.caddr,
			       &c->key.vaddr);
	if (!dst)
		goto drop;
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	if (vsd_xmit_ttl_expired(skb, af) ||
	    (check_mtu && vsd_xmit_too_big(skb, af,
					   vsd_xmit_fwd_mtu(dst, af))))
		goto drop;
	return true;
drop:
	vsd_count(vn, VSD_CNT_DROP_XMIT);
	return false;
}

/*
 * On to the client.  In FORWARD, the kernel routed the packet, checked it
 * and decremented its TTL already; it forwards it on.
 */
static unsigned int to_client(struct vsd_net *vn, struct sk_buff *skb,
			      u16 af, unsigned int hook)
{
	if (hook == NF_INET_FORWARD) {
		vsd_xmit_untrack(vn, skb);
		return NF_ACCEPT;
	}
	vsd_xmit_dec_ttl(skb, af);
	return vsd_xmit_send(vn, skb, af);
}

unsigned int vsd_nat_reply(struct vsd_net *vn, struct sk_buff *skb,
			   const struct vsd_pkt *pkt,
			   const struct vsd_conn *c, unsigned int hook)
{
	if (hook != NF_INET_FORWARD && !route_to_client(vn, skb, c, true))
		return NF_DROP;
	/* Never on unrewritten: dropped if it cannot be rewritten. */
	if (skb_ensure_writable(skb, pkt->l4off + check_end(pkt->protocol))) {
		vsd_count(vn, VSD_CNT_DROP_NOMEM);
		return NF_DROP;
	}
	rewrite(skb, pkt->l3af, pkt->protocol, pkt->l4off, true,
		&c->key.vaddr, c->key.vport);
	return to_client(vn, skb, pkt->l3af, hook);
}

/* csum_replace4() over the four words of an IPv6 address. */
static void csum_replace16(__sum16 *sum, const __be32 *from, const __be32 *to)
{
	int i;

	for (i = 0; i < 4; i++)
		csum_replace4(sum, from[i], to[i]);
}

/*
 * The quoted packet of an ICMP error: its source address and port
 * (@src) or its destination ones become @addr and @port, with the IPv4
 * header's checksum and, when the quote holds it, the transport checksum
 * (incrementally; a UDP zero checksum stays zero).  Writable through the
 * quoted ports, and the transport checksum when the quote holds it.
 */
static void rewrite_quote(struct sk_buff *skb, const struct vsd_pkt *pkt,
			  bool src, const union nf_inet_addr *addr,
			  __be16 port)
{
	unsigned int coff = pkt->ql4off + check_off(pkt->protocol);
	__be16 *portp = (__be16 *)nh_ptr(skb, pkt->ql4off) + !src;
	__sum16 *check = NULL;

	if (skb_network_offset(skb) + coff + sizeof(*check) <= skb->len) {
		check = nh_ptr(skb, coff);
		if (pkt->protocol == IPPROTO_UDP && !*check)
			check = NULL;
	}
	if (pkt->l3af == AF_INET) {
		struct iphdr *iph = nh_ptr(skb, pkt->qoff);
		__be32 *a = src ? &iph->saddr : &iph->daddr;

		if (check)
			csum_replace4(check, *a, addr->ip);
		csum_replace4(&iph->check, *a, addr->ip);
		*a = addr->ip;
	} else {
		struct ipv6hdr *ip6h = nh_ptr(skb, pkt->qoff);
		struct in6_addr *a = src ? &ip6h->saddr : &ip6h->daddr;

		if (check)
			csum_replace16(check, a->s6_addr32, addr->ip6);
		*a = addr->in6;
	}
	if (check)
		csum_replace2(check, *portp, port);
	*portp = port;
	if (check && pkt->protocol == IPPROTO_UDP && !*check)
		*check = CSUM_MANGLED_0;
}

/* The ICMP error's own source (@src) or destination address. */
static void rewrite_outer(struct sk_buff *skb, u16 af, bool src,
			  const union nf_inet_addr *addr)
{
	if (af == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);
		__be32 *a = src ? &iph->saddr : &iph->daddr;

		csum_replace4(&iph->check, *a, addr->ip);
		*a = addr->ip;
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		if (src)
			ip6h->saddr = addr->in6;
		else
			ip6h->daddr = addr->in6;
	}
}

/* The ICMP checksum over the translated message (verified before). */
static void icmp_checksum(struct sk_buff *skb, const struct vsd_pkt *pkt)
{
	unsigned int off = skb_network_offset(skb) + pkt->l4off;
	unsigned int len = skb->len - off;
	__wsum csum;

	if (pkt->l3af == AF_INET) {
		struct icmphdr *ih = nh_ptr(skb, pkt->l4off);

		ih->checksum = 0;
		ih->checksum = csum_fold(skb_checksum(skb, off, len, 0));
	} else {
		struct icmp6hdr *ih = nh_ptr(skb, pkt->l4off);
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ih->icmp6_cksum = 0;
		csum = skb_checksum(skb, off, len, 0);
		ih->icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
						  len, IPPROTO_ICMPV6, csum);
	}
	skb->ip_summed = CHECKSUM_NONE;
}

/*
 * Make the translation's bytes writable: through the quoted ports, and
 * the quoted transport checksum if the quote holds it.
 */
static int icmp_writable(struct sk_buff *skb, const struct vsd_pkt *pkt)
{
	unsigned int end = pkt->ql4off + check_end(pkt->protocol);

	if (skb_network_offset(skb) + end > skb->len)
		end = pkt->ql4off + 2 * sizeof(__be16);
	return skb_ensure_writable(skb, end);
}

unsigned int vsd_nat_icmp(struct vsd_net *vn, struct sk_buff *skb,
			  const struct vsd_pkt *pkt,
			  const struct vsd_conn *c, unsigned int hook,
			  bool to_server)
{
	const struct vsd_dest *dest = c->dest;
	u16 af = pkt->l3af;

	if (!vsd_icmp_csum_ok(skb, pkt)) {
		vsd_count(vn, VSD_CNT_DROP_MALFORMED);
		return NF_DROP;
	}
	if (to_server) {
		union nf_inet_addr saddr;
		struct dst_entry *dst;

		dst = vsd_route_dest(vn, dest, VSD_ROUTE_ROUTED, &saddr);
		if (!dst) {
			vsd_count(vn, VSD_CNT_DROP_XMIT);
			return NF_DROP;
		}
		skb_dst_drop(skb);
		skb_dst_set(skb, dst);
		/* No error is ever sent about an error: just dropped. */
		if (vsd_xmit_ttl_expired(skb, af)) {
			vsd_count(vn, VSD_CNT_DROP_XMIT);
			return NF_DROP;
		}
	} else if (hook != NF_INET_FORWARD &&
		   !route_to_client(vn, skb, c, false)) {
		return NF_DROP;
	}
	if (icmp_writable(skb, pkt)) {
		vsd_count(vn, VSD_CNT_DROP_NOMEM);
		return NF_DROP;
	}
	if (to_server) {
		/* About a reply the director sent the client: from RIP. */
		rewrite_outer(skb, af, false, &dest->addr);
		rewrite_quote(skb, pkt, true, &dest->addr, vsd_conn_dport(c));
	} else {
		/* About a request the director sent the server: to the VIP. */
		rewrite_outer(skb, af, true, &c->key.vaddr);
		rewrite_quote(skb, pkt, false, &c->key.vaddr, c->key.vport);
	}
	icmp_checksum(skb, pkt);
	/* Errors are small; one that is not may be fragmented. */
	skb->ignore_df = 1;
	if (to_server) {
		vsd_xmit_dec_ttl(skb, af);
		return vsd_xmit_send(vn, skb, af);
	}
	return to_client(vn, skb, af, hook);
}
