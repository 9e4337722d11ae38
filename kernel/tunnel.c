// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnelling (TUN): the client's packet, in an outer IPv4 or IPv6 header
 * from the director to the real server, which decapsulates it (tunl0,
 * ip6tnl0, sit0) and answers the client directly.  The outer family is the
 * real server's, the inner the service's: IPv4 in IPv4 (IP protocol 4),
 * IPv6 in IPv6 (next header 41), and across families IPv4 in IPv6 and IPv6
 * in IPv4.  The outer header is routed: the server may be anywhere.
 *
 * Path MTU: the room in the tunnel is the route's MTU (learnt path MTU
 * included) less the outer header.  A packet that no longer fits gets ICMP
 * "fragmentation needed" (IPv4 with DF) or "packet too big" (IPv6) with
 * that room; an IPv4 packet without DF goes in an outer packet without DF,
 * fragmented on the way out if need be.  An ICMP error about an outer
 * packet (a router on the way sent it to the director) updates the route's
 * path MTU and is relayed to the client, about its own packet inside.
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "packet.h"
#include "conn.h"
#include "route.h"
#include "xmit.h"
#include "icmp.h"
#include "addr.h"

#include <uapi/linux/vsd.h>

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/dsfield.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>

static unsigned int outer_hlen(u16 af)
{
	return af == AF_INET ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
}

/* What the outer header takes from the inner one. */
struct inner {
	u8 proto;		/* IPPROTO_IPIP or IPPROTO_IPV6 */
	u8 dsfield;
	u8 ttl;
	__be16 df;
};

static void inner_read(const struct sk_buff *skb, u16 af, struct inner *in)
{
	u8 ds;

	if (af == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		in->proto = IPPROTO_IPIP;
		ds = ipv4_get_dsfield(iph);
		in->ttl = iph->ttl;
		in->df = iph->frag_off & htons(IP_DF);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		in->proto = IPPROTO_IPV6;
		ds = ipv6_get_dsfield(ip6h);
		in->ttl = ip6h->hop_limit;
		in->df = 0;
	}
	/* RFC 6040: the outer ECN field follows the inner one. */
	in->dsfield = INET_ECN_encapsulate(ds, ds);
}

static void push_v4(struct vsd_net *vn, struct sk_buff *skb,
		    const struct inner *in, __be32 saddr, __be32 daddr)
{
	struct iphdr *iph;

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = in->dsfield;
	iph->tot_len = htons(skb->len);
	iph->frag_off = in->df;
	iph->ttl = in->ttl;
	iph->protocol = in->proto;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_select_ident_segs(vn->net, skb, NULL,
			     skb_shinfo(skb)->gso_segs ? : 1);
	ip_send_check(iph);
	skb->protocol = htons(ETH_P_IP);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
}

static void push_v6(struct sk_buff *skb, const struct inner *in,
		    const struct in6_addr *saddr, const struct in6_addr *daddr)
{
	/* Flows of the inner packets spread over paths (ECMP) by label. */
	__be32 label = htonl(skb_get_hash(skb)) & IPV6_FLOWLABEL_MASK;
	unsigned int len = skb->len;
	struct ipv6hdr *ip6h;

	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, in->dsfield, label);
	/* A jumbogram's payload length is 0 (none are made here). */
	ip6h->payload_len = htons(len <= IPV6_MAXPLEN ? len : 0);
	ip6h->nexthdr = in->proto;
	ip6h->hop_limit = in->ttl;
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	skb->protocol = htons(ETH_P_IPV6);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
}

/*
 * Room for the inner packet, or 0 when there is too little to be worth
 * it (the route's MTU cannot be that small unless misconfigured).  An
 * IPv6 packet is never told less than the IPv6 minimum: below it, the
 * outer packet is fragmented.
 */
static unsigned int inner_mtu(struct dst_entry *dst, u16 oaf, u16 iaf)
{
	int mtu = dst_mtu(dst) - outer_hlen(oaf);

	if (mtu < 68)
		return 0;
	if (iaf == AF_INET6)
		return max(mtu, IPV6_MIN_MTU);
	return mtu;
}

