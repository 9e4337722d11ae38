/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_PACKET_H
#define _VSD_PACKET_H

#include <linux/netfilter.h>
#include <linux/types.h>

struct sk_buff;

/* vsd_pkt.icmp: what kind of ICMP error a packet is, if any. */
enum {
	VSD_PKT_ICMP_NONE,
	/*
	 * An error about a TCP or UDP packet; the fields below are those of
	 * the quoted packet turned round: they read as a packet going the
	 * other way (the error about a reply reads as the client's packet,
	 * the error about a request sent to a NAT real server reads as that
	 * server's reply).
	 */
	VSD_PKT_ICMP_QUOTE,
	/*
	 * An error about an IP-in-IP packet (a tunnelled one, from the
	 * director to a TUN real server); the fields below are those of the
	 * client's packet inside, as they are (not turned round), and af is
	 * that packet's family (tunnels may mix families).
	 */
	VSD_PKT_ICMP_TUNNEL,
};

/*
 * What the data path parsed out of a packet's L3 and L4 headers: enough to
 * find its connection or service and to schedule it.  Offsets are from the
 * network header.
 */
struct vsd_pkt {
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	__be16 sport;
	__be16 dport;
	u16 af;			/* AF_INET or AF_INET6, of the fields above */
	u16 l3af;		/* of the packet itself */
	u8 protocol;		/* IPPROTO_TCP or IPPROTO_UDP */
	u8 tcp_flags;		/* TCP: the flags byte (TCPHDR_*) */
	u8 icmp;		/* VSD_PKT_ICMP_* */
	u8 icmp_type;
	u8 icmp_code;
	unsigned int l4off;	/* the transport header (or ICMP header) */
	unsigned int qoff;	/* ICMP: the quoted IP header */
	unsigned int qioff;	/* ICMP tunnel: the IP header inside it */
	unsigned int ql4off;	/* ICMP: the quoted transport header */
	unsigned int len;	/* bytes at L3, for the counters */
};

/*
 * Parse the IPv4 or IPv6 packet at skb's network header (as ip_rcv and
 * ipv6_rcv left it: the L3 header is in the linear area and its lengths
 * are checked).  0: a TCP or UDP packet, or an ICMP error quoting one (or
 * quoting a tunnelled packet); -EPROTONOSUPPORT: something else (not for
 * vsd); -EINVAL: a TCP or UDP packet with truncated or inconsistent
 * headers, or an ICMP message that is: its header cut, or an error that
 * quotes no complete IP header, or a TCP or UDP header of which fewer
 * than 8 bytes (RFC 792's minimum).
 */
int vsd_pkt_parse(struct sk_buff *skb, u16 af, struct vsd_pkt *pkt);

#endif /* _VSD_PACKET_H */
