/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_PACKET_H
#define _VSD_PACKET_H

#include <linux/netfilter.h>
#include <linux/types.h>

struct sk_buff;

/*
 * What the data path parsed out of a packet's L3 and L4 headers: enough to
 * find its connection or service and to schedule it.
 */
struct vsd_pkt {
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	__be16 sport;
	__be16 dport;
	u16 af;			/* AF_INET or AF_INET6 */
	u8 protocol;		/* IPPROTO_TCP or IPPROTO_UDP */
	u8 tcp_flags;		/* TCP: the flags byte (TCPHDR_*) */
	/*
	 * An ICMP error about a packet the server sent the client: the
	 * addresses and ports above are those of the quoted packet, turned
	 * round to read as the client's (saddr the client, daddr the VIP).
	 */
	bool related;
	unsigned int l4off;	/* offset of the transport header */
	unsigned int len;	/* bytes at L3, for the counters */
};

/*
 * Parse the IPv4 or IPv6 packet at skb's network header (as ip_rcv and
 * ipv6_rcv left it: the L3 header is in the linear area and its lengths
 * are checked).  0: a TCP or UDP packet, or an ICMP error quoting one;
 * -EPROTONOSUPPORT: something else (not for vsd); -EINVAL: a TCP or UDP
 * packet with truncated or inconsistent headers.
 */
int vsd_pkt_parse(struct sk_buff *skb, u16 af, struct vsd_pkt *pkt);

#endif /* _VSD_PACKET_H */
