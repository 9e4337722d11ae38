// SPDX-License-Identifier: GPL-2.0
/*
 * Transmission to the real servers: what the forwarding methods share
 * (TTL, MTU, the way out), direct routing, and the choice of the method.
 *
 * Direct routing (DR): the packet goes on unchanged but for its TTL (hop
 * limit), on the on-link route to the real server (route.c), which writes
 * the server's MAC address.  Tunnelling is in tunnel.c, NAT in nat.c.
 *
 * Every packet vsd forwards takes the path of a locally sent one, LOCAL_OUT
 * and POST_ROUTING hooks included, as with IPVS; it does not come back to
 * vsd's hook (PRE_ROUTING or LOCAL_IN), which only a route to a local
 * address could do, and those are refused.
 */

#include "compat.h"
#include "pernet.h"
#include "dest.h"
#include "packet.h"
#include "route.h"
#include "xmit.h"

#include <uapi/linux/vsd.h>

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/netfilter/nf_conntrack.h>

bool vsd_xmit_ttl_expired(struct sk_buff *skb, u16 af)
{
	if (af == AF_INET) {
		if (ip_hdr(skb)->ttl > 1)
			return false;
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return true;
	}
	if (ipv6_hdr(skb)->hop_limit > 1)
		return false;
	/* From the address of the link the packet would have taken. */
	skb->dev = skb_dst(skb)->dev;
	icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
	return true;
}

void vsd_xmit_dec_ttl(struct sk_buff *skb, u16 af)
{
	if (af == AF_INET)
		ip_decrease_ttl(ip_hdr(skb));
	else
		ipv6_hdr(skb)->hop_limit--;
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
	if (IP6CB(skb)->frag_max_size > mtu)
		return true;
	if (skb->len <= mtu || skb->ignore_df)
		return false;
	return !skb_is_gso(skb) || !skb_gso_validate_network_len(skb, mtu);
}

bool vsd_xmit_too_big(struct sk_buff *skb, u16 af, unsigned int mtu)
{
	if (af == AF_INET) {
		if (!too_big_v4(skb, mtu))
			return false;
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		return true;
	}
	if (!too_big_v6(skb, mtu))
		return false;
	skb->dev = skb_dst(skb)->dev;
	icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	return true;
}

unsigned int vsd_xmit_fwd_mtu(struct dst_entry *dst, u16 af)
{
	if (af == AF_INET)
		return ip_dst_mtu_maybe_forward(dst, true);
	return max_t(unsigned int, ip6_dst_mtu_maybe_forward(dst, true),
		     IPV6_MIN_MTU);
}

/*
 * Without the conntrack setting, the packet leaves untracked: vsd's hook
 * runs before conntrack in PRE_ROUTING, so conntrack never saw it, and the
 * LOCAL_OUT conntrack hook ignores untracked packets.  In LOCAL_IN (and
 * FORWARD), conntrack made an entry in PRE_ROUTING, not yet confirmed:
 * dropping the packet's reference lets it go.
 */
void vsd_xmit_untrack(struct vsd_net *vn, struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	if (READ_ONCE(vn->settings.conntrack))
		return;
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
#endif
}

unsigned int vsd_xmit_send(struct vsd_net *vn, struct sk_buff *skb, u16 af)
{
	struct net_device *out = skb_dst(skb)->dev;

	vsd_xmit_untrack(vn, skb);
	/* In LOCAL_IN, early demux may have attached a local socket. */
	skb_orphan(skb);
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	NF_HOOK(af == AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6,
		NF_INET_LOCAL_OUT, vn->net, NULL, skb, NULL, out, dst_output);
	return NF_STOLEN;
}

static unsigned int dr_xmit(struct vsd_net *vn, struct sk_buff *skb,
			    const struct vsd_pkt *pkt,
			    const struct vsd_dest *dest)
{
	union nf_inet_addr saddr;
	struct dst_entry *dst;
	u16 af = pkt->l3af;

	dst = vsd_route_dest(vn, dest, VSD_ROUTE_ONLINK, &saddr);
	if (!dst)
		goto drop;
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	if (vsd_xmit_ttl_expired(skb, af) ||
	    vsd_xmit_too_big(skb, af, vsd_xmit_fwd_mtu(dst, af)))
		goto drop;
	if (skb_ensure_writable(skb, af == AF_INET ? sizeof(struct iphdr) :
						      sizeof(struct ipv6hdr))) {
		vsd_count(vn, VSD_CNT_DROP_NOMEM);
		return NF_DROP;
	}
	vsd_xmit_dec_ttl(skb, af);
	return vsd_xmit_send(vn, skb, af);
drop:
	vsd_count(vn, VSD_CNT_DROP_XMIT);
	return NF_DROP;
}

unsigned int vsd_xmit(struct vsd_net *vn, struct sk_buff *skb,
		      const struct vsd_pkt *pkt, const struct vsd_dest *dest,
		      u8 fwd)
{
	switch (fwd) {
	case VSD_FWD_TUNNEL:
		return vsd_tun_xmit(vn, skb, pkt, dest);
	case VSD_FWD_MASQ:
		if (likely(dest->af == pkt->l3af))
			return vsd_nat_xmit(vn, skb, pkt, dest);
		break;
	default:
		if (likely(dest->af == pkt->l3af))
			return dr_xmit(vn, skb, pkt, dest);
		break;
	}
	/* Only a tunnel crosses families (the configuration ensures it). */
	vsd_count(vn, VSD_CNT_DROP_XMIT);
	return NF_DROP;
}
