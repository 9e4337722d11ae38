/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_ICMP_H
#define _VSD_ICMP_H

#include <linux/types.h>

struct sk_buff;
struct vsd_conn;
struct vsd_conn_table;
struct vsd_net;
struct vsd_pkt;

/*
 * An ICMP error (@pkt->icmp set) met by the hook at @hook: forwarded to
 * the real server or to the client of the connection it is about, or
 * relayed to the client when it is about a tunnelled packet; NF_ACCEPT,
 * untouched, when it is about no connection.  Under RCU, from the hook.
 */
unsigned int vsd_icmp(struct vsd_net *vn, struct vsd_conn_table *t,
		      struct sk_buff *skb, const struct vsd_pkt *pkt,
		      unsigned int hook);

/* Is the ICMP message's checksum right (or vouched for by the device)? */
bool vsd_icmp_csum_ok(struct sk_buff *skb, const struct vsd_pkt *pkt);

/* tunnel.c: an error about a tunnelled packet. */
unsigned int vsd_tun_icmp(struct vsd_net *vn, struct vsd_conn_table *t,
			  struct sk_buff *skb, const struct vsd_pkt *pkt);

/*
 * nat.c: an error about NAT connection @c, translated and sent on:
 * @to_server, one about a reply (sent to the VIP) to the real server;
 * otherwise one about a request (from the real server's side) to the
 * client.
 */
unsigned int vsd_nat_icmp(struct vsd_net *vn, struct sk_buff *skb,
			  const struct vsd_pkt *pkt,
			  const struct vsd_conn *c, unsigned int hook,
			  bool to_server);

#endif /* _VSD_ICMP_H */
