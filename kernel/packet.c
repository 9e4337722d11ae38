// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing a packet's L3 and L4 headers into a struct vsd_pkt, IPv4 and
 * IPv6.  Only the L3 header is known to be in the linear area: everything
 * past it is read with skb_header_pointer(), never pulled, so parsing
 * leaves the packet as it found it.
 */

#include "compat.h"
#include "packet.h"

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>

/* The ports, and TCP's flags, of the transport header at pkt->l4off. */
static int parse_ports(const struct sk_buff *skb, struct vsd_pkt *pkt)
{
	if (pkt->protocol == IPPROTO_TCP) {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, pkt->l4off, sizeof(_th), &_th);
		if (!th || th->doff < sizeof(_th) / 4 ||
		    pkt->l4off + th->doff * 4 > skb->len)
			return -EINVAL;
		pkt->sport = th->source;
		pkt->dport = th->dest;
		pkt->tcp_flags = tcp_flag_byte(th);
	} else {
		struct udphdr _uh;
		const struct udphdr *uh;

		uh = skb_header_pointer(skb, pkt->l4off, sizeof(_uh), &_uh);
		if (!uh)
			return -EINVAL;
		pkt->sport = uh->source;
		pkt->dport = uh->dest;
		pkt->tcp_flags = 0;
	}
	return 0;
}

/*
 * The ports of a quoted TCP or UDP header: ICMP quotes at least 8 bytes of
 * it (RFC 792), enough for them; turned round with @turn.
 */
static int quote_ports(const struct sk_buff *skb, unsigned int off,
		       struct vsd_pkt *pkt, bool turn)
{
	__be16 _ports[4];
	const __be16 *ports;

	if (pkt->protocol != IPPROTO_TCP && pkt->protocol != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	ports = skb_header_pointer(skb, off, sizeof(_ports), &_ports);
	if (!ports)
		return -EINVAL;
	pkt->sport = ports[turn];
	pkt->dport = ports[!turn];
	pkt->tcp_flags = 0;
	pkt->ql4off = off;
	return 0;
}

/*
 * A quoted IPv4 header at @off: its addresses (turned round with @turn),
 * its protocol, and the offset past it in *@next.  -EINVAL: no complete
 * header; -EPROTONOSUPPORT: a fragment other than the first (no transport
 * header to read).
 */
static int quote_v4(const struct sk_buff *skb, unsigned int off,
		    struct vsd_pkt *pkt, bool turn, unsigned int *next)
{
	struct iphdr _iph;
	const struct iphdr *iph;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5 ||
	    off + iph->ihl * 4 > skb->len)
		return -EINVAL;
	if (iph->frag_off & htons(IP_OFFSET))
		return -EPROTONOSUPPORT;
	pkt->af = AF_INET;
	pkt->saddr.ip = turn ? iph->daddr : iph->saddr;
	pkt->daddr.ip = turn ? iph->saddr : iph->daddr;
	pkt->protocol = iph->protocol;
	*next = off + iph->ihl * 4;
	return 0;
}

static int quote_v6(const struct sk_buff *skb, unsigned int off,
		    struct vsd_pkt *pkt, bool turn, unsigned int *next)
{
	struct ipv6hdr _iph;
	const struct ipv6hdr *iph;
	__be16 frag_off;
	u8 nexthdr;
	int l4off;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 6)
		return -EINVAL;
	pkt->af = AF_INET6;
	pkt->saddr.in6 = turn ? iph->daddr : iph->saddr;
	pkt->daddr.in6 = turn ? iph->saddr : iph->daddr;
	nexthdr = iph->nexthdr;
	l4off = ipv6_skip_exthdr(skb, off + sizeof(_iph), &nexthdr, &frag_off);
	if (l4off < 0)
		return nexthdr == NEXTHDR_NONE ? -EPROTONOSUPPORT : -EINVAL;
	if (frag_off & htons(IP6_OFFSET))
		return -EPROTONOSUPPORT;
	pkt->protocol = nexthdr;
	*next = l4off;
	return 0;
}

/*
 * The packet an ICMP error quotes, at @off: a TCP or UDP packet, turned
 * round; or a tunnelled packet (IPv4 or IPv6 in the quoted packet), whose
 * inner packet is read as it is.  The inner packet of a tunnel may be cut
 * short (the quote need not reach it): then it is not for vsd.
 */
