/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the protocols vsd balances: when a packet may open
 * a connection, and how a connection's state and lifetime follow its
 * packets.
 */
#ifndef _VSD_PROTO_H
#define _VSD_PROTO_H

#include "proto_tcp.h"
#include "packet.h"

#include <uapi/linux/vsd.h>

#include <linux/in.h>
#include <linux/types.h>

struct vsd_conn;
struct vsd_net;

/*
 * Per packet, under RCU: state transition (TCP: by the table of direction
 * @dir, enum vsd_tcp_dir), accounting, new expiry time.
 */
void vsd_tcp_update(struct vsd_net *vn, struct vsd_conn *c,
		    const struct vsd_pkt *pkt, int dir);
void vsd_udp_update(struct vsd_net *vn, struct vsd_conn *c,
		    const struct vsd_pkt *pkt);

/* May this packet open a connection (UDP: any datagram)? */
static inline bool vsd_proto_may_start(const struct vsd_pkt *pkt)
{
	return pkt->protocol != IPPROTO_TCP || vsd_tcp_may_start(pkt->tcp_flags);
}

/* The state of a connection before its first packet. */
static inline u32 vsd_proto_initial_state(u8 protocol)
{
	return protocol == IPPROTO_TCP ? VSD_TCP_S_NONE : VSD_CONN_S_UDP;
}

/* Counted in ActiveConn rather than InActConn? */
static inline bool vsd_proto_active(u8 protocol, u32 state)
{
	return protocol == IPPROTO_TCP && vsd_tcp_state_active(state);
}

/* Does a new connection's first packet end this one (port reuse)? */
static inline bool vsd_proto_may_restart(u8 protocol, u32 state)
{
	return protocol == IPPROTO_TCP && vsd_tcp_may_restart(state);
}

static inline void vsd_proto_update(struct vsd_net *vn, struct vsd_conn *c,
				    const struct vsd_pkt *pkt, int dir)
{
	if (pkt->protocol == IPPROTO_TCP)
		vsd_tcp_update(vn, c, pkt, dir);
	else
		vsd_udp_update(vn, c, pkt);
}

#endif /* _VSD_PROTO_H */
