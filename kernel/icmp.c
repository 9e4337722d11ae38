// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about balanced connections (destination unreachable, path
 * MTU, time exceeded, parameter problem), which must reach the party that
 * can use them:
 *
 * - one about a packet a real server (DR, TUN) or the director (NAT) sent
 *   the client, from the VIP: the network sends it to the VIP, so to the
 *   director; it goes to the connection's real server, as it is (DR),
 *   tunnelled (TUN), or translated (NAT: from the VIP to the server's
 *   address, in the outer and the quoted header);
 * - one about a request the director sent a NAT real server: it comes from
 *   the server's side, to the client, and goes on translated (from the
 *   VIP, quoting the client's packet to the VIP);
 * - one about a tunnelled packet, from a router between director and real
 *   server: see tunnel.c.
 *
 * Errors about no connection pass untouched.  Truncated or inconsistent
 * ones were refused by the parser (packet.c); one whose checksum is wrong
 * is dropped when vsd would have to rewrite it (both counted malformed).
 */

#include "compat.h"
#include "pernet.h"
#include "service.h"
#include "dest.h"
#include "packet.h"
#include "conn.h"
#include "xmit.h"
#include "icmp.h"
#include "addr.h"

#include <uapi/linux/vsd.h>

#include <linux/netfilter.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

bool vsd_icmp_csum_ok(struct sk_buff *skb, const struct vsd_pkt *pkt)
{
	unsigned int off = skb_network_offset(skb) + pkt->l4off;
	unsigned int len = skb->len - off;
	__wsum csum;

	if (skb_csum_unnecessary(skb))
		return true;
	csum = skb_checksum(skb, off, len, 0);
	if (pkt->l3af == AF_INET)
		return !csum_fold(csum);
	return !csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
				len, IPPROTO_ICMPV6, csum);
}

/* Is the error addressed to @addr (to whom it must be, to be ours)? */
static bool sent_to(const struct sk_buff *skb, u16 af,
		    const union nf_inet_addr *addr)
{
	if (af == AF_INET)
		return ip_hdr(skb)->daddr == addr->ip;
	return ipv6_addr_equal(&ipv6_hdr(skb)->daddr, &addr->in6);
}

/* About a packet sent the client from the VIP: to the real server. */
static unsigned int to_server(struct vsd_net *vn, struct sk_buff *skb,
			      const struct vsd_pkt *pkt, struct vsd_conn *c,
			      unsigned int hook)
{
	struct vsd_dest *dest = c->dest;

	vsd_stats_in(&dest->svc->stats, pkt->len);
	vsd_stats_in(&dest->stats, pkt->len);
	if (c->fwd == VSD_FWD_MASQ)
		return vsd_nat_icmp(vn, skb, pkt, c, hook, true);
	return vsd_xmit(vn, skb, pkt, dest, c->fwd);
}

/* About a request sent a NAT real server: to the client. */
static unsigned int to_client(struct vsd_net *vn, struct sk_buff *skb,
			      const struct vsd_pkt *pkt, struct vsd_conn *c,
			      unsigned int hook)
{
	struct vsd_dest *dest = c->dest;

	vsd_stats_out(&dest->svc->stats, pkt->len);
	vsd_stats_out(&dest->stats, pkt->len);
	return vsd_nat_icmp(vn, skb, pkt, c, hook, false);
}

unsigned int vsd_icmp(struct vsd_net *vn, struct vsd_conn_table *t,
		      struct sk_buff *skb, const struct vsd_pkt *pkt,
		      unsigned int hook)
{
	struct vsd_conn_key key;
	struct vsd_conn *c;

	/* Errors to the director itself: PRE_ROUTING or LOCAL_IN. */
	if (pkt->icmp == VSD_PKT_ICMP_TUNNEL)
		return hook == NF_INET_FORWARD ? NF_ACCEPT :
						 vsd_tun_icmp(vn, t, skb, pkt);
	/* To the VIP: PRE_ROUTING or LOCAL_IN (a local VIP). */
	if (hook != NF_INET_FORWARD) {
		vsd_conn_key_from_pkt(&key, pkt);
		c = vsd_conn_lookup(t, &key);
		if (c && sent_to(skb, pkt->af, &c->key.vaddr))
			return to_server(vn, skb, pkt, c, hook);
	}
	/* To a client: PRE_ROUTING or FORWARD. */
	if (hook != NF_INET_LOCAL_IN && vsd_conn_have_nat(t)) {
		c = vsd_conn_reply_lookup(t, pkt);
		if (c && sent_to(skb, pkt->af, &c->key.caddr))
			return to_client(vn, skb, pkt, c, hook);
	}
	return NF_ACCEPT;
}