static int parse_quote(const struct sk_buff *skb, unsigned int off,
		       struct vsd_pkt *pkt)
{
	unsigned int next;
	int ret;

	pkt->qoff = off;
	if (pkt->l3af == AF_INET)
		ret = quote_v4(skb, off, pkt, true, &next);
	else
		ret = quote_v6(skb, off, pkt, true, &next);
	if (ret)
		return ret;
	if (pkt->protocol != IPPROTO_IPIP && pkt->protocol != IPPROTO_IPV6) {
		pkt->icmp = VSD_PKT_ICMP_QUOTE;
		return quote_ports(skb, next, pkt, true);
	}
	pkt->qioff = next;
	if (pkt->protocol == IPPROTO_IPIP)
		ret = quote_v4(skb, next, pkt, false, &next);
	else
		ret = quote_v6(skb, next, pkt, false, &next);
	if (!ret)
		ret = quote_ports(skb, next, pkt, false);
	if (ret)
		return -EPROTONOSUPPORT;
	pkt->icmp = VSD_PKT_ICMP_TUNNEL;
	return 0;
}

static int parse_icmp_v4(const struct sk_buff *skb, struct vsd_pkt *pkt)
{
	struct icmphdr _ih;
	const struct icmphdr *ih;

	ih = skb_header_pointer(skb, pkt->l4off, sizeof(_ih), &_ih);
	if (!ih)
		return -EINVAL;
	if (!icmp_is_err(ih->type) || ih->type == ICMP_REDIRECT)
		return -EPROTONOSUPPORT;
	pkt->icmp_type = ih->type;
	pkt->icmp_code = ih->code;
	return parse_quote(skb, pkt->l4off + sizeof(_ih), pkt);
}

static int parse_v4(struct sk_buff *skb, struct vsd_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(skb);

	/*
	 * Fragments were reassembled before the hook (nf_defrag_ipv4, which
	 * vsd enables, or ip_local_deliver for LOCAL_IN).  One left over is
	 * not vsd's to guess about.
	 */
	if (ip_is_fragment(iph))
		return -EPROTONOSUPPORT;
	pkt->saddr.ip = iph->saddr;
	pkt->daddr.ip = iph->daddr;
	pkt->l4off = ip_hdrlen(skb);
	switch (iph->protocol) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		pkt->protocol = iph->protocol;
		return parse_ports(skb, pkt);
	case IPPROTO_ICMP:
		return parse_icmp_v4(skb, pkt);
	default:
		return -EPROTONOSUPPORT;
	}
}

static int parse_icmp_v6(const struct sk_buff *skb, struct vsd_pkt *pkt)
{
	struct icmp6hdr _ih;
	const struct icmp6hdr *ih;

	ih = skb_header_pointer(skb, pkt->l4off, sizeof(_ih), &_ih);
	if (!ih)
		return -EINVAL;
	if (!icmpv6_is_err(ih->icmp6_type))
		return -EPROTONOSUPPORT;
	pkt->icmp_type = ih->icmp6_type;
	pkt->icmp_code = ih->icmp6_code;
	return parse_quote(skb, pkt->l4off + sizeof(_ih), pkt);
}

static int parse_v6(struct sk_buff *skb, struct vsd_pkt *pkt)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	u8 nexthdr = ip6h->nexthdr;
	__be16 frag_off;
	int l4off;

	pkt->saddr.in6 = ip6h->saddr;
	pkt->daddr.in6 = ip6h->daddr;
	l4off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr, &frag_off);
	/* A chain that ends with "no next header" is not ours; a cut one is. */
	if (l4off < 0)
		return nexthdr == NEXTHDR_NONE ? -EPROTONOSUPPORT : -EINVAL;
	/* As for IPv4: nf_defrag_ipv6 reassembled what was fragmented. */
	if (frag_off & htons(IP6_OFFSET))
		return -EPROTONOSUPPORT;
	pkt->l4off = l4off;
	switch (nexthdr) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		pkt->protocol = nexthdr;
		return parse_ports(skb, pkt);
	case IPPROTO_ICMPV6:
		return parse_icmp_v6(skb, pkt);
	default:
		return -EPROTONOSUPPORT;
	}
}

int vsd_pkt_parse(struct sk_buff *skb, u16 af, struct vsd_pkt *pkt)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->af = af;
	pkt->l3af = af;
	pkt->len = skb->len;
	if (af == AF_INET)
		return parse_v4(skb, pkt);
	return parse_v6(skb, pkt);
}