unsigned int vsd_tun_xmit(struct vsd_net *vn, struct sk_buff *skb,
			  const struct vsd_pkt *pkt,
			  const struct vsd_dest *dest)
{
	u16 iaf = pkt->l3af, oaf = dest->af;
	union nf_inet_addr saddr;
	struct dst_entry *dst;
	unsigned int mtu;
	struct inner in;
	int gso_type;

	dst = vsd_route_dest(vn, dest, VSD_ROUTE_ROUTED, &saddr);
	if (!dst)
		goto drop;
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	if (vsd_xmit_ttl_expired(skb, iaf))
		goto drop;
	mtu = inner_mtu(dst, oaf, iaf);
	if (!mtu || vsd_xmit_too_big(skb, iaf, mtu))
		goto drop;

	if (skb_ensure_writable(skb, pkt->l4off) ||
	    skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + outer_hlen(oaf)))
		goto nomem;
	vsd_xmit_dec_ttl(skb, iaf);
	inner_read(skb, iaf, &in);

	/* Offloads see the inner headers as such, the outer as IP-in-IP. */
	skb_set_transport_header(skb, skb_network_offset(skb) + pkt->l4off);
	gso_type = oaf == AF_INET ? SKB_GSO_IPXIP4 : SKB_GSO_IPXIP6;
	if (iptunnel_handle_offloads(skb, gso_type))
		goto nomem;
	skb_set_inner_ipproto(skb, in.proto);
	skb->transport_header = skb->network_header;

	if (oaf == AF_INET)
		push_v4(vn, skb, &in, saddr.ip, dest->addr.ip);
	else
		push_v6(skb, &in, &saddr.in6, &dest->addr.in6);
	/* Checked above: the outer packet may be fragmented. */
	skb->ignore_df = 1;
	return vsd_xmit_send(vn, skb, oaf);
drop:
	vsd_count(vn, VSD_CNT_DROP_XMIT);
	return NF_DROP;
nomem:
	vsd_count(vn, VSD_CNT_DROP_NOMEM);
	return NF_DROP;
}

/*
 * The error to relay to the client about its packet inside the tunnel,
 * from the error about the outer packet (same family: the same error; a
 * path MTU error in any case, with the room left in the tunnel).  False:
 * nothing to relay.
 */
static bool relay_error(const struct vsd_pkt *pkt, u16 iaf, u32 mtu,
			u8 *type, u8 *code, u32 *info)
{
	bool v4 = pkt->l3af == AF_INET;
	bool pmtu = v4 ? pkt->icmp_type == ICMP_DEST_UNREACH &&
			 pkt->icmp_code == ICMP_FRAG_NEEDED :
			 pkt->icmp_type == ICMPV6_PKT_TOOBIG;

	if (pmtu) {
		*type = iaf == AF_INET ? ICMP_DEST_UNREACH : ICMPV6_PKT_TOOBIG;
		*code = iaf == AF_INET ? ICMP_FRAG_NEEDED : 0;
		*info = mtu;
		return true;
	}
	if (iaf != pkt->l3af)
		return false;
	*type = pkt->icmp_type;
	*code = pkt->icmp_code;
	*info = 0;
	return true;
}

/* The MTU an outer packet's error reports (0 when it reports none). */
static u32 reported_mtu(const struct sk_buff *skb, const struct vsd_pkt *pkt)
{
	__be32 _info;
	const __be32 *info;

	/* The fourth word of ICMP and ICMPv6 headers alike. */
	info = skb_header_pointer(skb, pkt->l4off + 4, sizeof(_info), &_info);
	if (!info)
		return 0;
	if (pkt->l3af == AF_INET)
		return pkt->icmp_type == ICMP_DEST_UNREACH &&
		       pkt->icmp_code == ICMP_FRAG_NEEDED ?
		       ntohl(*info) & 0xffff : 0;
	return pkt->icmp_type == ICMPV6_PKT_TOOBIG ? ntohl(*info) : 0;
}

/*
 * Update the path MTU of the route to the real server from an error about
 * an outer packet: @skb now starts at the quoted outer header.
 */
static void update_pmtu(struct vsd_net *vn, struct sk_buff *skb, u16 oaf,
			u32 mtu)
{
	if (oaf == AF_INET)
		ipv4_update_pmtu(skb, vn->net, mtu, 0, 0);
	else
		ip6_update_pmtu(skb, vn->net, htonl(mtu), 0, 0,
				sock_net_uid(vn->net, NULL));
}

/* Is @skb (at the quoted outer header) a packet vsd sent to @dest? */
static bool outer_is_ours(const struct sk_buff *skb, const struct vsd_dest *dest,
			  const union nf_inet_addr *saddr)
{
	if (dest->af == AF_INET)
		return ip_hdr(skb)->saddr == saddr->ip &&
		       ip_hdr(skb)->daddr == dest->addr.ip;
	return ipv6_addr_equal(&ipv6_hdr(skb)->saddr, &saddr->in6) &&
	       ipv6_addr_equal(&ipv6_hdr(skb)->daddr, &dest->addr.in6);
}

unsigned int vsd_tun_icmp(struct vsd_net *vn, struct vsd_conn_table *t,
			  struct sk_buff *skb, const struct vsd_pkt *pkt)
{
	u32 mtu = reported_mtu(skb, pkt), info;
	unsigned int ihl = pkt->ql4off - pkt->qioff;
	union nf_inet_addr saddr;
	struct vsd_dest *dest;
	struct vsd_conn_key key;
	struct dst_entry *dst;
	struct vsd_conn *c;
	u8 type, code;

	vsd_conn_key_from_pkt(&key, pkt);
	c = vsd_conn_lookup(t, &key);
	if (!c || c->fwd != VSD_FWD_TUNNEL || c->dest->af != pkt->l3af)
		return NF_ACCEPT;
	dest = c->dest;
	if (!vsd_icmp_csum_ok(skb, pkt)) {
		vsd_count(vn, VSD_CNT_DROP_MALFORMED);
		return NF_DROP;
	}
	dst = vsd_route_dest(vn, dest, VSD_ROUTE_ROUTED, &saddr);
	if (!dst)
		return NF_ACCEPT;

	/* From here on the error is ours: consumed, whatever happens. */
	if (!pskb_pull(skb, pkt->qoff))
		goto out;
	skb_reset_network_header(skb);
	if (!pskb_may_pull(skb, outer_hlen(dest->af)) ||
	    !outer_is_ours(skb, dest, &saddr))
		goto out;
	if (mtu) {
		update_pmtu(vn, skb, dest->af, mtu);
		/* What the route says now is the path MTU. */
		dst_release(dst);
		dst = vsd_route_dest(vn, dest, VSD_ROUTE_ROUTED, &saddr);
		if (!dst)
			goto out;
		mtu = inner_mtu(dst, dest->af, pkt->af);
		if (!mtu)
			goto out;
	}
	if (!relay_error(pkt, pkt->af, mtu, &type, &code, &info))
		goto out;

	/* The client's packet, as the error quotes it. */
	if (!pskb_pull(skb, pkt->qioff - pkt->qoff))
		goto out;
	skb_reset_network_header(skb);
	if (!pskb_may_pull(skb, ihl))
		goto out;
	skb_set_transport_header(skb, ihl);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	dst = NULL;
	vsd_stats_out(&dest->svc->stats, skb->len);
	vsd_stats_out(&dest->stats, skb->len);
	if (pkt->af == AF_INET) {
		/* A client without path MTU discovery does not need it. */
		if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED &&
		    !(ip_hdr(skb)->frag_off & htons(IP_DF)))
			goto out;
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		icmp_send(skb, type, code, htonl(info));
	} else {
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		skb->dev = skb_dst(skb)->dev;
		icmpv6_send(skb, type, code, info);
	}
out:
	dst_release(dst);
	consume_skb(skb);
	return NF_STOLEN;
}
